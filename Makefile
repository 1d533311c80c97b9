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

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NEED_APT := $(shell command -v chromium >/dev/null 2>&1 || echo chromium) \
            $(shell command -v java >/dev/null 2>&1 || echo default-jre-headless) \
            $(shell command -v shellcheck >/dev/null 2>&1 || echo shellcheck)

.PHONY: setup test-tools demo test serve benchmark lighthouse clean

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

# The browser and Java for the quality gates (Playwright drives Debian's Chromium; the Nu HTML
# Checker runs on Java), and shellcheck, which actionlint runs on the workflows' scripts.
# Installed from Debian's packages only when missing.
test-tools:
ifneq ($(strip $(NEED_APT)),)
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(NEED_APT)
endif

test: setup test-tools
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/python -m pytest -n 2

benchmark: setup
	$(BIN)/python benchmarks/run.py 1000 10000

lighthouse: setup test-tools
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf _site $(VENV) node_modules .pytest_cache
