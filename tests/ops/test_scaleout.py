"""Scale-out on one PostgreSQL (issue 15): two gunicorn app servers serving the same annex
download to one logged-in session, and two task workers taking jobs without doubling any.

Real processes against the test database, so they need a server database that several
processes reach: PostgreSQL (CI runs them in its PostgreSQL pass; SQLite's test database
lives in this process's memory)."""

import json
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from annex.models import AnnexJob
from committees.models import Role
from ops.models import WorkerHeartbeat
from tests.factories import bc01, make_user

from . import processes as p
from .scaleout_tasks import record_run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several processes on one database: PostgreSQL only (CI's PostgreSQL run)",
    ),
]


def test_two_workers_take_every_job_exactly_once(tmp_path):
    env = p.environment(tmp_path / "media", tmp_path / "static")
    log = tmp_path / "runs.txt"
    args = ("db_worker", "--no-reload", "--interval", "0.05", "--no-startup-delay", "-v", "0")
    with p.running(p.manage(*args, env=env), p.manage(*args, env=env)) as workers:
        # both workers are up (their heartbeats) before any job exists
        p.wait_until(lambda: WorkerHeartbeat.objects.count() == 2, 60, "heartbeats", *workers)
        tokens = [f"job-{i}" for i in range(60)]
        for token in tokens:
            record_run.enqueue(token, str(log), 0.05)
        p.wait_until(
            lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(),
            120, "all jobs done", *workers,
        )
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            assert worker.wait(timeout=30) == 0, p.output(worker)
    lines = [line.split() for line in log.read_text().splitlines()]
    runs = Counter(token for token, _pid in lines)
    assert sorted(runs) == sorted(tokens)
    assert set(runs.values()) == {1}  # no job ran twice
    pids = Counter(pid for _token, pid in lines)
    assert len(pids) == 2, pids  # both took jobs
    results = DBTaskResult.objects.all()
    assert len(results) == 60
    assert {len(r.worker_ids) for r in results} == {1}
    assert WorkerHeartbeat.objects.count() == 0  # each removed its heartbeat when it stopped


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    env = p.environment(static.parent / "unused", static, BILAG_PRODUCTION="1",
                        ALLOWED_HOSTS="127.0.0.1")
    env["DATABASE_URL"] = ""  # collectstatic reads no database
    process = p.manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert process.wait(timeout=120) == 0, p.output(process)
    return static


def test_two_app_servers_serve_the_same_annex_to_one_session(tmp_path, collected_static):
    """Two gunicorn instances in production mode on one database and one file store: a
    user logs in on the first, asks for the annex there, a worker renders it, and the
    second serves the same file to the same session (sessions in the database)."""
    user = make_user("oekonomi", Role.CENTRAL_FINANCE, administration_code="ØKF")
    user.set_password("Budget-2026!")
    user.save()
    catalog = bc01().catalog
    env = p.environment(
        tmp_path / "media", collected_static, BILAG_PRODUCTION="1", ALLOWED_HOSTS="127.0.0.1"
    )
    port_a, port_b = p.free_port(), p.free_port()
    servers = (p.gunicorn(port_a, env), p.gunicorn(port_b, env))
    worker = p.manage("db_worker", "--no-reload", "--no-startup-delay", "-v", "0", env=env)
    with p.running(*servers, worker):
        a, b = p.Browser(port_a), p.Browser(port_b)
        for server in (a, b):
            p.wait_until(lambda s=server: _answers(s), 60, "gunicorn up", *servers)
        # plain HTTP (no proxy header) is sent to HTTPS, except the health check
        response, _ = p.Browser(port_a).get("/login/", proxied=False)
        assert response.status == 301
        assert response.getheader("Location") == f"https://127.0.0.1:{port_a}/login/"

        a.get("/login/")  # the CSRF cookie
        response, _ = a.post("/login/", {"username": "oekonomi", "password": "Budget-2026!"})
        assert response.status == 302, response.status
        assert "sessionid" in a.cookies
        response, _ = a.post(reverse("annex:start", args=[catalog.key]), {})
        assert response.status == 302
        job = AnnexJob.objects.get()
        p.wait_until(
            lambda: AnnexJob.objects.get(pk=job.pk).state in ("done", "failed"),
            180, "annex rendered", worker,
        )
        assert AnnexJob.objects.get(pk=job.pk).state == "done"

        url = reverse("annex:job_download", args=[job.pk])
        from_a = a.get(url)
        b.cookies = dict(a.cookies)  # the same browser, sent to the other server
        from_b = b.get(url)
        for response, data in (from_a, from_b):
            assert response.status == 200
            assert response.getheader("Content-Type") == "application/pdf"
            assert "no-store" in response.getheader("Cache-Control")
            assert data[:5] == b"%PDF-"
        assert from_a[1] == from_b[1]
        assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")

        # static files come from WhiteNoise with hashed names; health on both servers
        css = b.get("/")[1].decode()
        href = css.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert href.startswith("/static/css/bilag.") and href.endswith(".css")
        response, _ = b.get(href)
        assert response.status == 200
        assert "max-age=315360000" in response.getheader("Cache-Control")
        for port in (port_a, port_b):
            response, data = p.Browser(port).get("/sundhed/", proxied=False)
            assert response.status == 200, data
            assert json.loads(data)["worker"] == "ok"
    assert get_user_model().objects.get(username="oekonomi").is_active


def _answers(browser):
    try:
        response, _ = browser.get("/login/")
    except OSError:
        return False
    return response.status == 200


def test_make_serve_answers_on_the_port_with_debug_off(tmp_path):
    """README's production command: migrations, static files, a task worker and gunicorn;
    the health check answers (database and worker) and pages are HTTPS-only."""
    stamp = tmp_path / "installed"
    stamp.touch()  # this checkout's virtualenv is the one running the tests
    port = p.free_port()
    env = p.environment(
        tmp_path / "media", tmp_path / "static", BILAG_PRODUCTION="1",
        ALLOWED_HOSTS="127.0.0.1", PORT=str(port), BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    env.pop("DEBUG", None)
    serve = subprocess.Popen(
        ["make", "serve", f"VENV={sys.prefix}", f"STAMP={stamp}"],
        cwd=p.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,  # make, the worker and gunicorn: one group to stop
    )
    try:
        browser = p.Browser(port)

        def healthy():
            try:
                response, data = browser.get("/sundhed/", proxied=False)
            except OSError:
                return False
            return response.status == 200 and json.loads(data)

        body = p.wait_until(healthy, 120, "make serve answers", serve)
        assert (body["database"], body["worker"]) == ("ok", "ok")
        response, _ = browser.get("/login/", proxied=False)
        assert response.status == 301
        response, page = browser.get("/login/")
        assert response.status == 200 and b"Log ind" in page
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
