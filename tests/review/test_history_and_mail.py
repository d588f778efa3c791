"""History (versions, readable diff, since submitted / since I last looked, immutable),
stored summaries (equal to the engine, refreshed when stale) and notification mails."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse

from cases.models import LineAmount, Proposal
from cases.selectors import figures_for, proposals_with_inputs
from finance import engine
from review import history, workflow
from review.models import LastSeen, Notification, ProposalSummary, ProposalVersion
from review.summaries import ensure_fresh, refresh_summary, stale_proposals

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db


def edit(proposal, user, **fields):
    """What the editor's save service does: change inputs, bump the version, record."""
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1, **fields)
    proposal.refresh_from_db()
    history.record_version(proposal, user, "saved")
    refresh_summary(proposal)


def test_diff_names_fields_lines_and_amounts(finance):
    proposal = kfu_proposal(title="Gammel titel")
    first = history.record_version(proposal, finance, "created")
    line = proposal.lines.get(label="Besparelse")
    LineAmount.objects.filter(line=line, year=2022).update(amount=Decimal("-1034"))
    LineAmount.objects.filter(line=line, year=2026).delete()
    from tests.factories import add_line

    add_line(proposal, "implementation", "cost", "capital", "Anlæg", {2021: 5580})
    edit(proposal, finance, title="Ny titel")
    latest = history.latest_version(proposal)
    assert latest.number == first.number + 1
    changes = {(c.group, c.field): c for c in history.diff(first.data, latest.data)}
    assert changes[("Felter", "Titel")].before == "Gammel titel"
    assert changes[("Felter", "Titel")].after == "Ny titel"
    amounts = {c.field: c for c in changes.values() if c.field.endswith(("2022", "2026"))}
    assert any(c.before == "-200" and c.after == "-1.034" for c in amounts.values())
    removed = [c for c in amounts.values() if c.kind == "removed"]
    assert len(removed) == 1 and removed[0].field.endswith("2026")
    added = [c for c in changes.values() if c.kind == "added" and "Anlæg" in c.field]
    assert {c.after for c in added} >= {"5.580"}
    # Equal state: no new version.
    assert history.record_version(proposal, finance) == latest


