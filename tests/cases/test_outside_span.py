"""Breaker: amounts outside a proposal's years were lost without a word. Citizen 2018
Forslag 3 prints its potential distribution under 2017-2020 while the proposal runs
2016-2019: the import dropped the 2020 column, and the editor (the original's "Rediger"
and "Kopiér") opened distribution and specification rows without the years outside the
span, so a save dropped whatever they held there. Now the import keeps every printed
year, the editor shows a column for every year the proposal holds an amount in (marked
outside the span) and saves those amounts back as they were; a changed or newly typed
amount outside the span is refused at its cell, and the user may clear it."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.exporting import export_catalog
from cases.models import DistributionRowAmount, Proposal
from cases.services import import_json
from tests.conftest import FIXTURES

from .formdata import as_post
from .test_editor import errors_of, page_data

pytestmark = pytest.mark.django_db

OUTSIDE = "2030 ligger uden for forslagets år (2021–2024)."


def document(**proposal) -> dict:
    return {
        "format": "budget-cases/1",
        "catalog": {
            "key": "span-2021",
            "title": "Span",
            "pool": "investment",
            "budget_year": 2021,
        },
        "proposals": [
            {
                "number": "1",
                "title": "Beløb uden for årene",
                "committee": "KFU",
                "presenting_administration": "KFF",
                "years": [2021, 2022, 2023, 2024],
                "lines": [
                    {
                        "section": "permanent",
                        "kind": "saving",
                        "area": "service",
                        "label": "Besparelse",
                        "amounts": {"2021": -100, "2022": -200},
                    }
                ],
                **proposal,
            }
        ],
    }


DISTRIBUTION = {
    "subject": "permanent_saving",
    "basis": "amounts",
    "rows": [
        {"committee": "KFU", "unit": "KFU", "amounts": {"2021": -100, "2022": -200, "2030": -7}}
    ],
}

SPECIFIED_LINE = {
    "section": "permanent",
    "kind": "saving",
    "area": "service",
    "label": "Besparelse",
    "amounts": {"2021": -100, "2022": -200},
    "specifications": [
        {"label": "Del a", "amounts": {"2021": -60, "2022": -200}},
        {"label": "Del b", "amounts": {"2021": -40, "2030": -9}},
    ],
}


def edit_url(proposal):
    return reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])


def stored_outside(proposal) -> list:
    return sorted(
        DistributionRowAmount.objects.filter(
            row__distribution__proposal=proposal, year=2030
        ).values_list("amount", flat=True)
    )


def spec_amounts(proposal) -> list:
    return [s["amounts"] for ln in proposal.lines.all() for s in ln.specifications]


def test_citizen_forslag_3_keeps_the_printed_2020_column(db):
    import_json((FIXTURES / "citizen-2018.json").read_bytes())
    proposal = Proposal.objects.get(catalog__key="citizen-2018", number="3")
    kept = {
        (subject, code): amount
        for subject, code, amount in DistributionRowAmount.objects.filter(
            row__distribution__proposal=proposal, year=2020
        ).values_list("row__distribution__subject", "row__committee__code", "amount")
    }
    assert kept == {
        ("permanent_saving", "KFU"): Decimal("-5000"),
        ("permanent_saving", "BUU"): Decimal("-1000"),
        ("permanent_saving", "SUD"): Decimal("-500"),
        ("permanent_cost", "KFU"): Decimal("3075"),
        ("permanent_cost", "BUU"): Decimal("0"),
        ("permanent_cost", "SUD"): Decimal("0"),
    }


def test_saving_the_original_untouched_keeps_them(client, central_user):
    import_json(json.dumps(document(distributions=[DISTRIBUTION], lines=[SPECIFIED_LINE])))
    proposal = Proposal.objects.get(catalog__key="span-2021")
    before = export_catalog(proposal.catalog)["proposals"][0]
    client.force_login(central_user)
    data = page_data(client, edit_url(proposal))
    # the editor shows them: 2030 cells of the distribution row and the specification
    cells = {k: v for k, v in data.items() if k.endswith("-y2030") and v}
    assert cells == {"dist-permanent_saving-rows-0-y2030": "-7", "perm-spec-1-y2030": "-9"}
    response = client.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    assert stored_outside(proposal) == [Decimal("-7")]
    assert [a.get("2030") for a in spec_amounts(proposal)] == [None, "-9"]
    assert export_catalog(proposal.catalog)["proposals"][0] == before


def test_a_changed_or_new_amount_outside_the_years_is_refused(client, central_user):
    import_json(json.dumps(document(distributions=[DISTRIBUTION], lines=[SPECIFIED_LINE])))
    proposal = Proposal.objects.get(catalog__key="span-2021")
    client.force_login(central_user)
    data = page_data(client, edit_url(proposal))
    data["dist-permanent_saving-rows-0-y2030"] = "-8"
    data["perm-spec-0-y2030"] = "-1"
    response = client.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 200
    assert errors_of(response).splitlines() == [OUTSIDE, OUTSIDE]
    assert stored_outside(proposal) == [Decimal("-7")]


def test_removing_the_amount_outside_saves(client, central_user):
    import_json(json.dumps(document(distributions=[DISTRIBUTION])))
    proposal = Proposal.objects.get(catalog__key="span-2021")
    client.force_login(central_user)
    data = page_data(client, edit_url(proposal))
    data["dist-permanent_saving-rows-0-y2030"] = ""
    response = client.post(edit_url(proposal), as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    assert stored_outside(proposal) == []


def test_a_copy_of_citizen_forslag_3_keeps_the_2020_amounts(client, central_user):
    import_json((FIXTURES / "citizen-2018.json").read_bytes())
    source = Proposal.objects.get(catalog__key="citizen-2018", number="3")
    client.force_login(central_user)
    url = reverse("cases:proposal_new") + f"?kopi={source.pk}"
    # the page says what the grey column is, in Danish
    assert "De grå kolonner (2020) ligger uden for forslagets år (2016–2019)" in (
        client.get(url).content.decode()
    )
    data = page_data(client, url)
    shown = sorted(v for k, v in data.items() if k.endswith("-y2020") and v)
    assert shown == ["-1.000", "-5.000", "-500", "0", "0", "3.075"]
    response = client.post(url, as_post(data, action="save"))
    assert response.status_code == 302, errors_of(response)
    copy = Proposal.objects.latest("pk")
    assert copy.pk != source.pk
    assert sorted(stored_2020(copy)) == sorted(stored_2020(source))
    assert len(stored_2020(copy)) == 6


def stored_2020(proposal) -> list:
    return list(
        DistributionRowAmount.objects.filter(
            row__distribution__proposal=proposal, year=2020
        ).values_list("row__distribution__subject", "row__committee__code", "amount")
    )


def test_export_and_import_keep_amounts_outside_the_years(db):
    import_json(json.dumps(document(distributions=[DISTRIBUTION], lines=[SPECIFIED_LINE])))
    catalog = Proposal.objects.get(catalog__key="span-2021").catalog
    exported = export_catalog(catalog)
    (proposal,) = exported["proposals"]
    assert proposal["distributions"][0]["rows"][0]["amounts"]["2030"] == -7
    assert proposal["lines"][0]["specifications"][1]["amounts"]["2030"] == -9
    Proposal.objects.all().delete()
    import_json(json.dumps(exported))
    again = Proposal.objects.get(catalog__key="span-2021")
    assert stored_outside(again) == [Decimal("-7")]
    assert export_catalog(again.catalog) == exported
