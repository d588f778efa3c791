"""Prints and exports of any size: the proposals stream past in chunks (a fixed number of
queries per chunk, their inputs released afterwards) and the workbook keeps one sheet
file open at a time."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annex import pdf, xlsx_export
from tests.factories import CatalogFactory, ProposalFactory, add_line, committee


def catalogue(count: int):
    return catalogue_of("stream", count)


def catalogue_of(key: str, count: int):
    catalog = CatalogFactory(key=key)
    for i in range(count):
        proposal = ProposalFactory(
            catalog=catalog,
            number=f"F{i + 1}",
            committee=committee(("KFU", "ØU", "BUU")[i % 3]),
        )
        add_line(proposal, "permanent", "saving", "service", "Besparelse", {2021: -10 - i})
        add_line(proposal, "implementation", "cost", "capital", "Anlæg", {2021: 100 + i})
    return catalog


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_the_workbook_keeps_one_sheet_file_open_at_a_time(db, monkeypatch):
    catalog = catalogue(30)
    counts = []
    write = xlsx_export.write_proposal_sheet

    def counting(*args, **kwargs):
        written = write(*args, **kwargs)
        counts.append(open_files())
        return written

    monkeypatch.setattr(xlsx_export, "write_proposal_sheet", counting)
    buffer = io.BytesIO()
    assert xlsx_export.export_catalog_xlsx(catalog, buffer) == 30

    assert len(counts) == 30
    assert max(counts) - min(counts) == 0
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames[0] == "Oversigt"
    assert len(workbook.sheetnames) == 31
    overview = workbook["Oversigt"]
    numbers = [overview.cell(row=r, column=2).value for r in range(4, 34)]
    # the annex's order: committee (ØU, BUU, KFU by their order), then number
    assert numbers == [p.number for p in pdf.select_proposals(catalog)]
    assert overview.cell(row=34, column=1).value == "I alt"


def test_streamed_proposals_come_in_the_annex_order_with_their_inputs(db):
    catalog = catalogue(7)
    streamed = list(pdf.stream_figures(pdf.stream_proposals(catalog, chunk=3)))
    selected = pdf.figures_of(pdf.select_proposals(catalog))
    assert [(p.number, f) for p, f in streamed] == [(p.number, f) for p, f in selected]


def test_streamed_proposals_release_their_inputs_after_their_chunk(db):
    catalog = catalogue(5)
    stream = pdf.stream_proposals(catalog, chunk=2)
    first = next(stream)
    assert len(first.lines.all()) == 2  # prefetched
    next(stream)
    third = next(stream)  # the second chunk is loaded: the first one is released
    assert first._prefetched_objects_cache == {}
    assert len(third.lines.all()) == 2


def test_streaming_costs_a_fixed_number_of_queries_per_chunk(db):
    """However many proposals, lines and years: one query for the order, then the same
    queries for every chunk."""
    small = catalogue(3)
    large = CatalogFactory(key="stream-large")
    for i in range(9):
        proposal = ProposalFactory(catalog=large, number=f"G{i + 1}")
        for j in range(4):
            add_line(proposal, "permanent", "saving", "service", f"L{j}", {2021: -1, 2022: -2})

    def queries(catalog, chunk):
        with CaptureQueriesContext(connection) as captured:
            list(pdf.stream_proposals(catalog, chunk=chunk))
        return len(captured)

    one_chunk = queries(small, 10)
    assert queries(large, 10) == one_chunk
    assert queries(large, 3) == 1 + 3 * (one_chunk - 1)


def test_a_written_sheet_leaves_little_behind_until_the_save(db, monkeypatch):
    """Issue 13 (Excel export of 5,000 proposals <= 300 MB): a closed proposal sheet
    keeps only what saving the workbook reads (`WrittenSheet`); openpyxl's worksheet kept
    ~22 KB of objects per sheet (dimensions, views, print settings) until the save."""
    import gc
    import tracemalloc

    held = {}
    save = openpyxl.Workbook.save

    def measuring(wb, output):
        gc.collect()
        held[len(wb._sheets)] = tracemalloc.get_traced_memory()[0]
        return save(wb, output)

    monkeypatch.setattr(openpyxl.Workbook, "save", measuring)
    small, large = catalogue(10), catalogue_of("large", 40)
    for catalog in (small, large):
        tracemalloc.start()
        try:
            xlsx_export.export_catalog_xlsx(catalog, io.BytesIO())
        finally:
            tracemalloc.stop()
    per_sheet = (held[41] - held[11]) / 30
    assert per_sheet < 4_000, per_sheet


def test_an_annex_render_holds_the_inputs_of_a_small_chunk_at_a_time(db, monkeypatch):
    """Issue 13 (annex of 1,000 proposals <= 400 MB): the main process's memory adds up
    with the render workers' while the parts are made, so it loads the proposals'
    inputs `RENDER_CHUNK` (20) at a time, not the exports' 100."""
    catalog = catalogue(25)
    loaded = []
    with_inputs = pdf.proposals_with_inputs

    def counting(queryset):
        batch = list(with_inputs(queryset))
        loaded.append(len(batch))
        return batch

    class Stop(Exception):
        pass

    def consume(items, *args, **kwargs):
        for _item in items:
            pass
        raise Stop

    monkeypatch.setattr(pdf, "proposals_with_inputs", counting)
    monkeypatch.setattr(pdf, "ensure_parts", consume)
    with pytest.raises(Stop):
        pdf.render_catalog_annex(catalog, io.BytesIO(), workers=1)
    assert sum(loaded) == 25
    assert max(loaded) == pdf.RENDER_CHUNK == 20


def test_sheet_files_stay_apart_when_python_reuses_an_object_id(db, monkeypatch):
    """A retired sheet is freed, and Python gives its id() to the next object: the
    follow-up sheet once got the file name of the last proposal sheet, and the save
    failed with "No such file" (flaky in the suite). Every id() the same here: the
    names must not depend on it."""
    catalog = catalogue(3)
    monkeypatch.setattr(xlsx_export, "id", lambda _obj: 1, raising=False)
    buffer = io.BytesIO()
    assert xlsx_export.export_catalog_xlsx(catalog, buffer) == 3

    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames[0] == "Oversigt"
    numbers = [workbook["Oversigt"].cell(row=r, column=2).value for r in range(4, 7)]
    assert numbers == [p.number for p in pdf.select_proposals(catalog)]
    for number in numbers:
        assert workbook[number].cell(row=1, column=1).value
