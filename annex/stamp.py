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

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

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


def _font_object(pdf: pikepdf.Pdf) -> tuple[pikepdf.Object, dict[int, int]]:
    data, widths, metrics = _font_data()
    font_file = pikepdf.Stream(pdf, data)
    font_file.Length1 = len(data)
    name = Name("/BLGPNR+LiberationSans")
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=Array(metrics["bbox"]),
        ItalicAngle=0,
        Ascent=metrics["ascent"],
        Descent=metrics["descent"],
        CapHeight=metrics["ascent"],
        StemV=80,
        FontFile2=pdf.make_indirect(font_file),
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        BaseFont=name,
        FirstChar=32,
        LastChar=126,
        Widths=Array([widths[c] for c in range(32, 127)]),
        Encoding=Name.WinAnsiEncoding,
        FontDescriptor=pdf.make_indirect(descriptor),
    )
    return pdf.make_indirect(font), widths


def page_label(number: int, total: int) -> str:
    return f"side {number} af {total}"


def stamp_page_numbers(
    pdf: pikepdf.Pdf, *, skip_first: bool = True, first: int = 1, total: int | None = None
) -> None:
    """Draw "side X af Y" at the bottom right of every page (the cover has none, but is
    counted, as in the printed annexes). The page's own content is wrapped in q/Q, so
    that whatever graphics state it leaves does not move the number.

    `first` is the number of this document's first page and `total` the Y (default: a
    document of its own, 1 and its page count): a part of an annex is stamped on its
    own, before the parts are joined, with the numbers it will have in the annex."""
    total = len(pdf.pages) if total is None else total
    font_ref, widths = _font_object(pdf)
    save = pdf.make_stream(b"q\n")
    font_name = Name("/BLGPageNr")
    for index, page in enumerate(pdf.pages):
        if skip_first and index == 0:
            continue
        text = page_label(first + index, total)
        width = sum(widths[ord(ch)] for ch in text) * FONT_SIZE / 1000
        box = page.mediabox
        x = float(box[2]) - RIGHT_MARGIN_PT - width
        y = float(box[1]) + BOTTOM_PT
        restore = pdf.make_stream(
            f"Q\nq BT /BLGPageNr {FONT_SIZE} Tf 0.2 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q\n".encode(
                "ascii"
            )
        )
        page.add_resource(font_ref, Name.Font, font_name)
        page.contents_add(save, prepend=True)
        page.contents_add(restore)
