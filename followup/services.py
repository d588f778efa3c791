"""Writing follow-up. Each public function checks the user's permission, validates,
and does all of its work in one transaction or none of it. Every change is written to
the proposal's follow-up history (`FollowupEvent`). The frozen plan itself is never
changed: there is no function for it, and the model refuses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.exporting import export_proposal
from cases.models import Proposal
from cases.selectors import proposals_with_inputs
from committees.models import Administration
from finance import realisation
from finance.formatting import format_amount

from . import permissions
from .models import (
    CriterionStatus,
    EventKind,
    FollowupEvent,
    FrozenPlan,
    FrozenPlanError,
    RealisedAmount,
    RealisedLine,
    Registration,
    Schedule,
    TrackedCriterion,
)

LIMIT = Decimal("1E12")


def _places_ok(value: Decimal, places: int = 2) -> bool:
    exponent = value.as_tuple().exponent
    return not isinstance(exponent, int) or exponent >= -places or value == round(value, places)


def _responsible_administration(text: str, default):
    """An administration code printed in the "Hvem er ansvarlig?" column ("KFF i
    samarbejde med KIT" -> KFF), else `default`."""
    codes = {a.code: a for a in Administration.objects.all()}
    for word in re.findall(r"\w+", text or ""):
        if word in codes:
            return codes[word]
    return default


# --------------------------------------------------------------------------- the decision


@transaction.atomic
def freeze_plan(proposal: Proposal, user=None) -> FrozenPlan:
    """Freeze the adopted version of `proposal`: its inputs and the engine's figures
    (a budget-cases/1 proposal document), a realised grid with the plan's lines, and
    its success criteria as tracked criteria (schedule and responsible administration
    read from the printed text where it says so plainly).

    To be called by the decision transition when a proposal is adopted (the caller has
    checked the permission). Calling it again for the same version returns the frozen
    plan; for another version it raises `FrozenPlanError` (the plan is kept as adopted).
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    existing = FrozenPlan.objects.filter(proposal=locked).first()
    if existing is not None:
        if existing.version == locked.version:
            return existing
        raise FrozenPlanError(
            f"{locked} was adopted as version {existing.version}; the plan stays frozen"
        )
    full = proposals_with_inputs(Proposal.objects.filter(pk=locked.pk)).get()
    document = export_proposal(full)
    plan = FrozenPlan.objects.create(
        proposal=full, version=full.version, frozen_by=user, document=document
    )
    RealisedLine.objects.bulk_create(
        [
            RealisedLine(
                plan=plan,
                section=ln["section"],
                kind=ln["kind"],
                area=ln.get("area") or "",
                label=ln.get("label") or "",
                order=i,
            )
            for i, ln in enumerate(document["lines"])
        ]
    )
    criteria = []
    for i, c in enumerate(full.success_criteria.all()):
        parsed = realisation.parse_when(c.when)
        criteria.append(
            TrackedCriterion(
                plan=plan,
                criterion=c.criterion,
                how_measured=c.how_measured,
                responsible_text=c.responsible,
                when_text=c.when,
                order=i,
                schedule=parsed[0] if parsed else "",
                first_due=parsed[1] if parsed else None,
                responsible_administration=_responsible_administration(
                    c.responsible, full.presenting_administration
                ),
            )
        )
    TrackedCriterion.objects.bulk_create(criteria)
    FollowupEvent.objects.create(
        plan=plan,
        kind=EventKind.ADOPTED,
        user=user,
        summary=_("Plan frozen as adopted (version %(version)s)") % {"version": plan.version},
        details={"version": plan.version},
    )
    return plan


def note_change_after_decision(proposal: Proposal, user, reason: str) -> FollowupEvent | None:
    """A change of an adopted proposal's inputs (made with a reason through
    `cases.services`, issue 11, finding 3) never touches its frozen plan: the plan keeps
    the adopted version, and its history records that the proposal now differs (who,
    why, which version). None when the proposal has no frozen plan. Runs inside the
    change's transaction (called by the `decided_inputs_changed` receiver)."""
    plan = FrozenPlan.objects.filter(proposal_id=proposal.pk).first()
    if plan is None:
        return None
    version = Proposal.objects.values_list("version", flat=True).get(pk=proposal.pk)
    return FollowupEvent.objects.create(
        plan=plan,
        kind=EventKind.CHANGED_AFTER,
        user=user if getattr(user, "is_authenticated", False) else None,
        summary=_(
            "The proposal was changed after the decision (now version %(version)s): "
            "%(reason)s. The plan stays as adopted (version %(adopted)s)."
        )
        % {"version": version, "reason": reason, "adopted": plan.version},
        details={"version": version, "adopted": plan.version, "reason": reason},
    )


