"""Mail to the people a workflow step concerns, with a link to the case.

Sent through Django's mail framework (the `default` mailer; the console backend in
development) after the step's transaction commits, so that a step that fails sends
nothing. Each mail is recorded as a `Notification`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cases.limits import clean_text
from cases.models import Proposal
from cases.permissions import involved_committee_ids
from committees.models import Role

from .models import Action, Notification, WorkflowEvent


def authors(proposal: Proposal):
    """Finance staff of the presenting administration."""
    if proposal.presenting_administration_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        is_active=True,
        profile__role=Role.FINANCE_STAFF,
        profile__administration_id=proposal.presenting_administration_id,
    )


def central_finance():
    return get_user_model().objects.filter(is_active=True, profile__role=Role.CENTRAL_FINANCE)


def reviewers(proposal: Proposal):
    """Reviewers of the committees that take part in the proposal."""
    ids = involved_committee_ids(proposal)
    return get_user_model().objects.filter(
        Q(profile__committee_id__in=ids) | Q(profile__committee_id=proposal.committee_id),
        is_active=True,
        profile__role=Role.COMMITTEE_REVIEWER,
    )


def recipients_for(event: WorkflowEvent):
    """Who is told about a step (never the person who took it)."""
    proposal = event.proposal
    by_action = {
        Action.SUBMIT: [central_finance()],
        Action.START_HEARING: [authors(proposal)],
        Action.ANSWER_HEARING: [authors(proposal)],
        Action.FORWARD: [reviewers(proposal)],
        Action.APPROVE: [authors(proposal), central_finance()],
        Action.RECOMMEND: [authors(proposal), reviewers(proposal)],
        Action.ADOPT: [authors(proposal), reviewers(proposal)],
        Action.NOT_ADOPT: [authors(proposal), reviewers(proposal)],
        Action.RETURN: [authors(proposal), central_finance()],
        Action.REJECT: [authors(proposal), central_finance()],
    }
    users = {}
    for queryset in by_action.get(event.action, []):
        for user in queryset.exclude(pk=event.user_id).exclude(email=""):
            users[user.pk] = user
    return sorted(users.values(), key=lambda u: u.pk)


def case_url(proposal: Proposal) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("review:case", args=[proposal.pk])


def message_for(event: WorkflowEvent) -> tuple[str, str]:
    proposal = event.proposal
    with translation.override(settings.LANGUAGE_CODE):
        # One line, no control characters, whatever is stored (a title saved before the
        # input was cleaned may hold a line break): mail headers refuse them and the
        # mail would be lost silently (issue 11, finding 15).
        subject = clean_text(
            _("%(number)s %(title)s: %(action)s")
            % {
                "number": proposal.number,
                "title": proposal.title[:80],
                "action": event.get_action_display().lower(),
            },
            multiline=False,
        )
        lines = [
            _("%(user)s: %(action)s.")
            % {
                "user": event.user.get_full_name() or event.user.username,
                "action": event.get_action_display(),
            },
            _("Status: %(status)s") % {"status": proposal.get_status_display()},
        ]
        if event.committee_id:
            lines.append(_("Committee: %(name)s") % {"name": event.committee.name})
        if event.comment:
            lines += ["", event.comment]
        lines += ["", _("Open the case: %(url)s") % {"url": case_url(proposal)}]
    return subject, "\n".join(lines)


def notify(event: WorkflowEvent) -> None:
    """Send the step's mails once the surrounding transaction has committed."""
    transaction.on_commit(lambda: send_now(event), robust=True)


def send_now(event: WorkflowEvent) -> int:
    users = recipients_for(event)
    if not users:
        return 0
    subject, body = message_for(event)
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users
    ]
    sent = mailers.default.send_messages(messages)
    Notification.objects.bulk_create(
        [Notification(recipient=u, event=event, email=u.email, subject=subject) for u in users]
    )
    return sent or 0
