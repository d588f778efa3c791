"""Settings for Bilag.

Everything that differs between a developer's laptop, CI and production is read from
the environment; the defaults are safe for local development only.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from cases.limits import MAX_EDITOR_BYTES, max_editor_fields

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# One switch for production (docs/deploy.md): BILAG_PRODUCTION=1 turns DEBUG off and HTTPS
# only (SSL redirect, HSTS, secure cookies), real mail over SMTP, and the hashed static
# files WhiteNoise serves. It refuses to start without SECRET_KEY and ALLOWED_HOSTS.
PRODUCTION = env_bool("BILAG_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("BILAG_PRODUCTION=1 and DEBUG=1 cannot go together.")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "axes",
    "ops",  # before django_tasks_db: its db_worker adds the heartbeat
    # The apps in layers, each importing only those above it in this list (README, Layout):
    # ops < finance (pure Python, not an app) < committees < cases < review < followup < annex.
    "committees",
    "cases",
    "review",
    "followup",
    "django_tasks_db",
    "annex",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a Danish page for a GET on a POST-only address (Django's 405 has no body)
    "ops.middleware.MethodNotAllowedPageMiddleware",
    # a NUL (%00) in the address: the 400 page, before a view hands it to the database
    "ops.middleware.NulInAddressMiddleware",
    # before any view (LoginRequiredMiddleware acts in process_view, after this)
    "ops.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # static files from STATIC_ROOT (collectstatic), hashed names cached for a year
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "review.context_processors.waiting",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# PostgreSQL through psycopg 3 when DATABASE_URL is set; otherwise a SQLite file set up
# for several users at once: WAL journal (readers do not block the writer), IMMEDIATE
# transactions (a writer takes the lock when the transaction starts, so two writers queue
# instead of failing with "database is locked" on lock upgrade), and a busy timeout.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # a SQLite file named by URL is set up as the default one
        DATABASES["default"]["OPTIONS"] = {
            **SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
    # Several test runs against one server (parallel developers) need their own names.
    if os.environ.get("TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user/address before the password is checked
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend reading the user's profile in the user's query
    "committees.backends.ProfileBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:catalog_list"
LOGOUT_REDIRECT_URL = "login"

# --- Language, time, numbers ------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Danish number formats (1.034 and 16,67) come from the "da" locale; grouping is on.
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# --- Files: rendered annexes, the annex parts cache, uploads ---------------------------------
# Everything the app writes goes through Django's storage API (never a path on this
# server), so several app servers can share it. BILAG_STORAGE=local (default): MEDIA_ROOT,
# which several servers may share over NFS; BILAG_STORAGE=s3: an S3-compatible bucket
# (django-storages; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
# Files are served by the app after a permission check (annex downloads), never as
# public URLs.
BILAG_STORAGE = os.environ.get("BILAG_STORAGE", "local").strip().lower()
if BILAG_STORAGE == "local":
    # under MEDIA_ROOT; written atomically (temporary file + rename), see ops/storage.py
    _FILES = {"BACKEND": "ops.storage.AtomicFileSystemStorage"}
elif BILAG_STORAGE == "s3":
    _FILES = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": None,  # private objects: the bucket's policy applies
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _FILES["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("BILAG_STORAGE=s3 needs S3_BUCKET.")
else:
    raise ImproperlyConfigured(f"BILAG_STORAGE must be 'local' or 's3', not {BILAG_STORAGE!r}")
STORAGES = {
    "default": _FILES,
    # the cache of rendered annex parts (annex/pdf.py): the same store as "default"; an
    # entry of its own so that it can be moved (e.g. to each server's local disk)
    "annex_parts": _FILES,
    "staticfiles": {
        # production: hashed, compressed files served by WhiteNoise (after collectstatic)
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Sessions and cache: shared by every app server, never in one process's memory ----------
# CACHE_URL empty (default): a table in the database (`manage.py createcachetable`, run by
# make run/serve). CACHE_URL=redis://host:6379/0: Redis (pip install redis), and sessions
# then live in the database with Redis in front ("cached_db").
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif not CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bilag_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    raise ImproperlyConfigured("CACHE_URL must be empty (database) or a redis:// address.")

# Idle timeout (issue 11): logged out after BILAG_SESSION_IDLE_MINUTES without a request;
# the session cookie ends with the browser and lasts at most SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = 60 * env_int("BILAG_SESSION_IDLE_MINUTES", 30)
SESSION_IDLE_RESOLUTION = min(60, SESSION_IDLE_TIMEOUT)
SESSION_COOKIE_AGE = 60 * 60 * env_int("BILAG_SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Background work (the printed annex of a whole catalogue): Django's task framework with
# the database backend of django-tasks-db; run `python manage.py db_worker` beside the
# web server. Works on SQLite and PostgreSQL alike.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each worker writes a heartbeat (ops.heartbeat); /sundhed/ wants one newer than this.
BILAG_WORKER_HEARTBEAT_SECONDS = env_int("BILAG_WORKER_HEARTBEAT_SECONDS", 10)
BILAG_WORKER_MAX_AGE_SECONDS = env_int("BILAG_WORKER_MAX_AGE_SECONDS", 60)
# An annex rendering without a sign of life (one per proposal rendered) for this many
# seconds has lost its worker: it is shown and marked as failed and can be restarted.
ANNEX_JOB_TIMEOUT = env_int("ANNEX_JOB_TIMEOUT", 600)

# --- Security ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION or not DEBUG
if PRODUCTION:
    # HTTPS only. Behind a proxy that ends TLS, gunicorn takes X-Forwarded-Proto from the
    # addresses in FORWARDED_ALLOW_IPS (make serve), so request.is_secure() is right.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sundhed/$"]  # the load balancer's check may use plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading commits the whole domain to HTTPS in browsers for good: the domain's
    # owner decides (SECURE_HSTS_PRELOAD=1); until then check --deploy is told so.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Login throttling (issue 11, finding 19): django-axes counts failed logins. A user name is
# locked after AXES_FAILURE_LIMIT failures (from any address, and so also at one address:
# the user+address combination), for AXES_COOLOFF_TIME (a correct password does not help
# meanwhile). An address alone is locked only after AXES_ADDRESS_FAILURE_LIMIT failures of
# any user names: the municipality's staff share a few NAT addresses, and ten colleagues
# mistyping once must not lock out the town hall (ops.security.lockout_parameters). Behind
# proxies the address comes from X-Forwarded-For (BILAG_PROXY_COUNT trusted proxies).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "ops.security.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ops.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ops.security.client_ip"
AXES_VERBOSE = False
BILAG_PROXY_COUNT = env_int("BILAG_PROXY_COUNT", 0)

# Mail (Django 6.1 MAILERS). Production: SMTP from EMAIL_HOST, EMAIL_PORT (587),
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (1) / EMAIL_USE_SSL. Development:
# the console backend prints mails. MAIL_BACKEND overrides either.
if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "MAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
            ),
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", not env_bool("EMAIL_USE_SSL", False)),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            ),
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bilag@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Follow-up (followup/): absolute links in reminder mails, the default threshold (%) for
# flagging realised savings behind plan, and how many days before a due date it is due.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
FOLLOWUP_SHORTFALL_THRESHOLD_PCT = 10
FOLLOWUP_REMINDER_LEAD_DAYS = 14

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Every form field is rendered as one unit of label, help, errors and input.
FORM_RENDERER = "config.forms.BilagFormRenderer"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# One save of the editor may post every field of the largest proposal the model allows
# (cases/limits.py: 3 × 200 lines × 30 years, distributions, follow-up …) and every text
# at its maximum length; beyond that Django answers 400 before any view runs.
DATA_UPLOAD_MAX_NUMBER_FIELDS = max_editor_fields()
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_EDITOR_BYTES
