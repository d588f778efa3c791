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


@pytest.mark.parametrize("who", ["finance", "reviewer", "central", "admin"])
def test_a_kept_proposal_page_asks_five_queries_two_of_them_the_sessions(client, users, who):
    """Session, user with its profile (`committees.backends.ProfileBackend`), the proposal,
    one cache read for the kept body and the p/l chooser's years, "Venter på mig". Before:
    seven (the profile and the price index each read on their own)."""
    proposal = kfu_proposal(number="Q1", cross_cutting=True)
    client.force_login(users[who])
    url = proposal.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in ctx.captured_queries]
    assert tables[:4] == ["django_session", "auth_user", "cases_proposal", "bilag_cache"]
    assert len(tables) == 5
    assert "committees_profile" in ctx.captured_queries[1]["sql"]


def test_the_price_level_chooser_shows_a_year_added_after_the_page_was_kept(
    client, central, price_index
):
    """The chooser's years are kept in the cache with the body; saving or deleting an
    index row drops them."""
    from committees.models import PriceIndex

    proposal = kfu_proposal(number="Q2")
    client.force_login(central)
    url = proposal.get_absolute_url()
    assert 'value="2099"' not in client.get(url).content.decode()
    PriceIndex.objects.create(series="service", year=2099, value=200)
    assert 'value="2099"' in client.get(url).content.decode()
    PriceIndex.objects.filter(year=2099).get().delete()
    assert 'value="2099"' not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "who", ["finance", "other_finance", "reviewer", "other_reviewer", "central", "admin"]
)
def test_the_compiled_page_query_finds_what_the_orm_finds(users, who):
    """`cases.permissions.visible_proposal` (the proposal page's query, compiled once per
    shape of reader) returns the proposal the ORM query returns, with the same fields and
    joined rows, for every role, and a 404 where the ORM finds nothing (not visible, no
    such number, another catalogue)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from cases.models import Proposal
    from cases.permissions import visible_proposal, visible_proposals
    from cases.views import PAGE_FIELDS
    from tests.factories import administration, committee

    mine = kfu_proposal(number="V1", cross_cutting=True)
    other = kfu_proposal(
        number="V2", committee=committee("TMU"), presenting_administration=administration("TMF")
    )
    user = users[who]
    related = ("catalog", "committee")
    for proposal in (mine, other):
        key, number = proposal.catalog.key, proposal.number
        queryset = visible_proposals(user, Proposal.objects.filter(catalog__key=key))
        try:
            expected = get_object_or_404(
                queryset.select_related(*related).only(*PAGE_FIELDS), number=number
            )
        except Http404:
            with pytest.raises(Http404):
                visible_proposal(user, key, number, related, PAGE_FIELDS)
            continue
        for _ in range(2):  # compiled, then from the kept query
            got = visible_proposal(user, key, number, related, PAGE_FIELDS)
            assert got.pk == expected.pk
            assert got.get_deferred_fields() == expected.get_deferred_fields()
            for name in ("number", "title", "status", "version", "updated_at", "price_level_year"):
                assert getattr(got, name) == getattr(expected, name)
            assert got.catalog.title == expected.catalog.title
            assert got.committee.parent_id == expected.committee.parent_id
        with pytest.raises(Http404):
            visible_proposal(user, key, "NO-SUCH", related, PAGE_FIELDS)
        with pytest.raises(Http404):
            visible_proposal(user, "no-such-catalog", number, related, PAGE_FIELDS)
    with pytest.raises(Http404):
        visible_proposal(AnonymousUser(), mine.catalog.key, "V1", related, PAGE_FIELDS)
