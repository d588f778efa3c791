"""Running a budget season without the shell (issue 12): the admin creates a catalogue
and gives a user a role and an administration."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.models import Catalog
from committees.models import Administration, Role
from tests.cases.formdata import as_post, form_data

pytestmark = pytest.mark.django_db


def test_admin_sets_up_a_catalogue_and_a_users_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:cases_catalog_add"),
        {
            "key": "investment-2027",
            "title": "Forslag til investeringspuljen",
            "annex": "Bilag 2",
            "pool": "investment",
            "budget_year": "2027",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Catalog.objects.get(key="investment-2027").budget_year == 2027

    user = get_user_model().objects.create_user("ny-medarbejder", password="x")
    url = reverse("admin:auth_user_change", args=[user.pk])
    html = client.get(url).content.decode()
    assert "Rolle og arbejdssted" in html
    kff = Administration.objects.get(code="KFF")
    post = as_post(
        form_data(html, "user_form"),
        **{"profile-0-role": Role.FINANCE_STAFF, "profile-0-administration": str(kff.pk)},
    )
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert (user.profile.role, user.profile.administration) == (Role.FINANCE_STAFF, kff)
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Økonomimedarbejder" in listing
