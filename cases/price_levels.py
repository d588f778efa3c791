"""Showing a proposal or a catalogue in another price level ("Vis i 2024 p/l"): the
choice read from the page's ``pl`` parameter against the index kept in the database
(`committees.models.PriceIndex`), and the proposal's economy converted by
`finance.prices` (the one rule; this module only reads and arranges).

Bad input never fails a page: an unknown or unindexed year gives a Danish message and
the page in the proposal's own p/l.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from committees.models import PriceIndex
from finance import engine, prices
from finance.formatting import format_amount

from .models import DistributionRowAmount, LineAmount, Proposal, Section
from .selectors import case_from_proposal

__all__ = [
    "PriceLevelChoice",
    "capital_note",
    "choose_price_level",
    "convert_proposal_case",
    "level_note",
    "price_level_key",
    "proposal_in_price_level",
]


@dataclass(frozen=True)
class PriceLevelChoice:
    """The p/l a page shows: ``year`` (None = the proposals' own), the years the index
    has (for the chooser), the index series and a message for a refused choice."""

    year: int | None = None
    levels: list[int] = field(default_factory=list)
    indexes: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    error: str = ""

    @property
    def service_index(self) -> dict[int, Decimal]:
        return self.indexes.get(prices.SERVICE_SERIES, {})


def choose_price_level(raw: str | None) -> PriceLevelChoice:
    """The choice in a page's ``pl`` parameter ("2024"; empty = own p/l). One query
    (the index)."""
    indexes = PriceIndex.series_map()
    levels = sorted(indexes.get(prices.SERVICE_SERIES, {}))
    raw = (raw or "").strip()
    if not raw:
        return PriceLevelChoice(None, levels, indexes)
    if not raw.isdigit() or len(raw) != 4:
        return PriceLevelChoice(
            None, levels, indexes, _("“%(value)s” is not a year.") % {"value": raw[:20]}
        )
    year = int(raw)
    if year not in levels:
        return PriceLevelChoice(
            None,
            levels,
            indexes,
            _("There is no price and wage index for %(year)d.") % {"year": year},
        )
    return PriceLevelChoice(year, levels, indexes)


def convert_proposal_case(
    proposal: Proposal, case: engine.Case, choice: PriceLevelChoice
) -> engine.Case:
    """The proposal's case in the chosen p/l (`finance.prices.convert_case`). Raises
    ``finance.prices.PriceLevelError`` when the proposal's own year has no index."""
    return prices.convert_case(case, choice.indexes, proposal.price_level_year, choice.year)


def proposal_in_price_level(
    proposal: Proposal, choice: PriceLevelChoice
) -> tuple[Proposal, engine.Figures]:
    """The proposal as the print and the exports read it, in the chosen p/l: a copy in
    memory (never saved) whose ``price_level_year`` is ``choice.year`` and whose
    prefetched inputs (line amounts, specification rows, administration lines,
    distributions given as amounts) hold the amounts of `convert_proposal_case`, with
    the figures computed from that converted case. Everything read from the copy
    through `cases.selectors` (``engine_lines``, ``case_from_proposal``) is the
    converted case, so a printer needs no conversion of its own. What the source
    printed (``stated``) belongs to the original p/l and is left out, as in
    `finance.prices.convert_case`. Expects `proposals_with_inputs` prefetching; the
    original is not changed. ``choice.year`` None or the proposal's own year: the
    proposal itself and its figures. Raises ``finance.prices.PriceLevelError`` when the
    proposal's own year has no index. The copy's ``converted_from`` is the proposal's
    own p/l year, its ``own_overview`` the proposal's own p/l and overview amounts
    (`finance.engine.overview_amounts`), which an overview in another p/l converts
    (`finance.prices.convert_overview`)."""
    case = case_from_proposal(proposal)
    if choice.year is None or choice.year == proposal.price_level_year:
        return proposal, engine.compute(case)
    converted = convert_proposal_case(proposal, case, choice)
    shown = copy.copy(proposal)
    shown.price_level_year = choice.year
    shown.price_level_key = price_level_key(proposal.price_level_year, choice)
    shown.converted_from = proposal.price_level_year
    shown.own_overview = (
        proposal.price_level_year,
        engine.overview_amounts(engine.compute(case)),
    )
    cache = dict(getattr(proposal, "_prefetched_objects_cache", {}))
    grid, admin = iter(converted.lines), iter(converted.admin_lines)
    lines = []
    for line in proposal.lines.all():
        target = next(admin) if line.section == Section.ADMINISTRATION else next(grid)
        lines.append(_line_with(line, target))
    cache["lines"] = lines
    distributions = []
    for distribution, target in zip(
        proposal.distributions.all(), converted.distributions, strict=True
    ):
        rows = []
        for row, row_target in zip(distribution.rows.all(), target.rows, strict=True):
            new_row = copy.copy(row)
            amounts = [
                DistributionRowAmount(row=new_row, year=year, amount=amount)
                for year, amount in sorted((row_target.amounts or {}).items())
            ]
            new_row._prefetched_objects_cache = {
                **getattr(row, "_prefetched_objects_cache", {}),
                "amounts": amounts if row_target.amounts is not None else list(row.amounts.all()),
            }
            rows.append(new_row)
        new_distribution = copy.copy(distribution)
        new_distribution._prefetched_objects_cache = {
            **getattr(distribution, "_prefetched_objects_cache", {}),
            "rows": rows,
        }
        distributions.append(new_distribution)
    cache["distributions"] = distributions
    shown._prefetched_objects_cache = cache
    shown._state = copy.copy(proposal._state)
    shown._state.fields_cache = {
        k: v for k, v in proposal._state.fields_cache.items() if k != "stated"
    }
    shown._state.fields_cache["stated"] = None  # the source's printed sums: original p/l
    return shown, engine.compute(converted)


def _line_with(line, target) -> object:
    """A copy of a Line (model) carrying the amounts and specification rows of an engine
    line (or administration line) of the converted case."""
    new = copy.copy(line)
    new._prefetched_objects_cache = {
        **getattr(line, "_prefetched_objects_cache", {}),
        "amounts": [
            LineAmount(line=new, year=year, amount=amount)
            for year, amount in sorted(target.amounts.items())
        ],
    }
    specifications = getattr(target, "specifications", ())
    if specifications:
        new.specifications = [
            {
                **source,
                "amounts": {str(year): str(value) for year, value in spec.amounts.items()},
            }
            for source, spec in zip(line.specifications, specifications, strict=True)
        ]
    return new


def price_level_key(from_year: int, choice: PriceLevelChoice) -> str:
    """What of the index shapes a proposal converted from ``from_year`` to the chosen
    p/l (for cache keys): the years and every series' values for both."""
    values = sorted(
        (series, year, str(index.get(year)))
        for series, index in choice.indexes.items()
        for year in (from_year, choice.year)
    )
    return f"{from_year}->{choice.year}:{values}"


def level_note(
    from_year: int, to_year: int, choice: PriceLevelChoice, case: engine.Case | None = None
) -> str:
    """ "Omregnet fra 2021 p/l til 2024 p/l (indeks 112,1065 → 124,6443)", and when the
    proposal (``case``) has anlæg lines, by which index they were converted
    (`capital_note`)."""
    index = choice.service_index
    note = _(
        "Converted from %(from)d p/l to %(to)d p/l by the price and wage index (%(a)s → %(b)s)."
    ) % {
        "from": from_year,
        "to": to_year,
        "a": format_amount(index[from_year]),
        "b": format_amount(index[to_year]),
    }
    if case is not None and any(line.effective_area == engine.CAPITAL for line in case.lines):
        note += " " + capital_note([from_year], to_year, choice)
    return note


def capital_note(from_years, to_year: int, choice: PriceLevelChoice) -> str:
    """Which index anlæg (capital) amounts converted from ``from_years`` to ``to_year``
    went by (`finance.prices.capital_factor`): the anlæg series where it has both
    years, otherwise the service series, which the note then says, naming the years
    the anlæg series lacks (it is entered in the admin; docs/APPRAISAL.md)."""
    capital = choice.indexes.get(prices.CAPITAL_SERIES) or {}
    years = sorted({*from_years, to_year})
    if all(prices.capital_factor(choice.indexes, y, to_year)[1] for y in from_years):
        return _("Capital amounts by the construction index (%(values)s).") % {
            "values": " → ".join(format_amount(capital[year]) for year in years)
        }
    missing = [year for year in years if not capital.get(year, 0) > 0]
    return _(
        "Capital amounts are converted by the service index too: there is no "
        "construction index for %(years)s (it is entered in the admin)."
    ) % {"years": ", ".join(str(year) for year in missing)}
