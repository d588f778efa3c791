"""`number`: a Decimal with only the decimals it has, in the active language ("337,5")."""

from decimal import Decimal

from django import template

from cases.numbers import format_number

register = template.Library()


@register.filter
def number(value):
    if value is None or value == "":
        return ""
    return format_number(Decimal(str(value)))


@register.filter
def who(user):
    """A user's full name, else the username; "–" for nobody (a system action)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


@register.simple_tag
def has_followup_report(catalog, user) -> bool:
    """Whether `user` may read any adopted plan of `catalog` (so that a link to its
    follow-up report leads somewhere)."""
    from followup.models import FrozenPlan
    from followup.permissions import visible_plans

    if not getattr(user, "is_authenticated", False):
        return False
    return visible_plans(user, FrozenPlan.objects.filter(proposal__catalog=catalog)).exists()
