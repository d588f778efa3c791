# Bilag — developer and CI entry points (GNU make).
#
#   make run     create .venv if needed, migrate, load demo data, serve on 127.0.0.1:8000
#   make test    create .venv if needed, run pytest   (extra args: make test PYTEST_ARGS='-k foo -x')
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

.PHONY: help venv run test lint clean

help:
	@echo "make run    - set up .venv, migrate, load demo data, runserver $(HOST):$(PORT)"
	@echo "make test   - set up .venv and run pytest (PYTEST_ARGS='...' to pass arguments)"
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
run: $(STAMP)
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py load_demo
	@$(VENV_PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV_PY) manage.py runserver $(HOST):$(PORT)

# pytest exits 5 when it collected no tests: that means the suite is broken, say so.
test: $(STAMP)
	@rc=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
