# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-test lint format e2e bench messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Migrate, load the city and the demo, then serve with the background worker.
run: install
	$(PY) -m ekraf compile_translations
	$(PY) -m ekraf migrate --noinput
	$(PY) -m ekraf createcachetable
	$(PY) -m ekraf load_city
	$(PY) -m ekraf load_demo
	$(PY) -m ekraf serve $(HOST)

# Lint, migrations check and the whole suite (browser tests run in .ci/run: they need Chromium).
test: install-test
	$(PY) -m ruff check src tests
	$(PY) -m ruff format --check src tests
	$(PY) -m ekraf compile_translations
	$(PY) -m ekraf makemigrations --check --dry-run
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: install-test
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: install-test
	$(PY) -m ruff check src tests

format: install-test
	$(PY) -m ruff check --fix src tests
	$(PY) -m ruff format src tests

# Developers only (needs GNU gettext: apt-get install gettext): refresh the English catalogue
# src/ekraf/locale/en/LC_MESSAGES/django.po from the Indonesian source strings, then translate
# the new empty entries. tests/core/test_translations.py lists what is missing, without gettext.
messages: install
	cd src/ekraf && $(abspath $(PY)) -m ekraf makemessages --locale=en --no-location --no-obsolete
	$(PY) -m ekraf compile_translations

bench: install-test
	$(PY) -m ekraf.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
