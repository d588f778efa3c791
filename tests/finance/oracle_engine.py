"""The engine's figures as they were made before the fast paths (finance/engine.py at
bfca997: ``compute``, ``Figures`` and the distributions): the oracle the engine is
compared with (test_fast_paths.py).  Test code only; the application does not use it.
What has not changed since is imported from the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from finance.engine import (
    CAPITAL,
    COST,
    IMPLEMENTATION,
    IMPLEMENTATION_AREAS,
    KINDS,
    OPERATING,
    PERMANENT,
    PERMANENT_AREAS,
    SAVING,
    SERVICE,
    TRANSFERS,
    WEIGHTS,
    ZERO,
    AllocatedDistribution,
    AllocatedRow,
    Case,
    Check,
    Distribution,
    DistributionRow,
    YearValues,
    _line_checks,
    _specification_span_checks,
    check_printed_detail,
    check_printed_distribution,
    payback_flows,
    reconcile,
    specification_checks,
)
from finance.rounding import from_units, largest_remainder, scaled_ints, tie_rank, to_units


class Figures:
    """Everything of FORMAT.md's ``computed`` block (plus ``admin_total``): what
    ``compute`` returns.  Read-only attributes (per-year figures map every year of
    ``years`` to a Decimal, or to ``None`` where no contributing line has an amount):

    - ``years``: the proposal's span, ascending.
    - ``permanent_total``, ``implementation_total``, ``net_total``, ``cumulative_net``,
      ``admin_total`` (informational lines, not in the totals): per year.
    - ``permanent_by_area`` (service, transfers, capital), ``implementation_by_area``
      (capital, service, operating): per area, per year.
    - ``payback_years_total``, ``payback_years_service``: years, or ``None``.
    - ``full_effect`` (service, transfers, total: the last year's permanent amount, 0
      when empty) and ``investment`` (service, capital, total: implementation summed
      over the years; service includes operating): Decimals.
    - ``investment_by_year``: service (= service + operating + lines without an area)
      and capital per year, as the overview counts them; ``investment`` sums these.
    - ``savings``: the permanent lines of kind saving per year (what a sensitivity
      "savings lower / later" moves; the rest of ``permanent_total`` is the other
      permanent changes).
    - ``distributions``: ``AllocatedDistribution`` per distribution of the case.
    - ``checks``: every ``Check``, the reconciliation with the printed figures first.

    ``compute`` sums every amount into its bucket and finds both paybacks; every other
    figure is built from those sums the first time it is read, and then kept.  A
    caller that reads only a few figures (the overview row, the appraisal) pays for no
    more; one that reads them all gets the same values as if they were made at once.
    """

    def __init__(
        self,
        case: Case,
        cells: list[list[Decimal | None]],
        admin: list[Decimal | None],
        totals: tuple[list[Decimal | None], list[Decimal | None], list[Decimal | None]],
        paybacks: tuple[int | None, int | None],
        trouble: bool,
    ) -> None:
        perm, impl, service = totals
        self.__dict__.update(
            years=case.years,
            payback_years_total=paybacks[0],
            payback_years_service=paybacks[1],
            _case=case,
            _cells=cells,
            _admin=admin,
            _perm=perm,
            _impl=impl,
            _service=service,
            _trouble=trouble,
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Figures are read-only ({name})")

    # the public figures, in the order of the former dataclass's fields
    FIELDS = (
        "years", "permanent_total", "permanent_by_area", "implementation_total",
        "implementation_by_area", "net_total", "cumulative_net", "payback_years_total",
        "payback_years_service", "full_effect", "investment", "distributions", "checks",
        "admin_total", "investment_by_year", "savings",
    )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        """Equal when every figure is equal (as the former dataclass compared)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable dicts inside, as before

    def __repr__(self) -> str:
        return (
            f"Figures(years={self.years!r}, payback_years_total={self.payback_years_total!r}, "
            f"payback_years_service={self.payback_years_service!r})"
        )

    def __getattr__(self, name: str) -> Any:
        """A figure not made yet: make its group (``_GROUPS``), keep it, return it.
        (Called only for a name that is not in the instance yet.)"""
        builder = _GROUPS.get(name)
        if builder is None:
            raise AttributeError(f"'Figures' object has no attribute {name!r}")
        self.__dict__.update(builder(self))
        return self.__dict__[name]

    def _tables(self) -> dict[str, Any]:
        """Every per-year figure, full effect and investment, in one pass over the years."""
        years = self.years
        c0, c1, c2, c3, c4, c5, c6, c7, c8 = self._cells
        perm, impl, service = self._perm, self._impl, self._service
        transfers: list[Decimal | None] = []
        capital: list[Decimal | None] = []
        savings: list[Decimal | None] = []
        net: list[Decimal | None] = []
        cumulative: list[Decimal | None] = []
        invest_service: list[Decimal | None] = []
        running: Decimal | None = None
        for i in range(len(years)):
            a, b = c2[i], c3[i]
            transfers.append(a if b is None else b if a is None else a + b)
            a, b = c4[i], c5[i]
            capital.append(a if b is None else b if a is None else a + b)
            saved = c0[i]
            for value in (c2[i], c4[i]):
                if value is not None:
                    saved = value if saved is None else saved + value
            savings.append(saved)
            a, b = perm[i], impl[i]
            if a is None and b is None:
                net.append(None)
            else:
                value = (a or ZERO) + (b or ZERO)
                net.append(value)
                running = (running or ZERO) + value  # (the digits of a running sum)
            cumulative.append(running)
            a, b = c7[i], c8[i]
            invest_service.append(None if a is None and b is None else (a or ZERO) + (b or ZERO))
        implementation_capital = dict(zip(years, c6, strict=True))
        permanent_service = dict(zip(years, service, strict=True))
        service_investment = _over_years(c7) + _over_years(c8)
        capital_investment = _over_years(c6)
        return {
            "permanent_total": dict(zip(years, perm, strict=True)),
            "implementation_total": dict(zip(years, impl, strict=True)),
            "net_total": dict(zip(years, net, strict=True)),
            "cumulative_net": dict(zip(years, cumulative, strict=True)),
            "permanent_by_area": {
                SERVICE: permanent_service,
                TRANSFERS: dict(zip(years, transfers, strict=True)),
                CAPITAL: dict(zip(years, capital, strict=True)),
            },
            "implementation_by_area": {
                CAPITAL: implementation_capital,
                SERVICE: dict(zip(years, c7, strict=True)),
                OPERATING: dict(zip(years, c8, strict=True)),
            },
            "investment_by_year": {
                SERVICE: dict(zip(years, invest_service, strict=True)),
                CAPITAL: implementation_capital,
            },
            "savings": dict(zip(years, savings, strict=True)),
            "admin_total": dict(zip(years, self._admin, strict=True)),
            "full_effect": {
                SERVICE: _at_last(service),
                TRANSFERS: _at_last(transfers),
                "total": _at_last(perm),
            },
            "investment": {
                SERVICE: service_investment,
                CAPITAL: capital_investment,
                "total": service_investment + capital_investment,
            },
        }

    def _allocated(self) -> dict[str, Any]:
        """The distributions and the checks they raise (made together)."""
        distributions: list[AllocatedDistribution] = []
        checks: list[Check] = []
        cells = self._cells
        subjects = {
            "permanent_saving": lambda: _merge(cells[0], cells[2], cells[4]),
            "permanent_cost": lambda: _merge(cells[1], cells[3], cells[5]),
            PERMANENT: lambda: self._perm,
            "permanent_service_saving": lambda: cells[0],
            "permanent_service_cost": lambda: cells[1],
            "implementation_capital": lambda: cells[6],
            "implementation_service": lambda: cells[7],
            "implementation_operating": lambda: cells[8],
            IMPLEMENTATION: lambda: self._impl,
        }
        years = self.years
        for distribution in self._case.distributions:
            totals = dict(zip(years, subjects[distribution.subject](), strict=True))
            allocated, found = allocate_distribution(distribution, totals, years)
            distributions.append(allocated)
            checks.extend(found)
        return {"distributions": tuple(distributions), "_distribution_checks": checks}

    def _checks(self) -> dict[str, Any]:
        case = self._case
        checks = _line_checks(case) if self._trouble else []
        checks.extend(self._distribution_checks)
        for printed in case.printed_distributions:
            checks.extend(check_printed_distribution(printed))
        for detail in case.printed_details:
            checks.extend(check_printed_detail(detail, case.lines))
        checks.extend(specification_checks(case.lines))
        checks.extend(_specification_span_checks(case.lines, set(case.years)))
        return {"checks": (*reconcile(case.stated, self), *checks)}


