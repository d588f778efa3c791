"""The review workflow as plain functions.

    Kladde → Indsendt → I høring → Godkendt i udvalg → Indstillet → Vedtaget / Ikke vedtaget
                 └──────────┴───────────┴──────────────┴→ Tilbagesendt (editable again) / Afvist

Every step checks the user's permission and the proposal's state (`StepRefused`, a
`PermissionDenied`, says why), runs in one transaction with the proposal's row locked,
records who/when/comment as an append-only `WorkflowEvent`, and mails the people it
concerns after the commit (`review.notifications`).

Roles: finance staff submit the proposals of their administration; central finance
(and admin) start the hearing, record the answers, forward the case to the committees,
return or reject it, recommend it for the annex and mark the budget decision; committee
reviewers approve for their own committee (a cross-cutting proposal needs every
involved committee, `permissions.involved_committee_ids`), and may return or reject a
case that was forwarded to them. A proposal cannot be approved in committee before
Center for Økonomi has answered "Ja" in the hearing.

`allowed(user, proposal, action)` answers without side effects, from the same checks,
so pages only show the buttons that work; `bulk(...)` applies a step to several
proposals, each in its own transaction, and reports per proposal.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import limits, permissions
from cases.models import HearingAnswer, Proposal, Status
from committees.models import Committee, Role

# Called through their modules (looked up at call time, as tests patch them there).
from . import history, notifications, summaries
from .models import Action, CommitteeApproval, ReviewComment, WorkflowEvent
from .signals import proposal_adopted

CENTRAL_BODY = "Center for Økonomi, Økonomiforvaltningen"
# The hearing bodies the annexes print under "Hvem er hørt?".
HEARING_BODIES = (
    CENTRAL_BODY,
    "Ejendomsfaglig vurdering",
    "IT-kredsen",
    "Koncern-IT",
    "HR-kredsen",
    "Velfærdsanalytisk vurdering",
)

REVIEW_STATUSES = frozenset(
    {Status.SUBMITTED, Status.IN_HEARING, Status.COMMITTEE_APPROVED, Status.RECOMMENDED}
)
FINAL_STATUSES = frozenset({Status.ADOPTED, Status.NOT_ADOPTED, Status.REJECTED})


class StepRefused(PermissionDenied):
    """A workflow step that may not be taken; the message says why."""


# ------------------------------------------------------------------------ state queries


def is_central_body(body: str) -> bool:
    return body.strip().lower().startswith("center for økonomi")


def central_answer(proposal: Proposal) -> str:
    """Center for Økonomi's hearing answer ("yes", "no", "not_relevant" or "")."""
    for row in proposal.hearing.all():
        if is_central_body(row.body):
            return row.answer
    return ""


def current_round(proposal: Proposal) -> WorkflowEvent | None:
    """The submission the proposal is in (its latest `submit` step)."""
    return (
        WorkflowEvent.objects.filter(proposal=proposal, action=Action.SUBMIT)
        .order_by("-pk")
        .first()
    )


def is_forwarded(proposal: Proposal, round_: WorkflowEvent | None = None) -> bool:
    round_ = current_round(proposal) if round_ is None else round_
    if round_ is None:
        return False
    return WorkflowEvent.objects.filter(
        proposal=proposal, action=Action.FORWARD, pk__gt=round_.pk
    ).exists()


def approved_committee_ids(proposal: Proposal, round_: WorkflowEvent | None = None) -> set[int]:
    round_ = current_round(proposal) if round_ is None else round_
    if round_ is None:
        return set()
    return set(
        CommitteeApproval.objects.filter(round=round_).values_list("committee_id", flat=True)
    )


def approvals(proposal: Proposal) -> list[CommitteeApproval]:
    """The committee approvals of the current submission."""
    round_ = current_round(proposal)
    if round_ is None:
        return []
    return list(
        CommitteeApproval.objects.filter(round=round_)
        .select_related("committee", "user")
        .order_by("committee__order")
    )


