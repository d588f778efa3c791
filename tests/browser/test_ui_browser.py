"""The editor and the pages as a person uses them (issue 12), in real Chromium: labels
bound to their inputs, a block pasted from a spreadsheet, a 12-year grid reachable at
1400 px, no page wider than a 390 px phone, a warning before leaving unsaved changes.
Screenshots in test-artifacts/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Proposal
from committees.models import Role
from tests.factories import CatalogFactory, bc01, make_user

from .test_editor_browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]



def open_page(browser, base, username, width=1400):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="da-DK")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, base, username)
    return context, page, errors


def paste(page, selector, text):
    """A paste event as Chromium fires it for a copied block (text/plain)."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, text]) => {
            const target = document.querySelector(selector);
            const data = new DataTransfer();
            data.setData("text/plain", text);
            target.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [selector, text],
    )


def test_clicking_a_label_focuses_its_own_input(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    context, page, errors = open_page(browser, live_server.url, "finans")
    page.goto(f"{live_server.url}/forslag/nyt/?katalog={catalog.key}")
    for label, input_id in (
        ("Katalog", "id_catalog"),
        ("Nummer", "id_number"),
        ("Forslagets titel", "id_title"),
        ("Finansiering søges fra", "id_funding_source"),
        ("Prisniveau (år)", "id_price_level_year"),
        ("Første år", "id_first_year"),
        ("Antal år", "id_year_count"),
    ):
        page.locator(f"label[for={input_id}]").click()
        assert page.evaluate("document.activeElement.id") == input_id, label
        assert label in page.locator(f"label[for={input_id}]").inner_text()
    # In "Hvem er hørt?", the box under "Instans" is the body, not the date.
    body = page.locator("label[for=id_hearing-1-body]")
    body.click()
    assert page.evaluate("document.activeElement.id") == "id_hearing-1-body"
    box_label, box_input = body.bounding_box(), page.locator("#id_hearing-1-body").bounding_box()
    assert abs(box_label["x"] - box_input["x"]) < 2 and box_input["y"] > box_label["y"]
    page.locator("fieldset.panel").first.screenshot(path=artifacts / "ui-labels-1400.png")
    assert errors == []
    context.close()


def test_an_excel_block_pastes_across_cells_and_rows(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    context, page, errors = open_page(browser, live_server.url, "finans")
    page.goto(f"{live_server.url}/forslag/nyt/?katalog={catalog.key}")
    page.fill("#id_title", "Indsat fra Excel")
    # Copied in Excel (Danish): three rows of text, kind, area and six years.
    block = (
        "Færre vikartimer\tBesparelse\tService\t-517\t-1.034\t-1.034\t-1.034\t-1.034\t-1.034\r\n"
        "Lavere husleje\tBesparelse\tOverførsler\t\t-200\t-200\t-200\t-200\t-200\r\n"
        "Licens\tOmkostning\tService\t\t134\t134\t134\t134\t134\r\n"
    )
    paste(page, "#id_perm-0-label", block)
    expect(page.locator("#id_perm-2-label")).to_have_value("Licens")
    expect(page.locator("#id_perm-0-y2021")).to_have_value("-517")
    expect(page.locator("#id_perm-0-y2026")).to_have_value("-1.034")
    expect(page.locator("#id_perm-1-area")).to_have_value("transfers")
    expect(page.locator("#id_perm-2-kind")).to_have_value("cost")
    # A block of numbers only, pasted into a year cell of the implementation row.
    paste(page, "#id_impl-0-y2021", "5.580\t\t\r\n")
    expect(page.locator("#id_impl-0-y2021")).to_have_value("5.580")
    page.fill("#id_impl-0-label", "Anlæg")
    # the server computed the tables from the pasted figures
    expect(page.locator("[data-figure=investment-total]")).not_to_have_text("0")
    page.locator("#grid-heading").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "ui-paste-1400.png")
    with page.expect_navigation():
        page.click("#save")
    proposal = Proposal.objects.get(title="Indsat fra Excel")
    lines = {ln.label: ln for ln in proposal.lines.all()}
    assert set(lines) == {"Færre vikartimer", "Lavere husleje", "Licens", "Anlæg"}
    assert {a.year: str(a.amount) for a in lines["Færre vikartimer"].amounts.all()} == {
        2021: "-517.00",
        **{y: "-1034.00" for y in range(2022, 2027)},
    }
    assert lines["Lavere husleje"].area == "transfers"
    assert lines["Licens"].kind == "cost"
    assert errors == []
    context.close()


def test_a_twelve_year_grid_is_reachable_at_1400(live_server, browser, artifacts):
    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context, page, errors = open_page(browser, live_server.url, "oekonomi")
    edit = reverse("cases:proposal_edit", args=["investment-2021", "BC01"])
    page.goto(f"{live_server.url}{edit}")
    url_before = page.url
    page.fill("#id_year_count", "12")
    page.locator("#id_year_count").dispatch_event("change")
    # the columns come in place: no reload
    expect(page.locator("#year-grid thead th[data-year]")).to_have_count(12)
    assert page.url == url_before
    years = range(proposal.first_year, proposal.first_year + 12)
    for year in years:
        cell = page.locator(f"#id_perm-0-y{year}")
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1400, year
        # not hidden under the sticky label column or header
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).id",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == f"id_perm-0-y{year}", year
    # the row's label stays in sight while the grid scrolls to the last year
    label = page.locator("#id_perm-0-label").bounding_box()
    assert label["x"] >= 0
    # arrow keys move freely: from the label to the last year and back
    page.locator(f"#id_perm-0-y{years[0]}").focus()
    for _ in range(11):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == f"id_perm-0-y{years[-1]}"
    page.keyboard.press("ArrowDown")
    below = page.evaluate("document.activeElement.id")
    assert below.endswith(f"-y{years[-1]}") and below != f"id_perm-0-y{years[-1]}"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == f"id_perm-0-y{years[-1]}"
    page.locator(".grid-scroll").screenshot(path=artifacts / "ui-grid-12-years-1400.png")
    # shrinking the span removes the empty columns again
    page.fill("#id_year_count", "6")
    page.locator("#id_year_count").dispatch_event("change")
    expect(page.locator("#year-grid thead th[data-year]")).to_have_count(6)
    assert errors == []
    context.close()


def test_leaving_with_unsaved_changes_asks_first(live_server, browser):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    context, page, errors = open_page(browser, live_server.url, "finans")
    page.goto(f"{live_server.url}/forslag/nyt/?katalog={catalog.key}")
    page.locator("#id_title").type("Halvfærdigt")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    context.close()


def test_no_page_is_wider_than_a_phone(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    proposal = bc01(catalog)
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context, page, errors = open_page(browser, live_server.url, "oekonomi", width=390)
    pages = {
        "catalogues": reverse("cases:catalog_list"),
        "catalogue": reverse("cases:catalog_detail", args=[catalog.key]),
        "proposal": proposal.get_absolute_url(),
        "editor": reverse("cases:proposal_edit", args=[catalog.key, proposal.number]),
        "new": reverse("cases:proposal_new") + f"?katalog={catalog.key}",
        "case-list": reverse("review:case_list"),
        "case": reverse("review:case", args=[proposal.pk]),
    }
    wide = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[name] = width
        page.screenshot(path=artifacts / f"ui-{name}-390.png")
    assert wide == {}
    assert errors == []
    context.close()
