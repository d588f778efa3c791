"""The pool's portfolio (`cases.portfolio.catalog_portfolio`) as an Excel workbook and
as a printable annex page (PDF): the same page object, so the same figures as the page
central finance reads. Nothing is computed here; the figures come from
`finance.portfolio` through `cases.portfolio`."""

from __future__ import annotations

import io

import pikepdf
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from pikepdf import Name

from cases.models import Catalog
from cases.portfolio import CRITERIA, PortfolioPage
from cases.spreadsheet import AMOUNT_FORMAT, number_cell, text_cell
from finance.portfolio import Portfolio

from . import printing
from .stamp import stamp_page_numbers
from .weasy import html_to_pdf_counted

PRINT_LANGUAGE = "da"
YEAR_HEADINGS = (
    "År",
    "Ramme",
    "Investeringer",
    "Tilbage af rammen",
    "Varige ændringer",
    "Netto",
    "Akkumuleret netto",
)


def _year_rows(ws, portfolio: Portfolio) -> list[list]:
    rows = [[text_cell(ws, h) for h in YEAR_HEADINGS]]
    for row in portfolio.years:
        rows.append(
            [
                number_cell(ws, row.year, "0"),
                *(
                    number_cell(ws, value, AMOUNT_FORMAT)
                    for value in (
                        row.budget,
                        row.investment,
                        row.left,
                        row.permanent,
                        row.net,
                        row.cumulative_net,
                    )
                ),
            ]
        )
    rows.append(
        [
            text_cell(ws, "I alt"),
            *(
                number_cell(ws, value, AMOUNT_FORMAT)
                for value in (
                    portfolio.budget,
                    portfolio.investment,
                    portfolio.left,
                    portfolio.permanent,
                    portfolio.net,
                )
            ),
        ]
    )
    return rows


def portfolio_xlsx(catalog: Catalog, page: PortfolioPage, output) -> None:
    """Two sheets, values as numbers (1.000 kr.): "Puljen" (the recommended and adopted
    proposals per year against the budget) and "Forslag til prioritering" (the ranked
    suggestion, marked as a suggestion, and its years)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Puljen")
    ws.append([text_cell(ws, f"{catalog.title}: puljen over for rammen (1.000 kr.)")])
    ws.append(
        [
            text_cell(ws, "Indstillede og vedtagne forslag: "),
            text_cell(ws, "; ".join(f"{c.proposal.number} {c.proposal.title}"
                                    for c in page.chosen_candidates) or "ingen"),
        ]
    )  # fmt: skip
    for row in _year_rows(ws, page.chosen):
        ws.append(row)
    ws = wb.create_sheet("Forslag til prioritering")
    ws.append(
        [
            text_cell(
                ws,
                f"Et forslag, ikke en beslutning: rangordnet efter {CRITERIA[page.criterion]}"
                "; hvert forslag tages med, hvis rammen holder hvert år.",
            )
        ]
    )
    ws.append(
        [
            text_cell(ws, h)
            for h in (
                "Rang",
                "NR",
                "Forslag",
                "Investering (1.000 kr.)",
                "Tilbagebetalingstid (år)",
                "Nutidsværdi (1.000 kr.)",
                "Med i forslaget",
            )
        ]
    )
    for rank, (candidate, taken) in enumerate(page.ranked, start=1):
        item = candidate.item
        ws.append(
            [
                number_cell(ws, rank, "0"),
                text_cell(ws, candidate.proposal.number),
                text_cell(ws, candidate.proposal.title),
                number_cell(ws, item.total_investment, AMOUNT_FORMAT),
                number_cell(ws, item.payback_years, "0"),
                number_cell(ws, item.npv, AMOUNT_FORMAT),
                text_cell(ws, "Ja" if taken else "Nej (over rammen)"),
            ]
        )
    ws.append([])
    for row in _year_rows(ws, page.suggested):
        ws.append(row)
    wb.save(output)


def portfolio_html(catalog: Catalog, page: PortfolioPage) -> str:
    """The portfolio as a print document (the annex's page frame: A4, running header)."""
    with translation.override(PRINT_LANGUAGE):
        return render_to_string(
            "annex/portfolio.html",
            {
                "catalog": catalog,
                "header": printing.running_header(catalog),
                "page": page,
                "criterion": CRITERIA[page.criterion],
            },
        )


def render_portfolio_pdf(catalog: Catalog, page: PortfolioPage) -> bytes:
    """The portfolio as an annex page, PDF bytes, pages numbered "side X af Y"."""
    data = html_to_pdf_counted(portfolio_html(catalog, page))[0]
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stamp_page_numbers(pdf, skip_first=False)
        pdf.docinfo[Name.Title] = f"Puljen over for rammen: {printing.running_header(catalog)}"
        pdf.docinfo[Name.Creator] = "Bilag"
        pdf.save(output)
    return output.getvalue()
