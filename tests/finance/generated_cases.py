"""Test helper: seeded random proposals (``finance.engine.Case``) that reach every branch
of the engine, the appraisal and the p/l conversion: empty lines, amounts outside the
span, wrong signs, 0-3 decimals, specifications that add up or not, administration
lines, distributions by weights (ties, zero and negative weights) and by amounts, and
printed figures to reconcile.  Used to compare fast paths with their oracles."""

from __future__ import annotations

import random
from decimal import Decimal

from finance.engine import (
    IMPLEMENTATION_AREAS,
    PERMANENT_AREAS,
    SUBJECTS,
    AdminLine,
    Case,
    Distribution,
    DistributionRow,
    Line,
    Specification,
    Stated,
)

COMMITTEES = ("ØU", "KFU", "BUU", "SUD", "SOU", "TMU")


def amount(rnd: random.Random, low: int, high: int) -> Decimal:
    """Whole, or with 1, 2 (stored as 2 decimals: "12.50") or now and then 3 decimals."""
    value = rnd.randint(low, high)
    match rnd.random():
        case x if x < 0.55:
            return Decimal(value)
        case x if x < 0.7:
            return Decimal(value * 100 + rnd.randint(-99, 99)).scaleb(-2)
        case x if x < 0.8:
            return Decimal(value * 10 + rnd.randint(-9, 9)).scaleb(-1)
        case x if x < 0.85:
            return Decimal(value * 1000 + rnd.randint(-999, 999)).scaleb(-3)
        case x if x < 0.9:
            return Decimal(value).quantize(Decimal("0.01"))  # 12.00, as the database gives
        case _:
            return Decimal(0)


def _amounts(rnd: random.Random, years: tuple[int, ...], low: int, high: int) -> dict:
    first = rnd.randint(0, len(years) - 1)
    chosen = years[first : first + rnd.randint(0, len(years))]
    out = {y: amount(rnd, low, high) for y in chosen if rnd.random() < 0.9}
    if rnd.random() < 0.05:
        out[years[-1] + rnd.randint(1, 3)] = amount(rnd, low, high)  # outside the span
    return out


def _line(rnd: random.Random, years: tuple[int, ...]) -> Line:
    section = rnd.choice(("permanent", "permanent", "implementation"))
    kind = "cost" if section == "implementation" or rnd.random() < 0.3 else "saving"
    areas = PERMANENT_AREAS if section == "permanent" else IMPLEMENTATION_AREAS
    low, high = (-3000, 200) if kind == "saving" else (-100, 3000)  # some wrong signs
    amounts = _amounts(rnd, years, low, high)
    specifications = ()
    if amounts and rnd.random() < 0.15:
        split = {y: amount(rnd, low, high) for y in amounts}
        rest = {y: a - split[y] for y, a in amounts.items()}
        if rnd.random() < 0.3:  # rows that do not add up
            rest = {y: a + 1 for y, a in rest.items()}
        specifications = (Specification("a", split), Specification("b", rest))
    return Line(section, kind, rnd.choice((*areas, None)), "linje", amounts, specifications)


def _distribution(rnd: random.Random, years: tuple[int, ...]) -> Distribution:
    committees = rnd.sample(COMMITTEES, rnd.randint(1, 5))
    subject = rnd.choice(SUBJECTS)
    if rnd.random() < 0.6:
        same = Decimal(rnd.choice((1, 3, 7)))
        rows = tuple(
            DistributionRow(
                c,
                unit=rnd.choice(("", "x")),
                weight=rnd.choice((same, same, amount(rnd, 0, 1000), Decimal(0),
                                   Decimal(-1) if rnd.random() < 0.05 else same)),
            )  # fmt: skip
            for c in committees
        )
        return Distribution(subject, "weights", rows)
    rows = tuple(
        DistributionRow(c, amounts={y: amount(rnd, -500, 500) for y in years if rnd.random() < 0.8})
        for c in committees
    )
    return Distribution(subject, "amounts", rows)


def random_case(rnd: random.Random) -> Case:
    first = rnd.randint(2016, 2026)
    years = tuple(range(first, first + rnd.randint(1, 8)))
    lines = tuple(_line(rnd, years) for _ in range(rnd.randint(0, 12)))
    admin = tuple(
        AdminLine("adm", _amounts(rnd, years, -300, 300)) for _ in range(rnd.randint(0, 2))
    )
    distributions = tuple(_distribution(rnd, years) for _ in range(rnd.randint(0, 3)))
    stated = None
    if rnd.random() < 0.3:
        stated = Stated(
            permanent_total={y: amount(rnd, -3000, 0) for y in years if rnd.random() < 0.5},
            payback_years_total=rnd.choice((None, 1, 2, 3, 5)),
            payback_years_service=rnd.choice((None, 2, 4)),
        )
    return Case(years, lines, admin, distributions, stated)


def random_cases(count: int, seed: int) -> list[Case]:
    rnd = random.Random(seed)
    return [random_case(rnd) for _ in range(count)]
