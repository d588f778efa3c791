"""Follow-up in real Chromium: `finans` (KFF, responsible) registers realised savings and
a criterion's status on an adopted proposal, sees the gap flagged, and the committee's
benefit-realisation page shows the same gap. Screenshots in test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from committees.models import Role
from followup.services import cell_name, freeze_plan
from tests.factories import make_user
from tests.followup.conftest import kff_proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_responsible_user_registers_realised_savings_and_sees_the_gap(
    live_server, browser, artifacts
):
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    central = make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    proposal = kff_proposal(title="Digital selvbetjening")
    plan = freeze_plan(proposal, central)
    lines = {ln.label: ln.pk for ln in plan.realised_lines.all()}
    criterion = plan.criteria.first()
    base = live_server.url

    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="da-DK")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(  # a failed resource other than the browser's own favicon request
        "response",
        lambda r: problems.append(f"{r.status} {r.url}")
        if r.status >= 400 and not r.url.endswith("/favicon.ico")
        else None,
    )
    page.goto(f"{base}/login/")
    page.fill("#id_username", "finans")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))

    page.click("nav >> text=Opfølgning")
    expect(page.locator("h1")).to_have_text("Opfølgning på vedtagne forslag")
    page.click(f"text={proposal.number} Digital selvbetjening")
    expect(page.locator(".realised-payback")).to_have_text("ingen realiserede tal endnu")

    # realised: 2021 saving -300 of planned -400, project 1.600 of 1.500; 2022 -600 of -800
    page.fill(f"#id_{cell_name(lines['Færre opkald'], 2021)}", "-300")
    page.fill(f"#id_{cell_name(lines['Færre opkald'], 2022)}", "-600")
    page.fill(f"#id_{cell_name(lines['Projektledelse'], 2021)}", "1.600")
    page.click("text=Gem realiserede tal")
    expect(page.locator(".messages")).to_contain_text("De realiserede tal er gemt.")
    gap_2021 = page.locator(".comparison tr.row-gap td[data-year='2021']")
    expect(gap_2021).to_contain_text("100")
    expect(gap_2021).to_have_class(re.compile(r"\bbehind\b"))  # 25 % behind > 10 %
    expect(page.locator(".comparison tr.row-gap td[data-year='2022']")).to_contain_text("200")
    expect(page.locator(".gap-to-date")).to_have_text("300")
    # planned 1100, 300, -500 -> 3 years; realised 1300, 700, then -600 a year: the
    # cumulative is 0 in year 3 (not yet paid back) and -600 in year 4 -> 4 years
    expect(page.locator(".planned-payback")).to_have_text("3 år")
    expect(page.locator(".realised-payback")).to_have_text("4 år")

    form = page.locator(f"#criterion-{criterion.pk} form.registration-form")
    form.locator("input[value=delayed]").check()
    form.locator("textarea").fill("Kampagnen starter først i foråret.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Opfølgningen er registreret.")
    expect(page.locator(f"#criterion-{criterion.pk} .registrations")).to_contain_text("Forsinket")
    expect(page.locator(".history")).to_contain_text("Forsinket")
    page.screenshot(path=str(artifacts / "followup-proposal.png"), full_page=True)

    # the committee's benefit realisation shows the same gap
    page.goto(f"{base}/opfoelgning/udvalg/KFU/")
    committee_gap = page.locator(".portfolio tr.row-gap td[data-year='2021']")
    expect(committee_gap).to_contain_text("100")
    expect(committee_gap).to_have_class(re.compile(r"\bbehind\b"))
    expect(page.locator("svg.planned-realised-chart rect.realised.behind")).to_have_count(2)
    page.screenshot(path=str(artifacts / "followup-committee.png"), full_page=True)
    assert problems == []
    context.close()
