"""Benefit realisation after the budget decision (pure Python, Decimal only).

Planned figures come from the frozen plan (the adopted version's inputs, computed by
``finance.engine``); realised figures are lines entered like the year grid and are
computed by the SAME engine (``realised_figures``). This module compares the two per
year, flags years in which the realised savings fall behind plan by more than a
threshold, distributes realised figures between committees in the plan's proportions,
and works out when a success criterion's follow-up is due.

Conventions (as in the engine): amounts in thousand kroner, savings negative, an
absent year is an empty cell. A *gap* is ``realised - planned``: positive means less
saved (or more spent) than planned.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import engine
from .rounding import AllocationError, allocate, round_half_up, significant_places

__all__ = [
    "CLOSING_STATUSES",
    "HALF_YEARLY",
    "ONCE",
    "QUARTERLY",
    "SCHEDULES",
    "YEARLY",
    "Comparison",
    "DueState",
    "YearComparison",
    "add_months",
    "behind_plan",
    "compare",
    "committee_amounts",
    "due_state",
    "occurrences",
    "parse_when",
    "realised_case",
    "realised_figures",
    "reported_years",
    "sum_by_year",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# --------------------------------------------------------------------------- planned vs realised


def reported_years(lines: Iterable[engine.Line]) -> tuple[int, ...]:
    """The years in which any realised line has an amount (a registered 0 counts)."""
    return tuple(sorted({year for line in lines for year in line.amounts}))


def realised_case(plan: engine.Case, realised_lines: Sequence[engine.Line]) -> engine.Case | None:
    """The engine's case of the realised figures, or ``None`` when nothing is reported.

    Its span runs from the plan's first year to the last reported year, so that the
    engine's payback rule continues the *last reported* year's permanent effect (what
    has been realised is assumed to last) instead of reading the unreported years as
    zero. Amounts outside the plan's span are not allowed (services refuse them).
    """
    reported = reported_years(realised_lines)
    if not reported or not plan.years:
        return None
    years = tuple(y for y in plan.years if y <= reported[-1])
    return engine.Case(years=years, lines=tuple(realised_lines))


def realised_figures(
    plan: engine.Case, realised_lines: Sequence[engine.Line]
) -> engine.Figures | None:
    case = realised_case(plan, realised_lines)
    return None if case is None else engine.compute(case)


def behind_plan(planned: Decimal | None, realised: Decimal | None, threshold_pct: Decimal) -> bool:
    """True when a planned saving (negative) is realised short by MORE than
    ``threshold_pct`` percent of the planned saving. Nothing planned as a saving, or
    nothing reported, is never behind."""
    if planned is None or realised is None or planned >= 0:
        return False
    shortfall = realised - planned  # > 0: less saved than planned
    return shortfall * HUNDRED > -planned * threshold_pct


@dataclass(frozen=True)
class YearComparison:
    year: int
    reported: bool
    planned_permanent: Decimal | None
    realised_permanent: Decimal | None
    gap_permanent: Decimal | None
    planned_implementation: Decimal | None
    realised_implementation: Decimal | None
    gap_implementation: Decimal | None
    planned_net: Decimal | None
    realised_net: Decimal | None
    gap_net: Decimal | None
    planned_cumulative: Decimal | None
    realised_cumulative: Decimal | None
    realisation_pct: Decimal | None  # realised saving as % of planned saving (1 decimal)
    behind: bool


@dataclass(frozen=True)
class Comparison:
    years: tuple[YearComparison, ...]
    threshold_pct: Decimal
    planned_payback_total: int | None
    planned_payback_service: int | None
    realised_payback_total: int | None
    realised_payback_service: int | None
    reported_years: tuple[int, ...]
    # Sums over the reported years only (planned and realised alike).
    planned_permanent_to_date: Decimal
    realised_permanent_to_date: Decimal
    gap_permanent_to_date: Decimal
    planned_net_to_date: Decimal
    realised_net_to_date: Decimal
    gap_net_to_date: Decimal

    @property
    def behind_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.behind)

    @property
    def any_behind(self) -> bool:
        return any(y.behind for y in self.years)


def _gap(realised: Decimal | None, planned: Decimal | None, reported: bool) -> Decimal | None:
    if not reported:
        return None
    return (realised or ZERO) - (planned or ZERO)


def _pct(realised: Decimal | None, planned: Decimal | None) -> Decimal | None:
    if realised is None or planned is None or planned == 0:
        return None
    return round_half_up(realised * HUNDRED / planned, 1)


def compare(
    planned: engine.Figures,
    realised: engine.Figures | None,
    threshold_pct: Decimal | int = 10,
) -> Comparison:
    """Planned vs realised per year of the plan, the gaps, the flags and both paybacks.

    In a reported year an empty realised cell counts as 0 in the gap (the year has been
    reported, and nothing was realised on that line); unreported years have no gap.
    """
    threshold = Decimal(threshold_pct)
    reported = (
        set()
        if realised is None
        else {
            y
            for y in realised.years
            if realised.permanent_total.get(y) is not None
            or realised.implementation_total.get(y) is not None
        }
    )
    rows = []
    sums = dict.fromkeys(("pp", "rp", "pn", "rn"), ZERO)
    for year in planned.years:
        is_reported = year in reported

        def got(values, _year=year, _reported=is_reported):
            return values.get(_year) if _reported else None

        pp = planned.permanent_total.get(year)
        pi = planned.implementation_total.get(year)
        pn = planned.net_total.get(year)
        rp = got(realised.permanent_total) if realised else None
        ri = got(realised.implementation_total) if realised else None
        rn = got(realised.net_total) if realised else None
        if is_reported:
            sums["pp"] += pp or ZERO
            sums["rp"] += rp or ZERO
            sums["pn"] += pn or ZERO
            sums["rn"] += rn or ZERO
        rows.append(
            YearComparison(
                year=year,
                reported=is_reported,
                planned_permanent=pp,
                realised_permanent=rp,
                gap_permanent=_gap(rp, pp, is_reported),
                planned_implementation=pi,
                realised_implementation=ri,
                gap_implementation=_gap(ri, pi, is_reported),
                planned_net=pn,
                realised_net=rn,
                gap_net=_gap(rn, pn, is_reported),
                planned_cumulative=planned.cumulative_net.get(year),
                realised_cumulative=got(realised.cumulative_net) if realised else None,
                realisation_pct=_pct(rp or ZERO, pp) if is_reported and pp and pp < 0 else None,
                behind=is_reported and behind_plan(pp, rp or ZERO, threshold),
            )
        )
    return Comparison(
        years=tuple(rows),
        threshold_pct=threshold,
        planned_payback_total=planned.payback_years_total,
        planned_payback_service=planned.payback_years_service,
        realised_payback_total=realised.payback_years_total if realised else None,
        realised_payback_service=realised.payback_years_service if realised else None,
        reported_years=tuple(sorted(reported)),
        planned_permanent_to_date=sums["pp"],
        realised_permanent_to_date=sums["rp"],
        gap_permanent_to_date=sums["rp"] - sums["pp"],
        planned_net_to_date=sums["pn"],
        realised_net_to_date=sums["rn"],
        gap_net_to_date=sums["rn"] - sums["pn"],
    )


def sum_by_year(series: Iterable[Mapping[int, Decimal | None]]) -> dict[int, Decimal | None]:
    """Year-wise sum of several series; ``None`` where no series has a value."""
    out: dict[int, Decimal | None] = {}
    for values in series:
        for year, value in values.items():
            if value is None:
                out.setdefault(year, None)
            else:
                out[year] = (out.get(year) or ZERO) + value
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- committees


def _distribution_for(case: engine.Case, subject: str) -> engine.Distribution | None:
    return next((d for d in case.distributions if d.subject == subject), None)


def _split(
    totals: Mapping[int, Decimal | None],
    planned_rows: Sequence[engine.AllocatedRow],
    distribution: engine.Distribution,
    fallback_committee: str | None,
) -> dict[str, dict[int, Decimal]]:
    """Split per-year totals between the rows' committees: by the weights (basis
    "weights") or in the proportion of the plan's own rows in that year (basis
    "amounts"; the first planned year with amounts is used for later years without).
    A year that cannot be split goes to ``fallback_committee``."""
    out: dict[str, dict[int, Decimal]] = {}
    keys = list(range(len(planned_rows)))
    last_weights: dict[int, Decimal] | None = None
    for year, total in totals.items():
        if total is None:
            continue
        if distribution.basis == engine.WEIGHTS:
            rows = distribution.rows
            weights = {i: row.weight or ZERO for i, row in zip(keys, rows, strict=True)}
        else:
            weights = {i: abs(planned_rows[i].amounts.get(year) or ZERO) for i in keys}
            if sum(weights.values(), ZERO) == 0 and last_weights is not None:
                weights = last_weights
            elif sum(weights.values(), ZERO) != 0:
                last_weights = weights
        try:
            parts = allocate(total, weights, significant_places(total))
        except AllocationError:
            if fallback_committee is not None:
                bucket = out.setdefault(fallback_committee, {})
                bucket[year] = bucket.get(year, ZERO) + total
            continue
        for i, part in parts.items():
            bucket = out.setdefault(planned_rows[i].committee, {})
            bucket[year] = bucket.get(year, ZERO) + part
    return out


def committee_amounts(
    case: engine.Case,
    figures: engine.Figures,
    plan_case: engine.Case,
    plan_figures: engine.Figures,
    owner: str | None,
) -> dict[str, dict[int, Decimal]]:
    """The permanent changes (savings and costs, net) of ``case`` per committee.

    ``case``/``figures`` may be the plan itself or the realised figures; the split
    always follows the PLAN's distribution ("Teknisk bilag"): a "permanent"
    distribution splits the whole permanent total; otherwise "permanent_saving" and
    "permanent_cost" split their parts; what no distribution covers belongs to the
    owning committee ``owner``. The parts add up exactly to ``figures.permanent_total``
    in every year (largest remainder, as the engine allocates).
    """
    allocated = {d.subject: d for d in plan_figures.distributions}
    result: dict[str, dict[int, Decimal]] = {}

    def merge(parts: Mapping[str, Mapping[int, Decimal]]) -> None:
        for committee, amounts in parts.items():
            bucket = result.setdefault(committee, {})
            for year, amount in amounts.items():
                bucket[year] = bucket.get(year, ZERO) + amount

    def own(totals: Mapping[int, Decimal | None]) -> None:
        present = {y: v for y, v in totals.items() if v is not None}
        if present:
            merge({owner or "": present})

    whole = _distribution_for(plan_case, engine.PERMANENT)
    if whole is not None and engine.PERMANENT in allocated:
        merge(_split(figures.permanent_total, allocated[engine.PERMANENT].rows, whole, owner))
        return result
    for subject in ("permanent_saving", "permanent_cost"):
        totals = engine.subject_total(case.lines, subject, case.years)
        distribution = _distribution_for(plan_case, subject)
        if distribution is None or subject not in allocated:
            own(totals)
        else:
            merge(_split(totals, allocated[subject].rows, distribution, owner))
    return result


# --------------------------------------------------------------------------- scheduling

ONCE = "once"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
SCHEDULES = (ONCE, QUARTERLY, HALF_YEARLY, YEARLY)
_MONTHS = {QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}
# Registrations with these statuses close a criterion: no further follow-up is due.
CLOSING_STATUSES = frozenset({"met", "not_met"})


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; a day that does not exist in the target month is
    the month's last day (31 January + 1 month = 28/29 February). End of month stays
    end of month when ``start`` is a month's last day (30 June + 6 = 31 December)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    at_end = start.day == calendar.monthrange(start.year, start.month)[1]
    return date(year, month, last if at_end else min(start.day, last))


def occurrences(
    schedule: str, first_due: date, until: date, ends_on: date | None = None
) -> list[date]:
    """Every due date of a schedule from ``first_due`` up to ``until`` (inclusive),
    and not after ``ends_on``. Computed from ``first_due`` each time, so the day of
    month does not drift (31 Jan, 30 Apr, 31 Jul … for quarterly from 31 January)."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}")
    last = until if ends_on is None else min(until, ends_on)
    if schedule == ONCE:
        return [first_due] if first_due <= last else []
    step = _MONTHS[schedule]
    out = []
    k = 0
    while True:
        due = add_months(first_due, step * k)
        if due > last:
            return out
        out.append(due)
        k += 1


