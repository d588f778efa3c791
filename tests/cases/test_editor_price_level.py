"""The editor's live tables name the proposal's own price level, as the proposal page does.
Opened (GET), they named the first year of the grid instead: the demo's BC03 (2021 p/l,
years from 2020) showed "1.000 kr. 2020 p/l" in the editor and "2021 p/l" on its page."""

import re

import pytest
from django.urls import reverse

from ..factories import ProposalFactory, add_line

pytestmark = pytest.mark.django_db


def test_the_editor_names_the_proposals_price_level_not_its_first_year(client, central_user):
    proposal = ProposalFactory(price_level_year=2021, first_year=2020, last_year=2025)
    add_line(proposal, "permanent", "saving", "service", "Husleje", {2021: -750})
    client.force_login(central_user)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert set(re.findall(r"1\.000 kr\. \d{4} p/l", page)) == {"1.000 kr. 2021 p/l"}
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    editor = client.get(url).content.decode()
    assert set(re.findall(r"1\.000 kr\. \d{4} p/l", editor)) == {"1.000 kr. 2021 p/l"}
