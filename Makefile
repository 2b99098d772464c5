# nianbao: each target creates .venv and installs what it needs when missing.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
APT_STAMP := build/.apt-installed

.PHONY: site serve test lint bench clean sample browser-deps site-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,zensical]'
	@touch $@

# Chromium and CJK fonts for the browser tests, LibreOffice for the DOCX→PDF fixtures, poppler's pdftotext
# and pdftohtml and pandoc for the converter matrix: from Debian.
$(APT_STAMP): Makefile
	@mkdir -p build
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	  command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  command -v pandoc >/dev/null || missing="$$missing pandoc"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing from apt:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund --silent
	@touch $@

browser-deps: $(APT_STAMP) $(NPM_STAMP)

# The site's Plotly bundle (package.json). Without npm the build ships the plotly package's full bundle, and says so.
site-deps:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(NPM_STAMP); \
	  else echo "npm not found: the site will ship Plotly's full bundle (4.8 MB) instead of the basic one" >&2; fi

site: $(STAMP) site-deps
	$(BIN)/nianbao build

serve: $(STAMP) site-deps
	$(BIN)/nianbao serve

lint: $(STAMP)
	$(BIN)/ruff check nianbao scripts tests

test: $(STAMP) browser-deps
	$(BIN)/ruff check nianbao scripts tests
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP) browser-deps
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf build