@dataclass(frozen=True)
class DueState:
    """Where a criterion's follow-up stands on ``today``.

    ``state``: "unscheduled" (no schedule), "closed" (a registration met/not met),
    "done" (every due date is covered and no later one exists), "upcoming" (the next
    due date is more than the lead time away), "due" (within the lead time, not passed)
    or "overdue" (the due date has passed without a registration). ``due_date`` is the
    earliest uncovered due date (None for unscheduled/closed/done).
    """

    state: str
    due_date: date | None = None
    overdue_count: int = 0

    @property
    def needs_action(self) -> bool:
        return self.state in ("due", "overdue")


def due_state(
    schedule: str,
    first_due: date | None,
    registered_on: Iterable[date],
    today: date,
    *,
    ends_on: date | None = None,
    closed: bool = False,
    lead_days: int = 14,
) -> DueState:
    """The follow-up state of one criterion.

    A due date counts as covered by a registration made after the previous due date
    (for the first due date: any registration within one period before it, or any at
    all for a one-off). Registrations are matched greedily in date order, each covering
    at most one due date, so a late registration covers the overdue date and the next
    one still needs its own.
    """
    if not schedule or first_due is None:
        return DueState("unscheduled")
    if closed:
        return DueState("closed")
    horizon = today + timedelta(days=lead_days)
    dues = occurrences(schedule, first_due, horizon, ends_on)
    # The next due date after the horizon, if the schedule goes on.
    following = None
    if schedule != ONCE:
        nxt = add_months(first_due, _MONTHS[schedule] * len(dues))
        if ends_on is None or nxt <= ends_on:
            following = nxt
    elif not dues and (ends_on is None or first_due <= ends_on):
        following = first_due
    pending = sorted(registered_on)
    uncovered = []
    for k, due in enumerate(dues):
        if k > 0:
            after = dues[k - 1]
        elif schedule == ONCE:
            after = date.min
        else:
            after = add_months(first_due, -_MONTHS[schedule])
        match = next((i for i, r in enumerate(pending) if r > after), None)
        if match is None:
            uncovered.append(due)
        else:
            pending = pending[match + 1 :]
    if uncovered:
        overdue = [d for d in uncovered if d < today]
        first = uncovered[0]
        return DueState("overdue" if first < today else "due", first, len(overdue))
    if following is not None:
        return DueState("upcoming", following)
    return DueState("done")


