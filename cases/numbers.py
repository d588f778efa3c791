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
    """`code` names the problem: "invalid", "digits" (digits other than 0-9: "١٢٣",
    "１２３"), "places", "too_large" or "ambiguous" (then `readings` holds the two values
    the text can mean, smaller first)."""

    def __init__(self, code: str, places: int = 0, readings: tuple[Decimal, Decimal] = ()):
        self.code = code
        self.places = places
        self.readings = readings
        super().__init__(code)


def other_digits(text: str) -> bool:
    """Whether `text` has a digit that is not one of 0-9: Arabic-Indic "١٢٣", full-width
    "１２３", superscript "²" … Python's ``\\d``, ``int`` and ``Decimal`` read many of them
    as numbers; Danish finance input is written with 0-9 only (issue: non-Latin digits
    were saved), so every parser here refuses them (`NumberError("digits")`)."""
    return any(ch.isdigit() and not "0" <= ch <= "9" for ch in text)


def ascii_digits_only(text: str) -> str:
    """`text` unchanged, or `NumberError("digits")` when it has `other_digits`: the one
    check every number parser of the project runs first."""
    if other_digits(text):
        raise NumberError("digits")
    return text


def ambiguous_readings(text: str, decimal_sep: str, thousand_sep: str) -> tuple | None:
    """The two values of a number that the other convention reads differently, or None.

    "0.250" (Danish): a group of thousands cannot start with 0, so it is 0.25 written
    the English way, or 250 with a stray 0. "1,000" (Danish): one, or a thousand written
    the English way; any 1-3 digits (not 0), the decimal separator and exactly three
    digits is both. `text` is already stripped of spaces, with "-" for minus. Rule:
    issue 11, finding 10 (refuse and ask rather than guess).
    """
    t, d = re.escape(thousand_sep), re.escape(decimal_sep)
    zero_group = re.fullmatch(rf"([+-]?)0+((?:{t}[0-9]{{3}})+)", text)
    if zero_group:
        sign, groups = zero_group.groups()
        digits = groups.replace(thousand_sep, "")
        as_decimal = Decimal(f"{sign}0.{groups[1:].replace(thousand_sep, '')}")
        return tuple(sorted((as_decimal, Decimal(sign + digits)), key=abs))
    three = re.fullmatch(rf"([+-]?)([1-9][0-9]{{0,2}}){d}([0-9]{{3}})", text)
    if three:
        sign, whole, part = three.groups()
        return tuple(
            sorted((Decimal(f"{sign}{whole}.{part}"), Decimal(f"{sign}{whole}{part}")), key=abs)
        )
    return None


def parse_text_number(text: str) -> Decimal | None:
    """A number written as text where no language is known (a text cell of a workbook):
    Danish ("1.034,5", "-517", "337,5") or plain ("1034.5"). Text that the two read as
    different numbers ("1.000", "0.250", "1,000") raises `NumberError("ambiguous")`;
    anything else that is not a number raises `NumberError("invalid")`. None for empty."""
    text = ascii_digits_only((text or "").strip())
    for space in SPACES:
        text = text.replace(space, "")
    for minus in MINUS_SIGNS:
        text = text.replace(minus, "-")
    if not text:
        return None
    danish = re.fullmatch(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?", text)
    plain = re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]+)?", text)
    readings = ambiguous_readings(text, ",", ".") if danish else None
    if readings is None and danish and plain:
        values = {Decimal(text.replace(".", "")), Decimal(text)}
        readings = tuple(sorted(values, key=abs)) if len(values) == 2 else None
    if readings is not None:
        raise NumberError("ambiguous", readings=readings)
    if danish:
        return Decimal(text.replace(".", "").replace(",", "."))
    if plain:
        return Decimal(text)
    raise NumberError("invalid")


def separators() -> tuple[str, str]:
    """(decimal separator, thousand separator) of the active language."""
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def parse_number(text: str, *, places: int = 2, limit: Decimal = Decimal("1E12")) -> Decimal | None:
    """The Decimal a person typed, or None for an empty cell. Raises `NumberError`
    (also for text the other convention reads differently: `ambiguous_readings`; for
    digits other than 0-9: `other_digits`)."""
    text = ascii_digits_only((text or "").strip())
    for space in SPACES:
        text = text.replace(space, "")
    if not text:
        return None
    for minus in MINUS_SIGNS:
        text = text.replace(minus, "-")
    decimal_sep, thousand_sep = separators()
    pattern = (
        r"[+-]?(?:[0-9]{1,3}(?:"
        + re.escape(thousand_sep)
        + r"[0-9]{3})+|[0-9]+)(?:"
        + re.escape(decimal_sep)
        + r"[0-9]+)?"
    )
    if not re.fullmatch(pattern, text):
        raise NumberError("invalid")
    readings = ambiguous_readings(text, decimal_sep, thousand_sep)
    if readings is not None:
        raise NumberError("ambiguous", readings=readings)
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


def format_unambiguous(value: Decimal | int | None) -> str:
    """As `format_number`, but a number whose text the other convention reads as another
    number ("1,034" in Danish: 1,034 or 1.034, which `parse_number` refuses to guess)
    gets one trailing zero ("1,0340"): the same value, read one way only. For amounts
    shown in mio. kr., where three decimals are the rule (1.034 in 1.000 kr.)."""
    text = format_number(value)
    decimal_sep, thousand_sep = separators()
    if decimal_sep in text and ambiguous_readings(text, decimal_sep, thousand_sep):
        text += "0"
    return text


MAX_ID = 2**31 - 1  # the largest value every integer key and number column holds


def query_int(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole number from a URL or form parameter ("12"), or None for anything else:
    empty, "abc", "²" (str.isdigit() says yes, int() says no), "-1", 10^20 (too large
    for the database's integer columns). Issue 11, finding 12: no parameter gives a 500."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None
