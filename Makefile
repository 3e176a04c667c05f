# Reflect: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

# The development environment `make run` gives itself. Production reads the
# real environment instead (see README, "Running in production").
DEV_ENV := DJANGO_DEBUG=1 DJANGO_SECURE=0

.PHONY: help setup run serve test lint typecheck bench clean

help:
	@echo "make run    set up and serve on http://127.0.0.1:$(PORT) (SQLite under var/)"
	@echo "make test   set up, lint and run every test (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make bench  run the benchmarks in tests/benchmarks/"
	@echo "make serve  gunicorn with production settings against DATABASE_URL"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var

# The background worker (long exports) runs beside the server and stops with it.
run: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_prompts
	trap 'kill 0' EXIT; \
		$(DEV_ENV) $(BIN)/python manage.py db_worker & \
		$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: setup
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_prompts
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn reflect.wsgi:application --config reflect/gunicorn.conf.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(DEV_ENV) $(BIN)/mypy reflect journal

test: lint
	$(BIN)/pytest

# Benchmarks run on PostgreSQL (the local one unless DATABASE_URL says otherwise).
bench: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/reflect} \
		$(BIN)/pytest tests/benchmarks -o norecursedirs= -p no:cacheprovider -s -q

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
