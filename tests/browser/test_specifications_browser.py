"""Specification rows in the editor's year grid in real Chromium (issue 10, point 3):
a row is added under its line with "+ Specifikation", the live checks report a
specification that does not add up to its line, moving the line takes its rows along,
and the save stores them under the right line."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Line
from committees.models import Role
from tests.factories import CatalogFactory, add_specified_line, bc01, make_user

from .test_editor_browser import login, watch_console
from .test_ui_browser import paste

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_specification_rows_are_added_checked_moved_and_saved(live_server, browser, artifacts):
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    add_specified_line(proposal)
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="da-DK")
    page = context.new_page()
    problems = watch_console(page)
    failed: list[str] = []  # responses >= 400 (the browser's own /favicon.ico aside)
    page.on(
        "response",
        lambda r: (
            failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    login(page, live_server.url, "oekonomi")
    page.goto(
        f"{live_server.url}/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/"
    )
    grid = page.locator("#body-perm")
    labels = grid.locator("tr.spec-row textarea")
    expect(labels).to_have_count(3)
    # "+ Specifikation" on the first line: a row right under it, focused
    page.click('[data-add-spec="perm-spec"][data-line="0"]')
    expect(labels).to_have_count(4)
    new = page.locator("#id_perm-spec-3-label")
    expect(new).to_be_focused()
    rows = grid.locator("tr[data-row], tr[data-spec-row]")
    expect(rows.nth(1)).to_have_class(re.compile("spec-row"))
    new.fill("Gadelys")
    page.fill("#id_perm-spec-3-y2021", "-500")
    # the live checks: the new row gives -500 where the line is -517
    checks = page.locator("#live .check-specification_mismatch")
    expect(checks.first).to_contain_text(
        "Specifikationen af »Energibesparelse« giver -500 i 2021, men linjen er -517"
    )
    page.locator("#year-grid").screenshot(path=str(artifacts / "editor-specifications.png"))
    page.locator("#live .check-list").screenshot(
        path=str(artifacts / "editor-specifications-checks.png")
    )
    # moving the second line up takes its three rows along
    page.locator("#body-perm tr[data-row]").nth(1).locator("[data-move=up]").click()
    texts = grid.locator("tr[data-row] textarea, tr[data-spec-row] textarea").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert texts == [
        "Sociale ydelser (BIF)",
        "Kontanthjælp",
        "Førtidspension",
        "Øvrige LAS-ydelser",
        "Energibesparelse",
        "Gadelys",
    ]
    # the move asks the server for the live tables again: let that answer arrive before
    # saving (the test database serves one request at a time)
    page.wait_for_timeout(400)
    expect(page.locator("#live")).not_to_have_attribute("aria-busy", "true")
    page.click("#save")
    expect(page).not_to_have_url(re.compile(r"/rediger/"))
    lines = {
        ln.label: [s["label"] for s in ln.specifications]
        for ln in Line.objects.filter(proposal=proposal, section="permanent")
    }
    assert lines == {
        "Sociale ydelser (BIF)": ["Kontanthjælp", "Førtidspension", "Øvrige LAS-ydelser"],
        "Energibesparelse": ["Gadelys"],
    }
    saved = Line.objects.filter(proposal=proposal, section="permanent").order_by("order")
    assert [ln.label for ln in saved] == ["Sociale ydelser (BIF)", "Energibesparelse"]
    assert failed == []
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
    context.close()


def test_a_block_pasted_into_a_specification_row_fills_that_lines_rows(
    live_server, browser, artifacts
):
    """A block of three rows pasted into the one specification row of "Energibesparelse"
    went on into the rows of the next line (overwriting "Kontanthjælp" and
    "Førtidspension"), or, with none left, added empty lines and dropped the values: it
    fills that line's specification rows, adding rows under it as needed."""
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    add_specified_line(proposal)
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="da-DK")
    page = context.new_page()
    login(page, live_server.url, "oekonomi")
    page.goto(
        f"{live_server.url}/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/"
    )
    grid = page.locator("#body-perm")
    before = grid.locator("tr[data-spec-row] textarea, tr[data-spec-row] input.num")
    kept = before.evaluate_all("els => els.map(e => e.value)")
    page.click('[data-add-spec="perm-spec"][data-line="0"]')
    paste(page, "#id_perm-spec-3-y2021", "-100\t-1\n-200\t-2\n-217\t-3\n")

    lines = grid.locator("tr[data-row]")
    expect(lines).to_have_count(2)
    rows = grid.locator("tr[data-row], tr[data-spec-row]")
    values = rows.evaluate_all(
        """rows => rows.map(r => [r.hasAttribute("data-spec-row") ? "spec" : "line",
            ...Array.from(r.querySelectorAll("input.num")).slice(0, 2).map(e => e.value)])"""
    )
    page.locator("#year-grid").screenshot(path=str(artifacts / "editor-specifications-paste.png"))
    assert values[:4] == [
        ["line", "-517", "-1.034"],
        ["spec", "-100", "-1"],
        ["spec", "-200", "-2"],
        ["spec", "-217", "-3"],
    ]
    after = grid.locator("tr[data-row]").nth(1)
    assert after.locator("textarea").input_value() == "Sociale ydelser (BIF)"
    specs_of_bif = grid.locator(
        "tr[data-spec-row]:not(:has([data-spec-line][value='0'])) textarea,"
        " tr[data-spec-row]:not(:has([data-spec-line][value='0'])) input.num"
    )
    assert specs_of_bif.evaluate_all("els => els.map(e => e.value)") == kept
    context.close()
