"""The fast paths of the exports give what the straightforward code gives: the xlsx rows
serialised by LeanRows read back as openpyxl's own cells, and the pikepdf assembly
stamps every page and bookmarks every part."""

import io
import subprocess

import openpyxl
import pikepdf
import pytest
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from annex.stamp import stamp_page_numbers
from annex.weasy import html_to_pdf_counted
from annex.xlsx_export import (
    AMOUNT_FORMAT,
    BOLD,
    HEADER_FILL,
    LeanRows,
    _scratch,
    formula_cell,
    lean_text,
    number_cell,
    text_cell,
)

pytestmark = pytest.mark.tools("pdftotext")  # reads the PDFs it makes

TEXTS = [
    "Linje",
    "  leading and trailing  ",
    "a & b < c > d",
    "line\r\nbreak\ttab",
    "",
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "Ærø – økonomi",
]
NUMBERS = [0, 1, -1234567, 0.1, 12.5, 2021]


def _cells(path, title):
    ws = openpyxl.load_workbook(path)[title]
    return [
        [
            (c.value, c.data_type, c.number_format, c.font.b, c.fill.fill_type, c.quotePrefix)
            for c in row
        ]
        for row in ws.iter_rows()
    ]


def test_lean_rows_read_back_as_openpyxl_cells(tmp_path):
    from decimal import Decimal

    numbers = [*NUMBERS, Decimal("-1500.25"), Decimal("7")]
    # openpyxl's own cells
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append([text_cell(ws, t) for t in TEXTS])
    ws.append([text_cell(ws, t, font=BOLD, fill=HEADER_FILL) for t in TEXTS])
    ws.append([number_cell(ws, n) for n in numbers] + [number_cell(ws, None)])
    ws.append([None, formula_cell(ws, "=SUM(A3:B3)", font=BOLD)])
    ws.append([])
    ws.append([text_cell(ws, None, font=BOLD), number_cell(ws, 3, "0")])
    wb.save(tmp_path / "openpyxl.xlsx")

    wb = Workbook(write_only=True)
    with _scratch(wb):
        ws = wb.create_sheet("S")
        sid = LeanRows.style_id
        plain_q = sid(ws, quotePrefix=True)
        head, head_q = (
            sid(ws, font=BOLD, fill=HEADER_FILL),
            sid(ws, font=BOLD, fill=HEADER_FILL, quotePrefix=True),
        )
        rows = LeanRows(ws)
        rows.append([lean_text(t, 0, plain_q) for t in TEXTS])
        rows.append([lean_text(t, head, head_q) for t in TEXTS])
        rows.append([("n", n, sid(ws, AMOUNT_FORMAT)) for n in numbers] + [None])
        rows.append([None, ("f", "=SUM(A3:B3)", sid(ws, AMOUNT_FORMAT, font=BOLD))])
        rows.append([])
        rows.append([lean_text(None, sid(ws, font=BOLD)), ("n", 3, sid(ws, "0"))])
        rows.close()
        wb.save(tmp_path / "lean.xlsx")
    assert _cells(tmp_path / "lean.xlsx", "S") == _cells(tmp_path / "openpyxl.xlsx", "S")
    cells = _cells(tmp_path / "lean.xlsx", "S")
    assert cells[0][5][:2] == ('=HYPERLINK("http://x")', "s") and cells[0][5][5]


def test_lean_rows_refuse_what_openpyxl_refuses():
    wb = Workbook(write_only=True)
    rows = LeanRows(wb.create_sheet("S"))
    with pytest.raises(IllegalCharacterError):
        rows.append([lean_text("bell\x07", 0, 0)])
    with pytest.raises(ValueError):
        lean_text("=1+1")  # a formula-like text needs its quote-prefix style


def _pdf(pages: int) -> bytes:
    body = "".join(f'<p style="break-after: page">page {i}</p>' for i in range(pages))
    return html_to_pdf_counted(f"<html><body>{body}</body></html>")[0]


def test_stamped_page_numbers_and_bookmarks(tmp_path):
    from django.core.files.base import ContentFile

    from annex.pdf import assemble, part_storage

    parts = []  # (name in the parts storage, label), as the cache hands them over
    for i, count in enumerate((2, 3)):
        name = f"annex/parts/{i}/part{i}-p{count}.pdf"
        part_storage().save(name, ContentFile(_pdf(count)))
        parts.append((name, f"BC{i} Forslag {i}"))
    out = tmp_path / "annex.pdf"
    total = assemble(_pdf(1), parts, out, title="Bilag 2")
    assert total == 6
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert "side" not in text[0]  # the cover is counted, not numbered
    for n in range(2, 7):
        assert text[n - 1].count(f"side {n} af 6") == 1
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Bilag 2"
        with pdf.open_outline() as outline:
            marks = [(item.title, pdf.pages.index(item.destination[0])) for item in outline.root]
    assert marks == [("BC0 Forslag 0", 1), ("BC1 Forslag 1", 3)]


def test_stamp_keeps_the_page_content(tmp_path):
    with pikepdf.open(io.BytesIO(_pdf(2))) as pdf:
        stamp_page_numbers(pdf, skip_first=False)
        pdf.save(tmp_path / "s.pdf")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "page 0" in text and "page 1" in text
    assert "side 1 af 2" in text and "side 2 af 2" in text


@pytest.mark.parametrize("batch", [400, 2])  # 2: joined in batches, then the batches
def test_three_part_annex_keeps_page_numbers_and_bookmarks(tmp_path, monkeypatch, batch):
    """The parts are stamped one at a time and joined on disk (pdfunite, then an
    incremental update with the outline): every page after the cover says "side N af M"
    with N continuing across the parts, each proposal has its bookmark on its own first
    page, and the document information is kept."""
    from django.core.files.base import ContentFile
    from pypdf import PdfReader

    from annex import assembly
    from annex.pdf import assemble, part_storage

    monkeypatch.setattr(assembly, "BATCH", batch)
    parts = []
    for i, count in enumerate((3, 1, 2)):
        name = f"annex/parts/{i}/v1-part{i}-p{count}.pdf"
        part_storage().save(name, ContentFile(_pdf(count)))
        parts.append((name, f"BC0{i + 1} Ærø – økonomi {i}"))
    out = tmp_path / "annex.pdf"
    assert assemble(_pdf(2), parts, out, title="Bilag 2 · Budget 2021") == 8
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:8]
    assert "side" not in text[0]
    assert [line.split()[-4:] for line in (t.strip().splitlines()[-1] for t in text[1:])] == [
        ["side", str(n), "af", "8"] for n in range(2, 9)
    ]
    # the parts' own pages, in order
    assert [t.split()[0] for t in text] == ["page"] * 8
    with pikepdf.open(out) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf finds nothing wrong
        assert str(pdf.docinfo["/Title"]) == "Bilag 2 · Budget 2021"
        assert str(pdf.docinfo["/Creator"]) == "Bilag"
        with pdf.open_outline() as outline:
            marks = [(item.title, pdf.pages.index(item.destination[0])) for item in outline.root]
    assert marks == [
        ("BC01 Ærø – økonomi 0", 2),
        ("BC02 Ærø – økonomi 1", 5),
        ("BC03 Ærø – økonomi 2", 6),
    ]
    reader = PdfReader(out)  # a second reader of the incremental update
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == (
        marks
    )
    assert reader.metadata.title == "Bilag 2 · Budget 2021"
