# Two entry points for a fresh machine with Python 3.11 and pip:
#   make demo   create .venv if missing, install dq, run the demo workspace
#   make test   create .venv if missing, install dq with dev, bench and spark extras, run ruff, mypy
#               and pytest
#   (make test also installs headless Chromium for the report's browser test and Java 17 for the
#    Spark engine's tests when missing and the machine has apt-get and root; elsewhere those tests
#    are skipped with a message)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-deps check lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,spark]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/dq demo

test: test-deps check

# The report test opens report.html in headless Chromium; without it that test is skipped.
# The Spark engine's tests need Java 17; without it they are skipped.
test-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
	  else echo "chromium not found: the report's browser test will be skipped"; fi; }
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; \
	  else echo "java not found: the Spark engine's tests will be skipped"; fi; }

check: lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check dq tests benchmarks
	$(BIN)/ruff format --check dq tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
