# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
# Python caches the bytecode of what it imports, once, in .venv and the checkout. Where the
# environment sets PYTHONDONTWRITEBYTECODE, every process would compile all it imports again
# (`airflow version` 8.5 s, 3.3 s cached); compiling all of .venv at install cost the cold demo
# more than it saved (docs/decisions.md).
unexport PYTHONDONTWRITEBYTECODE
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV_BIN := $(CURDIR)/.venv/bin

.PHONY: help setup browser demo test lint bench clean bi bi-setup

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	python3 -m pip install --user --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

setup: .venv/.synced  ## Create .venv from uv.lock and the dbt manifest for Cosmos (idempotent)
	@$(VENV_BIN)/python -c "from antt.transform.cosmos import ensure_manifest; \
	path, rebuilt = ensure_manifest(); print(('dbt manifest: ' if rebuilt else 'dbt manifest current: ') + str(path))"

browser:  ## Install Debian's Chromium for the browser tests when it is missing (needs root)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  [ "$$(id -u)" = 0 ] || { echo "make browser: run as root to apt-get install chromium"; exit 1; }; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

demo: setup  ## Run the main job on the embedded warehouse and print the summary
	$(VENV_BIN)/antt demo

test: setup lint  ## Lint, then run the test suite (what CI runs)
	@$(MAKE) --no-print-directory bi-setup || echo "warning: Superset could not be installed: tests/bi skips its server test"
	$(VENV_BIN)/pytest

lint: setup  ## ruff check, ruff format --check and sqlfluff on the dbt models
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .
	$(VENV_BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2

bi/.venv/.synced: bi/pyproject.toml bi/uv.lock | $(UV)
	cd bi && UV_PROJECT_ENVIRONMENT=$(CURDIR)/bi/.venv $(UV) sync --frozen --quiet
	touch $@

bi-setup: bi/.venv/.synced  ## Install Apache Superset (pinned in bi/uv.lock) into bi/.venv

bi: setup bi-setup  ## Serve the Superset dashboard on 127.0.0.1:8088 (after make demo)
	$(VENV_BIN)/antt bi

bench: setup  ## National-scale benchmark: ingestion vs COPY vs pandas, then dbt build times
	$(VENV_BIN)/python bench/ingest_national.py --dbt $(BENCH_ARGS)

clean:  ## Remove the environment and the local state (.antt/)
	rm -rf .venv bi/.venv .antt dbt_project/target
