"""Catalogues, proposal pages and the case editor. Views stay thin: they fetch with the
selectors (narrowed by `permissions`), let the engine compute, and render; writing goes
through `services.save_proposal`."""

import functools
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import django
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committees.models import Administration, PriceIndex
from finance import engine
from finance.overview import SUMMED
from finance.prices import PriceLevelError, convert_overview
from ops.fingerprint import files_fingerprint

from . import charts, limits, plausibility, presentation, services
from .appraisal import block_context
from .changes import FieldConflict, differences, snapshot
from .formerrors import error_links
from .forms import (
    ENTRY_UNIT_CHOICES,
    SECTION_PREFIX,
    SPEC_PREFIX,
    SUBJECT_LABELS,
    ProposalEditor,
    copied_data,
    merge_values,
    new_proposal_data,
    opened_units,
    posted_values,
    proposal_data,
    resolve_conflicts,
    sign_conflicts,
    unsign_base,
)
from .interchange import InterchangeError
from .models import Catalog, Proposal
from .numbers import format_number, query_int
from .paging import CountedPaginator
from .permissions import (
    DECIDED_STATUSES,
    can_create,
    can_edit,
    sees_everything,
    visible_proposal,
    visible_proposals,
)
from .portfolio import CRITERIA
from .portfolio import catalog_portfolio as catalog_portfolio_page
from .price_levels import (
    PriceLevelChoice,
    capital_note,
    choose_price_level,
    convert_proposal_case,
    level_note,
)
from .selectors import (
    all_checks,
    case_from_proposal,
    figures_for,
    printed_overview,
    proposals_with_inputs,
)


def catalog_list(request):
    visible = visible_proposals(request.user)
    catalogs = Catalog.objects.annotate(
        proposal_count=Count("proposals", filter=Q(proposals__in=visible))
    ).order_by("-budget_year", "key")
    return render(
        request,
        "cases/catalog_list.html",
        {"catalogs": catalogs, "can_create": can_create(request.user)},
    )


# Proposals per page of a catalogue's overview (as the admin's lists).
OVERVIEW_PAGE_SIZE = 100


def catalog_detail(request, key):
    """The catalogue's overview, a page at a time, from the figures stored per proposal
    version (`proposal.figures`, written in the transaction that changed the inputs): a
    page costs one query of the count and totals and one of its rows, however large the
    catalogue. A row
    whose stored figures are missing or older than the proposal (data changed outside
    the services) is computed for this page only, and nothing is written."""
    catalog = get_object_or_404(Catalog, key=key)
    proposals = (
        visible_proposals(request.user, catalog.proposals.all())
        .select_related("committee", "figures")
        .order_by("number")
    )
    # the count and the catalogue's totals (the stored, printed figures added up, as
    # finance.overview.overview_total adds them) in one query
    total = proposals.order_by().aggregate(
        count=Count("pk"), **{key: Sum(f"figures__{key}") for key in SUMMED}
    )
    count = total.pop("count")
    total = {key: value or Decimal(0) for key, value in total.items()}
    paginator = CountedPaginator(proposals, OVERVIEW_PAGE_SIZE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"proposal": p, "overview": _stored_overview(p)} for p in page.object_list]
    stale = {row["proposal"].pk: row for row in rows if row["overview"] is None}
    if stale:
        for pk, overview in _computed_overviews(catalog, stale).items():
            stale[pk]["overview"] = overview
    choice = choose_price_level(request.GET.get("pl"))
    error, shown, note = choice.error, None, ""
    if choice.year is not None:
        try:
            converted, total, levels = _converted_overview(catalog, proposals, choice)
        except PriceLevelError as exc:
            error = str(exc)
        else:
            shown = choice.year
            note = capital_note(levels, choice.year, choice) if levels else ""
            for row in rows:
                row["overview"] = {**row["overview"], **converted[row["proposal"].pk]}
    return render(
        request,
        "cases/catalog_detail.html",
        {
            "catalog": catalog,
            "rows": rows,
            "page": page,
            "total": total,
            "can_create": can_create(request.user),
            "can_see_portfolio": sees_everything(request.user),
            "price_level": choice,
            "shown_level": shown,
            "capital_note": note,
            "price_level_error": error,
        },
    )


