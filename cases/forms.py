"""The case editor's forms: every input of budget-cases/1, in the order of the annex form.

`ProposalEditor` bundles the header form and the formsets (year grid, follow-up,
hearing, sections, distributions). It reads the request's data into the same plain
data the importer produces (`cases.interchange.ProposalData`), so saving
(`cases.services.save_proposal`) and computing (`finance.engine`) are the ones the rest of
the application uses. Nothing is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from committees.models import Administration, Committee
from finance import engine, prices
from finance.realisation import impossible_day

from . import limits, permissions
from .changes import FieldConflict, snapshot
from .interchange import (
    DISTRIBUTION_SUBJECTS,
    IMPLEMENTATION_AREAS,
    MAX_YEARS,
    NUMBER_RE,
    PERMANENT_AREAS,
    AdminLineData,
    CriterionData,
    DistributionData,
    DistributionRowData,
    HearingData,
    LineData,
    ProposalData,
    number_key,
    printed_subjects,
)
from .limits import clean_text
from .models import Area, Catalog, DistributionBasis, Kind, Proposal, RiskLevel
from .numbers import (
    NumberError,
    ascii_digits_only,
    format_number,
    format_unambiguous,
    parse_number,
    query_int,
)
from .rendering import QUICK, QuickForm
from .selectors import (
    admin_lines,
    case_from_proposal,
    grid_lines,
    line_amounts,
    line_specifications,
)

DEFAULT_YEAR_COUNT = 6

HEARING_BODIES = (
    "Center for Økonomi, Økonomiforvaltningen",
    "Ejendomsfaglig vurdering",
    "IT-kredsen",
    "Koncern-IT",
    "HR-kredsen",
    "Velfærdsanalytisk vurdering",
)

# The innovation pool's "Kriterier til prioritering" (keys of `priority_criteria`).
PRIORITY_CRITERIA = (
    ("expense", _("Expense")),
    ("expected_investment_proposal", _("Expected investment proposal")),
    ("permanent_efficiency_potential", _("Potential for permanent efficiency (control area)")),
    ("cross_cutting", _("Cross-cutting efficiency")),
    ("large_scale_potential", _("Potential for large scale")),
    ("mature_new_technology", _("Mature use of new technology")),
)

SUBJECT_LABELS = {
    "permanent_saving": _("Savings (permanent)"),
    "permanent_cost": _("Costs (permanent)"),
    "permanent": _("Permanent changes (savings and costs)"),
    "permanent_service_saving": _("Savings on service (permanent)"),
    "permanent_service_cost": _("Costs on service (permanent)"),
    "implementation_capital": _("Capital investment"),
    "implementation_service": _("Service investment"),
    "implementation_operating": _("Operating implementation costs"),
    "implementation": _("Implementation costs (all)"),
}

TRI_STATE = (("", _("Not stated")), ("true", _("Yes")), ("false", _("No")))

# The questions that belong to one pool's printed form only (efficiency: the Citizen
# form's yes/no questions and "Forslagets potentiale"; innovation: the criteria for
# prioritisation). Other pools do not show them, unless the proposal has an answer.
POOL_ONLY_FIELDS = {
    "efficiency": (
        "productivity_improvement",
        "reduced_admin_costs",
        "applies_for_pool_funding",
        "potential",
    ),
    "innovation": tuple(f"priority_{key}" for key, _label in PRIORITY_CRITERIA),
    "investment": (),
}
# Fields the efficiency form has no place for.
NOT_IN_POOL = {"efficiency": ("partners",)}


def fields_not_asked(pool: str | None) -> set[str]:
    """Names of ProposalForm fields that the pool's form does not ask (empty for None)."""
    if not pool:
        return set()
    other = {name for key, names in POOL_ONLY_FIELDS.items() if key != pool for name in names}
    return other | set(NOT_IN_POOL.get(pool, ()))


YEAR_FIELD = re.compile(r"^y(\d{4})$")


