"""Unit tests of finance.engine on real figures (no database)."""

from decimal import Decimal as D

import pytest
from finance_catalogs import case_from_proposal, proposal

from finance.engine import (
    BASES,
    CAPITAL,
    COST,
    IMPLEMENTATION,
    OPERATING,
    PERMANENT,
    SAVING,
    SERVICE,
    SUBJECTS,
    TRANSFERS,
    AdminLine,
    Case,
    Check,
    Distribution,
    DistributionRow,
    Line,
    PrintedDetail,
    PrintedDistribution,
    PrintedDistributionRow,
    Specification,
    Stated,
    allocate_distribution,
    check_overview,
    compute,
    first_year_with_amount,
    overview_row,
    payback,
    reconcile,
    subject_total,
    sum_lines,
)

CITIZEN = "citizen-2018.json"
INNOVATION = "innovation-2020.json"
INVESTMENT = "investment-2021-part1.json"


def figures_of(catalog, number):
    return compute(case_from_proposal(proposal(catalog, number)))


def series(figures_values, years):
    return [figures_values[y] for y in years]


def stated_mismatches(figures):
    return [c for c in figures.checks if c.code == "stated_mismatch"]


def test_constants():
    assert (PERMANENT, IMPLEMENTATION, SAVING, COST) == (
        "permanent",
        "implementation",
        "saving",
        "cost",
    )
    assert (SERVICE, TRANSFERS, CAPITAL, OPERATING) == (
        "service",
        "transfers",
        "capital",
        "operating",
    )
    assert SUBJECTS == (
        "permanent_saving",
        "permanent_cost",
        "permanent",
        "permanent_service_saving",
        "permanent_service_cost",
        "implementation_capital",
        "implementation_service",
        "implementation_operating",
        "implementation",
    )
    assert BASES == ("weights", "amounts")


# --------------------------------------------------------------------------- Citizen 2018


def test_citizen_1_totals_and_payback():
    f = figures_of(CITIZEN, "1")
    years = [2016, 2017, 2018, 2019]
    assert f.years == tuple(years)
    assert series(f.permanent_total, years) == [D(-338), D(-1013), D(-1688), D(-2363)]
    assert series(f.implementation_total, years) == [D(2350), D(2150), D(2150), D(2150)]
    assert series(f.net_total, years) == [D(2012), D(1137), D(462), D(-213)]
    assert series(f.cumulative_net, years) == [D(2012), D(3149), D(3611), D(3398)]
    # 3.398 - 2.363 = 1.035 in 2020 (year 5), -1.328 in 2021 (year 6)
    assert f.payback_years_total == 6
    assert f.payback_years_service == 6  # area not stated = service
    assert series(f.permanent_by_area[SERVICE], years) == series(f.permanent_total, years)
    assert series(f.permanent_by_area[TRANSFERS], years) == [None] * 4
    assert series(f.implementation_by_area[CAPITAL], years) == [D(200), D(0), D(0), D(0)]
    assert series(f.implementation_by_area[OPERATING], years) == [D(2150)] * 4
    assert series(f.implementation_by_area[SERVICE], years) == [None] * 4
    assert f.full_effect == {"service": D(-2363), "transfers": D(0), "total": D(-2363)}
    assert f.investment == {"service": D(8600), "capital": D(200), "total": D(8800)}


def test_citizen_1_net_printed_one_too_high():
    f = figures_of(CITIZEN, "1")
    assert [c.as_dict() for c in stated_mismatches(f)] == [
        {"code": "stated_mismatch", "field": "net_total", "year": "2016",
         "stated": D(2013), "computed": D(2012)},
        {"code": "stated_mismatch", "field": "net_total", "year": "2017",
         "stated": D(1138), "computed": D(1137)},
        {"code": "stated_mismatch", "field": "net_total", "year": "2018",
         "stated": D(463), "computed": D(462)},
    ]  # fmt: skip
    assert stated_mismatches(f)[0].message == (
        "Samlet økonomisk påvirkning 2016: trykt 2.013, beregnet 2.012"
    )


