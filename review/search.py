"""The case list's search: one folded text per proposal, stored on its summary
(`ProposalSummary.search_text`) when the summary is written, and searched with a plain
substring match. Folding in Python, at write time and for the query alike, makes the
search the same on SQLite (whose LIKE folds only ASCII: "Ø" ≠ "ø") and PostgreSQL
(issue 11, finding 22)."""

from __future__ import annotations

import unicodedata

# The proposal's texts the search looks in, besides number and title.
NARRATIVE_FIELDS = (
    "summary",
    "background",
    "content",
    "potential",
    "economy_text",
    "implementation_text",
    "partners",
    "effect",
    "risk_text",
)


def fold(text: str) -> str:
    """`text` as the search compares it: Unicode NFKC (a composed "å" and "a" with a
    combining ring are one letter), then case-folded (Python's `str.casefold`: "Ø", "Æ",
    "Å" as "ø", "æ", "å"; "ß" as "ss"). Letters are not stripped of their marks: "år" is
    not "ar" in Danish."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(proposal) -> str:
    """The folded text the search box matches in, for one proposal: number, title, every
    narrative text (also the other sections' headings and texts), the owning committee
    and the presenting and affected administrations (code and name). Parts are joined by
    a line feed, so that a query does not match across two fields.

    Expects `committee`, `presenting_administration` and `affected_administrations`
    loaded (`cases.selectors.proposals_with_inputs`); works on a migration's historical
    model too."""
    parts = [proposal.number, proposal.title]
    parts += [getattr(proposal, name) for name in NARRATIVE_FIELDS]
    for section in proposal.other_sections or []:
        if isinstance(section, dict):
            parts += [str(section.get("heading") or ""), str(section.get("text") or "")]
    organisations = [proposal.committee, proposal.presenting_administration]
    organisations += list(proposal.affected_administrations.all())
    for organisation in organisations:
        if organisation is not None:
            parts += [organisation.code, organisation.name]
    return fold("\n".join(part for part in parts if part))
