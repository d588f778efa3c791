"""Real processes for the scale-out tests: gunicorn app servers and task workers started
from this checkout against the test database (which must be one several processes can
reach: PostgreSQL)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "scale-out-test-key-9d8f7a6s5d4f3g2h1j0k9l8m7n6b5v4c3x2z1-qwerty"
PYTHON_BIN = Path(sys.executable).parent


def database_url() -> str:
    """The URL of the test database the test process uses (PostgreSQL)."""
    s = connection.settings_dict
    return (
        f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'])}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


def environment(media: Path, static: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DATABASE_URL": database_url() if connection.vendor == "postgresql" else "",
            "MEDIA_ROOT": str(media),
            "STATIC_ROOT": str(static),
            "SECRET_KEY": SECRET,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "BILAG_WORKER_HEARTBEAT_SECONDS": "1",
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    env.pop("TEST_DATABASE_NAME", None)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **kwargs,
    )


@contextmanager
def running(*processes: subprocess.Popen):
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def output(process: subprocess.Popen) -> str:
    if process.poll() is None:
        return "(still running)"
    return process.stdout.read().decode(errors="replace") if process.stdout else ""


def gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(PYTHON_BIN / "gunicorn"), "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
            "--forwarded-allow-ips", "127.0.0.1", "--timeout", "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_until(condition, timeout: float, what: str, *processes: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"{what}: a process ended early:\n{output(process)}")
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


class Browser:
    """Requests to one server over plain HTTP as a TLS-ending proxy would pass them on
    (X-Forwarded-Proto: https), with cookies kept by hand (they are Secure)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def request(self, method: str, path: str, form: dict | None = None, *, proxied=True):
        """`proxied=False`: as a load balancer's check or a client bypassing the proxy."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if proxied:
            headers.update({"X-Forwarded-Proto": "https", "Referer": origin + "/",
                            "Origin": origin})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, quote(path, safe="/%?=&"), body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, data

    def get(self, path, *, proxied=True):
        return self.request("GET", path, proxied=proxied)

    def post(self, path, form):
        return self.request("POST", path, form)
