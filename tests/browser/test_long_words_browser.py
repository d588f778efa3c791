"""Breaker: a title or line text typed without spaces (the editor takes up to 500
characters) widened its table far past the page: the catalogue overview became 4.389 px
wide and the proposal's economy table 2.176 px at a 1300 px window, the figures out of
sight. Such a word now breaks inside its cell; only Chromium shows it."""

import pytest

from cases.models import Proposal
from committees.models import Role
from tests.factories import CatalogFactory, add_line, bc01, make_user

from .test_ui_browser import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG = "Ulovligtlangtordudenmellemrum" * 17


def overflowing_tables(page) -> list:
    return page.evaluate(
        """Array.from(document.querySelectorAll('table'))
            .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
            .map(t => [t.className, t.scrollWidth, t.parentElement.clientWidth])"""
    )


def test_a_long_word_does_not_widen_the_tables(live_server, browser, artifacts):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    proposal = bc01(catalog)
    Proposal.objects.filter(pk=proposal.pk).update(title=LONG)
    add_line(proposal, "permanent", "saving", "service", LONG[:240], {2022: -1})
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    context, page, errors = open_page(browser, live_server.url, "oekonomi", width=1300)
    for name, url in (
        ("overview", f"/katalog/{catalog.key}/"),
        ("proposal", f"/katalog/{catalog.key}/forslag/{proposal.number}/"),
    ):
        page.goto(live_server.url + url)
        page.screenshot(path=artifacts / f"long-word-{name}.png", full_page=True)
        assert overflowing_tables(page) == [], name
    assert errors == []
    context.close()
