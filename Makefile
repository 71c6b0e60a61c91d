# Two entry points that work on a fresh machine:
#   make run   set up .venv, run the default scenario (10,000 draws), rank what drives Russia's
#              months to crisis (Sobol), find where the article's premise holds (PRIM on
#              100,000 draws), and write the HTML report
#   make test  set up .venv with the dev and all optional extras and run lint, types, layers
#              and the tests (browser tests need /usr/bin/chromium; .ci/run installs it)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DRAWS ?= 10000

.PHONY: run test lint typecheck layers pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[fast,nlp]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,all]'
	touch $@ $(VENV)/.installed-run

# The folder `ceasefire run` picks by default for this run (README, "Using it"): the plain
# name for 10,000 draws, `.nDRAWS` otherwise, so `ceasefire run` and `make run` never clobber
# each other's outputs with a different ensemble.
OUT := out/russia-ukraine-2024-11$(if $(filter-out 10000,$(DRAWS)),.n$(DRAWS))

run: $(VENV)/.installed-run
	$(BIN)/ceasefire run russia-ukraine-2024-11 --draws $(DRAWS) --seed 0 -o $(OUT)
	$(BIN)/ceasefire sensitivity russia-ukraine-2024-11 --seed 0 --top 5 --no-progress \
		--save $(OUT)/sensitivity.json
	$(BIN)/ceasefire discover $(OUT)/ensemble.nc --outcome 'months_to_crisis.russia <= 36' \
		--label "A Russian manpower crisis within 36 months (the article's premise)" \
		--seed 0 --no-progress --save $(OUT)/discovery.json
	$(BIN)/ceasefire report $(OUT)/ensemble.nc -o $(OUT)/report.html

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

layers: $(VENV)/.installed-dev
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck layers pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/pysd_reference.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
