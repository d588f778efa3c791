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
