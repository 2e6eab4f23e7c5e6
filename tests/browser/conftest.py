"""Fixtures for the browser tests: build the real site once, serve it, drive Chromium.

``built_site`` builds both editions into a temporary directory exactly as
tools/build.py does (Simplified first, then zh-Hant into its sub-directory), so the
tests never read or disturb the project's own site/.  ``server`` serves that tree on
127.0.0.1 (random port) and ``browser`` launches Debian's Chromium through Playwright.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Both editions built with mkdocs --strict into <tmp>/site (zh-Hant in <tmp>/site/zh-Hant)."""
    site = tmp_path_factory.mktemp("browser-build") / "site"
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", PYTHONDONTWRITEBYTECODE="1")
    for config, dest in (("mkdocs.yml", site), ("mkdocs.zh-Hant.yml", site / "zh-Hant")):
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "-f", str(REPO / config), "-d", str(dest)]
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(
                f"mkdocs build of {config} failed (exit {proc.returncode}):\n"
                f"{proc.stdout}\n{proc.stderr}",
                pytrace=False,
            )
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the stdlib
        pass


@pytest.fixture(scope="session")
def server(built_site):
    """Base URL (with trailing slash) of a local HTTP server for the built site."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


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
