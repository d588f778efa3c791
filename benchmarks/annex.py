"""Benchmark of the printed annex and the Excel export.

Run: .venv/bin/python benchmarks/annex.py [--proposals 100] [--xlsx-proposals 1000[,5000]]
     [--workers 2] [--skip-chromium]

Builds a throw-away SQLite database and MEDIA_ROOT in a temporary directory, imports a
catalogue of N proposals scaled from the reference catalogues (fixtures/catalogs, cycled
and renumbered), then measures, each phase in its own process so that peak memory is
that phase's own:

1. a cold render of the annex (no cached parts; `--workers` processes),
2. the render again after changing one proposal (one part re-rendered),
3. the xlsx export of a catalogue of `--xlsx-proposals` proposals (one size or several,
   comma separated: each its own catalogue and its own process),
4. headless Chromium's print-to-PDF of the same HTML (all parts in one document),
5. the annex of a catalogue of `--memory-proposals` proposals (1,000) whose parts are all
   in the cache (each a copy of a part rendered in phase 1): what the main process holds
   at that size (streamed inputs and figures, front matter, the join of the parts), next
   to the same with phase 1's N proposals, all cached.

Targets (issue 5): cold <= 60 s, after one change <= 5 s, peak memory <= 400 MB,
xlsx of 1,000 proposals <= 5 s. Issue 13: cold CPU <= 2 x Chromium's CPU for the same
HTML; peak memory <= 400 MB at 1,000 proposals.

With `--memory-cold` phase 5 first renders the 1,000-proposal annex cold (no part cached;
~15 minutes of CPU) and measures it: the peak the goal speaks of. Without it, that peak is
given as the larger of phase 5 (measured at 1,000, all cached) and phase 1's peak plus the
main process's growth per proposal (phase 5 at 1,000 against the same at N), labelled as
scaled.
"""

from __future__ import annotations

