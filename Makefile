# MesoTrack — everything a newcomer or CI needs. Only Python 3.11+ is required up front.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
PROD_CHECK_ENV := MESOTRACK_PRODUCTION=1 MESOTRACK_SECRET_KEY=check-deploy-$$(printf 'k%.0s' {1..60}) \
	MESOTRACK_ALLOWED_HOSTS=clinic.example.org DATABASE_URL=sqlite:///var/check-deploy.sqlite3
PIP_QUIET := PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_WARN_SCRIPT_LOCATION=1

.PHONY: install demo serve test test-sqlite test-postgres lint format browsers bench lock clean

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_QUIET) $(BIN)/python -m pip install -q --require-hashes -r requirements/base.txt -r requirements/dev.txt 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'mesotrack-src.pth').write_text(str(pathlib.Path('src').resolve()) + '\n')"
	$(BIN)/python -c "import django, mesotrack" && touch $(STAMP)

install: $(STAMP)

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) demo_logins
	@echo "Task worker (analyses, reminders) running in the background; its log is var/worker.log"
	@$(MANAGE) db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT; $(MANAGE) runserver 127.0.0.1:8000

serve: install
	$(MANAGE) runserver 127.0.0.1:8000

browsers:
	@command -v chromium >/dev/null && fc-list | grep -qi dejavu || { \
		echo "Installing Debian's chromium and fonts for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: install browsers lint
	$(MANAGE) makemigrations --check --dry-run
	$(PROD_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING
	$(MAKE) test-sqlite
	@if [ "$${MESOTRACK_TEST_POSTGRES:-0}" = "1" ]; then $(MAKE) test-postgres; \
	else echo "PostgreSQL run skipped locally (CI sets MESOTRACK_TEST_POSTGRES=1)"; fi

test-sqlite: install
	$(BIN)/pytest -n 2 -q

test-postgres: install
	MESOTRACK_TEST_DB=postgres $(BIN)/pytest -n 2 -q

bench: install
	$(BIN)/python bench/patient_search.py
	$(BIN)/python bench/formulary_recall.py
	$(BIN)/python bench/course_booking.py
	$(BIN)/python bench/session_signing.py
	$(BIN)/python bench/safety_signals.py
	$(BIN)/python bench/trichoscopy.py

lock:
	$(BIN)/python -m pip install -q uv
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes base.in -o base.txt
	cd requirements && ../$(BIN)/uv pip compile -q --python-version 3.11 --generate-hashes dev.in -o dev.txt

clean:
	rm -rf $(VENV) var staticfiles
