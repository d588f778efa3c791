"""Reminders: criteria whose follow-up is due or overdue, mailed to the responsible
people once per due date (`ReminderSent` is the bookkeeping; its unique constraint
makes a second send of the same due date impossible, even from two runs at once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from committees.models import Role

from .models import EventKind, FollowupEvent, FrozenPlan, ReminderSent, TrackedCriterion
from .selectors import criterion_row, plans_with_everything


@dataclass
class Due:
    criterion: TrackedCriterion
    due_date: date
    overdue: bool

    @property
    def proposal(self):
        return self.criterion.plan.proposal

    @property
    def url(self) -> str:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        path = reverse(
            "followup:proposal", args=[self.proposal.catalog.key, self.proposal.number]
        )
        return f"{base}{path}#criterion-{self.criterion.pk}"


def due_criteria(on: date) -> list[Due]:
    """Every criterion of an adopted plan that is due or overdue on `on`."""
    found = []
    for plan in plans_with_everything(FrozenPlan.objects.all()):
        for criterion in plan.criteria.all():
            criterion.plan = plan
            state = criterion_row(criterion, on).state
            if state.needs_action:
                found.append(Due(criterion, state.due_date, state.state == "overdue"))
    return found


def recipients(criterion: TrackedCriterion) -> list:
    """The responsible person; else the finance staff of the responsible administration
    (the presenting administration when none is set). Only users with an email."""
    User = get_user_model()
    if criterion.responsible_user_id is not None:
        user = criterion.responsible_user
        return [user] if user.is_active and user.email else []
    administration_id = (
        criterion.responsible_administration_id
        or criterion.plan.proposal.presenting_administration_id
    )
    if administration_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            profile__role=Role.FINANCE_STAFF,
            profile__administration_id=administration_id,
        )
        .exclude(email="")
        .order_by("username")
    )


@dataclass
class Outcome:
    sent: int = 0  # mails
    reminded: int = 0  # (criterion, due date) pairs newly reminded
    already: int = 0  # pairs reminded before
    without_recipient: int = 0


def send_reminders(on: date, *, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    per_user: dict[int, tuple[object, list[Due]]] = {}
    pending: list[tuple[Due, list]] = []
    sent_before = set(ReminderSent.objects.values_list("criterion_id", "due_date"))
    for due in due_criteria(on):
        if (due.criterion.pk, due.due_date) in sent_before:
            outcome.already += 1
            continue
        people = recipients(due.criterion)
        if not people:
            outcome.without_recipient += 1
            continue
        pending.append((due, people))
        for user in people:
            per_user.setdefault(user.pk, (user, []))[1].append(due)
    if dry_run:
        outcome.reminded = len(pending)
        return outcome
    # Record first (once per due date, guarded by the unique constraint), then mail
    # those that this run recorded.
    recorded: set[tuple[int, date]] = set()
    for due, people in pending:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    criterion=due.criterion,
                    due_date=due.due_date,
                    recipients=", ".join(u.email for u in people),
                )
                FollowupEvent.objects.create(
                    plan=due.criterion.plan,
                    kind=EventKind.REMINDER,
                    summary=f"Påmindelse sendt ({due.due_date:%d.%m.%Y}) til "
                    + ", ".join(u.email for u in people),
                    details={"criterion": due.criterion.pk, "due_date": due.due_date.isoformat()},
                )
        except IntegrityError:
            outcome.already += 1
            continue
        recorded.add((due.criterion.pk, due.due_date))
        outcome.reminded += 1
    with translation.override(settings.LANGUAGE_CODE):
        for user, items in per_user.values():
            items = [d for d in items if (d.criterion.pk, d.due_date) in recorded]
            if not items:
                continue
            context = {"user": user, "items": items}
            subject = " ".join(
                render_to_string("followup/email/reminder_subject.txt", context).split()
            )
            body = render_to_string("followup/email/reminder.txt", context)
            send_mail(subject, body, None, [user.email])
            outcome.sent += 1
    return outcome
