"""Kontrolnoter as rows (finance.control): a printed figure that differs from the
computation is shown in its whole printed row, beside the computed row, year by year."""

from decimal import Decimal

import pytest

from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs
from finance import control, engine

pytestmark = pytest.mark.django_db


def rows_of(key: str, number: str) -> list[control.ControlRow]:
    proposal = proposals_with_inputs(Proposal.objects.filter(catalog__key=key)).get(number=number)
    return control.control_rows(figures_for(proposal))


def plain(values: dict) -> list:
    return [None if v is None else Decimal(v) for v in values.values()]


def test_innovation_bc07_prints_the_whole_printed_rows_beside_the_computed(reference_catalogs):
    """The source prints 1.411 in 2020 where the lines give 1.412, and 2.823 in 2021
    (right): each row it printed wrongly, whole, as it laid it out."""
    rows = {row.where: row for row in rows_of("innovation-2020", "BC07")}
    impl = rows["Implementeringsomkostninger i alt"]
    assert impl.years == (2020, 2021, 2022, 2023, 2024, 2025)
    assert plain(impl.printed) == [1411, 2823, None, None, None, None]
    assert plain(impl.computed) == [1412, 2823, None, None, None, None]
    assert impl.differs == {2020}
    net = rows["Samlet økonomisk påvirkning"]
    assert (plain(net.printed)[:2], plain(net.computed)[:2]) == ([1411, 2823], [1412, 2823])
    detail = rows["Tabel 1. Serviceinvesteringer i forslaget, »Investeringer totalt, service«"]
    assert plain(detail.printed)[:2] == [1411, 2823]
    assert plain(detail.computed)[:2] == [1412, 2823]  # 1.157 + 255 as its rows print
    dist = rows["Tabel 2. Fordeling af serviceinvesteringer mellem udvalg, »Total«"]
    assert plain(dist.printed)[:2] == [1411, 2823]
    assert dist.differs == {2020, 2021}


def test_innovation_bc11_row_the_table_prints_without_a_line(reference_catalogs):
    rows = {row.where: row for row in rows_of("innovation-2020", "BC11")}
    keid = rows["Table 1. Serviceinvesteringer i forslaget, »Digitale projekt kompetencer KEID«"]
    assert plain(keid.printed)[:3] == [150, 150, 75]
    assert set(keid.computed.values()) == {None}  # no such line
    assert keid.differs == {2020, 2021, 2022}
    total = rows["Table 1. Serviceinvesteringer i forslaget, »Investeringer totalt, service«"]
    assert plain(total.printed)[:3] == [550, 550, 225]
    assert plain(total.computed)[:3] == [650, 550, 225]
    assert total.differs == {2020}


def test_every_check_of_a_printed_row_is_in_exactly_one_row(reference_catalogs):
    """Nothing is dropped or shown twice: each check with a year of the row kinds is in
    one row, and the row's printed and computed values in that year are the check's."""
    seen = 0
    for proposal in proposals_with_inputs(Proposal.objects.all()):
        figures = figures_for(proposal)
        expected = [
            c for c in figures.checks if c.code in control.ROW_CODES and c.year is not None
        ]
        rows = control.control_rows(figures)
        placed = [c for row in rows for c in row.checks]
        assert sorted(map(id, placed)) == sorted(map(id, expected)), proposal.number
        for row in rows:
            for check in row.checks:
                assert row.printed[check.year] == check.stated, (proposal.number, row.where)
                if row.computed[check.year] is not None or check.computed is not None:
                    assert row.computed[check.year] == check.computed, (
                        proposal.number,
                        row.where,
                    )
        seen += len(placed)
    assert seen >= 20  # the reference catalogues hold that many


def test_a_check_whose_row_the_case_does_not_hold_is_its_own_row():
    case = engine.Case(
        years=(2021, 2022),
        lines=(engine.Line("permanent", "saving", "service", "Besparelse", {2021: -10}),),
    )
    figures = engine.compute(case)
    check = engine.Check("stated_mismatch", field="net_total", year=2021, stated=-9, computed=-10)
    (row,) = control.control_rows(figures, [check])
    assert (row.where, row.printed, row.computed) == (
        "Samlet økonomisk påvirkning 2021",
        {2021: -9, 2022: None},
        {2021: -10, 2022: None},
    )
