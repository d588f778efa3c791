"""Issue 11 ("Trust"): a spreadsheet is read as a person reads it, and the upload never
gives a traceback or tells what the user may not read. Findings 7, 8, 9, 10, 13, 18."""

import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse

from annex.xlsx_import import XlsxImportError, import_xlsx
from cases.exporting import export_proposal
from cases.models import Catalog, Line, Proposal
from cases.selectors import proposals_with_inputs
from finance.realisation import parse_when

from .test_xlsx import bad_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(reference_catalogs):
    return Catalog.objects.get(key="investment-2021")


def template(catalog, edit) -> bytes:
    """The blank template with a title and one line (-1 in 2021), changed by `edit`."""
    return bad_template(catalog, edit)


def imported(catalog, raw) -> dict:
    result = import_xlsx(raw, catalog)
    number = (result.created or result.updated)[0]
    return export_proposal(
        proposals_with_inputs(Proposal.objects.filter(catalog=catalog, number=number)).get()
    )


def refused(catalog, raw) -> str:
    counts = (Proposal.objects.count(), Line.objects.count())
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(raw, catalog)
    assert (Proposal.objects.count(), Line.objects.count()) == counts
    return str(error.value)


# ------------------------------------------------------------------ 7. date cells


def test_finding_7_date_cells_are_dates(catalog):
    def edit(book):
        book["Hørt"].append(["Center for Økonomi, Økonomiforvaltningen", "Ja"])
        book["Hørt"]["C2"] = datetime.datetime(2020, 5, 28)
        book["Hørt"]["C2"].number_format = "DD-MM-YYYY"
        book["Opfølgning"].append(["Mindre strøm", "Måler", "Lys", "KFF"])
        book["Opfølgning"]["E2"] = datetime.datetime(2022, 1, 1)

    data = imported(catalog, template(catalog, edit))
    assert data["hearing"][0]["date"] == "28. maj 2020"
    assert data["followup"][0]["when"] == "1. januar 2022"
    assert parse_when(data["followup"][0]["when"]) == ("once", datetime.date(2022, 1, 1))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("01-01-2022", datetime.date(2022, 1, 1)),
        ("2022-01-01", datetime.date(2022, 1, 1)),
        ("2022-01-01 00:00:00", datetime.date(2022, 1, 1)),
        ("1/1/2022", datetime.date(2022, 1, 1)),
        ("9. juni 2020", datetime.date(2020, 6, 9)),
        ("1. januar 2022", datetime.date(2022, 1, 1)),
        ("juni 2021", datetime.date(2021, 6, 30)),
        ("Ultimo 2020", datetime.date(2020, 12, 31)),
    ],
)
def test_finding_7_any_written_date_falls_due_that_day(text, due):
    assert parse_when(text)[1] == due


# ------------------------------------------------------------------ 8. formulas


def test_finding_8_a_formula_without_a_cached_value_is_computed(catalog):
    def edit(book):
        book["Økonomi"]["F4"] = "=250*2"
        book["Økonomi"]["G4"] = "=F4-100+E4"
        book["Økonomi"]["H4"] = "=SUM(E4:G4)"

    data = imported(catalog, template(catalog, edit))
    assert data["lines"][0]["amounts"] == {"2021": -1, "2022": 500, "2023": 399, "2024": 898}


@pytest.mark.parametrize(
    "formula", ["=Forslag!B5*2", "=1/0", "=NOSUCHFUNCTION(1)", '="tolv"&"1"']
)
def test_finding_8_a_formula_that_cannot_be_computed_is_refused_naming_the_cell(
    catalog, formula
):
    message = refused(catalog, template(catalog, lambda b: b["Økonomi"].__setitem__("F4", formula)))
    assert message.startswith("Økonomi!F4: "), message


# ------------------------------------------------------------------ 9. float leftovers