def test_decimal_amounts_show_in_the_changes_and_the_case_page_opens_again(client, finance):
    """A version stores amounts as JSON numbers; 337,5 comes back as a float and must be
    shown as "-337,5" (found by trying it: the case page gave 500 from the second visit)."""
    proposal = kfu_proposal(title="Halve tusinder")
    first = history.record_version(proposal, finance, "created")
    line = proposal.lines.get(label="Besparelse")
    LineAmount.objects.filter(line=line, year=2022).update(amount=Decimal("-337.5"))
    edit(proposal, finance)
    changes = history.diff(first.data, history.latest_version(proposal).data)
    assert [(c.before, c.after) for c in changes if c.field.endswith("2022")] == [
        ("-200", "-337,5")
    ]
    client.force_login(finance)
    url = reverse("review:case", args=[proposal.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    changes_url = reverse("review:case_changes", args=[proposal.pk])
    assert client.get(changes_url, {"fra": first.number}).status_code == 200


def test_versions_are_immutable(finance):
    proposal = kfu_proposal()
    version = history.record_version(proposal, finance)
    version.data = {}
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        ProposalVersion.objects.filter(pk=version.pk).update(data={})
    with pytest.raises(PermissionError):
        version.delete()


def test_changes_tab_since_submitted_and_since_i_last_looked(client, finance, central):
    proposal = kfu_proposal(title="Version 1")
    history.record_version(proposal, finance)
    edit(proposal, finance, title="Version 2")
    workflow.submit(finance, proposal)  # the "submitted" version is version 2
    client.force_login(central)
    client.get(reverse("review:case", args=[proposal.pk]))  # central looks now ...
    assert not LastSeen.objects.exists()  # ... which writes nothing; the page then posts:
    seen_now = history.latest_version(proposal).number
    client.post(reverse("review:case_seen", args=[proposal.pk]), {"version": seen_now})
    edit(proposal, central, title="Version 3")
    response = client.get(reverse("review:case", args=[proposal.pk]))
    assert response.context["since_seen"]  # one change since central last looked
    assert response.context["latest"].number == seen_now + 1  # what the page then posts:
    client.post(reverse("review:case_seen", args=[proposal.pk]), {"version": seen_now + 1})
    response = client.get(reverse("review:case_changes", args=[proposal.pk]))
    assert response.context["before"].data["title"] == "Version 2"  # since submitted
    assert [(c.before, c.after) for c in response.context["changes"]] == [
        ("Version 2", "Version 3")
    ]
    seen = response.context["seen"]
    response = client.get(reverse("review:case_changes", args=[proposal.pk]) + "?fra=1&til=2")
    assert [(c.before, c.after) for c in response.context["changes"]] == [
        ("Version 1", "Version 2")
    ]
    assert seen.data["title"] == "Version 3"
    assert (
        client.get(reverse("review:case_changes", args=[proposal.pk]) + "?fra=99").status_code
        == 404
    )


def test_a_get_never_records_a_change_that_bypassed_the_history(client, central):
    """A change written past the services (here: an UPDATE) is not recorded by whoever
    looks next (a GET writes nothing); the next change through a service records it."""
    proposal = kfu_proposal(title="Før")
    history.record_version(proposal, central)
    Proposal.objects.filter(pk=proposal.pk).update(title="Efter", version=F("version") + 1)
    client.force_login(central)
    for name in ("review:case", "review:case_changes"):
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 200
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    assert not LastSeen.objects.exists()
    edit(proposal, central, title="Efter igen")
    response = client.get(reverse("review:case_changes", args=[proposal.pk]) + "?fra=1")
    assert [(c.before, c.after) for c in response.context["changes"]] == [("Før", "Efter igen")]


def test_a_case_without_any_version_shows_and_writes_nothing(client, central):
    proposal = kfu_proposal()
    client.force_login(central)
    assert client.get(reverse("review:case", args=[proposal.pk])).status_code == 200
    response = client.get(reverse("review:case_changes", args=[proposal.pk]))
    assert response.status_code == 200 and response.context["changes"] == []
    assert not ProposalVersion.objects.exists()


def test_marking_seen_needs_a_version_of_the_case(client, central):
    proposal = kfu_proposal()
    version = history.record_version(proposal, central)
    client.force_login(central)
    url = reverse("review:case_seen", args=[proposal.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"version": "x"}).status_code == 404
    assert client.post(url, {"version": "7"}).status_code == 404
    assert (
        client.post(url, {"version": "1"}, headers={"X-Requested-With": "fetch"}).status_code == 204
    )
    assert LastSeen.objects.get(user=central, proposal=proposal).version == version


# ----------------------------------------------------------------------------- summaries


def test_summary_is_the_engines_overview_row(reference_catalogs):
    ensure_fresh()
    for proposal in proposals_with_inputs(Proposal.objects.all()):
        row = engine.overview_row(figures_for(proposal))
        summary = ProposalSummary.objects.get(proposal=proposal)
        for key in (
            "investment_service",
            "investment_capital",
            "full_effect_service",
            "full_effect_transfers",
            "payback_years",
            "innovation_pool",
        ):
            assert getattr(summary, key) == row[key], (proposal.number, key)


def test_bc01_overview_as_printed(reference_catalogs):
    ensure_fresh()
    bc01 = ProposalSummary.objects.get(
        proposal__number="BC01", proposal__catalog__pool="investment"
    )
    # Printed: ØU * BC01 Belysningspakke 2D 0,0 5,6 1,0 0,0 6
    assert (
        bc01.investment_service,
        bc01.investment_capital,
        bc01.full_effect_service,
        bc01.full_effect_transfers,
        bc01.payback_years,
    ) == (Decimal("0.0"), Decimal("5.6"), Decimal("1.0"), Decimal("0.0"), 6)


def test_stale_summaries_are_found_and_refreshed(finance):
    proposal = kfu_proposal()
    assert not stale_proposals().exists()  # stored as the services store it
    ProposalSummary.objects.filter(proposal=proposal).delete()  # data from elsewhere
    assert list(stale_proposals()) == [proposal]
    assert ensure_fresh() == 1
    assert not stale_proposals().exists()
    Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
    assert list(stale_proposals()) == [proposal]


# ----------------------------------------------------------------------------- mail


def run(callbacks_fixture, step):
    with callbacks_fixture(execute=True):
        return step()


def test_notifications_go_to_the_right_people_with_a_link(
    finance, central, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    proposal = kfu_proposal(number="BC12", title="Borgerservice")
    link = f"/sager/{proposal.pk}/"

    def sent(step):
        mail.outbox.clear()
        run(capture, step)
        return sorted(address for m in mail.outbox for address in m.to)

    assert sent(lambda: workflow.submit(finance, proposal)) == [central.email]
    assert link in mail.outbox[0].body and "BC12" in mail.outbox[0].subject
    assert sent(lambda: workflow.start_hearing(central, proposal)) == [finance.email]
    assert sent(
        lambda: workflow.answer_hearing(central, proposal, workflow.CENTRAL_BODY, "yes")
    ) == [finance.email]
    assert sent(lambda: workflow.forward(central, proposal)) == [reviewer.email]
    assert sent(lambda: workflow.approve(reviewer, proposal)) == sorted(
        [finance.email, central.email]
    )
    assert sent(lambda: workflow.recommend(central, proposal)) == sorted(
        [finance.email, reviewer.email]
    )
    assert sent(lambda: workflow.decide(central, proposal, True)) == sorted(
        [finance.email, reviewer.email]
    )
    assert other_reviewer.email not in {a for m in mail.outbox for a in m.to}
    assert Notification.objects.filter(recipient=finance).count() == 5


def test_return_mail_carries_the_comment(finance, central, django_capture_on_commit_callbacks):
    proposal = kfu_proposal()
    workflow.submit(finance, proposal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_author(central, proposal, "Opfølgningen mangler")
    assert [m.to for m in mail.outbox] == [[finance.email]]
    assert "Opfølgningen mangler" in mail.outbox[0].body


def test_no_mail_when_the_step_fails(finance, central, django_capture_on_commit_callbacks):
    proposal = kfu_proposal()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(workflow.StepRefused):
            workflow.forward(central, proposal)
    assert mail.outbox == []
