"""Fixtures for the browser tests: build the real site once, serve it, drive Chromium.

``built_site`` (tests/conftest.py) is the real site built once per session into a temp
directory, so the tests never read or disturb the project's own site/.  ``server`` serves that tree on
127.0.0.1 (random port) and ``browser`` launches Debian's Chromium through Playwright.
"""
from __future__ import annotations

import http.server
from pathlib import Path

import pytest

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
