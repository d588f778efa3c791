"""Querysets of the review pages: the case list (with the stored summary joined, so that
every column sorts and totals in the database) and "waiting for me"."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.db import connections
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
from committees.models import PriceIndex, Role
from finance.prices import (
    CONVERTED_PLACES,
    SERVICE_SERIES,
    STORED_PLACES,
    convert_amount,
    convert_overview,
    convert_sums,
)

from .models import Action, CommitteeApproval, ProposalSummary, WorkflowEvent

OVERVIEW_FIELDS = (
    "investment_service",
    "investment_capital",
    "full_effect_service",
    "full_effect_transfers",
)


# What a row of the case list and its export read (`list_rows`).
ROW_FIELDS = (
    "number",
    "title",
    "cross_cutting",
    "status",
    "updated_at",
    "catalog__key",
    "catalog__annex",
    "catalog__pool",
    "committee__code",
    "presenting_administration__code",
    "price_level_year",
    *(f"figures__{name}" for name in OVERVIEW_FIELDS),
    # the amounts before rounding: a row shown in another p/l converts them
    *(f"figures__{name}_exact" for name in OVERVIEW_FIELDS),
    "figures__payback_years",
    "figures__npv",
    "figures__discounted_payback_years",
    "pending_decision__adopted",
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
            # the status first: the database looks for a forward only in hearing
            | (Q(status=Status.IN_HEARING) & Q(forwarded=False))
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


# The SQL of `waiting_count` per shape of user (database, role, committee, administration):
# building it through the ORM costs more than running it.
_WAITING_SQL: dict[tuple, tuple[str, tuple] | None] = {}
_WAITING_SHAPES = 1000


def waiting_count(user) -> int:
    """How many proposals wait for `user`'s step: `waiting_for` over what the user may
    see (`visible_proposals`), counted in one query; 0 for a user who sees nothing.

    Every page's navigation shows it ("Venter på mig"). Both querysets depend only on
    the user's role and profile (committee, administration), so the SQL is built once
    per such shape of user and database and process, and run with its parameters each
    time: building it through the ORM took 2.6 ms of CPU for central finance and 9 ms
    for a committee reviewer, running it 1 ms (SQLite, 5,000 proposals; issue 13). The
    count itself is read fresh on every request."""
    found = profile(user)
    queryset = Proposal.objects.all()
    shape = (
        queryset.db,
        role(user),
        found.committee_id if found else None,
        found.administration_id if found else None,
    )
    compiled = _WAITING_SQL.get(shape)
    if shape not in _WAITING_SQL:
        waiting = waiting_for(user, visible_proposals(user, queryset)).order_by().values("pk")
        if waiting.query.is_empty():
            compiled = None
        else:
            sql, params = waiting.query.sql_with_params()
            compiled = (f"SELECT COUNT(*) FROM ({sql}) waiting", tuple(params))
        if len(_WAITING_SQL) >= _WAITING_SHAPES:
            _WAITING_SQL.clear()
        _WAITING_SQL[shape] = compiled
    if compiled is None:
        return 0
    with connections[shape[0]].cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchone()[0]


def case_list(user) -> QuerySet[Proposal]:
    """The proposals `user` may see, and nothing joined: the case list selects a page's
    rows first (only the joins its filter and order need) and then fetches those rows with
    `list_rows`. The stored summaries are read as they are: they are written in the
    transaction that changes a proposal (`cases.services`, `cases.workflow`), so a list
    neither checks them for staleness nor writes (a proposal without one shows empty
    figures)."""
    return visible_proposals(user)


def list_rows(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`queryset` with what a row of the case list (and its export) shows joined in one
    query: catalogue, committee, administration, stored summary, pending decision; only
    the fields the row shows (no narrative text, no JSON to decode)."""
    return queryset.select_related(
        "catalog", "committee", "presenting_administration", "figures", "pending_decision"
    ).only(*ROW_FIELDS)


