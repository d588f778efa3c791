"""The present value / sensitivity block on the proposal page and the pool's portfolio
page: the figures are finance.appraisal's and finance.portfolio's, shown in Danish."""

from decimal import Decimal as D

from django.urls import reverse

from cases.appraisal import AppraisalSettings, appraisal_for, appraisal_settings, summary_rows
from cases.models import PoolBudget, Status
from cases.selectors import figures_for

from ..factories import ProposalFactory, add_line, bc01
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


def test_portfolio_page_sets_the_chosen_proposals_against_the_budget(client, central_user):
    reader = client
    reader.force_login(central_user)
    """Budget 6.000 in 2021. BC01 (recommended) invests 5.580 in 2021: 420 left. BC02
    (submitted) invests 1.000 in 2021 and saves 500 a year from 2022: payback 4
    (1.000, 500, 0, -500), BC01's is 6, so BC02 ranks first; 1.000 + 5.580 = 6.580 >
    6.000: the suggestion takes BC02 and skips BC01. Chosen (BC01 only) in 2021:
    budget 6.000, invested 5.580, 420 left, -517 permanent, net and cumulative 5.063."""
    first = bc01()
    first.status = Status.RECOMMENDED
    first.save()
    second = ProposalFactory(catalog=first.catalog, number="BC02", title="Anden")
    add_line(second, "permanent", "saving", "service", "Besparelse",
             {y: -500 for y in range(2022, 2027)})  # fmt: skip
    add_line(second, "implementation", "cost", "service", "Projekt", {2021: 1000})
    PoolBudget.objects.create(catalog=first.catalog, year=2021, amount=D(6000))
    url = reverse("cases:catalog_portfolio", args=[first.catalog.key])
    response = reader.get(url)
    assert response.status_code == 200
    text = text_of(response)
    assert "Indstillede og vedtagne forslag" in text
    catalog_page = reader.get(first.catalog.get_absolute_url()).content.decode()
    assert f'href="{url}"' in catalog_page
    assert "2021 6.000 5.580 420 -517 5.063 5.063 2022 0 -1.034 -1.034 4.029" in text
    assert "Forslag til prioritering (vejledende)" in text
    assert "1 BC02 Anden 1.000 4" in text
    assert "2 BC01 Belysningspakke 2d 5.580 6" in text
    assert "Ikke med (over rammen)" in text
    # an unknown criterion falls back to the default, never an error
    assert reader.get(url + "?kriterie=<x>").status_code == 200
    by_npv = text_of(reader.get(url + "?kriterie=npv_per_krone"))
    assert "Største nutidsværdi pr. investeret krone" in by_npv


def test_portfolio_page_is_for_central_finance(client, finance_user, db):
    proposal = bc01()
    client.force_login(finance_user)
    response = client.get(reverse("cases:catalog_portfolio", args=[proposal.catalog.key]))
    assert response.status_code == 403


def test_portfolio_page_query_count_is_constant(
    client, central_user, django_assert_max_num_queries
):
    reader = client
    reader.force_login(central_user)
    proposal = bc01()
    url = reverse("cases:catalog_portfolio", args=[proposal.catalog.key])
    with django_assert_max_num_queries(30) as one:
        reader.get(url)
    for i in range(5):
        other = ProposalFactory(catalog=proposal.catalog, number=f"X{i}")
        add_line(other, "permanent", "saving", None, "B", {2022: -10, 2023: -10})
    with django_assert_max_num_queries(len(one.captured_queries)):
        reader.get(url)


def test_catalogue_settings_change_the_appraisal(client, central_user):
    """A flat 0 % rate over 6 years: the present value is minus the plain sum of the net
    flow, 5.063 - 5 * 1.034 = -107 -> a gain of 107."""
    proposal = bc01()
    catalog = proposal.catalog
    catalog.discount_rate_pct = D(0)
    catalog.appraisal_horizon = 6
    catalog.save()
    appraisal = appraisal_for(figures_for(proposal), appraisal_settings(catalog))
    assert appraisal.npv == D("107.00")
    client.force_login(central_user)
    text = text_of(client.get(proposal.get_absolute_url()))
    assert "0 % om året" in text
    assert "Horisont: 6 år" in text


def test_admin_change_page_has_the_appraisal_settings_and_the_pool_budget(client, admin_user):
    catalog = bc01().catalog
    client.force_login(admin_user)
    response = client.get(reverse("admin:cases_catalog_change", args=[catalog.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="discount_rate_pct"' in html
    assert 'name="pool_budget-TOTAL_FORMS"' in html
