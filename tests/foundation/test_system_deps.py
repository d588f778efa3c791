"""scripts/system-deps.sh (the Debian packages `make test`, `make run` and CI need) and the
check that stops a test run whose programs are missing. The script's detection runs
against fake `dpkg-query`, `apt-get`, `id` and `sudo` on PATH that record their calls."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import system_tools

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-deps.sh"


def package_set(name: str, *args: str) -> list[str]:
    out = subprocess.run(
        ["bash", str(SCRIPT), "--list", name, *args], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


@pytest.fixture
def fake_system(tmp_path):
    """A bin directory with fake dpkg-query (reads installed packages from a file),
    apt-get (records its arguments and 'installs'), id (uid from a file) and sudo."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    state = tmp_path / "state"
    state.mkdir()
    (state / "installed").write_text("")
    (state / "uid").write_text("0\n")
    scripts = {
        "dpkg-query": f"""
            pkg="${{@: -1}}"
            if grep -qx "$pkg" {state}/installed; then printf 'install ok installed'; exit 0; fi
            echo "dpkg-query: no packages found matching $pkg" >&2; exit 1
        """,
        "apt-get": f"""
            echo "apt-get $*" >> {state}/calls
            if [ "$1" = install ]; then
                for a in "$@"; do
                    case "$a" in -*|install|DPkg*|Dpkg*) ;; *) echo "$a" >> {state}/installed;; esac
                done
            fi
        """,
        "id": f"""cat {state}/uid""",
        "sudo": f"""
            [ -e {state}/sudo_ok ] || exit 1
            [ "$1" = -n ] && shift
            echo "sudo $*" >> {state}/calls
            "$@"
        """,
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + textwrap.dedent(body))
        path.chmod(0o755)

    def run(*args, installed=(), uid=0, sudo_ok=False):
        (state / "installed").write_text("".join(f"{p}\n" for p in installed))
        (state / "uid").write_text(f"{uid}\n")
        (state / "calls").unlink(missing_ok=True)
        (state / "sudo_ok").unlink(missing_ok=True)
        if sudo_ok:
            (state / "sudo_ok").touch()
        env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "TMPDIR": str(tmp_path)}
        result = subprocess.run(
            ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env
        )
        calls = (state / "calls").read_text().splitlines() if (state / "calls").exists() else []
        return result, calls

    return run


def test_package_sets_nest_and_groups_can_be_left_out():
    run, test, ci = package_set("run"), package_set("test"), package_set("ci")
    assert set(run) < set(test) < set(ci)
    assert {"chromium", "libreoffice-calc-nogui"} <= set(test) - set(run)
    assert "poppler-utils" in run  # the app joins the annex's parts with pdfunite
    assert {"postgresql", "make", "gettext"} <= set(ci) - set(test)
    assert "chromium" not in package_set("test", "--without", "browser")
    assert set(test) - set(package_set("test", "--without", "office")) == {
        "libreoffice-calc-nogui"
    }


def test_nothing_is_installed_when_everything_is_present(fake_system):
    result, calls = fake_system("test", installed=package_set("test"), uid=1000)
    assert (result.returncode, result.stdout, result.stderr, calls) == (0, "", "", [])


def test_root_installs_exactly_the_missing_packages(fake_system):
    present = [p for p in package_set("test") if p not in ("chromium", "poppler-utils")]
    result, calls = fake_system("test", installed=present, uid=0)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq --no-install-recommends")
    assert calls[1].split()[-2:] == ["poppler-utils", "chromium"]
    assert len(calls) == 2
    # run again: now present, so apt-get is not called
    again, calls = fake_system("test", installed=package_set("test"), uid=0)
    assert (again.returncode, calls) == (0, [])


def test_a_user_without_root_gets_one_line_naming_packages_and_command(fake_system):
    present = [p for p in package_set("test") if p != "libreoffice-calc-nogui"]
    result, calls = fake_system("test", installed=[*present], uid=1000)
    assert result.returncode == 1
    assert calls == []
    assert result.stdout == ""
    assert result.stderr == (
        "error: missing Debian packages: libreoffice-calc-nogui; install them with: "
        "sudo apt-get install --no-install-recommends libreoffice-calc-nogui\n"
    )


