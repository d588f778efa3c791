"""Form widgets drawn without a template, for the pages that draw hundreds of them.

Django draws every widget through its template language: a context, a template lookup
and an {% include %} for the input, each option of a select and each list of attributes
(about 0.3 ms a widget). The editor draws a few hundred (a row's kind and area, its
order and "remove", a distribution row's committee, unit and account, the management
forms) and that was more than half of its request (issue 13). `QuickWidgets` is a form
renderer that writes Django's own simple widgets (inputs, checkboxes, selects, text
areas) in Python, with the markup of Django's templates, and hands everything else
(field groups, labels, errors, other widgets) to the site's renderer (settings.
FORM_RENDERER). A project template that overrides one of those widget templates wins:
a widget is written here only while its template is Django's own.

It also writes the site's field group (`templates/forms/field.html`: label or legend,
help text, errors, input and length hint as one unit; issue 12), which a page draws
once per field through `as_field_group` (the editor: about 60, each a template render
of its own). `field_group_html` is that template written out in Python; it is used
only while the template is the one it mirrors (`FIELD_TEMPLATE_SHA256`, the file's
hash): an edited template is drawn by the template again, and the test of this module
fails until `field_group_html` and the hash follow it.

A formset's management form (hidden fields only, drawn with django/forms/div.html)
is written here too.

Forms opt in: `default_renderer = QUICK` on a form class, `renderer=QUICK` for a
formset (its forms draw with the formset's renderer). The Django admin keeps Django's
rendering. `tests/cases/test_rendering.py` checks the markup against Django's."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django.forms
from django import forms
from django.forms.renderers import get_default_renderer
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"

# Django's widget templates that are nothing but <input> (each includes input.html).
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "hidden",
        "checkbox",
        "email",
        "url",
        "password",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
}
SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
# radio buttons and checkboxes of a choice field (each includes multiple_input.html)
MULTIPLE = {"django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"}
INPUT_OPTIONS = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
}
LABEL = "django/forms/label.html"
ERRORS = "django/forms/errors/list/default.html"
# A form drawn as a whole ({{ form }}); written here only when it has nothing but hidden
# fields and no errors (a formset's management form: the editor draws 17).
FORM_DIV = "django/forms/div.html"
WRITTEN = INPUTS | MULTIPLE | {SELECT, TEXTAREA, LABEL, ERRORS, FORM_DIV}
# The site's field group (config.forms.BilagFormRenderer.field_template_name) and the
# sha256 of the file that `field_group_html` writes out.
FIELD = "forms/field.html"
FIELD_TEMPLATE_SHA256 = "8606c20b1b2e228da7dfdb58a640a7716014391adb3bb74e04ccb99c67a0173d"


@cache
def is_djangos_own(template_name: str) -> bool:
    """True when the site's template loaders find Django's own file for `template_name`
    (no project or app template overrides it)."""
    origin = Path(get_template(template_name).origin.name)
    return origin == DJANGO_TEMPLATES / template_name


@cache
def is_mirrored_field_template(template_name: str) -> bool:
    """True when the site's `template_name` is the field template `field_group_html`
    writes (the file's sha256 is `FIELD_TEMPLATE_SHA256`)."""
    origin = Path(get_default_renderer().get_template(template_name).origin.name)
    return hashlib.sha256(origin.read_bytes()).hexdigest() == FIELD_TEMPLATE_SHA256


def all_djangos_own(*template_names: str) -> bool:
    return all(is_djangos_own(name) for name in template_names)


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing
    for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(out)


def input_html(widget: dict) -> str:
    value = widget["value"]
    given = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{given}{attributes(widget["attrs"])}>'
    )


def shown(value) -> str:
    """A value printed as {{ value }} prints it: localised, then escaped."""
    return conditional_escape(localize(value))