def _computed_overviews(catalog: Catalog, pks) -> dict[int, dict]:
    """Overview rows computed from the inputs (for proposals whose stored figures are
    missing or stale); nothing is written."""
    overview = printed_overview(catalog)
    out = {}
    for proposal in proposals_with_inputs(Proposal.objects.filter(pk__in=pks)):
        figures = figures_for(proposal)
        out[proposal.pk] = {
            **engine.overview_row(figures),
            "check_count": len(all_checks(proposal, figures, overview)),
        }
    return out


# the stored summary's exact amount (1.000 kr.) of each overview column
EXACT_FIELDS = {
    "investment_service": "investment_service_exact",
    "investment_capital": "investment_capital_exact",
    "full_effect_service": "full_effect_service_exact",
    "full_effect_transfers": "full_effect_transfers_exact",
    "innovation_pool": "investment_total",
}


def _converted_overview(catalog: Catalog, proposals, choice) -> tuple[dict, dict, set]:
    """Every visible proposal's overview amounts in the chosen p/l, mio. kr. with one
    decimal, and the totals (`finance.prices.convert_overview` on the exact amounts, as
    the PDF and the workbook: the rows add up to the totals exactly). One query of the
    stored figures; a proposal whose stored figures are stale or older than the exact
    amounts is computed. Returns the rows, the totals and the proposals' own p/l years."""
    fields = [f"figures__{EXACT_FIELDS[key]}" for key in SUMMED]
    stored = proposals.values_list(
        "pk", "number", "price_level_year", "version", "figures__proposal_version", *fields
    )
    # rows keyed (number, pk): remainder ties go to the smaller number (convert_overview
    # breaks ties by str(key)), whatever the database's primary keys are
    rows, stale, numbers = {}, {}, {}
    for pk, number, level, version, stored_version, *values in stored:
        numbers[pk] = number
        if stored_version != version or any(v is None for v in values):
            stale[pk] = level
        else:
            rows[number, pk] = (level, dict(zip(SUMMED, values, strict=True)))
    if stale:
        for proposal in proposals_with_inputs(Proposal.objects.filter(pk__in=stale)):
            amounts = engine.overview_amounts(figures_for(proposal))
            rows[numbers[proposal.pk], proposal.pk] = (
                stale[proposal.pk], {k: amounts[k] for k in SUMMED}
            )  # fmt: skip
    converted, totals = convert_overview(rows, choice.indexes, choice.year)
    by_pk = {pk: values for (_number, pk), values in converted.items()}
    levels = {level for level, _amounts in rows.values()}
    return by_pk, {key: totals.get(key) or Decimal(0) for key in SUMMED}, levels


def catalog_portfolio(request, key):
    """The pool against its budget (central finance): chosen proposals per year, what is
    left, and a ranked suggestion. GET only reads."""
    if not sees_everything(request.user):
        raise PermissionDenied(_("Only central finance sees the portfolio."))
    catalog = get_object_or_404(Catalog, key=key)
    page = catalog_portfolio_page(catalog, request.GET.get("kriterie", ""))
    return render(
        request,
        "cases/portfolio.html",
        {"catalog": catalog, "page": page, "criteria": CRITERIA},
    )


def _stored_overview(proposal: Proposal) -> dict | None:
    """The overview row stored for the proposal's current version, or None."""
    stored = getattr(proposal, "figures", None)
    if stored is None or stored.proposal_version != proposal.version:
        return None
    return {
        "investment_service": stored.investment_service,
        "investment_capital": stored.investment_capital,
        "full_effect_service": stored.full_effect_service,
        "full_effect_transfers": stored.full_effect_transfers,
        "innovation_pool": stored.innovation_pool,
        "payback_years": stored.payback_years,
        "check_count": stored.check_count,
    }


