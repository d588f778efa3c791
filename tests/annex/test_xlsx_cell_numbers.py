"""Breaker: an uploaded template with several amounts the import cannot store named
them one upload at a time, and in the JSON import's notation: a sheet with "1.234,567"
in F4, 1e300 in G4 and "abc" in H4 said only "H4: 'abc' er ikke et tal"; corrected, only
"Økonomi!F4: 1234.567 har mere end 2 decimaler"; then G4. Every such cell (grid,
distribution amounts and keys) is now checked where it is read, all are named in one
message, and in Danish notation."""

import pytest

from annex.xlsx_import import XlsxImportError, import_xlsx
from cases.models import Catalog, Line, Proposal

from .test_xlsx import bad_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(reference_catalogs):
    return Catalog.objects.get(key="investment-2021")


def refused(catalog, raw) -> list[str]:
    counts = (Proposal.objects.count(), Line.objects.count())
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(raw, catalog)
    assert (Proposal.objects.count(), Line.objects.count()) == counts
    return error.value.messages


def test_every_bad_amount_is_named_in_one_upload_in_danish(catalog):
    def edit(book):
        grid = book["Økonomi"]
        grid["F4"] = "1.234,567"
        grid["G4"] = 1e300
        grid["H4"] = "abc"
        grid["I4"] = 12.3456
        grid["J4"] = 10**13

    assert refused(catalog, bad_template(catalog, edit)) == [
        "Økonomi!F4: 1.234,567 har mere end 2 decimaler",
        "Økonomi!G4: tallet er urimeligt stort",
        "Økonomi!H4: 'abc' er ikke et tal",
        "Økonomi!I4: 12,3456 har mere end 2 decimaler",
        "Økonomi!J4: 10.000.000.000.000 er urimeligt stort",
    ]


def test_distribution_amounts_and_keys_are_named_too(catalog):
    def edit(book):
        sheet = book["Fordeling"]
        sheet.append(["permanent", "Beløb", "KFU", "KFU", None, "1,1234567", "-0,125"])
        sheet.append(["implementation", "Nøgle", "KFU", "KFU", None, "2,12345678"])

    assert refused(catalog, bad_template(catalog, edit)) == [
        "Fordeling!G2: -0,125 har mere end 2 decimaler",
        "Fordeling!F2: 1,1234567 har mere end 6 decimaler",
        "Fordeling!F3: 2,12345678 har mere end 6 decimaler",
    ]


def test_good_amounts_still_import(catalog):
    def edit(book):
        book["Økonomi"]["F4"] = "1.234,5"
        book["Økonomi"]["G4"] = 0.1 + 0.2

    result = import_xlsx(bad_template(catalog, edit), catalog)
    assert result.created
