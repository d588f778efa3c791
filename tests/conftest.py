"""Shared fixtures. Users follow the healthchecks pattern: one per role, plus an outsider
(finance staff of another administration)."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from committees.models import Role

from .factories import make_user
from .system_tools import check_selected

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"
REFERENCE_FILES = sorted(FIXTURES.glob("*.json"))

# Property tests judge results, not speed: on a shared, loaded machine (CI, several
# sessions on two cores) generating one input can take seconds, which is no fault.
settings.register_profile("bilag", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bilag")


def pytest_collection_finish(session):
    """A missing program stops the run with one line before the first test (never a skip):
    tests/system_tools.py."""
    check_selected(session.items)


@pytest.fixture
def finance_user(db):
    """Finance staff of Kultur- og Fritidsforvaltningen (like the demo user `finans`)."""
    return make_user("finans", Role.FINANCE_STAFF, administration_code="KFF")


@pytest.fixture
def other_finance_user(db):
    """Finance staff of another administration (TMF): an outsider to KFF's proposals."""
    return make_user("tmf-finans", Role.FINANCE_STAFF, administration_code="TMF")


@pytest.fixture
def central_user(db):
    """Center for Økonomi (like the demo user `oekonomi`)."""
    return make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")


@pytest.fixture
def reviewer_user(db):
    """Committee reviewer for KFU (like the demo user `udvalg`)."""
    return make_user("udvalg", Role.COMMITTEE_REVIEWER, committee_code="KFU")


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN, superuser=True)


@pytest.fixture
def reference_catalogs(db):
    """The three reference catalogues, imported through the real importer."""
    from cases.services import import_json

    return [import_json(path.read_bytes()).catalog for path in REFERENCE_FILES]


@pytest.fixture
def logged_in(client, central_user):
    """A client that may read every proposal (Center for Økonomi): for page tests that
    are not about permissions (those are in tests/cases/test_permissions.py)."""
    client.force_login(central_user)
    return client


@pytest.fixture(autouse=True)
def reference_data_after_flush(request):
    """Committees and administrations come from a data migration. A transactional test
    (browser tests, live_server) empties every table when it ends, so each transactional
    test puts them back first (with the migration's own function) if they are gone."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from committees.models import Committee

    if not Committee.objects.exists():
        migration = importlib.import_module("committees.migrations.0002_reference_data")
        migration.create_reference_data(apps, None)


@pytest.fixture
def price_index(db):
    """The default p/l index as the data migration loads it (a transactional test that
    ran earlier may have flushed the table); returns `PriceIndex.series_map()`."""
    from committees.models import PriceIndex
    from committees.reference_data import GENERAL_PL_RISE_PCT, PRICE_INDEX_SOURCE
    from finance.prices import SERVICE_SERIES, chain_index

    for year, value in chain_index(GENERAL_PL_RISE_PCT, 2010).items():
        PriceIndex.objects.update_or_create(
            series=SERVICE_SERIES,
            year=year,
            defaults={"value": value, "source": PRICE_INDEX_SOURCE},
        )
    return PriceIndex.series_map()
