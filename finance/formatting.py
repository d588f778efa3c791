"""Danish number formatting for messages.

``Decimal("-2013") -> "-2.013"``, ``Decimal("56.33") -> "56,33"``.
"""

from __future__ import annotations

from decimal import Decimal

from .rounding import as_decimal, round_half_up, significant_places

__all__ = ["format_amount"]


def format_amount(
    value: Decimal | int | None, places: int | None = None, empty: str = "tom"
) -> str:
    """Format with "." as thousands separator and "," as decimal mark.

    ``places=None`` shows the decimals the value really has (trailing zeros
    dropped); otherwise the value is rounded half up to ``places``.
    ``None`` is shown as ``empty``.
    """
    if value is None:
        return empty
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    value = as_decimal(value)
    if places is None:
        places = significant_places(value, max_places=28)
    value = round_half_up(value, places)
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
