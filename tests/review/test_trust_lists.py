"""Issue 11 ("Trust"), findings 21 and 23: the case list's CSV opens in Danish Excel, and
empty values sort last on SQLite and PostgreSQL alike."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import committee

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def test_finding_21_the_csv_is_for_danish_excel(client, central):
    kfu_proposal(number="BC01", title="x;=1+1")
    kfu_proposal(number="BC02", title='Lys "og" varme\nfase 2')
    client.force_login(central)
    response = client.get(reverse("review:case_list_csv") + "?sort=number")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Udvalg;NR;Forslag;Investering, service (mio. kr.);")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [len(r) for r in rows] == [16, 16, 16]
    assert rows[1][2] == "x;=1+1"  # one field, quoted: no formula cell
    assert rows[2][2] == 'Lys "og" varme\nfase 2'  # one quoted field
    assert rows[1][3] == "0,5" and rows[1][7] == "4"  # decimal comma
    assert rows[0][8] == "Nutidsværdi (1.000 kr.)" and "," in rows[1][8]
    assert '"x;=1+1"' in text


def test_finding_21_text_that_starts_like_a_formula_is_kept_as_text(client, central):
    kfu_proposal(number="BC01", title="=HYPERLINK(1)")
    kfu_proposal(number="BC02", title="@SUM(1)")
    client.force_login(central)
    text = client.get(reverse("review:case_list_csv") + "?sort=number").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[2] for r in rows[1:]] == ["'=HYPERLINK(1)", "'@SUM(1)"]


def numbers(response):
    return [row.record.number for row in response.context["table"].paginated_rows]


@pytest.mark.parametrize("sort", ["payback", "-payback"])
def test_finding_23_no_payback_sorts_last_in_both_directions(client, central, sort):
    quick = kfu_proposal(number="BC01")  # pays back (savings from 2022)
    never = kfu_proposal(number="BC02")
    never.lines.filter(section="permanent").delete()  # cost only: no payback
    slow = kfu_proposal(number="BC03")
    from review.summaries import refresh_summaries

    refresh_summaries([quick, never, slow])
    client.force_login(central)
    response = client.get(reverse("review:case_list"), {"sort": sort})
    rows = numbers(response)
    assert rows[-1] == "BC02", rows
    paybacks = [
        row.record.figures.payback_years for row in response.context["table"].paginated_rows
    ]
    assert paybacks[-1] is None and None not in paybacks[:-1]


def test_finding_23_no_committee_sorts_last(client, central):
    kfu_proposal(number="BC01", committee=None)
    kfu_proposal(number="BC02", committee=committee("KFU"))
    client.force_login(central)
    for sort in ("committee", "-committee"):
        response = client.get(reverse("review:case_list"), {"sort": sort})
        assert numbers(response) == ["BC02", "BC01"], sort


def test_finding_15_a_title_with_a_line_break_still_gets_its_mails(
    finance, central, mailoutbox, django_capture_on_commit_callbacks
):
    """A title stored with a line break (before the input was cleaned) used to make
    every workflow mail fail silently ("Header values may not contain linefeed")."""
    from review import workflow

    proposal = kfu_proposal(number="BC01", title="Lys\ni hallen\r\n\x0b")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(finance, proposal)
    assert mailoutbox, "no mail was sent"
    assert all("\n" not in m.subject and "\x0b" not in m.subject for m in mailoutbox)
    assert mailoutbox[0].subject.startswith("BC01 Lys i hallen")
