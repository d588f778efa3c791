"""Specification rows under a line (finance.specifications, engine checks), on the
printed examples."""

from decimal import Decimal as D

from finance.engine import Case, Line, Specification, compute
from finance.specifications import match_specifications


def years(*values, start=2021):
    return {start + i: D(v) for i, v in enumerate(values) if v is not None}


def test_investment_bc11_social_benefits_are_three_rows_of_tabel_6():
    lines = [years(*[-2512] * 5), years(*[-531] * 5)]  # Sociale ydelser, Boligsikring
    rows = [years(*[-1528] * 5), years(*[-693] * 5), years(*[-291] * 5), years(*[-531] * 5)]
    assert match_specifications(lines, rows) == {0: [0, 1, 2]}


def test_investment_bc03_one_capital_line_is_two_rows():
    assert match_specifications([{2020: D(2610)}], [{2020: D(1260)}, {2020: D(1350)}]) == {
        0: [0, 1]
    }


def test_innovation_bc10_rows_that_are_not_neighbours():
    lines = [{2020: D(518)}, {2020: D(750)}, {2020: D(174)}]
    rows = [{2020: D(211)}, {2020: D(750)}, {2020: D(307)}, {2020: D(174)}]
    assert match_specifications(lines, rows) == {0: [0, 2]}


def test_rows_that_do_not_add_up_specify_nothing():
    # innovation BC11: KEID 225/225 against the table's 150/150/75
    lines = [years(300, 300, 150, start=2020), years(225, 225, start=2020)]
    rows = [years(300, 300, 150, start=2020), years(150, 150, 75, start=2020)]
    assert match_specifications(lines, rows) == {}


def test_engine_reports_a_specification_that_does_not_sum_to_its_line():
    line = Line(
        "permanent",
        "saving",
        "transfers",
        "Sociale ydelser (BIF)",
        {"2021": -2512, "2022": -2512},
        specifications=(
            Specification("Kontanthjælp", {"2021": -1528, "2022": -1528}),
            Specification("Førtidspension", {"2021": -693, "2022": -693}),
            Specification("Øvrige LAS-ydelser", {"2021": -291, "2022": -290}),
        ),
    )
    checks = [c for c in compute(Case((2021, 2022), [line])).checks]
    assert [(c.code, c.year, c.stated, c.computed) for c in checks] == [
        ("specification_mismatch", 2022, D(-2511), D(-2512))
    ]
    assert checks[0].message == (
        "Specifikationen af »Sociale ydelser (BIF)« giver -2.511 i 2022, men linjen er -2.512"
    )
    ok = Line(
        "permanent", "saving", "transfers", "x", {"2021": -3}, (Specification("a", {"2021": -3}),)
    )
    assert compute(Case((2021,), [ok])).checks == ()
