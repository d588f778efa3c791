"""HTML -> PDF with WeasyPrint, in this process or in a worker process.

No Django import here: worker processes of a cold render only run WeasyPrint on HTML
that the main process rendered, so they never touch the database or the settings.
WeasyPrint may fetch nothing but the app's own static files, read from disk
(`StaticOnlyFetcher`); fonts come from the system (fontconfig: fonts-liberation2 and
fonts-dejavu-core, installed by .ci/run), never from the network.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from pathlib import Path

from weasyprint import CSS, HTML
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
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config
    )
    return document.write_pdf(), len(document.pages)


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim (None elsewhere): returns the heap's free pages to the system.
    Looked up in the process's own symbols (dlopen(NULL)), which costs no subprocess as
    ctypes.util.find_library would."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
    return trim


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
