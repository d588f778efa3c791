"""The present value / sensitivity block on the proposal page: the figures are
finance.appraisal's, shown in Danish."""

from decimal import Decimal as D

from cases.appraisal import AppraisalSettings, appraisal_for, summary_rows
from cases.selectors import figures_for

from ..factories import ProposalFactory, bc01
from .test_pages import text_of


def test_bc01_present_value_by_hand(db):
    """BC01: net flow 5.063 in 2021, -1.034 a year after; over 10 years at 3,5 %:
    sum of 1,035^-t for t = 1..9 = (1 - 1,035^-9) / 0,035 = (1 - 0,733731) / 0,035 =
    7,607687; 1.034 * 7,607687 = 7.866,35; minus 5.063 = 2.803,35."""
    appraisal = appraisal_for(figures_for(bc01()), AppraisalSettings())
    assert appraisal.npv == D("2803.35")
    assert appraisal.payback_years == 6
    # discounted: 5.063 - 1.034 * (0,966184 + 0,933511 + 0,901943 + 0,871442 + 0,841973)
    # = 5.063 - 4.668,3 = 394,7 after 5 years (2026); + 1.034 * 0,813501 in 2027: < 0
    assert appraisal.discounted_payback_years == 7


def test_proposal_page_shows_the_appraisal_block(client, central_user):
    proposal = bc01()
    client.force_login(central_user)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Nutidsværdi og følsomhed" in text
    assert "Som indtastet 6 7 2.803" in text
    rows = summary_rows(appraisal_for(figures_for(proposal), AppraisalSettings()))
    for row in rows:
        npv = f"{row.npv:,.0f}".replace(",", ".")
        assert f"{row.label} {row.payback_years} " in text
        assert npv in text
    assert "Skifteværdier" in text
    assert 'class="chart tornado-chart"' in response.content.decode()


def test_proposal_without_lines_shows_a_zero_present_value(client, central_user):
    client.force_login(central_user)
    response = client.get(ProposalFactory().get_absolute_url())
    assert response.status_code == 200
    assert "Som indtastet ingen ingen 0" in text_of(response)
