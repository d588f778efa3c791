"""Querysets of the review pages: the case list (with the stored summary joined, so that
every column sorts and totals in the database) and "waiting for me"."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from cases.models import Proposal, Status
from cases.permissions import involving_committee, profile, role, visible_proposals
from committees.models import Role

from .models import Action, CommitteeApproval, ProposalSummary, WorkflowEvent

OVERVIEW_FIELDS = (
    "investment_service",
    "investment_capital",
    "full_effect_service",
    "full_effect_transfers",
)


def with_round(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate the current submission (`round_pk`) and whether it was forwarded."""
    last_submit = (
        WorkflowEvent.objects.filter(proposal=OuterRef("pk"), action=Action.SUBMIT)
        .order_by("-pk")
        .values("pk")[:1]
    )
    forwarded = WorkflowEvent.objects.filter(
        proposal=OuterRef("pk"), action=Action.FORWARD, pk__gt=OuterRef("round_pk")
    )
    return queryset.annotate(round_pk=Subquery(last_submit)).annotate(forwarded=Exists(forwarded))


def waiting_for(user, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The proposals in `queryset` on which `user` has the next step."""
    current = role(user)
    if current == Role.FINANCE_STAFF:
        return queryset.filter(status__in=[Status.DRAFT, Status.RETURNED])
    queryset = with_round(queryset)
    if current in (Role.CENTRAL_FINANCE, Role.ADMIN):
        return queryset.filter(
            Q(status__in=[Status.SUBMITTED, Status.COMMITTEE_APPROVED, Status.RECOMMENDED])
            | Q(status=Status.IN_HEARING, forwarded=False)
        )
    found = profile(user)
    if current == Role.COMMITTEE_REVIEWER and found and found.committee_id:
        approved = CommitteeApproval.objects.filter(
            round_id=OuterRef("round_pk"), committee_id=found.committee_id
        )
        return queryset.filter(
            involving_committee(found.committee_id),
            status=Status.IN_HEARING,
            forwarded=True,
        ).exclude(Exists(approved))
    return queryset.none()


def case_list(user) -> QuerySet[Proposal]:
    """The proposals `user` may see, with what the list shows (a fixed number of
    queries). The stored summaries are read as they are: they are written in the
    transaction that changes a proposal (`cases.services`, `cases.workflow`), so a list
    neither checks them for staleness nor writes (a proposal without one shows empty
    figures)."""
    visible = visible_proposals(user)
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=1))
    return visible.select_related(
        "catalog", "committee", "presenting_administration", "figures", "pending_decision"
    ).annotate(
        investment_mio=Coalesce(F("figures__investment_service"), zero)
        + Coalesce(F("figures__investment_capital"), zero),
        saving_mio=Coalesce(F("figures__full_effect_service"), zero)
        + Coalesce(F("figures__full_effect_transfers"), zero),
    )


def totals(queryset: QuerySet[Proposal]) -> dict:
    """The totals row of a (filtered) list: sums of the printed, rounded overview
    figures, as the annex's "I alt" adds them up."""
    sums = queryset.order_by().aggregate(
        count=Count("pk"),
        **{name: Sum(f"figures__{name}") for name in OVERVIEW_FIELDS},
        innovation_pool=Sum("figures__innovation_pool"),
    )
    return sums


def summaries_of(queryset: QuerySet[Proposal]) -> QuerySet[ProposalSummary]:
    return ProposalSummary.objects.filter(proposal__in=queryset)
