# CTE Portal — every set-up step lives here, so a fresh clone needs only Python 3.11+ and make.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and calendar invitations point at the server ``make run`` starts, unless
# SITE_URL is given (behind a proxy, another name…).
SITE_URL ?= http://$(HOST):$(PORT)
DEV_ENV := CTE_ENV=development DEBUG=$${DEBUG:-true} SITE_URL=$(SITE_URL)

.PHONY: help install uv run test lint format browser migrate territories demo bench clean backup restore

help:
	@echo "make run    — installe, migre, importe les territoires, charge la démo et lance le portail"
	@echo "make test   — lance toute la suite de tests (navigateur compris)"
	@echo "make lint   — ruff, djlint, contrat d'imports entre applications, makemigrations --check, manage.py check"
	@echo "make bench  — mesures de performance (résultats dans var/bench.txt)"
	@echo "make backup — sauvegarde base PostgreSQL + fichiers (var/backups) ; make restore FILE=… dans une base neuve"

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(HOME)/.local/bin/uv" ] || $(PYTHON) -m pip install --user --quiet uv || $(PYTHON) -m pip install --quiet uv

install: uv
	$(UV) sync --frozen
	@mkdir -p var

migrate: install
	$(DEV_ENV) $(RUN) python manage.py migrate --noinput

territories: migrate
	$(DEV_ENV) $(RUN) python manage.py import_territories

demo: territories
	$(DEV_ENV) $(RUN) python manage.py seed_demo

# Embedded default: SQLite in var/ and in-process tasks. With DATABASE_URL and REDIS_URL set,
# PostgreSQL, and a real Celery worker and beat run beside the web server.
run: demo
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "Celery : worker et beat démarrés (REDIS_URL=$$REDIS_URL)"; \
	  $(DEV_ENV) $(RUN) celery -A cte_portal worker --loglevel=INFO --concurrency=2 & \
	  $(DEV_ENV) $(RUN) celery -A cte_portal beat --loglevel=INFO & \
	  trap 'kill 0' EXIT; \
	  $(DEV_ENV) $(RUN) python manage.py runserver $(HOST):$(PORT); \
	else \
	  echo "Tâches exécutées dans le processus, en arrière-plan (pas de REDIS_URL)"; \
	  $(DEV_ENV) CTE_BACKGROUND_TASKS_IN_PROCESS=true $(RUN) python manage.py runserver $(HOST):$(PORT); \
	fi

# A browser for the Playwright tests: Debian's Chromium (apt as root), else Playwright's own.
browser: install
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) ; \
	else $(RUN) playwright install chromium; fi
	@# WeasyPrint subsets fonts with HarfBuzz; the PDF tests read text back with pdftotext.
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  if ! ldconfig -p | grep -q libharfbuzz-subset || ! command -v pdftotext >/dev/null; then \
	    apt-get install -y -qq libharfbuzz-subset0 poppler-utils >/dev/null 2>&1 || \
	      (apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 poppler-utils); \
	  fi; \
	fi

# Tests in parallel processes (pytest-xdist), a file's tests together: each process has its own
# test database, Celery queue and live server. PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= 3
test: browser
	@mkdir -p var
	$(RUN) pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djlint --check templates
	$(RUN) djlint --lint templates
	$(RUN) lint-imports
	CTE_ENV=test $(RUN) python manage.py makemigrations --check --dry-run
	CTE_ENV=test $(RUN) python manage.py check

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .
	$(RUN) djlint --reformat templates

bench: install
	@mkdir -p var
	$(RUN) python -m tests.bench | tee var/bench.txt

# Backup and restore (PostgreSQL + MEDIA_ROOT), with DATABASE_URL and MEDIA_ROOT of the portal:
# see scripts/backup.sh and scripts/restore.sh (a restore goes into a fresh database).
backup:
	scripts/backup.sh $(DIR)

restore:
	@test -n "$(FILE)" || { echo "usage : make restore FILE=var/backups/cte-….tar"; exit 2; }
	scripts/restore.sh "$(FILE)"

clean:
	rm -rf var/db.sqlite3 var/static .venv
