"""Issue 11 ("Trust"), finding 12: no URL or parameter gives a 500.

`test_every_url_with_garbage_in_every_parameter_it_reads` walks every URL pattern of the
site (Django's own admin aside), its path filled with real keys from factories, as each
role (anonymous, finance staff, central finance, committee reviewer, administrator), GET
and POST, and sends garbage ("abc", "²", "-1", 10^20, empty) in every query and form
parameter the view reads.

Which parameters a view reads is recorded, not guessed: during a first clean request of
each URL every `QueryDict` notes the names asked of it (`get`, `getlist`, `[]`, `in`:
what views, forms, django-filter and django-tables2 do); it carries one unknown
parameter, so that a view that reads its filters only when some parameter is given
reads them all. The POST base data is what the site's own
pages post to that URL (every `<form method="post">` of every page, read as a browser
submits it), so that a garbage value in one field reaches the code behind an otherwise
valid form. Repeated rows of a formset are walked once per kind of field (`perm-0-y2021`
stands for every `perm-N-yN`). The garbage goes into each parameter alone (deep: the
other fields stay valid) and into all of them at once."""

from __future__ import annotations

import os
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.template.base import Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annex.models import AnnexJob
from cases.models import HearingAnswer, Proposal, Status, SuccessCriterion
from followup.models import TrackedCriterion
from review import workflow
from review.history import record_version
from review.models import SavedView
from review.summaries import refresh_summary
from tests.factories import ProposalFactory, add_line

pytestmark = pytest.mark.django_db

GARBAGE = ["abc", "²", "-1", "100000000000000000000", ""]
# The role whose requests walk every parameter alone: central finance reads and may
# change every proposal, so its requests reach the deepest code. The other roles send
# the garbage in every parameter at once (most of their requests end at a permission).
DEEP = "central"

# ------------------------------------------------------------------ recording what is read

READ: set[str] = set()


def _recorded(method):
    def reading(self, key, *args, **kwargs):
        READ.add(key)
        return method(self, key, *args, **kwargs)

    return reading


# ------------------------------------------------------------------ the forms of the pages


