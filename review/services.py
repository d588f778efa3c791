"""State changes of the case list that are not workflow steps: saved views and pending
budget decisions. Each function checks who may do it and runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from cases.limits import clean_text
from cases.models import Proposal

from . import workflow
from .models import Action, PendingDecision, SavedView
from .workflow import BulkResult, StepRefused

# Query parameters that belong to one page of a list, not to a view.
NOT_SAVED = {"page", "visning"}


def view_query(query: str) -> str:
    """The case list's query string as a saved view keeps it (without the page number)."""
    pairs = parse_qsl(query or "", keep_blank_values=False)
    pairs = [(key, value) for key, value in pairs if key not in NOT_SAVED]
    return urlencode(pairs)


def save_view(user, name: str, query: str) -> SavedView:
    """Save the case list's current filters, sort and columns under `name` for `user`.
    The name is cleaned as a form cleans typed text (`cases.limits.clean_text`: control
    characters such as NUL removed). Raises StepRefused for an empty name or one longer
    than the field (said, never cut: two long names with the same first 100 characters
    overwrote each other, breaker)."""
    # as a form keeps typed text: no NUL or other control character (a NUL in a name
    # made PostgreSQL refuse the row: a 500, breaker)
    name = clean_text(name or "", multiline=False).strip()
    if not name:
        raise StepRefused(_("Give the view a name."))
    limit = SavedView._meta.get_field("name").max_length
    if len(name) > limit:
        raise StepRefused(
            _("The view's name is too long (%(length)s characters, at most %(limit)s).")
            % {"length": len(name), "limit": limit}
        )
    with transaction.atomic():
        view, _created = SavedView.objects.update_or_create(
            owner=user, name=name, defaults={"query": view_query(query)}
        )
    return view


def delete_view(user, view: SavedView) -> None:
    """Only its owner deletes a view. Raises StepRefused otherwise."""
    if view.owner_id != user.pk:
        raise StepRefused(_("Only the person who saved a view may delete it."))
    with transaction.atomic():
        view.delete()


def mark_decisions(user, proposals: Iterable[Proposal], adopted: bool | None) -> list[BulkResult]:
    """Mark Vedtaget (True) / Ikke vedtaget (False) on each proposal, to be applied later
    with `apply_decisions`; None removes the mark. A proposal the user may not decide now
    (wrong status or role) is refused with the workflow's reason; nothing else changes."""
    action = Action.ADOPT if adopted is not False else Action.NOT_ADOPT
    results = []
    for proposal in proposals:
        refused = workflow.refusal(user, proposal, action)
        if refused:
            results.append(BulkResult(proposal, False, refused))
            continue
        with transaction.atomic():
            if adopted is None:
                PendingDecision.objects.filter(proposal=proposal).delete()
                message = _("mark removed")
            else:
                PendingDecision.objects.update_or_create(
                    proposal=proposal, defaults={"adopted": adopted, "marked_by": user}
                )
                message = _("marked “Adopted”") if adopted else _("marked “Not adopted”")
        results.append(BulkResult(proposal, True, message))
    return results


def apply_decisions(user, proposals: Iterable[Proposal]) -> list[BulkResult]:
    """Apply the pending decisions of `proposals` (those the user may see), each through
    `review.workflow.decide` in its own transaction; an applied mark is removed, a refused
    one stays with the reason in the result."""
    results = []
    pending = {
        d.proposal_id: d
        for d in PendingDecision.objects.filter(proposal__in=[p.pk for p in proposals])
    }
    for proposal in proposals:
        decision = pending.get(proposal.pk)
        if decision is None:
            continue
        try:
            with transaction.atomic():
                workflow.decide(user, proposal, decision.adopted)
                decision.delete()
        except StepRefused as refused:
            results.append(BulkResult(proposal, False, str(refused)))
        else:
            proposal.refresh_from_db(fields=["status"])
            results.append(BulkResult(proposal, True, proposal.get_status_display()))
    return results
