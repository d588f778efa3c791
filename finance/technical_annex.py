"""The Teknisk bilag's figures: what a proposal does to each committee's budget.

Pure functions on Decimal (thousand kroner; savings negative, costs positive), no
database. The input is the engine's allocated distributions (``engine.Figures``); the
output is one mapping per printed table from a row key (any hashable: the annex uses
the committee or ØU unit it prints) to the values per year (``None`` = empty cell).

The rules (FORMAT.md, "Teknisk bilag"), read off the printed investment annex 2021,
where BC01 and BC11 print all four tables:

- **Effektivisering samt varige driftsomkostninger, service**: per row the service
  savings ("Besparelse") and the permanent service costs ("Omkostninger") the
  distributions assign to it.
- **Måltalseffekt – hvis forslaget indarbejdes**: per year the net of all savings and
  costs, split between the rows that have savings, in proportion to their savings
  (largest remainder at the precision of the net). BC11: savings BUU −1.772, costs KFU
  1.100 and Koncern IT 185 → BUU −487. A year without savings: each row's own net.
- **Bevillingsmæssig effekt – hvis forslaget indarbejdes**: per row its savings plus
  its costs (each committee's appropriation moves by its own figures). BC11: Koncern IT
  185, KFU 1.100, BUU −1.772.
- **Bevillingsmæssig effekt – hvis forslaget *ikke* indarbejdes**: the costs stay where
  they are; the rows with savings give up only what finances the costs: −(all costs),
  split in proportion to their savings. The rest of the saving stays with the committee,
  so the table nets to 0. BC11: Koncern IT 185, KFU 1.100, BUU −1.285. BC01 (no costs):
  empty.

In every table a row that has no figure in a year is empty (``None``), not 0.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .engine import AllocatedDistribution, AllocatedRow, Figures
from .rounding import allocate, significant_places

__all__ = [
    "COST_SUBJECTS",
    "SAVING_SUBJECTS",
    "TechnicalAnnex",
    "appropriation_effect",
    "appropriation_effect_if_not",
    "by_row",
    "column_total",
    "compute_technical_annex",
    "rows_in_order",
    "outside_years",
    "service_split",
    "table_years",
    "target_effect",
]

YearValues = dict[int, Decimal | None]
RowValues = dict[Hashable, YearValues]
KeyOf = Callable[[AllocatedRow], Hashable]

# Which distribution supplies the "Besparelse" and "Omkostninger" rows, most specific
# first. A "permanent" distribution (savings and costs together) is split by sign.
SAVING_SUBJECTS = ("permanent_service_saving", "permanent_saving")
COST_SUBJECTS = ("permanent_service_cost", "permanent_cost")
PERMANENT_SUBJECT = "permanent"


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def by_row(distribution: AllocatedDistribution | None, key_of: KeyOf, years: Sequence[int]):
    """The distribution's allocated amounts per printed row: rows with the same key
    (e.g. two accounts of one committee) are added up exactly. ``{}`` without a
    distribution. Keys keep the distribution's row order. A year of ``years`` outside
    the span takes the rows' own amounts there (``AllocatedRow.outside``)."""
    out: RowValues = {}
    if distribution is None:
        return out
    for row in distribution.rows:
        values = out.setdefault(key_of(row), dict.fromkeys(years))
        amounts, outside = row.amounts, row.outside
        for year in years:
            values[year] = _add(values[year], amounts.get(year, outside.get(year)))
    return out


def outside_years(*distributions: AllocatedDistribution | None) -> tuple[int, ...]:
    """The years outside the span in which a row of any of ``distributions`` holds an
    amount (``AllocatedRow.outside``), in order; ``()`` when none does."""
    years = {y for d in distributions if d for row in d.rows for y in row.outside}
    return tuple(sorted(years))


def table_years(span: Sequence[int], rows: Iterable[Mapping[int, Decimal | None]]):
    """The year columns of a printed table of ``rows`` (figures per year): the span
    when the rows hold nothing outside it; otherwise every year from the first to the
    last the rows hold a figure in (Citizen 2018 Forslag 3, Tabel 3: 2017–2020 in a
    proposal of 2016–2019), so that no stored amount goes unprinted and no column is
    empty at the edges. ``tuple[int, ...]``."""
    span = tuple(span)
    held = {y for values in rows for y, v in values.items() if v is not None}
    if not held or held <= set(span):
        return span
    return tuple(range(min(held), max(held) + 1))


def column_total(rows: Mapping[Hashable, YearValues], years: Sequence[int]) -> YearValues:
    """Per year the sum of the rows' figures (``None`` where every row is empty)."""
    out: YearValues = dict.fromkeys(years)
    for values in rows.values():
        for year in years:
            out[year] = _add(out[year], values.get(year))
    return out


