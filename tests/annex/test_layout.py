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


CITIZEN_2_FORM = [
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


@pytest.mark.django_db
def test_citizen_proposal_2_prints_its_sections_as_the_source_numbered_them(reference_catalogs):
    """The source numbers 2.1 … 2.7, then "1. OPFØLGNING" and "2.8 RISICI"; the
    transcription records its headings (printed_headings) and the print follows them."""
    ctx = context("citizen-2018", "2")
    assert headings(ctx) == [
        *CITIZEN_2_FORM[:7],
        "1. OPFØLGNING PÅ FORSLAGET (OUTCOME)",
        "2.8 RISICI",
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
def test_without_recorded_headings_the_form_numbers_its_sections(reference_catalogs):
    """A proposal whose source headings were not recorded (editor-made, or a transcription
    without them): the form's numbering, "1. OPFØLGNING" taken for a slip."""
    Proposal.objects.filter(catalog__key="citizen-2018", number="2").update(printed_headings=[])
    assert headings(context("citizen-2018", "2")) == CITIZEN_2_FORM


@pytest.mark.django_db
def test_citizen_proposal_3_numbers_2_to_8_and_prints_its_distribution_under_4(reference_catalogs):
    """The source numbers its sections "3.1", then "2." … "8." and prints the
    distribution table (Tabel 3) under "4. FORSLAGETS POTENTIALE" without a heading of
    its own: a form section the source did not head joins the section before it."""
    ctx = context("citizen-2018", "3")
    assert headings(ctx) == [
        "3.1 FORSLAGETS SAMLEDE ØKONOMISKE KONSEKVENSER",
        "2. BAGGRUND FOR FORSLAGET",
        "3. FORSLAGETS INDHOLD",
        "4. FORSLAGETS POTENTIALE",
        "5. IMPLEMENTERING AF FORSLAGET",
        "6. FORSLAGETS FORVENTEDE EFFEKT",
        "7. OPFØLGNING PÅ FORSLAGET (OUTCOME)",
        "8. RISICI",
    ]
    potential = ctx["sections"][3]
    assert [
        t.caption for b in potential.blocks if b["type"] in ("table", "dists") for t in b["tables"]
    ] == [
        "Table 2. Driftseffektiviseringer og nye varige driftsomkostninger",
        "Tabel 3. Fordeling af forslagens potentiale mellem udvalg",
    ]


@pytest.mark.django_db
def test_investment_bc11_prints_its_hearing_under_risk_and_teknisk_bilag_as_1_12(
    reference_catalogs,
):
    """BC11's source prints its hearing tables under "1.11 RISIKOVURDERING" (no "Hvem er
    hørt?" heading) and then "1.12 TEKNISK BILAG", in capitals as all its headings."""
    ctx = context("investment-2021", "BC11")
    assert headings(ctx)[-3:] == [
        "1.10 OPFØLGNING",
        "1.11 RISIKOVURDERING",
        "1.12 TEKNISK BILAG",
    ]
    risk = ctx["sections"][-2]
    assert [b["type"] for b in risk.blocks] == ["html", "hearing"]


@pytest.mark.django_db
def test_a_section_after_the_sources_last_heading_keeps_its_own(reference_catalogs):
    """BC03's source ends with its slip "1.1. Hvem er hørt?" and prints no Teknisk bilag:
    the engine's tables keep their section, with the form's number."""
    assert headings(context("investment-2021", "BC03"))[-3:] == [
        "1.9 RISIKOVURDERING",
        "1.1. Hvem er hørt?",
        "1.11. Teknisk bilag",
    ]


@pytest.mark.django_db
def test_recorded_headings_that_match_no_section_change_nothing(reference_catalogs):
    Proposal.objects.filter(catalog__key="citizen-2018", number="2").update(
        printed_headings=["7. Noget helt andet", "8. Endnu et afsnit"]
    )
    assert headings(context("citizen-2018", "2")) == CITIZEN_2_FORM


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
def test_no_table_number_is_printed_twice(reference_catalogs, key, number):
    numbers = [
        m.group(1)
        for c in captions(context(key, number))
        if (m := re.match(r"Tab(?:el|le) (\d+(?:\.\d+)*)\.?\s", c))
    ]
    assert len(numbers) == len(set(numbers))


@pytest.mark.django_db
def test_a_proposal_without_a_source_numbers_its_tables_1_to_n(reference_catalogs):
    Proposal.objects.filter(catalog__key="investment-2021", number="BC01").update(other_tables=[])
    caps = captions(context("investment-2021", "BC01"))
    assert [c.split(". ", 1)[0] for c in caps] == [f"Tabel {n}" for n in range(1, len(caps) + 1)]
    assert caps[0] == "Tabel 1. Varige ændringer, service"


@pytest.mark.django_db
def test_investment_tables_keep_the_sources_captions(reference_catalogs):
    """Investment 2021 numbers its tables three ways in one catalogue: BC01 per section
    ("Tabel 1.4.1.", the Teknisk bilag 1.13-1.17), BC11 its Teknisk bilag unnumbered
    ("Tabel."), BC12 from "Tabel 2". Each keeps its source's captions as printed."""
    assert captions(context("investment-2021", "BC01")) == [
        "Tabel 1.4.1. Varige ændringer, service",
        "Tabel 1.4.2. Anlægsinvesteringer i forslaget",
        "Tabel 1.13. Effektivisering samt varige driftsomkostninger, service",
        "Table 1.14 Måltaleffekt – hvis forslaget indarbejdes",
        "Table 1.15 Bevillingsmæssig effekt – hvis forslaget indarbejdes",
        "Tabel 1.16. Bevillingsmæssig effekt – hvis forslaget ikke indarbejdes",
        "Tabel 1.17 Fordeling af anlægsinvesteringer mellem udvalg",
    ]
    assert captions(context("investment-2021", "BC11"))[7:] == [
        "Tabel. Effektivisering samt varige driftsomkostninger, service",
        "Tabel. Måltalseffekt – hvis forslaget indarbejdes",
        "Tabel. Bevillingsmæssig effekt – hvis forslaget indarbejdes",
        "Tabel. Bevillingsmæssig effekt – hvis forslaget ikke indarbejdes",
        "Tabel. Fordeling af anlægsinvesteringer mellem udvalg",
    ]
    assert captions(context("investment-2021", "BC12")) == [
        "Tabel 2. Varige ændringer, service",
        "Tabel 3. Anlægsinvesteringer i forslaget",
        "Tabel 4. Varige ændringer, administration",
    ]
    # BC03's source printed no Måltal or Bevilling tables: the engine's come after the
    # source's own, numbered on from them.
    assert captions(context("investment-2021", "BC03"))[3:] == [
        "Tabel 4. Effektivisering samt varige driftsomkostninger, service",
        "Tabel 5. Fordeling af anlægsinvesteringer mellem udvalg",
        "Tabel 6. Måltalseffekt – hvis forslaget indarbejdes",
        "Tabel 7. Bevillingsmæssig effekt – hvis forslaget indarbejdes",
        "Tabel 8. Bevillingsmæssig effekt – hvis forslaget ikke indarbejdes",
    ]


@pytest.mark.django_db
def test_a_table_the_source_did_not_number_takes_no_number_the_source_uses(reference_catalogs):
    """Innovation BC07 printed its criteria grid without a caption and its distribution
    as "Tabel 2": the grid is captioned by name only, the distribution stays Tabel 2."""
    assert captions(context("innovation-2020", "BC07")) == [
        "Tabel 1. Serviceinvesteringer i forslaget",
        "Kriterier til prioritering",
        "Tabel 2. Fordeling af serviceinvesteringer mellem udvalg",
    ]
    assert captions(context("innovation-2020", "BC12")) == [
        "Table 1. Serviceinvesteringer i forslaget",
        "Tabel 2. Kriterier til prioritering",
    ]


@pytest.mark.django_db
def test_sections_are_numbered_as_the_source_printed_its_own_headings(reference_catalogs):
    """Innovation 2020 BC07 printed its headings without numbers; BC09 "1.4. Kriterier
    …" where the form counts 1.5 (its 1.1 stands twice). The transcribed headings show
    it, and the print follows. Without recorded headings a number outside the numbering
    (Citizen proposal 2's "1. OPFØLGNING") is a slip: the form's number is printed."""
    bc07 = headings(context("innovation-2020", "BC07"))
    assert bc07[:3] == [
        " Forslagets samlede økonomiske konsekvenser",
        " Baggrund og formål",
        " Forslagets indhold",
    ]
    assert all(not h[0].isdigit() for h in bc07)
    assert headings(context("innovation-2020", "BC09")) == [
        "1.1. Forslagets samlede økonomiske konsekvenser",
        "1.1. Baggrund og formål",
        "1.2. Forslagets indhold",
        "1.3. Økonomi",
        "1.4. Kriterier til prioritering af innovationspuljen",
        "1.5. Implementering af forslaget",
        "1.6. Inddragelse af samarbejdspartnere",
        "1.7. Forslagets effekt",
        "1.8. Opfølgning",
        "1.9. Risikovurdering",
        "1.10. Hvem er hørt?",
    ]
    # the note before the tables is no section: it says nothing about the numbering
    Proposal.objects.filter(catalog__key="investment-2021", number="BC12").update(
        printed_headings=[]
    )
    assert headings(context("investment-2021", "BC12"))[0] == (
        "1.1. Forslagets samlede økonomiske konsekvenser"
    )


@pytest.mark.django_db
def test_innovation_prints_its_criteria_grid_once(reference_catalogs):
    ctx = context("innovation-2020", "BC09")
    assert "1.4. Kriterier til prioritering af innovationspuljen" in headings(ctx)  # as printed
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
    bc11 = context("investment-2021", "BC11")
    (table,) = bc11["control_tables"]  # a printed row that differs: whole, year by year
    assert table.years == (2020, 2021, 2022, 2023, 2024, 2025)
    assert [(ln.where, ln.label, ln.cells) for ln in table.lines[:2]] == [
        ("Varige ændringer i alt", "Trykt", [(None, False)] + [(Decimal(-3529), True)] * 5),
        ("", "Beregnet", [(None, False)] + [(Decimal(-3530), True)] * 5),
    ]
    assert not any(n.where.startswith("Varige ændringer") for n in bc11["control_notes"])
    bc01 = context("investment-2021", "BC01")
    assert (bc01["control_notes"], bc01["control_tables"]) == ([], [])


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


@pytest.mark.django_db
def test_a_stand_alone_investment_proposal_prints_as_its_source(reference_catalogs):
    """ "Bilag 1" (a stand-alone investment proposal, transcribed in fixtures/catalogs):
    its tables start at "Tabel 2" as printed, its sections 1.1-1.11 without a Teknisk
    bilag (it has no distribution)."""
    ctx = context("investment-2021-borgerservice", "1")
    assert captions(ctx) == [
        "Tabel 2. Varige ændringer, service",
        "Tabel 3. Anlægsinvesteringer i forslaget",
        "Tabel 4. Varige ændringer, administration",
    ]
    assert headings(ctx) == [
        "1.1. Forslagets samlede økonomiske konsekvenser",
        "1.2. Baggrund og formål",
        "1.3. Forslagets indhold",
        "1.4. Økonomi",
        "1.5. Effektivisering på administration",
        "1.6. Implementering af forslaget",
        "1.7. Inddragelse af samarbejdspartnere",
        "1.8. Forslagets effekt",
        "1.9. Opfølgning",
        "1.10. Risikovurdering",
        "1.11. Hvem er hørt?",
    ]
    assert (ctx["control_notes"], ctx["control_tables"]) == ([], [])  # as the engine's


@pytest.mark.django_db
def test_the_sign_note_is_printed_once_also_when_the_source_emphasised_it(reference_catalogs):
    """Innovation BC07's transcription holds "Note til alle tabeller: Alle *besparelser*
    er angivet …" (italics): it is the form's note, printed once under table 1.1."""
    economy = context("innovation-2020", "BC07")["sections"][0]
    assert [b["type"] for b in economy.blocks] == ["table", "sign_note", "chart", "html"]
    assert "Note til alle tabeller" not in economy.blocks[3]["html"]
    assert economy.blocks[3]["html"].startswith("<p>For udgifterne gælder")


@pytest.mark.django_db
def test_one_unnumbered_heading_alone_does_not_unnumber_the_sections(reference_catalogs):
    proposal = Proposal.objects.get(catalog__key="innovation-2020", number="BC07")
    proposal.other_sections = [s for s in proposal.other_sections if s["heading"] == "OPFØLGNING"]
    proposal.save()
    assert headings(context("innovation-2020", "BC07"))[:2] == [
        "1.1. Forslagets samlede økonomiske konsekvenser",
        "1.2. Baggrund og formål",
    ]


def test_specification_rows_print_in_place_of_their_line_only_when_they_add_up():
    """A breaker's proposal typed in the editor: "Linje A" -100/-100 with specification
    rows -40/-50 and -55/-50 (2022: -95). Printed in place of the line, the detail table
    did not add up to its total row (rows -95, total -100); the line is printed instead
    and the Kontrolnoter report the specification."""
    from finance import engine

    def line(label, amounts, specs=()):
        return engine.Line("permanent", "saving", "service", label, amounts, specs)

    adding = (
        engine.Specification("Del 1", {2022: -40, 2023: -50}),
        engine.Specification("Del 2", {2022: -60, 2023: -50}),
    )
    short = (
        engine.Specification("Del 1", {2022: -40, 2023: -50}),
        engine.Specification("Del 2", {2022: -55, 2023: -50}),
    )
    a = line("Linje A", {2022: -100, 2023: -100}, adding)
    b = line("Linje B", {2022: -100, 2023: -100}, short)
    c = line("Linje C", {2022: -7})
    assert [row.label for row in engine.specified([a, b, c])] == [
        "Del 1", "Del 2", "Linje B", "Linje C",
    ]  # fmt: skip
    assert len(engine.specification_checks([b])) == 1
