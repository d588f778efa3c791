"""Bilag served as in production, under load, next to Django's own pages in the same run.

Run: .venv/bin/python benchmarks/serve.py [--databases sqlite,postgres]
         [--sizes 1000,5000,20000] [--full-size 5000[,20000]] [--duration 10] [--runs 3]
         [--connections 4] [--workers 2] [--pages pages]

For each database (a throw-away SQLite file; PostgreSQL: the database named in
`--postgres-url`, DROPPED and created again) it migrates, loads the demo data
(`load_demo`) and adds synthetic proposals (catalogue "benchmark", ~10 lines × 6 years
each) up to each size in `--sizes`. At every size it starts nothing new: gunicorn
(`--workers` sync workers, DEBUG=0, bound to 127.0.0.1 only) serves the project's
settings plus one trivial logged-in view (benchmarks/benchsite.py); the script logs in
as the demo superuser `admin` with a real POST to /login/ and drives `wrk` (Debian
package `wrk`; not needed by the tests) at:

  at every size   the trivial logged-in view, the case list /sager/ and the Django admin
                  changelist of the proposals, both with the admin's page size (100)
  at --full-size  (one size or several, comma separated) also the proposal page and the
                  case page of a demo proposal, the catalogue overview of the synthetic
                  catalogue, the editor, the admin change page, and concurrent first views
                  of fresh cases (HTTP 5xx?)

`--pages pages` measures only the proposal page and the editor with their peers (the
trivial view, the admin change page), at the full sizes (a quicker run for them).

Each page is measured unloaded (one connection: its latency) and then `--runs` times
under load (`--connections`, `--duration` seconds each; medians printed): req/s,
p50/p95/p99 latency, errors (socket errors, timeouts and HTTP >= 400), the gunicorn
workers' CPU per request (from /proc), the response size, and the ratios to the
trivial view and to the admin pages. Everything stays on 127.0.0.1; every run is
bounded by --duration and wrk's --timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
POSTGRES_URL = "postgres://bilag:bilag@127.0.0.1:5432/bilag_perf_bench"
HOST = "127.0.0.1"
USERNAME, PASSWORD = "admin", "demo"  # the demo superuser (load_demo)
DEMO_CATALOG, DEMO_NUMBER = "investment-2021", "BC01"

# wrk's summary as one JSON line (its own report has no p95).
WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


# ------------------------------------------------------------------------ the database


def prepare_database(kind: str, workdir: Path, postgres_url: str) -> dict[str, str]:
    """A fresh, empty database; returns the environment that points Django at it."""
    if kind == "sqlite":
        return {"SQLITE_PATH": str(workdir / "bench.sqlite3"), "DATABASE_URL": ""}
    import psycopg

    name = postgres_url.rsplit("/", 1)[1]
    if not re.fullmatch(r"bilag_[a-z0-9_]+", name):
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database must be bilag_*")
    admin_url = postgres_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return {"DATABASE_URL": postgres_url}


def django_env(db_env: dict[str, str], workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(db_env)
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchsite",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "MEDIA_ROOT": str(workdir / "media"),
            "MAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(BENCH)]  # benchmarks/annex.py must not hide annex/
    import django

    django.setup()


def refresh(ids: list[int]) -> None:
    """Store the summaries of new proposals (as an import would)."""
    from cases.models import Proposal

    try:
        from review.summaries import refresh_summaries
    except ImportError:
        from committees.summaries import refresh_summaries
    refresh_summaries(Proposal.objects.filter(pk__in=ids))


def grow(have: int, size: int) -> None:
    """Add synthetic proposals to the catalogue "benchmark" until it has `size`."""
    from case_list import build
    from django.db import connection

    started = time.perf_counter()
    step = 5000
    for start in range(have, size, step):
        with contextlib.redirect_stdout(sys.stderr):
            ids = build(min(step, size - start), 2021, start=start)
        refresh(ids)
    print(f"  data: {size} synthetic proposals ({time.perf_counter() - started:.0f} s to add)")
    connection.close()


# ------------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with sync workers on 127.0.0.1."""

    def __init__(self, env: dict[str, str], workers: int, workdir: Path, request_timeout: float):
        self.port = free_port()
        self.timeout = request_timeout
        self.log = workdir / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind={HOST}:{self.port}",
                f"--workers={workers}",
                "--worker-class=sync",
                f"--timeout={int(request_timeout) + 30}",
                f"--error-logfile={self.log}",
                f"--chdir={ROOT}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited:\n" + self.log.read_text()[-3000:])
            with contextlib.suppress(OSError):
                if self.get("/login/")[0] == 200 and len(self.workers()) == workers:
                    return
            time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer within 60 s")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()]

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.workers():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(stat[11]) + int(stat[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def get(self, path: str, cookie: str = ""):
        status, _headers, body = self.request("GET", path, headers={"Cookie": cookie})
        return status, body

    def login(self) -> str:
        """A real login (GET the form, POST it with its CSRF token); returns the Cookie
        header of the session. The cookies are Secure (DEBUG=0): read them by hand."""
        status, headers, body = self.request("GET", "/login/")
        cookies = cookies_of(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.decode()}
        )
        status, headers, _ = self.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Referer": f"http://{HOST}:{self.port}/login/",
            },
        )
        cookies.update(cookies_of(headers))
        if status != 302 or "sessionid" not in cookies:
            raise SystemExit(f"login failed: HTTP {status}")
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


