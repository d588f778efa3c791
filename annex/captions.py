"""Table captions as the source document printed them.

A transcribed proposal carries the tables its source printed (``other_tables``), each
with its caption as printed: "Tabel 1.4.1. Varige ændringer, service", "Tabel 2. …",
an unnumbered "Tabel. Fordeling af anlægsinvesteringer mellem udvalg", even "Table 1.14
Måltaleffekt …". The annexes number their tables in several ways, sometimes several in
one catalogue, so the print does not guess a scheme: a table the source printed keeps
the source's caption (its number and wording, emphasis markers aside); a table the
source did not print (the form adds it, e.g. a Teknisk bilag table computed by the
engine) takes the number after the previous table's if the source does not use that
number, else its caption alone. A proposal without a source (entered in the editor)
numbers its tables with the form's ``table_caption`` ("Tabel {n}. {caption}"), 1, 2, …

A printed table is matched to the source's by its caption (`richtext.caption_key`) or,
for a distribution table, by its subject (the transcription's ``distribution_subject``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cases import richtext

from .layout import Layout

# "Tabel 1.4.1." / "Table 1.14" / "Tabel." / "Tabel X." → the word and the number (None:
# printed without a number).
PREFIX = re.compile(
    r"^\s*(?P<word>tabel|table)\b\s*(?P<number>\d+(?:\.\d+)*|[A-Z](?![a-zæøå]))?\s*\.?\s*",
    re.IGNORECASE,
)

# The transcription's distribution subjects → the print's table roles
# (`technical.DistTable.role`).
SUBJECT_ROLES = {
    "potential": "service",
    "target_effect": "target_effect",
    "appropriation_effect": "appropriation_effect",
    "appropriation_effect_if_not": "appropriation_effect_if_not",
    "capital": "implementation_capital",
    "implementation_capital": "implementation_capital",
    "service_investment": "implementation_service",
    "implementation_service": "implementation_service",
    "implementation_operating": "implementation_operating",
    "implementation": "implementation",
}


@dataclass(frozen=True)
class SourceCaption:
    index: int  # position in ``other_tables``
    text: str  # as printed, emphasis markers removed
    number: str | None  # "1.4.1", "2"; None when printed without a number
    key: str  # `richtext.caption_key`
    role: str  # the distribution table's role, or ""


def clean(caption: str) -> str:
    """A printed caption without Markdown emphasis and doubled spaces."""
    return " ".join(re.sub(r"\*+|</?[bi]>", "", caption or "").split())


def source_captions(other_tables: list) -> list[SourceCaption]:
    """The captions of the source's tables that it printed as "Tabel …" captions."""
    out = []
    for i, table in enumerate(other_tables or []):
        if not isinstance(table, dict):
            continue
        text = clean(str(table.get("caption") or ""))
        match = PREFIX.match(text)
        if not text or match is None or not richtext.CAPTION.match(text):
            continue
        number = match.group("number")
        if number and not number[0].isdigit():
            number = None  # "Tabel X." (a placeholder the source forgot to fill in)
        role = ""
        if table.get("kind") == "distribution":
            role = SUBJECT_ROLES.get(str(table.get("distribution_subject") or ""), "")
        out.append(SourceCaption(i, text, number, richtext.caption_key(text), role))
    return out


def _next(number: str) -> str:
    head, _, last = number.rpartition(".")
    return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)


class Captions:
    """Numbers one proposal's tables in print order (see the module's docstring)."""

    def __init__(self, form: Layout, other_tables: list):
        self.form = form
        self.source = source_captions(other_tables)
        self.reserved = {s.number for s in self.source if s.number}
        self.used: set[int] = set()
        self.last: str | None = None  # the previous printed table's number
        self.count = 0

    def match(self, caption: str, role: str = "") -> SourceCaption | None:
        """The source's caption of this table (not yet printed), if it printed one."""
        key = richtext.caption_key(caption)
        free = [s for s in self.source if s.index not in self.used]
        return next((s for s in free if role and s.role == role), None) or next(
            (s for s in free if s.key == key), None
        )

    def position(self, caption: str, role: str = "") -> int | None:
        found = self.match(caption, role)
        return found.index if found else None

    def number(self, caption: str, role: str = "") -> tuple[str, int | None]:
        """(the caption to print, the index of the source table it is, or None)."""
        self.count += 1
        if not self.source:
            return self.form.caption(self.count, caption), None
        found = self.match(caption, role)
        if found is not None:
            self.used.add(found.index)
            self.last = found.number or self.last
            return found.text, found.index
        candidate = _next(self.last) if self.last else "1"
        if candidate in self.reserved:
            return caption, None
        self.last = candidate
        return self.form.caption(candidate, caption), None

    def source_text(self, index: int) -> str:
        """The printed caption of the source's table ``index`` (a table of its own that
        the print copies), which then counts as printed."""
        found = next(s for s in self.source if s.index == index)
        self.used.add(index)
        self.count += 1
        self.last = found.number or self.last
        return found.text