def test_citizen_2_payback_cumulative_exactly_zero_is_not_paid_back():
    f = figures_of(CITIZEN, "2")
    years = [2016, 2017, 2018, 2019]
    assert series(f.net_total, years) == [D(0), D(-450), D(-1450), D(-1450)]
    assert series(f.cumulative_net, years) == [D(0), D(-450), D(-1900), D(-3350)]
    assert f.payback_years_total == 2
    assert stated_mismatches(f) == []


def test_citizen_3_payback_printed_one_year_too_high():
    f = figures_of(CITIZEN, "3")
    years = [2016, 2017, 2018, 2019]
    assert series(f.permanent_total, years) == [D(-1225), D(-1850), D(-3425), D(-3425)]
    assert series(f.implementation_total, years) == [D(7680), D(3720), D(1525), D(400)]
    assert series(f.cumulative_net, years) == [D(6455), D(8325), D(6425), D(3400)]
    assert f.payback_years_total == 5  # 3.400 - 3.425 = -25 in 2020
    assert stated_mismatches(f) == [
        Check("stated_mismatch", field="payback_years", stated=6, computed=5)
    ]
    assert stated_mismatches(f)[0].message == "Tilbagebetalingstid: trykt 6 år, beregnet 5 år"


def test_citizen_4_payback_printed_one_year_too_high():
    f = figures_of(CITIZEN, "4")
    years = [2016, 2017, 2018, 2019]
    assert series(f.cumulative_net, years) == [D(1200), D(2822), D(1466), D(-40)]
    assert f.payback_years_total == 4
    assert stated_mismatches(f) == [
        Check("stated_mismatch", field="payback_years", stated=5, computed=4)
    ]


# --------------------------------------------------------------------------- Investment 2021


def test_investment_bc01():
    f = figures_of(INVESTMENT, "BC01")
    assert (f.payback_years_service, f.payback_years_total) == (6, 6)
    assert f.cumulative_net[2026] == D(-107)
    assert f.investment == {"service": D(0), "capital": D(5580), "total": D(5580)}
    assert overview_row(f) == {
        "investment_service": D("0.0"),
        "investment_capital": D("5.6"),
        "full_effect_service": D("1.0"),
        "full_effect_transfers": D("0.0"),
        "payback_years": 6,
        "innovation_pool": D("5.6"),
    }


def test_investment_bc11_service_and_total_payback_and_printed_total():
    f = figures_of(INVESTMENT, "BC11")
    years = list(range(2020, 2026))
    assert f.payback_years_service == 5
    assert f.payback_years_total == 2
    assert series(f.permanent_total, years) == [None] + [D(-3530)] * 5
    assert f.permanent_by_area[SERVICE][2021] == D(-487)
    assert f.permanent_by_area[TRANSFERS][2021] == D(-3043)
    assert f.full_effect == {"service": D(-487), "transfers": D(-3043), "total": D(-3530)}
    assert series(f.cumulative_net, years)[:2] == [D(640), D(-1740)]
    assert series(f.admin_total, years) == [None] + [D(1285)] * 5
    mismatches = {(c.field, c.year): (c.stated, c.computed) for c in stated_mismatches(f)}
    expected = {("permanent_total", y): (D(-3529), D(-3530)) for y in years[1:]}
    expected[("net_total", 2021)] = (D(-2379), D(-2380))
    expected |= {("net_total", y): (D(-3529), D(-3530)) for y in years[2:]}
    assert mismatches == expected
    row = overview_row(f)
    assert row["full_effect_service"] == D("0.5")
    assert row["full_effect_transfers"] == D("3.0")
    assert row["payback_years"] == 5


def test_investment_bc12_empty_first_column_does_not_count():
    f = figures_of(INVESTMENT, "BC12")
    case = case_from_proposal(proposal(INVESTMENT, "BC12"))
    assert f.years[0] == 2020
    assert first_year_with_amount(case) == 2021
    assert f.net_total[2020] is None
    assert f.cumulative_net[2020] is None
    assert f.cumulative_net[2025] == D(400)
    assert (f.payback_years_service, f.payback_years_total) == (6, 6)
    assert stated_mismatches(f) == []


