"""Django admin for running a budget season without the shell (issue 12): committees and
their ØU units, administrations, and users with their role and workplace."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from ops.admin_columns import year_column

from .models import Administration, Committee, PriceIndex, Profile, index_text


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


class IndexValueField(forms.DecimalField):
    """The index value as text in the page's language, without trailing zeros: 100 and
    101,3 in Danish (breaker: Django's number input showed the stored "100.0000").
    Read back with a decimal comma ("101,3"; dots beside a comma are thousands
    separators: "1.409,4773") or, as the admin showed it until now, a decimal point
    when there is no comma ("101.3"): an index has no thousands written without a
    decimal part. The model field's digits and places still apply."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 10})

    def prepare_value(self, value):
        return index_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace(" ", "").replace("\u00a0", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            value = text
        return super().to_python(value)


class PriceIndexForm(forms.ModelForm):
    """An index value: `PriceIndex.clean` (year, value above 0), and a change of more
    than ±50 % a year from the nearest years of the series only when confirmed."""

    confirm = forms.BooleanField(
        label=_("The value is right: save it anyway"),
        required=False,
        help_text=_("Only needed when the index changes by more than ±50 % a year."),
    )

    class Meta:
        model = PriceIndex
        fields = ("series", "year", "value", "source")
        field_classes = {"value": IndexValueField}

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("confirm"):
            return cleaned
        instance = self.instance
        candidate = PriceIndex(
            pk=instance.pk,
            series=cleaned.get("series", instance.series),
            year=cleaned.get("year", instance.year),
            value=cleaned.get("value", instance.value),
        )
        for message in candidate.jumps():
            self.add_error("value", message)
        return cleaned


class PriceIndexListForm(PriceIndexForm):
    """The list's editable value: a jump cannot be confirmed there (open the year)."""

    class Meta(PriceIndexForm.Meta):
        fields = ("value",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["confirm"]


@admin.register(PriceIndex)
class PriceIndexAdmin(admin.ModelAdmin):
    """The p/l index pages and exports convert with (docs/APPRAISAL.md)."""

    form = PriceIndexForm

    list_display = ("series", year_column("year", _("year")), "value", "source")
    list_filter = ("series",)
    list_editable = ("value",)
    ordering = ("series", "year")

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", PriceIndexListForm)
        return super().get_changelist_form(request, **kwargs)
