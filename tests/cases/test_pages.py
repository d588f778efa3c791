"""The read-only pages: Danish figures, empty cells empty, checks shown, and a query count
that does not grow with the number of proposals, lines or years."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import PriceIndex

from ..factories import CatalogFactory, ProposalFactory, add_line, bc01


@pytest.fixture
def reader(client, central_user):
    """Central finance reads every proposal (access rules: tests/cases/test_permissions.py)."""
    client.force_login(central_user)
    return client


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_need_login(client, db):
    catalog = CatalogFactory()
    for url in (
        reverse("cases:catalog_list"),
        reverse("cases:catalog_detail", args=[catalog.key]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_danish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Log ind" in text_of(response)
    assert "Brugernavn" in text_of(response)


def test_proposal_page_shows_the_economy_table_in_danish(reader):
    proposal = bc01()
    response = reader.get(proposal.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "1.1 Forslagets samlede økonomiske konsekvenser" in text
    assert "1.000 kr. 2021 p/l Styringsområde 2021 2022 2023 2024 2025 2026" in text
    assert "Energibesparelse Service -517 -1.034 -1.034 -1.034 -1.034 -1.034" in text
    assert "Samlet varig ændring Service -517 -1.034" in text
    # the implementation line has amounts in 2021 only: the other cells stay empty
    assert "Anlægsinvestering Anlæg 5.580 Samlede implementeringsomkostninger 5.580" in text
    assert "Samlet økonomisk påvirkning 5.063 -1.034 -1.034 -1.034 -1.034 -1.034" in text
    assert "Tilbagebetalingstid baseret på serviceeffektivisering 6" in text
    assert "Tilbagebetalingstid baseret på totaløkonomi 6" in text
    assert "Alle besparelser er angivet med negativt (-) fortegn" in text
    assert "Ingen uoverensstemmelser" in text


def test_proposal_page_lists_the_checks(reader, reference_catalogs):
    response = reader.get(
        reverse("cases:proposal_detail", args=["investment-2021", "BC11"])
    )
    text = text_of(response)
    assert "Varige ændringer i alt 2021: trykt -3.529, beregnet -3.530" in text
    assert "Samlet økonomisk påvirkning 2021: trykt -2.379, beregnet -2.380" in text


def test_printed_zero_is_shown_and_empty_stays_empty(reader):
    proposal = ProposalFactory(first_year=2021, last_year=2023)
    add_line(proposal, "permanent", "saving", "service", "Besparelse", {2022: 0, 2023: -5})
    text = text_of(reader.get(proposal.get_absolute_url()))
    assert "Besparelse Service 0 -5" in text


def test_decimal_amounts_use_danish_comma(reader):
    proposal = ProposalFactory(first_year=2021, last_year=2021)
    add_line(proposal, "permanent", "saving", "service", "Halvt år", {2021: "-1337.5"})
    text = text_of(reader.get(proposal.get_absolute_url()))
    # thousand kroner are shown whole, rounded half up: -1.337,5 -> -1.338
    assert "Halvt år Service -1.338" in text


def test_english_is_available(reader):
    proposal = bc01()
    reader.cookies["django_language"] = "en"
    text = text_of(reader.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Total economic impact 5,063 -1,034" in text


def test_catalog_page_shows_the_overview_in_million_kroner(reader, reference_catalogs):
    text = text_of(reader.get(reverse("cases:catalog_detail", args=["investment-2021"])))
    assert "ØU BC01 * Belysningspakke 2d 0,0 5,6 1,0 0,0 6" in text
    assert "KFU BC11 * Effektiv og mere sammenhængende kontrol" in text
    assert "0,0 1,8 0,5 3,0 5" in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["catalog_list", "catalog_detail"])
def test_list_query_count_does_not_grow_with_rows(reader, view):
    catalog = CatalogFactory(key="q-2021")
    url = reverse(f"cases:{view}", args=[catalog.key] if view == "catalog_detail" else [])
    bc01(catalog)
    one = _queries(reader, url)
    for i in range(2, 51):
        proposal = ProposalFactory(catalog=catalog, number=f"BC{i:02d}")
        add_line(proposal, "permanent", "saving", "service", "a", {2021: -1, 2022: -2})
        add_line(proposal, "implementation", "cost", "capital", "b", {2021: 3})
    CatalogFactory(key="other-2021")
    assert _queries(reader, url) == one


def test_proposal_page_query_count_is_constant_in_lines_and_years(reader):
    small = ProposalFactory(first_year=2021, last_year=2022)
    add_line(small, "permanent", "saving", "service", "a", {2021: -1})
    large = ProposalFactory(first_year=2021, last_year=2030)
    for i in range(20):
        add_line(large, "permanent", "saving", "service", f"l{i}",
                 {y: -i for y in range(2021, 2031)})
    PriceIndex.cached_levels({})  # the p/l chooser's years kept, as after any earlier page
    assert _queries(reader, small.get_absolute_url()) == _queries(
        reader, large.get_absolute_url()
    )


def test_unknown_catalog_and_proposal_give_404(reader):
    assert reader.get(reverse("cases:catalog_detail", args=["nope"])).status_code == 404
    assert reader.get(
        reverse("cases:proposal_detail", args=["nope", "BC01"])
    ).status_code == 404


def test_proposal_page_shows_specification_rows_in_place_of_their_line_as_the_print_does(reader):
    """Breaker: the proposal page showed "Sociale ydelser (BIF)" alone while the print and
    the Excel showed its specification rows. The page's detail table now shows the rows
    in place of the line where they add up to it (`engine.specified`, the print's rule),
    and the line itself where they do not (the table then still adds up to its total)."""
    from tests.factories import add_specified_line

    proposal = bc01()
    line = add_specified_line(proposal)
    text = text_of(reader.get(proposal.get_absolute_url()))
    detail = text[text.index("Varige ændringer, efterspørgselsstyrede overførsler"):]
    assert (
        "Kontanthjælp -1.528 -1.528 Førtidspension -693 -693 Øvrige LAS-ydelser -291 -291 "
        "Varige ændringer totalt, efterspørgselsstyrede overførsler -2.512 -2.512"
    ) in detail
    assert "Sociale ydelser (BIF) -2.512" not in detail
    # table 1.1 keeps the line
    assert "Sociale ydelser (BIF) Overførsler -2.512 -2.512" in text

    line.specifications = [
        {"label": "Kontanthjælp", "amounts": {"2021": "-1528", "2022": "-1500"}},
        {"label": "Førtidspension", "amounts": {"2021": "-984", "2022": "-984"}},
    ]
    line.save()
    cache.clear()  # the body is kept per version; this edit bypasses the services
    text = text_of(reader.get(proposal.get_absolute_url()))
    detail = text[text.index("Varige ændringer, efterspørgselsstyrede overførsler"):]
    assert (
        "Sociale ydelser (BIF) -2.512 -2.512 "
        "Varige ændringer totalt, efterspørgselsstyrede overførsler -2.512 -2.512"
    ) in detail
    assert "Kontanthjælp" not in detail.split("Varige ændringer totalt")[0]