# --------------------------------------------------------------------------- criteria


def _check_amount(value: Decimal | None, name: str, errors: dict) -> None:
    if value is None:
        return
    if not value.is_finite() or abs(value) >= LIMIT:
        errors[name] = _("The number is too large.")
    elif not _places_ok(value):
        errors[name] = _("Use at most %(places)d decimals.") % {"places": 2}


@transaction.atomic
def register_followup(
    user,
    criterion: TrackedCriterion,
    *,
    status: str,
    measured_value: Decimal | None = None,
    measured_on: date | None = None,
    comment: str = "",
) -> Registration:
    """Register the follow-up of one criterion: status, measured value and date,
    comment. Raises `PermissionDenied` or `ValidationError` (nothing is written)."""
    criterion = (
        TrackedCriterion.objects.select_for_update()
        .select_related("plan__proposal")
        .get(pk=criterion.pk)
    )
    if not permissions.can_register(user, criterion):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register follow-up."))  # fmt: skip
    errors: dict[str, str] = {}
    if status not in CriterionStatus.values:
        errors["status"] = _("Choose a status.")
    _check_amount(measured_value, "measured_value", errors)
    if measured_value is not None and measured_on is None:
        errors["measured_on"] = _("Give the date of the measurement.")
    if measured_on is not None and measured_on > timezone.localdate():
        errors["measured_on"] = _("The date of the measurement cannot be in the future.")
    comment = (comment or "").strip()
    if status in (CriterionStatus.DELAYED, CriterionStatus.NOT_MET) and not comment:
        errors["comment"] = _("Explain in a comment why the criterion is delayed or not met.")
    if errors:
        raise ValidationError(errors)
    registration = Registration.objects.create(
        criterion=criterion,
        status=status,
        measured_value=measured_value,
        measured_on=measured_on,
        comment=comment,
        registered_by=user,
    )
    value = ""
    if measured_value is not None:
        value = f" – {format_amount(measured_value)} {criterion.unit}".rstrip()
    FollowupEvent.objects.create(
        plan=criterion.plan,
        kind=EventKind.REGISTRATION,
        user=user,
        summary=f"»{_short(criterion.criterion)}«: {registration.get_status_display()}{value}",
        details={
            "criterion": criterion.pk,
            "registration": registration.pk,
            "status": status,
            "measured_value": None if measured_value is None else str(measured_value),
            "measured_on": measured_on.isoformat() if measured_on else None,
            "comment": comment,
        },
    )
    return registration


TRACKING_FIELDS = (
    "unit",
    "baseline",
    "target",
    "target_year",
    "schedule",
    "first_due",
    "ends_on",
    "responsible_administration",
    "responsible_user",
)


