"""`followup`'s answers to the hooks of the layers below it (connected in
`FollowupConfig.ready`)."""

from .services import freeze_plan, note_change_after_decision


def freeze_adopted_plan(sender, *, proposal, user=None, **kwargs) -> None:
    """`review.signals.proposal_adopted`: freeze the adopted plan that follow-up measures
    against, in the decision's transaction (`freeze_plan`)."""
    freeze_plan(proposal, user)


def note_changed_proposal(sender, *, proposal, user=None, reason="", **kwargs) -> None:
    """`cases.signals.decided_inputs_changed`: the frozen plan stays as adopted; its
    history says that the proposal changed after the decision, by whom and why."""
    note_change_after_decision(proposal, user, reason)
