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
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from ops.shell import esc, mirrored, shown

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
            out.append(f" {esc(name)}")
        else:
            out.append(f' {esc(name)}="{esc(value)}"')
    return "".join(out)


def input_html(widget: dict) -> str:
    value = widget["value"]
    given = "" if value is None else f' value="{esc(value)}"'
    return (
        f'<input type="{esc(widget["type"])}" '
        f'name="{esc(widget["name"])}"{given}{attributes(widget["attrs"])}>'
    )


# Widgets a bound field's <input> is written for at once (`quick_input`).
QUICK_INPUTS = {forms.TextInput, forms.NumberInput, forms.CheckboxInput}


def quick_input(field) -> str:
    """``{{ field }}`` for a bound field with a plain text, number or checkbox input (a
    row's order and "remove", a distribution row's text fields): the markup
    `QuickWidgets` writes, without the widget's context (a few hundred per editor page;
    issue 13). Any other field, or one with errors, help text, a disabled or localised
    input or an id of its own, and any form not drawn by `QUICK`, goes through Django
    (``str(field)``)."""
    widget = field.field.widget
    kind = type(widget)
    options = field.field
    if (
        kind not in QUICK_INPUTS
        or not isinstance(field.form.renderer, QuickWidgets)
        or options.disabled
        or options.localize
        or widget.is_localized
        or options.help_text
        or "id" in widget.attrs
        or not field.auto_id
        or field.errors
        or not all_djangos_own(widget.template_name, "django/forms/widgets/input.html")
        or not all_djangos_own("django/forms/widgets/attrs.html")
    ):
        return str(field)
    value = field.value()
    attrs = dict(widget.attrs)
    if (
        options.required
        and field.form.use_required_attribute
        and widget.use_required_attribute(field.initial)
    ):
        attrs["required"] = True
    attrs["id"] = field.auto_id
    if kind is forms.CheckboxInput and widget.check_test(value):
        attrs["checked"] = True
    return input_html(
        {
            "type": widget.input_type,
            "name": field.html_name,
            "value": widget.format_value(value),
            "attrs": attrs,
        }
    )


def hidden_html(field) -> str:
    """A bound hidden field as Django's HiddenInput draws it (a management form's
    counts: name, value, id), written at once; any other widget, or one with attributes
    of its own, is drawn by its widget."""
    widget = field.field.widget
    if type(widget) is not forms.HiddenInput or widget.attrs or not field.auto_id:
        return str(field)
    value = widget.format_value(field.value())
    given = "" if value is None else f' value="{esc(value)}"'
    return f'<input type="hidden" name="{esc(field.html_name)}"{given} id="{esc(field.auto_id)}">'


