"""The workflow state machine: every transition allowed and refused by role and state,
the hearing rule, cross-cutting approvals, return and resubmission, bulk actions, the
append-only log and the approval text of the annex."""

import datetime

import pytest
from django.db import transaction

from cases.models import Proposal, Status
from cases.permissions import can_edit, visible_proposals
from review import workflow
from review.models import CommitteeApproval, WorkflowEvent
from tests.factories import administration

from .conftest import kfu_proposal

pytestmark = pytest.mark.django_db

CENTRAL = workflow.CENTRAL_BODY


def do(action, user, proposal, **kwargs):
    """Take one step as `user` (with the arguments each step needs)."""
    comment = kwargs.pop("comment", "Begrundelse")
    steps = {
        "submit": lambda: workflow.submit(user, proposal, comment),
        "start_hearing": lambda: workflow.start_hearing(user, proposal, comment),
        "answer_hearing": lambda: workflow.answer_hearing(
            user, proposal, kwargs.get("body", CENTRAL), kwargs.get("answer", "yes"), "", comment
        ),
        "forward": lambda: workflow.forward(user, proposal, comment),
        "approve": lambda: workflow.approve(
            user, proposal, approved_on=kwargs.get("approved_on"), comment=comment
        ),
        "recommend": lambda: workflow.recommend(user, proposal, comment),
        "adopt": lambda: workflow.decide(user, proposal, True, comment),
        "not_adopt": lambda: workflow.decide(user, proposal, False, comment),
        "return": lambda: workflow.return_to_author(user, proposal, comment),
        "reject": lambda: workflow.reject(user, proposal, comment),
    }
    return steps[action]()


def walk(proposal, state, *, finance, central, reviewer):
    """Bring `proposal` to `state` through the real steps."""
    path = {
        "draft": [],
        "submitted": [("submit", finance)],
        "in_hearing": [("submit", finance), ("start_hearing", central)],
        "forwarded": [
            ("submit", finance),
            ("start_hearing", central),
            ("answer_hearing", central),
            ("forward", central),
        ],
        "committee_approved": [
            ("submit", finance),
            ("start_hearing", central),
            ("answer_hearing", central),
            ("forward", central),
            ("approve", reviewer),
        ],
        "recommended": [
            ("submit", finance),
            ("start_hearing", central),
            ("answer_hearing", central),
            ("forward", central),
            ("approve", reviewer),
            ("recommend", central),
        ],
        "adopted": [
            ("submit", finance),
            ("start_hearing", central),
            ("answer_hearing", central),
            ("forward", central),
            ("approve", reviewer),
            ("recommend", central),
            ("adopt", central),
        ],
        "returned": [("submit", finance), ("return", central)],
    }[state]
    for action, user in path:
        do(action, user, proposal)
    proposal.refresh_from_db()
    return proposal


