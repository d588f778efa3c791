"""The xlsx template's unit cells (issue 14, point 4): row 2 of the sheet "Økonomi" says
the unit of each grid section (kr., 1.000 kr. or mio. kr.; specification rows follow
their line). Export writes the amounts in it, import reads them back to 1.000 kr.
exactly (`finance.prices.to_thousands`) or refuses the cell; a template without the
unit cells (made before them) is in 1.000 kr."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases.exporting import export_proposal
from cases.models import Line, Proposal
from cases.selectors import line_amounts, proposals_with_inputs
from tests.factories import CatalogFactory, add_line, add_specified_line, bc01

from .test_xlsx_specifications import edited

pytestmark = pytest.mark.django_db

EVERY = ("permanent", "implementation", "administration")


def proposal_in_every_section():
    """BC01 (-517 / -1.034 permanent, 5.580 implementation) with the BIF line and its
    specifications and an administration line of 12,5 (1.000 kr.)."""
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    add_specified_line(proposal)
    add_line(proposal, "administration", "", "", "Færre licenser", {2022: D("-12.5")})
    return fresh(proposal)


def fresh(proposal):
    return proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()


def grid(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))["Økonomi"]


def inputs(proposal) -> dict:
    data = export_proposal(fresh(proposal))
    return {key: data[key] for key in ("lines", "admin_lines", "fte")}


@pytest.mark.parametrize("unit", ["kr", "t.kr", "mio.kr"])
def test_export_writes_each_unit_and_import_reads_it_back(unit):
    proposal = proposal_in_every_section()
    before = inputs(proposal)
    raw = build_template(proposal.catalog, proposal, units=dict.fromkeys(EVERY, unit))
    sheet = grid(raw)
    label = {"kr": "kr.", "t.kr": "1.000 kr.", "mio.kr": "mio. kr."}[unit]
    assert [sheet.cell(row=2, column=c).value for c in range(1, 7)] == [
        "Enhed, varig ændring",
        label,
        "Enhed, implementering",
        label,
        "Enhed, administration",
        label,
    ]
    rows = {r[3]: r[4:6] for r in sheet.iter_rows(min_row=4, values_only=True) if r[3]}
    # hand-worked: -517 (1.000 kr.) is -517.000 kr. and -0,517 mio. kr.
    expected = {
        "kr": {
            "Energibesparelse": (-517000, -1034000),
            "Anlægsinvestering": (5580000, None),
            "Førtidspension": (-693000, -693000),
            "Færre licenser": (None, -12500),
        },
        "t.kr": {
            "Energibesparelse": (-517, -1034),
            "Anlægsinvestering": (5580, None),
            "Førtidspension": (-693, -693),
            "Færre licenser": (None, -12.5),
        },
        "mio.kr": {
            "Energibesparelse": (-0.517, -1.034),
            "Anlægsinvestering": (5.58, None),
            "Førtidspension": (-0.693, -0.693),
            "Færre licenser": (None, -0.0125),
        },
    }[unit]
    assert {key: rows[key] for key in expected} == expected
    result = import_xlsx(raw, proposal.catalog)
    assert result.updated == ["BC01"]
    assert inputs(proposal) == before


def test_sections_in_different_units_and_typed_amounts():
    proposal = proposal_in_every_section()
    units = {"permanent": "mio.kr", "implementation": "kr", "administration": "t.kr"}
    raw = build_template(proposal.catalog, proposal, units=units)

    def type_in(ws):
        ws["E4"] = 2.5  # Energibesparelse 2021: 2,5 mio. kr.
        ws["E5"] = 1500000  # Anlægsinvestering 2021: 1.500.000 kr.
        ws["E7"] = -1.528  # Kontanthjælp 2021 (a specification: its line's mio. kr.)
        ws["F7"] = "-1,5280"  # as text ("-1,528" could be read as -1.528 too)

    result = import_xlsx(edited(raw, type_in), proposal.catalog)
    assert result.updated == ["BC01"]
    energy = Line.objects.get(proposal=proposal, label="Energibesparelse")
    assert line_amounts(energy)[2021] == D("2500")
    investment = Line.objects.get(proposal=proposal, label="Anlægsinvestering")
    assert line_amounts(investment) == {2021: D("1500")}
    bif = Line.objects.get(proposal=proposal, label="Sociale ydelser (BIF)")
    assert bif.specifications[0]["amounts"] == {"2021": "-1528", "2022": "-1528"}


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (
            "kr",
            1234.5,
            "Økonomi!E5: 1.234,5 kr. kan ikke gemmes præcist i 1.000 kr. med 2 decimaler",
        ),
        ("kr", 1234, "Økonomi!E5: 1.234 kr. kan ikke gemmes præcist i 1.000 kr. med 2 decimaler"),
        ("mio.kr", "1,234567", "Økonomi!E5: 1,234567 mio. kr. kan ikke gemmes præcist"),
    ],
)
def test_an_inexact_amount_is_refused_naming_the_cell_and_nothing_is_imported(unit, value, message):
    proposal = proposal_in_every_section()
    before = inputs(proposal)
    raw = build_template(proposal.catalog, proposal, units={"implementation": unit})

    def type_in(ws):
        ws["E4"] = -600  # a valid change in another section
        ws["E5"] = value

    with pytest.raises(XlsxImportError) as refused:
        import_xlsx(edited(raw, type_in), proposal.catalog)
    assert str(refused.value).startswith(message)
    assert inputs(proposal) == before  # nothing half-imported


def test_an_unknown_unit_is_refused_naming_the_cell():
    proposal = proposal_in_every_section()
    raw = edited(build_template(proposal.catalog, proposal), lambda ws: ws.__setitem__("D2", "dkk"))
    with pytest.raises(XlsxImportError, match="^Økonomi!D2: 'dkk' er ikke en enhed"):
        import_xlsx(raw, proposal.catalog)


def test_a_template_without_unit_cells_is_in_thousands():
    """A template made before the unit cells (row 2 empty) still imports, in 1.000 kr."""
    proposal = proposal_in_every_section()
    before = inputs(proposal)

    def older(ws):
        for column in range(1, 7):
            ws.cell(row=2, column=column).value = None
        ws["E4"] = -600

    result = import_xlsx(
        edited(build_template(proposal.catalog, proposal), older), proposal.catalog
    )
    assert result.updated == ["BC01"]
    after = inputs(proposal)
    assert after["lines"][0]["amounts"]["2021"] == -600
    after["lines"][0]["amounts"]["2021"] = before["lines"][0]["amounts"]["2021"]
    assert after == before


def test_the_template_download_is_written_in_the_unit_asked_for(client, central_user):
    proposal = proposal_in_every_section()
    client.force_login(central_user)
    url = reverse("annex:proposal_template", args=[proposal.catalog.key, proposal.number])
    sheet = grid(client.get(url + "?enhed=mio.kr").content)
    assert (sheet["B2"].value, sheet["E4"].value) == ("mio. kr.", -0.517)
    sheet = grid(client.get(url + "?enhed=nonsense").content)
    assert (sheet["B2"].value, sheet["E4"].value) == ("1.000 kr.", -517)


def test_an_ambiguous_text_amount_is_refused_saying_how_to_write_it():
    """ "-1,528" as text in a mio. kr. section could be -1,528 or -1.528 (the other
    convention): refused, with a writing that is read one way only."""
    proposal = proposal_in_every_section()
    raw = build_template(proposal.catalog, proposal, units={"permanent": "mio.kr"})
    with pytest.raises(XlsxImportError) as refused:
        import_xlsx(edited(raw, lambda ws: ws.__setitem__("E4", "-1,528")), proposal.catalog)
    assert str(refused.value) == (
        "Økonomi!E4: '-1,528' er tvetydigt: det kan læses som -1,5280 eller som -1.528. "
        "Skriv tallet som et tal i Excel, eller som -1,5280 eller -1.528."
    )
