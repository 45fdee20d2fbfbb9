# Søknadsportal for nasjonale tjenester
#   make run   – install into .venv, create the SQLite database with demo data, serve on :5000
#                (another port: make run PORT=8080)
#   make test  – install what the tests need (incl. Chromium via apt when missing) and run them
#   make bench – measure the application page and autosave against a hello-world floor

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/soknad demo
	SOKNAD_SCHEDULER=inprocess SOKNAD_BASE_URL=$${SOKNAD_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/soknad run --host 127.0.0.1 --port $(PORT)

system-deps:
	scripts/ensure-system-deps.sh

lint: install
	$(BIN)/ruff check .

test: install system-deps lint
	$(BIN)/pytest

bench: install
	scripts/ensure-system-deps.sh bench
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
