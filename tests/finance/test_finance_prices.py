"""Price levels beyond single amounts (issue 14): the index chained from the published
yearly rises, a whole proposal converted (`convert_case`), rows kept at different price
levels converted to one (`convert_rows`, `convert_sums`), and the base scenario of the
appraisal that lists store. Property tests (hypothesis) and worked examples by hand."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.appraisal import FM_2021, appraise, base_scenario, flat_rate
from finance.engine import Case, Line, Specification, compute
from finance.prices import (
    CAPITAL_SERIES,
    SERVICE_SERIES,
    PriceLevelError,
    chain_index,
    convert_case,
    convert_overview,
    convert_rows,
    convert_sums,
    factor,
)
from finance.rounding import round_fraction_half_up

money = st.integers(min_value=-300000, max_value=300000).map(lambda n: D(n).scaleb(-2))
index_values = st.integers(min_value=500, max_value=2000).map(lambda n: D(n).scaleb(-1))
YEARS = (2021, 2022, 2023)


# --------------------------------------------------------------------------- worked examples


def test_chain_index_worked_example():
    """Økonomistyrelsen's general rise: 2011 +1,3 %, 2012 +1,6 %; 2010 = 100:
    100 * 1,013 = 101,3; 101,3 * 1,016 = 102,9208 (by hand)."""
    assert chain_index({2011: "1.3", 2012: "1.6"}, 2010) == {
        2010: D("100.0000"),
        2011: D("101.3000"),
        2012: D("102.9208"),
    }
    with pytest.raises(PriceLevelError, match="2012 mangler"):
        chain_index({2011: "1.3", 2013: "1.6"}, 2010)


def test_convert_case_worked_example():
    """BC01 (2021 p/l) in 2024 p/l by the index 112,1065 -> 124,6443. By hand:
    -517 * 124,6443 / 112,1065 = -574,8204 -> -574,820; the anlæg investment
    5.580 -> 6.204,0577 -> 6.204,058 (no anlæg series: the service series)."""
    index = {2021: D("112.1065"), 2024: D("124.6443")}
    case = Case(
        years=(2021, 2022),
        lines=(
            Line("permanent", "saving", "service", "Energi", {2021: D(-517), 2022: D(-1034)}),
            Line("implementation", "cost", "capital", "Anlæg", {2021: D(5580)}),
        ),
    )
    converted = convert_case(case, {SERVICE_SERIES: index}, 2021, 2024)
    assert converted.lines[0].amounts == {2021: D("-574.820"), 2022: D("-1149.641")}
    assert converted.lines[1].amounts == {2021: D("6204.058")}
    # with an anlæg series covering both years the anlæg line follows it: 5.580 * 1,10
    capital = {2021: D("100"), 2024: D("110")}
    both = convert_case(case, {SERVICE_SERIES: index, CAPITAL_SERIES: capital}, 2021, 2024)
    assert both.lines[1].amounts == {2021: D("6138.000")}
    assert both.lines[0].amounts == converted.lines[0].amounts
    with pytest.raises(PriceLevelError, match="2030"):
        convert_case(case, {SERVICE_SERIES: index}, 2030, 2024)


def test_convert_sums_worked_example():
    """0,5 mio. kr. in 2020 p/l and 0,5 in 2021 p/l, in 2021 p/l (index 110,7772 ->
    112,1065): 0,5 * 1,012 + 0,5 = 1,006 -> 1,0 (by hand)."""
    index = {2020: D("110.7772"), 2021: D("112.1065")}
    assert convert_sums({2020: D("0.5"), 2021: D("0.5")}, index, 2021, 1) == D("1.0")
    assert convert_sums({2020: None}, index, 2021, 1) is None


# --------------------------------------------------------------------------- properties


@st.composite
def cases(draw):
    """A case with a few permanent and implementation lines (some with specifications)."""
    lines = []
    for section, kind, area in (
        ("permanent", "saving", "service"),
        ("permanent", "saving", "transfers"),
        ("implementation", "cost", "service"),
        ("implementation", "cost", "capital"),
    ):
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            amounts = {y: draw(money) for y in YEARS if draw(st.booleans())}
            specs = ()
            if amounts and draw(st.booleans()):
                # two specification rows that add up to the line
                first = {y: draw(money) for y in amounts}
                specs = (
                    Specification("a", first),
                    Specification("b", {y: amounts[y] - first[y] for y in amounts}),
                )
            lines.append(Line(section, kind, area, "x", amounts, specs))
    return Case(years=YEARS, lines=tuple(lines))


@given(cases(), index_values, index_values)
def test_converted_lines_add_up_to_the_converted_section_totals(case, a, b):
    index = {2020: a, 2024: b}
    converted = convert_case(case, {SERVICE_SERIES: index}, 2020, 2024)
    f = factor(index, 2020, 2024)
    for section in ("permanent", "implementation"):
        for year in YEARS:
            old = [ln.amounts[year] for ln in case.lines if ln.section == section
                   and year in ln.amounts]  # fmt: skip
            new = [ln.amounts[year] for ln in converted.lines if ln.section == section
                   and year in ln.amounts]  # fmt: skip
            assert len(new) == len(old)
            if old:
                exact = sum((Fraction(v) for v in old), Fraction(0)) * f
                assert sum(new, D(0)) == round_fraction_half_up(exact, 3)
    for old_line, line in zip(case.lines, converted.lines, strict=True):
        # the specifications still add up to their (converted) line
        if old_line.specifications:
            for year, amount in line.amounts.items():
                parts = [s.amounts[year] for s in line.specifications]
                assert sum(parts, D(0)) == amount
    # so the engine finds nothing new to check in the converted case
    assert not [c for c in compute(converted).checks if c.code.startswith("specification")]


@given(
    st.dictionaries(
        st.text(alphabet="ABCDEFGH", min_size=1, max_size=2),
        st.tuples(
            st.sampled_from([2020, 2021, 2024]),
            st.dictionaries(st.sampled_from(["i", "s", "t"]), st.one_of(st.none(), money)),
        ),
        min_size=1,
        max_size=15,
    ),
    index_values,
    index_values,
    index_values,
)
def test_a_converted_catalogue_adds_up_to_its_converted_totals(rows, a, b, c):
    """A catalogue whose proposals are kept at different p/l, shown in one: every
    column's rows add up to its total, the total is the exact sum rounded once, and
    each row is within one unit of its own conversion."""
    index = {2020: a, 2021: b, 2024: c}
    converted, totals = convert_rows(rows, index, 2024, 1)
    columns = {col for _level, values in rows.values() for col in values}
    for col in columns:
        present = [k for k in rows if rows[k][1].get(col) is not None]
        if not present:
            assert totals[col] is None
            continue
        assert sum((converted[k][col] for k in present), D(0)) == totals[col]
        exact = sum(
            (Fraction(rows[k][1][col]) * factor(index, rows[k][0], 2024) for k in present),
            Fraction(0),
        )
        assert totals[col] == round_fraction_half_up(exact, 1)
        assert totals[col] == convert_sums(
            _by_level({k: rows[k] for k in present}, col), index, 2024, 1
        )
        for k in present:
            own = Fraction(rows[k][1][col]) * factor(index, rows[k][0], 2024)
            assert abs(Fraction(converted[k][col]) - own) < Fraction(1, 10)


def test_convert_overview_worked_example():
    """The overview rule of page, PDF and workbook. Service index 2021 100, 2024 110;
    anlæg index 2021 200, 2024 230 (factors 1,1 and 1,15). Two proposals in 2021 p/l:
    A: service 126, anlæg 1.000; B: service 126, anlæg 1.000 (1.000 kr.).
    Service: 138,6 each -> 0,1386 mio.; total 0,2772 -> 0,3; rows floor 0,1 + 0,1, the
    leftover 0,1 to the equal remainders' smaller key, A: 0,2 and 0,1.
    Anlæg by the anlæg series: 1.150 each -> 1,15 -> total 2,3, rows 1,2 (A) and 1,1.
    Innovation pool (126 + 1.000): 0,1386 + 1,15 = 1,2886 each -> total 2,6 (2,5772),
    rows 1,3 and 1,3. Full effect 0 -> 0,0."""
    indexes = {
        SERVICE_SERIES: {2021: D(100), 2024: D(110)},
        CAPITAL_SERIES: {2021: D(200), 2024: D(230)},
    }
    own = {
        "investment_service": D("126.00"),
        "investment_capital": D("1000.00"),
        "full_effect_service": D(0),
        "innovation_pool": D("1126.00"),
    }
    rows, totals = convert_overview({"A": (2021, own), "B": (2021, own)}, indexes, 2024)
    assert rows["A"] == {
        "investment_service": D("0.2"),
        "investment_capital": D("1.2"),
        "full_effect_service": D("0.0"),
        "innovation_pool": D("1.3"),
    }
    assert rows["B"]["investment_service"] == D("0.1")
    assert rows["B"]["investment_capital"] == D("1.1")
    assert rows["B"]["innovation_pool"] == D("1.3")
    assert totals == {
        "investment_service": D("0.3"),
        "investment_capital": D("2.3"),
        "full_effect_service": D("0.0"),
        "innovation_pool": D("2.6"),
    }
    # without an anlæg series for both years anlæg goes by the service series
    service_only = {SERVICE_SERIES: indexes[SERVICE_SERIES], CAPITAL_SERIES: {2024: D(230)}}
    _rows, totals = convert_overview({"A": (2021, own)}, service_only, 2024)
    assert totals["investment_capital"] == D("1.1")
    with pytest.raises(PriceLevelError, match="intet pris- og lønindeks for 2019"):
        convert_overview({"A": (2019, own)}, indexes, 2024)


@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=40),
        st.tuples(
            st.sampled_from([2020, 2021, 2024]),
            st.fixed_dictionaries(
                {
                    "investment_service": money,
                    "investment_capital": money,
                    "full_effect_service": st.one_of(st.none(), money),
                }
            ),
        ),
        min_size=1,
        max_size=15,
    ),
    index_values,
    index_values,
    index_values,
    st.booleans(),
)
def test_a_converted_overview_adds_up_and_converts_anlaeg_by_its_series(rows, a, b, c, anlaeg):
    """`convert_overview` (page, PDF, workbook, case list): each column's rows add up to
    its total, the total is the exact sum (anlæg by the anlæg series when it has both
    years, else by the service series) rounded once to mio. kr. with one decimal, and
    the innovation pool is the service part by the service series plus the rest by the
    anlæg one."""
    service = {2020: a, 2021: b, 2024: c}
    capital = {2020: c, 2021: a, 2024: b} if anlaeg else {2024: b}
    indexes = {SERVICE_SERIES: service, CAPITAL_SERIES: capital}
    rows = {
        k: (level, {**amounts, "innovation_pool": amounts["investment_service"] * 3})
        for k, (level, amounts) in rows.items()
    }
    converted, totals = convert_overview(rows, indexes, 2024)
    by = {"investment_capital": capital if anlaeg else service}
    for col in ("investment_service", "investment_capital", "full_effect_service"):
        present = [k for k in rows if rows[k][1][col] is not None]
        if not present:
            assert totals[col] is None
            continue
        assert sum((converted[k][col] for k in present), D(0)) == totals[col]
        index = by.get(col, service)
        exact = sum(
            (Fraction(rows[k][1][col]) * factor(index, rows[k][0], 2024) / 1000 for k in present),
            Fraction(0),
        )
        assert totals[col] == round_fraction_half_up(exact, 1)
    pool = sum(
        (
            Fraction(amounts["investment_service"]) * factor(service, level, 2024)
            + Fraction(amounts["investment_service"] * 2)
            * factor(capital if anlaeg else service, level, 2024)
            for level, amounts in rows.values()
        ),
        Fraction(0),
    )
    assert totals["innovation_pool"] == round_fraction_half_up(pool / 1000, 1)
    assert sum((r["innovation_pool"] for r in converted.values()), D(0)) == totals[
        "innovation_pool"
    ]


def _by_level(rows, col):
    sums: dict = {}
    for level, values in rows.values():
        sums[level] = sums.get(level, D(0)) + values[col]
    return sums


@given(money, index_values, index_values)
def test_converting_a_case_there_and_back_returns_the_input(amount, a, b):
    """One line (the general rule is `convert_amount`'s, tested beside it): there in
    whole kroner, back at the stored two decimals, the amount is the input."""
    index = {2020: a, 2024: b}
    case = Case(years=(2021,), lines=(Line("permanent", "saving", "service", "x",
                                           {2021: amount}),))  # fmt: skip
    there = convert_case(case, {SERVICE_SERIES: index}, 2020, 2024)
    back = convert_case(there, {SERVICE_SERIES: index}, 2024, 2020)
    assert back.lines[0].amounts[2021].quantize(D("0.01")) == amount


@given(cases(), st.sampled_from([FM_2021, flat_rate(D("3.5")), flat_rate(D(0))]),
       st.integers(min_value=1, max_value=30))  # fmt: skip
def test_base_scenario_is_the_first_row_of_the_appraisal(case, schedule, horizon):
    figures = compute(case)
    base = base_scenario(figures, schedule, horizon)
    full = appraise(figures, schedule, horizon)
    assert base == full.scenarios[0]
    assert (base.npv, base.discounted_payback_years) == (full.npv, full.discounted_payback_years)
