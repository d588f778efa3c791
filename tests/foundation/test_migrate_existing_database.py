"""A database made by `make run` before the apps were layered (issue 9) migrates to the
new layout without losing anything: every catalogue exports exactly as before (inputs and
computed figures), and every history version, workflow step, approval, comment, mail,
summary, distribution and success criterion is still there.

The fixture (tests/fixtures/premigration/) was made once with the code of main at
338dc92, before the move: `migrate` + `load_demo`, then an editor save with two
distributions and workflow steps up to adoption (see make_fixture.py there, which needs
that code to run). It holds the SQLite database (gzip), the `export_cases` output of each
catalogue and the row count of every table.

If a later change alters the export on purpose (an engine rule, a new format field), the
expected JSON can be refreshed from the migrated copy (`SQLITE_PATH=copy manage.py
migrate`, then `export_cases`) once the diff shows only that change: the tables are the
old ones, so the inputs must stay exactly as they are.

SQLite only: the database file is the fixture. The test runs `manage.py` in a child
process against a copy, so it does not touch the test database and runs the same under
`DATABASE_URL=postgres://…` (it then still migrates the SQLite copy).
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "premigration"
CATALOGS = ("citizen-2018", "innovation-2020", "investment-2021")
# The tables of the models that moved (issue 9) keep their names.
MOVED_TABLES = (
    "committees_proposalversion",
    "committees_workflowevent",
    "committees_committeeapproval",
    "committees_reviewcomment",
    "committees_lastseen",
    "committees_notification",
    "committees_proposalsummary",
    "committees_committeeshare",
    "committees_distribution",
    "committees_distributionrow",
    "committees_distributionrowamount",
    "followup_successcriterion",
)


def manage(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(db)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def unpack(target: Path) -> Path:
    with gzip.open(FIXTURE / "db.sqlite3.gz") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A copy of the old database after `migrate` with today's code; beside it the
    exports of every catalogue (`export_cases`) from the migrated database."""
    db = unpack(tmp_path_factory.mktemp("premigration") / "db.sqlite3")
    manage(db, "migrate", "--noinput")
    exports = "".join(
        f"call_command('export_cases', catalog='{key}', output=Path(r'{db.with_name(key)}.json'));"
        for key in CATALOGS
    )
    manage(
        db, "shell", "-v", "0", "-c",
        "from pathlib import Path; from django.core.management import call_command;" + exports,
    )  # fmt: skip
    return db


@pytest.fixture(scope="module")
def before() -> dict:
    return json.loads((FIXTURE / "counts.json").read_text(encoding="utf-8"))


def test_the_old_database_has_what_must_survive(before):
    """The fixture is not empty where it matters (else the test below proves nothing)."""
    tables = before["tables"]
    for table in MOVED_TABLES:
        if table != "committees_distributionrowamount":  # weights only in the demo
            assert tables[table] > 0, table
    assert tables["committees_proposalversion"] > tables["cases_proposal"]


def test_migrate_applies_the_layering_migrations(migrated):
    applied = set(rows(migrated, "SELECT app, name FROM django_migrations"))
    assert {
        ("committees", "0004_review_and_distributions_moved_out"),
        ("cases", "0005_distributions_and_success_criteria"),
        ("review", "0001_initial"),
        ("followup", "0003_success_criterion_moved_to_cases"),
    } <= applied
    # nothing left to migrate: the models and the migrations agree
    manage(migrated, "makemigrations", "--check", "--dry-run", "-v", "0")


@pytest.mark.parametrize("key", CATALOGS)
def test_every_catalogue_exports_exactly_as_before(migrated, key):
    out = migrated.with_name(f"{key}.json")
    assert out.read_text(encoding="utf-8") == (FIXTURE / f"{key}.json").read_text(
        encoding="utf-8"
    )


# Tables that later apps (ops, axes, …) add rows to when migrating: the old rows must
# stay, new ones may come.
GROWING = {"django_migrations", "django_content_type", "auth_permission"}


def test_every_row_is_still_there(migrated, before):
    for table, count in before["tables"].items():
        [(after,)] = rows(migrated, f'SELECT COUNT(*) FROM "{table}"')
        if table in GROWING:
            assert after >= count, table
        else:
            assert after == count, table


def test_history_versions_and_log_are_unchanged(migrated):
    """Row by row, not only counted: the old database's records, read after migrating
    (the old columns; a later migration may add columns, e.g. the summary's present
    value)."""
    old = unpack(migrated.with_name("old.sqlite3"))  # the fixture, not migrated
    for table in MOVED_TABLES:
        columns = [name for _cid, name, *_rest in rows(old, f'PRAGMA table_info("{table}")')]
        names = ", ".join(f'"{name}"' for name in columns)
        query = f'SELECT {names} FROM "{table}" ORDER BY 1'
        assert rows(migrated, query) == rows(old, query), table


def test_existing_summaries_get_their_search_text(migrated):
    """Issue 11, finding 22: the folded search text is filled for the summaries that
    exist (review 0005), from the proposal's number, title and texts."""
    found = rows(
        migrated,
        'SELECT p.number, s.search_text FROM "committees_proposalsummary" s '
        'JOIN "cases_proposal" p ON p.id = s.proposal_id',
    )
    assert found and all(text.startswith(number.casefold() + "\n") for number, text in found)
    assert all(text == text.casefold() for _number, text in found)


MOVED_TO = {
    **dict.fromkeys(
        ("proposalversion", "workflowevent", "committeeapproval", "reviewcomment",
         "lastseen", "notification", "proposalsummary", "committeeshare"),
        "review",
    ),
    **dict.fromkeys(
        ("distribution", "distributionrow", "distributionrowamount", "successcriterion"), "cases"
    ),
}  # fmt: skip


def test_the_moved_models_keep_their_content_types_and_permissions(migrated):
    """The same content type rows, relabelled (no new ones for the moved models), so every
    permission (and admin log entry) still points at its model."""
    old = unpack(migrated.with_name("old-ct.sqlite3"))
    query = "SELECT id, app_label, model FROM django_content_type"
    after = {pk: (app, model) for pk, app, model in rows(migrated, query)}
    for pk, app, model in rows(old, query):
        assert after[pk] == (MOVED_TO.get(model, app), model)
    assert sorted(model for app, model in after.values() if model in MOVED_TO) == sorted(MOVED_TO)
    query = "SELECT id, content_type_id, codename FROM auth_permission ORDER BY id"
    assert set(rows(old, query)) <= set(rows(migrated, query))
    assert rows(
        migrated,
        "SELECT COUNT(*) FROM auth_permission p JOIN django_content_type c"
        " ON c.id = p.content_type_id WHERE c.app_label = 'review'",
    ) == [(4 * 11,)]  # the 8 moved models, SavedView and PendingDecision (issue 12),
    # ChangeAfterDecision (issue 11, finding 3)


def test_the_migrated_database_works_with_the_new_code(migrated):
    """A read through the ORM of each moved model (the review's history and log, the
    distributions, the criteria) with the new code."""
    script = (
                "from cases.models import Distribution, SuccessCriterion, Proposal;"
        "p = Proposal.objects.get(catalog__key='innovation-2020', number='BC09');"
        "print(p.history.count(), p.workflow_events.count(),"
        " p.figures.proposal_version == p.version, Distribution.objects.count(),"
        " SuccessCriterion.objects.count(), p.frozen_plan.version)"
    )
    out = manage(migrated, "shell", "-v", "0", "-c", script).stdout.split()
    assert out[2] == "True"
    assert int(out[0]) >= 1 and int(out[1]) >= 5
    assert out[3:5] == ["2", "51"]
