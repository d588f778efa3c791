"""The stored summary of each proposal's figures, for lists that sort, filter and total in
the database, and each committee's share per year, for the committee dashboard.

Everything here is copied from `finance.engine` (`compute`, `overview_row`,
`subject_total`); nothing is computed a second way. Call `refresh_summary(proposal)`
after a proposal's inputs change (the workflow, the editor's save service and the
importer do), or `refresh_summaries(queryset)` for many; `stale_proposals` finds the
proposals whose summary is missing or older than their inputs, so that a list can
repair them before it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.appraisal import AppraisalSettings, appraisal_settings, base_for
from cases.models import Proposal
from cases.selectors import all_checks, case_from_proposal, printed_overview, proposals_with_inputs
from committees.models import Committee
from finance import engine

from .models import CommitteeShare, ProposalSummary
from .search import search_text

ZERO = Decimal(0)

# Which distribution subjects cover which share of the dashboard.
SAVINGS, COSTS, INVESTMENTS = "savings", "costs", "investments"
INVESTMENT_SUBJECTS = tuple(f"implementation_{area}" for area in engine.IMPLEMENTATION_AREAS)


def _summary(
    proposal: Proposal, figures: engine.Figures, check_count: int, settings: AppraisalSettings
) -> ProposalSummary:
    row = engine.overview_row(figures)
    exact = engine.overview_amounts(figures)
    base = base_for(figures, settings)
    return ProposalSummary(
        proposal=proposal,
        proposal_version=proposal.version,
        investment_service=row["investment_service"],
        investment_capital=row["investment_capital"],
        full_effect_service=row["full_effect_service"],
        full_effect_transfers=row["full_effect_transfers"],
        innovation_pool=row["innovation_pool"],
        payback_years=row["payback_years"],
        payback_years_total=figures.payback_years_total,
        investment_total=figures.investment["total"],
        full_effect_total=figures.full_effect["total"],
        check_count=check_count,
        search_text=search_text(proposal),
        refreshed_at=timezone.now(),
        investment_service_exact=exact["investment_service"],
        investment_capital_exact=exact["investment_capital"],
        full_effect_service_exact=exact["full_effect_service"],
        full_effect_transfers_exact=exact["full_effect_transfers"],
        npv=base.npv if base is not None else None,
        discounted_payback_years=base.discounted_payback_years if base is not None else None,
    )


def _add(target: dict, committee_id: int, year: int, kind: str, value: Decimal | None) -> None:
    if value is not None and value != ZERO:
        target[(committee_id, year)][kind] += value


def committee_shares(
    proposal: Proposal, case: engine.Case, figures: engine.Figures, committee_ids: dict[str, int]
) -> list[CommitteeShare]:
    """Per committee and year: savings (negative), costs and investments, from the
    engine's allocated distributions. A part of the economy that no distribution covers
    belongs to the owning committee (a service-only distribution, `permanent_service_*`,
    leaves the other areas' savings or costs with it). A "permanent" distribution splits the net
    permanent change: a negative allocated amount counts as a saving, a positive one as
    a cost."""
    shares: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(
        lambda: {SAVINGS: ZERO, COSTS: ZERO, INVESTMENTS: ZERO}
    )
    covered: set[str] = set()
    for distribution in figures.distributions:
        covered.add(distribution.subject)
        for row in distribution.rows:
            committee_id = committee_ids.get(row.committee)
            if committee_id is None:
                continue
            for year, value in row.amounts.items():
                if distribution.subject in ("permanent_saving", "permanent_service_saving"):
                    _add(shares, committee_id, year, SAVINGS, value)
                elif distribution.subject in ("permanent_cost", "permanent_service_cost"):
                    _add(shares, committee_id, year, COSTS, value)
                elif distribution.subject == engine.PERMANENT:
                    kind = SAVINGS if value is not None and value < 0 else COSTS
                    _add(shares, committee_id, year, kind, value)
                else:
                    _add(shares, committee_id, year, INVESTMENTS, value)
    owner = proposal.committee_id
    if owner is not None:
        rest: list[tuple[str, str, str | None]] = []
        for whole, service, kind in (
            ("permanent_saving", "permanent_service_saving", SAVINGS),
            ("permanent_cost", "permanent_service_cost", COSTS),
        ):
            if covered & {whole, engine.PERMANENT}:
                continue
            # a service-only distribution leaves the other areas' part with the owner
            rest.append((whole, kind, service if service in covered else None))
        if engine.IMPLEMENTATION not in covered:
            rest += [(s, INVESTMENTS, None) for s in INVESTMENT_SUBJECTS if s not in covered]
        for subject, kind, minus in rest:
            totals = engine.subject_total(case.lines, subject, case.years)
            taken = engine.subject_total(case.lines, minus, case.years) if minus else {}
            for year, value in totals.items():
                if value is not None and taken.get(year) is not None:
                    value -= taken[year]
                _add(shares, owner, year, kind, value)
    return [
        CommitteeShare(proposal=proposal, committee_id=committee_id, year=year, **values)
        for (committee_id, year), values in sorted(shares.items())
    ]


@transaction.atomic
def refresh_summaries(queryset: QuerySet[Proposal] | Iterable[Proposal]) -> int:
    """Recompute the stored summaries and committee shares of the given proposals from
    the engine. Returns how many were refreshed."""
    if isinstance(queryset, QuerySet):
        ids = list(queryset.values_list("pk", flat=True))
    else:
        ids = [p.pk for p in queryset]
    committee_ids = dict(Committee.objects.values_list("code", "pk"))
    refreshed = 0
    overviews: dict[int, dict] = {}
    settings: dict[int, AppraisalSettings] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        summaries, shares = [], []
        for proposal in proposals_with_inputs(Proposal.objects.filter(pk__in=chunk)):
            case = case_from_proposal(proposal)
            figures = engine.compute(case)
            if proposal.catalog_id not in overviews:
                overviews[proposal.catalog_id] = printed_overview(proposal.catalog)
                settings[proposal.catalog_id] = appraisal_settings(proposal.catalog)
            checks = all_checks(proposal, figures, overviews[proposal.catalog_id])
            summaries.append(
                _summary(proposal, figures, len(checks), settings[proposal.catalog_id])
            )
            shares += committee_shares(proposal, case, figures, committee_ids)
        ProposalSummary.objects.filter(proposal_id__in=chunk).delete()
        CommitteeShare.objects.filter(proposal_id__in=chunk).delete()
        ProposalSummary.objects.bulk_create(summaries)
        CommitteeShare.objects.bulk_create(shares, batch_size=1000)
        refreshed += len(summaries)
    return refreshed


def refresh_summary(proposal: Proposal) -> None:
    """Recompute one proposal's stored summary (after its inputs changed)."""
    refresh_summaries([proposal])


def stale_proposals(queryset: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    """Proposals whose summary is missing or was computed from an older version."""
    queryset = Proposal.objects.all() if queryset is None else queryset
    computed_from = ProposalSummary.objects.filter(proposal=OuterRef("pk")).values(
        "proposal_version"
    )[:1]
    return queryset.annotate(_summary_version=Subquery(computed_from)).filter(
        Q(_summary_version__isnull=True) | ~Q(_summary_version=F("version"))
    )


def ensure_fresh(queryset: QuerySet[Proposal] | None = None) -> int:
    """Refresh the summaries that are missing or stale (one query when all are fresh)."""
    stale = list(stale_proposals(queryset).values_list("pk", flat=True))
    if not stale:
        return 0
    return refresh_summaries(Proposal.objects.filter(pk__in=stale))
