"""Backups (docs/deploy.md): scripts/backup.sh then scripts/restore.sh into an empty
database and media store gives back every catalogue exactly: the budget-cases/1 export of
each is byte for byte the one before, and the media files are the same.

Runs the documented scripts as an operator would, against this run's database engine:
PostgreSQL (pg_dump/pg_restore of the test database into a new, empty one) or SQLite
(the online backup API, on a database file made for the test)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import REFERENCE_FILES

from . import processes as p

ROOT = Path(__file__).resolve().parents[2]
EXPORT_ALL = """
import sys, django
from pathlib import Path
django.setup()
from django.core.management import call_command
from cases.models import Catalog
keys = list(Catalog.objects.order_by("key").values_list("key", flat=True))
assert keys, "no catalogues"
for key in keys:
    call_command("export_cases", catalog=key, output=Path(sys.argv[1], f"{key}.json"))
"""


def run(args, env, **kwargs):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def export_all(env, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    run([sys.executable, "-c", EXPORT_ALL, str(folder)], env)
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def media_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def put_media(media: Path):
    """What the media store holds: a rendered annex and a cached part."""
    (media / "annex" / "jobs").mkdir(parents=True)
    (media / "annex" / "jobs" / "citizen-2018-1.pdf").write_bytes(b"%PDF-1.7 annex\n" * 100)
    (media / "annex" / "parts" / "7").mkdir(parents=True)
    (media / "annex" / "parts" / "7" / "v1-abc-p2.pdf").write_bytes(b"%PDF-1.7 part\n")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite procedure (SQLite run)")
def test_sqlite_backup_and_restore_give_every_catalogue_back(tmp_path):
    env = p.environment(tmp_path / "media", tmp_path / "static", DATABASE_URL="",
                        SQLITE_PATH=str(tmp_path / "bilag.sqlite3"), PYTHON=sys.executable)
    run([sys.executable, "manage.py", "migrate", "-v", "0"], env)
    run([sys.executable, "manage.py", "import_cases", *map(str, REFERENCE_FILES)], env)
    put_media(tmp_path / "media")
    before = export_all(env, tmp_path / "before")
    run(["bash", "scripts/backup.sh", str(tmp_path / "backup")], env)

    restored = {**env, "SQLITE_PATH": str(tmp_path / "restored.sqlite3"),
                "MEDIA_ROOT": str(tmp_path / "restored-media")}
    run(["bash", "scripts/restore.sh", str(tmp_path / "backup")], restored)
    after = export_all(restored, tmp_path / "after")
    assert sorted(before) == [
        "citizen-2018.json",
        "innovation-2020.json",
        "investment-2021-borgerservice.json",
        "investment-2021.json",
    ]
    assert after == before
    assert media_files(tmp_path / "restored-media") == media_files(tmp_path / "media")
    # restoring over an existing database is refused
    again = subprocess.run(["bash", "scripts/restore.sh", str(tmp_path / "backup")],
                           cwd=ROOT, env=restored, capture_output=True, text=True)
    assert again.returncode == 1 and "exists; restore into a new file" in again.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump (PostgreSQL run)")
def test_postgresql_dump_and_restore_give_every_catalogue_back(tmp_path):
    from cases.services import import_json

    for path in REFERENCE_FILES:
        import_json(path.read_bytes())
    put_media(tmp_path / "media")
    env = p.environment(tmp_path / "media", tmp_path / "static", PYTHON=sys.executable)
    before = export_all(env, tmp_path / "before")
    run(["bash", "scripts/backup.sh", str(tmp_path / "backup")], env)

    target = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f"CREATE DATABASE \"{target}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        restored = {**env, "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + target,
                    "MEDIA_ROOT": str(tmp_path / "restored-media")}
        run(["bash", "scripts/restore.sh", str(tmp_path / "backup")], restored)
        after = export_all(restored, tmp_path / "after")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    assert sorted(before) == [
        "citizen-2018.json",
        "innovation-2020.json",
        "investment-2021-borgerservice.json",
        "investment-2021.json",
    ]
    assert after == before
    assert media_files(tmp_path / "restored-media") == media_files(tmp_path / "media")
    assert os.path.getsize(tmp_path / "backup" / "bilag.dump") > 0
