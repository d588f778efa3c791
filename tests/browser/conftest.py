"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's
live server. Never `playwright install`: the system browser is used."""

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the test itself only
# prepares data through the ORM before and between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Committees and administrations come from a data migration; a transactional test
    that ran before this one flushed them, so put them back (the same function)."""
    import importlib

    from django.apps import apps

    from committees.models import Committee

    if not Committee.objects.exists():
        migration = importlib.import_module("committees.migrations.0002_reference_data")
        migration.create_reference_data(apps, None)
