"""The seams between the apps: every change of inputs is versioned and summarised, and
the budget decision freezes the plan that follow-up measures against."""

import json
from decimal import Decimal

from cases.exporting import dumps, export_catalog
from cases.models import Proposal, Status
from cases.services import import_json
from followup.models import FrozenPlan
from review import workflow
from review.models import ProposalSummary, ProposalVersion

from ..conftest import REFERENCE_FILES


def test_import_records_a_version_and_the_summary_of_each_proposal(db):
    import_json(REFERENCE_FILES[0].read_bytes())
    proposals = Proposal.objects.all()
    assert ProposalVersion.objects.count() == proposals.count() > 0
    for proposal in proposals:
        summary = ProposalSummary.objects.get(proposal=proposal)
        assert summary.proposal_version == proposal.version


def test_reimport_after_a_change_refreshes_summary_and_adds_a_version(reference_catalogs):
    catalog = next(c for c in reference_catalogs if c.key == "investment-2021")
    doc = json.loads(dumps(export_catalog(catalog)))
    bc01 = next(p for p in doc["proposals"] if p["number"] == "BC01")
    bc01["lines"][1]["amounts"] = {"2021": 6580}  # capital investment up by 1.000
    import_json(json.dumps(doc))
    proposal = Proposal.objects.get(catalog=catalog, number="BC01")
    summary = ProposalSummary.objects.get(proposal=proposal)
    assert summary.proposal_version == proposal.version
    assert summary.investment_capital == Decimal("6.6")
    assert summary.payback_years == 7
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 2


def test_reimporting_the_same_file_adds_no_new_version(reference_catalogs):
    before = ProposalVersion.objects.count()
    import_json(REFERENCE_FILES[0].read_bytes())
    assert ProposalVersion.objects.count() == before


def test_adoption_freezes_the_plan(reference_catalogs, central_user):
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC11")
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.RECOMMENDED)
    proposal.refresh_from_db()
    workflow.decide(central_user, proposal, adopted=True, comment="Vedtaget i budgetaftalen")
    proposal.refresh_from_db()
    assert proposal.status == Status.ADOPTED
    plan = FrozenPlan.objects.get(proposal=proposal)
    assert plan.version == proposal.version
    assert plan.document["computed"]["payback_years_service"] == 5
    assert plan.document["computed"]["payback_years_total"] == 2


def test_rejection_at_the_decision_freezes_nothing(reference_catalogs, central_user):
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC12")
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.RECOMMENDED)
    proposal.refresh_from_db()
    workflow.decide(central_user, proposal, adopted=False, comment="Ikke prioriteret")
    assert not FrozenPlan.objects.filter(proposal=proposal).exists()


def test_editor_save_records_a_version_and_refreshes_the_summary(
    client, central_user, reference_catalogs
):
    from ..cases.formdata import as_post, form_data

    client.force_login(central_user)
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC01")
    url = "/katalog/investment-2021/forslag/BC01/rediger/"
    data = form_data(client.get(url).content)
    title_field = next(k for k in data if k.endswith("title"))
    data[title_field] = "Belysningspakke 2d, udvidet"
    assert client.post(url, as_post(data, action="save")).status_code == 302
    proposal.refresh_from_db()
    latest = ProposalVersion.objects.filter(proposal=proposal).order_by("-pk").first()
    assert latest.user == central_user
    assert latest.data["title"] == "Belysningspakke 2d, udvidet"
    assert ProposalSummary.objects.get(proposal=proposal).proposal_version == proposal.version


def test_recording_versions_of_many_proposals_takes_a_fixed_number_of_queries(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from review.history import record_versions

    from ..factories import CatalogFactory, ProposalFactory, add_line

    catalog = CatalogFactory()
    proposals = []
    for i in range(20):
        proposal = ProposalFactory(catalog=catalog)
        add_line(proposal, "permanent", "saving", "service", f"l{i}", {2021: -i, 2022: -i})
        proposals.append(proposal)

    def count(items):
        with CaptureQueriesContext(connection) as ctx:
            record_versions(items, None, "imported")
        return len(ctx.captured_queries)

    assert count(proposals[:1]) == count(proposals[1:])
    assert ProposalVersion.objects.count() == 20
    # unchanged inputs add no version; the current one is returned
    again = record_versions(proposals, None, "imported")
    assert ProposalVersion.objects.count() == 20
    assert [v.proposal_id for v in again] == [p.pk for p in proposals]


def admin_form_data(response) -> dict:
    """The admin change form's fields as the browser would post them unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data


def test_an_admin_edit_records_a_version_and_refreshes_the_summary(client, reference_catalogs):
    """Issue 13: a change of a proposal in the Django admin is a change of its inputs like
    a save in the editor: a version in the history, the stored summary recomputed (the
    lists read it), and the version counter moved on (an editor opened before it refuses
    to overwrite it)."""
    from tests.factories import make_user

    admin = make_user("admin", "admin", superuser=True)
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC01")
    versions = ProposalVersion.objects.filter(proposal=proposal).count()
    before = ProposalSummary.objects.get(proposal=proposal)
    assert before.payback_years is not None
    client.force_login(admin)
    url = f"/admin/cases/proposal/{proposal.pk}/change/"
    data = admin_form_data(client.get(url))
    data["title"] = "Ny titel fra admin"
    data["last_year"] = str(proposal.first_year)  # every later amount outside the span
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    proposal.refresh_from_db()
    assert proposal.title == "Ny titel fra admin"
    latest = ProposalVersion.objects.filter(proposal=proposal).order_by("-number").first()
    assert ProposalVersion.objects.filter(proposal=proposal).count() == versions + 1
    assert latest.reason == "admin"
    assert latest.data["title"] == "Ny titel fra admin"
    summary = ProposalSummary.objects.get(proposal=proposal)
    assert proposal.version == before.proposal_version + 1
    assert summary.proposal_version == proposal.version
    assert summary.check_count > before.check_count  # amounts outside the years now
