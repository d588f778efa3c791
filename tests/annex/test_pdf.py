"""The printed annex of each reference catalogue: content, figures, layout, cache."""

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from annex import pdf, printing
from annex.weasy import StaticOnlyFetcher
from cases.models import Catalog, Proposal
from finance import engine
from finance.formatting import format_amount
from finance.rounding import round_half_up

from .conftest import import_reference, pdftotext, save_pngs

pytestmark = [pytest.mark.slow, pytest.mark.tools("pdftotext", "pdftoppm")]


def danish(value) -> str:
    return format_amount(round_half_up(value, 0), 0)


@pytest.fixture(scope="module")
def rendered(rolled_back_db, tmp_path_factory):
    """Every reference catalogue rendered once (cold, two worker processes)."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    out = {}
    with override_settings(MEDIA_ROOT=media):
        for catalog in import_reference():
            path = media / f"{catalog.key}.pdf"
            stats = pdf.render_catalog_annex(catalog, path, workers=2)
            items = pdf.figures_of(pdf.select_proposals(catalog))
            out[catalog.key] = {
                "path": path,
                "stats": stats,
                "items": [(p.number, p.title, p.pk, f) for p, f in items],
                "overview": [engine.overview_row(f) for _p, f in items],
                "pool": catalog.pool,
            }
    return out


KEYS = ["citizen-2018", "innovation-2020", "investment-2021"]


def front_pages(key: str) -> int:
    """Cover, (the catalogue's introduction: Citizen's fixture has one,) overview,
    contents."""
    return 4 if key == "citizen-2018" else 3


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("key", KEYS)
def test_every_title_and_the_form_texts_are_printed(rendered, key):
    data = rendered[key]
    text = squash(pdftotext(data["path"]))
    for number, title, _pk, _f in data["items"]:
        assert squash(f"{number} {title}") in text
    if data["pool"] == "efficiency":
        # The Citizen form: "Forslag 2", its title, no administration fields or grid.
        for number, title, _pk, _f in data["items"]:
            assert squash(f"Forslag {number} {title}") in text
        assert "Fremstillende forvaltning" not in text and "Berørte forvaltninger" not in text
        assert text.count("Produktivitet og Administration") == len(data["items"])
        # the catalogue's introduction, before the overview, Markdown as formatting
        assert "Dette katalog beskriver den overordnede ramme" in text
        assert "Indhold i Citizen" in text and "####" not in text
    else:
        assert "Alle besparelser er angivet med negativt (-) fortegn" in text
        assert "Forslagets titel" in text and "Kort resumé" in text
        assert "Fremstillende forvaltning" in text and "Berørte forvaltninger" in text
        form = {"investment": "INVESTERINGSFORSLAG", "innovation": "INNOVATIONSFORSLAG"}
        assert text.count(form[data["pool"]]) == len(data["items"])
    save_pngs(data["path"], key)
    # the first proposal of each pool, page by page, to look at beside its seed
    stats = data["stats"]
    counts = [stats.part_pages[pk] for _n, _t, pk, _f in data["items"]]
    first = stats.pages - sum(counts) + 1
    save_pngs(data["path"], f"{key}-{data['items'][0][0]}", pages=counts[0], first=first)


def part_text(data, index: int) -> str:
    stats = data["stats"]
    counts = [stats.part_pages[pk] for _n, _t, pk, _f in data["items"]]
    front = stats.pages - sum(counts)
    first = front + sum(counts[:index]) + 1
    return pdftotext(data["path"], first=first, last=first + counts[index] - 1)


def row_numbers(text: str, label: str) -> list[str]:
    """The numbers printed on the table row that starts with `label`."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            rest = line.strip()[len(label) :]
            return re.findall(r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?", rest)
    raise AssertionError(f"no row {label!r}")


@pytest.mark.parametrize("key", KEYS)
def test_each_proposal_prints_the_engine_totals_and_paybacks(rendered, key):
    data = rendered[key]
    efficiency = data["pool"] == "efficiency"
    net_label = "Samlet pengestrøm i forslaget" if efficiency else "Samlet økonomisk påvirkning"
    for index, (number, _title, _pk, figures) in enumerate(data["items"]):
        text = part_text(data, index)
        expected_net = [
            danish(figures.net_total[y]) for y in figures.years if figures.net_total[y] is not None
        ]
        assert row_numbers(text, net_label) == expected_net, number
        impl = [danish(v) for v in figures.implementation_total.values() if v is not None]
        if not efficiency:
            assert row_numbers(text, "Samlede implementeringsomkostninger") == impl, number
        if efficiency:
            payback = figures.payback_years_total
            assert f"Tilbagebetalingstid (Break Even) {payback} år" in squash(text), number
        elif data["pool"] == "investment":
            service, total = figures.payback_years_service, figures.payback_years_total
            lines = [ln for ln in text.splitlines() if "Tilbagebetalingstid" in ln]
            printed = [re.search(r"(\d+ år|ingen)\s*$", ln).group(1) for ln in lines]
            assert printed == [f"{v} år" if v else "ingen" for v in (service, total)], number


@pytest.mark.parametrize("key", KEYS)
def test_overview_table_figures_equal_the_engine(rendered, key):
    data = rendered[key]
    overview_page = front_pages(key) - 1
    page = pdftotext(data["path"], first=overview_page, last=overview_page)
    keys = [k for k, _label in printing.overview_columns(data["pool"])]
    for (number, _t, _pk, _f), row in zip(data["items"], data["overview"], strict=True):
        line = next(
            ln for ln in page.splitlines() if re.search(rf"(^|\s)\*?{re.escape(number)}\s", ln)
        )
        printed = re.findall(r"(?<![\w.])-?\d+,\d(?!\d)|(?<=\s)\d{1,2}$", line)
        expected = []
        for k in keys:
            value = row[k]
            if k == "payback_years":
                if value is not None:
                    expected.append(str(value))
            else:
                expected.append(format_amount(value, 1))
        assert printed == expected, (number, line)
    total_line = next(ln for ln in page.splitlines() if ln.strip().startswith("I alt"))
    totals = re.findall(r"-?\d+,\d", total_line)
    assert totals  # the total row is there; its rule is tested in test_overview_total


@pytest.mark.parametrize("key", KEYS)
def test_page_count_and_page_numbers(rendered, key):
    data = rendered[key]
    reader = PdfReader(str(data["path"]))
    pages = len(reader.pages)
    parts = list(data["stats"].part_pages.values())
    # cover, (the catalogue's introduction,) overview, contents
    front = front_pages(key)
    assert pages == data["stats"].pages == front + sum(parts)
    assert all(2 <= n <= 15 for n in parts), parts
    assert pdftotext(data["path"], first=pages, last=pages).count(f"side {pages} af {pages}") == 1
    assert "side 1 af" not in pdftotext(data["path"], first=1, last=1)  # the cover
    assert len(reader.outline) == len(data["items"])
    # Contents: each proposal's page number is where its part begins.
    contents = pdftotext(data["path"], first=front, last=front)
    page = front + 1
    for number, _t, pk, _f in data["items"]:
        line = next(ln for ln in contents.splitlines() if ln.strip().startswith(number))
        assert line.split()[-1] == str(page) or str(page) in contents
        first_page = pdftotext(data["path"], first=page, last=page)
        title = "Forslag " if data["pool"] == "efficiency" else "Forslagets titel"
        assert number in first_page and title in first_page
        page += data["stats"].part_pages[pk]


def test_fonts_are_embedded_and_chart_is_vector(rendered):
    path = rendered["investment-2021"]["path"]
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
    assert rows and all(" yes " in ln for ln in rows), fonts
    assert any("Liberation" in ln for ln in rows)
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) == 2  # header lines only: no raster images


