"""What the printed annex shows, arranged as the municipality's annexes print it.

Every figure comes from `finance.engine` (via `cases.selectors.figures_for`) or is an
input (a line's amounts); this module only arranges them in rows for the print
templates. Texts are Danish through gettext (context "print"), as the annexes print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext

from cases.charts import net_flow_svg
from cases.models import Catalog, Pool, Proposal, Status
from cases.presentation import AREA_LABELS
from cases.selectors import admin_lines, grid_lines, line_amounts
from committees.models import Administration, Committee
from finance import engine
from finance.overview import overview_total


@dataclass
class PrintRow:
    label: str
    cells: list[Decimal | None] = field(default_factory=list)
    area: str = ""
    style: str = "line"  # heading | line | total | grand-total | cumulative | text
    text: str = ""  # style "text": one value printed in the first year column


@dataclass
class PrintTable:
    caption: str
    unit: str
    years: tuple[int, ...]
    rows: list[PrintRow]
    show_area: bool = True
    first_header: str = ""

    @property
    def width(self) -> int:
        return len(self.years) + (2 if self.show_area else 1)


def form_title(pool: str) -> str:
    if pool == Pool.INVESTMENT:
        return pgettext("print", "INVESTMENT PROPOSAL")
    if pool == Pool.INNOVATION:
        return pgettext("print", "INNOVATION PROPOSAL")
    return pgettext("print", "EFFICIENCY PROPOSAL")


def unit_label(proposal: Proposal) -> str:
    return f"1.000 kr. {proposal.price_level_year} p/l"


def _cells(values: dict, years) -> list[Decimal | None]:
    return [values.get(y) for y in years]


def _common_area(lines) -> str:
    areas = {ln.area or "service" for ln in lines}
    return AREA_LABELS.get(areas.pop(), "") if len(areas) == 1 else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return pgettext("print", "Yes") if value else pgettext("print", "No")


def economy_table(proposal: Proposal, figures: engine.Figures, pool: str) -> PrintTable:
    """Table 1.1 (investment and innovation forms) or Tabel 1 (efficiency form)."""
    years = figures.years
    lines = grid_lines(proposal)
    permanent = [ln for ln in lines if ln.section == "permanent"]
    implementation = [ln for ln in lines if ln.section == "implementation"]
    rows: list[PrintRow] = []
    if pool == Pool.EFFICIENCY:
        rows.append(PrintRow(pgettext("print", "Permanent operating changes"), style="heading"))
        rows += [PrintRow(ln.label, _cells(line_amounts(ln), years)) for ln in permanent]
        capital = [ln for ln in implementation if ln.area == "capital"]
        operating = [ln for ln in implementation if ln.area != "capital"]
        if capital:
            rows.append(
                PrintRow(pgettext("print", "Implementation costs - capital"), style="heading")
            )
            rows += [PrintRow(ln.label, _cells(line_amounts(ln), years)) for ln in capital]
        if operating:
            rows.append(
                PrintRow(pgettext("print", "Implementation costs - operating"), style="heading")
            )
            rows += [PrintRow(ln.label, _cells(line_amounts(ln), years)) for ln in operating]
        rows.append(
            PrintRow(
                pgettext("print", "Total permanent operating change (gross)"),
                _cells(figures.permanent_total, years),
                style="total",
            )
        )
        rows.append(
            PrintRow(
                pgettext("print", "Total cash flow of the proposal"),
                _cells(figures.net_total, years),
                style="grand-total",
            )
        )
        rows.append(
            PrintRow(
                pgettext("print", "Cumulative cash flow"),
                _cells(figures.cumulative_net, years),
                style="cumulative",
            )
        )
        fte = {f.year: f.fte for f in proposal.fte_years.all()}
        rows.append(
            PrintRow(pgettext("print", "Staff consequences (FTE)"), _cells(fte, years), style="fte")
        )
        rows.append(
            PrintRow(
                pgettext("print", "Payback period (Break Even)"),
                style="text",
                text=_years_text(figures.payback_years_total),
            )
        )
        rows.append(
            PrintRow(
                pgettext("print", "Is funding sought from the investment pools?"),
                style="text",
                text=yes_no(proposal.applies_for_pool_funding),
            )
        )
        return PrintTable(
            caption=pgettext("print", "Table 1. Overall economy of the proposal"),
            unit=f"Kr. 1000 {proposal.price_level_year} p/l",
            years=years,
            rows=rows,
            show_area=False,
        )

    if permanent or pool == Pool.INVESTMENT:
        rows.append(PrintRow(pgettext("print", "Permanent changes"), style="heading"))
        rows += [
            PrintRow(ln.label, _cells(line_amounts(ln), years), AREA_LABELS.get(ln.area, ""))
            for ln in permanent
        ]
        rows.append(
            PrintRow(
                pgettext("print", "Total permanent change"),
                _cells(figures.permanent_total, years),
                _common_area(permanent),
                style="total",
            )
        )
    rows.append(PrintRow(pgettext("print", "Implementation costs"), style="heading"))
    rows += [
        PrintRow(ln.label, _cells(line_amounts(ln), years), AREA_LABELS.get(ln.area, ""))
        for ln in implementation
    ]
    rows.append(
        PrintRow(
            pgettext("print", "Total implementation costs"),
            _cells(figures.implementation_total, years),
            style="total",
        )
    )
    rows.append(
        PrintRow(
            pgettext("print", "Total economic impact"),
            _cells(figures.net_total, years),
            style="grand-total",
        )
    )
    rows.append(
        PrintRow(
            pgettext("print", "Cumulative economic impact"),
            _cells(figures.cumulative_net, years),
            style="cumulative",
        )
    )
    if pool == Pool.INVESTMENT or permanent:
        rows.append(
            PrintRow(
                pgettext("print", "Payback period based on service efficiency"),
                style="text",
                text=_years_text(figures.payback_years_service),
            )
        )
        rows.append(
            PrintRow(
                pgettext("print", "Payback period based on total economy"),
                style="text",
                text=_years_text(figures.payback_years_total),
            )
        )
    return PrintTable(
        caption=pgettext("print", "1.1. Overall economic consequences of the proposal"),
        unit=unit_label(proposal),
        years=years,
        rows=rows,
    )


def _years_text(value: int | None) -> str:
    if value is None:
        return pgettext("print", "none")
    return pgettext("print", "%(years)s years") % {"years": value}


def detail_tables(proposal: Proposal, figures: engine.Figures) -> list[PrintTable]:
    """ "Varige ændringer, service", "…, overførsler", "Anlægsinvesteringer i forslaget",
    "Serviceinvesteringer i forslaget", "Varige ændringer, administration"."""
    years = figures.years
    lines = grid_lines(proposal)
    specs = [
        (
            "permanent",
            {"service", ""},
            pgettext("print", "Permanent changes, service"),
            pgettext("print", "Permanent changes total, service"),
            figures.permanent_by_area["service"],
        ),
        (
            "permanent",
            {"transfers"},
            pgettext("print", "Permanent changes, demand-driven transfers"),
            pgettext("print", "Permanent changes total, transfers"),
            figures.permanent_by_area["transfers"],
        ),
        (
            "permanent",
            {"capital"},
            pgettext("print", "Permanent changes, capital"),
            pgettext("print", "Permanent changes total, capital"),
            figures.permanent_by_area["capital"],
        ),
        (
            "implementation",
            {"capital"},
            pgettext("print", "Capital investments in the proposal"),
            pgettext("print", "Investments total, capital"),
            figures.implementation_by_area["capital"],
        ),
        (
            "implementation",
            {"service", ""},
            pgettext("print", "Service investments in the proposal"),
            pgettext("print", "Investments total, service"),
            figures.implementation_by_area["service"],
        ),
        (
            "implementation",
            {"operating"},
            pgettext("print", "Operating implementation costs in the proposal"),
            pgettext("print", "Implementation costs total, operating"),
            figures.implementation_by_area["operating"],
        ),
    ]
    tables = []
    for section, areas, caption, total_label, totals in specs:
        chosen = [ln for ln in lines if ln.section == section and ln.area in areas]
        if not chosen:
            continue
        rows = [PrintRow(ln.label, _cells(line_amounts(ln), years)) for ln in chosen]
        rows.append(PrintRow(total_label, _cells(totals, years), style="total"))
        tables.append(PrintTable(caption, unit_label(proposal), years, rows, show_area=False))
    admin = admin_lines(proposal)
    if admin:
        rows = [PrintRow(ln.label, _cells(line_amounts(ln), years)) for ln in admin]
        rows.append(
            PrintRow(
                pgettext("print", "Permanent changes total, administration"),
                _cells(figures.admin_total, years),
                style="total",
            )
        )
        tables.append(
            PrintTable(
                pgettext("print", "Permanent changes, administration"),
                unit_label(proposal),
                years,
                rows,
                show_area=False,
            )
        )
    for number, table in enumerate(tables, start=1):
        table.caption = pgettext("print", "Table %(number)s. %(caption)s") % {
            "number": number,
            "caption": table.caption,
        }
    return tables


def _subject_caption(subject: str) -> str:
    # Literal msgids so that makemessages finds them.
    return {
        "permanent_saving": pgettext("print", "Distribution of savings between committees"),
        "permanent_cost": pgettext("print", "Distribution of permanent costs between committees"),
        "permanent": pgettext("print", "Distribution of permanent changes between committees"),
        "implementation_capital": pgettext(
            "print", "Distribution of capital investments between committees"
        ),
        "implementation_service": pgettext(
            "print", "Distribution of service investments between committees"
        ),
        "implementation_operating": pgettext(
            "print", "Distribution of operating implementation costs between committees"
        ),
        "implementation": pgettext(
            "print", "Distribution of implementation costs between committees"
        ),
    }[subject]


def technical_annex(
    proposal: Proposal, figures: engine.Figures, committees: list[Committee]
) -> list[PrintTable]:
    """The Teknisk bilag: each distribution as the engine allocated it, one row per
    committee (and ØU unit) in the municipality's order, as the annexes print it."""
    names = {c.code: c.name for c in committees}
    unit_names = {c.name for c in committees}
    tables = []
    for dist in figures.distributions:
        by_label: dict[str, list[engine.AllocatedRow]] = {}
        for row in dist.rows:
            label = row.unit if row.unit in unit_names else names.get(row.committee, row.committee)
            by_label.setdefault(label, []).append(row)
        rows = []
        for committee in committees:
            matched = by_label.pop(committee.name, [])
            cells = _sum_rows(matched, figures.years)
            account = ", ".join(r.account for r in matched if r.account)
            rows.append(PrintRow(committee.name, cells, area=account))
        for label, matched in by_label.items():  # rows naming no known committee or unit
            rows.append(PrintRow(label, _sum_rows(matched, figures.years)))
        rows.append(PrintRow("Total", _cells(dist.total, figures.years), style="total"))
        tables.append(
            PrintTable(
                caption=_subject_caption(dist.subject),
                unit=unit_label(proposal),
                years=figures.years,
                rows=rows,
                show_area=True,
                first_header=pgettext("print", "Committee"),
            )
        )
    return tables


