# homes_app: set-up, serving, tests and benchmarks. Every target installs what it needs first.
#   make run     install what running needs, migrate, demo data on first run, serve on http://127.0.0.1:5000
#   make serve   production-style: migrate, then gunicorn (needs SECRET_KEY, BASE_URL, DATABASE_URL)
#   make test    install with the test tools (plus PostgreSQL, Chromium), lint, check the wheel, tests
#   make bench   print the benchmark figures, one `name=value unit` a line
#   make lint    ruff and bandit
#   make wheel   build dist/homes_app-*.whl (templates, static files, migrations inside)
#   make lock    re-make requirements/*.txt (exact, hashed) from pyproject.toml
#   make clean   remove build and test output (keeps .venv, node_modules and instance/)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --quiet --disable-pip-version-check
FLASK  := $(BIN)/flask --app wsgi
# Local development over plain http, with the production refusals off (homes_app/config.py).
DEV    := HOMES_DEVELOPMENT=1
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: help install install-test assets run serve migrate demo-data test test-deps lint \
        bench wheel lock clean distclean

help:
	@sed -n '2,9p' Makefile | sed 's/^# *//'

# ---- installation --------------------------------------------------------------------------

# What running needs (requirements/runtime.txt), or that and the test tools (requirements/
# test.txt): exact versions, every file checked against its hash. Then the app itself, editable
# and with no dependencies of its own; --no-build-isolation builds it with the locked setuptools
# rather than whatever version pip would fetch. Each runs again when its lock file changes.
install: $(VENV)/.runtime-installed assets
install-test: $(VENV)/.test-installed assets

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "homes_app needs Python 3.11 or newer; set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements/runtime.txt pyproject.toml setup.py | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/runtime.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.test-installed: requirements/test.txt pyproject.toml setup.py | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/test.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# GOV.UK Frontend from npm (pinned in package.json and package-lock.json).
node_modules/.installed: package.json package-lock.json
	@scripts/install-node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The GOV.UK Frontend files the pages use (its stylesheet and script, their source maps, and
# the fonts and images under assets/, served as /assets/...) are copied into static/govuk/
# (git-ignored). Then homes_app/static_build.py gives every file of static/ a fingerprinted
# copy (app.css: app.<hash>.css) with .br and .gz copies, and writes static/staticfiles.json,
# by which the app links and serves them (homes_app/static_assets.py). It runs again when
# GOV.UK Frontend or one of static/'s own files changes (restart `make run` to serve them).
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
assets: static/staticfiles.json

# Also after a change here: a checkout copied by an older rule gets the current selection.
static/govuk/.copied: node_modules/.installed Makefile
	rm -rf static/govuk
	mkdir -p static/govuk
	cp $(GOVUK_DIST)/govuk-frontend.min.css $(GOVUK_DIST)/govuk-frontend.min.css.map \
	  $(GOVUK_DIST)/govuk-frontend.min.js $(GOVUK_DIST)/govuk-frontend.min.js.map static/govuk/
	cp -R $(GOVUK_DIST)/assets static/govuk/
	@touch $@

static/staticfiles.json: static/govuk/.copied $(wildcard static/*.css static/*.js)
	$(BIN)/python -m homes_app.static_build static

# ---- lock files ----------------------------------------------------------------------------

# pip-compile (pip-tools, in a venv of its own) resolves pyproject.toml's dependencies for this
# Python and writes every package with its hashes: requirements/test.txt with the `test` extra,
# then requirements/runtime.txt without it, starting from test.txt's pins so the two agree on
# every package they share. Existing pins are kept unless LOCK_ARGS says otherwise:
# make lock LOCK_ARGS=--upgrade (everything) or LOCK_ARGS="--upgrade-package flask".
# Only PyPI is consulted (no local pip configuration), so the hashes are PyPI's own files'.
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.7.0
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
  PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile \
  --quiet --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
  --no-emit-index-url --no-emit-find-links

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check $(PIP_TOOLS)

lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) $(LOCK_ARGS) --extra test -o requirements/test.txt pyproject.toml
	cp requirements/test.txt requirements/runtime.txt
	$(PIP_COMPILE) -o requirements/runtime.txt pyproject.toml
	@echo "requirements/runtime.txt: $$(grep -c '==' requirements/runtime.txt) packages;" \
	  "requirements/test.txt: $$(grep -c '==' requirements/test.txt)"

# ---- running -------------------------------------------------------------------------------

migrate: install
	$(DEV) $(FLASK) db upgrade

# Demo data only when the database has no homes yet; it prints the demo log-ins.
demo-data: migrate
	$(DEV) $(FLASK) demo-data --if-empty

# The scheduled jobs (alerts, their emails) run in their own process beside the web server
# (one scheduler process, never in web workers: docs/operations.md); it is
# stopped, and its leader lease released, when the server stops (Ctrl-C).
run: demo-data
	@echo "Serving on http://$(HOST):$(PORT) with the scheduled jobs (Ctrl-C to stop)"
	$(DEV) $(FLASK) run-scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(FLASK) run --host $(HOST) --port $(PORT)

# Production-style: settings come from the environment only (no HOMES_DEVELOPMENT), so the app
# refuses to start without SECRET_KEY, an https BASE_URL and DATABASE_URL (or
# HOMES_SQLITE_OK=1). gunicorn.conf.py sets the workers and the address (GUNICORN_BIND).
serve: install
	$(FLASK) db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# The wheel carries templates/, static/ (static/govuk/ included) and migrations/ (setup.py).
# build/ is removed before and after: setuptools would otherwise ship files left in it.
wheel: $(VENV)/.runtime-installed assets
	rm -rf build
	$(PIP) wheel --no-deps --no-build-isolation --wheel-dir dist .
	rm -rf build
	@ls dist/homes_app-*.whl

# ---- checking ------------------------------------------------------------------------------

# PostgreSQL server binaries and /usr/bin/chromium, with apt-get, only where missing.
test-deps:
	@scripts/install-test-deps

# Static security check: no finding of medium or high severity may stand (the low ones we
# accept are listed with reasons in docs/security.md).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive homes_app --severity-level medium

# scripts/check-wheel builds the wheel, installs it into a fresh venv outside the checkout and
# serves a page from it with gunicorn. Then the whole suite, browser journeys included, on
# SQLite and again on a throwaway PostgreSQL server that the tests start themselves (tests/pg.py).
test: install-test test-deps lint
	PYTHON=$(PYTHON) scripts/check-wheel
	$(BIN)/pytest -q
	$(BIN)/pytest -q --db=postgresql

# BENCH_ARGS passes options through, e.g. make bench BENCH_ARGS="--db postgresql".
bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

# ---- tidying -------------------------------------------------------------------------------

clean:
	find static -maxdepth 1 -regextype posix-extended \
	  -regex '.*\.([0-9a-f]{12}\.[^./]+|gz|br)' -delete
	rm -rf static/govuk static/staticfiles.json test-results .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -not -path "./$(LOCK_VENV)/*" \
	  -not -path "./node_modules/*" -prune -exec rm -rf {} +

# Also the installed packages; instance/ (database, secret key) is never removed.
distclean: clean
	rm -rf $(VENV) $(LOCK_VENV) node_modules