_MONTH_NAMES = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip


_YEAR = r"((?:19|20|21)\d{2})"
_MONTH_WORDS = "|".join(_MONTH_NAMES)


_DAY_PATTERNS = (
    (rf"\b{_YEAR}-(\d{{1,2}})-(\d{{1,2}})\b", (1, 2, 3)),
    (rf"\b(\d{{1,2}})\s?[./-]\s?(\d{{1,2}})\s?[./-]?\s?{_YEAR}\b", (3, 2, 1)),
    (rf"\b(\d{{1,2}})\.?\s*({_MONTH_WORDS})\s*{_YEAR}\b", (3, 2, 1)),
)


def impossible_day(text: str) -> str | None:
    """The first part of ``text`` written as a day ("31-02-2021", "30. februar 2020",
    "2021-13-01"; the shapes of `_written_date`) that is no real day, as written; None
    when every day-shaped part is a real day (or there is none: free text such as "maj
    2020" or "Ikke relevant" is left alone). For validating date texts typed by hand."""
    low = " ".join((text or "").lower().split())
    for pattern, (y, m, d) in _DAY_PATTERNS:
        for match in re.finditer(pattern, low):
            month = match.group(m)
            month = _MONTH_NAMES[month] if month in _MONTH_NAMES else int(month)
            try:
                date(int(match.group(y)), month, int(match.group(d)))
            except ValueError:
                return match.group(0)
    return None


