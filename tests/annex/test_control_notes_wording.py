"""Breaker: the Kontrolnoter of a proposal typed in the editor (no source document) said
"Kildedokumentet trykte disse tal anderledes …" and headed its column "Trykt". The wording
now follows where the figures came from (`engine.Case.from_source_document`): an imported
proposal with printed figures keeps "Trykt"; a typed one says what was entered."""

import re

import pytest

from annex.pdf import Reference, part_html
from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs
from tests.factories import CatalogFactory, ProposalFactory, add_line, add_specified_line, bc01

pytestmark = pytest.mark.django_db

SOURCE = "Kildedokumentet trykte"


def notes_of(proposal) -> str:
    full = proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
    html = part_html(full, figures_for(full), Reference.load())
    notes = html[html.index('class="control-notes"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", notes))


def test_a_typed_proposal_s_notes_do_not_speak_of_a_source_document(client, central_user):
    proposal = bc01()
    line = add_specified_line(proposal)
    line.specifications = [
        {"label": "Kontanthjælp", "amounts": {"2021": "-1528", "2022": "-1500"}},
        {"label": "Førtidspension", "amounts": {"2021": "-984", "2022": "-984"}},
    ]
    line.save()
    text = notes_of(proposal)
    assert SOURCE not in text and "Trykt" not in text
    assert "Disse tal stemmer, som de er angivet, ikke med det, de beregnes til." in text
    assert "Hvor Angivet Beregnet" in text
    assert "-2.484" in text and "-2.512" in text  # the rows' sum under the line's amount
    # the page: no "trykte tal" where nothing was printed
    client.force_login(central_user)
    page = client.get(plain_typed_proposal().get_absolute_url()).content.decode()
    assert "Ingen uoverensstemmelser fundet." in page
    assert "alle trykte tal" not in page


def plain_typed_proposal():
    """A typed proposal whose figures all agree (no checks)."""
    proposal = ProposalFactory(catalog=CatalogFactory(key="typed"), first_year=2021, last_year=2022)
    add_line(proposal, "permanent", "saving", "service", "Besparelse", {2021: -5, 2022: -5})
    return proposal


def test_an_imported_proposal_s_notes_keep_the_printed_wording(
    client, central_user, reference_catalogs
):
    text = notes_of(Proposal.objects.get(catalog__key="citizen-2018", number="3"))
    assert SOURCE in text
    assert "Hvor Trykt Beregnet" in text
    client.force_login(central_user)
    page = client.get(
        Proposal.objects.get(catalog__key="investment-2021", number="BC01").get_absolute_url()
    ).content.decode()
    assert "Ingen uoverensstemmelser: alle trykte tal svarer til de beregnede." in page
