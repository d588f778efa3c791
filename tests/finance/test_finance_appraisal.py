"""Present value, discounted payback, sensitivity, switching values, price levels, entry
units and the portfolio (finance.appraisal, finance.prices, finance.portfolio).

Worked examples are computed by hand; the arithmetic is written beside each."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.appraisal import (
    FM_2021,
    RateSchedule,
    appraise,
    discounted_payback,
    flat_rate,
    horizon_flows,
    present_value,
    schedule_for,
)
from finance.engine import Case, Line, compute, payback
from finance.portfolio import PortfolioItem, portfolio, rank, suggest
from finance.prices import (
    STORED_PLACES,
    PriceLevelError,
    UnitError,
    convert_amount,
    convert_table,
    from_thousands,
    to_thousands,
)
from finance.rounding import round_to_total

ZERO_RATE = flat_rate(D(0))

# --------------------------------------------------------------------------- worked examples


def test_npv_worked_example_at_the_fm_rate():
    """Cost 1.000 in year 0, savings 600 in years 1 and 2, at 3,5 %:
    600 / 1,035 = 579,7101; 600 / 1,071225 = 560,1064; 579,7101 + 560,1064 - 1.000
    = 139,8165 -> 139,82 (the net gain, positive)."""
    assert present_value([D(1000), D(-600), D(-600)], FM_2021) == D("139.82")


def test_npv_guidance_example_of_the_falling_rate():
    """Finansministeriet's note explains the falling rate with a project over 75 years:
    years 1-35 at 4 %, 36-70 at 3 %, 71-75 at 2 % (the 2018 rates). A gain of 1.000 in
    year 75: 1,04^35 = 3,946089; 1,03^35 = 2,813862; 1,02^5 = 1,104081; product
    12,259439; 1.000 / 12,259439 = 81,5698 -> 81,57."""
    rates_2018 = RateSchedule(((1, D(4)), (36, D(3)), (71, D(2))))
    assert present_value([D(0)] * 75 + [D(-1000)], rates_2018) == D("81.57")


def test_npv_current_fm_schedule_steps_down_after_year_35():
    """1.000 gained in year 40 at the 2021 rates: 1,035^35 = 3,333590;
    1,025^5 = 1,131408; product 3,771652; 1.000 / 3,771652 = 265,1358 -> 265,14."""
    assert present_value([D(0)] * 40 + [D(-1000)], FM_2021) == D("265.14")
    assert FM_2021.rate(35) == D("3.5")
    assert FM_2021.rate(36) == D("2.5")
    assert FM_2021.rate(71) == D("1.5")


def test_discounted_payback_worked_example():
    """Implementation 1.000 in 2021, a lasting saving of 220 from 2022.
    Undiscounted: 1.000, 780, 560, 340, 120, -100 -> 6 years.
    Discounted at 3,5 %: 220/1,035 = 212,56 -> 787,44; /1,071225 = 205,37 -> 582,07;
    /1,108718 = 198,43 -> 383,64; /1,147523 = 191,72 -> 191,92; /1,187686 = 185,24
    -> 6,69; /1,229255 = 178,97 -> -172,29: 7 years."""
    years = (2021, 2022)
    permanent = {2022: D(-220)}
    implementation = {2021: D(1000)}
    assert payback(years, permanent, implementation, 2021) == 6
    assert discounted_payback(years, permanent, implementation, 2021, FM_2021) == 7


def test_discounted_payback_never_when_the_discounted_saving_cannot_repay():
    """A saving of 30 a year at a flat 3,5 % is worth at most 30 * 1,035 / 0,035 = 887,14
    from year 1 on: it never repays 1.000, although undiscounted it does (after 35
    years). With FM's falling rate (2,5 % from year 36, 1,5 % from year 71) the far
    future weighs more, and it does, late."""
    years = (2021, 2022)
    permanent = {2022: D(-30)}
    implementation = {2021: D(1000)}
    assert payback(years, permanent, implementation, 2021) == 35
    assert discounted_payback(years, permanent, implementation, 2021, flat_rate(D("3.5"))) is None
    assert discounted_payback(years, permanent, implementation, 2021, FM_2021) > 70


CASE = Case(
    years=(2021, 2022, 2023, 2024),
    lines=(
        Line(
            "permanent", "saving", "service", "s", {2022: D(-500), 2023: D(-1000), 2024: D(-1000)}
        ),
        Line("implementation", "cost", "capital", "i", {2021: D(2000), 2022: D(500)}),
    ),
)


FIGURES = compute(CASE)


def test_sensitivity_and_switching_values_worked_example():
    """Net flow 2.000, 0, -1.000, -1.000 and -1.000 a year after: payback 5 years
    (2.000, 2.000, 1.000, 0, -1.000).

    Switching value for payback within 10 years: at count 10 the cumulative is
    2.500 (implementation) + k * -8.500 (savings 500 + 8 * 1.000), < 0 while
    k > 2.500/8.500 = 0,294118: a cut of 70,6 %; costs may rise while 2.500 (1+y) <
    8.500: y < 2,4 = 240,0 %.
    Savings 25 % lower: 2.000, 125, -750, ... cumulative 2.000, 2.125, 1.375, 625,
    -125: still 5 years. Savings a year later: 2.000, 500, -500, -1.000 ... cumulative
    2.000, 2.500, 2.000, 1.000, 0, -1.000: 6 years. Costs 25 % higher: 2.500, 625,
    -1.000 ...: 2.500, 2.625, 1.625, 625, -375: 5 years."""
    a = appraise(FIGURES, FM_2021, horizon=10)
    assert [s.key for s in a.scenarios] == [
        "base",
        "savings_lower",
        "savings_later",
        "costs_higher",
    ]
    assert [s.payback_years for s in a.scenarios] == [5, 5, 6, 5]
    assert a.payback_years == 5
    assert a.switch_savings_payback_pct == D("70.6")
    assert a.switch_costs_payback_pct == D("240.0")
    assert a.flows == (D(2000), D(0)) + (D(-1000),) * 8


def test_switching_values_make_npv_zero():
    """The exact switching value cuts the savings' present value to the gain."""
    a = appraise(FIGURES, FM_2021, horizon=10)
    assert a.npv > 0
    pct = a.switch_savings_npv_pct
    # just below the switching value the proposal still gains, just above it does not
    for delta, positive in ((D("-0.2"), True), (D("0.2"), False)):
        cut = appraise(FIGURES, FM_2021, horizon=10, savings_cut_pct=pct + delta)
        assert (cut.scenarios[1].npv > 0) is positive


