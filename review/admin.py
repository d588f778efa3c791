"""Django admin: the review records, read-only (they are append-only)."""

from django.contrib import admin

from .models import ProposalVersion, WorkflowEvent


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
