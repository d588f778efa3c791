"""The page shell written in Python: the site header every page draws (brand, main menu
with the "Venter på mig" count, language switch, user, log out).

Drawn by the template language it cost about a third of a millisecond per page (a dozen
translations, five URL reversals, two CSRF fields, the language list, each through the
template machinery; issue 13: the proposal page's budget is about 4 ms). `site_header_html`
writes `templates/_site_header.html` out in Python with the same bytes; it is used only
while that template is the file it mirrors (`HEADER_TEMPLATE_SHA256`): an edited template
is drawn by the template again, and tests/ops/test_shell.py fails until the function and
the hash follow it (it compares the two for a signed-in and an anonymous reader, in both
languages).

`mirrored` is the guard itself, shared with the other pages' Python writers
(cases.rendering)."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from html import escape as html_escape
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext, ngettext

HEADER_TEMPLATE = "_site_header.html"
HEADER_TEMPLATE_SHA256 = "ee0fc6bfedcd2408e681c473f82e64cd6d3e60c73da6cbf7f9f1e9c992023121"


@cache
def mirrored(names: tuple[str, ...], sha256: str) -> bool:
    """True when the site's templates `names` (as the template loaders find them) are,
    read in this order, the files whose joint sha256 is `sha256`: the Python that writes
    them out may stand in for them. Read once per process."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest() == sha256


# A character html.escape changes (it replaces five, one pass each; most values have none).
_needs_escape = re.compile("[&<>\"']").search


def esc(value) -> str:
    """`conditional_escape(value)`'s text, without its cost for a plain string or a whole
    number (most of what a page writes: Django's escape checks every argument for a lazy
    translation, a few thousand times per editor page; issue 13). Anything else (safe
    strings, lazy translations, other objects) goes through `conditional_escape`."""
    kind = type(value)
    if kind is str:
        return html_escape(value) if _needs_escape(value) else value
    if kind is int:
        return str(value)
    return conditional_escape(value)


def shown(value) -> str:
    """A value printed as {{ value }} prints it: localised, then escaped."""
    if type(value) is str:
        return html_escape(value) if _needs_escape(value) else value
    return esc(localize(value))


@cache
def _header_urls(prefix: str) -> tuple[str, ...]:
    """The header's links for one script prefix (escaped)."""
    names = (
        "cases:catalog_list",
        "followup:index",
        "review:case_list",
        "review:waiting",
        "set_language",
        "password_change",
        "logout",
    )
    return tuple(esc(reverse(name)) for name in names)


def _csrf_field(token) -> str:
    """{% csrf_token %}."""
    if not token:
        return ""
    if token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'


def site_header_html(context) -> str | None:
    """templates/_site_header.html for the template context `context` (a page rendered
    with its request: `request`, `user`, `csrf_token`, and `waiting_count` for a signed-in
    user from review's context processor), or None when the context lacks the request
    (an error page rendered without one: the template draws it)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None:
        return None
    catalogs, followup, cases, waiting, set_language, password, logout = _header_urls(
        get_script_prefix()
    )
    signed_in = user.is_authenticated
    out = [
        '<header class="site-header">\n'
        '    <div class="container header-inner">\n'
        f'      <a class="brand" href="{catalogs}">Bilag</a>\n'
        f'      <nav aria-label="{esc(gettext("Main menu"))}">\n'
        '        <ul class="nav">\n'
        f'          <li><a href="{catalogs}">{esc(gettext("Catalogues"))}</a></li>\n'
        "          "
    ]
    if signed_in:
        out.append(f'<li><a href="{followup}">{esc(gettext("Follow-up"))}</a></li>')
    out.append("\n          ")
    if signed_in:
        count = context.get("waiting_count")
        badge = ""
        if count:
            label = ngettext("%(counter)s proposal", "%(counter)s proposals", count) % {
                "counter": shown(count)
            }
            badge = f' <span class="count" aria-label="{label}">{shown(count)}</span>'
        out.append(
            f'<li><a href="{cases}">{esc(gettext("Cases"))}</a></li>'
            f'<li><a href="{waiting}" id="nav-waiting">'
            f"{esc(gettext('Waiting for me'))}{badge}</a></li>"
        )
    token = _csrf_field(context.get("csrf_token"))
    current = get_language()
    out.append(
        "\n        </ul>\n"
        "      </nav>\n"
        '      <div class="header-tools">\n'
        f'        <form action="{set_language}" method="post" class="lang-form">\n'
        f"          {token}\n"
        '          <input name="next" type="hidden" value="'
        f'{esc(request.get_full_path())}">\n'
        '          <label for="lang-select" class="visually-hidden">'
        f"{esc(gettext('Language'))}</label>\n"
        '          <select id="lang-select" name="language">\n'
        "            \n            "
    )
    for code, _name in settings.LANGUAGES:
        selected = " selected" if code == current else ""
        name = capfirst(get_language_info(code)["name_local"])
        out.append(
            f'\n              <option value="{esc(code)}"{selected}>'
            f"{esc(name)}</option>\n            "
        )
    out.append(
        "\n          </select>\n"
        '          <button type="submit" class="button button-small">'
        f"{esc(gettext('Change'))}</button>\n"
        "        </form>\n"
        "        "
    )
    if signed_in:
        name = user.get_full_name() or user.username
        out.append(
            "\n"
            f'          <span class="user">{esc(name)}</span>\n'
            f'          <a class="button button-small" href="{password}">'
            f"{esc(gettext('Change password'))}</a>\n"
            f'          <form action="{logout}" method="post" class="inline">\n'
            f"            {token}\n"
            '            <button type="submit" class="button button-small">'
            f"{esc(gettext('Log out'))}</button>\n"
            "          </form>\n"
            "        "
        )
    out.append("\n      </div>\n    </div>\n  </header>")
    return "".join(out)


def site_header(context) -> str:
    """The site header: `site_header_html` while the template is the one it mirrors,
    otherwise the template (rendered in `context`)."""
    html = None
    if mirrored((HEADER_TEMPLATE,), HEADER_TEMPLATE_SHA256):
        html = site_header_html(context)
    if html is None:
        return context.template.engine.get_template(HEADER_TEMPLATE).render(context)
    return html
