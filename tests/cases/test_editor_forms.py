"""The editor's forms read right (issue 12): each field one unit of label, help, errors
and input; an error summary whose entries link to their fields; length limits said;
plausibility warnings that ask for confirmation; each pool's own questions only."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import Proposal
from tests.factories import CatalogFactory, bc01

from .formdata import as_post, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def finans(client, finance_user):
    client.force_login(finance_user)
    return client


def new_page(client, catalog):
    response = client.get(reverse("cases:proposal_new") + f"?katalog={catalog.key}")
    assert response.status_code == 200
    return response


def save_new(client, catalog, **changes):
    data = form_data(new_page(client, catalog).content)
    post = as_post(data, action="save", **changes)
    return client.post(reverse("cases:proposal_new") + f"?katalog={catalog.key}", post)


def field_units(html: str) -> dict[str, str]:
    """Each `div.field` of the page by the id of the input its label points at."""
    units = {}
    pattern = r'<div class="field[^"]*" id="([^"]+)_field">(.*?)\n</div>'
    for match in re.finditer(pattern, html, re.S):
        units[match.group(1)] = match.group(2)
    return units


def test_label_help_errors_and_input_are_one_unit(finans):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    html = new_page(finans, catalog).content.decode()
    units = field_units(html)
    for field_id in ("id_catalog", "id_number", "id_title", "id_price_level_year", "id_first_year"):
        unit = units[field_id]
        assert f'for="{field_id}"' in unit
        assert f'id="{field_id}"' in unit
    # the help text of "Nummer" sits in the number's unit, not in the catalogue's
    assert "BC14" in units["id_number"] and "BC14" not in units["id_catalog"]
    # the hearing rows: "Instans" and its input together; the date is a unit of its own
    assert 'for="id_hearing-0-body"' in units["id_hearing-0-body"]
    assert 'id="id_hearing-0-body"' in units["id_hearing-0-body"]
    assert 'id="id_hearing-0-date_text"' not in units["id_hearing-0-body"]


def test_error_summary_links_to_each_field(finans):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    response = save_new(
        finans, catalog, **{"title": "", "perm-0-label": "Besparelse", "perm-0-y2022": "12a"}
    )
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    html = response.content.decode()
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert 'href="#id_title"' in summary
    assert 'href="#id_perm-0-y2022"' in summary
    assert "Varige ændringer, række 1 “Besparelse”, 2022" in summary
    assert "“12a” er ikke et tal" in summary


def test_too_long_title_is_refused_with_a_message_not_cut(finans):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    html = new_page(finans, catalog).content.decode()
    assert "Højst 500 tegn." in field_units(html)["id_title"]
    response = save_new(finans, catalog, title="x" * 2400)
    assert not Proposal.objects.exists()
    assert "Denne værdi må højst have 500 tegn (den har 2400)." in response.content.decode()


def test_an_amount_above_one_billion_asks_for_confirmation(finans):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    fields = {"title": "Stort beløb", "perm-0-label": "Besparelse", "perm-0-y2022": "-1.000.001"}
    response = save_new(finans, catalog, **fields)
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    html = response.content.decode()
    assert 'id="warning-summary"' in html
    assert 'href="#id_perm-0-y2022"' in html
    assert "mere end 1 mia. kr." in html
    # confirmed: saved as typed
    post = as_post(form_data(html), action="save", confirm_warnings="1")
    response = finans.post(reverse("cases:proposal_new") + f"?katalog={catalog.key}", post)
    assert response.status_code == 302
    assert Proposal.objects.get().title == "Stort beløb"


def test_a_first_year_far_from_the_budget_year_asks_for_confirmation(finans):
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    years = {"first_year": "2012", "price_level_year": "2012"}
    response = save_new(finans, catalog, title="Forkert år", **years)
    assert not Proposal.objects.exists()
    html = response.content.decode()
    assert 'href="#id_first_year"' in html
    years = {"first_year": "2022", "price_level_year": "2021"}
    response = save_new(finans, catalog, title="Rigtigt år", **years)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("pool", "shown", "hidden"),
    [
        (
            "investment",
            ["id_partners"],
            ["id_potential", "id_productivity_improvement_0", "id_priority_expense"],
        ),
        (
            "innovation",
            ["id_priority_expense", "id_partners"],
            ["id_potential", "id_reduced_admin_costs_0"],
        ),
        (
            "efficiency",
            ["id_potential", "id_applies_for_pool_funding_0"],
            ["id_priority_expense", "id_partners"],
        ),
    ],
)
def test_each_pool_asks_its_own_questions(finans, pool, shown, hidden):
    catalog = CatalogFactory(key=f"{pool}-2021", budget_year=2021, pool=pool)
    html = new_page(finans, catalog).content.decode()
    for field_id in shown:
        assert f'id="{field_id}"' in html
    for field_id in hidden:
        assert f'id="{field_id}"' not in html


def test_a_hidden_question_keeps_its_saved_answer(client, central_user):
    """Forms write only the fields they show: an investment proposal saved from the editor
    keeps what an import put into a question its form does not ask."""
    client.force_login(central_user)
    proposal = bc01()
    assert proposal.catalog.pool == "investment"
    Proposal.objects.filter(pk=proposal.pk).update(productivity_improvement=True)
    url = reverse("cases:proposal_edit", args=[proposal.catalog.key, proposal.number])
    html = client.get(url).content.decode()
    assert 'id="id_reduced_admin_costs_0"' not in html
    assert 'id="id_productivity_improvement_0"' in html  # it has an answer: shown
    response = client.post(url, as_post(form_data(html), action="save", confirm_warnings="1"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.productivity_improvement is True
    assert proposal.reduced_admin_costs is None


def test_numbers_are_typed_and_shown_by_the_active_language(client, finance_user):
    """In English the editor takes 1,034 and 337.5 and says so in its hint; in Danish
    1.034 and 337,5."""
    catalog = CatalogFactory(key="investment-2021", budget_year=2021)
    client.force_login(finance_user)
    url = reverse("cases:proposal_new") + f"?katalog={catalog.key}"
    english = {"headers": {"accept-language": "en"}}
    html = client.get(url, **english).content.decode()
    assert "Type numbers like 1,034, -517, 337.5." in html
    post = as_post(
        form_data(html),
        action="save",
        title="English numbers",
        **{"perm-0-label": "Saving", "perm-0-y2022": "-1,034", "perm-0-y2023": "337.5"},
    )
    response = client.post(url, post, **english)
    assert response.status_code == 302, response.content.decode()[:2000]
    amounts = {a.year: a.amount for a in Proposal.objects.get().lines.get().amounts.all()}
    assert amounts == {2022: Decimal("-1034"), 2023: Decimal("337.5")}
    danish = client.get(url, headers={"accept-language": "da"}).content.decode()
    assert "Skriv tal som 1.034, -517, 337,5." in danish