# ------------------------------------------------------------------------ the load


def wrk(server: Server, path: str, cookie: str, connections: int, seconds: float) -> dict:
    script = Path(tempfile.gettempdir()) / f"bilag-wrk-{os.getpid()}.lua"
    script.write_text(WRK_REPORT)
    cpu_before = server.cpu_seconds()
    done = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={int(server.timeout)}s",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            f"http://{HOST}:{server.port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + server.timeout + 30,
        check=True,
    )
    cpu = server.cpu_seconds() - cpu_before
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("BENCH "))
    data = json.loads(line[6:])
    requests = data["requests"]
    return {
        "rps": requests / (data["duration_us"] / 1e6),
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "errors": sum(data[k] for k in ("connect", "read", "write", "status", "timeout")),
        "requests": requests,
        "cpu_ms": cpu * 1000 / requests if requests else float("nan"),
        "cpu_s": cpu,
    }


def measure(server, name, path, cookie, args) -> dict:
    started = time.perf_counter()
    try:
        status, body = server.get(path, cookie)
    except TimeoutError:
        # a page that takes longer than the request timeout is measured no further
        print(f"  {name:34s} no answer within {args.request_timeout:.0f} s", flush=True)
        nan = float("nan")
        keys = ("rps", "p50", "p95", "p99", "cpu_ms", "single_ms", "single_cpu_ms", "kb")
        return {"name": name, "path": path, **dict.fromkeys(keys, nan), "errors": 1,
                "requests": 0, "inputs": 0, "timed_out": True}  # fmt: skip
    first_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"{name}: {path} answered HTTP {status}")
    result = {
        "name": name,
        "path": path,
        "first_ms": first_ms,
        "kb": len(body) / 1024,
        "inputs": len(re.findall(rb"<(?:input|select|textarea)\b", body)),
    }
    wrk(server, path, cookie, 1, 1)  # warm-up
    single = wrk(server, path, cookie, 1, args.unloaded)
    result["single_ms"] = single["p50"]
    result["single_cpu_ms"] = single["cpu_ms"]
    # long enough for a few requests a connection, however slow the page (bounded)
    seconds = min(max(args.duration, 3 * single["p50"] / 1000), args.request_timeout)
    runs = [wrk(server, path, cookie, args.connections, seconds) for _ in range(args.runs)]
    for key in ("rps", "p50", "p95", "p99"):
        result[key] = statistics.median(r[key] for r in runs)
    result["errors"] = sum(r["errors"] for r in runs)
    result["requests"] = sum(r["requests"] for r in runs)
    # the workers' CPU over every request of every run (a slow page may finish none in
    # one run)
    result["cpu_ms"] = ratio(1000 * sum(r["cpu_s"] for r in runs), result["requests"])
    print(
        f"  {name:34s} {result['rps']:7.1f} req/s  p50 {result['p50']:7.1f}  "
        f"p95 {result['p95']:7.1f}  p99 {result['p99']:7.1f} ms  errors {result['errors']:3d}"
        f"  CPU {result['cpu_ms']:6.1f} ms/req  one at a time {result['single_ms']:7.1f} ms"
        f" (CPU {result['single_cpu_ms']:6.1f} ms)"
        f"  {result['kb']:6.1f} KB",
        flush=True,
    )
    return result