def test_passwordless_sudo_installs(fake_system):
    present = [p for p in package_set("run") if p != "poppler-utils"]
    result, calls = fake_system("test", "--without", "office", installed=present, uid=1000,
                                sudo_ok=True)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "sudo true"  # the check that sudo needs no password
    assert calls[1] == "sudo apt-get update -qq"
    assert calls[2] == "apt-get update -qq"
    installed = calls[-1].split()
    assert calls[-2].startswith("sudo apt-get install")
    assert installed[:2] == ["apt-get", "install"]
    assert installed[-2:] == ["poppler-utils", "chromium"]


def test_a_failing_apt_get_stops_with_its_log(fake_system, tmp_path):
    apt = tmp_path / "bin" / "apt-get"
    apt.write_text("#!/bin/bash\necho 'E: Unable to locate package chromium' >&2; exit 100\n")
    result, _calls = fake_system("run", "--without", "browser", installed=[], uid=0)
    assert result.returncode == 1
    assert "E: Unable to locate package chromium" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: apt-get install fonts-dejavu-core")


# --- the check before a test run -----------------------------------------------------------


def test_missing_programs_give_one_line_with_package_command_and_deselection(monkeypatch):
    monkeypatch.setattr(system_tools, "present", lambda tool: tool == "pdftotext")
    line = system_tools.missing_line({"chromium": 12, "pdftotext": 3, "soffice": 1})
    assert line == (
        "missing Debian packages: chromium libreoffice-calc-nogui "
        "(chromium for 12 tests, libreoffice-calc-nogui for 1 tests); install them with: "
        "sudo apt-get install --no-install-recommends chromium libreoffice-calc-nogui "
        "(or: make system-deps); or leave them out: "
        "make test PYTEST_ARGS=\"-m 'not browser and not slow'\""
    )
    monkeypatch.setattr(system_tools, "present", lambda tool: True)
    assert system_tools.missing_line({"chromium": 12}) is None


def test_a_run_whose_program_is_missing_stops_before_the_first_test(tmp_path):
    """A real pytest run with an empty PATH: the selected test needs pdftotext, so the run
    stops with the line (exit 4, usage error) instead of skipping; deselecting it passes."""
    (tmp_path / "conftest.py").write_text(
        "from tests.system_tools import check_selected\n\n"
        "def pytest_collection_finish(session):\n    check_selected(session.items)\n"
    )
    (tmp_path / "test_needs.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.tools('pdftotext')\ndef test_reads_pdf():\n    assert True\n\n"
        "def test_plain():\n    assert True\n"
    )
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
               "no:django", "-o", "markers=tools", str(tmp_path)]
    stopped = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert stopped.returncode == 4
    assert "missing Debian packages: poppler-utils (poppler-utils for 1 tests)" in stopped.stderr
    assert "passed" not in stopped.stdout
    deselected = subprocess.run(
        [*command, "-k", "plain"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert deselected.returncode == 0, deselected.stdout + deselected.stderr
    assert "1 passed" in deselected.stdout


def test_a_test_that_forgot_its_marker_fails_with_the_install_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(system_tools, "present", lambda tool: False)
    with pytest.raises(pytest.fail.Exception, match="install them with: sudo apt-get install "
                       "--no-install-recommends poppler-utils"):
        system_tools.run_tool(["pdftotext", "-v"], capture_output=True)


def test_every_test_module_that_runs_a_program_declares_it():
    """A module naming pdftotext, pdftoppm or soffice (directly or through the annex
    helpers `pdftotext`/`save_pngs`) carries the `tools` marker for it, so that a missing
    program stops the run up front instead of failing test by test."""
    uses = {
        "pdftotext": ("pdftotext",),
        "pdftoppm": ("pdftoppm", "save_pngs"),
        "soffice": ("soffice",),
    }
    undeclared = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path.name == "test_system_deps.py":
            continue
        source = path.read_text()
        markers = " ".join(
            line for line in source.splitlines() if "mark.tools(" in line
        )
        for program, names in uses.items():
            if any(name in source for name in names) and f'"{program}"' not in markers:
                undeclared.append(f"{path.relative_to(ROOT)}: {program}")
    assert undeclared == []