def _sum_rows(rows: list[engine.AllocatedRow], years) -> list[Decimal | None]:
    """Rows the engine allocated to the same printed line (e.g. two accounts of one
    committee) are shown on one line: their sum, exact (no rounding)."""
    cells: list[Decimal | None] = []
    for year in years:
        values = [r.amounts.get(year) for r in rows if r.amounts.get(year) is not None]
        cells.append(sum(values, Decimal(0)) if values else None)
    return cells


SECTION_FIELDS = [
    ("background", "Background and purpose"),
    ("content", "Content of the proposal"),
    ("potential", "Potential of the proposal"),
    ("economy_text", "Economy"),
    ("implementation_text", "Implementation of the proposal"),
    ("partners", "Involvement of partners"),
    ("effect", "Effect of the proposal"),
]
NUMBERING = re.compile(r"^\s*(?:tabel\s+)?\d+(?:\.\d+)*\.?\s+", re.IGNORECASE)
NOTE_TEXT = "Alle besparelser er angivet med negativt (-) fortegn"


def _section_heading(attr: str) -> str:
    return {
        "background": pgettext("print", "Background and purpose"),
        "content": pgettext("print", "Content of the proposal"),
        "potential": pgettext("print", "Potential of the proposal"),
        "economy_text": pgettext("print", "Economy"),
        "implementation_text": pgettext("print", "Implementation of the proposal"),
        "partners": pgettext("print", "Involvement of partners"),
        "effect": pgettext("print", "Effect of the proposal"),
    }[attr]


