"""The fast paths of the engine, the appraisal and the p/l conversion give exactly what
the implementations they replaced gave (kept as oracles in this folder), value AND
decimals (compared as strings), on a few thousand generated proposals
(generated_cases.py) that reach every branch."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import oracle_appraisal
import oracle_engine
import oracle_prices
import pytest
from finance_catalogs import all_proposals, case_from_proposal
from generated_cases import amount, random_cases

from finance import appraisal, engine, prices
from finance.rounding import round_to_total


def canonical(value):
    """Any result as nested tuples with every Decimal as its string (so 1.50 != 1.5)."""
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, dict):
        return tuple((canonical(k), canonical(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(canonical(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        fields = value.__dataclass_fields__
        return (type(value).__name__, *(canonical(getattr(value, f)) for f in fields))
    return value


SERVICE = {y: Decimal(90 + 3 * (y - 2010)) + Decimal(y % 7).scaleb(-1) for y in range(2010, 2040)}
CAPITAL = {y: Decimal(97 + 4 * (y - 2010)) + Decimal(y % 3).scaleb(-2) for y in range(2010, 2040)}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_convert_case_equals_the_fraction_version(seed):
    rnd = random.Random(seed)
    for case in random_cases(600, seed):
        indexes = {prices.SERVICE_SERIES: SERVICE}
        if rnd.random() < 0.5:
            indexes[prices.CAPITAL_SERIES] = CAPITAL
        a, b = rnd.randint(2010, 2039), rnd.randint(2010, 2039)
        expected = oracle_prices.convert_case(case, indexes, a, b)
        assert canonical(prices.convert_case(case, indexes, a, b)) == canonical(expected)


def test_convert_rows_and_sums_equal_the_fraction_versions():
    rnd = random.Random(7)
    for _ in range(2000):
        rows = {
            f"r{k}": (rnd.randint(2010, 2039),
                      {c: rnd.choice((None, amount(rnd, -5000, 5000))) for c in "abc"
                       if rnd.random() < 0.9})
            for k in range(rnd.randint(0, 6))
        }  # fmt: skip
        to, places = rnd.randint(2010, 2039), rnd.choice((0, 1, 3))
        assert canonical(prices.convert_rows(rows, SERVICE, to, places)) == canonical(
            oracle_prices.convert_rows(rows, SERVICE, to, places)
        )
        sums = {rnd.randint(2010, 2039): amount(rnd, -9000, 9000) for _ in range(3)}
        assert canonical(prices.convert_sums(sums, SERVICE, to, places)) == canonical(
            oracle_prices.convert_sums(sums, SERVICE, to, places)
        )


def test_round_to_total_equals_the_fraction_version():
    rnd = random.Random(11)
    for _ in range(5000):
        values = [Fraction(rnd.randint(-10**6, 10**6), rnd.choice((1, 3, 7, 100, 1021)))
                  for _ in range(rnd.randint(1, 8))]  # fmt: skip
        floor = sum(v.numerator // v.denominator for v in values)
        total = floor + rnd.randint(-1, len(values) + 1)
        try:
            expected = oracle_prices.round_to_total(values, total)
        except ValueError:
            with pytest.raises(ValueError):
                round_to_total(values, total)
            continue
        assert round_to_total(values, total) == expected


def figures_of(figures) -> tuple:
    """Every figure of ``Figures`` (the engine's or the oracle's), canonical."""
    return tuple(canonical(getattr(figures, name)) for name in engine.Figures.FIELDS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_figures_equal_the_former_engine(seed):
    for case in random_cases(1500, seed):
        assert figures_of(engine.compute(case)) == figures_of(oracle_engine.compute(case))


def test_engine_figures_equal_the_former_engine_on_the_reference_catalogues():
    for _name, proposal in all_proposals():
        case = case_from_proposal(proposal)
        assert figures_of(engine.compute(case)) == figures_of(oracle_engine.compute(case))


def test_figures_read_one_at_a_time_equal_all_at_once():
    """Figures are made lazily, by group: reading any one first gives the same."""
    for case in random_cases(200, 9):
        expected = figures_of(oracle_engine.compute(case))
        for k, name in enumerate(engine.Figures.FIELDS):
            assert canonical(getattr(engine.compute(case), name)) == expected[k], name


STEPS = (
    ((1, Decimal("3.5")), (36, Decimal("2.5")), (71, Decimal("1.5"))),  # FM 2021
    ((1, Decimal(0)),),
    ((1, Decimal("3.5")),),
    ((1, Decimal("7.25")),),
    ((1, Decimal(4)), (3, Decimal(0))),  # a last rate of 0: an undiscounted tail
    ((1, Decimal(2)), (5, Decimal("12.5"))),
)
SETTINGS = (  # horizon, savings cut %, delay years, cost rise %
    (10, Decimal(25), 1, Decimal(25)),
    (1, Decimal(0), 0, Decimal(0)),
    (5, Decimal(100), 3, Decimal(50)),
    (30, Decimal("12.5"), 2, Decimal("7.5")),
    (80, Decimal(25), 1, Decimal(200)),
)


def appraisal_of(appraisal) -> tuple:
    return tuple(canonical(getattr(appraisal, name)) for name in appraisal.FIELDS)


@pytest.mark.parametrize("seed", [1, 2])
def test_appraisal_equals_the_former_appraisal(seed):
    rnd = random.Random(seed)
    for case in random_cases(1000, seed):
        figures = engine.compute(case)
        steps = rnd.choice(STEPS)
        new, old = appraisal.RateSchedule(steps), oracle_appraisal.RateSchedule(steps)
        horizon, cut, delay, rise = rnd.choice(SETTINGS)
        got = appraisal.appraise(figures, new, horizon, cut, delay, rise)
        expected = oracle_appraisal.appraise(figures, old, horizon, cut, delay, rise)
        assert appraisal_of(got) == appraisal_of(expected)
        assert canonical(appraisal.base_scenario(figures, new, horizon)) == canonical(
            oracle_appraisal.base_scenario(figures, old, horizon)
        )


def test_appraisal_functions_equal_the_former_ones():
    rnd = random.Random(5)
    for case in random_cases(1000, 5):
        figures = engine.compute(case)
        steps = rnd.choice(STEPS)
        new, old = appraisal.RateSchedule(steps), oracle_appraisal.RateSchedule(steps)
        horizon = rnd.choice((1, 3, 10, 40, 90))
        args = (figures.years, figures.permanent_total, figures.implementation_total)
        start = rnd.choice((*figures.years, None, figures.years[0] - 1, figures.years[-1] + 1))
        flows = appraisal.horizon_flows(*args, horizon)
        assert canonical(flows) == canonical(oracle_appraisal.horizon_flows(*args, horizon))
        assert canonical(appraisal.present_value(flows, new)) == canonical(
            oracle_appraisal.present_value(flows, old)
        )
        assert appraisal.discounted_payback(*args, start, new) == (
            oracle_appraisal.discounted_payback(*args, start, old)
        )
