"""The apps import one way (issue 9): `.ci/check_layers.py` finds no upward import, no
import of another app inside a function and no cycle; and it does find each of them."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("check_layers", ROOT / ".ci" / "check_layers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_layers = _checker()


def test_the_project_keeps_its_layers():
    assert check_layers.check(ROOT) == []


def test_every_app_has_a_place_in_the_order():
    assert set(check_layers.apps_in(ROOT)) == set(check_layers.LAYERS)


def _tree(tmp_path, files: dict[str, str]) -> Path:
    for app in check_layers.LAYERS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_clean_tree_passes(tmp_path):
    root = _tree(tmp_path, {"review/views.py": "from cases.models import Proposal\n"})
    assert check_layers.check(root) == []


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {"cases/services.py": "from review.history import record_versions\n"},
            ["cases/services.py:1: cases imports review, a layer above it"],
        ),
        (
            {"review/workflow.py": "def decide():\n    from followup import services\n"},
            [
                "review/workflow.py:2: imports followup inside a function or class",
                "review/workflow.py:2: review imports followup, a layer above it",
                "cycle: followup -> review -> followup",
            ],
        ),
        (
            {"annex/pdf.py": "def f():\n    import cases.models\n"},
            ["annex/pdf.py:2: imports cases inside a function or class"],
        ),
        (
            {
                "committees/models.py": "import annex.pdf\n",
                "annex/pdf.py": "from committees.models import Committee\n",
            },
            [
                "committees/models.py:1: committees imports annex, a layer above it",
                "cycle: annex -> committees -> annex",
            ],
        ),
    ],
)
def test_the_checker_finds_upward_late_and_circular_imports(tmp_path, files, expected):
    files.setdefault("followup/services.py", "from review.models import AppendOnly\n")
    assert check_layers.check(_tree(tmp_path, files)) == expected


def test_an_app_outside_the_order_is_reported(tmp_path):
    root = _tree(tmp_path, {})
    (root / "reports").mkdir()
    (root / "reports" / "views.py").write_text("from cases.models import Proposal\n")
    assert check_layers.check(root) == [
        f"reports/: an app that is not in LAYERS {check_layers.LAYERS}"
    ]
