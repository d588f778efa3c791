"""Issue 11 ("Trust"), finding 11: rounded rows add up, on the page, in the printed
annex's tables and in Excel."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.template.loader import render_to_string

from annex.xlsx_export import export_catalog_xlsx
from cases.presentation import Row, printed_rows
from tests.factories import CatalogFactory, ProposalFactory, add_line

pytestmark = pytest.mark.django_db


def shown(rows):
    return {row.label: row.cells for row in printed_rows(rows)}


def test_finding_11_two_lines_of_minus_0_4_print_as_0_and_minus_1():
    rows = [
        Row("a", [D("-0.4")]),
        Row("b", [D("-0.4")]),
        Row("I alt", [D("-0.8")], style="total"),
    ]
    assert shown(rows) == {"a": [D(0)], "b": [D(-1)], "I alt": [D(-1)]}


def test_finding_11_the_uk_councils_rows_add_up_to_their_total():
    rows = [
        Row("Income", [D("500.5")]),
        Row("Staff", [D("-268.6")]),
        Row("Premises", [D("-262.4")]),
        Row("Total", [D("-30.5")], style="total"),
    ]
    printed = shown(rows)
    assert printed == {
        "Income": [D(500)],
        "Staff": [D(-269)],
        "Premises": [D(-262)],
        "Total": [D(-31)],
    }


def test_finding_11_totals_add_up_to_the_grand_total_and_lines_to_their_total():
    rows = [
        Row("p1", [D("-0.4"), None]),
        Row("p2", [D("-0.4"), D("2.5")]),
        Row("Varig", [D("-0.8"), D("2.5")], style="total"),
        Row("i1", [D("500.6"), D("0.5")]),
        Row("Impl", [D("500.6"), D("0.5")], style="total"),
        Row("Netto", [D("499.8"), D("3")], style="grand-total"),
        Row("Akkumuleret", [D("499.8"), D("502.8")], style="cumulative"),
    ]
    printed = shown(rows)
    for column in (0, 1):
        lines = [printed[k][column] or 0 for k in ("p1", "p2")]
        assert sum(lines) == printed["Varig"][column]
        assert printed["Varig"][column] + printed["Impl"][column] == printed["Netto"][column]
    assert printed["Netto"] == [D(500), D(3)]
    assert printed["p1"][1] is None
    assert printed["Akkumuleret"] == [D(500), D(503)]


def test_finding_11_whole_amounts_print_as_before():
    rows = [
        Row("a", [D(-517)]),
        Row("b", [D(1034)]),
        Row("I alt", [D(517)], style="total"),
    ]
    assert shown(rows) == {"a": [D(-517)], "b": [D(1034)], "I alt": [D(517)]}


@pytest.fixture
def tenths(db):
    proposal = ProposalFactory(catalog=CatalogFactory(key="tiendedele"))
    add_line(proposal, "permanent", "saving", "service", "Lys", {2021: "-0.4"})
    add_line(proposal, "permanent", "saving", "service", "Varme", {2021: "-0.4"})
    return proposal


def test_finding_11_the_proposal_page_prints_rows_that_add_up(logged_in, tenths):
    response = logged_in.get(tenths.get_absolute_url())
    table = response.context["economy"]
    printed = {row.label: row.cells[0] for row in table.printed_rows if row.cells}
    assert (printed["Lys"], printed["Varme"], printed["Samlet varig ændring"]) == (
        D(0),
        D(-1),
        D(-1),
    )


def test_finding_11_the_printed_annex_table_prints_the_rows_that_add_up(tenths):
    from annex.printing import economy_table
    from cases.selectors import figures_for, proposals_with_inputs

    proposal = proposals_with_inputs().get(pk=tenths.pk)
    table = economy_table(proposal, figures_for(proposal), proposal.catalog.pool)
    html = render_to_string("annex/_table.html", {"table": table})
    row = html[html.index("Varme") :]
    assert '<td class="num">-1</td>' in row[: row.index("</tr>")]


def test_finding_11_excel_shows_decimals_when_the_amounts_have_them(tenths):
    out = io.BytesIO()
    export_catalog_xlsx(tenths.catalog, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith(tenths.number))
    cells = [c for row in sheet.iter_rows() for c in row if c.value == D("-0.4") or c.value == -0.4]
    assert cells and all(c.number_format.startswith("#,##0.00") for c in cells)