def _written_date(low: str) -> date | None:
    """A day written out: "1.1 2022", "1.1.2022", "01-01-2022", "1/1/2022", ISO
    "2022-01-01" (also "2022-01-01 00:00:00", as a spreadsheet date cell reads) and
    "9. juni 2020". None when there is no whole date, or it is not a real day."""
    patterns = _DAY_PATTERNS
    for pattern, (y, m, d) in patterns:
        match = re.search(pattern, low)
        if match is None:
            continue
        month = match.group(m)
        month = _MONTH_NAMES[month] if month in _MONTH_NAMES else int(month)
        try:
            return date(int(match.group(y)), month, int(match.group(d)))
        except ValueError:
            return None
    return None


def parse_when(text: str) -> tuple[str, date] | None:
    """A schedule and first due date read from the printed "Hvornår?" column, when the
    text says it plainly; else ``None`` (people set it on the follow-up page).

    "Ultimo 2020" -> once 31.12.2020; "Primo 2021" -> once 1.1.2021; "1.1 2022" /
    "1.1.2022" / "01-01-2022" / "2022-01-01" / "1. januar 2022" -> once 1.1.2022 (any
    written day is that day, `_written_date`); "2021" -> once 31.12.2021; "juni 2021" -> once
    30.6.2021; "kvartalsvis fra ultimo 2020" -> quarterly from 31.12.2020; "årligt" /
    "hvert år" -> yearly; "hvert halve år" -> half-yearly (from the year mentioned, or
    None when no year is given).
    """
    low = " ".join((text or "").lower().split())
    if not low:
        return None
    if "kvartal" in low:
        schedule = QUARTERLY
    elif "halve år" in low or "halvår" in low:
        schedule = HALF_YEARLY
    elif "årlig" in low or "hvert år" in low:
        schedule = YEARLY
    else:
        schedule = ONCE
    found = _written_date(low)
    if found is None:
        year_match = re.search(r"\b((?:19|20|21)\d{2})\b", low)
        if year_match:
            year = int(year_match.group(1))
            before = low[: year_match.start()]
            month = next(
                (n for name, n in _MONTH_NAMES.items() if re.search(rf"\b{name}\s*$", before)),
                None,
            )
            if re.search(r"primo\s*$", before):
                found = date(year, 1, 1)
            elif month is not None:
                found = date(year, month, calendar.monthrange(year, month)[1])
            else:  # "ultimo 2020", "2021", "i 2021": the end of the year
                found = date(year, 12, 31)
    if found is None:
        return None
    return schedule, found
