"""What the printed annex shows, arranged as the municipality's annexes print it.

Every figure comes from `finance.engine` (via `cases.selectors.figures_for`) or is an
input (a line's amounts). The rows and tables themselves are built by `cases.presentation`
(the same builders as the web page's); this module adds what only the print has: the
efficiency form's layout, the numbered detail tables, the Teknisk bilag per committee and
the print's own wording. Texts are Danish through gettext (context "print"), as the
annexes print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext

from cases.charts import net_flow_svg
from cases.models import Catalog, Pool, Proposal, Status
from cases.presentation import (
    SECTION_HEADINGS,
    Row,
    Table,
    cells,
    implementation_rows,
    line_rows,
    lines_table,
    net_rows,
    permanent_rows,
    section_lines,
    unit_label,
)
from cases.selectors import engine_admin_lines, engine_lines
from committees.models import Administration, Committee
from finance import engine
from finance.overview import overview_total
from review.workflow import approval_text

from . import technical


def form_title(pool: str) -> str:
    if pool == Pool.INVESTMENT:
        return pgettext("print", "INVESTMENT PROPOSAL")
    if pool == Pool.INNOVATION:
        return pgettext("print", "INNOVATION PROPOSAL")
    return pgettext("print", "EFFICIENCY PROPOSAL")


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return pgettext("print", "Yes") if value else pgettext("print", "No")


def economy_table(proposal: Proposal, figures: engine.Figures, pool: str) -> Table:
    """Table 1.1 (investment and innovation forms) or Tabel 1 (efficiency form)."""
    years = figures.years
    lines = engine_lines(proposal)
    permanent = section_lines(lines, "permanent")
    implementation = section_lines(lines, "implementation")
    if pool == Pool.EFFICIENCY:
        rows = [
            Row(pgettext("print", "Permanent operating changes"), style="heading"),
            *line_rows(permanent, years, with_area=False),
        ]
        for heading, group in (
            (
                pgettext("print", "Implementation costs - capital"),
                [ln for ln in implementation if ln.area == "capital"],
            ),
            (
                pgettext("print", "Implementation costs - operating"),
                [ln for ln in implementation if ln.area != "capital"],
            ),
        ):
            if group:
                rows += [Row(heading, style="heading"), *line_rows(group, years, with_area=False)]
        rows.append(
            Row(
                pgettext("print", "Total permanent operating change (gross)"),
                cells(figures.permanent_total, years),
                style="total",
            )
        )
        rows += net_rows(
            figures,
            pgettext("print", "Total cash flow of the proposal"),
            pgettext("print", "Cumulative cash flow"),
        )
        fte = {f.year: f.fte for f in proposal.fte_years.all()}
        rows += [
            Row(pgettext("print", "Staff consequences (FTE)"), cells(fte, years), style="fte"),
            _text_row(
                pgettext("print", "Payback period (Break Even)"),
                _years_text(figures.payback_years_total),
            ),
            _text_row(
                pgettext("print", "Is funding sought from the investment pools?"),
                yes_no(proposal.applies_for_pool_funding),
            ),
        ]
        return Table(
            caption=pgettext("print", "Table 1. Overall economy of the proposal"),
            unit=f"Kr. 1000 {proposal.price_level_year} p/l",
            years=years,
            rows=rows,
            show_area=False,
        )

    # The innovation form leaves out the permanent changes and the payback periods of a
    # proposal without permanent changes.
    with_permanent = bool(permanent) or pool == Pool.INVESTMENT
    rows = []
    if with_permanent:
        rows += permanent_rows(
            permanent,
            figures,
            pgettext("print", "Permanent changes"),
            pgettext("print", "Total permanent change"),
            blank_area="service",
        )
    rows += implementation_rows(
        implementation,
        figures,
        pgettext("print", "Implementation costs"),
        pgettext("print", "Total implementation costs"),
    )
    rows += net_rows(
        figures,
        pgettext("print", "Total economic impact"),
        pgettext("print", "Cumulative economic impact"),
    )
    if with_permanent:
        rows += [
            _text_row(
                pgettext("print", "Payback period based on service efficiency"),
                _years_text(figures.payback_years_service),
            ),
            _text_row(
                pgettext("print", "Payback period based on total economy"),
                _years_text(figures.payback_years_total),
            ),
        ]
    return Table(
        caption=pgettext("print", "1.1. Overall economic consequences of the proposal"),
        unit=unit_label(proposal),
        years=years,
        rows=rows,
    )


def _text_row(label: str, text: str) -> Row:
    return Row(label, style="text", text=text)


def _years_text(value: int | None) -> str:
    if value is None:
        return pgettext("print", "none")
    return pgettext("print", "%(years)s years") % {"years": value}


def detail_tables(proposal: Proposal, figures: engine.Figures) -> list[Table]:
    """ "Varige ændringer, service", "…, overførsler", "Anlægsinvesteringer i forslaget",
    "Serviceinvesteringer i forslaget", "Varige ændringer, administration"."""
    lines = engine_lines(proposal)
    specs = [
        (
            section_lines(lines, "permanent", {"service", ""}),
            figures.permanent_by_area["service"],
            pgettext("print", "Permanent changes, service"),
            pgettext("print", "Permanent changes total, service"),
        ),
        (
            section_lines(lines, "permanent", {"transfers"}),
            figures.permanent_by_area["transfers"],
            pgettext("print", "Permanent changes, demand-driven transfers"),
            pgettext("print", "Permanent changes total, transfers"),
        ),
        (
            section_lines(lines, "permanent", {"capital"}),
            figures.permanent_by_area["capital"],
            pgettext("print", "Permanent changes, capital"),
            pgettext("print", "Permanent changes total, capital"),
        ),
        (
            section_lines(lines, "implementation", {"capital"}),
            figures.implementation_by_area["capital"],
            pgettext("print", "Capital investments in the proposal"),
            pgettext("print", "Investments total, capital"),
        ),
        (
            section_lines(lines, "implementation", {"service", ""}),
            figures.implementation_by_area["service"],
            pgettext("print", "Service investments in the proposal"),
            pgettext("print", "Investments total, service"),
        ),
        (
            section_lines(lines, "implementation", {"operating"}),
            figures.implementation_by_area["operating"],
            pgettext("print", "Operating implementation costs in the proposal"),
            pgettext("print", "Implementation costs total, operating"),
        ),
        (
            engine_admin_lines(proposal),
            figures.admin_total,
            pgettext("print", "Permanent changes, administration"),
            pgettext("print", "Permanent changes total, administration"),
        ),
    ]
    unit = unit_label(proposal)
    tables = []
    for chosen, totals, caption, total in specs:
        table = lines_table(chosen, totals, figures.years, caption=caption, total=total, unit=unit)
        if table is not None:
            tables.append(table)
    for number, table in enumerate(tables, start=1):
        table.caption = pgettext("print", "Table %(number)s. %(caption)s") % {
            "number": number,
            "caption": table.caption,
        }
    return tables


def technical_tables(
    proposal: Proposal, figures: engine.Figures, org: technical.Organisation, pool: str
) -> list[technical.DistTable]:
    """Every distribution table of the proposal, printed from the engine's figures: the
    Teknisk bilag of the investment and innovation forms, the "Fordeling …" tables of
    the efficiency form (keys, two decimals, as the Citizen annexes print them)."""
    unit = unit_label(proposal)
    if pool == Pool.EFFICIENCY:
        common = {"unit": unit, "with_units": False, "with_keys": True, "places": 2}
        in_total = pgettext("print", "In total")
        tables = [
            technical.service_table(
                figures,
                org,
                caption=pgettext(
                    "print", "Distribution of the proposal's potential between committees"
                ),
                kinds=(pgettext("print", "Efficiency"), pgettext("print", "Cost")),
                total_label=in_total,
                **common,
            ),
        ]
        for subjects, caption in (
            (("implementation_capital",), pgettext("print", "Distribution of capital investments")),
            (
                ("implementation_operating", "implementation_service"),
                pgettext("print", "Distribution of operating costs of implementation"),
            ),
            (("implementation",), pgettext("print", "Distribution of implementation costs")),
        ):
            tables.append(
                technical.subject_table(
                    figures, org, subjects, caption=caption, total_label=in_total, **common
                )
            )
        return [t for t in tables if t is not None]
    total = pgettext("print", "Total (row of a distribution table)")
    footnote = pgettext(
        "print",
        "* When the proposal is approved by the efficiency circle, the administrations "
        "themselves fill in the information needed for its technical implementation "
        "(in Kvantum).",
    )
    tables = [
        technical.service_table(
            figures,
            org,
            caption=pgettext("print", "Efficiency and permanent operating costs, service"),
            unit=unit,
            kinds=(pgettext("print", "Saving"), pgettext("print", "Costs")),
            total_label=total,
            with_units=True,
        ),
        *technical.effect_tables(
            figures,
            org,
            captions={
                "target_effect": pgettext(
                    "print", "Target effect – if the proposal is incorporated"
                ),
                "appropriation_effect": pgettext(
                    "print", "Appropriation effect – if the proposal is incorporated"
                ),
                "appropriation_effect_if_not": pgettext(
                    "print", "Appropriation effect – if the proposal is not incorporated"
                ),
            },
            unit=unit,
            total_label=total,
            footnote=footnote,
        ),
    ]
    for subjects, caption in (
        (
            ("implementation_capital",),
            pgettext("print", "Distribution of capital investments between committees"),
        ),
        (
            ("implementation_service",),
            pgettext("print", "Distribution of service investments between committees"),
        ),
        (
            ("implementation_operating",),
            pgettext("print", "Distribution of operating implementation costs between committees"),
        ),
        (
            ("implementation",),
            pgettext("print", "Distribution of implementation costs between committees"),
        ),
    ):
        tables.append(
            technical.subject_table(
                figures,
                org,
                subjects,
                caption=caption,
                unit=unit,
                total_label=total,
                with_units=True,
                with_account=True,
                footnote=footnote if subjects == ("implementation_capital",) else "",
            )
        )
    return [t for t in tables if t is not None]


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
    for attr, _heading in SECTION_HEADINGS:
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


# Statuses in which `review.workflow.approval_text` can say anything: other proposals skip
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
        "technical": technical_tables(
            proposal, figures, technical.Organisation.from_committees(committees), pool
        ),
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
