"""Showing a proposal or a catalogue in another price level ("Vis i 2024 p/l"): the
choice read from the page's ``pl`` parameter against the index kept in the database
(`committees.models.PriceIndex`), and the proposal's economy converted by
`finance.prices` (the one rule; this module only reads and arranges).

Bad input never fails a page: an unknown or unindexed year gives a Danish message and
the page in the proposal's own p/l.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from committees.models import PriceIndex
from finance import engine, prices
from finance.formatting import format_amount

from .models import Proposal

__all__ = ["PriceLevelChoice", "choose_price_level", "convert_proposal_case", "level_note"]


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


def level_note(from_year: int, to_year: int, choice: PriceLevelChoice) -> str:
    """ "Omregnet fra 2021 p/l til 2024 p/l (indeks 112,1065 → 124,6443)"."""
    index = choice.service_index
    return _(
        "Converted from %(from)d p/l to %(to)d p/l by the price and wage index (%(a)s → %(b)s)."
    ) % {
        "from": from_year,
        "to": to_year,
        "a": format_amount(index[from_year]),
        "b": format_amount(index[to_year]),
    }
