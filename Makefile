# The two commands: `make run` (install + app on the Elverum demo) and `make test` (install + every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test chromium demo bench lint layers

run: install
	$(BIN)/geoplan demo
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: install-test chromium
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Debian's Chromium for the Playwright browser test (no browser download).
chromium:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

demo: install
	$(BIN)/python scripts/make_demo.py

bench: install-test chromium
	$(BIN)/geoplan bench

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

layers: install-test
	$(BIN)/lint-imports
