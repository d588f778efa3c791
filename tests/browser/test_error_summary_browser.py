"""The editor's error summary in real Chromium: a link to a radio or checkbox group moves
the focus to the group's first input (breaker: it linked the group's <div>, so the click
scrolled but left the focus where it was)."""

import pytest
from playwright.sync_api import expect

from committees.models import Role
from tests.factories import bc01, make_user

from .test_editor_browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_error_links_focus_the_first_input_of_a_radio_and_a_checkbox_group(
    live_server, browser, artifacts
):
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    proposal = bc01()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page = context.new_page()
    login(page, live_server.url, "oekonomi")
    page.goto(f"{live_server.url}/katalog/{proposal.catalog.key}/forslag/{proposal.number}/rediger/")
    # a forged value in each group (a browser offers only the valid ones)
    page.evaluate(
        """() => {
        for (const name of ["risk_level", "affected_administrations"]) {
            const input = document.querySelector(`input[name="${name}"]`);
            input.value = "bogus";
            input.checked = true;
        }
    }"""
    )
    page.click("#save")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    for target in ("id_risk_level_0", "id_affected_administrations_0"):
        page.click(f'#error-summary a[href="#{target}"]')
        assert page.evaluate("() => document.activeElement.id") == target
    page.screenshot(path=str(artifacts / "error-summary-radio-focus.png"))
    context.close()
