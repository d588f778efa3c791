"""Every performance figure of issue 13's table in one run, each next to its peer.

Run: .venv/bin/python benchmarks/all.py [--quick] [--only engine,serve,case-list,annex]
         [--databases sqlite,postgres] [--log DIR]

Runs the benchmark scripts beside this one, one after the other (never two at once: on
a two-core machine they would measure each other), each in its own process, with the
sizes the issue names:

  engine     benchmarks/engine.py     10,000 proposals: every figure read, the summary,
                                      compute() alone, appraisal, p/l conversion, each
                                      next to the minimal Decimal reference
  serve      benchmarks/serve.py      gunicorn (2 sync workers, DEBUG=0) + wrk at 1k/5k/20k
                                      proposals on SQLite and PostgreSQL: proposal page,
                                      case list, case page, catalogue overview, editor,
                                      next to the trivial view and the admin pages;
                                      concurrent first views (5xx)
  case-list  benchmarks/case_list.py  the list in-process against the admin changelist
  annex      benchmarks/annex.py      annex cold (100 proposals) next to Chromium's print
                                      of the same HTML, after one change, memory of a
                                      1,000-proposal annex, Excel of 1,000 and 5,000
                                      proposals, import of 5,400 proposals

Each script prints its figures with the peer and the goal; this driver streams that
output under a heading per script, keeps a copy per script in --log (default: a
temporary folder, named at the end) and ends with the wall time of each script and
whether it finished. `--quick` uses small sizes (a smoke run of the whole chain, not
the issue's figures). The scripts need what the project's CI installs, plus `wrk`
(Debian package) for `serve`; a missing program is reported and the run goes on.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# (name, script, arguments at the sizes, arguments of a quick smoke run)
SCRIPTS = [
    ("engine", "engine.py", ["--proposals", "10000", "--runs", "5"], ["--proposals", "500"]),
    (
        "serve",
        "serve.py",
        ["--sizes", "1000,5000,20000", "--full-size", "5000", "--runs", "3"],
        ["--sizes", "300", "--full-size", "300", "--runs", "1", "--duration", "3"],
    ),
    ("case-list", "case_list.py", ["--proposals", "5000"], ["--proposals", "300", "--runs", "3"]),
    (
        "annex",
        "annex.py",
        [
            "--proposals", "100", "--xlsx-proposals", "1000,5000", "--import-proposals", "5400",
            "--memory-proposals", "1000", "--memory-cold",
        ],
        [
            "--proposals", "10", "--xlsx-proposals", "100,200", "--import-proposals", "100",
            "--memory-proposals", "50",
        ],
    ),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", default="", help="comma-separated script names")
    parser.add_argument("--databases", default="sqlite,postgres", help="for serve")
    parser.add_argument("--log", type=Path, help="folder for each script's output")
    args = parser.parse_args()
    names = {n for n in args.only.split(",") if n}
    unknown = names - {name for name, *_rest in SCRIPTS}
    if unknown:
        parser.error(f"unknown script(s): {', '.join(sorted(unknown))}")
    log = args.log or Path(tempfile.mkdtemp(prefix="bilag-bench-all-"))
    log.mkdir(parents=True, exist_ok=True)
    done = []
    for name, script, full, quick in SCRIPTS:
        if names and name not in names:
            continue
        command = [sys.executable, str(BENCH / script), *(quick if args.quick else full)]
        if name == "serve":
            if not shutil.which("wrk"):
                print(f"\n== {name}: skipped, `wrk` is not installed (apt-get install wrk)")
                done.append((name, 0.0, "skipped: no wrk"))
                continue
            command += ["--databases", args.databases, "--json", str(log / "serve.json")]
        print(f"\n== {name}: {' '.join(command[1:])}", flush=True)
        start = time.monotonic()
        with (log / f"{name}.txt").open("w") as copy:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            for line in process.stdout:
                sys.stdout.write(line)
                copy.write(line)
            code = process.wait()
        done.append((name, time.monotonic() - start, "ok" if code == 0 else f"exit {code}"))
    print("\n== all scripts")
    for name, seconds, outcome in done:
        print(f"{name:10} {seconds:8.0f} s  {outcome}")
    print(f"output of each script: {log}")
    finished = all(o == "ok" or o.startswith("skipped") for _n, _s, o in done)
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
