"""Property-based tests (hypothesis) of allocation and payback; no floats, no database."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from finance.engine import payback
from finance.rounding import AllocationError, allocate, significant_places

# --------------------------------------------------------------------------- allocation

amounts = st.decimals(min_value=D("-10000000"), max_value=D("10000000"), places=2, allow_nan=False)
weight_values = st.one_of(
    st.integers(min_value=0, max_value=100000).map(D),
    st.decimals(min_value=D(0), max_value=D(1000), places=4, allow_nan=False),
)
keys = st.text(alphabet="ABCDEFØÆÅ", min_size=1, max_size=4)
weight_maps = st.dictionaries(keys, weight_values, min_size=1, max_size=12).filter(
    lambda w: sum(w.values()) > 0
)
places_st = st.integers(min_value=0, max_value=3)


@given(amounts, weight_maps, places_st)
def test_allocation_adds_up_exactly(total, weights, places):
    parts = allocate(total, weights, places)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == total


@given(amounts, weight_maps, places_st)
def test_allocation_parts_have_the_sign_of_the_total(total, weights, places):
    parts = allocate(total, weights, places)
    if total >= 0:
        assert all(p >= 0 for p in parts.values())
    else:
        assert all(p <= 0 for p in parts.values())
    assert all(p == 0 for k, p in parts.items() if weights[k] == 0)


@given(amounts, weight_maps, places_st, st.randoms(use_true_random=False))
def test_allocation_is_order_independent(total, weights, places, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(total, dict(items), places) == allocate(total, weights, places)


@given(amounts, weight_maps, places_st)
def test_allocation_parts_within_one_quantum_of_exact_share(total, weights, places):
    parts = allocate(total, weights, places)
    quantum = D(1).scaleb(-max(places, significant_places(total, max_places=28)))
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        # |part - total*w/W| < quantum  <=>  |part*W - total*w| < quantum*W (exact)
        assert abs(part * weight_sum - total * weights[key]) < quantum * weight_sum


@given(amounts.filter(lambda t: t != 0), weight_maps, st.data())
def test_allocation_rejects_negative_weights(total, weights, data):
    key = data.draw(st.sampled_from(sorted(weights)))
    bad = dict(weights)
    bad[key] = -data.draw(st.integers(min_value=1, max_value=1000).map(D))
    with pytest.raises(AllocationError):
        allocate(total, bad, 0)


@given(amounts.filter(lambda t: t != 0), st.lists(keys, min_size=1, max_size=5, unique=True))
def test_allocation_rejects_all_zero_weights(total, names):
    with pytest.raises(AllocationError):
        allocate(total, dict.fromkeys(names, D(0)), 0)


# --------------------------------------------------------------------------- payback

money = st.integers(min_value=-3000, max_value=3000).map(D)
cost = st.integers(min_value=1, max_value=3000).map(D)


@st.composite
def tables(draw):
    """A span of years whose first year has an amount (so it is the start year)."""
    n = draw(st.integers(min_value=1, max_value=7))
    years = tuple(range(2020, 2020 + n))
    perm = {y: draw(money) for y in years if draw(st.booleans())}
    impl = {y: draw(st.integers(min_value=0, max_value=5000).map(D)) for y in years
            if draw(st.booleans())}  # fmt: skip
    if years[0] not in perm and years[0] not in impl:
        impl[years[0]] = draw(st.integers(min_value=0, max_value=5000).map(D))
    return years, perm, impl


def pb(years, perm, impl):
    return payback(years, perm, impl, years[0])


def longer_or_equal(a, b):
    """a >= b in payback order, where None (never) is the longest."""
    if a is None:
        return True
    return b is not None and a >= b


def brute_force(years, perm, impl):
    """Year-by-year simulation of the FORMAT.md rule (integer amounts only)."""
    cumulative, last_not_negative, count = D(0), 0, 0
    for year in years:
        count += 1
        cumulative += perm.get(year, D(0)) + impl.get(year, D(0))
        if cumulative >= 0:
            last_not_negative = count
    continuing = perm.get(years[-1], D(0))
    if continuing > 0 or (continuing == 0 and cumulative >= 0):
        return None  # grows without bound, or stays >= 0 forever
    while cumulative >= 0:  # continuing <= -1: ends after at most 56.000 years
        count += 1
        cumulative += continuing
        last_not_negative = count if cumulative >= 0 else last_not_negative
    return last_not_negative + 1


@given(tables())
def test_payback_matches_year_by_year_simulation(table):
    years, perm, impl = table
    assert pb(years, perm, impl) == brute_force(years, perm, impl)


@given(tables(), st.data())
def test_adding_a_saving_never_lengthens_payback(table, data):
    years, perm, impl = table
    year = data.draw(st.sampled_from(years))
    saving = data.draw(cost)
    before = pb(years, perm, impl)
    more = dict(perm)
    more[year] = more.get(year, D(0)) - saving
    after = pb(years, more, impl)
    assert longer_or_equal(before, after)
    if before is not None:
        assert after is not None


@given(tables(), st.data())
def test_adding_an_implementation_cost_never_shortens_payback(table, data):
    years, perm, impl = table
    year = data.draw(st.sampled_from(years))
    extra = data.draw(cost)
    more = dict(impl)
    more[year] = more.get(year, D(0)) + extra
    assert longer_or_equal(pb(years, perm, more), pb(years, perm, impl))


@given(
    tables(),
    st.one_of(
        st.integers(min_value=1, max_value=1000).map(D),
        st.decimals(min_value=D("0.01"), max_value=D(100), places=2),
    ),
)
def test_scaling_does_not_change_payback(table, factor):
    years, perm, impl = table
    assume(factor > 0)
    scaled_perm = {y: v * factor for y, v in perm.items()}
    scaled_impl = {y: v * factor for y, v in impl.items()}
    assert pb(years, scaled_perm, scaled_impl) == pb(years, perm, impl)


@given(tables())
def test_cumulative_zero_at_end_and_continuing_zero_is_none(table):
    years, perm, impl = table
    perm = dict(perm)
    perm[years[-1]] = D(0)
    # make the cumulative exactly 0 at the end of the table
    total = sum(perm.values(), D(0)) + sum(impl.values(), D(0))
    if len(years) > 1:
        perm[years[-2]] = perm.get(years[-2], D(0)) - total
    else:
        impl = {years[0]: impl.get(years[0], D(0)) - total}
    assert pb(years, perm, impl) is None


def test_adding_to_an_empty_leading_year_moves_the_start():
    """The one exception to "a saving never lengthens": the start year moves.

    FORMAT.md counts from the first year with any amount, so a saving put into an
    empty year before it adds that year to the count (BC12-like: 6 -> 7).
    """
    years = tuple(range(2020, 2026))
    perm = {y: D(-700) for y in years[2:]}
    impl = {2021: D(1600), 2022: D(1600)}
    assert payback(years, perm, impl, 2021) == 6
    assert payback(years, {**perm, 2020: D(-1)}, impl, 2020) == 7
