# Mentorat — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint format messages install clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/lock.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# Compile the matching engine's national-scale kernels now (numba's cache), so that a
	# first national run is as fast as the next ones (docs/matching-engine.md).
	$(BIN)/python -m matching_engine.warmup
	touch $(STAMP)

install: $(STAMP)

## Run the demo: SQLite database with demo data, served on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set)
test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## Lint and type-check
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mentorat matching_engine
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/vulture matching_engine vulture_whitelist.py --min-confidence 60
	$(BIN)/vulture mentorat vulture_whitelist.py --exclude "*/migrations/*" --min-confidence 80
	$(BIN)/interrogate --fail-under 90 matching_engine
	# Translations (needs gettext): no fuzzy, empty or missing French message, French
	# typography, django.mo compiled from django.po (tests/test_translations.py).
	msgfmt --check --output-file=/dev/null locale/fr/LC_MESSAGES/django.po
	$(BIN)/python -m pytest -q -n 0 -p no:cacheprovider tests/test_translations.py -m "not django_db"

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh translation files after changing strings (needs gettext)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

## Screenshots of the key pages at 1280 px and 390 px into docs/screenshots/ (needs Chromium)
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
