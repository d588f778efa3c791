"""Downloads of the printed annex, the Excel export, the template and its import.

A single proposal's PDF is rendered directly (from the cache when current); a whole
catalogue is rendered in the background (`tasks.render_annex_task`) with a progress page
that refreshes itself (a <meta> refresh: no script, so the CSP stays strict).
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.forms import opened_units
from cases.models import Catalog, Proposal, Status
from cases.permissions import sees_everything, visible_proposals
from cases.portfolio import catalog_portfolio
from cases.price_levels import choose_price_level
from cases.selectors import proposals_with_inputs
from committees.models import Role
from finance.prices import PriceLevelError
from followup.report import catalogue_report

from . import portfolio_exports
from .models import AnnexJob
from .pdf import check_price_level, render_followup_report, render_proposal_pdf
from .tasks import fail_stale_jobs, render_annex_task, restart_job
from .xlsx_export import export_catalog_xlsx
from .xlsx_import import MAX_FILE_BYTES, XlsxImportError, build_template, import_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_ROLES = {Role.FINANCE_STAFF, Role.CENTRAL_FINANCE, Role.ADMIN}


class AnnexForm(forms.Form):
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Only proposals with status"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pl = forms.CharField(
        label=gettext_lazy("Price level (p/l)"),
        required=False,
        widget=forms.Select,
        help_text=gettext_lazy("Empty: each proposal in its own price level."),
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        own = _("Each proposal's own")
        self.fields["pl"].widget.choices = [("", own), *((str(y), str(y)) for y in levels)]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled-in template (.xlsx)"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change (needed for a recommended or decided proposal)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _filename(text: str, ext: str) -> str:
    return f"{slugify(text) or 'bilag'}.{ext}"


def _jobs_of(user):
    """Annex jobs a user may follow and download: their own; central finance all."""
    jobs = AnnexJob.objects.select_related("catalog")
    return jobs if sees_everything(user) else jobs.filter(requested_by=user)


def _catalog_page(request, catalog, import_form=None, import_error=None, status=200):
    return render(
        request,
        "annex/catalog.html",
        {
            "catalog": catalog,
            "form": AnnexForm(levels=choose_price_level("").levels),
            "import_form": import_form or ImportForm(),
            "jobs": _jobs_of(request.user).filter(catalog=catalog)[:10],
            # one line per problem (`XlsxImportError.messages`: every bad cell)
            "import_errors": (
                [import_error] if isinstance(import_error, str) else list(import_error or [])
            ),
            "max_kb": MAX_FILE_BYTES // 1024,
        },
        status=status,
    )


def catalog_annex(request, key):
    return _catalog_page(request, get_object_or_404(Catalog, key=key))


@require_POST
def start_annex(request, key):
    catalog = get_object_or_404(Catalog, key=key)
    fail_stale_jobs()
    form = AnnexForm(request.POST)
    statuses = form.cleaned_data["status"] if form.is_valid() else []
    choice = choose_price_level(request.POST.get("pl"))
    error = check_price_level(catalog, choice, statuses, request.user)
    if error:  # said on the catalogue's annex page; no job is made
        messages.error(request, error)
        return redirect("annex:catalog", key=catalog.key)
    job = AnnexJob.objects.create(
        catalog=catalog,
        statuses=statuses,
        price_level=choice.year,
        requested_by=request.user,
        total=visible_proposals(request.user, catalog.proposals.all()).count(),
    )
    result = render_annex_task.enqueue(job.pk)
    AnnexJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return redirect("annex:job", pk=job.pk)


def job_detail(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    state = job.shown_state  # a job whose worker died is shown as failed (GET writes nothing)
    running = state in (AnnexJob.State.QUEUED, AnnexJob.State.RUNNING)
    return render(
        request,
        "annex/job.html",
        {"job": job, "running": running, "state": state, "stale": job.is_stale()},
    )


@require_POST
def job_restart(request, pk):
    """Start a failed (or dead) rendering again, as a new job."""
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    try:
        new = restart_job(job)
    except ValueError:
        messages.error(request, _("Only a rendering that failed can be started again."))
        return redirect("annex:job", pk=job.pk)
    return redirect("annex:job", pk=new.pk)


def job_download(request, pk):
    job = get_object_or_404(_jobs_of(request.user), pk=pk)
    if job.state != AnnexJob.State.DONE or not job.file:
        raise Http404(_("The annex is not ready."))
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=_filename(f"{job.catalog.annex} {job.catalog.title}", "pdf"),
        content_type="application/pdf",
    )


def _proposal(user, key: str, number: str) -> Proposal:
    """A proposal the user may read (404 otherwise, as on every page)."""
    queryset = visible_proposals(user, Proposal.objects.filter(catalog__key=key))
    return get_object_or_404(proposals_with_inputs(queryset), number=number)


def proposal_pdf(request, key, number):
    """One proposal's PDF; ``pl=2024`` prints it in another price level (a refused
    choice is said on the proposal's page)."""
    proposal = _proposal(request.user, key, number)
    choice = choose_price_level(request.GET.get("pl"))
    buffer = io.BytesIO()
    try:
        if choice.error:
            raise PriceLevelError(choice.error)
        render_proposal_pdf(proposal, buffer, choice)
    except PriceLevelError as exc:
        messages.error(request, str(exc))
        return redirect(proposal.get_absolute_url())
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        content_type="application/pdf",
        filename=_filename(f"{proposal.number} {proposal.title}", "pdf"),
    )


