"""Breaker: a GET on an address that only takes a form's POST answered 405 with an empty
body (a blank page), and a form sent with an expired CSRF token got Django's technical
"CSRF verification failed" page. Every refusal is a clear Danish page."""

import pytest
from django.test import Client
from django.urls import reverse

from committees.models import Role
from review.models import ReviewComment
from tests.factories import CatalogFactory, ProposalFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post_only_urls(proposal):
    catalog = proposal.catalog
    return [
        reverse("review:step", args=[proposal.pk, "submit"]),
        reverse("review:comment", args=[proposal.pk]),
        reverse("review:hearing_answer", args=[proposal.pk]),
        reverse("review:case_seen", args=[proposal.pk]),
        reverse("review:bulk_action"),
        reverse("review:saved_view_create"),
        reverse("review:decisions_apply"),
        reverse("annex:start", args=[catalog.key]),
        reverse("annex:import", args=[catalog.key]),
    ]


def test_a_get_on_a_post_only_address_gets_a_danish_page(client):
    user = make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    proposal = ProposalFactory(catalog=CatalogFactory())
    client.force_login(user)
    for url in post_only_urls(proposal):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 405, url
        assert response["Allow"] == "POST", url
        text = response.content.decode()
        assert "Denne adresse bruges kun af en formular" in text, url
        assert "Intet er gjort" in text, url


def test_a_form_with_an_expired_token_gets_a_danish_page():
    user = make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    proposal = ProposalFactory(catalog=CatalogFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("review:comment", args=[proposal.pk]), {"text": "hej"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formularen er udløbet" in text
    assert "Intet er gemt" in text
    assert "CSRF" not in text
    assert not ReviewComment.objects.exists()
