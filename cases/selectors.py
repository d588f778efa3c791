"""Reading proposals: the querysets every page and export uses (a fixed number of queries
however many lines and years), and the bridge from the database to `finance.engine`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from finance import engine

from .models import Distribution, DistributionRow, Line, Proposal, Section


def proposals_with_inputs(queryset: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    """Proposals with everything the engine, the pages and the exports read."""
    queryset = Proposal.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "catalog", "committee", "presenting_administration", "stated"
    ).prefetch_related(
        Prefetch(
            "lines", queryset=Line.objects.order_by("order", "pk").prefetch_related("amounts")
        ),
        "affected_administrations",
        "fte_years",
        "hearing",
        "success_criteria",
        Prefetch(
            "distributions",
            queryset=Distribution.objects.order_by("order", "pk").prefetch_related(
                Prefetch(
                    "rows",
                    queryset=DistributionRow.objects.select_related("committee")
                    .order_by("order", "pk")
                    .prefetch_related("amounts"),
                )
            ),
        ),
    )


def line_amounts(line: Line) -> dict[int, Decimal]:
    return {a.year: a.amount for a in sorted(line.amounts.all(), key=lambda a: a.year)}


def grid_lines(proposal: Proposal) -> list[Line]:
    return [ln for ln in proposal.lines.all() if ln.section != Section.ADMINISTRATION]


def admin_lines(proposal: Proposal) -> list[Line]:
    return [ln for ln in proposal.lines.all() if ln.section == Section.ADMINISTRATION]


def stated_figures(proposal: Proposal):
    try:
        return proposal.stated
    except Proposal.stated.RelatedObjectDoesNotExist:
        return None


def _json_amounts(value: dict[str, Any] | None) -> dict[int, Decimal] | None:
    if value is None:
        return None
    return {int(year): Decimal(str(amount)) for year, amount in value.items()}


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _printed_rows(table: dict) -> list[engine.PrintedDistributionRow]:
    rows = []
    for row in table.get("rows") or []:
        if not isinstance(row, dict):
            continue
        label = str(row.get("label") or "")
        amounts = {}
        for year, value in (row.get("amounts") or {}).items():
            number = _dec(value)
            if number is not None and str(year).isdigit():
                amounts[int(year)] = number
        rows.append(
            engine.PrintedDistributionRow(
                label=label,
                row_kind=row.get("row_kind"),
                key_pct=_dec(row.get("key_pct")),
                amounts=amounts,
                is_total=bool(row.get("bold_total"))
                or label.strip().lower() in engine.TOTAL_LABELS,
            )
        )
    return rows


def printed_distributions(other_tables: list) -> list[engine.PrintedDistribution]:
    """The printed "Fordeling … mellem udvalg" tables of a source document."""
    return [
        engine.PrintedDistribution(
            caption=str(table.get("caption") or ""), rows=_printed_rows(table)
        )
        for table in other_tables or []
        if isinstance(table, dict) and table.get("kind") == "distribution"
    ]


PRINTED_DETAIL_SECTIONS = {
    "permanent_detail": engine.PERMANENT,
    "implementation_detail": engine.IMPLEMENTATION,
}


def printed_details(other_tables: list) -> list[engine.PrintedDetail]:
    """The printed detail tables of a source document (kinds ``permanent_detail`` and
    ``implementation_detail``), for `engine.check_printed_detail`."""
    return [
        engine.PrintedDetail(
            caption=str(table.get("caption") or ""),
            section=PRINTED_DETAIL_SECTIONS[table["kind"]],
            rows=_printed_rows(table),
        )
        for table in other_tables or []
        if isinstance(table, dict) and table.get("kind") in PRINTED_DETAIL_SECTIONS
    ]


def engine_lines(proposal: Proposal) -> tuple[engine.Line, ...]:
    """The engine's view of the proposal's grid lines (a line without an area: None)."""
    return tuple(
        engine.Line(
            section=ln.section,
            kind=ln.kind,
            area=ln.area or None,
            label=ln.label,
            amounts=line_amounts(ln),
            specifications=line_specifications(ln),
        )
        for ln in grid_lines(proposal)
    )


def line_specifications(line: Line) -> tuple[engine.Specification, ...]:
    """A line's specification rows as the engine's (exact decimals)."""
    return tuple(
        engine.Specification(s["label"], _json_amounts(s.get("amounts")) or {})
        for s in line.specifications or []
    )


def engine_admin_lines(proposal: Proposal) -> tuple[engine.AdminLine, ...]:
    return tuple(
        engine.AdminLine(label=ln.label, amounts=line_amounts(ln)) for ln in admin_lines(proposal)
    )


def case_from_proposal(proposal: Proposal) -> engine.Case:
    """The engine's view of a proposal (expects `proposals_with_inputs` prefetching)."""
    stated = stated_figures(proposal)
    return engine.Case(
        years=proposal.years,
        lines=engine_lines(proposal),
        admin_lines=engine_admin_lines(proposal),
        distributions=tuple(
            engine.Distribution(
                subject=d.subject,
                basis=d.basis,
                rows=tuple(
                    engine.DistributionRow(
                        committee=row.committee.code,
                        unit=row.unit,
                        weight=row.weight,
                        amounts=(
                            {a.year: a.amount for a in row.amounts.all()}
                            if d.basis == "amounts"
                            else None
                        ),
                        account=row.account or None,
                    )
                    for row in d.rows.all()
                ),
            )
            for d in proposal.distributions.all()
        ),
        stated=(
            engine.Stated(
                permanent_total=_json_amounts(stated.permanent_total),
                implementation_total=_json_amounts(stated.implementation_total),
                net_total=_json_amounts(stated.net_total),
                payback_years=stated.payback_years,
                payback_years_service=stated.payback_years_service,
                payback_years_total=stated.payback_years_total,
            )
            if stated is not None
            else None
        ),
        printed_distributions=tuple(printed_distributions(proposal.other_tables)),
        printed_details=tuple(printed_details(proposal.other_tables)),
    )


def figures_for(proposal: Proposal) -> engine.Figures:
    return engine.compute(case_from_proposal(proposal))


def printed_overview(catalog) -> dict[str, dict[str, Any]]:
    """The catalogue's printed overview table by proposal number, numbers as Decimal."""
    rows = {}
    for row in (catalog.overview or {}).get("rows") or []:
        if isinstance(row, dict) and row.get("number") is not None:
            rows[str(row["number"])] = {
                key: (_dec(value) if isinstance(value, float) else value)
                for key, value in row.items()
            }
    return rows


def printed_overview_total(catalog) -> dict[str, Any]:
    """The total row ("I alt") of the catalogue's printed overview, numbers as Decimal
    ({} when it printed none)."""
    total = (catalog.overview or {}).get("total")
    if not isinstance(total, dict):
        return {}
    return {key: (_dec(v) if isinstance(v, float) else v) for key, v in total.items()}


def all_checks(proposal: Proposal, figures: engine.Figures, overview=None) -> list[engine.Check]:
    """The engine's checks of a proposal plus its row of the printed catalogue overview."""
    overview = printed_overview(proposal.catalog) if overview is None else overview
    checks = list(figures.checks)
    if proposal.number in overview:
        checks += engine.check_overview(overview[proposal.number], figures, proposal.number)
    return checks
