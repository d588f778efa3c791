"""The catalogue's workbook in another price level ("Vis i 2024 p/l" in Excel, issue 14):
every amount converted as the proposal page converts it, the units saying so; a refused
choice is said on the catalogue page, never a 500."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from annex.xlsx_export import APPRAISAL_SHEET, export_catalog_xlsx
from cases.price_levels import choose_price_level

from ..cases.test_pages import text_of
from ..factories import bc01

pytestmark = pytest.mark.django_db


def workbook(catalog, pl) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    export_catalog_xlsx(catalog, buffer, price_level=choose_price_level(pl))
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def test_workbook_in_another_price_level_matches_the_page(client, central_user, price_index):
    proposal = bc01()
    catalog = proposal.catalog
    catalog.print_appraisal = True
    catalog.save()
    wb = workbook(catalog, "2024")
    assert wb["Oversigt"]["A2"].value.startswith("Mio. kr. 2024 p/l")
    sheet = wb["BC01"]
    assert sheet["A2"].value == "1.000 kr. 2024 p/l"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    # by hand: -517 * 124,6443 / 112,1065 = -574,820; -1.034 -> -1.149,641; 5.580 -> 6.204,058
    saving, investment = rows["Energibesparelse"], rows["Anlægsinvestering"]
    assert [Decimal(str(v)) for v in saving[3:5]] == [Decimal("-574.82"), Decimal("-1149.641")]
    assert Decimal(str(investment[3])) == Decimal("6204.058")
    # the proposal page in 2024 p/l shows the same amounts (whole 1.000 kr.)
    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url(), {"pl": "2024"}))
    assert "Energibesparelse Service -575 -1.150" in page
    assert "Anlægsinvestering Anlæg 6.204" in page
    # and the same present value, computed from the converted figures
    appraisal = {r[0]: r for r in wb[APPRAISAL_SHEET].iter_rows(values_only=True) if r}
    npv = round(Decimal(str(appraisal["BC01"][4])))
    assert f"Som indtastet 6 7 {npv:,}".replace(",", ".") in page


def test_own_price_level_is_unchanged(price_index):
    proposal = bc01()
    wb = workbook(proposal.catalog, "")
    assert wb["BC01"]["A2"].value == "1.000 kr. 2021 p/l"


@pytest.mark.parametrize("pl", ["abc", "2099"])
def test_refused_price_level_is_said_on_the_catalogue_page(client, central_user, price_index, pl):
    proposal = bc01()
    client.force_login(central_user)
    url = reverse("annex:xlsx", args=[proposal.catalog.key])
    response = client.get(url, {"pl": pl}, follow=True)
    assert response.status_code == 200
    text = text_of(response)
    assert "er ikke et år" in text or "intet pris- og lønindeks for 2099" in text
