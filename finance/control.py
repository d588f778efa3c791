"""Kontrolnoter as rows: where a source document printed a figure that differs from the
computation, the row it stood in is shown whole, year by year, as the source laid it
out, beside the same row as computed (issue 10, point 7: "the paper never silently
disagrees with its source").

The checks say which printed figures differ (``engine.Check``); this module only puts
them back into their rows, from what the case holds of the source (``Case.stated``,
``Case.printed_details``, ``Case.printed_distributions``) and the engine's figures:

- ``stated_mismatch`` (a year): the printed total row (``Stated``) and the engine's total.
- ``printed_detail_mismatch``: the detail table's printed total row and the sum of its
  printed rows (empty cells count as 0, as the check adds them).
- ``printed_detail_row_unmatched``: the printed row; nothing computed (no such line).
- ``printed_distribution_mismatch``: the distribution table's printed total row of the
  group and the sum of the group's rows.
- ``distribution_amounts_mismatch``: the sum of the rows as entered and the subject's
  total that they should add up to.

A check without a year (payback, overview, keys) has no row: the caller lists it as a
single figure. A check with a year whose row cannot be found is returned as a row of
its own years only (nothing is dropped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .engine import (
    COST,
    FIELD_NAMES,
    SAVING,
    SUBJECT_NAMES,
    ZERO,
    Check,
    Figures,
    PrintedDistributionRow,
)

__all__ = ["ControlRow", "control_rows"]

ROW_KINDS = {SAVING: "effektivisering", COST: "omkostning"}  # a distribution table's groups
ROW_CODES = {
    "stated_mismatch",
    "printed_detail_mismatch",
    "printed_detail_row_unmatched",
    "printed_distribution_mismatch",
    "distribution_amounts_mismatch",
}


@dataclass
class ControlRow:
    """One printed row that differs from the computation in at least one year.

    ``printed`` and ``computed`` map every year of ``years`` to a Decimal or None (an
    empty cell; ``computed`` is all None for a printed row that has no computed
    counterpart). ``differs``: the years a check reports. ``checks``: those checks."""

    where: str
    years: tuple[int, ...]
    printed: dict[int, Decimal | None]
    computed: dict[int, Decimal | None]
    differs: set[int] = field(default_factory=set)
    checks: list[Check] = field(default_factory=list)


def _sum_rows(rows: Sequence[PrintedDistributionRow], years) -> dict[int, Decimal | None]:
    """Per year, the rows' sum where any prints an amount (None where none does)."""
    out: dict[int, Decimal | None] = {}
    for year in years:
        present = [row.amounts[year] for row in rows if year in row.amounts]
        out[year] = sum(present, ZERO) if present else None
    return out


def _total_row(rows, row_kind=Ellipsis) -> tuple[PrintedDistributionRow | None, list]:
    group = [r for r in rows if row_kind is Ellipsis or r.row_kind == row_kind]
    total = next((r for r in group if r.is_total), None)
    return total, [r for r in group if not r.is_total]


def _row_for(check: Check, figures: Figures) -> tuple[tuple, str, Mapping, Mapping] | None:
    """(key, where, printed row, computed row) of the row a check's figure stands in,
    or None when the case does not hold that row."""
    case = figures.case
    years = figures.years
    caption = check.detail.get("caption", "")
    match check.code:
        case "stated_mismatch":
            printed = getattr(case.stated, check.field or "", None) if case.stated else None
            if printed is None:
                return None
            name = FIELD_NAMES.get(check.field, check.field)
            return ("stated", check.field), name, printed, getattr(figures, check.field)
        case "printed_detail_mismatch" | "printed_detail_row_unmatched":
            table = next((t for t in case.printed_details if t.caption == caption), None)
            if table is None:
                return None
            if check.code == "printed_detail_mismatch":
                total, members = _total_row(table.rows)
                if total is None:
                    return None
                where = f"{caption}, »{total.label}«" if total.label else caption
                return ("detail", caption, None), where, total.amounts, _sum_rows(members, years)
            label = check.detail.get("label", "")
            row = next((r for r in table.rows if r.label == label and not r.is_total), None)
            if row is None:
                return None
            return ("detail", caption, label), f"{caption}, »{label}«", row.amounts, {}
        case "printed_distribution_mismatch":
            table = next((t for t in case.printed_distributions if t.caption == caption), None)
            if table is None:
                return None
            row_kind = check.detail.get("row_kind")
            total, members = _total_row(table.rows, row_kind)
            if total is None:
                return None
            label = ", ".join(x for x in (total.label, ROW_KINDS.get(row_kind, row_kind)) if x)
            where = f"{caption}, »{label}«" if label else caption
            return ("dist", caption, row_kind), where, total.amounts, _sum_rows(members, years)
        case "distribution_amounts_mismatch":
            allocated = next((d for d in figures.distributions if d.subject == check.field), None)
            if allocated is None:
                return None
            entered: dict[int, Decimal | None] = {}
            for year in years:
                present = [r.amounts[year] for r in allocated.rows if r.amounts[year] is not None]
                entered[year] = sum(present, ZERO) if present else None
            subject = SUBJECT_NAMES.get(check.field, check.field)
            return ("entered", check.field), f"Fordelingen af {subject}", entered, allocated.total
    return None


def control_rows(figures: Figures, checks: Sequence[Check] | None = None) -> list[ControlRow]:
    """The rows of the printed figures that ``checks`` (default: ``figures.checks``)
    report as different, in the order of their first check; amounts in the proposal's
    unit (1.000 kr.), exact. Years: the proposal's span and any year the printed row
    holds beyond it, ascending."""
    rows: dict[Any, ControlRow] = {}
    for check in figures.checks if checks is None else checks:
        if check.code not in ROW_CODES or check.year is None:
            continue
        found = _row_for(check, figures)
        if found is None:  # the figure alone, under the check's own words
            key = (check.code, check.field, len(rows))
            where = check.message.split(":", 1)[0]
            printed, computed = {check.year: check.stated}, {check.year: check.computed}
        else:
            key, where, printed, computed = found
        row = rows.get(key)
        if row is None:
            years = tuple(sorted(set(figures.years) | set(printed)))
            row = rows[key] = ControlRow(
                where=where,
                years=years,
                printed={y: printed.get(y) for y in years},
                computed={y: computed.get(y) for y in years},
            )
        row.differs.add(check.year)
        row.checks.append(check)
    return list(rows.values())
