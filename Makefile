# Life Logger: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv and install the package when needed; nothing else to set up.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What serving needs (`make run`), and what the suite needs on top (`make test`):
# a new user waits only for the first.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install migrate clean e2e-deps bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TEST_STAMP)

install: $(RUN_STAMP)

migrate: install
	$(BIN)/flask --app wsgi db upgrade

run: migrate
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: $(TEST_STAMP) e2e-deps api-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# --- The OpenAPI document against outside tools (docs/api.md, tests/test_api_contract.py) ---
# `make api-tools` installs the pinned npm tools (redocly, @hey-api/openapi-ts,
# typescript) into tests/clients/node_modules from package-lock.json (npm ci);
# `make lint-api` lints the live document with redocly's recommended rules.
.PHONY: api-tools lint-api
API_TOOLS := tests/clients/node_modules/.installed

$(API_TOOLS): tests/clients/package.json tests/clients/package-lock.json
	cd tests/clients && npm ci --no-audit --no-fund --loglevel=error
	touch $(API_TOOLS)

api-tools: $(API_TOOLS)

lint-api: $(RUN_STAMP) $(API_TOOLS)
	$(BIN)/flask --app wsgi openapi write tests/clients/openapi.json
	cd tests/clients && node_modules/.bin/redocly lint openapi.json --max-problems 1000

# --- nginx for the HTTPS end-to-end test (tests/test_nginx_e2e.py) ----------
# Debian's nginx (and openssl for the test certificate), installed with apt-get
# when missing and apt-get can run (as root, or with password-less sudo);
# otherwise the test is skipped and says why.
e2e-deps:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then has_nginx=1; fi; \
	if [ -z "$$has_nginx" ] || ! command -v openssl >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi; \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$sudo" != none ]; then \
	    echo "Installing nginx and openssl with apt-get for the end-to-end test"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    $$sudo apt-get install -y -q --no-install-recommends nginx openssl >/dev/null \
	      || { $$sudo apt-get update -q >/dev/null && $$sudo apt-get install -y -q --no-install-recommends nginx openssl >/dev/null; }; \
	  else \
	    echo "nginx or openssl is missing and apt-get cannot run here: tests/test_nginx_e2e.py will be skipped"; \
	  fi; \
	fi

# --- Browser app (tests/e2e, docs/screenshots) ---------------------------------
# The browser tests drive Debian's Chromium (Playwright's own browser download
# cannot work offline) and run the "Query your data" page's curl examples.
# Installed with apt-get when missing; where there is no apt-get, the browser
# tests skip with a message saying so.
CHROMIUM := /usr/bin/chromium

.PHONY: browser-deps screenshots
test: browser-deps

browser-deps:
	@if [ -x $(CHROMIUM) ] && command -v curl >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium and curl with apt-get for the browser tests"; \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium curl >/dev/null; \
	else \
		echo "NOTE: no apt-get here and $(CHROMIUM) or curl is missing: the browser tests (tests/e2e) will be skipped."; \
	fi

# Regenerate docs/screenshots/*.png (tracker, timeline day and week, stats of a week and a year, query, import; desktop and 360 px).
screenshots: $(TEST_STAMP) browser-deps
	LIFELOGGER_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_screenshots.py $(PYTEST_ARGS)

# --- Reliability: the full load test, and docs/reliability.md regenerated from a fresh run.
.PHONY: loadtest reliability-report

# The load test is tests/test_load.py's (tests/support/load.py), run bigger:
# LOAD_USERS users for LOAD_SECONDS s against LOAD_WORKERS gunicorn workers.
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
LOAD_WORKERS ?= 4

loadtest: $(TEST_STAMP)
	LIFELOGGER_LOAD_USERS=$(LOAD_USERS) LIFELOGGER_LOAD_SECONDS=$(LOAD_SECONDS) LIFELOGGER_LOAD_WORKERS=$(LOAD_WORKERS) \
	  $(BIN)/python -m pytest -q -s tests/test_load.py -k short_load_run $(PYTEST_ARGS)

reliability-report: $(TEST_STAMP)
	$(BIN)/python -m bench.reliability_report $(REPORT_ARGS)

# --- benchmark (bench/, docs/performance.md) ---------------------------------
# `make bench` measures the performance budgets (bench/measure.py writes
# docs/performance.json) and rewrites docs/performance.md from it
# (bench/report.py). `make bench-peers` also installs TimeTagger and aw-server
# from PyPI into their own venvs under a temporary folder and measures them on
# the same data. BENCH_ARGS=--strict exits non-zero when a budget fails (the
# report is written either way); BENCH_ARGS=--help lists the options.
.PHONY: bench-peers

bench: install
	LIFELOGGER_BENCH_COMMAND="make bench $(BENCH_ARGS)" $(BIN)/python -m bench $(BENCH_ARGS)

bench-peers: install
	LIFELOGGER_BENCH_COMMAND="make bench-peers $(BENCH_ARGS)" $(BIN)/python -m bench --peers $(BENCH_ARGS)
