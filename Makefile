# Hilltrack: `make run` serves the app on the embedded SQLite database; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 4
THREADS ?= 1

.PHONY: run worker messages new-language test lint typecheck pytest install install-dev lock audit screenshots bench bench-load clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hilltrack needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take the exact versions and hashes of the lock files (reproducible deployments);
# pyproject.toml keeps the ranges a library user needs. `make lock` writes the locks anew.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev]'
	@touch $@ $(VENV)/.installed

lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 --quiet -o requirements-dev.lock

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/hilltrack db upgrade
	$(BIN)/hilltrack users ensure-admin
	$(BIN)/hilltrack import officials --bundled --if-empty
	@echo "Hilltrack is starting on http://$(HOST):$(PORT)/ with its job worker (Ctrl-C stops both)"
	$(BIN)/hilltrack serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --threads $(THREADS)

# The job worker alone (imports, letters, the nightly import), for a server that runs the web
# app elsewhere; with TRACKER_REDIS_URL set, run as many as you like.
worker: install
	$(BIN)/hilltrack worker

# The French catalogue: add every new message of the code and templates to the .po (then
# translate them there; tests/test_catalogue.py fails while one is missing, fuzzy or empty).
# --ignore-dirs: Babel skips folders named "_*" by default, and templates/_macros holds text.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k N_:1c,2 -k column -k said -k said_plural:1,2 -k sentence -k plural:1,2 --ignore-dirs '.*'

messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -o messages.pot --no-location --omit-header --sort-output $(BABEL_KEYWORDS) .
	$(BIN)/pybabel update -i messages.pot -d tracker/translations -l fr --no-wrap --ignore-obsolete
	rm -f messages.pot

# A catalogue for a new language, from every message: make new-language LANG=es
new-language: install-dev
	$(BIN)/pybabel extract -F babel.cfg -o messages.pot --no-location --omit-header --sort-output $(BABEL_KEYWORDS) .
	$(BIN)/pybabel init -i messages.pot -d tracker/translations -l $(LANG) --no-wrap
	rm -f messages.pot

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

# With HILLTRACK_TEST_POSTGRES_URL set, the PostgreSQL run goes beside the SQLite run, one on
# each core (the browser tests, and the tests that never reach the run's database, run once, on
# SQLite); its output follows the SQLite run's. Each run names its fifteen slowest steps.
pytest: install-dev
	@if [ -z "$$HILLTRACK_TEST_POSTGRES_URL" ]; then \
		echo "HILLTRACK_TEST_POSTGRES_URL is not set: PostgreSQL run skipped (.ci/run sets it)"; \
		$(BIN)/pytest -q; \
	else \
		log=$$(mktemp -t hilltrack-postgres-run.XXXXXX); \
		$(BIN)/pytest -q --durations=15 --db postgres -m "not browser" >"$$log" 2>&1 & postgres=$$!; \
		echo "--- on SQLite, while PostgreSQL ($$HILLTRACK_TEST_POSTGRES_URL) runs beside it"; \
		$(BIN)/pytest -q --durations=15; sqlite_status=$$?; \
		wait $$postgres; postgres_status=$$?; \
		echo "--- on PostgreSQL ($$HILLTRACK_TEST_POSTGRES_URL)"; \
		cat "$$log"; rm -f "$$log"; \
		[ $$sqlite_status -eq 0 ] && [ $$postgres_status -eq 0 ]; \
	fi

test: lint typecheck pytest

# Measures and rewrites the figures in docs/performance.md: the pages at 1x and at ten times the
# data in one run (PostgreSQL too when TRACKER_BENCH_POSTGRES_URL names a scratch database: it
# is wiped). About half an hour with PostgreSQL: building the 10x datasets is most of it.
bench: install-dev
	$(BIN)/python -m bench.import_bench
	$(BIN)/python -m bench.pages_bench
	$(BIN)/python -m bench.letters_bench
	$(BIN)/python -m bench.mail_bench
	$(BIN)/python -m bench.outcomes_bench
	$(BIN)/python -m bench.search_bench
	$(BIN)/python -m bench.api_bench

# Throughput under gunicorn with wrk (Debian's package: apt-get install -y wrk): a mixed
# workload of volunteers logging and coordinators reading, on SQLite and on PostgreSQL when
# TRACKER_BENCH_POSTGRES_URL is set.
bench-load: install-dev
	$(BIN)/python -m bench.load_bench

# Rewrites docs/screenshots/ from the browser tests.
screenshots: install-dev
	mkdir -p docs/screenshots
	HILLTRACK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/browser

# Needs the advisory service on the network, so it is not part of `make test`.
audit: install-dev
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --skip-editable

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
