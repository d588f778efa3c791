"""Fixtures for the printed annex: a temporary MEDIA_ROOT, and the reference catalogues
rendered once per module (inside a transaction that is rolled back afterwards)."""

import shutil
from pathlib import Path

import pytest
from django.db import transaction

from tests.conftest import REFERENCE_FILES
from tests.system_tools import run_tool

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "annex"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdftotext(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return run_tool([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def save_pngs(pdf: Path, name: str, pages: int = 5, first: int = 1) -> list[Path]:
    """PNG renderings of ``pages`` pages from page ``first``, for a person to look at
    (test-artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / name
    last = first + pages - 1
    run_tool(
        ["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last), str(pdf), str(prefix)],
        check=True,
    )
    shutil.copy(pdf, ARTIFACTS / f"{name}.pdf")
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.fixture(scope="module")
def rolled_back_db(django_db_setup, django_db_blocker):
    """A database session for module-scoped work whose writes are rolled back."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_reference_data()
            yield
            transaction.set_rollback(True)


def ensure_reference_data():
    """The committees and administrations come from a data migration; a transactional
    test that ran earlier (browser tests) leaves the database flushed, so module-scoped
    work puts them back itself (inside its rolled-back transaction)."""
    import importlib

    from django.apps import apps

    from committees.models import Committee

    if not Committee.objects.exists():
        migration = importlib.import_module("committees.migrations.0002_reference_data")
        migration.create_reference_data(apps, None)


def import_reference():
    from cases.services import import_json

    return [import_json(path.read_bytes()).catalog for path in REFERENCE_FILES]
