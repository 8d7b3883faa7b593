# Observatoire: `make run` for a local instance with demo data, `make test` for the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
# Two workers: the machines have two cores.
PYTEST_WORKERS ?= 2
# The stamps say which extras were installed from which pyproject.toml.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help run test lint check-migrations pytest test-postgres bench messages compile-messages install install-dev clean

help:
	@echo "make run       start the web server and the task worker on http://127.0.0.1:$(PORT)/ with demo data"
	@echo "make test      lint, migrations check, the suite on SQLite, then on PostgreSQL"
	@echo "make bench     compare with Datasette, sqlite-utils, psql and Splink at national scale (bench/)"
	@echo "make messages  extract the French and English messages into locale/"
	@echo "make clean     remove the local database and files (var/) and the install stamps"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

# The bench extra too: the tests of bench/ run Datasette, Splink and the load generator.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

# polib rather than gettext's msgfmt: no system package is needed.
compile-messages: $(STAMP)
	$(PY) scripts/compile_messages.py

run: export DEBUG := 1
# Links in mails and the demo logins printed below follow the port chosen.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install compile-messages
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) load_demo_network
	@echo
	@echo "Observatoire: http://127.0.0.1:$(PORT)/   back office: http://127.0.0.1:$(PORT)/gestion/"
	@echo "Demo logins:"
	@$(MANAGE) demo_logins
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --port $(PORT)

test: install-dev compile-messages lint check-migrations pytest test-postgres

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: install-dev
	DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL=sqlite://:memory: \
		$(MANAGE) makemigrations --check --dry-run

pytest: install-dev compile-messages
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The database tests again, on a throw-away PostgreSQL cluster (skipped where none is installed).
test-postgres: install-dev compile-messages
	scripts/with_postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"

# The side-by-side comparisons of bench/run_national.py; `make bench QUICK=1` for a smoke run.
bench: install-dev compile-messages
	$(PY) bench/run_national.py $(if $(QUICK),--quick) $(BENCH_ARGS)

# Apps with their own catalogue (observatoire/<app>/locale/) keep their strings out of locale/.
APPS_WITH_LOCALE := $(patsubst %/locale,%,$(wildcard observatoire/*/locale))

messages: install
	DEBUG=1 $(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=node_modules --ignore=bench \
		--ignore=config/locale \
		$(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app))
	for app in $(APPS_WITH_LOCALE); do \
		(cd $$app && DEBUG=1 DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=$(CURDIR) \
			$(CURDIR)/$(BIN)/django-admin makemessages -l fr -l en); \
	done

clean:
	rm -rf var
	rm -f $(STAMP) $(DEV_STAMP)
