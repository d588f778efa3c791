"""Years in the admin's lists are written as years (2024), not as numbers with the
Danish thousands separator (breaker session 4: the p/l index list read "2.010 … 2.025",
the catalogue list "budgetår 2.021")."""

import re

import pytest
from django.urls import reverse

from ..cases.test_pages import text_of
from ..factories import bc01

pytestmark = pytest.mark.django_db


def years_shown(client, admin_user, url_name) -> tuple[set[str], set[str]]:
    client.force_login(admin_user)
    text = text_of(client.get(reverse(url_name)))
    return set(re.findall(r"\b20\d\d\b", text)), set(re.findall(r"\b2\.0\d\d\b", text))


def test_the_price_index_list_writes_years_as_years(client, admin_user, price_index):
    plain, separated = years_shown(client, admin_user, "admin:committees_priceindex_changelist")
    assert separated == set()
    assert {"2010", "2024", "2025"} <= plain


def test_the_catalogue_list_writes_the_budget_year_as_a_year(client, admin_user):
    bc01()  # investment pool, budget 2021
    plain, separated = years_shown(client, admin_user, "admin:cases_catalog_changelist")
    assert separated == set()
    assert "2021" in plain