# Which group of figures each lazily made name belongs to.
_GROUPS: dict[str, Any] = {
    **dict.fromkeys(
        ("permanent_total", "implementation_total", "net_total", "cumulative_net",
         "permanent_by_area", "implementation_by_area", "investment_by_year", "savings",
         "admin_total", "full_effect", "investment"),
        Figures._tables,
    ),
    "distributions": Figures._allocated,
    "_distribution_checks": Figures._allocated,
    "checks": Figures._checks,
}  # fmt: skip


def _row_keys(rows: Sequence[DistributionRow]) -> list[tuple[str, str, str, int]]:
    """Keys that are unique, stable and independent of the row order."""
    seen: dict[tuple[str, str, str], int] = {}
    keys = []
    for row in rows:
        base = (row.committee, row.unit, row.account or "")
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append((*base, n))
    return keys


def _allocate_by_weights(
    rows: Sequence[DistributionRow],
    totals: Mapping[int, Decimal | None],
    years: Sequence[int],
    amounts: list[YearValues],
) -> bool:
    """Fill ``amounts[i][year]`` with row i's share of each year's total (weights >= 0).

    The rule of ``finance.rounding.allocate`` at the precision of each total, in
    integers: the weights are scaled once, each year's total is split in its own
    quanta by ``largest_remainder``.  Returns True when a non-zero total met weights
    that are all zero (those years stay empty).
    """
    int_weights = scaled_ints([row.weight or ZERO for row in rows])
    weight_sum = sum(int_weights)
    ranks: list[list[int]] = []

    def rank() -> list[int]:  # the tie-break, made only when a tie decides
        if not ranks:
            ranks.append(tie_rank(int_weights, _row_keys(rows)))
        return ranks[0]

    no_weights = False
    for year in years:
        total = totals[year]
        if total is None:
            continue
        units, places = to_units(total)
        if units == 0:
            for row_amounts in amounts:
                row_amounts[year] = ZERO
        elif weight_sum == 0:
            no_weights = True
        else:
            parts = largest_remainder(abs(units), int_weights, weight_sum, rank)
            if units < 0:
                parts = [-part for part in parts]
            if places == 0:
                for row_amounts, part in zip(amounts, parts, strict=True):
                    row_amounts[year] = Decimal(part)
            else:
                for row_amounts, part in zip(amounts, parts, strict=True):
                    row_amounts[year] = from_units(part, places)
    return no_weights


