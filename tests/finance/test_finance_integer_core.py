"""The engine's integer core: exact conversions, the largest-remainder split, and
``compute`` (one pass, bucket sums) against the plain definitions it replaces."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from finance.engine import (
    PERMANENT_AREAS,
    SUBJECTS,
    Case,
    Distribution,
    DistributionRow,
    Line,
    compute,
    subject_total,
    sum_lines,
)
from finance.rounding import (
    allocate,
    from_units,
    largest_remainder,
    scaled_ints,
    significant_places,
    tie_rank,
    to_units,
)

decimals = st.decimals(min_value=D("-1E9"), max_value=D("1E9"), allow_nan=False, places=6)


@given(decimals)
def test_to_units_is_exact_and_minimal(value):
    units, places = to_units(value)
    assert D(units).scaleb(-places) == value
    assert places == significant_places(value, max_places=28)


def test_to_units_examples():
    assert to_units(D("-338.00")) == (-338, 0)
    assert to_units(D("56.30")) == (563, 1)
    assert to_units(D("-1.25")) == (-125, 2)
    assert to_units(D("1E+2")) == (100, 0)
    assert to_units(D("0.125")) == (125, 3)
    assert to_units(D("-0.00")) == (0, 0)


def test_from_units_keeps_the_places_and_no_negative_zero():
    assert str(from_units(-86957, 2)) == "-869.57"
    assert str(from_units(0, 2)) == "0.00"
    assert str(from_units(-869, 0)) == "-869"
    assert str(from_units(5, 9)) == "5E-9"


def test_scaled_ints_common_scale():
    assert scaled_ints([D("1.5"), D(2), D("0.25")]) == [150, 200, 25]
    assert scaled_ints([D("70754"), D("12445"), D("963")]) == [70754, 12445, 963]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=10).filter(any),
)
def test_largest_remainder_adds_up_and_stays_within_one_unit(units, weights):
    keys = [f"k{i}" for i in range(len(weights))]
    parts = largest_remainder(units, weights, sum(weights), tie_rank(weights, keys))
    assert sum(parts) == units
    for part, weight in zip(parts, weights, strict=True):
        # floor(share) <= part <= floor(share) + 1, exact in integers
        assert part * sum(weights) >= units * weight - sum(weights) + 1 or weight == 0
        assert (part - 1) * sum(weights) < units * weight or part == 0


def test_largest_remainder_ties_by_weight_then_key():
    # 3 units by 1:1:4 -> shares 0.5, 0.5, 2: the tie between x and y goes to "x"
    weights = [1, 1, 4]
    assert largest_remainder(3, weights, 6, tie_rank(weights, ["y", "x", "z"])) == [0, 1, 2]


# --------------------------------------------------------------------------- compute

amount = st.one_of(
    st.integers(min_value=-3000, max_value=3000).map(D),
    st.decimals(min_value=D(-3000), max_value=D(3000), places=2, allow_nan=False),
)


@st.composite
def cases(draw):
    first = draw(st.integers(min_value=2016, max_value=2024))
    years = tuple(range(first, first + draw(st.integers(min_value=1, max_value=6))))
    lines = []
    for i in range(draw(st.integers(min_value=0, max_value=8))):
        section = draw(st.sampled_from(("permanent", "implementation")))
        areas = PERMANENT_AREAS if section == "permanent" else ("capital", "service", "operating")
        lines.append(
            Line(
                section,
                draw(st.sampled_from(("saving", "cost"))),
                draw(st.sampled_from((*areas, None))),
                f"L{i}",
                draw(st.dictionaries(st.sampled_from(years), amount, max_size=len(years))),
            )
        )
    committees = draw(st.lists(st.sampled_from(("ØU", "KFU", "BUU", "SUD")), min_size=1,
                               max_size=4, unique=True))  # fmt: skip
    weights = st.one_of(st.integers(min_value=0, max_value=1000).map(D),
                        st.decimals(min_value=D(0), max_value=D(100), places=4))  # fmt: skip
    distribution = Distribution(
        draw(st.sampled_from(SUBJECTS)),
        "weights",
        tuple(DistributionRow(c, weight=draw(weights)) for c in committees),
    )
    return Case(years=years, lines=tuple(lines), distributions=(distribution,))


@given(cases())
def test_compute_equals_the_plain_definitions(case):
    """Bucket sums and the integer split give what sum_lines and allocate define."""
    f = compute(case)
    years = case.years
    permanent = [ln for ln in case.lines if ln.section == "permanent"]
    implementation = [ln for ln in case.lines if ln.section == "implementation"]
    assert f.permanent_total == sum_lines(permanent, years)
    assert f.implementation_total == sum_lines(implementation, years)
    assert f.savings == subject_total(case.lines, "permanent_saving", years)
    for area in PERMANENT_AREAS:
        expected = sum_lines([ln for ln in permanent if ln.effective_area == area], years)
        assert f.permanent_by_area[area] == expected
    # the same digits, not only the same value (exports and sheets show them)
    assert [str(v) for v in f.permanent_total.values()] == [
        str(v) for v in sum_lines(permanent, years).values()
    ]
    (distribution,) = case.distributions
    (allocated,) = f.distributions
    totals = subject_total(case.lines, distribution.subject, years)
    assert allocated.total == totals
    weights = {i: row.weight for i, row in enumerate(distribution.rows)}
    for year in years:
        total = totals[year]
        if total is None or (total != 0 and not any(weights.values())):
            assert all(row.amounts[year] is None for row in allocated.rows)
            continue
        parts = allocate(total, weights, significant_places(total))
        # rows of one committee are keyed alike in both (same order, same keys)
        got = [row.amounts[year] for row in allocated.rows]
        assert sum(got) == total
        assert sorted(map(str, got)) == sorted(map(str, parts.values()))
