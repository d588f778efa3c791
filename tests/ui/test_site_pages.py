"""Pages every user meets: 403, 404 and 500 in the site's layout and language, and the
notice for a user without a role (issue 12)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from committees.models import Role
from tests.factories import bc01, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"), [("da", "Noget gik galt"), ("en", "Something went wrong")]
)
def test_server_error_page_is_the_sites(language, heading):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert f'lang="{language}"' in html
    assert heading in html and 'class="site-header"' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("da", "Siden findes ikke"), ("en", "Page not found")]
)
def test_not_found_page_is_the_sites(client, central_user, language, heading):
    client.force_login(central_user)
    response = client.get("/findes-ikke/", headers={"accept-language": language})
    html = response.content.decode()
    assert response.status_code == 404
    assert heading in html and 'class="site-header"' in html


def test_forbidden_page_says_why(client):
    """A committee reviewer may read the committee's proposal but not edit it."""
    proposal = bc01()
    client.force_login(make_user("oeu", Role.COMMITTEE_REVIEWER, committee_code="ØU"))
    assert client.get(proposal.get_absolute_url()).status_code == 200
    response = client.get(f"{proposal.get_absolute_url()}rediger/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Ingen adgang" in html and 'class="site-header"' in html
    assert "Du må læse dette forslag, men ikke ændre det." in html


def test_a_user_without_a_role_is_told_so(client, central_user):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("ny", password="x")
    client.force_login(nobody)
    html = client.get(reverse("cases:catalog_list")).content.decode()
    assert 'id="no-role"' in html and "Din bruger har endnu ingen rolle." in html
    client.force_login(central_user)
    assert 'id="no-role"' not in client.get(reverse("cases:catalog_list")).content.decode()


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        ("running", "Bilaget dannes"),
        ("done", "Bilaget er klar"),
        ("failed", "Bilaget kunne ikke dannes"),
    ],
)
def test_annex_job_page_says_where_the_rendering_is(client, central_user, state, heading):
    from annex.models import AnnexJob
    from tests.factories import CatalogFactory

    job = AnnexJob.objects.create(
        catalog=CatalogFactory(), state=state, requested_by=central_user, total=4, done=4
    )
    client.force_login(central_user)
    html = client.get(reverse("annex:job", args=[job.pk])).content.decode()
    assert f"<h1>{heading}</h1>" in html
