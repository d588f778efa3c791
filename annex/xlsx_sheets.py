"""The workbook's catalogue-wide sheets beside the proposal sheets: "Administration"
(Varige ændringer, administration), "Årsværk" (Personalemæssige konsekvenser),
"Specifikationer" (the rows under a line) and "Teknisk bilag" (every distribution table
the PDF prints, from `annex.printing.technical_tables`, i.e. `finance.technical_annex`
and the engine's allocated distributions: the same figures as the PDF).

Each sheet holds one block per proposal that has something to show: its number and
title, a header with its years, the rows. The sheets are write-only and streamed: each
row goes to its sheet's file as the proposals stream past (`DetailSheets.add`, through
`annex.xlsx_export.StreamedRows`, without openpyxl's cell objects), so that memory and
open files do not grow with the catalogue (issue 13). The four sheet files are opened
when the export starts; a sheet that stays empty is dropped before saving.

The totals of the administration lines and of the specifications are live formulas
(SUM over the rows above, as on the proposal sheets); the Teknisk bilag's figures,
totals included, are the engine's numbers as the PDF prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from cases.selectors import admin_lines, grid_lines, line_amounts, line_specifications
from cases.spreadsheet import AMOUNT_FORMAT
from finance import engine

from . import layout, printing, technical

ADMINISTRATION = "Administration"
FTE = "Årsværk"
SPECIFICATIONS = "Specifikationer"
TECHNICAL = "Teknisk bilag"
SHEETS = (ADMINISTRATION, FTE, SPECIFICATIONS, TECHNICAL)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
CENTS_FORMAT = "#,##0.00;-#,##0.00"
FTE_FORMAT = "#,##0.0#;-#,##0.0#"
PRINT_LANGUAGE = "da"


def _format(values, places: int = 0) -> str:
    """Whole thousands, or two decimals when a value has decimals (as the sheets)."""
    if places or any(v is not None and v != v.to_integral_value() for v in values):
        return CENTS_FORMAT
    return AMOUNT_FORMAT


class DetailSheets:
    """The four sheets of one workbook. `create(name)` adds a write-only sheet;
    `stream(ws)` starts its file and returns its row writer (`StreamedRows`: `append`
    of (kind, value, style id) cells, `style(...)`, `text(...)`, `row`, `close()`);
    `committees` are the printed organisation's rows
    (`Committee.objects.order_by("order", "code")`)."""

    def __init__(self, create: Callable[[str], Any], stream: Callable[[Any], Any],
                 committees, catalog):  # fmt: skip
        self.org = technical.Organisation.from_committees(list(committees))
        self.pool = catalog.pool
        self.captions = layout.layout_for(catalog).tables
        widths = {ADMINISTRATION: "A50", FTE: "A50", SPECIFICATIONS: "A40 B40",
                  TECHNICAL: "A40 B14 C14 D14"}  # fmt: skip
        self.sheets = {}
        for name in SHEETS:
            ws = create(name)
            for spec in widths[name].split():
                ws.column_dimensions[spec[0]].width = int(spec[1:])
            # its file is open from the start: the number of open files stays constant
            self.sheets[name] = stream(ws)

    # ------------------------------------------------------------------ cells

    @staticmethod
    def _numbers(rows, values, fmt: str, bold: bool = False) -> list:
        sid = rows.style(fmt, font=BOLD) if bold else rows.style(fmt)
        return [None if v is None else ("n", v, sid) for v in values]

    def _title(self, rows, proposal) -> None:
        if rows.row:
            rows.append([])
        rows.append([rows.text(f"{proposal.number} {proposal.title}", rows.style(font=TITLE))])
        rows.append([rows.text(f"1.000 kr. {proposal.price_level_year} p/l")])

    def _header(self, rows, labels: list[str], years) -> None:
        sid = rows.style(font=BOLD, fill=HEADER_FILL)
        year = rows.style("0", font=BOLD, fill=HEADER_FILL)
        rows.append([rows.text(label, sid) for label in labels] + [("n", y, year) for y in years])

    def _sum_row(self, rows, label: str, first: int, last: int, offset: int, years, fmt) -> None:
        """A bold total row: per year =IF(COUNT(..)=0,"",SUM(..)) over rows first..last
        (the year columns start after `offset` columns)."""
        sid = rows.style(fmt, font=BOLD)
        cells: list[Any] = [rows.text(label, rows.style(font=BOLD))] + [None] * (offset - 1)
        for i in range(len(years)):
            letter = get_column_letter(offset + 1 + i)
            area = f"{letter}{first}:{letter}{last}"
            cells.append(("f", f'=IF(COUNT({area})=0,"",SUM({area}))', sid))
        rows.append(cells)

    # ------------------------------------------------------------------ sheets

    def add(self, proposal, figures: engine.Figures) -> None:
        """Append the proposal's blocks (only where it has something to show)."""
        self._administration(proposal, figures)
        self._fte(proposal, figures)
        self._specifications(proposal, figures)
        self._technical(proposal, figures)

    def _administration(self, proposal, figures: engine.Figures) -> None:
        lines = admin_lines(proposal)
        if not lines:
            return
        rows, years = self.sheets[ADMINISTRATION], figures.years
        amounts = [line_amounts(ln) for ln in lines]
        fmt = _format([v for a in amounts for v in a.values()])
        self._title(rows, proposal)
        self._header(rows, ["Varige ændringer, administration"], years)
        first = rows.row + 1
        for ln, values in zip(lines, amounts, strict=True):
            rows.append(
                [rows.text(ln.label)] + self._numbers(rows, [values.get(y) for y in years], fmt)
            )
        total = "Varige ændringer i alt, administration"
        self._sum_row(rows, total, first, rows.row, 1, years, fmt)

    def _fte(self, proposal, figures: engine.Figures) -> None:
        fte = {f.year: f.fte for f in proposal.fte_years.all()}
        if not fte:
            return
        rows = self.sheets[FTE]
        years = sorted(set(figures.years) | set(fte))
        self._title(rows, proposal)
        self._header(rows, [""], years)
        rows.append(
            [rows.text("Personalemæssige konsekvenser (ÅV)")]
            + self._numbers(rows, [fte.get(y) for y in years], FTE_FORMAT)
        )

    def _specifications(self, proposal, figures: engine.Figures) -> None:
        lines = [ln for ln in grid_lines(proposal) if ln.specifications]
        if not lines:
            return
        rows, years = self.sheets[SPECIFICATIONS], figures.years
        self._title(rows, proposal)
        self._header(rows, ["Linje", "Specifikation"], years)
        for ln in lines:
            amounts = line_amounts(ln)
            specs = line_specifications(ln)
            fmt = _format([*amounts.values(), *(v for s in specs for v in s.amounts.values())])
            rows.append(
                [rows.text(ln.label, rows.style(font=BOLD)), None]
                + self._numbers(rows, [amounts.get(y) for y in years], fmt, bold=True)
            )
            first = rows.row + 1
            for spec in specs:
                rows.append(
                    [None, rows.text(spec.label)]
                    + self._numbers(rows, [spec.amounts.get(y) for y in years], fmt)
                )
            self._sum_row(rows, "Specifikationerne i alt", first, rows.row, 2, years, fmt)

    def _technical(self, proposal, figures: engine.Figures) -> None:
        if not figures.distributions:
            return
        with translation.override(PRINT_LANGUAGE):
            tables = printing.technical_tables(
                proposal, figures, self.org, self.pool, self.captions
            )
            labels = technical.kind_labels()
        if not tables:
            return
        rows = self.sheets[TECHNICAL]
        self._title(rows, proposal)
        for table in tables:
            rows.append([])
            rows.append([rows.text(table.caption, rows.style(font=BOLD))])
            self._header(rows, [table.unit, *(labels[c] for c in table.columns)], table.years)
            fmt = (
                CENTS_FORMAT if table.places else _format([v for r in table.rows for v in r.cells])
            )
            for row in table.rows:
                bold = row.style == "total"
                sid = rows.style(font=BOLD) if bold else 0
                extra = {technical.KIND: row.kind, technical.KEY: row.key,
                         technical.ACCOUNT: row.account}  # fmt: skip
                rows.append(
                    [rows.text(row.label if row.first else None, sid)]
                    + [rows.text(extra[c] or None, sid) for c in table.columns]
                    + self._numbers(rows, row.cells, fmt, bold=bold)
                )
            if table.footnote:
                rows.append([rows.text(table.footnote)])

    # ------------------------------------------------------------------ end

    def finish(self, wb) -> None:
        """Close the sheets; drop the empty ones; put the rest after the proposals."""
        for rows in self.sheets.values():
            ws = rows.ws
            rows.close()
            wb._sheets.remove(ws)
            if rows.row:
                wb._sheets.append(ws)
            else:  # nothing to show: its (closed, empty) file is not zipped
                out = ws._writer.out
                if out in ALL_TEMP_FILES:
                    ALL_TEMP_FILES.remove(out)