def test_appraisal_refuses_bad_settings():
    with pytest.raises(ValueError):
        horizon_flows((2021,), {}, {}, 0)
    with pytest.raises(ValueError):
        appraise(FIGURES, savings_cut_pct=D(101))
    with pytest.raises(ValueError):
        RateSchedule(((2, D(3)),))
    assert schedule_for(None) is FM_2021
    assert schedule_for(D(4)).rate(50) == D(4)


# --------------------------------------------------------------------------- properties

money = st.integers(min_value=-300000, max_value=300000).map(lambda n: D(n).scaleb(-2))
flows = st.lists(money, min_size=1, max_size=40)
rates = st.sampled_from([FM_2021, flat_rate(D("3.5")), flat_rate(D(7)), flat_rate(D("0.5"))])


@given(flows)
def test_npv_at_rate_zero_is_minus_the_plain_sum(values):
    assert present_value(values, ZERO_RATE) == -sum(values, D(0))


@given(flows, rates, st.data())
def test_a_saving_never_lowers_npv(values, schedule, data):
    year = data.draw(st.integers(min_value=0, max_value=len(values) - 1))
    saving = data.draw(st.integers(min_value=1, max_value=100000).map(D))
    more = list(values)
    more[year] -= saving
    assert present_value(more, schedule) >= present_value(values, schedule)


