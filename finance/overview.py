"""The total row of a catalogue's overview table ("I alt").

The annexes print each proposal's overview figures in million kroner with one decimal
(`finance.engine.overview_row`) and a total row that is the sum of the printed figures,
so that the column adds up on paper. Pure Python, Decimal only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .engine import OVERVIEW_KEYS

__all__ = ["overview_total"]

SUMMED = tuple(key for key in OVERVIEW_KEYS if key != "payback_years")


def overview_total(rows: Iterable[Mapping[str, Decimal | int | None]]) -> dict[str, Decimal]:
    """Column sums of `overview_row` results (payback years are not summed)."""
    total = dict.fromkeys(SUMMED, Decimal(0))
    for row in rows:
        for key in SUMMED:
            value = row.get(key)
            if value is not None:
                total[key] += value
    return total
