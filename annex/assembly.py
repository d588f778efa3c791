"""Joining an annex's PDFs on disk, in memory that does not grow with the annex.

The annex is the front matter and one cached PDF per proposal. Copying every part's pages
into one in-memory document (pikepdf/qpdf) holds every object of the annex until it is
written: about half a megabyte per part, ~600 MB for 1,000 proposals. Here nothing holds
more than one part:

1. each part is stamped on its own with the page numbers it will have ("side X af Y",
   `annex.stamp`) and written to a scratch folder;
2. poppler's `pdfunite` joins the stamped files (a program of poppler-utils, which the
   project already needs; it streams the pages to the output, 89 MB and 3 s for 1,000
   parts), in batches so that it never has more files open than `BATCH`;
3. pdfunite keeps neither bookmarks nor document information, so they are appended as a
   PDF incremental update (ISO 32000-1, 7.5.6): a new catalogue with the outline, the
   outline items and the document information, written after the joined file with a
   cross-reference section of their own. Nothing of the joined file is read but its
   trailer and the page tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .stamp import stamp_page_numbers

# pdfunite opens all of its inputs at once: at most this many per run (a process may
# often open 1,024 files); a larger annex is joined in batches, then the batches.
BATCH = 400


@dataclass(frozen=True)
class Piece:
    """One PDF of the annex: `open()` is a context manager giving it as a pikepdf.Pdf
    (a cached part, the front matter), `pages` its page count, `label` its bookmark
    ("" for none), `cover`: its first page is counted but not numbered (the front
    matter's cover)."""

    open: Callable[[], AbstractContextManager[pikepdf.Pdf]]
    pages: int
    label: str = ""
    cover: bool = False


def join(pieces: Iterable[Piece], output, *, title: str, creator: str = "Bilag") -> int:
    """Stamp, join and bookmark `pieces` (in order) into `output` (a path or a binary
    file); returns the number of pages. The pieces are opened one at a time; `title` and
    `creator` go into the document information. Raises RuntimeError when pdfunite
    fails, FileNotFoundError when it is not installed (Debian: poppler-utils)."""
    pieces = list(pieces)
    total = sum(piece.pages for piece in pieces)
    with tempfile.TemporaryDirectory(prefix="bilag-annex-") as scratch:
        folder = Path(scratch)
        files, marks = [], []
        start = 0
        for index, piece in enumerate(pieces):
            path = folder / f"{index:06d}.pdf"
            with piece.open() as pdf:
                if len(pdf.pages) != piece.pages:
                    raise ValueError(
                        f"piece {index} has {len(pdf.pages)} pages, {piece.pages} expected"
                    )
                stamp_page_numbers(pdf, skip_first=piece.cover, first=start + 1, total=total)
                pdf.save(path)
            files.append(path)
            if piece.label:
                marks.append((piece.label, start))
            start += piece.pages
        joined = unite(files, folder)
        append_outline(joined, marks, {"/Title": title, "/Creator": creator})
        if isinstance(output, str | os.PathLike):
            shutil.move(joined, output)
        else:
            with joined.open("rb") as file:
                shutil.copyfileobj(file, output)
    return total


def unite(files: list[Path], folder: Path) -> Path:
    """The files joined by pdfunite into one file in `folder` (batches of `BATCH`)."""
    level = 0
    while len(files) > 1 or level == 0:
        batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
        joined = []
        for number, batch in enumerate(batches):
            target = folder / f"joined-{level}-{number:04d}.pdf"
            done = subprocess.run(
                ["pdfunite", *map(str, batch), str(target)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"pdfunite failed ({done.returncode}): {done.stderr.strip()}")
            for path in batch:
                path.unlink()
            joined.append(target)
        files, level = joined, level + 1
    return files[0]


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, written in hex."""
    return b"<" + ("\ufeff" + value).encode("utf-16-be").hex().upper().encode() + b">"


STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
SUBSECTION = re.compile(rb"(\d+) (\d+)\s*\r?\n")


def _xref_size(data: bytes, offset: int) -> int:
    """One more than the highest object number of the classic cross-reference table at
    `offset` (pdfunite's trailer /Size can be smaller than that)."""
    if not data.startswith(b"xref", offset):
        raise ValueError("the joined file has no classic cross-reference table")
    position = offset + 4
    while data[position : position + 1] in (b"\r", b"\n", b" "):
        position += 1
    size = 0
    while (match := SUBSECTION.match(data, position)) is not None:
        first, count = int(match[1]), int(match[2])
        size = max(size, first + count)
        position = match.end() + 20 * count
    return size


def append_outline(path: Path, marks: list[tuple[str, int]], info: dict[str, str]) -> None:
    """Append to the PDF at `path` an incremental update with a bookmark per mark
    (title, 0-based page index; shown as the page fitted in the window) and the
    document information `info` (PDF names such as "/Title" to text)."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        root_number, root_generation = root.objgen
        entries = {key: value.unparse() for key, value in root.items() if key != "/Outlines"}
        destinations = [pdf.pages[page].objgen for _title, page in marks]
        trailer_size = int(pdf.trailer.get("/Size", 0))
        trailer_id = pdf.trailer.get("/ID")
        trailer_id = trailer_id.unparse() if trailer_id is not None else None
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 1024))
        tail = file.read()
    found = STARTXREF.search(tail)
    if found is None:
        raise ValueError(f"{path}: no startxref at the end")
    previous = int(found[1])
    with path.open("rb") as file:
        file.seek(previous)
        head = file.read(64)
    if head.startswith(b"xref"):
        # the highest number in use: read the subsection headers of the table
        with path.open("rb") as file:
            file.seek(previous)
            table = file.read()
        size = max(trailer_size, _xref_size(table, 0))
    else:
        raise ValueError(f"{path}: the cross-reference data is not a classic table")

    # new objects: the information dictionary, the outline root, one item per mark
    info_number = size
    outline_number = size + 1
    item_numbers = [size + 2 + i for i in range(len(marks))]
    objects: dict[int, bytes] = {}
    objects[info_number] = (
        b"<< " + b" ".join(k.encode() + b" " + _text(v) for k, v in info.items()) + b" >>"
    )
    if marks:
        entries["/Outlines"] = f"{outline_number} 0 R".encode()
        objects[outline_number] = (
            f"<< /Type /Outlines /First {item_numbers[0]} 0 R /Last {item_numbers[-1]} 0 R "
            f"/Count {len(marks)} >>"
        ).encode()
        for i, ((title, _page), (page_number, page_generation)) in enumerate(
            zip(marks, destinations, strict=True)
        ):
            links = [f"/Parent {outline_number} 0 R"]
            if i > 0:
                links.append(f"/Prev {item_numbers[i - 1]} 0 R")
            if i + 1 < len(marks):
                links.append(f"/Next {item_numbers[i + 1]} 0 R")
            objects[item_numbers[i]] = (
                b"<< /Title "
                + _text(title)
                + f" {' '.join(links)} /Dest [{page_number} {page_generation} R /Fit] >>".encode()
            )
    catalog = b"<< " + b" ".join(k.encode() + b" " + v for k, v in entries.items()) + b" >>"

    with path.open("ab") as file:
        offset = file.tell()
        file.write(b"\n")
        offset += 1
        offsets: dict[int, tuple[int, int]] = {}

        def write(number: int, generation: int, body: bytes) -> None:
            nonlocal offset
            chunk = f"{number} {generation} obj\n".encode() + body + b"\nendobj\n"
            offsets[number] = (offset, generation)
            file.write(chunk)
            offset += len(chunk)

        write(root_number, root_generation, catalog)
        for number, body in objects.items():
            write(number, 0, body)
        xref = offset
        lines = [b"xref\n"]
        numbers = sorted(offsets)
        run: list[int] = []
        for number in [*numbers, None]:
            if run and (number is None or number != run[-1] + 1):
                lines.append(f"{run[0]} {len(run)}\n".encode())
                for n in run:
                    at, generation = offsets[n]
                    lines.append(f"{at:010d} {generation:05d} n \n".encode())
                run = []
            if number is not None:
                run.append(number)
        new_size = max(size, numbers[-1] + 1)
        trailer = (
            f"<< /Size {new_size} /Root {root_number} {root_generation} R "
            f"/Info {info_number} 0 R /Prev {previous}"
        ).encode()
        if trailer_id is not None:
            trailer += b" /ID " + trailer_id
        lines.append(b"trailer\n" + trailer + b" >>\n")
        lines.append(f"startxref\n{xref}\n%%EOF\n".encode())
        file.write(b"".join(lines))
