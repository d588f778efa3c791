"""The editor's error summary: one entry per error, each a link to its field.

GOV.UK's and DKFDS's error summary pattern: the summary names the field and the problem,
and the link moves the focus to the input (its id), so a long form can be corrected from
the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import SUBJECT_LABELS

# The headings of the editor's formsets, by prefix (as on the page).
FORMSET_HEADINGS = {
    "perm": gettext_lazy("Permanent changes"),
    "impl": gettext_lazy("Implementation costs"),
    "admin": gettext_lazy("Permanent changes, administration"),
    "perm-spec": gettext_lazy("Permanent changes, specification"),
    "impl-spec": gettext_lazy("Implementation costs, specification"),
    "fte": gettext_lazy("Full-time equivalents"),
    "followup": gettext_lazy("Follow-up"),
    "hearing": gettext_lazy("Who has been heard?"),
    "section": gettext_lazy("Other sections"),
}


@dataclass(frozen=True)
class ErrorLink:
    """`target` is the id of the input to focus ("id_perm-0-y2024"); `place` says where
    the field is ("Permanent changes, line 2 “Energi”, 2024"); `message` the problem."""

    target: str
    place: str
    message: str


def _heading(prefix: str) -> str:
    if prefix in FORMSET_HEADINGS:
        return str(FORMSET_HEADINGS[prefix])
    subject = prefix.removeprefix("dist-").removesuffix("-rows")
    if subject in SUBJECT_LABELS:
        return _("Distribution: %(subject)s") % {"subject": SUBJECT_LABELS[subject]}
    return _("Distribution between committees")


def _input_id(bound: forms.BoundField) -> str:
    """The id of the input a link to the field focuses: the field's own, or for a group
    of radio buttons or checkboxes the first input's ("id_risk_level_0"; the group's own
    id is its wrapping <div>, which cannot take the focus)."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        first = next(iter(bound.subwidgets), None)
        if first is not None and first.id_for_label:
            return first.id_for_label
    return bound.auto_id or ""


def _form_links(form: forms.Form, place: str = "") -> list[ErrorLink]:
    links = []
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            target = ""
            label = place
        else:
            bound = form[name]
            target = _input_id(bound)
            label = f"{place}, {bound.label}" if place else str(bound.label)
        for message in errors:
            links.append(ErrorLink(target, label, str(message)))
    return links


def _row_place(formset_prefix: str, form: forms.Form, number: int) -> str:
    heading = _heading(formset_prefix)
    text = ""
    for name in ("label", "body", "heading", "criterion", "committee"):
        if name in form.fields:
            text = str(form[name].value() or "").strip()
            break
    if text:
        return _("%(heading)s, row %(number)d “%(text)s”") % {
            "heading": heading,
            "number": number,
            "text": text[:40],
        }
    return _("%(heading)s, row %(number)d") % {"heading": heading, "number": number}


def error_links(all_forms) -> list[ErrorLink]:
    """Every error of the given forms and formsets, in page order, each with its target.

    `all_forms` yields forms and formsets (as `ProposalEditor.all_forms`)."""
    links: list[ErrorLink] = []
    for item in all_forms:
        if isinstance(item, forms.BaseFormSet):
            for message in item.non_form_errors():
                links.append(ErrorLink(f"body-{item.prefix}", _heading(item.prefix), str(message)))
            for number, form in enumerate(item.forms, start=1):
                if form.errors:
                    links += _form_links(form, _row_place(item.prefix, form, number))
        elif item.prefix in FORMSET_HEADINGS:  # full-time equivalents, a section's unit
            links += _form_links(item, _heading(item.prefix))
        else:
            links += _form_links(item)
    return links
