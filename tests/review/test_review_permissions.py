"""Permission matrix over every review view: no proposal of another committee or
administration leaks through the list, a filter, an export, the dashboard, history or a
bulk action; anonymous users are sent to the login; every state change needs CSRF."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Status
from review import workflow
from tests.factories import administration, committee

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(finance, central, reviewer):
    """A KFF/KFU proposal (in hearing, forwarded) and a TMF/TMU one, both with history."""
    kfu = kfu_proposal(number="BC11", title="KFU-forslag")
    tmu = kfu_proposal(
        number="BC30",
        title="TMU-forslag",
        committee=committee("TMU"),
        presenting_administration=administration("TMF"),
    )
    workflow.submit(finance, kfu)
    workflow.start_hearing(central, kfu)
    workflow.answer_hearing(central, kfu, workflow.CENTRAL_BODY, "yes")
    workflow.forward(central, kfu)
    workflow.submit(central, tmu)
    kfu.refresh_from_db()
    tmu.refresh_from_db()
    return {"kfu": kfu, "tmu": tmu}


# Who may read which: finance (KFF) and reviewer (KFU) only the KFU one; TMF finance only
# the TMU one; central and admin both.
SEES = {
    "finance": {"kfu"},
    "other_finance": {"tmu"},
    "reviewer": {"kfu"},
    "other_reviewer": {"tmu"},
    "central": {"kfu", "tmu"},
    "admin": {"kfu", "tmu"},
}


def titles_in(content: str) -> set[str]:
    return {
        key for key, title in (("kfu", "KFU-forslag"), ("tmu", "TMU-forslag")) if title in content
    }


@pytest.mark.parametrize("role", sorted(SEES))
def test_lists_exports_and_dashboard_show_only_visible_cases(users, cases, role):
    client = Client()
    client.force_login(users[role])
    expected = SEES[role]
    for query in ("", "?committee=TMU", "?committee=KFU", "?q=forslag", "?status=submitted"):
        page = client.get(reverse("review:case_list") + query).content.decode()
        assert titles_in(page) <= expected, query
    assert titles_in(client.get(reverse("review:case_list")).content.decode()) == expected
    rows = csv.reader(
        io.StringIO(client.get(reverse("review:case_list_csv")).content.decode("utf-8-sig")),
        delimiter=";",
    )
    assert {r[2] for r in list(rows)[1:]} == {
        {"kfu": "KFU-forslag", "tmu": "TMU-forslag"}[k] for k in expected
    }
    xlsx = client.get(reverse("review:case_list_xlsx"))
    assert xlsx.status_code == 200
    dashboard = client.get(reverse("review:dashboard") + "?catalog=")  # all catalogues
    shown = {r["committee"].code for r in dashboard.context["rows"]}
    assert shown == {{"kfu": "KFU", "tmu": "TMU"}[k] for k in expected}
    waiting = client.get(reverse("review:waiting")).content.decode()
    assert titles_in(waiting) <= expected


@pytest.mark.parametrize("role", sorted(SEES))
@pytest.mark.parametrize("which", ["kfu", "tmu"])
def test_case_pages_are_404_for_cases_the_user_may_not_see(users, cases, role, which):
    client = Client()
    client.force_login(users[role])
    proposal = cases[which]
    visible = which in SEES[role]
    expected = 200 if visible else 404
    assert client.get(reverse("review:case", args=[proposal.pk])).status_code == expected
    assert (
        client.get(reverse("review:case_changes", args=[proposal.pk])).status_code == expected
    )
    posts = [
        (reverse("review:step", args=[proposal.pk, "return"]), {"comment": "x"}),
        (reverse("review:comment", args=[proposal.pk]), {"text": "x"}),
        (
            reverse("review:hearing_answer", args=[proposal.pk]),
            {"body": workflow.CENTRAL_BODY, "answer": "no"},
        ),
    ]
    status = proposal.status
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == (302 if visible else 404)
    proposal.refresh_from_db()
    if not visible:
        assert proposal.status == status


@pytest.mark.parametrize("role", sorted(SEES))
def test_bulk_action_never_touches_invisible_cases(users, cases, role):
    client = Client()
    client.force_login(users[role])
    client.post(
        reverse("review:bulk_action"),
        {"action": "return", "comment": "x", "select": [cases["kfu"].pk, cases["tmu"].pk]},
    )
    for key, proposal in cases.items():
        before = proposal.status
        proposal.refresh_from_db()
        if key not in SEES[role]:
            assert proposal.status == before


def test_reviewer_returns_only_their_forwarded_case(users, cases):
    client = Client()
    client.force_login(users["reviewer"])
    client.post(
        reverse("review:bulk_action"),
        {"action": "return", "comment": "x", "select": [cases["kfu"].pk, cases["tmu"].pk]},
    )
    cases["kfu"].refresh_from_db()
    cases["tmu"].refresh_from_db()
    assert cases["kfu"].status == Status.RETURNED
    assert cases["tmu"].status == Status.SUBMITTED


@pytest.mark.parametrize(
    "name", ["case_list", "case_list_csv", "case_list_xlsx", "waiting", "dashboard"]
)
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(f"review:{name}"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_state_change_needs_csrf(users, cases):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["central"])
    proposal = cases["kfu"]
    posts = [
        reverse("review:step", args=[proposal.pk, action])
        for action in (
            "submit",
            "start_hearing",
            "forward",
            "approve",
            "recommend",
            "adopt",
            "not_adopt",
            "return",
            "reject",
        )
    ] + [
        reverse("review:hearing_answer", args=[proposal.pk]),
        reverse("review:comment", args=[proposal.pk]),
        reverse("review:bulk_action"),
    ]
    for url in posts:
        assert client.post(url, {"comment": "x", "text": "x"}).status_code == 403, url
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_HEARING
    # With the token the same client gets through.
    page = client.get(reverse("review:case", args=[proposal.pk]))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("review:step", args=[proposal.pk, "return"]),
        {"comment": "x", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED


def test_state_changes_refuse_get(users, cases):
    client = Client()
    client.force_login(users["central"])
    proposal = cases["kfu"]
    assert client.get(reverse("review:step", args=[proposal.pk, "return"])).status_code == 405
    assert client.get(reverse("review:bulk_action")).status_code == 405
