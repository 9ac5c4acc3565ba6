# parindex: every set-up step lives here, so a fresh Debian machine with Python 3.11 needs only
# `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: help install system-deps run dev demo test test-core lint types check bench api-fuzz messages clean

help:
	@echo "make run    - install, migrate SQLite, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make dev    - the same with Django's runserver (reloads on code changes; one process)"
	@echo "make test   - install and run the whole test suite"
	@echo "make check  - lint (ruff) and types (mypy: the core strict, the shell strict but its baseline)"
	@echo "make bench  - benchmarks (ratios against a baseline measured in the same run)"
	@echo "make api-fuzz - API property tests with 200 examples, permission matrix in every phase"

# Debian packages the app needs: Pango, DejaVu and Liberation 2 (Times New Roman's metric twin
# with Vietnamese, for the official-document PDF reports) fonts for WeasyPrint; gettext for
# catalogues; poppler-utils and qpdf to check PDFs in tests. Installed only where missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation2 poppler-utils qpdf gettext

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	cd src/parindex_web && ../../$(BIN)/python ../../manage.py compilemessages --ignore=.venv >/dev/null

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# gunicorn worker processes (manage.py serve): a hundred officers saving at once need more
# than runserver's one process (bench/officers_load.py measures both).
run: demo
	$(BIN)/python manage.py serve $(HOST):$(PORT)

dev: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-core: install
	$(BIN)/python -m pytest tests/core tests/cli --cov=parindex --cov-report=term-missing --cov-fail-under=100

lint: install
	$(BIN)/ruff check src stubs tests bench scripts manage.py
	$(BIN)/ruff format --check src stubs tests bench scripts manage.py

# pyproject.toml's [tool.mypy]: src/parindex and src/parindex_web, strict, with the Django plugin;
# the shell modules not yet clean are listed there (docs/deployment.md, "Type checking").
types: install
	$(BIN)/mypy

check: lint types

bench: install
	@command -v nginx >/dev/null && command -v wrk >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/officers_load.py
	$(BIN)/python bench/officers_load.py --runserver
	$(BIN)/python bench/officers_load.py --postgres
	$(BIN)/python bench/publish_load.py
	$(BIN)/python bench/faults.py
	PARINDEX_PG_PORT=54349 PARINDEX_PG_DATA=/tmp/parindex-faults-bench $(BIN)/python bench/faults.py --postgres
	$(MAKE) api-fuzz
	$(BIN)/python bench/national.py
	$(BIN)/python bench/national.py --postgres
	$(BIN)/python bench/surveys.py

# The API's property tests with many examples and the permission matrix in every phase (CI runs
# both in their quick mode).
api-fuzz: install
	PARINDEX_SCHEMATHESIS_EXAMPLES=200 PARINDEX_PERMISSION_MATRIX=whole $(BIN)/python -m pytest \
	  tests/web/api/test_schemathesis.py tests/web/permissions -q -p no:cacheprovider

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
