"""The annex's standard tables as rows for templates (web page and PDF alike).

Nothing is computed here that the engine does not compute: these functions only arrange
the engine's figures and the proposal's lines in the order the printed annexes use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from finance import engine

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
    style: str = "line"  # heading | line | total | grand-total | payback
    value: int | None = None  # payback rows: years


@dataclass
class Table:
    caption: str
    unit: str
    years: tuple[int, ...]
    rows: list[Row]
    show_area: bool = True


def _area_label(area: str | None) -> str:
    return AREA_LABELS.get(area or "", "")


def _common_area(lines) -> str:
    areas = {ln.area for ln in lines}
    return _area_label(areas.pop()) if len(areas) == 1 else ""


def unit_label(proposal: Proposal) -> str:
    return unit_for(proposal.price_level_year)


def unit_for(price_level_year: int) -> str:
    return f"1.000 kr. {price_level_year} p/l"


def economy_table(proposal: Proposal, figures: engine.Figures) -> Table:
    """Table 1.1 "Forslagets samlede økonomiske konsekvenser" as the investment annexes
    print it."""
    return economy_table_for(case_from_proposal(proposal), figures, unit_label(proposal))


def economy_table_for(case: engine.Case, figures: engine.Figures, unit: str) -> Table:
    """Table 1.1 of any case, saved or still being typed in the editor."""
    years = figures.years
    permanent = [ln for ln in case.lines if ln.section == "permanent"]
    implementation = [ln for ln in case.lines if ln.section == "implementation"]

    def cells(values) -> list[Decimal | None]:
        return [values.get(y) for y in years]

    rows: list[Row] = [Row(_("Permanent changes"), style="heading")]
    for ln in permanent:
        rows.append(Row(ln.label, cells(ln.amounts), _area_label(ln.area)))
    rows.append(
        Row(
            _("Total permanent change"),
            cells(figures.permanent_total),
            _common_area(permanent),
            style="total",
        )
    )
    rows.append(Row(_("Implementation costs"), style="heading"))
    for ln in implementation:
        rows.append(Row(ln.label, cells(ln.amounts), _area_label(ln.area)))
    rows.append(
        Row(_("Total implementation costs"), cells(figures.implementation_total), style="total")
    )
    rows.append(Row(_("Total economic impact"), cells(figures.net_total), style="grand-total"))
    rows.append(Row(_("Cumulative net impact"), cells(figures.cumulative_net), style="cumulative"))
    rows.append(
        Row(
            _("Payback period based on service efficiency"),
            style="payback",
            value=figures.payback_years_service,
        )
    )
    rows.append(
        Row(
            _("Payback period based on total economy"),
            style="payback",
            value=figures.payback_years_total,
        )
    )
    return Table(
        caption=_("1.1 Overall economic consequences of the proposal"),
        unit=unit,
        years=years,
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
        lines = [
            ln for ln in case.lines if ln.section == section and (ln.area or Area.SERVICE) == area
        ]
        totals = figures.permanent_by_area[area]
        caption, total_label = {
            "service": (_("Permanent changes, service"), _("Permanent changes total, service")),
            "transfers": (
                _("Permanent changes, demand-driven transfers"),
                _("Permanent changes total, transfers"),
            ),
            "capital": (_("Permanent changes, capital"), _("Permanent changes total, capital")),
        }[area]
    else:
        wanted = {"capital": {"capital"}, "service": {"service", "operating", ""}}[area]
        lines = [ln for ln in case.lines if ln.section == section and (ln.area or "") in wanted]
        if area == "capital":
            totals = figures.implementation_by_area["capital"]
            caption, total_label = (
                _("Capital investments in the proposal"),
                _("Investments total, capital"),
            )
        else:
            totals = {
                y: _sum_optional(
                    figures.implementation_by_area["service"].get(y),
                    figures.implementation_by_area["operating"].get(y),
                )
                for y in years
            }
            caption, total_label = (
                _("Service investments in the proposal"),
                _("Investments total, service"),
            )
    if not lines:
        return None
    rows = [Row(ln.label, [ln.amounts.get(y) for y in years]) for ln in lines]
    rows.append(Row(total_label, [totals.get(y) for y in years], style="total"))
    return Table(caption=caption, unit=unit, years=years, rows=rows, show_area=False)


def _sum_optional(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None and b is None:
        return None
    return (a or Decimal(0)) + (b or Decimal(0))


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
    if not case.admin_lines:
        return None
    years = figures.years
    rows = [Row(ln.label, [ln.amounts.get(y) for y in years]) for ln in case.admin_lines]
    rows.append(
        Row(
            _("Permanent changes total, administration"),
            [figures.admin_total.get(y) for y in years],
            style="total",
        )
    )
    return Table(
        caption=_("Permanent changes, administration"),
        unit=unit,
        years=years,
        rows=rows,
        show_area=False,
    )


SUBJECT_CAPTIONS = {
    "permanent_saving": N_("Distribution of savings between committees"),
    "permanent_cost": N_("Distribution of permanent costs between committees"),
    "permanent": N_("Distribution of permanent changes between committees"),
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
        rows = []
        for row in dist.rows:
            label = row.unit or row.committee
            rows.append(
                Row(label, [row.amounts.get(y) for y in figures.years], area=row.account or "")
            )
        tables.append(
            DistributionTable(
                caption=_(SUBJECT_CAPTIONS[dist.subject]),
                years=figures.years,
                rows=rows,
                total=[dist.total.get(y) for y in figures.years],
                accounts=[row.account or "" for row in dist.rows],
                subject=dist.subject,
                basis=dist.basis,
                remainder=_remainder(dist, figures) if dist.basis == "amounts" else None,
            )
        )
    return tables


def _remainder(dist: engine.AllocatedDistribution, figures: engine.Figures) -> list:
    off = {
        check.year: (check.computed or Decimal(0)) - (check.stated or Decimal(0))
        for check in figures.checks
        if check.code == "distribution_amounts_mismatch" and check.field == dist.subject
    }
    return [
        off.get(year, Decimal(0) if dist.total.get(year) is not None else None)
        for year in figures.years
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