def _tri(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


# --------------------------------------------------------------------------- fields


class NumberInput(forms.TextInput):
    """A text box for a Danish number (type=number cannot take "1.034")."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "num", "size": "8"}
        super().__init__({**base, **(attrs or {})})


# The units an amount of the year grid may be typed in (issue 14, point 4): the keys of
# `finance.prices.ENTRY_UNITS`, labelled as the annex writes them.
ENTRY_UNIT_CHOICES = [
    ("kr", _("kr.")),
    (prices.DEFAULT_UNIT, _("1.000 kr.")),
    ("mio.kr", _("mio. kr.")),
]


LARGEST_AMOUNT = Decimal("1E12")  # 1.000 kr.: as `parse_number` bounds what is typed


class AmountField(forms.Field):
    """A number typed as in the annex ("1.034", "-517", "337,5"); empty stays None.

    `unit` is the unit the cell is typed in ("kr", "t.kr" or "mio.kr",
    `finance.prices.ENTRY_UNITS`): the cleaned value is always in 1.000 kr., converted
    exactly by `finance.prices.to_thousands` (an amount that is not a whole number of
    1.000 kr. with two decimals is an error, never rounded); an initial value (1.000 kr.)
    is shown in `unit` (`finance.prices.from_thousands`, a shift of the decimal point)."""

    widget = NumberInput

    def __init__(self, *, places: int = 2, unit: str = prices.DEFAULT_UNIT, **kwargs):
        self.places = places
        self.unit = unit
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            if self.unit != prices.DEFAULT_UNIT:
                return format_unambiguous(prices.from_thousands(Decimal(value), self.unit))
            return format_number(value)
        return value

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        typed = self._parse(value)
        if typed is None or self.unit == prices.DEFAULT_UNIT:
            return typed
        try:
            stored = prices.to_thousands(typed, self.unit)
        except prices.UnitError as error:
            raise forms.ValidationError(
                _(
                    "%(value)s %(unit)s is %(thousands)s in 1.000 kr.: amounts are stored in "
                    "1.000 kr. with at most two decimals (whole tens of kroner). Correct the "
                    "amount."
                ),
                code="unit",
                params={
                    "value": format_number(typed),
                    "unit": prices.UNIT_LABELS[self.unit],
                    "thousands": format_number(error.thousands),
                },
            ) from None
        if abs(stored) >= LARGEST_AMOUNT:
            raise forms.ValidationError(_("The number is too large."), code="too_large")
        # the decimals the amount has, as if typed in 1.000 kr. (2.500, not 2500.00)
        if stored == stored.to_integral_value():
            return stored.quantize(Decimal(1))
        return stored.normalize()

    def _parse(self, value) -> Decimal | None:
        # In another unit than 1.000 kr. the exactness of the stored amount decides
        # (`to_python`), not the decimals typed: 2,53 mio. kr. is 2.530 (1.000 kr.).
        places = self.places if self.unit == prices.DEFAULT_UNIT else 12
        try:
            return parse_number(str(value or ""), places=places)
        except NumberError as error:
            if error.code == "places":
                raise forms.ValidationError(
                    _("Use at most %(places)d decimals."),
                    code="places",
                    params={"places": places},
                ) from None
            if error.code == "ambiguous":
                # in kr. or mio. kr. three decimals are no error: say how to write them
                shown = format_number if self.unit == prices.DEFAULT_UNIT else format_unambiguous
                one, other = (shown(v) for v in error.readings)
                raise forms.ValidationError(
                    _(
                        "“%(value)s” can be read as %(one)s or as %(other)s. Which did you "
                        "mean? Write %(one)s or %(other)s."
                    ),
                    code="ambiguous",
                    params={"value": value, "one": one, "other": other},
                ) from None
            if error.code == "too_large":
                raise forms.ValidationError(
                    _("The number is too large."), code="too_large"
                ) from None
            if error.code == "digits":
                raise digits_error(value) from None
            raise forms.ValidationError(
                _("“%(value)s” is not a number. Write for example %(examples)s."),
                code="invalid",
                params={
                    "value": value,
                    "examples": ", ".join(
                        format_number(Decimal(x)) for x in ("1034", "-517", "337.5")
                    ),
                },
            ) from None


def digits_error(value) -> forms.ValidationError:
    """The editor's message for a number written with digits other than 0-9
    (`cases.numbers.other_digits`)."""
    return forms.ValidationError(
        _("“%(value)s” has digits other than 0-9. Write the number with the digits 0-9."),
        code="digits",
        params={"value": value},
    )


class IntegerField(forms.IntegerField):
    """Django's IntegerField, but only the digits 0-9 (Django's reads "２０２１" as 2021):
    the same rule as every amount (`cases.numbers.ascii_digits_only`)."""

    def to_python(self, value):
        try:
            ascii_digits_only(str(value or ""))
        except NumberError:
            raise digits_error(value) from None
        return super().to_python(value)


class TriStateField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=TRI_STATE,
            coerce=lambda v: v == "true",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        return _tri(value) if value is None or isinstance(value, bool) else value


def validate_day_text(value: str) -> None:
    """A hand-typed date text (a hearing's date) may be free text ("maj 2020"), but a
    part written as a day must be a real one (`finance.realisation.impossible_day`):
    "31-02-2021" is refused with a Danish message. Raises ValidationError."""
    bad = impossible_day(value)
    if bad:
        raise forms.ValidationError(
            _("%(day)s is not a day in the calendar. Write a real date, e.g. 28-05-2020."),
            params={"day": bad},
            code="impossible_day",
        )


def text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TextField(forms.CharField):
    """Text as typed or pasted, kept clean (`cases.limits.clean_text`): a one-line field
    turns line breaks into spaces, and no field keeps NUL or other control characters.
    Every text field has a maximum length (`cases.limits`), checked after cleaning."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value


def long_text(label, rows: int = 6, max_length: int = limits.LONG_TEXT_LENGTH) -> TextField:
    return TextField(
        label=label,
        required=False,
        strip=False,
        multiline=True,
        max_length=max_length,
        widget=text_area(rows),
    )


def span_years(first_year: int, count: int) -> list[int]:
    return list(range(first_year, first_year + count))


# --------------------------------------------------------------------------- header


@dataclass
class EditorChoices:
    """The reference data the editor offers, read once a page (three queries): the
    catalogues, the administrations, and the committees with their units. Every
    choice field, the initial values, the distribution rows' committees and the unit
    names take their lists from here; before, each field read its own (Django reads a
    select's options again to decide on `required`): ten queries a page (issue 13)."""

    catalogs: list[Catalog]
    administrations: list[Administration]
    committees: list[Committee]  # by parent (top-level first), order, code

    @classmethod
    def read(cls) -> EditorChoices:
        return cls(
            catalogs=list(Catalog.objects.all()),
            administrations=list(Administration.objects.order_by("order", "code")),
            committees=list(Committee.objects.order_by("parent_id", "order", "code")),
        )

    @property
    def top_committees(self) -> list[Committee]:
        return [c for c in self.committees if c.parent_id is None]


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice field's options from the objects the form was given
    (`ListedChoices.listed`, read once a page) while its queryset is the one they were
    read for; otherwise Django's own: a query each time."""

    def objects(self):
        listed = getattr(self.field, "listed", None)
        if listed is not None and listed[0] is self.queryset:
            return listed[1]
        return None

    def __iter__(self):
        objects = self.objects()
        if objects is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in objects:
            yield self.choice(obj)

    def __len__(self):
        objects = self.objects()
        if objects is None:
            return super().__len__()
        return len(objects) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        objects = self.objects()
        return super().__bool__() if objects is None else bool(self.field.empty_label or objects)


class ListedChoices:
    """A model choice field whose options can be given as a list (`list_objects`)."""

    iterator = ListedChoiceIterator
    listed = None

    def list_objects(self, objects) -> None:
        """Offer `objects` (what the field's queryset finds, read elsewhere)."""
        self.listed = (self.queryset, list(objects))
        self.widget.choices = self.choices


class ListedModelChoiceField(ListedChoices, forms.ModelChoiceField):
    pass


class KeysChoiceField(ListedChoices, forms.ModelMultipleChoiceField):
    """Several objects chosen by their database key. A posted value that is no key at all
    ("abc", "²", "-1", 10^20) is an invalid choice before any query: SQLite cannot even
    bind 10^20 for the `IN` lookup Django makes (issue 11, finding 12: no parameter
    gives a 500)."""

    def _check_values(self, value):
        for key in value:
            if query_int(key) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class EditorForm(QuickForm):
    """A form of the editor: its widgets are drawn by `cases.rendering.QUICK` (the page
    draws hundreds of them)."""


class ProposalForm(EditorForm):
    """Header fields, narrative sections, risk, priority criteria; the span of years."""

    version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    catalog = ListedModelChoiceField(
        label=_("Catalogue"), queryset=Catalog.objects.all(), empty_label=None
    )
    number = TextField(
        label=_("Number"),
        max_length=limits.NUMBER_LENGTH,
        help_text=_("Unique in the catalogue, e.g. BC14 or 5."),
    )
    title = TextField(label=_("Title of the proposal"), max_length=limits.TITLE_LENGTH)
    summary = long_text(_("Short summary"), rows=4)
    funding_source = TextField(
        label=_("Funding sought from"), max_length=limits.NAME_LENGTH, required=False
    )
    presenting_administration = ListedModelChoiceField(
        label=_("Presenting administration"),
        queryset=Administration.objects.order_by("order"),
        required=False,
        empty_label=_("Not stated"),
    )
    affected_administrations = KeysChoiceField(
        label=_("Affected administrations"),
        queryset=Administration.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    committee = ListedModelChoiceField(
        label=_("Owning committee"),
        queryset=Committee.objects.filter(parent__isnull=True).order_by("order"),
        required=False,
        empty_label=_("Not stated"),
    )
    cross_cutting = TriStateField(label=_("Cross-cutting proposal"))
    price_level_year = IntegerField(
        label=_("Price level (year)"), min_value=1900, max_value=2200
    )
    first_year = IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    year_count = IntegerField(
        label=_("Number of years"), min_value=1, max_value=MAX_YEARS, initial=DEFAULT_YEAR_COUNT
    )
    productivity_improvement = TriStateField(label=_("Does the proposal improve productivity?"))
    reduced_admin_costs = TriStateField(label=_("Does the proposal reduce administrative costs?"))
    applies_for_pool_funding = TriStateField(
        label=_("Does the proposal apply for funding from the pool?")
    )

    background = long_text(_("Background and purpose"))
    content = long_text(_("Content of the proposal"))
    potential = long_text(_("Potential of the proposal"))
    economy_text = long_text(_("Economy"))
    implementation_text = long_text(_("Implementation of the proposal"))
    partners = long_text(_("Involvement of partners"))
    effect = long_text(_("Effect of the proposal"))

    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[("", _("Not stated")), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    risk_text = long_text(_("Risk assessment"), rows=4)

    def __init__(
        self,
        *args,
        proposal: Proposal | None = None,
        user=None,
        pool=None,
        choices: EditorChoices | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if choices is not None:
            self.fields["catalog"].list_objects(choices.catalogs)
            for name in ("presenting_administration", "affected_administrations"):
                self.fields[name].list_objects(choices.administrations)
            self.fields["committee"].list_objects(choices.top_committees)
        for key, label in PRIORITY_CRITERIA:
            self.fields[f"priority_{key}"] = TextField(
                label=label, required=False, max_length=limits.LABEL_LENGTH
            )
        for name in fields_not_asked(pool):
            if self.initial.get(name) in (None, "", []):
                del self.fields[name]
        fixed = permissions.fixed_administration(user) if user is not None else None
        if fixed is not None:
            # Finance staff present proposals for their own administration only.
            field = self.fields["presenting_administration"]
            field.queryset = Administration.objects.filter(pk=fixed.pk)
            field.empty_label = None
            field.required = True
            field.initial = fixed.pk

    def clean_number(self):
        number = self.cleaned_data["number"]
        if not NUMBER_RE.match(number):
            raise forms.ValidationError(
                _("Use only letters, digits, “.”, “-” and “_” (at most 20)."), code="number"
            )
        return number

    def clean(self):
        data = super().clean()
        catalog, number = data.get("catalog"), data.get("number")
        if catalog is not None and number:
            others = Proposal.objects.filter(catalog=catalog)
            if self.proposal is not None and self.proposal.pk:
                others = others.exclude(pk=self.proposal.pk)
            # "bc01" is taken by "BC01" (cases.interchange.number_key)
            taken = [
                other
                for other in others.values_list("number", flat=True)
                if number_key(other) == number_key(number)
            ]
            if taken:
                self.add_error(
                    "number",
                    forms.ValidationError(
                        _("The catalogue already has a proposal number %(number)s."),
                        code="unique",
                        params={"number": taken[0]},
                    ),
                )
        first, count = data.get("first_year"), data.get("year_count")
        if first is not None and count is not None and first + count - 1 > 2200:
            self.add_error("year_count", _("The last year must be 2200 or earlier."))
        return data

    def years(self) -> list[int] | None:
        """The span as typed (also when other fields are invalid), or None."""
        first = self._int("first_year")
        count = self._int("year_count")
        if first is None or count is None or not 1900 <= first <= 2200:
            return None
        if not 1 <= count <= MAX_YEARS:
            return None
        return span_years(first, count)

    def _int(self, name: str) -> int | None:
        value = self[name].value()
        try:
            return int(str(value).strip())
        except (TypeError, ValueError):
            return None


# --------------------------------------------------------------------------- year rows


@dataclass(frozen=True)
class YearCell:
    year: str  # as text: a template would print an int with a thousands separator
    name: str
    id: str
    value: str
    css: str
    labelledby: str
    errors: list[str]


class YearCellsMixin:
    """Adds one AmountField "y<year>" per year; cells outside the span are errors,
    except the `kept` ones: (year, amount) pairs the proposal already held outside its
    years when the editor opened it (`outside_span_cells`). Those are saved as they
    were, never dropped unseen (breaker: Citizen 2018 Forslag 3's 2020 column)."""

    kept: frozenset = frozenset()

    def __init__(self, *args, kept: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept

    def add_year_fields(
        self, years: list[int], span: list[int], places: int = 2, unit: str = prices.DEFAULT_UNIT
    ) -> None:
        self.years = years
        self.span = span
        row_label = self.row_label_id()
        for year in years:
            field = AmountField(label=str(year), places=places, unit=unit)
            # A cell is named by its row and its column header ("Energibesparelse 2022").
            field.widget.attrs["aria-labelledby"] = f"{row_label} yh-{year}".strip()
            if year not in span:
                field.widget.attrs["class"] = "num outside-span"
            self.fields[f"y{year}"] = field

    def row_label_id(self) -> str:
        for name in ("label", "committee"):
            if name in self.fields:
                return self[name].auto_id
        return self.auto_id % self.prefix

    def year_fields(self):
        return [self[f"y{year}"] for year in self.years]

    def cells(self) -> list[YearCell]:
        """The row's year cells as `cases/editor/_cells.html` writes them: the input
        Django's widget would render (same name, id, value and attributes), without a
        widget template per cell (a grid of 15 lines × 10 years is 150 of them, most of
        the editor's rendering time)."""
        out = []
        for year in self.years:
            bound = self[f"y{year}"]
            attrs = bound.field.widget.attrs
            value = bound.value()
            out.append(
                YearCell(
                    year=str(year),
                    name=bound.html_name,
                    id=bound.auto_id,
                    value="" if value is None else str(value),
                    css=attrs.get("class", ""),
                    labelledby=attrs.get("aria-labelledby", ""),
                    errors=list(bound.errors),
                )
            )
        return out

    def amounts(self) -> dict[int, Decimal]:
        data = getattr(self, "cleaned_data", {}) or {}
        return {
            year: data[f"y{year}"]
            for year in self.years
            if data.get(f"y{year}") is not None
            and (year in self.span or (year, data[f"y{year}"]) in self.kept)
        }

    def clean_outside_span(self) -> None:
        data = self.cleaned_data
        for year in self.years:
            value = data.get(f"y{year}")
            if year not in self.span and value is not None and (year, value) not in self.kept:
                self.add_error(
                    f"y{year}",
                    forms.ValidationError(
                        _("%(year)s is outside the proposal's years (%(first)s–%(last)s)."),
                        code="outside_span",
                        params={"year": year, "first": self.span[0], "last": self.span[-1]},
                    ),
                )

    def has_amounts(self) -> bool:
        return any((self[f"y{year}"].value() or "").strip() for year in self.years)


class LabelledRowMixin(YearCellsMixin):
    """A grid row with a text and year cells: blank when both are empty (ignored), else
    it needs its text (`label_missing`)."""

    label_missing = _("The line needs a text.")

    def is_blank(self) -> bool:
        return not (self["label"].value() or "").strip() and not self.has_amounts()

    def clean(self):
        data = super().clean()
        self.clean_outside_span()
        if self.is_blank() or data.get("DELETE"):
            return data
        if not (data.get("label") or "").strip():
            self.add_error("label", forms.ValidationError(self.label_missing, code="label"))
        self.clean_row(data)
        return data

    def clean_row(self, data) -> None:
        """Further checks of a row that is kept."""


def row_label_field(label) -> TextField:
    """The text of a grid row (a line or a specification)."""
    return TextField(
        label=label,
        required=False,
        strip=False,
        max_length=limits.LABEL_LENGTH,
        widget=forms.TextInput(attrs={"size": "28"}),
    )


class LineForm(LabelledRowMixin, EditorForm):
    label = row_label_field(_("Text"))
    kind = forms.ChoiceField(label=_("Saving or cost"), choices=Kind.choices)
    area = forms.ChoiceField(label=_("Control area"), required=False)

    def __init__(self, *args, years, span, section, unit=prices.DEFAULT_UNIT, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        if section == "administration":
            del self.fields["kind"]
            del self.fields["area"]
        else:
            areas = PERMANENT_AREAS if section == "permanent" else IMPLEMENTATION_AREAS
            self.fields["area"].choices = [("", _("Not stated"))] + [
                (a, Area(a).label) for a in areas
            ]
            self.fields["kind"].initial = "saving" if section == "permanent" else "cost"
        self.add_year_fields(years, span, unit=unit)

    @property
    def index_text(self) -> str:
        """The form's index in its formset as the page writes it ("3", "__prefix__")."""
        return self.prefix.rsplit("-", 1)[-1]


class RowsFormSet(forms.BaseFormSet):
    """A formset whose rows may be added, removed (DELETE) and reordered (ORDER), and
    in which a completely blank row is ignored."""

    @cached_property
    def empty_form(self):
        """Django's empty form ("add a row"), built once per formset: the editor reads it
        for a table's year headers and again for the row template (a distribution row
        form with its year fields costs about a millisecond to build)."""
        return super().empty_form

    def total_form_count(self) -> int:
        """As Django counts (TOTAL_FORMS, at most `absolute_max`), but a bound formset
        builds no more rows than were posted, plus the one empty row "add a row" asks
        for: a TOTAL_FORMS of 10^20 with two rows posted builds three forms, not the
        model's maximum of empty ones (an error all the same: `validate_max` reads the
        posted count). Issue 11, findings 12 and 16."""
        total = super().total_form_count()
        if not self.is_bound:
            return total
        if not hasattr(self, "_posted_rows"):
            prefix = f"{self.prefix}-"
            indexes = (
                key[len(prefix) :].split("-", 1)[0] for key in self.data if key.startswith(prefix)
            )
            self._posted_rows = 1 + max(
                (int(i) for i in indexes if i.isascii() and i.isdigit() and len(i) <= 6), default=-1
            )
        return min(total, self._posted_rows + 1)

    def rows(self) -> list[forms.Form]:
        """The kept rows in the user's order (valid or not; for partial previews too)."""
        kept = []
        for index, form in enumerate(self.forms):
            if self._should_delete(form) or form.is_blank():
                continue
            kept.append((self._order(form, index), index, form))
        return [form for _, _, form in sorted(kept, key=lambda t: (t[0], t[1]))]

    def _should_delete(self, form) -> bool:
        value = form["DELETE"].value() if self.can_delete else False
        return bool(value) and value not in ("", "false", "False", "0")

    @staticmethod
    def _order(form, index) -> int:
        try:
            return int(str(form["ORDER"].value()).strip())
        except (TypeError, ValueError, KeyError):
            return 10_000 + index

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Order")
            form.fields["ORDER"].widget = forms.NumberInput(
                attrs={"class": "order-input", "min": "0", "size": "2"}
            )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")


def rows_formset(form_class, max_rows: int, formset=None):
    """Rows bounded by what the model allows: Django reads at most `max_rows` forms
    whatever TOTAL_FORMS says (before any form is built), and more is an error."""
    return formset_factory(
        form_class,
        formset=formset or RowsFormSet,
        extra=0,
        can_order=True,
        can_delete=True,
        max_num=max_rows,
        absolute_max=max_rows,
        validate_max=True,
        renderer=QUICK,
    )


LineFormSet = rows_formset(LineForm, limits.MAX_LINES)


class SpecificationForm(LabelledRowMixin, EditorForm):
    """A row under a line of the year grid that breaks it down further ("Sociale ydelser
    (BIF)" = Kontanthjælp + Førtidspension + …). ``line`` is the index of its line's form
    in the section's line formset (the page keeps it next to that line)."""

    line = forms.IntegerField(
        label=_("Line"),
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=limits.MAX_LINES - 1,
    )
    label = row_label_field(_("Specification"))

    label_missing = _("The specification needs a text.")

    def __init__(self, *args, years, span, unit=prices.DEFAULT_UNIT, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_year_fields(years, span, unit=unit)

    def clean_row(self, data) -> None:
        if data.get("line") is None and "line" not in self.errors:
            self.add_error(
                "label",
                forms.ValidationError(
                    _("The specification does not belong to a line."), code="line"
                ),
            )


class SpecificationFormSet(RowsFormSet):
    """The specification rows of one section: each under its line (``line``)."""

    def under(self, index: int) -> list[SpecificationForm]:
        """The rows of the line form ``index`` that are kept, in the user's order."""
        return [form for form in self.rows() if _line_index(form) == index]

    def orphans(self, count: int) -> list[SpecificationForm]:
        """Rows (kept or not) whose line is not one of the ``count`` line forms."""
        out = []
        for form in self.forms:
            line = _line_index(form)
            if not form.is_blank() and (line is None or not 0 <= line < count):
                out.append(form)
        return out


def _line_index(form) -> int | None:
    value = form.cleaned_data.get("line") if hasattr(form, "cleaned_data") else None
    if value is None:
        try:
            value = int(str(form["line"].value()).strip())
        except (TypeError, ValueError):
            return None
    return value


SpecFormSet = rows_formset(SpecificationForm, limits.MAX_SPECIFICATION_ROWS, SpecificationFormSet)


class GridUnitForm(EditorForm):
    """The unit the amounts of one section of the year grid are typed in (issue 14,
    point 4): its lines and their specification rows. Posted as "<prefix>-unit"
    ("perm-unit"); absent (an older page) it is 1.000 kr."""

    unit = forms.ChoiceField(
        label=_("Unit"), choices=ENTRY_UNIT_CHOICES, required=False, initial=prices.DEFAULT_UNIT
    )

    def chosen(self) -> str:
        """The unit the section's cells are read in: the posted one when it is one of
        `ENTRY_UNIT_CHOICES` (anything else is this form's error), else the initial."""
        value = self["unit"].value() or prices.DEFAULT_UNIT
        return value if value in prices.ENTRY_UNITS else prices.DEFAULT_UNIT


def opened_units(query) -> dict[str, str]:
    """The unit each grid section opens in, from the editor's address: "?enhed=mio.kr"
    (every section) and "?perm-unit=kr" (one section, as the page posts it); anything
    else is 1.000 kr. (no parameter gives an error)."""
    every = query.get("enhed")
    out = {}
    for section, prefix in SECTION_PREFIX.items():
        value = query.get(f"{prefix}-unit") or every
        out[section] = value if value in prices.ENTRY_UNITS else prices.DEFAULT_UNIT
    return out


class FteForm(YearCellsMixin, EditorForm):
    def __init__(self, *args, years, span, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_year_fields(years, span)

    def clean(self):
        data = super().clean()
        self.clean_outside_span()
        return data


class CriterionForm(EditorForm):
    criterion = long_text(_("Success criterion"), rows=2, max_length=limits.CELL_TEXT_LENGTH)
    how_measured = long_text(_("How is it measured?"), rows=2, max_length=limits.CELL_TEXT_LENGTH)
    how_achieved = long_text(_("How is it achieved?"), rows=2, max_length=limits.CELL_TEXT_LENGTH)
    responsible = long_text(_("Who is responsible?"), rows=2, max_length=limits.CELL_TEXT_LENGTH)
    when = long_text(_("When?"), rows=2, max_length=limits.CELL_TEXT_LENGTH)

    def is_blank(self) -> bool:
        return not any(
            (self[name].value() or "").strip()
            for name in self.fields
            if name not in ("ORDER", "DELETE")
        )


class HearingForm(EditorForm):
    body = TextField(label=_("Body"), required=False, max_length=limits.NAME_LENGTH)
    answer = forms.ChoiceField(
        label=_("Answer"),
        required=False,
        choices=[
            ("", _("Not answered")),
            ("yes", _("Yes")),
            ("no", _("No")),
            ("not_relevant", _("Not relevant")),
        ],
        widget=forms.RadioSelect,
    )
    date_text = TextField(
        label=_("Date of approval"),
        required=False,
        strip=False,
        max_length=limits.DATE_TEXT_LENGTH,
        validators=[validate_day_text],
    )

    def __init__(self, *args, registered=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An answer central finance registered (`answer_hearing`) belongs to that step:
        # shown read-only here, and kept by `save_proposal` whatever is posted.
        self.registered = (registered or {}).get((self["body"].value() or "").strip())
        if self.registered is not None:
            self.fields["body"].widget.attrs["readonly"] = True
            for name in ("answer", "date_text"):
                self.fields[name].disabled = True
            self.initial = {
                **self.initial,
                "answer": self.registered.answer,
                "date_text": self.registered.date_text,
            }

    def is_blank(self) -> bool:
        return (
            not (self["body"].value() or "").strip()
            and not (self["date_text"].value() or "").strip()
            and not self["answer"].value()
        )

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("DELETE") and not (data.get("body") or ""):
            self.add_error(
                "body", forms.ValidationError(_("Name the body that has been heard."), code="body")
            )
        return data


class SectionForm(EditorForm):
    heading = TextField(
        label=_("Heading"), required=False, strip=False, max_length=limits.NAME_LENGTH
    )
    text = long_text(_("Text"), rows=4)

    def is_blank(self) -> bool:
        return (
            not (self["heading"].value() or "").strip() and not (self["text"].value() or "").strip()
        )

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("DELETE") and not (data.get("heading") or ""):
            self.add_error(
                "heading", forms.ValidationError(_("The section needs a heading."), code="heading")
            )
        return data


class DistributionForm(EditorForm):
    basis = forms.ChoiceField(
        label=_("Distributed by"),
        required=False,
        choices=[("", _("Not distributed")), *DistributionBasis.choices],
    )


class DistributionRowForm(YearCellsMixin, EditorForm):
    # Choices by committee code, read once per editor (not once per row).
    committee = forms.ChoiceField(label=_("Committee"), required=False)
    unit = TextField(
        label=_("Unit"),
        required=False,
        max_length=limits.NAME_LENGTH,
        widget=forms.TextInput(attrs={"list": "unit-names", "size": "18"}),
    )
    account = TextField(
        label=_("Account"),
        required=False,
        max_length=limits.NAME_LENGTH,
        widget=forms.TextInput(attrs={"size": "14"}),
    )
    weight = AmountField(label=_("Weight"), places=6)

    def __init__(self, *args, years, span, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].choices = [("", "–"), *committees]
        self.add_year_fields(years, span)

    def row_fields(self) -> list:
        """The row's own inputs before its year cells (the row template draws these)."""
        return [self[name] for name in ("committee", "unit", "account", "weight")]

    def is_blank(self) -> bool:
        return (
            not self["committee"].value()
            and not any((self[n].value() or "").strip() for n in ("unit", "account", "weight"))
            and not self.has_amounts()
        )

    def clean(self):
        data = super().clean()
        self.clean_outside_span()
        if self.is_blank() or data.get("DELETE"):
            return data
        if not data.get("committee") and "committee" not in self.errors:
            self.add_error(
                "committee", forms.ValidationError(_("Choose a committee."), code="committee")
            )
        weight = data.get("weight")
        if weight is not None and weight < 0:
            self.add_error(
                "weight", forms.ValidationError(_("A weight cannot be negative."), code="negative")
            )
        return data


class DistributionRowFormSet(RowsFormSet):
    basis: str = ""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = self.rows()
        if self.basis == "weights":
            for form in rows:
                if form.cleaned_data.get("weight") is None:
                    form.add_error(
                        "weight",
                        forms.ValidationError(
                            _("Give the row a weight (any non-negative number)."), code="weight"
                        ),
                    )
        elif self.basis == "" and rows:
            raise forms.ValidationError(
                _("Choose whether the rows are weights or explicit amounts."), code="basis"
            )


DistributionRows = rows_formset(
    DistributionRowForm, limits.MAX_DISTRIBUTION_ROWS, formset=DistributionRowFormSet
)
FollowupFormSet = rows_formset(CriterionForm, limits.MAX_FOLLOWUP_ROWS)
HearingFormSet = rows_formset(HearingForm, limits.MAX_HEARING_ROWS)
SectionFormSet = rows_formset(SectionForm, limits.MAX_OTHER_SECTIONS)


# --------------------------------------------------------------------------- initial data


def proposal_data(proposal: Proposal) -> ProposalData:
    """A saved proposal as editor input (expects `proposals_with_inputs` prefetching)."""
    return ProposalData(
        number=proposal.number,
        title=proposal.title,
        summary=proposal.summary,
        committee=proposal.committee.code if proposal.committee else None,
        cross_cutting=proposal.cross_cutting,
        presenting_administration=(
            proposal.presenting_administration.code if proposal.presenting_administration else None
        ),
        affected_administrations=[
            a.code for a in sorted(proposal.affected_administrations.all(), key=lambda a: a.order)
        ],
        funding_source=proposal.funding_source,
        applies_for_pool_funding=proposal.applies_for_pool_funding,
        productivity_improvement=proposal.productivity_improvement,
        reduced_admin_costs=proposal.reduced_admin_costs,
        price_level_year=proposal.price_level_year,
        years=list(proposal.years),
        lines=[
            LineData(
                ln.section,
                ln.kind,
                ln.area,
                ln.label,
                line_amounts(ln),
                specifications=[
                    {"label": s.label, "amounts": dict(s.amounts)} for s in line_specifications(ln)
                ],
            )
            for ln in grid_lines(proposal)
        ],
        admin_lines=[AdminLineData(ln.label, line_amounts(ln)) for ln in admin_lines(proposal)],
        fte={f.year: f.fte for f in proposal.fte_years.all()},
        followup=[
            CriterionData(c.criterion, c.how_measured, c.how_achieved, c.responsible, c.when)
            for c in proposal.success_criteria.all()
        ],
        risk_level=proposal.risk_level,
        risk_text=proposal.risk_text,
        hearing=[HearingData(h.body, h.answer, h.date_text) for h in proposal.hearing.all()],
        priority_criteria=proposal.priority_criteria,
        sections={
            "background": proposal.background,
            "content": proposal.content,
            "potential": proposal.potential,
            "economy": proposal.economy_text,
            "implementation": proposal.implementation_text,
            "partners": proposal.partners,
            "effect": proposal.effect,
        },
        other_sections=[dict(s) for s in proposal.other_sections or []],
        distributions=[
            DistributionData(
                subject=d.subject,
                basis=d.basis,
                rows=[
                    DistributionRowData(
                        committee=row.committee.code,
                        unit=row.unit,
                        account=row.account,
                        weight=row.weight.normalize() if row.weight is not None else None,
                        amounts=(
                            {a.year: a.amount for a in row.amounts.all()}
                            if d.basis == "amounts"
                            else None
                        ),
                    )
                    for row in d.rows.all()
                ],
            )
            for d in proposal.distributions.all()
        ],
    )


def new_proposal_data(catalog: Catalog | None, user) -> ProposalData:
    year = catalog.budget_year if catalog is not None else None
    fixed = permissions.fixed_administration(user)
    return ProposalData(
        number=None,
        title="",
        presenting_administration=fixed.code if fixed is not None else None,
        committee=fixed.committee.code if fixed is not None and fixed.committee else None,
        price_level_year=year or 0,
        years=span_years(year, DEFAULT_YEAR_COUNT) if year else [],
        lines=[
            LineData("permanent", "saving", "", "", {}),
            LineData("implementation", "cost", "", "", {}),
        ],
        hearing=[HearingData(body, "", "") for body in HEARING_BODIES],
    )


def outside_span_cells(amounts, span) -> frozenset[tuple[int, Decimal]]:
    """The (year, amount) pairs of `amounts` (an iterable of {year: amount} dicts, years
    as int or text) in years outside `span`: what a grid opened with outside the
    proposal's years, and may save back unchanged (`YearCellsMixin.kept`)."""
    inside = set(span)
    return frozenset(
        (int(year), Decimal(str(value)))
        for row in amounts
        for year, value in (row or {}).items()
        if value is not None and int(year) not in inside
    )


def amount_years(data: ProposalData) -> set[int]:
    """Every year `data` holds an amount in: lines, their specification rows, admin
    lines, FTE and distribution rows. The editor opens with a column for each, so an
    amount outside the span is shown (and saved back as it was, `YearCellsMixin.kept`),
    never dropped unseen."""
    years = {y for ln in data.lines for y in ln.amounts}
    years |= {int(y) for ln in data.lines for s in ln.specifications or [] for y in s["amounts"]}
    years |= {y for ln in data.admin_lines for y in ln.amounts}
    years |= set(data.fte)
    years |= {y for d in data.distributions for r in d.rows for y in r.amounts or {}}
    return years


def copied_data(source: ProposalData) -> ProposalData:
    """An earlier proposal as the start of a new one: every input, no number, nothing of
    what a source document printed."""
    return replace(source, number=None, stated=None, other_tables=[], anomalies=[])


def case_of(data: ProposalData) -> engine.Case:
    """The engine's input (`engine.Case`) for a proposal's inputs as `ProposalData`
    (what the editor opened with, or what is typed)."""
    return engine.Case(
        years=tuple(data.years),
        lines=tuple(
            engine.Line(
                ln.section,
                ln.kind,
                ln.area or None,
                ln.label,
                ln.amounts,
                specifications=tuple(
                    engine.Specification(s["label"], s["amounts"])
                    for s in ln.specifications or []
                ),
            )
            for ln in data.lines
        ),
        admin_lines=tuple(engine.AdminLine(ln.label, ln.amounts) for ln in data.admin_lines),
        distributions=tuple(
            engine.Distribution(
                subject=d.subject,
                basis=d.basis,
                rows=tuple(
                    engine.DistributionRow(
                        committee=r.committee,
                        unit=r.unit,
                        weight=r.weight,
                        amounts=r.amounts,
                        account=r.account or None,
                    )
                    for r in d.rows
                ),
            )
            for d in data.distributions
        ),
    )


def _difference(check: engine.Check) -> tuple:
    return (check.field, check.year, check.stated, check.computed)


# --------------------------------------------------------------------------- the editor

GRID_SECTIONS = ("permanent", "implementation", "administration")
SECTION_PREFIX = {"permanent": "perm", "implementation": "impl", "administration": "admin"}
SPEC_PREFIX = {"permanent": "perm-spec", "implementation": "impl-spec"}


class ProposalEditor:
    """All forms of one proposal page. Bound (`data`) or showing `initial`."""

    def __init__(
        self,
        data=None,
        *,
        initial: ProposalData | None = None,
        proposal: Proposal | None = None,
        catalog: Catalog | None = None,
        user=None,
        units: dict[str, str] | None = None,
    ):
        """`units`: the unit each grid section (GRID_SECTIONS) is shown in when the
        editor opens (`opened_units`); a bound editor reads the posted units."""
        self.data = data
        self.proposal = proposal
        self.user = user
        self.initial = initial
        self.choices = choices = EditorChoices.read()
        header_initial = (
            self._header_initial(initial, proposal, catalog, choices) if initial else {}
        )
        self.pool = self._pool(data, proposal, catalog)
        self.header = ProposalForm(
            data,
            initial=header_initial,
            proposal=proposal,
            user=user,
            pool=self.pool,
            choices=choices,
        )
        span = self.header.years() if data is not None else (initial.years if initial else [])
        span = span or (initial.years if initial else []) or []
        self.span = span
        committees = [(c.code, c.name) for c in choices.top_committees]
        self.unit_forms: dict[str, GridUnitForm] = {
            section: GridUnitForm(
                data,
                prefix=SECTION_PREFIX[section],
                initial={"unit": (units or {}).get(section, prices.DEFAULT_UNIT)},
            )
            for section in GRID_SECTIONS
        }
        self.line_sets: dict[str, RowsFormSet] = {}
        for section in GRID_SECTIONS:
            prefix = SECTION_PREFIX[section]
            self.line_sets[section] = LineFormSet(
                data,
                prefix=prefix,
                initial=self._line_initial(initial, section) if data is None else None,
                form_kwargs={
                    "years": self._grid_years(prefix),
                    "span": span,
                    "section": section,
                    "unit": self.unit(section),
                    "kept": self._kept(r[-1] for r in self._rows_of(initial, section)),
                },
            )
        self.spec_sets: dict[str, SpecificationFormSet] = {}
        for section, prefix in SPEC_PREFIX.items():
            self.spec_sets[section] = SpecFormSet(
                data,
                prefix=prefix,
                initial=self._spec_initial(initial, section) if data is None else None,
                form_kwargs={
                    "years": self._grid_years(prefix),
                    "span": span,
                    "unit": self.unit(section),  # its line's section
                    "kept": self._kept(
                        spec["amounts"]
                        for *_, line in self._rows_of(initial, section, lines=True)
                        for spec in line.specifications or []
                    ),
                },
            )
        self.fte = FteForm(
            data,
            prefix="fte",
            initial={f"y{y}": v for y, v in (initial.fte if initial else {}).items()},
            years=self._grid_years("fte", single=True),
            span=span,
            kept=self._kept([initial.fte] if initial else []),
        )
        self.followup = FollowupFormSet(
            data,
            prefix="followup",
            initial=[vars(c) for c in initial.followup] if data is None and initial else None,
        )
        self.hearing = HearingFormSet(
            data,
            prefix="hearing",
            initial=[vars(h) for h in initial.hearing] if data is None and initial else None,
            form_kwargs={"registered": self._registered_hearing()},
        )
        self.other_sections = SectionFormSet(
            data,
            prefix="section",
            initial=list(initial.other_sections) if data is None and initial else None,
        )
        existing = {d.subject: d for d in (initial.distributions if initial else [])}
        self._add_distributions(data, existing, span, committees)
        if data is None and proposal is not None and initial is not None:
            # What the user starts from, for the merge if someone else saves first.
            self.header.initial["base"] = sign_base(initial, self.values())

    def unit(self, section: str) -> str:
        """The unit the section's amounts are typed in ("kr", "t.kr", "mio.kr")."""
        return self.unit_forms[section].chosen()

    def _add_distributions(self, data, existing, span, committees) -> None:
        self.distributions: list[tuple[str, DistributionForm, DistributionRowFormSet]] = []
        for subject in DISTRIBUTION_SUBJECTS:
            prefix = f"dist-{subject}"
            dist = existing.get(subject)
            basis_form = DistributionForm(
                data, prefix=prefix, initial={"basis": dist.basis if dist else ""}
            )
            rows = DistributionRows(
                data,
                prefix=f"{prefix}-rows",
                initial=(
                    [self._dist_row_initial(r) for r in dist.rows]
                    if dist and data is None
                    else None
                ),
                form_kwargs={
                    "years": self._grid_years(f"{prefix}-rows"),
                    "span": span,
                    "committees": committees,
                    "kept": self._kept(r.amounts for r in (dist.rows if dist else [])),
                },
            )
            rows.basis = (
                basis_form["basis"].value() or ""
                if data is not None
                else (dist.basis if dist else "")
            )
            self.distributions.append((subject, basis_form, rows))

    def _registered_hearing(self) -> dict[str, Any]:
        """{body: HearingAnswer} of the answers central finance registered."""
        if self.proposal is None or self.proposal.pk is None:
            return {}
        return {h.body: h for h in self.proposal.hearing.all() if h.answered_by_id is not None}

    # -- initial values --------------------------------------------------------------

    @staticmethod
    def _header_initial(
        initial: ProposalData, proposal, catalog, choices: EditorChoices
    ) -> dict[str, Any]:
        admins = {a.code: a for a in choices.administrations}
        committees = {c.code: c for c in choices.top_committees}
        values = {
            "catalog": proposal.catalog_id if proposal else (catalog.pk if catalog else None),
            "number": initial.number or "",
            "title": initial.title,
            "summary": initial.summary,
            "funding_source": initial.funding_source,
            "presenting_administration": (
                admins[initial.presenting_administration].pk
                if initial.presenting_administration in admins
                else None
            ),
            "affected_administrations": [
                admins[c].pk for c in initial.affected_administrations if c in admins
            ],
            "committee": committees[initial.committee].pk
            if initial.committee in committees
            else None,
            "cross_cutting": _tri(initial.cross_cutting),
            "price_level_year": initial.price_level_year or None,
            "first_year": initial.years[0] if initial.years else None,
            "year_count": len(initial.years) if initial.years else DEFAULT_YEAR_COUNT,
            "productivity_improvement": _tri(initial.productivity_improvement),
            "reduced_admin_costs": _tri(initial.reduced_admin_costs),
            "applies_for_pool_funding": _tri(initial.applies_for_pool_funding),
            "background": initial.sections.get("background", ""),
            "content": initial.sections.get("content", ""),
            "potential": initial.sections.get("potential", ""),
            "economy_text": initial.sections.get("economy", ""),
            "implementation_text": initial.sections.get("implementation", ""),
            "partners": initial.sections.get("partners", ""),
            "effect": initial.sections.get("effect", ""),
            "risk_level": initial.risk_level,
            "risk_text": initial.risk_text,
            "version": proposal.version if proposal else None,
        }
        for key, _label in PRIORITY_CRITERIA:
            values[f"priority_{key}"] = (initial.priority_criteria or {}).get(key, "")
        return values

    @cached_property
    def kept_years(self) -> list[int]:
        """The years outside the span in which the opened proposal holds amounts (the
        page says that those grey columns are saved as they are)."""
        if self.initial is None:
            return []
        return sorted(amount_years(self.initial) - set(self.initial.years))

    def _kept(self, amounts) -> frozenset:
        """`outside_span_cells` of the opened proposal (its own years): the amounts a
        grid may save back outside the span."""
        if self.initial is None:
            return frozenset()
        return outside_span_cells(amounts, self.initial.years)

    @staticmethod
    def _rows_of(initial: ProposalData | None, section: str, lines: bool = False) -> list:
        """(kind, area, label, amounts) of the section's lines as opened (with
        `lines`: (kind, area, label, line))."""
        if initial is None:
            return []
        if section == "administration":
            return [("", "", ln.label, ln if lines else ln.amounts) for ln in initial.admin_lines]
        return [
            (ln.kind, ln.area, ln.label, ln if lines else ln.amounts)
            for ln in initial.lines
            if ln.section == section
        ]

    @staticmethod
    def _line_initial(initial: ProposalData | None, section: str) -> list[dict]:
        lines = ProposalEditor._rows_of(initial, section)
        rows = []
        for order, (kind, area, label, amounts) in enumerate(lines, start=1):
            row = {"label": label, "kind": kind, "area": area or "", "ORDER": order}
            row.update({f"y{year}": value for year, value in amounts.items()})
            rows.append(row)
        return rows

    @staticmethod
    def _spec_initial(initial: ProposalData | None, section: str) -> list[dict]:
        """The specification rows of the section's lines, each with its line's index."""
        if initial is None:
            return []
        rows = []
        lines = [ln for ln in initial.lines if ln.section == section]
        for index, line in enumerate(lines):
            for spec in line.specifications or []:
                row = {"line": index, "label": spec["label"], "ORDER": len(rows) + 1}
                row.update({f"y{year}": value for year, value in spec["amounts"].items()})
                rows.append(row)
        return rows

    @property
    def grid(self) -> dict[str, list[tuple[forms.Form | None, list[forms.Form]]]]:
        """`grid_rows` of every grid section, for the page."""
        return {section: self.grid_rows(section) for section in GRID_SECTIONS}

    def grid_rows(self, section: str) -> list[tuple[forms.Form, list[forms.Form]]]:
        """The section's line forms, each with its specification forms (the page shows
        them under it; rows whose line is gone come last, under no line)."""
        lines = self.line_sets[section].forms
        specs = self.spec_sets.get(section)
        if specs is None:
            return [(form, []) for form in lines]
        out = [
            (form, [f for f in specs.forms if _line_index(f) == index])
            for index, form in enumerate(lines)
        ]
        orphans = specs.orphans(len(lines))
        if orphans:
            out.append((None, orphans))
        return out

    @staticmethod
    def _dist_row_initial(row: DistributionRowData) -> dict:
        values = {
            "committee": row.committee,
            "unit": row.unit,
            "account": row.account,
            "weight": row.weight,
        }
        values.update({f"y{year}": v for year, v in (row.amounts or {}).items()})
        return values

    def _grid_years(self, prefix: str, single: bool = False) -> list[int]:
        """The span, plus any year the submitted data has a cell for (so that a value
        typed in a year outside the span is reported, not dropped); for unbound forms,
        the span plus the years the initial data has amounts in."""
        years = set(self.span)
        if self.data is not None:
            pattern = re.compile(rf"^{re.escape(prefix)}-{'' if single else r'\d+-'}y(\d{{4}})$")
            # Only years the page can show (a span shortened by at most MAX_YEARS): a
            # posted "y0001" … "y9999" must not add ten thousand columns to every row.
            first = (self.span[0] if self.span else 1900) - limits.MAX_YEARS
            last = (self.span[-1] if self.span else 2200) + limits.MAX_YEARS
            for key in self.data:
                match = pattern.match(key)
                if match and first <= int(match.group(1)) <= last:
                    if str(self.data.get(key, "")).strip():
                        years.add(int(match.group(1)))
        elif self.initial is not None:
            years |= amount_years(self.initial)
        return sorted(years)

    def _header_fallback(self) -> dict[str, Any]:
        """The saved (or copied) values of the pool-specific header fields."""
        initial = self.initial
        if initial is None:
            return {}
        return {
            "productivity_improvement": initial.productivity_improvement,
            "reduced_admin_costs": initial.reduced_admin_costs,
            "applies_for_pool_funding": initial.applies_for_pool_funding,
            "potential": initial.sections.get("potential", ""),
            "partners": initial.sections.get("partners", ""),
        }

    @staticmethod
    def _pool(data, proposal, catalog) -> str | None:
        """The pool whose form is shown: the catalogue chosen in the submitted data, else
        the proposal's or the given catalogue's."""
        if data is not None:
            try:
                chosen = int(str(data.get("catalog", "")).strip())
            except ValueError:
                chosen = None
            if chosen is not None:
                pool = Catalog.objects.filter(pk=chosen).values_list("pool", flat=True).first()
                if pool:
                    return pool
        if proposal is not None:
            return proposal.catalog.pool
        return catalog.pool if catalog is not None else None

    # -- validation and output -----------------------------------------------------

    # -- field values (the merge of a refused save) -----------------------------------

    def _value_forms(self):
        """(group label, row number or None, form) for every form whose fields post."""
        yield "", None, self.header
        yield _("Full-time equivalents"), None, self.fte
        for section, unit_form in self.unit_forms.items():
            yield self._group_label(SECTION_PREFIX[section]), None, unit_form
        for formset in self.formsets():
            group = self._group_label(formset.prefix)
            yield group, None, formset.management_form
            for index, form in enumerate(formset.forms, start=1):
                yield group, index, form
        for subject, basis_form, _rows in self.distributions:
            yield self._group_label(f"dist-{subject}-rows"), None, basis_form

    def _group_label(self, prefix: str) -> str:
        names = {
            "perm": _("Permanent changes, line"),
            "impl": _("Implementation costs, line"),
            "admin": _("Permanent changes, administration, line"),
            "perm-spec": _("Permanent changes, specification"),
            "impl-spec": _("Implementation costs, specification"),
            "followup": _("Follow-up, row"),
            "hearing": _("Who has been heard, row"),
            "section": _("Other sections, section"),
        }
        if prefix in names:
            return str(names[prefix])
        subject = prefix.removeprefix("dist-").removesuffix("-rows")
        return f"{_('Distribution')} {SUBJECT_LABELS.get(subject, subject)}"

    def values(self) -> dict[str, Any]:
        """Every field by its HTML name, as the browser posts it (`_as_value`): of the
        typed data when bound, of the initial values otherwise."""
        out = {}
        for _group, _row, form in self._value_forms():
            for name in form.fields:
                if form is self.header and name in ("version", "base"):
                    continue
                field = form[name]
                out[field.html_name] = _as_value(_in_thousands(form, name))
        return out

    def labels(self) -> dict[str, str]:
        """Every field's HTML name -> a label a person reads ("Varige ændringer, linje 2:
        2022")."""
        out = {}
        for group, row, form in self._value_forms():
            for name in form.fields:
                label = str(form[name].label or name)
                where = f"{group} {row}" if row is not None else group
                out[form[name].html_name] = f"{where}: {label}" if where else label
        return out

    def all_forms(self):
        yield self.header
        yield self.fte
        yield from self.unit_forms.values()
        yield from self.formsets()
        for _subject, basis_form, _rows in self.distributions:
            yield basis_form

    def formsets(self):
        yield from self.line_sets.values()
        yield from self.spec_sets.values()
        yield self.followup
        yield self.hearing
        yield self.other_sections
        for _subject, _basis, rows in self.distributions:
            yield rows

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.all_forms()])
        if valid and not self.span:
            valid = False
        valid = self._check_specifications() and valid  # reported with the other errors
        if valid:
            valid = self._check_distributions()
        return valid

    def _check_specifications(self) -> bool:
        """A specification row must stand under a line of its section (a removed line's
        rows go with it)."""
        ok = True
        for section, specs in self.spec_sets.items():
            lines = self.line_sets[section]
            present = {
                index
                for index, form in enumerate(lines.forms)
                if not form.is_blank() or lines._should_delete(form)
            }
            counts: dict[int | None, int] = {}
            for form in specs.rows():
                line = _line_index(form)
                counts[line] = counts.get(line, 0) + 1
                if counts[line] == limits.MAX_SPECIFICATIONS + 1:
                    form.add_error(
                        "label",
                        forms.ValidationError(
                            _("A line can have at most %(most)s specifications."),
                            code="too_many",
                            params={"most": limits.MAX_SPECIFICATIONS},
                        ),
                    )
                    ok = False
                if line not in present:
                    form.add_error(
                        "label",
                        forms.ValidationError(
                            _("The specification does not belong to a line."), code="line"
                        ),
                    )
                    ok = False
        return ok

    def _check_distributions(self) -> bool:
        """Explicit amounts that do not add up are an error on the distribution (the
        engine decides, through its `distribution_amounts_mismatch` check), unless the
        editor opened with that very difference (`opened_differences`)."""
        figures = engine.compute(self.case())
        # A distribution transcribed from a printed table is kept as printed: the engine
        # reports its differences as checks (as on import).
        printed = printed_subjects(self.proposal.other_tables if self.proposal else [])
        opened = None  # computed only when there is a difference to judge
        ok = True
        for check in figures.checks:
            if check.code != "distribution_amounts_mismatch" or check.field in printed:
                continue
            if opened is None:
                opened = self.opened_differences()
            if _difference(check) in opened:
                continue
            for subject, _basis, rows in self.distributions:
                if subject == check.field:
                    rows._non_form_errors.append(check.message)
                    ok = False
        return ok

    def opened_differences(self) -> set[tuple]:
        """The distribution differences (`distribution_amounts_mismatch`: subject, year,
        rows' sum, total) the inputs the editor opened with already had: those of an
        imported proposal (import accepts a printed table as printed, e.g. Citizen 2018
        Forslag 1's rows -337,98 under a total of -338) and of a copy of one ("Kopiér til
        et nyt forslag"). Such a difference is saved as it stands and reported in the
        Kontrolnoter like the original's; only a difference the user's own edits make is
        an error. Empty for a new proposal."""
        if self.initial is None or not self.initial.years or not self.initial.distributions:
            return set()
        checks = engine.compute(case_of(self.initial)).checks
        return {_difference(c) for c in checks if c.code == "distribution_amounts_mismatch"}

    @property
    def version(self) -> int | None:
        return self.header.cleaned_data.get("version")

    def error_count(self) -> int:
        count = 0
        for form in self.all_forms():
            if isinstance(form, forms.BaseFormSet):
                count += len(form.non_form_errors()) + sum(len(e) for e in form.errors)
            else:
                count += len(form.errors)
        return count

    def to_data(self) -> ProposalData:
        """The editor's input as ProposalData: complete after `is_valid()`; for a live
        preview of invalid input, the valid part (a cell that is not a number is empty)."""
        header = dict(getattr(self.header, "cleaned_data", {}))
        # A field the form does not show keeps what the proposal has (forms write only
        # the fields they show).
        for name, value in self._header_fallback().items():
            if name not in self.header.fields:
                header[name] = value
        span = self.span

        def lines(section):
            return self.line_sets[section].rows()

        priority = dict(self.initial.priority_criteria or {}) if self.initial else {}
        if self.proposal is not None and self.proposal.priority_criteria:
            priority = dict(self.proposal.priority_criteria)
        for key, _label in PRIORITY_CRITERIA:
            if f"priority_{key}" not in self.header.fields:
                continue
            value = header.get(f"priority_{key}", "")
            if value:
                priority[key] = value
            else:
                priority.pop(key, None)
        committee = header.get("committee")
        administration = header.get("presenting_administration")
        return ProposalData(
            number=header.get("number"),
            title=header.get("title", ""),
            summary=header.get("summary", ""),
            committee=committee.code if committee else None,
            cross_cutting=header.get("cross_cutting"),
            presenting_administration=administration.code if administration else None,
            affected_administrations=[a.code for a in header.get("affected_administrations") or []],
            funding_source=header.get("funding_source", ""),
            applies_for_pool_funding=header.get("applies_for_pool_funding"),
            productivity_improvement=header.get("productivity_improvement"),
            reduced_admin_costs=header.get("reduced_admin_costs"),
            price_level_year=header.get("price_level_year") or (span[0] if span else 0),
            years=list(span),
            lines=[
                LineData(
                    section=section,
                    kind=form.cleaned_data.get("kind") or form["kind"].initial,
                    area=form.cleaned_data.get("area") or "",
                    label=form.cleaned_data.get("label") or "",
                    amounts=form.amounts(),
                    specifications=self._specifications(section, form),
                )
                for section in ("permanent", "implementation")
                for form in lines(section)
            ],
            admin_lines=[
                AdminLineData(label=form.cleaned_data.get("label") or "", amounts=form.amounts())
                for form in lines("administration")
            ],
            fte=self.fte.amounts(),
            followup=[
                CriterionData(
                    **{
                        k: form.cleaned_data.get(k, "")
                        for k in (
                            "criterion",
                            "how_measured",
                            "how_achieved",
                            "responsible",
                            "when",
                        )
                    }
                )
                for form in self.followup.rows()
            ],
            risk_level=header.get("risk_level", ""),
            risk_text=header.get("risk_text", ""),
            hearing=[
                HearingData(
                    body=form.cleaned_data.get("body", ""),
                    answer=form.cleaned_data.get("answer", ""),
                    date_text=form.cleaned_data.get("date_text", ""),
                )
                for form in self.hearing.rows()
            ],
            priority_criteria=priority or None,
            sections={
                "background": header.get("background", ""),
                "content": header.get("content", ""),
                "potential": header.get("potential", ""),
                "economy": header.get("economy_text", ""),
                "implementation": header.get("implementation_text", ""),
                "partners": header.get("partners", ""),
                "effect": header.get("effect", ""),
            },
            other_sections=[
                {
                    "heading": form.cleaned_data.get("heading", ""),
                    "text": form.cleaned_data.get("text", ""),
                }
                for form in self.other_sections.rows()
            ],
            distributions=self._distribution_data(),
        )

    def _specifications(self, section: str, line_form) -> list[dict]:
        """The specification rows under a line form, as `LineData.specifications`."""
        index = self.line_sets[section].forms.index(line_form)
        return [
            {"label": form.cleaned_data.get("label") or "", "amounts": form.amounts()}
            for form in self.spec_sets[section].under(index)
        ]

    def _distribution_data(self) -> list[DistributionData]:
        out = []
        for subject, basis_form, rows in self.distributions:
            basis = getattr(basis_form, "cleaned_data", {}).get("basis") or ""
            kept = [form for form in rows.rows() if form.cleaned_data.get("committee")]
            if not basis or not kept:
                continue
            out.append(
                DistributionData(
                    subject=subject,
                    basis=basis,
                    rows=[
                        DistributionRowData(
                            committee=form.cleaned_data["committee"],
                            unit=form.cleaned_data.get("unit", ""),
                            account=form.cleaned_data.get("account", ""),
                            weight=form.cleaned_data.get("weight"),
                            amounts=form.amounts() if basis == "amounts" else None,
                        )
                        for form in kept
                    ],
                )
            )
        return out

    def case(self) -> engine.Case:
        """The engine's input for what is typed (with the saved proposal's printed figures,
        so that the checks are those of the proposal page)."""
        case = case_of(self.to_data() if self.data is not None else self.initial)
        if self.proposal is not None:
            saved = case_from_proposal(self.proposal)
            case = replace(
                case,
                stated=saved.stated,
                printed_distributions=saved.printed_distributions,
                printed_details=saved.printed_details,
            )
        return case

    def figures(self) -> engine.Figures | None:
        if not self.span:
            return None
        return engine.compute(self.case())


# --------------------------------------------------------------------------- snapshots


def sign_base(data: ProposalData, values: dict[str, Any]) -> str:
    """The inputs as the user loaded them, carried in the form: `snapshot` (readable, for
    the list of what someone else changed) and `values` (every field by its HTML name,
    for the three-way merge of a refused save). Signed: it is shown back to the user."""
    return signing.dumps(
        {"snapshot": snapshot(data), "values": values}, salt="cases.editor.base", compress=True
    )


def unsign_base(value: str) -> dict[str, Any]:
    """{"snapshot": …, "values": …} as signed by `sign_base`; empty for anything else."""
    try:
        found = signing.loads(value or "", salt="cases.editor.base")
    except signing.BadSignature:
        found = None
    if isinstance(found, dict) and "values" in found:
        return found
    return {"snapshot": {}, "values": {}}


def sign_conflicts(conflicts: list[FieldConflict]) -> str:
    """The fields both people changed, with the other person's value: the next save must
    say, for each, which value to keep (`resolve_conflicts`)."""
    return signing.dumps(
        [[c.key, c.label, c.base, c.theirs] for c in conflicts],
        salt="cases.editor.conflicts",
        compress=True,
    )


def resolve_conflicts(data) -> tuple[Any, list[FieldConflict], bool]:
    """Apply the user's choices for the fields of an earlier conflict to the posted data.

    Returns (data, conflicts, resolved): `data` with the other person's value put in
    every field where the user chose "theirs" (and "mine" keeping what the form posts);
    `resolved` is False while any choice is missing (then nothing may be saved). A save
    after a conflict saves only what the user chose (issue 11, finding 6)."""
    try:
        pending = signing.loads(data.get("conflicts", ""), salt="cases.editor.conflicts")
    except signing.BadSignature:
        return data, [], True
    data = data.copy()
    conflicts, resolved = [], True
    for key, label, base, theirs in pending:
        choice = data.get(f"choose:{key}")
        conflicts.append(FieldConflict(key, label, base, _posted(data, key), theirs, choice))
        if choice == "theirs":
            _put(data, key, theirs)
        elif choice != "mine":
            resolved = False
    if resolved:
        data.pop("conflicts", None)
    return data, conflicts, resolved


def _posted(data, key: str) -> Any:
    values = data.getlist(key)
    if key in MULTI_VALUE_FIELDS:
        return _as_value(values)
    return _as_value(values[-1] if values else "")


def _put(data, key: str, value: Any) -> None:
    data.setlist(key, posted_values(key, value))


def posted_values(key: str, value: Any) -> list:
    """What the browser posts for field `key` holding `value` (as `_as_value` writes
    it): several choices as they are; nothing for a multiple choice with none ticked
    (`_as_value` writes that as "", which posted would be an invalid choice); else the
    one value."""
    if isinstance(value, list):
        return value
    if key in MULTI_VALUE_FIELDS and value == "":
        return []
    return [value]


MULTI_VALUE_FIELDS = {"affected_administrations"}


def _in_thousands(form: forms.Form, name: str) -> Any:
    """A field's value for `ProposalEditor.values`, with the year grid in 1.000 kr.
    whatever unit it is typed in (and its unit fields as 1.000 kr.), so that the values
    of a page opened in mio. kr. and of one in 1.000 kr. compare field by field: a
    merged page after a refused save is shown in 1.000 kr."""
    field = form.fields[name]
    if isinstance(form, GridUnitForm):
        return prices.DEFAULT_UNIT
    if not isinstance(field, AmountField) or field.unit == prices.DEFAULT_UNIT:
        return form[name].value()
    if not form.is_bound:
        return form.get_initial_for_field(field, name)
    cleaned = getattr(form, "cleaned_data", None) or {}
    return cleaned[name] if name in cleaned else form[name].value()


def _as_value(value: Any) -> Any:
    """A field's value as the browser posts it: text ("" for nothing), a checkbox as
    "on"/"", a number as typed in the active language, several choices as a sorted
    list."""
    if isinstance(value, (list, tuple)):
        return sorted(str(v) for v in value) or ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def merge_values(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of the editor's fields (HTML name -> value) after a refused save:
    a field only one person changed gets that person's value; a field both changed to
    different values keeps the user's and is listed as a conflict. Row counts
    (TOTAL_FORMS) take the larger, so rows either person added are kept."""
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for key in dict.fromkeys([*theirs, *mine, *base]):
        b, m, t = base.get(key, ""), mine.get(key, ""), theirs.get(key, "")
        if key.endswith("-TOTAL_FORMS"):
            merged[key] = str(max(_count(m), _count(t)))
        elif m in (t, b):
            merged[key] = t
        elif t == b:
            merged[key] = m
        else:
            merged[key] = m
            conflicts.append(key)
    return merged, conflicts


def _count(value: Any) -> int:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 0
