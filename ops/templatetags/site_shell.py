"""The page shell's tags (templates/base.html): `site_header`, written in Python while its
template is the one mirrored (ops.shell)."""

from django import template
from django.utils.safestring import mark_safe

from ops.shell import site_header as header

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site header (templates/_site_header.html), as `ops.shell.site_header` draws it."""
    return mark_safe(header(context))  # noqa: S308 - every value escaped by the writer
