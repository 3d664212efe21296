# Everything a developer needs, from a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.12 on PATH (pyenv honours .python-version).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
NHSUK_FRONTEND_VERSION ?= 10.6.1

.PHONY: help run test check lint format typecheck lock vendor-frontend vendor-offline chromium fonts clean

help:
	@echo "make run    - set up .venv, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up .venv and run the whole test suite (browser tests included)"
	@echo "make check  - ruff, mypy (strict), import-linter and makemigrations --check"
	@echo "make lock   - re-lock the dependencies of pyproject.toml"
	@echo "make vendor-frontend - refresh the vendored NHS.UK frontend (NHSUK_FRONTEND_VERSION)"

$(VENV)/.installed: requirements-dev.lock
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is needed (see .python-version)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

run: $(VENV)/.installed
	@scripts/install-fonts || echo "Without those fonts, PDFs print names in other scripts as boxes."
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) careteams.asgi:application

# Two test processes (pytest-xdist), each with its own test database and Redis database; a
# file's tests stay together (module fixtures build their world once). TEST_WORKERS=0: one.
TEST_WORKERS ?= 2
test: $(VENV)/.installed chromium fonts
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@test -x /usr/bin/chromium || scripts/install-chromium

# The PDFs' fonts for Arabic, Hebrew, Indic and CJK names, and poppler-utils for the PDF tests.
fonts:
	@scripts/install-fonts

lock: $(VENV)/.installed
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 --generate-hashes -q -o requirements-dev.lock

vendor-frontend:
	scripts/vendor-frontend $(NHSUK_FRONTEND_VERSION)

# The tablet's Workbox modules and idb, from the npm registry (versions in tablet/static/tablet/vendor/VERSIONS).
vendor-offline:
	scripts/vendor-offline $(WORKBOX_VERSION) $(IDB_VERSION)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
