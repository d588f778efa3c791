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
from math import lcm

from . import engine
from .formatting import format_amount
from .rounding import (
    from_units,
    from_units_all,
    half_up,
    round_fraction_half_up,
    round_half_up,
    round_units_to_total,
)

__all__ = [
    "CAPITAL_SERIES",
    "CONVERTED_PLACES",
    "DEFAULT_UNIT",
    "SERVICE_SERIES",
    "ENTRY_UNITS",
    "STORED_PLACES",
    "PriceLevelError",
    "UnitError",
    "chain_index",
    "convert_amount",
    "capital_factor",
    "convert_case",
    "convert_overview",
    "convert_rows",
    "convert_sums",
    "convert_series",
    "convert_table",
    "factor",
    "from_thousands",
    "round_rows",
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
DEFAULT_UNIT = "t.kr"  # the stored unit, and the one an amount is typed in unless told


SERVICE_SERIES = "service"  # drift: the general price and wage index
CAPITAL_SERIES = "anlaeg"  # anlæg: a construction cost index, where one is kept


class PriceLevelError(ValueError):
    """The index has no value for a year (message in Danish)."""


class UnitError(ValueError):
    """An amount cannot be stored exactly in 1.000 kr. (message in Danish); `thousands`
    is the amount in 1.000 kr. that could not be stored (None for an unknown unit)."""

    def __init__(self, message: str, thousands: Decimal | None = None):
        super().__init__(message)
        self.thousands = thousands


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


def _over_one_denominator(ratios: Sequence[tuple[int, int]]) -> tuple[list[int], int]:
    """Exact values ``n / d`` as numerators over one common denominator (their lcm)."""
    denominator = lcm(*(d for _n, d in ratios))
    return [n * (denominator // d) for n, d in ratios], denominator


def _round_exact(numerators: list[int], denominator: int) -> tuple[list[int], int]:
    """Exact amounts in quanta (``numerators[i] / denominator``): the total rounded half
    up once, and the amounts rounded to it by the largest remainder, in integers."""
    total = half_up(sum(numerators), denominator)
    return round_units_to_total(numerators, denominator, total), total


def _convert_column(
    values: Sequence[Decimal | None], f: tuple[int, int]
) -> tuple[list, Decimal | None]:
    """One column: the rows converted (by the factor ``f[0] / f[1]``) so that they add up
    to the converted total (whole kroner)."""
    present = [i for i, v in enumerate(values) if v is not None]
    if not present:
        return [None] * len(values), None
    # v * f * 1000 quanta, exact: (n * f0 * 1000) / (d * f1) over one denominator
    numerators, common = _over_one_denominator([values[i].as_integer_ratio() for i in present])
    scale = f[0] * 10**CONVERTED_PLACES
    units, total = _round_exact([n * scale for n in numerators], common * f[1])
    out: list[Decimal | None] = [None] * len(values)
    for i, amount in zip(present, from_units_all(units, CONVERTED_PLACES), strict=True):
        out[i] = amount
    return out, from_units(total, CONVERTED_PLACES)


def _factor_ints(index: Mapping[int, Decimal], from_year: int, to_year: int) -> tuple[int, int]:
    f = factor(index, from_year, to_year)
    return f.numerator, f.denominator


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
    return _convert_table(rows, _factor_ints(index, from_year, to_year))


def _convert_table[K: Hashable](
    rows: Mapping[K, Mapping[int, Decimal | None]], f: tuple[int, int]
) -> tuple[dict[K, dict[int, Decimal | None]], dict[int, Decimal | None]]:
    """``convert_table`` by the factor ``f[0] / f[1]``."""
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


def chain_index(
    rises_pct: Mapping[int, Decimal | str], base_year: int, base: Decimal = Decimal(100),
    places: int = 4,
) -> dict[int, Decimal]:  # fmt: skip
    """An index series from yearly rises in per cent (as the pris- og lønskøn publish
    them): ``base`` in ``base_year``, each following year the previous one times
    ``1 + rise / 100``, chained exactly and each value rounded half up once to
    ``places`` decimals.  ``rises_pct[year]`` is the rise from ``year - 1`` to ``year``;
    the years must follow ``base_year`` without a gap (``PriceLevelError``).

    ``chain_index({2011: "1.3", 2012: "1.6"}, 2010)`` ->
    ``{2010: 100.0000, 2011: 101.3000, 2012: 102.9208}``.
    """
    out = {base_year: round_half_up(Decimal(base), places)}
    exact = Fraction(Decimal(base))
    for year in range(base_year + 1, base_year + 1 + len(rises_pct)):
        if year not in rises_pct:
            raise PriceLevelError(f"Stigningen for {year} mangler i pris- og lønindekset")
        exact *= 1 + Fraction(Decimal(rises_pct[year])) / 100
        out[year] = round_fraction_half_up(exact, places)
    return out


def _series_of(
    line: engine.Line, indexes: Mapping[str, Mapping[int, Decimal]], years: tuple[int, int]
) -> str:
    """The series a line is converted by: anlæg lines by the anlæg series where one
    covers both years, everything else by the service series."""
    if line.effective_area == engine.CAPITAL:
        capital = indexes.get(CAPITAL_SERIES) or {}
        if all(capital.get(year, 0) > 0 for year in years):
            return CAPITAL_SERIES
    return SERVICE_SERIES


def _spread(
    parts: Sequence[Decimal], line: Decimal, f: tuple[int, int], converted_line: Decimal
) -> list[Decimal]:
    """A line's specification ``parts`` (one year) in the new p/l (factor ``f[0] / f[1]``),
    whole kroner.  Parts that add up to the ``line`` are rounded to the converted line
    by the largest remainder, so they still add up to it; parts that did not add up are
    converted as a column of their own (the engine's check keeps showing the
    difference)."""
    numerators, common = _over_one_denominator([p.as_integer_ratio() for p in parts])
    scale = f[0] * 10**CONVERTED_PLACES
    exact = [n * scale for n in numerators]
    denominator = common * f[1]
    if sum(parts, Decimal(0)) == line:
        # the converted line is its exact value rounded down or up, so it lies between
        # the parts' floors and their floors plus one for each part that is not whole
        target = int(converted_line.scaleb(CONVERTED_PLACES))
    else:
        target = half_up(sum(exact), denominator)
    return from_units_all(round_units_to_total(exact, denominator, target), CONVERTED_PLACES)


def _rebuilt[T](item: T, **changes: object) -> T:
    """``dataclasses.replace`` for the engine's frozen input classes when the new values
    are already in their normal form (int years, Decimal amounts, no empty cells, tuples:
    converted from a valid case), so ``__post_init__`` would check and change nothing."""
    new = object.__new__(type(item))
    new.__dict__.update(item.__dict__, **changes)
    return new


def convert_case(
    case: engine.Case,
    indexes: Mapping[str, Mapping[int, Decimal]],
    from_year: int,
    to_year: int,
) -> engine.Case:
    """A proposal's economy in ``to_year`` p/l, for display and export.

    ``indexes``: series name (``SERVICE_SERIES``, optionally ``CAPITAL_SERIES``) ->
    year -> index value.  Anlæg lines go by the anlæg series when it covers both years,
    all other lines by the service series.  Per section, series and year, the section's
    total is converted and rounded half up to whole kroner and its lines are rounded to
    it by the largest remainder (``convert_table``), so the converted lines add up to the
    converted section totals exactly; a line's specifications are spread over the
    converted line the same way.  Administration lines and distributions given as
    amounts are converted alike.  What the source printed (``stated``, printed
    distributions) belongs to the original p/l and is left out.  Raises
    ``PriceLevelError`` when a needed year has no index value.
    """
    years = (from_year, to_year)
    if SERVICE_SERIES not in indexes:
        raise PriceLevelError("Der er intet pris- og lønindeks for service")
    groups: dict[tuple[str, str], list[int]] = {}
    for i, line in enumerate(case.lines):
        groups.setdefault((line.section, _series_of(line, indexes, years)), []).append(i)
    lines = list(case.lines)
    factors = {}
    for (_section, series), members in groups.items():
        if series not in factors:
            factors[series] = _factor_ints(indexes[series], from_year, to_year)
        f = factors[series]
        converted, _totals = _convert_table({i: case.lines[i].amounts for i in members}, f)
        for i in members:
            line = case.lines[i]
            specs = line.specifications
            if specs:
                new_specs = list(specs)
                for year, amount in line.amounts.items():
                    parts = [s.amounts.get(year) for s in specs]
                    present = [k for k, v in enumerate(parts) if v is not None]
                    if not present:
                        continue
                    spread = _spread([parts[k] for k in present], amount, f, converted[i][year])
                    for k, value in zip(present, spread, strict=True):
                        spec = new_specs[k]
                        new_specs[k] = _rebuilt(spec, amounts={**spec.amounts, year: value})
                specs = tuple(new_specs)
            lines[i] = _rebuilt(line, amounts=converted[i], specifications=specs)
    service = factors.get(SERVICE_SERIES) or _factor_ints(
        indexes[SERVICE_SERIES], from_year, to_year
    )
    admin, _totals = _convert_table({i: a.amounts for i, a in enumerate(case.admin_lines)}, service)
    admin_lines = [_rebuilt(a, amounts=admin[i]) for i, a in enumerate(case.admin_lines)]
    distributions = []
    for d in case.distributions:
        amounts = {i: r.amounts for i, r in enumerate(d.rows) if r.amounts is not None}
        converted, _totals = _convert_table(amounts, service)
        rows = tuple(
            _rebuilt(r, amounts=converted[i]) if i in converted else r
            for i, r in enumerate(d.rows)
        )
        distributions.append(_rebuilt(d, rows=rows))
    return engine.Case(
        years=case.years,
        lines=tuple(lines),
        admin_lines=tuple(admin_lines),
        distributions=tuple(distributions),
    )


def convert_rows[K: Hashable, C: Hashable](
    rows: Mapping[K, tuple[int, Mapping[C, Decimal | None]]],
    index: Mapping[int, Decimal],
    to_year: int,
    places: int,
) -> tuple[dict[K, dict[C, Decimal | None]], dict[C, Decimal | None]]:
    """Rows kept at their own price levels (key -> (p/l year, column -> amount)) in
    ``to_year`` p/l, with the column totals: per column, the exact converted amounts are
    added up and the total rounded half up once to ``places`` decimals (the unit of the
    amounts: one decimal for the overview's mio. kr.); the rows are rounded to that
    total by the largest remainder, ties to the smaller ``str(key)``, so they add up to
    it exactly.  ``None`` stays ``None``; a column without amounts totals ``None``.
    Raises ``PriceLevelError`` when a year has no index value.  A catalogue's overview
    shown in another p/l is this with one row per proposal."""
    quantum = 10**places
    keys = sorted(rows, key=str)
    factors = {year: _factor_ints(index, year, to_year) for year in {rows[k][0] for k in keys}}
    columns: list = []
    for key in keys:
        for column in rows[key][1]:
            if column not in columns:
                columns.append(column)
    out: dict[K, dict[C, Decimal | None]] = {key: {} for key in keys}
    totals: dict[C, Decimal | None] = {}
    for column in columns:
        present = [k for k in keys if rows[k][1].get(column) is not None]
        for k in keys:
            if column in rows[k][1] and k not in present:
                out[k][column] = None
        if not present:
            totals[column] = None
            continue
        # each v * factor(year) * quantum, exact, over one common denominator
        ratios = []
        for k in present:
            n, d = rows[k][1][column].as_integer_ratio()
            f0, f1 = factors[rows[k][0]]
            ratios.append((n * f0 * quantum, d * f1))
        units, total = _round_exact(*_over_one_denominator(ratios))
        for k, amount in zip(present, from_units_all(units, places), strict=True):
            out[k][column] = amount
        totals[column] = from_units(total, places)
    return out, totals


def round_rows[K: Hashable, C: Hashable](
    exact: Mapping[K, Mapping[C, Fraction | None]], places: int
) -> tuple[dict[K, dict[C, Decimal | None]], dict[C, Decimal | None]]:
    """Exact amounts (key -> column -> ``Fraction``, ``None`` for an empty cell) rounded
    to ``places`` decimals so that every column adds up: the column's exact sum rounded
    half up once is its total, and the rows are rounded to it by the largest remainder
    (`finance.rounding.round_units_to_total`, as `convert_rows`), ties to the smaller
    ``str(key)``.  A row keeps the columns it has; a column without amounts totals
    ``None``.  The rounding of a converted overview (`convert_overview`)."""
    quantum = 10**places
    keys = sorted(exact, key=str)
    columns: list = []
    for key in keys:
        for column in exact[key]:
            if column not in columns:
                columns.append(column)
    out: dict[K, dict[C, Decimal | None]] = {key: {} for key in keys}
    totals: dict[C, Decimal | None] = {}
    for column in columns:
        present = []
        for k in keys:
            if exact[k].get(column) is not None:
                present.append(k)
            elif column in exact[k]:
                out[k][column] = None
        if not present:
            totals[column] = None
            continue
        ratios = [
            (exact[k][column].numerator * quantum, exact[k][column].denominator) for k in present
        ]
        units, total = _round_exact(*_over_one_denominator(ratios))
        for k, amount in zip(present, from_units_all(units, places), strict=True):
            out[k][column] = amount
        totals[column] = from_units(total, places)
    return out, totals


# The columns of a catalogue overview (`finance.engine.overview_amounts`) and how each
# converts: the anlæg investment by the anlæg series (where it covers both years), the
# innovation pool (service + anlæg investment) by both, the rest by the service series.
OVERVIEW_PLACES = 1  # mio. kr. with one decimal, as the annexes print the overview


def capital_factor(
    indexes: Mapping[str, Mapping[int, Decimal]], from_year: int, to_year: int
) -> tuple[Fraction, bool]:
    """The factor anlæg amounts convert by, and whether it is the anlæg series' own:
    the anlæg series where it has a (positive) value for both years, otherwise the
    service series (the fall-back the pages say).  Raises ``PriceLevelError`` when the
    service series lacks a year."""
    capital = indexes.get(CAPITAL_SERIES) or {}
    if capital.get(from_year, 0) > 0 and capital.get(to_year, 0) > 0:
        return factor(capital, from_year, to_year), True
    return factor(indexes.get(SERVICE_SERIES) or {}, from_year, to_year), False


def convert_overview[K: Hashable](
    rows: Mapping[K, tuple[int, Mapping[str, Decimal | None]]],
    indexes: Mapping[str, Mapping[int, Decimal]],
    to_year: int,
) -> tuple[dict[K, dict[str, Decimal | None]], dict[str, Decimal | None]]:
    """A catalogue overview (or a list of proposals) in ``to_year`` p/l: the ONE rule the
    catalogue page, the PDF's overview, the workbook's "Oversigt" and the case list's
    rows and total use.

    ``rows``: key -> (the proposal's own p/l year, its overview amounts before rounding
    in 1.000 kr., `finance.engine.overview_amounts`: ``investment_service``,
    ``investment_capital``, ``full_effect_service``, ``full_effect_transfers``,
    ``innovation_pool``; any subset).  ``indexes``: series -> year -> index.  Each
    amount is converted exactly (anlæg investment by the anlæg series where it covers
    both years, the innovation pool's anlæg part likewise, everything else by the
    service series), put in mio. kr., and `round_rows` rounds the columns to one decimal
    so that the rows add up to the totals exactly.  Returns (key -> column -> mio. kr.,
    column -> total mio. kr.).  Raises ``PriceLevelError`` when a year has no index.

    Example (service index 2021 112,1065, 2024 124,6443): BC01's 5.580,00 anlæg
    investment -> 6.204,058 -> 6,2 mio. kr."""
    service = indexes.get(SERVICE_SERIES) or {}
    factors: dict[int, tuple[Fraction, Fraction]] = {}
    exact: dict[K, dict[str, Fraction | None]] = {}
    for key, (level, amounts) in rows.items():
        if level not in factors:
            factors[level] = (
                factor(service, level, to_year),
                capital_factor(indexes, level, to_year)[0],
            )
        f_service, f_capital = factors[level]
        row: dict[str, Fraction | None] = {}
        for column, value in amounts.items():
            if value is None:
                row[column] = None
            elif column == "investment_capital":
                row[column] = Fraction(value) * f_capital / 1000
            elif column == "innovation_pool":
                service_part = Fraction(amounts.get("investment_service") or 0)
                row[column] = (
                    service_part * f_service + (Fraction(value) - service_part) * f_capital
                ) / 1000
            else:
                row[column] = Fraction(value) * f_service / 1000
        exact[key] = row
    return round_rows(exact, OVERVIEW_PLACES)


def convert_sums(
    sums: Mapping[int, Decimal | None],
    index: Mapping[int, Decimal],
    to_year: int,
    places: int,
) -> Decimal | None:
    """Amounts kept at different price levels (p/l year -> sum at that p/l) added up in
    ``to_year`` p/l: each converted exactly, the sum rounded half up once to ``places``
    decimals (the unit of the sums: one decimal for mio. kr.).  ``None`` when every sum
    is ``None``.  Used where an overview adds up catalogues of different p/l."""
    present = {year: v for year, v in sums.items() if v is not None}
    if not present:
        return None
    ratios = []
    for year, v in present.items():
        n, d = v.as_integer_ratio()
        f0, f1 = _factor_ints(index, year, to_year)
        ratios.append((n * f0 * 10**places, d * f1))
    numerators, denominator = _over_one_denominator(ratios)
    return from_units(half_up(sum(numerators), denominator), places)


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
            f"med {STORED_PLACES} decimaler",
            thousands,
        )
    return stored


def from_thousands(value: Decimal, unit: str) -> Decimal:
    """An amount in 1.000 kr. shown in ``unit`` (exact: a shift of the decimal point)."""
    scale = ENTRY_UNITS.get(unit)
    if scale is None:
        raise UnitError(f"Ukendt enhed »{unit}« (brug kr, t.kr eller mio.kr)")
    return value / scale