def approval_text(proposal: Proposal) -> str:
    """What the annex prints, e.g. "udvalgsgodkendt den 9. marts 2020" (the last of the
    involved committees' approval dates), or "" if not approved in this round."""
    found = approvals(proposal)
    if not found or proposal.status not in (
        Status.COMMITTEE_APPROVED,
        Status.RECOMMENDED,
        Status.ADOPTED,
        Status.NOT_ADOPTED,
    ):
        return ""
    last = max(a.approved_on for a in found)
    with override("da"):
        return "udvalgsgodkendt den " + date_format(last, "j. F Y")


# ------------------------------------------------------------------------------ checks


def _role(user) -> str | None:
    return permissions.role(user)


def _is_central(user) -> bool:
    return _role(user) in (Role.CENTRAL_FINANCE, Role.ADMIN)


def _reviewer_committee(user) -> int | None:
    if _role(user) != Role.COMMITTEE_REVIEWER:
        return None
    found = permissions.profile(user)
    return found.committee_id if found else None


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _require_status(proposal: Proposal, statuses: Iterable[str]) -> None:
    statuses = list(statuses)
    if proposal.status not in statuses:
        raise StepRefused(
            _("Not possible while the proposal is “%(status)s” (only when %(allowed)s).")
            % {
                "status": _status_label(proposal.status),
                "allowed": ", ".join(f"“{_status_label(s)}”" for s in statuses),
            }
        )


def _require_central(user) -> None:
    if not _is_central(user):
        raise StepRefused(_("Only Center for Økonomi may do this."))


def _check_submit(user, proposal, **kwargs) -> None:
    _require_status(proposal, (Status.DRAFT, Status.RETURNED))
    if not (_is_central(user) or _role(user) == Role.FINANCE_STAFF):
        raise StepRefused(_("Only finance staff of the presenting administration may submit."))
    if proposal.committee_id is None:
        raise StepRefused(_("The proposal has no committee: choose one before submitting."))


def _check_start_hearing(user, proposal, **kwargs) -> None:
    _require_central(user)
    _require_status(proposal, (Status.SUBMITTED,))


def _check_answer_hearing(user, proposal, **kwargs) -> None:
    _require_central(user)
    _require_status(proposal, (Status.IN_HEARING,))


def _check_forward(user, proposal, **kwargs) -> None:
    _require_central(user)
    _require_status(proposal, (Status.IN_HEARING,))
    if central_answer(proposal) != HearingAnswer.Answer.YES:
        raise StepRefused(_("Center for Økonomi has not answered “Yes” in the hearing."))
    if is_forwarded(proposal):
        raise StepRefused(_("The proposal has already been forwarded to the committees."))


def _approving_committee(user, proposal, committee: Committee | None) -> int:
    involved = permissions.involved_committee_ids(proposal)
    mine = _reviewer_committee(user)
    if mine is not None:
        if committee is not None and committee.pk != mine:
            raise StepRefused(_("You may only approve for your own committee."))
        if mine not in involved:
            raise StepRefused(_("Your committee does not take part in this proposal."))
        return mine
    if _role(user) == Role.ADMIN:
        if committee is None and len(involved) == 1:
            return involved[0]
        if committee is None or committee.pk not in involved:
            raise StepRefused(_("Choose one of the committees that take part in the proposal."))
        return committee.pk
    raise StepRefused(_("Only the committee's reviewers may approve."))


def _check_approve(user, proposal, committee=None, approved_on=None, **kwargs) -> None:
    committee_id = _approving_committee(user, proposal, committee)
    _require_status(proposal, (Status.IN_HEARING,))
    if central_answer(proposal) != HearingAnswer.Answer.YES:
        raise StepRefused(_("Not before Center for Økonomi has answered “Yes” in the hearing."))
    round_ = current_round(proposal)
    if not is_forwarded(proposal, round_):
        raise StepRefused(_("Center for Økonomi has not forwarded the proposal yet."))
    if committee_id in approved_committee_ids(proposal, round_):
        raise StepRefused(_("Your committee has already approved this proposal."))
    if approved_on is not None and approved_on > timezone.localdate():
        raise StepRefused(_("The approval date cannot be in the future."))


def _check_recommend(user, proposal, **kwargs) -> None:
    _require_central(user)
    _require_status(proposal, (Status.COMMITTEE_APPROVED,))


def _check_decide(user, proposal, **kwargs) -> None:
    _require_central(user)
    _require_status(proposal, (Status.RECOMMENDED,))


