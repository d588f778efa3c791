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

import weakref

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.query import get_related_populators
from django.http import Http404
from django.shortcuts import get_object_or_404

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


# The compiled query of `visible_proposal` per shape of reader (database connection,
# role, committee, administration) and fields; at most this many are kept.
_VISIBLE_ONE: dict[tuple, _CompiledOne | None] = {}
_VISIBLE_SHAPES = 1000
# Stand-ins for the catalogue key and the number while the query is compiled.
_KEY_MARK, _NUMBER_MARK = "\x00catalog-key\x00", "\x00proposal-number\x00"


class _CompiledOne:
    """A compiled `visible_proposals(...).select_related(...).only(...)` query for one
    catalogue key and number, with where those two stand in its parameters, and what
    Django's ModelIterable needs to build the rows (the compiler's select, converters
    and related populators)."""

    def __init__(self, queryset: QuerySet[Proposal]):
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.key_at = [i for i, p in enumerate(self.params) if p == _KEY_MARK]
        self.number_at = [i for i, p in enumerate(self.params) if p == _NUMBER_MARK]
        self.compiler = compiler
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.fetch_mode = queryset._fetch_mode
        self.populators = get_related_populators(klass_info, select, queryset.db, self.fetch_mode)
        self.converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.db = queryset.db

    def usable(self) -> bool:
        return len(self.key_at) == 1 and len(self.number_at) == 1

    def rows(self, key: str, number: str) -> list[Proposal]:
        params = list(self.params)
        params[self.key_at[0]], params[self.number_at[0]] = key, number
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchmany(2)
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found, peers = [], []
        for row in rows:
            proposal = Proposal.from_db(
                self.db, self.init_list, row[self.start : self.end], fetch_mode=self.fetch_mode
            )
            if self.fetch_mode.track_peers:
                peers.append(weakref.ref(proposal))
                proposal._state.peers = peers
            for populator in self.populators:
                populator.populate(row, proposal)
            found.append(proposal)
        return found


def visible_proposal(user, key: str, number: str, related: tuple, fields: tuple) -> Proposal:
    """The proposal `number` of the catalogue `key` if `user` may read it
    (`visible_proposals`), with `related` joined and only `fields` read: what
    ``get_object_or_404(visible_proposals(user, …).select_related(*related).only(*fields),
    number=number)`` returns, in the same one query. Raises Http404 when it is not found
    (or not visible).

    The proposal page asks it on every view. The query depends only on the reader's
    shape (role, committee, administration) besides the key and the number, so it is
    compiled once per shape, database connection and fields, and run with its
    parameters: building it through the ORM cost about a fifth of the page's CPU
    (issue 13; the same as `review.selectors.waiting_count`)."""
    found = profile(user)
    queryset = Proposal.objects.all()
    shape = (
        connections[queryset.db],
        role(user),
        found.committee_id if found else None,
        found.administration_id if found else None,
        related,
        fields,
    )
    if shape not in _VISIBLE_ONE:
        marked = visible_proposals(user, queryset.filter(catalog__key=_KEY_MARK))
        marked = marked.select_related(*related).only(*fields).filter(number=_NUMBER_MARK)
        marked = marked.order_by()  # as .get() asks
        compiled = None
        if not marked.query.is_empty():
            compiled = _CompiledOne(marked)
            if not compiled.usable():
                compiled = False  # the ORM each time (a mark not found once in the SQL)
        if len(_VISIBLE_ONE) >= _VISIBLE_SHAPES:
            _VISIBLE_ONE.clear()
        _VISIBLE_ONE[shape] = compiled
    compiled = _VISIBLE_ONE[shape]
    if compiled is None:
        raise Http404
    if compiled is False:
        queryset = visible_proposals(user, queryset.filter(catalog__key=key))
        return get_object_or_404(queryset.select_related(*related).only(*fields), number=number)
    rows = compiled.rows(key, number)
    if len(rows) != 1:
        raise Http404
    return rows[0]
