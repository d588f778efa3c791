"""Price and wage levels (pris- og lønniveau, p/l): converting amounts between years,
and the units amounts are typed in.

Pure functions on ``Decimal``.  An index series maps a year to its price/wage index
(any base; only ratios matter).  Converting from p/l year ``a`` to ``b`` multiplies by
``index[b] / index[a]`` exactly (a rational number) and rounds once, half up, to whole
kroner (``CONVERTED_PLACES`` = 3 decimals of 1.000 kr.), so that converting there and
back returns the input for any realistic pair of years.  Where rows must keep adding up
(a table's rows and its total, a catalogue's proposals and its total), the total is
converted and rounded, and the rows are rounded to it by the largest-remainder rule
(``finance.rounding.round_to_total``).

Entry units: amounts may be typed in kr., 1.000 kr. or mio. kr.; they are stored in
1.000 kr. with at most two decimals, exactly (``to_thousands``), never rounded.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from .formatting import format_amount
from .rounding import round_fraction_half_up, round_to_total

__all__ = [
    "CONVERTED_PLACES",
    "ENTRY_UNITS",
    "STORED_PLACES",
    "PriceLevelError",
    "UnitError",
    "convert_amount",
    "convert_series",
    "convert_table",
    "factor",
    "from_thousands",
    "to_thousands",
]

CONVERTED_PLACES = 3  # whole kroner, in 1.000 kr.
STORED_PLACES = 2  # amounts are stored in 1.000 kr. with two decimals

# unit -> how many 1.000 kr. one unit is
ENTRY_UNITS: dict[str, Decimal] = {
    "kr": Decimal("0.001"),
    "t.kr": Decimal(1),
    "mio.kr": Decimal(1000),
}
UNIT_LABELS = {"kr": "kr.", "t.kr": "1.000 kr.", "mio.kr": "mio. kr."}


class PriceLevelError(ValueError):
    """The index has no value for a year (message in Danish)."""


class UnitError(ValueError):
    """An amount cannot be stored exactly in 1.000 kr. (message in Danish)."""


def factor(index: Mapping[int, Decimal], from_year: int, to_year: int) -> Fraction:
    """``index[to_year] / index[from_year]`` exactly.  Raises ``PriceLevelError`` for a
    year without a (positive) index value."""
    for year in (from_year, to_year):
        value = index.get(year)
        if value is None or value <= 0:
            raise PriceLevelError(f"Der er intet pris- og lønindeks for {year}")
    return Fraction(index[to_year]) / Fraction(index[from_year])


def convert_amount(
    amount: Decimal | None,
    index: Mapping[int, Decimal],
    from_year: int,
    to_year: int,
    places: int = CONVERTED_PLACES,
) -> Decimal | None:
    """``amount`` (1.000 kr., ``from_year`` p/l) in ``to_year`` p/l, rounded half up to
    ``places`` decimals (default whole kroner).  ``None`` (an empty cell) stays ``None``.

    Example: 1.034 at index 100.0 to index 103.1 -> 1.066,054 (1.034 * 1,031).
    Converting back with ``places=STORED_PLACES`` returns the stored amount whenever
    the index ratio is above 0,1 (the error of whole kroner, divided by the ratio,
    stays below half a hundredth).
    """
    if amount is None:
        return None
    exact = Fraction(amount) * factor(index, from_year, to_year)
    return round_fraction_half_up(exact, places)


def _convert_column(values: Sequence[Decimal | None], f: Fraction) -> tuple[list, Decimal | None]:
    """One column: the rows converted so that they add up to the converted total."""
    present = [i for i, v in enumerate(values) if v is not None]
    if not present:
        return [None] * len(values), None
    quantum = 10**CONVERTED_PLACES
    exact = [Fraction(values[i]) * f * quantum for i in present]
    total = round_fraction_half_up(sum(exact, Fraction(0)) / quantum, CONVERTED_PLACES)
    units = round_to_total(exact, int(total.scaleb(CONVERTED_PLACES)))
    out: list[Decimal | None] = [None] * len(values)
    for i, n in zip(present, units, strict=True):
        out[i] = Decimal(n).scaleb(-CONVERTED_PLACES)
    return out, total


def convert_series(
    amounts: Mapping[int, Decimal | None], index: Mapping[int, Decimal], from_year: int,
    to_year: int,
) -> dict[int, Decimal | None]:  # fmt: skip
    """Every amount of a year series converted by ``convert_amount``."""
    return {year: convert_amount(v, index, from_year, to_year) for year, v in amounts.items()}


def convert_table[K: Hashable](
    rows: Mapping[K, Mapping[int, Decimal | None]],
    index: Mapping[int, Decimal],
    from_year: int,
    to_year: int,
) -> tuple[dict[K, dict[int, Decimal | None]], dict[int, Decimal | None]]:
    """A table (row key -> year -> amount) in ``to_year`` p/l, and its total row.

    Per year, the total of the rows is converted and rounded half up to whole kroner;
    the rows are rounded to that total by the largest-remainder rule, ties to the
    smaller ``str(key)``, so the converted rows add up EXACTLY to the converted total
    and the result does not depend on the order of the rows.  A year in which no row
    has an amount is ``None`` in the total.
    """
    f = factor(index, from_year, to_year)
    keys = sorted(rows, key=str)
    years = sorted({year for key in keys for year in rows[key]})
    out: dict[K, dict[int, Decimal | None]] = {key: {} for key in rows}
    totals: dict[int, Decimal | None] = {}
    for year in years:
        column, totals[year] = _convert_column([rows[k].get(year) for k in keys], f)
        for key, value in zip(keys, column, strict=True):
            if year in rows[key]:
                out[key][year] = value
    return out, totals


# --------------------------------------------------------------------------- entry units


def to_thousands(value: Decimal, unit: str) -> Decimal:
    """An amount typed in ``unit`` ("kr", "t.kr", "mio.kr") in 1.000 kr., exactly.

    ``to_thousands(Decimal("1034000"), "kr") == Decimal("1034.00")``;
    ``to_thousands(Decimal("1.5"), "mio.kr") == Decimal("1500.00")`` (two decimals, as
    stored).  Raises
    ``UnitError`` for an unknown unit, or when the amount needs more than two decimals
    in 1.000 kr. (e.g. 1.234 kr.): stored amounts are never rounded.
    """
    scale = ENTRY_UNITS.get(unit)
    if scale is None:
        raise UnitError(f"Ukendt enhed »{unit}« (brug kr, t.kr eller mio.kr)")
    thousands = value * scale
    stored = thousands.quantize(Decimal(1).scaleb(-STORED_PLACES), rounding="ROUND_DOWN")
    if thousands != stored:
        raise UnitError(
            f"{format_amount(value)} {UNIT_LABELS[unit]} kan ikke gemmes præcist i 1.000 kr. "
            f"med {STORED_PLACES} decimaler"
        )
    return stored


def from_thousands(value: Decimal, unit: str) -> Decimal:
    """An amount in 1.000 kr. shown in ``unit`` (exact: a shift of the decimal point)."""
    scale = ENTRY_UNITS.get(unit)
    if scale is None:
        raise UnitError(f"Ukendt enhed »{unit}« (brug kr, t.kr eller mio.kr)")
    return value / scale
