"""The review pages: case list (filters, sorting, totals, exports, query counts),
"waiting for me", the case page and its steps, the changes tab, the dashboard; the
permission matrix over all of them and CSRF on every state change."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Status
from review import workflow
from review.models import ReviewComment, WorkflowEvent
from review.summaries import refresh_summary
from tests.factories import administration, committee

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def list_numbers(response):
    return [r.record.number for r in response.context["table"].paginated_rows]


def test_case_list_shows_the_overview_columns_and_totals(client, central):
    a = kfu_proposal(number="BC11", title="Første")
    kfu_proposal(number="BC12", title="Anden")
    response = login(client, central).get(reverse("review:case_list"))
    assert response.status_code == 200
    html = response.content.decode()
    # 500 thousand kr. service investment -> 0,5 mio.; -200 full effect -> 0,2 mio.
    assert "0,5" in html and "0,2" in html
    totals = response.context["table"].totals
    assert totals["count"] == 2
    assert totals["investment_service"] == Decimal("1.0")
    assert totals["full_effect_service"] == Decimal("0.4")
    assert a.figures.payback_years == 4


def test_filters_live_in_the_url(client, central, finance):
    first = kfu_proposal(number="BC01", title="Belysning", cross_cutting=True)
    second = kfu_proposal(number="BC02", title="Biblioteker")
    tmu = kfu_proposal(
        number="BC30",
        title="Automatisering",
        committee=committee("TMU"),
        presenting_administration=administration("TMF"),
    )
    workflow.submit(finance, second)
    client = login(client, central)
    url = reverse("review:case_list")
    cases = {
        "q=belys": ["BC01"],
        "q=BC3": ["BC30"],
        "committee=TMU": ["BC30"],
        "administration=KFF": ["BC01", "BC02"],
        "status=submitted": ["BC02"],
        "status=draft&status=submitted": ["BC01", "BC02", "BC30"],
        "cross_cutting=true": ["BC01"],
        "payback_min=4&payback_max=4": ["BC01", "BC02", "BC30"],
        "payback_min=5": [],
        "investment_min=0.5": ["BC01", "BC02", "BC30"],
        "saving_min=0.3": [],
        "changed_since=2000-01-01": ["BC01", "BC02", "BC30"],
        "changed_since=2999-01-01": [],
        f"catalog={first.catalog.key}": ["BC01"],
        "pool=investment": ["BC01", "BC02", "BC30"],
        "pool=innovation": [],
    }
    for query, expected in cases.items():
        response = client.get(f"{url}?{query}&sort=number")
        assert sorted(list_numbers(response)) == expected, query
    assert tmu.pk


def test_sorting_on_a_computed_column_happens_in_the_database(client, central):
    small = kfu_proposal(number="A1")
    big = kfu_proposal(number="A2")
    from tests.factories import add_line

    add_line(big, "implementation", "cost", "capital", "Anlæg", {2021: 5580})
    refresh_summary(big)  # what a service does after changing the lines
    client = login(client, central)
    url = reverse("review:case_list")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?sort=-investment_capital")
    assert list_numbers(response) == ["A2", "A1"]
    assert any("ORDER BY" in q["sql"] and "investment_capital" in q["sql"] for q in queries)
    response = client.get(url + "?sort=investment_capital")
    assert list_numbers(response) == ["A1", "A2"]
    assert small.pk


@pytest.mark.parametrize("view", ["review:case_list", "review:waiting"])
def test_list_query_count_does_not_grow_with_rows(client, finance, view):
    client = login(client, finance)  # drafts of KFF: listed, and waiting for finance
    kfu_proposal()
    client.get(reverse(view))  # summaries refreshed once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(view))
    for _ in range(49):
        kfu_proposal()
    client.get(reverse(view))
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse(view))
    assert len(response.context["table"].paginated_rows) == 50
    assert len(fifty) == len(one)


def test_export_is_exactly_the_filtered_list_with_numbers(client, central):
    kfu_proposal(number="BC01", title="=HYPERLINK(1)")
    kfu_proposal(number="BC02", title="Anden")
    kfu_proposal(
        number="BC30", committee=committee("TMU"), presenting_administration=administration("TMF")
    )
    client = login(client, central)
    response = client.get(reverse("review:case_list_csv") + "?committee=KFU&sort=-number")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["BC02", "BC01"]
    assert rows[1][3] == "0,5" and rows[1][5] == "0,2" and rows[1][7] == "4"
    assert rows[2][2] == "'=HYPERLINK(1)"
    response = client.get(reverse("review:case_list_xlsx") + "?committee=KFU&sort=number")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert [v[1] for v in values[1:]] == ["BC01", "BC02"]
    assert values[1][3] == 0.5 and isinstance(values[1][3], float)
    assert values[1][7] == 4
    assert values[1][2] == "=HYPERLINK(1)"  # text, not a formula


def test_case_page_steps_and_messages(client, finance, central, reviewer):
    proposal = kfu_proposal()
    response = login(client, finance).get(reverse("review:case", args=[proposal.pk]))
    assert response.status_code == 200
    assert [a for a, _l in response.context["steps"]] == ["submit"]
    response = client.post(reverse("review:step", args=[proposal.pk, "submit"]), follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    # Again: refused with a message, nothing changes.
    response = client.post(reverse("review:step", args=[proposal.pk, "submit"]), follow=True)
    assert any("Indsendt" in str(m) or "Submitted" in str(m) for m in response.context["messages"])
    assert WorkflowEvent.objects.filter(proposal=proposal).count() == 1
    client = Client()
    login(client, central)
    client.post(reverse("review:step", args=[proposal.pk, "start_hearing"]))
    client.post(
        reverse("review:hearing_answer", args=[proposal.pk]),
        {"body": workflow.CENTRAL_BODY, "answer": "yes", "date_text": "28-05-2020", "comment": ""},
    )
    client.post(reverse("review:step", args=[proposal.pk, "forward"]))
    client = Client()
    login(client, reviewer)
    client.post(
        reverse("review:comment", args=[proposal.pk]),
        {"text": "Fint forslag", "recommendation": "approve"},
    )
    client.post(
        reverse("review:step", args=[proposal.pk, "approve"]), {"approved_on": "2020-03-09"}
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    assert ReviewComment.objects.get(proposal=proposal).recommendation == "approve"
    page = client.get(reverse("review:case", args=[proposal.pk])).content.decode()
    assert "seneste udvalgsgodkendelse 9. marts 2020" in page
    assert "28-05-2020" in page


def test_unknown_step_is_404(client, central, proposal):
    response = login(client, central).post(reverse("review:step", args=[proposal.pk, "delete"]))
    assert response.status_code == 404


def test_bulk_action_view_reports_per_case(client, finance, central, reviewer):
    proposals = [kfu_proposal() for _ in range(2)]
    for p in proposals:
        workflow.submit(finance, p)
    hidden = kfu_proposal(
        committee=committee("TMU"), presenting_administration=administration("TMF")
    )
    client = login(client, reviewer)
    response = client.post(
        reverse("review:bulk_action"),
        {"action": "return", "comment": "Nej", "select": [proposals[0].pk, hidden.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("1 of the chosen proposals were not found" in t or "1 af" in t for t in texts)
    proposals[0].refresh_from_db()
    assert proposals[0].status == Status.SUBMITTED  # reviewers return only forwarded cases
    client = login(Client(), central)
    client.post(
        reverse("review:bulk_action"),
        {"action": "return", "comment": "Nej", "select": [p.pk for p in proposals]},
    )
    for p in proposals:
        p.refresh_from_db()
        assert p.status == Status.RETURNED


def test_dashboard_counts_by_state_and_shares(client, finance, central):
    first = kfu_proposal()
    kfu_proposal()
    workflow.submit(finance, first)
    # all catalogues and drafts included explicitly (the default is the newest, no drafts)
    url = reverse("review:dashboard") + "?committee=KFU&catalog=&kladder=1"
    response = login(client, central).get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 1 and rows[0]["committee"].code == "KFU"
    assert rows[0]["states"] == {"draft": 1, "submitted": 1}
    years = {y["year"]: y for y in rows[0]["years"]}
    assert years[2022]["savings"] == Decimal("-400")
    assert years[2021]["investments"] == Decimal("1000")
    assert "<svg" in response.content.decode()


def test_waiting_for_me_per_role(client, finance, central, reviewer):
    draft = kfu_proposal(number="D1")
    submitted = kfu_proposal(number="S1")
    forwarded = kfu_proposal(number="F1")
    workflow.submit(finance, submitted)
    for p in (forwarded,):
        workflow.submit(finance, p)
        workflow.start_hearing(central, p)
        workflow.answer_hearing(central, p, workflow.CENTRAL_BODY, "yes")
        workflow.forward(central, p)

    def waiting(user):
        c = login(Client(), user)
        return sorted(list_numbers(c.get(reverse("review:waiting"))))

    assert waiting(finance) == ["D1"]
    assert waiting(central) == ["S1"]
    assert waiting(reviewer) == ["F1"]
    workflow.approve(reviewer, forwarded)
    assert waiting(reviewer) == []
    assert waiting(central) == ["F1", "S1"]  # approved: to recommend
    assert draft.pk


def test_export_last_changed_is_a_date_in_copenhagen(client, central):
    """'Senest ændret' is the Danish calendar day of the last change: a date cell in xlsx
    and dd-mm-yyyy in CSV (Danish Excel reads it as a date), never ISO text or the UTC day
    (23:30 UTC on 30 November is 1 December in Copenhagen)."""
    import datetime as dt

    from cases.models import Proposal

    proposal = kfu_proposal(number="BC01")
    Proposal.objects.filter(pk=proposal.pk).update(
        updated_at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    )
    client = login(client, central)
    response = client.get(reverse("review:case_list_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Senest ændret" and rows[1][-1] == "01-12-2026"
    response = client.get(reverse("review:case_list_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = list(sheet.iter_rows(min_row=2, max_row=2))[0][-1]
    assert cell.value == dt.datetime(2026, 12, 1) and cell.number_format == "DD-MM-YYYY"
