"""Specification rows under a line: which rows of a printed detail table break a line
of table 1.1 down further (pure functions, Decimal, no database).

Investment 2021 BC11: "Sociale ydelser (BIF)" −2.512 = Kontanthjælp −1.528 +
Førtidspension −693 + Øvrige LAS-ydelser −291; BC03: "Bygningsoptimering" 2.610 =
Bygningsoptimering 1.260 + Projekt- og forandringsledelse 1.350; innovation 2020 BC10:
"Etablering af datagrundlag og processer" 518 = 211 + 307 (rows 1 and 3 of its table).
The check that specifications add up to their line is the engine's
(``engine.specification_checks``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import combinations

__all__ = ["match_specifications", "same_amounts"]

Amounts = Mapping[int, Decimal]
ZERO = Decimal(0)
MAX_PARTS = 6
MAX_CANDIDATES = 16  # above this, only runs of neighbouring rows are tried


def same_amounts(a: Amounts, b: Amounts) -> bool:
    """Equal in every year; an empty cell counts as 0 here (a printed 0 and an empty
    cell add up alike)."""
    return all(a.get(y, ZERO) == b.get(y, ZERO) for y in set(a) | set(b))


def _sum(rows: Sequence[Amounts]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for row in rows:
        for year, amount in row.items():
            out[year] = out.get(year, ZERO) + amount
    return out


def match_specifications(lines: Sequence[Amounts], rows: Sequence[Amounts]) -> dict[int, list[int]]:
    """Which rows of a printed detail table specify which line: ``{line index: [row
    indexes]}`` for every line that two or more rows add up to exactly, in every year.

    A row equal to a line is that line itself (matched first, in order, and not used
    again). Then each remaining line takes the first run of neighbouring unused rows
    that adds up to it, else the first combination of up to ``MAX_PARTS`` unused rows
    (in row order). Each row specifies at most one line; a line no rows add up to keeps
    no specification (the print shows the line)."""
    used: set[int] = set()
    plain: set[int] = set()
    for i, line in enumerate(lines):
        for j, row in enumerate(rows):
            if j not in used and same_amounts(line, row):
                used.add(j)
                plain.add(i)
                break
    out: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if i in plain or not line:
            continue
        free = [j for j in range(len(rows)) if j not in used and rows[j]]
        found = None
        for size in range(2, min(MAX_PARTS, len(free)) + 1):  # neighbouring rows first
            for start in range(len(free) - size + 1):
                run = free[start : start + size]
                if run == list(range(run[0], run[0] + size)) and same_amounts(
                    line, _sum([rows[j] for j in run])
                ):
                    found = run
                    break
            if found:
                break
        if found is None and len(free) <= MAX_CANDIDATES:
            for size in range(2, min(MAX_PARTS, len(free)) + 1):
                found = next(
                    (
                        list(combo)
                        for combo in combinations(free, size)
                        if same_amounts(line, _sum([rows[j] for j in combo]))
                    ),
                    None,
                )
                if found:
                    break
        if found:
            out[i] = found
            used.update(found)
    return out