@pytest.mark.django_db
def test_cache_rerenders_only_the_changed_proposal(reference_catalogs, tmp_path):
    catalog = Catalog.objects.get(key="investment-2021")
    first = pdf.render_catalog_annex(catalog, tmp_path / "a.pdf", workers=2)
    assert (first.rendered, first.cached) == (4, 0)
    again = pdf.render_catalog_annex(catalog, tmp_path / "b.pdf", workers=2)
    assert (again.rendered, again.cached) == (0, 4)
    proposal = Proposal.objects.get(catalog=catalog, number="BC03")
    proposal.title = "Aktivitetsbaseret indretning, ændret"
    proposal.save()
    changed = pdf.render_catalog_annex(catalog, tmp_path / "c.pdf", workers=2)
    assert (changed.rendered, changed.cached) == (1, 3)
    assert "Aktivitetsbaseret indretning, ændret" in squash(pdftotext(tmp_path / "c.pdf"))
    # Older versions of the changed part are removed from the cache.
    assert len(pdf.cached_files(f"{pdf.PARTS}/{proposal.pk}")) == 1


@pytest.mark.django_db
def test_status_filter(reference_catalogs, tmp_path):
    catalog = Catalog.objects.get(key="citizen-2018")
    assert len(pdf.select_proposals(catalog, ["draft"])) == 4
    assert pdf.select_proposals(catalog, ["approved"]) == []
    stats = pdf.render_catalog_annex(catalog, tmp_path / "none.pdf", statuses=["approved"])
    assert stats.rendered == 0 and stats.pages == 4  # cover, introduction, overview, contents


