"""budget-cases/1 "amount_unit": amounts written in kr., 1.000 kr. or mio. kr. are stored
in 1.000 kr. exactly; without the field a document reads as before."""

import copy
from decimal import Decimal as D

import pytest

from cases.exporting import dumps, export_catalog
from cases.interchange import InterchangeError, parse_document
from cases.models import Catalog
from cases.services import import_document

DOC = {
    "format": "budget-cases/1",
    "catalog": {"key": "unit-2021", "title": "Enheder", "pool": "investment",
                "budget_year": 2021},
    "proposals": [
        {
            "number": "BC01",
            "title": "Belysningspakke",
            "price_level_year": 2021,
            "years": [2021, 2022],
            "lines": [
                {"section": "permanent", "kind": "saving", "area": "service", "label": "Energi",
                 "amounts": {"2021": -517, "2022": -1034}},
                {"section": "implementation", "kind": "cost", "area": "capital",
                 "label": "Anlæg", "amounts": {"2021": 5580}},
            ],
            "distributions": [{"subject": "implementation", "basis": "amounts", "rows": [
                {"committee": "KFU", "amounts": {"2021": 5580}}]}],
            "stated": {"net_total": {"2021": 5063}},
        }
    ],
}  # fmt: skip


def in_unit(scale, unit):
    """DOC with every amount multiplied by `scale` and the unit named."""
    doc = copy.deepcopy(DOC)
    proposal = doc["proposals"][0]
    proposal["amount_unit"] = unit
    for line in proposal["lines"]:
        line["amounts"] = {y: v * scale for y, v in line["amounts"].items()}
    row = proposal["distributions"][0]["rows"][0]
    row["amounts"] = {y: v * scale for y, v in row["amounts"].items()}
    stated = proposal["stated"]["net_total"]
    proposal["stated"]["net_total"] = {y: v * scale for y, v in stated.items()}
    return doc


@pytest.mark.parametrize(
    ("scale", "unit"), [(1000, "kr"), (1, "t.kr"), (D("0.001"), "mio.kr")], ids=str
)
def test_every_amount_is_stored_in_thousands(scale, unit):
    parsed = parse_document(in_unit(scale, unit)).proposals[0]
    assert parsed.lines[0].amounts == {2021: D(-517), 2022: D(-1034)}
    assert parsed.lines[1].amounts == {2021: D(5580)}
    assert parsed.distributions[0].rows[0].amounts == {2021: D(5580)}
    assert parsed.stated.net_total == {2021: D(5063)}


def test_without_the_field_amounts_are_thousands_and_export_is_unchanged(db):
    import_document(copy.deepcopy(DOC))
    first = dumps(export_catalog(Catalog.objects.get(key="unit-2021")))
    import_document(in_unit(1000, "kr"))  # the same proposal written in kroner
    again = dumps(export_catalog(Catalog.objects.get(key="unit-2021")))
    assert again == first
    assert '"amount_unit"' not in again  # export always writes 1.000 kr.


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        ("kr", 1234, 'proposals[0].lines[0].amounts["2021"]: 1.234 kr. kan ikke gemmes '
                     "præcist i 1.000 kr. med 2 decimaler"),
        ("mio.kr", D("0.000001"), 'proposals[0].lines[0].amounts["2021"]: 0.000001 har mere '
                                  "end 5 decimaler"),
        ("euro", 1, 'proposals[0].amount_unit: "euro" er ikke en gyldig værdi (brug "kr", '
                    '"t.kr", "mio.kr" eller null)'),
    ],
)  # fmt: skip
def test_amounts_that_do_not_fit_are_refused_with_the_path(unit, value, message):
    doc = copy.deepcopy(DOC)
    doc["proposals"][0]["amount_unit"] = unit
    doc["proposals"][0]["lines"][0]["amounts"]["2021"] = value
    with pytest.raises(InterchangeError) as error:
        parse_document(doc)
    assert str(error.value) == message
