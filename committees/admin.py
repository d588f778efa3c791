"""Django admin: the proposals' changelist (the benchmark's reference point) and the
review records, read-only (they are append-only)."""

from django.contrib import admin

from cases.models import Proposal

from .models import ProposalVersion, WorkflowEvent


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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "action", "from_status", "to_status", "user", "at")
    list_select_related = ("proposal", "user")
    list_filter = ("action",)


@admin.register(ProposalVersion)
class ProposalVersionAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "number", "user", "at", "reason")
    list_select_related = ("proposal", "user")
