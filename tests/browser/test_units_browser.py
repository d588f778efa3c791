"""Entry in the user's unit in real Chromium (issue 14, point 4): the implementation
section is switched to mio. kr., 7,25 is typed, the live tables (computed by the server)
show 7.250 in 1.000 kr., the save stores 7.250 and the proposal page prints it; an
inexact amount in kr. is refused at its cell; the editor opens in mio. kr. from its
link."""

import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from cases.models import Line
from cases.selectors import line_amounts
from committees.models import Role
from tests.factories import CatalogFactory, bc01, make_user

from .test_editor_browser import login, watch_console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def stored(proposal) -> dict:
    return line_amounts(Line.objects.get(proposal=proposal, label="Anlægsinvestering"))


def settle(page):
    """Let the live tables' request (250 ms after the last change) be answered."""
    page.wait_for_timeout(400)
    expect(page.locator("#live")).not_to_have_attribute("aria-busy", "true")


def test_typing_in_mio_kr_stores_thousands(live_server, browser, artifacts):
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="da-DK")
    page = context.new_page()
    problems = watch_console(page)
    login(page, live_server.url, "oekonomi")
    edit = f"{live_server.url}/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/"
    page.goto(edit)
    expect(page.locator("#id_impl-unit")).to_have_value("t.kr")
    expect(page.locator("#id_impl-0-y2021")).to_have_value("5.580")

    # an inexact amount in kr. is refused at its cell, nothing saved
    page.select_option("#id_impl-unit", "kr")
    page.fill("#id_impl-0-y2021", "1.234,5")
    settle(page)
    page.click("#save")
    error = page.locator("#id_impl-0-y2021_error")
    expect(error).to_contain_text("1.234,5 kr. er 1,2345 i 1.000 kr.")
    expect(page.locator(".error-summary")).to_contain_text(
        "Implementeringsomkostninger, række 1 “Anlægsinvestering”, 2021"
    )
    assert stored(proposal) == {2021: D("5580")}
    settle(page)

    # mio. kr.: the live tables show the figure in 1.000 kr., computed by the server
    page.select_option("#id_impl-unit", "mio.kr")
    page.fill("#id_impl-0-y2021", "7,25")
    settle(page)
    live = page.locator("#live")
    expect(live).to_contain_text("7.250")
    page.locator("#year-grid").screenshot(path=str(artifacts / "editor-units.png"))
    page.click("#save")
    expect(page).not_to_have_url(re.compile(r"/rediger/"))
    expect(page.locator(".message.success")).to_contain_text("Forslaget er gemt")
    expect(page.locator("table.economy").first).to_contain_text("7.250")
    page.screenshot(path=str(artifacts / "proposal-after-mio-kr.png"), full_page=True)
    assert stored(proposal) == {2021: D("7250")}

    # the editor opens in mio. kr. from its link, the stored amounts shifted exactly
    page.goto(edit)
    page.click("#grid-units a:has-text('mio. kr.')")
    expect(page.locator("#id_perm-unit")).to_have_value("mio.kr")
    expect(page.locator("#id_impl-0-y2021")).to_have_value("7,25")
    expect(page.locator("#id_perm-0-y2022")).to_have_value("-1,0340")
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []
    context.close()
