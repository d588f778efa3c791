"""One proposal as an Excel template, and the import of a filled-in template.

The template holds the annex form's fields ("Forslag"), the year grid ("Økonomi"), the
follow-up ("Opfølgning"), who was consulted ("Hørt"), the distribution between
committees ("Fordeling") and extra sections ("Andre afsnit"). A filled-in template is
turned into a budget-cases/1 proposal and imported by `cases.services.import_document`,
the importer and validation every other path uses, in one transaction: nothing is
half-imported. Errors name the sheet and cell: "Økonomi!D7: 'tolv' er ikke et tal".

Before openpyxl sees a file it is checked: size, that it is an xlsx (zip with a
workbook), no macros, and that the unpacked size is bounded (openpyxl itself does not
check it: a 155 KB file can unpack to 700 MB). Sheets are read in read-only mode with
the declared dimensions reset (read-only mode trusts the file's <dimension>, which can
silently drop rows), and the number of rows read is bounded.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation

from cases import permissions
from cases.exporting import export_proposal
from cases.interchange import FORMAT_NAME, MAX_AMOUNT, InterchangeError
from cases.models import Catalog, Proposal
from cases.numbers import NumberError, format_unambiguous, parse_text_number
from cases.selectors import proposals_with_inputs
from cases.services import ImportResult, import_document
from finance import prices
from finance.formatting import format_amount

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_MEMBERS = 500
MAX_RATIO = 200
MAX_ROWS = 2000
MAX_COLUMNS = 60
# Sheet "Økonomi": the years outside the proposal's span start this many columns after
# its first year column's index, i.e. one empty column after the span (row 2 says so).
OUTSIDE_FROM = 6
OUTSIDE_LABEL = "Uden for forslagets år (indgår ikke i beregningen):"
TEMPLATE_MARK = "bilag-xlsx/1"

SECTION_CODES = {
    "varig ændring": "permanent",
    "varig": "permanent",
    "implementering": "implementation",
    "administration": "administration",
    "årsværk": "fte",
    "specifikation": "specification",
}
SECTION_NAMES = {
    "permanent": "Varig ændring",
    "implementation": "Implementering",
    "administration": "Administration",
    "fte": "Årsværk",
    "specification": "Specifikation",  # a row under the line above it (Line.specifications)
}
# The unit each section's amounts are written in (issue 14, point 4): row 2 of the sheet
# "Økonomi" holds a label cell and the unit in the cell to its right; specification rows
# follow their line's section. A template without them (older ones) is in 1.000 kr.
UNIT_SECTIONS = {
    "permanent": "Enhed, varig ændring",
    "implementation": "Enhed, implementering",
    "administration": "Enhed, administration",
}
UNIT_ROW = 2
UNIT_NAMES = {"kr": "kr.", "t.kr": "1.000 kr.", "mio.kr": "mio. kr."}
UNIT_CODES = {
    **{name: code for code, name in UNIT_NAMES.items()},
    "kr": "kr",
    "t.kr": "t.kr",
    "1000 kr.": "t.kr",
    "1.000 kr": "t.kr",
    "1000 kr": "t.kr",
    "mio.kr": "mio.kr",
    "mio. kr": "mio.kr",
    "mio kr": "mio.kr",
    "mio kr.": "mio.kr",
}
# how an amount is shown in each unit (display only: the cell holds the exact value)
UNIT_FORMATS = {"kr": "#,##0", "t.kr": "#,##0.##", "mio.kr": "#,##0.#####"}
KIND_CODES = {"besparelse": "saving", "omkostning": "cost"}
KIND_NAMES = {v: k.capitalize() for k, v in KIND_CODES.items()}
AREA_CODES = {
    "service": "service",
    "overførsler": "transfers",
    "anlæg": "capital",
    "drift": "operating",
}
AREA_NAMES = {v: k.capitalize() for k, v in AREA_CODES.items()}
ANSWER_CODES = {"ja": "yes", "nej": "no", "ikke relevant": "not_relevant"}
ANSWER_NAMES = {"yes": "Ja", "no": "Nej", "not_relevant": "Ikke relevant"}
RISK_CODES = {"lav": "low", "middel": "medium", "høj": "high"}
RISK_NAMES = {v: k for k, v in RISK_CODES.items()}
BASIS_CODES = {"nøgle": "weights", "beløb": "amounts"}
BASIS_NAMES = {v: k.capitalize() for k, v in BASIS_CODES.items()}
SECTIONS_TEXT = [
    ("background", "Baggrund og formål"),
    ("content", "Forslagets indhold"),
    ("potential", "Forslagets potentiale"),
    ("economy", "Økonomi"),
    ("implementation", "Implementering af forslaget"),
    ("partners", "Inddragelse af samarbejdspartnere"),
    ("effect", "Forslagets effekt"),
]
FIELDS = [
    # key, label, kind
    ("number", "Nummer (fx BC14; tomt = næste ledige)", "text"),
    ("title", "Forslagets titel", "text"),
    ("summary", "Kort resumé", "text"),
    ("committee", "Udvalg (kode: ØU, KFU, BUU, SUD, SOU, TMU, BIU)", "text"),
    ("cross_cutting", "Tværgående forslag (Ja/Nej)", "bool"),
    ("presenting_administration", "Fremstillende forvaltning (kode: ØKF, KFF, …)", "text"),
    ("affected_administrations", "Berørte forvaltninger (koder, adskilt af komma)", "list"),
    ("funding_source", "Der søges om midler fra", "text"),
    ("applies_for_pool_funding", "Søges der om midler fra puljen? (Ja/Nej)", "bool"),
    ("productivity_improvement", "Medfører forslaget produktivitetsforbedringer? (Ja/Nej)", "bool"),
    (
        "reduced_admin_costs",
        "Medfører forslaget reducerede udgifter til administration? (Ja/Nej)",
        "bool",
    ),
    ("price_level_year", "Prisniveau (år)", "year"),
    ("risk_level", "Samlet risiko (lav/middel/høj)", "risk"),
    ("risk_text", "Risikovurdering", "text"),
    *[(f"section:{key}", label, "text") for key, label in SECTIONS_TEXT],
]
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


class XlsxImportError(ValueError):
    """A workbook that cannot be imported; the message is Danish and names the cell.
    ``messages``: one line per bad cell (`CellErrors`: every bad cell of the file, up to
    `MAX_CELL_ERRORS`); ``str()`` is those lines joined by newlines."""

    def __init__(self, message: str | list[str]):
        self.messages = [message] if isinstance(message, str) else list(message)
        super().__init__("\n".join(self.messages))


MAX_CELL_ERRORS = 20  # bad cells named in one message list; more are counted


class CellErrors:
    """Collects the bad cells of a workbook so that one upload names them all (breaker:
    only the first bad cell was named, so a file with five was uploaded five times).
    `read(parse, *args)` returns ``parse(*args)``, or None after noting its error;
    `raise_any()` raises one `XlsxImportError` listing them (the first
    `MAX_CELL_ERRORS`, then how many more)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def read(self, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except XlsxImportError as error:
            self.messages += error.messages
            return None

    def raise_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_CELL_ERRORS]
        more = len(self.messages) - len(shown)
        if more:
            shown.append(f"… og {more} celler mere, der ikke kan læses")
        raise XlsxImportError(shown)


