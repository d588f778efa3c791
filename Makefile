# Bilag — developer and CI entry points (GNU make).
#
#   make run     create .venv if needed, migrate, load demo data, serve on 127.0.0.1:8000
#   make test    create .venv if needed, run pytest   (extra args: make test PYTEST_ARGS='-k foo -x')
#   make serve   production: migrate, collect static, task worker + gunicorn (docs/deploy.md)
#   make system-deps   check/install the Debian packages (scripts/system-deps.sh)
#   make lint    ruff check
#   make clean   remove .venv and caches (keeps db.sqlite3)
#
# The interpreter is auto-detected (Python >= 3.12 required); override with
#   make PYTHON=/path/to/python3.13 test

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
VENV_PY     := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
HOST        ?= 127.0.0.1
PORT        ?= 8000
PYTEST_ARGS ?=

# Candidates, in order of preference. The pyenv shims (python3.13 on PATH) can exist
# but fail when pyenv's global version is another one, so every candidate is run.
PY_CHECK := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON_CANDIDATES = python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
	/usr/bin/python3.13 /usr/bin/python3.12

# Recursive (lazy): only evaluated when the venv has to be (re)built.
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	if "$$p" -c '$(PY_CHECK)' >/dev/null 2>&1; then command -v "$$p"; break; fi; \
	done)

# The Debian packages pip cannot install (scripts/system-deps.sh): installed when this user
# may (root or sudo without password), else one line naming them and the command.
# Tests left out with PYTEST_ARGS="-m 'not browser'" (or 'not slow') need no Chromium
# (or LibreOffice).
SYSTEM_DEPS     := bash scripts/system-deps.sh
TEST_DEPS_ARGS  := $(if $(findstring not browser,$(PYTEST_ARGS)),--without browser) \
                   $(if $(findstring not slow,$(PYTEST_ARGS)),--without office)

# Production (make serve): gunicorn workers and threads, task workers, bind address.
WEB_CONCURRENCY ?= 2
GUNICORN_THREADS ?= 4
TASK_WORKERS    ?= 1
BIND            ?= 0.0.0.0:$(PORT)

.PHONY: help venv run test lint clean system-deps serve

help:
	@echo "make run    - set up .venv, migrate, load demo data, runserver $(HOST):$(PORT)"
	@echo "make test   - set up .venv and run pytest (PYTEST_ARGS='...' to pass arguments)"
	@echo "make serve  - production: migrate, collectstatic, task worker(s) + gunicorn on $(BIND)"
	@echo "make system-deps - check/install the Debian packages the app and tests need"
	@echo "make lint   - ruff check"
	@echo "make clean  - remove .venv and caches"
	@echo "Override the interpreter with: make PYTHON=/path/to/python3.13 <target>"

venv: $(STAMP)

# Re-run only when pyproject.toml changes (or the venv is missing).
$(STAMP): pyproject.toml
	@set -e; \
	if [ -x "$(VENV_PY)" ] && ! "$(VENV_PY)" -c '$(PY_CHECK)' >/dev/null 2>&1; then \
		echo "$(VENV) is broken or older than Python 3.12; recreating it"; rm -rf "$(VENV)"; \
	fi; \
	if [ ! -x "$(VENV_PY)" ]; then \
		py='$(PYTHON)'; \
		if [ -z "$$py" ]; then \
			echo "error: no Python >= 3.12 found (tried: $(strip $(PYTHON_CANDIDATES)))." >&2; \
			echo "       Install one, or run: make PYTHON=/path/to/python3.13 $(MAKECMDGOALS)" >&2; \
			exit 1; \
		fi; \
		if ! "$$py" -c '$(PY_CHECK)' >/dev/null 2>&1; then \
			echo "error: PYTHON=$$py does not run or is older than Python 3.12." >&2; exit 1; \
		fi; \
		echo "Creating $(VENV) with $$py ($$("$$py" -V 2>&1))"; \
		"$$py" -m venv "$(VENV)"; \
	fi
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(VENV_PY) -m pip install --no-input --progress-bar off --upgrade pip
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(VENV_PY) -m pip install --no-input --progress-bar off -e '.[dev]'
	@touch $@

# The task worker (background rendering of whole annexes) runs beside the web server
# and stops with it.
system-deps:
	@$(SYSTEM_DEPS) test

run: $(STAMP)
	@$(SYSTEM_DEPS) run
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py createcachetable
	$(VENV_PY) manage.py load_demo
	@$(VENV_PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV_PY) manage.py runserver $(HOST):$(PORT)

# pytest exits 5 when it collected no tests: that means the suite is broken, say so.
test: $(STAMP)
	@$(SYSTEM_DEPS) test $(TEST_DEPS_ARGS)
	@rc=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

# Production: settings from the environment (BILAG_PRODUCTION=1, SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL, ...: docs/deploy.md). Migrations and static files first, then the task
# worker(s) and gunicorn; when gunicorn stops, the workers are stopped too.
serve: $(STAMP)
	@$(SYSTEM_DEPS) run
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py createcachetable
	$(VENV_PY) manage.py collectstatic --noinput -v 0
	@pids=""; \
	for i in $$(seq 1 $(TASK_WORKERS)); do $(VENV_PY) manage.py db_worker & pids="$$pids $$!"; done; \
	trap 'kill $$pids 2>/dev/null; wait' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(BIND) \
		--workers $(WEB_CONCURRENCY) --threads $(GUNICORN_THREADS) \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
