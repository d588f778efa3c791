"""Issue 11, findings 19 and 20: login throttling, idle sessions, no-store on private
pages and downloads, changing one's own password. Each test is written from the finding's
input and fails on the main before this change."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from committees.models import Role
from ops.middleware import IDLE_KEY, LOGIN_KEY
from tests.factories import CatalogFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password, ip="10.0.0.1", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip,
        **headers,
    )


def test_after_the_failure_limit_even_the_right_password_is_refused(client, settings):
    """Finding 19: 100 wrong passwords, then the right one worked."""
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "finans", "forkert").status_code == 200  # the form again
    locked = login(client, "finans", "forkert")
    assert locked.status_code == 429
    assert "For mange mislykkede logins" in locked.content.decode()
    assert "Prøv igen om 15 minutter" in locked.content.decode()
    right = login(client, "finans", "pw")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_counts_per_user_from_any_address_and_per_address_past_its_own_limit(
    client, settings
):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 25
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    limit = settings.AXES_FAILURE_LIMIT
    # one user name guessed from many addresses
    for i in range(limit):
        login(client, "finans", "forkert", ip=f"10.1.0.{i}")
    assert login(client, "finans", "pw", ip="10.9.9.9").status_code == 429
    # many user names guessed from one address: past the address's own (higher) limit,
    # that address is locked for everyone
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"gæt{i}", "forkert", ip="10.2.0.1")
    assert login(client, "oekonomi", "pw", ip="10.2.0.1").status_code == 302
    client.logout()
    login(client, "gæt-sidste", "forkert", ip="10.2.0.1")
    assert login(client, "oekonomi", "pw", ip="10.2.0.1").status_code == 429
    # another address, another user: not affected
    assert login(client, "oekonomi", "pw", ip="10.3.0.1").status_code == 302


def test_colleagues_behind_one_nat_address_do_not_lock_each_other_out(client, settings):
    """Finding 19's fix locked an address after AXES_FAILURE_LIMIT failures of any user:
    behind the municipality's NAT, ten colleagues who each mistype once locked the whole
    town hall out. The address alone now has its own, higher limit; a user is locked
    (at that address too) after their own failures only."""
    nat = "192.0.2.10"
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    for i in range(settings.AXES_FAILURE_LIMIT):
        make_user(f"kollega{i}", Role.FINANCE_STAFF, administration_code="KFF")
        assert login(client, f"kollega{i}", "tastefejl", ip=nat).status_code == 200
    assert settings.AXES_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert login(client, "oekonomi", "pw", ip=nat).status_code == 302
    client.logout()
    assert login(client, "kollega0", "pw", ip=nat).status_code == 302
    client.logout()
    # one user mistyping the limit at that address is locked there (user+address)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kollega1", "tastefejl", ip=nat)
    assert login(client, "kollega1", "pw", ip=nat).status_code == 429
    assert login(client, "kollega2", "pw", ip=nat).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, settings):
    make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "finans", "forkert")
    assert login(client, "finans", "pw").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "finans", "forkert")
    assert login(client, "finans", "pw").status_code == 302


def test_behind_a_proxy_the_address_is_the_forwarded_one(client, settings):
    """Behind one proxy every request comes from the proxy's address: the lockout must
    count the client's (X-Forwarded-For as the proxy appends it), not the proxy's."""
    settings.BILAG_PROXY_COUNT = 1
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    proxy = "10.0.0.254"
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):  # spoofed first hop, then the real client
        login(client, f"gæt{i}", "x", proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.7")
    ok = login(client, "oekonomi", "pw", proxy, HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert ok.status_code == 302
    client.logout()
    blocked = login(client, "oekonomi", "pw", proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 192.0.2.7")
    assert blocked.status_code == 429


# --- idle sessions ----------------------------------------------------------------------


def test_a_session_idle_longer_than_the_timeout_is_logged_out(client, central_user, settings):
    """Finding 20: sessions lasted 14 days with no idle timeout."""
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client.force_login(central_user)
    assert client.get("/").status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "logget ud efter 30 minutter uden aktivitet" in page.content.decode()


def test_activity_keeps_the_session_and_writes_it_at_most_once_a_minute(
    client, central_user, settings
):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60  # settable
    client.force_login(central_user)
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 4 * 60  # 4 minutes idle: still in
    session.save()
    assert client.get("/").status_code == 200
    touched = client.session[IDLE_KEY]
    assert time.time() - touched < 5
    assert client.get("/").status_code == 200
    assert client.session[IDLE_KEY] == touched  # not rewritten within the minute


def test_a_session_ends_after_its_maximum_age_however_busy(client, central_user, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    client.force_login(central_user)
    session = client.session
    session[LOGIN_KEY] = int(time.time()) - 12 * 3600 - 60
    session.save()  # idle clock recent: only the age ends it
    response = client.get("/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Din session er udløbet" in client.get(response["Location"]).content.decode()


# --- caching ------------------------------------------------------------------------------


def test_private_pages_and_downloads_are_not_stored(client, central_user):
    """Finding 20: downloads and logged-in pages carried no Cache-Control: no-store."""
    catalog = CatalogFactory(key="investment-2021")
    client.force_login(central_user)
    page = client.get("/")
    download = client.get(reverse("annex:template", args=[catalog.key]))
    assert download["Content-Disposition"].startswith("attachment")
    for response in (page, download):
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private", "no-cache"} <= directives


# --- changing one's own password ----------------------------------------------------------


def test_a_user_changes_their_own_password(client, finance_user):
    """Finding 20: users could not change their own password."""
    client.force_login(finance_user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Skift adgangskode" in page.content.decode()
    assert reverse("password_change") in client.get("/").content.decode()  # linked
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "forkert", "new_password1": "Budget-2026!",
         "new_password2": "Budget-2026!"},
    )
    assert wrong.status_code == 200
    assert "Din gamle adgangskode blev ikke indtastet korrekt" in wrong.content.decode()
    done = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "Budget-2026!", "new_password2": "Budget-2026!"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Din adgangskode er skiftet" in done.content.decode()
    assert get_user_model().objects.get(pk=finance_user.pk).check_password("Budget-2026!")
    assert client.get("/").status_code == 200  # still logged in after the change


def test_changing_a_password_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
