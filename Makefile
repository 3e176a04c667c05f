# Reflect: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

# `make run` serves the real app on plain HTTP on this machine: DEBUG off,
# gunicorn, WhiteNoise, a secret key generated once into var/. `make dev` is
# the development server with autoreload and DEBUG. Production reads the real
# environment instead (see README, "Running in production").
SECRET_KEY_FILE := var/secret_key
RUN_ENV := DJANGO_DEBUG=0 DJANGO_SECURE=0 DJANGO_SECRET_KEY_FILE=$(CURDIR)/$(SECRET_KEY_FILE) \
	DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1 DJANGO_STATIC_MANIFEST=1
DEV_ENV := DJANGO_DEBUG=1 DJANGO_SECURE=0
HOST ?= http://127.0.0.1:$(PORT)

.PHONY: help setup run dev serve test lint typecheck bench load clean

help:
	@echo "make run    set up and serve the real app on http://127.0.0.1:$(PORT) (SQLite under var/)"
	@echo "make dev    the development server with autoreload and DEBUG"
	@echo "make test   set up, lint, type-check and run every test (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make bench  run the benchmarks in tests/benchmarks/"
	@echo "make serve  gunicorn with production settings against DATABASE_URL"
	@echo "make load   50 clinicians for 60 s against HOST (default http://127.0.0.1:$(PORT))"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var

$(SECRET_KEY_FILE): | $(BIN)/python
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))' > $@

# The background worker (long exports) runs beside the server and stops with it.
run: setup $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_prompts
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Reflect on http://127.0.0.1:$(PORT) (make dev for the development server)"
	trap 'kill 0' EXIT; \
		$(RUN_ENV) $(BIN)/python manage.py run_worker & \
		$(RUN_ENV) HOST=127.0.0.1 PORT=$(PORT) $(BIN)/gunicorn reflect.wsgi:application \
			--config reflect/gunicorn.conf.py

dev: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_prompts
	trap 'kill 0' EXIT; \
		$(DEV_ENV) $(BIN)/python manage.py run_worker & \
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

# mypy with django-stubs imports the settings, which need DEBUG (or a secret key) to load.
typecheck: setup
	$(DEV_ENV) $(BIN)/mypy reflect journal

test: lint typecheck
	$(BIN)/pytest

# Benchmarks run on PostgreSQL (the local one unless DATABASE_URL says otherwise), then the
# page and search benchmarks again on SQLite, the embedded default.
bench: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/reflect} \
		$(BIN)/pytest tests/benchmarks -o norecursedirs= -p no:cacheprovider -s -q
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 \
		$(BIN)/pytest tests/benchmarks/test_pages_bench.py -o norecursedirs= -p no:cacheprovider -s -q

# Against a server already running (make run, or gunicorn on PostgreSQL): creates
# the load clinicians, runs locust headless, then checks every saved write.
# The database checked is the one this shell's DATABASE_URL names (SQLite under var/ by default).
load: setup $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/python tests/load/run.py --host $(HOST)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
