"""Amounts a distribution row or a specification row holds outside the proposal's years
were kept but not reported (only a line's and an admin line's were: `amount_outside_span`),
and an allocated distribution row dropped them, so no table could print them. Now every
part of a proposal reports them alike, the engine's figures still leave them out, and an
allocated row keeps them apart (`AllocatedRow.outside`) for the tables that print them."""

from decimal import Decimal as D

from finance import engine
from finance.engine import Case, Distribution, DistributionRow, Line, Specification
from finance.technical_annex import compute_technical_annex, table_years

YEARS = (2016, 2017, 2018, 2019)
SAVING = Line("permanent", "saving", "service", "Besparelse",
              {2016: D(-100), 2017: D(-200), 2018: D(-300), 2019: D(-300)})  # fmt: skip


def outside_checks(figures):
    return [(c.field, c.year, c.stated, c.detail.get("label")) for c in figures.checks
            if c.code == "amount_outside_span"]  # fmt: skip


def test_distribution_rows_outside_the_span_are_reported_and_kept_apart():
    rows = (
        DistributionRow("KFU", amounts={2017: D(-80), 2018: D(-200), 2019: D(-250), 2020: D(-250)}),
        DistributionRow("BUU", amounts={2017: D(-20), 2018: D(-100), 2019: D(-50), 2020: D(-50)}),
    )
    case = Case(
        YEARS, (SAVING,), distributions=(Distribution("permanent_saving", "amounts", rows),)
    )
    figures = engine.compute(case)
    assert outside_checks(figures) == [
        ("permanent_saving", 2020, D(-250), "KFU"),
        ("permanent_saving", 2020, D(-50), "BUU"),
    ]
    kfu, buu = figures.distributions[0].rows
    assert kfu.amounts == {2016: None, 2017: D(-80), 2018: D(-200), 2019: D(-250)}
    assert kfu.outside == {2020: D(-250)} and buu.outside == {2020: D(-50)}
    assert figures.distributions[0].total == {2016: D(-100), 2017: D(-200), 2018: D(-300),
                                              2019: D(-300)}  # fmt: skip
    message = next(c for c in figures.checks if c.code == "amount_outside_span").message
    assert message == (
        "Fordelingen af besparelser (varige), rækken »KFU«, har et beløb i 2020, "
        "uden for forslagets år"
    )


def test_specification_rows_outside_the_span_are_reported():
    specs = (Specification("Del a", {2016: D(-100)}), Specification("Del b", {2021: D(-9)}))
    line = Line("permanent", "saving", "service", "Besparelse", {2016: D(-100)}, specs)
    figures = engine.compute(Case(YEARS, (line,)))
    assert outside_checks(figures) == [("permanent", 2021, D(-9), "Del b")]
    check = next(c for c in figures.checks if c.code == "amount_outside_span")
    assert check.message == (
        "Specifikationen »Del b« under linjen »Besparelse« har et beløb i 2021, "
        "uden for forslagets år"
    )
    assert figures.permanent_total == {2016: D(-100), 2017: None, 2018: None, 2019: None}


def test_the_technical_annex_holds_the_rows_outside_the_span_and_tables_show_their_years():
    rows = (DistributionRow("KFU", amounts={2017: D(-200), 2018: D(-300), 2019: D(-300),
                                            2020: D(-300)}),)  # fmt: skip
    case = Case(
        YEARS, (SAVING,), distributions=(Distribution("permanent_saving", "amounts", rows),)
    )
    annex = compute_technical_annex(engine.compute(case), lambda row: row.committee)
    assert annex.outside == (2020,)
    assert annex.savings["KFU"] == {2016: None, 2017: D(-200), 2018: D(-300), 2019: D(-300),
                                    2020: D(-300)}  # fmt: skip
    assert annex.total("savings")[2020] == D(-300)
    assert annex.appropriation_effect["KFU"].keys() == set(YEARS)  # computed: the span only
    assert table_years(YEARS, annex.savings.values()) == (2017, 2018, 2019, 2020)
    assert table_years(YEARS, [{2017: D(1)}]) == YEARS  # nothing outside: the span
