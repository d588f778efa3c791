"""Breaker: a new proposal in investment 2021 was suggested the number BC13, which the
catalogue's printed overview already lists ("Ny arrangementsafvikling på udvalgte
biblioteker", not transcribed): the new proposal was compared with that row and got five
spurious "Kontroller" lines. A suggestion now skips every number the catalogue uses,
its proposals' and its printed overview's alike (editor, JSON and xlsx import)."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from annex.xlsx_import import build_template, import_xlsx
from cases.models import Catalog, Proposal
from cases.selectors import all_checks, figures_for, printed_overview, proposals_with_inputs
from cases.services import import_json

pytestmark = pytest.mark.django_db


def investment() -> Catalog:
    return Catalog.objects.get(key="investment-2021")


def test_the_printed_overview_numbers_are_in_use(reference_catalogs):
    assert {"BC13", "BC14", "BC30", "BC31"} <= set(printed_overview(investment()))
    assert not Proposal.objects.filter(catalog=investment(), number="BC13").exists()


def test_the_editor_suggests_a_number_the_overview_does_not_print(reference_catalogs, client,
                                                                    central_user):  # fmt: skip
    client.force_login(central_user)
    page = client.get(reverse("cases:proposal_new") + "?katalog=investment-2021").content.decode()
    assert 'value="BC32"' in page and 'value="BC13"' not in page


def test_an_imported_proposal_without_number_gets_a_free_one_and_no_overview_checks(
    reference_catalogs,
):
    book = openpyxl.load_workbook(io.BytesIO(build_template(investment())))
    book["Forslag"]["B5"] = "Nyt forslag"
    book["Økonomi"].append(["Varig ændring", "Besparelse", "Service", "Linje", -100])
    out = io.BytesIO()
    book.save(out)
    assert import_xlsx(out.getvalue(), investment()).created == ["BC32"]
    proposal = proposals_with_inputs(Proposal.objects.filter(number="BC32")).get()
    assert [c for c in all_checks(proposal, figures_for(proposal))
            if c.code == "overview_mismatch"] == []  # fmt: skip

    document = {
        "format": "budget-cases/1",
        "catalog": {"key": "investment-2021", "title": investment().title,
                    "pool": "investment", "budget_year": 2021,
                    "overview": investment().overview},
        "proposals": [{"title": "Endnu et", "committee": "KFU",
                       "presenting_administration": "KFF", "years": [2021]}],
    }  # fmt: skip
    assert import_json(json.dumps(document).encode()).created == ["BC33"]