def test_investment_bc03_zero_or_empty():
    f = figures_of(INVESTMENT, "BC03")
    assert f.payback_years_service == 5
    assert f.permanent_total[2020] is None
    assert f.net_total[2020] == D(2610)


def test_innovation_bc07_lines_one_more_than_print():
    f = figures_of(INNOVATION, "BC07")
    assert f.implementation_total[2020] == D(1412)
    assert f.payback_years_total is None
    assert f.payback_years_service is None
    assert overview_row(f)["innovation_pool"] == D("4.2")


# --------------------------------------------------------------------------- payback rule


def pb(permanent, implementation, years=(2021, 2022, 2023, 2024), start=2021):
    return payback(years, {**dict.fromkeys(years), **permanent}, implementation, start)


def test_payback_basic_extension():
    # 5.580 investment, savings -517 then -1.034 every year (BC01)
    years = tuple(range(2021, 2027))
    perm = {2021: D(-517)} | {y: D(-1034) for y in years[1:]}
    assert payback(years, perm, {2021: D(5580)}, 2021) == 6
    # same table cut after 2023: the extension continues -1.034 a year
    assert payback(years[:3], perm, {2021: D(5580)}, 2021) == 6


def test_payback_far_extension_is_arithmetic():
    years = (2020, 2021)
    # cumulative 10**9 - 1 after 2021, then -1 a year: negative 10**9 years later
    assert payback(years, {2021: D(-1)}, {2020: D(10) ** 9}, 2020) == 10**9 + 2
    # cumulative 0,99 after 2021: exactly 0 after 99 more years (not paid back), -0,01 after 100
    assert payback(years, {2021: D("-0.01")}, {2020: D(1)}, 2020) == 102


def test_payback_none_without_lasting_saving():
    assert pb({2021: D(-100), 2024: D(10)}, {}) is None  # continuing cost
    assert pb({2021: D(-100), 2022: D(100)}, {}) is None  # continuing 0, cumulative 0
    assert pb({}, {2021: D(100)}) is None
    assert payback((2021,), {}, {}, None) is None


def test_payback_cumulative_zero_at_end_continuing_zero_is_none():
    assert pb({2024: D(0)}, {2021: D(100), 2022: D(-100)}) is None
    assert pb({2021: D(-50), 2022: D(-50)}, {2021: D(100)}) is None


def test_payback_continuing_zero_with_negative_cumulative():
    # cumulative -50 from 2022 on, nothing continues: paid back in year 2
    assert pb({2021: D(-50), 2022: D(-50)}, {2021: D(50)}) == 2
    # dips below 0 in 2022, back to 0 in 2023, below again in 2024
    assert pb({2022: D(-10), 2023: D(10), 2024: D(-1)}, {}) == 4


def test_payback_start_year_counts_as_one():
    assert pb({2021: D(-1)}, {}) == 1
    assert pb({2022: D(-1), 2023: D(-1), 2024: D(-1)}, {}, start=2022) == 1


# --------------------------------------------------------------------------- sums and checks


def test_sum_lines_absent_is_none_zero_is_zero():
    lines = [
        Line(PERMANENT, SAVING, SERVICE, "a", {2021: D(-5)}),
        Line(PERMANENT, COST, None, "b", {2021: D(2), 2022: D(0)}),
    ]
    assert sum_lines(lines, (2020, 2021, 2022)) == {2020: None, 2021: D(-3), 2022: D(0)}


def test_line_normalizes_amounts_and_refuses_float():
    line = Line(PERMANENT, SAVING, None, "x", {"2021": 5, "2022": None})
    assert line.amounts == {2021: D(5)}
    with pytest.raises(TypeError):
        Line(PERMANENT, SAVING, None, "x", {2021: -1.5})
    with pytest.raises(ValueError):
        Line(PERMANENT, SAVING, OPERATING, "x", {})
    with pytest.raises(ValueError):
        Line("other", SAVING, None, "x", {})


