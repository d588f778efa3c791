"""Present value, discounted payback, sensitivity and switching values of a proposal.

Pure functions on ``Decimal`` (thousand kroner; savings negative, costs positive, as in
the engine).  Discounting is exact: each year's discount factor is a rational number,
sums are taken over a common denominator in integers, and a figure is rounded once, half
up, by ``finance.rounding`` (present values to hundredths of 1.000 kr., percentages to
one decimal).

Conventions (documented in docs/APPRAISAL.md):

- Year 0 is the first year of the proposal's table (its first budget year); year 0 is
  not discounted, year t is discounted by the rates of years 1..t:
  ``d(t) = 1 / ((1 + r(1)) * ... * (1 + r(t)))``.
- The default rate is Finansministeriet's socio-economic discount rate
  (Dokumentationsnotat, 7 January 2021): 3.5 % a year in years 0-35, 2.5 % in years
  36-70 and 1.5 % after year 70 (``FM_2021``).  A catalogue may set one flat rate.
- The horizon (e.g. 10 years) counts from year 0.  After the table's last year its
  permanent total continues every year and implementation costs stop: the rule of the
  undiscounted payback (FORMAT.md), cut at the horizon.
- The present value (nutidsværdi) is that of the net GAIN: minus the discounted sum of
  the net flow, so a saving raises it and a proposal is worthwhile when it is positive.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from math import lcm
from typing import NamedTuple

from .engine import Figures, payback, payback_flows
from .rounding import common_units, from_units, from_units_all, round_ratio_half_up

__all__ = [
    "DEFAULT_COST_RISE_PCT",
    "DEFAULT_DELAY_YEARS",
    "DEFAULT_HORIZON",
    "DEFAULT_SAVINGS_CUT_PCT",
    "FM_2021",
    "Appraisal",
    "RateSchedule",
    "Scenario",
    "appraise",
    "base_scenario",
    "discounted_payback",
    "flat_rate",
    "horizon_flows",
    "present_value",
    "schedule_for",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
DEFAULT_HORIZON = 10
DEFAULT_SAVINGS_CUT_PCT = Decimal(25)
DEFAULT_DELAY_YEARS = 1
DEFAULT_COST_RISE_PCT = Decimal(25)
NPV_PLACES = 2  # hundredths of 1.000 kr., the precision of the amounts
PCT_PLACES = 1
PAYBACK_LIMIT = 1000  # years searched for a discounted payback after the table
AFTER_TABLE = 40  # of those, searched in integers (one common denominator)


@dataclass(frozen=True)
class RateSchedule:
    """Discount rates in percent a year, stepping down: ``steps`` are
    ``(first year, rate)`` pairs in increasing year order, the first from year 1
    (year 0 is never discounted).  ``((1, 3.5), (36, 2.5), (71, 1.5))`` is FM_2021."""

    steps: tuple[tuple[int, Decimal], ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.steps or self.steps[0][0] != 1:
            raise ValueError("a rate schedule starts in year 1")
        years = [year for year, _rate in self.steps]
        if years != sorted(set(years)):
            raise ValueError("the steps of a rate schedule must be in increasing year order")
        for _year, rate in self.steps:
            if not isinstance(rate, Decimal) or rate < 0 or rate >= 100:
                raise ValueError(f"a discount rate must be a Decimal in [0, 100): {rate!r}")
        # the factor caches are keyed by the schedule: hash it once, not per look-up
        object.__setattr__(self, "_hash", hash((self.steps, self.source)))
        object.__setattr__(self, "_zero", all(rate == 0 for _year, rate in self.steps))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    def rate(self, year: int) -> Decimal:
        """The rate (percent) that discounts year ``year`` (>= 1) back to year ``year - 1``."""
        current = self.steps[0][1]
        for first, rate in self.steps:
            if year >= first:
                current = rate
        return current

    @property
    def is_zero(self) -> bool:
        return self._zero  # type: ignore[attr-defined]


FM_2021 = RateSchedule(
    ((1, Decimal("3.5")), (36, Decimal("2.5")), (71, Decimal("1.5"))),
    source="Finansministeriet, Dokumentationsnotat – den samfundsøkonomiske "
    "diskonteringsrente, 7. januar 2021",
)


def flat_rate(rate_pct: Decimal) -> RateSchedule:
    """One rate (percent a year) for every year."""
    return RateSchedule(((1, rate_pct),), source=f"{rate_pct} % p.a.")


def schedule_for(rate_pct: Decimal | None) -> RateSchedule:
    """A catalogue's schedule: ``None`` (not set) -> ``FM_2021``, else ``flat_rate``."""
    return FM_2021 if rate_pct is None else flat_rate(rate_pct)


