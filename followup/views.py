"""Follow-up pages: adopted proposals, "opfølgning der venter", one proposal's follow-up
(criteria, registrations, the realised grid next to the frozen plan, history), benefit
realisation per committee and per catalogue. Views are thin: permissions from
`followup.permissions`, figures from `followup.selectors`, writes via `services`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Catalog
from committees.models import Committee

from . import charts, services
from .forms import RealisedGridForm, RegistrationForm, TrackingForm
from .models import CriterionStatus, EventKind, FollowupEvent, FrozenPlan, TrackedCriterion
from .permissions import can_register, can_register_realised, visible_plans
from .report import catalogue_report, plan_views, proposal_chart
from .selectors import PlanView, plans_with_everything, portfolio, threshold_default


def _threshold(request) -> Decimal:
    raw = (request.GET.get("taerskel") or "").strip().replace(",", ".")
    if not raw:
        return threshold_default()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return threshold_default()
    if not value.is_finite() or not 0 <= value <= 100:
        return threshold_default()
    return value


def _plan(request, key, number) -> FrozenPlan:
    queryset = visible_plans(request.user, FrozenPlan.objects.filter(proposal__catalog__key=key))
    return get_object_or_404(plans_with_everything(queryset), proposal__number=number)


def index(request):
    views = plan_views(visible_plans(request.user), _threshold(request))
    committees = Committee.objects.filter(parent__isnull=True).order_by("order")
    catalogs = Catalog.objects.filter(
        proposals__frozen_plan__in=visible_plans(request.user)
    ).distinct()
    return render(
        request,
        "followup/index.html",
        {
            "views": views,
            "committees": committees,
            "catalogs": catalogs,
            "threshold": _threshold(request),
            "pending_count": sum(len(v.pending) for v in views),
        },
    )


def pending(request):
    views = plan_views(visible_plans(request.user))
    rows = []
    for view in views:
        for row in view.pending:
            rows.append(
                {"view": view, "row": row, "mine": can_register(request.user, row.criterion)}
            )
    rows.sort(key=lambda r: (not r["mine"], r["row"].state.due_date, r["view"].proposal.number))
    return render(request, "followup/pending.html", {"rows": rows})


def _status_labels():
    return {**{k: str(v) for k, v in CriterionStatus.choices}, "none": _("Not registered")}


def proposal(request, key, number, grid_form=None, registration_forms=None):
    plan = _plan(request, key, number)
    view = PlanView(plan, threshold=_threshold(request))
    may_realise = can_register_realised(request.user, plan)
    registration_forms = registration_forms or {}
    criteria = [
        {
            "row": row,
            "may_register": can_register(request.user, row.criterion),
            "form": registration_forms.get(row.criterion.pk)
            or RegistrationForm(prefix=f"c{row.criterion.pk}"),
        }
        for row in view.criteria
    ]
    labels = _status_labels()
    events = list(FollowupEvent.objects.filter(plan=plan).select_related("user"))
    return render(
        request,
        "followup/proposal.html",
        {
            "view": view,
            "plan": plan,
            "proposal": plan.proposal,
            "criteria": criteria,
            "grid": grid_form or (RealisedGridForm(plan=plan) if may_realise else None),
            "may_realise": may_realise,
            "chart": proposal_chart(view),
            "status_chart": charts.criteria_status_svg(view.status_counts(), labels)
            if view.criteria
            else "",
            "events": events,
            "changed_after": [e for e in events if e.kind == EventKind.CHANGED_AFTER],
            "threshold": view.threshold,
        },
        status=400 if (grid_form is not None or registration_forms) else 200,
    )


@require_POST
def register(request, key, number, criterion_id):
    plan = _plan(request, key, number)
    criterion = get_object_or_404(TrackedCriterion, plan=plan, pk=criterion_id)
    if not can_register(request.user, criterion):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register follow-up."))  # fmt: skip
    form = RegistrationForm(request.POST, prefix=f"c{criterion.pk}")
    if form.is_valid():
        try:
            services.register_followup(
                request.user,
                criterion,
                status=form.cleaned_data["status"],
                measured_value=form.cleaned_data["measured_value"],
                measured_on=form.cleaned_data["measured_on"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The follow-up is registered."))
            return redirect("followup:proposal", key, number)
    return proposal(request, key, number, registration_forms={criterion.pk: form})


@require_POST
def realised(request, key, number):
    plan = _plan(request, key, number)
    if not can_register_realised(request.user, plan):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register realised figures."))  # fmt: skip
    form = RealisedGridForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            changes = services.save_realised(request.user, plan, form.cells())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if changes:
                messages.success(request, _("The realised figures are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("followup:proposal", key, number)
    return proposal(request, key, number, grid_form=form)


@require_http_methods(["GET", "POST"])
def tracking(request, key, number, criterion_id):
    plan = _plan(request, key, number)
    criterion = get_object_or_404(TrackedCriterion, plan=plan, pk=criterion_id)
    if not can_register(request.user, criterion):
        raise PermissionDenied(_("Only the responsible administration and central finance "
                                 "register follow-up."))  # fmt: skip
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            try:
                services.update_tracking(request.user, criterion, **form.cleaned_data)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("The follow-up plan of the criterion is saved."))
                return redirect("followup:proposal", key, number)
    else:
        form = TrackingForm(
            initial={name: getattr(criterion, name) for name in services.TRACKING_FIELDS}
        )
    return render(
        request,
        "followup/tracking.html",
        {"form": form, "criterion": criterion, "plan": plan, "proposal": plan.proposal},
        status=400 if form.is_bound else 200,
    )


def committee(request, code):
    committee = get_object_or_404(Committee, code=code, parent__isnull=True)
    threshold = _threshold(request)
    views = plan_views(visible_plans(request.user), threshold)
    result = portfolio(views, committee.code, threshold)
    chart = charts.planned_vs_realised_svg(
        result.years,
        result.planned,
        result.realised,
        behind=result.behind,
        title=f"{committee.name}: varige ændringer, plan og realiseret (1.000 kr.)",
    )
    return render(
        request,
        "followup/committee.html",
        {
            "committee": committee,
            "portfolio": result,
            "chart": chart if result.years else "",
            "threshold": threshold,
        },
    )


def catalog(request, key):
    catalog = get_object_or_404(Catalog, key=key)
    report = catalogue_report(catalog, request.user, threshold=_threshold(request))
    if not report["entries"]:
        raise Http404(_("No adopted proposals in this catalogue."))
    threshold = report["threshold"]
    views = [entry["view"] for entry in report["entries"]]
    total = portfolio(views, None, threshold)
    return render(
        request,
        "followup/catalog.html",
        {
            "catalog": catalog,
            "report": report,
            "portfolio": total,
            "threshold": threshold,
            "chart": charts.planned_vs_realised_svg(
                total.years,
                total.planned,
                total.realised,
                behind=total.behind,
                title=f"{catalog.title}: varige ændringer, plan og realiseret (1.000 kr.)",
            ),
        },
    )


def proposal_view(request, key, number):
    return proposal(request, key, number)
