"""The engine against the former engine (the oracle) on amounts the generated cases do
not have: negative zeros (-0, -0.00), positive exponents (1E+2), trailing zeros (2.500),
spans with gaps between the years.  Every figure must come out with the same value AND
the same decimals (an exact sum's digits do not depend on the order of its terms, but
a sum that starts from Decimal(0) differs from one that does not on exactly these)."""

from __future__ import annotations

import random
from decimal import Decimal

import oracle_engine
import pytest
from test_fast_paths import figures_of

from finance import engine
from finance.engine import (
    IMPLEMENTATION_AREAS,
    PERMANENT_AREAS,
    SUBJECTS,
    AdminLine,
    Case,
    Distribution,
    DistributionRow,
    Line,
    Stated,
)

ODD = tuple(Decimal(text) for text in ("-0", "-0.00", "0.00", "0", "1E+2", "-5E+1", "2.500",
                                       "-3.10", "-0.001", "7", "-12", "0.5"))  # fmt: skip


def odd_amount(rnd: random.Random) -> Decimal:
    return rnd.choice(ODD) if rnd.random() < 0.7 else Decimal(rnd.randint(-900, 900))


def odd_case(rnd: random.Random) -> Case:
    years = tuple(sorted(rnd.sample(range(2018, 2032), rnd.randint(1, 6))))
    pool = (*years, years[-1] + 1)  # now and then a year outside the span

    def amounts() -> dict:
        return {y: odd_amount(rnd) for y in pool if rnd.random() < 0.6}

    lines = []
    for _ in range(rnd.randint(0, 9)):
        section = rnd.choice(("permanent", "implementation"))
        areas = PERMANENT_AREAS if section == "permanent" else IMPLEMENTATION_AREAS
        kind = rnd.choice(("saving", "cost"))
        lines.append(Line(section, kind, rnd.choice((*areas, None)), "l", amounts()))
    admin = tuple(AdminLine("a", amounts()) for _ in range(rnd.randint(0, 1)))
    distributions = []
    for _ in range(rnd.randint(0, 3)):
        committees = rnd.sample(("ØU", "KFU", "BUU", "SUD"), rnd.randint(1, 4))
        if rnd.random() < 0.5:
            rows = tuple(DistributionRow(c, weight=rnd.choice((Decimal(1), Decimal("2.50"),
                                                               Decimal(0), Decimal("1E+1"))))
                         for c in committees)  # fmt: skip
            distributions.append(Distribution(rnd.choice(SUBJECTS), "weights", rows))
        else:
            rows = tuple(DistributionRow(c, amounts=amounts()) for c in committees)
            distributions.append(Distribution(rnd.choice(SUBJECTS), "amounts", rows))
    stated = Stated(net_total=amounts(), payback_years=2) if rnd.random() < 0.3 else None
    return Case(years, tuple(lines), admin, tuple(distributions), stated)


@pytest.mark.parametrize("seed", [1, 2])
def test_engine_equals_the_former_engine_on_unusual_decimals(seed):
    rnd = random.Random(seed)
    for _ in range(1500):
        case = odd_case(rnd)
        assert figures_of(engine.compute(case)) == figures_of(oracle_engine.compute(case))


def test_a_span_without_years_and_a_case_without_lines():
    for case in (Case(years=()), Case(years=(2021, 2023))):
        assert figures_of(engine.compute(case)) == figures_of(oracle_engine.compute(case))