def _visible_proposal(request, key, number, *, kept: bool = False) -> Proposal:
    """The proposal with its inputs (`proposals_with_inputs`), if the user may read it;
    otherwise 404 (its existence is not told). `kept`: from Django's cache when this
    version was read before (`inputs_of_version`; for pages that only read)."""
    queryset = visible_proposals(request.user, Proposal.objects.filter(catalog__key=key))
    if kept:
        row = get_object_or_404(queryset.only("pk", "version", "updated_at"), number=number)
        return inputs_of_version(row)
    return get_object_or_404(proposals_with_inputs(queryset), number=number)


@functools.cache
def inputs_fingerprint() -> str:
    """A hash of the models and the selector a kept proposal was read with, and of
    Django's version (a deploy that changes them never unpickles an old object)."""
    root = Path(__file__).resolve().parent
    sources = [root / "models.py", root / "selectors.py", root.parent / "committees" / "models.py"]
    return files_fingerprint(sources, salt=django.get_version())


def inputs_of_version(row: Proposal) -> Proposal:
    """The proposal of `row` (which needs only its pk, version and last change) with
    every input prefetched as `proposals_with_inputs` reads it, kept in Django's cache per
    version like `proposal_body`: the same for every reader of the version, so a page
    that reads it again costs one cache read instead of ten queries (the editor, issue
    13). A version read while another was being saved is not kept. Returns a fresh copy
    on each call (the cache pickles)."""
    stamp = row.updated_at.timestamp() if row.updated_at else 0
    key = f"cases:proposal-inputs:{inputs_fingerprint()}:{row.pk}:{row.version}:{stamp}"
    proposal = cache.get(key)
    if proposal is None:
        proposal = proposals_with_inputs(Proposal.objects.filter(pk=row.pk)).get()
        if (proposal.version, proposal.updated_at) == (row.version, row.updated_at):
            cache.set(key, proposal, BODY_SECONDS)
    return proposal


def _appraisal_context(proposal: Proposal, figures, shown_level: int | None = None) -> dict:
    """The optional present value / sensitivity block (the catalogue's settings);
    ``shown_level``: the p/l the figures were converted to (its chart says so)."""
    context = block_context(proposal.catalog, figures)
    if context["appraisal"] is not None:
        title = charts.chart_title(charts.TORNADO_TITLE, shown_level)
        context["tornado"] = charts.tornado_svg(context["appraisal"], title=title)
    return context


# What the proposal page reads of the proposal around its kept body (title, status,
# workflow button, permissions, p/l form, the body's key): not the narrative texts and
# printed tables (tens of KB of text and JSON a view; issue 13).
PAGE_FIELDS = (
    "pk",
    "number",
    "title",
    "status",
    "version",
    "updated_at",
    "price_level_year",
    "cross_cutting",
    "committee__parent_id",
    "presenting_administration_id",
    "catalog__key",
    "catalog__title",
    "catalog__pool",
)


def proposal_detail(request, key, number):
    proposal = visible_proposal(request.user, key, number, ("catalog", "committee"), PAGE_FIELDS)
    cache_key = body_key(proposal)
    body = None
    if request.GET.get("pl"):
        choice = choose_price_level(request.GET["pl"])
        if choice.year is not None and choice.year != proposal.price_level_year:
            try:
                body = converted_body(proposal, choice)
            except PriceLevelError as exc:
                choice = replace(choice, error=str(exc))
        found = cache.get_many([cache_key]) if body is None else {}
    else:
        # the usual view: the kept body and the chooser's years in one cache read
        found = cache.get_many([cache_key, PriceIndex.LEVELS_CACHE_KEY])
        choice = PriceLevelChoice(levels=PriceIndex.cached_levels(found))
    return render(
        request,
        "cases/proposal_detail.html",
        {
            "proposal": proposal,
            "body": body if body is not None else proposal_body(proposal, found.get(cache_key)),
            "can_edit": can_edit(request.user, proposal),
            "can_copy": can_create(request.user),
            "price_level": choice,
            "shown_level": choice.year if body is not None else proposal.price_level_year,
            "price_level_error": choice.error,
        },
    )


