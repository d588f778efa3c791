"""Hooks through which `review` causes work in the layers above it without importing them
(issue 9). The receivers are connected in the higher apps' `AppConfig.ready`."""

from django.dispatch import Signal

# Sent inside the transaction of the budget decision (`review.workflow.decide`) when a
# proposal is adopted, after its status is "adopted".
# Arguments: proposal (cases.models.Proposal), user (who recorded the decision).
# `followup` freezes the plan that follow-up measures against; a receiver that raises
# (e.g. `FrozenPlanError`) rolls the decision back.
proposal_adopted = Signal()
