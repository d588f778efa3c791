"""Breakers in real Chromium: (1) an error under a year cell of the editor's grid widened
its year column (the message was as wide as 12rem, the column twice its width); now the
message wraps within the cell and no column moves. (2) A refused save must leave the
browser on a page it can load again: the editor posts to its own address, so the
refused form is shown at the editor's URL (Django's usual pattern), and a GET of that
URL opens the editor."""

import pytest
from playwright.sync_api import expect

from committees.models import Role
from tests.factories import CatalogFactory, bc01, make_user

from .test_editor_browser import login, watch_console
from .test_units_browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def column_widths(page) -> list[float]:
    return page.eval_on_selector_all(
        "#year-grid thead th", "cells => cells.map(c => c.getBoundingClientRect().width)"
    )


def test_an_error_in_a_year_cell_keeps_the_column_width(live_server, browser, artifacts):
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="da-DK")
    page = context.new_page()
    problems = watch_console(page)
    login(page, live_server.url, "oekonomi")
    edit = f"{live_server.url}/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/"
    page.goto(edit)
    before = column_widths(page)
    page.locator("#year-grid").screenshot(path=str(artifacts / "year-cell-error-before.png"))

    page.select_option("#id_impl-unit", "kr")
    page.fill("#id_impl-0-y2021", "1.234,5")
    settle(page)
    page.click("#save")
    error = page.locator("#id_impl-0-y2021_error")
    expect(error).to_contain_text("1.234,5 kr. er 1,2345 i 1.000 kr.")
    page.locator("#year-grid").screenshot(path=str(artifacts / "year-cell-error-after.png"))
    after = column_widths(page)
    assert [round(w) for w in after] == [round(w) for w in before]
    cell = page.locator("#id_impl-0-y2021").locator("xpath=..").bounding_box()
    box = error.bounding_box()
    assert box["x"] >= cell["x"] and box["x"] + box["width"] <= cell["x"] + cell["width"]

    # the refused save is shown at the editor's own address, which opens again by GET
    assert page.url == edit
    response = page.goto(page.url)
    assert response.status == 200
    expect(page.locator("#id_impl-0-y2021")).to_have_value("5.580")
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
    context.close()
