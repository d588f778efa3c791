"""A catalogue as an Excel workbook (openpyxl, write-only: memory stays flat).

"Oversigt" lists the proposals as the overview table does; each proposal has its own
sheet with the year grid as numbers and the totals as LIVE FORMULAS (SUM over the lines,
net, cumulative, the key figures of the overview), so a finance officer can audit them.
The formulas give the engine's numbers (tests recalculate the workbook with LibreOffice);
the payback years are live formulas of the rule too (`PaybackRows`: the rule extends the
table past its last year by the last year's permanent change), written with the engine's
figure as their stored value so that a reader who does not recalculate sees it.
After the proposals: "Administration", "Årsværk", "Specifikationer" and "Teknisk bilag"
(`annex.xlsx_sheets`), each only when some proposal has something for it.

Text is never written as a formula: a cell whose text begins with "=", "+", "-" or "@"
is written as a string (with Excel's quote prefix), so a proposal title cannot inject a
formula into a finance officer's spreadsheet.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.xml.functions import fromstring as xml_fromstring

from cases.appraisal import appraisal_for, appraisal_settings, summary_rows, switching_rows
from cases.models import Catalog
from cases.presentation import AREA_LABELS
from cases.price_levels import capital_note, convert_proposal_case
from cases.selectors import case_from_proposal, grid_lines, line_amounts

# The cell primitives live in cases.spreadsheet (the review's list export uses them too);
# imported here under their old names, which this module and its callers keep using.
from cases.spreadsheet import (  # noqa: F401
    AMOUNT_FORMAT,
    DECIMAL_FORMAT,
    INJECTION_START,
    formula_cell,
    number_cell,
    text_cell,
)
from cases.spreadsheet import styled as _styled
from committees.models import Committee
from finance import engine, prices
from finance.overview import SUMMED
from followup.report import catalogue_report, report_sheet_rows

from .pdf import PRINT_LANGUAGE, stream_figures, stream_proposals
from .xlsx_sheets import DetailSheets

CENTS_FORMAT = "#,##0.00;-#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=12)

SECTION_LABELS = {"permanent": "Varig ændring", "implementation": "Implementering"}


def new_sheet(wb: Workbook, name: str):
    """`wb.create_sheet(name)` for a name that `sheet_name` made unique. openpyxl checks
    every new title against every sheet's (quadratic in the number of sheets: a third
    of a second for a catalogue of 1,000 proposals); the check is run against an empty
    list instead, as the name is known to be new."""
    sheets, wb._sheets = wb._sheets, []
    try:
        ws = wb.create_sheet(name)
    finally:
        wb._sheets = sheets
    sheets.append(ws)
    assert ws.title == name, (ws.title, name)
    return ws


class WrittenSheet(WriteOnlyWorksheet):
    """What is left of a proposal sheet once its file is written: the little that
    openpyxl's `ExcelWriter` and `WorkbookWriter` read of a write-only sheet when the
    workbook is saved (its title, the file to zip, no drawings, tables, comments or
    defined names), in place of the worksheet itself.

    An openpyxl worksheet keeps ~22 KB of objects (column dimensions, views, print
    settings, header and footer, each a tree of descriptors) until the workbook is
    saved: 110 MB for a catalogue of 5,000 proposals (issue 13: Excel export <= 300 MB at
    5,000), though nothing of it is read again after the sheet's file is closed."""

    closed = True
    legacy_drawing = None
    sheet_state = "visible"
    auto_filter = None
    print_titles = None
    print_area = None
    defined_names = MappingProxyType({})
    _tables = MappingProxyType({})
    _charts = _images = _comments = _pivots = ()

    def __init__(self, ws: WriteOnlyWorksheet):
        assert ws.closed and not (ws._charts or ws._images or ws._tables or ws._comments)
        self._parent = ws.parent
        self._WorkbookChild__title = ws.title
        self._writer = _WrittenFile(ws._writer.out)


class _WrittenFile:
    """The part of openpyxl's `WorksheetWriter` the workbook's writer uses after a sheet
    is closed: its file and (none) relationships; `cleanup` removes the file."""

    cleanup = WorksheetWriter.cleanup

    def __init__(self, out: str):
        self.out = out
        self._rels = RelationshipList()


def retire_sheet(wb: Workbook, ws) -> None:
    """Replace a closed write-only sheet by its `WrittenSheet` (same place, same file)."""
    sheets = wb._sheets
    index = len(sheets) - 1 if sheets[-1] is ws else sheets.index(ws)
    sheets[index] = WrittenSheet(ws)


