"""Columns of the admin's lists."""

from django.contrib import admin


def year_column(field: str, description):
    """A list column showing the year in `field` as written (2024), where the admin would
    show it as a number with the Danish thousands separator (2.024); sorted by the
    field. Returns the callable for `list_display`."""

    @admin.display(description=description, ordering=field)
    def column(obj) -> str:
        year = getattr(obj, field)
        return "" if year is None else str(year)

    return column
