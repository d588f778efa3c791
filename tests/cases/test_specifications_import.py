"""Specification rows under a line: the importer maps the transcriptions' printed
detail tables (permanent_detail / implementation_detail) onto the lines they add up to;
export writes them back; the editor keeps them; the print shows them in the detail
tables; a specification that does not sum to its line is a check."""

import json
from decimal import Decimal as D

import pytest

from cases.exporting import dumps, export_catalog, export_proposal
from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs
from cases.services import import_json
from tests.conftest import FIXTURES


def proposal(key: str, number: str) -> Proposal:
    return proposals_with_inputs(Proposal.objects.filter(catalog__key=key)).get(number=number)


def specs(p: Proposal) -> dict[str, list[tuple[str, dict]]]:
    return {
        ln.label: [(s["label"], s["amounts"]) for s in ln.specifications]
        for ln in p.lines.all()
        if ln.specifications
    }


@pytest.mark.django_db
def test_investment_bc11_sociale_ydelser_is_specified_by_tabel_6(reference_catalogs):
    bc11 = specs(proposal("investment-2021", "BC11"))
    assert [label for label, _ in bc11["Sociale ydelser (BIF)"]] == [
        "Kontanthjælp",
        "Førtidspension",
        "Øvrige LAS-ydelser",
    ]
    assert bc11["Sociale ydelser (BIF)"][0][1]["2021"] in ("-1528", "-1528.00")
    assert [label for label, _ in bc11["Udvikling og projektledelse"]] == [
        "Udvikling af algoritme og dataflow",
        "Automatisering af partshøring og journalisering",
        "Tilføjelse af flere datakilder",
        "Projektledelse",
    ]
    assert "Boligsikring og ydelser (KFF)" not in bc11  # printed 1:1, no specification
    bc03 = specs(proposal("investment-2021", "BC03"))
    assert [label for label, _ in bc03["Bygningsoptimering"]] == [
        "Bygningsoptimering",
        "Projekt- og forandringsledelse",
    ]
    assert not [
        c
        for c in figures_for(proposal("investment-2021", "BC11")).checks
        if c.code == "specification_mismatch"
    ]


@pytest.mark.django_db
def test_export_import_export_keeps_specifications(reference_catalogs):
    p = proposal("investment-2021", "BC11")
    first = export_catalog(p.catalog)
    line = next(ln for p in first["proposals"] for ln in p["lines"] if ln.get("specifications"))
    assert line["specifications"][0]["amounts"]
    import_json(dumps(first).encode())
    assert export_catalog(p.catalog) == first


@pytest.mark.django_db
def test_a_specification_that_does_not_sum_is_a_check(reference_catalogs):
    data = json.loads((FIXTURES / "investment-2021-part1.json").read_text())
    bc03 = next(p for p in data["proposals"] if p["number"] == "BC03")
    data["proposals"] = [bc03]
    bc03["lines"][1]["specifications"] = [
        {"label": "Bygningsoptimering", "amounts": {"2020": 1260}},
        {"label": "Projekt- og forandringsledelse", "amounts": {"2020": 1300}},
    ]
    import_json(json.dumps(data).encode())
    checks = [
        (c.code, c.year, c.stated, c.computed, c.detail["label"])
        for c in figures_for(proposal("investment-2021", "BC03")).checks
        if c.code == "specification_mismatch"
    ]
    assert checks == [("specification_mismatch", 2020, D(2560), D(2610), "Bygningsoptimering")]


@pytest.mark.django_db
def test_the_editor_keeps_specifications(client, central_user, reference_catalogs):
    from tests.cases.formdata import as_post, form_data

    client.force_login(central_user)
    p = proposal("investment-2021", "BC11")
    before = export_proposal(p)
    url = f"/katalog/{p.catalog.key}/forslag/{p.number}/rediger/"
    response = client.post(url, as_post(form_data(client.get(url).content), action="save"))
    assert response.status_code == 302
    after = export_proposal(proposal("investment-2021", "BC11"))
    assert [ln.get("specifications") for ln in after["lines"]] == [
        ln.get("specifications") for ln in before["lines"]
    ]
