"""Rounding and exact allocation of Decimal amounts.

``round_half_up`` is the one rounding helper of the project: every figure that is
shown or printed with fewer decimals than it has goes through it.  ``allocate``
splits a total between keys so that the parts add up *exactly* to the total
(largest-remainder method).  No float is used anywhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "AllocationError",
    "allocate",
    "as_decimal",
    "round_half_up",
    "significant_places",
]


class AllocationError(ValueError):
    """A total cannot be allocated by the given weights."""


def as_decimal(value: Decimal | int) -> Decimal:
    """Return ``value`` as a finite Decimal; floats (and bools) are refused."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"amounts must be Decimal or int, not {type(value).__name__}: {value!r}")


def _quantum(places: int) -> Decimal:
    return Decimal((0, (1,), -places))


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round ``value`` half away from zero to ``places`` decimals (10**-places).

    ``round_half_up(Decimal("2.5")) == 3``,
    ``round_half_up(Decimal("-0.05"), 1) == Decimal("-0.1")``.
    A result that is zero never carries a minus sign.
    """
    result = as_decimal(value).quantize(_quantum(places), rounding=ROUND_HALF_UP)
    if result.is_zero() and result.is_signed():
        result = result.copy_abs()
    return result


def _places(value: Decimal) -> int:
    """Decimals in the normalized value, uncapped (trailing zeros do not count)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN / Infinity
        raise ValueError(f"not a finite amount: {value!r}")
    if exponent >= 0 or not any(digits):
        return 0
    trailing = 0
    for digit in reversed(digits):
        if digit != 0 or trailing == -exponent:
            break
        trailing += 1
    return -exponent - trailing


def significant_places(value: Decimal, max_places: int = 2) -> int:
    """Number of decimals the value really has, capped at ``max_places``.

    ``Decimal("-338.00") -> 0``, ``Decimal("337.50") -> 1``, ``Decimal("56.33") -> 2``.
    """
    return min(_places(as_decimal(value)), max_places)


def _scaled_ints(values: list[Decimal]) -> list[int]:
    """The values as integers on a common scale (exact, independent of the context)."""
    exponent = min((v.as_tuple().exponent for v in values), default=0)
    exponent = min(exponent, 0)
    out = []
    for v in values:
        sign, digits, exp = v.as_tuple()
        n = int("".join(map(str, digits)) or "0") * 10 ** (exp - exponent)
        out.append(-n if sign else n)
    return out


def _shift(value: Decimal, places: int) -> int:
    """``value * 10**places`` as an int; the caller guarantees it is integral."""
    _sign, digits, exponent = value.as_tuple()
    n = int("".join(map(str, digits)))
    shift = exponent + places
    if shift >= 0:
        return n * 10**shift
    q, r = divmod(n, 10**-shift)
    if r:
        raise AllocationError(f"{value} is not representable with {places} decimals")
    return q


def allocate[K: Hashable](
    total: Decimal, weights: Mapping[K, Decimal], places: int
) -> dict[K, Decimal]:
    """Split ``total`` in proportion to ``weights``; the parts add up exactly to ``total``.

    Largest remainder at the quantum 10**-p with ``p = max(places, decimals of total)``
    (so the total is always representable).  A negative total is allocated as its
    absolute value and the sign applied to every part.  Remainder ties go to the
    larger weight, then to the smaller ``str(key)``; the result per key does not
    depend on the order of ``weights``.  A zero total gives zeros.  Zero-weight keys
    get 0.

    Raises ``AllocationError`` for a negative weight, or when every weight is zero
    (or there are none) and the total is not zero.
    """
    total = as_decimal(total)
    keys = list(weights)
    values = [as_decimal(weights[k]) for k in keys]
    for key, weight in zip(keys, values, strict=True):
        if weight < 0:
            raise AllocationError(f"negative weight {weight} for {key!r}")
    places = max(places, _places(total))
    quantum = _quantum(places)
    if total.is_zero():
        zero = Decimal(0).quantize(quantum)
        return {k: zero for k in keys}
    int_weights = _scaled_ints(values)
    weight_sum = sum(int_weights)
    if weight_sum == 0:
        raise AllocationError(f"cannot allocate {total} by weights that are all zero")

    negative = total < 0
    # Total in quanta, exact: the total is representable at this quantum.
    units = _shift(abs(total), places)
    floors = []
    remainders = []
    for w in int_weights:
        q, r = divmod(units * w, weight_sum)
        floors.append(q)
        remainders.append(r)
    leftover = units - sum(floors)  # 0 <= leftover < number of keys with weight > 0
    if leftover:
        order = sorted(
            range(len(keys)),
            key=lambda i: (-remainders[i], -int_weights[i], str(keys[i])),
        )
        for i in order[:leftover]:
            floors[i] += 1

    result = {}
    for key, n in zip(keys, floors, strict=True):
        part = Decimal((1 if negative and n else 0, tuple(map(int, str(n))), -places))
        result[key] = part
    return result