def _check_send_back(statuses_for_central, user, proposal, comment="", **kwargs) -> None:
    mine = _reviewer_committee(user)
    if _is_central(user):
        _require_status(proposal, statuses_for_central)
    elif mine is not None:
        _require_status(proposal, (Status.IN_HEARING,))
        if mine not in permissions.involved_committee_ids(proposal):
            raise StepRefused(_("Your committee does not take part in this proposal."))
        if not is_forwarded(proposal):
            raise StepRefused(_("Center for Økonomi has not forwarded the proposal yet."))
    else:
        raise StepRefused(_("Only Center for Økonomi and the committee's reviewers may do this."))
    if not (comment or "").strip():
        raise StepRefused(_("Write a comment: the author needs to know why."))


def _check_return(user, proposal, **kwargs) -> None:
    _check_send_back(REVIEW_STATUSES, user, proposal, **kwargs)


def _check_reject(user, proposal, **kwargs) -> None:
    _check_send_back(
        (Status.SUBMITTED, Status.IN_HEARING, Status.COMMITTEE_APPROVED), user, proposal, **kwargs
    )


CHECKS: dict[str, Callable] = {
    Action.SUBMIT: _check_submit,
    Action.START_HEARING: _check_start_hearing,
    Action.ANSWER_HEARING: _check_answer_hearing,
    Action.FORWARD: _check_forward,
    Action.APPROVE: _check_approve,
    Action.RECOMMEND: _check_recommend,
    Action.ADOPT: _check_decide,
    Action.NOT_ADOPT: _check_decide,
    Action.RETURN: _check_return,
    Action.REJECT: _check_reject,
}


def refusal(user, proposal: Proposal, action: str, **kwargs) -> str | None:
    """Why `user` may not take `action` on `proposal` now, or None if they may."""
    if not permissions.can_view(user, proposal):
        return _("You cannot see this proposal.")
    try:
        CHECKS[action](user, proposal, **kwargs)
    except StepRefused as refused:
        return str(refused)
    if action == Action.SUBMIT and not permissions.can_edit(user, proposal):
        return _("Only finance staff of the presenting administration may submit.")
    return None


def allowed(user, proposal: Proposal, action: str, **kwargs) -> bool:
    # A comment is asked for on the page; its absence does not hide the button.
    if action in (Action.RETURN, Action.REJECT):
        kwargs.setdefault("comment", "–")
    return refusal(user, proposal, action, **kwargs) is None


def available_actions(user, proposal: Proposal) -> list[str]:
    return [action for action in CHECKS if allowed(user, proposal, action)]


# ------------------------------------------------------------------------------ steps


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("committee", "presenting_administration")
        .get(pk=proposal.pk)
    )


def _take_step(
    user,
    proposal: Proposal,
    action: str,
    *,
    to_status: str | None = None,
    comment: str = "",
    committee_id: int | None = None,
    version=None,
    **kwargs,
) -> WorkflowEvent:
    """Inside the caller's transaction: check, change status, record, notify."""
    reason = refusal(user, proposal, action, comment=comment, **kwargs)
    if reason is not None:
        raise StepRefused(reason)
    from_status = proposal.status
    if to_status is not None and to_status != from_status:
        proposal.status = to_status
        proposal.save(update_fields=["status", "updated_at"])
    event = WorkflowEvent.objects.create(
        proposal=proposal,
        action=action,
        from_status=from_status,
        to_status=proposal.status,
        user=user,
        comment=(comment or "").strip(),
        committee_id=committee_id,
        version=version,
    )
    notifications.notify(event)
    return event


def _inputs_changed(user, proposal: Proposal, reason: str):
    """After a step changed an input (a hearing row): new version counter, a history
    version and a fresh stored summary."""
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
    proposal.refresh_from_db(fields=["version", "updated_at"])
    version = history.record_version(proposal, user, reason)
    summaries.refresh_summary(proposal)
    return version


def _history_version(user, proposal: Proposal, reason: str):
    version = history.record_version(proposal, user, reason)
    summaries.refresh_summary(proposal)
    return version


