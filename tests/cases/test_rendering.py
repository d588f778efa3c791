"""The editor's and the case list's widgets drawn without templates (cases.rendering,
issue 13) are exactly what Django's templates draw: the same pages, byte for byte but
for whitespace between tags, with and without errors, in both languages."""

import re

import pytest
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from cases import rendering
from cases.forms import ProposalEditor, proposal_data
from cases.models import Proposal, Status
from cases.price_levels import PriceLevelChoice
from cases.rendering import (
    FIELD,
    FORM_DIV,
    PRICE_LEVEL_TEMPLATE,
    PRICE_LEVEL_TEMPLATE_SHA256,
    QUICK,
    QUICK_INPUTS,
    ROW_TEMPLATES,
    STEPS_TEMPLATE,
    STEPS_TEMPLATE_SHA256,
    QuickWidgets,
    criterion_row_html,
    dist_row_html,
    field_group_html,
    grid_rows_html,
    is_djangos_own,
    is_mirrored_field_template,
    line_row_html,
    price_level_form_html,
    quick_input,
    rows_are_mirrored,
    section_row_html,
    spec_row_html,
    steps_html,
)
from cases.selectors import proposals_with_inputs
from cases.templatetags.bilag import step_road
from ops.shell import mirrored

from .formdata import as_post, form_data

pytestmark = pytest.mark.django_db


def normalised(html: bytes) -> str:
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'name="base" value="[^"]+"', "", text)  # signed with the time
    return re.sub(r">\s+<", "><", text).strip()


def same(quick: bytes, django: bytes) -> None:
    """The two pages are equal; else the first difference with some context."""
    a, b = normalised(quick), normalised(django)
    if a != b:
        at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
        assert a[at - 300 : at + 200] == b[at - 300 : at + 200]
    assert a == b


def by_django(monkeypatch):
    """Every widget drawn by the site's renderer (Django's templates) from now on."""
    monkeypatch.setattr(rendering, "quick_input", str)
    monkeypatch.setattr(
        QuickWidgets,
        "render",
        lambda self, name, context, request=None: get_default_renderer().render(
            name, context, request=request
        ),
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_editor_is_drawn_as_djangos_templates_draw_it(
    client, central_user, reference_catalogs, monkeypatch, language
):
    client.force_login(central_user)
    client.cookies["django_language"] = language
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC01")
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    page = client.get(url)
    # a post with errors: a cell that is no number, a missing text, markup in a text
    post = as_post(
        form_data(page.content),
        action="save",
        **{"perm-0-y2021": "12a", "perm-0-label": "", "title": '<b>"Lys" & mørke</b>'},
    )
    quick_get, quick_post = client.get(url), client.post(url, post)
    assert b'aria-invalid="true"' in quick_post.content
    by_django(monkeypatch)
    same(quick_get.content, client.get(url).content)
    same(quick_post.content, client.post(url, post).content)


def test_the_case_list_filter_and_bulk_form_are_drawn_as_django_draws_them(
    client, central_user, reference_catalogs, monkeypatch
):
    client.force_login(central_user)
    url = reverse("review:case_list") + "?status=draft&committee=KFU&payback_min=x&waiting=on"
    quick = client.get(url)
    by_django(monkeypatch)
    same(quick.content, client.get(url).content)


def test_a_widget_template_of_the_project_is_not_bypassed(settings, tmp_path):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "select.html").write_text("<select></select>")
    assert is_djangos_own("django/forms/widgets/select.html")
    is_djangos_own.cache_clear()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    try:
        assert not is_djangos_own("django/forms/widgets/select.html")
    finally:
        is_djangos_own.cache_clear()


def bound_fields(editor: ProposalEditor):
    for form in editor.all_forms():
        forms = form.forms if hasattr(form, "forms") else [form]
        for each in forms:
            yield from each


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_field_group_of_the_editor_is_the_field_templates_markup(
    client, central_user, reference_catalogs, language
):
    """`field_group_html` writes templates/forms/field.html byte for byte: label or
    legend, help text, errors (with their ids), input (aria-invalid, aria-describedby),
    length hint; for every field of the editor, shown and posted with errors. The
    formsets' management forms are Django's div.html byte for byte."""
    proposal = proposals_with_inputs().get(catalog__key="investment-2021", number="BC01")
    client.force_login(central_user)
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    posted = as_post(
        form_data(client.get(url).content),
        action="save",
        **{"perm-0-y2021": "12a", "title": "", "number": "x" * 99, "risk_level": "?",
           "followup-0-criterion": "k" * 5000, "hearing-0-answer": "nej?"},
    )  # fmt: skip
    data = QueryDict(mutable=True)
    for key, values in posted.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    with translation.override(language):
        shown = ProposalEditor(
            initial=proposal_data(proposal), proposal=proposal, user=central_user
        )
        bound = ProposalEditor(
            data, initial=proposal_data(proposal), proposal=proposal, user=central_user
        )
        assert not bound.is_valid()
        compared = errors = fieldsets = fieldset_errors = quick_inputs = 0
        for editor in (shown, bound):
            for field in bound_fields(editor):
                expected = get_default_renderer().render(FIELD, {"field": field})
                assert field_group_html(field) == expected, field.html_name
                assert quick_input(field) == str(field), field.html_name
                quick_inputs += type(field.field.widget) in QUICK_INPUTS
                compared += 1
                errors += bool(field.errors)
                fieldsets += field.use_fieldset
                fieldset_errors += field.use_fieldset and bool(field.errors)
            for formset in editor.formsets():
                management = formset.management_form
                expected = get_default_renderer().render(FORM_DIV, management.get_context())
                assert str(management) == expected, formset.prefix
                assert expected.count("<input") == 4
    assert compared > 200 and errors >= 5 and fieldsets >= 6 and fieldset_errors >= 1
    assert quick_inputs > 100


