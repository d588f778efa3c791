"""The case list's filters (django-filter). They live in the URL's query string, so a
filtered list is a link that can be sent; the choices only offer what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.fields import RangeField

from cases.models import Catalog, Pool, Status
from cases.rendering import QuickForm
from committees.models import Administration, Committee

from .search import fold
from .selectors import waiting_for, with_overview_sums

# Parameters of the list that are not filters.
NOT_FILTERS = {"page", "sort", "kolonne", "visning"}


@dataclass(frozen=True)
class Pill:
    """One active filter value: what it is, and the list's address without it."""

    label: str
    value: str
    remove: str


def active_filters(case_filter, data: QueryDict) -> list[Pill]:
    """The active filters of the case list as removable pills, in the filter's order."""
    fields = case_filter.form.fields
    pills = []
    for key in data:
        if key in NOT_FILTERS:
            continue
        name = key if key in fields else key.rsplit("_", 1)[0]
        field = fields.get(name)
        if field is None:
            continue
        for value in data.getlist(key):
            if value in ("", "unknown"):
                continue
            rest = data.copy()
            rest.setlist(key, [v for v in data.getlist(key) if v != value])
            rest.pop("page", None)
            label = str(field.label)
            if key.endswith("_min"):
                label += " ≥"
            elif key.endswith("_max"):
                label += " ≤"
            pills.append(Pill(label, _shown(field, value), "?" + rest.urlencode()))
    return pills


def _shown(field, value: str) -> str:
    if isinstance(field, forms.BooleanField) or value in ("true", "false", "on"):
        return str(_("Yes")) if value in ("true", "on") else str(_("No"))
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        key = getattr(field, "to_field_name", None) or "pk"
        found = queryset.filter(**{key: value}).first()
        return str(found) if found is not None else value
    for choice, label in getattr(field, "choices", ()):
        if str(choice) == value:
            return str(label)
    return value


class AllYesNoWidget(django_filters.widgets.BooleanWidget):
    """Yes/No with "Alle" (no filter) instead of django-filter's "Ukendt"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class BoundedRangeField(RangeField):
    """A from–to range of numbers with at most 12 digits (2 after the comma): beyond
    that no figure of the list exists, and SQLite cannot bind such a number against an
    integer column (10^20 gave a 500; issue 11, finding 12)."""

    def __init__(self, fields=None, *args, **kwargs):
        if fields is None:
            fields = tuple(forms.DecimalField(max_digits=12, decimal_places=2) for _ in "ft")
        super().__init__(fields, *args, **kwargs)


class BoundedRangeFilter(django_filters.RangeFilter):
    field_class = BoundedRangeField


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    catalog = django_filters.ModelChoiceFilter(
        queryset=Catalog.objects.order_by("-budget_year", "key"),
        field_name="catalog",
        to_field_name="key",
        label=_("Catalogue"),
    )
    pool = django_filters.ChoiceFilter(
        field_name="catalog__pool", choices=Pool.choices, label=_("Pool")
    )
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.filter(parent__isnull=True).order_by("order"),
        to_field_name="code",
        method="filter_committee",
        label=_("Committee"),
    )
    administration = django_filters.ModelChoiceFilter(
        queryset=Administration.objects.order_by("order"),
        to_field_name="code",
        field_name="presenting_administration",
        label=pgettext_lazy("organisation", "Administration"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    cross_cutting = django_filters.BooleanFilter(label=_("Cross-cutting"), widget=AllYesNoWidget)
    payback = BoundedRangeFilter(field_name="figures__payback_years", label=_("Payback (years)"))
    investment = BoundedRangeFilter(
        field_name="investment_mio", method="filter_sum", label=_("Investment (million kr.)")
    )
    saving = BoundedRangeFilter(
        field_name="saving_mio",
        method="filter_sum",
        label=_("Saving at full effect (million kr.)"),
    )
    changed_since = django_filters.DateFilter(
        field_name="updated_at",
        lookup_expr="date__gte",
        label=_("Changed since"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    waiting = django_filters.BooleanFilter(
        method="filter_waiting",
        label=_("Waiting for me"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        fields: list[str] = []
        form = QuickForm  # its widgets drawn without templates (cases.rendering)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_text(self, queryset, name, value):
        """Number, title, every narrative text, the committee and the administrations
        (the folded `search_text` of the stored summary, `review.search`), or a status
        by its label; case and Danish letters folded alike on every database."""
        value = fold((value or "").strip())
        if not value:
            return queryset
        statuses = [s.value for s in Status if value in fold(str(s.label))]
        found = Q(figures__search_text__contains=value)
        if statuses:
            found |= Q(status__in=statuses)
        return queryset.filter(found)

    def filter_sum(self, queryset, name, value):
        """A range on one of `with_overview_sums`' sums, annotated only when filtered on
        (so that an unfiltered list joins no summary to choose its page)."""
        if not value or (value.start in (None, "") and value.stop in (None, "")):
            return queryset
        if name not in queryset.query.annotations:
            queryset = with_overview_sums(queryset)
        if value.start not in (None, ""):
            queryset = queryset.filter(**{f"{name}__gte": value.start})
        if value.stop not in (None, ""):
            queryset = queryset.filter(**{f"{name}__lte": value.stop})
        return queryset

    def filter_committee(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(committee=value) | Q(committee__parent=value))

    def filter_waiting(self, queryset, name, value):
        if not value:
            return queryset
        return waiting_for(self.user, queryset)
