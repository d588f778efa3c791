"""Committee review: the filtered case list (and its CSV/xlsx export and bulk actions),
"waiting for me", a case's review page (workflow steps, hearing, comments, history and
the changes tab) and the committee dashboard.

Every view narrows with `cases.permissions.visible_proposals` first: a proposal the user
may not see is never listed, exported, counted or acted on (404 on its own pages).
Steps go through `review.workflow`, which checks role and state again.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from cases.models import Catalog, Proposal, Status
from cases.numbers import query_int
from cases.paging import CountedPaginator
from cases.permissions import can_edit, involved_committee_ids, role, visible_proposals
from committees.models import Committee, Role

from . import charts, exports, history, services, workflow
from .filters import CaseFilter, active_filters
from .forms import MARKS, BulkForm, CommentForm, HearingForm, StepForm
from .models import (
    Action,
    ChangeAfterDecision,
    CommitteeShare,
    ProposalVersion,
    ReviewComment,
    SavedView,
    WorkflowEvent,
)
from .selectors import case_list as case_list_queryset
from .selectors import list_rows, shares_in_one_level, totals, waiting_for
from .tables import FIXED_COLUMNS, CaseTable

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def configure(request, table, count: int | None = None) -> None:
    """django-tables2's RequestConfig with the page and page size read safely: a page
    size of 1 to MAX_PAGE_SIZE, a page from 1; anything else ("-1", "abc", 10^20) is
    the default, never a 500 (issue 11, finding 12). With `count` (the rows the totals
    query counted) the pages run no COUNT query of their own."""
    per_page = query_int(request.GET.get(table.prefixed_per_page_field), maximum=MAX_PAGE_SIZE)
    page = query_int(request.GET.get(table.prefixed_page_field)) or 1
    RequestConfig(request, paginate=False).configure(table)  # the order (sort=…)
    pager = {} if count is None else {"paginator_class": CountedPaginator, "count": count}
    try:
        table.paginate(page=page, per_page=per_page or PAGE_SIZE, **pager)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page or PAGE_SIZE, **pager)


def _filtered(request):
    return _filtered_by(request, request.GET.urlencode())


def _filtered_by(request, query: str):
    """The case list's filter for the query string `query` and its rows."""
    data = QueryDict(query or "")
    base = case_list_queryset(request.user)
    case_filter = CaseFilter(data or None, queryset=base, user=request.user)
    queryset = case_filter.qs if case_filter.is_bound else base
    return case_filter, queryset


def _report(request, results, total: int) -> None:
    """Per-row results of a bulk action as messages, and how many were done."""
    for result in results:
        level = messages.SUCCESS if result.ok else messages.ERROR
        messages.add_message(
            request, level, f"{result.proposal.number} {result.proposal.title}: {result.message}"
        )
    done = sum(1 for r in results if r.ok)
    messages.info(request, _("%(done)d of %(total)d done.") % {"done": done, "total": total})


def _ordered(request, queryset):
    """The list's rows in the table's order (for the exports)."""
    table = CaseTable(list_rows(queryset))
    RequestConfig(request, paginate=False).configure(table)
    return [row.record for row in table.rows]


def _columns(request) -> tuple[list[dict], list[str]]:
    """The column chooser (each optional column, chosen or not) and the columns to leave
    out. No "kolonne" parameter: every column."""
    chosen = set(request.GET.getlist("kolonne"))
    names = [name for name in CaseTable.base_columns if name not in FIXED_COLUMNS]
    chooser = [
        {
            "name": name,
            "label": CaseTable.base_columns[name].verbose_name,
            "shown": not chosen or name in chosen,
        }
        for name in names
    ]
    return chooser, [c["name"] for c in chooser if not c["shown"]]


