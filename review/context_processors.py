"""What every page's navigation shows from the review: the "Venter på mig" count."""

from django.utils.functional import SimpleLazyObject

from cases.permissions import visible_proposals

from .selectors import waiting_for


def waiting(request):
    """`waiting_count`: how many proposals wait for the user's step (one query, only when
    a page shows it; it reads, never refreshes a summary)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    def count():
        return waiting_for(user, visible_proposals(user)).count()

    return {"waiting_count": SimpleLazyObject(count)}
