"""Demo follow-up: a few reference proposals adopted, with realised figures and
registrations, so that the follow-up pages show something after `make run`.

`load_followup_demo(today)` is idempotent: a proposal that already has a frozen plan is
left alone. Realised figures are the plan scaled per proposal (one on plan, one behind,
one ahead), reported for the years before `today`'s year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Proposal, Status
from finance.realisation import occurrences
from finance.rounding import round_half_up

from .models import FollowupEvent, FrozenPlan, Registration, Schedule
from .services import freeze_plan, register_followup, save_realised, update_tracking


@dataclass(frozen=True)
class DemoCase:
    catalog: str
    number: str
    saving_factor: Decimal  # realised saving = planned saving × factor
    cost_factor: Decimal  # realised implementation = planned × factor
    statuses: tuple[str, ...]  # the latest status per criterion, in order (cycled)
    comment: str
    # criterion index -> (unit, baseline, target, target year, measured share of the way)
    measures: tuple[tuple[int, str, int, int, int, Decimal], ...] = ()


DEMO_CASES = (
    DemoCase("investment-2021", "BC11", Decimal("0.97"), Decimal("1.00"),
             ("met", "met", "on_track", "on_track", "on_track"),
             "Følger planen; algoritmen er i drift.",
             ((2, "sager", 500, 800, 2021, Decimal("0.9")),)),
    DemoCase("investment-2021", "BC12", Decimal("0.70"), Decimal("1.15"),
             ("delayed", "on_track", "delayed"),
             "Færre opkald end ventet er flyttet til de digitale kanaler; ny kampagne i gang.",
             ((0, "opkald", 400000, 300000, 2025, Decimal("0.6")),)),
    DemoCase("investment-2021", "BC01", Decimal("1.05"), Decimal("0.96"),
             ("met", "on_track"),
             "Installationerne er færdige; EnergyKey viser et større fald end forventet."),
    DemoCase("innovation-2020", "BC11", Decimal("0.85"), Decimal("1.05"),
             ("on_track", "delayed"),
             "Pilotforsøget er forlænget et halvt år."),
)  # fmt: skip


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _backdate(queryset, **times) -> None:
    """Demo data only: give append-only records (plan, history) the dates a real round
    would have produced. Bypasses the append-only queryset on purpose."""
    QuerySet.update(queryset, **times)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_followup_demo(today: date | None = None) -> list[str]:
    """Adopt the demo proposals that exist and are not adopted yet; returns notes."""
    today = today or timezone.localdate()
    central = _user("oekonomi") or _user("admin")
    notes = []
    for demo in DEMO_CASES:
        proposal = Proposal.objects.filter(catalog__key=demo.catalog, number=demo.number).first()
        if proposal is None:
            notes.append(f"{demo.catalog} {demo.number}: findes ikke")
            continue
        if FrozenPlan.objects.filter(proposal=proposal).exists():
            notes.append(f"{demo.catalog} {demo.number}: er allerede vedtaget")
            continue
        if "adopted" in Status.values:
            Proposal.objects.filter(pk=proposal.pk).update(status="adopted")
        plan = freeze_plan(proposal, central)
        adopted_on = date(proposal.first_year - 1, 10, 15)
        _backdate(FrozenPlan.objects.filter(pk=plan.pk), frozen_at=_aware(adopted_on))
        _backdate(FollowupEvent.objects.filter(plan=plan), at=_aware(adopted_on))
        finance = _user("finans") if proposal.presenting_administration.code == "KFF" else None
        who = finance or central
        _realised(plan, who, demo, today)
        _criteria(plan, who, demo, today)
        notes.append(f"{demo.catalog} {demo.number}: vedtaget med opfølgning")
    for username in ("finans", "oekonomi"):
        user = _user(username)
        if user is not None and not user.email:
            user.email = f"{username}@bilag.invalid"
            user.save(update_fields=["email"])
    return notes


def _realised(plan: FrozenPlan, user, demo: DemoCase, today: date) -> None:
    last_reported = today.year - 1
    cells = {}
    document_lines = plan.document["lines"]
    for line in plan.realised_lines.all():
        factor = demo.saving_factor if line.section == "permanent" else demo.cost_factor
        if line.section == "permanent" and line.kind == "cost":
            factor = Decimal(1)
        for year, amount in (document_lines[line.order].get("amounts") or {}).items():
            if int(year) <= last_reported:
                value = round_half_up(Decimal(str(amount)) * factor, 0)
                cells[(line.pk, int(year))] = value
    if cells:
        save_realised(user, plan, cells)


def _criteria(plan: FrozenPlan, user, demo: DemoCase, today: date) -> None:
    first_year = int(plan.document["years"][0])
    measures = {m[0]: m for m in demo.measures}
    for i, criterion in enumerate(plan.criteria.all()):
        measure = measures.get(i)
        if measure is not None:
            _, unit, baseline, target, target_year, _ = measure
            update_tracking(user, criterion, unit=unit, baseline=Decimal(baseline),
                            target=Decimal(target), target_year=target_year)  # fmt: skip
        if not criterion.schedule:
            update_tracking(
                user, criterion, schedule=Schedule.YEARLY, first_due=date(first_year, 12, 31)
            )
            criterion.refresh_from_db()
        status = demo.statuses[i % len(demo.statuses)]
        # Registered for every due date but the latest, so some follow-up is waiting.
        due_dates = _dues(criterion, today)
        for k, due in enumerate(due_dates[:-1] or due_dates[:1]):
            final = k == len(due_dates) - 2 or len(due_dates) == 1
            this_status = status if final else "on_track"
            registered = min(due, today)
            measured = {}
            if measure is not None:
                _, _, baseline, target, _, share = measure
                measured = {
                    "measured_value": round_half_up(baseline + (target - baseline) * share, 0),
                    "measured_on": registered,
                }
            registration = register_followup(
                user,
                criterion,
                status=this_status,
                comment=demo.comment if this_status in ("delayed", "not_met") or final else "",
                **measured,
            )
            Registration.objects.filter(pk=registration.pk).update(registered_at=_aware(registered))
            _backdate(
                FollowupEvent.objects.filter(details__registration=registration.pk),
                at=_aware(registered),
            )
            if this_status in ("met", "not_met"):
                break


def _dues(criterion, today: date) -> list[date]:
    return occurrences(criterion.schedule, criterion.first_due, today, criterion.ends_on)