def test_subject_total():
    lines = [
        Line(PERMANENT, SAVING, SERVICE, "s", {2021: D(-10)}),
        Line(PERMANENT, COST, TRANSFERS, "c", {2021: D(3)}),
        Line(IMPLEMENTATION, COST, None, "i1", {2021: D(7)}),
        Line(IMPLEMENTATION, COST, SERVICE, "i2", {2021: D(1)}),
        Line(IMPLEMENTATION, COST, OPERATING, "i3", {2021: D(20)}),
        Line(IMPLEMENTATION, COST, CAPITAL, "i4", {2022: D(100)}),
    ]
    years = (2021, 2022)
    expected = {
        "permanent_saving": {2021: D(-10), 2022: None},
        "permanent_cost": {2021: D(3), 2022: None},
        "permanent": {2021: D(-7), 2022: None},
        "implementation_capital": {2021: None, 2022: D(100)},
        "implementation_service": {2021: D(8), 2022: None},
        "implementation_operating": {2021: D(20), 2022: None},
        "implementation": {2021: D(28), 2022: D(100)},
    }
    for subject, values in expected.items():
        assert subject_total(lines, subject, years) == values, subject
    figures = compute(Case(years=years, lines=tuple(lines)))
    assert figures.investment == {"service": D(28), "capital": D(100), "total": D(128)}
    assert figures.full_effect == {"service": D(0), "transfers": D(0), "total": D(0)}


def test_line_checks():
    case = Case(
        years=(2021, 2022),
        lines=(
            Line(PERMANENT, SAVING, SERVICE, "empty", {}),
            Line(PERMANENT, SAVING, SERVICE, "late", {2022: D(-1), 2023: D(-1)}),
            Line(PERMANENT, SAVING, SERVICE, "positive saving", {2021: D(5)}),
            Line(IMPLEMENTATION, COST, CAPITAL, "negative cost", {2022: D(-5)}),
        ),
        admin_lines=(AdminLine("printed empty", {}),),
    )
    f = compute(case)
    got = [(c.code, c.year, c.detail.get("label")) for c in f.checks]
    assert got == [
        ("line_without_amounts", None, "empty"),
        ("amount_outside_span", 2023, "late"),
        ("sign_mismatch", 2021, "positive saving"),
        ("sign_mismatch", 2022, "negative cost"),
    ]
    # the amount outside the span is in no total
    assert f.permanent_total == {2021: D(5), 2022: D(-1)}
    assert all(c.message for c in f.checks)


def test_reconcile_printed_empty_and_computed_none():
    years = (2021, 2022, 2023)
    case = Case(
        years=years,
        lines=(
            Line(PERMANENT, SAVING, SERVICE, "s", {2021: D(0), 2022: D(-5), 2023: D(-5)}),
            Line(IMPLEMENTATION, COST, CAPITAL, "i", {2021: D(10)}),
        ),
        stated=Stated(
            # 2021: printed empty, computed 0 -> fine; 2023 printed empty but -5 -> check
            permanent_total={2022: D(-5)},
            # 2022: printed 0, computed None -> fine; 2023 printed 3, computed None -> check
            implementation_total={2021: D(10), 2022: D(0), 2023: D(3)},
            net_total=None,  # not printed: not compared
            payback_years_service=4,  # cumulative 10, 5, 0, then -5 in 2024
            payback_years_total=None,
        ),
    )
    f = compute(case)
    assert f.payback_years_service == 4
    assert [c.as_dict() for c in f.checks] == [
        {"code": "stated_mismatch", "field": "permanent_total", "year": "2023",
         "computed": D(-5)},
        {"code": "stated_mismatch", "field": "implementation_total", "year": "2023",
         "stated": D(3)},
    ]  # fmt: skip
    assert reconcile(None, f) == []
    assert reconcile(Stated(payback_years=3), f) == [
        Check("stated_mismatch", field="payback_years", stated=3, computed=4)
    ]


def test_check_messages():
    assert Check("stated_mismatch", "payback_years_total", None, 3, None).message == (
        "Tilbagebetalingstid (totaløkonomi): trykt 3 år, beregnet ingen"
    )
    assert Check("stated_mismatch", "net_total", 2016, D(2013), D(2012)).as_dict() == {
        "code": "stated_mismatch",
        "field": "net_total",
        "year": "2016",
        "stated": D(2013),
        "computed": D(2012),
    }


