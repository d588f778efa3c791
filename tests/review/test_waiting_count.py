"""The "Venter på mig" count of every page's navigation (`review.selectors.waiting_count`)
runs SQL built once per shape of user (issue 13): it must count what `waiting_for`
finds for every role, after every step, however many proposals and users there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.permissions import visible_proposals
from committees.models import Role
from review import workflow
from review.selectors import waiting_count, waiting_for
from tests.factories import make_user

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def counted(user) -> int:
    return waiting_for(user, visible_proposals(user)).count()


def test_the_count_follows_every_step_for_every_role(users):
    submitted = kfu_proposal(number="S1")
    forwarded = kfu_proposal(number="F1")
    kfu_proposal(number="D1")
    expected = {
        "finance": 3, "other_finance": 0, "central": 0, "reviewer": 0, "other_reviewer": 0,
        "admin": 0,
    }  # fmt: skip
    assert {name: waiting_count(u) for name, u in users.items()} == expected
    finance, central, reviewer = users["finance"], users["central"], users["reviewer"]
    steps = [
        lambda: workflow.submit(finance, submitted),
        lambda: workflow.submit(finance, forwarded),
        lambda: workflow.start_hearing(central, forwarded),
        lambda: workflow.answer_hearing(central, forwarded, workflow.CENTRAL_BODY, "yes"),
        lambda: workflow.forward(central, forwarded),
        lambda: workflow.approve(reviewer, forwarded),
    ]
    seen = []
    for step in steps:
        step()
        counts = {name: waiting_count(u) for name, u in users.items()}
        assert counts == {name: counted(u) for name, u in users.items()}
        seen.append((counts["finance"], counts["central"], counts["reviewer"]))
    assert seen == [(2, 1, 0), (1, 2, 0), (1, 2, 0), (1, 2, 0), (1, 1, 1), (1, 2, 0)]


def test_one_query_a_count_and_none_for_a_user_who_sees_nothing(users):
    kfu_proposal(number="S1")
    nobody = make_user("ingen", Role.FINANCE_STAFF)  # no administration
    waiting_count(users["central"])  # built once
    with CaptureQueriesContext(connection) as queries:
        assert waiting_count(users["central"]) == 0
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert waiting_count(nobody) == 0
    assert len(queries) <= 1  # the profile, never the count


def test_the_navigation_shows_it(client, users):
    workflow.submit(users["finance"], kfu_proposal(number="S1"))
    client.force_login(users["central"])
    html = client.get(reverse("cases:catalog_list")).content.decode()
    count = '<span class="count" aria-label="1 forslag">1</span>'
    assert f'id="nav-waiting">Venter på mig {count}' in html


def test_users_of_one_shape_share_the_sql_but_not_the_count(db):
    first = make_user("a-finans", Role.FINANCE_STAFF, administration_code="KFF")
    second = make_user("b-finans", Role.FINANCE_STAFF, administration_code="TMF")
    kfu_proposal(number="D1")  # presented by KFF
    assert (waiting_count(first), waiting_count(second)) == (1, 0)
