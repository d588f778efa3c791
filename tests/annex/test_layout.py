"""Each pool's form as data (annex/layouts/*.json): sections numbered as printed, the
seeds' wording, only what the form has, tables numbered once per proposal."""

import json
import re
from decimal import Decimal

import pytest

from annex import layout, printing
from annex.pdf import Reference
from cases.models import Catalog, Proposal
from cases.selectors import figures_for, proposals_with_inputs


def context(key: str, number: str) -> dict:
    proposal = proposals_with_inputs(Proposal.objects.filter(catalog__key=key)).get(number=number)
    ref = Reference.load()
    return printing.proposal_context(
        proposal, figures_for(proposal), ref.administrations, ref.committees
    )


def headings(ctx) -> list[str]:
    return [f"{s.number} {s.heading}" for s in ctx["sections"]]


def captions(ctx) -> list[str]:
    out = []
    for section in ctx["sections"]:
        for block in section.blocks:
            if block["type"] == "table" and not block.get("hide_caption"):
                out += [t.caption for t in block["tables"]]
            elif block["type"] == "dists":
                out += [t.caption for t in block["tables"]]
            elif "caption" in block:
                out.append(block["caption"])
    return out


@pytest.mark.django_db
def test_citizen_proposal_2_is_numbered_2_1_to_2_9_in_the_seed_wording(reference_catalogs):
    ctx = context("citizen-2018", "2")
    assert headings(ctx) == [
        "2.1 FORSLAGETS SAMLEDE ØKONOMISKE KONSEKVENSER",
        "2.2 BAGGRUND FOR FORSLAGET",
        "2.3 FORSLAGETS INDHOLD",
        "2.4 FORSLAGETS POTENTIALE",
        "2.5 Fordeling af forslagens potentiale mellem udvalg",
        "2.6 IMPLEMENTERING AF FORSLAGET",
        "2.7 FORSLAGETS FORVENTEDE EFFEKT",
        "2.8 OPFØLGNING PÅ FORSLAGET (OUTCOME)",
        "2.9 RISICI",
    ]
    assert captions(ctx) == [
        "Tabel 1. Forslagets samlede økonomi",
        "Tabel 2. Driftseffektiviseringer og nye varige driftsomkostninger",
        "Tabel 3. Fordeling af forslagens potentiale mellem udvalg",
        "Tabel 4. Implementeringsomkostninger",
        "Tabel 5. Fordeling af driftsomkostninger til implementering",
        "Tabel 6. Opfølgning på forslagets outcome",
        "Tabel 7. Samlet risikovurdering",
    ]
    assert ctx["form"].head == ("citizen_title", "summary")  # no administration fields


@pytest.mark.django_db
def test_investment_bc01_is_numbered_1_1_to_1_13_as_printed(reference_catalogs):
    assert headings(context("investment-2021", "BC01")) == [
        "1.1. Forslagets samlede økonomiske konsekvenser",
        "1.2. Baggrund og formål",
        "1.3. Forslagets indhold",
        "1.4. Økonomi",
        "1.5. Effektivisering på administration",
        "1.6. Fordeling på udvalg",
        "1.7. Implementering af forslaget",
        "1.8. Inddragelse af samarbejdspartnere",
        "1.9. Forslagets effekt",
        "1.10. Opfølgning",
        "1.11. Risikovurdering",
        "1.12. Hvem er hørt?",
        "1.13. Teknisk bilag",
    ]


@pytest.mark.django_db
def test_a_section_with_nothing_is_left_out_and_the_next_takes_its_number(reference_catalogs):
    found = headings(context("investment-2021", "BC03"))
    assert "1.6. Implementering af forslaget" in found  # BC03 has no "Fordeling på udvalg"
    assert not any("Fordeling på udvalg" in h for h in found)
    assert not any(h.endswith("Note til alle tabeller") for h in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "number"),
    [("citizen-2018", n) for n in "1234"]
    + [("investment-2021", n) for n in ("BC01", "BC03", "BC11", "BC12")]
    + [("innovation-2020", n) for n in ("BC07", "BC09", "BC10", "BC11", "BC12")],
)
def test_tables_are_numbered_once_in_order(reference_catalogs, key, number):
    numbers = [
        int(m.group(1))
        for c in captions(context(key, number))
        if (m := re.match(r"Tabel (\d+)\.", c))
    ]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.django_db
