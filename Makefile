# DMK-Plattform. The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: install demo test lint fmt worker messages demo-reset serve bench

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## The platform on the DMK's real public record, on http://127.0.0.1:$(PORT)
demo: install
	$(PY) manage.py migrate --noinput -v0
	@if ls dmk/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0; fi
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_public_record
	$(PY) manage.py load_site_content
	$(PY) manage.py load_demo --logins-file var/demo-logins.txt
	$(PY) manage.py load_demo_meeting
	$(PY) manage.py load_demo_mailbox
	$(PY) manage.py load_demo_exchange
	@cat var/demo-logins.txt
	@$(PY) manage.py db_worker --backend queue --queue-name '*' --no-reload >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Hintergrund-Worker läuft (Protokoll: var/worker.log)."; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

## The whole suite (CI runs it on SQLite and on PostgreSQL)
test: install
	@if ls dmk/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0; fi
	$(PY) -m pytest -p no:cacheprovider -n 2 --ignore=tests/browser
	@# browser tests in a process of their own: Playwright's sync API needs a thread without an event loop
	$(PY) -m pytest -p no:cacheprovider -n 2 tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -r dmk -c pyproject.toml --severity-level high
	$(PY) manage.py makemigrations --check --dry-run

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Deletes the demo database and uploaded files; the next `make demo` starts afresh
demo-reset:
	rm -f var/dmk.sqlite3 var/demo-logins.txt var/worker.log
	rm -rf var/media

## Runs queued background jobs (mail, PDF builds) for `make demo`
worker: install
	$(PY) manage.py db_worker --backend queue --queue-name '*'

## Re-extract the translatable strings (German source, English translation)
messages: install
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*'

## The production stack locally: gunicorn (2 workers) + worker behind an unprivileged nginx on
## http://127.0.0.1:$(SERVE_PORT) (database from DATABASE_URL; docs/operations.md)
SERVE_PORT ?= 8480
serve: install
	@if ls dmk/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0; fi
	$(PY) deploy/stack.py serve --port $(SERVE_PORT)

## Every benchmark in bench/ (figures printed, no assertions on time; docs/operations.md)
bench: install
	@if ls dmk/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0; fi
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script; done
