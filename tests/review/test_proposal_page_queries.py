"""The proposal page reads the proposal once, with only the fields it shows around the
kept body (`cases.views.PAGE_FIELDS`): for every role that sees it, a view of a kept
version asks the same queries for a small and a large proposal, and never loads a
deferred field of the proposal afterwards (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add_line

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def proposal_queries(client, url) -> tuple[int, int]:
    client.get(url)  # the body kept for this version and language
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    return len(sqls), sum(1 for sql in sqls if sql.startswith('SELECT "cases_proposal".'))


@pytest.mark.parametrize("who", ["finance", "reviewer", "central", "admin"])
def test_the_proposal_page_reads_the_proposal_once_for_every_role(client, users, who):
    small = kfu_proposal(number="S1", cross_cutting=True)
    large = kfu_proposal(number="L1", cross_cutting=True)
    for i in range(20):
        add_line(
            large, "permanent", "saving", "service", f"l{i}", {y: -i for y in range(2021, 2031)}
        )
    client.force_login(users[who])
    one = proposal_queries(client, small.get_absolute_url())
    many = proposal_queries(client, large.get_absolute_url())
    assert one == many
    assert one[1] == 1, "a deferred field of the proposal was loaded by its own query"