def option_html(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"'
        f"{attributes(option['attrs'])}>{shown(option['label'])}</option>"
    )


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html, or None when an option has a template of its
    own (then the site's renderer draws the widget)."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION or not all_djangos_own(
                SELECT_OPTION, "django/forms/widgets/attrs.html"
            ):
                return None
            out.append("\n  " + option_html(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def multiple_html(widget: dict) -> str | None:
    """django/forms/widgets/multiple_input.html (radio buttons, checkboxes), or None
    when an option has a template of its own."""
    attrs = widget["attrs"]
    out = ["<div"]
    if attrs.get("id"):
        out.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        out.append(f' class="{conditional_escape(attrs["class"])}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{shown(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS or not all_djangos_own(
                option["template_name"],
                "django/forms/widgets/input_option.html",
                "django/forms/widgets/input.html",
            ):
                return None
            out.append("<div>\n    ")
            if option["wrap_label"]:
                target = option["attrs"].get("id")
                out.append(f'<label for="{conditional_escape(target)}">' if target else "<label>")
            out.append(input_html(option) + "\n")  # input.html ends with a line break
            if option["wrap_label"]:
                out.append(f" {shown(option['label'])}</label>")
            out.append("</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


def label_html(context: dict) -> str:
    """django/forms/label.html (a field's <label> or <legend>)."""
    if not context["use_tag"]:
        return shown(context["label"])
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{shown(context['label'])}</{tag}>"


def errors_html(context: dict) -> str:
    """django/forms/errors/list/ul.html (a field's or form's errors)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    target = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{shown(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{target}>{items}</ul>'


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{shown(value) if value else ''}</textarea>"
    )


def field_group_html(field) -> str:
    """templates/forms/field.html for the bound field `field`: the field group's
    <div> (classes for an error and a required field), a <fieldset> with a <legend> for
    a widget of several inputs (radio buttons, checkboxes) or a <label>, the help text,
    the errors, the widget and the length hint, with the template's line breaks (and,
    as every renderer's output, without the final one)."""
    auto_id = field.auto_id
    classes = "field"
    errors = field.errors
    if errors:
        classes += " field-has-error"
    if field.field.required:
        classes += " field-required"
    out = [f'<div class="{classes}" id="{conditional_escape(auto_id)}_field">\n']
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        legend = conditional_escape(field.legend_tag()) if field.label else ""
        out.append(f"<fieldset{described}>{legend}\n")
    elif field.label:
        out.append(conditional_escape(field.label_tag()))
    out.append("\n")
    if field.help_text:
        target = f' id="{conditional_escape(auto_id)}_helptext"' if auto_id else ""
        out.append(f'<div class="helptext"{target}>{field.help_text}</div>')
    out.append(f"\n{conditional_escape(str(errors))}\n{conditional_escape(str(field))}\n")
    limit = getattr(field.field, "max_length", None)
    if limit and not field.is_hidden:
        hint = gettext("At most %(limit)s characters.") % {"limit": shown(limit)}
        out.append(
            f'<div class="char-count note" data-count-for="{conditional_escape(auto_id)}"'
            f' aria-live="polite">{hint}</div>'
        )
    out.append("\n</fieldset>\n</div>" if fieldset else "\n\n</div>")  # stripped, as Django's
    return "".join(out)


class QuickWidgets:
    """A form renderer: Django's simple widgets written in Python (see the module), the
    rest by the site's renderer, whose settings (field template, form template) it
    shares."""

    def __getattr__(self, name):
        return getattr(get_default_renderer(), name)

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        html = None
        if template_name == FIELD and context.keys() == {"field"}:
            if is_mirrored_field_template(template_name):
                html = field_group_html(context["field"])
        elif template_name in WRITTEN and is_djangos_own(template_name):
            if template_name == LABEL:
                html = label_html(context)
            elif template_name == ERRORS:
                if is_djangos_own("django/forms/errors/list/ul.html"):
                    html = errors_html(context)
            elif template_name == SELECT:
                html = select_html(context["widget"])
            elif template_name == TEXTAREA:
                html = textarea_html(context["widget"])
            elif template_name == FORM_DIV:
                if not context["fields"] and not context["errors"]:
                    html = "".join(str(field) for field in context["hidden_fields"])
            elif template_name in MULTIPLE:
                if is_djangos_own("django/forms/widgets/multiple_input.html"):
                    html = multiple_html(context["widget"])
            elif is_djangos_own("django/forms/widgets/input.html"):
                html = input_html(context["widget"])
        if html is None:
            return get_default_renderer().render(template_name, context, request=request)
        return mark_safe(html)


QUICK = QuickWidgets()


class QuickForm(forms.Form):
    """A form whose widgets are drawn by `QUICK`."""

    default_renderer = QUICK
