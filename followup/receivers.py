"""`followup`'s answers to the hooks of the layers below it (connected in
`FollowupConfig.ready`)."""

from .services import freeze_plan


def freeze_adopted_plan(sender, *, proposal, user=None, **kwargs) -> None:
    """`review.signals.proposal_adopted`: freeze the adopted plan that follow-up measures
    against, in the decision's transaction (`freeze_plan`)."""
    freeze_plan(proposal, user)