# --- the template ----------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _set_text(ws, row: int, column: int, value: Any):
    cell = ws.cell(row=row, column=column, value=_text(value))
    if cell.value is not None:
        cell.data_type = "s"  # never a formula
        if cell.value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    return cell


def build_template(
    catalog: Catalog, proposal: Proposal | None = None, units: dict[str, str] | None = None
) -> bytes:
    """The template for a new proposal of `catalog`, or filled with `proposal`
    (export -> import round-trips it unchanged).

    `units`: the unit ("kr", "t.kr", "mio.kr") each grid section ("permanent",
    "implementation", "administration") is written in, default 1.000 kr.; the amounts
    are converted exactly (`finance.prices.from_thousands`) and the unit cells of row 2
    say which, so the import reads them back to the same 1.000 kr."""
    units = {
        section: (units or {}).get(section) or prices.DEFAULT_UNIT for section in UNIT_SECTIONS
    }
    data = export_proposal(proposal) if proposal is not None else None
    years = data["years"] if data else list(range(catalog.budget_year, catalog.budget_year + 6))
    span = list(years)
    wb = Workbook()
    ws = wb.active
    ws.title = "Forslag"
    ws["A1"] = f"{catalog.annex} – {catalog.title}" if catalog.annex else catalog.title
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"] = (
        "Udfyld kolonne B. Beløb på arket Økonomi i afsnittets enhed (række 2: kr., "
        "1.000 kr. eller mio. kr.); besparelser med negativt (-) fortegn."
    )
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].hidden = True
    values = _field_values(data) if data else {"price_level_year": catalog.budget_year}
    for i, (key, label, _kind) in enumerate(FIELDS, start=4):
        ws.cell(row=i, column=1, value=label).font = BOLD
        _set_text(ws, i, 2, values.get(key)).alignment = WRAP
        ws.cell(row=i, column=3, value=key)
    ws.freeze_panes = "B4"

    grid = wb.create_sheet("Økonomi")
    grid["A1"] = (
        "Forslagets økonomi. Enheden for hvert afsnit står i række 2 (kr., 1.000 kr. eller "
        "mio. kr.; specifikationer følger deres linje). Årene i række 3 kan ændres "
        "(fortløbende)."
    )
    unit_cells = []
    for i, (section, label) in enumerate(UNIT_SECTIONS.items()):
        grid.cell(row=UNIT_ROW, column=1 + 2 * i, value=label).font = BOLD
        value = grid.cell(row=UNIT_ROW, column=2 + 2 * i, value=UNIT_NAMES[units[section]])
        value.fill = HEADER_FILL
        unit_cells.append(value.coordinate)
    choice = DataValidation(
        type="list", formula1='"' + ",".join(UNIT_NAMES.values()) + '"', allow_blank=True
    )
    for coordinate in unit_cells:
        choice.add(coordinate)
    grid.add_data_validation(choice)
    headers = ["Afsnit", "Art", "Styringsområde", "Tekst"]
    for col, header in enumerate(headers + years, start=1):
        cell = grid.cell(row=3, column=col, value=header)
        cell.font, cell.fill = BOLD, HEADER_FILL
    # Amounts the proposal holds outside its years: after one empty column, kept on
    # import as they are (never dropped; docs/FORMAT.md "Amounts outside the years").
    outside = sorted(_grid_years(data) - set(years)) if data else []
    if outside:
        first = OUTSIDE_FROM + len(years)
        grid.cell(row=UNIT_ROW, column=first, value=OUTSIDE_LABEL).font = BOLD
        for i, year in enumerate(outside):
            grid.cell(row=3, column=first + i, value=year).font = BOLD
    years = years + [None] + outside if outside else years
    for col, width in zip("ABCD", (16, 13, 16, 60), strict=True):
        grid.column_dimensions[col].width = width
    grid.freeze_panes = "E4"
    row = 4
    for line in (data or {}).get("lines", []):
        unit = units[line["section"]]
        _grid_row(
            grid,
            row,
            SECTION_NAMES[line["section"]],
            KIND_NAMES[line["kind"]],
            AREA_NAMES.get(line["area"] or "", ""),
            line["label"],
            line["amounts"],
            years,
            unit,
        )
        row += 1
        for spec in line.get("specifications") or []:
            _grid_row(
                grid, row, "Specifikation", "", "", spec["label"], spec["amounts"], years, unit
            )
            row += 1
    for line in (data or {}).get("admin_lines", []):
        _grid_row(
            grid,
            row,
            "Administration",
            "",
            "",
            line["label"],
            line["amounts"],
            years,
            units["administration"],
        )
        row += 1
    if data and data.get("fte"):
        _grid_row(
            grid, row, "Årsværk", "", "", "Personalemæssige konsekvenser (ÅV)", data["fte"], years
        )
        row += 1
    for rule, options in (
        ("A", SECTION_NAMES.values()),
        ("B", KIND_NAMES.values()),
        ("C", AREA_NAMES.values()),
    ):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
        )
        validation.add(f"{rule}4:{rule}200")
        grid.add_data_validation(validation)

    follow = wb.create_sheet("Opfølgning")
    _table(
        follow,
        [
            "Succeskriterium",
            "Hvordan måles succeskriteriet?",
            "Hvordan opnås det?",
            "Hvem er ansvarlig for opfølgning?",
            "Hvornår gennemføres opfølgningen?",
        ],
        [
            [
                c.get("criterion"),
                c.get("how_measured"),
                c.get("how_achieved"),
                c.get("responsible"),
                c.get("when"),
            ]
            for c in (data or {}).get("followup", [])
        ],
    )
    hearing = wb.create_sheet("Hørt")
    _table(
        hearing,
        ["Hvem er hørt?", "Ja/Nej/Ikke relevant", "Dato for godkendelse"],
        [
            [h["body"], ANSWER_NAMES.get(h["answer"] or "", ""), h.get("date")]
            for h in (data or {}).get("hearing", [])
        ],
    )
    dist = wb.create_sheet("Fordeling")
    dist_rows = []
    distributions = (data or {}).get("distributions", [])
    # the sheet's own years: the span and every year a row has an amount in
    dist_years = sorted(
        set(span)
        | {int(y) for d in distributions for r in d["rows"] for y in r.get("amounts") or {}}
    )
    for d in distributions:
        for r in d["rows"]:
            amounts = r.get("amounts") or {}
            dist_rows.append(
                [
                    d["subject"],
                    BASIS_NAMES[d["basis"]],
                    r["committee"],
                    r.get("unit"),
                    r.get("account"),
                    r.get("weight"),
                    *[amounts.get(str(y)) for y in dist_years],
                ]
            )
    _table(
        dist,
        [
            "Emne (kode)",
            "Grundlag (Nøgle/Beløb)",
            "Udvalg (kode)",
            "Enhed",
            "Konto",
            "Vægt",
            *dist_years,
        ],
        dist_rows,
        text_columns=5,
    )
    other = wb.create_sheet("Andre afsnit")
    _table(
        other,
        ["Overskrift", "Tekst"],
        [
            [heading, text]
            for heading, text in ((data or {}).get("sections") or {}).get("other", {}).items()
        ],
    )
    meta = wb.create_sheet("_bilag")
    meta["A1"], meta["B1"] = "format", TEMPLATE_MARK
    meta["A2"], meta["B2"] = "catalog", catalog.key
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _field_values(data: dict) -> dict[str, Any]:
    values = {key: data.get(key) for key, _l, _k in FIELDS if ":" not in key}
    productivity = data.get("productivity") or {}
    values["productivity_improvement"] = productivity.get("productivity_improvement")
    values["reduced_admin_costs"] = productivity.get("reduced_admin_costs")
    for key in (
        "cross_cutting",
        "applies_for_pool_funding",
        "productivity_improvement",
        "reduced_admin_costs",
    ):
        values[key] = {True: "Ja", False: "Nej"}.get(values[key])
    values["affected_administrations"] = ", ".join(data.get("affected_administrations") or [])
    risk = data.get("risk") or {}
    values["risk_level"] = RISK_NAMES.get(risk.get("level") or "")
    values["risk_text"] = risk.get("text")
    for key, _label in SECTIONS_TEXT:
        values[f"section:{key}"] = (data.get("sections") or {}).get(key)
    return values


