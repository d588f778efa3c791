"""Django admin: the proposals' changelist (the case list benchmark's reference point)."""

from django.contrib import admin

from .models import Proposal


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
