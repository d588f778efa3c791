"""A catalogue as an Excel workbook (openpyxl, write-only: memory stays flat).

"Oversigt" lists the proposals as the overview table does; each proposal has its own
sheet with the year grid as numbers and the totals as LIVE FORMULAS (SUM over the lines,
net, cumulative, the key figures of the overview), so a finance officer can audit them.
The formulas give the engine's numbers (tests recalculate the workbook with LibreOffice);
the payback years are the engine's values, written as numbers, because the rule extends
the table past its last year.

Text is never written as a formula: a cell whose text begins with "=", "+", "-" or "@"
is written as a string (with Excel's quote prefix), so a proposal title cannot inject a
formula into a finance officer's spreadsheet.
"""

from __future__ import annotations

import re
from copy import copy
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from cases.models import Catalog
from cases.selectors import grid_lines, line_amounts
from finance import engine
from followup.report import catalogue_report, report_sheet_rows

from .pdf import figures_of, select_proposals

AMOUNT_FORMAT = "#,##0;-#,##0"
DECIMAL_FORMAT = "#,##0.0;-#,##0.0"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
INJECTION_START = ("=", "+", "-", "@", "\t", "\r")

SECTION_LABELS = {"permanent": "Varig ændring", "implementation": "Implementering"}
AREA_LABELS = {
    "service": "Service",
    "transfers": "Overførsler",
    "capital": "Anlæg",
    "operating": "Drift",
}


def _styled(cell: WriteOnlyCell, number_format: str | None, style: dict) -> WriteOnlyCell:
    """Apply a number format and styles; each combination is resolved once per workbook
    and copied afterwards (openpyxl hashes every style on assignment, which dominates the
    export of a large catalogue)."""
    if number_format is None and not style:
        return cell
    # Style indices belong to one workbook: the cache lives on the workbook.
    styles = cell.parent.parent.__dict__.setdefault("_bilag_style_cache", {})
    key = (number_format, *sorted((k, repr(v)) for k, v in style.items()))
    cached = styles.get(key)
    if cached is None:
        if number_format is not None:
            cell.number_format = number_format
        for name, val in style.items():
            setattr(cell, name, val)
        styles[key] = copy(cell._style)
    else:
        cell._style = copy(cached)
    return cell


def text_cell(ws, value: Any, **style) -> WriteOnlyCell:
    """A cell that is text whatever its first character (formula-injection safe)."""
    cell = WriteOnlyCell(ws, value=None if value is None else str(value))
    if cell.value is not None:
        cell.data_type = "s"
        if cell.value.startswith(INJECTION_START):
            style = {**style, "quotePrefix": True}
    return _styled(cell, None, style)


def number_cell(ws, value: Decimal | int | None, number_format=AMOUNT_FORMAT, **style):
    """A number with its format; an empty cell stays empty (None: no cell is written)."""
    if value is None and not style:
        return None
    return _styled(WriteOnlyCell(ws, value=value), number_format, style)


def formula_cell(ws, formula: str, number_format=AMOUNT_FORMAT, **style):
    return _styled(WriteOnlyCell(ws, value=formula), number_format, style)


