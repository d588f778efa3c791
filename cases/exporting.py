"""Writing budget-cases/1 documents: every input field back (round trip) plus the
`computed` block from `finance.engine`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from finance import engine

from .interchange import FORMAT_NAME, SECTION_KEYS
from .models import Catalog, Proposal
from .selectors import (
    admin_lines,
    case_from_proposal,
    grid_lines,
    line_amounts,
    line_specifications,
    proposals_with_inputs,
)

_SECTION_FIELDS = {
    "background": "background",
    "content": "content",
    "potential": "potential",
    "economy": "economy_text",
    "implementation": "implementation_text",
    "partners": "partners",
    "effect": "effect",
}
assert tuple(_SECTION_FIELDS) == SECTION_KEYS
SECTION_FIELDS = _SECTION_FIELDS  # interchange key -> Proposal field (the print uses it)


def number(value: Decimal | int | None) -> int | float | None:
    """A Decimal as a JSON number: an int when whole, else the shortest float that
    prints the same digits (amounts have at most 2 decimals)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def amounts_json(amounts: dict[int, Decimal | None] | None, *, keep_empty=False) -> dict | None:
    if amounts is None:
        return None
    return {
        str(year): number(amount)
        for year, amount in sorted(amounts.items())
        if amount is not None or keep_empty
    }


