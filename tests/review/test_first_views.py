"""Reads never write (issue 13): concurrent first views of a fresh case all answer and
write nothing, and versions recorded by concurrent writers get distinct numbers. Real
threads, each with its own database connection and transaction (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from review import history
from review.models import LastSeen, ProposalVersion
from tests.factories import add_line

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS, AT_ONCE = 5, 4


def at_once(count: int, work) -> tuple[list, list[BaseException]]:
    """`work(i)` in `count` threads started together; their results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            result = work(i)
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_concurrent_first_views_of_fresh_cases_all_answer_and_write_nothing(central):
    """The fault: the case page recorded a version on its first view ("highest + 1",
    no lock): four first views at once gave HTTP 500 (duplicate version number)."""
    fresh = [kfu_proposal(number=f"F{i}") for i in range(ROUNDS)]  # no version recorded
    assert not ProposalVersion.objects.exists()
    clients = []
    for _ in range(AT_ONCE):
        client = Client(raise_request_exception=False)
        client.force_login(central)
        clients.append(client)
    statuses = []
    for proposal in fresh:
        for name in ("review:case", "review:case_changes"):
            url = reverse(name, args=[proposal.pk])
            results, errors = at_once(AT_ONCE, lambda i, url=url: clients[i].get(url).status_code)
            assert errors == []
            statuses += results
    assert statuses == [200] * (ROUNDS * 2 * AT_ONCE)
    assert not ProposalVersion.objects.exists()
    assert not LastSeen.objects.exists()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers (IMMEDIATE transactions on the database file); the "
    "in-memory test database's shared cache refuses a second writer ('table is locked') "
    "instead of waiting, so concurrent writers are tested on PostgreSQL",
)
def test_versions_recorded_at_once_get_distinct_numbers(central):
    """Four writers each change a proposal's inputs and record a version in their own
    transaction at the same moment: the numbers follow each other, none collides."""
    proposal = kfu_proposal()
    history.record_version(proposal, central, "created")

    def write(i):
        with transaction.atomic():
            add_line(proposal, "permanent", "cost", "service", f"Linje {i}", {2021: i + 1})
            return history.record_version(proposal, central, "saved").number

    numbers, errors = at_once(AT_ONCE, write)
    assert errors == []
    assert sorted(numbers) == list(range(2, 2 + AT_ONCE))
    versions = ProposalVersion.objects.filter(proposal=proposal).order_by("number")
    assert [v.number for v in versions] == list(range(1, 2 + AT_ONCE))
    # each version holds the lines of the writers before it: the last one has all four
    last = versions.last().data
    assert {ln["label"] for ln in last["lines"]} >= {f"Linje {i}" for i in range(AT_ONCE)}