def sections(proposal: Proposal) -> list[dict[str, Any]]:
    """The narrative sections with text, in the annex's order; the economy section
    carries the detail tables. Headings of transcribed extra sections lose their old
    numbers (the print numbers all sections afresh); a transcribed copy of the
    sign note is left out because the form prints it under table 1.1."""
    out = []
    for attr, _label in SECTION_FIELDS:
        text = getattr(proposal, attr)
        if text or attr == "economy_text":
            out.append({"key": attr, "heading": _section_heading(attr), "text": text})
    for extra in proposal.other_sections or []:
        text = extra.get("text") or ""
        if not text or NOTE_TEXT in text:
            continue
        heading = NUMBERING.sub("", extra.get("heading") or "")
        out.append({"key": "other", "heading": heading, "text": text})
    return out


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def checkbox_grid(
    proposal: Proposal, administrations: list[Administration]
) -> list[list[tuple[str, bool]]]:
    """ "Berørte forvaltninger" as the printed two-column checkbox grid (column-wise)."""
    affected = {a.pk for a in proposal.affected_administrations.all()}
    cells = [(a.name, a.pk in affected) for a in administrations]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    return [[left[i], *([right[i]] if i < len(right) else [])] for i in range(half)]


def running_header(catalog: Catalog) -> str:
    return f"{catalog.annex} – {catalog.title}" if catalog.annex else catalog.title


