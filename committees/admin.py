"""Django admin for running a budget season without the shell (issue 12): committees and
their ØU units, administrations, and users with their role and workplace."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Administration, Committee, PriceIndex, Profile


class UnitInline(admin.TabularInline):
    """ØU's units (Økonomiudvalget's sub-committees) are committees with a parent."""

    model = Committee
    fk_name = "parent"
    fields = ("code", "name", "order")
    extra = 0
    verbose_name = _("unit")
    verbose_name_plural = _("sub-committee units")


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "order")
    list_filter = (("parent", admin.EmptyFieldListFilter),)
    search_fields = ("code", "name")
    ordering = ("parent__order", "order", "code")
    list_select_related = ("parent",)
    inlines = [UnitInline]


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "committee", "order")
    search_fields = ("code", "name")
    ordering = ("order", "code")
    list_select_related = ("committee",)


class ProfileInline(admin.StackedInline):
    """The user's role and where they work: without it a user sees nothing."""

    model = Profile
    can_delete = False
    fields = ("role", "administration", "committee")
    verbose_name = _("role and workplace")
    verbose_name_plural = _("role and workplace")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class BilagUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "email", "role", "is_active")
    list_filter = ("profile__role", "is_active", "is_superuser")
    list_select_related = ("profile",)

    @admin.display(description=_("role"), ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else _("no role")


@admin.register(PriceIndex)
class PriceIndexAdmin(admin.ModelAdmin):
    """The p/l index pages and exports convert with (docs/APPRAISAL.md)."""

    list_display = ("series", "year", "value", "source")
    list_filter = ("series",)
    list_editable = ("value",)
    ordering = ("series", "year")
