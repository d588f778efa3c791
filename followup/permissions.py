"""Who may read and who may register follow-up (object-level rules, in one place).

- Read: whoever may read the proposal (`cases.permissions.can_view`), and whoever is
  responsible for one of its tracked criteria.
- Register realised figures: central finance, admin, and the finance staff of the
  proposal's presenting administration (the administration that carries the budget).
- Register on a criterion (status, measured value) and change its tracking: central
  finance, admin, the criterion's responsible person, and the finance staff of its
  responsible administration (the presenting administration when none is set).
Committee reviewers read; nobody edits the frozen plan.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases import permissions as case_permissions
from committees.models import Role

from .models import FrozenPlan, TrackedCriterion


def _is_central(user) -> bool:
    return case_permissions.role(user) in (Role.CENTRAL_FINANCE, Role.ADMIN)


def _finance_administration_id(user) -> int | None:
    if case_permissions.role(user) != Role.FINANCE_STAFF:
        return None
    return case_permissions.profile(user).administration_id


def responsible_filter(user, prefix: str = "") -> Q | None:
    """Criteria (under `prefix`) the user is responsible for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    q = Q(**{f"{prefix}responsible_user_id": user.pk})
    admin_id = _finance_administration_id(user)
    if admin_id is not None:
        q |= Q(**{f"{prefix}responsible_administration_id": admin_id})
    return q


def visible_plans(user, queryset: QuerySet[FrozenPlan] | None = None) -> QuerySet[FrozenPlan]:
    """Adopted plans the user may read (a filter)."""
    queryset = FrozenPlan.objects.all() if queryset is None else queryset
    if _is_central(user):
        return queryset
    visible = case_permissions.visible_proposals(user).values("pk")
    condition = Q(proposal__in=visible)
    responsible = responsible_filter(user)
    if responsible is not None:
        mine = TrackedCriterion.objects.filter(responsible).values("plan_id")
        condition |= Q(pk__in=mine)
    return queryset.filter(condition)


def can_read(user, plan: FrozenPlan) -> bool:
    return visible_plans(user, FrozenPlan.objects.filter(pk=plan.pk)).exists()


def can_register_realised(user, plan: FrozenPlan) -> bool:
    if _is_central(user):
        return True
    admin_id = _finance_administration_id(user)
    return admin_id is not None and admin_id == plan.proposal.presenting_administration_id


def can_register(user, criterion: TrackedCriterion) -> bool:
    if _is_central(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if criterion.responsible_user_id is not None and criterion.responsible_user_id == user.pk:
        return True
    admin_id = _finance_administration_id(user)
    responsible = (
        criterion.responsible_administration_id
        or criterion.plan.proposal.presenting_administration_id
    )
    return admin_id is not None and admin_id == responsible
