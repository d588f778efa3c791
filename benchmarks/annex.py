"""Benchmark of the printed annex and the Excel export.

Run: .venv/bin/python benchmarks/annex.py [--proposals 100] [--xlsx-proposals 1000]
     [--workers 2] [--skip-chromium]

Builds a throw-away SQLite database and MEDIA_ROOT in a temporary directory, imports a
catalogue of N proposals scaled from the reference catalogues (fixtures/catalogs, cycled
and renumbered), then measures, each phase in its own process so that peak memory is
that phase's own:

1. a cold render of the annex (no cached parts; `--workers` processes),
2. the render again after changing one proposal (one part re-rendered),
3. the xlsx export of a catalogue of `--xlsx-proposals` proposals,
4. headless Chromium's print-to-PDF of the same HTML (all parts in one document).

Targets (issue 5): cold <= 60 s, after one change <= 5 s, peak memory <= 400 MB,
xlsx of 1,000 proposals <= 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "1"
    import django

    django.setup()


def peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return {
        "main_mb": round(own.ru_maxrss / 1024, 1),
        "worker_mb": round(children.ru_maxrss / 1024, 1),
        "cpu_s_total": round(cpu, 1),  # the machine may be shared: CPU time is steadier
    }


def scaled_document(key: str, count: int) -> dict:
    from cases.interchange import decode

    proposals = []
    for path in sorted((ROOT / "fixtures" / "catalogs").glob("*.json")):
        proposals += decode(path.read_bytes())["proposals"]
    out = []
    for i in range(count):
        p = dict(proposals[i % len(proposals)])
        p["number"] = f"BC{i + 1:04d}"
        p["title"] = f"{p['title']} ({i + 1})"
        p.pop("stated", None)  # printed figures of the source do not apply to copies
        out.append(p)
    return {
        "format": "budget-cases/1",
        "catalog": {
            "key": key,
            "title": "Forslag til investeringspuljen (benchmark)",
            "annex": "Bilag 2",
            "pool": "investment",
            "budget_year": 2021,
        },
        "proposals": out,
    }


def phase_setup(args) -> dict:
    from django.core.management import call_command

    from cases.services import import_document

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    import_document(scaled_document("bench-annex", args.proposals))
    import_document(scaled_document("bench-xlsx", args.xlsx_proposals))
    return {"import_seconds": round(time.perf_counter() - started, 1)}


def phase_render(args) -> dict:
    from annex.pdf import render_catalog_annex
    from cases.models import Catalog

    catalog = Catalog.objects.get(key="bench-annex")
    started = time.perf_counter()
    stats = render_catalog_annex(catalog, args.workdir / f"{args.phase}.pdf", workers=args.workers)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "pages": stats.pages,
        "rendered": stats.rendered,
        "cached": stats.cached,
        **peak_mb(),
    }


def phase_change(args) -> dict:
    from cases.models import Proposal

    proposal = Proposal.objects.filter(catalog__key="bench-annex").order_by("number")[17]
    proposal.summary = proposal.summary + " Ændret til benchmark."
    proposal.save()
    return {"changed": proposal.number}


def phase_xlsx(args) -> dict:
    from annex.xlsx_export import export_catalog_xlsx
    from cases.models import Catalog

    catalog = Catalog.objects.get(key="bench-xlsx")
    path = args.workdir / "bench.xlsx"
    started = time.perf_counter()
    count = export_catalog_xlsx(catalog, path)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "proposals": count,
        "megabytes": round(path.stat().st_size / 1e6, 1),
        **peak_mb(),
    }


def phase_chromium(args) -> dict:
    """The same print HTML (every part, one document) through headless Chromium."""
    import re

    from pypdf import PdfReader

    from annex.pdf import Reference, figures_of, part_html, select_proposals
    from annex.weasy import STYLESHEET
    from cases.models import Catalog

    catalog = Catalog.objects.get(key="bench-annex")
    reference = Reference.load()
    bodies = []
    for proposal, figures in figures_of(select_proposals(catalog)):
        html = part_html(proposal, figures, reference)
        body = re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1)
        bodies.append(f'<div class="part">{body}</div>')
    page = (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{STYLESHEET.as_uri()}">'
        "<style>.part{break-before:page}</style></head><body>" + "".join(bodies) + "</body></html>"
    )
    html_path = args.workdir / "chromium.html"
    html_path.write_text(page, encoding="utf-8")
    out = args.workdir / "chromium.pdf"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    started = time.perf_counter()
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={args.workdir / 'chromium-profile'}",
            f"--print-to-pdf={out}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "pages": len(PdfReader(str(out)).pages),
        "largest_process_mb": peak_mb()["worker_mb"],
    }


PHASES = {
    "setup": phase_setup,
    "cold": phase_render,
    "change": phase_change,
    "after-change": phase_render,
    "xlsx": phase_xlsx,
    "chromium": phase_chromium,
}


def run_phase(args, name: str) -> dict:
    command = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--workdir",
        str(args.workdir),
        "--proposals",
        str(args.proposals),
        "--xlsx-proposals",
        str(args.xlsx_proposals),
        "--workers",
        str(args.workers),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100)
    parser.add_argument("--xlsx-proposals", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-chromium", action="store_true")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        setup_django(args.workdir)
        print(json.dumps(PHASES[args.phase](args)))
        return
    with tempfile.TemporaryDirectory(prefix="bilag-bench-") as tmp:
        args.workdir = Path(tmp)
        results = {}
        names = ["setup", "cold", "change", "after-change", "xlsx"]
        if not args.skip_chromium:
            names.append("chromium")
        for name in names:
            results[name] = run_phase(args, name)
            print(f"{name:13} {results[name]}", flush=True)
        cold, after, xlsx = results["cold"], results["after-change"], results["xlsx"]
        print()
        print(f"annex of {args.proposals} proposals, {args.workers} workers")
        print(
            f"  cold render      {cold['seconds']:6.1f} s  {cold['pages']} pages  "
            f"peak main {cold['main_mb']} MB, largest worker {cold['worker_mb']} MB "
            f"(target <= 60 s, <= 400 MB)"
        )
        print(
            f"  after one change {after['seconds']:6.1f} s  {after['pages']} pages  "
            f"rendered {after['rendered']}, cached {after['cached']}  "
            f"peak main {after['main_mb']} MB (target <= 5 s)"
        )
        print(
            f"xlsx of {xlsx['proposals']} proposals {xlsx['seconds']:6.1f} s  "
            f"{xlsx['megabytes']} MB  peak {xlsx['main_mb']} MB (target <= 5 s)"
        )
        if "chromium" in results:
            ch = results["chromium"]
            print(
                f"chromium print-to-pdf {ch['seconds']:6.1f} s  {ch['pages']} pages  "
                f"largest process {ch['largest_process_mb']} MB (same HTML, one document)"
            )


if __name__ == "__main__":
    main()
