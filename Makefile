# SafeMoves: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := SAFEMOVES_DEMO=1 SAFEMOVES_DATA_DIR=$(CURDIR)/var

.PHONY: demo test check lint layers typecheck migrations-check pytest bench install clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(DEMO_ENV) $(BIN)/safemoves demo

# Browser tests drive Debian's Chromium; install it when it is missing (needs root or sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || ./scripts/install-chromium

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Import contracts (pyproject.toml [tool.importlinter]): faces -> domain -> common, and the rest.
layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy safemoves tests bench

# Models and migrations agree: a model change without its migration fails here.
migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run

# Coverage of safemoves (branches too); below the floor in pyproject.toml the run fails.
pytest: $(STAMP) chromium
	$(BIN)/pytest -p no:cacheprovider --cov --cov-report=term:skip-covered

test: lint layers typecheck migrations-check pytest

# Quick local round: everything but the browser tests.
check: lint layers typecheck migrations-check
	$(BIN)/pytest -p no:cacheprovider -m "not browser"

bench: $(STAMP)
	./scripts/install-bench-tools
	$(BIN)/python -m bench
	$(BIN)/python -m bench web
	$(BIN)/python -m bench dashboards

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
