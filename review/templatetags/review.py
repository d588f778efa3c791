"""The review's part of the proposal page (cases' template includes it): where the case
is handled and the step the reader may take now ("Indsend")."""

from django import template

from review import workflow
from review.models import Action

register = template.Library()


@register.inclusion_tag("review/_proposal_workflow.html", takes_context=True)
def proposal_workflow(context, proposal):
    """The link to the case page and a "Submit" button for whoever may submit now."""
    user = context["request"].user
    return {
        "proposal": proposal,
        "can_submit": workflow.allowed(user, proposal, Action.SUBMIT),
        "csrf_token": context.get("csrf_token"),
    }
