"""No test is skipped for a missing program: before the first test runs, the programs the
selected tests need are looked up, and a missing one stops the run with one line naming
the Debian package and the command that installs it (the same line as
scripts/system-deps.sh).

A test declares what it runs with the `tools` marker (`@pytest.mark.tools("pdftotext")`);
the `browser` marker means Debian's Chromium. Deselecting the tests (`-m 'not browser'`)
removes the need."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# program -> Debian package (keep in step with scripts/system-deps.sh)
PACKAGES = {
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "soffice": "libreoffice-calc-nogui",
}
# marker that leaves the tests out, by package
DESELECT = {
    "chromium": "not browser",
    "libreoffice-calc-nogui": "not slow",
}


def tools_of(item: pytest.Item) -> set[str]:
    """The programs a collected test needs (from its `tools` and `browser` markers)."""
    needed = {name for mark in item.iter_markers("tools") for name in mark.args}
    if item.get_closest_marker("browser"):
        needed.add("chromium")
    return needed


def present(tool: str) -> bool:
    if tool == "chromium":
        return Path(CHROMIUM).exists()
    return shutil.which(tool) is not None


def missing_line(needs: dict[str, int]) -> str | None:
    """One line naming the missing packages and the install command, or None.

    `needs` maps each program to the number of selected tests that run it."""
    missing: dict[str, int] = {}
    for tool, count in sorted(needs.items()):
        if not present(tool):
            package = PACKAGES.get(tool, tool)
            missing[package] = missing.get(package, 0) + count
    if not missing:
        return None
    names = " ".join(missing)
    counts = ", ".join(f"{package} for {count} tests" for package, count in missing.items())
    deselect = " and ".join(sorted({DESELECT[p] for p in missing if p in DESELECT}))
    hint = f"; or leave them out: make test PYTEST_ARGS=\"-m '{deselect}'\"" if deselect else ""
    return (
        f"missing Debian packages: {names} ({counts}); install them with: "
        f"sudo apt-get install --no-install-recommends {names} (or: make system-deps){hint}"
    )


def check_selected(items: list[pytest.Item]) -> None:
    needs: dict[str, int] = {}
    for item in items:
        for tool in tools_of(item):
            needs[tool] = needs.get(tool, 0) + 1
    line = missing_line(needs)
    if line:
        raise pytest.UsageError(line)


def run_tool(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run for a test's program; a missing program fails the test with the
    install line (for a test that forgot its `tools` marker)."""
    try:
        return subprocess.run(args, **kwargs)
    except FileNotFoundError:
        pytest.fail(missing_line({args[0]: 1}) or f"{args[0]} not found")
