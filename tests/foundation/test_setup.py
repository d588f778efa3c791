"""Settings and the commands README promises."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Catalog, Proposal
from committees.models import Role


def test_language_time_zone_and_number_formats():
    assert settings.LANGUAGE_CODE == "da"
    assert [code for code, _ in settings.LANGUAGES] == ["da", "en"]
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    from django.utils import formats, translation

    with translation.override("da"):
        assert formats.number_format(1034, force_grouping=True) == "1.034"
        assert formats.number_format(16.67, 2) == "16,67"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_is_configured_for_concurrent_users(db):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_content_security_policy_forbids_inline_scripts(client, db):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.fixture
def development(settings):
    """`make run`: DEBUG on (pytest turns it off)."""
    settings.DEBUG = True


def test_load_demo_refuses_demo_users_with_debug_off_unless_told(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG er slået fra.*--demo-users"):
        call_command("load_demo")
    assert (get_user_model().objects.count(), Catalog.objects.count()) == (0, 0)
    call_command("load_demo", demo_users=True)
    assert get_user_model().objects.get(username="admin").check_password("demo")


def test_load_demo_is_idempotent(db, capsys, development):
    call_command("load_demo")
    counts = (Catalog.objects.count(), Proposal.objects.count(), get_user_model().objects.count())
    call_command("load_demo")
    assert (Catalog.objects.count(), Proposal.objects.count(),
            get_user_model().objects.count()) == counts == (4, 14, 4)
    users = {u.username: u for u in get_user_model().objects.select_related("profile")}
    assert users["admin"].is_superuser
    assert users["finans"].profile.role == Role.FINANCE_STAFF
    assert users["finans"].profile.administration.code == "KFF"
    assert users["oekonomi"].profile.role == Role.CENTRAL_FINANCE
    assert users["udvalg"].profile.role == Role.COMMITTEE_REVIEWER
    assert users["udvalg"].profile.committee.code == "KFU"
    assert all(u.check_password("demo") for u in users.values())


def test_load_demo_keeps_edits_unless_reset(db, development):
    call_command("load_demo")
    Proposal.objects.filter(number="BC01").update(title="Redigeret")
    call_command("load_demo")
    assert Proposal.objects.get(number="BC01").title == "Redigeret"
    call_command("load_demo", reset=True)
    assert Proposal.objects.get(number="BC01").title == "Belysningspakke 2d"


def test_export_cases_writes_stdout_and_file(reference_catalogs, capsys, tmp_path):
    call_command("export_cases", catalog="investment-2021")
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "budget-cases/1"
    assert [p["number"] for p in doc["proposals"]] == ["BC01", "BC03", "BC11", "BC12"]
    target = tmp_path / "out.json"
    call_command("export_cases", catalog="investment-2021", output=target)
    assert json.loads(target.read_text(encoding="utf-8")) == doc


def test_export_unknown_catalog(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as excinfo:
        call_command("export_cases", catalog="nope")
    assert str(excinfo.value) == 'Kataloget "nope" findes ikke (kendte: ingen)'


def test_a_sqlite_database_named_by_url_gets_the_same_setup(tmp_path):
    """DATABASE_URL=sqlite:///… (as README and the tools use it) got none of the
    concurrency setup of the default file: no IMMEDIATE transactions, no WAL, no busy
    timeout, so two writers failed with "database is locked"."""
    import os
    import subprocess
    import sys

    code = (
        "import django, json; django.setup();"
        "from django.conf import settings; from django.db import connection;"
        "c = connection.cursor();"
        "print(json.dumps([settings.DATABASES['default']['OPTIONS'].get('transaction_mode'),"
        " c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA foreign_keys').fetchone()[0]]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'by-url.sqlite3'}",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
        cwd=settings.BASE_DIR,
    ).stdout  # fmt: skip
    assert json.loads(out.strip().splitlines()[-1]) == ["IMMEDIATE", 20000, "wal", 1]
