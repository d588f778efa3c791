"""Django admin: the proposals' changelist (the case list benchmark's reference point) and
the catalogues, so that a new budget round is set up without the shell (issue 12)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Catalog, Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
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


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    """A new budget round: key, title, annex label, pool (which form) and budget year
    (the price level the proposals start from). The printed overview and source file are
    set by the import and shown read-only."""

    list_display = ("title", "key", "annex", "pool", "budget_year", "proposal_count")
    list_filter = ("pool", "budget_year")
    search_fields = ("key", "title", "annex")
    fields = ("key", "title", "annex", "pool", "budget_year", "source_file")
    readonly_fields = ("source_file",)
    ordering = ("-budget_year", "key")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    @admin.display(description=_("proposals"), ordering="proposal_total")
    def proposal_count(self, catalog):
        return catalog.proposal_total
