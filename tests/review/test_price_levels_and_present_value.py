"""Issue 14 in the review pages: the case list's present value and discounted payback
columns (stored with the summary, refreshed when the catalogue's settings change), in
its CSV/xlsx; totals and the committee dashboard over catalogues of different price
levels converted to one p/l first, and saying which."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from review.summaries import refresh_summary
from tests.factories import CatalogFactory

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def test_present_value_stored_with_the_summary_worked_by_hand(db):
    catalog = CatalogFactory(key="flat-2021", discount_rate_pct=Decimal("0"))
    proposal = kfu_proposal(catalog=catalog)
    # flows 2021: 500 - 100 = 400; 2022-2026: -200; horizon 10: 2027-2030 continue -200.
    # At rate 0 the present value of the gain is minus the plain sum: -(400 - 9 * 200)
    assert proposal.figures.npv == Decimal("1400.00")
    # discounted payback at rate 0 = the payback: 400 - 200 - 200 = 0 in 2023, -200 in
    # 2024 (year 4, counting 2021 as 1)
    assert proposal.figures.discounted_payback_years == 4 == proposal.figures.payback_years


def test_changing_the_rate_in_the_admin_refreshes_the_stored_present_values(client, admin_user):
    catalog = CatalogFactory(key="rate-2021", discount_rate_pct=Decimal("0"))
    proposal = kfu_proposal(catalog=catalog)
    client.force_login(admin_user)
    url = reverse("admin:cases_catalog_change", args=[catalog.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "source_file"}
    data.update(
        {
            "discount_rate_pct": "3.5",
            "poolbudget_set-TOTAL_FORMS": "0",
            "poolbudget_set-INITIAL_FORMS": "0",
        }
    )
    prefix = [f for f in client.get(url).context["inline_admin_formsets"]][0].formset.prefix
    data = {k.replace("poolbudget_set", prefix): v for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.figures.refresh_from_db()
    # by hand at a flat 3,5 %: 200 * (1 - 1,035^-9) / 0,035 = 1.521,54 of discounted
    # savings in years 1-9, less 400 in year 0: 1.121,54
    assert proposal.figures.npv == Decimal("1121.54")


def test_case_list_shows_present_value_columns_and_exports_them(client, central_user):
    proposal = kfu_proposal(catalog=CatalogFactory(key="cols-2021", discount_rate_pct=Decimal(0)))
    client.force_login(central_user)
    response = client.get(reverse("review:case_list"))
    html = response.content.decode()
    assert "Nutidsværdi (1.000 kr.)" in html
    assert "Diskonteret tilbagebetalingstid, totaløkonomi (år)" in html
    assert '<td class="num">1.400</td>' in html
    assert response.context["table"].totals["npv"] == Decimal("1400.00")
    # the column chooser can leave them out
    hidden = client.get(reverse("review:case_list") + "?kolonne=payback")
    assert "npv" not in hidden.context["table"].shown
    assert '<td class="num">1.400</td>' not in hidden.content.decode()
    data = client.get(reverse("review:case_list_xlsx")).content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    npv = rows[0].index("Nutidsværdi (1.000 kr.)")
    discounted = rows[0].index("Diskonteret tilbagebetalingstid, totaløkonomi (år)")
    assert rows[1][npv] == 1400 and rows[1][discounted] == 4
    assert proposal.number in [r[1] for r in rows]


def test_totals_over_two_price_levels_are_converted_to_the_newest(
    client, central_user, price_index
):
    old = CatalogFactory(key="pool-2020", budget_year=2020)
    new = CatalogFactory(key="pool-2021", budget_year=2021)
    kfu_proposal(catalog=old, number="A1", price_level_year=2020)
    kfu_proposal(catalog=new, number="B1", price_level_year=2021)
    client.force_login(central_user)
    response = client.get(reverse("review:case_list"))
    totals = response.context["table"].totals
    assert totals["price_level"] == 2021 and totals["converted"]
    # 0,5 mio. kr. (2020 p/l) * 112,1065 / 110,7772 = 0,50600 + 0,5 (2021 p/l) = 1,006 -> 1,0
    # and the full effects 0,2 * 1,0120 + 0,2 = 0,4024 -> 0,4 (by hand)
    assert totals["investment_service"] == Decimal("1.0")
    assert totals["full_effect_service"] == Decimal("0.4")
    page = response.content.decode()
    assert "i 2021 p/l (omregnet med pris- og lønindekset)" in page


def test_totals_say_when_a_price_level_has_no_index(client, central_user, price_index):
    kfu_proposal(catalog=CatalogFactory(key="far-2030"), number="A1", price_level_year=2030)
    kfu_proposal(catalog=CatalogFactory(key="near-2021"), number="B1", price_level_year=2021)
    client.force_login(central_user)
    response = client.get(reverse("review:case_list"))
    totals = response.context["table"].totals
    assert totals["unconverted"] == [2030] and totals["price_level"] is None
    assert "intet indeks for 2030, ikke omregnet" in response.content.decode()


def test_dashboard_over_all_catalogues_converts_to_one_price_level(
    client, central_user, price_index
):
    old = CatalogFactory(key="dash-2020", budget_year=2020)
    new = CatalogFactory(key="dash-2021", budget_year=2021)
    kfu_proposal(catalog=old, number="A1", price_level_year=2020)
    kfu_proposal(catalog=new, number="B1", price_level_year=2021)
    client.force_login(central_user)
    response = client.get(reverse("review:dashboard"), {"catalog": "", "kladder": "1"})
    assert "omregnet til 2021 p/l" in response.content.decode()
    (row,) = response.context["rows"]
    first = row["years"][0]
    # 2021: -100 (2020 p/l) * 112,1065 / 110,7772 = -101,19997 + -100 = -201,19997,
    # whole kroner -201,200 (by hand)
    assert first["year"] == 2021
    assert first["savings"] == Decimal("-201.200")
    # investments 500 * 112,1065 / 110,7772 = 505,9998 + 500 = 1.005,9998 -> 1.006,000
    assert first["investments"] == Decimal("1006.000")


def test_query_count_of_the_converted_totals_does_not_grow(client, central_user, price_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = CatalogFactory(key="qc-2020", budget_year=2020)
    new = CatalogFactory(key="qc-2021", budget_year=2021)
    kfu_proposal(catalog=old, number="A1", price_level_year=2020)
    kfu_proposal(catalog=new, number="B1", price_level_year=2021)
    client.force_login(central_user)
    url = reverse("review:case_list")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(2, 30):
        kfu_proposal(catalog=old if i % 2 else new, number=f"C{i}",
                     price_level_year=2020 if i % 2 else 2021)  # fmt: skip
    assert count() == one
    assert refresh_summary  # summaries as the services store them (kfu_proposal)
