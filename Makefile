# Developer commands. Every target that needs the tools runs scripts/setup.sh first
# (idempotent: it only reinstalls what changed).
#   make run    [HOST=127.0.0.1 PORT=8000]   demo event on http://HOST:PORT
#   make test   [PYTEST_ARGS=...]            lint + type check + the whole test suite
#   make check                               ruff check, ruff format --check, mypy
#   make bench  [BENCH_ARGS=...]             benchmarks (see docs/benchmarks.md)
#   make mutations                           deliberate bugs the tests must catch (a few minutes)
#   make fmt                                 ruff format + ruff check --fix
#   make messages                            extract strings, update the de/en catalogs
#   make clean / make distclean              caches and build output / also .venv, node_modules

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BIN := .venv/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
LOCALE_DIR := conference/web/locale
LOCALES := de en

.PHONY: help setup setup-test run test check lint fmt bench mutations messages clean distclean

help:
	@sed -n '1,10p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

run: setup
	$(BIN)/conference demo --host $(HOST) --port $(PORT)

# Lint first (quick), then the tests, whose summary stays the last line on success;
# fails if either failed.
test: setup-test
	@lint=0; $(MAKE) --no-print-directory lint || lint=$$?; \
	$(BIN)/pytest $(PYTEST_ARGS); \
	if [ "$$lint" -ne 0 ]; then echo "make test: the tests ran, but lint / type check failed (see above)" >&2; exit 1; fi

check: setup
	@$(MAKE) --no-print-directory lint

# The checks without the set-up; runs all three and fails if any failed.
lint:
	@status=0; \
	echo "+ ruff check"; $(BIN)/ruff check --output-format=concise . || status=1; \
	echo "+ ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "+ mypy"; $(BIN)/mypy || status=1; \
	exit $$status

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup-test
	$(BIN)/python -m bench $(BENCH_ARGS)

mutations: setup-test
	$(BIN)/python scripts/check-mutations.py

messages: setup
	mkdir -p $(LOCALE_DIR)
	$(BIN)/pybabel extract -F babel.cfg -o $(LOCALE_DIR)/messages.pot \
		--project=conference --copyright-holder="conference contributors" \
		-k N_ -k plural_forms:1,2 --add-comments=Translators: --sort-by-file --width=100 .
	@for lang in $(LOCALES); do \
		if [ -f $(LOCALE_DIR)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR) -D messages -l $$lang --width=100; \
		else \
			$(BIN)/pybabel init -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR) -D messages -l $$lang; \
		fi; \
	done
	$(BIN)/pybabel compile -d $(LOCALE_DIR) -D messages

clean:
	rm -rf static/dist .mypy_cache .ruff_cache .pytest_cache test-results *.egg-info
	rm -f $(LOCALE_DIR)/*/LC_MESSAGES/*.mo
	find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv node_modules
