# The README's commands: `make run`, `make test`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
EVENTS ?= 100000

# `make run` serves production settings (DEBUG off, the site's own error pages)
# over plain HTTP on loopback, with a secret key generated once and kept.
RUN_ENV = DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]} \
	SECRET_KEY=$${SECRET_KEY:-$$(cat .secret_key)}

.PHONY: run test bench lint chromium libreoffice loadtest backup restore

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: $(VENV)/.installed .secret_key
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	@$(RUN_ENV) $(BIN)/python manage.py load_demo --if-empty
	@$(RUN_ENV) $(BIN)/python manage.py fill_export_lines
	@$(RUN_ENV) $(BIN)/python manage.py ensure_admin
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://localhost:$(PORT)/ (admin at /admin/); Ctrl-C stops it."
	@$(RUN_ENV) $(BIN)/gunicorn -c config/gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -

# Browser tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install -y chromium'" >&2; exit 1; fi; }

# The .xlsx download is also checked by LibreOffice (tests/test_xlsx.py); install it likewise.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libreoffice-calc >/dev/null; \
	  else echo "LibreOffice is missing: run 'sudo apt-get install -y libreoffice-calc'" >&2; exit 1; fi; }

test: $(VENV)/.installed-dev chromium libreoffice
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 1 \
	  || { echo "Models changed without a migration." >&2; exit 1; }
	$(BIN)/pytest

# What CI runs before the tests: lint errors and any file ruff would reformat.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# `make bench` measures the timeline at $(EVENTS) events (default 100000) on a
# database of its own (bench.sqlite3, or <name>_bench on PostgreSQL when
# DATABASE_URL names one), with production settings; see
# benchmark/management/commands/bench.py. Writes bench-results.json.
bench: $(VENV)/.installed .secret_key
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) EVENTS=$(EVENTS) $(BIN)/python manage.py bench --events $(EVENTS)

# A bounded, headless load run on loopback; fails on any 5xx. See loadtest/run.sh.
$(VENV)/.installed-load: requirements.txt requirements-load.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-load.txt
	touch $@

loadtest: $(VENV)/.installed-load .secret_key
	loadtest/run.sh

# `make backup FILE=backup.dump` (PostgreSQL) or FILE=backup.json.gz (SQLite),
# readable by its owner alone; `make restore FILE=...` replaces the database's
# content with it, after asking (YES=1 does not ask: for scripts).
backup: $(VENV)/.installed .secret_key
	@test -n "$(FILE)" || { echo "Usage: make backup FILE=path" >&2; exit 2; }
	$(RUN_ENV) $(BIN)/python manage.py backup "$(FILE)"

restore: $(VENV)/.installed .secret_key
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=path" >&2; exit 2; }
	$(RUN_ENV) $(BIN)/python manage.py restore "$(FILE)" $(if $(filter 1,$(YES)),--yes)
