"""Breaker: a saved view's name was cut to 100 characters without a word, so two long
names with the same beginning ("Kladder i KFU … version A" / "… version B") saved as
one view: the second silently replaced the first's filters. A name over the limit is
now refused with its length, and nothing is saved."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from review.models import SavedView

pytestmark = pytest.mark.django_db

BEGINNING = "Kladder i Kultur- og Fritidsudvalget med tilbagebetaling under fem år, " * 2


def save(client, name, query):
    return client.post(reverse("review:saved_view_create"), {"name": name, "query": query})


def test_a_name_over_the_limit_is_refused_not_cut(client, central_user):
    client.force_login(central_user)
    save(client, "Kort", "status=draft")
    response = save(client, BEGINNING + "version A", "status=draft&sort=-number")
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said[-1] == f"Visningens navn er for langt ({len(BEGINNING) + 9} tegn, højst 100)."
    response = save(client, BEGINNING + "version B", "status=submitted")
    assert [v.name for v in SavedView.objects.all()] == ["Kort"]


def test_a_name_of_100_characters_is_saved_whole(client, central_user):
    client.force_login(central_user)
    name = ("Visning " * 13)[:100]
    save(client, name, "status=draft")
    assert [v.name for v in SavedView.objects.all()] == [name.strip()]


@pytest.mark.parametrize(("typed", "kept"), [("Mine\x00 kladder", "Mine kladder"), ("\x00", None)])
def test_control_characters_in_a_name_are_removed_as_in_a_form(client, central_user, typed, kept):
    """Breaker: a name with a NUL went to the database as typed (PostgreSQL: a 500;
    SQLite: a view whose name showed as nothing)."""
    client.force_login(central_user)
    response = save(client, typed, "status=draft")
    assert response.status_code == 302
    assert [v.name for v in SavedView.objects.all()] == ([kept] if kept else [])
    if kept is None:
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert said[-1] == "Giv visningen et navn."
