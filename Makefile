# `make run` sets everything up and serves the demo; `make test` sets up and runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: install translations messages browser-deps run test lint bench clean

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

test: translations browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/matching.py

clean:
	rm -rf $(VENV) instance .pytest_cache
