"""The Teknisk bilag rules (finance.technical_annex) on every printed example: investment
2021 BC01 (savings only, three committees) and BC11 (savings on one committee, costs on
two others), figures as printed in the annex."""

from decimal import Decimal as D

from finance.engine import Case, Distribution, DistributionRow, Line, compute
from finance.technical_annex import (
    appropriation_effect,
    appropriation_effect_if_not,
    compute_technical_annex,
    target_effect,
)

BC01_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
BC11_YEARS = (2020, 2021, 2022, 2023, 2024, 2025)


def per_year(years, first, rest, *, skip_first=False):
    values = {y: D(rest) for y in years}
    values[years[0]] = None if skip_first else D(first)
    return values


def empty(years):
    return dict.fromkeys(years)


def bc01():
    savings = {
        "BUU": per_year(BC01_YEARS, -383, -766),
        "SOU": per_year(BC01_YEARS, -125, -250),
        "TMU": per_year(BC01_YEARS, -9, -18),
    }
    return savings, {}


def bc11():
    years = BC11_YEARS
    savings = {"BUU": per_year(years, 0, -1772, skip_first=True)}
    costs = {
        "KFU": per_year(years, 0, 1100, skip_first=True),
        "KIT": per_year(years, 0, 185, skip_first=True),
    }
    return savings, costs


def test_bc01_target_effect_and_appropriation_equal_the_savings():
    savings, costs = bc01()
    printed = savings  # Tabel 1.14 and 1.15 print the savings of Tabel 1.13
    assert target_effect(savings, costs, BC01_YEARS) == printed
    assert appropriation_effect(savings, costs, BC01_YEARS) == printed


def test_bc01_if_not_incorporated_is_empty():
    savings, costs = bc01()
    assert appropriation_effect_if_not(savings, costs, BC01_YEARS) == {
        key: empty(BC01_YEARS) for key in ("BUU", "SOU", "TMU")
    }


def test_bc11_target_effect_puts_the_net_on_the_saving_committee():
    savings, costs = bc11()
    result = target_effect(savings, costs, BC11_YEARS)
    assert result["BUU"] == per_year(BC11_YEARS, 0, -487, skip_first=True)
    assert result["KFU"] == empty(BC11_YEARS)
    assert result["KIT"] == empty(BC11_YEARS)


def test_bc11_appropriation_effect_if_incorporated():
    savings, costs = bc11()
    assert appropriation_effect(savings, costs, BC11_YEARS) == {
        "BUU": per_year(BC11_YEARS, 0, -1772, skip_first=True),
        "KFU": per_year(BC11_YEARS, 0, 1100, skip_first=True),
        "KIT": per_year(BC11_YEARS, 0, 185, skip_first=True),
    }


def test_bc11_appropriation_effect_if_not_incorporated():
    savings, costs = bc11()
    assert appropriation_effect_if_not(savings, costs, BC11_YEARS) == {
        "BUU": per_year(BC11_YEARS, 0, -1285, skip_first=True),
        "KFU": per_year(BC11_YEARS, 0, 1100, skip_first=True),
        "KIT": per_year(BC11_YEARS, 0, 185, skip_first=True),
    }


def test_target_effect_splits_the_net_by_largest_remainder():
    years = (2021,)
    savings = {"A": {2021: D(-100)}, "B": {2021: D(-100)}, "C": {2021: D(-100)}}
    costs = {"D": {2021: D(100)}}
    result = target_effect(savings, costs, years)
    assert sorted(result[k][2021] for k in "ABC") == [D(-67), D(-67), D(-66)]
    assert sum(result[k][2021] for k in "ABC") == D(-200)
    assert result["D"] == {2021: None}


def test_compute_technical_annex_from_the_engine_bc11():
    """From the engine's allocated distributions (explicit amounts, as imported)."""
    years = BC11_YEARS
    amounts = {str(y): v for y, v in ((y, -1772) for y in years[1:])}
    lines = [
        Line("permanent", "saving", "service", "Økonomisk friplads (BUF)", amounts),
        Line("permanent", "cost", "service", "Drift af løsning", {str(y): 185 for y in years[1:]}),
        Line("permanent", "cost", "service", "To årsværk", {str(y): 1100 for y in years[1:]}),
    ]
    case = Case(
        years=years,
        lines=lines,
        distributions=[
            Distribution("permanent_saving", "amounts", [DistributionRow("BUU", amounts=amounts)]),
            Distribution(
                "permanent_cost",
                "amounts",
                [
                    DistributionRow("KFU", amounts={str(y): 1100 for y in years[1:]}),
                    DistributionRow("ØU", "Koncern IT", amounts={str(y): 185 for y in years[1:]}),
                ],
            ),
        ],
    )
    figures = compute(case)
    annex = compute_technical_annex(figures, lambda row: row.unit or row.committee)
    assert annex.total("target_effect") == per_year(years, 0, -487, skip_first=True)
    assert annex.appropriation_effect_if_not["BUU"] == per_year(years, 0, -1285, skip_first=True)
    assert annex.total("appropriation_effect_if_not") == per_year(years, 0, 0, skip_first=True)
    assert annex.costs["Koncern IT"] == per_year(years, 0, 185, skip_first=True)


def test_no_permanent_distribution_no_service_tables():
    case = Case(years=(2021,), lines=[Line("permanent", "saving", "service", "x", {"2021": -1})])
    assert compute_technical_annex(compute(case), lambda row: row.committee) is None