def _grid_years(data: dict) -> set[int]:
    """Every year an exported proposal's lines, specifications, admin lines and FTE
    hold an amount in."""
    rows = [ln["amounts"] for ln in data.get("lines", [])]
    rows += [s["amounts"] for ln in data.get("lines", []) for s in ln.get("specifications") or []]
    rows += [ln["amounts"] for ln in data.get("admin_lines", [])]
    rows.append(data.get("fte") or {})
    return {int(year) for amounts in rows for year in amounts or {}}


def _grid_row(ws, row, section, kind, area, label, amounts, years, unit=prices.DEFAULT_UNIT):
    """One row of the sheet "Økonomi"; `amounts` (1.000 kr.) written in `unit`; a None
    in `years` is the empty column before the years outside the span."""
    for col, value in enumerate((section, kind, area, label), start=1):
        _set_text(ws, row, col, value)
    for i, year in enumerate(years):
        value = None if year is None else (amounts or {}).get(str(year))
        if value is None:
            continue
        if unit != prices.DEFAULT_UNIT:
            value = _json_number(prices.from_thousands(Decimal(str(value)), unit).normalize())
        ws.cell(row=row, column=5 + i, value=value).number_format = UNIT_FORMATS[unit]


def _table(ws, headers, rows, text_columns=None):
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(col)].width = 14 if col > 5 else 40
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if text_columns is None or c <= text_columns:
                _set_text(ws, r, c, value).alignment = WRAP
            elif value is not None:
                ws.cell(row=r, column=c, value=value)
    ws.freeze_panes = "A2"


