# Two entry points for a fresh machine with Python 3.11 and pip:
#   make demo   create .venv if missing, install dq, run the demo workspace
#   make test   create .venv if missing, install dq with dev and bench tools, run ruff, mypy and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test check lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/dq demo

test: check

check: lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check dq tests benchmarks
	$(BIN)/ruff format --check dq tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
