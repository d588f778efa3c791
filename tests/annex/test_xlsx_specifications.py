"""Specification rows in the xlsx template (issue 10, point 3): a "Specifikation" row
stands under the line it breaks down; the template writes them and the import reads
them back (round trip), with the cell named in every message."""

import io

import openpyxl
import pytest

from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases import limits
from cases.models import Line, Proposal
from cases.selectors import proposals_with_inputs
from tests.factories import BIF_SPECIFICATIONS, CatalogFactory, add_specified_line, bc01

pytestmark = pytest.mark.django_db

SPECS = BIF_SPECIFICATIONS


def proposal_with_specifications():
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    add_specified_line(proposal)
    return proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()


def grid_rows(raw: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(raw))["Økonomi"]
    return [row[:6] for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


def edited(raw: bytes, edit) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    edit(book["Økonomi"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(proposal) -> list:
    return Line.objects.get(proposal=proposal, label="Sociale ydelser (BIF)").specifications


def test_the_template_writes_the_rows_under_their_line_and_reads_them_back():
    proposal = proposal_with_specifications()
    raw = build_template(proposal.catalog, proposal)
    assert grid_rows(raw) == [
        ("Varig ændring", "Besparelse", "Service", "Energibesparelse", -517, -1034),
        ("Implementering", "Omkostning", "Anlæg", "Anlægsinvestering", 5580, None),
        ("Varig ændring", "Besparelse", "Overførsler", "Sociale ydelser (BIF)", -2512, -2512),
        ("Specifikation", None, None, "Kontanthjælp", -1528, -1528),
        ("Specifikation", None, None, "Førtidspension", -693, -693),
        ("Specifikation", None, None, "Øvrige LAS-ydelser", -291, -291),
    ]
    # a changed row and a new one are imported; the rest is as it was
    raw = edited(raw, lambda ws: ws.cell(row=9, column=6, value=-290))
    raw = edited(raw, lambda ws: ws.insert_rows(5))
    raw = edited(raw, lambda ws: [ws.cell(row=5, column=c, value=v) for c, v in
                                  ((1, "Specifikation"), (4, "Gadelys"), (5, -517))])  # fmt: skip
    result = import_xlsx(raw, proposal.catalog)
    assert result.updated == ["BC01"]
    assert stored(proposal) == [
        SPECS[0],
        SPECS[1],
        {"label": "Øvrige LAS-ydelser", "amounts": {"2021": "-291", "2022": "-290"}},
    ]
    energy = Line.objects.get(proposal=proposal, label="Energibesparelse")
    assert energy.specifications == [{"label": "Gadelys", "amounts": {"2021": "-517"}}]
    # export -> import -> export is identical
    again = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    first = build_template(again.catalog, again)
    import_xlsx(first, again.catalog)
    assert grid_rows(build_template(again.catalog, again)) == grid_rows(first)


def test_a_row_without_a_line_above_is_refused_naming_the_cell():
    proposal = proposal_with_specifications()
    raw = edited(
        build_template(proposal.catalog, proposal),
        lambda ws: ws.insert_rows(4) or ws.cell(row=4, column=1, value="Specifikation"),
    )
    with pytest.raises(XlsxImportError, match="^Økonomi!A4: en specifikation skal stå lige under"):
        import_xlsx(raw, proposal.catalog)
    assert stored(proposal) == SPECS


def test_too_many_rows_under_one_line_are_refused():
    proposal = proposal_with_specifications()

    def many(ws):
        ws.insert_rows(7, limits.MAX_SPECIFICATIONS)
        for r in range(7, 7 + limits.MAX_SPECIFICATIONS):
            ws.cell(row=r, column=1, value="Specifikation")
            ws.cell(row=r, column=4, value=f"Række {r}")

    with pytest.raises(XlsxImportError, match=f"højst {limits.MAX_SPECIFICATIONS} specifikationer"):
        import_xlsx(edited(build_template(proposal.catalog, proposal), many), proposal.catalog)
    assert stored(proposal) == SPECS
