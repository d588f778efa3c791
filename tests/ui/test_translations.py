"""Danish all through, English all through (issue 12): every page of the site, rendered
in "da" and in "en", asks the translation catalogues only for messages they have, and
shows no raw choice value ("in_hearing", "imported") where a label belongs.

How it finds an untranslated message: while the pages render, every gettext lookup is
recorded; in Danish, a message that comes back unchanged has no Danish translation; in
English, a Danish message (æ, ø, å) that comes back unchanged has no English one.
Pages are found by walking the URL configuration, so a new page is checked without
touching this test; a URL whose parameters cannot be filled fails the test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.translation import trans_real

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("cases", "committees", "review", "followup", "annex", "finance")
# Messages whose Danish is the English (names, codes, words both languages share).
SAME_IN_BOTH = {
    "Bilag", "Status", "status", "Budget", "Total", "Excel", "PDF", "CSV", "xlsx", "OK", "ØU",
    "Dansk", "English", "Nr.", "BC", "%", "–", "mio. kr.", "", "Administrator", "Service",
    "Plan", "plan", "version", "session", "Administration",
}
SKIP_NAMESPACES = {"admin"}
DANISH = re.compile(r"[æøåÆØÅ]")


class _Recorder:
    def __init__(self):
        self.missing: dict[str, set[str]] = {"da": set(), "en": set()}
        self._gettext = trans_real.DjangoTranslation.gettext
        self._ngettext = trans_real.DjangoTranslation.ngettext

    def _note(self, catalog, message, result):
        language = catalog.language()
        if result != message or message.strip() in SAME_IN_BOTH:
            return
        if language == "da" and message in self.danish_texts():
            return  # a Danish text looked up again (already translated)
        text = message.split("\x04", 1)[-1]
        if language == "da" and re.search(r"[A-Za-z]{2}", text):
            self.missing["da"].add(message)
        elif language == "en" and DANISH.search(text):
            self.missing["en"].add(message)

    def danish_texts(self) -> set:
        if not hasattr(self, "_danish"):
            items = trans_real.translation("da")._catalog.items()
            self._danish = {v for _k, v in items if isinstance(v, str)}
        return self._danish

    def install(self, monkeypatch):
        recorder = self

        def gettext(catalog, message):
            result = recorder._gettext(catalog, message)
            recorder._note(catalog, message, result)
            return result

        def ngettext(catalog, singular, plural, number):
            result = recorder._ngettext(catalog, singular, plural, number)
            if result in (singular, plural):
                recorder._note(catalog, singular, result if result == singular else singular)
            return result

        monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
        monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)


def raw_choice_values() -> set[str]:
    """Stored values of every choice field of the project whose label differs."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and value and value != str(label) and len(value) > 2:
                    values.add(value)
    for module_choices in _text_choices():
        for value, label in module_choices.choices:
            if isinstance(value, str) and value != str(label) and len(value) > 2:
                values.add(value)
    return values


def _text_choices():
    seen = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        module = __import__(model.__module__, fromlist=["*"])
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, models.Choices) and item not in seen:
                seen.append(item)
    return seen


class _Text(HTMLParser):
    """The visible text pieces of a page (not scripts, styles or attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.pieces += [p.strip() for p in re.split(r"[·|\n]", data) if p.strip()]


def raw_values_shown(html: str, raw: set[str]) -> set[str]:
    reader = _Text()
    reader.feed(html)
    pieces = reader.pieces
    return {
        f"{piece} (after “{pieces[i - 1] if i else ''}”)"
        for i, piece in enumerate(pieces)
        if piece in raw
    }


def _patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, list(entry.pattern.converters), entry.default_args


def page_urls(values: dict[str, list]) -> list[str]:
    """Every named page of the site with its parameters filled from `values`."""
    urls = []
    for name, params, defaults in _patterns():
        params = [p for p in params if p not in defaults]
        if any(p not in values for p in params):
            raise AssertionError(f"{name}: no value for {params} in the translation test")
        kwargs = {p: values[p][0] for p in params}
        urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


def walk_through_workflow():
    """A draft taken through every step by the real workflow functions, so that the case
    page shows every kind of event and the history holds versions."""
    from django.contrib.auth import get_user_model

    from cases.models import Proposal
    from review import workflow

    user = get_user_model().objects.get(username="admin")
    proposal = Proposal.objects.filter(status="draft", committee__isnull=False).order_by("pk")[0]
    steps = (
        lambda p: workflow.submit(user, p, comment="Klar"),
        lambda p: workflow.start_hearing(user, p),
        lambda p: workflow.answer_hearing(user, p, workflow.CENTRAL_BODY, "yes"),
        lambda p: workflow.forward(user, p),
        lambda p: workflow.approve(user, p, committee=p.committee),
        lambda p: workflow.recommend(user, p),
        lambda p: workflow.decide(user, p, adopted=True),
    )
    for step in steps:
        step(proposal)
        proposal.refresh_from_db()
    assert proposal.status == "adopted"
    return proposal


@pytest.fixture
def demo(db):
    call_command("load_demo", demo_users=True, stdout=open("/dev/null", "w"))
    from cases.models import Proposal
    from committees.models import Committee

    proposal = Proposal.objects.filter(status="adopted").order_by("pk").first()
    criterion = proposal.success_criteria.order_by("pk").first()
    reviewed = walk_through_workflow()
    return {
        "key": [proposal.catalog.key],
        "number": [proposal.number],
        "pk": [reviewed.pk],
        "code": [Committee.objects.filter(parent__isnull=True).order_by("order").first().code],
        "criterion_id": [criterion.pk],
        "action": ["submit"],
        "token": ["x"],
    }


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_page_is_translated(demo, monkeypatch, language):
    recorder = _Recorder()
    recorder.install(monkeypatch)
    from django.contrib.auth import get_user_model

    # a user named like a role value ("admin") is a name, not a raw value
    raw = raw_choice_values() - set(get_user_model().objects.values_list("username", flat=True))
    problems = []
    for username in ("oekonomi", "admin"):
        client = Client(headers={"accept-language": language})
        client.force_login(get_user_model().objects.get(username=username))
        urls = page_urls(demo) + (admin_urls() if username == "admin" else [])
        urls.append("/findes-ikke/")
        for url in urls:
            with translation.override(language):
                response = client.get(url)
            assert response.status_code != 500, url
            if response.status_code in (301, 302, 405) or "text/html" not in response.get(
                "Content-Type", ""
            ):
                continue
            html = response.content.decode()
            assert f'lang="{language}"' in html, url
            shown = raw_values_shown(html, raw) if not url.startswith("/admin/") else ()
            if shown:
                problems.append(f"{url}: raw values {sorted(shown)}")
    missing = sorted(recorder.missing[language])
    assert not missing, f"untranslated in {language}:\n" + "\n".join(map(repr, missing))
    assert not problems, "\n".join(problems)