def first_views(server: Server, cookie: str, ids: list[int], concurrent: int) -> dict:
    """`concurrent` simultaneous first GETs of the case page of each fresh proposal."""
    statuses: list[int] = []
    lock = threading.Lock()
    for pk in ids:
        barrier = threading.Barrier(concurrent)

        def view(pk=pk, barrier=barrier):
            barrier.wait()
            status, _ = server.get(f"/sager/{pk}/", cookie)
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=view) for _ in range(concurrent)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    failed = sum(1 for s in statuses if s >= 500)
    print(
        f"  concurrent first views of {len(ids)} fresh cases × {concurrent}: "
        f"{len(statuses)} requests, {failed} HTTP 5xx, "
        f"other statuses {sorted({s for s in statuses if s != 200})}"
    )
    return {"requests": len(statuses), "failed": failed}


# ------------------------------------------------------------------------ one database


def run_database(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bilag-serve-"))
    db_env = prepare_database(args.database, workdir, args.postgres_url)
    env = django_env(db_env, workdir)
    setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    with contextlib.redirect_stdout(sys.stderr):
        call_command("load_demo", "--demo-users", verbosity=0)
    from cases.models import Proposal

    demo = Proposal.objects.get(catalog__key=DEMO_CATALOG, number=DEMO_NUMBER)
    connection.close()
    results: dict = {"database": args.database, "sizes": {}}
    have = 0
    server = None
    try:
        for size in sorted(args.sizes):
            grow(have, size)
            have = size
            if server is None:
                server = Server(env, args.workers, workdir, args.request_timeout)
                cookie = server.login()
            print(
                f"\n== {args.database}, demo + {size} synthetic proposals, gunicorn "
                f"{args.workers} workers, wrk {args.connections} connections, "
                f"{args.runs} × {args.duration} s (medians)",
                flush=True,
            )
            pages = [
                ("trivial logged-in view", "/bench/trivial/"),
                ("case list /sager/ (100 a page)", "/sager/?per_page=100"),
                ("admin changelist (100 a page)", "/admin/cases/proposal/"),
            ]
            if args.pages == "pages":
                pages = pages[:1] + [
                    ("proposal page", demo.get_absolute_url()),
                    ("editor", demo.get_absolute_url() + "rediger/"),
                    ("admin change page", f"/admin/cases/proposal/{demo.pk}/change/"),
                ]
            elif size in args.full_sizes:
                pages += [
                    ("proposal page", demo.get_absolute_url()),
                    ("case page", f"/sager/{demo.pk}/"),
                    ("editor", demo.get_absolute_url() + "rediger/"),
                    ("admin change page", f"/admin/cases/proposal/{demo.pk}/change/"),
                    ("catalogue overview (synthetic)", "/katalog/benchmark/"),
                ]
            measured = {name: measure(server, name, path, cookie, args) for name, path in pages}
            if size in args.full_sizes and args.pages == "all":
                fresh = list(
                    Proposal.objects.filter(catalog__key="benchmark")
                    .order_by("-pk")
                    .values_list("pk", flat=True)[: args.first_view_cases]
                )
                connection.close()
                measured["first views"] = first_views(server, cookie, fresh, 4)
            ratios(measured)
            results["sizes"][size] = measured
    finally:
        if server is not None:
            server.stop()
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def ratios(measured: dict) -> None:
    """The page-to-peer ratios: throughput under load, latency one at a time, and the
    workers' CPU a request (the steadiest figure on a shared machine)."""
    trivial = measured["trivial logged-in view"]
    admin = measured.get("admin changelist (100 a page)")
    lst = measured.get("case list /sager/ (100 a page)")
    if lst is not None:
        print(
            f"  case list / admin changelist: {ratio(admin['rps'], lst['rps']):.2f}× the time "
            f"under load ({lst['rps']:.1f} vs {admin['rps']:.1f} req/s), "
            f"{ratio(lst['single_ms'], admin['single_ms']):.2f}× one at a time "
            f"({lst['single_ms']:.1f} vs {admin['single_ms']:.1f} ms; their CPU "
            f"{lst['single_cpu_ms']:.1f} vs {admin['single_cpu_ms']:.1f} ms), "
            f"{ratio(lst['cpu_ms'], admin['cpu_ms']):.2f}× the CPU "
            f"({lst['cpu_ms']:.1f} vs {admin['cpu_ms']:.1f} ms)"
        )
    if "proposal page" in measured:
        page = measured["proposal page"]
        change = measured["admin change page"]
        editor = measured["editor"]
        print(
            f"  proposal page: {page['rps']:.1f} req/s = "
            f"{ratio(page['rps'], trivial['rps']):.2f}× the trivial view "
            f"({trivial['rps']:.1f}), {ratio(page['rps'], change['rps']):.2f}× the admin "
            f"change page ({change['rps']:.1f}); {page['cpu_ms']:.1f} ms worker CPU a "
            f"request (trivial {trivial['cpu_ms']:.1f}, admin change {change['cpu_ms']:.1f})"
        )
        print(
            f"  editor: {editor['kb']:.0f} KB, {editor['inputs']} inputs, "
            f"{editor['cpu_ms']:.0f} ms CPU a request, {editor['rps']:.1f} req/s = "
            f"{ratio(editor['rps'], change['rps']):.2f}× the admin change page's req/s; "
            f"worker CPU {ratio(editor['cpu_ms'], change['cpu_ms']):.2f}× the admin change "
            f"page's ({editor['cpu_ms']:.1f} vs {change['cpu_ms']:.1f} ms; goal <= 1.0×)"
        )
    overview = measured.get("catalogue overview (synthetic)")
    if overview is not None:
        print(
            f"  catalogue overview: first request {overview.get('first_ms', float('nan')):.0f}"
            f" ms, one at a time {overview['single_ms']:.0f} ms, "
            f"{overview['cpu_ms']:.0f} ms CPU a request"
        )


# ------------------------------------------------------------------------ main


def summary(all_results: list[dict]) -> None:
    print("\n== summary (issue 13's table; CPU = gunicorn workers' CPU a request)")
    for res in all_results:
        db = res["database"]
        for size, m in sorted(res["sizes"].items()):
            lst = m.get("case list /sager/ (100 a page)")
            adm = m.get("admin changelist (100 a page)")
            if lst is not None:
                print(
                    f"  {db:8s} {size:6d}: list {lst['single_ms']:7.1f} ms vs admin "
                    f"{adm['single_ms']:7.1f} ms one at a time "
                    f"({ratio(lst['single_ms'], adm['single_ms']):.2f}×; its CPU "
                    f"{lst['single_cpu_ms']:.1f} vs {adm['single_cpu_ms']:.1f} ms, "
                    f"{ratio(lst['single_cpu_ms'], adm['single_cpu_ms']):.2f}×); CPU under load "
                    f"{lst['cpu_ms']:6.1f} vs {adm['cpu_ms']:6.1f} ms "
                    f"({ratio(lst['cpu_ms'], adm['cpu_ms']):.2f}×); under load "
                    f"{lst['rps']:6.1f} vs {adm['rps']:6.1f} req/s "
                    f"({ratio(adm['rps'], lst['rps']):.2f}×)"
                )
            if "proposal page" not in m:
                continue
            t = m["trivial logged-in view"]
            for name in (
                "trivial logged-in view",
                "proposal page",
                "case page",
                "editor",
                "admin change page",
                "catalogue overview (synthetic)",
            ):
                if name not in m:
                    continue
                r = m[name]
                print(
                    f"  {db:8s} {size:6d}: {name:32s} {r['rps']:7.1f} req/s "
                    f"({ratio(r['rps'], t['rps']):.2f}× trivial), CPU {r['cpu_ms']:6.1f} ms "
                    f"({ratio(r['cpu_ms'], t['cpu_ms']):.1f}× trivial), p50/p95/p99 "
                    f"{r['p50']:.0f}/{r['p95']:.0f}/{r['p99']:.0f} ms, errors {r['errors']}"
                )
            fv = m.get("first views")
            if fv is not None:
                print(f"  {db:8s} {size:6d}: first views: {fv['failed']} of {fv['requests']} 5xx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument(
        "--full-size",
        default="5000",
        help="the sizes (comma separated) at which every page is measured, not only the lists",
    )
    parser.add_argument(
        "--pages",
        choices=("all", "pages"),
        default="all",
        help="pages: only the proposal page and the editor with their peers",
    )
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--unloaded", type=float, default=4, help="seconds, one connection")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-view-cases", type=int, default=40)
    parser.add_argument(
        "--request-timeout", type=float, default=120, help="seconds a page may take"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--database", help=argparse.SUPPRESS)  # one database, in a child
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.full_sizes = [int(s) for s in str(args.full_size).split(",") if s]
    args.sizes = sorted(set(args.sizes) | set(args.full_sizes))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    if args.database:
        print("RESULT " + json.dumps(run_database(args)), flush=True)
        return
    results = []
    for database in args.databases.split(","):
        command = [sys.executable, __file__, *sys.argv[1:], "--database", database]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        for line in child.stdout:
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
            else:
                print(line, end="", flush=True)
        if child.wait() != 0:
            raise SystemExit(f"{database}: benchmark failed")
    for res in results:
        res["sizes"] = {int(k): v for k, v in res["sizes"].items()}
    summary(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
