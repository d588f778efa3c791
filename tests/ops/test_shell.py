"""The site header written in Python (ops.shell, issue 13) is byte for byte what its
template draws: signed in or not, with and without a waiting count, in both languages;
an edited template draws the header again."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.formats import localize

from ops import shell
from ops.shell import HEADER_TEMPLATE, mirrored, site_header, site_header_html

pytestmark = pytest.mark.django_db


def both(user, extra=None, path="/katalog/?q=a&b=<x>", language="da"):
    """(the template's header, the Python header) for one request."""
    request = RequestFactory().get(path)
    request.user = user
    template = engines["django"].engine.get_template(HEADER_TEMPLATE)
    context = RequestContext(request)
    with translation.override(language), context.bind_template(template):
        context.update(extra or {})  # above the context processors' waiting_count
        return template.render(context), site_header_html(context)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_python_header_is_the_templates(central_user, language):
    central_user.first_name, central_user.last_name = "Åse <b>", "Ørum & co"
    for extra in ({}, {"waiting_count": 0}, {"waiting_count": 1}, {"waiting_count": 1234}):
        expected, written = both(central_user, extra, language=language)
        assert written == expected
    assert 'aria-label="1.234 forslag">1.234</span>' in written or "1,234 proposals" in written
    expected, written = both(AnonymousUser(), language=language)
    assert written == expected and "nav-waiting" not in written


def test_the_header_template_is_the_one_written_in_python():
    """Changed templates/_site_header.html? Change `ops.shell.site_header_html` and put
    the file's new sha256 in `HEADER_TEMPLATE_SHA256`; until then the template draws the
    header (slower, never different)."""
    assert mirrored((HEADER_TEMPLATE,), shell.HEADER_TEMPLATE_SHA256)


def test_an_edited_header_template_draws_the_header(settings, tmp_path, central_user):
    (tmp_path / HEADER_TEMPLATE).write_text("<header>{{ user.username }}</header>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    mirrored.cache_clear()
    try:
        request = RequestFactory().get("/")
        request.user = central_user
        template = engines["django"].engine.get_template(HEADER_TEMPLATE)
        context = RequestContext(request)
        with context.bind_template(template):
            assert site_header(context) == f"<header>{central_user.username}</header>"
    finally:
        mirrored.cache_clear()


def test_a_page_without_its_request_draws_the_header_from_the_template():
    template = engines["django"].engine.get_template(HEADER_TEMPLATE)
    plain = Context({})
    with plain.bind_template(template):
        assert site_header_html(plain) is None
        assert 'class="site-header"' in site_header(plain)


def test_esc_is_conditional_escape():
    """`esc` gives `conditional_escape`'s text for every kind of value the writers pass."""
    from decimal import Decimal

    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    values = ["", "plain æøå", "a&b", "<i>", '"q"', "it's", "&amp;", 0, 1234, -5, True, None]
    values += [Decimal("1.50"), mark_safe("<b>safe</b>"), gettext_lazy("Language"), 2.5]
    for value in values:
        assert shell.esc(value) == str(conditional_escape(value)), value
        assert shell.shown(value) == str(conditional_escape(localize(value))), value
