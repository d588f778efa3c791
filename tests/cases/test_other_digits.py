"""Breaker: amounts typed with other digits than 0-9 (Arabic-Indic "١٢٣", full-width
"１２３") were accepted and saved: Python's regex ``\\d`` and ``Decimal`` read them as
numbers. Danish finance input takes 0-9 with Danish separators only; one rule
(`cases.numbers.ascii_digits_only`) in every parser: the editor's amounts and years,
the xlsx upload and import. Refused with a Danish message, nothing saved."""

import io
import json

import openpyxl
import pytest
from django.utils import translation

from annex.xlsx_import import XlsxImportError, build_template, import_xlsx
from cases.exporting import export_catalog
from cases.forms import AmountField, IntegerField
from cases.models import Catalog, Proposal
from cases.numbers import NumberError, parse_number, parse_text_number
from cases.services import import_json

from .formdata import as_post
from .test_editor import errors_of, page_data
from .test_outside_span import document, edit_url

OTHER = ["١٢٣", "１２３", "-1.٠٠٠", "1٬234", "۱۲", "१२३", "12,５"]


@pytest.mark.parametrize("text", OTHER)
def test_the_parsers_refuse_other_digits(text):
    for parse in (parse_number, parse_text_number):
        with pytest.raises(NumberError) as error, translation.override("da"):
            parse(text)
        assert error.value.code in {"digits", "invalid"}
    with pytest.raises(NumberError) as error, translation.override("da"):
        parse_number("١٢٣")
    assert error.value.code == "digits"


def test_latin_digits_with_danish_separators_still_parse():
    with translation.override("da"):
        assert [str(parse_number(t)) for t in ("1.034", "-517", "337,5", "−1.200,50")] == [
            "1034", "-517", "337.5", "-1200.50"]  # fmt: skip
    assert str(parse_text_number("1.034,5")) == "1034.5"


def test_the_fields_say_so_in_danish():
    with translation.override("da"):
        for field in (AmountField(), IntegerField(required=False)):
            with pytest.raises(Exception) as error:
                field.clean("１２３")
            assert error.value.messages == [
                "“１２３” har andre cifre end 0-9. Skriv tallet med cifrene 0-9."
            ]


@pytest.mark.django_db
def test_the_editor_refuses_them_and_saves_nothing(client, central_user):
    import_json(json.dumps(document()))
    proposal = Proposal.objects.get(catalog__key="span-2021")
    before = export_catalog(proposal.catalog)
    client.force_login(central_user)
    data = page_data(client, edit_url(proposal))
    data["title"] = "Ny titel"
    cell = next(k for k, v in data.items() if k.endswith("-y2021") and v == "-100")
    data[cell] = "-١٢٣"
    data["first_year"] = "２٠٢١"
    response = client.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 200
    assert errors_of(response).splitlines() == [
        "“２٠٢١” har andre cifre end 0-9. Skriv tallet med cifrene 0-9.",
        "“-١٢٣” har andre cifre end 0-9. Skriv tallet med cifrene 0-9.",
    ]
    assert export_catalog(proposal.catalog) == before


@pytest.mark.django_db
def test_the_xlsx_upload_refuses_them_and_imports_nothing(reference_catalogs):
    catalog = Catalog.objects.get(key="investment-2021")
    book = openpyxl.load_workbook(io.BytesIO(build_template(catalog)))
    book["Forslag"]["B5"] = "Titel"
    book["Økonomi"].append(["Varig ændring", "Besparelse", "Service", "Linje", "١٢٣"])
    out = io.BytesIO()
    book.save(out)
    count = Proposal.objects.count()
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(out.getvalue(), catalog)
    assert str(error.value).endswith("'١٢٣' har andre cifre end 0-9; skriv tallet med cifrene 0-9")
    assert Proposal.objects.count() == count
