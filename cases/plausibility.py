"""Plausibility warnings for the editor: input that is valid but probably a typing
mistake (an amount in kroner typed into a thousand-kroner grid, a year of another
budget round). The editor shows them and saves only once the user confirms.

Pure functions on `ProposalData`; the thresholds are the rules below.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import format_number

# Amounts are thousand kroner: 1.000.000 is 1 mia. kr., more than any single line of a
# municipality's business case (the largest in the reference catalogues is 60.000).
AMOUNT_LIMIT = Decimal(1_000_000)
# A span that starts more than this many years from the catalogue's budget year, or a
# price level this far from the first year, is most likely a typing mistake.
YEAR_DISTANCE = 5


@dataclass(frozen=True)
class Warning:
    """`target` is the id of the input to look at; `message` says what is unusual."""

    target: str
    message: str


def warnings(
    *,
    years: list[int],
    price_level_year: int | None,
    budget_year: int | None,
    cells: list[tuple[str, str, int, Decimal]],
) -> list[Warning]:
    """The warnings for the typed input.

    `years`: the span; `cells`: (input id, row text, year, amount in thousand kroner) of
    every filled cell of the year grid."""
    found: list[Warning] = []
    if budget_year and years and abs(years[0] - budget_year) > YEAR_DISTANCE:
        found.append(
            Warning(
                "id_first_year",
                _(
                    "The first year %(first)s is far from the catalogue's budget year "
                    "%(budget)s."
                )
                % {"first": years[0], "budget": budget_year},
            )
        )
    if years and price_level_year and abs(price_level_year - years[0]) > YEAR_DISTANCE:
        found.append(
            Warning(
                "id_price_level_year",
                _("The price level %(level)s is far from the first year %(first)s.")
                % {"level": price_level_year, "first": years[0]},
            )
        )
    for target, label, year, value in cells:
        if abs(value) > AMOUNT_LIMIT:
            found.append(
                Warning(
                    target,
                    _(
                        "“%(label)s” %(year)s: %(value)s thousand kroner is more than "
                        "1 billion kroner. Amounts are in thousand kroner."
                    )
                    % {"label": label, "year": year, "value": format_number(value)},
                )
            )
    return found


def editor_warnings(editor, budget_year: int | None) -> list[Warning]:
    """`warnings` for a valid `cases.forms.ProposalEditor` (after `is_valid()`)."""
    cells = []
    for formset in editor.line_sets.values():
        for form in formset.rows():
            label = form.cleaned_data.get("label") or ""
            for year, value in form.amounts().items():
                cells.append((form[f"y{year}"].auto_id, label, year, value))
    header = editor.header.cleaned_data
    return warnings(
        years=list(editor.span),
        price_level_year=header.get("price_level_year"),
        budget_year=budget_year,
        cells=cells,
    )