def test_the_field_template_is_the_one_written_in_python():
    """Changed templates/forms/field.html? Change `cases.rendering.field_group_html` to
    write the same and put the file's new sha256 in `FIELD_TEMPLATE_SHA256`; until then
    the template draws every field group (slower, never different)."""
    assert is_mirrored_field_template(FIELD)


def test_an_edited_field_template_draws_the_field_groups(settings, tmp_path, reference_catalogs):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "field.html").write_text("<p>{{ field.label }}</p>")
    is_mirrored_field_template.cache_clear()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    try:
        editor = ProposalEditor(initial=None, user=None)
        field = editor.header["title"]
        assert editor.header.renderer is QUICK
        assert field.as_field_group() == f"<p>{field.label}</p>"
    finally:
        is_mirrored_field_template.cache_clear()


SPEC_PREFIXES = {"permanent": "perm-spec", "implementation": "impl-spec", "administration": ""}


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_grid_and_distribution_row_is_its_templates_markup(
    client, central_user, reference_catalogs, language
):
    """`line_row_html`, `spec_row_html` and `dist_row_html` write the editor's row
    templates (cases/editor/_line_row.html, _spec_row.html, _dist_row.html with their
    _cells.html and _row_tools.html) byte for byte, for every row of BC01 shown and
    posted with errors (a cell that is no number, a missing text, markup in a text),
    the success criteria and further sections (_criterion_row.html, _section_row.html
    with _row_tools_inline.html), and the empty rows the page keeps for "add a row"."""
    proposal = proposals_with_inputs().get(catalog__key="investment-2021", number="BC01")
    client.force_login(central_user)
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    posted = as_post(
        form_data(client.get(url).content),
        action="save",
        **{"perm-0-y2021": "12a", "perm-0-label": "", "perm-1-label": '<b>"x" & y</b>',
           "dist-permanent_service_saving-rows-0-weight": "x",
           "perm-spec-TOTAL_FORMS": "2", "perm-spec-0-line": "0", "perm-spec-0-label": "a <i>",
           "perm-spec-0-y2022": "1,2,3", "perm-spec-1-line": "1", "perm-spec-1-label": "b",
           "perm-spec-1-y2023": "4", "followup-0-criterion": "k" * 5000},
    )  # fmt: skip
    data = QueryDict(mutable=True)
    for key, values in posted.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    templates = {name: get_template(name) for name in ROW_TEMPLATES}
    with translation.override(language):
        shown = ProposalEditor(
            initial=proposal_data(proposal), proposal=proposal, user=central_user
        )
        bound = ProposalEditor(
            data, initial=proposal_data(proposal), proposal=proposal, user=central_user
        )
        assert not bound.is_valid()
        compared = {"line": 0, "spec": 0, "dist": 0, "block": 0, "errors": 0}
        for editor in (shown, bound):
            for section, rows in editor.grid.items():
                spec_prefix = SPEC_PREFIXES[section]
                for form, specs in rows:
                    lines = [form] if form else []
                    for line in lines:
                        context = {"form": line, "section": section, "spec_prefix": spec_prefix}
                        expected = templates["cases/editor/_line_row.html"].render(context)
                        assert line_row_html(line, section, spec_prefix) == expected
                        compared["line"] += 1
                        compared["errors"] += bool(line.errors)
                    for spec in specs:
                        expected = templates["cases/editor/_spec_row.html"].render({"form": spec})
                        assert spec_row_html(spec) == expected
                        compared["spec"] += 1
                        compared["errors"] += bool(spec.errors)
            for _subject, _basis, rows in editor.distributions:
                for form in [*rows, rows.empty_form]:
                    expected = templates["cases/editor/_dist_row.html"].render({"form": form})
                    assert dist_row_html(form) == expected
                    compared["dist"] += 1
                    compared["errors"] += bool(form.errors)
            blocks = {"followup": criterion_row_html, "section": section_row_html}
            for formset in (editor.followup, editor.other_sections):
                write = blocks[formset.prefix]
                name = "criterion" if formset.prefix == "followup" else "section"
                template = templates[f"cases/editor/_{name}_row.html"]
                for form in [*formset, formset.empty_form]:
                    assert write(form) == template.render({"form": form}), form.prefix
                    compared["block"] += 1
                    compared["errors"] += bool(form.errors)
            for formset in editor.formsets():
                if formset.prefix in ("perm", "impl", "admin"):
                    section = {"perm": "permanent", "impl": "implementation"}.get(
                        formset.prefix, "administration"
                    )
                    empty = formset.empty_form
                    context = {"form": empty, "section": section,
                               "spec_prefix": SPEC_PREFIXES[section]}  # fmt: skip
                    expected = templates["cases/editor/_line_row.html"].render(context)
                    assert line_row_html(empty, section, SPEC_PREFIXES[section]) == expected
                elif formset.prefix in ("perm-spec", "impl-spec"):
                    empty = formset.empty_form
                    expected = templates["cases/editor/_spec_row.html"].render({"form": empty})
                    assert spec_row_html(empty) == expected
    assert compared["line"] >= 4 and compared["spec"] >= 2 and compared["dist"] >= 4
    assert compared["block"] >= 6 and compared["errors"] >= 4, compared


