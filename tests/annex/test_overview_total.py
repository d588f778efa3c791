"""finance.overview: the total row is the column sum of the printed (rounded) rows."""

import json
from decimal import Decimal as D

from finance.overview import overview_total
from tests.conftest import FIXTURES


def test_total_row_adds_up_the_printed_rows_of_the_reference_overview():
    data = json.loads((FIXTURES / "investment-2021-part1.json").read_text(), parse_float=D)
    overview = data["catalog"]["overview"]
    total = overview_total(overview["rows"])
    for key, printed in overview["total"].items():
        assert total[key] == D(str(printed)), key


def test_payback_years_are_not_summed_and_missing_values_skip():
    total = overview_total([{"investment_service": D("1.2"), "payback_years": 5}, {}])
    assert total["investment_service"] == D("1.2")
    assert "payback_years" not in total