def sheet_name(number: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", number)[:28] or "Forslag"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:25]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


FIRST_YEAR_COL = 4  # A label, B section, C area, D.. years


def write_proposal_sheet(wb: Workbook, name: str, proposal, figures: engine.Figures) -> dict:
    """One proposal's sheet; returns the cell addresses of its key figures."""
    ws = wb.create_sheet(name)
    years = list(figures.years)
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 13
    for i in range(len(years)):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COL + i)].width = 11
    ws.freeze_panes = "D4"

    def col(i: int) -> str:
        return get_column_letter(FIRST_YEAR_COL + i)

    ws.append([text_cell(ws, f"{proposal.number} {proposal.title}", font=Font(bold=True, size=12))])
    ws.append([text_cell(ws, f"1.000 kr. {proposal.price_level_year} p/l")])
    header = [
        text_cell(ws, v, font=BOLD, fill=HEADER_FILL) for v in ("Linje", "Afsnit", "Styringsområde")
    ]
    header += [number_cell(ws, y, "0", font=BOLD, fill=HEADER_FILL) for y in years]
    ws.append(header)
    row = 3
    ranges: dict[str, tuple[int, int]] = {}
    for section in ("permanent", "implementation"):
        lines = [ln for ln in grid_lines(proposal) if ln.section == section]
        first = row + 1
        for ln in lines:
            amounts = line_amounts(ln)
            ws.append(
                [
                    text_cell(ws, ln.label),
                    text_cell(ws, SECTION_LABELS[section]),
                    text_cell(ws, AREA_LABELS.get(ln.area or "service")),
                ]
                + [number_cell(ws, amounts.get(y)) for y in years]
            )
            row += 1
        ranges[section] = (first, row)

    def total_formula(i: int, section: str) -> str:
        first, last = ranges[section]
        if last < first:
            return '=""'
        cells = f"{col(i)}{first}:{col(i)}{last}"
        return f'=IF(COUNT({cells})=0,"",SUM({cells}))'

    rows: dict[str, int] = {}
    for key, label in (
        ("permanent", "Samlet varig ændring"),
        ("implementation", "Samlede implementeringsomkostninger"),
    ):
        ws.append(
            [text_cell(ws, label, font=BOLD), None, None]
            + [formula_cell(ws, total_formula(i, key), font=BOLD) for i in range(len(years))]
        )
        row += 1
        rows[key] = row
    p, m = rows["permanent"], rows["implementation"]
    ws.append(
        [text_cell(ws, "Samlet økonomisk påvirkning", font=BOLD), None, None]
        + [
            formula_cell(
                ws,
                f'=IF(AND({col(i)}{p}="",{col(i)}{m}=""),"",N({col(i)}{p})+N({col(i)}{m}))',
                font=BOLD,
            )
            for i in range(len(years))
        ]
    )
    row += 1
    net = row
    cumulative = []
    for i in range(len(years)):
        if i == 0:
            cumulative.append(f'=IF({col(0)}{net}="","",{col(0)}{net})')
        else:
            prev = f"{col(i - 1)}{net + 1}"
            cumulative.append(f'=IF({col(i)}{net}="",{prev},IF({prev}="",0,{prev})+{col(i)}{net})')
    ws.append(
        [text_cell(ws, "Akkumuleret økonomisk påvirkning")]
        + [None, None]
        + [formula_cell(ws, f) for f in cumulative]
    )
    row += 1
    ws.append([])
    row += 1

    lines_first = min(r[0] for r in ranges.values())
    lines_last = max(r[1] for r in ranges.values())
    grid = f"$D${lines_first}:${col(len(years) - 1)}${lines_last}"
    last_year = f"${col(len(years) - 1)}${lines_first}:${col(len(years) - 1)}${lines_last}"
    sect = f"$B${lines_first}:$B${lines_last}"
    area = f"$C${lines_first}:$C${lines_last}"
    impl, perm = SECTION_LABELS["implementation"], SECTION_LABELS["permanent"]
    key_figures = [
        (
            "investment_service",
            "Investering, service (inkl. drift)",
            f'=SUMPRODUCT(({sect}="{impl}")*(({area}="Service")+({area}="Drift"))*{grid})',
        ),
        (
            "investment_capital",
            "Investering, anlæg",
            f'=SUMPRODUCT(({sect}="{impl}")*({area}="Anlæg")*{grid})',
        ),
        (
            "full_effect_service",
            "Fuld effekt, service (sidste år)",
            f'=SUMPRODUCT(({sect}="{perm}")*({area}="Service"),{last_year})',
        ),
        (
            "full_effect_transfers",
            "Fuld effekt, overførsler (sidste år)",
            f'=SUMPRODUCT(({sect}="{perm}")*({area}="Overførsler"),{last_year})',
        ),
    ]
    addresses = {}
    ws.append([text_cell(ws, "Nøgletal (1.000 kr.)", font=BOLD)])
    row += 1
    if lines_last < lines_first or not any(last >= first for first, last in ranges.values()):
        key_figures = [(key, label, "=0") for key, label, _ in key_figures]
    for key, label, formula in key_figures:
        ws.append([text_cell(ws, label), None, None, formula_cell(ws, formula)])
        row += 1
        addresses[key] = f"{quote_sheetname(name)}!$D${row}"
    for key, label, value in (
        (
            "payback_years_service",
            "Tilbagebetalingstid baseret på serviceeffektivisering (år)",
            figures.payback_years_service,
        ),
        (
            "payback_years_total",
            "Tilbagebetalingstid baseret på totaløkonomi (år)",
            figures.payback_years_total,
        ),
    ):
        ws.append([text_cell(ws, label), None, None, number_cell(ws, value, "0")])
        row += 1
        addresses[key] = f"{quote_sheetname(name)}!$D${row}"
    ws.append(
        [
            text_cell(
                ws,
                "Tilbagebetalingstiden er beregnet af Bilag efter reglen i "
                "budget-cases/1 (tabellens sidste år fortsætter).",
            )
        ]
    )
    ws.append([text_cell(ws, "Alle besparelser er angivet med negativt (-) fortegn.")])
    addresses["rows"] = {"permanent": p, "implementation": m, "net": net, "cumulative": net + 1}
    return addresses


