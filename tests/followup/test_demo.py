from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Status
from followup.models import FrozenPlan, RealisedAmount, Registration
from followup.report import plan_views
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_adopts_reference_proposals_with_registrations(reference_catalogs):
    from committees.models import Role

    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    out = StringIO()
    call_command("load_followup_demo", stdout=out)
    assert FrozenPlan.objects.count() == 4
    assert RealisedAmount.objects.exists() and Registration.objects.exists()
    views = {v.proposal.number + v.proposal.catalog.key: v for v in plan_views(
        FrozenPlan.objects.all(), on=date.today())}  # fmt: skip
    behind = views["BC12investment-2021"].comparison
    assert behind.any_behind and behind.realised_payback_total != behind.planned_payback_total
    assert not views["BC01investment-2021"].comparison.any_behind
    if "adopted" in Status.values:
        assert set(FrozenPlan.objects.values_list("proposal__status", flat=True)) == {"adopted"}
    # idempotent
    call_command("load_followup_demo", stdout=StringIO())
    assert FrozenPlan.objects.count() == 4
