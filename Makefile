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

.PHONY: help messages messages-gather run demo-refresh tls-cert test test-clocks check lint format typecheck lock vendor-frontend vendor-offline vendor-map chromium fonts nginx clean

help:
	@echo "make run    - set up .venv, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up .venv and run the whole test suite (browser tests included)"
	@echo "make test-clocks - the tests that read today or this week, at a Monday 00:30 and a Sunday 23:30"
	@echo "make demo-refresh - make the embedded demo database anew around today"
	@echo "make tls-cert HOST=<address> - a certificate to try the app on a tablet over HTTPS"
	@echo "make messages - compile the translations (locale/*.po) into the .mo files Django reads"
	@echo "make messages-gather - gather the strings marked in the code into the Welsh catalogues"
	@echo "make check  - ruff, mypy (strict), import-linter and makemigrations --check"
	@echo "make lock   - re-lock the dependencies of pyproject.toml"
	@echo "make vendor-frontend - refresh the vendored NHS.UK frontend (NHSUK_FRONTEND_VERSION)"
	@echo "make vendor-map      - refresh the vendored Leaflet of the map of the day (LEAFLET_VERSION)"

$(VENV)/.installed: requirements-dev.lock
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is needed (see .python-version)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# TLS_CERT and TLS_KEY (files, see `make tls-cert`) serve HTTPS instead: a tablet on the local
# network runs the offline web app only on a secure origin.
TLS_CERT ?=
TLS_KEY ?=
LISTEN = $(if $(TLS_CERT),-e ssl:$(PORT):interface=$(HOST):privateKey=$(TLS_KEY):certKey=$(TLS_CERT),-b $(HOST) -p $(PORT))

# The translations' .mo files are built, never committed (docs/welsh.md); gettext's msgfmt
# compiles them. Only locale/ is walked: the venv's packages ship their own compiled catalogues.
messages: $(VENV)/.installed
	@scripts/install-gettext
	cd locale && ../$(PY) ../manage.py compilemessages --locale cy

# Gather the strings marked in the code into the Welsh catalogues (new ones untranslated, gone
# ones dropped), to translate there (docs/welsh.md, "Adding and reviewing translations").
GATHER = --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=test-results \
	--no-obsolete --add-location=file
messages-gather: $(VENV)/.installed
	@scripts/install-gettext
	$(PY) manage.py makemessages -l cy $(GATHER)
	$(PY) manage.py makemessages -l cy -d djangojs $(GATHER) --ignore='*/vendor/*'
	@msgattrib --untranslated locale/cy/LC_MESSAGES/django.po | grep -c '^msgid "[^"]' \
		| xargs -I{} echo "{} untranslated in django.po" || true

run: $(VENV)/.installed messages
	@scripts/install-fonts || echo "Without those fonts, PDFs print names in other scripts as boxes."
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data
	$(VENV)/bin/daphne $(LISTEN) config.asgi:application

# The demo's rota spans two weeks either side of the day it was built. Notes can never be
# deleted (the database refuses), so an aged demo is refreshed by making the embedded SQLite
# database anew around today; a DATABASE_URL database is left alone.
demo-refresh: $(VENV)/.installed
	@test -z "$$DATABASE_URL" || { echo "demo-refresh rebuilds the embedded SQLite demo only; load the demo into a new database for DATABASE_URL."; exit 1; }
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data

# A self-signed certificate for this machine's address on the local network (HOST), valid 30
# days, for `make run HOST=... TLS_CERT=.tls/cert.pem TLS_KEY=.tls/key.pem` (README).
tls-cert:
	@test "$(HOST)" != "127.0.0.1" || { echo "Give the address tablets reach: make tls-cert HOST=192.168.1.20"; exit 1; }
	mkdir -p .tls
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout .tls/key.pem -out .tls/cert.pem \
		-subj "/CN=careteams on $(HOST)" -addext "subjectAltName=IP:$(HOST)" \
		-addext "basicConstraints=critical,CA:TRUE"
	@echo "Install .tls/cert.pem on the tablet as a trusted certificate (README, Trying it on a tablet)."

# Two test processes (pytest-xdist), each with its own test database and Redis database; a
# file's tests stay together (module fixtures build their world once), and files are handed out
# longest first, in the order tests/longest_first.py collects them. TEST_WORKERS=0: one.
TEST_WORKERS ?= 2
test: $(VENV)/.installed messages chromium fonts nginx
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder) $(PYTEST_ARGS)

# The tests that read today, this week or now (marked clock_sensitive) again at the two worst
# moments for a London team (tests/clocks.py): just after midnight on a Monday, in summer time
# (still Sunday in UTC), and just before midnight on a Sunday, in winter. Browser tests are left
# out: the browser keeps the real clock. So are the demo builds at fixed moments (test_demo_builder,
# test_demo_midweek): they run on the demo's own clock, whatever the real one says.
# The clocks' sessions run side by side, the workers shared among them (each session's files are
# two long ones, the demo world and the scale world: one after the other, one core idled while
# the other built the demo). Each has test databases named after its clock (tests/clocks.py) and
# Redis database numbers of its own; their output follows, clock by clock. TEST_WORKERS=0: one
# session at a time, in one process.
CLOCKS ?= 2026-06-29T00:30:00+01:00 2026-12-06T23:30:00+00:00
test-clocks: $(VENV)/.installed messages
	@clocks=($(CLOCKS)); workers=$(TEST_WORKERS); \
	if [ "$$workers" = 0 ]; then \
		for clock in "$${clocks[@]}"; do \
			echo "Clock-sensitive tests at $$clock"; \
			$(PY) -m pytest -m "clock_sensitive and not e2e" --clock=$$clock $(PYTEST_ARGS) || exit 1; \
		done; exit 0; \
	fi; \
	each=$$(( workers / $${#clocks[@]} )); step=$$(( each >= 2 ? each : 1 )); \
	xdist=$$( (( each >= 2 )) && echo "-n $$each --dist loadfile" || echo "-p no:xdist"); \
	redis=$${REDIS_URL:-}; db=0; \
	if [[ "$$redis" =~ ^(.*://[^/]*)/([0-9]*)$$ ]]; then redis=$${BASH_REMATCH[1]}; db=$${BASH_REMATCH[2]:-0}; fi; \
	logs=$$(mktemp -d); pids=(); \
	for n in "$${!clocks[@]}"; do \
		REDIS_URL=$${redis:+$$redis/$$(( (db + n * step) % 16 ))} \
			$(PY) -m pytest -m "clock_sensitive and not e2e" --clock=$${clocks[$$n]} \
			$$xdist $(PYTEST_ARGS) >"$$logs/$$n" 2>&1 & pids+=($$!); \
	done; \
	status=0; \
	for n in "$${!clocks[@]}"; do \
		wait $${pids[$$n]} || status=1; \
		echo "Clock-sensitive tests at $${clocks[$$n]}"; cat "$$logs/$$n"; \
	done; \
	rm -rf "$$logs"; exit $$status

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

# The proxy tests start Debian's nginx with the deploy configuration.
nginx:
	@scripts/install-nginx

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

# Leaflet for the week board's map of the day, from the npm registry (version in
# scheduling/static/scheduling/vendor/leaflet/VERSION, licence beside it).
vendor-map:
	scripts/vendor-map $(LEAFLET_VERSION)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