@pytest.mark.django_db
def test_single_proposal_pdf(reference_catalogs, tmp_path):
    proposal = pdf.select_proposals(Catalog.objects.get(key="investment-2021"), numbers=["BC01"])[0]
    out = tmp_path / "bc01.pdf"
    stats = pdf.render_proposal_pdf(proposal, out)
    text = pdftotext(out)
    assert "INVESTERINGSFORSLAG" in text and "BC01 Belysningspakke 2d" in text
    assert f"side 1 af {stats.pages}" in text
    save_pngs(out, "proposal-bc01", pages=2)


def test_fetcher_only_reads_the_annex_static_files(tmp_path):
    fetcher = StaticOnlyFetcher()
    for url in (
        "http://127.0.0.1/x.css",
        "https://example.org/font.woff",
        (tmp_path / "secret.txt").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    css = (Path(pdf.APP_DIR) / "static" / "annex" / "print.css").as_uri()
    response = fetcher.fetch(css)
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


@pytest.mark.django_db
def test_render_workers_are_replaced_after_their_parts(
    reference_catalogs, tmp_path, monkeypatch, settings
):
    """A cold render's workers are recycled (issue 13: they grew with every part they
    laid out, ~110 MB each at 100 parts): the pool replaces a worker after
    PARTS_PER_WORKER parts, and the parts are the same as rendered in this process."""
    pools = []

    class Recording(pdf.concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pdf.concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(pdf, "PARTS_PER_WORKER", 1)
    catalog = Catalog.objects.get(key="investment-2021")
    pooled = pdf.render_catalog_annex(catalog, tmp_path / "pooled.pdf", workers=2)
    assert (pooled.rendered, len(pools)) == (4, 1)
    assert pools[0]["max_tasks_per_child"] == 1
    assert pools[0]["mp_context"].get_start_method() == "forkserver"

    settings.MEDIA_ROOT = tmp_path / "serial"  # an empty cache: every part again
    serial = pdf.render_catalog_annex(catalog, tmp_path / "serial.pdf", workers=1)
    assert (serial.rendered, len(pools)) == (4, 1)
    assert serial.part_pages == pooled.part_pages
    assert pdftotext(tmp_path / "pooled.pdf") == pdftotext(tmp_path / "serial.pdf")