# Statuses in which `cases.workflow.approval_text` can say anything: other proposals skip
# its two queries.
APPROVAL_STATUSES = frozenset(
    {Status.COMMITTEE_APPROVED, Status.RECOMMENDED, Status.ADOPTED, Status.NOT_ADOPTED}
)


def approval_line(proposal: Proposal) -> str:
    """ "udvalgsgodkendt den 9. marts 2020" when the committees have approved the current
    submission, else "". Kept on the instance: the part's cache key and its template
    both read it, and the annex's instances are loaded fresh for every print."""
    cached = proposal.__dict__.get("_annex_approval")
    if cached is None:
        cached = ""
        if proposal.status in APPROVAL_STATUSES:
            from cases.workflow import approval_text

            cached = approval_text(proposal)
        proposal.__dict__["_annex_approval"] = cached
    return cached


def proposal_context(
    proposal: Proposal,
    figures: engine.Figures,
    administrations: list[Administration],
    committees: list[Committee],
) -> dict[str, Any]:
    catalog = proposal.catalog
    pool = catalog.pool
    context_sections = sections(proposal)
    for section in context_sections:
        section["paragraphs"] = paragraphs(section["text"])
    return {
        "proposal": proposal,
        "catalog": catalog,
        "pool": pool,
        "approval": approval_line(proposal),
        "form_title": form_title(pool),
        "header": running_header(catalog),
        "figures": figures,
        "economy": economy_table(proposal, figures, pool),
        "detail_tables": detail_tables(proposal, figures),
        "technical": technical_annex(proposal, figures, committees),
        "sections": context_sections,
        "summary_paragraphs": paragraphs(proposal.summary),
        "risk_paragraphs": paragraphs(proposal.risk_text),
        "grid": checkbox_grid(proposal, administrations),
        "chart": net_flow_svg(figures),
        "criteria": list(proposal.success_criteria.all()),
        "hearing": list(proposal.hearing.all()),
    }


# --- the catalogue's front matter ---------------------------------------------------------


@dataclass
class OverviewRow:
    committee: str
    marked: bool
    number: str
    title: str
    values: dict[str, Any]


def overview_columns(pool: str) -> list[tuple[str, str]]:
    if pool == Pool.INNOVATION:
        return [("innovation_pool", pgettext("print", "Innovation pool"))]
    return [
        ("investment_service", "Service"),
        ("investment_capital", pgettext("print", "Capital")),
        ("full_effect_service", "Service"),
        ("full_effect_transfers", pgettext("print", "Transfers etc.")),
        ("payback_years", pgettext("print", "Years")),
    ]


def overview(catalog: Catalog, items: list[tuple[Proposal, engine.Figures]]) -> dict[str, Any]:
    """The overview table: one engine `overview_row` per proposal and the total row."""
    printed = {
        str(row.get("number")): row
        for row in (catalog.overview or {}).get("rows") or []
        if isinstance(row, dict)
    }
    rows = []
    computed = []
    for proposal, figures in items:
        values = engine.overview_row(figures)
        computed.append(values)
        flag = printed.get(proposal.number, {})
        marked = bool(proposal.cross_cutting) or bool(flag.get("not_committee_approved"))
        rows.append(
            OverviewRow(
                committee=proposal.committee.code if proposal.committee else "",
                marked=marked,
                number=proposal.number,
                title=proposal.title,
                values=values,
            )
        )
    columns = overview_columns(catalog.pool)
    footnotes = list((catalog.overview or {}).get("footnotes") or [])
    if not footnotes and any(r.marked for r in rows):
        footnotes = [pgettext("print", "*Cross-cutting proposal")]
    return {
        "columns": columns,
        "keys": [key for key, _ in columns],
        "rows": rows,
        "total": overview_total(computed),
        "footnotes": footnotes,
        "unit": pgettext("print", "DKK million %(year)s p/l")
        % {"year": items[0][0].price_level_year if items else catalog.budget_year},
    }