def test_service_subjects_cover_only_the_service_lines():
    """investment 2021 BC11: "Effektivisering samt varige driftsomkostninger, service"
    splits the service savings (-1.772), not the transfers (-2.512, -531)."""
    lines = (
        Line(PERMANENT, SAVING, SERVICE, "Økonomisk friplads", {2021: D(-1772)}),
        Line(PERMANENT, SAVING, TRANSFERS, "Sociale ydelser", {2021: D(-2512)}),
        Line(PERMANENT, SAVING, TRANSFERS, "Boligsikring", {2021: D(-531)}),
        Line(PERMANENT, COST, None, "Drift af løsning", {2021: D(185)}),
        Line(PERMANENT, COST, SERVICE, "To årsværk", {2021: D(1100)}),
        Line(PERMANENT, COST, TRANSFERS, "x", {2021: D(7)}),
    )
    years = (2021,)
    assert subject_total(lines, "permanent_service_saving", years) == {2021: D(-1772)}
    assert subject_total(lines, "permanent_service_cost", years) == {2021: D(1285)}
    assert subject_total(lines, "permanent_saving", years) == {2021: D(-4815)}
    f = compute(
        Case(
            years=years,
            lines=lines,
            distributions=(
                Distribution(
                    "permanent_service_saving",
                    "amounts",
                    (DistributionRow("BUU", amounts={2021: D(-1772)}),),
                ),
                Distribution(
                    "permanent_service_cost",
                    "weights",
                    (DistributionRow("KFU", weight=D(1100)), DistributionRow("ØU", weight=D(185))),
                ),
            ),
        )
    )
    assert [c for c in f.checks if c.code.startswith("distribution")] == []
    cost = f.distributions[1]
    assert [r.amounts[2021] for r in cost.rows] == [D(1100), D(185)]


def test_distribution_check_names_the_subject_in_danish():
    check = Check("distribution_amounts_mismatch", "permanent_saving", 2021, D(-508), D(-517))
    assert check.message == (
        "Fordelingen af besparelser (varige) 2021: rækkerne giver -508, men i alt er -517"
    )
    assert Check("distribution_no_weights", field="permanent_service_cost").message == (
        "Fordelingen af omkostninger på service (varige) har ingen fordelingsnøgle "
        "(alle vægte er 0)"
    )


# --------------------------------------------------------------------------- distributions


def test_distribution_by_weights():
    years = (2021, 2022)
    lines = (Line(PERMANENT, SAVING, SERVICE, "Energi", {2021: D(-517), 2022: D(-1034)}),)
    rows = (
        DistributionRow("BUU", weight=D(70754), account="3170"),
        DistributionRow("SOU", weight=D(12445)),
        DistributionRow("TMU", weight=D(963)),
    )
    case = Case(
        years=years, lines=lines, distributions=(Distribution("permanent", "weights", rows),)
    )
    f = compute(case)
    (dist,) = f.distributions
    assert dist.total == {2021: D(-517), 2022: D(-1034)}
    amounts = {row.committee: row.amounts for row in dist.rows}
    assert amounts["BUU"] == {2021: D(-435), 2022: D(-869)}
    assert amounts["SOU"] == {2021: D(-76), 2022: D(-153)}
    assert amounts["TMU"] == {2021: D(-6), 2022: D(-12)}
    for year in years:
        assert sum(row.amounts[year] for row in dist.rows) == dist.total[year]
    assert dist.rows[0].account == "3170"
    assert f.checks == ()


def test_distribution_by_weights_keeps_decimals_of_total():
    years = (2021,)
    dist, checks = allocate_distribution(
        Distribution("permanent_saving", "weights", (DistributionRow("A", weight=D(1)),
                                                     DistributionRow("B", weight=D(2)))),
        {2021: D("-10.01")},
        years,
    )  # fmt: skip
    assert [row.amounts[2021] for row in dist.rows] == [D("-3.34"), D("-6.67")]
    assert checks == []