def with_overview_sums(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate `investment_mio` (service + capital) and `saving_mio` (service +
    transfers at full effect), million kroner from the stored summary (0 without one),
    for the list's range filters."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=1))
    return queryset.annotate(
        investment_mio=Coalesce(F("figures__investment_service"), zero)
        + Coalesce(F("figures__investment_capital"), zero),
        saving_mio=Coalesce(F("figures__full_effect_service"), zero)
        + Coalesce(F("figures__full_effect_transfers"), zero),
    )


SUMMED_TOTALS = (*OVERVIEW_FIELDS, "innovation_pool", "npv")


def _exact_sum(name: str):
    """The sum of an overview column's amounts before rounding (1.000 kr.); a summary
    stored before they were counts its printed figure (mio. kr. × 1.000)."""
    return Sum(
        Coalesce(
            F(f"figures__{name}_exact"),
            F(f"figures__{name}") * Value(Decimal(1000)),
            output_field=DecimalField(max_digits=20, decimal_places=2),
        )
    )


def totals(queryset: QuerySet[Proposal]) -> dict:
    """The totals row of a (filtered) list: sums of the printed, rounded overview
    figures, as the annex's "I alt" adds them up (mio. kr.), and of the present values
    (1.000 kr.). Proposals of different price levels are added up in ONE p/l, the
    newest: the overview columns by `finance.prices.convert_overview` on each level's
    sums of the amounts before rounding (the rule of the catalogue overview, PDF and
    workbook shown in another p/l, so the total is theirs), the present values by
    `finance.prices.convert_sums`; ``price_level`` says which, ``converted`` whether
    anything was converted (then ``indexes`` holds the index, and the rows are shown in
    that p/l too: `rows_in_price_level`), and ``unconverted`` lists levels the index
    lacks (then the plain sums, which ``price_level`` None marks); ``pending`` counts
    the rows with a pending decision. Count, sums and pending in one query (per level),
    and the index when the levels differ, however many rows."""
    by_level = list(
        queryset.order_by()
        .values("price_level_year")
        .annotate(
            count=Count("pk"),
            **{name: Sum(f"figures__{name}") for name in OVERVIEW_FIELDS},
            **{f"{name}_exact": _exact_sum(name) for name in OVERVIEW_FIELDS},
            innovation_pool=Sum("figures__innovation_pool"),
            investment_total=Sum("figures__investment_total"),
            npv=Sum("figures__npv"),
            pending=Count("pending_decision"),
        )
    )
    levels = sorted(row["price_level_year"] for row in by_level)
    sums: dict = {
        "count": sum(row["count"] for row in by_level),
        "pending": sum(row["pending"] for row in by_level),
    }
    if len(levels) <= 1:
        for name in SUMMED_TOTALS:
            sums[name] = by_level[0][name] if by_level else None
        sums.update(price_level=levels[0] if levels else None, converted=False, unconverted=[])
        return sums
    indexes = PriceIndex.series_map()
    index = indexes.get(SERVICE_SERIES, {})
    target = levels[-1]
    missing = [year for year in levels if year not in index]
    if missing:
        for name in SUMMED_TOTALS:
            values = [row[name] for row in by_level if row[name] is not None]
            sums[name] = sum(values) if values else None
        sums.update(price_level=None, converted=False, unconverted=missing)
        return sums
    level_sums = {
        row["price_level_year"]: (
            row["price_level_year"],
            {
                **{name: row[f"{name}_exact"] for name in OVERVIEW_FIELDS},
                "innovation_pool": row["investment_total"],
            },
        )
        for row in by_level
    }
    _rows, converted = convert_overview(level_sums, indexes, target)
    sums.update(converted)
    sums["npv"] = convert_sums(
        {row["price_level_year"]: row["npv"] for row in by_level}, index, target, 0
    )
    sums.update(price_level=target, converted=True, unconverted=[], indexes=indexes)
    return sums


def rows_in_price_level(records: list[Proposal], sums: dict) -> list[Proposal]:
    """The list's rows (`list_rows` records) as the totals show them (`totals`): when
    the totals were converted to one p/l, each row of another p/l is a copy in memory
    (never saved) whose summary holds its overview figures in that p/l
    (`finance.prices.convert_overview` of the row alone: its amounts before rounding,
    converted exactly and rounded half up to mio. kr. with one decimal) and its present
    value converted by the service index (1.000 kr.); ``converted_from`` is its own
    p/l. A page shows some of the rows, so they are not rounded to the total (the
    catalogue overview in another p/l does that). No query."""
    if not sums.get("converted"):
        return records
    target, indexes = sums["price_level"], sums["indexes"]
    out = []
    for record in records:
        figures = getattr(record, "figures", None)
        level = record.price_level_year
        if figures is None or level == target:
            out.append(record)
            continue
        exact = {}
        for name in OVERVIEW_FIELDS:
            value = getattr(figures, f"{name}_exact")
            printed = getattr(figures, name)
            exact[name] = value if value is not None or printed is None else printed * 1000
        rows, _total = convert_overview({record.pk: (level, exact)}, indexes, target)
        shown = copy.copy(figures)
        for name in OVERVIEW_FIELDS:
            setattr(shown, name, rows[record.pk][name])
        shown.npv = convert_amount(
            figures.npv, indexes[SERVICE_SERIES], level, target, STORED_PLACES
        )
        row = copy.copy(record)
        row._state = copy.copy(record._state)
        row._state.fields_cache = {**record._state.fields_cache, "figures": shown}
        row.converted_from = level
        out.append(row)
    return out


SHARE_KINDS = ("savings", "costs", "investments")


def shares_in_one_level(items: list[dict]) -> tuple[list[dict], dict]:
    """The committee dashboard's shares (rows with group, year, the proposals' p/l year
    and the three sums) added up per group and year in ONE price level: when the rows
    span several levels, each is converted to the newest by the p/l index
    (`finance.prices.convert_sums`, whole kroner). Returns the rows (group, year,
    savings, costs, investments), ordered by group and year, and what was done:
    ``{"price_level": year or None, "converted": bool, "unconverted": [years]}`` (levels
    the index lacks: then plain sums). One query (the index) when levels differ."""
    levels = sorted({item["proposal__price_level_year"] for item in items})
    info = {"price_level": levels[0] if len(levels) == 1 else None, "converted": False,
            "unconverted": []}  # fmt: skip
    grouped: dict[tuple, dict[int, dict]] = {}
    for item in items:
        key = (item["group"], item["year"])
        grouped.setdefault(key, {})[item["proposal__price_level_year"]] = item
    index: dict = {}
    if len(levels) > 1:
        index = PriceIndex.series_map().get(SERVICE_SERIES, {})
        info["unconverted"] = [year for year in levels if year not in index]
        if not info["unconverted"]:
            info.update(price_level=levels[-1], converted=True)
    rows = []
    for (group, year), by_level in sorted(
        grouped.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])
    ):
        row = {"group": group, "year": year}
        for kind in SHARE_KINDS:
            sums = {level: item[kind] for level, item in by_level.items()}
            if info["converted"]:
                row[kind] = convert_sums(sums, index, info["price_level"], CONVERTED_PLACES)
            else:
                present = [v for v in sums.values() if v is not None]
                row[kind] = sum(present) if present else None
        rows.append(row)
    return rows, info


def summaries_of(queryset: QuerySet[Proposal]) -> QuerySet[ProposalSummary]:
    return ProposalSummary.objects.filter(proposal__in=queryset)
