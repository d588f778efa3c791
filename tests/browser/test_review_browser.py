"""The review in real Chromium: `finans` submits, `oekonomi` records the hearing and
forwards, `udvalg` filters the case list and approves. Screenshots in test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Status
from committees.models import Role
from review.models import WorkflowEvent
from tests.factories import make_user
from tests.review.conftest import kfu_proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login(browser, base, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page = context.new_page()
    problems: list[str] = []
    # Console errors (e.g. a CSP violation) and failed responses, but not the favicon.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return page, problems


def test_submit_hearing_forward_filter_and_approve(live_server, browser, artifacts):
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    make_user("udvalg", Role.COMMITTEE_REVIEWER, committee_code="KFU")
    proposal = kfu_proposal(number="BC12", title="Nem og sammenhængende borgerservice")
    kfu_proposal(number="BC13", title="Ny arrangementsafvikling")  # stays a draft
    base = live_server.url
    case_url = f"{base}/sager/{proposal.pk}/"

    # 1. finans submits.
    page, problems = login(browser, base, "finans")
    page.goto(case_url)
    page.fill(".step-submit input[name=comment]", "Klar til behandling")
    page.click("button[data-action=submit]")
    expect(page.locator("#case-status")).to_have_text("Indsendt")
    page.screenshot(path=str(artifacts / "review-1-finans-submitted.png"), full_page=True)
    assert page.locator("button[data-action=submit]").count() == 0  # read-only now
    assert problems == []

    # 2. oekonomi sends it to hearing, records Center for Økonomi's "Ja" and forwards.
    page, problems = login(browser, base, "oekonomi")
    page.goto(f"{base}/sager/venter/")
    expect(page.locator("#case-list")).to_contain_text("BC12")
    page.goto(case_url)
    page.click("button[data-action=start_hearing]")
    expect(page.locator("#case-status")).to_have_text("I høring")
    page.select_option("#id_body", "Center for Økonomi, Økonomiforvaltningen")
    page.select_option("#id_answer", "yes")
    page.fill("#id_date_text", "28-05-2020")
    page.fill("#hearing-form #id_comment", "Økonomien er gennemgået")
    page.click("#hearing-form button[type=submit]")
    expect(page.locator("#hearing-table")).to_contain_text("28-05-2020")
    expect(page.locator("#hearing-table")).to_contain_text("Ja")
    page.click("button[data-action=forward]")
    expect(page.locator("#workflow-log")).to_contain_text("Sendt videre til udvalg")
    page.screenshot(path=str(artifacts / "review-2-oekonomi-hearing-forwarded.png"), full_page=True)
    assert problems == []

    # 3. udvalg filters the list (waiting for me, status "I høring") and approves.
    page, problems = login(browser, base, "udvalg")
    page.goto(f"{base}/sager/")
    expect(page.locator("#case-list")).to_contain_text("BC13")
    page.check("#case-filter input[name=status][value=in_hearing]")
    page.check("#case-filter input[name=waiting]")
    page.click("#filter-submit")
    expect(page).to_have_url(re.compile(r"status=in_hearing"))
    expect(page.locator("#case-list tbody")).to_contain_text("BC12")
    expect(page.locator("#case-list tbody")).not_to_contain_text("BC13")
    expect(page.locator("#case-list tfoot")).to_contain_text("I alt (1 forslag)")
    page.screenshot(path=str(artifacts / "review-3-udvalg-filtered.png"), full_page=True)
    page.click("#case-list tbody a:text('BC12')")
    page.fill(".step-approve input[name=approved_on]", "2020-03-09")
    page.click("button[data-action=approve]")
    expect(page.locator("#case-status")).to_have_text("Godkendt i udvalg")
    expect(page.locator(".approval-text")).to_have_text("seneste udvalgsgodkendelse 9. marts 2020")
    page.screenshot(path=str(artifacts / "review-4-udvalg-approved.png"), full_page=True)
    assert problems == []

    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_APPROVED
    assert list(
        WorkflowEvent.objects.filter(proposal=proposal).values_list("action", "user__username")
    ) == [
        ("submit", "finans"),
        ("start_hearing", "oekonomi"),
        ("answer_hearing", "oekonomi"),
        ("forward", "oekonomi"),
        ("approve", "udvalg"),
    ]
