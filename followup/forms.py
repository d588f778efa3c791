"""Forms of the follow-up pages. They parse what people type (Danish numbers, dates);
the services validate and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms import AmountField, IntegerField
from committees.models import Administration

from .models import CriterionStatus, FrozenPlan, Schedule
from .services import cell_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CriterionStatus.choices,
                               widget=forms.RadioSelect)  # fmt: skip
    measured_value = AmountField(label=_("Measured value"))
    measured_on = forms.DateField(label=_("Measured on"), required=False, widget=DateInput())
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrackingForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    baseline = AmountField(label=_("Baseline"))
    target = AmountField(label=_("Target"))
    target_year = IntegerField(label=_("Target year"), required=False)
    schedule = forms.ChoiceField(
        label=_("Follow-up schedule"),
        choices=[("", _("No schedule"))] + list(Schedule.choices),
        required=False,
    )
    first_due = forms.DateField(label=_("First follow-up date"), required=False,
                                widget=DateInput())  # fmt: skip
    ends_on = forms.DateField(label=_("Last follow-up date"), required=False,
                              widget=DateInput())  # fmt: skip
    responsible_administration = forms.ModelChoiceField(
        label=_("Responsible administration"),
        queryset=Administration.objects.order_by("order"),
        required=False,
        empty_label=_("Not stated"),
    )
    responsible_user = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=get_user_model().objects.filter(profile__isnull=False).order_by("username"),
        required=False,
        empty_label=_("Not stated"),
    )


class RealisedGridForm(forms.Form):
    """One field per (realised line, year of the adopted plan), named `r<line>_<year>`."""

    def __init__(self, *args, plan: FrozenPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.years = [int(y) for y in plan.document["years"]]
        self.lines = list(plan.realised_lines.all())
        initial = {
            cell_name(ln.pk, a.year): a.amount for ln in self.lines for a in ln.amounts.all()
        }
        for line in self.lines:
            for year in self.years:
                name = cell_name(line.pk, year)
                self.fields[name] = AmountField(
                    label=f"{line.label} {year}", initial=initial.get(name)
                )

    def cells(self) -> dict[tuple[int, int], object]:
        """The cleaned cells that differ from what is stored (only those are sent)."""
        out = {}
        for line in self.lines:
            for year in self.years:
                name = cell_name(line.pk, year)
                if name in self.changed_data:
                    out[(line.pk, year)] = self.cleaned_data.get(name)
        return out

    def rows(self):
        """Per line: the adopted plan's amounts (read-only) and the realised fields."""
        planned_lines = self.plan.document.get("lines") or []
        rows = []
        for line in self.lines:
            planned = planned_lines[line.order] if line.order < len(planned_lines) else {}
            amounts = planned.get("amounts") or {}
            rows.append(
                {
                    "line": line,
                    "planned": [amounts.get(str(y)) for y in self.years],
                    "fields": [self[cell_name(line.pk, y)] for y in self.years],
                }
            )
        return rows

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
