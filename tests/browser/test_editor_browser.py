"""The case editor in real Chromium: `finans` creates a proposal, sees the computed rows
change while typing (server-computed, CSP-safe), saves and finds the same figures;
`udvalg` cannot edit it; a second session's stale save is refused."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Proposal
from cases.selectors import figures_for, proposals_with_inputs
from committees.models import Role
from tests.factories import CatalogFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw"
# "Samlet økonomisk påvirkning": area column, then 2021-2026 (-1.034 - 200 + 134 = -1.100)
NET = ["", "5.063", "-1.100", "-1.100", "-1.100", "-1.100", "-1.100"]


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def type_row(page, prefix, index, values):
    for year, value in values.items():
        page.fill(f"#id_{prefix}-{index}-y{year}", value)


def test_finance_staff_build_a_proposal_with_live_tables(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    make_user("udvalg", Role.COMMITTEE_REVIEWER, committee_code="KFU")
    base = live_server.url

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page = context.new_page()
    problems = watch_console(page)
    login(page, base, "finans")
    page.goto(f"{base}/forslag/nyt/?katalog={catalog.key}")
    expect(page.locator("h1")).to_have_text("Nyt forslag")
    page.fill("#id_title", "Ny arrangementsafvikling")
    page.fill("#id_summary", "Første afsnit.\n\n- punkt ét\n- punkt to")

    payback_total = page.locator("[data-figure=payback-total]")
    payback_service = page.locator("[data-figure=payback-service]")
    expect(payback_total).to_have_text("ingen")

    # two savings lines (the second added with the button, which JavaScript handles)
    page.fill("#id_perm-0-label", "Færre vikartimer")
    type_row(page, "perm", 0, {2021: "-517", **{y: "-1.034" for y in range(2022, 2027)}})
    expect(payback_total).to_have_text("1 år")
    page.click("text=Tilføj en varig linje")
    page.fill("#id_perm-1-label", "Lavere husleje")
    page.select_option("#id_perm-1-area", "transfers")
    type_row(page, "perm", 1, {y: "-200" for y in range(2022, 2027)})
    # one permanent cost line
    page.click("text=Tilføj en varig linje")
    page.fill("#id_perm-2-label", "Licens")
    page.select_option("#id_perm-2-kind", "cost")
    type_row(page, "perm", 2, {y: "134" for y in range(2022, 2027)})
    # a capital investment
    page.fill("#id_impl-0-label", "Anlægsinvestering")
    page.select_option("#id_impl-0-area", "capital")
    type_row(page, "impl", 0, {2021: "5.580"})
    # payback changes as the investment is typed: computed by the server's engine
    expect(payback_total).to_have_text("6 år")
    expect(payback_service).to_have_text("7 år")
    live = page.locator("#live")
    expect(live.locator("tr.row-grand-total td")).to_have_text(NET)
    # a bad cell: marked in the preview, the rest still computes
    page.fill("#id_perm-2-y2026", "12a")
    expect(live).to_contain_text("1 felt er endnu ikke gyldigt")
    page.fill("#id_perm-2-y2026", "134")
    expect(live).not_to_contain_text("ikke gyldigt")
    # keyboard: ArrowDown moves to the same year of the next line
    page.focus("#id_perm-0-y2023")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_perm-1-y2023")).to_be_focused()
    page.screenshot(path=str(artifacts / "editor.png"), full_page=True)

    page.click("#save")
    expect(page.locator("h1")).to_contain_text("Ny arrangementsafvikling")
    expect(page.locator(".message.success")).to_contain_text("Forslaget er gemt")
    economy = page.locator("table.economy").first
    expect(economy.locator("tr.row-grand-total td")).to_have_text(NET)
    expect(economy.locator("tr.row-payback").nth(1).locator("td").first).to_have_text("6")
    expect(page.locator("svg.net-flow-chart")).to_be_visible()
    page.screenshot(path=str(artifacts / "proposal.png"), full_page=True)

    proposal = proposals_with_inputs().get(catalog=catalog)
    figures = figures_for(proposal)
    assert figures.payback_years_total == 6 and figures.payback_years_service == 7
    assert proposal.summary == "Første afsnit.\n\n- punkt ét\n- punkt to"

    # reload the editor: the same figures as typed
    page.click("a.button[href$='/rediger/']")
    expect(page.locator("#id_perm-0-y2022")).to_have_value("-1.034")
    expect(page.locator("#id_impl-0-y2021")).to_have_value("5.580")
    expect(page.locator("#id_perm-2-label")).to_have_value("Licens")
    expect(page.locator("#id_perm-2-y2023")).to_have_value("134")
    expect(page.locator("#id_perm-0-y2021")).to_have_value("-517")
    expect(payback_total).to_have_text("6 år")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    context.close()

    # the committee reviewer reads it but cannot edit it
    reviewer = browser.new_context(locale="da-DK")
    page = reviewer.new_page()
    login(page, base, "udvalg")
    page.goto(f"{base}{proposal.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("Ny arrangementsafvikling")
    expect(page.locator("a[href$='/rediger/']")).to_have_count(0)
    response = page.goto(f"{base}/katalog/{catalog.key}/forslag/{proposal.number}/rediger/")
    assert response.status == 403
    reviewer.close()


def test_a_second_sessions_stale_save_is_refused(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    from tests.factories import ProposalFactory, add_line

    proposal = ProposalFactory(catalog=catalog, number="BC12", title="Digital borgerservice")
    add_line(proposal, "permanent", "saving", "service", "Færre opkald", {2021: -100})
    base = live_server.url
    url = f"{base}/katalog/{catalog.key}/forslag/BC12/rediger/"

    first = browser.new_context(locale="da-DK").new_page()
    second = browser.new_context(
        locale="da-DK", viewport={"width": 1400, "height": 1000}
    ).new_page()
    login(first, base, "finans")
    login(second, base, "oekonomi")
    first.goto(url)
    second.goto(url)

    first.fill("#id_title", "Digital borgerservice 2.0")
    first.click("#save")
    expect(first.locator(".message.success")).to_be_visible()

    second.fill("#id_summary", "Oekonomis resumé")
    second.click("#save")
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("Ændret af en anden")
    expect(conflict.locator("tbody tr").first.locator("th, td")).to_have_text(
        ["Titel", "Digital borgerservice", "Digital borgerservice 2.0"]
    )
    expect(second.locator("#id_summary")).to_have_value("Oekonomis resumé")
    second.screenshot(path=str(artifacts / "editor-conflict.png"), full_page=True)
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.title == "Digital borgerservice 2.0"
    assert saved.summary == "Et forslag."
