"""Production mode (one variable: BILAG_PRODUCTION=1) and the /sundhed/ health endpoint.

Settings are read once per process, so the production settings are checked in a
subprocess with the environment a deployment sets (docs/deploy.md)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone

from ops import heartbeat
from ops.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "BILAG_PRODUCTION": "1",
    "SECRET_KEY": "k8#Vq2!rT9zL4@wX7pN1&mB6sD3^fH0jG5%cY8eU2*aK7oI4-Zr5",
    "ALLOWED_HOSTS": "bilag.example.dk",
    "EMAIL_HOST": "smtp.example.dk",
    "EMAIL_HOST_USER": "bilag",
    "EMAIL_HOST_PASSWORD": "hemmelig",
}


def run_django(code_or_args, extra_env=None, *, check=False):
    # as a deployment starts it: none of the test run's own variables (e.g. the browser
    # tests' DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "BILAG_PRODUCTION") and not k.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(extra_env or {})
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def test_check_deploy_is_clean_with_the_production_variable():
    """`check --deploy` with the documented variables: no error, no warning."""
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "DEBUG": "0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_variable_check_deploy_names_what_is_missing():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]},
    )
    assert result.returncode == 1
    for check in ("mail.E001", "security.W004", "security.W008"):
        assert check in result.stderr


def test_production_switches_https_cookies_mail_and_static_files():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "m = s.MAILERS['default'];"
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['port'], m['OPTIONS']['use_tls'],"
        " m['OPTIONS']['username'], s.STORAGES['staticfiles']['BACKEND'],"
        " 'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE,"
        " s.SECURE_REDIRECT_EXEMPT, s.ALLOWED_HOSTS]))"
    )
    result = run_django(code, {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False, True, 31_536_000, True, True, True,
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.dk", 587, True, "bilag",
        "whitenoise.storage.CompressedManifestStaticFilesStorage", True,
        ["^sundhed/$"], ["bilag.example.dk"],
    ]


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"DEBUG": "1"}, "BILAG_PRODUCTION=1 and DEBUG=1 cannot go together"),
        ({"BILAG_STORAGE": "s3"}, "BILAG_STORAGE=s3 needs S3_BUCKET"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be empty"),
    ],
)
def test_production_refuses_to_start_half_configured(missing, message):
    result = run_django(
        "import django; django.setup()",
        {**PRODUCTION_ENV, **missing, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 1
    assert message in result.stderr


def test_s3_storage_and_redis_cache_are_configured_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "from django.core.files.storage import storages;"
        "d = storages['default']; p = storages['annex_parts'];"
        "print(json.dumps([type(d).__module__ + '.' + type(d).__name__, d.bucket_name,"
        " d.endpoint_url, d.location, type(p).__name__, s.CACHES['default']['BACKEND'],"
        " s.SESSION_ENGINE]))"
    )
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BILAG_STORAGE": "s3",
        "S3_BUCKET": "bilag-filer",
        "S3_ENDPOINT_URL": "https://s3.example.dk",
        "S3_PREFIX": "prod",
        "CACHE_URL": "redis://cache:6379/0",
    }
    result = run_django(code, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "storages.backends.s3.S3Storage", "bilag-filer", "https://s3.example.dk", "prod",
        "S3Storage", "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_sessions_and_cache_never_live_in_process_memory(settings):
    assert settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    )
    assert settings.CACHES["default"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


# --- /sundhed/ ----------------------------------------------------------------------------


def seen(worker_id: str, ago: timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="app1", pid=1, started_at=now - ago, seen_at=now - ago
    )


@pytest.mark.django_db
def test_health_is_ok_with_database_and_a_recent_worker(client):
    seen("w1", timedelta(seconds=5))
    seen("w2", timedelta(hours=2))
    response = client.get("/sundhed/")
    assert response.status_code == 200
    body = response.json()
    assert 5 <= body.pop("worker_seen_seconds_ago") < 60  # the newest, however slow the machine
    assert body == {"status": "ok", "database": "ok", "worker": "ok", "workers": 1}
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_health_fails_when_no_worker_was_seen_recently(client, settings):
    response = client.get("/sundhed/")
    assert (response.status_code, response.json()["worker"]) == (503, "ingen")
    seen("w1", timedelta(seconds=settings.BILAG_WORKER_MAX_AGE_SECONDS + 30))
    response = client.get("/sundhed/")
    assert response.status_code == 503
    body = response.json()
    assert body.pop("worker_seen_seconds_ago") >= settings.BILAG_WORKER_MAX_AGE_SECONDS + 30
    assert body == {"status": "fejl", "database": "ok", "worker": "ingen", "workers": 0}


@pytest.mark.django_db
def test_health_fails_when_the_database_does_not_answer(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(WorkerHeartbeat.objects, "values_list", down)
    response = client.get("/sundhed/")
    assert response.status_code == 503
    assert response.json()["database"] == "utilgængelig"


@pytest.mark.django_db
def test_health_answers_plain_http_when_everything_else_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^sundhed/$"]
    seen("w1", timedelta(seconds=1))
    assert client.get("/login/").status_code == 301
    assert client.get("/sundhed/").status_code == 200
    assert client.post("/sundhed/").status_code == 405


@pytest.mark.django_db
def test_a_heartbeat_records_the_worker_and_forgets_long_dead_ones():
    seen("dead", timedelta(days=2))
    started = timezone.now()
    heartbeat.beat("w-new", started)
    heartbeat.beat("w-new", started)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", "pid")) == [
        ("w-new", os.getpid())
    ]