def export_catalog_xlsx(catalog: Catalog, output, *, statuses=None, user=None) -> int:
    """Write the catalogue's workbook to `output` (path or binary file); returns the
    number of proposals. When the catalogue has adopted proposals, a last sheet
    "Opfølgning" holds the follow-up report (with `user`, only the plans that user may
    read)."""
    items = figures_of(select_proposals(catalog, statuses, user=user))
    wb = Workbook(write_only=True)
    overview = wb.create_sheet("Oversigt")
    overview.freeze_panes = "A4"
    for letter, width in zip("ABCDEFGHI", (8, 10, 60, 11, 11, 11, 13, 13, 13), strict=True):
        overview.column_dimensions[letter].width = width
    title = f"{catalog.annex} – {catalog.title}" if catalog.annex else catalog.title
    overview.append([text_cell(overview, title, font=Font(bold=True, size=12))])
    overview.append([text_cell(overview, f"Mio. kr. · budget {catalog.budget_year}")])
    overview.append(
        [
            text_cell(overview, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
            for h in (
                "Udvalg",
                "NR",
                "Forslag",
                "Investering service",
                "Investering anlæg",
                "Fuld effekt service",
                "Fuld effekt overførsler mv.",
                "Tilbagebetalingstid (år)",
                "Innovationspulje",
            )
        ]
    )
    taken = {"oversigt"}
    sheets = []
    for proposal, figures in items:
        name = sheet_name(proposal.number, taken)
        sheets.append((proposal, figures, name))
    first_data = 4
    for proposal, _figures, name in sheets:
        ref = _key_refs(name, proposal)
        overview.append(
            [
                text_cell(overview, proposal.committee.code if proposal.committee else ""),
                text_cell(overview, ("*" if proposal.cross_cutting else "") + proposal.number),
                text_cell(overview, proposal.title),
                formula_cell(
                    overview, f"=ROUND({ref['investment_service']}/1000,1)", DECIMAL_FORMAT
                ),
                formula_cell(
                    overview, f"=ROUND({ref['investment_capital']}/1000,1)", DECIMAL_FORMAT
                ),
                formula_cell(
                    overview, f"=ROUND(-{ref['full_effect_service']}/1000,1)", DECIMAL_FORMAT
                ),
                formula_cell(
                    overview, f"=ROUND(-{ref['full_effect_transfers']}/1000,1)", DECIMAL_FORMAT
                ),
                number_cell(overview, _figures.payback_years_service, "0"),
                formula_cell(
                    overview,
                    f"=ROUND(({ref['investment_service']}+{ref['investment_capital']})/1000,1)",
                    DECIMAL_FORMAT,
                ),
            ]
        )
    last = first_data + len(sheets) - 1
    total = [text_cell(overview, "I alt", font=BOLD), None, None]
    for letter in "DEFG":
        total.append(
            formula_cell(
                overview,
                f"=SUM({letter}{first_data}:{letter}{last})" if sheets else "=0",
                DECIMAL_FORMAT,
                font=BOLD,
            )
        )
    total.append(None)
    total.append(
        formula_cell(
            overview, f"=SUM(I{first_data}:I{last})" if sheets else "=0", DECIMAL_FORMAT, font=BOLD
        )
    )
    overview.append(total)
    overview.append([text_cell(overview, "*Tværgående forslag")])
    for proposal, figures, name in sheets:
        written = write_proposal_sheet(wb, name, proposal, figures)
        expected = _key_refs(name, proposal)
        assert all(written[k] == v for k, v in expected.items()), (written, expected)
    report = catalogue_report(catalog, user)
    if report["entries"]:
        write_followup_sheet(wb, sheet_name(FOLLOWUP_SHEET, taken), report)
    wb.save(output)
    return len(sheets)


FOLLOWUP_SHEET = "Opfølgning"
DATE_FORMAT = "dd-mm-yyyy"


def followup_cell(ws, value: Any, bold: bool = False, **style):
    """A value of `followup.report.report_sheet_rows`: numbers as numbers (amounts with
    the thousands format, a measured value with its own decimals), dates as dates, text
    as injection-safe text."""
    style = {**style, "font": BOLD} if bold else style
    if value is None or isinstance(value, bool):
        return text_cell(ws, None if value is None else str(value), **style)
    if isinstance(value, date):
        return _styled(WriteOnlyCell(ws, value=value), DATE_FORMAT, style)
    if isinstance(value, int):
        return _styled(WriteOnlyCell(ws, value=value), "0", style)
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
        fmt = AMOUNT_FORMAT if places == 0 else f"#,##0.{'0' * places}"
        return _styled(WriteOnlyCell(ws, value=value), fmt, style)
    return text_cell(ws, value, **style)


def write_followup_sheet(wb: Workbook, name: str, report: dict) -> None:
    """The follow-up report's rows (`report_sheet_rows`) as a sheet: each proposal's
    heading in bold, the year header and criteria header in the header style."""
    ws = wb.create_sheet(name)
    for letter, width in zip("ABCDEFGHIJKL", (46, 16, 12, 12, 12, *[11] * 7), strict=True):
        ws.column_dimensions[letter].width = width
    rows = report_sheet_rows(report)
    for i, row in enumerate(rows):
        heading = len(row) == 1 and (i == 0 or not rows[i - 1])
        header = bool(row) and row[0] in ("Succeskriterium", "1.000 kr.")
        if header:
            ws.append([followup_cell(ws, v, bold=True, fill=HEADER_FILL) for v in row])
        else:
            ws.append([followup_cell(ws, v, bold=heading) for v in row])


def _key_refs(name: str, proposal) -> dict[str, str]:
    """Addresses of a proposal sheet's key figures, known before the sheet is written
    (write-only sheets are written in order): they follow the grid at fixed offsets."""
    n_lines = len(grid_lines(proposal))
    # rows: 1 title, 2 unit, 3 header, 4.. lines, then 2 totals, net, cumulative, blank,
    # "Nøgletal" heading, then the key figures.
    first_key = 3 + n_lines + 2 + 1 + 1 + 1 + 1 + 1
    keys = [
        "investment_service",
        "investment_capital",
        "full_effect_service",
        "full_effect_transfers",
        "payback_years_service",
        "payback_years_total",
    ]
    sheet = quote_sheetname(name)
    return {key: f"{sheet}!$D${first_key + i}" for i, key in enumerate(keys)}