def test_innovation_prints_its_criteria_grid_once(reference_catalogs):
    ctx = context("innovation-2020", "BC09")
    assert "1.5. Kriterier til prioritering af innovationspuljen" in headings(ctx)
    caps = captions(ctx)
    assert caps.count("Tabel 2. Kriterier til prioritering") == 1
    texts = "".join(b["html"] for s in ctx["sections"] for b in s.blocks if b["type"] == "html")
    assert "Kriterier til prioritering</caption>" not in texts


@pytest.mark.django_db
def test_the_edition_is_chosen_per_catalogue(reference_catalogs, tmp_path, monkeypatch):
    catalog = Catalog.objects.get(key="investment-2021")
    assert layout.layout_for(catalog).key == "investment-2021"
    # Next year's form is a new file, not new code.
    for path in layout.LAYOUT_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    data = json.loads((tmp_path / "investment-2021.json").read_text())
    data.update(key="investment-2022", from_year=2022, form_title="INVESTERINGSFORSLAG 2022")
    (tmp_path / "investment-2022.json").write_text(json.dumps(data))
    monkeypatch.setattr(layout, "LAYOUT_DIR", tmp_path)
    layout.layouts.cache_clear()
    try:
        assert layout.layout_for(catalog).key == "investment-2021"
        catalog.budget_year = 2022
        assert layout.layout_for(catalog).form_title == "INVESTERINGSFORSLAG 2022"
        data["sections"][0]["blocks"].append("nonsense")
        (tmp_path / "investment-2022.json").write_text(json.dumps(data))
        layout.layouts.cache_clear()
        with pytest.raises(layout.LayoutError, match="nonsense"):
            layout.layouts()
    finally:
        layout.layouts.cache_clear()


@pytest.mark.django_db
def test_control_notes_list_what_the_source_printed_differently(reference_catalogs):
    notes = context("citizen-2018", "3")["control_notes"]
    assert [(n.stated, n.computed) for n in notes if n.where.startswith("Tilbagebetalingstid")] == [
        (6, 5)
    ]
    bc11 = context("investment-2021", "BC11")["control_notes"]
    assert ("Varige ændringer i alt 2021", -3529, -3530) in [
        (n.where, n.stated, n.computed) for n in bc11
    ]
    assert context("investment-2021", "BC01")["control_notes"] == []


@pytest.mark.django_db
def test_detail_tables_print_the_specification_rows_in_place_of_their_line(reference_catalogs):
    ctx = context("investment-2021", "BC11")
    tables = {
        t.caption.split(". ", 1)[1]: t
        for s in ctx["sections"]
        for b in s.blocks
        if b["type"] == "table"
        for t in b["tables"]
        if t.caption
    }
    transfers = tables["Varige ændringer, efterspørgselsstyrede overførsler"]
    assert [r.label for r in transfers.rows] == [
        "Kontanthjælp",
        "Førtidspension",
        "Øvrige LAS-ydelser",
        "Boligsikring og ydelser (KFF)",
        "Varige ændringer totalt, efterspørgselsstyrede overførsler",
    ]
    assert transfers.rows[-1].cells[1:] == [Decimal(-3043)] * 5


@pytest.mark.django_db
def test_the_sources_own_tables_keep_their_place_in_the_numbering(reference_catalogs):
    """Investment BC11 printed Tabel 1-7 with three tables of its own (kind "other")
    among the detail tables; Citizen 4 its licence key as Tabel 4."""
    bc11 = [c for c in captions(context("investment-2021", "BC11")) if c.startswith("Tabel")]
    assert bc11[:7] == [
        "Tabel 1. Andel af sager, hvordan algoritmens forudsigelse falder ud sammenlignet med "
        "sagsbehandlerens forudsigelse.",
        "Tabel 2. Anlægsinvesteringer i forslaget",
        "Tabel 3. Årlig kommunal fremadrettet besparelse fordelt på ydelsestyper og forvaltning "
        "ved 369 afsluttede sager i 2018-2019 (2021 p/l).",
        "Tabel 4. Frigørelse af ressourcer og ressource tilgang",
        "Tabel 5. Varige ændringer, service",
        "Tabel 6. Varige ændringer, efterspørgselsstyrede overførsler",
        "Tabel 7. Varige ændringer, administration",
    ]
    citizen4 = captions(context("citizen-2018", "4"))
    assert citizen4[3:5] == [
        "Tabel 4. Fordeling af licenser mellem udvalg",
        "Tabel 5. Implementeringsomkostninger",
    ]
    ctx = context("citizen-2018", "4")
    licences = next(b for s in ctx["sections"] for b in s.blocks if b["type"] == "source_table")
    assert licences["rows"][0] == ["Økonomiudvalget - ekskl. koncernenheder", "177", "7,03 %"]
