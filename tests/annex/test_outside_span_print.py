"""Citizen 2018 Forslag 3 prints its potential ("Tabel 3. Fordeling af forslagens
potentiale mellem udvalg") under 2017–2020 in a proposal of 2016–2019. The amounts were
stored, but the print and the workbook showed only the span's years: the 2020 column
(−5.000 for KFU, −6.500 in total) was missing. Now a distribution table's years are
the years its rows hold figures in when they reach outside the span
(`finance.technical_annex.table_years`), in the PDF, the workbook's "Teknisk bilag"
and on the proposal page alike."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.utils import translation

from annex import pdf, printing, technical
from annex.xlsx_export import export_catalog_xlsx
from cases.models import Proposal
from cases.presentation import distribution_tables
from cases.selectors import figures_for
from committees.models import Committee

from .conftest import pdftotext, save_pngs
from .test_technical_print import figure_row

KFU = "Kultur- og Fritidsudvalget - ekskl. koncernenhed"


def forslag_3() -> Proposal:
    return Proposal.objects.get(catalog__key="citizen-2018", number="3")


def potential_table(proposal):
    org = technical.Organisation.from_committees(Committee.objects.order_by("order", "code"))
    with translation.override("da"):
        tables = printing.technical_tables(proposal, figures_for(proposal), org, "efficiency")
    return next(t for t in tables if t.role == "service")


@pytest.mark.django_db
def test_the_potential_table_has_the_years_its_rows_hold(reference_catalogs):
    table = potential_table(forslag_3())
    assert table.years == (2017, 2018, 2019, 2020)
    kfu = [r for r in table.rows if r.label == KFU]
    by_kind = {(r.label, r.kind): r.cells for r in table.rows}
    assert by_kind[(KFU, "Effektivisering")] == [D(-2350), D(-3600), D(-5000), D(-5000)]
    totals = [r.cells for r in table.rows if r.style == "total"]
    assert totals == [[D(-2550), D(-4600), D(-6500), D(-6500)],
                      [D(1325), D(2750), D(3075), D(3075)]]  # fmt: skip
    assert kfu


@pytest.mark.django_db
def test_the_proposal_page_shows_the_distribution_years_outside_the_span(reference_catalogs):
    tables = {t.subject: t for t in distribution_tables(figures_for(forslag_3()))}
    saving = tables["permanent_saving"]
    # the engine's total (the lines') stands in 2016–2019, the rows in 2017–2020
    assert saving.years == (2016, 2017, 2018, 2019, 2020)
    assert saving.total == [D(-2550), D(-4600), D(-6500), D(-6500), D(-6500)]
    kfu = next(r for r in saving.rows if r.label == KFU)
    assert kfu.cells == [None, D(-2350), D(-3600), D(-5000), D(-5000)]


@pytest.mark.django_db
def test_the_workbook_prints_the_2020_column(reference_catalogs):
    buffer = io.BytesIO()
    export_catalog_xlsx(forslag_3().catalog, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    rows = [tuple(r) for r in book["Teknisk bilag"].iter_rows(values_only=True)]
    caption = next(i for i, r in enumerate(rows) if "potentiale" in str(r[0]))
    header = next(r for r in rows[caption:] if 2020 in r)
    assert [v for v in header if isinstance(v, int)] == [2017, 2018, 2019, 2020]
    kfu = next(r for r in rows[caption:] if r[0] == KFU)
    assert [D(str(v)) for v in kfu[-4:]] == [D(-2350), D(-3600), D(-5000), D(-5000)]


@pytest.mark.slow
@pytest.mark.tools("pdftotext", "pdftoppm")
@pytest.mark.django_db
def test_the_pdf_prints_the_2020_column(reference_catalogs, tmp_path):
    path = tmp_path / "citizen-3.pdf"
    pdf.render_proposal_pdf(forslag_3(), path)
    save_pngs(path, "citizen-3-outside-span", pages=6)
    text = pdftotext(path)
    assert ["Effektivisering", "79,16%", "-2.350,00", "-3.600,00", "-5.000,00",
            "-5.000,00"] in [cells[-6:] for cells in figure_row(text, KFU)]  # fmt: skip
    assert ["Effektivisering", "100%", "-2.550,00", "-4.600,00", "-6.500,00",
            "-6.500,00"] in figure_row(text, "I alt")  # fmt: skip
