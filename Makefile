# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= $(CURDIR)/.demo/demo.db

.PHONY: demo test check lint types lint-imports bench bench-office clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(dir $(DEMO_DB)) && mkdir -p -m 700 $(dir $(DEMO_DB))
	$(BIN)/cadre-tui --db $(DEMO_DB) demo
	$(BIN)/cadre-tui --db $(DEMO_DB)

test: $(STAMP) check
	$(BIN)/python -m pytest

check: lint types lint-imports

lint: $(STAMP)
	$(BIN)/ruff check cadre_tui tests seeds bench
	$(BIN)/ruff format --check cadre_tui tests seeds bench

types: $(STAMP)
	$(BIN)/mypy

# The import contracts of pyproject.toml ([tool.importlinter]): layers one way, core without SQLite/Textual.
lint-imports: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo

bench: $(STAMP)
	$(BIN)/python -m bench

# A district's year: 200 communities' logs (~3 million rows) into PostgreSQL and SQLite (bench/office.py);
# long, so apart from `make bench`. A smaller run: make bench-office BENCH_OFFICE_ARGS="--communities 20"
bench-office: $(STAMP)
	$(BIN)/python -m bench.office $(BENCH_OFFICE_ARGS)

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