@require_GET
def case_list(request):
    case_filter, queryset = _filtered(request)
    chooser, hidden = _columns(request)
    sums = totals(queryset)
    table = CaseTable(queryset, totals=sums, exclude=hidden)
    configure(request, table, count=sums["count"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/case_list.html",
        {
            "filter": case_filter,
            "table": table,
            "query": query.urlencode(),
            "pills": active_filters(case_filter, request.GET),
            "columns": chooser,
            "saved_views": SavedView.objects.filter(owner=request.user),
            "pending_count": sums["pending"],
            "bulk_form": BulkForm(),
            "can_bulk": role(request.user)
            in (Role.CENTRAL_FINANCE, Role.ADMIN, Role.COMMITTEE_REVIEWER),
        },
    )


@require_POST
def saved_view_create(request):
    query = request.POST.get("query", "")
    try:
        view = services.save_view(request.user, request.POST.get("name", ""), query)
    except workflow.StepRefused as refused:
        messages.error(request, str(refused))
        return redirect(reverse("review:case_list") + ("?" + query if query else ""))
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(view.get_absolute_url())


@require_GET
def saved_view(request, pk):
    """A saved view's address: the case list with the view's filters, sort and columns
    (for anyone who may use the case list; the rows are still only what they may read)."""
    view = get_object_or_404(SavedView, pk=pk)
    url = (
        reverse("review:case_list")
        + "?"
        + "&".join(part for part in (view.query, f"visning={view.pk}") if part)
    )
    return redirect(url)


@require_POST
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    services.delete_view(request.user, view)
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": view.name})
    return redirect("review:case_list")


@require_POST
def decisions_apply(request):
    """Apply every pending decision of the proposals in the list's current filter."""
    back = reverse("review:case_list")
    if request.POST.get("query"):
        back += "?" + request.POST["query"]
    _case_filter, queryset = _filtered_by(request, request.POST.get("query", ""))
    proposals = list(queryset.filter(pending_decision__isnull=False))
    results = services.apply_decisions(request.user, proposals)
    _report(request, results, len(proposals))
    return redirect(back)


@require_GET
def case_list_export(request, fmt):
    _case_filter, queryset = _filtered(request)
    rows = _ordered(request, queryset)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="forslag.csv"'
        return response
    buffer = io.BytesIO()
    exports.to_xlsx(rows, buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="forslag.xlsx"'
    return response


@require_POST
def bulk_action(request):
    form = BulkForm(request.POST)
    back = reverse("review:case_list")
    if request.POST.get("query"):
        back += "?" + request.POST["query"]
    ids = [pk for pk in map(query_int, request.POST.getlist("select")) if pk is not None]
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose an action and at least one proposal."))
        return redirect(back)
    proposals = {p.pk: p for p in visible_proposals(request.user).filter(pk__in=ids)}
    chosen = [proposals[i] for i in ids if i in proposals]
    action = form.cleaned_data["action"]
    if action in MARKS:
        results = services.mark_decisions(request.user, chosen, MARKS[action])
    else:
        results = workflow.bulk(
            request.user,
            chosen,
            action,
            comment=form.cleaned_data["comment"],
            approved_on=form.cleaned_data["approved_on"],
            committee=form.cleaned_data["committee"],
        )
    unknown = [i for i in ids if i not in proposals]
    if unknown:
        messages.error(
            request,
            _("%(count)d of the chosen proposals were not found.") % {"count": len(unknown)},
        )
    _report(request, results, len(ids))
    return redirect(back)


@require_GET
def waiting(request):
    """The start page: what waits for the user's step."""
    queryset = waiting_for(request.user, case_list_queryset(request.user)).order_by(
        "catalog__budget_year", "catalog__key", "number"
    )
    sums = totals(queryset)
    table = CaseTable(queryset, totals=sums, orderable=False, exclude=("select",))
    configure(request, table, count=sums["count"])
    return render(
        request,
        "review/waiting.html",
        {"table": table, "list_link": reverse("review:case_list") + "?waiting=true"},
    )


# --------------------------------------------------------------------------- one case


def _case(request, pk) -> Proposal:
    queryset = visible_proposals(request.user).select_related(
        "catalog", "committee", "presenting_administration"
    )
    return get_object_or_404(queryset, pk=pk)


STEP_LABELS = {
    Action.SUBMIT: _("Submit"),
    Action.START_HEARING: _("Send to hearing"),
    Action.FORWARD: _("Forward to the committees"),
    Action.APPROVE: _("Approve for my committee"),
    Action.RECOMMEND: _("Recommend in the annex"),
    Action.ADOPT: _("Adopted"),
    Action.NOT_ADOPT: _("Not adopted"),
    Action.RETURN: _("Return to the author"),
    Action.REJECT: _("Reject"),
}


@require_GET
def case(request, pk):
    return _case_page(request, _case(request, pk))


def _case_page(request, proposal, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The case page; `bound` replaces empty forms by the forms a failed POST bound
    (``{"hearing_form": form}``), so what the user typed is shown with its errors."""
    # a GET only reads: versions are recorded when a proposal changes (services,
    # workflow); a proposal whose state was never recorded simply has no history yet
    latest = history.latest_version(proposal)
    seen = history.last_seen(request.user, proposal)
    submitted = (
        WorkflowEvent.objects.filter(proposal=proposal, action=Action.SUBMIT)
        .exclude(version=None)
        .order_by("-pk")
        .select_related("version")
        .first()
    )
    since_seen = history.diff(seen.data, latest.data) if seen and latest else None
    actions = [
        action
        for action in workflow.available_actions(request.user, proposal)
        if action != Action.ANSWER_HEARING
    ]
    involved = list(Committee.objects.filter(pk__in=involved_committee_ids(proposal)))
    approved = {a.committee_id: a for a in workflow.approvals(proposal)}
    hearing = list(proposal.hearing.select_related("answered_by"))
    context = {
        "proposal": proposal,
        "steps": [(a, STEP_LABELS[a]) for a in actions],
        "step_form": StepForm(),
        "can_answer": workflow.allowed(request.user, proposal, Action.ANSWER_HEARING),
        "hearing_form": HearingForm(bodies=[h.body for h in hearing]),
        "hearing": hearing,
        "central_answer": workflow.central_answer(proposal),
        "involved": [(c, approved.get(c.pk)) for c in involved],
        "approved_on": max((a.approved_on for a in approved.values()), default=None)
        if workflow.approval_text(proposal)
        else None,
        "forwarded": proposal.status == Status.IN_HEARING and workflow.is_forwarded(proposal),
        "comments": ReviewComment.objects.filter(proposal=proposal).select_related("user"),
        "can_comment": role(request.user)
        in (Role.COMMITTEE_REVIEWER, Role.CENTRAL_FINANCE, Role.ADMIN),
        "comment_form": CommentForm(),
        "events": WorkflowEvent.objects.filter(proposal=proposal)
        .select_related("user", "committee")
        .order_by("pk"),
        "changes_after_decision": ChangeAfterDecision.objects.filter(
            proposal=proposal
        ).select_related("user"),
        "latest": latest,
        "seen": seen,
        "since_seen": since_seen,
        "submitted": submitted.version if submitted else None,
        "can_edit": can_edit(request.user, proposal),
    }
    context.update(bound or {})
    return render(request, "review/case.html", context, status=status)


@require_GET
def case_changes(request, pk):
    """The changes tab: a readable diff between two versions (default: the version
    submitted last, or else the first, against the latest). Versions that were changes
    after the decision (issue 11, finding 3) are named so in the pickers; those in the
    shown range are listed with who, when and why, and the rows they changed marked."""
    proposal = _case(request, pk)
    latest = history.latest_version(proposal)
    versions = list(
        ProposalVersion.objects.filter(proposal=proposal)
        .select_related("user")
        .defer("data")
        .order_by("number")
    )

    def version(param, default):
        value = request.GET.get(param, "")
        if not value:
            return default
        number = query_int(value)
        if number is None:
            raise Http404
        return get_object_or_404(ProposalVersion, proposal=proposal, number=number)

    submitted = (
        WorkflowEvent.objects.filter(proposal=proposal, action=Action.SUBMIT)
        .exclude(version=None)
        .order_by("-pk")
        .select_related("version")
        .first()
    )
    seen = history.last_seen(request.user, proposal)
    default_from = submitted.version if submitted else (versions[0] if versions else None)
    before = version("fra", default_from)
    after = version("til", latest)
    changes = history.diff(before.data, after.data) if before and after else []
    after_decision = list(
        ChangeAfterDecision.objects.filter(proposal=proposal).select_related("user", "version")
    )
    in_range = [
        change
        for change in after_decision
        if before
        and after
        and change.version
        and before.number < change.version.number <= after.number
    ]
    touched = {(row["group"], row["field"]) for change in in_range for row in change.changes}
    marked = [(change, (change.group, change.field) in touched) for change in changes]
    return render(
        request,
        "review/changes.html",
        {
            "proposal": proposal,
            "versions": versions,
            "before": before,
            "after": after,
            "changes": changes,
            "rows": marked,
            "after_decision_versions": {c.version_id for c in after_decision},
            "after_decision_in_range": in_range,
            "submitted": submitted.version if submitted else None,
            "seen": seen,
            "latest": latest,
        },
    )


@require_POST
def case_seen(request, pk):
    """ "I have looked at this version" (sent by the case page and the changes tab, with
    the number of the version they showed): the next "since I last looked" starts there.
    A write, so a POST of its own: showing a page never writes."""
    proposal = _case(request, pk)
    number = query_int(request.POST.get("version"))
    if number is None:
        raise Http404
    version = get_object_or_404(ProposalVersion, proposal=proposal, number=number)
    history.mark_seen(request.user, proposal, version)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect("review:case", pk=proposal.pk)


STEPS = {
    Action.SUBMIT: lambda u, p, d: workflow.submit(u, p, d["comment"]),
    Action.START_HEARING: lambda u, p, d: workflow.start_hearing(u, p, d["comment"]),
    Action.FORWARD: lambda u, p, d: workflow.forward(u, p, d["comment"]),
    Action.APPROVE: lambda u, p, d: workflow.approve(
        u, p, approved_on=d["approved_on"], comment=d["comment"]
    ),
    Action.RECOMMEND: lambda u, p, d: workflow.recommend(u, p, d["comment"]),
    Action.ADOPT: lambda u, p, d: workflow.decide(u, p, True, d["comment"]),
    Action.NOT_ADOPT: lambda u, p, d: workflow.decide(u, p, False, d["comment"]),
    Action.RETURN: lambda u, p, d: workflow.return_to_author(u, p, d["comment"]),
    Action.REJECT: lambda u, p, d: workflow.reject(u, p, d["comment"]),
}


def _post(request, proposal, form, run, invalid: dict[str, str], done, name: str) -> HttpResponse:
    """Validate `form`, run the step, tell the user what happened, back to the case.

    An invalid form is not redirected away: the case page is shown again (status 400)
    with the form as posted, its field errors and what was wrong (`invalid_message`), so
    nothing typed is lost (issue 11: hearing answers and comments).
    """
    if not form.is_valid():
        messages.error(request, invalid_message(form, invalid))
        return _case_page(request, proposal, {name: form}, status=400)
    else:
        try:
            result = run(form.cleaned_data)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done(result))
    return redirect("review:case", pk=proposal.pk)


def invalid_message(form, by_field: dict[str, str]) -> str:
    """What the case page says above a form that did not validate: for a field named in
    `by_field`, its message ("Kommentaren er tom.", "Kontrollér datoen."), unless the
    field is only too long; for that and any other field, its label and Django's own
    message ("Kommentar: Denne værdi må højst have 5000 tegn (den har 6000)."), never
    the message of another field's error."""
    out: list[str] = []
    for field, errors in form.errors.as_data().items():
        if field in by_field and any(e.code != "max_length" for e in errors):
            text = by_field[field]
        else:
            said = " ".join(message for error in errors for message in error.messages)
            text = f"{form[field].label}: {said}" if field in form.fields else said
        if text not in out:
            out.append(text)
    return " ".join(out)


def _step_done(event) -> str:
    return _("%(action)s. Status: %(status)s.") % {
        "action": event.get_action_display(),
        "status": Status(event.to_status).label,
    }


@require_POST
def step(request, pk, action):
    proposal = _case(request, pk)
    if action not in STEPS:
        raise Http404
    return _post(
        request,
        proposal,
        StepForm(request.POST),
        lambda data: STEPS[action](request.user, proposal, data),
        {"approved_on": _("Check the date.")},
        _step_done,
        "step_form",
    )


@require_POST
def hearing_answer(request, pk):
    proposal = _case(request, pk)
    return _post(
        request,
        proposal,
        HearingForm(request.POST, bodies=proposal.hearing.values_list("body", flat=True)),
        lambda data: workflow.answer_hearing(request.user, proposal, **data),
        {
            "body": _("Choose a hearing body and an answer."),
            "answer": _("Choose a hearing body and an answer."),
        },
        lambda _event: _("The hearing answer is recorded."),
        "hearing_form",
    )


@require_POST
def comment(request, pk):
    proposal = _case(request, pk)
    return _post(
        request,
        proposal,
        CommentForm(request.POST),
        lambda data: workflow.add_comment(request.user, proposal, **data),
        {"text": _("The comment is empty.")},
        lambda _comment: _("Your comment is saved."),
        "comment_form",
    )


# --------------------------------------------------------------------------- dashboard


@require_GET
def dashboard(request):
    """Per committee: the filtered cases by state, and the committee's share of savings,
    costs and investments per year (from the distributions).

    One catalogue at a time (the newest unless the filter chooses another, or "all"
    explicitly), so that two price levels are never added up; drafts are left out unless
    asked for (`kladder=1` or a status filter that names them)."""
    params = request.GET.copy()
    if "catalog" not in params:
        newest = Catalog.objects.order_by("-budget_year", "key").first()
        if newest is not None:
            params["catalog"] = newest.key
    case_filter, queryset = _filtered_by(request, params.urlencode())
    with_drafts = params.get("kladder") == "1" or Status.DRAFT in params.getlist("status")
    if not with_drafts:
        queryset = queryset.exclude(status=Status.DRAFT)
    catalog = case_filter.form.cleaned_data.get("catalog") if case_filter.is_valid() else None
    group = Coalesce("committee__parent_id", "committee_id")
    by_state = (
        queryset.order_by()
        .annotate(group=group)
        .values("group", "status")
        .annotate(n=Count("pk", distinct=True))
    )
    share_group = Coalesce("committee__parent_id", "committee_id")
    shares = (
        CommitteeShare.objects.filter(proposal__in=queryset.order_by().values("pk"))
        .annotate(group=share_group)
        .values("group", "year", "proposal__price_level_year")
        .annotate(savings=Sum("savings"), costs=Sum("costs"), investments=Sum("investments"))
        .order_by("group", "year")
    )
    shares, levels = shares_in_one_level(list(shares))
    committees = {c.pk: c for c in Committee.objects.filter(parent__isnull=True)}
    rows: dict[int, dict] = {}

    def entry(pk):
        return rows.setdefault(
            pk, {"committee": committees.get(pk), "states": {}, "total": 0, "years": []}
        )

    for item in by_state:
        if item["group"] is None:
            continue
        e = entry(item["group"])
        e["states"][item["status"]] = item["n"]
        e["total"] += item["n"]
    for item in shares:
        entry(item["group"])["years"].append(item)
    statuses = list(Status)
    ordered = sorted(
        (r for r in rows.values() if r["committee"] is not None),
        key=lambda r: (r["committee"].order, r["committee"].code),
    )
    for r in ordered:
        r["state_cells"] = [r["states"].get(s.value, 0) for s in statuses]
        r["chart"] = charts.shares_svg(r["years"]) if r["years"] else ""
    drafts = params.copy()
    if with_drafts:
        drafts.pop("kladder", None)
    else:
        drafts["kladder"] = "1"
    return render(
        request,
        "review/dashboard.html",
        {
            "filter": case_filter,
            "catalog": catalog,
            "with_drafts": with_drafts,
            "drafts_link": "?" + drafts.urlencode(),
            "statuses": statuses,
            "rows": ordered,
            "levels": levels,
            "query": urlencode(list(params.lists()), doseq=True),
        },
    )