@functools.cache
def body_fingerprint() -> str:
    """A hash of the code that shapes a proposal body: cases' and finance's Python, the
    cases templates and the translations (read once per process)."""
    root = Path(__file__).resolve().parent
    sources = [
        *sorted(root.glob("*.py")),
        *sorted((root / "templatetags").glob("*.py")),
        *sorted((root / "templates" / "cases").rglob("*.html")),
        *sorted((root / "locale").rglob("*.mo")),
        *sorted((root.parent / "finance").glob("*.py")),
    ]
    return files_fingerprint(sources)


# How long a rendered proposal body is kept (a new version gets a new key at once).
BODY_SECONDS = 24 * 3600


def body_key(proposal: Proposal) -> str:
    """The cache key of `proposal_body` for this version of `proposal` and the language."""
    stamp = proposal.updated_at.timestamp() if proposal.updated_at else 0
    return (
        f"cases:proposal-body:{body_fingerprint()}:{proposal.pk}:{proposal.version}:{stamp}"
        f":{get_language()}"
    )


def proposal_body(proposal: Proposal, kept: str | None = None) -> str:
    """The proposal page below its title: facts, economy, chart, checks, tables, texts,
    distributions, follow-up, risk and hearing. The same for every reader of one version
    of the proposal, so it is computed and rendered once per version and language and
    kept in Django's cache (the key changes with the version counter, which every change
    of an input raises, with the last change, which every status change sets, and with
    `body_fingerprint`, so a deploy that renders differently never serves the old HTML).
    A page view then costs the proposal's row and a cache read, not the engine, nine
    queries of inputs and the tables' rendering. ``kept``: the HTML under `body_key`
    when the caller has read it already (with other keys, in one round trip). Returns
    safe HTML."""
    key = body_key(proposal)
    html = kept if kept is not None else cache.get(key)
    if html is None:
        full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
        figures = figures_for(full)
        html = _render_body(full, case_from_proposal(full), figures, all_checks(full, figures), {})
        cache.set(key, html, BODY_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def converted_body(proposal: Proposal, choice) -> str:
    """The proposal page's body in another p/l ("Vis i 2024 p/l"): the economy converted
    by `finance.prices.convert_case`, every table, the chart and the appraisal computed
    from the converted figures; the checks are those of the proposal as entered (they
    concern what was typed in). Not cached (the index may change in the admin). Raises
    ``PriceLevelError`` when the proposal's own year has no index."""
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    own = figures_for(full)
    case = convert_proposal_case(full, case_from_proposal(full), choice)
    figures = engine.compute(case)
    extra = {
        "shown_level": choice.year,
        "from_source": own.case.from_source_document,
        "level_note": level_note(full.price_level_year, choice.year, choice, case),
    }
    html = _render_body(full, case, figures, all_checks(full, own), extra)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def _render_body(full: Proposal, case, figures, checks, extra: dict) -> str:
    affected = {a.code for a in full.affected_administrations.all()}
    shown = extra.get("shown_level")  # converted to another p/l: the charts say so
    unit = presentation.unit_for(shown or full.price_level_year)
    return render_to_string(
        "cases/_proposal_body.html",
        {
            "proposal": full,
            "figures": figures,
            "checks": checks,
            # printed figures: the proposal's own (a converted case leaves them out)
            "from_source": extra.get("from_source", case.from_source_document),
            "economy": presentation.economy_table_for(case, figures, unit),
            "detail_tables": presentation.detail_tables_for(case, figures, unit),
            "admin": presentation.admin_table_for(case, figures, unit),
            "sections": presentation.sections(full),
            "distributions": presentation.distribution_tables(figures),
            "administrations": [
                (a, a.code in affected) for a in Administration.objects.order_by("order")
            ],
            "unit": unit,
            "chart": charts.net_flow_svg(
                figures, title=charts.chart_title(charts.NET_FLOW_TITLE, shown)
            )
            if figures.years
            else "",
            **_appraisal_context(full, figures, shown),
            **extra,
        },
    )


# --------------------------------------------------------------------------- the editor


def _editable_proposal(request, key, number, *, kept: bool = False) -> Proposal:
    proposal = _visible_proposal(request, key, number, kept=kept)
    if not can_edit(request.user, proposal):
        raise PermissionDenied(_("You may read this proposal but not change it."))
    return proposal


def _require_create(request) -> None:
    if not can_create(request.user):
        raise PermissionDenied(_("You may not create proposals."))


# "+ Specifikation" without JavaScript: a new specification row under line N of a section.
SPEC_BUTTON = re.compile(r"^(?P<prefix>[a-z]+-spec):(?P<line>\d{1,3})$")


def _with_button_actions(data):
    """The page's buttons that work without JavaScript: "add a row" and "equal split"
    change the submitted data and show the page again (nothing is saved)."""
    data = data.copy()
    add = data.get("add")
    if add:
        total_key = f"{add}-TOTAL_FORMS"
        if total_key in data:
            count = _form_count(data[total_key])
            if count is not None:
                data[total_key] = str(count + 1)
    spec = SPEC_BUTTON.match(data.get("add-spec") or "")
    if spec and spec["prefix"] in SPEC_PREFIX.values():
        total_key = f"{spec['prefix']}-TOTAL_FORMS"
        count = _form_count(data.get(total_key, ""))
        if count is not None and count < limits.MAX_SPECIFICATION_ROWS:
            data[total_key] = str(count + 1)
            data[f"{spec['prefix']}-{count}-line"] = spec["line"]
    equal = data.get("equal")
    if equal and f"{equal}-rows-TOTAL_FORMS" in data:
        data[f"{equal}-basis"] = "weights"
        count = _form_count(data[f"{equal}-rows-TOTAL_FORMS"]) or 0
        for i in range(min(count, limits.MAX_DISTRIBUTION_ROWS)):
            if not data.get(f"{equal}-rows-{i}-DELETE"):
                data[f"{equal}-rows-{i}-weight"] = "1"
    return data


def _form_count(value: str) -> int | None:
    """A posted TOTAL_FORMS as a number no larger than any formset reads (the formsets
    bound themselves by `cases.limits`), or None if it is not a number."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return None
    return min(int(value), limits.MAX_LINES)


def _live_context(editor: ProposalEditor) -> dict:
    """The computed tables of what is typed, from the engine (also for invalid input:
    the cells that are not numbers count as empty until they are corrected)."""
    figures = editor.figures()
    if figures is None:
        return {"figures": None}
    case = editor.case()
    # Opened (unbound), the editor shows the proposal's own p/l, not the grid's first year.
    if editor.data is None:
        level = editor.initial.price_level_year
    else:
        level = getattr(editor.header, "cleaned_data", {}).get("price_level_year")
    unit = presentation.unit_for(level or (editor.span[0] if editor.span else 0))
    return {
        "figures": figures,
        "economy": presentation.economy_table_for(case, figures, unit),
        "detail_tables": presentation.detail_tables_for(case, figures, unit),
        "admin": presentation.admin_table_for(case, figures, unit),
        "distributions": presentation.distribution_tables(figures),
        "checks": list(figures.checks),
        "error_count": editor.error_count() if editor.data is not None else 0,
    }


def _editor_page(request, editor: ProposalEditor, *, proposal=None, conflict=None, choices=()):
    context = {
        "decided": proposal is not None and proposal.status in DECIDED_STATUSES,
        "change_reason": request.POST.get("change_reason", "") if request.method == "POST" else "",
        "reason_error": getattr(editor, "reason_error", ""),
        "editor": editor,
        "proposal": proposal,
        "conflict": conflict,
        "choices": choices,
        "conflicts_token": editor.data.get("conflicts", "") if editor.data is not None else "",
        "section_prefix": SECTION_PREFIX,
        "subject_labels": SUBJECT_LABELS,
        "units": presentation_units(editor),
        "error_links": error_links(editor.all_forms()) if editor.data is not None else [],
        "warnings": getattr(editor, "warnings", []),
        "number_examples": [format_number(Decimal(x)) for x in ("1034", "-517", "337.5")],
        "unit_links": _unit_links(request, editor),
        **_live_context(editor),
    }
    return render(request, "cases/editor.html", context)


def _unit_links(request, editor: ProposalEditor) -> list[dict]:
    """The editor's address opening every grid section in each entry unit ("?enhed=kr"),
    keeping the page's other parameters (a new proposal's catalogue or copy)."""
    links = []
    shown = {editor.unit(section) for section in editor.unit_forms}
    for unit, label in ENTRY_UNIT_CHOICES:
        query = request.GET.copy()
        for prefix in SECTION_PREFIX.values():
            query.pop(f"{prefix}-unit", None)
        query["enhed"] = unit
        links.append({"url": f"?{query.urlencode()}", "label": label, "current": shown == {unit}})
    return links


def presentation_units(editor: ProposalEditor) -> list[str]:
    """Suggestions for a distribution row's unit: committees and ØU's units (by parent,
    order and code; read once with the editor's other choices)."""
    return [c.name for c in editor.choices.committees]


def _save(request, editor: ProposalEditor, *, proposal=None):
    """Validate and save; returns a response, or None when the page must be shown again
    (with the errors, or with the conflict)."""
    if not editor.is_valid():
        messages.error(request, _("The proposal was not saved. Correct the marked fields."))
        return None
    catalog = editor.header.cleaned_data["catalog"]
    editor.warnings = plausibility.editor_warnings(editor, catalog.budget_year)
    if editor.warnings and request.POST.get("confirm_warnings") != "1":
        messages.warning(
            request,
            _("The proposal was not saved yet. Check the unusual values and confirm them."),
        )
        return None
    data = editor.to_data()
    try:
        saved = services.save_proposal(
            request.user,
            data,
            catalog=catalog,
            proposal=proposal,
            expected_version=editor.version if proposal is not None else None,
            change_reason=request.POST.get("change_reason", ""),
        )
    except services.ReasonRequired:
        editor.reason_error = _(
            "The proposal is %(status)s: a change after the decision needs a reason. "
            "Nothing was saved."
        ) % {"status": proposal.get_status_display().lower()}
        messages.error(request, editor.reason_error)
        return None
    except InterchangeError as error:  # the reason itself (too long, control characters)
        editor.reason_error = error.message
        messages.error(request, _("The proposal was not saved. Correct the marked fields."))
        return None
    except services.NumberTaken as error:
        editor.header.add_error(
            "number",
            _("The catalogue already has a proposal number %(number)s.") % {"number": error.number},
        )
        return None
    except services.StaleProposal:
        return "conflict"
    messages.success(request, _("The proposal was saved."))
    return redirect(saved.get_absolute_url())


@require_http_methods(["GET", "POST"])
def proposal_new(request):
    _require_create(request)
    catalog = None
    initial = None
    key = request.GET.get("katalog")
    if key:
        catalog = get_object_or_404(Catalog, key=key)
    source_pk = request.GET.get("kopi")
    if source_pk:
        source_pk = query_int(source_pk)
        if source_pk is None:
            raise Http404
        source = get_object_or_404(
            proposals_with_inputs(visible_proposals(request.user)), pk=source_pk
        )
        catalog = catalog or source.catalog
        initial = copied_data(proposal_data(source))
        fixed_admin = new_proposal_data(None, request.user).presenting_administration
        if fixed_admin:
            initial.presenting_administration = fixed_admin
    if catalog is None:
        catalog = Catalog.objects.order_by("-budget_year", "key").first()
    if initial is None:
        initial = new_proposal_data(catalog, request.user)
    if catalog is not None and not initial.number:
        taken = set(catalog.proposals.values_list("number", flat=True))
        initial.number = services.next_number(taken | set(printed_overview(catalog)))
    if request.method == "POST":
        data = _with_button_actions(request.POST)
        editor = ProposalEditor(data, initial=initial, user=request.user)
        if data.get("action") == "save":
            response = _save(request, editor)
            if response is not None and response != "conflict":
                return response
        else:
            editor.is_valid()
    else:
        editor = ProposalEditor(
            initial=initial, catalog=catalog, user=request.user, units=opened_units(request.GET)
        )
    return _editor_page(request, editor)


@require_http_methods(["GET", "POST"])
def proposal_edit(request, key, number):
    # a GET only reads: the inputs of this version as kept; a POST reads them fresh
    proposal = _editable_proposal(request, key, number, kept=request.method == "GET")
    if request.method == "GET":
        editor = ProposalEditor(
            initial=proposal_data(proposal),
            proposal=proposal,
            user=request.user,
            units=opened_units(request.GET),
        )
        return _editor_page(request, editor, proposal=proposal)
    data, choices, resolved = resolve_conflicts(_with_button_actions(request.POST))
    editor = ProposalEditor(
        data, initial=proposal_data(proposal), proposal=proposal, user=request.user
    )
    conflict = None
    if data.get("action") == "save" and not resolved:
        editor.is_valid()
        messages.error(
            request,
            _(
                "The proposal was not saved. For each field you and the other person both "
                "changed, choose which value to keep."
            ),
        )
    elif data.get("action") == "save":
        response = _save(request, editor, proposal=proposal)
        if response == "conflict":
            conflict, choices, editor = _rebase(request, data, editor)
        elif response is not None:
            return response
    else:
        editor.is_valid()
    return _editor_page(request, editor, proposal=proposal, conflict=conflict, choices=choices)


def _rebase(request, data, editor: ProposalEditor):
    """After a refused save (someone else saved first): what the other person changed,
    and the user's input merged with theirs field by field (`merge_values`): what only
    they changed is taken over, what only the user changed is kept, and each field both
    changed is listed with both values for the user to choose. Nothing is saved until
    the user saves again (issue 11, finding 6)."""
    current = get_object_or_404(proposals_with_inputs(), pk=editor.proposal.pk)
    current_data = proposal_data(current)
    theirs_editor = ProposalEditor(initial=current_data, proposal=current, user=request.user)
    theirs = theirs_editor.values()
    base = unsign_base(data.get("base", ""))
    changes = differences(base["snapshot"], snapshot(current_data))
    merged, keys = merge_values(base["values"], editor.values(), theirs)
    labels = editor.labels() | theirs_editor.labels()
    choices = [
        FieldConflict(
            key,
            labels.get(key, key),
            base["values"].get(key, ""),
            merged[key],
            theirs[key] if key in theirs else "",
        )
        for key in keys
    ]
    merged_data = QueryDict(mutable=True)
    for key, value in merged.items():
        merged_data.setlist(key, posted_values(key, value))
    for key in ("csrfmiddlewaretoken", "action", "confirm_warnings"):
        if key in data:
            merged_data[key] = data[key]
    merged_data["version"] = str(current.version)
    merged_data["base"] = theirs_editor.header.initial["base"]
    if choices:
        merged_data["conflicts"] = sign_conflicts(choices)
    rebased = ProposalEditor(merged_data, initial=current_data, proposal=current, user=request.user)
    rebased.is_valid()
    if choices:
        message = _(
            "Someone else saved this proposal while you were editing it. Nothing of yours "
            "was saved yet. Their changes are taken into your form; for each field you "
            "both changed, choose which value to keep, then save."
        )
    else:
        message = _(
            "Someone else saved this proposal while you were editing it. Nothing of yours "
            "was saved yet. Their changes (listed below) are taken into your form, "
            "together with yours: check and save."
        )
    messages.error(request, message)
    return changes, choices, rebased


@require_POST
def proposal_preview(request, key=None, number=None):
    """The live tables (an HTML fragment) for the editor's current input: the server
    computes them with the engine; nothing is saved."""
    proposal = None
    if key is not None:
        proposal = _editable_proposal(request, key, number)
        initial = proposal_data(proposal)
    else:
        _require_create(request)
        initial = None
    editor = ProposalEditor(request.POST, initial=initial, proposal=proposal, user=request.user)
    editor.is_valid()
    context = {"editor": editor, **_live_context(editor)}
    return render(request, "cases/_live.html", context)