ROLES = ("finance", "other_finance", "central", "reviewer", "other_reviewer", "admin")
# (state, action) -> the roles that may take the step; every other role is refused.
MATRIX = {
    ("draft", "submit"): {"finance", "central", "admin"},
    ("draft", "start_hearing"): set(),
    ("draft", "approve"): set(),
    ("draft", "return"): set(),
    ("submitted", "submit"): set(),
    ("submitted", "start_hearing"): {"central", "admin"},
    ("submitted", "approve"): set(),
    ("submitted", "return"): {"central", "admin"},
    ("submitted", "reject"): {"central", "admin"},
    ("submitted", "recommend"): set(),
    ("in_hearing", "answer_hearing"): {"central", "admin"},
    ("in_hearing", "forward"): set(),  # Center for Økonomi has not answered yet
    ("in_hearing", "approve"): set(),
    ("in_hearing", "return"): {"central", "admin"},
    ("in_hearing", "reject"): {"central", "admin"},
    ("forwarded", "forward"): set(),
    ("forwarded", "approve"): {"reviewer", "admin"},
    ("forwarded", "return"): {"central", "admin", "reviewer"},
    ("forwarded", "reject"): {"central", "admin", "reviewer"},
    ("forwarded", "recommend"): set(),
    ("committee_approved", "approve"): set(),
    ("committee_approved", "recommend"): {"central", "admin"},
    ("committee_approved", "return"): {"central", "admin"},
    ("committee_approved", "reject"): {"central", "admin"},
    ("committee_approved", "adopt"): set(),
    ("recommended", "adopt"): {"central", "admin"},
    ("recommended", "not_adopt"): {"central", "admin"},
    ("recommended", "return"): {"central", "admin"},
    ("recommended", "reject"): set(),
    ("adopted", "return"): set(),
    ("adopted", "reject"): set(),
    ("adopted", "not_adopt"): set(),
    ("returned", "submit"): {"finance", "central", "admin"},
    ("returned", "start_hearing"): set(),
}
AFTER = {
    "submit": Status.SUBMITTED,
    "start_hearing": Status.IN_HEARING,
    "answer_hearing": Status.IN_HEARING,
    "approve": Status.COMMITTEE_APPROVED,
    "recommend": Status.RECOMMENDED,
    "adopt": Status.ADOPTED,
    "not_adopt": Status.NOT_ADOPTED,
    "return": Status.RETURNED,
    "reject": Status.REJECTED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state,action", sorted(MATRIX))
def test_transition_matrix(users, state, action, role):
    proposal = walk(
        kfu_proposal(),
        state,
        finance=users["finance"],
        central=users["central"],
        reviewer=users["reviewer"],
    )
    before_events = WorkflowEvent.objects.filter(proposal=proposal).count()
    user = users[role]
    expected = role in MATRIX[(state, action)]
    assert workflow.allowed(user, proposal, action) is expected
    if expected:
        event = do(action, user, proposal)
        proposal.refresh_from_db()
        assert event.user == user
        assert event.action == action
        assert event.from_status == ("in_hearing" if state == "forwarded" else state)
        assert proposal.status == AFTER.get(action, event.from_status)
        assert event.to_status == proposal.status
        assert event.comment.endswith("Begrundelse")
    else:
        status = proposal.status
        with pytest.raises(workflow.StepRefused):
            do(action, user, proposal)
        proposal.refresh_from_db()
        assert proposal.status == status
        assert WorkflowEvent.objects.filter(proposal=proposal).count() == before_events


def test_full_path_records_who_when_and_comment(finance, central, reviewer):
    proposal = kfu_proposal()
    walk(proposal, "adopted", finance=finance, central=central, reviewer=reviewer)
    events = list(WorkflowEvent.objects.filter(proposal=proposal).order_by("pk"))
    assert [e.action for e in events] == [
        "submit",
        "start_hearing",
        "answer_hearing",
        "forward",
        "approve",
        "recommend",
        "adopt",
    ]
    assert [e.to_status for e in events] == [
        "submitted",
        "in_hearing",
        "in_hearing",
        "in_hearing",
        "committee_approved",
        "recommended",
        "adopted",
    ]
    assert [e.user for e in events] == [
        finance,
        central,
        central,
        central,
        reviewer,
        central,
        central,
    ]
    assert all(e.at is not None for e in events)
    assert events[2].comment.startswith("Center for Økonomi, Økonomiforvaltningen: Ja")


def test_return_makes_it_editable_again_and_resubmission_needs_new_approvals(
    finance, central, reviewer
):
    proposal = walk(
        kfu_proposal(), "forwarded", finance=finance, central=central, reviewer=reviewer
    )
    assert not can_edit(finance, proposal)  # read-only for the author after submission
    do("approve", reviewer, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    do("return", central, proposal, comment="Ret tallene")
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED
    assert can_edit(finance, proposal)
    do("submit", finance, proposal)
    do("start_hearing", central, proposal)
    proposal.refresh_from_db()
    # Center for Økonomi's "Ja" is an input of the proposal and stays; the committee's
    # approval of the earlier round does not count for the new one.
    assert workflow.approvals(proposal) == []
    with pytest.raises(workflow.StepRefused, match="sendt forslaget videre"):
        do("approve", reviewer, proposal)
    do("forward", central, proposal)
    do("approve", reviewer, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    assert CommitteeApproval.objects.filter(proposal=proposal).count() == 2


def test_return_and_reject_need_a_comment(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "submitted", finance=finance, central=central, reviewer=reviewer
    )
    for action in ("return", "reject"):
        with pytest.raises(workflow.StepRefused, match="kommentar"):
            do(action, central, proposal, comment="  ")


def test_hearing_rule_center_for_oekonomi_must_answer_yes(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "in_hearing", finance=finance, central=central, reviewer=reviewer
    )
    # Another body's "Ja" is not enough, nor is Center for Økonomi's "Nej".
    do("answer_hearing", central, proposal, body="IT-kredsen", answer="yes")
    do("answer_hearing", central, proposal, answer="no")
    with pytest.raises(workflow.StepRefused, match="Center for Økonomi"):
        do("forward", central, proposal)
    do("answer_hearing", central, proposal, answer="yes")
    do("forward", central, proposal)
    # The answer changes back to "Nej" after forwarding: approval is refused again.
    do("answer_hearing", central, proposal, answer="no")
    with pytest.raises(workflow.StepRefused, match="Center for Økonomi"):
        do("approve", reviewer, proposal)
    do("answer_hearing", central, proposal, answer="yes")
    do("approve", reviewer, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    rows = {h.body: h for h in proposal.hearing.all()}
    assert rows[CENTRAL].answer == "yes"
    assert rows[CENTRAL].answered_by == central
    assert rows[CENTRAL].answered_at is not None
    assert rows["IT-kredsen"].answer == "yes"


def test_hearing_answer_validates_body_and_answer(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "in_hearing", finance=finance, central=central, reviewer=reviewer
    )
    with pytest.raises(workflow.StepRefused):
        workflow.answer_hearing(central, proposal, "", "yes")
    with pytest.raises(workflow.StepRefused):
        workflow.answer_hearing(central, proposal, CENTRAL, "maybe")


def test_cross_cutting_needs_every_involved_committee(finance, central, reviewer, other_reviewer):
    proposal = kfu_proposal(cross_cutting=True)
    proposal.affected_administrations.set([administration("TMF")])
    # Before: the TMU reviewer sees the cross-cutting proposal because TMF is affected.
    assert proposal in visible_proposals(other_reviewer)
    walk(proposal, "forwarded", finance=finance, central=central, reviewer=reviewer)
    do("approve", reviewer, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_HEARING  # TMU has not approved yet
    with pytest.raises(workflow.StepRefused, match="allerede"):
        do("approve", reviewer, proposal)
    do("approve", other_reviewer, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    assert {a.committee.code for a in workflow.approvals(proposal)} == {"KFU", "TMU"}


def test_reviewer_of_an_uninvolved_committee_cannot_approve_or_see(
    finance, central, reviewer, other_reviewer
):
    proposal = walk(
        kfu_proposal(), "forwarded", finance=finance, central=central, reviewer=reviewer
    )
    assert proposal not in visible_proposals(other_reviewer)
    with pytest.raises(workflow.StepRefused):
        do("approve", other_reviewer, proposal)


def test_approval_date_and_the_annex_text(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "forwarded", finance=finance, central=central, reviewer=reviewer
    )
    assert workflow.approval_text(proposal) == ""
    with pytest.raises(workflow.StepRefused, match="fremtiden"):
        do("approve", reviewer, proposal, approved_on=datetime.date.today().replace(year=2999))
    do("approve", reviewer, proposal, approved_on=datetime.date(2020, 3, 9))
    proposal.refresh_from_db()
    assert CommitteeApproval.objects.get(proposal=proposal).approved_on == datetime.date(2020, 3, 9)
    assert workflow.approval_text(proposal) == "udvalgsgodkendt den 9. marts 2020"


def test_submit_needs_a_committee(finance):
    proposal = kfu_proposal(committee=None)
    with pytest.raises(workflow.StepRefused, match="intet udvalg"):
        do("submit", finance, proposal)


def test_steps_are_atomic(finance, central, reviewer, monkeypatch):
    """A failure after the status was changed leaves nothing behind."""
    proposal = kfu_proposal()

    def broken(event):
        raise RuntimeError("mail server down while recording")

    monkeypatch.setattr("review.notifications.notify", broken)
    with pytest.raises(RuntimeError):
        do("submit", finance, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    assert not WorkflowEvent.objects.filter(proposal=proposal).exists()


def test_log_and_approvals_are_append_only(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "committee_approved", finance=finance, central=central, reviewer=reviewer
    )
    event = WorkflowEvent.objects.filter(proposal=proposal).first()
    event.comment = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        WorkflowEvent.objects.filter(proposal=proposal).update(comment="x")
    with pytest.raises(PermissionError):
        CommitteeApproval.objects.filter(proposal=proposal).delete()
    assert WorkflowEvent.objects.get(pk=event.pk).comment != "rewritten"


def test_deleting_a_proposal_takes_its_records_along(finance, central, reviewer):
    proposal = walk(
        kfu_proposal(), "committee_approved", finance=finance, central=central, reviewer=reviewer
    )
    Proposal.objects.filter(pk=proposal.pk).delete()
    assert not WorkflowEvent.objects.exists()


# ------------------------------------------------------------------------------ bulk


def test_bulk_approve_reports_per_case(finance, central, reviewer, other_reviewer):
    ready = [
        walk(kfu_proposal(), "forwarded", finance=finance, central=central, reviewer=reviewer)
        for _ in range(2)
    ]
    not_ready = walk(
        kfu_proposal(), "in_hearing", finance=finance, central=central, reviewer=reviewer
    )
    results = workflow.bulk(reviewer, [*ready, not_ready], "approve")
    assert [r.ok for r in results] == [True, True, False]
    assert "forwarded" in results[2].message or "Center for Økonomi" in results[2].message
    for p in ready:
        p.refresh_from_db()
        assert p.status == Status.COMMITTEE_APPROVED
    not_ready.refresh_from_db()
    assert not_ready.status == Status.IN_HEARING
    # The same checks as one at a time: another committee's reviewer gets refusals.
    again = walk(kfu_proposal(), "forwarded", finance=finance, central=central, reviewer=reviewer)
    assert [r.ok for r in workflow.bulk(other_reviewer, [again], "approve")] == [False]


def test_bulk_return(finance, central, reviewer):
    proposals = [
        walk(kfu_proposal(), "submitted", finance=finance, central=central, reviewer=reviewer),
        walk(kfu_proposal(), "draft", finance=finance, central=central, reviewer=reviewer),
    ]
    results = workflow.bulk(central, proposals, "return", comment="Mangler opfølgning")
    assert [r.ok for r in results] == [True, False]
    proposals[0].refresh_from_db()
    assert proposals[0].status == Status.RETURNED


def test_bulk_refuses_steps_that_are_not_bulk_steps(central, proposal):
    with pytest.raises(workflow.StepRefused):
        workflow.bulk(central, [proposal], "reject")  # adopt became a bulk step (issue 12)


def test_on_commit_is_used_for_mail(finance, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            do("submit", finance, proposal)
    assert len(callbacks) == 1