def allocate_distribution(
    distribution: Distribution,
    subject_total: Mapping[int, Decimal | None],
    years: Sequence[int],
) -> tuple[AllocatedDistribution, list[Check]]:
    """Allocate a subject's per-year totals to the distribution's rows.

    Basis ``weights``: each year's total is split with ``allocate`` at the precision of
    that total; rows add up exactly.  Basis ``amounts``: the rows' own amounts are kept
    and every year in which they do not add up to the total is reported
    (``distribution_amounts_mismatch``), never adjusted.
    """
    checks: list[Check] = []
    rows = distribution.rows
    subject = distribution.subject
    totals: YearValues = {year: subject_total.get(year) for year in years}
    amounts: list[YearValues] = [dict.fromkeys(years) for _ in rows]
    outsides: list[dict] = [{} for _ in rows]

    if distribution.basis == WEIGHTS:
        negative = [row for row in rows if row.weight is not None and row.weight < 0]
        if negative:
            for row in negative:
                checks.append(
                    Check(
                        "distribution_negative_weight",
                        field=subject,
                        stated=row.weight,
                        detail={"committee": row.committee, "unit": row.unit},
                    )
                )
        else:
            no_weights = _allocate_by_weights(rows, totals, years, amounts)
            if no_weights:
                checks.append(Check("distribution_no_weights", field=subject))
    else:
        for row_amounts, outside, row in zip(amounts, outsides, rows, strict=True):
            given = row.amounts
            if not given:
                continue
            if given.keys() <= row_amounts.keys():
                row_amounts.update(given)
            else:  # amounts outside the span are kept apart and reported
                row_amounts.update((y, a) for y, a in given.items() if y in row_amounts)
                for year in sorted(y for y in given if y not in row_amounts):
                    outside[year] = given[year]
                    checks.append(
                        Check(
                            "amount_outside_span",
                            field=subject,
                            year=year,
                            stated=given[year],
                            detail={"label": row.unit or row.committee, "row": "distribution"},
                        )
                    )
        for year in years:
            row_sum = None
            for row_amounts in amounts:
                amount = row_amounts[year]
                if amount is not None:  # as sum(present, ZERO) adds
                    row_sum = (ZERO if row_sum is None else row_sum) + amount
            total = totals[year]
            if (row_sum or ZERO) != (total or ZERO):
                checks.append(
                    Check(
                        "distribution_amounts_mismatch",
                        field=subject,
                        year=year,
                        stated=row_sum,
                        computed=total,
                    )
                )

    allocated = AllocatedDistribution(
        subject=subject,
        basis=distribution.basis,
        rows=tuple(
            AllocatedRow(row.committee, row.unit, row.account, row.weight, amounts[i], outsides[i])
            for i, row in enumerate(rows)
        ),
        total=totals,
    )
    return allocated, checks