@st.composite
def tables(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    years = tuple(range(2020, 2020 + n))
    perm = {y: draw(st.integers(min_value=-3000, max_value=3000).map(D)) for y in years
            if draw(st.booleans())}  # fmt: skip
    impl = {y: draw(st.integers(min_value=0, max_value=5000).map(D)) for y in years
            if draw(st.booleans())}  # fmt: skip
    if years[0] not in perm and years[0] not in impl:
        impl[years[0]] = D(1)
    return years, perm, impl


@given(tables())
def test_discounted_payback_at_rate_zero_is_the_payback(table):
    years, perm, impl = table
    assert discounted_payback(years, perm, impl, years[0], ZERO_RATE) == payback(
        years, perm, impl, years[0]
    )


@given(tables(), rates)
def test_discounted_payback_is_paid_back_and_stays_so(table, schedule):
    """When there is a discounted payback n, the discounted cumulative is < 0 at n and
    over the table after it (the tail is checked in closed form by the function)."""
    years, perm, impl = table
    n = discounted_payback(years, perm, impl, years[0], schedule)
    if n is None or n > len(years):
        return
    cumulative = Fraction(0)
    factor = Fraction(1)
    for t, year in enumerate(years):
        if t:
            factor /= 1 + Fraction(schedule.rate(t)) / 100
        cumulative += factor * Fraction((perm.get(year) or 0) + (impl.get(year) or 0))
        if t + 1 >= n:
            assert cumulative < 0


index_values = st.integers(min_value=500, max_value=2000).map(lambda n: D(n).scaleb(-1))


@given(money, index_values, index_values)
def test_price_conversion_there_and_back_returns_the_input(amount, a, b):
    index = {2020: a, 2024: b}
    there = convert_amount(amount, index, 2020, 2024)
    assert convert_amount(there, index, 2024, 2020, places=STORED_PLACES) == amount


@given(
    st.dictionaries(
        st.text(alphabet="ABCDE", min_size=1, max_size=3),
        st.dictionaries(st.integers(min_value=2020, max_value=2025), money, max_size=6),
        min_size=1,
        max_size=12,
    ),
    index_values,
    index_values,
)
def test_converted_rows_add_up_to_the_converted_totals(rows, a, b):
    index = {2020: a, 2024: b}
    converted, totals = convert_table(rows, index, 2020, 2024)
    for year, total in totals.items():
        present = [converted[k][year] for k in rows if year in rows[k]]
        assert sum(present, D(0)) == total
        exact_total = sum((rows[k][year] for k in rows if year in rows[k]), D(0))
        assert total == convert_amount(exact_total, index, 2020, 2024)
    for key, amounts in rows.items():
        for year, amount in amounts.items():
            # each row within one krone of its own conversion
            own = convert_amount(amount, index, 2020, 2024)
            assert abs(converted[key][year] - own) <= D("0.001")


def test_price_conversion_worked_example_and_missing_year():
    """1.034 (2020 p/l, index 100,0) in 2021 p/l (index 103,1): 1.034 * 1,031 =
    1.066,054."""
    index = {2020: D("100.0"), 2021: D("103.1")}
    assert convert_amount(D(1034), index, 2020, 2021) == D("1066.054")
    with pytest.raises(PriceLevelError, match="intet pris- og lønindeks for 2019"):
        convert_amount(D(1), index, 2019, 2021)


@given(st.lists(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=1000),
                min_size=1, max_size=15))  # fmt: skip
