# Two entry points (see README.md): `make serve` to read the docs, `make test` to run every check.
# Both create .venv and install the project with the versions pinned in constraints.txt: `make serve` only
# what building and serving the site needs (the `docs` extra), `make test` the test toolchain on top.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# One stamp per install, so that `make serve` then `make test` upgrades the venv, and a venv set up by
# `make test` (which holds the docs extra too) is not reinstalled by `make serve`.
VENV_STAMP := $(VENV)/.venv-stamp
DOCS_STAMP := $(VENV)/.docs-stamp
TEST_STAMP := $(VENV)/.test-stamp
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt
NODE_STAMP := node_modules/.installed-stamp
# python-hcl2 ships no compiled grammar: its first parse builds one (~3 s) into site-packages. Built once per
# install here, so that no check pays it (most files never reach python-hcl2: compiler/formats/hcl_plain.py).
WARM_HCL2 := $(BIN)/python -c 'import hcl2; hcl2.parses("a = 1\n")'
# The compiler's bytecode, written ahead: where PYTHONDONTWRITEBYTECODE is set (as on these machines and
# many CI images), Python would otherwise compile every module on every run (a fifth of a check's time).
# Only changed modules are compiled again; a pip install (not editable) does this itself.
BYTECODE := $(BIN)/python -m compileall -q compiler
CHROMIUM := /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup setup-docs build serve check lint test chromium clean

# Everything a developer runs (the site and the test toolchain).
setup: $(TEST_STAMP)

# Only what `ssot` and the site need: mkdocs and Material, no pytest, playwright, mypy, ruff or hypothesis.
setup-docs: $(DOCS_STAMP)

$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(DOCS_STAMP): $(VENV_STAMP) pyproject.toml constraints.txt
	$(PIP_INSTALL) --editable '.[docs]'
	$(WARM_HCL2)
	$(BYTECODE)
	touch $@

$(TEST_STAMP): $(VENV_STAMP) pyproject.toml constraints.txt
	$(PIP_INSTALL) --editable '.[test]'
	$(WARM_HCL2)
	$(BYTECODE)
	touch $@ $(DOCS_STAMP)

# npm tools the tests run (prettier), at the versions package-lock.json pins.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium, which the browser tests drive through Playwright (never `playwright install`).
# Installed when missing and run as root, as CI is; otherwise say how, and the browser tests skip.
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "$(CHROMIUM) is missing: run 'sudo apt-get install chromium' for the browser tests (they skip without it)"; fi

# Compile ssot/env.yaml into every artifact.
build: setup-docs
	$(BIN)/ssot build

# Compile, then serve the docs on http://127.0.0.1:$(PORT) (`make serve PORT=8001` picks another port;
# a busy one is said in one line).
serve: build
	@$(BIN)/python tools/serve.py $(PORT)

# The CI drift check alone.
check: setup-docs
	$(BYTECODE)
	$(BIN)/ssot check

# The benchmark: every ratio of issue 11 next to its goal (README, "Benchmark"); cogapp is its peer.
.PHONY: bench
bench: setup
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[bench]'
	$(BYTECODE)
	$(BIN)/python bench/run.py

# Lint and type-check the compiler.
lint: setup
	$(BIN)/ruff check compiler tests bench tools
	$(BIN)/ruff format --check compiler tests bench tools
	$(BIN)/mypy

# Everything CI runs: the drift check, lint, then the test suite (which includes `mkdocs build --strict`
# and the site in headless Chromium).
# The suite runs on every core (pytest-xdist), one whole test module per worker at a time (its module-scoped
# setup made once), the longest modules first (tests/conftest.py). Bytecode writing on: pytest keeps the test
# modules it rewrote for assertions in tests/__pycache__, which each worker would otherwise redo (5 s).
test: setup $(NODE_STAMP) chromium lint
	$(BYTECODE)
	$(BIN)/ssot check
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) node_modules site .pytest_cache