# --- checking the file -----------------------------------------------------------------


def check_file(raw: bytes) -> None:
    """Refuse what must not reach openpyxl, with a clear Danish message."""
    if len(raw) > MAX_FILE_BYTES:
        raise XlsxImportError(
            f"Filen er for stor ({len(raw) // 1024} KB); højst {MAX_FILE_BYTES // 1024} KB."
        )
    if raw[:4] == b"\xd0\xcf\x11\xe0":
        raise XlsxImportError(
            "Filen er en gammel Excel-fil (.xls) eller krypteret; "
            "gem den som .xlsx uden adgangskode."
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise XlsxImportError("Filen er ikke en xlsx-fil (Excel-projektmappe).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxImportError("Filen er ikke en gyldig xlsx-fil (ødelagt zip-arkiv).") from None
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS:
        raise XlsxImportError(f"Filen har for mange dele ({len(members)}).")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise XlsxImportError("Filen er ikke en xlsx-fil (der er ingen Excel-projektmappe i den).")
    content_types = (
        archive.read("[Content_Types].xml")
        if archive.getinfo("[Content_Types].xml").file_size < 1_000_000
        else b""
    )
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise XlsxImportError(
            "Filen indeholder makroer (.xlsm); gem den som en almindelig .xlsx uden makroer."
        )
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise XlsxImportError(
            f"Filen fylder {unpacked // (1024 * 1024)} MB udpakket "
            f"(pakket {len(raw) // 1024} KB): den afvises som en mulig zip-bombe."
        )


# --- reading a filled-in template ------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: list[tuple[Any, ...]]

    def ref(self, row: int, column: int) -> str:
        return f"{self.name}!{get_column_letter(column)}{row}"


def _read_sheets(raw: bytes) -> dict[str, Sheet]:
    """Every sheet's cell values as a person sees them: the value Excel stored, and for
    a formula cell without one (a file written by a script) the formula computed
    (`_computed`); a date cell as a date. Malformed sheet XML is one Danish message."""
    values = _read_cells(raw, data_only=True)
    formulas = _read_cells(raw, data_only=False)
    sheets = {}
    for title, rows in values.items():
        sheet = Sheet(title, rows)
        pending = {
            (r, c): cell
            for r, row in enumerate(formulas.get(title, []), start=1)
            for c, cell in enumerate(row, start=1)
            if isinstance(cell, Formula) and _cell(sheet, r, c) is None
        }
        if pending:
            sheet.rows = [list(row) for row in rows]
            for (r, c), formula in pending.items():
                _computed(sheet, r, c, formula, pending, set())
            sheet.rows = [tuple(row) for row in sheet.rows]
        sheets[title] = sheet
    return sheets


@dataclass(frozen=True)
class Formula:
    text: str


def _read_cells(raw: bytes, *, data_only: bool) -> dict[str, list[tuple[Any, ...]]]:
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise XlsxImportError(f"Filen kan ikke læses som xlsx ({type(exc).__name__}).") from None
    sheets = {}
    try:
        for ws in wb.worksheets:
            # Read-only mode trusts the file's declared <dimension>; reset it so that every
            # row present is read, and bound the rows read instead.
            ws.reset_dimensions()
            rows = []
            try:
                for row in ws.iter_rows():
                    if len(rows) >= MAX_ROWS:
                        raise XlsxImportError(
                            f"Arket {ws.title} har mere end {MAX_ROWS} rækker; det er ikke en "
                            "udfyldt skabelon."
                        )
                    rows.append(tuple(_cell_value(cell) for cell in row[:MAX_COLUMNS]))
            except XlsxImportError:
                raise
            except Exception:  # the XML parser's many kinds: truncated, entities, &#0; …
                raise XlsxImportError(
                    f"Arket »{ws.title}« kan ikke læses: filen er beskadiget (ugyldig XML). "
                    "Åbn den i Excel og gem den igen, eller hent en ny skabelon."
                ) from None
            sheets[ws.title] = rows
    finally:
        wb.close()
    return sheets


def _cell_value(cell) -> Any:
    """A read-only cell's value; a formula (when formulas are read) as `Formula`; a date
    or time as the Danish text a person reads ("28. maj 2020"): the fields that hold
    dates are text fields, and `finance.realisation.parse_when` reads that text."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" and isinstance(value, str):
        return Formula(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    if isinstance(value, (datetime.date, datetime.datetime)):
        with override("da"):
            fmt = "j. F Y" if not isinstance(value, datetime.datetime) else "j. F Y H:i"
            return date_format(value, fmt)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def _computed(sheet: Sheet, r: int, c: int, formula: Formula, pending: dict, busy: set) -> Any:
    """The value of a formula cell that has no stored value, computed with the `formulas`
    library (a kept evaluator of Excel formulas) from the cells of the same sheet. A
    formula that refers to another sheet, goes round in a circle, fails (#DIV/0!) or uses
    a function the evaluator lacks is refused, naming the cell: never read as empty."""
    import formulas  # noqa: PLC0415 - numpy/scipy take seconds to load; only for such files
    import schedula

    ref = sheet.ref(r, c)
    refuse = f"{ref}: formlen {formula.text} har ingen gemt værdi og kan ikke beregnes"
    if (r, c) in busy:
        raise XlsxImportError(f"{refuse} (den henviser til sig selv)")
    busy = busy | {(r, c)}

    def value_at(row: int, column: int) -> Any:
        if (row, column) in pending:
            return _computed(sheet, row, column, pending[(row, column)], pending, busy)
        value = _cell(sheet, row, column)
        return schedula.EMPTY if value is None else value

    try:
        function = formulas.Parser().ast(formula.text)[1].compile()
    except Exception:
        raise XlsxImportError(f"{refuse} (formlen kan ikke læses)") from None
    args = []
    for name in function.inputs:
        if "!" in name:
            raise XlsxImportError(f"{refuse} her (den henviser til et andet ark)")
        try:
            min_col, min_row, max_col, max_row = range_boundaries(name)
        except (TypeError, ValueError):
            raise XlsxImportError(f"{refuse} (ukendt henvisning {name})") from None
        if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_ROWS:
            raise XlsxImportError(f"{refuse} (området {name} er for stort)")
        block = [
            [value_at(row, col) for col in range(min_col, max_col + 1)]
            for row in range(min_row, max_row + 1)
        ]
        args.append(block[0][0] if ":" not in name else numpy.array(block, dtype=object))
    logger = logging.getLogger("schedula")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # the evaluator logs a traceback before it raises
    try:
        result = function(*args)
    except Exception:
        raise XlsxImportError(f"{refuse} (Excel-funktionen kendes ikke)") from None
    finally:
        logger.setLevel(level)
    value = numpy.asarray(result, dtype=object).ravel()
    value = value[0] if value.size == 1 else None
    if value is None or isinstance(value, formulas.tokens.operand.XlError):
        raise XlsxImportError(f"{refuse} (den giver {value if value is not None else 'et område'})")
    if value is schedula.EMPTY:
        value = None
    elif isinstance(value, numpy.generic):
        value = value.item()
    sheet.rows[r - 1][c - 1] = value
    return value


def _cell(sheet: Sheet, row: int, column: int) -> Any:
    if row - 1 < len(sheet.rows) and column - 1 < len(sheet.rows[row - 1]):
        value = sheet.rows[row - 1][column - 1]
        if isinstance(value, str) and not value.strip():
            return None
        return value
    return None


def exact_number(value: Any, ref: str, *, places: int = 2) -> Decimal | None:
    """`parse_number`, refused at the cell when it has more than `places` decimals or
    is not below the import's limit (`cases.interchange.MAX_AMOUNT`), with the number
    in Danish ("Økonomi!E4: 1.234,567 har mere end 2 decimaler"). Read through
    `CellErrors`, so one upload names every such cell (breaker: they were named one
    upload at a time, by the JSON import, in its notation "1234.567")."""
    number = parse_number(value, ref, places=places)
    return None if number is None else _checked(number, ref, places)


def _checked(number: Decimal, ref: str, places: int = 2) -> Decimal:
    """`number`, or refused at `ref` (`exact_number`)."""
    if abs(number) >= MAX_AMOUNT:
        shown = format_amount(number) if abs(number) < MAX_AMOUNT * 10**6 else "tallet"
        raise XlsxImportError(f"{ref}: {shown} er urimeligt stort")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise XlsxImportError(f"{ref}: {format_amount(number)} har mere end {places} decimaler")
    return number


def parse_number(value: Any, ref: str, *, places: int = 2) -> Decimal | None:
    """A cell as an exact Decimal: numbers, or text in Danish ("1.034,5") or plain
    ("1034.5") notation (`cases.numbers.parse_text_number`; text the two read
    differently, "1.000", is refused as ambiguous). A float that is within a few units
    of its last place (at least 1e-9) of a number with `places` decimals is that
    number: Excel shows -300.00000000000006 as -300 (issue 11, finding 9)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise XlsxImportError(f"{ref}: '{value}' er ikke et tal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return _bad(value, ref)
        exact = Decimal(repr(value))
        if abs(value) >= 1e15:  # beyond any amount: the importer says it is too large
            return exact
        near = exact.quantize(Decimal(1).scaleb(-places))
        tolerance = max(1e-9, 8 * math.ulp(value))
        return (near if abs(exact - near) <= Decimal(tolerance) else exact).normalize()
    try:
        return parse_text_number(str(value))
    except NumberError as error:
        if error.code == "digits":
            raise XlsxImportError(
                f"{ref}: '{value}' har andre cifre end 0-9; skriv tallet med cifrene 0-9"
            ) from None
        if error.code != "ambiguous":
            return _bad(value, ref)
        # written so that they are read one way only ("1,5280", not "1,528" again)
        with override("da"):
            one, other = (format_unambiguous(v) for v in error.readings)
        raise XlsxImportError(
            f"{ref}: '{value}' er tvetydigt: det kan læses som {one} eller som {other}. "
            f"Skriv tallet som et tal i Excel, eller som {one} eller {other}."
        ) from None


def _bad(value: Any, ref: str):
    shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "…"
    raise XlsxImportError(f"{ref}: '{shown}' er ikke et tal")


def _json_number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _choice(value: Any, ref: str, codes: dict[str, str], what: str) -> str | None:
    if value is None:
        return None
    code = codes.get(str(value).strip().lower())
    if code is None:
        allowed = ", ".join(k.capitalize() for k in codes)
        raise XlsxImportError(f"{ref}: '{value}' er ikke {what} (brug {allowed})")
    return code


def _bool(value: Any, ref: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    code = {"ja": True, "nej": False}.get(str(value).strip().lower())
    if code is None:
        raise XlsxImportError(f"{ref}: '{value}' skal være Ja eller Nej")
    return code


def _year(value: Any, ref: str) -> int:
    number = parse_number(value, ref)
    if number is None or number != number.to_integral_value() or not 1900 <= number <= 2200:
        raise XlsxImportError(f"{ref}: '{value}' er ikke et årstal")
    return int(number)


def read_proposal(sheets: dict[str, Sheet]) -> tuple[dict[str, Any], dict[str, str]]:
    """The proposal as a budget-cases/1 dict, and where each JSON path came from."""
    for name in ("Forslag", "Økonomi"):
        if name not in sheets:
            raise XlsxImportError(
                f"Arket »{name}« mangler: filen er ikke en udfyldt skabelon fra Bilag."
            )
    where: dict[str, str] = {}
    form = sheets["Forslag"]
    values: dict[str, tuple[Any, str]] = {}
    keys = {key for key, _l, _k in FIELDS}
    for r, row in enumerate(form.rows, start=1):
        key = row[2] if len(row) > 2 else None
        if isinstance(key, str) and key in keys:
            values[key] = (_cell(form, r, 2), form.ref(r, 2))
    kinds = {key: kind for key, _l, kind in FIELDS}
    proposal: dict[str, Any] = {"sections": {"other": {}}}
    bad = CellErrors()
    for key, (value, ref) in values.items():
        kind = kinds[key]
        path = key.replace("section:", "sections.")
        where[path] = ref
        if kind == "bool":
            parsed = bad.read(_bool, value, ref)
        elif kind == "year":
            parsed = None if value is None else bad.read(_year, value, ref)
        elif kind == "list":
            parsed = [c.strip() for c in str(value or "").split(",") if c.strip()]
        elif kind == "risk":
            parsed = bad.read(_choice, value, ref, RISK_CODES, "et risikoniveau")
        else:
            parsed = (
                None
                if value is None
                else (
                    str(_json_number(Decimal(repr(value))))
                    if isinstance(value, float)
                    else str(value)
                )
            )
        if key.startswith("section:"):
            proposal["sections"][key.split(":", 1)[1]] = parsed
        elif key in ("productivity_improvement", "reduced_admin_costs"):
            proposal.setdefault("productivity", {})[key] = parsed
        elif key in ("risk_level", "risk_text"):
            proposal.setdefault("risk", {})["level" if key == "risk_level" else "text"] = parsed
            where[f"risk.{'level' if key == 'risk_level' else 'text'}"] = ref
        else:
            proposal[key] = parsed
    if "productivity" in proposal and not any(
        v is not None for v in proposal["productivity"].values()
    ):
        proposal["productivity"] = None

    grid = sheets["Økonomi"]
    years: list[int] = []
    for c in range(5, 5 + MAX_COLUMNS):
        value = _cell(grid, 3, c)
        if value is None:
            break
        where[f"years[{len(years)}]"] = grid.ref(3, c)
        years.append(_year(value, grid.ref(3, c)))
    if not years:
        raise XlsxImportError(f"{grid.ref(3, 5)}: årene mangler (første år i kolonne E)")
    where["years"] = grid.ref(3, 5)
    proposal["years"] = list(years)
    # after one empty column: years outside the span whose amounts are kept as they are
    first = OUTSIDE_FROM + len(years)
    for c in range(first, first + MAX_COLUMNS):
        value = _cell(grid, 3, c)
        if value is None:
            break
        years.append(_year(value, grid.ref(3, c)))
    columns = [5 + i for i in range(len(proposal["years"]))]
    columns += [first + i for i in range(len(years) - len(columns))]
    units = _read_units(grid)
    lines, admin, fte = [], [], {}
    previous: int | None = None  # the line a "Specifikation" row below it belongs to
    for r in range(4, len(grid.rows) + 1):
        section_raw, kind_raw, area_raw, label = (_cell(grid, r, c) for c in range(1, 5))
        amounts_raw = [(_cell(grid, r, c), grid.ref(r, c)) for c in columns]
        if section_raw is None and label is None and all(v is None for v, _ in amounts_raw):
            continue
        section = _choice(section_raw, grid.ref(r, 1), SECTION_CODES, "et afsnit")
        if section is None:
            raise XlsxImportError(f"{grid.ref(r, 1)}: afsnittet mangler (fx Varig ændring)")
        kind = area = None
        if section in ("permanent", "implementation"):  # read in the sheet's column order
            kind = bad.read(_choice, kind_raw, grid.ref(r, 2), KIND_CODES, "en art")
            area = bad.read(_choice, area_raw, grid.ref(r, 3), AREA_CODES, "et styringsområde")
        amounts = {}
        if section == "specification":
            unit = units.get(lines[previous]["section"]) if previous is not None else None
        else:
            unit = units.get(section)
        for year, (value, ref) in zip(years, amounts_raw, strict=True):
            number = bad.read(_amount, value, ref, unit or prices.DEFAULT_UNIT)
            if number is not None:
                amounts[str(year)] = _json_number(number)
        if section == "fte":
            fte.update(amounts)
            for year, (_v, ref) in zip(years, amounts_raw, strict=True):
                where[f'fte["{year}"]'] = ref
            continue
        entry = {"label": None if label is None else str(label), "amounts": amounts}
        if section == "specification":
            # a row under the line above it: that line's specification
            if previous is None:
                raise XlsxImportError(
                    f"{grid.ref(r, 1)}: en specifikation skal stå lige under den linje "
                    "(Varig ændring eller Implementering), den specificerer"
                )
            specs = lines[previous].setdefault("specifications", [])
            index, prefix = len(specs), f"lines[{previous}].specifications"
            specs.append(entry)
            where[f"{prefix}[{index}]"] = grid.ref(r, 1)
            where[f"{prefix}[{index}].label"] = grid.ref(r, 4)
            where[f"lines[{previous}].specifications"] = grid.ref(r, 1)
            for year, (_v, ref) in zip(years, amounts_raw, strict=True):
                where[f'{prefix}[{index}].amounts["{year}"]'] = ref
            continue
        previous = None
        if section == "administration":
            index, prefix = len(admin), "admin_lines"
            admin.append(entry)
        else:
            entry["section"] = section
            entry["kind"], entry["area"] = kind, area
            index, prefix = len(lines), "lines"
            previous = index
            lines.append(entry)
            where[f"{prefix}[{index}].section"] = grid.ref(r, 1)
            where[f"{prefix}[{index}].kind"] = grid.ref(r, 2)
            where[f"{prefix}[{index}].area"] = grid.ref(r, 3)
        where[f"{prefix}[{index}]"] = grid.ref(r, 1)
        where[f"{prefix}[{index}].label"] = grid.ref(r, 4)
        for year, (_v, ref) in zip(years, amounts_raw, strict=True):
            where[f'{prefix}[{index}].amounts["{year}"]'] = ref
    proposal["lines"], proposal["admin_lines"], proposal["fte"] = lines, admin, fte or None

    proposal["followup"] = []
    if "Opfølgning" in sheets:
        sheet = sheets["Opfølgning"]
        for r in range(2, len(sheet.rows) + 1):
            row = [_cell(sheet, r, c) for c in range(1, 6)]
            if all(v is None for v in row):
                continue
            where[f"followup[{len(proposal['followup'])}]"] = sheet.ref(r, 1)
            proposal["followup"].append(
                dict(
                    zip(
                        ("criterion", "how_measured", "how_achieved", "responsible", "when"),
                        (None if v is None else str(v) for v in row),
                        strict=True,
                    )
                )
            )
    proposal["hearing"] = []
    if "Hørt" in sheets:
        sheet = sheets["Hørt"]
        for r in range(2, len(sheet.rows) + 1):
            body, answer, date = (_cell(sheet, r, c) for c in range(1, 4))
            if body is None and answer is None and date is None:
                continue
            i = len(proposal["hearing"])
            where[f"hearing[{i}].body"] = sheet.ref(r, 1)
            where[f"hearing[{i}]"] = sheet.ref(r, 1)
            proposal["hearing"].append(
                {
                    "body": None if body is None else str(body),
                    "answer": bad.read(_choice, answer, sheet.ref(r, 2), ANSWER_CODES, "et svar"),
                    "date": None if date is None else str(date),
                }
            )
    proposal["distributions"] = _read_distributions(sheets.get("Fordeling"), where, bad)
    if "Andre afsnit" in sheets:
        sheet = sheets["Andre afsnit"]
        for r in range(2, len(sheet.rows) + 1):
            heading, text = _cell(sheet, r, 1), _cell(sheet, r, 2)
            if heading is None and text is None:
                continue
            if heading is None:
                raise XlsxImportError(f"{sheet.ref(r, 1)}: overskriften mangler")
            proposal["sections"]["other"][str(heading)] = None if text is None else str(text)
            where[f'sections.other["{heading}"]'] = sheet.ref(r, 2)
    bad.raise_any()
    return proposal, where


def _read_units(grid: Sheet) -> dict[str, str]:
    """The unit of each grid section from row 2 of "Økonomi" (a label cell, the unit to
    its right); a section without one is in 1.000 kr. (templates made before the unit
    cells). An unknown unit is refused with the cell."""
    labels = {label.lower(): section for section, label in UNIT_SECTIONS.items()}
    units = {}
    for c in range(1, MAX_COLUMNS):
        label = _cell(grid, UNIT_ROW, c)
        section = labels.get(str(label).strip().rstrip(":").lower()) if label else None
        if section is None:
            continue
        raw = _cell(grid, UNIT_ROW, c + 1)
        if raw is None:
            continue
        code = UNIT_CODES.get(" ".join(str(raw).split()).lower())
        if code is None:
            raise XlsxImportError(
                f"{grid.ref(UNIT_ROW, c + 1)}: '{raw}' er ikke en enhed (skriv kr., 1.000 kr. "
                "eller mio. kr.)"
            )
        units[section] = code
    return units


def _amount(value: Any, ref: str, unit: str) -> Decimal | None:
    """A grid cell typed in `unit`, in 1.000 kr. exactly (`finance.prices.to_thousands`),
    or refused with the cell: 1.234,5 kr. is not a whole number of 1.000 kr. with two
    decimals."""
    if unit == prices.DEFAULT_UNIT:
        return exact_number(value, ref)
    # a float is taken to the decimals the stored amount can have in this unit
    places = max(0, prices.STORED_PLACES + prices.ENTRY_UNITS[unit].adjusted())
    number = parse_number(value, ref, places=places)
    if number is None:
        return None
    try:
        stored = prices.to_thousands(number, unit).normalize()
    except prices.UnitError as error:
        raise XlsxImportError(f"{ref}: {error}") from None
    return _checked(stored, ref)


def _read_distributions(sheet: Sheet | None, where: dict[str, str], bad: CellErrors) -> list[dict]:
    if sheet is None:
        return []
    years = []
    for c in range(7, 7 + MAX_COLUMNS):
        value = _cell(sheet, 1, c)
        if value is None:
            break
        years.append(_year(value, sheet.ref(1, c)))
    distributions: dict[str, dict] = {}
    for r in range(2, len(sheet.rows) + 1):
        row = [_cell(sheet, r, c) for c in range(1, 7 + len(years))]
        if all(v is None for v in row):
            continue
        subject, basis_raw, committee, unit, account, weight = row[:6]
        basis = _choice(basis_raw, sheet.ref(r, 2), BASIS_CODES, "et grundlag")
        d = distributions.setdefault(str(subject), {"subject": subject, "basis": basis, "rows": []})
        i = list(distributions).index(str(subject))
        k = len(d["rows"])
        where[f"distributions[{i}].subject"] = sheet.ref(r, 1)
        where[f"distributions[{i}].rows[{k}]"] = sheet.ref(r, 3)
        where[f"distributions[{i}].rows[{k}].committee"] = sheet.ref(r, 3)
        where[f"distributions[{i}].rows[{k}].weight"] = sheet.ref(r, 6)
        out = {"committee": committee, "unit": unit, "account": account}
        if basis == "weights":
            w = bad.read(exact_number, weight, sheet.ref(r, 6), places=6)
            out["weight"] = None if w is None else _json_number(w)
        else:
            amounts = {}
            for j, year in enumerate(years):
                ref = sheet.ref(r, 7 + j)
                number = bad.read(exact_number, row[6 + j], ref)
                where[f'distributions[{i}].rows[{k}].amounts["{year}"]'] = ref
                if number is not None:
                    amounts[str(year)] = _json_number(number)
            out["amounts"] = amounts
            w = bad.read(exact_number, weight, sheet.ref(r, 6), places=6)
            if w is not None:  # the printed key beside explicit amounts
                out["weight"] = _json_number(w)
        d["rows"].append(out)
    return list(distributions.values())


PRESERVED = ("stated", "other_tables", "anomalies", "priority_criteria", "printed_headings")


def import_xlsx(raw: bytes, catalog: Catalog, *, user=None, reason: str = "") -> ImportResult:
    """Create or update one proposal of `catalog` from a filled-in template.

    `reason`: why a recommended or decided proposal is changed (required for it:
    `cases.services.ReasonRequired`, issue 11, finding 3).
    Raises `XlsxImportError` (Danish, with sheet!cell); then nothing has changed."""
    check_file(raw)
    sheets = _read_sheets(raw)
    meta = sheets.get("_bilag")
    if meta is not None and _cell(meta, 1, 2) not in (None, TEMPLATE_MARK):
        raise XlsxImportError(f"_bilag!B1: ukendt skabelonformat '{_cell(meta, 1, 2)}'")
    proposal, where = read_proposal(sheets)
    number = proposal.get("number")
    if number is not None:
        existing = Proposal.objects.filter(catalog=catalog, number=str(number)).first()
        if existing is not None:
            # Printed material the template does not carry is kept as it is.
            current = export_proposal(
                proposals_with_inputs(Proposal.objects.filter(pk=existing.pk)).get()
            )
            for key in PRESERVED:
                proposal.setdefault(key, current.get(key))
    document = {
        "format": FORMAT_NAME,
        "source_file": catalog.source_file or None,
        "catalog": {
            "key": catalog.key,
            "title": catalog.title,
            "annex": catalog.annex or None,
            "pool": catalog.pool,
            "budget_year": catalog.budget_year,
            "overview": catalog.overview,
        },
        "proposals": [proposal],
    }
    with transaction.atomic():
        if user is not None and number is not None:
            existing = Proposal.objects.filter(catalog=catalog, number=str(number)).first()
            if existing is not None and not permissions.can_view(user, existing):
                # As everywhere else (a 404): nothing of what the user may not read.
                raise XlsxImportError(
                    f"{where.get('number', 'Forslag')}: forslag {number} ikke fundet"
                )
            if existing is not None and not permissions.can_edit(user, existing):
                raise XlsxImportError(
                    f"{where.get('number', 'Forslag')}: du må ikke ændre forslag "
                    f"{existing.number} ({existing.title})"
                )
        try:
            result = import_document(document, user=user, reason=reason)
        except InterchangeError as exc:
            raise XlsxImportError(_located(exc, where)) from None
        if user is not None:
            # What was written must be the user's to edit (finance staff: their own
            # administration, an editable state); otherwise nothing is kept.
            for written in result.created + result.updated:
                proposal_obj = Proposal.objects.get(catalog=catalog, number=written)
                if not permissions.can_edit(user, proposal_obj):
                    raise XlsxImportError(
                        "Forslag: du må kun indlæse forslag, som du selv må redigere "
                        "(din egen forvaltning, og mens forslaget kan redigeres)"
                    )
        return result


def _located(exc: InterchangeError, where: dict[str, str]) -> str:
    """The importer's message with the JSON path replaced by the sheet and cell."""
    path = re.sub(r"^proposals\[0\]\.?", "", exc.path or "")
    candidate = path
    while candidate:
        if candidate in where:
            return f"{where[candidate]}: {exc.message}"
        cut = max(candidate.rfind("."), candidate.rfind("["))
        candidate = candidate[:cut] if cut > 0 else ""
    return f"{path or 'Forslag'}: {exc.message}" if path else exc.message
