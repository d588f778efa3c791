"""Reading follow-up: the frozen plan as the engine's case, the realised figures, the
comparison per proposal, per committee (through the plan's distribution) and per
catalogue. The planned figures are recomputed by `finance.engine` from the frozen
inputs (equal to the figures frozen with them, see the tests); the realised ones by the
same engine from the realised lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from finance import engine, realisation

from .models import FrozenPlan, Registration, TrackedCriterion


def threshold_default() -> Decimal:
    return Decimal(str(getattr(settings, "FOLLOWUP_SHORTFALL_THRESHOLD_PCT", 10)))


def lead_days() -> int:
    return int(getattr(settings, "FOLLOWUP_REMINDER_LEAD_DAYS", 14))


def today() -> date:
    return timezone.localdate()


def plans_with_everything(queryset: QuerySet[FrozenPlan] | None = None) -> QuerySet[FrozenPlan]:
    queryset = FrozenPlan.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "proposal__catalog",
        "proposal__committee",
        "proposal__presenting_administration",
        "frozen_by",
    ).prefetch_related(
        Prefetch(
            "criteria",
            queryset=TrackedCriterion.objects.select_related(
                "responsible_administration", "responsible_user"
            ).prefetch_related(
                Prefetch(
                    "registrations",
                    queryset=Registration.objects.select_related("registered_by").order_by(
                        "registered_at", "pk"
                    ),
                )
            ),
        ),
        "realised_lines__amounts",
    )


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not an amount: {value!r}")
    return Decimal(str(value))  # ints, and floats of at most 2 decimals, exactly


def _json_amounts(values: dict | None) -> dict[int, Decimal]:
    return {int(y): _decimal(v) for y, v in (values or {}).items() if v is not None}


def plan_case(plan: FrozenPlan) -> engine.Case:
    """The engine's case of the frozen (adopted) inputs."""
    doc = plan.document
    return engine.Case(
        years=tuple(int(y) for y in doc["years"]),
        lines=tuple(
            engine.Line(
                section=ln["section"],
                kind=ln["kind"],
                area=ln.get("area") or None,
                label=ln.get("label") or "",
                amounts=_json_amounts(ln.get("amounts")),
            )
            for ln in doc.get("lines") or []
        ),
        distributions=tuple(
            engine.Distribution(
                subject=d["subject"],
                basis=d["basis"],
                rows=tuple(
                    engine.DistributionRow(
                        committee=row["committee"],
                        unit=row.get("unit") or "",
                        weight=(
                            _decimal(row["weight"]) if row.get("weight") is not None else None
                        ),
                        amounts=(
                            _json_amounts(row.get("amounts")) if d["basis"] == "amounts" else None
                        ),
                        account=row.get("account"),
                    )
                    for row in d.get("rows") or []
                ),
            )
            for d in doc.get("distributions") or []
        ),
    )


def realised_lines(plan: FrozenPlan) -> list[engine.Line]:
    return [
        engine.Line(
            section=ln.section,
            kind=ln.kind,
            area=ln.area or None,
            label=ln.label,
            amounts={a.year: a.amount for a in ln.amounts.all()},
        )
        for ln in plan.realised_lines.all()
    ]


@dataclass
class CriterionRow:
    criterion: TrackedCriterion
    latest: Registration | None
    state: realisation.DueState
    registrations: list[Registration]


def criterion_row(criterion: TrackedCriterion, on: date | None = None) -> CriterionRow:
    registrations = list(criterion.registrations.all())
    latest = registrations[-1] if registrations else None
    state = realisation.due_state(
        criterion.schedule,
        criterion.first_due,
        [timezone.localdate(r.registered_at) for r in registrations],
        on or today(),
        ends_on=criterion.ends_on,
        closed=latest is not None and latest.status in realisation.CLOSING_STATUSES,
        lead_days=lead_days(),
    )
    return CriterionRow(criterion, latest, state, registrations)