class _Forms(HTMLParser):
    """Every `<form method="post">` of a page: its action and the data a browser posts
    (the primary submit button's name and value included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form: list | None = None
        self._buttons: list[tuple[str, str, bool]] = []
        self._textarea: list | None = None
        self._select: list | None = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = [a.get("action") or "", []]
            self._buttons = []
            return
        if self._form is None:
            return
        name = a.get("name")
        kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("input", "button") and kind == "submit" and name:
            primary = "primary" in (a.get("class") or "")
            self._buttons.append((name, a.get("value") or "", primary))
        elif tag == "input" and name and kind not in ("button", "image", "reset", "file"):
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form[1].append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a and self._select[2] is None:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form[1].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            value = chosen if chosen is not None else first
            if value is not None:
                self._form[1].append((name, value))
            self._select = None
        elif tag == "form":
            buttons = [b for b in self._buttons if b[2]] or self._buttons[-1:]
            self._form[1] += [(name, value) for name, value, _p in buttons[:1]]
            self.forms.append((self._form[0], self._form[1]))
            self._form = None


def page_forms(html: str, page: str) -> dict[str, list[tuple[str, str]]]:
    """{path the form posts to: its data} of every post form on a page."""
    reader = _Forms()
    reader.feed(html)
    return {urlsplit(action).path or urlsplit(page).path: data for action, data in reader.forms}


# ------------------------------------------------------------------ the site and its keys


def patterns(resolver=None, prefix=""):
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            yield from patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item


def concrete(route: str, values: dict) -> str:
    def fill(match):
        param = match.group(2)
        if param not in values:
            raise KeyError(f"no value for <{param}> in {route}")
        return str(values[param])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def site_urls(keys: dict) -> list[str]:
    urls = []
    for route, _pattern in patterns():
        if route.startswith("admin/"):
            continue  # Django's own admin
        values = dict(keys)
        if route.startswith("opfoelgning/"):
            values["number"] = keys["adopted_number"]
        if route.startswith("sager/visning/"):
            values["pk"] = keys["saved_view"]
        elif route.startswith("bilag/k"):
            values["pk"] = keys["job"]
        urls.append(concrete(route, values))
    return urls


KINDS = [
    (re.compile(r"\d+"), "N"),  # one row and one year stand for all
    (re.compile(r"^dist-\w+?-(basis|rows)\b"), r"dist-*-\1"),  # every subject: one form
    (re.compile(r"^(perm|impl|admin)-"), "line-"),  # the grid's three sections: one form
    (re.compile(r"-(INITIAL|MIN_NUM|MAX_NUM)_FORMS$"), "-other_FORMS"),
]


def kind(name: str) -> str:
    """A parameter's kind: the parameters one piece of code reads alike. Every number
    as N (`perm-0-y2021` and `perm-3-y2024` are one kind), the distribution subjects
    and the grid's three sections as one form each, and a management form's counts
    other than TOTAL_FORMS as one."""
    for pattern, replacement in KINDS:
        name = pattern.sub(replacement, name)
    return name


@pytest.fixture
def site(central_user):
    """A draft of KFF (the finance user's own), an adopted proposal with a frozen plan,
    an annex job and a saved view: every kind of key a URL takes."""
    draft = ProposalFactory(number="BC01", title="Kladde")
    add_line(draft, "permanent", "saving", "service", "Besparelse", {2021: -100, 2022: -200})
    add_line(draft, "implementation", "cost", "service", "Investering", {2021: 250})
    SuccessCriterion.objects.create(proposal=draft, criterion="Færre opkald", order=0)
    HearingAnswer.objects.create(proposal=draft, body=workflow.CENTRAL_BODY, order=0)
    refresh_summary(draft)
    record_version(draft)
    adopted = ProposalFactory(catalog=draft.catalog, number="BC02", title="Vedtaget")
    add_line(adopted, "permanent", "saving", "service", "Besparelse", {2021: -400, 2022: -800})
    SuccessCriterion.objects.create(
        proposal=adopted, criterion="Tilfredse borgere", when="Ultimo 2021", order=0
    )
    refresh_summary(adopted)
    Proposal.objects.filter(pk=adopted.pk).update(status=Status.RECOMMENDED)
    workflow.decide(central_user, Proposal.objects.get(pk=adopted.pk), adopted=True)
    criterion = TrackedCriterion.objects.get(plan__proposal=adopted)
    job = AnnexJob.objects.create(catalog=draft.catalog, requested_by=central_user)
    view = SavedView.objects.create(owner=central_user, name="Mine", query="status=draft")
    return {
        "key": draft.catalog.key,
        "number": draft.number,
        "adopted_number": adopted.number,
        "pk": draft.pk,
        "code": "KFU",
        "action": "submit",
        "criterion_id": criterion.pk,
        "job": job.pk,
        "saved_view": view.pk,
        "draft": draft,
    }


@pytest.fixture
def recording(settings, monkeypatch):
    """Every QueryDict notes the names asked of it (`get`, `getlist`, `[]`, `in`): the
    request's GET and POST, and the ones views build from them (a saved view's query)."""
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        monkeypatch.setattr(QueryDict, name, _recorded(getattr(QueryDict, name)), raising=False)
    # The walk looks at status codes only: templates render as in production, without
    # the test runner's instrumentation (a signal and a copy of the context for each of
    # the editor's thousand template renders, two thirds of its time).
    monkeypatch.setattr(Template, "_render", lambda self, context: self.nodelist.render(context))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def clients(users) -> dict[str, Client]:
    out = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        out[role] = client
    return out


def test_every_url_with_garbage_in_every_parameter_it_reads(
    recording, site, central_user, finance_user, reviewer_user, admin_user
):
    users = {
        "central": central_user,
        "finance": finance_user,
        "reviewer": reviewer_user,
        "admin": admin_user,
    }
    by_role = clients(users)
    urls = site_urls(site)
    started = time.monotonic()

    # The forms of every page (as central finance, who sees every page): what a browser
    # posts to each URL.
    posted: dict[str, list[tuple[str, str]]] = {}
    for url in urls:
        response = by_role["central"].get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            for path, data in page_forms(response.content.decode(), url).items():
                posted.setdefault(path, data)

    failures: list[str] = []
    requests = 0

    def send(role, method, url, data):
        nonlocal requests
        requests += 1
        client = by_role[role]
        if role != "anonymous" and url in ("/logout/", "/login/", "/konto/adgangskode/"):
            client.force_login(users[role])
        response = getattr(client, method)(url, data)
        if response.status_code >= 500 and not (url == "/sundhed/" and response.status_code == 503):
            failures.append(f"{role} {method.upper()} {url} {data!r}: {response.status_code}")
        return response

    for url in urls:
        url_started, url_requests = time.monotonic(), requests
        for method in ("get", "post"):
            base = QueryDict(mutable=True)
            for name, value in posted.get(url, []) if method == "post" else []:
                base.appendlist(name, value)
            for role in by_role:
                if method == "post" and url.endswith("/rediger/"):
                    base.setlist("version", [str(Proposal.objects.get(pk=site["pk"]).version)])
                # the clean request carries one unknown parameter, so that a view that
                # reads its filters only when some parameter is given reads them all
                READ.clear()
                probe = base.copy()
                probe["_walk"] = "1"
                if send(role, method, url, probe).status_code == 405:
                    continue  # the view does not answer this method: it reads nothing
                names = (READ | set(base)) - {"_walk"}
                if not names:
                    continue  # nothing read: no parameter to put garbage in
                if role == DEEP:
                    # each parameter alone (one of each kind), the others as the page posts
                    walked = {}
                    for name in sorted(names):
                        walked.setdefault(kind(name), name)
                    for name in walked.values():
                        for value in GARBAGE:
                            if base.getlist(name) == [value]:
                                continue  # the clean request sent that already
                            data = base.copy()
                            data.setlist(name, [value])
                            send(role, method, url, data)
                for value in GARBAGE:  # and all of them at once
                    data = base.copy()
                    for name in names:
                        data.setlist(name, [value])
                    send(role, method, url, data)
        if os.environ.get("WALK_TIMES"):
            print(f"{time.monotonic() - url_started:6.1f} s {requests - url_requests:5d} {url}")

    seconds = time.monotonic() - started
    print(f"garbage walk: {len(urls)} URLs, {requests} requests, {seconds:.1f} s")
    assert not failures, "\n".join(failures[:40])
    assert requests > 500  # the walk ran (every URL, role and parameter)


# ------------------------------------------------------------------ the finding's own inputs


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/forslag/nyt/", {"kopi": "abc"}),
        ("get", "/sager/{pk}/aendringer/", {"fra": "²"}),
        ("post", "/sager/handling/", {"select": "²", "action": "approve"}),
        ("post", "/sager/handling/", {"select": "99999999999999999999", "action": "approve"}),
        ("get", "/sager/", {"per_page": "-1"}),
        ("get", "/sager/venter/", {"per_page": "-1"}),
    ],
)
def test_finding_12_the_issues_own_inputs(site, central_user, method, url, data):
    client = Client(raise_request_exception=False)
    client.force_login(central_user)
    response = getattr(client, method)(url.format(**site), data)
    assert response.status_code < 500


def test_the_walk_records_what_a_view_reads(recording, site, central_user):
    """The recorder sees the parameters a view asks for: the case list's filters and
    django-tables2's page and sort."""
    client = Client()
    client.force_login(central_user)
    READ.clear()
    client.get("/sager/", {"_walk": "1"})
    assert {"q", "status", "page", "sort", "per_page"} <= READ
    READ.clear()
    client.get(f"/sager/{site['pk']}/aendringer/", {"_walk": "1"})
    assert {"fra", "til"} <= READ


def test_the_walk_posts_what_the_pages_post(site, central_user):
    client = Client()
    client.force_login(central_user)
    url = f"/katalog/{site['key']}/forslag/{site['number']}/rediger/"
    forms = page_forms(client.get(url).content.decode(), url)
    data = dict(forms[url])
    assert data["action"] == "save"
    assert data["perm-0-y2021"] == "-100"
    assert data["version"] == str(site["draft"].version)
