"""Numbers as people type them in a form, in the active language: "1.034", "-517" and
"337,5" in Danish ("1,034" and "337.5" in English). Exact: parsing and formatting never
round; a value with more decimals than allowed is an error, not silently cut."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

MINUS_SIGNS = "\u2212\u2013"  # "−" (minus) and "–" (en dash) typed or pasted for "-"
SPACES = " \u00a0\u202f"


class NumberError(ValueError):
    """`code` names the problem: "invalid", "places" or "too_large"."""

    def __init__(self, code: str, places: int = 0):
        self.code = code
        self.places = places
        super().__init__(code)


def separators() -> tuple[str, str]:
    """(decimal separator, thousand separator) of the active language."""
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def parse_number(text: str, *, places: int = 2, limit: Decimal = Decimal("1E12")) -> Decimal | None:
    """The Decimal a person typed, or None for an empty cell. Raises `NumberError`."""
    text = (text or "").strip()
    for space in SPACES:
        text = text.replace(space, "")
    if not text:
        return None
    for minus in MINUS_SIGNS:
        text = text.replace(minus, "-")
    decimal_sep, thousand_sep = separators()
    pattern = (
        r"[+-]?(?:\d{1,3}(?:"
        + re.escape(thousand_sep)
        + r"\d{3})+|\d+)(?:"
        + re.escape(decimal_sep)
        + r"\d+)?"
    )
    if not re.fullmatch(pattern, text):
        raise NumberError("invalid")
    plain = text.replace(thousand_sep, "").replace(decimal_sep, ".")
    try:
        value = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise NumberError("invalid") from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        # "337,50" is fine (trailing zeros), "337,505" is not.
        if value != value.quantize(Decimal(1).scaleb(-places)):
            raise NumberError("places", places)
        value = value.quantize(Decimal(1).scaleb(-places))
    if abs(value) >= limit:
        raise NumberError("too_large")
    return value


def format_number(value: Decimal | int | None) -> str:
    """A Decimal as it would be typed: grouped, only the decimals it has ("337,5")."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    decimal_sep, thousand_sep = separators()
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):f}"
    whole, _, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousand_sep.join(groups)
    if fraction:
        text += decimal_sep + fraction
    return sign + text