# Where a line's amounts are summed: permanent lines by area and kind (the subjects
# "permanent_saving"/"permanent_cost" need the kind), implementation lines by area.
_PERMANENT_BUCKETS = {(SERVICE, SAVING): 0, (SERVICE, COST): 1, (TRANSFERS, SAVING): 2,
                      (TRANSFERS, COST): 3, (CAPITAL, SAVING): 4, (CAPITAL, COST): 5}  # fmt: skip
_IMPLEMENTATION_BUCKETS = {CAPITAL: 6, SERVICE: 7, OPERATING: 8}
_BUCKET = {
    **{(PERMANENT, kind, area): _PERMANENT_BUCKETS[area or SERVICE, kind]
       for kind in KINDS for area in (*PERMANENT_AREAS, None)},
    **{(IMPLEMENTATION, kind, area): _IMPLEMENTATION_BUCKETS[area or SERVICE]
       for kind in KINDS for area in (*IMPLEMENTATION_AREAS, None)},
}  # fmt: skip


def _merge(*series: list[Decimal | None]) -> list[Decimal | None]:
    """Cell-wise sum as ``sum_lines`` adds (``None`` where every series is ``None``)."""
    out = list(series[0])
    for other in series[1:]:
        out = [
            x if y is None else y if x is None else x + y for x, y in zip(out, other, strict=True)
        ]
    return out


def _add_cells(a: list[Decimal | None], b: list[Decimal | None]) -> list[Decimal | None]:
    """Cell-wise ``_add``: ``None`` only where both are ``None``, else empty counts as 0."""
    return [
        None if x is None and y is None else (x or ZERO) + (y or ZERO)
        for x, y in zip(a, b, strict=True)
    ]


def _at_last(values: list[Decimal | None]) -> Decimal:
    return (values[-1] if values else None) or ZERO


def _over_years(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


@lru_cache(maxsize=256)
def _year_index(years: tuple[int, ...]) -> dict[int, int]:
    """Position of each year in the span (kept per span: proposals share spans)."""
    return {year: i for i, year in enumerate(years)}


def compute(case: Case) -> Figures:
    """All computed figures and checks of one proposal.

    One pass over the amounts sums each line into its bucket (section, area, kind);
    every total, area sum and distribution subject is a sum of buckets, with the same
    Decimal results (value and exponent) as ``sum_lines`` over the lines.  The sums
    stay Decimal: an exact Decimal addition costs a fraction of converting an amount to
    an integer and back (measured in benchmarks/engine.py), and keeps each sum's
    decimals as ``sum_lines`` gives them.  Integers are used where the arithmetic is
    more than adding: the largest-remainder split.  ``compute`` makes the sums and both
    paybacks; ``Figures`` builds the rest on first use.  The rules are FORMAT.md's
    (budget-cases/1).
    """
    years = case.years
    n = len(years)
    index = _year_index(years)
    cells: list[list[Decimal | None]] = [[None] * n for _ in range(9)]
    trouble = False  # a line with a finding (empty, outside the span, wrong sign)
    for line in case.lines:
        amounts = line.amounts
        if not amounts:
            trouble = True
            continue
        row = cells[_BUCKET[line.section, line.kind, line.area]]
        for year, amount in amounts.items():
            i = index.get(year)
            if i is None:
                trouble = True
                continue
            current = row[i]
            row[i] = amount if current is None else current + amount
        if line.kind == SAVING:
            if max(amounts.values()) > ZERO:
                trouble = True
        elif min(amounts.values()) < ZERO:
            trouble = True
    admin: list[Decimal | None] = [None] * n
    for admin_line in case.admin_lines:
        for year, amount in admin_line.amounts.items():
            i = index.get(year)
            if i is None:
                trouble = True
                continue
            current = admin[i]
            admin[i] = amount if current is None else current + amount

    # per year: service (both kinds), all permanent, all implementation
    c0, c1, c2, c3, c4, c5, c6, c7, c8 = cells
    service: list[Decimal | None] = []
    perm: list[Decimal | None] = []
    impl: list[Decimal | None] = []
    start = None
    for i in range(n):
        total = None
        for value in (c0[i], c1[i]):
            if value is not None:
                total = value if total is None else total + value
        service.append(total)
        for value in (c2[i], c3[i], c4[i], c5[i]):
            if value is not None:
                total = value if total is None else total + value
        perm.append(total)
        spent = None
        for value in (c6[i], c7[i], c8[i]):
            if value is not None:
                spent = value if spent is None else spent + value
        impl.append(spent)
        if start is None and (total is not None or spent is not None):
            start = i
    if start is None:
        paybacks: tuple[int | None, int | None] = (None, None)
    else:
        paybacks = (
            payback_flows(perm[start:], impl[start:]),
            payback_flows(service[start:], impl[start:]),
        )
    return Figures(case, cells, admin, (perm, impl, service), paybacks, trouble)
