# Setup, demo build and tests. `make demo` and `make test` are the two commands in README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# On machines without internet, use the schema kit beside the repository when it is there;
# otherwise the generator downloads the pinned OCDS files into the user's cache.
SHARED_OCDS := $(wildcard $(abspath ../shared/ocds)/manifest.json)
ifneq ($(SHARED_OCDS),)
export OCDS_PORTAL_SCHEMA_DIR ?= $(abspath ../shared/ocds)
endif

.PHONY: setup demo test serve benchmark clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/portal build --output _site

serve: setup
	$(BIN)/portal serve --output _site

test: setup
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/python -m pytest -n 2

benchmark: setup
	$(BIN)/python benchmarks/run.py 1000 10000

clean:
	rm -rf _site $(VENV) node_modules .pytest_cache
