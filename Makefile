# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: run test test-browser test-redis test-concurrency install migrate demo lint format messages ci clean bench validate-html

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## run: install, migrate, load the demo data (idempotent), serve on http://127.0.0.1:8000 and run a background worker
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST)/ with a background worker (stop both with Ctrl+C)"
	@$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

## test: the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: install
	$(VENV)/bin/pytest

## test-browser: only the real-browser journeys (needs Debian's chromium)
test-browser: install
	$(VENV)/bin/pytest tests/browser

## test-redis: the page-cache tests with the shared cache in Redis (needs redis-server on
## 127.0.0.1:6379; uses its database 15, which the tests empty)
test-redis: install
	DJANGO_CACHE_URL=$${DJANGO_CACHE_URL:-redis://127.0.0.1:6379/15} $(VENV)/bin/pytest \
	  tests/core/test_page_cache.py tests/core/test_page_cache_scopes.py tests/core/test_faults.py \
	  tests/core/test_redis_cache.py \
	  tests/concurrency/test_page_cache_commit.py

## test-concurrency: the thread tests, on PostgreSQL
test-concurrency: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/helhedsplaner} $(VENV)/bin/pytest tests/concurrency

## validate-html: the W3C Nu checker over every page of the demo roles (docs/accessibility.md; needs Java)
validate-html: install
	@test -f $${VNU_JAR:-/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar} || npm install --prefix /tmp/vnu vnu-jar
	$(PY) scripts/validate_html.py

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: refresh and compile the Danish translations (needs GNU gettext)
messages: install
	$(PY) manage.py makemessages -l da --ignore=.venv --ignore=tests --no-location
	$(PY) manage.py compilemessages -l da --ignore=.venv

## bench: the performance benchmark on PostgreSQL (creates and fills its databases when missing;
## the first run takes several minutes). Database names: BENCH_DB, BENCH_DB_SMALL; the shared
## cache of the load test: BENCH_CACHE_URL, default redis://127.0.0.1:6379/9 (docs/performance.md)
bench: install
	@$(PY) -c "import gunicorn, redis" 2>/dev/null || $(PY) -m pip install --quiet -e ".[dev,bench]"
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk \
		|| echo "wrk could not be installed: the load test falls back to Python threads"
	$(PY) bench/run.py --update-docs

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
