# The two commands: `make run` (install + app on the Elverum demo) and `make test` (install + every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run public test install install-test chromium demo bytecode bench lint layers

# Local mode: no sign-in, so it listens on this machine only (banner "Ingen innlogging – kun
# lokal bruk").  A server that others reach needs [auth] in .streamlit/secrets.toml (see
# .streamlit/secrets.toml.example) and its own --server.address; without [auth] it refuses.
# `geoplan demo` loads the demo into an empty database and refuses (and `make run` goes on) when
# the database holds your own municipality: the app never loads the demo by itself.
# `python -m streamlit_app` is `streamlit run app.py` that imports the first page's libraries
# while the browser loads (streamlit_app/serve.py); `bytecode` compiles GeoPlan's own modules,
# which an editable install does not (nor Python on import, when PYTHONDONTWRITEBYTECODE is set).
run: install bytecode
	-$(BIN)/geoplan demo
	$(BIN)/python -m streamlit_app --server.headless true --browser.gatherUsageStats false \
		--server.address localhost

# The public instance: the dashboard only (area aggregates, small counts protected), read-only.
PUBLIC_PORT ?= 8502
public: install bytecode
	-$(BIN)/geoplan demo
	GEOPLAN_PUBLIC=1 $(BIN)/python -m streamlit_app --server.headless true \
		--browser.gatherUsageStats false --server.port $(PUBLIC_PORT)

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

# Debian's Chromium for the Playwright browser test (no browser download), and poppler-utils
# (pdftotext, pdftoppm) with which tests/test_report.py reads the meeting papers back.
chromium:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
	@test -x /usr/bin/pdftotext || ($(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils)

demo: install
	$(BIN)/python scripts/make_demo.py

bytecode: install
	$(BIN)/python -c "from streamlit_app.serve import compile_bytecode; raise SystemExit(not compile_bytecode())"

bench: install-test chromium
	$(BIN)/geoplan bench

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

layers: install-test
	$(BIN)/lint-imports