def test_finding_9_spreadsheet_float_leftovers_are_rounded(catalog):
    def edit(book):
        book["Økonomi"]["F4"] = -300.00000000000006
        book["Økonomi"]["G4"] = 0.1 + 0.2

    data = imported(catalog, template(catalog, edit))
    assert data["lines"][0]["amounts"] == {"2021": -1, "2022": -300, "2023": 0.3}


def test_finding_9_real_extra_decimals_are_still_refused(catalog):
    message = refused(catalog, template(catalog, lambda b: b["Økonomi"].__setitem__("F4", 1.005)))
    assert "har mere end 2 decimaler" in message


# ------------------------------------------------------------------ 10. ambiguous text


@pytest.mark.parametrize("text", ["0.250", "1,000", "1.000", "-12,500"])
def test_finding_10_ambiguous_numbers_in_text_cells_are_refused(catalog, text):
    message = refused(catalog, template(catalog, lambda b: b["Økonomi"].__setitem__("F4", text)))
    assert message.startswith("Økonomi!F4: "), message
    assert "tvetydig" in message, message


@pytest.mark.parametrize(
    ("text", "value"), [("1.034", None), ("1.034,5", 1034.5), ("0,25", 0.25), ("1034.5", 1034.5)]
)
def test_finding_10_unambiguous_text_cells_are_read(catalog, text, value):
    if value is None:  # "1.034" alone: Danish thousands or a plain decimal, refused
        refused(catalog, template(catalog, lambda b: b["Økonomi"].__setitem__("F4", text)))
        return
    data = imported(catalog, template(catalog, lambda b: b["Økonomi"].__setitem__("F4", text)))
    assert data["lines"][0]["amounts"]["2022"] == value


# ------------------------------------------------------------------ 13. broken XML


def with_sheet_xml(raw: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


BROKEN_XML = {
    "truncated": lambda xml: xml[: len(xml) // 2],
    "entity": lambda xml: re.sub(
        rb"^(<\?xml[^>]*\?>)?",
        rb'\1<!DOCTYPE worksheet [<!ENTITY e "x">]>',
        xml,
        count=1,
    ).replace(b"<v>-1</v>", b"<v>&e;</v>"),
    "nul": lambda xml: xml.replace(b"<v>-1</v>", b"<v>&#0;</v>"),
}


@pytest.mark.parametrize("kind", BROKEN_XML)
def test_finding_13_malformed_sheet_xml_gets_one_danish_message(catalog, kind):
    raw = with_sheet_xml(template(catalog, lambda b: None), BROKEN_XML[kind])
    message = refused(catalog, raw)
    assert message.startswith("Arket »Økonomi« kan ikke læses"), message


@pytest.mark.parametrize("kind", BROKEN_XML)
def test_finding_13_upload_of_malformed_xml_is_a_400_with_the_message(
    client, central_user, catalog, kind
):
    client.force_login(central_user)
    raw = with_sheet_xml(template(catalog, lambda b: None), BROKEN_XML[kind])
    upload = io.BytesIO(raw)
    upload.name = "forslag.xlsx"
    response = client.post(reverse("annex:import", args=[catalog.key]), {"file": upload})
    assert response.status_code == 400
    assert "Arket »Økonomi« kan ikke læses" in response.content.decode()


# ------------------------------------------------------------------ 18. not found


def test_finding_18_import_says_not_found_for_a_proposal_the_user_may_not_read(
    catalog, finance_user
):
    from cases.permissions import visible_proposals

    hidden = Proposal.objects.exclude(pk__in=visible_proposals(finance_user)).filter(
        catalog=catalog, number="BC03"
    )
    assert hidden.exists()  # BC03 is another administration's, and not visible to KFF
    raw = template(catalog, lambda b: b["Forslag"].__setitem__("B4", "BC03"))
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(raw, catalog, user=finance_user)
    message = str(error.value)
    assert message == "Forslag!B4: forslag BC03 ikke fundet", message
    assert hidden.get().title not in message
