"""The hosted site in Chromium, served as a static host serves it: a missing path at any depth
gets the edition's 404.html (status 404), whose styles, scripts, favicon and links must still
work; zh-Hant pages load the shared assets/ (search worker included); nothing is requested
from any other host.

Data flow: `built_site` (tests/conftest.py: both editions + tools/postbuild.py, SITE_URL unset,
so the site sits at the host's root) -> a static-host-like server on 127.0.0.1 -> Chromium.
"""
from __future__ import annotations

import http.server
import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Like GitHub Pages or Netlify: a missing path gets 404.html (zh-Hant/404.html under
    /zh-Hant/) with status 404."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.exists():
            return super().send_head()
        root = Path(self.directory)
        page = root / ("zh-Hant/404.html" if unquote(urlsplit(self.path).path).startswith("/zh-Hant/") else "404.html")
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def host(built_site):
    import audit  # tools/audit.py: one loopback server for the tests and the audit

    with audit.serve(built_site, _StaticHost) as base:
        yield base


def _watch(page):
    log = {"requests": [], "bad": [], "errors": []}
    page.context.on("request", lambda r: log["requests"].append(r.url))  # workers' requests too
    page.on("response", lambda r: log["bad"].append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    page.on("requestfailed", lambda r: log["bad"].append(f"failed {r.url}: {r.failure}"))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    return log


@pytest.mark.parametrize("edition, missing, title, lang", [
    ("zh-Hans", "any/deep/missing", "找不到这一页", "zh-Hans"),
    ("zh-Hant", "zh-Hant/any/deep/missing/", "找不到這一頁", "zh-Hant"),
])
def test_404_from_a_deep_path_works_and_stays_in_its_edition(host, page, edition, missing, title, lang):
    log = _watch(page)
    response = page.goto(host + missing, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.get_attribute("html", "lang") == lang
    assert page.text_content("h1") == title
    # styled: Material's stylesheet (shared assets/) loaded from this host
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.evaluate("h => fetch(h).then(r => r.status)", icon) == 200
    assert all(u.startswith((host, "data:")) for u in log["requests"]), log["requests"]
    assert not log["bad"] and not log["errors"], (log["bad"], log["errors"])
    hrefs = page.eval_on_selector_all(".not-found-contents a", "els => els.map(e => e.href)")
    assert len(hrefs) >= 8
    prefix = host + ("zh-Hant/" if edition == "zh-Hant" else "")
    assert all(h.startswith(prefix) for h in hrefs), hrefs
    if edition == "zh-Hans":
        assert not any(h.startswith(host + "zh-Hant/") for h in hrefs)
    page.click(f".not-found-contents a[href$='{urlsplit(hrefs[1]).path}']")
    page.wait_for_load_state("load")
    assert page.url == hrefs[1] and page.get_attribute("html", "lang") == lang
    switch = page.get_attribute(".edition-switch a", "href")
    assert switch  # the document page's own switch is back


def test_zh_hant_search_runs_on_the_shared_assets(host, page):
    log = _watch(page)
    page.goto(host + "zh-Hant/", wait_until="load")
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "奧特曼")
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert links and all(h.startswith(host + "zh-Hant/") for h in links), links
    workers = [u for u in log["requests"] if "/workers/search" in u or "/lunr/" in u]
    assert workers and all(u.startswith(host + "assets/") for u in workers), workers
    assert not [u for u in log["requests"] if "/zh-Hant/assets/" in u]
    assert not log["bad"] and not log["errors"], (log["bad"], log["errors"])
