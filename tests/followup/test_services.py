"""freeze_plan, registrations, realised figures: permissions, validation, history, and
that the frozen plan stays as adopted."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from cases.exporting import computed_block
from cases.models import LineAmount, Proposal
from cases.selectors import figures_for, proposals_with_inputs
from finance import engine
from followup import permissions
from followup.models import (
    EventKind,
    FollowupEvent,
    FrozenPlan,
    FrozenPlanError,
    RealisedAmount,
    Registration,
    TrackedCriterion,
)
from followup.selectors import PlanView, plan_case, plans_with_everything
from followup.services import (
    cell_name,
    freeze_plan,
    register_followup,
    save_realised,
    update_tracking,
)

pytestmark = pytest.mark.django_db


def line_ids(plan):
    return {ln.label: ln.pk for ln in plan.realised_lines.all()}


def test_freeze_plan_keeps_inputs_and_the_engines_figures(plan, proposal):
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    assert plan.version == proposal.version
    assert plan.document["number"] == proposal.number
    assert plan.document["computed"] == computed_block(figures_for(full))
    # recomputed from the frozen inputs by the engine: the same figures
    assert computed_block(engine.compute(plan_case(plan))) == plan.document["computed"]
    assert plan.document["computed"]["payback_years_total"] == 3  # 1100, 300, -500
    assert [ln.label for ln in plan.realised_lines.all()] == ["Færre opkald", "Projektledelse"]
    first, second = plan.criteria.all()
    assert (first.schedule, first.first_due) == ("once", date(2021, 12, 31))
    assert (second.schedule, second.first_due) == ("quarterly", date(2021, 12, 31))
    assert first.responsible_administration.code == "KFF"
    assert FollowupEvent.objects.filter(plan=plan, kind=EventKind.ADOPTED).count() == 1


def test_freeze_plan_is_idempotent_for_the_same_version_only(plan, proposal, central_user):
    assert freeze_plan(proposal, central_user).pk == plan.pk
    Proposal.objects.filter(pk=proposal.pk).update(version=proposal.version + 1)
    with pytest.raises(FrozenPlanError):
        freeze_plan(proposal, central_user)


def test_the_frozen_plan_cannot_be_changed_or_deleted(plan):
    plan.document = {"changed": True}
    with pytest.raises(FrozenPlanError):
        plan.save()
    with pytest.raises(FrozenPlanError):
        plan.delete()
    assert FrozenPlan.objects.get(pk=plan.pk).document["number"] == plan.proposal.number


def test_editing_the_proposal_after_the_decision_does_not_change_the_plan(plan, proposal):
    LineAmount.objects.filter(line__proposal=proposal, year=2022).update(amount=D(-1))
    view = PlanView(plans_with_everything().get(pk=plan.pk))
    assert view.planned.permanent_total[2022] == D(-800)
    assert figures_for(proposals_with_inputs().get(pk=proposal.pk)).permanent_total[2022] == D(
        -1
    )


def test_register_followup_permissions(plan, finance_user, other_finance_user, reviewer_user,
                                       central_user):  # fmt: skip
    criterion = plan.criteria.first()
    register_followup(finance_user, criterion, status="on_track")
    register_followup(central_user, criterion, status="on_track")
    for outsider in (other_finance_user, reviewer_user):
        with pytest.raises(PermissionDenied):
            register_followup(outsider, criterion, status="on_track")
    assert Registration.objects.filter(criterion=criterion).count() == 2
    assert FollowupEvent.objects.filter(plan=plan, kind=EventKind.REGISTRATION).count() == 2


def test_responsible_user_and_responsible_administration_may_register(
    plan, other_finance_user, central_user, finance_user
):
    criterion = plan.criteria.first()
    update_tracking(central_user, criterion, responsible_user=other_finance_user)
    register_followup(other_finance_user, criterion, status="met")
    # the administration may be another one than the presenting: then KFF may not
    from tests.factories import administration

    update_tracking(central_user, criterion, responsible_administration=administration("TMF"),
                    responsible_user=None)  # fmt: skip
    with pytest.raises(PermissionDenied):
        register_followup(finance_user, criterion, status="met")
    register_followup(other_finance_user, criterion, status="met")


def test_readers(plan, finance_user, other_finance_user, reviewer_user, central_user):
    assert permissions.can_read(reviewer_user, plan)  # KFU's proposal
    assert permissions.can_read(finance_user, plan)
    assert not permissions.can_read(other_finance_user, plan)
    update_tracking(central_user, plan.criteria.first(), responsible_user=other_finance_user)
    assert permissions.can_read(other_finance_user, plan)
    assert not permissions.can_register_realised(reviewer_user, plan)
    assert not permissions.can_register_realised(other_finance_user, plan)


def test_register_followup_validation_in_danish(plan, finance_user, fixed_today):
    fixed_today(date(2022, 1, 10))
    criterion = plan.criteria.first()
    with pytest.raises(ValidationError) as caught:
        register_followup(
            finance_user, criterion, status="delayed", measured_value=D("1.234"), comment=" "
        )
    errors = caught.value.message_dict
    assert errors["measured_value"] == ["Brug højst 2 decimaler."]
    assert errors["measured_on"] == ["Angiv datoen for målingen."]
    assert errors["comment"] == [
        "Forklar i en kommentar, hvorfor succeskriteriet er forsinket eller ikke opfyldt."
    ]
    with pytest.raises(ValidationError) as caught:
        register_followup(finance_user, criterion, status="x", measured_value=D(5),
                          measured_on=date(2022, 2, 1))  # fmt: skip
    assert caught.value.message_dict == {
        "status": ["Vælg en status."],
        "measured_on": ["Datoen for målingen kan ikke ligge i fremtiden."],
    }
    assert not Registration.objects.exists()


def test_save_realised_writes_cells_and_history(plan, finance_user):
    ids = line_ids(plan)
    changes = save_realised(
        finance_user,
        plan,
        {(ids["Færre opkald"], 2021): D(-300), (ids["Projektledelse"], 2021): D(1600)},
    )
    assert len(changes) == 2
    # the same again changes nothing and writes no history
    assert save_realised(finance_user, plan, {(ids["Færre opkald"], 2021): D("-300.00")}) == []
    save_realised(finance_user, plan, {(ids["Færre opkald"], 2021): None})
    assert list(RealisedAmount.objects.values_list("year", "amount")) == [(2021, D(1600))]
    events = FollowupEvent.objects.filter(plan=plan, kind=EventKind.REALISED)
    assert events.count() == 2
    assert events.order_by("at", "pk").last().details["changes"] == [
        {"line": "Færre opkald", "line_id": ids["Færre opkald"], "year": 2021,
         "before": "-300.00", "after": None}
    ]  # fmt: skip


def test_save_realised_validation(plan, finance_user):
    ids = line_ids(plan)
    saving, cost = ids["Færre opkald"], ids["Projektledelse"]
    with pytest.raises(ValidationError) as caught:
        save_realised(
            finance_user,
            plan,
            {
                (saving, 2021): D(300),
                (cost, 2021): D(-5),
                (saving, 2030): D(-1),
                (saving, 2022): D("-1.005"),
                (cost, 2022): D("1E13"),
                (999999, 2021): D(1),
            },
        )
    errors = caught.value.message_dict
    assert errors == {
        cell_name(saving, 2021): [
            "»Færre opkald« er en besparelse: besparelser angives med minus (2021)."
        ],
        cell_name(cost, 2021): [
            "»Projektledelse« er en omkostning: omkostninger angives uden minus (2021)."
        ],
        cell_name(saving, 2030): ["2030 ligger uden for den vedtagne plans år."],
        cell_name(saving, 2022): ["Brug højst 2 decimaler."],
        cell_name(cost, 2022): ["Tallet er for stort."],
        cell_name(999999, 2021): ["Linjen hører ikke til denne vedtagne plan."],
    }
    assert not RealisedAmount.objects.exists()
    assert not FollowupEvent.objects.filter(kind=EventKind.REALISED).exists()


def test_save_realised_permissions(plan, other_finance_user, reviewer_user):
    cells = {(line_ids(plan)["Færre opkald"], 2021): D(-1)}
    for user in (other_finance_user, reviewer_user):
        with pytest.raises(PermissionDenied):
            save_realised(user, plan, cells)
    assert not RealisedAmount.objects.exists()


def test_planned_vs_realised_and_realised_payback_through_the_services(plan, finance_user):
    ids = line_ids(plan)
    save_realised(
        finance_user,
        plan,
        {
            (ids["Færre opkald"], 2021): D(-200),
            (ids["Færre opkald"], 2022): D(-600),
            (ids["Projektledelse"], 2021): D(1500),
        },
    )
    view = PlanView(plans_with_everything().get(pk=plan.pk), threshold=D(10))
    c = view.comparison
    assert c.reported_years == (2021, 2022)
    assert [y.gap_permanent for y in c.years[:3]] == [D(200), D(200), None]
    assert c.behind_years == (2021, 2022)
    # planned: 1100, 300, -500 -> 3 years; realised 1300, 700, then -600 a year:
    # 100 (year 3), -500 (year 4) -> payback 4
    assert c.planned_payback_total == 3
    assert c.realised_payback_total == 4
    assert c.gap_permanent_to_date == D(400)


def test_tracking_validation(plan, finance_user):
    criterion = plan.criteria.first()
    with pytest.raises(ValidationError) as caught:
        update_tracking(finance_user, criterion, schedule="yearly", first_due=None,
                        target=D("0.001"), target_year=3000)  # fmt: skip
    assert caught.value.message_dict == {
        "target": ["Brug højst 2 decimaler."],
        "first_due": ["En plan for opfølgning kræver datoen for den første opfølgning."],
        "target_year": ["Angiv et år mellem 1900 og 2200."],
    }
    update_tracking(finance_user, criterion, unit="opkald", baseline=D(400000),
                    target=D(300000), target_year=2025)  # fmt: skip
    criterion.refresh_from_db()
    assert (criterion.baseline, criterion.target, criterion.unit) == (D(400000), D(300000),
                                                                      "opkald")  # fmt: skip
    event = FollowupEvent.objects.get(kind=EventKind.TRACKING)
    assert event.details["changed"]["unit"] == ["", "opkald"]


def test_database_refuses_a_schedule_without_a_date(plan):
    criterion = plan.criteria.first()
    with pytest.raises(IntegrityError):
        TrackedCriterion.objects.filter(pk=criterion.pk).update(first_due=None)


def test_frozen_plan_and_followup_history_refuse_queryset_changes(db):
    """The adopted plan and its history are append-only also for bulk updates."""
    from followup.models import FollowupEvent, FrozenPlan

    with pytest.raises(FrozenPlanError):
        FrozenPlan.objects.all().update(version=99)
    with pytest.raises(FrozenPlanError):
        FrozenPlan.objects.all().delete()
    with pytest.raises(PermissionError):
        FollowupEvent.objects.all().update(summary="rewritten")
