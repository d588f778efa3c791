"""A proposal's narrative text as safe HTML, for the page and the printed annex alike.

The texts come from three sources and mix their conventions: Markdown (bold, italics,
lists, "####" sub-headings, links, Markdown tables), rows pasted from Excel or the
transcriptions (cells separated by tabs) and bits of HTML (``<i>…</i>``). They are
rendered by markdown-it-py (CommonMark with tables; a well-kept parser, so that no
``**`` or ``####`` is ever printed literally) and then cleaned by nh3 (the Ammonia
sanitiser: only the tags and attributes below survive, links only to http(s)/mailto).
What the libraries do not know is done here, before parsing:

- a group of tab-separated lines becomes a table (a "Tabel …" line right above it is
  its caption);
- a paragraph that is one numbered line ("1.4.1 Investeringsbehovet") is a sub-heading
  that keeps its number;
- a bold marker that closes nothing (the transcriptions lose an opening ``**`` now and
  then: "- 1. Kortlægning af målgrupper:** For at …") becomes the bold lead-in it was
  when it follows a lead-in ending in ":" or ".", and is dropped otherwise;
- a table whose caption names a table the form prints from the engine (``skip``) is
  left out, so that no table is printed twice.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "h5",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "blockquote", "code", "sup",
    "sub", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "table": {"class"}, "td": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("table")

CAPTION = re.compile(r"^\s*\**\s*(?:tabel|table)\b[^\t]*$", re.IGNORECASE)
CAPTION_NUMBER = re.compile(r"^\s*\**\s*(?:tabel|table)\s*[\dA-Z]*(?:\.\d+)*\.?\s*", re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)+\.?)\s+(\S.{0,100})$")
CELL_NUMBER = re.compile(r"^-?[\d.]+(,\d+)?\s?%?$")


def caption_key(caption: str) -> str:
    """A caption without "Tabel 3." and emphasis, case and spacing aside: what two
    captions of the same table share."""
    text = CAPTION_NUMBER.sub("", caption or "")
    text = re.sub(r"[*_<>/]|</?i>|</?b>", " ", text)
    return " ".join(text.split()).casefold().rstrip(".")


def _table_html(caption: str, rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    out = ['<table class="text-table">']
    if caption:
        out.append(f"<caption>{_inline(caption)}</caption>")
    for row in rows:
        cells = row + [""] * (width - len(row))
        tds = []
        for cell in cells:
            text = cell.strip()
            cls = ' class="num"' if CELL_NUMBER.match(text) else ""
            tds.append(f"<td{cls}>{_inline(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _inline(text: str) -> str:
    """Inline Markdown (bold, italics, links) of a cell or caption."""
    text = re.sub(r"</?b>", "**", text)
    text = text.strip().strip("*") if text.strip().startswith("**") else text
    return _md.renderInline(_balance_bold(text))


def _blocks(text: str, skip: set[str]) -> Iterable[str]:
    """Markdown source and ready HTML tables, in order."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    i = 0
    pending: list[str] = []
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            caption = ""
            # a caption right above the table (possibly with a blank line between)
            while pending and not pending[-1].strip():
                pending.pop()
            if pending and CAPTION.match(pending[-1]):
                caption = pending.pop().strip().strip("*").strip()
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            if pending:
                yield "\n".join(pending)
                pending = []
            if caption and caption_key(caption) in skip:
                continue
            yield ("html", _table_html(caption, rows))
            continue
        pending.append(line)
        i += 1
    if pending:
        yield "\n".join(pending)


LEAD_IN = re.compile(r"^(\s*(?:[-+*]\s+)?)([^*\s][^*]{0,150}?[:.])\*\*(?=\s|$)")


ITEM_START = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s")


def _balance_bold(para: str) -> str:
    """A paragraph whose ``**`` do not pair: the lone marker becomes the end of a bold
    lead-in ("Formål.** Tekst" → "**Formål.** Tekst") or is dropped, so that no
    marker is ever printed literally. Markers pair within a list item (emphasis never
    runs from one item into the next), so each item is balanced on its own; paired
    markers are left to the parser."""
    items: list[list[str]] = []
    for line in para.split("\n"):
        if not items or ITEM_START.match(line):
            items.append([])
        items[-1].append(line)
    return "\n".join("\n".join(_balance_item(item)) for item in items)


def _balance_item(lines: list[str]) -> list[str]:
    if sum(line.count("**") for line in lines) % 2 == 0:
        return lines
    for n, line in enumerate(lines):
        if line.count("**") % 2 == 0:
            continue
        lead = LEAD_IN.match(line)
        if lead:
            lines[n] = f"{lead.group(1)}**{lead.group(2)}**{line[lead.end() :]}"
        else:
            cut = line.rfind("**")
            lines[n] = re.sub(r" {2,}", " ", line[:cut] + line[cut + 2 :])
        break
    return lines


def _markdown_source(text: str) -> str:
    """Numbered one-line paragraphs become sub-headings that keep their number; lone
    bold markers are balanced (`_balance_bold`)."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = _balance_bold(para)
        stripped = para.strip()
        match = NUMBERED_HEADING.match(stripped)
        if match and "\n" not in stripped and not stripped.endswith((".", ":")):
            out.append(f"### {html.escape(stripped)}")
        else:
            out.append(para)
    return "\n\n".join(out)


# A heading marker with no text ("####" alone) makes no heading.
EMPTY_HEADING = re.compile(r"<h([1-6])>\s*</h\1>\n?")


def render(text: str, *, skip_captions: Iterable[str] = ()) -> str:
    """Safe HTML of a narrative text (see the module's docstring). ``skip_captions``:
    captions of tables printed elsewhere (compared by `caption_key`)."""
    skip = {caption_key(c) for c in skip_captions}
    parts = []
    for block in _blocks(text, skip):
        if isinstance(block, tuple):
            parts.append(block[1])
        elif block.strip():
            parts.append(_md.render(_markdown_source(block)))
    return EMPTY_HEADING.sub("", clean("".join(parts)))


def render_inline(text: str) -> str:
    """Safe HTML of a short text that is no narrative (a table cell such as a hearing
    remark): inline Markdown and the bits of HTML the transcriptions carry (``<i>…</i>``),
    line breaks kept, no paragraphs; cleaned like `render`. "" for an empty text."""
    return clean(_inline(text)) if (text or "").strip() else ""


def clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
