"""The editor's and the case list's widgets drawn without templates (cases.rendering,
issue 13) are exactly what Django's templates draw: the same pages, byte for byte but
for whitespace between tags, with and without errors, in both languages."""

import re

import pytest
from django.forms.renderers import get_default_renderer
from django.urls import reverse

from cases.models import Proposal
from cases.rendering import QuickWidgets, is_djangos_own

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