def test_distribution_no_weights():
    dist, checks = allocate_distribution(
        Distribution(
            "implementation", "weights", (DistributionRow("A"), DistributionRow("B", weight=D(0)))
        ),
        {2021: D(10), 2022: D(0), 2023: None},
        (2021, 2022, 2023),
    )  # fmt: skip
    assert checks == [Check("distribution_no_weights", field="implementation")]
    assert dist.rows[0].amounts == {2021: None, 2022: D(0), 2023: None}


def test_distribution_negative_weight_is_a_check_not_a_crash():
    _dist, checks = allocate_distribution(
        Distribution("implementation", "weights", (DistributionRow("A", weight=D(-1)),)),
        {2021: D(10)},
        (2021,),
    )
    assert [c.code for c in checks] == ["distribution_negative_weight"]


def test_distribution_by_amounts_mismatch_is_reported_not_fixed():
    rows = (
        DistributionRow("KFU", amounts={2021: D(1100), 2022: D(1100)}),
        DistributionRow("ØU", "Koncern IT", amounts={2021: D(185), 2022: D(180)}),
    )
    dist, checks = allocate_distribution(
        Distribution("permanent_cost", "amounts", rows),
        {2020: None, 2021: D(1285), 2022: D(1285)},
        (2020, 2021, 2022),
    )
    assert checks == [
        Check(
            "distribution_amounts_mismatch",
            field="permanent_cost",
            year=2022,
            stated=D(1280),
            computed=D(1285),
        )
    ]
    assert dist.rows[1].amounts == {2020: None, 2021: D(185), 2022: D(180)}
    assert dist.rows[1].key == ("ØU", "Koncern IT")


def test_distribution_result_independent_of_row_order():
    rows = [DistributionRow(c, weight=D(1)) for c in ("SUD", "BUU", "KFU")]
    dist = Distribution("permanent", "weights", tuple(rows))
    rev = Distribution("permanent", "weights", tuple(reversed(rows)))
    a, _ = allocate_distribution(dist, {2021: D(100)}, (2021,))
    b, _ = allocate_distribution(rev, {2021: D(100)}, (2021,))
    assert {r.committee: r.amounts for r in a.rows} == {r.committee: r.amounts for r in b.rows}


def test_printed_distribution_checks():
    rows = (
        PrintedDistributionRow("ØU", "saving", D("50"), {2021: D("-10.5")}),
        PrintedDistributionRow("KFU", "saving", D("49.99"), {2021: D("-10.49")}),
        PrintedDistributionRow("I alt", "saving", D(100), {2021: D("-21.00")}, is_total=True),
        PrintedDistributionRow("ØU", "cost", D(0), {2021: D(0)}),
        PrintedDistributionRow("I alt", "cost", None, {2021: D(0)}, is_total=True),
    )
    f = compute(Case(years=(2021,), printed_distributions=(PrintedDistribution("Tabel 3", rows),)))
    assert [c.as_dict() for c in f.checks] == [
        {"code": "printed_keys_not_100", "caption": "Tabel 3", "row_kind": "saving",
         "sum": D("99.99")},
        {"code": "printed_distribution_mismatch", "year": "2021", "stated": D("-21.00"),
         "computed": D("-20.99"), "caption": "Tabel 3", "row_kind": "saving"},
    ]  # fmt: skip


