"""Pages of long lists whose row count is already known."""

from __future__ import annotations

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A Paginator told its row count (e.g. by the aggregate query that also sums the
    list's totals), so that it does not run a COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # Paginator.count is a cached property: this is its value


class KeysFirst:
    """The rows of an ordered queryset, a slice at a time, in two steps: the slice's
    primary keys first, by a query that joins only what the queryset's filter and order
    need (cheap to sort and limit however many rows match), then those rows alone with
    everything a page shows (`fetch`: primary keys -> a queryset of those rows).

    A sequence for `Paginator` (slicing only; give the paginator the count, see
    `CountedPaginator`): `KeysFirst(qs, fetch)[50:100]` is a list of the 50 model
    instances `qs[50:100]` would give, in the same order."""

    def __init__(self, queryset, fetch):
        self.queryset = queryset
        self.fetch = fetch

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        keys = list(self.queryset.values_list("pk", flat=True)[key])
        if not keys:
            return []
        rows = {row.pk: row for row in self.fetch(keys)}
        return [rows[pk] for pk in keys if pk in rows]
