"""Number display in the active language: 1.034 and 16,67 in Danish, 1,034 in English.
Every amount shown anywhere goes through `amount` (rounded half up by the one helper)."""

import datetime
import re
from decimal import Decimal

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cases import rendering
from cases.models import Status
from cases.richtext import render as render_richtext
from cases.richtext import render_inline
from finance.formatting import format_amount
from finance.rounding import round_half_up
from ops.shell import mirrored

register = template.Library()


def _format(value, places: int) -> str:
    if value is None or value == "":
        return ""
    value = round_half_up(Decimal(str(value)), places)
    if value == 0:
        value = abs(value)  # never "-0"
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def amount_formatter(places: int):
    """`amount` for many values at once (a list's cells): a function value -> str that
    gives what `amount(value, places)` gives, with the active language's separators
    looked up once instead of per value."""
    if get_format("NUMBER_GROUPING") != 3:
        return lambda value: _format(value, places)
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    thousands = get_format("THOUSAND_SEPARATOR")

    def formatted(value) -> str:
        if value is None or value == "":
            return ""
        value = round_half_up(Decimal(str(value)), places)
        if value == 0:
            value = abs(value)  # never "-0"
        text = f"{value:,.{places}f}"
        return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)

    return formatted


@register.filter
def amount(value, places=0):
    """Thousand kroner; empty stays empty, 0 prints as 0."""
    return _format(value, int(places))


@register.filter
def amount_exact(value):
    """A figure with the decimals it has (56,33; 2.013; 6): printed and computed values
    side by side, neither rounded."""
    if value is None or value == "":
        return ""
    return format_amount(value) if not isinstance(value, bool) else str(value)


@register.filter
def mio(value):
    """Thousand kroner shown as million kroner with one decimal."""
    if value is None:
        return ""
    return _format(Decimal(str(value)) / 1000, 1)


@register.filter
def pct(value, places=2):
    if value is None:
        return ""
    return _format(value, int(places)) + " %"


@register.filter
def years(value):
    return "" if value is None else str(value)


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(value):
    """A stored workflow status ("in_hearing") as its label in the active language."""
    try:
        return Status(value).label
    except ValueError:
        return value


# Why a version of a proposal's inputs was recorded: the codes the services store, and
# the (Danish) words the workflow stored for its steps before codes were used.
VERSION_REASONS = {
    "imported": gettext_lazy("imported"),
    "saved": gettext_lazy("saved in the editor"),
    "admin": gettext_lazy("saved in the admin"),
    "submitted": gettext_lazy("submitted"),
    "hearing started": gettext_lazy("hearing started"),
    "hearing answered": gettext_lazy("hearing answered"),
    "state found without a recorded version": gettext_lazy(
        "state found without a recorded version"
    ),
}


@register.filter
def version_reason(value):
    """A version's stored reason in the active language (unknown reasons as stored)."""
    if not value:
        return ""
    if value in VERSION_REASONS:
        return VERSION_REASONS[value]
    for code, label in VERSION_REASONS.items():
        with translation.override("da"):
            if str(label) == value:
                return VERSION_REASONS[code]
    return value


# The road of a proposal through the workflow, as the step indicator shows it; the other
# statuses stand beside it (the step reached before them is shown as the last done).
STEP_ROAD = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_HEARING,
    Status.COMMITTEE_APPROVED,
    Status.RECOMMENDED,
    Status.ADOPTED,
)
ASIDE = {
    Status.RETURNED: Status.DRAFT,
    Status.REJECTED: Status.SUBMITTED,
    Status.NOT_ADOPTED: Status.RECOMMENDED,
}


@register.simple_tag
def workflow_steps(status):
    """The step indicator for a proposal in `status`: Kladde → Indsendt → I høring →
    Godkendt i udvalg → Indstillet → Vedtaget, each done, current or to come; Tilbagesendt,
    Afvist and Ikke vedtaget are said beside it. cases/_steps.html, written in Python
    (`rendering.steps_html`) while that template is the one mirrored."""
    context = step_road(status)
    if mirrored((rendering.STEPS_TEMPLATE,), rendering.STEPS_TEMPLATE_SHA256):
        return mark_safe(rendering.steps_html(context["steps"], context["aside"]))  # noqa: S308
    return get_template(rendering.STEPS_TEMPLATE).render(context)


