"""The present value and sensitivity figures are the same on the proposal page, in the
proposal's PDF and in the catalogue's Excel workbook (issue 14)."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from annex import pdf
from annex.xlsx_export import APPRAISAL_SHEET, export_catalog_xlsx
from cases.appraisal import appraisal_for, appraisal_settings, summary_rows, switching_rows
from cases.selectors import figures_for
from finance.formatting import format_amount
from finance.rounding import round_half_up

from ..cases.test_pages import text_of
from ..factories import bc01
from .conftest import pdftotext, save_pngs

pytestmark = [pytest.mark.slow, pytest.mark.tools("pdftotext", "pdftoppm")]


def shown(value) -> str:
    """A present value as every medium shows it: whole 1.000 kr., half up, Danish."""
    return format_amount(round_half_up(value, 0), 0)


def years(value) -> str:
    return "ingen" if value is None else str(value)


@pytest.mark.django_db
def test_page_pdf_and_excel_show_the_same_figures(client, central_user, tmp_path):
    proposal = bc01()
    catalog = proposal.catalog
    # the default keeps the print the seeds' document: no appraisal rows, no sheet
    out = tmp_path / "plain.pdf"
    pdf.render_proposal_pdf(proposal, out)
    assert "Nutidsværdi" not in pdftotext(out)
    buffer = io.BytesIO()
    export_catalog_xlsx(catalog, buffer)
    assert APPRAISAL_SHEET not in openpyxl.load_workbook(buffer).sheetnames

    catalog.print_appraisal = True
    catalog.save()
    appraisal = appraisal_for(figures_for(proposal), appraisal_settings(catalog))
    expected = [
        (row.label, years(row.payback_years), years(row.discounted_payback_years), shown(row.npv))
        for row in summary_rows(appraisal)
    ]
    assert expected[0] == ("Som indtastet", "6", "7", "2.803")  # BC01 by hand: 2.803,35

    client.force_login(central_user)
    page = text_of(client.get(proposal.get_absolute_url()))
    out = tmp_path / "appraisal.pdf"
    pdf.render_proposal_pdf(proposal, out)
    printed = re.sub(r"\s+", " ", pdftotext(out))
    buffer = io.BytesIO()
    export_catalog_xlsx(catalog, buffer)
    sheet = openpyxl.load_workbook(buffer)[APPRAISAL_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    (excel,) = [row for row in rows[3:] if row[0] == "BC01"]

    for label, payback, discounted, npv in expected:
        line = f"{label} {payback} {discounted} {npv}"
        assert line in page, line
        assert line in printed, line
        column = header.index(f"Nutidsværdi: {label}")
        assert shown(Decimal(str(excel[column]))) == npv  # openpyxl reads a float
    assert str(excel[2]) == expected[0][1] and str(excel[3]) == expected[0][2]
    for label, value in switching_rows(appraisal):
        text = f"{label} {format_amount(value, 1)} %"
        assert text in page, text
        assert text in printed, text
        assert Decimal(str(excel[header.index(label)])) == value
    save_pngs(out, "proposal-bc01-appraisal", pages=2)