def service_split(figures: Figures, key_of: KeyOf) -> tuple[RowValues, RowValues, bool]:
    """(savings per row, costs per row, found): the figures of the table "Effektivisering
    samt varige driftsomkostninger", per year of the span and of any year outside it a
    row holds an amount in (`outside_years`). ``found`` is False when the proposal distributes
    no permanent subject (the Teknisk bilag then has no such table)."""
    subjects = {d.subject: d for d in figures.distributions}
    saving = next((subjects[s] for s in SAVING_SUBJECTS if s in subjects), None)
    cost = next((subjects[s] for s in COST_SUBJECTS if s in subjects), None)
    permanent = subjects.get(PERMANENT_SUBJECT)
    # the rows' amounts outside the span too (printed, in no computed table)
    years = tuple(sorted({*figures.years, *outside_years(saving, cost, permanent)}))
    savings = by_row(saving, key_of, years)
    costs = by_row(cost, key_of, years)
    if saving is None and cost is None and permanent is not None:
        for key, values in by_row(permanent, key_of, years).items():
            savings[key] = {y: v if v is not None and v < 0 else None for y, v in values.items()}
            costs[key] = {y: v if v is not None and v >= 0 else None for y, v in values.items()}
    return savings, costs, bool(saving or cost or permanent)


def _keys(*tables: Mapping[Hashable, YearValues]) -> list[Hashable]:
    keys: list[Hashable] = []
    for table in tables:
        keys += [k for k in table if k not in keys]
    return keys


def _saving_weights(savings: RowValues, year: int) -> dict[Hashable, Decimal]:
    return {
        key: -values[year]
        for key, values in savings.items()
        if values.get(year) is not None and values[year] < 0
    }


def appropriation_effect(savings: RowValues, costs: RowValues, years: Sequence[int]) -> RowValues:
    """Bevillingsmæssig effekt – hvis forslaget indarbejdes: per row savings + costs."""
    return {
        key: {y: _add(savings.get(key, {}).get(y), costs.get(key, {}).get(y)) for y in years}
        for key in _keys(savings, costs)
    }


def target_effect(savings: RowValues, costs: RowValues, years: Sequence[int]) -> RowValues:
    """Måltalseffekt – hvis forslaget indarbejdes: per year the net of all savings and
    costs, split between the rows with savings in proportion to their savings (largest
    remainder, ``finance.rounding.allocate``, at the precision of the net). In a year
    without savings each row keeps its own net."""
    own = appropriation_effect(savings, costs, years)
    out: RowValues = {key: dict.fromkeys(years) for key in own}
    net = column_total(own, years)
    for year in years:
        total = net[year]
        if total is None:
            continue
        weights = _saving_weights(savings, year)
        if not weights:
            for key in own:
                out[key][year] = own[key][year]
            continue
        for key, part in allocate(total, weights, significant_places(total)).items():
            out[key][year] = part
    return out


def appropriation_effect_if_not(
    savings: RowValues, costs: RowValues, years: Sequence[int]
) -> RowValues:
    """Bevillingsmæssig effekt – hvis forslaget *ikke* indarbejdes: each row keeps its
    costs; the rows with savings carry −(all costs of the year), in proportion to their
    savings; nothing else. Without costs in a year, the savings rows are empty."""
    out: RowValues = {
        key: {y: costs.get(key, {}).get(y) for y in years} for key in _keys(savings, costs)
    }
    cost_total = column_total(costs, years)
    for year in years:
        total = cost_total[year]
        weights = _saving_weights(savings, year)
        if not total or not weights:
            continue
        for key, part in allocate(-total, weights, significant_places(total)).items():
            out[key][year] = _add(out[key][year], part)
    return out


@dataclass(frozen=True)
class TechnicalAnnex:
    """The figures of the Teknisk bilag's service tables, per printed row and year.
    ``years`` is the span; ``savings`` and ``costs`` also hold the years outside it their
    rows have amounts in (``outside``), the computed effect tables the span only."""

    years: tuple[int, ...]
    savings: RowValues
    costs: RowValues
    target_effect: RowValues
    appropriation_effect: RowValues
    appropriation_effect_if_not: RowValues

    outside: tuple[int, ...] = ()

    def total(self, table: str) -> YearValues:
        """The "Total" row of ``table`` (one of the fields above), per year of the span
        and of ``outside`` (the rows' sum there)."""
        return column_total(getattr(self, table), (*self.years, *self.outside))


def compute_technical_annex(figures: Figures, key_of: KeyOf) -> TechnicalAnnex | None:
    """All service tables of the Teknisk bilag, or None when the proposal distributes no
    permanent subject. ``key_of`` names the printed row of an allocated row."""
    savings, costs, found = service_split(figures, key_of)
    if not found:
        return None
    years = figures.years
    return TechnicalAnnex(
        years=years,
        outside=tuple(
            sorted({y for v in (*savings.values(), *costs.values()) for y in v} - {*years})
        ),
        savings=savings,
        costs=costs,
        target_effect=target_effect(savings, costs, years),
        appropriation_effect=appropriation_effect(savings, costs, years),
        appropriation_effect_if_not=appropriation_effect_if_not(savings, costs, years),
    )


def rows_in_order(
    tables: Iterable[Mapping[Hashable, YearValues]], order: Sequence[Hashable]
) -> list[Hashable]:
    """The keys of ``order`` first (every printed committee and unit, even empty), then
    any key the tables hold that ``order`` does not know, in first-seen order."""
    extra = [k for k in _keys(*tables) if k not in order]
    return [*order, *extra]
