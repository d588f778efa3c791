"""Reviewing many cases (issue 12): bulk Vedtaget / Ikke vedtaget, pending decisions
applied together with a result per row, the committee picker for cross-cutting
approvals, filter pills, saved views (per user, shareable by URL), a search over
committees, administrations, statuses and the narrative, chosen columns, sort direction,
and the permission matrix of the new views."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Status
from review import workflow
from review.models import PendingDecision, SavedView
from tests.factories import administration, committee

from .conftest import kfu_proposal, set_status
from .test_review_permissions import SEES, cases, titles_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def recommended(n, **kwargs):
    return [
        set_status(
            kfu_proposal(number=f"BC{i:02d}", title=f"Forslag {i}", **kwargs), Status.RECOMMENDED
        )
        for i in range(1, n + 1)
    ]


def test_bulk_adopted_on_ten_cases(client, central):
    proposals = recommended(10)
    client.force_login(central)
    response = client.post(
        reverse("review:bulk_action"),
        {"action": "adopt", "select": [p.pk for p in proposals]},
        follow=True,
    )
    for p in proposals:
        p.refresh_from_db()
    assert [p.status for p in proposals] == [Status.ADOPTED] * 10
    texts = [str(m) for m in response.context["messages"]]
    assert "BC01 Forslag 1: Vedtaget" in texts
    assert "10 af 10 udført." in texts


def test_pending_decisions_are_applied_together_with_a_result_per_row(client, central):
    proposals = recommended(4)
    stays = set_status(kfu_proposal(number="BC09", title="I høring"), Status.IN_HEARING)
    client.force_login(central)
    bulk = reverse("review:bulk_action")
    client.post(bulk, {"action": "mark_adopt", "select": [p.pk for p in proposals[:3]]})
    client.post(bulk, {"action": "mark_not_adopt", "select": [proposals[3].pk, stays.pk]})
    # marked, nothing decided yet; the proposal in hearing cannot be decided: not marked
    assert {d.proposal_id: d.adopted for d in PendingDecision.objects.all()} == {
        proposals[0].pk: True,
        proposals[1].pk: True,
        proposals[2].pk: True,
        proposals[3].pk: False,
    }
    assert {p.status for p in proposals} == {Status.RECOMMENDED}
    page = client.get(reverse("review:case_list")).content.decode()
    assert "Anvend 4 ventende beslutninger" in page
    assert page.count('class="pending"') == 4
    # one of them is sent back meanwhile: its decision is refused, the others applied
    workflow.return_to_author(central, proposals[2], "Ret tallene")
    response = client.post(reverse("review:decisions_apply"), {"query": ""}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    for p in proposals:
        p.refresh_from_db()
    assert [p.status for p in proposals] == [
        Status.ADOPTED,
        Status.ADOPTED,
        Status.RETURNED,
        Status.NOT_ADOPTED,
    ]
    assert "BC04 Forslag 4: Ikke vedtaget" in texts
    assert any(t.startswith("BC03 Forslag 3: ") and "Vedtaget" not in t for t in texts)
    assert list(PendingDecision.objects.values_list("proposal_id", flat=True)) == [proposals[2].pk]


def test_reviewers_cannot_mark_or_apply_decisions(client, reviewer):
    (proposal,) = recommended(1)
    client.force_login(reviewer)
    client.post(reverse("review:bulk_action"), {"action": "mark_adopt", "select": [proposal.pk]})
    assert not PendingDecision.objects.exists()
    PendingDecision.objects.create(proposal=proposal, adopted=True)
    client.post(reverse("review:decisions_apply"), {"query": ""})
    proposal.refresh_from_db()
    assert proposal.status == Status.RECOMMENDED


def test_committee_picker_approves_a_cross_cutting_case_for_the_chosen_committee(
    client, finance, central, admin
):
    from review.models import CommitteeApproval

    proposal = kfu_proposal(number="BC20", title="Tværgående", cross_cutting=True)
    proposal.affected_administrations.set([administration("TMF")])
    workflow.submit(finance, proposal)
    workflow.start_hearing(central, proposal)
    workflow.answer_hearing(central, proposal, workflow.CENTRAL_BODY, "yes")
    workflow.forward(central, proposal)
    client.force_login(admin)
    client.post(
        reverse("review:bulk_action"),
        {"action": "approve", "committee": "TMU", "select": [proposal.pk]},
    )
    approved = set(CommitteeApproval.objects.values_list("committee__code", flat=True))
    assert approved == {"TMU"}


def test_filter_pills_name_each_active_filter_and_remove_it(client, central):
    kfu_proposal(number="BC01", title="Et")
    client.force_login(central)
    response = client.get(
        reverse("review:case_list"), {"status": ["draft", "submitted"], "committee": "KFU"}
    )
    pills = {(p.label, p.value): p.remove for p in response.context["pills"]}
    assert set(pills) == {
        ("Status", "Kladde"),
        ("Status", "Indsendt"),
        ("Udvalg", "Kultur- og Fritidsudvalget"),
    }
    assert pills[("Status", "Kladde")] == "?status=submitted&committee=KFU"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Fritidsudvalget", {"BC01"}),
        ("Teknik- og Miljø", {"BC02"}),
        ("TMF", {"BC02"}),
        ("Indsendt", {"BC02"}),
        ("lygtepæle", {"BC01"}),
    ],
)
def test_search_finds_committees_administrations_statuses_and_narrative(
    client, central, query, found
):
    kfu_proposal(number="BC01", title="Et", background="Nye lygtepæle på Vesterbro.")
    set_status(
        kfu_proposal(
            number="BC02",
            title="To",
            committee=committee("TMU"),
            presenting_administration=administration("TMF"),
        ),
        Status.SUBMITTED,
    )
    client.force_login(central)
    table = client.get(reverse("review:case_list"), {"q": query}).context["table"]
    assert {row.record.number for row in table.rows} == found


def danish_cases():
    kfu_proposal(number="BC01", title="Økonomistyring i kulturen")
    kfu_proposal(number="BC02", title="To", summary="Bedre ØKONOMI for foreningerne.")
    kfu_proposal(number="BC03", title="Tre", content="En økonomisk gevinst fra ÅR ét.")
    kfu_proposal(
        number="BC04",
        title="Fire",
        committee=committee("ØU"),
        presenting_administration=administration("ØKF"),
    )
    kfu_proposal(number="BC05", title="Fem", other_sections=[{"heading": "Økonomi", "text": "x"}])
    kfu_proposal(number="BC06", title="Belysning", background="Nye lygtepæle.")


@pytest.mark.parametrize(
    ("queries", "found"),
    [
        (("økonomi", "ØKONOMI", "Økonomi", "øKoNoMi"), {"BC01", "BC02", "BC03", "BC04", "BC05"}),
        (("år ét", "ÅR ÉT", "År Ét"), {"BC03"}),
        (("LYGTEPÆLE", "lygtepæle"), {"BC06"}),
        (("økf", "ØKF"), {"BC04"}),
    ],
)
def test_search_folds_case_and_danish_letters_alike(client, central, queries, found):
    """Finding 22: on SQLite `?q=økonomi` and `?q=ØKONOMI` found different proposals
    (LIKE folds only ASCII). Every field the search looks in: title, summary, narrative,
    other sections, committee and administration names."""
    danish_cases()
    client.force_login(central)
    for query in queries:
        table = client.get(reverse("review:case_list"), {"q": query}).context["table"]
        assert {row.record.number for row in table.rows} == found, query


def test_search_text_is_stored_folded_with_the_summary(central):
    """Stored when the summary is written (an editor save or an import refreshes it)."""
    from review.models import ProposalSummary

    proposal = kfu_proposal(number="BC01", title="ÆBLER og PÆRER", summary="Åbne Øer")
    text = ProposalSummary.objects.get(proposal=proposal).search_text
    assert "æbler og pærer" in text and "åbne øer" in text
    assert "kultur- og fritidsudvalget" in text


def test_chosen_columns_and_sort_direction(client, central):
    kfu_proposal(number="BC01", title="Et")
    client.force_login(central)
    response = client.get(reverse("review:case_list"), {"kolonne": ["status"], "sort": "-number"})
    shown = [column.name for column in response.context["table"].columns]
    assert shown == ["select", "number", "title", "status"]
    html = response.content.decode()
    assert re.search(r'<th class="[^"]*\bdesc\b[^"]*"[^>]*>\s*<a href="\?[^"]*sort=number', html)


def test_list_export_carries_the_status(client, central):
    set_status(kfu_proposal(number="BC01", title="Et"), Status.SUBMITTED)
    client.force_login(central)
    content = client.get(reverse("review:case_list_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][rows[0].index("Status")] == "Status"
    assert rows[1][rows[0].index("Status")] == "Indsendt"


# --------------------------------------------------------------------------- saved views


def test_saved_view_reopens_filters_sort_and_columns_from_its_url(client, central, reviewer):
    kfu_proposal(number="BC01", title="Et")
    client.force_login(central)
    query = "status=draft&sort=-number&kolonne=status&page=2"
    response = client.post(reverse("review:saved_view_create"), {"name": "Kladder", "query": query})
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.query) == (
        central,
        "Kladder",
        "status=draft&sort=-number&kolonne=status",
    )
    assert response["Location"] == reverse("review:saved_view", args=[view.pk])
    opened = client.get(response["Location"])
    assert opened["Location"] == (
        reverse("review:case_list") + f"?status=draft&sort=-number&kolonne=status&visning={view.pk}"
    )
    # shared: another user opens the same address and gets the same filter
    client.force_login(reviewer)
    assert client.get(view.get_absolute_url())["Location"] == opened["Location"]
    # but only the owner lists it and may delete it
    assert 'class="saved-view"' not in client.get(reverse("review:case_list")).content.decode()
    assert client.post(reverse("review:saved_view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.exists()
    client.force_login(central)
    client.post(reverse("review:saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("role", sorted(SEES))
def test_a_shared_view_shows_only_what_the_user_may_read(users, cases, role):  # noqa: F811
    view = SavedView.objects.create(owner=users["central"], name="Alle", query="")
    client = Client()
    client.force_login(users[role])
    response = client.get(view.get_absolute_url(), follow=True)
    assert response.status_code == 200
    assert titles_in(response.content.decode()) == SEES[role]


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("saved_view_create", [], "post"),
        ("saved_view", [1], "get"),
        ("saved_view_delete", [1], "post"),
        ("decisions_apply", [], "post"),
    ],
)
def test_new_views_need_login(client, name, args, method):
    response = getattr(client, method)(reverse(f"review:{name}", args=args))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_new_state_changes_need_csrf_and_refuse_get(users, central):
    view = SavedView.objects.create(owner=central, name="V", query="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(central)
    for url in (
        reverse("review:saved_view_create"),
        reverse("review:saved_view_delete", args=[view.pk]),
        reverse("review:decisions_apply"),
    ):
        assert client.post(url, {"name": "x"}).status_code == 403, url
        assert client.get(url).status_code == 405, url
    assert SavedView.objects.count() == 1
