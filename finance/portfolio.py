"""A pool's portfolio against its budget (investeringspuljens ramme), and a suggestion.

Pure functions on ``Decimal`` (1.000 kr.; savings negative, costs positive).  Each
proposal enters with its investment per year (the implementation costs the pool pays)
and its permanent changes per year; the portfolio adds them up per year and sets the
investments against the pool's budget.  The suggestion is a ranked, greedy choice of
proposals that fits the budget in every budgeted year: it is a suggestion, never a
decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "CRITERIA",
    "NPV_PER_KRONE",
    "PAYBACK",
    "Portfolio",
    "PortfolioItem",
    "PortfolioYear",
    "portfolio",
    "rank",
    "suggest",
]

ZERO = Decimal(0)
PAYBACK = "payback"
NPV_PER_KRONE = "npv_per_krone"
CRITERIA = (PAYBACK, NPV_PER_KRONE)


@dataclass(frozen=True)
class PortfolioItem:
    """One proposal as the portfolio sees it."""

    key: str  # the proposal's number, unique in the catalogue
    label: str
    investment: Mapping[int, Decimal | None]  # implementation costs per year
    permanent: Mapping[int, Decimal | None]  # permanent changes per year (savings < 0)
    payback_years: int | None = None
    npv: Decimal | None = None

    @property
    def total_investment(self) -> Decimal:
        return sum((v for v in self.investment.values() if v is not None), ZERO)


@dataclass(frozen=True)
class PortfolioYear:
    year: int
    budget: Decimal | None
    investment: Decimal
    permanent: Decimal
    net: Decimal  # investment + permanent
    cumulative_net: Decimal
    left: Decimal | None  # budget - investment (negative: over budget)


@dataclass(frozen=True)
class Portfolio:
    keys: tuple[str, ...]
    years: tuple[PortfolioYear, ...]
    investment: Decimal
    permanent: Decimal
    net: Decimal
    budget: Decimal | None
    left: Decimal | None

    @property
    def over_budget_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.left is not None and y.left < 0)


def _value(values: Mapping[int, Decimal | None], year: int) -> Decimal:
    return values.get(year) or ZERO


def portfolio(
    items: Sequence[PortfolioItem],
    budget: Mapping[int, Decimal],
    years: Sequence[int] | None = None,
) -> Portfolio:
    """The items' investments, permanent changes, net and cumulative net per year,
    against ``budget`` (a year without a budget has ``budget``/``left`` ``None``).

    ``years`` defaults to every year of any item or the budget.  Totals are the sums
    of the items (exact).
    """
    if years is None:
        found = set(budget)
        for item in items:
            found |= set(item.investment) | set(item.permanent)
        years = sorted(found)
    rows = []
    cumulative = ZERO
    for year in years:
        investment = sum((_value(i.investment, year) for i in items), ZERO)
        permanent = sum((_value(i.permanent, year) for i in items), ZERO)
        cumulative += investment + permanent
        limit = budget.get(year)
        rows.append(
            PortfolioYear(
                year=year,
                budget=limit,
                investment=investment,
                permanent=permanent,
                net=investment + permanent,
                cumulative_net=cumulative,
                left=None if limit is None else limit - investment,
            )
        )
    budgets = [r.budget for r in rows if r.budget is not None]
    total_budget = sum(budgets, ZERO) if budgets else None
    budgeted_investment = sum((r.investment for r in rows if r.budget is not None), ZERO)
    return Portfolio(
        keys=tuple(i.key for i in items),
        years=tuple(rows),
        investment=sum((r.investment for r in rows), ZERO),
        permanent=sum((r.permanent for r in rows), ZERO),
        net=sum((r.net for r in rows), ZERO),
        budget=total_budget,
        left=None if total_budget is None else total_budget - budgeted_investment,
    )


def _sort_key(item: PortfolioItem, criterion: str) -> tuple:
    if criterion == PAYBACK:
        # shorter payback first; no payback last
        return (item.payback_years is None, item.payback_years or 0, item.key)
    # more present value per invested krone first; no NPV last; no investment: as
    # good as its NPV is positive (nothing to spend from the pool)
    if item.npv is None:
        return (2, Fraction(0), item.key)
    invested = item.total_investment
    if invested <= 0:
        return (0 if item.npv > 0 else 1, -Fraction(item.npv), item.key)
    return (1 if item.npv <= 0 else 0, -Fraction(item.npv) / Fraction(invested), item.key)


def rank(items: Sequence[PortfolioItem], criterion: str) -> list[PortfolioItem]:
    """The items best first by ``criterion``: ``"payback"`` (shorter first, none last)
    or ``"npv_per_krone"`` (present value per krone of investment, larger first).
    Ties go to the smaller key.  Raises ``ValueError`` for another criterion."""
    if criterion not in CRITERIA:
        raise ValueError(f"unknown criterion {criterion!r}")
    return sorted(items, key=lambda item: _sort_key(item, criterion))


def suggest(
    items: Sequence[PortfolioItem], budget: Mapping[int, Decimal], criterion: str
) -> tuple[str, ...]:
    """A SUGGESTION of the items that fit the budget: in ``rank`` order, take each item
    whose investments keep every budgeted year within its budget; skip the others.
    Greedy (not the optimum of a knapsack), reproducible, explained by its order."""
    spent: dict[int, Decimal] = {}
    chosen = []
    for item in rank(items, criterion):
        fits = all(
            spent.get(year, ZERO) + _value(item.investment, year) <= limit
            for year, limit in budget.items()
        )
        if fits:
            chosen.append(item.key)
            for year in budget:
                spent[year] = spent.get(year, ZERO) + _value(item.investment, year)
    return tuple(chosen)