def catalog_xlsx(request, key):
    """The catalogue's workbook; ``pl=2024`` shows it in another price level (a refused
    choice is said on the catalogue's page)."""
    catalog = get_object_or_404(Catalog, key=key)
    choice = choose_price_level(request.GET.get("pl"))
    statuses = request.GET.getlist("status")
    buffer = io.BytesIO()
    try:
        # a refused year, or a proposal whose own p/l the index lacks, is said before
        # any sheet is written (as for the annex job)
        error = check_price_level(catalog, choice, statuses, request.user)
        if error:
            raise PriceLevelError(error)
        export_catalog_xlsx(
            catalog,
            buffer,
            statuses=statuses,
            user=request.user,
            price_level=choice,
        )
    except PriceLevelError as exc:
        messages.error(request, str(exc))
        return redirect(catalog.get_absolute_url())
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        content_type=XLSX,
        filename=_filename(f"{catalog.annex} {catalog.title}", "xlsx"),
    )


def _portfolio(request, key):
    """The catalogue and its portfolio page (central finance only, as the page)."""
    if not sees_everything(request.user):
        raise PermissionDenied(_("Only central finance sees the portfolio."))
    catalog = get_object_or_404(Catalog, key=key)
    return catalog, catalog_portfolio(catalog, request.GET.get("kriterie", ""))


@require_GET
def portfolio_xlsx(request, key):
    """The portfolio page as a workbook (the same figures)."""
    catalog, page = _portfolio(request, key)
    buffer = io.BytesIO()
    portfolio_exports.portfolio_xlsx(catalog, page, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        content_type=XLSX,
        filename=_filename(f"puljen {catalog.annex} {catalog.title}", "xlsx"),
    )


@require_GET
def portfolio_pdf(request, key):
    """The portfolio page as a printable annex page (PDF)."""
    catalog, page = _portfolio(request, key)
    data = portfolio_exports.render_portfolio_pdf(catalog, page)
    response = HttpResponse(data, content_type="application/pdf")
    name = _filename(f"puljen {catalog.annex} {catalog.title}", "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def followup_report_pdf(request, key):
    """The catalogue's follow-up report as PDF, with only the plans the user may read
    (`followup.permissions.visible_plans`); 404 when there are none, so a catalogue's
    adopted proposals are not told to someone who may read none of them."""
    catalog = get_object_or_404(Catalog, key=key)
    report = catalogue_report(catalog, request.user)
    if not report["entries"]:
        raise Http404(_("No adopted proposals in this catalogue."))
    data = render_followup_report(catalog, report=report)
    response = HttpResponse(data, content_type="application/pdf")
    name = _filename(f"opfolgningsrapport {catalog.annex} {catalog.title}", "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def template_xlsx(request, key, number=None):
    catalog = get_object_or_404(Catalog, key=key)
    proposal = _proposal(request.user, key, number) if number else None
    # "?enhed=mio.kr": the amounts written in that unit (the unit cells say so)
    data = build_template(catalog, proposal, units=opened_units(request.GET))
    name = f"skabelon {proposal.number if proposal else catalog.key}"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "xlsx")}"'
    return response


def _may_import(user) -> bool:
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return profile is not None and profile.role in IMPORT_ROLES


@require_POST
def import_template(request, key):
    catalog = get_object_or_404(Catalog, key=key)
    if not _may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            error = _("The file is too big (%(kb)s KB); at most %(max)s KB.") % {
                "kb": upload.size // 1024,
                "max": MAX_FILE_BYTES // 1024,
            }
        else:
            try:
                result = import_xlsx(
                    upload.read(),
                    catalog,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except XlsxImportError as exc:
                error = exc.messages
            else:
                number = (result.created or result.updated)[0]
                messages.success(request, result.summary())
                return redirect("cases:proposal_detail", key=catalog.key, number=number)
    return _catalog_page(request, catalog, form, error, status=400)
