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
        ("søges", "id_funding_source"),  # the wording follows the pool's form
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


def test_select_all_and_bulk_adopted_on_ten_cases(live_server, browser, artifacts):
    from cases.models import Status
    from tests.factories import ProposalFactory, committee

    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    proposals = [
        ProposalFactory(
            catalog=catalog,
            number=f"BC{i:02d}",
            title=f"Forslag {i}",
            committee=committee("KFU"),
            status=Status.RECOMMENDED,
        )
        for i in range(1, 11)
    ]
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context, page, errors = open_page(browser, live_server.url, "oekonomi")
    page.goto(f"{live_server.url}{reverse('review:case_list')}?status=recommended")
    rows = page.locator("#case-list tbody input[name=select]")
    expect(rows).to_have_count(10)
    page.locator("#case-list thead input[type=checkbox]").check()
    assert all(rows.nth(i).is_checked() for i in range(10))
    expect(page.locator("#selected-count")).to_have_text("(10 valgt)")
    page.select_option("#id_action", "adopt")
    page.screenshot(path=artifacts / "ui-bulk-adopt-1400.png", full_page=True)
    with page.expect_navigation():
        page.click("#bulk-submit")
    expect(page.locator(".messages")).to_contain_text("10 af 10 udført.")
    for proposal in proposals:
        proposal.refresh_from_db()
    assert {p.status for p in proposals} == {Status.ADOPTED}
    # one row unticked: the header box shows a mixed state
    page.goto(f"{live_server.url}{reverse('review:case_list')}")
    page.locator("#case-list thead input[type=checkbox]").check()
    page.locator("#case-list tbody input[name=select]").first.uncheck()
    assert page.evaluate("document.querySelector('#case-list thead input').indeterminate")
    page.screenshot(path=artifacts / "ui-case-list-1400.png")
    assert errors == []
    context.close()


def test_a_saved_view_reopens_from_its_url(live_server, browser, artifacts):
    from cases.models import Status
    from tests.factories import ProposalFactory, committee

    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    for number, status in (("BC01", Status.SUBMITTED), ("BC02", Status.DRAFT)):
        ProposalFactory(
            catalog=catalog, number=number, title=number, committee=committee("KFU"), status=status
        )
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    make_user("udvalg", Role.COMMITTEE_REVIEWER, committee_code="KFU")
    context, page, errors = open_page(browser, live_server.url, "oekonomi")
    page.goto(f"{live_server.url}{reverse('review:case_list')}")
    page.check("input[name=status][value=submitted]")
    page.click("summary:has-text('Kolonner')")
    page.uncheck("input[name=kolonne][value=catalog]")
    with page.expect_navigation():
        page.click("#filter-submit")
    with page.expect_navigation():
        page.click("#case-list th a:has-text('NR')")
    page.fill("#view-name", "Indsendte")
    with page.expect_navigation():
        page.click("#save-view")
    expect(page.locator(".pill")).to_contain_text(["Status: Indsendt"])
    link = page.locator("a.saved-view", has_text="Indsendte")
    url = live_server.url + link.get_attribute("href")
    context.close()
    # another user opens the address: the same filter, sort and columns
    context, page, errors = open_page(browser, live_server.url, "udvalg")
    page.goto(url)
    expect(page.locator("#case-list tbody tr")).to_have_count(1)
    expect(page.locator("#case-list tbody")).to_contain_text("BC01")
    expect(page.locator("#case-list thead")).not_to_contain_text("Katalog")
    assert "sort=" in page.url and "status=submitted" in page.url
    expect(page.locator("#case-list th.asc, #case-list th.desc")).to_have_count(1)
    page.screenshot(path=artifacts / "ui-saved-view-1400.png")
    assert errors == []
    context.close()


def test_step_indicator_on_proposal_and_case_page(live_server, browser, artifacts):
    from cases.models import Status

    proposal = bc01(CatalogFactory(key="investment-2021", budget_year=2021))
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.IN_HEARING)
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    for width in (1400, 390):
        context, page, errors = open_page(browser, live_server.url, "oekonomi", width=width)
        for name, url in (
            ("proposal", proposal.get_absolute_url()),
            ("case", reverse("review:case", args=[proposal.pk])),
        ):
            page.goto(live_server.url + url)
            steps = page.locator(".step-indicator li")
            expect(steps).to_have_count(6)
            expect(page.locator(".step-indicator [aria-current=step]")).to_contain_text("I høring")
            expect(page.locator(".step-indicator .step-done")).to_have_count(2)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.locator(".step-indicator").screenshot(
                path=artifacts / f"ui-steps-{name}-{width}.png"
            )
        assert errors == []
        context.close()
