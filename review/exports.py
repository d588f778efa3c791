"""The filtered case list as CSV and xlsx: exactly the rows of the list, in its order,
with real numbers (million kroner, one decimal, as the overview prints them; payback in
years), not formatted strings, and the last change as the Danish calendar day (a date
cell in xlsx, dd-mm-yyyy in CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

from cases.models import Proposal
from cases.spreadsheet import DECIMAL_FORMAT, INJECTION_START, number_cell, text_cell


def columns() -> list[tuple[str, str]]:
    """(key, heading) of the exported columns."""
    return [
        ("committee", _("Committee")),
        ("number", _("No.")),
        ("title", _("Proposal")),
        ("investment_service", _("Investment, service (million kr.)")),
        ("investment_capital", _("Investment, capital (million kr.)")),
        ("full_effect_service", _("Efficiency at full phase-in, service (million kr.)")),
        ("full_effect_transfers", _("Efficiency at full phase-in, transfers (million kr.)")),
        ("payback_years", _("Payback (years)")),
        ("npv", _("Present value (1,000 kr.)")),
        ("discounted_payback_years", _("Discounted payback, total economy (years)")),
        ("cross_cutting", _("Cross-cutting")),
        ("status", _("Status")),
        ("administration", pgettext_lazy("organisation", "Administration")),
        ("pool", _("Pool")),
        ("catalog", _("Catalogue")),
        ("updated_at", _("Last changed")),
    ]


NUMERIC = {
    "investment_service",
    "investment_capital",
    "full_effect_service",
    "full_effect_transfers",
    "payback_years",
    "npv",
    "discounted_payback_years",
}


DATES = {"updated_at"}
DATE_FORMAT = "DD-MM-YYYY"  # Danish dates, as the annex prints them


# the xlsx number format of a column (default: mio. kr., one decimal)
FORMATS = {"payback_years": "0", "discounted_payback_years": "0", "npv": "#,##0.00"}


def row_values(proposal: Proposal) -> dict:
    summary = proposal.figures
    return {
        "committee": proposal.committee.code if proposal.committee else "",
        "number": proposal.number,
        "title": proposal.title,
        "investment_service": summary.investment_service,
        "investment_capital": summary.investment_capital,
        "full_effect_service": summary.full_effect_service,
        "full_effect_transfers": summary.full_effect_transfers,
        "payback_years": summary.payback_years,
        "npv": summary.npv,
        "discounted_payback_years": summary.discounted_payback_years,
        "cross_cutting": _("Yes") if proposal.cross_cutting else "",
        "status": proposal.get_status_display(),
        "administration": (
            proposal.presenting_administration.code if proposal.presenting_administration else ""
        ),
        "pool": proposal.catalog.get_pool_display(),
        "catalog": proposal.catalog.key,
        "updated_at": timezone.localdate(proposal.updated_at),
    }


def _csv_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(INJECTION_START) else text


class DanishExcel(csv.excel):
    """What Danish Excel opens as columns: ";" between fields (its list separator, as the
    comma is the decimal mark), CRLF line ends; the csv module quotes a field that holds
    ";", a quote or a line break."""

    delimiter = ";"


def _csv_number(value) -> str:
    """A number with a decimal comma and no thousands separator ("-12,5"), as Danish
    Excel reads it; empty stays empty."""
    if value is None:
        return ""
    return str(value).replace(".", ",")


def to_csv(proposals: Iterable[Proposal]) -> str:
    """CSV for Danish Excel (issue 11, finding 21): UTF-8 with BOM (so Excel reads the
    Danish letters), ";"-separated (`DanishExcel`), numbers with a decimal comma, every
    field quoted as needed, and text that Excel would take for a formula ("=", "+",
    "-", "@" …) prefixed with "'"."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, dialect=DanishExcel)
    cols = columns()
    writer.writerow([heading for _key, heading in cols])
    for proposal in proposals:
        values = row_values(proposal)
        writer.writerow(
            [
                _csv_number(values[key])
                if key in NUMERIC
                else values[key].strftime("%d-%m-%Y")
                if key in DATES
                else _csv_text(values[key])
                for key, _heading in cols
            ]
        )
    return out.getvalue()


def to_xlsx(proposals: Iterable[Proposal], output) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Proposals")[:31])
    cols = columns()
    ws.append([text_cell(ws, heading) for _key, heading in cols])
    for proposal in proposals:
        values = row_values(proposal)
        cells = []
        for key, _heading in cols:
            value = values[key]
            if key in NUMERIC:
                fmt = FORMATS.get(key, DECIMAL_FORMAT)
                if isinstance(value, Decimal):
                    value = float(value)
                cells.append(number_cell(ws, value, number_format=fmt))
            elif key in DATES:
                cells.append(number_cell(ws, value, number_format=DATE_FORMAT))
            else:
                cells.append(text_cell(ws, value))
        ws.append(cells)
    wb.save(output)
