"""What the printed annex shows, arranged as the municipality's annexes print it.

Every figure comes from `finance.engine` (via `cases.selectors.figures_for`) or is an
input (a line's amounts). The rows and tables themselves are built by `cases.presentation`
(the same builders as the web page's); this module adds what only the print has: the
efficiency form's layout, the numbered detail tables, the Teknisk bilag per committee and
the print's own wording. Texts are Danish through gettext (context "print"), as the
annexes print them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext

from cases import richtext
from cases.appraisal import block_context
from cases.charts import NET_FLOW_TITLE, chart_title, net_flow_svg
from cases.exporting import SECTION_FIELDS
from cases.models import Catalog, Pool, Proposal, Status
from cases.permissions import DECIDED_STATUSES
from cases.presentation import (
    Row,
    Table,
    cells,
    implementation_rows,
    line_rows,
    lines_table,
    permanent_rows,
    section_lines,
    unit_label,
)
from cases.selectors import (
    engine_admin_lines,
    engine_lines,
    printed_overview,
    printed_overview_total,
)
from committees.models import Administration, Committee
from finance import control, engine, prices
from finance.formatting import format_amount
from finance.overview import overview_total
from review.models import ChangeAfterDecision
from review.workflow import approval_text

from . import captions, layout, technical


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
            *line_rows(permanent, years),
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
                rows += [Row(heading, style="heading"), *line_rows(group, years)]
        rows.append(
            Row(
                pgettext("print", "Total permanent operating change (gross)"),
                cells(figures.permanent_total, years),
                style="total",
            )
        )
        rows.append(
            Row(
                pgettext("print", "Total cash flow of the proposal"),
                cells(figures.net_total, years),
                style="grand-total",
            )
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
            area_last_header=pgettext("print", "Appropriation"),
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
    # The form prints the net flow of each year, not its running sum (the chart does).
    rows.append(
        Row(
            pgettext("print", "Total economic impact"),
            cells(figures.net_total, years),
            style="grand-total",
        )
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


DETAIL_KINDS = (
    "permanent_service",
    "permanent_transfers",
    "permanent_capital",
    "implementation_capital",
    "implementation_service",
    "implementation_operating",
    "admin",
)


def detail_tables_by_kind(
    proposal: Proposal, figures: engine.Figures, captions: dict[str, str]
) -> dict[str, Table]:
    """The detail tables ("Varige ændringer, service", …, "Varige ændringer,
    administration") that have lines, by kind (`DETAIL_KINDS`); their captions are the
    form's (``captions``, unnumbered)."""
    lines = engine_lines(proposal)
    specs = {
        "permanent_service": (
            section_lines(lines, "permanent", {"service", ""}),
            figures.permanent_by_area["service"],
            pgettext("print", "Permanent changes total, service"),
        ),
        "permanent_transfers": (
            section_lines(lines, "permanent", {"transfers"}),
            figures.permanent_by_area["transfers"],
            pgettext("print", "Permanent changes total, transfers"),
        ),
        "permanent_capital": (
            section_lines(lines, "permanent", {"capital"}),
            figures.permanent_by_area["capital"],
            pgettext("print", "Permanent changes total, capital"),
        ),
        "implementation_capital": (
            section_lines(lines, "implementation", {"capital"}),
            figures.implementation_by_area["capital"],
            pgettext("print", "Investments total, capital"),
        ),
        "implementation_service": (
            section_lines(lines, "implementation", {"service", ""}),
            figures.implementation_by_area["service"],
            pgettext("print", "Investments total, service"),
        ),
        "implementation_operating": (
            section_lines(lines, "implementation", {"operating"}),
            figures.implementation_by_area["operating"],
            pgettext("print", "Implementation costs total, operating"),
        ),
        "admin": (
            engine_admin_lines(proposal),
            figures.admin_total,
            pgettext("print", "Permanent changes total, administration"),
        ),
    }
    unit = unit_label(proposal)
    out = {}
    for kind, (chosen, totals, total) in specs.items():
        table = lines_table(
            chosen,
            totals,
            figures.years,
            caption=captions.get(kind, kind),
            total=total,
            unit=unit,
        )
        if table is not None:
            out[kind] = table
    return out


def _grouped_table(
    proposal: Proposal, figures: engine.Figures, caption: str, groups, total: str, totals
) -> Table:
    """A table of the efficiency form: each non-empty group under its heading, then the
    engine's total."""
    years = figures.years
    rows = []
    for heading, group in groups:
        if group:
            rows += [
                Row(heading, style="heading"),
                *line_rows(engine.specified(group), years, with_area=False),
            ]
    rows.append(Row(total, cells(totals, years), style="total"))
    return Table(caption, f"Kr. 1000 {proposal.price_level_year} p/l", years, rows, False)


def citizen_permanent_table(
    proposal: Proposal, figures: engine.Figures, caption: str
) -> Table | None:
    """The efficiency form's "Driftseffektiviseringer og nye varige driftsomkostninger":
    savings, then costs, then "Samlet varig driftsændring (brutto)"."""
    lines = section_lines(engine_lines(proposal), "permanent")
    if not lines:
        return None
    groups = [
        (pgettext("print", "Efficiencies"), [ln for ln in lines if ln.kind == "saving"]),
        (pgettext("print", "Costs"), [ln for ln in lines if ln.kind == "cost"]),
    ]
    total = pgettext("print", "Total permanent operating change (gross)")
    return _grouped_table(proposal, figures, caption, groups, total, figures.permanent_total)


def citizen_implementation_table(
    proposal: Proposal, figures: engine.Figures, caption: str
) -> Table | None:
    """The efficiency form's "Implementeringsomkostninger": capital investments, then
    the (temporary) operating costs of implementation, then their total."""
    lines = section_lines(engine_lines(proposal), "implementation")
    if not lines:
        return None
    groups = [
        (pgettext("print", "Capital investments"), [ln for ln in lines if ln.area == "capital"]),
        (
            pgettext("print", "Operating costs of implementation (temporary)"),
            [ln for ln in lines if ln.area != "capital"],
        ),
    ]
    total = pgettext("print", "Total implementation costs")
    return _grouped_table(proposal, figures, caption, groups, total, figures.implementation_total)


def technical_tables(
    proposal: Proposal,
    figures: engine.Figures,
    org: technical.Organisation,
    pool: str,
    captions: dict[str, str] | None = None,
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
        return _form_captions([t for t in tables if t is not None], captions)
    total = pgettext("print", "Total (row of a distribution table)")
    footnote = pgettext(
        "print",
        "* When the proposal is approved by the efficiency circle, the administrations "
        "themselves fill in the information needed for its technical implementation "
        "(in Kvantum).",
    )
    annex = technical.compute_technical_annex(figures, org.key_of)  # once for the four
    tables = [
        technical.service_table(
            figures,
            org,
            caption=pgettext("print", "Efficiency and permanent operating costs, service"),
            unit=unit,
            kinds=(pgettext("print", "Saving"), pgettext("print", "Costs")),
            total_label=total,
            with_units=True,
            annex=annex,
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
            annex=annex,
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
    return _form_captions([t for t in tables if t is not None], captions)


def _form_captions(
    tables: list[technical.DistTable], captions: dict[str, str] | None
) -> list[technical.DistTable]:
    """The form's own wording of a table's caption (``distribution:<role>``), if any."""
    for table in tables:
        table.caption = (captions or {}).get(f"distribution:{table.role}", table.caption)
    return tables


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


TEXT_FIELDS = SECTION_FIELDS  # the form's text blocks: interchange key -> field


@dataclass
class ControlNote:
    where: str
    stated: Any
    computed: Any
    message: str


def control_notes(figures: engine.Figures) -> list[ControlNote]:
    """ "Kontrolnoter": every figure the source document printed that differs from what
    the engine computes (the engine's checks with a printed and a computed value) and
    that stands in no row of its own (a payback, a key sum; the rows are
    `control_tables`). The form prints the computed figure; this appendix keeps the
    printed one visible."""
    in_rows = {id(c) for row in control.control_rows(figures) for c in row.checks}
    notes = []
    for check in figures.checks:
        if check.stated is None and check.computed is None or id(check) in in_rows:
            continue
        message = check.message
        where = message.split(":", 1)[0] if ":" in message else message
        notes.append(ControlNote(where, check.stated, check.computed, message))
    return notes


@dataclass
class ControlLine:
    where: str
    label: str  # "Trykt" / "Beregnet"
    cells: list[tuple[Any, bool]]  # (amount or None, differs from the other line)


@dataclass
class ControlTable:
    years: tuple[int, ...]
    lines: list[ControlLine]


def control_tables(figures: engine.Figures, max_years: int | None = None) -> list[ControlTable]:
    """The Kontrolnoter's rows (`finance.control.control_rows`): each printed row that
    differs, whole and as the source laid it out, over the same row as computed, year
    by year (the years that differ marked); in blocks of at most ``max_years`` years, as
    the form's own tables (`year_blocks`)."""
    rows = control.control_rows(figures)
    if not rows:
        return []
    years = tuple(sorted({y for row in rows for y in row.years}))
    printed, computed = pgettext("print", "Printed"), pgettext("print", "Computed")
    tables = []
    for start, end in year_slices(len(years), max_years or MAX_YEARS_PER_BLOCK):
        block = years[start:end]
        lines = []
        for row in rows:
            for label, values in ((printed, row.printed), (computed, row.computed)):
                lines.append(
                    ControlLine(
                        row.where if label == printed else "",
                        label,
                        [(values.get(y), y in row.differs) for y in block],
                    )
                )
        tables.append(ControlTable(block, lines))
    return tables


def changes_after_decision(proposal: Proposal) -> list[ChangeAfterDecision]:
    """The proposal's changes after the decision ("ændring efter beslutning", issue 11,
    finding 3), oldest first, for the control notes: who, when, why and each changed
    field. Only a recommended or decided proposal can have any (no query otherwise)."""
    if proposal.status not in DECIDED_STATUSES:
        return []
    return list(
        ChangeAfterDecision.objects.filter(proposal=proposal)
        .select_related("user")
        .order_by("at", "pk")
    )


MAX_YEARS_PER_BLOCK = 8


def year_slices(count: int, max_years: int) -> list[tuple[int, int]]:
    """(start, end) of ``count`` years in blocks of at most ``max_years``, as even as
    possible (11 years in 8s: 6 + 5)."""
    if count <= max_years:
        return [(0, count)]
    size = -(-count // -(-count // max_years))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def year_blocks(table, max_years: int = MAX_YEARS_PER_BLOCK) -> list:
    """A table wider than the page as blocks of at most ``max_years`` years each (as
    even as possible), the label column repeated; a continued block's caption says so.
    Works for `Table` and `technical.DistTable` (rows with ``cells``; a text row keeps
    its text in the first block only)."""
    years = tuple(table.years)
    if len(years) <= max_years:
        return [table]
    blocks = []
    for start, end in year_slices(len(years), max_years):
        size = end - start
        rows = [
            replace(
                row,
                cells=list(row.cells[start : start + size]),
                **({"text": ""} if start and getattr(row, "style", "") == "text" else {}),
            )
            for row in table.rows
        ]
        caption = table.caption
        if start:
            caption = pgettext("print", "%(caption)s (continued)") % {"caption": caption}
        blocks.append(replace(table, years=years[start : start + size], rows=rows, caption=caption))
    return blocks


def source_tables(other_tables: list) -> tuple[list[str], list[tuple[int, dict]]]:
    """(caption keys of every table the source printed, in order; its tables of kind
    "other" that carry a "Tabel …" caption, as print blocks with their index). Only
    captioned tables are printed: an uncaptioned one's caption is the transcriber's
    note, not the document's."""
    keys = []
    blocks = []
    for i, table in enumerate(other_tables or []):
        if not isinstance(table, dict):
            continue
        caption = str(table.get("caption") or "")
        keys.append(richtext.caption_key(caption))
        if table.get("kind") == "other" and richtext.CAPTION.match(caption):
            blocks.append((i, source_table_block(table)))
    return keys, blocks


def _cell(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return format_amount(Decimal(str(value)))
    return str(value)


def source_table_block(table: dict) -> dict:
    """A printed table of the source as it was printed (its own columns)."""
    caption = richtext.CAPTION_NUMBER.sub("", str(table.get("caption") or "")).strip()
    columns = [str(c) for c in table.get("columns") or []]
    years = [str(y) for y in table.get("years") or []]
    rows = []
    if columns or years:
        heads = columns or years
        for row in table.get("rows") or []:
            texts = row.get("text_cells") or {}
            amounts = row.get("amounts") or {}
            rows.append(
                [str(row.get("label") or ""), *[_cell(texts.get(c, amounts.get(c))) for c in heads]]
            )
    else:  # a key table: counts and keys ("Fordeling af licenser mellem udvalg")
        heads = [h.strip() for h in str(table.get("unit") or "").split("/") if h.strip()][:2]
        for row in table.get("rows") or []:
            key = row.get("key_pct")
            rows.append(
                [
                    str(row.get("label") or ""),
                    _cell(row.get("count")),
                    f"{_cell(key)} %" if key is not None else "",
                ]
            )
    return {"type": "source_table", "caption": caption, "columns": heads, "rows": rows}


def appraisal_context(catalog: Catalog, figures: engine.Figures) -> dict[str, Any]:
    """The optional present value / sensitivity rows of the print (off by default, so
    the annex stays the seeds' document): the same arrangement the page shows
    (`cases.appraisal.block_context`)."""
    if not catalog.print_appraisal:
        return {"appraisal": None}
    return block_context(catalog, figures)


def add_appraisal_block(sections: list[layout.Section], context: dict[str, Any]) -> None:
    """Put the appraisal rows (`appraisal_context`) into the form's economy section,
    after its chart (or, in a form without one, after its first table); a form without
    an economy section prints them after its last section."""
    if context.get("appraisal") is None or not sections:
        return
    block = {"type": "appraisal", **context}
    section = next((s for s in sections if s.id == "economy"), sections[-1])
    kinds = [b.get("type") for b in section.blocks]
    anchor = "chart" if "chart" in kinds else "table"
    at = kinds.index(anchor) + 1 if anchor in kinds else len(kinds)
    section.blocks.insert(at, block)


def proposal_context(
    proposal: Proposal,
    figures: engine.Figures,
    administrations: list[Administration],
    committees: list[Committee],
) -> dict[str, Any]:
    """Everything the part template prints: the head, and the form's sections (the
    catalogue's `layout`) with their blocks, sections and tables numbered as printed."""
    catalog = proposal.catalog
    pool = catalog.pool
    form = layout.layout_for(catalog)
    org = technical.Organisation.from_committees(committees)
    details = detail_tables_by_kind(proposal, figures, form.tables)
    dists = {t.role: t for t in technical_tables(proposal, figures, org, pool, form.tables)}
    economy = economy_table(proposal, figures, pool)
    citizen = {
        "citizen_permanent": citizen_permanent_table(
            proposal, figures, form.tables.get("citizen_permanent", "")
        ),
        "citizen_implementation": citizen_implementation_table(
            proposal, figures, form.tables.get("citizen_implementation", "")
        ),
    }
    printed_captions = [t.caption for t in [*details.values(), *dists.values()]] + [
        t.caption for t in citizen.values() if t is not None
    ]
    if proposal.priority_criteria and form.tables.get("criteria"):
        printed_captions.append(form.tables["criteria"])  # the grid prints it
    caps = captions.Captions(form, proposal.other_tables)

    # The source's own numbered tables that the form does not print from the engine
    # ("Tabel 3. Årlig kommunal fremadrettet besparelse …"): printed before the first
    # form table that follows them in the source, so that the numbers run as printed.
    source_keys, others = source_tables(proposal.other_tables)
    due: list[dict] = []

    def numbered(caption: str, role: str = "") -> str:
        k = caps.position(caption, role)
        if k is not None:
            while others and others[0][0] < k:
                index, other = others.pop(0)
                other["caption"] = caps.source_text(index)
                due.append(other)
        return caps.number(caption, role)[0]

    def table_block(table: Table | None) -> dict | None:
        if table is None:
            return None
        table.caption = numbered(table.caption)
        return {"type": "table", "tables": year_blocks(table)}

    def html_block(text: str) -> dict | None:
        if not (text or "").strip():
            return None
        return {"type": "html", "html": layout.render_text(text, printed_captions)}

    criteria = list(proposal.success_criteria.all())
    hearing = list(proposal.hearing.all())

    def make_block(name: str, section_id: str, extra: dict | None):
        block = form_block(name, section_id, extra)
        if due and block is not None:
            blocks = [*due, block]
            due.clear()
            return blocks
        return block

    def form_block(name: str, section_id: str, extra: dict | None) -> dict | None:
        if name == "extra_text":
            return html_block(extra["text"])
        if name == "economy_table":
            if form.economy_caption == "table":
                economy.caption = numbered(form.tables.get("economy", economy.caption))
                return {"type": "table", "tables": year_blocks(economy)}
            return {"type": "table", "tables": year_blocks(economy), "hide_caption": True}
        if name == "sign_note":
            return {"type": "sign_note"}
        if name == "chart":
            # printed in another p/l (a converted copy): the title says which
            shown = proposal.price_level_year if getattr(proposal, "converted_from", None) else None
            return {
                "type": "chart",
                "svg": net_flow_svg(figures, title=chart_title(NET_FLOW_TITLE, shown)),
            }
        if name == "productivity":
            return {
                "type": "productivity",
                "items": [
                    (
                        pgettext("print", "Does the proposal improve productivity"),
                        proposal.productivity_improvement,
                    ),
                    (
                        pgettext("print", "Does the proposal reduce administrative costs"),
                        proposal.reduced_admin_costs,
                    ),
                ],
            }
        if name.startswith("text:"):
            return html_block(getattr(proposal, TEXT_FIELDS[name.removeprefix("text:")], ""))
        if name.startswith("detail:"):
            return table_block(details.get(name.removeprefix("detail:")))
        if name in citizen:
            return table_block(citizen[name])
        if name.startswith("distribution:"):
            table = dists.get(name.removeprefix("distribution:"))
            if table is None:
                return None
            table.caption = numbered(table.caption, table.role)
            return {"type": "dists", "tables": year_blocks(table)}
        if name == "technical":
            tables = []
            # The tables the source printed first, in its order; then those it did not.
            ranked = sorted(
                dists.values(),
                key=lambda t: (
                    caps.position(t.caption, t.role) is None,
                    caps.position(t.caption, t.role) or 0,
                ),
            )
            for table in ranked:
                table.caption = numbered(table.caption, table.role)
                tables += year_blocks(table)
            return {"type": "dists", "tables": tables} if tables else None
        if name == "admin_notes":
            if "admin" not in details or not form.admin_notes:
                return None
            return {"type": "notes", "items": list(form.admin_notes)}
        if name == "followup_grid":
            return {"type": "followup_grid", "criteria": criteria} if criteria else None
        if name == "followup_transposed":
            if not criteria:
                return None
            return {
                "type": "followup_transposed",
                "caption": numbered(form.tables.get("followup", "")),
                "criteria": criteria,
            }
        if name == "risk_text":
            return html_block(proposal.risk_text)
        if name == "risk_grid":
            if not proposal.risk_level:
                return None
            return {
                "type": "risk_grid",
                "caption": numbered(form.tables.get("risk", "")),
                "levels": [
                    (pgettext("print", "High risk"), proposal.risk_level == "high"),
                    (pgettext("print", "Medium risk"), proposal.risk_level == "medium"),
                    (pgettext("print", "Low risk"), proposal.risk_level == "low"),
                ],
            }
        if name == "hearing":
            return {"type": "hearing", "rows": hearing} if hearing else None
        if name == "criteria_grid":
            criteria_values = proposal.priority_criteria or {}
            columns = form.criteria_columns
            if not any(criteria_values.get(k) for k, _ in columns):
                return None
            return {
                "type": "criteria_grid",
                "caption": numbered(form.tables.get("criteria", "")),
                "headers": [h.format(year=proposal.price_level_year) for _k, h in columns],
                "values": [criteria_values.get(k) or "" for k, _h in columns],
            }
        raise layout.LayoutError(f"unknown block {name!r}")

    texts = layout.claimed_texts(form, proposal.other_sections or [])

    def source_order(name: str) -> int | None:
        table = details.get(name.removeprefix("detail:"))
        if table is None:
            return None
        key = richtext.caption_key(table.caption)
        return next((i for i, k in enumerate(source_keys) if k == key), None)

    form_sections = layout.build_sections(
        form, proposal.number, make_block, texts, source_order, proposal.printed_headings
    )
    add_appraisal_block(form_sections, appraisal_context(catalog, figures))
    return {
        "proposal": proposal,
        "catalog": catalog,
        "pool": pool,
        "form": form,
        "approval": approval_line(proposal),
        "header": running_header(catalog),
        "figures": figures,
        "sections": form_sections,
        "summary_html": layout.render_text(proposal.summary, ()),
        "control_notes": control_notes(figures),
        "control_tables": control_tables(figures),
        "from_source": figures.case.from_source_document,
        "changes_after_decision": changes_after_decision(proposal),
        "grid": checkbox_grid(proposal, administrations),
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


@dataclass(frozen=True)
class Listed:
    """What the front matter (overview, contents) and the bookmarks keep of a proposal
    once its part is made: not its inputs and full figures, so that an annex of any size
    holds a few hundred bytes per proposal (issue 13)."""

    pk: int
    number: str
    title: str
    committee: str  # its code, "" for none
    cross_cutting: bool
    price_level_year: int
    values: dict[str, Any]  # engine.overview_row
    converted_from: int | None = None  # printed in another p/l: the proposal's own
    # the proposal's own p/l and overview amounts before rounding (1.000 kr.,
    # engine.overview_amounts): what an overview in another p/l converts
    own_amounts: tuple[int, dict[str, Decimal]] | None = None

    @classmethod
    def of(cls, proposal: Proposal, figures: engine.Figures) -> Listed:
        own = getattr(proposal, "own_overview", None)
        if own is None:
            own = (proposal.price_level_year, engine.overview_amounts(figures))
        return cls(
            pk=proposal.pk,
            number=proposal.number,
            title=proposal.title,
            committee=proposal.committee.code if proposal.committee else "",
            cross_cutting=bool(proposal.cross_cutting),
            price_level_year=proposal.price_level_year,
            values=engine.overview_row(figures),
            converted_from=getattr(proposal, "converted_from", None),
            own_amounts=own,
        )


def overview_notes(catalog: Catalog, items: list[Listed], total: dict) -> list[ControlNote]:
    """The overview's Kontrolnoter: each figure of the source's printed overview (rows
    and, when it lists exactly the printed proposals, its total) that differs from the
    computed one (`engine.compare_overview`, the check the proposals' pages report).
    None when the annex is printed in another p/l than the proposals' own (the source
    printed its own)."""
    if any(item.converted_from is not None for item in items):
        return []
    notes = []
    source = printed_overview(catalog)
    found = [(item, source[item.number]) for item in items if item.number in source]
    rows = [(f"{item.number} {item.title}", row, item.values, item.number) for item, row in found]
    source_total = printed_overview_total(catalog)
    if source_total and set(source) == {item.number for item in items}:
        rows.append((pgettext("print", "Total"), source_total, total, None))
    for where, row, values, number in rows:
        for check in engine.compare_overview(row, values, number):
            where_field = f"{where}: {engine.FIELD_NAMES.get(check.field, check.field)}"
            notes.append(ControlNote(where_field, check.stated, check.computed, check.message))
    return notes


def overview(
    catalog: Catalog, items: list[Listed], indexes: dict | None = None, to_year: int | None = None
) -> dict[str, Any]:
    """The overview table: one engine `overview_row` per proposal and the total row.
    Printed in another p/l (``to_year`` with the index ``indexes``): the rows and the
    total are `finance.prices.convert_overview` of the proposals' own amounts, the rule
    the catalogue page and the workbook use (rows add up to the total exactly)."""
    converted: dict | None = None
    if to_year is not None:
        # keyed (number, pk) as the catalogue page: ties go to the smaller number
        by_key, converted_total = prices.convert_overview(
            {(item.number, item.pk): item.own_amounts for item in items}, indexes or {}, to_year
        )
        converted = {pk: values for (_number, pk), values in by_key.items()}
    printed = {
        str(row.get("number")): row
        for row in (catalog.overview or {}).get("rows") or []
        if isinstance(row, dict)
    }
    rows = []
    computed = []
    for item in items:
        if converted is not None:
            item = replace(item, values={**item.values, **converted[item.pk]})
        computed.append(item.values)
        flag = printed.get(item.number, {})
        marked = item.cross_cutting or bool(flag.get("not_committee_approved"))
        rows.append(
            OverviewRow(
                committee=item.committee,
                marked=marked,
                number=item.number,
                title=item.title,
                values=item.values,
            )
        )
    columns = overview_columns(catalog.pool)
    footnotes = list((catalog.overview or {}).get("footnotes") or [])
    if not footnotes and any(r.marked for r in rows):
        footnotes = [pgettext("print", "*Cross-cutting proposal")]
    total = overview_total(computed) if converted is None else converted_total
    return {
        "columns": columns,
        "keys": [key for key, _ in columns],
        "rows": rows,
        "total": total,
        "notes": overview_notes(catalog, items, total),
        "footnotes": footnotes,
        "unit": pgettext("print", "DKK million %(year)s p/l")
        % {"year": items[0].price_level_year if items else catalog.budget_year},
    }
