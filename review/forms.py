"""Forms of the review pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases import limits
from cases.forms import validate_day_text
from cases.models import HearingAnswer
from cases.rendering import QuickForm
from committees.models import Committee

from .models import Recommendation
from .workflow import HEARING_BODIES


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved_on = forms.DateField(
        label=_("Approved in committee on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class HearingForm(forms.Form):
    """A hearing answer. ``bodies``: the proposal's own hearing bodies, offered first so an
    answer updates the row the proposal has (an imported proposal may name a body in its
    source's words, e.g. "Ejendomsfaglig høring"), then the standard bodies it lacks."""

    body = forms.ChoiceField(label=_("Hearing body"), choices=[(b, b) for b in HEARING_BODIES])
    answer = forms.ChoiceField(label=_("Answer"), choices=HearingAnswer.Answer.choices)
    date_text = forms.CharField(
        label=_("Date"),
        required=False,
        max_length=100,
        validators=[validate_day_text],
        help_text=_("Empty: the date already stated, otherwise today's."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = list(dict.fromkeys([*bodies, *HEARING_BODIES]))
        self.fields["body"].choices = [(b, b) for b in names]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=limits.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, required=False
    )


# Bulk actions that only mark a decision (applied later, all together).
MARKS = {"mark_adopt": True, "mark_not_adopt": False, "mark_clear": None}


class BulkForm(QuickForm):
    ACTIONS = (
        ("approve", _("Approve")),
        ("return", _("Return to the author")),
        ("forward", _("Forward to the committees")),
        ("start_hearing", _("Send to hearing")),
        ("recommend", _("Recommend in the annex")),
        ("adopt", _("Adopted")),
        ("not_adopt", _("Not adopted")),
        ("mark_adopt", _("Mark as pending: Adopted")),
        ("mark_not_adopt", _("Mark as pending: Not adopted")),
        ("mark_clear", _("Remove the pending mark")),
    )
    action = forms.ChoiceField(label=pgettext_lazy("bulk action", "Action"), choices=ACTIONS)
    committee = forms.ModelChoiceField(
        label=_("For committee"),
        help_text=_(
            "Cross-cutting proposals: the committee whose approval this is (empty: your own)."
        ),
        queryset=Committee.objects.filter(parent__isnull=True).order_by("order"),
        to_field_name="code",
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=limits.COMMENT_LENGTH)
    approved_on = forms.DateField(
        label=_("Approved in committee on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
