# coursehub: `make run` serves the app with demo data; `make test` runs every test with real parts.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := coursehub

.PHONY: run test install install-test system-tools translations lint audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: | $(BIN)/python
	@$(BIN)/python -c "import babel" 2>/dev/null || $(BIN)/pip install --quiet -e .
	@if compgen -G "translations/*/LC_MESSAGES/messages.po" >/dev/null; then $(BIN)/pybabel compile -d translations 2>&1 | tail -n 1; fi

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	COURSEHUB_SCHEDULER=inprocess $(BIN)/flask run --host 127.0.0.1 --port 5000

# Chromium, PostgreSQL and Java (for the HTML checker) come from Debian; installed only when
# missing and when we are root.
system-tools:
	@bash scripts/install-system-tools.sh

lint: install-test
	$(BIN)/ruff check coursehub tests
	$(BIN)/ruff format --check coursehub tests
	$(BIN)/bandit -q -r coursehub
	$(BIN)/mypy

# Known vulnerabilities in the installed packages; needs the vulnerability service, which the
# build machines cannot reach, so it is not part of `make test`.
audit: install-test
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit --skip-editable

test: install-test system-tools lint
	@bash scripts/run-tests.sh

clean:
	rm -rf $(VENV) instance/*.sqlite*
