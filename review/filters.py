"""The case list's filters (django-filter). They live in the URL's query string, so a
filtered list is a link that can be sent; the choices only offer what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Catalog, Pool, Status
from committees.models import Administration, Committee

from .selectors import waiting_for


class AllYesNoWidget(django_filters.widgets.BooleanWidget):
    """Yes/No with "Alle" (no filter) instead of django-filter's "Ukendt"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


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
    cross_cutting = django_filters.BooleanFilter(
        label=_("Cross-cutting"), widget=AllYesNoWidget
    )
    payback = django_filters.RangeFilter(
        field_name="figures__payback_years", label=_("Payback (years)")
    )
    investment = django_filters.RangeFilter(
        field_name="investment_mio", label=_("Investment (million kr.)")
    )
    saving = django_filters.RangeFilter(
        field_name="saving_mio", label=_("Saving at full effect (million kr.)")
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value)
        )

    def filter_committee(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(committee=value) | Q(committee__parent=value))

    def filter_waiting(self, queryset, name, value):
        if not value:
            return queryset
        return waiting_for(self.user, queryset)