@dataclass
class PlanView:
    """One adopted proposal's follow-up: plan, realised figures, comparison, criteria."""

    plan: FrozenPlan
    threshold: Decimal = field(default_factory=threshold_default)
    on: date = field(default_factory=today)

    @property
    def proposal(self):
        return self.plan.proposal

    @cached_property
    def case(self) -> engine.Case:
        return plan_case(self.plan)

    @cached_property
    def planned(self) -> engine.Figures:
        return engine.compute(self.case)

    @cached_property
    def realised_lines(self) -> list[engine.Line]:
        return realised_lines(self.plan)

    @cached_property
    def realised_case(self) -> engine.Case | None:
        return realisation.realised_case(self.case, self.realised_lines)

    @cached_property
    def realised(self) -> engine.Figures | None:
        case = self.realised_case
        return None if case is None else engine.compute(case)

    @cached_property
    def comparison(self) -> realisation.Comparison:
        return realisation.compare(self.planned, self.realised, self.threshold)

    @cached_property
    def criteria(self) -> list[CriterionRow]:
        return [criterion_row(c, self.on) for c in self.plan.criteria.all()]

    @property
    def pending(self) -> list[CriterionRow]:
        return [row for row in self.criteria if row.state.needs_action]

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.criteria:
            key = row.latest.status if row.latest else "none"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def committee_split(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """(planned, realised) permanent changes per committee code and year."""
        owner = self.plan.document.get("committee")
        planned = realisation.committee_amounts(
            self.case, self.planned, self.case, self.planned, owner
        )
        realised = (
            realisation.committee_amounts(
                self.realised_case, self.realised, self.case, self.planned, owner
            )
            if self.realised_case is not None
            else {}
        )
        return planned, realised


@dataclass
class Portfolio:
    """Adopted proposals of a committee (or a catalogue), planned vs realised permanent
    changes per year, summed through each plan's distribution."""

    years: list[int]
    planned: dict[int, Decimal | None]
    realised: dict[int, Decimal | None]
    gap: dict[int, Decimal | None]
    behind: dict[int, bool]
    rows: list[dict]


def portfolio(views: list[PlanView], committee: str | None, threshold: Decimal) -> Portfolio:
    """The sum over `views` of the permanent changes belonging to `committee` (all of
    them when None). A year counts as realised only where the plan reported it."""
    planned_series, realised_series, rows = [], [], []
    for view in views:
        if committee is None:
            planned = dict(view.planned.permanent_total)
            realised = {
                y: (view.realised.permanent_total.get(y) if view.realised else None)
                for y in view.comparison.reported_years
            }
        else:
            split_planned, split_realised = view.committee_split()
            if committee not in split_planned and committee not in split_realised:
                continue
            planned = dict(split_planned.get(committee, {}))
            realised = {
                y: split_realised.get(committee, {}).get(y, Decimal(0))
                for y in view.comparison.reported_years
            }
        planned_series.append(planned)
        realised_series.append(realised)
        rows.append({"view": view, "planned": planned, "realised": realised})
    planned_sum = realisation.sum_by_year(planned_series)
    realised_sum = realisation.sum_by_year(realised_series)
    years = sorted(set(planned_sum) | set(realised_sum))
    gap: dict[int, Decimal | None] = {}
    behind: dict[int, bool] = {}
    for year in years:
        real = realised_sum.get(year)
        if real is None:
            gap[year] = None
            behind[year] = False
            continue
        # Compare like with like: only the plans that reported the year.
        planned_reported = sum(
            (
                row["planned"].get(year) or Decimal(0)
                for row in rows
                if year in row["realised"]
            ),
            Decimal(0),
        )
        gap[year] = real - planned_reported
        behind[year] = realisation.behind_plan(planned_reported, real, threshold)
    return Portfolio(
        years=years,
        planned={y: planned_sum.get(y) for y in years},
        realised={y: realised_sum.get(y) for y in years},
        gap=gap,
        behind=behind,
        rows=rows,
    )
