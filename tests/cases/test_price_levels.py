"""A proposal shown in another price level ("Vis i 2024 p/l", issue 14): the p/l index
kept in the database (committees.PriceIndex, loaded with Økonomistyrelsen's general
price and wage rise), the page converted by finance.prices, bad input answered in
Danish."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from committees.models import PriceIndex
from finance.prices import SERVICE_SERIES
from finance.rounding import round_half_up
from review.summaries import refresh_summary

from ..factories import ProposalFactory, add_line, bc01
from .test_pages import text_of


@pytest.mark.django_db
def test_data_migration_loads_the_documented_series_chained_by_hand():
    PriceIndex.objects.all().delete()
    migration = importlib.import_module("committees.migrations.0006_default_price_index")
    migration.load_default_price_index(apps, None)
    service = PriceIndex.series_map()[SERVICE_SERIES]
    assert sorted(service) == list(range(2010, 2026))
    # 2010 = 100; 2011 +1,3 %, 2012 +1,6 %: 100 * 1,013 * 1,016 = 102,9208 (by hand)
    assert service[2010] == Decimal("100.0000")
    assert service[2011] == Decimal("101.3000")
    assert service[2012] == Decimal("102.9208")
    # 2021: the product of the eleven published rises 2011-2021, rounded to 4 decimals
    product = Decimal(100)
    for rise in ("1.3", "1.6", "0.5", "0.4", "0.5", "0.5", "1.2", "1.9", "1.3", "1.1", "1.2"):
        product *= 1 + Decimal(rise) / 100
    assert service[2021] == round_half_up(product, 4) == Decimal("112.1065")
    assert service[2024] == Decimal("124.6443")
    # a value an administrator corrected is never overwritten by the migration
    PriceIndex.objects.filter(year=2024).update(value=Decimal("125"))
    migration.load_default_price_index(apps, None)
    assert PriceIndex.objects.get(year=2024).value == Decimal("125.0000")


@pytest.mark.django_db
def test_proposal_page_in_another_price_level(client, central_user, price_index):
    proposal = bc01()  # 2021 p/l
    client.force_login(central_user)
    own = text_of(client.get(proposal.get_absolute_url()))
    assert "1.000 kr. 2021 p/l" in own
    page = text_of(client.get(proposal.get_absolute_url() + "?pl=2024"))
    assert "1.000 kr. 2024 p/l" in page
    assert "Omregnet fra 2021 p/l til 2024 p/l" in page
    # by hand: factor 124,6443 / 112,1065; -517 -> -574,820; -1.034 -> -1.149,641;
    # 5.580 -> 6.204,058; shown in whole 1.000 kr.
    assert "Energibesparelse Service -575 -1.150 -1.150 -1.150 -1.150 -1.150" in page
    assert "Anlægsinvestering Anlæg 6.204" in page
    # net 2021: -574,820 + 6.204,058 = 5.629,238
    assert "Samlet økonomisk påvirkning 5.629 -1.150" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "»abc« er ikke et år."),
        ("2099", "Der er intet pris- og lønindeks for 2099."),
        ("20x1", "»20x1« er ikke et år."),
    ],
)
def test_bad_price_level_is_answered_in_danish(client, central_user, price_index, value, message):
    proposal = bc01()
    client.force_login(central_user)
    response = client.get(proposal.get_absolute_url(), {"pl": value})
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "1.000 kr. 2021 p/l" in page


@pytest.mark.django_db
def test_proposal_own_year_without_index(client, central_user, price_index):
    proposal = bc01()
    proposal.price_level_year = 2030
    proposal.save()
    client.force_login(central_user)
    response = client.get(proposal.get_absolute_url(), {"pl": "2024"})
    assert response.status_code == 200
    assert "Der er intet pris- og lønindeks for 2030" in text_of(response)


def bc01_and_four_small(numbers):
    """BC01 and BC02-BC05 (each investing 149 in anlæg), made in the order of ``numbers``;
    returns their catalogue with the summaries stored."""
    catalog = bc01().catalog
    for i in numbers:
        proposal = ProposalFactory(catalog=catalog, number=f"BC0{i}", title=f"P{i}")
        add_line(proposal, "permanent", "saving", "service", "a", {2021: -33, 2022: -66})
        add_line(proposal, "implementation", "cost", "capital", "b", {2021: 149})
    for proposal in catalog.proposals.all():
        refresh_summary(proposal)
    return catalog


@pytest.mark.django_db
def test_catalogue_overview_in_another_price_level_adds_up(client, central_user, price_index):
    catalog = bc01_and_four_small(range(2, 6))
    client.force_login(central_user)
    url = reverse("cases:catalog_detail", args=[catalog.key])
    page = text_of(client.get(url, {"pl": "2024"}))
    assert "Mio. kr. 2024 p/l (omregnet" in page
    # By hand, from the exact amounts (factor 124,6443 / 112,1065 = 1,111839...):
    # BC01 invests 5.580 -> 6.204,06 (6,204 mio.); the four others 149 each -> 165,66
    # (0,1657 mio.). Total 6.176 -> 6.866,70 -> 6,9 mio. Rows: floors 6,2 + 4 x 0,1 =
    # 6,6; the three tenths left go to the largest remainders (0,0657 x 4 > 0,0041),
    # ties by number: BC02-BC04 0,2, BC05 0,1, BC01 6,2; they add up to 6,9.
    response = client.get(url, {"pl": "2024"})
    total = response.context["total"]
    rows = [row["overview"] for row in response.context["rows"]]
    for key in ("investment_service", "investment_capital", "full_effect_service"):
        assert sum(row[key] for row in rows) == total[key], key
    assert total["investment_capital"] == Decimal("6.9")
    assert [row["investment_capital"] for row in rows] == [
        Decimal("6.2"),
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.1"),
    ]


@pytest.mark.django_db
def test_catalogue_overview_query_count_in_another_price_level(client, central_user, price_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    catalog = bc01().catalog
    client.force_login(central_user)
    url = reverse("cases:catalog_detail", args=[catalog.key]) + "?pl=2024"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    refresh_summary(catalog.proposals.get())
    one = count()
    for i in range(2, 41):
        proposal = ProposalFactory(catalog=catalog, number=f"BC{i:02d}")
        add_line(proposal, "permanent", "saving", "service", "a", {2021: -1, 2022: -2})
        refresh_summary(proposal)
    assert count() == one


@pytest.mark.django_db
def test_catalogue_overview_ties_go_by_number_not_by_database_key(
    client, central_user, price_index
):
    """The tie-break of the converted overview is the proposal number, whatever order
    the rows were made in (the primary keys; on PostgreSQL they also depend on earlier
    tests, which made the test above fail now and then). The same proposals as above,
    made in the opposite order: BC02-BC04 still get the three tenths, BC05 none."""
    catalog = bc01_and_four_small(range(5, 1, -1))
    client.force_login(central_user)
    response = client.get(reverse("cases:catalog_detail", args=[catalog.key]), {"pl": "2024"})
    by_number = {
        row["proposal"].number: row["overview"]["investment_capital"]
        for row in response.context["rows"]
    }
    assert by_number == {
        "BC01": Decimal("6.2"),
        "BC02": Decimal("0.2"),
        "BC03": Decimal("0.2"),
        "BC04": Decimal("0.2"),
        "BC05": Decimal("0.1"),
    }