# --------------------------------------------------------------------------- factors


@lru_cache(maxsize=64)
def _growth(schedule: RateSchedule, year: int) -> Fraction:
    """``1 + r(year)`` as an exact fraction."""
    return 1 + Fraction(schedule.rate(year)) / 100


@lru_cache(maxsize=64)
def _weights(schedule: RateSchedule, years: int) -> tuple[tuple[int, ...], int]:
    """Integer weights ``w(t)`` and a denominator ``D`` with ``d(t) = w(t) / D`` for
    t = 0..years-1: every discount factor over one common denominator, so that a
    present value is one integer sum and one division."""
    factors = [_factor(schedule, t) for t in range(years)]
    denominator = lcm(*(f.denominator for f in factors))
    return tuple(f.numerator * (denominator // f.denominator) for f in factors), denominator


@lru_cache(maxsize=256)
def _table_constants(
    schedule: RateSchedule, table: int
) -> tuple[tuple[int, ...], int, tuple[int, int] | None, list[int]]:
    """What the discounted payback of a table of ``table`` years needs, made once per
    schedule and table length: ``_weights(schedule, table + AFTER_TABLE)`` (weights and
    denominator), ``_tail(schedule, table - 1)``, and the running sums of the weights
    after the table (AFTER_TABLE of them: the search for the year it pays back)."""
    weights, denominator = _weights(schedule, table + AFTER_TABLE)
    running, total = [], 0
    for w in weights[table:]:
        total += w
        running.append(total)
    return weights, denominator, _tail(schedule, table - 1), running


_FACTORS: dict[RateSchedule, list[Fraction]] = {}


def _factor(schedule: RateSchedule, t: int) -> Fraction:
    """``d(t)``, exact (kept per schedule, so each factor is computed once)."""
    factors = _FACTORS.setdefault(schedule, [Fraction(1)])
    while len(factors) <= t:
        factors.append(factors[-1] / _growth(schedule, len(factors)))
    return factors[t]


@lru_cache(maxsize=512)
def _tail(schedule: RateSchedule, after: int) -> tuple[int, int] | None:
    """``sum of d(t) for t > after`` as (numerator, denominator), exact; ``None``
    (infinite) for a last rate of 0."""
    last_first, last_rate = schedule.steps[-1]
    if last_rate == 0:
        return None
    start = max(after + 1, last_first)
    total = sum((_factor(schedule, t) for t in range(after + 1, start)), Fraction(0))
    # from `start` on, d(t) = d(start) / g**(t - start): a geometric series
    g = _growth(schedule, start)
    total += _factor(schedule, start) * g / (g - 1)
    return total.numerator, total.denominator


def _ints(values: Sequence[Decimal | None]) -> tuple[list[int], int]:
    """The amounts as integers on their common scale 10**-places (empty = 0), exact."""
    return common_units(values)


# --------------------------------------------------------------------------- flows


class _Flows(NamedTuple):
    """A flow in integers: per position of ``years``, the permanent and implementation
    amounts in units of ``1 / scale`` thousand kroner (exact)."""

    years: tuple[int, ...]
    permanent: tuple[int, ...]
    implementation: tuple[int, ...]
    scale: int

    @classmethod
    def of(
        cls,
        years: Sequence[int],
        permanent: Mapping[int, Decimal | None],
        implementation: Mapping[int, Decimal | None],
    ) -> _Flows:
        span = tuple(sorted(years))
        values = [permanent.get(y) for y in span] + [implementation.get(y) for y in span]
        units, places = _ints(values)
        n = len(span)
        return cls(span, tuple(units[:n]), tuple(units[n:]), 10**places)

    def horizon(self, horizon: int) -> list[int]:
        """Net flow of years 0..horizon-1, the last permanent amount continuing."""
        flows = [p + i for p, i in zip(self.permanent, self.implementation, strict=True)]
        continuing = self.permanent[-1] if self.permanent else 0
        flows.extend([continuing] * (horizon - len(flows)))
        return flows[:horizon]

    def payback(self, start_year: int | None) -> int | None:
        """The undiscounted rule of FORMAT.md (``finance.engine.payback``) on these flows."""
        if start_year is None:
            return None
        if start_year not in self.years:  # outside the table: the rule as written
            return payback(
                self.years,
                dict(zip(self.years, self.permanent, strict=True)),
                dict(zip(self.years, self.implementation, strict=True)),
                start_year,
            )
        first = self.years.index(start_year)
        return payback_flows(self.permanent[first:], self.implementation[first:])

    def gain(self, schedule: RateSchedule, horizon: int) -> tuple[int, int]:
        """The exact present value of the net gain over ``horizon`` years, as
        (numerator, denominator); the denominator depends only on the schedule, the
        horizon and the scale."""
        flows = self.horizon(horizon)
        weights, denominator = _weights(schedule, horizon)
        total = sum(w * u for w, u in zip(weights, flows, strict=True))
        return -total, denominator * self.scale


def horizon_flows(
    years: Sequence[int],
    permanent: Mapping[int, Decimal | None],
    implementation: Mapping[int, Decimal | None],
    horizon: int,
) -> list[Decimal]:
    """The net flow (permanent + implementation, empty = 0) of years 0..horizon-1.

    Years after the table's last year carry the last year's permanent total; their
    implementation is 0.  ``horizon`` shorter than the table cuts it.  Raises
    ``ValueError`` for a horizon < 1.
    """
    if horizon < 1:
        raise ValueError("the horizon is at least one year")
    flows = _Flows.of(years, permanent, implementation)
    places = len(str(flows.scale)) - 1  # the scale is 10**places
    return [from_units(u, places) for u in flows.horizon(horizon)]


def present_value(flows: Sequence[Decimal], schedule: RateSchedule) -> Decimal:
    """NPV (nutidsværdi) of the net gain of ``flows`` (year 0 first), 1.000 kr., two
    decimals, half up: ``-sum(d(t) * flow(t))``.  At rate 0 it is minus the plain sum."""
    if not flows:
        return ZERO
    units, places = _ints(list(flows))
    weights, denominator = _weights(schedule, len(units))
    total = sum(w * u for w, u in zip(weights, units, strict=True))
    return round_ratio_half_up(-total, denominator * 10**places, NPV_PLACES)


def discounted_payback(
    years: Sequence[int],
    permanent: Mapping[int, Decimal | None],
    implementation: Mapping[int, Decimal | None],
    start_year: int | None,
    schedule: RateSchedule,
) -> int | None:
    """The payback rule of FORMAT.md on discounted flows (tilbagebetalingstid, diskonteret).

    Counting starts at ``start_year`` (= 1), the first year with an amount; flows are
    discounted from year 0 = the table's first year.  Paid back = the cumulative
    discounted net flow is negative and stays negative, also over the continuing
    permanent effect after the table (an infinite, discounted tail: a cumulative that
    only approaches 0 from below stays negative).  ``None`` when it never does, or not
    within ``PAYBACK_LIMIT`` years after the table.  At rate 0 it equals ``payback``.
    """
    return _discounted_payback(_Flows.of(years, permanent, implementation), start_year, schedule)


def _discounted_payback(
    flows: _Flows, start_year: int | None, schedule: RateSchedule
) -> int | None:
    if schedule.is_zero:
        return flows.payback(start_year)
    span = flows.years
    if start_year is None or not span or start_year > span[-1]:
        return None
    # integer weights over the table and AFTER_TABLE more years (one denominator)
    weights, denominator, tail, running = _table_constants(schedule, len(span))
    cumulative = 0
    count = 0
    last_not_negative = 0
    for t, year in enumerate(span):
        if year < start_year:
            continue
        count += 1
        cumulative += weights[t] * (flows.permanent[t] + flows.implementation[t])
        if cumulative >= 0:
            last_not_negative = count
    # signs in integers: end = cumulative / (denominator * scale) in 1.000 kr., the
    # continuing amount c = permanent[-1] / scale, the tail T = t_num / t_den
    continuing = flows.permanent[-1]
    if continuing == 0:
        return last_not_negative + 1 if cumulative < 0 else None
    last = len(span) - 1
    # sign of end + c*T  =  sign of cumulative*t_den + continuing*denominator*t_num
    limit = None if tail is None else cumulative * tail[1] + continuing * denominator * tail[0]
    if continuing > 0:
        # the cumulative rises after the table: towards end + c*T (never reaching it),
        # or without bound when the tail is undiscounted
        stays = cumulative < 0 and limit is not None and limit <= 0
        return last_not_negative + 1 if stays else None
    if cumulative < 0:
        return last_not_negative + 1
    if limit is not None and limit >= 0:
        return None  # falls towards a limit that is not below 0
    # the common case, in integers: the first extra year (1..AFTER_TABLE) whose
    # cumulative + continuing * (w(last+1) + ... + w(last+extra)) is < 0, i.e. whose
    # running sum of weights exceeds cumulative // -continuing (a rising sum: bisect)
    extra = bisect_right(running, cumulative // -continuing) + 1
    if extra <= AFTER_TABLE:
        return count + extra
    cumulative += continuing * running[-1]
    value = Fraction(cumulative, denominator)
    for extra in range(AFTER_TABLE + 1, PAYBACK_LIMIT + 1):
        value += continuing * _factor(schedule, last + extra)
        if value < 0:
            return count + extra
    return None


# --------------------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class Scenario:
    """One line of the sensitivity table: its payback (undiscounted and discounted)
    and present value."""

    key: str  # "base", "savings_lower", "savings_later", "costs_higher"
    payback_years: int | None
    discounted_payback_years: int | None
    npv: Decimal


class Appraisal:
    """Present value, discounted payback, the sensitivity table and switching values
    (what ``appraise`` returns).  Read-only attributes:

    - ``horizon`` (years), ``schedule``, ``savings_cut_pct``, ``delay_years``,
      ``cost_rise_pct``: the settings it was made with.
    - ``npv``: the present value of the net gain, 1.000 kr., two decimals.
    - ``flows``: the net flow of years 0..horizon-1 (Decimal, 1.000 kr.).
    - ``payback_years``, ``discounted_payback_years``: years, or ``None``.
    - ``scenarios``: ``Scenario`` base, savings_lower, savings_later, costs_higher.
    - ``switch_savings_npv_pct``: the cut in savings (percent) at which the present
      value turns negative; ``switch_costs_npv_pct``: the rise in implementation costs
      at which it does; ``switch_savings_payback_pct`` / ``switch_costs_payback_pct``:
      the cut / rise from which the proposal no longer pays back within the horizon.
      ``None`` when there is nothing to cut or raise, when it does not pay back (or
      gain) as it stands, or when no cut / rise changes that.  A switching value of 0,0
      or less means it already does not gain.

    The present value is made at once; the rest the first time it is read, and then
    kept (a portfolio ranks by present value and reads nothing else).
    """

    FIELDS = (
        "horizon", "schedule", "flows", "npv", "payback_years", "discounted_payback_years",
        "scenarios", "savings_cut_pct", "delay_years", "cost_rise_pct",
        "switch_savings_npv_pct", "switch_costs_npv_pct", "switch_savings_payback_pct",
        "switch_costs_payback_pct",
    )  # fmt: skip

    def __init__(
        self,
        parts: _Parts,
        start: int | None,
        schedule: RateSchedule,
        horizon: int,
        savings_cut_pct: Decimal,
        delay_years: int,
        cost_rise_pct: Decimal,
        payback_years: int | None = None,
    ) -> None:
        """``payback_years``: the engine's payback (totaløkonomi) of the same flow, when
        the caller has it (the same rule on the same amounts: kept, not made again)."""
        # The present value is linear in the three parts: one weighted sum each, and
        # every scenario's exact value (numerator over denominator * scale * divisor)
        # from them.
        weights, denominator = _weights(schedule, horizon)
        g_savings = _weighted(weights, parts.savings, True)
        g_other = _weighted(weights, parts.other, True)
        g_costs = _weighted(weights, parts.implementation, False)
        gain = -(g_savings + g_other + g_costs)
        den = denominator * parts.scale
        self.__dict__.update(
            horizon=horizon,
            schedule=schedule,
            savings_cut_pct=savings_cut_pct,
            delay_years=delay_years,
            cost_rise_pct=cost_rise_pct,
            npv=round_ratio_half_up(gain, den, NPV_PLACES),
            _parts=parts,
            _start=start,
            _gains=(g_savings, g_other, g_costs, den),
        )
        if payback_years is not None:
            self.__dict__["payback_years"] = payback_years

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an Appraisal is read-only ({name})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Appraisal(horizon={self.horizon!r}, npv={self.npv!r})"

    @cached_property
    def _base(self) -> _Flows:
        return self._parts.flows()

    @cached_property
    def flows(self) -> tuple[Decimal, ...]:
        base = self._base
        places = len(str(base.scale)) - 1  # the scale is 10**places
        return tuple(from_units_all(base.horizon(self.horizon), places))

    @cached_property
    def payback_years(self) -> int | None:
        return self._base.payback(self._start)

    @cached_property
    def discounted_payback_years(self) -> int | None:
        return _discounted_payback(self._base, self._start, self.schedule)

    @cached_property
    def scenarios(self) -> tuple[Scenario, ...]:
        parts, start, schedule = self._parts, self._start, self.schedule
        g_savings, g_other, g_costs, den = self._gains
        cut, cut_den = _ratio(-self.savings_cut_pct)
        rise, rise_den = _ratio(self.cost_rise_pct)
        later = parts.later(self.delay_years)
        return (
            Scenario("base", self.payback_years, self.discounted_payback_years, self.npv),
            _scenario("savings_lower", parts.flows(cut, cut_den, cut_den, cut_den), start,
                      schedule, -(cut * g_savings + cut_den * (g_other + g_costs)),
                      den * cut_den),
            _scenario("savings_later", later, start, schedule,
                      *later.gain(schedule, self.horizon)),
            _scenario("costs_higher", parts.flows(rise_den, rise_den, rise, rise_den), start,
                      schedule, -(rise_den * (g_savings + g_other) + rise * g_costs),
                      den * rise_den),
        )  # fmt: skip

    # the same denominator for all three: switching values are ratios of numerators
    @cached_property
    def switch_savings_npv_pct(self) -> Decimal | None:
        g_savings, g_other, g_costs, _den = self._gains
        gain = -(g_savings + g_other + g_costs)
        return _pct(gain, abs(g_savings)) if g_savings else None

    @cached_property
    def switch_costs_npv_pct(self) -> Decimal | None:
        g_savings, g_other, g_costs, _den = self._gains
        gain = -(g_savings + g_other + g_costs)
        return _pct(gain, abs(g_costs)) if g_costs else None

    @cached_property
    def switch_savings_payback_pct(self) -> Decimal | None:
        return _payback_switch(self._parts, self._start, self.horizon, "savings")

    @cached_property
    def switch_costs_payback_pct(self) -> Decimal | None:
        return _payback_switch(self._parts, self._start, self.horizon, "implementation")


class _Parts(NamedTuple):
    """A proposal's flow split in what the sensitivity moves, as integers on one scale:
    savings (permanent lines of kind saving), other permanent changes, implementation."""

    years: tuple[int, ...]
    savings: tuple[int, ...]
    other: tuple[int, ...]
    implementation: tuple[int, ...]
    scale: int

    def flows(self, savings: int = 1, other: int = 1, implementation: int = 1,
              divisor: int = 1) -> _Flows:  # fmt: skip
        """The flow with each part multiplied by an integer factor, over ``divisor``."""
        return _Flows(
            self.years,
            tuple([s * savings + o * other for s, o in zip(self.savings, self.other, strict=True)]),
            tuple([i * implementation for i in self.implementation]),
            self.scale * divisor,
        )

    def later(self, delay: int) -> _Flows:
        """Savings ``delay`` years later: the table grows by ``delay`` years in which the
        other permanent changes continue and implementation is 0; the savings move
        along, their continuing level included."""
        if delay == 0 or not self.years:
            return self.flows()
        last = self.years[-1]
        years = self.years + tuple(range(last + 1, last + 1 + delay))
        savings = self.savings + (self.savings[-1],) * delay
        other = self.other + (self.other[-1],) * delay
        moved = (0,) * delay + savings[: len(years) - delay]
        return _Flows(
            years,
            tuple(o + s for o, s in zip(other, moved, strict=True)),
            self.implementation + (0,) * delay,
            self.scale,
        )


def _parts(figures: Figures) -> _Parts:
    savings, permanent, implementation = figures.year_flows()
    n = len(figures.years)
    # savings, all permanent and implementation on one scale (the scale of savings,
    # other permanent changes and implementation is the same: other = all - savings)
    units, places = _ints([*savings, *permanent, *implementation])
    saved = units[:n]
    other = [p - s for p, s in zip(units[n : 2 * n], saved, strict=True)]
    return _Parts(figures.years, tuple(saved), tuple(other), tuple(units[2 * n :]), 10**places)


def _start(figures: Figures) -> int | None:
    """The first year with any amount (the engine's start of the payback count)."""
    _savings, permanent, implementation = figures.year_flows()
    for year, p, i in zip(figures.years, permanent, implementation, strict=True):
        if p is not None or i is not None:
            return year
    return None


def _scenario(key: str, flows: _Flows, start: int | None, schedule: RateSchedule,
              gain: int, denominator: int) -> Scenario:  # fmt: skip
    """One line of the table; ``gain / denominator`` is its exact present value."""
    return Scenario(
        key,
        flows.payback(start),
        _discounted_payback(flows, start, schedule),
        round_ratio_half_up(gain, denominator, NPV_PLACES),
    )


def base_scenario(
    figures: Figures, schedule: RateSchedule = FM_2021, horizon: int = DEFAULT_HORIZON
) -> Scenario:
    """The proposal as entered: payback, discounted payback and present value over
    ``horizon`` years, exactly as ``appraise`` gives them in its first scenario (the
    same functions), without the sensitivity and switching values: for lists that show
    the present value of many proposals.  Raises ``ValueError`` for a horizon < 1."""
    if horizon < 1:
        raise ValueError("the horizon is at least one year")
    # the net flow alone (on its own scale: a scale changes no sign and no exact ratio)
    _savings, permanent, implementation = figures.year_flows()
    units, places = _ints([*permanent, *implementation])
    n = len(figures.years)
    flows = _Flows(figures.years, tuple(units[:n]), tuple(units[n:]), 10**places)
    start = _start(figures)
    return Scenario(
        "base",
        figures.payback_years_total,
        _discounted_payback(flows, start, schedule),
        round_ratio_half_up(*flows.gain(schedule, horizon), NPV_PLACES),
    )


@lru_cache(maxsize=64)
def _ratio(pct: Decimal) -> tuple[int, int]:
    """A percentage as (numerator, denominator) of the factor 1 + pct/100, exact."""
    f = 1 + Fraction(pct) / 100
    return f.numerator, f.denominator


def appraise(
    figures: Figures,
    schedule: RateSchedule = FM_2021,
    horizon: int = DEFAULT_HORIZON,
    savings_cut_pct: Decimal = DEFAULT_SAVINGS_CUT_PCT,
    delay_years: int = DEFAULT_DELAY_YEARS,
    cost_rise_pct: Decimal = DEFAULT_COST_RISE_PCT,
) -> Appraisal:
    """The proposal's (``finance.engine.compute``'s figures) present value over
    ``horizon`` years at ``schedule``, its
    discounted payback, the sensitivity table (savings ``savings_cut_pct`` % lower,
    savings ``delay_years`` later, implementation costs ``cost_rise_pct`` % higher;
    defaults 25 %, 1 year, 25 %, after the UK Green Book's practice of testing the
    main assumptions) and the switching values (Green Book: the change in a variable
    at which the decision would change).  Everything in integers on one scale; each
    figure rounded once.

    Raises ``ValueError`` for a horizon < 1, a negative delay, or percentages outside
    [0, 100] (cut) / >= 0 (rise).
    """
    if horizon < 1:
        raise ValueError("the horizon is at least one year")
    if delay_years < 0:
        raise ValueError("the delay is zero or more years")
    if not 0 <= savings_cut_pct <= 100 or cost_rise_pct < 0:
        raise ValueError("the savings cut is 0-100 %, the cost rise 0 % or more")
    return Appraisal(
        _parts(figures),
        _start(figures),
        schedule,
        horizon,
        savings_cut_pct,
        delay_years,
        cost_rise_pct,
        figures.payback_years_total,
    )


def _weighted(weights: Sequence[int], units: Sequence[int], continuing: bool) -> int:
    """``sum of w(t) * u(t)`` over the horizon (``len(weights)`` years); after the table
    the last amount continues (``continuing``, permanent) or stops (implementation)."""
    total = sum(w * u for w, u in zip(weights, units, strict=False))  # cut at the shorter
    if continuing and units and len(weights) > len(units):
        total += units[-1] * sum(weights[len(units) :])
    return total


# --------------------------------------------------------------------------- switching values


def _pct(numerator: int, denominator: int) -> Decimal:
    """A ratio as percent, one decimal, half up (exact before the one rounding)."""
    return round_ratio_half_up(100 * numerator, denominator, PCT_PLACES)


def _payback_switch(parts: _Parts, start: int | None, horizon: int, moving: str) -> Decimal | None:
    """The cut in savings / rise in implementation costs (percent) from which the
    proposal no longer pays back within ``horizon`` years (undiscounted rule).

    Payback <= horizon  <=>  every cumulative from count ``horizon`` on is < 0, also
    over the continuing tail.  With the moved part scaled by k (k = 1 - cut or
    1 + rise) each cumulative is ``a + k*b``, linear in k; the switching value is the
    k at which the first of these conditions fails.  ``None`` when it does not pay
    back within the horizon as it stands, or no cut / rise changes that.
    """
    years = parts.years
    if start is None or not years:
        return None
    first = years.index(start)
    if moving == "savings":
        moved = parts.savings
        rest = [o + i for o, i in zip(parts.other, parts.implementation, strict=True)]
        a_slope, b_slope = parts.other[-1], parts.savings[-1]  # the continuing tail
    else:
        moved = parts.implementation
        rest = [s + o for s, o in zip(parts.savings, parts.other, strict=True)]
        a_slope, b_slope = parts.savings[-1] + parts.other[-1], 0  # implementation stops
    points = []  # cumulative (a, b) at each count m = 1..n
    a_cum = b_cum = 0
    for a, b in zip(rest[first:], moved[first:], strict=True):
        a_cum += a
        b_cum += b
        points.append((a_cum, b_cum))
    n = len(points)
    beyond = max(horizon - n, 0)
    constraints = [(a, b, True) for a, b in points[horizon - 1 :]] if horizon <= n else []
    constraints.append((a_cum + beyond * a_slope, b_cum + beyond * b_slope, True))
    constraints.append((a_slope, b_slope, False))  # the tail must not rise
    holds = all((a + b < 0) if strict else (a + b <= 0) for a, b, strict in constraints)
    if not holds:
        return None
    # k (1 = as entered) moves down for a savings cut, up for a cost rise; the first
    # condition a + k*b (<) 0 to fail gives the switching value
    # (exact, in integers: each bound k = -a/b as numerator / positive denominator)
    bounds = [(-a, b) if b > 0 else (a, -b) for a, b, _strict in constraints if b != 0]
    if moving == "savings":
        below = [(n, d) for n, d in bounds if n < d]
        if not below:
            return None
        n, d = below[0]
        for n2, d2 in below[1:]:
            if n2 * d > n * d2:
                n, d = n2, d2
        return _pct(d - n, d)  # 1 - max(below)
    above = [(n, d) for n, d in bounds if n > d]
    if not above:
        return None
    n, d = above[0]
    for n2, d2 in above[1:]:
        if n2 * d < n * d2:
            n, d = n2, d2
    return _pct(n - d, d)  # min(above) - 1
