"""Page numbers "side X af Y" stamped on an assembled PDF.

The annex is assembled from cached per-proposal PDFs; a part cannot know where it will
land, so the numbers are added at assembly: one small content stream per page, drawn
with an embedded subset of Liberation Sans (the body font), shared by all pages.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
CHARS = "side af 0123456789"
FONT_SIZE = 8
RIGHT_MARGIN_PT = 18 / 25.4 * 72
BOTTOM_PT = 10 / 25.4 * 72


def _font_path() -> Path:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Liberation Sans:style=Regular"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.endswith(".ttf") and Path(found).is_file():
            return Path(found)
    raise FileNotFoundError("no TrueType font for page numbers (install fonts-liberation2)")


@functools.cache
def _font_data() -> tuple[bytes, dict[int, int], dict[str, float]]:
    """The subset font file, widths (1/1000 em) of WinAnsi codes 32..126, metrics."""
    font = TTFont(str(_font_path()))
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARS)
    subsetter.subset(font)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {
        code: round(hmtx[cmap[code]][0] * scale) if code in cmap else 0 for code in range(32, 127)
    }
    head = font["head"]
    metrics = {
        "ascent": font["hhea"].ascent * scale,
        "descent": font["hhea"].descent * scale,
        "bbox": [head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale],
    }
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, metrics


def _font_object(writer: PdfWriter):
    data, widths, metrics = _font_data()
    font_file = DecodedStreamObject()
    font_file.set_data(data)
    font_file[NameObject("/Length1")] = NumberObject(len(data))
    name = NameObject("/BLGPNR+LiberationSans")
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject(FloatObject(v) for v in metrics["bbox"]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): FloatObject(metrics["ascent"]),
            NameObject("/Descent"): FloatObject(metrics["descent"]),
            NameObject("/CapHeight"): FloatObject(metrics["ascent"]),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(font_file),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): name,
            NameObject("/FirstChar"): NumberObject(32),
            NameObject("/LastChar"): NumberObject(126),
            NameObject("/Widths"): ArrayObject(NumberObject(widths[c]) for c in range(32, 127)),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
        }
    )
    return writer._add_object(font), widths


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def page_label(number: int, total: int) -> str:
    return f"side {number} af {total}"


def stamp_page_numbers(writer: PdfWriter, *, skip_first: bool = True) -> None:
    """Draw "side X af Y" at the bottom right of every page (the cover has none, but is
    counted, as in the printed annexes)."""
    total = len(writer.pages)
    font_ref, widths = _font_object(writer)
    save = _stream(writer, b"q\n")
    for index, page in enumerate(writer.pages):
        if skip_first and index == 0:
            continue
        text = page_label(index + 1, total)
        width = sum(widths[ord(ch)] for ch in text) * FONT_SIZE / 1000
        box = page.mediabox
        x = float(box.right) - RIGHT_MARGIN_PT - width
        y = float(box.bottom) + BOTTOM_PT
        restore = _stream(
            writer,
            f"Q\nq BT /BLGPageNr {FONT_SIZE} Tf 0.2 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q\n".encode(
                "ascii"
            ),
        )
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts = fonts.get_object()
        fonts[NameObject("/BLGPageNr")] = font_ref
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        items = []
        if contents is not None:
            contents_obj = contents.get_object()
            if isinstance(contents_obj, ArrayObject):
                items = list(contents_obj)
            else:
                items = [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *items, restore])
