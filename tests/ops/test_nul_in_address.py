"""Breaker: a NUL (%00) in a query parameter reached a database filter, and PostgreSQL
refused the query: a 500 ("text fields cannot contain NUL") on the case list's
`committee` and the editor's `katalog`. Every address with one gets the 400 page."""

import pytest
from django.urls import reverse

from tests.factories import CatalogFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["committee=%00", "katalog=a%00b", "q=%00", "sort=%00", "page=%00", "a%00b=1"],
)
@pytest.mark.parametrize("name", ["review:case_list", "cases:proposal_new", "followup:index"])
def test_a_nul_in_the_address_gets_the_bad_request_page(client, central_user, name, query):
    CatalogFactory()
    client.force_login(central_user)
    response = client.get(reverse(name) + "?" + query, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/katalog/investment-2021/forslag/a%00b/",
        "/katalog/investment-2021/forslag/a%00b/rediger/",
        "/opfoelgning/udvalg/a%00b/",
    ],
)
def test_a_nul_in_the_path_gets_the_bad_request_page(client, central_user, path):
    """A NUL in a `<str:...>` part of the path (proposal number, committee code) reached the
    database the same way: a 500 on PostgreSQL."""
    CatalogFactory(key="investment-2021")
    client.force_login(central_user)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in response.content.decode()
