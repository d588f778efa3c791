"""Unit tests of finance.rounding (no database)."""

from decimal import Decimal as D

import pytest

from finance.rounding import AllocationError, allocate, round_half_up, significant_places


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("2.5"), 0, D("3")),
        (D("-2.5"), 0, D("-3")),
        (D("0.45"), 1, D("0.5")),
        (D("-0.05"), 1, D("-0.1")),
        (D("0.487"), 1, D("0.5")),
        (D("3.043"), 1, D("3.0")),
        (D("4.235"), 1, D("4.2")),
        (D("0.75"), 1, D("0.8")),
        (D("-1034"), 2, D("-1034.00")),
        (D("123.456"), 2, D("123.46")),
    ],
)
def test_round_half_up(value, places, expected):
    result = round_half_up(value, places)
    assert result == expected
    assert result.as_tuple().exponent == -places


def test_round_half_up_never_negative_zero():
    assert str(round_half_up(D("-0.04"), 1)) == "0.0"


def test_round_half_up_refuses_float():
    with pytest.raises(TypeError):
        round_half_up(2.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("-338.00"), 0),
        (D("337.50"), 1),
        (D("56.33"), 2),
        (D("1E+2"), 0),
        (D("100"), 0),
        (D("0"), 0),
        (D("0.000"), 0),
        (D("1.23456"), 2),
        (D("-0.5"), 1),
    ],
)
def test_significant_places(value, expected):
    assert significant_places(value) == expected


def test_significant_places_cap():
    assert significant_places(D("1.23456"), max_places=4) == 4
    assert significant_places(D("1.23456"), max_places=10) == 5


def test_allocate_citizen_equal_keys():
    """Citizen 2018 Forslag 1, Tabel 3: five keys of 16.6667 % and BIU 16.66 %."""
    weights = {c: D("16.6667") for c in ("ØU", "KFU", "BUU", "SUD", "TMU")}
    weights["BIU"] = D("16.66")
    parts = allocate(D("-338"), weights, 0)
    assert sum(parts.values()) == D("-338")
    # 338 * 16.6667 / 99.9935 = 56.337..., BIU 56.314...: the two leftover thousands go
    # to the largest remainders; the tie between the equal keys goes to "BUU" and "KFU".
    assert parts == {
        "ØU": D("-56"),
        "KFU": D("-57"),
        "BUU": D("-57"),
        "SUD": D("-56"),
        "TMU": D("-56"),
        "BIU": D("-56"),
    }


def test_allocate_citizen_equal_keys_at_two_decimals():
    weights = {c: D("16.6667") for c in ("ØU", "KFU", "BUU", "SUD", "TMU")}
    weights["BIU"] = D("16.66")
    parts = allocate(D("-338"), weights, 2)
    assert sum(parts.values()) == D("-338.00")
    # 33.800 hundredths: exact shares 5.633,71 (x5) and 5.631,44; four leftover hundredths
    # go to four of the five equal keys, by str(key): all but "ØU".
    assert parts == {
        "ØU": D("-56.33"),
        "KFU": D("-56.34"),
        "BUU": D("-56.34"),
        "SUD": D("-56.34"),
        "TMU": D("-56.34"),
        "BIU": D("-56.31"),
    }


def test_allocate_floor_areas():
    """Investment 2021 BC01: -1.034 by floor areas BUF 70.754, SOF 12.445, TMF 963 m²."""
    parts = allocate(D("-1034"), {"BUU": D(70754), "SOU": D(12445), "TMU": D(963)}, 0)
    assert parts == {"BUU": D("-869"), "SOU": D("-153"), "TMU": D("-12")}
    assert sum(parts.values()) == D("-1034")


def test_allocate_places_raised_to_represent_total():
    parts = allocate(D("10.5"), {"a": D(1), "b": D(1)}, 0)
    assert parts == {"a": D("5.3"), "b": D("5.2")}
    assert sum(parts.values()) == D("10.5")


def test_allocate_trailing_zeros_of_total_do_not_raise_precision():
    parts = allocate(D("-338.00"), {"a": D(1), "b": D(2)}, 0)
    assert parts == {"a": D("-113"), "b": D("-225")}


def test_allocate_zero_total_and_zero_weights():
    assert allocate(D(0), {"a": D(1), "b": D(0)}, 2) == {"a": D("0.00"), "b": D("0.00")}
    assert allocate(D(0), {"a": D(0)}, 0) == {"a": D(0)}
    assert allocate(D(5), {"a": D(0), "b": D(3)}, 0) == {"a": D(0), "b": D(5)}


def test_allocate_no_negative_zero():
    parts = allocate(D("-1"), {"a": D(1), "b": D(1)}, 0)
    assert sorted(map(str, parts.values())) == ["-1", "0"]


def test_allocate_tie_breaks_larger_weight_then_key():
    # 1 unit, exact shares 0.5/0.5: tie -> smaller str(key)
    assert allocate(D(1), {"b": D(1), "a": D(1)}, 0) == {"a": D(1), "b": D(0)}
    # equal remainders (0.5 each of 3 / 6 with weights 1:1:4 -> 0.5, 0.5, 2.0)
    assert allocate(D(3), {"x": D(1), "y": D(1), "z": D(4)}, 0) == {
        "x": D(1),
        "y": D(0),
        "z": D(2),
    }


def test_allocate_rejects_bad_input():
    with pytest.raises(AllocationError):
        allocate(D(10), {"a": D(1), "b": D(-1)}, 0)
    with pytest.raises(AllocationError):
        allocate(D(10), {"a": D(0), "b": D(0)}, 0)
    with pytest.raises(AllocationError):
        allocate(D(10), {}, 0)
    with pytest.raises(TypeError):
        allocate(D(10), {"a": 1.5}, 0)  # type: ignore[dict-item]
    assert issubclass(AllocationError, ValueError)
