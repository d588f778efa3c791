"""Kontrolnoter on paper (issue 10, point 7): a row the source printed with a figure that
differs from the computation is printed whole, as the source laid it out, over the same
row as computed; the overview's printed figures that differ are listed under it."""

import re

import pytest

from annex import pdf, printing
from cases.models import Catalog

from .conftest import pdftotext, save_pngs

pytestmark = pytest.mark.django_db


def numbers(line: str) -> list[str]:
    return re.findall(r"(?<![\w.,])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\w])", line)


def line_with(text: str, *parts: str) -> str:
    found = [ln for ln in text.splitlines() if all(p in ln for p in parts)]
    assert found, parts
    return found[0]


@pytest.mark.slow
@pytest.mark.tools("pdftotext", "pdftoppm")
def test_innovation_bc07_prints_its_printed_rows_beside_the_computed(reference_catalogs, tmp_path):
    catalog = Catalog.objects.get(key="innovation-2020")
    proposal = pdf.select_proposals(catalog, numbers=["BC07"])[0]
    out = tmp_path / "bc07.pdf"
    stats = pdf.render_proposal_pdf(proposal, out)
    text = pdftotext(out)
    notes = text[text.index("Kontrolnoter") :]
    lines = notes.splitlines()
    printed = line_with(notes, "Implementeringsomkostninger i alt", "Trykt")
    assert numbers(printed.split("Trykt", 1)[1]) == ["1.411", "2.823"]
    computed = lines[lines.index(printed) + 1]
    assert "Beregnet" in computed and numbers(computed) == ["1.412", "2.823"]
    # the detail table's total row and the distribution's total row, as printed
    total = line_with(notes, "»Investeringer totalt, service«", "Trykt")
    assert numbers(total.split("Trykt", 1)[1]) == ["1.411", "2.823"]
    dist = line_with(notes, "»Total«", "Trykt")
    assert numbers(dist.split("Trykt", 1)[1]) == ["1.411", "2.823"]
    save_pngs(out, "innovation-2020-BC07-kontrolnoter", pages=1, first=stats.pages)


def test_the_overview_lists_its_printed_figures_that_differ(reference_catalogs):
    """Innovation 2020 prints BC07 4,1 and BC09 0,7 (the lines give 4,2 and 0,8) and
    a total of 9,1 (9,3): the same figures the proposals' checks report."""
    catalog = Catalog.objects.get(key="innovation-2020")
    items = [printing.Listed.of(p, f) for p, f in pdf.figures_of(pdf.select_proposals(catalog))]
    notes = printing.overview(catalog, items)["notes"]
    assert [(n.where, str(n.stated), str(n.computed)) for n in notes] == [
        ("BC07 Kompetencecenter for kunstig intelligens: Innovationspuljen", "4.1", "4.2"),
        (
            "BC09 Forbedring af Serviceplatformen ved brug af tværgående sagsforløb: "
            "Innovationspuljen",
            "0.7",
            "0.8",
        ),
        ("I alt: Innovationspuljen", "9.1", "9.3"),
    ]


def test_an_overview_of_more_proposals_than_printed_checks_no_total(reference_catalogs):
    """Investment 2021 part 1: the source's overview lists 8 proposals, the catalogue
    holds 4 of them; their rows agree, and its total is not the sum of these 4."""
    catalog = Catalog.objects.get(key="investment-2021")
    items = [printing.Listed.of(p, f) for p, f in pdf.figures_of(pdf.select_proposals(catalog))]
    assert printing.overview(catalog, items)["notes"] == []
