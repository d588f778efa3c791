"""Excel: export with live formulas (recalculated by LibreOffice), the template round
trip, the import's messages and the file checks."""

import io
import re
import subprocess
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from annex.pdf import figures_of, select_proposals
from annex.printing import overview_columns
from annex.xlsx_export import export_catalog_xlsx
from annex.xlsx_import import (
    MAX_CELL_ERRORS,
    MAX_FILE_BYTES,
    XlsxImportError,
    build_template,
    check_file,
    import_xlsx,
)
from cases.exporting import export_proposal
from cases.models import Catalog, Line, Proposal
from cases.selectors import proposals_with_inputs
from finance import engine

from .conftest import import_reference


def recalculate(paths: list[Path], outdir: Path) -> dict[str, openpyxl.Workbook]:
    """LibreOffice headless opens each workbook, recalculates and saves it again."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir / "out"),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {p.stem: openpyxl.load_workbook(outdir / "out" / p.name, data_only=True) for p in paths}


def to_decimal(value):
    return None if value in (None, "") else D(str(value))


@pytest.fixture(scope="module")
def recalculated(rolled_back_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xlsx")
    paths, expected = [], {}
    for catalog in import_reference():
        path = tmp / f"{catalog.key}.xlsx"
        export_catalog_xlsx(catalog, path)
        paths.append(path)
        expected[catalog.key] = [(p.number, f) for p, f in figures_of(select_proposals(catalog))]
    return recalculate(paths, tmp), expected


POOLS = {
    "citizen-2018": "efficiency",
    "investment-2021": "investment",
    "investment-2021-borgerservice": "investment",
    "innovation-2020": "innovation",
}


@pytest.mark.slow
@pytest.mark.tools("soffice")
def test_libreoffice_recalculation_gives_the_engine_figures(recalculated):
    books, expected = recalculated
    for key, items in expected.items():
        book = books[key]
        overview = list(book["Oversigt"].iter_rows(min_row=4, values_only=True))
        pool = POOLS[key]
        for row, (number, figures) in zip(overview, items, strict=False):
            assert row[1].lstrip("*") == number
            o = engine.overview_row(figures)
            # The pool's own columns (no innovation column in an investment catalogue)
            keys = [k for k, _label in overview_columns(pool)]
            assert [to_decimal(v) for v in row[3 : 3 + len(keys)]] == [o[k] for k in keys], (
                key,
                number,
            )
            assert all(v is None for v in row[3 + len(keys) :])
        for number, figures in items:
            rows = {r[0]: r for r in book[number].iter_rows(values_only=True) if r[0]}
            years = figures.years
            for label, values in (
                ("Samlet varig ændring", figures.permanent_total),
                ("Samlede implementeringsomkostninger", figures.implementation_total),
                ("Samlet økonomisk påvirkning", figures.net_total),
                ("Akkumuleret økonomisk påvirkning", figures.cumulative_net),
            ):
                cells = [to_decimal(v) for v in rows[label][3 : 3 + len(years)]]
                assert cells == [values[y] for y in years], (key, number, label)


@pytest.mark.django_db
def test_export_writes_formulas_numbers_and_freezes_headers(reference_catalogs, tmp_path):
    path = tmp_path / "x.xlsx"
    export_catalog_xlsx(Catalog.objects.get(key="investment-2021"), path)
    book = openpyxl.load_workbook(path)
    sheet = book["BC01"]
    assert sheet.freeze_panes == "D4"
    assert sheet["D4"].value == -517 and sheet["D4"].number_format == "#,##0;-#,##0"
    assert sheet["D6"].value.startswith("=IF(COUNT(D4:D4)")
    assert book["Oversigt"]["D4"].value.startswith("=ROUND(")


@pytest.mark.django_db
def test_text_is_never_written_as_a_formula(reference_catalogs, tmp_path):
    proposal = Proposal.objects.get(catalog__key="investment-2021", number="BC01")
    proposal.title = '=HYPERLINK("http://evil.example","klik")'
    proposal.save()
    Line.objects.filter(proposal=proposal, label="Energibesparelse").update(label="+1+1")
    Line.objects.filter(proposal=proposal, label="Anlægsinvestering").update(label="@SUM(A1)")
    path = tmp_path / "inj.xlsx"
    export_catalog_xlsx(proposal.catalog, path)
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))
    assert b"<f>HYPERLINK" not in xml and b"<f>+1+1" not in xml and b"<f>@SUM" not in xml
    book = openpyxl.load_workbook(path)
    assert book["Oversigt"]["C4"].data_type == "s"
    assert book["Oversigt"]["C4"].value == '=HYPERLINK("http://evil.example","klik")'
    labels = {c.value: c.data_type for c in book["BC01"]["A"] if c.value}
    assert labels["+1+1"] == "s" and labels["@SUM(A1)"] == "s"
    # The template is just as safe.
    template = openpyxl.load_workbook(io.BytesIO(build_template(proposal.catalog, proposal)))
    assert template["Forslag"]["B5"].data_type == "s"


def snapshot(proposal_pk):
    data = export_proposal(proposals_with_inputs(Proposal.objects.filter(pk=proposal_pk)).get())
    return data


@pytest.mark.django_db
def test_template_round_trips_every_reference_proposal(reference_catalogs):
    for proposal in proposals_with_inputs(Proposal.objects.all()):
        before = snapshot(proposal.pk)
        result = import_xlsx(build_template(proposal.catalog, proposal), proposal.catalog)
        assert result.updated == [proposal.number]
        assert snapshot(proposal.pk) == before, proposal.number


@pytest.mark.django_db
def test_new_proposal_from_the_empty_template(reference_catalogs):
    catalog = Catalog.objects.get(key="investment-2021")
    book = openpyxl.load_workbook(io.BytesIO(build_template(catalog)))
    form = book["Forslag"]
    form["B5"] = "Nyt forslag om lys"
    form["B7"] = "KFU"
    form["B10"] = "KFF, TMF"
    grid = book["Økonomi"]
    grid.append(["Varig ændring", "Besparelse", "Service", "Besparelse", -100, "-1.200,5"])
    grid.append(["Implementering", "Omkostning", "Anlæg", "Investering", 500])
    out = io.BytesIO()
    book.save(out)
    result = import_xlsx(out.getvalue(), catalog)
    # BC13 is taken: the printed overview lists it (and BC14, BC30, BC31)
    assert result.created == ["BC32"]
    proposal = proposals_with_inputs(Proposal.objects.filter(catalog=catalog, number="BC32")).get()
    data = export_proposal(proposal)
    assert data["title"] == "Nyt forslag om lys" and data["committee"] == "KFU"
    assert data["affected_administrations"] == ["KFF", "TMF"]
    assert data["lines"][0]["amounts"] == {"2021": -100, "2022": -1200.5}
    assert data["computed"]["net_total"]["2021"] == 400


def bad_template(catalog, edit) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(build_template(catalog)))
    book["Forslag"]["B5"] = "Titel"
    book["Økonomi"].append(["Varig ændring", "Besparelse", "Service", "Linje", -1])
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda b: b["Økonomi"].cell(row=4, column=6, value="tolv"),
            "Økonomi!F4: 'tolv' er ikke et tal",
        ),
        (
            lambda b: b["Økonomi"].cell(row=4, column=3, value="Kaffe"),
            "Økonomi!C4: 'Kaffe' er ikke et styringsområde "
            "(brug Service, Overførsler, Anlæg, Drift)",
        ),
        (
            lambda b: b["Forslag"].cell(row=7, column=2, value="XYZ"),
            'Forslag!B7: ukendt udvalg "XYZ"',
        ),
        (
            lambda b: b["Forslag"].__setitem__("B5", None),
            "Forslag!B5: mangler (skal være en tekst)",
        ),
        (
            lambda b: b["Forslag"].cell(row=8, column=2, value="måske"),
            "Forslag!B8: 'måske' skal være Ja eller Nej",
        ),
        (lambda b: b["Økonomi"].cell(row=3, column=6, value=2030), "Økonomi!F3"),
    ],
)
def test_each_bad_cell_gets_its_message_and_nothing_is_imported(reference_catalogs, edit, message):
    catalog = Catalog.objects.get(key="investment-2021")
    counts = (Proposal.objects.count(), Line.objects.count())
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(bad_template(catalog, edit), catalog)
    assert str(error.value).startswith(message), str(error.value)
    assert (Proposal.objects.count(), Line.objects.count()) == counts


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.django_db
def test_bad_files_are_refused_with_a_clear_message(reference_catalogs):
    catalog = Catalog.objects.get(key="investment-2021")
    good = build_template(catalog)
    cases = {
        "for stor": b"x" * (MAX_FILE_BYTES + 1),
        "ikke en xlsx-fil": b"Udvalg;NR\nKFU;1\n",
        "gammel Excel-fil": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "makroer": zip_bytes(
            {
                **{n: b"" for n in ("[Content_Types].xml", "xl/workbook.xml")},
                "xl/vbaProject.bin": b"\0" * 10,
            }
        ),
        "zip-bombe": zip_bytes(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<w/>",
                "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
            }
        ),
        "ingen Excel-projektmappe": zip_bytes({"hello.txt": b"hi"}),
    }
    for needle, raw in cases.items():
        with pytest.raises(XlsxImportError) as error:
            import_xlsx(raw, catalog)
        assert needle in str(error.value), (needle, str(error.value))
    check_file(good)  # the real template passes
    with zipfile.ZipFile(io.BytesIO(cases["zip-bombe"])) as archive:
        assert len(cases["zip-bombe"]) < 200_000 < archive.infolist()[-1].file_size


@pytest.mark.django_db
def test_declared_dimensions_do_not_drop_rows(reference_catalogs):
    """Read-only mode trusts <dimension>; a file that declares A1:H3 for a sheet with
    five rows must still have all five read."""
    catalog = Catalog.objects.get(key="investment-2021")
    raw = bad_template(
        catalog,
        lambda b: b["Økonomi"].append(["Implementering", "Omkostning", "Anlæg", "Gemt linje", 50]),
    )
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data, n = re.subn(
                    rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:H3"/>', data
                )
                assert n == 1
            target.writestr(info, data)
    result = import_xlsx(out.getvalue(), catalog)
    proposal = Proposal.objects.get(catalog=catalog, number=result.created[0])
    assert sorted(proposal.lines.values_list("label", flat=True)) == ["Gemt linje", "Linje"]


@pytest.mark.django_db
def test_commands(reference_catalogs, tmp_path, capsys):
    xlsx = tmp_path / "k.xlsx"
    call_command("export_xlsx", "--catalog", "citizen-2018", "-o", str(xlsx))
    assert openpyxl.load_workbook(xlsx).sheetnames == [
        "Oversigt", "1", "2", "3", "4", "Teknisk bilag"  # Citizen prints distributions
    ]
    proposal = Proposal.objects.get(catalog__key="citizen-2018", number="2")
    template = tmp_path / "t.xlsx"
    template.write_bytes(
        build_template(
            proposal.catalog, proposals_with_inputs(Proposal.objects.filter(pk=proposal.pk)).get()
        )
    )
    call_command("import_xlsx", str(template), "--catalog", "citizen-2018")
    assert "1 opdateret" in capsys.readouterr().out
    template.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="ikke en xlsx-fil"):
        call_command("import_xlsx", str(template), "--catalog", "citizen-2018")
    pdf = tmp_path / "k.pdf"
    call_command("render_annex", "--catalog", "citizen-2018", "--status", "draft", "-o", str(pdf))
    assert pdf.stat().st_size > 10_000
    with pytest.raises(CommandError, match="Ukendt status"):
        call_command(
            "render_annex", "--catalog", "citizen-2018", "--status", "nope", "-o", str(pdf)
        )


@pytest.mark.django_db
def test_every_bad_cell_is_named_in_one_message_list(reference_catalogs, client, central_user):
    """Breaker: an upload with several bad cells named only the first, so the file had to
    be corrected and uploaded once per bad cell. Every bad cell is now named, in sheet
    order, up to MAX_CELL_ERRORS, and nothing is imported."""
    catalog = Catalog.objects.get(key="investment-2021")

    def edit(book):
        book["Forslag"].cell(row=8, column=2, value="måske")
        grid = book["Økonomi"]
        grid.cell(row=4, column=6, value="tolv")
        grid.cell(row=4, column=3, value="Kaffe")
        grid.cell(row=4, column=8, value="1,2,3")

    counts = (Proposal.objects.count(), Line.objects.count())
    with pytest.raises(XlsxImportError) as error:
        import_xlsx(bad_template(catalog, edit), catalog)
    assert error.value.messages == [
        "Forslag!B8: 'måske' skal være Ja eller Nej",
        "Økonomi!C4: 'Kaffe' er ikke et styringsområde (brug Service, Overførsler, Anlæg, Drift)",
        "Økonomi!F4: 'tolv' er ikke et tal",
        "Økonomi!H4: '1,2,3' er ikke et tal",
    ]
    assert (Proposal.objects.count(), Line.objects.count()) == counts

    # the upload page lists them all
    client.force_login(central_user)
    upload = SimpleUploadedFile("forslag.xlsx", bad_template(catalog, edit))
    response = client.post(reverse("annex:import", args=[catalog.key]), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Intet er indlæst. Filen har disse fejl:" in html
    assert html.count("<li>Økonomi!") == 3 and "<li>Forslag!B8" in html

    # a sane limit: the first MAX_CELL_ERRORS, then how many more
    def many(book):
        for column in range(5, 11):
            for row in range(4, 9):
                book["Økonomi"].cell(row=row, column=column, value="x")
                book["Økonomi"].cell(row=row, column=1, value="Varig ændring")

    with pytest.raises(XlsxImportError) as error:
        import_xlsx(bad_template(catalog, many), catalog)
    assert len(error.value.messages) == MAX_CELL_ERRORS + 1
    assert error.value.messages[-1] == "… og 10 celler mere, der ikke kan læses"
