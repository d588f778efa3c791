"""The annex's standard tables as rows for templates (web page and PDF alike).

Nothing is computed here that the engine does not compute: these functions only arrange
the engine's figures and the proposal's lines in the order the printed annexes use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from finance import engine
from finance.rounding import round_half_up, round_to_total
from finance.technical_annex import column_total, table_years

from .models import Area, Proposal
from .selectors import case_from_proposal

AREA_LABELS = {
    "service": "Service",
    "transfers": "Overførsler",
    "capital": "Anlæg",
    "operating": "Drift",
}


@dataclass
class Row:
    label: str
    cells: list[Decimal | None] = field(default_factory=list)
    area: str = ""
    # heading | line | total | grand-total | cumulative | payback | fte | text
    style: str = "line"
    value: int | None = None  # payback rows: years
    text: str = ""  # style "text" (the printed annex): one value in the first year column


@dataclass
class Table:
    caption: str
    unit: str
    years: tuple[int, ...]
    rows: list[Row]
    show_area: bool = True
    first_header: str = ""  # the printed annex: heads the label column instead of the unit
    # The printed annex: the area column after the years, under this heading (the
    # efficiency form's "Bevilling"); "" keeps it second.
    area_last_header: str = ""

    @property
    def width(self) -> int:
        return len(self.years) + (2 if self.show_area else 1)

    @property
    def printed_rows(self) -> list[Row]:
        """The rows as printed in whole thousands, adding up (`printed_rows`)."""
        return printed_rows(self.rows)


# Rows whose cells are amounts that add up: lines under a total, totals under a grand
# total. Payback, headings, text and full-time equivalents (one decimal) are not.
_SUMMED = ("line", "total", "grand-total")


def printed_rows(rows: list[Row], places: int = 0) -> list[Row]:
    """`rows` with every amount rounded to `places` decimals so that what is printed adds
    up, top down, per year: a grand total is rounded half up and its totals get the
    largest-remainder rounding that adds up to it (`finance.rounding.round_to_total`),
    then each total's lines the same. A group is only treated so when its exact
    figures add up to its total (a row that is not a part, like the cumulative net, is
    rounded half up alone). Two lines of -0,4 under a total of -1 print as 0 and -1.
    The one rule for the page, the PDF and the Excel (issue 11, finding 11)."""
    blocks: list[tuple[int, list[int]]] = []  # (total row, its lines)
    grands: list[tuple[int, list[int]]] = []  # (grand-total row, its totals)
    lines: list[int] = []
    totals: list[int] = []
    for i, row in enumerate(rows):
        if row.style == "line":
            lines.append(i)
        elif row.style == "total":
            blocks.append((i, lines))
            totals.append(i)
            lines = []
        elif row.style == "grand-total":
            grands.append((i, totals))
            totals, lines = [], []
        elif row.style == "heading":
            lines = []
    out = [Row(**{**vars(row), "cells": list(row.cells)}) for row in rows]
    width = max((len(row.cells) for row in rows), default=0)
    for column in range(width):
        done: set[int] = set()
        for parent, children in (*grands, *blocks):
            exact = [_cell(rows, i, column) for i in children]
            whole = _cell(rows, parent, column)
            if whole is None or not children or sum(v or 0 for v in exact) != whole:
                continue
            shown = (
                out[parent].cells[column] if parent in done else round_half_up(whole, places)
            )
            out[parent].cells[column] = shown
            for i, value in zip(children, _parts(exact, shown, places), strict=True):
                out[i].cells[column] = value
                done.add(i)
            done.add(parent)
        for i, row in enumerate(out):
            value = _cell(rows, i, column)
            if i not in done and value is not None and row.style in (*_SUMMED, "cumulative"):
                row.cells[column] = round_half_up(value, places)
    return out


def _parts(exact: list[Decimal | None], shown: Decimal, places: int) -> list[Decimal | None]:
    """The parts rounded so that they add up to `shown` (`round_to_total`, in quanta of
    10**-places); an empty cell stays empty."""
    filled = [v for v in exact if v is not None]
    units = round_to_total(
        [Fraction(v) * 10**places for v in filled], int(shown.scaleb(places))
    )
    rounded = iter(Decimal(u).scaleb(-places) for u in units)
    return [None if v is None else next(rounded) for v in exact]


def _cell(rows: list[Row], i: int, column: int) -> Decimal | None:
    cells_ = rows[i].cells
    return cells_[column] if column < len(cells_) else None


def cells(values: Mapping[int, Decimal | None], years) -> list[Decimal | None]:
    return [values.get(y) for y in years]


def area_label(area: str | None) -> str:
    return AREA_LABELS.get(area or "", "")


def common_area(lines, *, blank: str | None = None) -> str:
    """The area label all `lines` share, else "" (a line without an area counts as
    `blank`)."""
    areas = {ln.area or blank for ln in lines}
    return area_label(areas.pop()) if len(areas) == 1 else ""


def unit_label(proposal: Proposal) -> str:
    return unit_for(proposal.price_level_year)


def unit_for(price_level_year: int) -> str:
    return f"1.000 kr. {price_level_year} p/l"


def section_lines(lines, section: str, areas: set[str] | None = None) -> list:
    """The lines of a section (of the given areas; "" stands for a line without one)."""
    return [
        ln for ln in lines if ln.section == section and (areas is None or (ln.area or "") in areas)
    ]


def line_rows(lines, years, *, with_area: bool = True) -> list[Row]:
    return [
        Row(ln.label, cells(ln.amounts, years), area_label(ln.area) if with_area else "")
        for ln in lines
    ]


def permanent_rows(
    lines, figures: engine.Figures, heading: str, total: str, *, blank_area: str | None = None
) -> list[Row]:
    """ "Varige ændringer": the heading, the lines and "Samlet varig ændring" (in the
    lines' common area)."""
    return [
        Row(heading, style="heading"),
        *line_rows(lines, figures.years),
        Row(
            total,
            cells(figures.permanent_total, figures.years),
            common_area(lines, blank=blank_area),
            style="total",
        ),
    ]


def implementation_rows(lines, figures: engine.Figures, heading: str, total: str) -> list[Row]:
    """ "Implementeringsomkostninger": the heading, the lines and their total."""
    return [
        Row(heading, style="heading"),
        *line_rows(lines, figures.years),
        Row(total, cells(figures.implementation_total, figures.years), style="total"),
    ]


def net_rows(figures: engine.Figures, total: str, cumulative: str) -> list[Row]:
    """The net flow of every year and its running sum."""
    return [
        Row(total, cells(figures.net_total, figures.years), style="grand-total"),
        Row(cumulative, cells(figures.cumulative_net, figures.years), style="cumulative"),
    ]


def lines_table(
    lines, totals: Mapping[int, Decimal | None], years, *, caption: str, total: str, unit: str
) -> Table | None:
    """A detail table ("Varige ændringer, service", …): the lines (each line's
    specification rows in its place where they add up to it: `engine.specified`, the rule
    the print follows) and their total, or None without lines."""
    if not lines:
        return None
    rows = [
        *line_rows(engine.specified(lines), years, with_area=False),
        Row(total, cells(totals, years), style="total"),
    ]
    return Table(caption=caption, unit=unit, years=years, rows=rows, show_area=False)


def economy_table(proposal: Proposal, figures: engine.Figures) -> Table:
    """Table 1.1 "Forslagets samlede økonomiske konsekvenser" as the investment annexes
    print it."""
    return economy_table_for(case_from_proposal(proposal), figures, unit_label(proposal))


def economy_table_for(case: engine.Case, figures: engine.Figures, unit: str) -> Table:
    """Table 1.1 of any case, saved or still being typed in the editor."""
    rows = [
        *permanent_rows(
            section_lines(case.lines, "permanent"),
            figures,
            _("Permanent changes"),
            _("Total permanent change"),
        ),
        *implementation_rows(
            section_lines(case.lines, "implementation"),
            figures,
            _("Implementation costs"),
            _("Total implementation costs"),
        ),
        *net_rows(figures, _("Total economic impact"), _("Cumulative net impact")),
        Row(
            _("Payback period based on service efficiency"),
            style="payback",
            value=figures.payback_years_service,
        ),
        Row(
            _("Payback period based on total economy"),
            style="payback",
            value=figures.payback_years_total,
        ),
    ]
    return Table(
        caption=_("1.1 Overall economic consequences of the proposal"),
        unit=unit,
        years=figures.years,
        rows=rows,
    )


def area_detail_table(
    proposal: Proposal, figures: engine.Figures, section: str, area: str
) -> Table | None:
    """ "Varige ændringer, service", "…, efterspørgselsstyrede overførsler",
    "Anlægsinvesteringer i forslaget", "Serviceinvesteringer i forslaget"."""
    return _area_detail_table(
        case_from_proposal(proposal), figures, unit_label(proposal), section, area
    )


def _area_detail_table(
    case: engine.Case, figures: engine.Figures, unit: str, section: str, area: str
) -> Table | None:
    years = figures.years
    if section == "permanent":
        areas = {area, ""} if area == Area.SERVICE else {area}
        totals = figures.permanent_by_area[area]
        caption, total_label = {
            "service": (_("Permanent changes, service"), _("Permanent changes total, service")),
            "transfers": (
                _("Permanent changes, demand-driven transfers"),
                _("Permanent changes total, transfers"),
            ),
            "capital": (_("Permanent changes, capital"), _("Permanent changes total, capital")),
        }[area]
    elif area == "capital":
        areas = {"capital"}
        totals = figures.implementation_by_area["capital"]
        caption, total_label = (
            _("Capital investments in the proposal"),
            _("Investments total, capital"),
        )
    else:
        areas = {"service", "operating", ""}
        totals = figures.investment_by_year["service"]
        caption, total_label = (
            _("Service investments in the proposal"),
            _("Investments total, service"),
        )
    return lines_table(
        section_lines(case.lines, section, areas),
        totals,
        years,
        caption=caption,
        total=total_label,
        unit=unit,
    )


def detail_tables(proposal: Proposal, figures: engine.Figures) -> list[Table]:
    return detail_tables_for(case_from_proposal(proposal), figures, unit_label(proposal))


def detail_tables_for(case: engine.Case, figures: engine.Figures, unit: str) -> list[Table]:
    tables = [
        _area_detail_table(case, figures, unit, "permanent", "service"),
        _area_detail_table(case, figures, unit, "permanent", "transfers"),
        _area_detail_table(case, figures, unit, "permanent", "capital"),
        _area_detail_table(case, figures, unit, "implementation", "capital"),
        _area_detail_table(case, figures, unit, "implementation", "service"),
    ]
    return [t for t in tables if t is not None]


def admin_table(proposal: Proposal, figures: engine.Figures) -> Table | None:
    """ "Varige ændringer, administration"."""
    return admin_table_for(case_from_proposal(proposal), figures, unit_label(proposal))


def admin_table_for(case: engine.Case, figures: engine.Figures, unit: str) -> Table | None:
    return lines_table(
        case.admin_lines,
        figures.admin_total,
        figures.years,
        caption=_("Permanent changes, administration"),
        total=_("Permanent changes total, administration"),
        unit=unit,
    )


SUBJECT_CAPTIONS = {
    "permanent_saving": N_("Distribution of savings between committees"),
    "permanent_cost": N_("Distribution of permanent costs between committees"),
    "permanent": N_("Distribution of permanent changes between committees"),
    "permanent_service_saving": N_("Distribution of savings on service between committees"),
    "permanent_service_cost": N_(
        "Distribution of permanent operating costs on service between committees"
    ),
    "implementation_capital": N_("Distribution of capital investments between committees"),
    "implementation_service": N_("Distribution of service investments between committees"),
    "implementation_operating": N_(
        "Distribution of operating implementation costs between committees"
    ),
    "implementation": N_("Distribution of implementation costs between committees"),
}


@dataclass
class DistributionTable:
    caption: str
    years: tuple[int, ...]
    rows: list[Row]
    total: list[Decimal | None]
    accounts: list[str]
    subject: str = ""
    basis: str = ""
    # Basis "amounts": per year, what the rows leave undistributed (total minus the rows'
    # sum, as the engine's `distribution_amounts_mismatch` checks report it); 0 where
    # they add up. None for weights (the engine allocates exactly).
    remainder: list[Decimal | None] | None = None


def distribution_tables(figures: engine.Figures) -> list[DistributionTable]:
    """The Teknisk bilag: each distribution as allocated by the engine."""
    tables = []
    for dist in figures.distributions:
        # a row's amounts outside the span are shown too (in no figure): the years are
        # `table_years`, the total there the rows' sum
        values = [{**row.outside, **row.amounts} for row in dist.rows]
        years = table_years(figures.years, [*values, dist.total])
        outside = [y for y in years if y not in dist.total]
        total = {**column_total(dict(enumerate(values)), outside), **dist.total}
        rows = [
            Row(row.unit or row.committee, cells(amounts, years), area=row.account or "")
            for row, amounts in zip(dist.rows, values, strict=True)
        ]
        tables.append(
            DistributionTable(
                caption=_(SUBJECT_CAPTIONS[dist.subject]),
                years=years,
                rows=rows,
                total=cells(total, years),
                accounts=[row.account or "" for row in dist.rows],
                subject=dist.subject,
                basis=dist.basis,
                remainder=_remainder(dist, figures, years) if dist.basis == "amounts" else None,
            )
        )
    return tables


def _remainder(dist: engine.AllocatedDistribution, figures: engine.Figures, years) -> list:
    off = {
        check.year: (check.computed or Decimal(0)) - (check.stated or Decimal(0))
        for check in figures.checks
        if check.code == "distribution_amounts_mismatch" and check.field == dist.subject
    }
    return [
        off.get(year, Decimal(0) if dist.total.get(year) is not None else None)
        for year in years
    ]


SECTION_HEADINGS = [
    ("background", N_("Background and purpose")),
    ("content", N_("Content of the proposal")),
    ("potential", N_("Potential of the proposal")),
    ("economy_text", N_("Economy")),
    ("implementation_text", N_("Implementation of the proposal")),
    ("partners", N_("Involvement of partners")),
    ("effect", N_("Effect of the proposal")),
]


def sections(proposal: Proposal) -> list[dict[str, str]]:
    """The narrative sections that have text, in the annex's order."""
    out = [
        {"heading": _(heading), "text": getattr(proposal, attr)}
        for attr, heading in SECTION_HEADINGS
        if getattr(proposal, attr)
    ]
    out += [
        {"heading": s.get("heading", ""), "text": s.get("text", "")}
        for s in proposal.other_sections or []
        if s.get("text")
    ]
    return out
