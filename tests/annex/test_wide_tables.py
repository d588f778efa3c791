"""Every year on the page: a 20-year proposal prints all 20 years in every table (year
blocks with the label column repeated), and a long Danish label wraps instead of
pushing the last years off the page."""

import json

import pytest

from annex import pdf
from cases.models import Proposal
from cases.services import import_json
from tests.conftest import FIXTURES

from .conftest import pdftotext, save_pngs
from .test_layout import captions, context

pytestmark = [pytest.mark.slow, pytest.mark.tools("pdftotext", "pdftoppm")]

YEARS = list(range(2021, 2041))
LONG = "Effektiviseringspotentialeberegningsforudsætningsgennemgangsarbejdsgruppemøde"


@pytest.mark.django_db
def test_twenty_years_in_every_table(tmp_path):
    data = json.loads((FIXTURES / "investment-2021-part1.json").read_text())
    proposal = next(p for p in data["proposals"] if p["number"] == "BC11")
    every = lambda v: {str(y): v for y in YEARS}  # noqa: E731
    proposal.update(
        number="BC99",
        years=YEARS,
        other_tables=[],
        stated=None,
        lines=[
            {
                "section": "permanent",
                "kind": "saving",
                "area": "service",
                "label": LONG,
                "amounts": every(-1000),
            },
            {
                "section": "permanent",
                "kind": "saving",
                "area": "transfers",
                "label": "Overførsler",
                "amounts": every(-200),
            },
            {
                "section": "permanent",
                "kind": "cost",
                "area": "service",
                "label": "Drift",
                "amounts": every(150),
            },
            {
                "section": "implementation",
                "kind": "cost",
                "area": "capital",
                "label": "Anlæg",
                "amounts": every(300),
            },
            {
                "section": "implementation",
                "kind": "cost",
                "area": "service",
                "label": "Projektledelse",
                "amounts": every(100),
            },
        ],
        admin_lines=[{"label": "Administration", "amounts": every(-50)}],
        distributions=[
            {
                "subject": "permanent_saving",
                "basis": "weights",
                "rows": [{"committee": "KFU", "weight": 1}, {"committee": "BUU", "weight": 3}],
            },
            {
                "subject": "permanent_cost",
                "basis": "weights",
                "rows": [{"committee": "ØU", "unit": "Koncern IT", "weight": 1}],
            },
            {
                "subject": "implementation_capital",
                "basis": "weights",
                "rows": [{"committee": "KFU", "weight": 1}],
            },
        ],
    )
    data["proposals"] = [proposal]
    import_json(json.dumps(data).encode())
    saved = Proposal.objects.get(catalog__key="investment-2021", number="BC99")
    printed = captions(context("investment-2021", "BC99"))
    tables = len([c for c in printed if "(fortsat)" not in c]) + 1  # + table 1.1
    path = tmp_path / "twenty.pdf"
    pdf.render_proposal_pdf(saved, path)
    save_pngs(path, "twenty-years", pages=12)
    text = pdftotext(path)
    assert tables >= 11
    for year in YEARS:
        assert text.count(str(year)) >= tables, year
    # 20 years: three blocks per table (table 1.1 continues under its section heading)
    assert text.count("(fortsat)") == 2 * (tables - 1)
    # The engine's figure of the last year is printed in the net row's last block.
    assert "Samlet økonomisk påvirkning" in text
