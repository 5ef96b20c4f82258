# AppSync Emulator: make run | make test | make bench | make lint
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two installs into one venv: `make run` needs only what serving needs; `make test` (and setup, lint,
# bench) add the test extras (pytest, Playwright, hypothesis, ruff, ...).
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench setup clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $(RUN_STAMP) $(TEST_STAMP)

setup: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/appsync-emulator serve examples/blog/schema.graphql --config examples/blog/appsync-emulator.toml \
		--seed examples/blog/seed.json

test: $(TEST_STAMP)
	bash scripts/ensure-test-tools.sh
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

bench: $(TEST_STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .appsync-emulator
