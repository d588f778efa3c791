"""What every page's navigation shows from the review: the "Venter på mig" count."""

from django.utils.functional import SimpleLazyObject

from .selectors import waiting_count


def waiting(request):
    """`waiting_count`: how many proposals wait for the user's step (one query, only when
    a page shows it; it reads, never refreshes a summary; `selectors.waiting_count`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"waiting_count": SimpleLazyObject(lambda: waiting_count(user))}
