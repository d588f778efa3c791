"""The Teknisk bilag and every distribution table in print: a proposal with
distributions prints (it crashed with TypeError), with a row for every committee and ØU
unit, the engine's allocation, and the Måltalseffekt / Bevillingsmæssig effekt tables."""

import json
from decimal import Decimal

import pytest

from annex import pdf
from cases.models import Catalog, Proposal
from cases.selectors import figures_for
from cases.services import import_json
from finance.formatting import format_amount
from tests.conftest import FIXTURES

from .conftest import pdftotext, save_pngs

pytestmark = [pytest.mark.slow, pytest.mark.tools("pdftotext", "pdftoppm")]

COMMITTEES = [
    "Økonomiudvalget",
    "Koncernservice",
    "Koncern IT",
    "Københavns Ejendomme",
    "Byggeri København",
    "Kultur- og Fritidsudvalget",
    "Børne- og Ungdomsudvalget",
    "Sundheds- og Omsorgsudvalget",
    "Socialudvalget",
    "Teknik- og Miljøudvalget",
    "Beskæftigelses- og Integrationsudvalget",
]


# Lines that give every distribution subject an amount (added to BC03 below).
EXTRA_LINES = [
    {
        "section": "implementation",
        "kind": "cost",
        "area": "service",
        "label": "Projektleder",
        "amounts": {"2020": 100},
    },
    {
        "section": "implementation",
        "kind": "cost",
        "area": "operating",
        "label": "Drift",
        "amounts": {"2021": 50},
    },
    {
        "section": "permanent",
        "kind": "cost",
        "area": "service",
        "label": "Licens",
        "amounts": {"2022": 40, "2023": 40},
    },
]


def investment(proposal_number: str, distributions: list[dict], extra_lines=()) -> Proposal:
    data = json.loads((FIXTURES / "investment-2021-part1.json").read_text())
    data["proposals"] = [p for p in data["proposals"] if p["number"] == proposal_number]
    data["proposals"][0]["lines"] += list(extra_lines)
    data["proposals"][0]["distributions"] = distributions
    data["proposals"][0]["other_tables"] = []
    import_json(json.dumps(data).encode())
    return Proposal.objects.get(catalog__key="investment-2021", number=proposal_number)


