"""Cells for write-only openpyxl workbooks: text that is never a formula, numbers with
their format, and styles shared per workbook. Used by every xlsx the project writes (the
annex workbook, the case list export); moved here from `annex.xlsx_export` so that the
layers below the annex can use them (issue 9).

Text is never written as a formula: a cell whose text begins with "=", "+", "-" or "@"
(or a tab or carriage return) is written as a string with Excel's quote prefix.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell

AMOUNT_FORMAT = "#,##0;-#,##0"
DECIMAL_FORMAT = "#,##0.0;-#,##0.0"
INJECTION_START = ("=", "+", "-", "@", "\t", "\r")


def styled(cell: WriteOnlyCell, number_format: str | None, style: dict) -> WriteOnlyCell:
    """Apply a number format and styles; each combination is resolved once per workbook
    and shared afterwards (openpyxl hashes every style on assignment, and the repr of a
    style object is costly: both dominated the export of a large catalogue). The cache is
    keyed by the identity of the style objects, and keeps them alive so that an identity
    is never reused while the cache lives."""
    if number_format is None and not style:
        return cell
    # Style indices belong to one workbook: the cache lives on the workbook.
    workbook = cell.parent.parent
    styles = workbook.__dict__.get("_bilag_style_cache")
    if styles is None:
        styles = workbook.__dict__["_bilag_style_cache"] = {}
    key = (number_format, *((k, id(v)) for k, v in style.items()))
    cached = styles.get(key)
    if cached is None:
        if number_format is not None:
            cell.number_format = number_format
        for name, val in style.items():
            setattr(cell, name, val)
        styles[key] = (cell._style, tuple(style.values()))
    else:
        # the writer only reads a cell's StyleArray: cells of one style can share it
        cell._style = cached[0]
    return cell


def text_cell(ws, value: Any, **style) -> WriteOnlyCell | str | None:
    """A cell that is text whatever its first character (formula-injection safe).
    Unstyled text that cannot be read as a formula is returned as the plain string
    (openpyxl writes a str as text unless it begins with "="): cheaper to write."""
    if value is None:
        return styled(WriteOnlyCell(ws, value=None), None, style) if style else None
    text = str(value)
    if text.startswith(INJECTION_START):
        style = {**style, "quotePrefix": True}
    elif not style:
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return styled(cell, None, style)


def number_cell(ws, value: Decimal | int | None, number_format=AMOUNT_FORMAT, **style):
    """A number with its format; an empty cell stays empty (None: no cell is written)."""
    if value is None and not style:
        return None
    return styled(WriteOnlyCell(ws, value=value), number_format, style)


def formula_cell(ws, formula: str, number_format=AMOUNT_FORMAT, **style):
    return styled(WriteOnlyCell(ws, value=formula), number_format, style)
