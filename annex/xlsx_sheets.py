"""The workbook's catalogue-wide sheets beside the proposal sheets: "Administration"
(Varige ændringer, administration), "Årsværk" (Personalemæssige konsekvenser),
"Specifikationer" (the rows under a line) and "Teknisk bilag" (every distribution table
the PDF prints, from `annex.printing.technical_tables`, i.e. `finance.technical_annex`
and the engine's allocated distributions: the same figures as the PDF).

Each sheet holds one block per proposal that has something to show: its number and
title, a header with its years, the rows. The sheets are write-only and streamed: each
block is appended while the proposals stream past (`DetailSheets.add`), so that memory
and open files do not grow with the catalogue (issue 13). The four sheet files are
opened when the export starts; a sheet that stays empty is dropped before saving.

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
from cases.spreadsheet import AMOUNT_FORMAT, formula_cell, number_cell, text_cell
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


class _Block:
    """Rows appended to one write-only sheet, counting the row numbers (for formulas)."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 0

    def append(self, cells: list) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row


class DetailSheets:
    """The four sheets of one workbook. `create(name)` adds a write-only sheet,
    `open_file(ws)` starts its file (the export's scratch folder); `committees` are the
    printed organisation's rows (`Committee.objects.order_by("order", "code")`)."""

    def __init__(self, create: Callable[[str], Any], open_file: Callable[[Any], None],
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
            open_file(ws)  # its file is open from the start: open files stay constant
            self.sheets[name] = _Block(ws)

    # ------------------------------------------------------------------ cells

    def _text(self, ws, value, **style):
        return text_cell(ws, value, **style)

    def _title(self, block: _Block, proposal) -> None:
        ws = block.ws
        if block.row:
            block.append([])
        block.append([self._text(ws, f"{proposal.number} {proposal.title}", font=TITLE)])
        block.append([self._text(ws, f"1.000 kr. {proposal.price_level_year} p/l")])

    def _header(self, block: _Block, labels: list[str], years) -> None:
        ws = block.ws
        style = {"font": BOLD, "fill": HEADER_FILL}
        block.append(
            [self._text(ws, label, **style) for label in labels]
            + [number_cell(ws, y, "0", **style) for y in years]
        )

    def _numbers(self, ws, values, fmt, **style) -> list:
        return [number_cell(ws, v, fmt, **style) if v is not None else None for v in values]

    def _sum_row(
        self, block: _Block, label: str, first: int, last: int, offset: int, years, fmt: str
    ) -> None:
        """A bold total row: per year =IF(COUNT(..)=0,"",SUM(..)) over rows first..last
        (the year columns start after `offset` columns)."""
        ws = block.ws
        cells: list[Any] = [self._text(ws, label, font=BOLD)] + [None] * (offset - 1)
        for i in range(len(years)):
            letter = get_column_letter(offset + 1 + i)
            area = f"{letter}{first}:{letter}{last}"
            cells.append(formula_cell(ws, f'=IF(COUNT({area})=0,"",SUM({area}))', fmt, font=BOLD))
        block.append(cells)

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
        block = self.sheets[ADMINISTRATION]
        ws, years = block.ws, figures.years
        amounts = [line_amounts(ln) for ln in lines]
        fmt = _format([v for a in amounts for v in a.values()])
        self._title(block, proposal)
        self._header(block, ["Varige ændringer, administration"], years)
        first = block.row + 1
        for ln, values in zip(lines, amounts, strict=True):
            block.append(
                [self._text(ws, ln.label)] + self._numbers(ws, [values.get(y) for y in years], fmt)
            )
        total = "Varige ændringer i alt, administration"
        self._sum_row(block, total, first, block.row, 1, years, fmt)

    def _fte(self, proposal, figures: engine.Figures) -> None:
        fte = {f.year: f.fte for f in proposal.fte_years.all()}
        if not fte:
            return
        block = self.sheets[FTE]
        ws = block.ws
        years = sorted(set(figures.years) | set(fte))
        self._title(block, proposal)
        self._header(block, [""], years)
        block.append(
            [self._text(ws, "Personalemæssige konsekvenser (ÅV)")]
            + self._numbers(ws, [fte.get(y) for y in years], FTE_FORMAT)
        )

    def _specifications(self, proposal, figures: engine.Figures) -> None:
        lines = [ln for ln in grid_lines(proposal) if ln.specifications]
        if not lines:
            return
        block = self.sheets[SPECIFICATIONS]
        ws, years = block.ws, figures.years
        self._title(block, proposal)
        self._header(block, ["Linje", "Specifikation"], years)
        for ln in lines:
            amounts = line_amounts(ln)
            specs = line_specifications(ln)
            fmt = _format([*amounts.values(), *(v for s in specs for v in s.amounts.values())])
            block.append(
                [self._text(ws, ln.label, font=BOLD), None]
                + self._numbers(ws, [amounts.get(y) for y in years], fmt, font=BOLD)
            )
            first = block.row + 1
            for spec in specs:
                block.append(
                    [None, self._text(ws, spec.label)]
                    + self._numbers(ws, [spec.amounts.get(y) for y in years], fmt)
                )
            self._sum_row(block, "Specifikationerne i alt", first, block.row, 2, years, fmt)

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
        block = self.sheets[TECHNICAL]
        ws = block.ws
        self._title(block, proposal)
        for table in tables:
            block.append([])
            block.append([self._text(ws, table.caption, font=BOLD)])
            columns = [labels[c] for c in table.columns]
            self._header(block, [table.unit, *columns], table.years)
            fmt = (
                CENTS_FORMAT if table.places else _format([v for r in table.rows for v in r.cells])
            )
            for row in table.rows:
                style = {"font": BOLD} if row.style == "total" else {}
                extra = {technical.KIND: row.kind, technical.KEY: row.key,
                         technical.ACCOUNT: row.account}  # fmt: skip
                block.append(
                    [self._text(ws, row.label if row.first else None, **style)]
                    + [self._text(ws, extra[c] or None, **style) for c in table.columns]
                    + self._numbers(ws, row.cells, fmt, **style)
                )
            if table.footnote:
                block.append([self._text(ws, table.footnote)])

    # ------------------------------------------------------------------ end

    def finish(self, wb) -> None:
        """Close the sheets; drop the empty ones; put the rest after the proposals."""
        for block in self.sheets.values():
            ws = block.ws
            ws.close()
            wb._sheets.remove(ws)
            if block.row:
                wb._sheets.append(ws)
            else:  # nothing to show: its (closed, empty) file is not zipped
                out = ws._writer.out
                if out in ALL_TEMP_FILES:
                    ALL_TEMP_FILES.remove(out)