def test_printed_detail_checks_its_total_and_rows_that_are_no_line():
    """Innovation 2020 BC11's "Table 1": the total 550 where its rows give 650, and a
    KEID row 150/150/75 where table 1.1 has 225/225; a row equal to a line (other label)
    and a row that specifies a line are no finding."""
    lines = (  # fmt: skip
        Line(IMPLEMENTATION, COST, SERVICE, "Projekttressourcer KFF",
             {2020: D(300), 2021: D(300), 2022: D(150)}),
        Line(IMPLEMENTATION, COST, SERVICE, "Projekttressourcer KEID",
             {2020: D(225), 2021: D(225)}),
        Line(IMPLEMENTATION, COST, SERVICE, "IT", {2020: D(200), 2021: D(100)},
             specifications=(Specification("IT a", {2020: D(150)}),
                             Specification("IT b", {2020: D(50), 2021: D(100)}))),
    )
    rows = (
        PrintedDistributionRow("Digitale projekt kompetencer KFF", None, None,
                               {2020: D(300), 2021: D(300), 2022: D(150)}),
        PrintedDistributionRow("Digitale projekt kompetencer KEID", None, None,
                               {2020: D(150), 2021: D(150), 2022: D(75)}),
        PrintedDistributionRow("IT b", None, None, {2020: D(50), 2021: D(100)}),
        PrintedDistributionRow("Investeringer totalt, service", None, None,
                               {2020: D(550), 2021: D(550), 2022: D(225)}, is_total=True),
    )
    printed = PrintedDetail("Table 1. Serviceinvesteringer i forslaget", IMPLEMENTATION, rows)
    f = compute(Case(years=(2020, 2021, 2022), lines=lines, printed_details=(printed,)))
    caption = "Table 1. Serviceinvesteringer i forslaget"
    assert [c.as_dict() for c in f.checks] == [
        {"code": "printed_detail_mismatch", "year": "2020", "stated": D(550), "computed": D(500),
         "caption": caption},
        *[{"code": "printed_detail_row_unmatched", "field": IMPLEMENTATION, "year": str(y),
           "stated": D(v), "caption": caption, "label": "Digitale projekt kompetencer KEID"}
          for y, v in ((2020, 150), (2021, 150), (2022, 75))],
    ]  # fmt: skip
    assert f.checks[1].message == (
        "Table 1. Serviceinvesteringer i forslaget, »Digitale projekt kompetencer KEID« 2020: "
        "trykt 150, men rækken er hverken en linje i tabel 1.1 eller en specifikation af en"
    )
    # the same table in the permanent section: no line there, every row is a finding
    other = compute(Case(years=(2020, 2021, 2022), lines=lines, printed_details=(
        PrintedDetail("T", PERMANENT, rows[:1]),)))  # fmt: skip
    assert [c.code for c in other.checks] == ["printed_detail_row_unmatched"] * 3
    # rows that add up to a line stored without specifications (an older database) break
    # it down, as the import reads them: no finding
    plain = (Line(IMPLEMENTATION, COST, SERVICE, "IT", {2020: D(200), 2021: D(100)}),)
    split = (
        PrintedDistributionRow("IT a", None, None, {2020: D(150)}),
        PrintedDistributionRow("IT b", None, None, {2020: D(50), 2021: D(100)}),
    )
    assert compute(Case(years=(2020, 2021), lines=plain, printed_details=(
        PrintedDetail("T", IMPLEMENTATION, split),))).checks == ()  # fmt: skip


# --------------------------------------------------------------------------- overview


def test_check_overview():
    f = figures_of(INNOVATION, "BC09")
    printed = {"number": "BC09", "title": "…", "innovation_pool": D("0.7"), "payback_years": None}
    checks = check_overview(printed, f, "BC09")
    assert checks == [
        Check(
            "overview_mismatch",
            field="innovation_pool",
            stated=D("0.7"),
            computed=D("0.8"),
            detail={"number": "BC09"},
        )
    ]
    assert (
        checks[0].message == "Oversigten, forslag BC09, innovationspuljen: trykt 0,7, beregnet 0,8"
    )
    assert check_overview({"innovation_pool": D("0.8")}, f, "BC09") == []


def test_investment_by_year_counts_operating_and_unstated_as_service():
    from decimal import Decimal as D

    from finance.engine import Case, Line, compute

    figures = compute(
        Case(
            years=(2021, 2022),
            lines=(
                Line("implementation", "cost", "service", "a", {2021: D(100)}),
                Line("implementation", "cost", "operating", "b", {2021: D(20), 2022: D(5)}),
                Line("implementation", "cost", None, "c", {2022: D(1)}),
                Line("implementation", "cost", "capital", "d", {2021: D(300)}),
            ),
        )
    )
    assert figures.investment_by_year == {
        "service": {2021: D(120), 2022: D(6)},
        "capital": {2021: D(300), 2022: None},
    }
    assert (
        sum(v for v in figures.investment_by_year["service"].values() if v)
        == (figures.investment["service"])
    )