def test_the_row_templates_are_the_ones_written_in_python():
    """Changed a template of cases/editor/ in `ROW_TEMPLATES`? Change the function of
    cases.rendering that writes it and put the files' new sha256 in
    `ROW_TEMPLATES_SHA256`; until then the templates draw the rows (slower, never
    different)."""
    assert rows_are_mirrored()


def test_edited_row_templates_draw_the_rows(settings, tmp_path, reference_catalogs):
    (tmp_path / "cases" / "editor").mkdir(parents=True)
    (tmp_path / "cases" / "editor" / "_line_row.html").write_text("<tr>{{ section }}</tr>")
    mirrored.cache_clear()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    try:
        proposal = proposals_with_inputs().get(catalog__key="investment-2021", number="BC01")
        editor = ProposalEditor(initial=proposal_data(proposal), proposal=proposal, user=None)
        assert grid_rows_html(editor.grid["permanent"], "permanent", "perm-spec").startswith(
            "<tr>permanent</tr>"
        )
    finally:
        mirrored.cache_clear()


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_step_indicator_is_its_templates(language):
    """`rendering.steps_html` is cases/_steps.html for every status (and an unknown one)."""
    template = get_template(STEPS_TEMPLATE)
    with translation.override(language):
        for status in [*Status.values, "unknown"]:
            road = step_road(status)
            assert steps_html(road["steps"], road["aside"]) == template.render(road), status


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_price_level_chooser_is_its_templates(language):
    """`rendering.price_level_form_html` is cases/_price_level_form.html: own p/l left
    out of the list, the shown one selected, a refusal, the page's kept parameters."""
    template = get_template(PRICE_LEVEL_TEMPLATE)
    levels = [2018, 2019, 2020, 2021, 2024]
    cases = [
        (PriceLevelChoice(levels=levels), 2021, 2021, "", ()),
        (PriceLevelChoice(year=2024, levels=levels), 2021, 2024, "", (("q", 'a"<b>'),)),
        (PriceLevelChoice(levels=[]), None, None, "“x<y>” er ikke et år.", ()),
        (PriceLevelChoice(levels=levels), 2030, 2018, "", (("a", 1), ("b", "2"))),
    ]
    with translation.override(language):
        for choice, own, shown, error, keep in cases:
            context = {"choice": choice, "own": own, "shown": shown, "error": error, "keep": keep}
            expected = template.render(context)
            assert price_level_form_html(choice, own, shown, error, keep) == expected
            assert "selected" in expected or shown is None or shown == own


def test_the_page_part_templates_are_the_ones_written_in_python():
    """Changed cases/_steps.html or cases/_price_level_form.html? Change the function of
    cases.rendering that writes it and put the file's new sha256 beside it; until then
    the template draws it (slower, never different)."""
    assert mirrored((STEPS_TEMPLATE,), STEPS_TEMPLATE_SHA256)
    assert mirrored((PRICE_LEVEL_TEMPLATE,), PRICE_LEVEL_TEMPLATE_SHA256)


def test_edited_page_part_templates_draw_them(settings, tmp_path):
    """The tags fall back to an edited template (here the p/l chooser and the steps)."""
    (tmp_path / "cases").mkdir()
    chooser = '<p>own {{ own|stringformat:"d" }}</p>'
    (tmp_path / "cases" / "_price_level_form.html").write_text(chooser)
    (tmp_path / "cases" / "_steps.html").write_text("<p>{{ steps|length }} steps</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    mirrored.cache_clear()
    try:
        page = engines["django"].from_string(
            "{% load bilag %}{% workflow_steps 'draft' %}{% price_level_form choice 2021 2021 %}"
        )
        html = page.render({"choice": PriceLevelChoice(levels=[2020])})
        assert html == "<p>6 steps</p><p>own 2021</p>"
    finally:
        mirrored.cache_clear()
