"""The follow-up report ("Opfølgningsrapport") of a catalogue: for every adopted
proposal the criteria with their latest status and value, planned vs realised per year
and the chart. `catalogue_report` returns the figures; the template
`followup/_report.html` renders them (a fragment, for the page and the printed annex);
`report_sheet_rows` gives the same figures as rows for an xlsx sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cases.models import Catalog

from . import charts
from .models import CriterionStatus, FrozenPlan
from .permissions import visible_plans
from .selectors import PlanView, plans_with_everything, threshold_default, today


def plan_views(queryset, threshold: Decimal | None = None, on: date | None = None):
    threshold = threshold_default() if threshold is None else threshold
    on = on or today()
    return [
        PlanView(plan, threshold=threshold, on=on)
        for plan in plans_with_everything(queryset).order_by(
            "proposal__catalog__budget_year", "proposal__catalog__key", "proposal__number"
        )
    ]


def proposal_chart(view: PlanView) -> str:
    years = list(view.planned.years)
    return charts.planned_vs_realised_svg(
        years,
        view.planned.permanent_total,
        {y.year: y.realised_permanent for y in view.comparison.years if y.reported},
        behind={y.year: y.behind for y in view.comparison.years},
        title=f"{view.proposal.number}: varige ændringer, plan og realiseret (1.000 kr.)",
    )


def catalogue_report(
    catalog: Catalog, user=None, *, threshold: Decimal | None = None, on: date | None = None
) -> dict[str, Any]:
    """The report's figures. With `user`, only the plans that user may read; without,
    every adopted proposal of the catalogue (for the printed annex)."""
    queryset = FrozenPlan.objects.filter(proposal__catalog=catalog)
    if user is not None:
        queryset = visible_plans(user, queryset)
    views = plan_views(queryset, threshold, on)
    return {
        "catalog": catalog,
        "threshold": views[0].threshold if views else (threshold or threshold_default()),
        "entries": [{"view": view, "chart": proposal_chart(view)} for view in views],
    }


def report_sheet_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as rows of plain values (str, int, Decimal, date, None) for a sheet:
    per proposal a heading row, the criteria, and planned/realised/gap per year."""
    status = dict(CriterionStatus.choices)
    rows: list[list[Any]] = []
    for entry in report["entries"]:
        view = entry["view"]
        c = view.comparison
        rows.append([f"{view.proposal.number} {view.proposal.title}"])
        rows.append(["Succeskriterium", "Seneste status", "Målt værdi", "Enhed", "Målt den"])
        for row in view.criteria:
            latest = row.latest
            rows.append(
                [
                    row.criterion.criterion,
                    str(status[latest.status]) if latest else "Ikke registreret",
                    latest.measured_value if latest else None,
                    row.criterion.unit,
                    latest.measured_on if latest else None,
                ]
            )
        rows.append(["1.000 kr.", *[y.year for y in c.years]])
        rows.append(["Varige ændringer, plan", *[y.planned_permanent for y in c.years]])
        rows.append(["Varige ændringer, realiseret", *[y.realised_permanent for y in c.years]])
        rows.append(["Afvigelse", *[y.gap_permanent for y in c.years]])
        rows.append(["Nettopengestrøm, plan", *[y.planned_net for y in c.years]])
        rows.append(["Nettopengestrøm, realiseret", *[y.realised_net for y in c.years]])
        rows.append(["Bagud i forhold til plan", *["Ja" if y.behind else "" for y in c.years]])
        rows.append(
            [
                "Tilbagebetalingstid (total), plan / realiseret",
                c.planned_payback_total,
                c.realised_payback_total,
            ]
        )
        rows.append([])
    return rows