@transaction.atomic
def update_tracking(user, criterion: TrackedCriterion, **values) -> TrackedCriterion:
    """Change what makes a criterion trackable (baseline, target, unit, schedule,
    responsible). The printed columns of the adopted version stay as adopted."""
    unknown = set(values) - set(TRACKING_FIELDS)
    if unknown:
        raise TypeError(f"not a tracking field: {', '.join(sorted(unknown))}")
    criterion = (
        TrackedCriterion.objects.select_for_update()
        .select_related("plan__proposal")
        .get(pk=criterion.pk)
    )
    if not permissions.can_register(user, criterion):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register follow-up."))  # fmt: skip
    merged = {name: getattr(criterion, name) for name in TRACKING_FIELDS} | values
    errors: dict[str, str] = {}
    for name in ("baseline", "target"):
        _check_amount(merged[name], name, errors)
    schedule = merged["schedule"] or ""
    if schedule and schedule not in Schedule.values:
        errors["schedule"] = _("Choose a schedule.")
    if schedule and merged["first_due"] is None:
        errors["first_due"] = _("A schedule needs the date of the first follow-up.")
    if not schedule and merged["first_due"] is not None:
        errors["schedule"] = _("Choose how often the follow-up is due.")
    if merged["ends_on"] is not None and (
        merged["first_due"] is None or merged["ends_on"] < merged["first_due"]
    ):
        errors["ends_on"] = _("The last follow-up cannot be before the first.")
    year = merged["target_year"]
    if year is not None and not 1900 <= year <= 2200:
        errors["target_year"] = _("Give a year between 1900 and 2200.")
    if errors:
        raise ValidationError(errors)
    before = {name: _text(getattr(criterion, name)) for name in TRACKING_FIELDS}
    for name, value in merged.items():
        setattr(criterion, name, value if name != "schedule" else schedule)
    criterion.full_clean(exclude=["plan"])
    criterion.save()
    after = {name: _text(getattr(criterion, name)) for name in TRACKING_FIELDS}
    changed = {k: [before[k], after[k]] for k in TRACKING_FIELDS if before[k] != after[k]}
    if changed:
        FollowupEvent.objects.create(
            plan=criterion.plan,
            kind=EventKind.TRACKING,
            user=user,
            summary=_("Tracking of »%(criterion)s« changed")
            % {"criterion": _short(criterion.criterion)},
            details={"criterion": criterion.pk, "changed": changed},
        )
    return criterion


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- realised figures


def cell_name(line_id: int, year: int) -> str:
    return f"r{line_id}_{year}"


@transaction.atomic
def save_realised(
    user, plan: FrozenPlan, cells: Mapping[tuple[int, int], Decimal | None]
) -> list[dict]:
    """Set realised amounts: {(realised line id, year): amount or None (empty cell)}.

    Validated like the year grid: a year of the adopted span, at most two decimals, not
    too large, and the sign of the line (savings negative, costs positive). Cells not
    given are left as they are. Returns the changes (also written to the history).
    Raises `PermissionDenied` or `ValidationError` keyed by `cell_name` (nothing is
    written)."""
    plan = FrozenPlan.objects.select_for_update().select_related("proposal").get(pk=plan.pk)
    if not permissions.can_register_realised(user, plan):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register realised figures."))  # fmt: skip
    lines = {ln.pk: ln for ln in plan.realised_lines.all()}
    years = set(int(y) for y in plan.document["years"])
    current = {
        (a.line_id, a.year): a
        for a in RealisedAmount.objects.filter(line__plan=plan).select_for_update()
    }
    errors: dict[str, str] = {}
    for (line_id, year), amount in cells.items():
        name = cell_name(line_id, year)
        line = lines.get(line_id)
        if line is None:
            errors[name] = _("The line is not part of this adopted plan.")
            continue
        if year not in years:
            errors[name] = _("%(year)s is outside the years of the adopted plan.") % {"year": year}
            continue
        if amount is None:
            continue
        _check_amount(amount, name, errors)
        if name in errors:
            continue
        if line.kind == "saving" and amount > 0:
            errors[name] = _(
                "»%(label)s« is a saving: savings are entered with a minus sign (%(year)s)."
            ) % {"label": line.label, "year": year}
        elif line.kind == "cost" and amount < 0:
            errors[name] = _(
                "»%(label)s« is a cost: costs are entered without a minus sign (%(year)s)."
            ) % {"label": line.label, "year": year}
    if errors:
        raise ValidationError(errors)
    changes = []
    for (line_id, year), amount in sorted(cells.items()):
        existing = current.get((line_id, year))
        before = existing.amount if existing is not None else None
        if before == amount:  # unchanged (both empty, or the same number)
            continue
        if amount is None:
            existing.delete()
        elif existing is None:
            RealisedAmount.objects.create(line=lines[line_id], year=year, amount=amount)
        else:
            existing.amount = amount
            existing.save(update_fields=["amount"])
        changes.append(
            {
                "line": lines[line_id].label,
                "line_id": line_id,
                "year": year,
                "before": None if before is None else str(before),
                "after": None if amount is None else str(amount),
            }
        )
    if changes:
        years_changed = sorted({c["year"] for c in changes})
        FollowupEvent.objects.create(
            plan=plan,
            kind=EventKind.REALISED,
            user=user,
            summary=_("Realised figures registered for %(years)s (%(count)d cells)")
            % {"years": ", ".join(map(str, years_changed)), "count": len(changes)},
            details={"changes": changes},
        )
    return changes
