"""Committee shares of a proposal whose savings are distributed for service only
(investment 2021 BC11: "Effektivisering samt varige driftsomkostninger, service")."""

from decimal import Decimal as D

import pytest

from cases.models import Proposal
from review.models import CommitteeShare


@pytest.mark.django_db
def test_service_only_distribution_leaves_the_transfers_with_the_owner(reference_catalogs):
    bc11 = Proposal.objects.get(catalog__key="investment-2021", number="BC11")
    shares = {
        s.committee.code: (s.savings, s.costs)
        for s in CommitteeShare.objects.filter(proposal=bc11, year=2022).select_related(
            "committee"
        )
    }
    # BUU: the service savings (Økonomisk friplads); KFU (the owner): the transfers'
    # savings (-2.512 - 531) and its own service cost 1.100; ØU (Koncern IT): 185.
    assert shares["BUU"] == (D(-1772), D(0))
    assert shares["KFU"] == (D(-3043), D(1100))
    assert shares["ØU"] == (D(0), D(185))
