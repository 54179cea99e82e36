# Storyline: `make demo` runs the main job on the samples, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test check lint typecheck pytest quick clean

$(BIN)/storyline: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(BIN)/storyline
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

demo: $(BIN)/storyline
	rm -f $(DEMO_DB)
	$(BIN)/storyline analyze examples/seeds --db $(DEMO_DB)
	$(BIN)/storyline show --all --db $(DEMO_DB)
	$(BIN)/storyline stories --db $(DEMO_DB)
	$(BIN)/storyline story --all --db $(DEMO_DB)

test: check

check: $(VENV)/.dev lint typecheck pytest

lint:
	$(BIN)/ruff check src tests eval bench
	$(BIN)/ruff format --check src tests eval bench

typecheck:
	$(BIN)/mypy

# Everything, the slow data-driven evaluations included (they fit CI's budget).
pytest:
	$(BIN)/python -m pytest -q

# The fast subset, for the edit-test loop.
quick: $(VENV)/.dev
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