import argparse
import contextlib
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
    # as served (DEBUG off): with DEBUG on, Django keeps the SQL of the last 9,000 queries
    # in connection.queries_log — tens of MB of bulk INSERTs in an import — which no
    # production process holds (measured: 51 MB of the import's 93 MB traced at 500)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    import django

    django.setup()


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (shared pages divided among their users)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler:
    """Samples this process and all its descendants (the pool's workers are children of
    the forkserver, which resource.RUSAGE_CHILDREN does not see while it lives): the
    peak of their summed resident memory, their CPU time and the most files they held open
    at once (issue 13: the Excel export must hold a constant number)."""

    def __init__(self, interval: float = 0.1):
        import threading

        self.interval = interval
        self.peak_total_kb = 0
        self.peak_pss_kb = 0
        self.peak_single_kb = 0
        self.peak_open_files = 0
        self.samples = 0
        self.own_cpu = 0.0
        self.cpu_ticks: dict[int, int] = {}
        # CPU the processes had spent before the measurement (imports, Django setup)
        self.cpu_before: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._sample()
        self.cpu_before = dict(self.cpu_ticks)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        """This process and its descendants: from the kernel's list of each task's
        children where it has one (cheap), else by reading every process's parent (a
        scan of /proc that costs tens of milliseconds a sample on a busy machine, and
        would take the GIL from the work being measured)."""
        me = os.getpid()
        if Path(f"/proc/{me}/task/{me}/children").exists():
            tree, todo = [], [me]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                for children in Path(f"/proc/{pid}/task").glob("*/children"):
                    try:
                        todo += [int(c) for c in children.read_text().split()]
                    except OSError:
                        continue
            return tree
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = [me]
        for pid in parents:
            p = pid
            while p in parents and p not in (0, 1, me):
                p = parents[p]
            if p == me and pid != me:
                tree.append(pid)
        return tree

    def _sample(self) -> None:
        total = pss = open_files = 0
        # PSS is dearer to read (the kernel walks the page tables): every 10th sample
        with_pss = self.samples % 10 == 0
        self.samples += 1
        for pid in self._tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            rss = next(
                (int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0
            )
            total += rss
            if with_pss:
                pss += _pss_kb(pid)
            self.peak_single_kb = max(self.peak_single_kb, rss)
            with contextlib.suppress(OSError):
                open_files += len(os.listdir(f"/proc/{pid}/fd"))
            self.cpu_ticks[pid] = int(stat[11]) + int(stat[12])
        self.peak_total_kb = max(self.peak_total_kb, total)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.peak_open_files = max(self.peak_open_files, open_files)

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)
        self._sample()
        # the sampler's own CPU (reading /proc) is not the work measured
        self.own_cpu = time.thread_time() - started

    def report(self) -> dict[str, float]:
        ticks = os.sysconf("SC_CLK_TCK")
        me = os.getpid()
        return {
            "peak_tree_mb": round(self.peak_total_kb / 1024, 1),
            # the same with pages the processes share (the workers are forked from one
            # server) counted once, split between them
            "peak_tree_pss_mb": round(self.peak_pss_kb / 1024, 1),
            "peak_process_mb": round(self.peak_single_kb / 1024, 1),
            "open_files": self.peak_open_files,
            # CPU of the measured phase only, summed over the process tree
            "cpu_s": round(
                sum(t - self.cpu_before.get(pid, 0) for pid, t in self.cpu_ticks.items()) / ticks
                - self.own_cpu,
                1,
            ),
            # of it, the measuring process's own (in a render: the HTML from the templates,
            # the front matter, joining and stamping); the rest is its children's (the
            # part renderers, Chromium's processes)
            "main_cpu_s": round(
                (self.cpu_ticks.get(me, 0) - self.cpu_before.get(me, 0)) / ticks - self.own_cpu,
                1,
            ),
        }


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
    for size in xlsx_sizes(args):
        import_document(scaled_document(f"bench-xlsx-{size}", size))
    if args.memory_proposals:
        import_document(scaled_document("bench-memory", args.memory_proposals))
    seconds = round(time.perf_counter() - started, 1)
    if args.import_proposals:
        # the document the import phase reads; the fixtures' amounts have at most two
        # decimals, which float's shortest repr writes exactly
        document = scaled_document("bench-import", args.import_proposals)
        text = json.dumps(document, ensure_ascii=False, default=float)
        (args.workdir / "import.json").write_text(text, encoding="utf-8")
    return {"import_seconds": seconds}


def phase_import(args) -> dict:
    """A catalogue file of --import-proposals proposals through the importer (as
    `manage.py import_cases` reads it)."""
    from cases.services import import_file

    path = args.workdir / "import.json"
    started = time.perf_counter()
    with TreeSampler() as sampler, path.open("rb") as file:
        result = import_file(file)
    return {
        **sampler.report(),
        "seconds": round(time.perf_counter() - started, 1),
        "proposals": len(result.created) + len(result.updated),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        **peak_mb(),
    }


def phase_seed_cache(args) -> dict:
    """The cache of the memory catalogue: proposal i gets a copy of the part of proposal
    i mod N of the benchmark catalogue (rendered cold in phase 1), under its own key."""
    from annex.pdf import cached_part, part_name, part_storage, select_proposals
    from cases.models import Catalog

    storage = part_storage()
    rendered = [
        cached_part(p) for p in select_proposals(Catalog.objects.get(key="bench-annex"))
    ]
    rendered = [found for found in rendered if found is not None]
    copied = 0
    for i, proposal in enumerate(select_proposals(Catalog.objects.get(key="bench-memory"))):
        source, pages = rendered[i % len(rendered)]
        with storage.open(source, "rb") as file:
            storage.save(part_name(proposal, pages), file)
        copied += 1
    return {"copied": copied}


def phase_render(args) -> dict:
    from annex.pdf import render_catalog_annex
    from cases.models import Catalog

    key = "bench-memory" if args.phase in ("memory", "memory-cold") else "bench-annex"
    catalog = Catalog.objects.get(key=key)
    started = time.perf_counter()
    with TreeSampler() as sampler:
        stats = render_catalog_annex(
            catalog, args.workdir / f"{args.phase}.pdf", workers=args.workers
        )
    return {
        **sampler.report(),
        "seconds": round(time.perf_counter() - started, 2),
        "pages": stats.pages,
        "rendered": stats.rendered,
        "cached": stats.cached,
        **peak_mb(),
    }


