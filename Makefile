# homes_app: set-up, serving, tests and benchmarks. Every target installs what it needs first.
#   make run     install, migrate, load demo data on first run, serve on http://127.0.0.1:5000
#   make test    install (plus PostgreSQL and Chromium via apt-get), lint, tests on SQLite and PostgreSQL
#   make bench   print the benchmark figures, one `name=value unit` a line
#   make lint    ruff
#   make clean   remove build and test output (keeps .venv, node_modules and instance/)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: help install assets run migrate demo-data test test-deps lint bench clean distclean

help:
	@sed -n '2,6p' Makefile | sed 's/^# *//'

# ---- installation --------------------------------------------------------------------------

install: $(VENV)/.installed assets

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "homes_app needs Python 3.11 or newer; set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The app, editable, with the test tools (pytest, hypothesis, playwright, ruff).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $@

# GOV.UK Frontend from npm (pinned in package.json and package-lock.json).
node_modules/.installed: package.json package-lock.json
	@scripts/install-node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Its built files are copied into static/govuk/ (git-ignored); /assets/... is served from there.
assets: static/govuk/.copied

static/govuk/.copied: node_modules/.installed
	rm -rf static/govuk
	mkdir -p static/govuk
	cp -R node_modules/govuk-frontend/dist/govuk/. static/govuk/
	@touch $@

# ---- running -------------------------------------------------------------------------------

migrate: install
	$(FLASK) db upgrade

# Demo data only when the database has no homes yet; it prints the demo log-ins.
demo-data: migrate
	$(FLASK) demo-data --if-empty

# The scheduled jobs (alerts, their emails) run in their own process beside the web server
# (one scheduler process, never in web workers: docs/operations.md); it is
# stopped, and its leader lease released, when the server stops (Ctrl-C).
run: demo-data
	@echo "Serving on http://$(HOST):$(PORT) with the scheduled jobs (Ctrl-C to stop)"
	HOMES_DEVELOPMENT=1 $(FLASK) run-scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	HOMES_DEVELOPMENT=1 $(FLASK) run --host $(HOST) --port $(PORT)

# ---- checking ------------------------------------------------------------------------------

# PostgreSQL server binaries and /usr/bin/chromium, with apt-get, only where missing.
test-deps:
	@scripts/install-test-deps

# Static security check: no finding of medium or high severity may stand (the low ones we
# accept are listed with reasons in docs/security.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive homes_app --severity-level medium

# The whole suite, browser journeys included, on SQLite and again on a throwaway PostgreSQL
# server that the tests start themselves (tests/pg.py).
test: install test-deps lint
	$(BIN)/pytest -q
	$(BIN)/pytest -q --db=postgresql

# BENCH_ARGS passes options through, e.g. make bench BENCH_ARGS="--db postgresql".
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# ---- tidying -------------------------------------------------------------------------------

clean:
	rm -rf static/govuk test-results .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -not -path "./node_modules/*" \
	  -prune -exec rm -rf {} +

# Also the installed packages; instance/ (database, secret key) is never removed.
distclean: clean
	rm -rf $(VENV) node_modules
