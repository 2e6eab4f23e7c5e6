# Reader edition: build, serve and test.  GNU make >= 4.3.
#   make .venv          create .venv from requirements.lock (re-run when the lock changes)
#   make system-deps    Debian packages for the tests (chromium, fonts-noto-cjk, poppler-utils)
#   make site           atomic build of both editions into site/ (zh-Hant in site/zh-Hant/)
#   make serve          build, serve on http://127.0.0.1:8000/ and rebuild on changes
#   make offline        both editions for file:// zipped into dist/altman-interviews-reader-edition.zip
#   make publish        make pdf and make offline, then site/ with them in site/downloads/ (下载与数据): the site to host
#   make lint           ruff over hooks/, tools/ and tests/, mypy over hooks/ and tools/; part of make test
#   make test           the test suite on every core, up to 4 (make test PYTEST_ARGS='-k foo' PYTEST_JOBS=0)
#   make anchors        add new anchors to seeds/anchors.lock (review `git diff seeds/anchors.lock`)
#   make timeline-candidates  every date the finder sees, used/ignored/NEW against seeds/timeline.yml (TC_ARGS=--yaml: stubs)
#   make golden         regenerate golden files, then review `git diff tests/golden`
#   make bench          build vs stock Material, serve, stages, scaling, page weight, search (BENCH_RUNS=3, BENCH_ARGS='--with-tests --readme')
#   make audit          axe-core, Nu HTML checker, links, Lighthouse over both editions, and the offline zip from file:// (AUDIT_RUNS=3)
#   make screenshots    PNGs of every page type, both scripts, 1280 and 390 px (and 390 px dark), and the PDFs' first pages, in dist/screenshots/
#   make pdf            the print edition: dist/altman-interviews-zh-Hans.pdf and -zh-Hant.pdf (WeasyPrint)
#   make clean          remove site/, dist/ and build temp dirs

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
LOCK        := requirements.lock
PYTEST_ARGS ?=
# make test runs the suite on this many processes (pytest-xdist; tests/conftest.py orders the
# files, heavy and slow first, and shares the built site); PYTEST_JOBS=0: one process.
PYTEST_JOBS ?= auto
BENCH_ARGS  ?=
AUDIT_NODE  := tools/audit/node_modules/.package-lock.json

.PHONY: lint help .venv system-deps site serve offline publish test golden anchors bench clean audit audit-deps screenshots timeline-candidates pdf

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# `.venv` is the user-facing name; the real file target is the stamp, which is
# older than requirements.lock whenever the lock has changed since the last install.
.venv: $(STAMP)

$(STAMP): $(LOCK)
	@if [ ! -x $(PY) ]; then \
	    if python3.11 -c 'import sys' >/dev/null 2>&1; then py=python3.11; \
	    elif python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then py=python3; \
	    else echo "error: Python 3.11 not found (tried python3.11 and python3)" >&2; exit 1; fi; \
	    echo "$$py -m venv $(VENV)"; \
	    $$py -m venv $(VENV); \
	fi
	@$(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	    || { echo "error: $(VENV) is not Python 3.11; remove it and re-run make" >&2; exit 1; }
	$(PY) -m pip install --disable-pip-version-check -r $(LOCK)
	@touch $@

system-deps:
	@tools/ensure-system-packages.sh

site: .venv
	$(PY) tools/build.py build

serve: .venv
	$(PY) tools/build.py serve

offline: .venv
	$(PY) tools/offline.py

# The hosted site with its downloads: the two PDFs and the offline zip are made first, from the same
# sources, then the site is built with READER_DOWNLOADS naming where they are (hooks/reader/downloads.py).
publish: .venv
	$(MAKE) --no-print-directory pdf offline
	READER_DOWNLOADS=dist $(PY) tools/build.py build

test: .venv system-deps $(AUDIT_NODE) lint
	$(PY) -m pytest -q -n $(PYTEST_JOBS) --maxprocesses 4 --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

lint: .venv
	$(VENV)/bin/ruff check hooks tools tests
	$(VENV)/bin/mypy

golden: .venv system-deps
	@rc=0; REGEN_GOLDEN=1 $(PY) -m pytest -q tests -k golden $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no golden tests collected (pytest -k golden)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@echo "--- git diff --stat tests/golden"
	@git diff --stat -- tests/golden || true
	@git status --short --untracked-files=all -- tests/golden || true
	@echo "Review the golden changes (git diff tests/golden) before committing them."

anchors: .venv
	$(PY) tools/anchors.py

timeline-candidates: .venv
	$(PY) tools/timeline_candidates.py $(TC_ARGS)

pdf: .venv system-deps
	$(PY) tools/pdf.py

bench: .venv
	@if [ -f tools/bench.py ]; then $(PY) tools/bench.py $(BENCH_ARGS); \
	else echo "no benchmarks yet (tools/bench.py does not exist)"; fi

# The audit's Node tools, pinned in tools/audit/package-lock.json (npm ci writes the stamp;
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime, Debian's is used).
$(AUDIT_NODE): tools/audit/package-lock.json | system-deps
	cd tools/audit && npm ci --ignore-scripts --no-audit --no-fund

audit-deps: system-deps $(AUDIT_NODE)

audit: .venv audit-deps
	$(PY) tools/audit.py

screenshots: .venv system-deps
	$(PY) tools/screenshot.py

clean:
	rm -rf site dist .build-tmp-* .site-old-*
