"""Breaker: "Hent som Excel-skabelon" and uploading it again dropped every amount a
proposal held outside its years (Citizen 2018 Forslag 3's printed 2020 column of the
potential distribution; a line's, specification's, admin line's or FTE amount imported
outside the span): the sheets had columns for the span only. The sheet "Fordeling" now
has a column for every year its rows hold an amount in; the sheet "Økonomi" writes the
years outside the span after one empty column, and the import keeps them as they are."""

import json

import pytest

from annex.xlsx_import import build_template, import_xlsx
from cases.exporting import export_catalog
from cases.models import Proposal
from cases.services import import_json
from tests.cases.test_outside_span import DISTRIBUTION, SPECIFIED_LINE, document

from .test_xlsx_units import grid

pytestmark = pytest.mark.django_db

OUTSIDE = {
    "lines": [
        {**SPECIFIED_LINE, "amounts": {"2021": -100, "2022": -200, "2031": -5}},
    ],
    "admin_lines": [{"label": "Licenser", "amounts": {"2021": -3, "2029": -4}}],
    "fte": {"2021": 1, "2028": 2},
    "distributions": [DISTRIBUTION],
}


def exported():
    return export_catalog(Proposal.objects.get(catalog__key="span-2021").catalog)


@pytest.mark.parametrize("unit", ["t.kr", "kr"])
def test_the_template_round_trip_keeps_amounts_outside_the_years(unit):
    import_json(json.dumps(document(**OUTSIDE)))
    before = exported()
    proposal = Proposal.objects.get(catalog__key="span-2021")
    units = {s: unit for s in ("permanent", "implementation", "administration")}
    raw = build_template(proposal.catalog, proposal, units=units)
    import_xlsx(raw, proposal.catalog)
    assert exported() == before
    (data,) = before["proposals"]
    assert data["years"] == [2021, 2022, 2023, 2024]
    assert data["lines"][0]["amounts"]["2031"] == -5
    assert data["distributions"][0]["rows"][0]["amounts"]["2030"] == -7


def test_the_sheet_shows_the_years_outside_after_an_empty_column():
    import_json(json.dumps(document(**OUTSIDE)))
    proposal = Proposal.objects.get(catalog__key="span-2021")
    sheet = grid(build_template(proposal.catalog, proposal))
    header = [c.value for c in sheet[3]]
    assert header[4:] == [2021, 2022, 2023, 2024, None, 2028, 2029, 2030, 2031]
    assert sheet.cell(row=2, column=10).value.startswith("Uden for forslagets år")
