"""The annex's own user-agent stylesheet (annex.weasy.print_user_agent_css, issue 13: print
faster) prints exactly what WeasyPrint's full stylesheet prints: the same text and the same
pixels, list markers included (an earlier trimmed stylesheet lost them)."""

import gc
import subprocess

import pytest
from weasyprint import HTML
from weasyprint.html import UA

from annex import weasy

pytestmark = pytest.mark.tools("pdftotext", "pdftoppm")

DOCUMENT = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>T</title></head>
<body><div class="running-header"><span class="rh-left">Bilag 2</span>
<span class="rh-right">Budget 2021 · BC01</span></div>
<h1>Forslagets indhold</h1>
<ol><li>Afdækning af borgerbehov</li><li>Webkommunikation<ul><li>spørgetræ</li>
<li>selvbetjening<ul><li>tredje niveau</li></ul></li></ul></li><li>Test af udstilling</li></ol>
<ol style="list-style-type: lower-alpha; text-transform: uppercase"><li>store bogstaver</li>
</ol>
<ul><li>Mulighed for udvikling</li><li>Dialog med <q>KL</q> og PLO<br>ny linje</li></ul>
<table class="grid"><thead><tr><th class="label">1.000 kr.</th><th class="num">2021</th></tr>
</thead><tbody><tr class="row-total"><th>Samlet</th><td class="num">-1.034</td></tr></tbody>
</table><p>Slut<wbr>tekst</p></body></html>"""


class FullUserAgentHTML(HTML):
    """WeasyPrint's own user-agent stylesheet, as HTML(...) uses it."""


def _render(html_class) -> bytes:
    font_config, css, fetcher = weasy._resources()
    document = html_class(
        string=DOCUMENT, base_url=weasy.STATIC_DIR.as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=[css], font_config=font_config)
    return document.write_pdf()


def _text_and_pixels(pdf: bytes, tmp_path, name: str) -> tuple[str, list[bytes]]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(["pdftoppm", "-r", "60", str(path), str(tmp_path / name)], check=True)
    pages = sorted(tmp_path.glob(f"{name}-*.ppm"))
    return text, [page.read_bytes() for page in pages]


def test_print_user_agent_prints_what_weasyprints_own_prints(tmp_path):
    full_text, full_pixels = _text_and_pixels(_render(FullUserAgentHTML), tmp_path, "full")
    text, pixels = _text_and_pixels(_render(weasy.PrintHTML), tmp_path, "print")
    assert "1. Afdækning af borgerbehov" in full_text  # the markers are there to lose
    assert "• Mulighed for udvikling" in full_text
    assert "a. STORE BOGSTAVER" in full_text  # the marker's own style: text-transform: none
    assert text == full_text
    assert len(pixels) == len(full_pixels) == 1
    assert pixels == full_pixels


def test_print_user_agent_leaves_out_only_the_universal_pseudo_element_rules():
    ours = weasy.print_user_agent_css().splitlines()
    theirs = UA.splitlines()
    assert [line for line in theirs if line not in ours] == [
        "::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }",
        "::footnote-call { content: counter(footnote); vertical-align: super; "
        "font-size: smaller; line-height: inherit }",
        '::footnote-marker { content: counter(footnote) ". " }',
        "::note-call { content: counter(note); vertical-align: super; font-size: smaller; "
        "line-height: inherit }",
        '::note-marker { content: counter(note) ". " }',
        '::note-callback { content: "\u202f↩" }',
    ]
    assert [line for line in ours if line not in theirs] == [
        "li::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
    ]


def test_a_changed_weasyprint_stylesheet_is_refused():
    with pytest.raises(ValueError, match="review print_user_agent_css"):
        weasy.print_user_agent_css(UA.replace("::marker {", "::marker, x {"))


@pytest.mark.parametrize("enabled", [True, False])
def test_render_leaves_the_garbage_collector_as_it_found_it(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        seen = []
        original = weasy.PrintHTML.render

        def render(self, *args, **kwargs):
            seen.append(gc.isenabled())
            return original(self, *args, **kwargs)

        weasy.PrintHTML.render = render
        try:
            _pdf, pages = weasy.html_to_pdf_counted("<p>x</p>")
        finally:
            weasy.PrintHTML.render = original
        assert (seen, pages, gc.isenabled()) == ([False], 1, enabled)
    finally:
        gc.enable()


def test_a_render_worker_starts_with_its_long_lived_objects_frozen():
    """start_worker freezes what a worker holds for its whole life (WeasyPrint, the
    stylesheets), so the collection after each part does not walk it again."""
    from annex.pdf import render_pool

    with render_pool(1) as pool:
        frozen = pool.submit(gc.get_freeze_count).result()
        pdf, pages = pool.submit(weasy.render_part, "<p>x</p>").result()
    assert frozen > 10_000
    assert (pdf[:5], pages) == (b"%PDF-", 1)