def phase_change(args) -> dict:
    from cases.models import Proposal

    proposals = Proposal.objects.filter(catalog__key="bench-annex").order_by("number")
    proposal = proposals[17 % args.proposals]
    proposal.summary = proposal.summary + " Ændret til benchmark."
    proposal.save()
    return {"changed": proposal.number}


def phase_xlsx(args) -> dict:
    from annex.xlsx_export import export_catalog_xlsx
    from cases.models import Catalog

    catalog = Catalog.objects.get(key=f"bench-xlsx-{args.xlsx_size}")
    path = args.workdir / "bench.xlsx"
    started = time.perf_counter()
    with TreeSampler() as sampler:
        count = export_catalog_xlsx(catalog, path)
    return {
        **sampler.report(),
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
    sampler = TreeSampler()
    sampler.__enter__()
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
    sampler.__exit__(None, None, None)
    return {
        **sampler.report(),
        "seconds": round(seconds, 2),
        "pages": len(PdfReader(str(out)).pages),
    }


PHASES = {
    "setup": phase_setup,
    "cold": phase_render,
    "change": phase_change,
    "after-change": phase_render,
    "xlsx": phase_xlsx,
    "import": phase_import,
    "chromium": phase_chromium,
    "cached": phase_render,
    "seed-cache": phase_seed_cache,
    "memory": phase_render,
    "memory-cold": phase_render,
}


def xlsx_sizes(args) -> list[int]:
    """The sizes of --xlsx-proposals ("1000" or "1000,5000")."""
    return [int(size) for size in str(args.xlsx_proposals).split(",") if size.strip()]


def run_phase(args, name: str, xlsx_size: int = 0) -> dict:
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
        "--import-proposals",
        str(args.import_proposals),
        "--memory-proposals",
        str(args.memory_proposals),
        "--xlsx-size",
        str(xlsx_size),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100)
    parser.add_argument("--xlsx-proposals", default="1000", help="N or N,M,...")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--import-proposals", type=int, default=0, help="also import a file of N proposals"
    )
    parser.add_argument(
        "--memory-proposals",
        type=int,
        default=1000,
        help="size of the all-cached annex whose memory is measured (0: leave out)",
    )
    parser.add_argument(
        "--memory-cold",
        action="store_true",
        help="also render the --memory-proposals annex cold and measure its peak",
    )
    parser.add_argument("--skip-chromium", action="store_true")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        setup_django(args.workdir)
        print(json.dumps(PHASES[args.phase](args)))
        return
    with tempfile.TemporaryDirectory(prefix="bilag-bench-") as tmp:
        args.workdir = Path(tmp)
        results = {}
        names = ["setup", "cold", "change", "after-change"]
        names += [f"xlsx-{size}" for size in xlsx_sizes(args)]
        if args.import_proposals:
            names.append("import")
        if not args.skip_chromium:
            names.append("chromium")
        if args.memory_proposals:
            # the cold render fills the cache of the memory catalogue itself
            names += ["cached", "memory-cold" if args.memory_cold else "seed-cache", "memory"]
        for name in names:
            phase, _, size = name.partition("-") if name.startswith("xlsx-") else (name, "", "")
            results[name] = run_phase(args, phase, int(size or 0))
            print(f"{name:13} {results[name]}", flush=True)
        cold, after = results["cold"], results["after-change"]
        print()
        print(
            f"annex of {args.proposals} proposals, {args.workers} workers "
            "(memory: peak of the summed RSS of the whole process tree)"
        )
        print(
            f"  cold render      {cold['seconds']:6.1f} s wall, {cold['cpu_s']} s CPU, "
            f"{cold['pages']} pages, peak {cold['peak_tree_mb']} MB "
            f"(PSS {cold['peak_tree_pss_mb']} MB) (target <= 60 s, <= 400 MB)"
        )
        print(
            f"  after one change {after['seconds']:6.1f} s wall, {after['cpu_s']} s CPU, "
            f"rendered {after['rendered']}, cached {after['cached']}, "
            f"peak {after['peak_tree_mb']} MB (target <= 5 s)"
        )
        for size in xlsx_sizes(args):
            xlsx = results[f"xlsx-{size}"]
            print(
                f"xlsx of {xlsx['proposals']} proposals {xlsx['seconds']:6.1f} s wall, "
                f"{xlsx['cpu_s']} s CPU, {xlsx['megabytes']} MB, peak {xlsx['peak_tree_mb']} MB, "
                f"{xlsx.get('open_files', '?')} open files at most "
                "(targets: <= 5 s at 1,000; <= 300 MB and constant file handles at 5,000)"
            )
        if "import" in results:
            imp = results["import"]
            print(
                f"import of {imp['proposals']} proposals ({imp['file_mb']} MB of JSON) "
                f"{imp['seconds']:6.1f} s wall, {imp['cpu_s']} s CPU, "
                f"peak {imp['peak_tree_mb']} MB (target <= 400 MB at 5,400)"
            )
        if "chromium" in results:
            ch = results["chromium"]
            print(
                f"  chromium print   {ch['seconds']:6.1f} s wall, {ch['cpu_s']} s CPU, "
                f"{ch['pages']} pages, peak {ch['peak_tree_mb']} MB "
                f"(PSS {ch['peak_tree_pss_mb']} MB) (same HTML, one document)"
            )
            print(
                f"  ratio to Chromium: CPU {cold['cpu_s'] / ch['cpu_s']:.2f} x (goal <= 2 x), "
                f"wall {cold['seconds'] / ch['seconds']:.2f} x, "
                f"peak memory {cold['peak_tree_mb'] / ch['peak_tree_mb']:.2f} x"
            )
            # like with like: Chromium prints the parts' HTML only; the annex's figure
            # also holds the main process's templates, front matter and joining
            renderers = cold["cpu_s"] - cold["main_cpu_s"]
            print(
                f"  of the cold CPU: part renderers {renderers:.1f} s "
                f"({renderers / ch['cpu_s']:.2f} x Chromium's CPU for the same HTML and "
                f"pages), main process {cold['main_cpu_s']} s (HTML from the templates, "
                "front matter, joining and stamping)"
            )
        if "memory-cold" in results:
            big = results["memory-cold"]
            print(
                f"annex of {args.memory_proposals} proposals, cold (measured): "
                f"{big['seconds']:6.1f} s wall, {big['cpu_s']} s CPU, {big['pages']} pages, "
                f"rendered {big['rendered']}, peak {big['peak_tree_mb']} MB "
                f"(PSS {big['peak_tree_pss_mb']} MB) (goal <= 400 MB)"
            )
        if "memory" in results:
            big = results["memory"]
            n, small = args.memory_proposals, args.proposals
            cached = results["cached"]
            slope = (big["peak_process_mb"] - cached["peak_process_mb"]) / (n - small)
            scaled = cold["peak_tree_mb"] + slope * (n - small)
            scaled_pss = cold["peak_tree_pss_mb"] + slope * (n - small)
            print(
                f"annex of {n} proposals, every part cached (measured): "
                f"{big['seconds']:6.1f} s wall, {big['cpu_s']} s CPU, {big['pages']} pages, "
                f"peak {big['peak_tree_mb']} MB (PSS {big['peak_tree_pss_mb']} MB)"
            )
            print(
                f"  main process per proposal: {slope * 1024:.0f} KB "
                f"({cached['peak_process_mb']} MB at {small}, {big['peak_process_mb']} MB at {n}, "
                "both all cached)"
            )
            print(
                f"  cold render of {n} proposals (scaled: cold {small}'s peak + that slope): "
                f"{scaled:.0f} MB (PSS {scaled_pss:.0f} MB); peak at {n}: "
                f"{max(scaled, big['peak_tree_mb']):.0f} MB "
                f"(PSS {max(scaled_pss, big['peak_tree_pss_mb']):.0f} MB) (goal <= 400 MB)"
            )


if __name__ == "__main__":
    main()
