"""Fixtures for the browser tests: build the real site once, serve it, drive Chromium.

``built_site`` (tests/conftest.py) is the real site built once per test run into a temp
directory, so the tests never read or disturb the project's own site/.  ``server`` serves that tree on
127.0.0.1 (random port, one server per worker) and ``browser`` launches Debian's Chromium through
Playwright (one per worker process).  ``offline_bundle`` is `make offline`'s zip, built once per
run for the tests that open the bundle from file:// (test_offline, test_apparatus).
"""
from __future__ import annotations

import http.server
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, once

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the stdlib
        pass


@pytest.fixture(scope="session")
def server(built_site):
    """Base URL (with trailing slash) of a local HTTP server for the built site."""
    import audit  # tools/audit.py (tests/conftest.py puts tools/ on sys.path)

    with audit.serve(built_site, _QuietHandler) as base:
        yield base


def _make_bundle(dest: Path) -> None:
    import offline  # tools/offline.py

    target = offline.make_bundle(ROOT, dest / "dist")
    with zipfile.ZipFile(target) as zf:
        zf.extractall(dest / "unzipped")


@pytest.fixture(scope="session")
def offline_bundle(tmp_path_factory) -> tuple[Path, Path]:
    """(the zip `make offline` makes, the unzipped bundle's folder holding index.html); tests only read them."""
    import offline

    dest = once(tmp_path_factory, "offline", _make_bundle)
    return dest / "dist" / f"{offline.NAME}.zip", dest / "unzipped" / offline.NAME


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's /usr/bin/chromium, never a Playwright download)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium; "
            "run `make system-deps` (CI installs it).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no state shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()
