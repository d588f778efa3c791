"""The pool's portfolio page for central finance: the recommended and adopted proposals'
investments and permanent changes per year against the catalogue's pool budget, and a
suggestion of the set that fits the budget (`finance.portfolio`), clearly a suggestion.

Every figure comes from `finance` (the engine, the appraisal, the portfolio); this module
only collects the proposals' figures and arranges them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from finance import portfolio as fp
from finance.engine import Figures

from .appraisal import AppraisalSettings, appraisal_for, appraisal_settings
from .models import Catalog, Proposal, Status
from .selectors import figures_for, proposals_with_inputs

__all__ = ["CHOSEN", "CRITERIA", "PortfolioPage", "catalog_portfolio", "portfolio_page"]

# The proposals that count as chosen: recommended by central finance or adopted.
CHOSEN = (Status.RECOMMENDED, Status.ADOPTED)
# Never suggested: turned down.
EXCLUDED = (Status.REJECTED, Status.NOT_ADOPTED)
CRITERIA = {
    fp.PAYBACK: _("Shortest payback"),
    fp.NPV_PER_KRONE: _("Most present value per invested krone"),
}


@dataclass(frozen=True)
class Candidate:
    proposal: Proposal
    item: fp.PortfolioItem


@dataclass(frozen=True)
class PortfolioPage:
    criterion: str
    budget: dict[int, Decimal]
    chosen: fp.Portfolio
    chosen_candidates: list[Candidate]
    suggested: fp.Portfolio
    ranked: list[tuple[Candidate, bool]]  # in rank order: (candidate, in the suggestion)


def item_for(proposal: Proposal, figures: Figures, settings: AppraisalSettings) -> fp.PortfolioItem:
    """A proposal as the portfolio sees it: implementation costs per year (what the pool
    pays), permanent changes, service payback (as the overview prints it) and NPV."""
    appraisal = appraisal_for(figures, settings)
    return fp.PortfolioItem(
        key=proposal.number,
        label=proposal.title,
        investment=figures.implementation_total,
        permanent=figures.permanent_total,
        payback_years=figures.payback_years_service,
        npv=None if appraisal is None else appraisal.npv,
    )


def portfolio_page(
    catalog: Catalog,
    proposals: Iterable[tuple[Proposal, Figures]],
    settings: AppraisalSettings,
    criterion: str,
) -> PortfolioPage:
    """The chosen portfolio against the budget, and the suggestion by ``criterion``
    among every proposal that has not been turned down."""
    budget = {b.year: b.amount for b in catalog.pool_budget.all()}
    candidates = [
        Candidate(p, item_for(p, figures, settings))
        for p, figures in proposals
        if p.status not in EXCLUDED
    ]
    chosen = [c for c in candidates if c.proposal.status in CHOSEN]
    by_key = {c.item.key: c for c in candidates}
    items = [c.item for c in candidates]
    suggestion = set(fp.suggest(items, budget, criterion))
    ranked = [(by_key[item.key], item.key in suggestion) for item in fp.rank(items, criterion)]
    years = sorted(
        set(budget)
        | {y for c in candidates for y, v in c.item.investment.items() if v is not None}
        | {y for c in candidates for y, v in c.item.permanent.items() if v is not None}
    )
    return PortfolioPage(
        criterion=criterion,
        budget=budget,
        chosen=fp.portfolio([c.item for c in chosen], budget, years),
        chosen_candidates=chosen,
        suggested=fp.portfolio(
            [c.item for c in candidates if c.item.key in suggestion], budget, years
        ),
        ranked=ranked,
    )


def chosen_criterion(value: str | None) -> str:
    """The ranking criterion of a ``kriterie`` parameter (unknown: the first)."""
    return value if value in CRITERIA else next(iter(CRITERIA))


def catalog_portfolio(catalog: Catalog, criterion: str) -> PortfolioPage:
    """The catalogue's portfolio (every proposal, its figures computed): what the page,
    its Excel workbook and its printed annex page all show."""
    proposals = proposals_with_inputs(catalog.proposals.all()).order_by("number")
    return portfolio_page(
        catalog,
        [(p, figures_for(p)) for p in proposals],
        appraisal_settings(catalog),
        chosen_criterion(criterion),
    )
