"""Rounding and exact allocation of Decimal amounts.

``round_half_up`` is the one rounding helper of the project: every figure that is
shown or printed with fewer decimals than it has goes through it.  ``allocate``
splits a total between keys so that the parts add up *exactly* to the total
(largest-remainder method).  No float is used anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import lcm

__all__ = [
    "QUANTA",
    "AllocationError",
    "allocate",
    "as_decimal",
    "common_units",
    "denominator_places",
    "from_units",
    "from_units_all",
    "half_up",
    "largest_remainder",
    "round_fraction_half_up",
    "round_half_up",
    "round_ratio_half_up",
    "round_to_total",
    "round_units_to_total",
    "scaled_ints",
    "significant_places",
    "to_units",
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


def scaled_ints(values: list[Decimal]) -> list[int]:
    """The values as integers on their common scale (exact): ``[1.5, 2] -> [15, 20]``."""
    return common_units(values)[0]


def _shift(value: Decimal, places: int) -> int:
    """``value * 10**places`` as an int; the caller guarantees it is integral."""
    scaled = value.scaleb(places)
    n = int(scaled)
    if n != scaled:
        raise AllocationError(f"{value} is not representable with {places} decimals")
    return n


def to_units(value: Decimal) -> tuple[int, int]:
    """``(units, places)`` with ``value == units * 10**-places`` and ``places`` minimal.

    ``Decimal("-338.00") -> (-338, 0)``, ``Decimal("56.30") -> (563, 1)``.  Exact for
    every finite Decimal (from its exact ratio, no digit strings).
    """
    numerator, denominator = value.as_integer_ratio()
    if denominator == 1:
        return numerator, 0
    places = denominator_places(denominator)
    return numerator * (10**places // denominator), places


def denominator_places(denominator: int) -> int:
    """The fewest decimals that write ``n / denominator`` exactly, for a denominator
    ``2**a * 5**b`` (a Decimal's ``as_integer_ratio``, or an lcm of those): max(a, b)."""
    places = _PLACES_OF.get(denominator)
    if places is None:
        twos = (denominator & -denominator).bit_length() - 1
        fives = 0
        rest = denominator >> twos
        while rest > 1:
            rest //= 5
            fives += 1
        places = max(twos, fives)
    return places


def common_units(values: Sequence[Decimal | None]) -> tuple[list[int], int]:
    """The values as integers on their common scale ``10**-places`` (``None`` = 0) and
    that ``places`` (the most decimals any value needs), exact: ``scaled_ints`` with
    empty cells, in one pass over the values' exact ratios."""
    ratios = [(0, 1) if v is None else v.as_integer_ratio() for v in values]
    denominators = [d for _n, d in ratios]
    if max(denominators, default=1) == 1:
        return [n for n, _d in ratios], 0
    places = denominator_places(lcm(*denominators))
    scale = 10**places
    return [n * (scale // d) for n, d in ratios], places


_PLACES_OF = {d: p for p in (1, 2) for d in range(2, 10**p + 1) if 10**p % d == 0 and (
    p == 1 or 10 % d)}  # fmt: skip


def from_units(units: int, places: int) -> Decimal:
    """``units * 10**-places`` as a Decimal with exactly ``places`` decimals (no -0)."""
    if places == 0:
        return Decimal(units)
    return (
        Decimal(units) * _QUANTA[places]
        if places < len(_QUANTA)
        else Decimal(units).scaleb(-places)
    )


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(8))
# 10**-places as a Decimal for places 0..7: ``units * QUANTA[places]`` is ``from_units``
QUANTA = _QUANTA


def from_units_all(units: Iterable[int], places: int) -> list[Decimal]:
    """``from_units`` of every one of ``units`` (one look-up of the quantum for all)."""
    if places == 0:
        return [Decimal(u) for u in units]
    if places < len(_QUANTA):
        quantum = _QUANTA[places]
        return [Decimal(u) * quantum for u in units]
    return [Decimal(u).scaleb(-places) for u in units]


def largest_remainder(
    units: int,
    weights: Sequence[int],
    weight_sum: int,
    rank: Sequence[int] | Callable[[], Sequence[int]],
) -> list[int]:
    """Split ``units >= 0`` in proportion to integer ``weights >= 0`` (``weight_sum > 0``).

    Each part is the floor of its exact share ``units * w / weight_sum``; the leftover
    units (fewer than the number of keys) go one each to the largest remainders, ties
    to the lower ``rank`` (``tie_rank``: larger weight, then smaller ``str(key)``), so
    the result does not depend on the order of the keys.  The parts add up to
    ``units``.  The one integer core of every allocation (``allocate`` and the
    engine's distributions).  ``rank`` may be a function that returns the ranks: it is
    called only when equal remainders straddle the leftover units (a tie decides).
    """
    floors = [units * w // weight_sum for w in weights]
    leftover = units - sum(floors)  # 0 <= leftover < number of keys with weight > 0
    if not leftover:
        return floors
    remainders = [units * w % weight_sum for w in weights]
    if leftover == 1:  # the one largest remainder, unless it is shared (a tie decides)
        top = max(remainders)
        if remainders.count(top) == 1:
            floors[remainders.index(top)] += 1
            return floors
    n = len(floors)
    order = sorted(range(n), key=remainders.__getitem__, reverse=True)
    if leftover < n and remainders[order[leftover - 1]] == remainders[order[leftover]]:
        # a tie across the cut: larger remainder first, then lower rank (one integer
        # score per key)
        ranks = rank() if callable(rank) else rank
        scores = [r * n + n - k for r, k in zip(remainders, ranks, strict=True)]
        order = sorted(range(n), key=scores.__getitem__, reverse=True)
    for i in order[:leftover]:
        floors[i] += 1
    return floors


def tie_rank(weights: Sequence[int], keys: Sequence[Hashable]) -> list[int]:
    """Each key's place (0 first) when ordered by larger weight, then smaller ``str(key)``:
    the tie-break of ``largest_remainder``."""
    order = sorted(range(len(keys)), key=lambda i: (-weights[i], str(keys[i])))
    rank = [0] * len(keys)
    for place, i in enumerate(order):
        rank[i] = place
    return rank


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
    int_weights = scaled_ints(values)
    weight_sum = sum(int_weights)
    if weight_sum == 0:
        raise AllocationError(f"cannot allocate {total} by weights that are all zero")

    units = _shift(abs(total), places)  # the total in quanta, exact
    parts = largest_remainder(units, int_weights, weight_sum, lambda: tie_rank(int_weights, keys))
    sign = -1 if total < 0 else 1
    return {key: from_units(sign * n, places) for key, n in zip(keys, parts, strict=True)}


def round_to_total(values: Sequence[Fraction], total: int) -> list[int]:
    """Round exact ``values`` (in quanta) to integers that add up to ``total``.

    Each value is first rounded down; the ``total - sum(floors)`` leftover quanta go one
    each to the largest fractional parts, ties to the earlier value (the caller orders
    the values, e.g. by row key).  Values that are already whole never move.  The
    largest-remainder rule for amounts of both signs; ``total`` is normally
    ``round_half_up`` of their exact sum.  Raises ``ValueError`` when ``total`` is not
    between ``sum(floors)`` and ``sum(floors) + (number of non-whole values)``.
    (``round_units_to_total`` on the values over one common denominator.)
    """
    denominator = lcm(*(v.denominator for v in values)) if values else 1
    return round_units_to_total(
        [v.numerator * (denominator // v.denominator) for v in values], denominator, total
    )


def round_units_to_total(numerators: Sequence[int], denominator: int, total: int) -> list[int]:
    """``round_to_total`` of the values ``numerators[i] / denominator`` (one common
    ``denominator > 0``), in integers: the same rule, the one implementation of it.
    Raises ``ValueError`` as ``round_to_total``."""
    floors = [n // denominator for n in numerators]
    leftover = total - sum(floors)
    if leftover == 0:
        return floors
    remainders = [n - q * denominator for n, q in zip(numerators, floors, strict=True)]
    fractional = [i for i, r in enumerate(remainders) if r]
    if not 0 <= leftover <= len(fractional):
        raise ValueError(f"cannot round {len(numerators)} values to the total {total}")
    # larger remainder first (one denominator: they compare as integers), ties to the
    # earlier value (a reverse sort keeps equal keys in their order)
    for i in sorted(fractional, key=remainders.__getitem__, reverse=True)[:leftover]:
        floors[i] += 1
    return floors


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded half away from zero to an
    integer: the rule of ``round_half_up``, in integers."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def round_fraction_half_up(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded half away from zero to ``places`` decimals (no -0)."""
    return round_ratio_half_up(value.numerator, value.denominator, places)


def round_ratio_half_up(numerator: int, denominator: int, places: int) -> Decimal:
    """``numerator / denominator`` (denominator > 0) rounded half away from zero to
    ``places`` decimals, in integers (no -0)."""
    whole = half_up(numerator * 10**places, denominator)
    return Decimal(whole) if places == 0 else Decimal(whole).scaleb(-places)