def submit(user, proposal: Proposal, comment: str = "") -> WorkflowEvent:
    """Kladde/Tilbagesendt → Indsendt. Takes the version "since submitted" compares with."""
    with transaction.atomic():
        locked = _locked(proposal)
        refused = refusal(user, locked, Action.SUBMIT)
        if refused:
            raise StepRefused(refused)
        version = _history_version(user, locked, _("submitted"))
        return _take_step(
            user,
            locked,
            Action.SUBMIT,
            to_status=Status.SUBMITTED,
            comment=comment,
            version=version,
        )


def start_hearing(user, proposal: Proposal, comment: str = "") -> WorkflowEvent:
    """Indsendt → I høring. Adds the Center for Økonomi row if the proposal lacks it."""
    with transaction.atomic():
        locked = _locked(proposal)
        refused = refusal(user, locked, Action.START_HEARING)
        if refused:
            raise StepRefused(refused)
        version = None
        if not any(is_central_body(h.body) for h in locked.hearing.all()):
            HearingAnswer.objects.create(
                proposal=locked, body=CENTRAL_BODY, order=locked.hearing.count()
            )
            version = _inputs_changed(user, locked, _("hearing started"))
        return _take_step(
            user,
            locked,
            Action.START_HEARING,
            to_status=Status.IN_HEARING,
            comment=comment,
            version=version,
        )


def answer_hearing(
    user,
    proposal: Proposal,
    body: str,
    answer: str,
    date_text: str = "",
    comment: str = "",
) -> WorkflowEvent:
    """Record a hearing body's answer (Ja / Nej / Ikke relevant) with date and comment.
    The proposal stays "I høring"."""
    body = (body or "").strip()
    if not body:
        raise StepRefused(_("Name the hearing body."))
    if answer not in HearingAnswer.Answer.values:
        raise StepRefused(_("Answer Yes, No or Not relevant."))
    if len(comment or "") > limits.COMMENT_LENGTH or len(date_text or "") > limits.DATE_TEXT_LENGTH:
        raise StepRefused(_("The comment or the date is too long."))
    with transaction.atomic():
        locked = _locked(proposal)
        refused = refusal(user, locked, Action.ANSWER_HEARING)
        if refused:
            raise StepRefused(refused)
        row = next((h for h in locked.hearing.all() if h.body == body), None)
        if row is None:
            row = HearingAnswer(proposal=locked, body=body, order=locked.hearing.count())
        row.answer = answer
        # An empty date keeps the one stored (typed by the author); only a row without a
        # date gets today's (issue 11, finding 2).
        row.date_text = (
            (date_text or "").strip()
            or row.date_text
            or date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
        )
        row.comment = (comment or "").strip()
        row.answered_by = user
        row.answered_at = timezone.now()
        row.save()
        version = _inputs_changed(user, locked, _("hearing answered"))
        label = HearingAnswer.Answer(answer).label
        return _take_step(
            user,
            locked,
            Action.ANSWER_HEARING,
            comment=f"{body}: {label}" + (f" – {row.comment}" if row.comment else ""),
            version=version,
        )


def forward(user, proposal: Proposal, comment: str = "") -> WorkflowEvent:
    """Center for Økonomi has answered Ja: the case goes to the committees."""
    with transaction.atomic():
        return _take_step(user, _locked(proposal), Action.FORWARD, comment=comment)


def approve(
    user,
    proposal: Proposal,
    committee: Committee | None = None,
    approved_on: datetime.date | None = None,
    comment: str = "",
) -> WorkflowEvent:
    """A committee approves (with the date the annex prints). When every involved
    committee has approved, the proposal is "Godkendt i udvalg"."""
    with transaction.atomic():
        locked = _locked(proposal)
        refused = refusal(
            user, locked, Action.APPROVE, committee=committee, approved_on=approved_on
        )
        if refused:
            raise StepRefused(refused)
        committee_id = _approving_committee(user, locked, committee)
        round_ = current_round(locked)
        CommitteeApproval.objects.create(
            proposal=locked,
            committee_id=committee_id,
            round=round_,
            approved_on=approved_on or timezone.localdate(),
            user=user,
        )
        done = approved_committee_ids(locked, round_) >= set(
            permissions.involved_committee_ids(locked)
        )
        event = WorkflowEvent.objects.create(
            proposal=locked,
            action=Action.APPROVE,
            from_status=locked.status,
            to_status=Status.COMMITTEE_APPROVED if done else locked.status,
            user=user,
            comment=(comment or "").strip(),
            committee_id=committee_id,
        )
        if done:
            locked.status = Status.COMMITTEE_APPROVED
            locked.save(update_fields=["status", "updated_at"])
            notifications.notify(event)
        return event