def option_html(option: dict) -> str:
    return (
        f'<option value="{esc(option["value"])}"'
        f"{attributes(option['attrs'])}>{shown(option['label'])}</option>"
    )


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html, or None when an option has a template of its
    own (then the site's renderer draws the widget)."""
    out = [f'<select name="{esc(widget["name"])}"{attributes(widget["attrs"])}>']
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
        out.append(f' id="{esc(attrs["id"])}"')
    if attrs.get("class"):
        out.append(f' class="{esc(attrs["class"])}"')
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
                out.append(f'<label for="{esc(target)}">' if target else "<label>")
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
    tag = esc(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{shown(context['label'])}</{tag}>"


def errors_html(context: dict) -> str:
    """django/forms/errors/list/ul.html (a field's or form's errors)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    target = f' id="{esc(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{shown(error)}</li>" for error in errors)
    return f'<ul class="{esc(context["error_class"])}"{target}>{items}</ul>'


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{esc(widget["name"])}"{attributes(widget["attrs"])}>\n'
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
    out = [f'<div class="{classes}" id="{esc(auto_id)}_field">\n']
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{esc(described)}"' if described else ""
        legend = esc(field.legend_tag()) if field.label else ""
        out.append(f"<fieldset{described}>{legend}\n")
    elif field.label:
        out.append(esc(field.label_tag()))
    out.append("\n")
    if field.help_text:
        target = f' id="{esc(auto_id)}_helptext"' if auto_id else ""
        out.append(f'<div class="helptext"{target}>{field.help_text}</div>')
    out.append(f"\n{esc(str(errors))}\n{esc(str(field))}\n")
    limit = getattr(field.field, "max_length", None)
    if limit and not field.is_hidden:
        hint = gettext("At most %(limit)s characters.") % {"limit": shown(limit)}
        out.append(
            f'<div class="char-count note" data-count-for="{esc(auto_id)}"'
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
                    html = "".join(hidden_html(field) for field in context["hidden_fields"])
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


# --------------------------------------------------------------------------- grid rows
# The editor's year grid and distribution rows (cases/templates/cases/editor/: a line,
# a specification, a distribution row, their year cells and row tools) written out in
# Python: the templates drew each row through three or four includes and a few hundred
# variable lookups (17 ms of the editor's request; issue 13). Used only while those
# templates are the ones mirrored (`ROW_TEMPLATES_SHA256`, the hash of the files in this
# order); tests/cases/test_rendering.py compares every row with its template.
ROW_TEMPLATES = tuple(
    f"cases/editor/{name}.html"
    for name in (
        "_line_row",
        "_spec_row",
        "_dist_row",
        "_cells",
        "_row_tools",
        "_section_row",
        "_criterion_row",
        "_row_tools_inline",
    )
)
ROW_TEMPLATES_SHA256 = "d89b6d41eecf04e6891433ce31f0159163a9bfdfca0fb7bfda149770111213c7"


def rows_are_mirrored() -> bool:
    """True when the site's row templates (`ROW_TEMPLATES`) are the files the functions
    below write (their joint sha256 is `ROW_TEMPLATES_SHA256`; `ops.shell.mirrored`)."""
    return mirrored(ROW_TEMPLATES, ROW_TEMPLATES_SHA256)


# The texts of the rows' tools and labels, translated once per language (a row asked
# gettext for each, about 200 times per editor page).
ROW_TEXTS = (
    gettext_noop("+ Specification"),
    gettext_noop("Control area"),
    gettext_noop("Move down"),
    gettext_noop("Move up"),
    gettext_noop("Order"),
    gettext_noop("Remove"),
    gettext_noop("Saving or cost"),
    gettext_noop("Specification"),
    gettext_noop("Text of the line"),
    gettext_noop("Text of the specification"),
)


@cache
def _row_texts(language: str | None) -> dict[str, str]:
    return {message: gettext(message) for message in ROW_TEXTS}


def row_texts() -> dict[str, str]:
    """`ROW_TEXTS` in the active language: message -> translation (not escaped)."""
    return _row_texts(get_language())


def _joined(errors) -> str:
    """``{{ errors|join:" " }}``: each message escaped, joined by a space."""
    return " ".join(esc(error) for error in errors)


def cells_html(cells) -> str:
    """cases/editor/_cells.html: a row's year cells (`YearCellsMixin.cells`)."""
    out = []
    for cell in cells:
        css = ' class="cell-num has-error"' if cell.errors else ' class="cell-num"'
        cell_id = esc(cell.id)
        value = f' value="{esc(cell.value)}"' if cell.value else ""
        invalid = f' aria-invalid="true" aria-describedby="{cell_id}_error"' if cell.errors else ""
        error = (
            f'<span class="cell-error" id="{cell_id}_error">{_joined(cell.errors)}</span>'
            if cell.errors
            else ""
        )
        out.append(
            f'<td{css} data-year="{esc(cell.year)}"><input type="text" '
            f'name="{esc(cell.name)}"{value} inputmode="decimal" '
            f'autocomplete="off" class="{esc(cell.css)}" size="8" '
            f'aria-labelledby="{esc(cell.labelledby)}"{invalid} '
            f'id="{cell_id}">{error}</td>'
        )
    return "".join(out) + "\n"


def row_tools_html(form) -> str:
    """cases/editor/_row_tools.html: order, move up/down and "remove" of a row."""
    texts = row_texts()
    order = form["ORDER"]
    return (
        '<td class="row-tools">\n'
        f'    <label class="visually-hidden" for="{esc(order.auto_id)}">'
        f"{esc(texts['Order'])}</label>{quick_input(order)}\n"
        '    <button type="button" class="button button-small js-only" data-move="up" '
        f'aria-label="{esc(texts["Move up"])}">↑</button>\n'
        '    <button type="button" class="button button-small js-only" data-move="down" '
        f'aria-label="{esc(texts["Move down"])}">↓</button>\n'
        f'    <label class="remove">{quick_input(form["DELETE"])} {esc(texts["Remove"])}'
        "</label>\n  </td>\n"
    )


def _row_label_html(label, rows: int, aria_label: str) -> str:
    """The text area of a line or specification and its error."""
    label_id = esc(label.auto_id)
    value = label.value()
    errors = label.errors
    invalid = f' aria-invalid="true" aria-describedby="{label_id}_error"' if errors else ""
    error = (
        f'<span class="cell-error" id="{label_id}_error">{_joined(errors)}</span>' if errors else ""
    )
    return (
        f'<textarea name="{esc(label.html_name)}" id="{label_id}" '
        f'rows="{rows}" class="cell-text" aria-label="{esc(aria_label)}"'
        f"{invalid}>{esc('' if value is None else value)}</textarea>\n"
        f"    {error}"
    )


def line_row_html(form, section: str, spec_prefix: str = "") -> str:
    """cases/editor/_line_row.html: a line of the grid (text, kind and area unless it
    is an administration line, year cells, row tools)."""
    texts = row_texts()
    out = [
        '<tr class="grid-row" data-row>\n  <td class="cell-label sticky-col">\n    ',
        _row_label_html(form["label"], 2, texts["Text of the line"]),
        "\n    ",
    ]
    if spec_prefix:
        prefix = esc(spec_prefix)
        index = esc(form.index_text)
        out.append(
            f'<button type="submit" name="add-spec" value="{prefix}:{index}" '
            f'class="button button-small add-spec" data-add-spec="{prefix}" '
            f'data-line="{index}" formnovalidate>'
            f"{esc(texts['+ Specification'])}</button>"
        )
    out.append("\n  </td>\n  ")
    if section != "administration":
        kind, area = form["kind"], form["area"]
        out.append(
            f'\n  <td><label class="visually-hidden" for="{esc(kind.auto_id)}">'
            f"{esc(texts['Saving or cost'])}</label>{kind}</td>\n"
            f'  <td><label class="visually-hidden" for="{esc(area.auto_id)}">'
            f"{esc(texts['Control area'])}</label>{area}</td>\n  "
        )
    else:
        out.append('<td colspan="2"></td>')
    out += ["\n  ", cells_html(form.cells()), "\n  ", row_tools_html(form), "\n</tr>\n"]
    return "".join(out)


def spec_row_html(form) -> str:
    """cases/editor/_spec_row.html: a specification row under a line."""
    texts = row_texts()
    line = form["line"]
    value = line.value()
    order = form["ORDER"]
    return (
        '<tr class="grid-row spec-row" data-spec-row>\n'
        '  <td class="cell-label sticky-col spec-label">\n'
        f'    <input type="hidden" name="{esc(line.html_name)}" '
        f'id="{esc(line.auto_id)}" '
        f'value="{esc("" if value is None else value)}" data-spec-line>\n'
        '    <span class="spec-mark" aria-hidden="true">↳</span>\n    '
        + _row_label_html(form["label"], 1, texts["Text of the specification"])
        + "\n  </td>\n"
        f'  <td colspan="2" class="spec-note">{esc(texts["Specification"])}'
        "</td>\n  " + cells_html(form.cells()) + '\n  <td class="row-tools">\n'
        f'    <label class="visually-hidden" for="{esc(order.auto_id)}">'
        f"{esc(texts['Order'])}</label>{quick_input(order)}\n"
        f'    <label class="remove">{quick_input(form["DELETE"])} {esc(texts["Remove"])}'
        "</label>\n  </td>\n</tr>\n"
    )


def dist_row_html(form) -> str:
    """cases/editor/_dist_row.html: a row of a distribution between committees."""
    out = ['<tr class="grid-row" data-row>\n  ']
    for field in form.row_fields():
        errors = field.errors
        css = ("cell-num" if field.name == "weight" else "") + (" has-error" if errors else "")
        field_id = esc(field.auto_id)
        error = (
            f'<span class="cell-error" id="{field_id}_error">{_joined(errors)}</span>'
            if errors
            else ""
        )
        out.append(
            f'\n  <td class="{css}">\n'
            f'    <label class="visually-hidden" for="{field_id}">'
            f"{esc(field.label)}</label>{quick_input(field)}\n"
            f"    {error}\n  </td>\n  "
        )
    out += ["\n  ", cells_html(form.cells()), "\n  ", row_tools_html(form), "\n</tr>\n"]
    return "".join(out)


def row_tools_inline_html(form) -> str:
    """cases/editor/_row_tools_inline.html: order, move and "remove" of a row drawn as
    a block (a narrative section, a success criterion)."""
    texts = row_texts()
    order = form["ORDER"]
    return (
        f'<label for="{esc(order.auto_id)}">{esc(texts["Order"])}'
        f"</label> {quick_input(order)}\n"
        '<button type="button" class="button button-small js-only" data-move="up" '
        f'aria-label="{esc(texts["Move up"])}">↑</button>\n'
        '<button type="button" class="button button-small js-only" data-move="down" '
        f'aria-label="{esc(texts["Move down"])}">↓</button>\n'
        f'<label class="remove">{quick_input(form["DELETE"])} {esc(texts["Remove"])}'
        "</label>\n"
    )


def _block_row_html(form, css: str, names: tuple[str, ...]) -> str:
    groups = "".join(f"  {form[name].as_field_group()}\n" for name in names)
    return (
        f'<div class="{css}" data-row>\n{groups}'
        f'  <div class="row-tools-inline">{row_tools_inline_html(form)}</div>\n</div>\n'
    )


def section_row_html(form) -> str:
    """cases/editor/_section_row.html: a further narrative section (heading, text)."""
    return _block_row_html(form, "subform", ("heading", "text"))


def criterion_row_html(form) -> str:
    """cases/editor/_criterion_row.html: a success criterion of the follow-up plan."""
    return _block_row_html(
        form,
        "subform grid-5",
        ("criterion", "how_measured", "how_achieved", "responsible", "when"),
    )


def _row_or_template(template_name: str, html, context: dict) -> str:
    if rows_are_mirrored():
        return mark_safe(html())  # noqa: S308 - every value escaped by the writers above
    return get_template(template_name).render(context)


def line_row(form, section: str, spec_prefix: str = "") -> str:
    """A line of the grid: `line_row_html`, or its template when that was edited."""
    context = {"form": form, "section": section, "spec_prefix": spec_prefix}
    return _row_or_template(
        ROW_TEMPLATES[0], lambda: line_row_html(form, section, spec_prefix), context
    )


def spec_row(form) -> str:
    """A specification row: `spec_row_html`, or its template when that was edited."""
    return _row_or_template(ROW_TEMPLATES[1], lambda: spec_row_html(form), {"form": form})


def dist_row(form) -> str:
    """A distribution row: `dist_row_html`, or its template when that was edited."""
    return _row_or_template(ROW_TEMPLATES[2], lambda: dist_row_html(form), {"form": form})


def section_row(form) -> str:
    """A narrative section row: `section_row_html`, or its template when edited."""
    return _row_or_template(ROW_TEMPLATES[5], lambda: section_row_html(form), {"form": form})


def criterion_row(form) -> str:
    """A success criterion row: `criterion_row_html`, or its template when edited."""
    return _row_or_template(ROW_TEMPLATES[6], lambda: criterion_row_html(form), {"form": form})


def grid_rows_html(rows, section: str, spec_prefix: str = "") -> str:
    """The rows of a section of the year grid, ``rows`` as `ProposalEditor.grid` gives
    them (each line form, or None, with its specification forms): what
    cases/editor/_grid_body.html drew by including _line_row.html and _spec_row.html."""
    out = []
    for form, specs in rows:
        if form:
            out.append(line_row(form, section, spec_prefix))
        out.extend(spec_row(spec) for spec in specs)
    return mark_safe("".join(out))  # noqa: S308 - rows escaped by their writers


def dist_rows_html(forms) -> str:
    """The rows of a distribution (cases/editor/_dist_row.html for each form)."""
    return mark_safe("".join(dist_row(form) for form in forms))  # noqa: S308 - as above


# --------------------------------------------------------------------------- page parts
# The proposal page's step indicator and p/l chooser (also on the case page and the
# catalogue), written out in Python like the rows above: drawn by their templates they
# were a third of the page's own rendering (two includes, 16 options, a dozen
# translations; issue 13). Each is used only while its template is the file it mirrors
# (`ops.shell.mirrored` with the file's sha256); tests/cases/test_rendering.py compares
# them with the templates.
STEPS_TEMPLATE = "cases/_steps.html"
STEPS_TEMPLATE_SHA256 = "44a2871f4cce2857a06f040d0e4d9dadd4efb62a93df92b0bdc65073a4d7d3ae"
PRICE_LEVEL_TEMPLATE = "cases/_price_level_form.html"
PRICE_LEVEL_TEMPLATE_SHA256 = "af5db9d0ea533a4c2fca7454a07742b510d187fd53c54452696706b48cb27229"


def steps_html(steps: list[dict], aside) -> str:
    """cases/_steps.html: ``steps`` as `bilag.workflow_steps` gives them (label, state:
    done, current or todo), ``aside`` a status said beside the road or None."""
    out = [
        '<nav class="step-indicator" aria-label="'
        f'{esc(gettext("Where the proposal is"))}">\n  <ol class="step-list">\n  '
    ]
    done, now = esc(gettext("(done)")), esc(gettext("(now)"))
    for number, step in enumerate(steps, 1):
        state = step["state"]
        current = ' aria-current="step"' if state == "current" else ""
        marker = "✓" if state == "done" else shown(number)
        hidden = done if state == "done" else now if state == "current" else ""
        out.append(
            f'\n    <li class="step step-{esc(state)}"{current}>\n'
            f'      <span class="step-marker" aria-hidden="true">{marker}</span>\n'
            f'      <span class="step-label">{shown(step["label"])}</span>\n'
            f'      <span class="visually-hidden">{hidden}</span>\n    </li>\n  '
        )
    out.append("\n  </ol>\n  ")
    if aside:
        out.append(
            f'<p class="step-aside status status-{shown(aside.value)}">{shown(aside.label)}</p>'
        )
    out.append("\n</nav>\n")
    return "".join(out)


def _year(value) -> str:
    """``value|stringformat:"d"``."""
    try:
        return "%d" % value  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        return ""


def price_level_form_html(choice, own, shown_level, error, keep=()) -> str:
    """cases/_price_level_form.html: the "Vis i 20XX p/l" chooser for `choice`
    (`cases.price_levels.PriceLevelChoice`), the page's own p/l `own`, the p/l shown
    `shown_level`, a refusal `error`, and the page's other parameters `keep` ((name,
    value) pairs kept as hidden fields)."""
    out = ['\n<form method="get" class="inline-form price-level-form">\n  ']
    for name, value in keep or ():
        out.append(f'<input type="hidden" name="{shown(name)}" value="{shown(value)}">')
    own_label = gettext("%(year)s p/l (own)") % {"year": esc(_year(own))}
    out.append(
        '\n  <label for="pl">'
        f"{esc(gettext('Show in price level'))}</label>\n"
        '  <select id="pl" name="pl">\n'
        f'    <option value="">{own_label}</option>\n    '
    )
    for year in choice.levels:
        if year != own:
            text = esc(_year(year))
            selected = " selected" if year == shown_level else ""
            out.append(f'<option value="{text}"{selected}>{text} p/l</option>')
    out.append(
        '\n  </select>\n  <button type="submit" class="button">'
        f"{esc(gettext('Show'))}</button>\n</form>\n"
    )
    if error:
        out.append(f'<p class="message error" role="alert">{shown(error)}</p>')
    out.append("\n")
    return "".join(out)
