# The README's commands. Only Python 3.11+ and make are needed; everything else
# is installed into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SAMVERKAN_HOME ?= $(CURDIR)/var
PIP_FLAGS ?= -q --disable-pip-version-check
# pytest-xdist workers: the suite runs in about 5 minutes per database on two cores.
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck pytest pytest-postgres bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'
	touch $@ $(VENV)/.installed

## demo: install, migrate a SQLite database under var/, load the demo data and serve on :8000
demo: $(VENV)/.installed
	DEBUG=1 DEBUG_ERROR_PAGES=0 $(BIN)/samverkan demo

## test: ruff, mypy and the whole pytest suite (SQLite, then PostgreSQL when TEST_DATABASE_URL is set)
test: $(VENV)/.installed-dev lint typecheck pytest pytest-postgres

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# schemathesis against a served demo installation: its own SQLite, so once is enough.
SCHEMATHESIS_TEST := tests/api/test_schemathesis.py

pytest-postgres: $(VENV)/.installed-dev
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== pytest on PostgreSQL ($${TEST_DATABASE_URL%%@*}@…)"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -n $(PYTEST_WORKERS) --ignore=$(SCHEMATHESIS_TEST) $(PYTEST_ARGS); \
	elif [ "$$SAMVERKAN_REQUIRE_ALL" = "1" ]; then \
	  echo "FAILED: SAMVERKAN_REQUIRE_ALL=1 but TEST_DATABASE_URL is not set, so the PostgreSQL run cannot happen"; exit 1; \
	else \
	  echo "SKIPPED: the PostgreSQL run (set TEST_DATABASE_URL=postgres://user@host:port/db to run the suite on PostgreSQL too)"; \
	fi

## bench: run every benchmark under bench/; each prints JSON lines
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

## messages: extract and compile the Swedish translations
messages: $(VENV)/.installed-dev
	cd src/samverkan && ../../$(BIN)/samverkan makemessages -l sv --no-obsolete --no-location && ../../$(BIN)/samverkan compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
