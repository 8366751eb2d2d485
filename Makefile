# Every target uses the virtual environment at .venv; `make setup` makes it.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard trunkshow/locale/*/LC_MESSAGES/django.po))

.PHONY: setup run test bench lint messages static migrate demo clean

setup: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Trunk Show needs Python 3.11 or newer on PATH." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Catalogs compile with Babel (pure Python), so no system gettext is needed.
trunkshow/locale/%/LC_MESSAGES/django.mo: trunkshow/locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --no-obsolete --no-location --ignore node_modules -l zh_Hans -l en
	$(BIN)/python manage.py makemessages --no-obsolete --no-location --ignore node_modules -d djangojs -l zh_Hans -l en || true

migrate: setup
	$(BIN)/python manage.py migrate --noinput

static: setup
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

demo: migrate
	$(BIN)/python manage.py demo_brand

run: migrate static demo
	$(BIN)/python manage.py serve

# pytest exits 5 when a selection collects no test; that is not a failure here.
test: static
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

bench: setup
	$(BIN)/python bench/run_all.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy trunkshow

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
