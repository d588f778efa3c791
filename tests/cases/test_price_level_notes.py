"""A proposal or catalogue shown in another p/l says by which index each kind of amount
was converted, and its charts say the p/l (issue 14, breaker session 3: the note named
only the service index although anlæg figures were converted; the chart title lacked
the p/l). The anlæg series is entered in the admin (no verified published default,
docs/APPRAISAL.md); without it anlæg goes by the service index and the note says so."""

from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import PriceIndex
from review.summaries import refresh_summary

from ..factories import ProposalFactory, add_line, bc01
from .test_pages import text_of

pytestmark = pytest.mark.django_db

NET_FLOW = "Nettopengestrøm og akkumuleret nettopengestrøm"


def test_page_note_says_anlaeg_went_by_the_service_index(client, central_user, price_index):
    proposal = bc01()  # 2021 p/l, 5.580 anlæg investment
    client.force_login(central_user)
    response = client.get(proposal.get_absolute_url(), {"pl": "2024"})
    page = text_of(response)
    assert (
        "Omregnet fra 2021 p/l til 2024 p/l med pris- og lønindekset (112,1065 → 124,6443). "
        "Anlægsbeløb er også omregnet med serviceindekset: der er intet anlægsindeks for "
        "2021, 2024 (det indtastes i administrationen)." in page
    )
    html = response.content.decode()
    assert f"<title>{NET_FLOW} (1.000 kr. 2024 p/l)</title>" in html
    assert "<title>Følsomhed: nutidsværdi (1.000 kr. 2024 p/l)</title>" in html
    # in its own p/l the chart keeps the printed title
    own = client.get(proposal.get_absolute_url()).content.decode()
    assert f"<title>{NET_FLOW} (1.000 kr.)</title>" in own


def test_a_proposal_without_anlaeg_gets_no_anlaeg_note(client, central_user, price_index):
    proposal = ProposalFactory(number="BC05", title="Kun drift")
    add_line(proposal, "permanent", "saving", "service", "Besparelse", {2021: -100})
    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url(), {"pl": "2024"}))
    assert "Omregnet fra 2021 p/l til 2024 p/l" in page
    assert "Anlægsbeløb" not in page


def test_an_entered_anlaeg_series_converts_anlaeg_and_the_note_says_so(
    client, central_user, price_index
):
    for year, value in ((2021, "100"), (2024, "120")):
        PriceIndex.objects.create(series="anlaeg", year=year, value=Decimal(value))
    proposal = bc01()
    refresh_summary(proposal)
    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url(), {"pl": "2024"}))
    assert "Anlægsbeløb med anlægsindekset (100 → 120)." in page
    # by hand: 5.580 * 120 / 100 = 6.696 (by the service index it would be 6.204)
    assert "Anlægsinvestering Anlæg 6.696" in page
    # the saving still goes by the service index: -517 -> -574,820
    assert "Energibesparelse Service -575 -1.150" in page
    # the catalogue overview converts its anlæg column by the same series: 6,7 mio. kr.
    overview = text_of(
        client.get(reverse("cases:catalog_detail", args=[proposal.catalog.key]), {"pl": "2024"})
    )
    assert "Anlægsbeløb med anlægsindekset (100 → 120)." in overview
    assert "BC01 Belysningspakke 2d 0,0 6,7 1,1 0,0" in overview
