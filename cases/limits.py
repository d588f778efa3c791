"""How much one proposal may hold: the one place the editor's forms, the importers, the
database constraints and the request limits in `config.settings` read their bounds from
(issue 11, findings 4, 14 and 16). Plain Python, no Django: the settings import it.

Counts are per proposal; text lengths are in characters. The bounds are far above any
printed annex (the largest reference proposal has 25 lines, 8 follow-up rows and 11,169
characters in one section) and low enough that one request, one import or one PDF stays
small.
"""

from __future__ import annotations

import re
import unicodedata

MAX_YEARS = 30  # the year span (the database checks last_year <= first_year + 29)
MAX_LINES = 200  # rows per section of the year grid (permanent, implementation, admin)
MAX_SPECIFICATIONS = 50  # specification rows under one line
MAX_SPECIFICATION_ROWS = 200  # specification rows of one section (the editor's grid)
MAX_FOLLOWUP_ROWS = 50
MAX_HEARING_ROWS = 30
MAX_OTHER_SECTIONS = 30
MAX_DISTRIBUTION_ROWS = 60  # per distributed subject (committees and ØU's units)
MAX_ADMINISTRATIONS = 40

# Text fields by kind (characters).
NUMBER_LENGTH = 20
TITLE_LENGTH = 500
LABEL_LENGTH = 500  # a line of the year grid, a priority criterion
NAME_LENGTH = 200  # hearing body, unit, account, funding source, a section's heading
DATE_TEXT_LENGTH = 2_000  # the printed column also holds whole paragraphs
CELL_TEXT_LENGTH = 2_000  # a follow-up cell ("Hvordan måles succeskriteriet?")
LONG_TEXT_LENGTH = 30_000  # a narrative section, the summary, the risk assessment
COMMENT_LENGTH = 5_000
JSON_BLOB_LENGTH = 200_000  # printed tables and notes kept as JSON, serialised

# Fields a formset row posts besides its year cells, and the header's own fields (with
# every administration ticked): what one editor page can send at most.
_LINE_FIELDS = 5  # label, kind, area, ORDER, DELETE
_DIST_ROW_FIELDS = 6  # committee, unit, account, weight, ORDER, DELETE
_FORMSETS = 3 + 2 + 3 + 9  # grid sections; specifications; follow-up, hearing, sections;
# distributions
_SPEC_FIELDS = 4  # line, label, ORDER, DELETE
_HEADER_FIELDS = 60
_SUBJECTS = 9


def max_editor_fields() -> int:
    """The most fields one save of the editor can post, with every formset at its
    maximum and every year filled: `DATA_UPLOAD_MAX_NUMBER_FIELDS` is set to this, so a
    proposal the model allows always saves (a test posts exactly this many)."""
    return (
        _HEADER_FIELDS
        + MAX_ADMINISTRATIONS
        + 4 * _FORMSETS  # management forms
        + 3 * MAX_LINES * (_LINE_FIELDS + MAX_YEARS)
        + 2 * MAX_SPECIFICATION_ROWS * (_SPEC_FIELDS + MAX_YEARS)
        + MAX_YEARS  # full-time equivalents
        + MAX_FOLLOWUP_ROWS * (5 + 2)
        + MAX_HEARING_ROWS * (3 + 2)
        + MAX_OTHER_SECTIONS * (2 + 2)
        + _SUBJECTS * (1 + MAX_DISTRIBUTION_ROWS * (_DIST_ROW_FIELDS + MAX_YEARS))
    )


# The most bytes such a save can take, URL-encoded (a Danish letter is 2 bytes of UTF-8,
# 6 as %XX escapes): every text at its limit, plus the fields.
MAX_EDITOR_BYTES = (
    6
    * (
        (9 + MAX_OTHER_SECTIONS) * LONG_TEXT_LENGTH
        + MAX_FOLLOWUP_ROWS * 5 * CELL_TEXT_LENGTH
        + 3 * MAX_LINES * LABEL_LENGTH
    )
    + 64 * max_editor_fields()
)

# --------------------------------------------------------------------------- text

_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def _refused(char: str, multiline: bool) -> bool:
    if multiline and char in "\n\t":
        return False
    category = unicodedata.category(char)
    if category in ("Cc", "Cs"):
        return True
    code = ord(char)
    return category == "Cn" and (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)


def bad_character(text: str, *, multiline: bool) -> tuple[int, str] | None:
    """(position, "U+XXXX") of the first character text may not hold, or None.

    Refused: control characters (NUL and the rest of Unicode category Cc; a multi-line
    text keeps line feeds and tabs), lone surrogates (Cs: they cannot be stored as
    UTF-8, so PostgreSQL refuses what SQLite keeps) and non-characters. A single-line
    text is passed through `single_line` first."""
    for i, char in enumerate(text):
        if _refused(char, multiline):
            return i, f"U+{ord(char):04X}"
    return None


def single_line(text: str) -> str:
    """A line break, tab or other line separator in a one-line field (a title, a label,
    a hearing body) becomes one space: such text goes into mail subjects and table cells
    (issue 11, finding 15)."""
    return _LINE_BREAKS.sub(" ", text)


def clean_text(text: str, *, multiline: bool) -> str:
    """What a form keeps of typed or pasted text: CRLF as LF, line breaks of one-line
    fields as spaces, and every other control character (NUL included) or lone
    surrogate removed. The importers refuse such text instead (`bad_character`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = single_line(text)
    return "".join(char for char in text if not _refused(char, multiline))