def sheet_name(number: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", number)[:28] or "Forslag"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:25]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


class LeanRows:
    """The rows of one write-only sheet, serialised as the sheet XML that openpyxl itself
    writes, without a Cell object per cell.

    openpyxl spends about 30 µs on every cell (a WriteOnlyCell, value binding, the style
    lookup, lxml's incremental writer): for the proposal sheets of a catalogue of 1,000
    proposals (~95,000 cells) that was most of the export. Here a row is a list of
    (kind, value, style id) triples or None — a formula may carry a fourth item, its
    stored value (a number, or None for "") — turned into text and handed to openpyxl's
    sheet writer as one parsed <sheetData> element (openpyxl still writes the sheet's
    properties, views, columns and the workbook around it). The cells are the ones
    openpyxl writes: text as inline strings (never as a formula: the kind says what a
    cell is, not its first character), numbers formatted by openpyxl's `safe_string`,
    formulas without their "=", style ids from openpyxl's own style table."""

    def __init__(self, ws):
        self.ws = ws
        self.rows: list[str] = []

    @staticmethod
    def style_id(ws, number_format: str | None = None, **style) -> int:
        """The workbook's index of a style (0: the default, written as no attribute)."""
        if number_format is None and not style:
            return 0
        return _styled(WriteOnlyCell(ws), number_format, style).style_id

    def append(self, cells: list) -> None:
        self.rows.append(row_xml(len(self.rows) + 1, cells))

    def close(self) -> None:
        """Write the rows into the sheet (once, in place of openpyxl's own rows)."""
        ws = self.ws
        _open_writer(ws)  # properties, dimension, views, format, columns
        # no namespace, as openpyxl's own <sheetData>: it takes the sheet's default one
        element = xml_fromstring(f"<sheetData>{''.join(self.rows)}</sheetData>")
        ws._writer.xf.send(element)
        # the writer's generator holds the last element it was sent until the next one:
        # send None (which it skips) so that a thousand sheets' trees are not kept
        ws._writer.xf.send(None)
        # openpyxl writes an empty <sheetData/> on close when no row was appended:
        # mark the rows as written (a generator that was never started closes quietly)
        ws._rows = (row for row in ())
        self.rows = []


class StreamedRows:
    """LeanRows for a sheet that is written while the proposals stream past: each row
    goes to the sheet's file as it is appended (one parsed <row> element at a time), so
    that neither memory nor time grows with openpyxl's cell objects. `style(...)` and
    `text(...)` give the style ids and text cells of `LeanRows`; `close()` ends the
    sheet's file. `row` is the number of the last row written.

    Rows are parsed and written in batches of `BATCH` (one XML parse per batch, not per
    row: the parse was most of a row's cost on the Teknisk bilag sheet, whose tables
    print a row for every committee and unit); at most a batch is held in memory."""

    BATCH = 200

    def __init__(self, ws):
        self.ws = ws
        self.row = 0
        self._pending: list[str] = []
        self._styles: dict = {}
        self._quoted = {0: LeanRows.style_id(ws, quotePrefix=True)}  # style id -> quoted
        _open_writer(ws)
        self._xf = ws._writer.xf.send(True)  # openpyxl's own way into the sheet's xmlfile
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(self._xf.element("sheetData"))

    def style(self, number_format: str | None = None, **style) -> int:
        key = (number_format, *((k, id(v)) for k, v in style.items()))
        if key not in self._styles:
            sid = LeanRows.style_id(self.ws, number_format, **style)
            self._quoted[sid] = LeanRows.style_id(self.ws, number_format, **style, quotePrefix=True)
            self._styles[key] = sid
        return self._styles[key]

    def text(self, value, sid: int = 0):
        """An injection-safe text cell (`lean_text`) in style `sid` (from `style`)."""
        return lean_text(value, sid, self._quoted[sid])

    def append(self, cells: list) -> int:
        self.row += 1
        self._pending.append(row_xml(self.row, cells))
        if len(self._pending) >= self.BATCH:
            self.flush()
        return self.row

    def flush(self) -> None:
        """Write the rows appended since the last flush to the sheet's file."""
        if self._pending:
            for element in xml_fromstring(f"<sheetData>{''.join(self._pending)}</sheetData>"):
                self._xf.write(element)
            self._pending = []

    def close(self) -> None:
        self.flush()
        self._stack.close()
        self.ws._writer.xf.send(None)  # back into openpyxl's writer (as it does itself)
        self.ws._rows = (row for row in ())
        self.ws.close()


def row_xml(r: int, cells: list) -> str:
    """One <row> of a sheet as openpyxl writes it (see `LeanRows`)."""
    out = [f'<row r="{r}">']
    for letter, cell in zip(_LETTERS, cells, strict=False):
        if cell is None:
            continue
        kind, value, sid, *cached = cell
        s = f' s="{sid}"' if sid else ""
        if kind == "s":
            out.append(f'<c r="{letter}{r}"{s} t="inlineStr"{_inline_text(value)}')
        elif kind == "n":
            if value is None:
                if sid:
                    out.append(f'<c r="{letter}{r}"{s} t="n"/>')
                continue
            out.append(f'<c r="{letter}{r}"{s} t="n"><v>{safe_string(value)}</v></c>')
        elif not cached:  # formula, to be calculated by the reader
            out.append(f'<c r="{letter}{r}"{s}><f>{_xml_text(value[1:])}</f><v/></c>')
        elif cached[0] is None:  # formula with its value: "" (an empty result)
            out.append(
                f'<c r="{letter}{r}"{s} t="str"><f>{_xml_text(value[1:])}</f><v></v></c>'
            )
        else:  # formula with its value (a number), for readers that do not calculate
            out.append(
                f'<c r="{letter}{r}"{s}><f>{_xml_text(value[1:])}</f>'
                f"<v>{safe_string(cached[0])}</v></c>"
            )
    out.append("</row>")
    return "".join(out)


_LETTERS = [get_column_letter(i) for i in range(1, 200)]
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _xml_text(value: str) -> str:
    return value.translate(_XML_ESCAPES)


def _inline_text(value: str) -> str:
    """The end of an inline-string cell (after its attributes). A short text (a label:
    committees, kinds, units, repeated thousands of times) is checked and escaped once."""
    return _short_inline_text(value) if len(value) <= 200 else _inline_text_of(value)


def _inline_text_of(value: str) -> str:
    value = _checked_text(value)
    if not value:  # openpyxl writes an empty text as an empty cell
        return "/>"
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"><is><t{space}>{_xml_text(value)}</t></is></c>"


_short_inline_text = functools.lru_cache(maxsize=4096)(_inline_text_of)


@contextlib.contextmanager
def _scratch(wb: Workbook):
    """A folder for the workbook's sheet files (openpyxl's write-only sheets go to files
    until the workbook is saved), in memory (tmpfs) where the system has one: creating
    and removing a thousand files on disk cost about a second of an export."""
    base = SCRATCH_DIR if os.access(SCRATCH_DIR, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="bilag-xlsx-", dir=base) as folder:
        wb.__dict__["_bilag_scratch"] = Path(folder)
        try:
            yield
        finally:
            wb.__dict__.pop("_bilag_scratch", None)


SCRATCH_DIR = "/dev/shm"


def _open_writer(ws) -> None:
    """Start the sheet's file (as openpyxl's `_get_writer`, in the export's scratch
    folder when it has one)."""
    if ws._writer is not None:
        return
    folder = ws.parent.__dict__.get("_bilag_scratch")
    if folder is None:
        ws._get_writer()
        return
    # numbered per workbook, not by the sheet's place or id(): sheets leave the list
    # (empty detail sheets) and retired sheets are freed, so both are used again, and
    # two sheets on one file made the save lose one ("No such file", issue 13)
    number = ws.parent.__dict__["_bilag_files"] = ws.parent.__dict__.get("_bilag_files", 0) + 1
    out = str(folder / f"sheet{number}.xml")
    ALL_TEMP_FILES.append(out)  # openpyxl removes the file (and this entry) once zipped
    ws._writer = WorksheetWriter(ws, out=out)
    ws._writer.write_top()


def _checked_text(value: str) -> str:
    """What openpyxl's Cell.check_string makes of a string (and its refusals)."""
    value = value[:32767]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


def lean_text(value: Any, sid: int = 0, quoted_sid: int | None = None):
    """A text cell for LeanRows: text whatever its first character; text that Excel
    would read as a formula gets the quote prefix style `quoted_sid`."""
    if value is None:  # an empty cell, written only when styled (as openpyxl does)
        return ("n", None, sid) if sid else None
    text = str(value)
    if text.startswith(INJECTION_START):
        if quoted_sid is None:
            raise ValueError("text that begins like a formula needs a quote-prefix style")
        sid = quoted_sid
    return ("s", text, sid)


FIRST_YEAR_COL = 4  # A label, B section, C area, D.. years


class _SheetStyles:
    """The style ids of the proposal sheets, resolved once per workbook."""

    def __init__(self, ws):
        sid = LeanRows.style_id
        self.title = sid(ws, font=TITLE_FONT)
        self.title_q = sid(ws, font=TITLE_FONT, quotePrefix=True)
        self.plain_q = sid(ws, quotePrefix=True)
        self.header = sid(ws, font=BOLD, fill=HEADER_FILL)
        self.header_q = sid(ws, font=BOLD, fill=HEADER_FILL, quotePrefix=True)
        self.year = sid(ws, "0", font=BOLD, fill=HEADER_FILL)
        self.bold = sid(ws, font=BOLD)
        self.bold_q = sid(ws, font=BOLD, quotePrefix=True)
        self.amount = sid(ws, AMOUNT_FORMAT)
        self.bold_amount = sid(ws, AMOUNT_FORMAT, font=BOLD)
        self.cents = sid(ws, CENTS_FORMAT)
        self.bold_cents = sid(ws, CENTS_FORMAT, font=BOLD)
        self.whole = sid(ws, "0")

    @classmethod
    def of(cls, wb: Workbook, ws) -> _SheetStyles:
        cached = wb.__dict__.get("_bilag_sheet_styles")
        if cached is None:
            cached = wb.__dict__["_bilag_sheet_styles"] = cls(ws)
        return cached


def write_proposal_sheet(
    wb: Workbook,
    name: str,
    proposal,
    figures: engine.Figures,
    converted: tuple[int, list[dict]] | None = None,
) -> dict:
    """One proposal's sheet; returns the cell addresses of its key figures.
    ``converted``: (p/l year, each grid line's amounts in it) when the workbook is shown
    in another price level (`converted_items`)."""
    ws = new_sheet(wb, name)
    st = _SheetStyles.of(wb, ws)
    years = list(figures.years)
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 13
    for i in range(len(years)):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COL + i)].width = 11
    ws.freeze_panes = "D4"
    out = LeanRows(ws)
    all_lines = grid_lines(proposal)
    level = proposal.price_level_year
    amounts_of = {id(ln): line_amounts(ln) for ln in all_lines}
    if converted is not None:
        level, converted_amounts = converted
        amounts_of = {id(ln): a for ln, a in zip(all_lines, converted_amounts, strict=True)}
    # Amounts with decimals are shown with them, so that the rows the sheet shows add
    # up to the totals it shows (whole thousands would round each cell on its own: two
    # lines of -0,4 shown as 0 and 0 under -1). Issue 11, finding 11.
    if any(
        value != value.to_integral_value()
        for ln in all_lines
        for value in amounts_of[id(ln)].values()
        if value is not None
    ):
        amount_style, total_style = st.cents, st.bold_cents
    else:
        amount_style, total_style = st.amount, st.bold_amount

    def col(i: int) -> str:
        return get_column_letter(FIRST_YEAR_COL + i)

    def text(value, sid=0, quoted=None):
        return lean_text(value, sid, st.plain_q if quoted is None else quoted)

    def amount(value, sid):
        return None if value is None else ("n", value, sid)

    def formula(value, sid):
        return ("f", value, sid)

    out.append([text(f"{proposal.number} {proposal.title}", st.title, st.title_q)])
    out.append([text(f"1.000 kr. {level} p/l")])
    header = [text(v, st.header, st.header_q) for v in ("Linje", "Afsnit", "Styringsområde")]
    header += [("n", y, st.year) for y in years]
    out.append(header)
    row = 3
    ranges: dict[str, tuple[int, int]] = {}
    for section in ("permanent", "implementation"):
        lines = [ln for ln in all_lines if ln.section == section]
        first = row + 1
        for ln in lines:
            amounts = amounts_of[id(ln)]
            out.append(
                [
                    text(ln.label),
                    text(SECTION_LABELS[section]),
                    text(AREA_LABELS.get(ln.area or "service")),
                ]
                + [amount(amounts.get(y), amount_style) for y in years]
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
        out.append(
            [text(label, st.bold, st.bold_q), None, None]
            + [formula(total_formula(i, key), total_style) for i in range(len(years))]
        )
        row += 1
        rows[key] = row
    p, m = rows["permanent"], rows["implementation"]
    out.append(
        [text("Samlet økonomisk påvirkning", st.bold, st.bold_q), None, None]
        + [
            formula(
                f'=IF(AND({col(i)}{p}="",{col(i)}{m}=""),"",N({col(i)}{p})+N({col(i)}{m}))',
                total_style,
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
    out.append(
        [text("Akkumuleret økonomisk påvirkning")]
        + [None, None]
        + [formula(f, amount_style) for f in cumulative]
    )
    row += 1
    lines_first = min(r[0] for r in ranges.values())
    lines_last = max(r[1] for r in ranges.values())
    payback_rows = PaybackRows(
        years=len(years), first_row=row + 1, net=net, permanent=p, implementation=m,
        cumulative=net + 1, lines=(lines_first, lines_last),
    )  # fmt: skip
    for label, formulas in payback_rows.rows():
        out.append([text(label), None, None] + [formula(f, amount_style) for f in formulas])
        row += 1
    out.append([])
    row += 1

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
    out.append([text("Nøgletal (1.000 kr.)", st.bold, st.bold_q)])
    row += 1
    if lines_last < lines_first or not any(last >= first for first, last in ranges.values()):
        key_figures = [(key, label, "=0") for key, label, _ in key_figures]
    for key, label, value in key_figures:
        out.append([text(label), None, None, formula(value, st.amount)])
        row += 1
        addresses[key] = f"{quote_sheetname(name)}!$D${row}"
    for key, label, service, value in (
        (
            "payback_years_service",
            "Tilbagebetalingstid baseret på serviceeffektivisering (år)",
            True,
            figures.payback_years_service,
        ),
        (
            "payback_years_total",
            "Tilbagebetalingstid baseret på totaløkonomi (år)",
            False,
            figures.payback_years_total,
        ),
    ):
        # a live formula of the payback rule, with the engine's figure as its value
        out.append(
            [text(label), None, None, ("f", payback_rows.payback(service=service), st.whole, value)]
        )
        row += 1
        addresses[key] = f"{quote_sheetname(name)}!$D${row}"
    out.append(
        [
            text(
                "Tilbagebetalingstiden følger reglen i budget-cases/1: fra det første år med "
                "et beløb, til den akkumulerede pengestrøm er negativ og forbliver negativ; "
                "efter tabellens sidste år fortsætter dens varige ændring."
            )
        ]
    )
    out.append([text("Alle besparelser er angivet med negativt (-) fortegn.")])
    out.close()
    # finish the sheet's file now: a workbook of thousands of sheets keeps one file open
    # at a time (openpyxl would keep every sheet's file open until the workbook is saved)
    ws.close()
    retire_sheet(wb, ws)
    addresses["rows"] = {"permanent": p, "implementation": m, "net": net, "cumulative": net + 1}
    return addresses


class PaybackRows:
    """The payback rule (docs/FORMAT.md, `finance.engine.payback`) as live formulas on a
    proposal sheet, in four rows under "Akkumuleret økonomisk påvirkning":

    1. "Varig ændring, service": per year the permanent lines of area service;
    2. "Akkumuleret pengestrøm, service": from the first year with an amount (the start
       of "Akkumuleret økonomisk påvirkning"), service permanent + implementation;
    3./4. "Sidste år med akkumuleret ≥ 0 (totaløkonomi / service)": the count, from the
       start year as 1, of the last year whose cumulative is not negative (0: none).

    The payback is then: empty without a start year or when the last year's permanent
    change is a cost (> 0); the last year ≥ 0 + 1 when the table ends negative; empty
    when it ends ≥ 0 and nothing continues; else the years of the table + INT(cumulative
    / −continuing) + 1. `years`: the number of year columns (from column D); the other
    arguments are sheet row numbers; `lines` the first and last row of the year grid."""

    LABELS = (
        "Varig ændring, service",
        "Akkumuleret pengestrøm, service",
        "Sidste år med akkumuleret ≥ 0, totaløkonomi",
        "Sidste år med akkumuleret ≥ 0, service",
    )

    def __init__(self, *, years: int, first_row: int, net: int, permanent: int,
                 implementation: int, cumulative: int, lines: tuple[int, int]):  # fmt: skip
        self.n = years
        self.net, self.perm, self.impl, self.cum = net, permanent, implementation, cumulative
        self.perm_service = first_row
        self.cum_service = first_row + 1
        self.last_total = first_row + 2
        self.last_service = first_row + 3
        self.lines = lines

    @staticmethod
    def col(i: int) -> str:
        return get_column_letter(FIRST_YEAR_COL + i)

    def rows(self) -> list[tuple[str, list[str]]]:
        """(label, formula per year) of the four rows, in order."""
        c, n = self.col, self.n
        first, last = self.lines
        sect = f"$B${first}:$B${last}"
        area = f"$C${first}:$C${last}"
        perm = SECTION_LABELS["permanent"]
        if last < first:
            service = ['=""'] * n
        else:
            service = [
                f'=SUMPRODUCT(({sect}="{perm}")*({area}="{AREA_LABELS["service"]}"),'
                f"{c(i)}{first}:{c(i)}{last})"
                for i in range(n)
            ]
        cum_service = []
        for i in range(n):
            flow = f"N({c(i)}{self.perm_service})+N({c(i)}{self.impl})"
            if i == 0:
                cum_service.append(f'=IF({c(0)}{self.net}="","",{flow})')
            else:
                prev = f"{c(i - 1)}{self.cum_service}"
                cum_service.append(f'=IF(AND({prev}="",{c(i)}{self.net}=""),"",N({prev})+{flow})')
        return [
            (self.LABELS[0], service),
            (self.LABELS[1], cum_service),
            (self.LABELS[2], self._last_not_negative(self.cum, self.last_total)),
            (self.LABELS[3], self._last_not_negative(self.cum_service, self.last_service)),
        ]

    def _last_not_negative(self, cum: int, own: int) -> list[str]:
        c = self.col
        out = []
        for i in range(self.n):
            here = f"{c(i)}{cum}"
            prev = "0" if i == 0 else f"N({c(i - 1)}{own})"
            out.append(f'=IF({here}="","",IF({here}>=0,COUNT($D${cum}:{here}),{prev}))')
        return out

    def payback(self, *, service: bool) -> str:
        """The payback formula (years, or "" for none) of the service or total variant."""
        last = self.col(self.n - 1)
        cum = self.cum_service if service else self.cum
        perm = self.perm_service if service else self.perm
        own = self.last_service if service else self.last_total
        count = f"COUNT($D${cum}:${last}${cum})"
        ending, continuing = f"N(${last}${cum})", f"N(${last}${perm})"
        return (
            f'=IF({count}=0,"",IF({continuing}>0,"",IF({ending}<0,N(${last}${own})+1,'
            f'IF({continuing}=0,"",{count}+INT({ending}/-{continuing})+1))))'
        )


def export_catalog_xlsx(
    catalog: Catalog, output, *, statuses=None, user=None, price_level=None
) -> int:
    """Write the catalogue's workbook to `output` (path or binary file); returns the
    number of proposals. When the catalogue has adopted proposals, a last sheet
    "Opfølgning" holds the follow-up report (with `user`, only the plans that user may
    read). ``price_level``: a `cases.price_levels.PriceLevelChoice` with a year: every
    amount and figure in that p/l (`converted_items`); raises
    ``finance.prices.PriceLevelError`` when a proposal's own year has no index."""
    items = stream_figures(stream_proposals(catalog, statuses, user=user))
    converted: dict[int, tuple[int, list[dict]]] = {}
    overview_in = None
    if price_level is not None and price_level.year is not None:
        overview_in = OverviewInLevel(price_level)
        items = converted_items(items, price_level, converted, overview_in.own)
    wb = Workbook(write_only=True)
    with _scratch(wb):
        return _write_catalog(wb, catalog, items, output, user, converted, overview_in)


def converted_items(items, price_level, converted: dict, own: dict | None = None):
    """(proposal, figures) pairs in the chosen p/l: each proposal's case converted by
    `finance.prices.convert_case` and computed again; its grid lines' converted amounts
    are left in ``converted[proposal.pk]`` (p/l year, amounts per grid line) for its
    sheet, which takes them out again; ``own[proposal.pk]`` gets the proposal's own p/l
    and overview amounts (for `OverviewInLevel`)."""
    for proposal, figures in items:
        case = convert_proposal_case(proposal, case_from_proposal(proposal), price_level)
        converted[proposal.pk] = (price_level.year, [ln.amounts for ln in case.lines])
        if own is not None:  # keyed (number, pk) as the catalogue page
            own[proposal.number, proposal.pk] = (
                proposal.price_level_year,
                engine.overview_amounts(figures),
            )
        yield proposal, engine.compute(case)


class OverviewInLevel:
    """The "Oversigt" sheet's rows in another p/l: the proposals' own overview amounts,
    collected while they stream past (`converted_items`), converted together by
    `finance.prices.convert_overview` — the rule of the catalogue page and the PDF — so
    the rows are values that add up to the total exactly (a formula rounding each row of
    its converted sheet would round each row alone)."""

    def __init__(self, price_level):
        self.price_level = price_level
        self.own: dict[tuple[str, int], tuple[int, dict[str, Decimal]]] = {}

    def convert(self) -> tuple[dict, dict]:
        """(pk -> column -> mio. kr., column -> total mio. kr.)"""
        by_key, totals = prices.convert_overview(
            self.own, self.price_level.indexes, self.price_level.year
        )
        return {pk: values for (_number, pk), values in by_key.items()}, totals


def _write_catalog(
    wb: Workbook,
    catalog: Catalog,
    items,
    output,
    user,
    converted: dict | None = None,
    overview_in: OverviewInLevel | None = None,
) -> int:
    """The overview sheet comes first in the workbook but is written last: its rows are
    collected (a few hundred bytes each) while the proposals stream past, each writing
    and closing its own sheet, so that neither memory nor open files grow with the
    catalogue. In another p/l (``overview_in``) the overview's rows are written after
    the proposals, their values converted together."""
    overview = wb.create_sheet("Oversigt")
    overview.freeze_panes = "A4"
    for letter, width in zip("ABCDEFGHI", (8, 10, 60, 11, 11, 11, 13, 13, 13), strict=True):
        overview.column_dimensions[letter].width = width
    title = f"{catalog.annex} – {catalog.title}" if catalog.annex else catalog.title
    sid = LeanRows.style_id
    plain_q = sid(overview, quotePrefix=True)
    decimal, bold_decimal = sid(overview, DECIMAL_FORMAT), sid(overview, DECIMAL_FORMAT, font=BOLD)
    rows = LeanRows(overview)
    rows.append(
        [
            lean_text(
                title,
                sid(overview, font=TITLE_FONT),
                sid(overview, font=TITLE_FONT, quotePrefix=True),
            )
        ]
    )
    # the first proposal's price level heads the sheet (peeked from the stream)
    items = iter(items)
    first = next(items, None)
    price_level = first[0].price_level_year if first else catalog.budget_year
    if first and converted:
        price_level = converted[first[0].pk][0]
    items = itertools.chain([first], items) if first else iter(())
    unit = f"Mio. kr. {price_level} p/l · budget {catalog.budget_year}"
    rows.append([lean_text(unit, 0, plain_q)])
    header = {"font": BOLD, "fill": HEADER_FILL, "alignment": WRAP}
    # The pool's own columns, as the printed overview (annex.printing.overview_columns).
    innovation = catalog.pool == "innovation"
    headings = (
        ("Innovationspulje",)
        if innovation
        else (
            "Investering service",
            "Investering anlæg",
            "Fuld effekt service",
            "Fuld effekt overførsler mv.",
            "Tilbagebetalingstid (år)",
        )
    )
    rows.append(
        [
            lean_text(h, sid(overview, **header), sid(overview, **header, quotePrefix=True))
            for h in ("Udvalg", "NR", "Forslag", *headings)
        ]
    )
    taken = {"oversigt"}
    details = DetailSheets(
        lambda title: new_sheet(wb, sheet_name(title, taken)),
        StreamedRows,
        Committee.objects.order_by("order", "code"),
        catalog,
    )
    first_data = 4
    count = 0
    appraisal = AppraisalRows(catalog) if catalog.print_appraisal else None
    waiting: list = []  # in another p/l: the overview rows, written after the loop
    for proposal, figures in items:
        name = sheet_name(proposal.number, taken)
        if appraisal is not None:
            appraisal.add(proposal, figures)
        ref = _key_refs(name, proposal)
        payback = figures.payback_years_service
        invest = (
            "f",
            f"=ROUND(({ref['investment_service']}+{ref['investment_capital']})/1000,1)",
            decimal,
        )
        values = (
            [invest]
            if innovation
            else [
                ("f", f"=ROUND({ref['investment_service']}/1000,1)", decimal),
                ("f", f"=ROUND({ref['investment_capital']}/1000,1)", decimal),
                ("f", f"=ROUND(-{ref['full_effect_service']}/1000,1)", decimal),
                ("f", f"=ROUND(-{ref['full_effect_transfers']}/1000,1)", decimal),
                ("f", f"={ref['payback_years_service']}", sid(overview, "0"), payback),
            ]
        )
        head = [
            lean_text(proposal.committee.code if proposal.committee else "", 0, plain_q),
            lean_text(("*" if proposal.cross_cutting else "") + proposal.number, 0, plain_q),
            lean_text(proposal.title, 0, plain_q),
        ]
        if overview_in is None:
            rows.append([*head, *values])
        else:
            waiting.append((proposal.pk, head, values[-1] if not innovation else None))
        own = converted.pop(proposal.pk, None) if converted is not None else None
        written = write_proposal_sheet(wb, name, proposal, figures, own)
        assert all(written[k] == v for k, v in ref.items()), (written, ref)
        details.add(proposal, figures)
        count += 1
    last = first_data + count - 1
    keys = ("innovation_pool",) if innovation else SUMMED[:4]
    sums: dict = {}
    if overview_in is not None:
        values_of, sums = overview_in.convert()
        for pk, head, payback in waiting:
            cells = [("n", values_of[pk][key], decimal) for key in keys]
            rows.append([*head, *cells, *([payback] if payback is not None else [])])
    total = [lean_text("I alt", sid(overview, font=BOLD), 0), None, None]
    for letter, key in zip("DEFG", keys, strict=False):
        formula = f"=SUM({letter}{first_data}:{letter}{last})" if count else "=0"
        cached = (sums.get(key) or Decimal(0),) if overview_in is not None else ()
        total.append(("f", formula, bold_decimal, *cached))
    rows.append(total)
    rows.append([lean_text("*Tværgående forslag", 0, plain_q)])
    if overview_in is not None and count:
        # by which index anlæg amounts were converted (as the page and the PDF's cover)
        with translation.override(PRINT_LANGUAGE):
            note = capital_note(
                {level for level, _amounts in overview_in.own.values()},
                overview_in.price_level.year,
                overview_in.price_level,
            )
        rows.append([lean_text(note, 0, plain_q)])
    rows.close()
    details.finish(wb)
    if appraisal is not None:
        write_appraisal_sheet(wb, sheet_name(APPRAISAL_SHEET, taken), appraisal)
    report = catalogue_report(catalog, user)
    if report["entries"]:
        write_followup_sheet(wb, sheet_name(FOLLOWUP_SHEET, taken), report)
    wb.save(output)
    return count


APPRAISAL_SHEET = "Nutidsværdi"
PCT_FORMAT = '0.0" %"'


class AppraisalRows:
    """The "Nutidsværdi" sheet's rows, collected while the proposals stream past (a few
    numbers each): present value, both paybacks, each sensitivity scenario's present
    value and the switching values (`cases.appraisal`: the rows the proposal page and
    the PDF show)."""

    def __init__(self, catalog: Catalog):
        self.settings = appraisal_settings(catalog)
        self.rows: list[tuple[str, str, list, list]] = []

    def add(self, proposal, figures: engine.Figures) -> None:
        appraisal = appraisal_for(figures, self.settings)
        if appraisal is not None:
            self.rows.append(
                (
                    proposal.number,
                    proposal.title,
                    summary_rows(appraisal),
                    switching_rows(appraisal),
                )
            )


def write_appraisal_sheet(wb: Workbook, name: str, collected: AppraisalRows) -> None:
    """One row per proposal of `collected`, values as numbers (1.000 kr., years, %)."""
    settings = collected.settings
    ws = wb.create_sheet(name)
    for letter, width in zip("ABCDEFGHIJKL", (8, 50, *[14] * 10), strict=True):
        ws.column_dimensions[letter].width = width
    _open_writer(ws)
    bold = {"font": BOLD}
    header = {"font": BOLD, "fill": HEADER_FILL, "alignment": WRAP}
    ws.append([text_cell(ws, "Nutidsværdi og følsomhed (1.000 kr.)", **bold)])
    ws.append([text_cell(ws, f"Diskonteringsrente: {settings.rate_label}; "
                             f"horisont {settings.horizon} år")])  # fmt: skip
    if not collected.rows:
        return
    _number, _title, first_summary, first_switching = collected.rows[0]
    titles = ["NR", "Forslag", "Tilbagebetalingstid (år)", "Diskonteret tilbagebetalingstid (år)"]
    titles += [f"Nutidsværdi: {row.label}" for row in first_summary]
    titles += [label for label, _value in first_switching]
    ws.append([text_cell(ws, t, **header) for t in titles])
    for number, title, summary, switching in collected.rows:
        base = summary[0]
        ws.append(
            [
                text_cell(ws, number),
                text_cell(ws, title),
                number_cell(ws, base.payback_years, "0"),
                number_cell(ws, base.discounted_payback_years, "0"),
                *(number_cell(ws, row.npv) for row in summary),
                *(number_cell(ws, value, PCT_FORMAT) for _label, value in switching),
            ]
        )


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
    _open_writer(ws)
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
    # rows: 1 title, 2 unit, 3 header, 4.. lines, then 2 totals, net, cumulative, the
    # payback rows, blank, "Nøgletal" heading, then the key figures.
    first_key = 3 + n_lines + 2 + 1 + 1 + len(PaybackRows.LABELS) + 1 + 1 + 1
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
