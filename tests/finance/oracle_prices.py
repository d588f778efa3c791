"""The p/l conversion as it was before it was done in integers (finance/prices.py at
bfca997, on Fractions): the oracle the integer version is compared with
(test_fast_paths.py).  Test code only; the application does not use it."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from finance import engine
from finance.prices import CONVERTED_PLACES, SERVICE_SERIES, PriceLevelError, _series_of, factor
from finance.rounding import round_fraction_half_up


def round_to_total(values: Sequence[Fraction], total: int) -> list[int]:
    """finance.rounding.round_to_total as it was (on Fractions)."""
    floors = [v.numerator // v.denominator for v in values]
    leftover = total - sum(floors)
    fractional = [i for i, v in enumerate(values) if v != floors[i]]
    if not 0 <= leftover <= len(fractional):
        raise ValueError(f"cannot round {len(values)} values to the total {total}")
    order = sorted(fractional, key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors


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


def _spread(
    parts: Sequence[Decimal], line: Decimal, f: Fraction, converted_line: Decimal
) -> list[Decimal]:
    """A line's specification ``parts`` (one year) in the new p/l, whole kroner.  Parts
    that add up to the ``line`` are rounded to the converted line by the largest
    remainder, so they still add up to it; parts that did not add up are converted as
    a column of their own (the engine's check keeps showing the difference)."""
    quantum = 10**CONVERTED_PLACES
    exact = [Fraction(p) * f * quantum for p in parts]
    if sum(parts, Decimal(0)) == line:
        # the converted line is its exact value rounded down or up, so it lies between
        # the parts' floors and their floors plus one for each part that is not whole
        target = int(converted_line.scaleb(CONVERTED_PLACES))
    else:
        own = round_fraction_half_up(sum(exact, Fraction(0)) / quantum, CONVERTED_PLACES)
        target = int(own.scaleb(CONVERTED_PLACES))
    return [Decimal(n).scaleb(-CONVERTED_PLACES) for n in round_to_total(exact, target)]


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
    for (_section, series), members in groups.items():
        index = indexes[series]
        f = factor(index, from_year, to_year)
        converted, _totals = convert_table(
            {i: case.lines[i].amounts for i in members}, index, from_year, to_year
        )
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
                        new_specs[k] = dataclasses.replace(
                            spec, amounts={**spec.amounts, year: value}
                        )
                specs = tuple(new_specs)
            lines[i] = dataclasses.replace(line, amounts=converted[i], specifications=specs)
    service = indexes[SERVICE_SERIES]
    admin, _totals = convert_table(
        {i: a.amounts for i, a in enumerate(case.admin_lines)}, service, from_year, to_year
    )
    admin_lines = [dataclasses.replace(a, amounts=admin[i]) for i, a in enumerate(case.admin_lines)]
    distributions = []
    for d in case.distributions:
        amounts = {i: r.amounts for i, r in enumerate(d.rows) if r.amounts is not None}
        converted, _totals = convert_table(amounts, service, from_year, to_year)
        rows = tuple(
            dataclasses.replace(r, amounts=converted[i]) if i in converted else r
            for i, r in enumerate(d.rows)
        )
        distributions.append(dataclasses.replace(d, rows=rows))
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
    factors = {year: factor(index, year, to_year) for year in {rows[k][0] for k in keys}}
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
        exact = [Fraction(rows[k][1][column]) * factors[rows[k][0]] * quantum for k in present]
        total = round_fraction_half_up(sum(exact, Fraction(0)) / quantum, places)
        units = round_to_total(exact, int(total.scaleb(places)))
        for k, n in zip(present, units, strict=True):
            out[k][column] = Decimal(n).scaleb(-places)
        totals[column] = total
    return out, totals


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
    exact = sum(
        (Fraction(v) * factor(index, year, to_year) for year, v in present.items()),
        Fraction(0),
    )
    return round_fraction_half_up(exact, places)