def canonical(value: Any) -> Any:
    """Free-form JSON (printed tables, notes) with its object keys sorted, so that an
    export is the same on every database (PostgreSQL's jsonb does not keep key order)."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def _nullable(text: str) -> str | None:
    return text if text else None


def export_catalog(catalog: Catalog) -> dict[str, Any]:
    proposals = proposals_with_inputs(Proposal.objects.filter(catalog=catalog)).order_by("pk")
    exported = []
    for proposal in proposals:
        exported.append(export_proposal(proposal))
    return {
        "format": FORMAT_NAME,
        "source_file": _nullable(catalog.source_file),
        "catalog": {
            "key": catalog.key,
            "title": catalog.title,
            "annex": _nullable(catalog.annex),
            "pool": catalog.pool,
            "budget_year": catalog.budget_year,
            "overview": canonical(catalog.overview),
            **({"introduction": catalog.introduction} if catalog.introduction else {}),
        },
        "proposals": exported,
    }


def export_proposal(proposal: Proposal) -> dict[str, Any]:
    case = case_from_proposal(proposal)
    figures = engine.compute(case)
    data: dict[str, Any] = {
        "number": proposal.number,
        "title": proposal.title,
        "summary": _nullable(proposal.summary),
        "committee": proposal.committee.code if proposal.committee else None,
        "cross_cutting": proposal.cross_cutting,
        "presenting_administration": (
            proposal.presenting_administration.code if proposal.presenting_administration else None
        ),
        "affected_administrations": [
            a.code for a in sorted(proposal.affected_administrations.all(), key=lambda a: a.order)
        ],
        "funding_source": _nullable(proposal.funding_source),
        "applies_for_pool_funding": proposal.applies_for_pool_funding,
        "productivity": (
            None
            if proposal.productivity_improvement is None and proposal.reduced_admin_costs is None
            else {
                "productivity_improvement": proposal.productivity_improvement,
                "reduced_admin_costs": proposal.reduced_admin_costs,
            }
        ),
        "price_level_year": proposal.price_level_year,
        "years": list(proposal.years),
        "lines": [
            {
                "section": ln.section,
                "kind": ln.kind,
                "area": ln.area or None,
                "label": ln.label,
                "amounts": amounts_json(line_amounts(ln)),
                **_specifications(ln),
            }
            for ln in grid_lines(proposal)
        ],
        "admin_lines": [
            {"label": ln.label, "amounts": amounts_json(line_amounts(ln))}
            for ln in admin_lines(proposal)
        ],
        "fte": (
            {
                str(f.year): number(f.fte)
                for f in sorted(proposal.fte_years.all(), key=lambda f: f.year)
            }
            or None
        ),
        "followup": [_followup_row(c) for c in proposal.success_criteria.all()],
        "risk": {"level": proposal.risk_level or None, "text": _nullable(proposal.risk_text)},
        "hearing": [
            {"body": h.body, "answer": h.answer or None, "date": _nullable(h.date_text)}
            for h in proposal.hearing.all()
        ],
        "priority_criteria": canonical(proposal.priority_criteria),
        "sections": {
            **{key: _nullable(getattr(proposal, attr)) for key, attr in _SECTION_FIELDS.items()},
            "other": {s["heading"]: s["text"] for s in proposal.other_sections},
        },
        "distributions": [_distribution(d) for d in proposal.distributions.all()],
    }
    if case.stated is not None:
        data["stated"] = {
            "permanent_total": amounts_json(case.stated.permanent_total),
            "implementation_total": amounts_json(case.stated.implementation_total),
            "net_total": amounts_json(case.stated.net_total),
            "payback_years": case.stated.payback_years,
            "payback_years_service": case.stated.payback_years_service,
            "payback_years_total": case.stated.payback_years_total,
        }
    data["other_tables"] = canonical(proposal.other_tables)
    data["anomalies"] = canonical(proposal.anomalies)
    if proposal.printed_headings:
        data["printed_headings"] = list(proposal.printed_headings)
    data["computed"] = computed_block(figures)
    return data


def export_inputs(proposal: Proposal) -> dict[str, Any]:
    """A prefetched proposal's inputs (`proposals_with_inputs`): the budget-cases/1
    proposal document without its `computed` block, as plain JSON values (what a
    version of the history stores, and what "changed" means for a decided proposal)."""
    data = export_proposal(proposal)
    data.pop("computed", None)
    return json.loads(json.dumps(data))


def _followup_row(criterion) -> dict[str, Any]:
    row = {
        "criterion": _nullable(criterion.criterion),
        "how_measured": _nullable(criterion.how_measured),
        "responsible": _nullable(criterion.responsible),
        "when": _nullable(criterion.when),
    }
    if criterion.how_achieved:
        row["how_achieved"] = criterion.how_achieved
    return row


def _specifications(line) -> dict[str, Any]:
    """A line's specification rows, only when it has any (older exports stay as they
    were)."""
    if not line.specifications:
        return {}
    return {
        "specifications": [
            {"label": sp.label, "amounts": amounts_json(sp.amounts)}
            for sp in line_specifications(line)
        ]
    }


def _distribution(distribution) -> dict[str, Any]:
    rows = []
    for row in distribution.rows.all():
        out = {
            "committee": row.committee.code,
            "unit": _nullable(row.unit),
            "account": _nullable(row.account),
        }
        if distribution.basis == "weights":
            out["weight"] = number(row.weight.normalize()) if row.weight is not None else None
        else:
            if row.weight is not None:
                out["weight"] = number(row.weight.normalize())
            out["amounts"] = amounts_json({a.year: a.amount for a in row.amounts.all()})
        rows.append(out)
    return {"subject": distribution.subject, "basis": distribution.basis, "rows": rows}


def computed_block(figures: engine.Figures) -> dict[str, Any]:
    def per_year(values):
        return amounts_json(values, keep_empty=True)

    return {
        "years": list(figures.years),
        "permanent_total": per_year(figures.permanent_total),
        "permanent_by_area": {k: per_year(v) for k, v in figures.permanent_by_area.items()},
        "implementation_total": per_year(figures.implementation_total),
        "implementation_by_area": {
            k: per_year(v) for k, v in figures.implementation_by_area.items()
        },
        "net_total": per_year(figures.net_total),
        "cumulative_net": per_year(figures.cumulative_net),
        "payback_years_total": figures.payback_years_total,
        "payback_years_service": figures.payback_years_service,
        "full_effect": {k: number(v) for k, v in figures.full_effect.items()},
        "investment": {k: number(v) for k, v in figures.investment.items()},
        "distributions": [
            {
                "subject": d.subject,
                "rows": [
                    {
                        "committee": r.committee,
                        "unit": r.unit or None,
                        "amounts": per_year(r.amounts),
                    }
                    for r in d.rows
                ],
                "total": per_year(d.total),
            }
            for d in figures.distributions
        ],
        "checks": [_plain(c.as_dict()) for c in figures.checks],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
