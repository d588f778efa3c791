"""finance.realisation: planned vs realised, the realised payback by the engine, flags,
committee split and the follow-up schedule (pure; no database)."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance import engine
from finance import realisation as r

YEARS = (2021, 2022, 2023, 2024, 2025, 2026)


def bc01_plan() -> engine.Case:
    """BC01 Belysningspakke 2d as printed: payback 6 on both bases."""
    return engine.Case(
        years=YEARS,
        lines=(
            engine.Line(
                "permanent", "saving", "service", "Energibesparelse",
                {2021: -517, 2022: -1034, 2023: -1034, 2024: -1034, 2025: -1034, 2026: -1034},
            ),
            engine.Line("implementation", "cost", "capital", "Anlægsinvestering", {2021: 5580}),
        ),
    )  # fmt: skip


def realised(saving: dict, investment: dict) -> list[engine.Line]:
    return [
        engine.Line("permanent", "saving", "service", "Energibesparelse", saving),
        engine.Line("implementation", "cost", "capital", "Anlægsinvestering", investment),
    ]


def test_plan_payback_is_the_engines():
    figures = engine.compute(bc01_plan())
    comparison = r.compare(figures, None)
    assert comparison.planned_payback_total == 6
    assert comparison.realised_payback_total is None
    assert comparison.reported_years == ()
    assert all(not y.reported and y.gap_permanent is None for y in comparison.years)


def test_realised_behind_plan_gap_flags_and_later_payback():
    plan = bc01_plan()
    lines = realised({2021: -400, 2022: -800}, {2021: 6000})
    real = r.realised_figures(plan, lines)
    assert real.years == (2021, 2022)
    comparison = r.compare(engine.compute(plan), real, threshold_pct=10)
    y21, y22 = comparison.years[0], comparison.years[1]
    assert y21.reported and y22.reported and not comparison.years[2].reported
    assert y21.gap_permanent == D(117)  # -400 - (-517)
    assert y21.gap_implementation == D(420)
    assert y21.gap_net == D(537)  # 5600 - 5063
    assert y22.gap_permanent == D(234)
    assert y21.realisation_pct == D("77.4")  # 400 / 517
    assert y22.realisation_pct == D("77.4")  # 800 / 1034 = 77.37
    assert comparison.behind_years == (2021, 2022)
    assert comparison.gap_permanent_to_date == D(351)
    assert comparison.gap_net_to_date == D(771)
    # Cumulative realised 5600 - 800 = 4800; -800 a year continues: 4800/800 = 6 more
    # years to reach 0, the 7th makes it negative -> 2 + 7 = 9 years.
    assert comparison.realised_payback_total == 9
    assert comparison.realised_payback_service == 9
    assert comparison.planned_payback_total == 6


def test_threshold_is_strictly_more_than():
    # 10 % of 1000 is exactly 100: not "more than" the threshold.
    assert not r.behind_plan(D(-1000), D(-900), D(10))
    assert r.behind_plan(D(-1000), D("-899.99"), D(10))
    assert not r.behind_plan(D(-1000), D(-1200), D(0))  # saved more than planned
    assert not r.behind_plan(D(500), D(900), D(10))  # a planned cost is not a saving
    assert not r.behind_plan(D(-1000), None, D(10))


def test_realised_equal_to_plan_has_zero_gap_and_same_payback():
    plan = bc01_plan()
    real = r.realised_figures(plan, list(plan.lines))
    comparison = r.compare(engine.compute(plan), real)
    assert all(y.gap_net == 0 and y.gap_permanent == 0 for y in comparison.years)
    assert comparison.realised_payback_total == comparison.planned_payback_total == 6
    assert not comparison.any_behind


def test_reported_zero_counts_and_empty_cells_in_a_reported_year_are_zero():
    plan = bc01_plan()
    lines = realised({2021: 0}, {})
    comparison = r.compare(engine.compute(plan), r.realised_figures(plan, lines))
    first = comparison.years[0]
    assert first.reported
    assert first.realised_implementation is None
    assert first.gap_implementation == D(-5580)
    assert first.gap_permanent == D(517)
    assert first.behind


def test_nothing_reported_gives_no_case():
    assert r.realised_case(bc01_plan(), realised({}, {})) is None


def test_committee_split_follows_the_plans_weights_and_adds_up():
    plan = engine.Case(
        years=YEARS,
        lines=bc01_plan().lines,
        distributions=(
            engine.Distribution(
                "permanent_saving",
                "weights",
                (
                    engine.DistributionRow("BUU", weight=D(70754)),
                    engine.DistributionRow("SOU", weight=D(23080)),
                    engine.DistributionRow("TMU", weight=D(1700)),
                ),
            ),
        ),
    )
    plan_figures = engine.compute(plan)
    planned = r.committee_amounts(plan, plan_figures, plan, plan_figures, "ØU")
    assert planned["BUU"][2021] + planned["SOU"][2021] + planned["TMU"][2021] == D(-517)
    # the same allocation as the engine's own distribution
    rows = {row.committee: row.amounts for row in plan_figures.distributions[0].rows}
    assert all(planned[c][2022] == rows[c][2022] for c in ("BUU", "SOU", "TMU"))
    case = r.realised_case(plan, realised({2021: -400, 2022: -801}, {2021: 5580}))
    real = r.committee_amounts(case, engine.compute(case), plan, plan_figures, "ØU")
    assert sum(real[c][2022] for c in real) == D(-801)
    assert set(real) == {"BUU", "SOU", "TMU"}


def test_committee_split_without_distribution_goes_to_the_owner_and_costs_too():
    plan = engine.Case(
        years=(2021, 2022),
        lines=(
            engine.Line("permanent", "saving", None, "a", {2021: -100, 2022: -200}),
            engine.Line("permanent", "cost", None, "b", {2022: 50}),
        ),
        distributions=(
            engine.Distribution(
                "permanent_saving", "amounts",
                (engine.DistributionRow("KFU", amounts={2021: -60, 2022: -120}),
                 engine.DistributionRow("BUU", amounts={2021: -40, 2022: -80})),
            ),
        ),
    )  # fmt: skip
    figures = engine.compute(plan)
    out = r.committee_amounts(plan, figures, plan, figures, "ØU")
    assert out == {"KFU": {2021: D(-60), 2022: D(-120)}, "BUU": {2021: D(-40), 2022: D(-80)},
                   "ØU": {2022: D(50)}}  # fmt: skip
    case = r.realised_case(plan, [engine.Line("permanent", "saving", None, "a", {2021: -50})])
    real = r.committee_amounts(case, engine.compute(case), plan, figures, "ØU")
    assert real == {"KFU": {2021: D(-30)}, "BUU": {2021: D(-20)}}


def saving_line(values) -> engine.Line:
    return engine.Line("permanent", "saving", None, "a", values)


amounts = st.decimals(min_value=D(-100000), max_value=D(0), places=2, allow_nan=False)


@given(st.lists(amounts, min_size=1, max_size=6), st.lists(st.integers(0, 1000), min_size=3,
       max_size=3).filter(lambda w: sum(w) > 0))  # fmt: skip
def test_realised_committee_parts_add_up_exactly(values, weights):
    years = tuple(range(2021, 2021 + len(values)))
    plan = engine.Case(
        years=years,
        lines=(saving_line(dict(zip(years, values, strict=True))),),
        distributions=(
            engine.Distribution(
                "permanent_saving", "weights",
                tuple(engine.DistributionRow(c, weight=D(w))
                      for c, w in zip(("BUU", "SOU", "TMU"), weights, strict=False))),
        ),
    )  # fmt: skip
    figures = engine.compute(plan)
    real_values = {y: v / 2 for y, v in zip(years, values, strict=False)}
    case = r.realised_case(plan, [engine.Line("permanent", "saving", None, "a", real_values)])
    real_figures = engine.compute(case)
    parts = r.committee_amounts(case, real_figures, plan, figures, "ØU")
    for year in years:
        assert sum((p.get(year, D(0)) for p in parts.values()), D(0)) == (
            real_figures.permanent_total[year]
        )


@given(st.lists(amounts, min_size=1, max_size=6), st.lists(amounts, min_size=1, max_size=6))
def test_gap_is_realised_minus_planned(planned_values, realised_values):
    years = tuple(range(2021, 2021 + len(planned_values)))
    plan = engine.Case(
        years=years,
        lines=(saving_line(dict(zip(years, planned_values, strict=True))),),
    )
    real = {y: v for y, v in zip(years, realised_values, strict=False)}
    comparison = r.compare(
        engine.compute(plan),
        r.realised_figures(plan, [engine.Line("permanent", "saving", None, "a", real)]),
    )
    for row in comparison.years:
        if row.year in real:
            assert row.gap_permanent == real[row.year] - row.planned_permanent
            assert row.gap_net == row.gap_permanent
        else:
            assert row.gap_permanent is None
    assert comparison.gap_permanent_to_date == sum(
        (real[y] - plan.lines[0].amounts[y] for y in real), D(0)
    )


# --------------------------------------------------------------------------- schedules


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 6, 30), 6, date(2024, 12, 31)),
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), -3, date(2024, 12, 31)),
    ],
)
def test_add_months_across_year_ends(start, months, expected):
    assert r.add_months(start, months) == expected


def test_quarterly_occurrences_do_not_drift():
    got = r.occurrences(r.QUARTERLY, date(2024, 11, 30), date(2025, 12, 31))
    assert got == [date(2024, 11, 30), date(2025, 2, 28), date(2025, 5, 31),
                   date(2025, 8, 31), date(2025, 11, 30)]  # fmt: skip
    assert r.occurrences(r.YEARLY, date(2024, 12, 31), date(2027, 1, 1), date(2026, 6, 1)) == [
        date(2024, 12, 31),
        date(2025, 12, 31),
    ]
    assert r.occurrences(r.ONCE, date(2025, 1, 1), date(2024, 12, 31)) == []


def test_once_due_then_overdue_then_closed():
    due = date(2020, 12, 31)
    assert r.due_state(r.ONCE, due, [], date(2020, 12, 1)) == r.DueState("upcoming", due)
    assert r.due_state(r.ONCE, due, [], date(2020, 12, 20)) == r.DueState("due", due)
    assert r.due_state(r.ONCE, due, [], date(2020, 12, 31)) == r.DueState("due", due)
    assert r.due_state(r.ONCE, due, [], date(2021, 1, 1)) == r.DueState("overdue", due, 1)
    assert r.due_state(r.ONCE, due, [date(2021, 1, 5)], date(2021, 1, 6)).state == "done"
    assert r.due_state(r.ONCE, due, [], date(2021, 1, 6), closed=True).state == "closed"
    assert r.due_state("", None, [], date(2021, 1, 6)).state == "unscheduled"


def test_yearly_across_year_end_and_late_registration_covers_only_one_date():
    first = date(2024, 12, 31)
    assert r.due_state(r.YEARLY, first, [], date(2025, 1, 2)) == r.DueState("overdue", first, 1)
    # registered late, in January: covers 2024-12-31, the next one is 2025-12-31
    late = [date(2025, 1, 10)]
    assert r.due_state(r.YEARLY, first, late, date(2025, 1, 11)) == r.DueState(
        "upcoming", date(2025, 12, 31)
    )
    assert r.due_state(r.YEARLY, first, late, date(2025, 12, 20)) == r.DueState(
        "due", date(2025, 12, 31)
    )
    assert r.due_state(r.YEARLY, first, late, date(2026, 1, 1)) == r.DueState(
        "overdue", date(2025, 12, 31), 1
    )
    # two years without registration: two overdue dates, the earliest is reported
    assert r.due_state(r.YEARLY, first, [], date(2026, 1, 1)) == r.DueState("overdue", first, 2)


def test_quarterly_registration_in_the_period_before_the_first_date_counts():
    first = date(2025, 3, 31)
    assert r.due_state(r.QUARTERLY, first, [date(2025, 3, 1)], date(2025, 4, 1)) == r.DueState(
        "upcoming", date(2025, 6, 30)
    )
    # too early (more than a quarter before): does not count
    assert (
        r.due_state(r.QUARTERLY, first, [date(2024, 12, 1)], date(2025, 4, 1)).state == "overdue"
    )


def test_schedule_with_end_date_is_done():
    first = date(2024, 12, 31)
    regs = [date(2024, 12, 30), date(2025, 12, 1)]
    state = r.due_state(r.YEARLY, first, regs, date(2026, 3, 1), ends_on=date(2025, 12, 31))
    assert state == r.DueState("done")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ultimo 2020", (r.ONCE, date(2020, 12, 31))),
        ("1.1 2022", (r.ONCE, date(2022, 1, 1))),
        ("2021", (r.ONCE, date(2021, 12, 31))),
        ("Primo 2021", (r.ONCE, date(2021, 1, 1))),
        ("juni 2021", (r.ONCE, date(2021, 6, 30))),
        (
            "Løbende opfølgning, kvartalsvis fra ultimo 2020.",
            (r.QUARTERLY, date(2020, 12, 31)),
        ),
        ("Årligt fra 2022", (r.YEARLY, date(2022, 12, 31))),
        ("Hvert halve år", None),
        ("", None),
        ("Løbende", None),
    ],
)
def test_parse_when(text, expected):
    assert r.parse_when(text) == expected


@given(
    st.sampled_from([r.QUARTERLY, r.HALF_YEARLY, r.YEARLY]),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=2000),
)
def test_registering_on_each_due_date_leaves_nothing_overdue(schedule, first, days):
    today = date.fromordinal(first.toordinal() + days)
    dues = r.occurrences(schedule, first, today)
    state = r.due_state(schedule, first, dues, today)
    assert state.state in ("upcoming", "due")
    assert state.overdue_count == 0
    assert state.due_date > (dues[-1] if dues else date.min)
