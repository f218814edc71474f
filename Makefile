# research-notes: `make run` serves the site with demo content, `make test` runs the suite,
# `make serve` runs it the way production does (gunicorn, DEBUG off, collected static files).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_DEBUG ?= 1

.PHONY: install run serve test lint format screenshots messages clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production settings on http://127.0.0.1:8000 with the local database (and Redis when
# REDIS_URL is set). The secret key below is for this machine only.
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_SECRET_KEY ?= local-serve-only-key-never-used-on-a-real-site-0123456789abcdef
serve: export SITE_URL ?= http://127.0.0.1:8000
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c gunicorn.conf.py config.wsgi

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l en --no-location --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

screenshots: install
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) staticfiles