def recommend(user, proposal: Proposal, comment: str = "") -> WorkflowEvent:
    """Godkendt i udvalg → Indstillet (printed in the annex)."""
    with transaction.atomic():
        return _take_step(
            user,
            _locked(proposal),
            Action.RECOMMEND,
            to_status=Status.RECOMMENDED,
            comment=comment,
        )


def decide(user, proposal: Proposal, adopted: bool, comment: str = "") -> WorkflowEvent:
    """The budget decision: Indstillet → Vedtaget / Ikke vedtaget."""
    action = Action.ADOPT if adopted else Action.NOT_ADOPT
    status = Status.ADOPTED if adopted else Status.NOT_ADOPTED
    with transaction.atomic():
        event = _take_step(user, _locked(proposal), action, to_status=status, comment=comment)
        if adopted:
            # The plan that follow-up measures against is frozen at the decision: followup
            # listens (a layer above; `review.signals.proposal_adopted`).
            proposal_adopted.send(sender=Proposal, proposal=event.proposal, user=user)
        return event


def return_to_author(user, proposal: Proposal, comment: str) -> WorkflowEvent:
    """Back to the author, who may edit and submit again (approvals of this round lapse)."""
    with transaction.atomic():
        return _take_step(
            user, _locked(proposal), Action.RETURN, to_status=Status.RETURNED, comment=comment
        )


def reject(user, proposal: Proposal, comment: str) -> WorkflowEvent:
    with transaction.atomic():
        return _take_step(
            user, _locked(proposal), Action.REJECT, to_status=Status.REJECTED, comment=comment
        )


def add_comment(user, proposal: Proposal, text: str, recommendation: str = "") -> ReviewComment:
    """A reviewer's (or Center for Økonomi's) comment and recommendation on a case."""
    if not permissions.can_view(user, proposal):
        raise StepRefused(_("You cannot see this proposal."))
    if _role(user) not in (Role.COMMITTEE_REVIEWER, Role.CENTRAL_FINANCE, Role.ADMIN):
        raise StepRefused(_("Only reviewers and Center for Økonomi comment on cases."))
    if not (text or "").strip():
        raise StepRefused(_("The comment is empty."))
    return ReviewComment.objects.create(
        proposal=proposal, user=user, text=text.strip(), recommendation=recommendation or ""
    )


# ------------------------------------------------------------------------------ bulk


@dataclass(frozen=True)
class BulkResult:
    proposal: Proposal
    ok: bool
    message: str


BULK_ACTIONS: dict[str, Callable] = {
    Action.START_HEARING: lambda user, p, comment="", **kw: start_hearing(user, p, comment),
    Action.FORWARD: lambda user, p, comment="", **kw: forward(user, p, comment),
    Action.APPROVE: lambda user, p, comment="", **kw: approve(
        user, p, committee=kw.get("committee"), approved_on=kw.get("approved_on"), comment=comment
    ),
    Action.ADOPT: lambda user, p, comment="", **kw: decide(user, p, True, comment),
    Action.NOT_ADOPT: lambda user, p, comment="", **kw: decide(user, p, False, comment),
    Action.RETURN: lambda user, p, comment="", **kw: return_to_author(user, p, comment),
    Action.RECOMMEND: lambda user, p, comment="", **kw: recommend(user, p, comment),
}


def bulk(user, proposals: Iterable[Proposal], action: str, **kwargs) -> list[BulkResult]:
    """Apply one step to several proposals with the same checks as one at a time; each in
    its own transaction, so that one refusal does not undo the others."""
    if action not in BULK_ACTIONS:
        raise StepRefused(_("This action cannot be applied to several proposals."))
    results = []
    for proposal in proposals:
        try:
            BULK_ACTIONS[action](user, proposal, **kwargs)
        except StepRefused as refused:
            results.append(BulkResult(proposal, False, str(refused)))
        else:
            proposal.refresh_from_db(fields=["status"])
            results.append(BulkResult(proposal, True, proposal.get_status_display()))
    return results
