"""HTML -> PDF with WeasyPrint, in this process or in a worker process.

No Django import here: worker processes of a cold render only run WeasyPrint on HTML
that the main process rendered, so they never touch the database or the settings.
WeasyPrint may fetch nothing but the app's own static files, read from disk
(`StaticOnlyFetcher`); fonts come from the system (fontconfig: fonts-liberation2 and
fonts-dejavu-core, installed by .ci/run), never from the network.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import re
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.html import UA, UA_COUNTER_STYLE
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_DIR = (Path(__file__).resolve().parent / "static" / "annex").resolve()
STYLESHEET = STATIC_DIR / "print.css"


class StaticOnlyFetcher(URLFetcher):
    """Fetches `file:` URLs inside annex/static/annex and `data:` URLs; refuses all else
    (http, https, ftp, other files), so a proposal's text cannot make the renderer read
    the network or the server's files."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            from urllib.parse import unquote, urlparse

            path = Path(unquote(urlparse(url).path)).resolve()
            if not path.is_relative_to(STATIC_DIR):
                raise ValueError(f"refused: {url} is not one of the annex's static files")
        elif not url.startswith("data:"):
            raise ValueError(f"refused: {url} (only the annex's own static files)")
        return super().fetch(url, headers)


# WeasyPrint's user-agent stylesheet gives every element of the document a style for six
# pseudo-elements: a universal `::marker` rule and five `::footnote-*`/`::note-*` rules.
# The cascade computes those styles for each of the ~700 elements of a part (mostly table
# cells), although only list items ever get a marker and the annex has no footnotes
# (`float: footnote`) or notes. `print_user_agent_css` is WeasyPrint's own stylesheet with
# the marker rule narrowed to `li` (the only element that is a list item in the annex's
# HTML and CSS: the UA's `li { display: list-item }`) and the footnote/note rules left
# out; every other rule is WeasyPrint's, in its order. Measured (the 14 reference
# proposals, 94 pages): the cascade 10.1 -> 5.2 ms a page; the PDFs identical in text and
# in every pixel at 60 dpi. A print stylesheet that makes something else a list item, or
# uses footnotes, must widen this.
UA_PSEUDO_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.M)


def print_user_agent_css(text: str = UA) -> str:
    """WeasyPrint's user-agent stylesheet `text` without the universal pseudo-element rules
    the annex never uses (see above). Raises ValueError when the rules are not found as
    expected (a WeasyPrint upgrade that changed its stylesheet: look again)."""
    marker = "\n::marker {"
    if text.count(marker) != 1 or len(UA_PSEUDO_RULES.findall(text)) != 5:
        raise ValueError("WeasyPrint's user-agent stylesheet changed: review print_user_agent_css")
    return UA_PSEUDO_RULES.sub("", text.replace(marker, "\nli::marker {"))


@functools.cache
def _user_agent_stylesheet() -> CSS:
    return CSS(string=print_user_agent_css(), counter_style=UA_COUNTER_STYLE)


class PrintHTML(HTML):
    """WeasyPrint's HTML with the annex's user-agent stylesheet (`print_user_agent_css`)."""

    def _ua_stylesheets(self, forms=False):
        return [_user_agent_stylesheet()]


@functools.cache
def _resources() -> tuple[FontConfiguration, CSS, StaticOnlyFetcher]:
    font_config = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
    return font_config, css, fetcher


def html_to_pdf(html: str) -> bytes:
    """One HTML document (the annex's print templates) as PDF bytes."""
    return html_to_pdf_counted(html)[0]


def html_to_pdf_counted(html: str) -> tuple[bytes, int]:
    """PDF bytes and the number of pages (so that nobody has to parse the PDF again)."""
    font_config, css, fetcher = _resources()
    with _no_automatic_gc():
        html_document = PrintHTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher
        )
        document = html_document.render(stylesheets=[css], font_config=font_config)
        return document.write_pdf(), len(document.pages)


@contextlib.contextmanager
def _no_automatic_gc():
    """Python's cyclic garbage collector paused while one document is laid out and
    written: WeasyPrint allocates millions of objects a part (boxes, styles, text
    layouts), most of which live until the PDF is written, so the collector's passes
    over them free next to nothing. The garbage is collected once afterwards
    (`render_part`) or by the next automatic pass. Measured (14 reference proposals,
    min of 4 runs): -3.5 % CPU; a part's peak memory +1-2 MB (12 pages), +6 MB of 270 for
    one document of 94 pages."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim (None elsewhere): returns the heap's free pages to the system.
    Looked up in the process's own symbols (dlopen(NULL)), which costs no subprocess as
    ctypes.util.find_library would."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
    return trim


def start_worker() -> None:
    """The initializer of a render worker (a process of a cold render's pool): builds the
    stylesheets and font configuration, then moves every object alive so far (WeasyPrint's
    modules, the parsed stylesheets) out of the garbage collector's reach (gc.freeze):
    they live as long as the worker, and `render_part`'s collection after each part no
    longer walks them. Measured: that collection 43-62 -> ~9 ms a part (of ~600 ms)."""
    _resources()
    _user_agent_stylesheet()
    gc.collect()
    gc.freeze()


def render_part(html: str) -> tuple[bytes, int]:
    """`html_to_pdf_counted` in a worker process of a cold render: afterwards the part's
    boxes (which refer to each other) are collected and the freed heap is given back to
    the system (glibc keeps it otherwise: a worker grew ~20 MB more over 40 parts),
    so that a worker holds one part's layout at a time and no more."""
    result = html_to_pdf_counted(html)
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    return result
