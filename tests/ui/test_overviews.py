"""Overviews that do not mix (issue 12): the catalogue overview has a total row and a
status column."""

import re

import pytest
from django.urls import reverse

from cases.models import Proposal

pytestmark = pytest.mark.django_db


def test_catalogue_overview_has_a_total_row_and_the_status(
    client, central_user, reference_catalogs
):
    client.force_login(central_user)
    Proposal.objects.filter(catalog__key="investment-2021", number="BC03").update(
        status="submitted"
    )
    html = client.get(reverse("cases:catalog_detail", args=["investment-2021"])).content.decode()
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))
    # the printed rows of BC01, BC03, BC11 and BC12 (investment pool 2021), added up
    assert totals == {
        "investment_service": "0,0",
        "investment_capital": "13,2",
        "full_effect_service": "3,0",
        "full_effect_transfers": "3,0",
    }
    assert "I alt (4 forslag)" in html
    assert '<span class="status status-submitted">Indsendt</span>' in html
    assert html.count('<span class="status status-draft">Kladde</span>') == 3


def test_dashboard_shows_one_catalogue_and_leaves_drafts_out(client, central_user):
    """The committee dashboard never adds a 2020 p/l and a 2021 p/l catalogue together,
    and counts drafts only when asked."""
    from tests.factories import CatalogFactory, ProposalFactory, committee

    old = CatalogFactory(key="innovation-2020", budget_year=2020)
    new = CatalogFactory(key="investment-2021", budget_year=2021)
    kfu = committee("KFU")
    for catalog, number, status in (
        (old, "A1", "submitted"),
        (new, "B1", "submitted"),
        (new, "B2", "submitted"),
        (new, "B3", "draft"),
    ):
        ProposalFactory(catalog=catalog, number=number, committee=kfu, status=status)
    client.force_login(central_user)

    def by_state(**params):
        response = client.get(reverse("review:dashboard"), params)
        (row,) = response.context["rows"]
        return dict(
            zip([s.value for s in response.context["statuses"]], row["state_cells"], strict=True)
        )

    counts = by_state()
    assert (counts["submitted"], counts["draft"]) == (2, 0)
    counts = by_state(kladder="1")
    assert (counts["submitted"], counts["draft"]) == (2, 1)
    counts = by_state(catalog="innovation-2020")
    assert (counts["submitted"], counts["draft"]) == (1, 0)
    html = client.get(reverse("review:dashboard")).content.decode()
    assert "Katalog: " in html and "prisniveau" in html and "Kladder er udeladt." in html
