"""Pages of long lists whose row count is already known."""

from __future__ import annotations

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A Paginator told its row count (e.g. by the aggregate query that also sums the
    list's totals), so that it does not run a COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # Paginator.count is a cached property: this is its value
