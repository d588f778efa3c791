"""Who may see and change which proposal: object-level rules, in one place.

Every view goes through these functions; querysets are narrowed with
`visible_proposals`, so a proposal a user may not see is simply not found (404).

Roles (committees.models.Role):
- finance staff: proposals presented by their own administration, read and edit
  while the proposal is editable; may create proposals (for their administration).
- central finance (Center for Økonomi) and admin: read and edit every proposal.
- committee reviewer: read the proposals whose owning committee is theirs (or one of
  its units), and the cross-cutting ones their committee takes part in
  (`involving_committee`); never edit.
A user without a profile (and not a superuser) sees nothing.

Issue 4 (workflow) extends `EDITABLE_STATUSES` and the role rules; keep the functions'
signatures.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from committees.models import Administration, Committee, Profile, Role

from .models import DistributionRow, Proposal, Status

# Statuses in which a proposal's inputs may still be changed by its author: a draft, or
# a proposal returned to the author. After submission it is read-only for finance staff.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})

# Statuses after the decision that the printed annex and the adopted budget rest on: from
# Indstillet (recommended, printed) on. A change of inputs then needs a stated reason and
# is recorded as "ændring efter beslutning" (issue 11, finding 3; `cases.services`).
DECIDED_STATUSES = frozenset({Status.RECOMMENDED, Status.ADOPTED, Status.NOT_ADOPTED})


def involving_committee(committee_id: int) -> Q:
    """Proposals a committee takes part in: those it (or one of its units) owns, and the
    cross-cutting ones that affect one of its administrations or distribute part of the
    economy to it. A filter, evaluated in the database."""
    affected = Administration.objects.filter(
        committee_id=committee_id, affected_by_proposals=OuterRef("pk")
    )
    distributed = DistributionRow.objects.filter(
        Q(committee_id=committee_id) | Q(committee__parent_id=committee_id),
        distribution__proposal=OuterRef("pk"),
    )
    return (
        Q(committee_id=committee_id)
        | Q(committee__parent_id=committee_id)
        | (Q(cross_cutting=True) & (Exists(affected) | Exists(distributed)))
    )


def involved_committee_ids(proposal: Proposal) -> list[int]:
    """The top-level committees that must approve `proposal`: the owning committee (the
    parent of an ØU unit) and, when it is cross-cutting, the committees of the affected
    administrations and of the distribution rows. Same rule as `involving_committee`."""
    ids: list[int] = []
    if proposal.committee_id is not None:
        ids.append(proposal.committee.parent_id or proposal.committee_id)
    if proposal.cross_cutting:
        ids += Administration.objects.filter(
            affected_by_proposals=proposal, committee__isnull=False
        ).values_list("committee_id", flat=True)
        for committee_id, parent_id in DistributionRow.objects.filter(
            distribution__proposal=proposal
        ).values_list("committee_id", "committee__parent_id"):
            ids.append(parent_id or committee_id)
    order = dict(Committee.objects.filter(pk__in=ids).values_list("pk", "order"))
    return sorted(set(ids), key=lambda pk: (order.get(pk, 0), pk))


def profile(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role(user) -> str | None:
    """The user's role; a superuser without a profile counts as admin."""
    found = profile(user)
    if found is not None:
        return found.role
    if getattr(user, "is_superuser", False) and user.is_active:
        return Role.ADMIN
    return None


def sees_everything(user) -> bool:
    return role(user) in (Role.CENTRAL_FINANCE, Role.ADMIN)


def visible_proposals(user, queryset: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    """`queryset` narrowed to the proposals `user` may read (a filter, no extra query)."""
    queryset = Proposal.objects.all() if queryset is None else queryset
    current = role(user)
    if current in (Role.CENTRAL_FINANCE, Role.ADMIN):
        return queryset
    found = profile(user)
    if current == Role.FINANCE_STAFF and found.administration_id is not None:
        return queryset.filter(presenting_administration_id=found.administration_id)
    if current == Role.COMMITTEE_REVIEWER and found.committee_id is not None:
        return queryset.filter(involving_committee(found.committee_id))
    return queryset.none()


def can_view(user, proposal: Proposal) -> bool:
    current = role(user)
    if current in (Role.CENTRAL_FINANCE, Role.ADMIN):
        return True
    found = profile(user)
    if current == Role.FINANCE_STAFF:
        return (
            found.administration_id is not None
            and proposal.presenting_administration_id == found.administration_id
        )
    if current == Role.COMMITTEE_REVIEWER:
        if found.committee_id is None:
            return False
        return found.committee_id == proposal.committee_id or (
            found.committee_id in involved_committee_ids(proposal)
        )
    return False


def can_edit(user, proposal: Proposal) -> bool:
    current = role(user)
    if current in (Role.CENTRAL_FINANCE, Role.ADMIN):
        return True
    if current == Role.FINANCE_STAFF:
        return proposal.status in EDITABLE_STATUSES and can_view(user, proposal)
    return False


def can_create(user) -> bool:
    """May start a new proposal (finance staff need an administration to present it)."""
    current = role(user)
    if current in (Role.CENTRAL_FINANCE, Role.ADMIN):
        return True
    found = profile(user)
    return current == Role.FINANCE_STAFF and found.administration_id is not None


def fixed_administration(user):
    """The presenting administration a user's new proposals must have, or None when
    they may choose any (central finance, admin)."""
    if role(user) == Role.FINANCE_STAFF:
        return profile(user).administration
    return None