@register.simple_tag(takes_context=True)
def price_level_form(context, choice, own, shown, error=""):
    """The "Vis i 20XX p/l" chooser (cases/_price_level_form.html with ``choice``, ``own``,
    ``shown`` and ``error``, and the page's ``keep``), written in Python
    (`rendering.price_level_form_html`) while that template is the one mirrored."""
    if mirrored((rendering.PRICE_LEVEL_TEMPLATE,), rendering.PRICE_LEVEL_TEMPLATE_SHA256):
        html = rendering.price_level_form_html(choice, own, shown, error, context.get("keep"))
        return mark_safe(html)  # noqa: S308 - every value escaped by the writer
    with context.push(choice=choice, own=own, shown=shown, error=error):
        return context.template.engine.get_template(rendering.PRICE_LEVEL_TEMPLATE).render(context)


def step_road(status) -> dict:
    """``{"steps": [{"label", "state"}, …], "aside": Status | None}`` for `status`."""
    try:
        status = Status(status)
    except ValueError:
        return {"steps": [], "aside": None}
    aside = status if status in ASIDE else None
    reached = STEP_ROAD.index(ASIDE.get(status, status))
    steps = []
    for index, step in enumerate(STEP_ROAD):
        if index < reached or (aside is not None and index == reached):
            state = "done"
        elif index == reached:
            state = "done" if step == Status.ADOPTED else "current"
        else:
            state = "todo"
        steps.append({"label": step.label, "state": state})
    return {"steps": steps, "aside": aside}


ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@register.filter
def danish_date(value):
    """A date as the annexes print it, 28-05-2020 (an ISO date string or a date);
    free text (e.g. "Afventer godkendelse") stays as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    match = ISO_DATE.match(str(value).strip())
    if match:
        year, month, day = match.groups()
        return f"{day}-{month}-{year}"
    return value


@register.filter
def richtext(text, skip=()):
    """A narrative text as safe HTML (Markdown, tab-separated tables, sanitised):
    `cases.richtext.render`. ``skip``: the tables (or captions) the page prints from the
    engine, so that a copy of one in the text is not shown twice."""
    captions = [getattr(t, "caption", t) for t in skip or ()]
    return mark_safe(render_richtext(text or "", skip_captions=captions))  # noqa: S308 (nh3-cleaned)


@register.filter
def richtext_inline(text):
    """A short text of a table cell (a hearing remark) as safe HTML:
    `cases.richtext.render_inline`."""
    return mark_safe(render_inline(str(text or "")))  # noqa: S308 (nh3-cleaned)


@register.simple_tag
def grid_rows(rows, section, spec_prefix=""):
    """The rows of a section of the editor's year grid (`cases.rendering.grid_rows_html`)."""
    return rendering.grid_rows_html(rows, section, spec_prefix or "")


@register.simple_tag
def dist_rows(forms):
    """The rows of a distribution in the editor (`cases.rendering.dist_rows_html`)."""
    return rendering.dist_rows_html(forms)


@register.simple_tag
def line_row(form, section, spec_prefix=""):
    """One line of the editor's year grid (`cases.rendering.line_row`)."""
    return rendering.line_row(form, section, spec_prefix or "")


@register.simple_tag
def spec_row(form):
    """One specification row of the year grid (`cases.rendering.spec_row`)."""
    return rendering.spec_row(form)


@register.simple_tag
def dist_row(form):
    """One row of a distribution in the editor (`cases.rendering.dist_row`)."""
    return rendering.dist_row(form)


@register.simple_tag
def section_row(form):
    """A further narrative section in the editor (`cases.rendering.section_row`)."""
    return rendering.section_row(form)


@register.simple_tag
def criterion_row(form):
    """A success criterion in the editor (`cases.rendering.criterion_row`)."""
    return rendering.criterion_row(form)
