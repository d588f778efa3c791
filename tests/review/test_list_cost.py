"""The case list at the admin's cost (issue 13): the page's rows are chosen before
anything is joined, the count, totals and pending decisions come from one query, and a
page of the list does less Python work than the Django admin's changelist of the same
proposals."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.models import Proposal
from cases.templatetags.bilag import amount, amount_formatter
from review.models import PendingDecision, ProposalSummary

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db

ROWS = 100


def python_calls(client, url: str) -> int:
    """The Python function calls one GET of `url` makes (deterministic, unlike time on
    a shared machine; a page's CPU follows it)."""
    client.get(url)  # templates and URL resolvers loaded
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        response = client.get(url)
    finally:
        sys.setprofile(None)
    assert response.status_code == 200
    return calls


def copies(proposal, count: int) -> None:
    """`count` more proposals like `proposal`, with its stored summary (bulk: a full page
    of the list without computing each)."""
    summary = ProposalSummary.objects.get(proposal=proposal)
    fields = {f.attname: getattr(proposal, f.attname) for f in Proposal._meta.concrete_fields}
    fields.pop("id")
    made = Proposal.objects.bulk_create(
        Proposal(**{**fields, "number": f"BC{i:03d}", "title": f"Forslag {i}"})
        for i in range(count)
    )
    values = {f.attname: getattr(summary, f.attname) for f in ProposalSummary._meta.fields}
    ProposalSummary.objects.bulk_create(
        ProposalSummary(**{**values, "proposal_id": p.pk}) for p in made
    )


def test_a_page_of_the_case_list_costs_less_than_the_admin_changelist(client, admin):
    # a full page of each, at the admin's page size
    copies(kfu_proposal(number="A1"), ROWS - 1)
    client.force_login(admin)
    case_list = python_calls(client, reverse("review:case_list") + "?per_page=100")
    changelist = python_calls(client, reverse("admin:cases_proposal_changelist"))
    # main before the lighter list: 1.21 × the admin's calls (2026-11-30); now about 0.5 ×
    assert case_list <= changelist, (case_list, changelist)


def test_the_page_is_chosen_before_anything_is_joined(client, central):
    for i in range(3):
        kfu_proposal(number=f"BC{i:03d}")
    client.force_login(central)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:case_list") + "?per_page=2")
    assert [row.record.number for row in response.context["table"].paginated_rows] == [
        "BC000",
        "BC001",
    ]
    limited = [q["sql"] for q in queries if q["sql"].endswith("LIMIT 2")]
    assert len(limited) == 1
    chosen = limited[0]
    assert chosen.startswith('SELECT "cases_proposal"."id"')
    assert "committees_proposalsummary" not in chosen
    assert "review_pendingdecision" not in chosen
    # sorting on a figure joins the summary, and only for the order
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("review:case_list") + "?per_page=2&sort=-investment_service")
    (chosen,) = [q["sql"] for q in queries if q["sql"].endswith("LIMIT 2")]
    assert "committees_proposalsummary" in chosen.split("ORDER BY")[0]
    assert "review_pendingdecision" not in chosen


def test_count_totals_and_pending_decisions_come_from_one_query(client, central):
    first = kfu_proposal(number="BC001")
    kfu_proposal(number="BC002")
    PendingDecision.objects.create(proposal=first, adopted=True)
    client.force_login(central)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:case_list"))
    assert response.context["table"].totals["count"] == 2
    assert response.context["table"].totals["pending"] == 1
    assert response.context["pending_count"] == 1
    counting = [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and "review_pendingdecision" in q["sql"]
    ]
    assert len(counting) == 1
    assert "SUM(" in counting[0]
    assert b'id="apply-decisions"' in response.content


def totals_query(client, url: str) -> str:
    """The SQL of the list's one count-and-totals query for a GET of `url`."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (sql,) = [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and "review_pendingdecision" in q["sql"]
    ]
    return sql


def test_the_totals_group_by_price_level_from_an_index(client, central):
    """At 20,000 proposals the totals query was a third of a list request on SQLite: it
    read every proposal's row (narrative text and all) and sorted them all by price level
    to group them (issue 13: 1.30x the admin one at a time at 20k, 0.74x at 5k). With an
    index on the price level the grouping walks that index in order: no scan of the
    table, no sort."""
    for i in range(3):
        kfu_proposal(number=f"BC{i:03d}")
    indexed = [
        c["columns"]
        for c in connection.introspection.get_constraints(
            connection.cursor(), Proposal._meta.db_table
        ).values()
        if c["index"]
    ]
    assert ["price_level_year"] in indexed
    client.force_login(central)
    sql = totals_query(client, reverse("review:case_list") + "?per_page=100")
    assert sql.endswith("GROUP BY 1")
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans by its statistics (a hash aggregate at any size)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = [row[-1] for row in cursor.fetchall()]
    assert "SCAN cases_proposal USING COVERING INDEX proposal_price_level_idx" in plan, plan
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


def test_a_filter_on_a_sum_joins_the_summary_and_filters_on_it(client, central):
    kfu_proposal(number="BC001")  # investment 0,5 mio. kr.
    client.force_login(central)
    url = reverse("review:case_list")
    found = client.get(url + "?investment_min=0.4&investment_max=0.6")
    assert [r.record.number for r in found.context["table"].paginated_rows] == ["BC001"]
    assert [
        r.record.number
        for r in client.get(url + "?investment_min=0.6").context["table"].paginated_rows
    ] == []
    assert [
        r.record.number for r in client.get(url + "?saving_max=-1").context["table"].paginated_rows
    ] == []


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_list_formatter_gives_what_the_amount_filter_gives(language):
    values = ["0", "-0.04", "0.05", "-0.05", "1234.55", "-1234567.25", "999.95", None, ""]
    with translation.override(language):
        formatted = amount_formatter(1)
        assert [formatted(v) for v in values] == [amount(v, 1) for v in values]
