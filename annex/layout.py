"""Each pool's printed form, as data: one definition per pool and edition
(``annex/layouts/*.json``), chosen per catalogue. Next year's form is a new file.

A definition names the form's title, what its head prints, how sections and tables are
numbered ("1.{n}." or "{number}.{n}" for the Citizen form's "Forslag 2" → 2.1 …), the
sections in order with their headings (the seeds' wording) and the blocks each section
prints. A section with nothing to print is left out and the next one takes its number,
as the annexes do. A block is one of:

``economy_table`` ``sign_note`` ``chart`` ``productivity`` ``text:<field>``
``other_text`` (the proposal's own extra sections whose heading names this section)
``detail:<kind>`` ``citizen_permanent`` ``citizen_implementation``
``distribution:<role>`` ``technical`` ``admin_notes`` ``followup_grid``
``followup_transposed`` ``risk_text`` ``risk_grid`` ``hearing`` ``criteria_grid``
``extra_sections`` (the proposal's extra sections no form section claims, each its own
numbered section).

This module only arranges: every figure is the engine's (through `printing` and
`technical`), every text the proposal's.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cases import richtext
from cases.models import Catalog

LAYOUT_DIR = Path(__file__).resolve().parent / "layouts"
NOTE_TEXT = "Alle besparelser er angivet med negativt (-) fortegn"
NUMBERING = re.compile(r"^\s*(?:tabel\s+)?\d+(?:\.\d+)*\.?\s+", re.IGNORECASE)
UNNUMBERED_EVIDENCE = 2
PRINTED_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*\.?)\s+")

BLOCK_TYPES = {
    "economy_table", "sign_note", "chart", "productivity", "other_text", "citizen_permanent",
    "citizen_implementation", "technical", "admin_notes", "followup_grid",
    "followup_transposed", "risk_text", "risk_grid", "hearing", "criteria_grid",
    "extra_sections",
}  # fmt: skip
BLOCK_PREFIXES = ("text:", "detail:", "distribution:")


class LayoutError(ValueError):
    """A layout definition that does not follow the rules above."""


@dataclass(frozen=True)
class Layout:
    key: str
    pool: str
    from_year: int
    form_title: str
    head: tuple[str, ...]
    numbering: str
    table_caption: str
    economy_caption: str  # "section": the 1.1 heading is the caption; "table": numbered
    sections: tuple[dict, ...]
    tables: dict[str, str] = field(default_factory=dict)
    admin_notes: tuple[str, ...] = ()
    criteria_columns: tuple[tuple[str, str], ...] = ()  # innovation: (key, header)
    note_headings: tuple[str, ...] = ()  # headings of notes, never numbered in any edition

    def section_number(self, proposal_number: str, n: int) -> str:
        return self.numbering.format(number=proposal_number, n=n)

    def caption(self, n: int | str, caption: str) -> str:
        return self.table_caption.format(n=n, caption=caption)

    def section_position(self, proposal_number: str, printed: str) -> int | None:
        """The position ``n`` a printed section number stands for in this form's
        numbering ("1.4." → 4 in "1.{n}."; "2.5" → 5 for proposal 2 in "{number}.{n}"),
        or None if it does not follow the numbering."""
        pattern = re.escape(self.numbering.rstrip(".")).replace(r"\{n\}", r"(\d+)")
        pattern = pattern.replace(r"\{number\}", re.escape(proposal_number or ""))
        match = re.fullmatch(pattern + r"\.?", (printed or "").strip())
        return int(match.group(1)) if match else None


def _validate(data: dict, path: Path) -> Layout:
    for section in data.get("sections", []):
        for block in section.get("blocks", []):
            if block not in BLOCK_TYPES and not block.startswith(BLOCK_PREFIXES):
                raise LayoutError(f"{path.name}: unknown block {block!r}")
    try:
        return Layout(
            key=data["key"],
            pool=data["pool"],
            from_year=int(data["from_year"]),
            form_title=data.get("form_title", ""),
            head=tuple(data["head"]),
            numbering=data["numbering"],
            table_caption=data["table_caption"],
            economy_caption=data.get("economy_caption", "section"),
            sections=tuple(data["sections"]),
            tables=dict(data.get("tables", {})),
            admin_notes=tuple(data.get("admin_notes", [])),
            criteria_columns=tuple(tuple(c) for c in data.get("criteria_columns", [])),
            note_headings=tuple(data.get("note_headings", [])),
        )
    except KeyError as exc:
        raise LayoutError(f"{path.name}: {exc.args[0]} is missing") from None


@functools.cache
def layouts() -> tuple[Layout, ...]:
    return tuple(
        _validate(json.loads(path.read_text(encoding="utf-8")), path)
        for path in sorted(LAYOUT_DIR.glob("*.json"))
    )


def layout_for(catalog: Catalog) -> Layout:
    """The pool's edition in force for the catalogue's budget year (the latest whose
    ``from_year`` is not after it; the earliest edition if all are later)."""
    editions = sorted((x for x in layouts() if x.pool == catalog.pool), key=lambda x: x.from_year)
    if not editions:
        raise LayoutError(f"no layout for pool {catalog.pool!r}")
    current = [x for x in editions if x.from_year <= catalog.budget_year]
    return current[-1] if current else editions[0]


def heading_key(heading: str) -> str:
    """A heading without its number, case and spacing aside."""
    return " ".join(NUMBERING.sub("", heading or "").split()).casefold().rstrip(".")


@dataclass
class Section:
    id: str
    heading: str
    blocks: list[dict[str, Any]]
    number: str = ""
    own: list[dict] = field(default_factory=list)  # the proposal's texts it claims


def claimed_texts(layout: Layout, other_sections: list[dict]) -> dict[str, list[dict]]:
    """The proposal's extra sections ({heading, text}) per form section id: those whose
    heading is the section's heading or an alias; "" collects the rest. A transcribed
    copy of the sign note is dropped (the form prints it under table 1.1)."""
    names: dict[str, str] = {}
    for section in layout.sections:
        for name in [section.get("heading", ""), *section.get("aliases", [])]:
            if name:
                names.setdefault(heading_key(name), section["id"])
    notes = {heading_key(h) for h in layout.note_headings}
    out: dict[str, list[dict]] = {}
    for extra in other_sections or []:
        text = (extra.get("text") or "").strip()
        if not text or NOTE_TEXT in re.sub(r"[*_]|</?[bi]>", "", text):
            continue
        heading = extra.get("heading") or ""
        number = PRINTED_NUMBER.match(heading)
        out.setdefault(names.get(heading_key(heading), ""), []).append(
            {
                "heading": NUMBERING.sub("", heading).strip(),
                "text": text,
                # the section number the source printed ("" for none); None: not a
                # section's heading (a note), so it says nothing about the numbering
                "printed_number": (
                    None if heading_key(heading) in notes else number.group(1) if number else ""
                ),
            }
        )
    return out


def printed_numbers(layout: Layout, proposal_number: str, sections: list[Section]) -> list[str]:
    """The section numbers as the source document printed them, where its own headings
    (the transcribed extra sections a form section claims) show them; the form's
    numbering otherwise.

    - Every such heading printed without a number (at least ``UNNUMBERED_EVIDENCE`` of
      them: one could be a slip): the source numbered no section, and neither does the
      print.
    - A heading whose number follows the form's numbering but stands elsewhere than the
      form counts (investment 2020 BC09: "1.4. Kriterier …" where the form has 1.5)
      shifts the numbers from there on, and the sections before it alike, none below 1.
    - A number that does not follow the numbering ("1. OPFØLGNING" in proposal 2) is a
      slip of the source: the form's number is printed.
    """
    anchors: list[tuple[int, str]] = [
        (pos, own[0]["printed_number"])
        for pos, section in enumerate(sections, start=1)
        if (own := [t for t in section.own if t.get("printed_number") is not None])
    ]
    if len(anchors) >= UNNUMBERED_EVIDENCE and all(number == "" for _pos, number in anchors):
        return [""] * len(sections)
    offsets: list[tuple[int, int]] = []
    for pos, number in anchors:
        n = layout.section_position(proposal_number, number)
        if n is not None:
            offsets.append((pos, n - pos))
    out = []
    first = offsets[0][1] if offsets else 0
    for pos in range(1, len(sections) + 1):
        offset = next((o for p, o in reversed(offsets) if p <= pos), first)
        out.append(layout.section_number(proposal_number, max(1, pos + offset)))
    return out


def as_printed(layout: Layout, sections: list[Section], printed: list[str]) -> list[Section]:
    """The sections as the source document headed them, where its headings were recorded
    at import (``Proposal.printed_headings``: "2. BAGGRUND FOR FORSLAGET", in order).

    - A section whose heading (the form's, an alias or the proposal's own wording)
      stands among them prints that heading's number and wording as the source has
      them, slips included (Citizen 2018 proposal 3 numbers "2." … "8."; proposal 2
      prints "1. OPFØLGNING" and "2.8 RISICI").
    - A section the source gave no heading of its own, between two it did, printed its
      content under the heading before it (Citizen proposal 3's distribution table under
      "4. FORSLAGETS POTENTIALE"; investment BC11's hearing tables under "1.11
      RISIKOVURDERING"): its blocks join the section before it. One after the source's
      last heading (the source printed nothing of it: investment BC03 has no Teknisk
      bilag) keeps its heading and the form's number.
    - Headings that match no section of the form say nothing: if none matches, the
      sections are returned as they are (another form, or no recorded headings).
    """
    recorded: dict[str, tuple[str, str]] = {}
    for heading in printed:
        number = PRINTED_NUMBER.match(heading)
        recorded.setdefault(
            heading_key(heading),
            (number.group(1) if number else "", NUMBERING.sub("", heading).strip()),
        )
    specs = {spec["id"]: spec for spec in layout.sections}

    def found(section: Section) -> tuple[str, str] | None:
        spec = specs.get(section.id, {})
        names = [
            section.heading,
            *(t["heading"] for t in section.own),
            spec.get("heading", ""),
            *spec.get("aliases", []),
        ]
        return next((recorded[k] for n in names if (k := heading_key(n)) in recorded), None)

    hits = [found(section) for section in sections]
    if not any(hits):
        return sections
    last = max(i for i, hit in enumerate(hits) if hit)
    out: list[Section] = []
    for i, (section, hit) in enumerate(zip(sections, hits, strict=True)):
        if hit is None and out and i < last:
            out[-1].blocks += section.blocks
            continue
        if hit is not None:
            section.number, section.heading = hit
        out.append(section)
    return out


def build_sections(
    layout: Layout,
    proposal_number: str,
    make_block,
    texts: dict[str, list[dict]],
    source_order=None,
    printed_headings: list[str] | None = None,
) -> list[Section]:
    """The form's sections with their blocks (``make_block(name, section_id)`` returns
    a block dict or None); empty sections dropped, the rest numbered in order, or as
    the source printed them where its headings were recorded (`as_printed`).
    ``source_order(name)``: where the source document printed that detail table (its
    detail tables keep the source's order; None: the form's)."""
    out: list[Section] = []
    for spec in layout.sections:
        if source_order is not None:
            names = list(spec["blocks"])
            slots = [i for i, n in enumerate(names) if n.startswith("detail:")]
            ranked = sorted(
                (names[i] for i in slots),
                key=lambda n: (source_order(n) is None, source_order(n) or 0),
            )
            for i, name in zip(slots, ranked, strict=True):
                names[i] = name
            spec = {**spec, "blocks": names}
        if spec["blocks"] == ["extra_sections"]:
            for extra in texts.get("", []):
                block = make_block("extra_text", spec["id"], extra)
                out.append(Section("extra", extra["heading"], [block]))
            continue
        blocks = []
        for name in spec["blocks"]:
            if name == "other_text":
                blocks += [
                    make_block("extra_text", spec["id"], t) for t in texts.get(spec["id"], [])
                ]
            else:
                block = make_block(name, spec["id"], None)
                if isinstance(block, list):  # a block with the source tables due before it
                    blocks += block
                elif block is not None:
                    blocks.append(block)
        blocks = [b for b in blocks if b is not None]
        if not blocks:
            continue
        # The proposal's own wording of an aliased heading wins (it is the document's).
        heading = spec.get("heading", "")
        own = [t["heading"] for t in texts.get(spec["id"], []) if t["heading"]]
        if own and heading_key(own[0]) != heading_key(heading) and spec["id"] != "economy":
            heading = own[0]
        out.append(Section(spec["id"], heading, blocks, own=texts.get(spec["id"], [])))
    for section, number in zip(out, printed_numbers(layout, proposal_number, out), strict=True):
        section.number = number
    return as_printed(layout, out, printed_headings or [])


def render_text(text: str, skip_captions) -> str:
    return richtext.render(text, skip_captions=skip_captions)
