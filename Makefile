# `make run` sets everything up and serves the demo; `make test` sets up and runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: install translations messages browser-deps bench-deps security-deps security run serve test lint bench lighthouse clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# Compiled catalogues are build output, made from the .po files we keep in git.
translations: install
	$(BIN)/pybabel compile -d diaspora/translations

# Browser tests drive Debian's Chromium (never a downloaded browser) and load axe-core from npm.
browser-deps:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		>/dev/null; } || echo "chromium not installed: browser tests will be skipped"
	@[ -f tests/browser/node_modules/axe-core/axe.min.js ] || \
		npm install --silent --no-audit --no-fund --prefix tests/browser >/dev/null || \
		echo "axe-core not installed: accessibility checks will be skipped"

# bench/web_load.py drives the pages with Debian's wrk.
bench-deps:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) \
		>/dev/null; } || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }

# Lighthouse 12 from npm on the public pages, in Debian's Chromium (bench/lighthouse.py): prints
# the scores, exits 1 below the targets. LIGHTHOUSE_ARGS passes options (--pages, --languages).
lighthouse: translations browser-deps
	npm ci --silent --no-audit --no-fund --prefix bench/lighthouse
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# The scanners of `make security`: Debian's sqlmap, and wapiti3 from PyPI in a virtualenv of its
# own (it pins its many dependencies; they must not move the app's).
WAPITI_VENV ?= .venv-wapiti
$(WAPITI_VENV)/bin/wapiti:
	$(PYTHON) -m venv $(WAPITI_VENV)
	$(WAPITI_VENV)/bin/pip install --quiet --upgrade pip
	$(WAPITI_VENV)/bin/pip install --quiet wapiti3

security-deps: $(WAPITI_VENV)/bin/wapiti
	@command -v sqlmap >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlmap) \
		>/dev/null; } || { echo "sqlmap is missing: apt-get install -y sqlmap"; exit 1; }

# Attack the app as production runs it (gunicorn, PostgreSQL, Redis) and print the findings;
# exits 1 on any. SECURITY_ARGS passes options: see bench/security_scan.py --help.
SECURITY_REDIS ?= redis://127.0.0.1:6379/15
security: translations security-deps
	$(BIN)/python bench/security_scan.py --redis $(SECURITY_REDIS) $(SECURITY_ARGS)

# After adding or changing user-facing strings: refresh the template and the catalogues, then
# translate the new entries in diaspora/translations/*/LC_MESSAGES/messages.po.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location \
		--ignore-dirs=".venv node_modules tests bench instance" \
		-o diaspora/translations/messages.pot .
	$(BIN)/pybabel update -i diaspora/translations/messages.pot -d diaspora/translations

# The outbox worker runs beside the server and stops with it: it writes each email, a second or
# so after it is committed, to the folder it names when it starts (instance/mail/).
run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask outbox work --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# As production runs: gunicorn with diaspora/gunicorn_config.py on 127.0.0.1:8000 (GUNICORN_BIND)
# against DATABASE_URL, migrated first, and the outbox worker beside it. It reads the production
# settings from the environment: SECRET_KEY, DATABASE_URL, RATELIMIT_STORAGE_URI (README,
# "Deploying"); DIASPORA_CONFIG=development tries it with the development ones.
serve: export DIASPORA_CONFIG ?= production
serve: translations
	@case "$$DATABASE_URL" in postgresql*) ;; \
		*) echo "make serve needs DATABASE_URL=postgresql+psycopg://USER@HOST/DB"; exit 1;; esac
	$(BIN)/flask db upgrade
	$(BIN)/flask outbox work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:diaspora.gunicorn_config wsgi:app

test: translations browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/matching.py

clean:
	rm -rf $(VENV) $(WAPITI_VENV) instance .pytest_cache
