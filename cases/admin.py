"""Django admin: the proposals' changelist (the case list benchmark's reference point) and
the catalogues, so that a new budget round is set up without the shell (issue 12), with
their appraisal settings and the pool's budget per year (issue 14)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ops.admin_columns import year_column

from . import limits, services
from .models import Catalog, PoolBudget, Proposal
from .permissions import DECIDED_STATUSES
from .signals import catalog_settings_changed

# The settings the stored summaries' present value and discounted payback depend on.
SUMMARY_SETTINGS = ("discount_rate_pct", "appraisal_horizon")


class ProposalAdminForm(forms.ModelForm):
    """The proposal's fields, and for a recommended or decided proposal the reason a
    change needs (issue 11, finding 3): without one a change is refused, nothing saved."""

    change_reason = forms.CharField(
        label=_("Reason for a change after the decision"),
        required=False,
        max_length=limits.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Proposal
        exclude = ("status", "version")  # noqa: DJ006 - the workflow and the services set them

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.changed_data if name != "change_reason"]
        decided = self.instance.pk is not None and self.instance.status in DECIDED_STATUSES
        if decided and changed and not (cleaned.get("change_reason") or "").strip():
            self.add_error(
                "change_reason",
                _(
                    "The proposal is %(status)s: a change after the decision needs a reason. "
                    "Nothing was saved."
                )
                % {"status": self.instance.get_status_display().lower()},
            )
        return cleaned


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Status and version change only through the workflow and the services; every
    save goes through `services.record_admin_change` (history, summary, and the reason
    for a decided proposal)."""

    form = ProposalAdminForm
    readonly_fields = ("status", "version")
    list_display = (
        "number",
        "title",
        "committee",
        "presenting_administration",
        "status",
        "catalog",
        "updated_at",
    )
    list_filter = ("status", "committee", "presenting_administration", "catalog")
    search_fields = ("number", "title", "summary")
    list_select_related = ("committee", "presenting_administration", "catalog")
    ordering = ("catalog", "number")

    def save_model(self, request, obj, form, change):
        form.decided_before = (
            services.decided_inputs(Proposal.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_admin_change(
            request.user,
            form.instance,
            getattr(form, "decided_before", None),
            form.cleaned_data.get("change_reason", ""),
        )


class PoolBudgetInline(admin.TabularInline):
    model = PoolBudget
    extra = 1


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    """A new budget round: key, title, annex label, pool (which form) and budget year
    (the price level the proposals start from). The printed overview and source file are
    set by the import and shown read-only. The appraisal settings and the pool's budget
    per year shape the present value block and the portfolio page (docs/APPRAISAL.md)."""

    list_display = (
        "title",
        "key",
        "annex",
        "pool",
        year_column("budget_year", _("budget year")),
        "proposal_count",
    )
    list_filter = ("pool", "budget_year")
    search_fields = ("key", "title", "annex")
    fieldsets = (
        (None, {"fields": ("key", "title", "annex", "pool", "budget_year", "source_file")}),
        (
            _("Present value and sensitivity"),
            {
                "fields": (
                    "discount_rate_pct",
                    "appraisal_horizon",
                    "sensitivity_savings_cut_pct",
                    "sensitivity_delay_years",
                    "sensitivity_cost_rise_pct",
                    "print_appraisal",
                )
            },
        ),
    )
    readonly_fields = ("source_file",)
    ordering = ("-budget_year", "key")

    def get_fieldsets(self, request, obj=None):
        """A new budget round starts with its identity; the appraisal settings (their
        defaults) and the pool's budget are set on the catalogue once it exists."""
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    def save_model(self, request, obj, form, change):
        """Save; when a setting of the stored present values changed, the layers above
        refresh them (`cases.signals.catalog_settings_changed`, in the admin's
        transaction)."""
        super().save_model(request, obj, form, change)
        if change and any(name in form.changed_data for name in SUMMARY_SETTINGS):
            catalog_settings_changed.send(sender=Catalog, catalog=obj)

    def get_inlines(self, request, obj):
        return [PoolBudgetInline] if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    @admin.display(description=_("proposals"), ordering="proposal_total")
    def proposal_count(self, catalog):
        return catalog.proposal_total