def test_round_to_total_adds_up_and_moves_each_value_less_than_one(values):
    total = sum(values, Fraction(0))
    target = int(total // 1 + (1 if total - total // 1 >= Fraction(1, 2) else 0))
    rounded = round_to_total(values, target)
    assert sum(rounded) == target
    for value, n in zip(values, rounded, strict=True):
        assert abs(n - value) < 1


def test_entry_units():
    assert to_thousands(D("1034000"), "kr") == D("1034")
    assert str(to_thousands(D("1.5"), "mio.kr")) == "1500.00"
    assert to_thousands(D("517"), "t.kr") == D(517)
    assert from_thousands(D(1500), "mio.kr") == D("1.5")
    with pytest.raises(UnitError, match="kan ikke gemmes præcist"):
        to_thousands(D("1234"), "kr")
    with pytest.raises(UnitError, match="Ukendt enhed"):
        to_thousands(D(1), "euro")


@given(money, st.sampled_from(["kr", "t.kr", "mio.kr"]))
def test_entry_units_round_trip(amount, unit):
    typed = from_thousands(amount, unit)
    assert to_thousands(typed, unit) == amount


# --------------------------------------------------------------------------- portfolio

items_st = st.lists(
    st.builds(
        PortfolioItem,
        key=st.text(alphabet="BCDEF0123", min_size=1, max_size=4),
        label=st.just(""),
        investment=st.dictionaries(st.integers(min_value=2021, max_value=2024), money, max_size=4),
        permanent=st.dictionaries(st.integers(min_value=2021, max_value=2026), money, max_size=6),
        payback_years=st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
        npv=st.one_of(st.none(), money),
    ),
    max_size=8,
    unique_by=lambda i: i.key,
)


@given(items_st, st.dictionaries(st.integers(min_value=2021, max_value=2024), money, max_size=4))
def test_portfolio_totals_are_the_sums_of_its_proposals(items, budget):
    p = portfolio(items, budget)
    for row in p.years:
        assert row.investment == sum((i.investment.get(row.year, D(0)) for i in items), D(0))
        assert row.permanent == sum((i.permanent.get(row.year, D(0)) for i in items), D(0))
    assert p.investment == sum((i.total_investment for i in items), D(0))
    assert p.net == p.investment + p.permanent
    assert p.years[-1].cumulative_net == p.net if p.years else p.net == 0


@given(items_st, st.dictionaries(st.integers(min_value=2021, max_value=2024),
                                 st.integers(min_value=0, max_value=5000).map(D), max_size=4),
       st.sampled_from(["payback", "npv_per_krone"]))  # fmt: skip
def test_the_suggestion_fits_the_budget(items, budget, criterion):
    chosen = set(suggest(items, budget, criterion))
    p = portfolio([i for i in items if i.key in chosen], budget)
    assert p.over_budget_years == ()


def test_portfolio_worked_example():
    """Budget 3.000 in 2021 and 2022. A: 2.000 in 2021, payback 3; B: 1.500 in 2021,
    payback 2; C: 1.000 in 2022, no payback. By payback: B (1.500 <= 3.000), then A
    (1.500 + 2.000 = 3.500 > 3.000: skipped), then C (1.000 in 2022): B and C.
    Portfolio of B and C: 2021 investment 1.500, left 1.500; 2022 1.000, left 2.000."""
    a = PortfolioItem("A", "", {2021: D(2000)}, {2022: D(-900)}, 3, D(500))
    b = PortfolioItem("B", "", {2021: D(1500)}, {2022: D(-1000)}, 2, D(400))
    c = PortfolioItem("C", "", {2022: D(1000)}, {}, None, D(-1000))
    budget = {2021: D(3000), 2022: D(3000)}
    assert [i.key for i in rank([a, b, c], "payback")] == ["B", "A", "C"]
    assert suggest([a, b, c], budget, "payback") == ("B", "C")
    # NPV per krone: A 500/2.000 = 0,25, B 400/1.500 = 0,267, C negative: B, A, C
    assert [i.key for i in rank([a, b, c], "npv_per_krone")] == ["B", "A", "C"]
    p = portfolio([b, c], budget)
    assert [(r.year, r.investment, r.left) for r in p.years] == [
        (2021, D(1500), D(1500)),
        (2022, D(1000), D(2000)),
    ]
    assert p.budget == D(6000)
    assert p.left == D(3500)