def render(proposal: Proposal, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    pdf.render_proposal_pdf(proposal, path)
    save_pngs(path, name, pages=8)
    return pdftotext(path)


def figure_row(text: str, label: str) -> list[list[str]]:
    """The figures printed on each line that starts with ``label``."""
    out = []
    for line in text.splitlines():
        if line.strip().startswith(label):
            out.append(line.strip()[len(label) :].split())
    return out


def danish(values) -> list[str]:
    return [format_amount(v) for v in values if v is not None]


@pytest.mark.django_db
def test_bc01_weighted_between_buu_sou_tmu_prints(tmp_path):
    proposal = investment(
        "BC01",
        [
            {
                "subject": "permanent_saving",
                "basis": "weights",
                "rows": [
                    {"committee": "BUU", "weight": 70754},
                    {"committee": "SOU", "weight": 12445},
                    {"committee": "TMU", "weight": 963},
                ],
            },
            {
                "subject": "implementation_capital",
                "basis": "amounts",
                "rows": [
                    {
                        "committee": "ØU",
                        "unit": "Københavns Ejendomme",
                        "account": "3170 KEID Anlæg, 5175",
                        "amounts": {"2021": 5580},
                    }
                ],
            },
        ],
    )
    figures = figures_for(proposal)
    saving = next(d for d in figures.distributions if d.subject == "permanent_saving")
    text = render(proposal, tmp_path, "technical-bc01")
    assert "Teknisk bilag" in text
    for caption in (
        "Effektivisering samt varige driftsomkostninger, service",
        "Måltalseffekt – hvis forslaget indarbejdes",
        "Bevillingsmæssig effekt – hvis forslaget indarbejdes",
        "Bevillingsmæssig effekt – hvis forslaget ikke indarbejdes",
        "Fordeling af anlægsinvesteringer mellem udvalg",
    ):
        assert caption in text
    for name in COMMITTEES:  # every committee and unit, even when empty, in every table
        assert text.count(name) >= 5, name
    years = figures.years
    for row in saving.rows:
        label = {"BUU": COMMITTEES[6], "SOU": COMMITTEES[8], "TMU": COMMITTEES[9]}[row.committee]
        expected = danish(row.amounts[y] for y in years)
        rows = figure_row(text, label)
        # Besparelse row, Måltalseffekt, Bevillingsmæssig effekt (indarbejdes)
        assert rows.count(["Besparelse", *expected]) == 1
        assert rows.count(expected) == 2
    assert sum(r.amounts[2022] for r in saving.rows) == Decimal(-1034)
    keid = [r for r in figure_row(text, "Københavns Ejendomme") if "5.580" in r]
    assert keid and keid[0][:3] == ["3170", "KEID", "Anlæg,"]  # account, then the amount
    assert "Bevilling, profit-center" in text


@pytest.mark.django_db
def test_bc11_every_rule_in_print(tmp_path):
    """BC11: savings on BUU, costs on KFU and Koncern IT (explicit amounts): the effect
    tables print the engine's rules (finance.technical_annex)."""
    costs = {"KFU": 1100, "ØU": 185}
    proposal = investment(
        "BC11",
        [
            {
                "subject": "permanent_saving",
                "basis": "weights",
                "rows": [{"committee": "BUU", "weight": 1}],
            },
            {
                "subject": "permanent_cost",
                "basis": "amounts",
                "rows": [
                    {
                        "committee": code,
                        "unit": "Koncern IT" if code == "ØU" else None,
                        "amounts": {str(y): value for y in range(2021, 2026)},
                    }
                    for code, value in costs.items()
                ],
            },
        ],
    )
    figures = figures_for(proposal)
    saving = figures.permanent_total[2022] - 1285  # every permanent saving, on BUU
    text = render(proposal, tmp_path, "technical-bc11")
    buu = figure_row(text, "Børne- og Ungdomsudvalget")
    net = format_amount(saving + 1285)
    assert ["Besparelse", *[format_amount(saving)] * 5] in buu
    assert [net] * 5 in buu  # Måltalseffekt: the whole net on the saving committee
    assert ["-1.285"] * 5 in buu  # ikke indarbejdes: BUU finances the costs only
    assert figure_row(text, "Koncern IT").count(["185"] * 5) == 2  # both appropriation tables


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pool_key", "subject", "caption"),
    [
        (
            "investment-2021",
            "implementation_service",
            "Fordeling af serviceinvesteringer mellem udvalg",
        ),
        (
            "investment-2021",
            "implementation_operating",
            "Fordeling af driftsomkostninger til implementering mellem udvalg",
        ),
        (
            "investment-2021",
            "implementation",
            "Fordeling af implementeringsomkostninger mellem udvalg",
        ),
        ("investment-2021", "permanent", "Effektivisering samt varige driftsomkostninger, service"),
        (
            "investment-2021",
            "permanent_cost",
            "Effektivisering samt varige driftsomkostninger, service",
        ),
    ],
)
def test_every_distribution_subject_prints(tmp_path, pool_key, subject, caption):
    proposal = investment(
        "BC03",
        [
            {
                "subject": subject,
                "basis": "weights",
                "rows": [{"committee": "KFU", "weight": 3}, {"committee": "BUU", "weight": 1}],
            }
        ],
        EXTRA_LINES,
    )
    assert Catalog.objects.get(key=pool_key)
    text = render(proposal, tmp_path, f"technical-{subject}")
    assert caption in text
    figures = figures_for(proposal)
    dist = figures.distributions[0]
    for row in dist.rows:
        label = (
            "Kultur- og Fritidsudvalget" if row.committee == "KFU" else "Børne- og Ungdomsudvalget"
        )
        expected = danish(row.amounts[y] for y in figures.years)
        assert expected
        assert any(r[-len(expected) :] == expected for r in figure_row(text, label) if expected), (
            label,
            expected,
        )
