"""Browser tests of the built reader edition (both scripts), driven through Chromium.

What they drive: the real site, built once per session by ``conftest.built_site`` with
``mkdocs build --strict`` (zh-Hans into <tmp>/site, zh-Hant into <tmp>/site/zh-Hant),
served from 127.0.0.1 by a stdlib HTTP server and opened in Debian's /usr/bin/chromium
through Playwright's sync API (no Playwright browser download).  They check what only a
browser can see: the declared languages and hreflang twins, the localized interface, the
script switch in docs/assets/edition.js (fragment kept, first paragraph in view, file://),
paragraph permalinks on hover/focus, identical anchors in both scripts, Material's search
over the jieba-segmented Chinese index, and a clean console with no off-host requests.

Run them with::

    make test PYTEST_ARGS='-m browser'
    # or directly: .venv/bin/python -m pytest -q tests/browser

They need Chromium at /usr/bin/chromium (``make system-deps``); without it they fail.
"""
from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

EDITIONS = ("zh-Hans", "zh-Hant")
OTHER = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}
SKIP_DIRS = {"assets", "search"}
NON_DOCUMENTS = {"", "about", "apparatus", "glossary", "people", "timeline", "downloads"}
PARA_ID = re.compile(r"^p(\d+)-(\d+)$")

# Anchor ids that must be the same in both scripts (the edition's public interface).
ANCHORS_JS = """() => Array.from(document.querySelectorAll('[id^="p"], [id^="s"], #top'),
                                 e => e.id)"""
IN_VIEWPORT_JS = """(id) => {
    const el = document.getElementById(id);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
}"""
OPACITY_JS = "(el) => parseFloat(getComputedStyle(el).opacity)"


# --------------------------------------------------------------------------- helpers

class _Head(HTMLParser):
    """Collects <html lang>, <a rel=alternate hreflang href> (the switch) and element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.alternates: list[tuple[str, str]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag in ("a", "link") and "alternate" in (a.get("rel") or "").split() and a.get("hreflang"):
            self.alternates.append((a["hreflang"], a.get("href") or ""))
        if a.get("id"):
            self.ids.append(a["id"])


def _parse(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _edition_root(site: Path, edition: str) -> Path:
    return site if edition == "zh-Hans" else site / "zh-Hant"


def _pages(site: Path, edition: str) -> list[str]:
    """Page directories of one edition, relative to its root ('' is the home page)."""
    root = _edition_root(site, edition)
    found = []
    for index in root.rglob("index.html"):
        rel = index.parent.relative_to(root)
        parts = rel.parts
        if parts and (parts[0] in SKIP_DIRS or (edition == "zh-Hans" and parts[0] == "zh-Hant")):
            continue
        found.append(rel.as_posix() if parts else "")
    return sorted(found)


def _documents(site: Path) -> list[str]:
    return [rel for rel in _pages(site, "zh-Hans") if rel not in NON_DOCUMENTS and "/" not in rel]  # not <slug>/apparatus


def _url(base: str, edition: str, rel: str) -> str:
    prefix = "" if edition == "zh-Hans" else "zh-Hant/"
    return base + prefix + (rel + "/" if rel else "")


def _file_for(url: str, base: str, site: Path) -> Path:
    assert url.startswith(base), f"{url} leaves the site {base}"
    path = urlsplit(url).path[len(urlsplit(base).path):]
    target = site / path
    return target / "index.html" if (not path or path.endswith("/")) else target


def _wait_for(predicate, timeout: float = 5.0, interval: float = 0.05):
    """Poll predicate() until it is truthy; return its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


def _switch(page, keyboard: bool = False) -> None:
    """Activate the script switch and wait until the browser has landed on the twin.

    keyboard=True focuses the link without scrolling and presses Enter, as a keyboard
    user does; a mouse click (Playwright scrolls the link into view first) would change
    which paragraph is in view.  We poll page.url instead of expect_navigation because
    the click also starts a second, aborted navigation (see test_switch_navigates_once),
    and Playwright's navigation waiters reject on the first aborted navigation.
    """
    start = page.url
    if keyboard:
        page.evaluate("""() => document.querySelector('a[data-edition-switch]')
                                       .focus({preventScroll: true})""")
        page.keyboard.press("Enter")
    else:
        page.click("a[data-edition-switch]")
    deadline = time.monotonic() + 10
    while page.url == start:
        assert time.monotonic() < deadline, f"the switch on {start} did not navigate"
        page.wait_for_timeout(50)
    page.wait_for_load_state("load")


def _first_deep_paragraph(html_file: Path) -> str:
    """p3-5 if it exists, else the first paragraph id beyond the first section."""
    ids = [i for i in _parse(html_file).ids if PARA_ID.match(i)]
    assert ids, f"no paragraph ids in {html_file}"
    if "p3-5" in ids:
        return "p3-5"
    first_section = PARA_ID.match(ids[0]).group(1)
    deeper = [i for i in ids if PARA_ID.match(i).group(1) != first_section]
    assert deeper, f"{html_file} has a single section"
    return deeper[min(4, len(deeper) - 1)]


@pytest.fixture(scope="module")
def documents(built_site) -> list[str]:
    docs = _documents(built_site)
    assert docs, "no document pages in the build"
    return docs


# --------------------------------------------------------------------------- 1. lang

def test_every_page_declares_its_lang_and_twin(built_site, server):
    """Static check of every page: <html lang> and an hreflang link to an existing twin."""
    counts = {}
    for edition in EDITIONS:
        pages = _pages(built_site, edition)
        counts[edition] = pages
        assert {"", "about", "apparatus"} <= set(pages), f"{edition}: missing pages in {pages}"
        for rel in pages:
            url = _url(server, edition, rel)
            head = _parse(_file_for(url, server, built_site))
            assert head.lang == edition, f"{url}: <html lang={head.lang!r}>, expected {edition!r}"
            twins = [(lang, href) for lang, href in head.alternates if lang == OTHER[edition]]
            assert len(twins) == 1, f"{url}: alternates {head.alternates}, want one to {OTHER[edition]}"
            twin_url = urljoin(url, twins[0][1])
            twin_file = _file_for(twin_url, server, built_site)
            assert twin_file.is_file(), f"{url}: twin {twin_url} does not exist"
            twin = _parse(twin_file)
            assert twin.lang == OTHER[edition], f"{twin_url}: lang={twin.lang!r}"
            back = [urljoin(twin_url, h) for lang, h in twin.alternates if lang == edition]
            assert back == [url], f"{twin_url} points back to {back}, expected [{url!r}]"
    assert counts["zh-Hans"] == counts["zh-Hant"], "the two editions have different page sets"


def test_lang_and_twin_in_browser(built_site, server, page, documents):
    """Sample in the browser: document.documentElement.lang and the twin it links to."""
    for edition in EDITIONS:
        for rel in ("", documents[0], "apparatus", "about"):
            url = _url(server, edition, rel)
            page.goto(url, wait_until="domcontentloaded")
            assert page.evaluate("document.documentElement.lang") == edition, url
            twin_url = page.evaluate(
                f"""document.querySelector('a[rel="alternate"][hreflang="{OTHER[edition]}"]').href""")
            assert twin_url == _url(server, OTHER[edition], rel), f"{url}: twin {twin_url}"
            response = page.goto(twin_url, wait_until="domcontentloaded")
            assert response is not None and response.ok, f"{twin_url}: {response and response.status}"
            assert page.evaluate("document.documentElement.lang") == OTHER[edition], twin_url


# --------------------------------------------------------------------------- 2. interface

@pytest.mark.parametrize("edition, search, toc", [
    ("zh-Hans", "搜索", "目录"),
    ("zh-Hant", "搜尋", "目錄"),
])
def test_interface_language(server, page, documents, edition, search, toc):
    page.goto(_url(server, edition, documents[0]), wait_until="domcontentloaded")
    assert page.get_attribute("input.md-search__input", "placeholder") == search
    title = page.eval_on_selector('label.md-nav__title[for="__toc"]', "e => e.textContent.trim()")
    assert title == toc
    # A phone browser's toolbar takes the header's colour: one theme-color meta, equal to it.
    theme, header = page.evaluate("""() => [
        [...document.querySelectorAll('meta[name="theme-color"]')].map(m => m.content),
        getComputedStyle(document.querySelector('.md-header')).backgroundColor]""")
    rgb = "rgb({}, {}, {})".format(*(int(theme[0][i:i + 2], 16) for i in (1, 3, 5))) if len(theme) == 1 else None
    assert rgb == header, f"theme-color {theme}, header {header}"


# --------------------------------------------------------------------------- 3. switch

STRATECHERY = "2025-03-stratechery-altman"


def test_switch_keeps_fragment(built_site, server, page):
    assert (built_site / STRATECHERY / "index.html").is_file(), f"{STRATECHERY} not built"
    pid = _first_deep_paragraph(built_site / STRATECHERY / "index.html")
    hans = f"{_url(server, 'zh-Hans', STRATECHERY)}#{pid}"
    hant = f"{_url(server, 'zh-Hant', STRATECHERY)}#{pid}"

    page.goto(hans)
    _switch(page)
    assert page.url == hant
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert _wait_for(lambda: page.evaluate(IN_VIEWPORT_JS, pid)), f"#{pid} not in view on {page.url}"

    _switch(page)
    assert page.url == hans
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert _wait_for(lambda: page.evaluate(IN_VIEWPORT_JS, pid)), f"#{pid} not in view on {page.url}"


def test_switch_without_fragment_carries_first_paragraph_in_view(built_site, server, page):
    pid = _first_deep_paragraph(built_site / STRATECHERY / "index.html")
    page.goto(_url(server, "zh-Hans", STRATECHERY))
    page.evaluate("(id) => document.getElementById(id).scrollIntoView()", pid)
    page.wait_for_timeout(100)
    assert page.evaluate(IN_VIEWPORT_JS, pid)
    _switch(page, keyboard=True)
    assert page.url == f"{_url(server, 'zh-Hant', STRATECHERY)}#{pid}"


def test_switch_navigates_once(built_site, server, page):
    pid = _first_deep_paragraph(built_site / STRATECHERY / "index.html")
    page.goto(f"{_url(server, 'zh-Hans', STRATECHERY)}#{pid}")
    page.wait_for_load_state("networkidle")  # Material's sitemap fetches have settled
    navigations = []
    page.on("request", lambda r: navigations.append(r.url)
            if r.is_navigation_request() and r.frame == page.main_frame else None)
    _switch(page)
    assert page.url == f"{_url(server, 'zh-Hant', STRATECHERY)}#{pid}"
    assert navigations == [_url(server, "zh-Hant", STRATECHERY)], navigations


# --------------------------------------------------------------------------- 4. file://

def test_switch_under_file_url(built_site, page):
    slug = "2024-12-dealbook-altman"
    start = (built_site / slug / "index.html").as_uri() + "#p1-2"
    expected = (built_site / "zh-Hant" / slug / "index.html").as_uri() + "#p1-2"
    page.goto(start)
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    _switch(page)
    assert page.url == expected
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.evaluate("(id) => !!document.getElementById(id)", "p1-2")


# --------------------------------------------------------------------------- 5. permalinks

def test_paragraph_permalink_shows_on_hover_and_focus(server, page, documents):
    page.goto(_url(server, "zh-Hans", documents[0]))
    para = page.locator('article p[id^="p"]').nth(2)
    link = para.locator(":scope > a.para-link")
    assert link.count() == 1, "paragraph has no a.para-link"
    pid = para.get_attribute("id")
    assert link.get_attribute("href") == f"#{pid}"

    para.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    assert link.evaluate(OPACITY_JS) == 0, "permalink visible before hover"

    para.hover()
    assert _wait_for(lambda: link.evaluate(OPACITY_JS) > 0.9), "permalink not shown on hover"

    page.mouse.move(0, 0)
    assert _wait_for(lambda: link.evaluate(OPACITY_JS) == 0), "permalink stays after hover"

    link.focus()
    assert _wait_for(lambda: link.evaluate(OPACITY_JS) > 0.9), "permalink not shown on focus"


LINES_OF_NAMES_JS = """() => [...document.querySelectorAll('article .nobr')]
    .map(e => [e.textContent, e.getClientRects().length])"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_hyphenated_names_are_not_broken_on_a_phone(server, browser, edition):
    """GPT-7 never ends a line as "GPT-" (render.esc_words, .nobr); the control without the rule
    shows the 20VC paragraph breaks one at 390 px, so the check can fail."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(_url(server, edition, "2024-04-20vc-altman-lightcap"))
        names = page.evaluate(LINES_OF_NAMES_JS)
        assert any(t == "GPT-7" for t, _ in names), names
        assert all(n == 1 for _, n in names), [t for t, n in names if n != 1]
        page.add_style_tag(content=".md-typeset .nobr { white-space: normal !important; }")
        broken = [t for t, n in page.evaluate(LINES_OF_NAMES_JS) if n > 1]
        assert broken, "control: without the rule no name breaks at 390 px (fonts changed? pick another width)"
    finally:
        context.close()


# --------------------------------------------------------------------------- 6. anchors

def test_anchors_identical_in_both_scripts(server, page, documents):
    for rel in documents:
        got = {}
        for edition in EDITIONS:
            page.goto(_url(server, edition, rel), wait_until="domcontentloaded")
            ids = page.evaluate(ANCHORS_JS)
            assert len(ids) == len(set(ids)), f"{edition}/{rel}: duplicate ids"
            got[edition] = set(ids)
        assert got["zh-Hans"], f"{rel}: no anchors"
        assert any(PARA_ID.match(i) for i in got["zh-Hans"]), f"{rel}: no paragraph anchors"
        only_hans = sorted(got["zh-Hans"] - got["zh-Hant"])
        only_hant = sorted(got["zh-Hant"] - got["zh-Hans"])
        assert not only_hans and not only_hant, f"{rel}: only zh-Hans {only_hans}, only zh-Hant {only_hant}"


PRINT_LABELS_JS = """() => Array.from(document.querySelectorAll('.md-content p[id]'), p => {
    const label = getComputedStyle(p, '::before'), box = p.getBoundingClientRect();
    return [p.id, label.content, label.display, box.left];
})"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_printed_page_shows_each_paragraph_anchor(server, page, documents, edition):
    """The browser's Print of a document page (edition.css, @media print) puts every paragraph's
    anchor beside it, as the PDF books do, so a printed page can be cited; on screen it does not."""
    page.goto(_url(server, edition, documents[0]), wait_until="load")
    screen = page.evaluate(PRINT_LABELS_JS)
    assert screen and all(content in ("none", "normal") for _, content, _, _ in screen)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINT_LABELS_JS)
    assert [row[0] for row in printed] == [row[0] for row in screen]
    for pid, content, display, _left in printed:
        assert content == f'"{pid}"' and display != "none", pid
        assert PARA_ID.match(pid)
    assert len({round(left) for *_, left in printed}) == 1  # one column of text beside the labels


# --------------------------------------------------------------------------- 7. search

def _search(page, query: str) -> list[tuple[str, list[str]]]:
    """Type query into Material's search box; return (absolute href, highlighted words)."""
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material reacts to keyup
    try:
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
    except Exception:
        meta = page.text_content(".md-search-result__meta") or ""
        pytest.fail(f"no search results for {query!r} on {page.url} (meta: {meta.strip()!r})")
    return page.eval_on_selector_all(
        ".md-search-result__item a.md-search-result__link",
        "els => els.map(e => [e.href, Array.from(e.querySelectorAll('mark'), m => m.textContent)])")


# Material segments a Chinese query greedily by the words in the index, so a name that
# jieba split (莱特/卡普) is still *found*; what the user dictionary changes is the match
# itself: the result highlights the whole name, and a part of it (卡普) is no word.
@pytest.mark.parametrize("edition, query, must_find", [
    ("zh-Hans", "奥特曼", None),
    ("zh-Hant", "奧特曼", None),
    ("zh-Hans", "莱特卡普", "2024-04-20vc-altman-lightcap"),
    ("zh-Hant", "萊特卡普", "2024-04-20vc-altman-lightcap"),
])
def test_chinese_search(server, page, edition, query, must_find):
    page.goto(_url(server, edition, ""))
    results = _search(page, query)
    assert results, f"{query!r}: no result links"
    for href, _ in results:
        assert href.startswith(server), href
        in_hant = "/zh-Hant/" in href
        assert in_hant == (edition == "zh-Hant"), f"{query!r} on {edition} links to {href}"
    if must_find:
        target = _url(server, edition, must_find)
        marks = [m for href, ms in results
                 if urlsplit(href)._replace(query="", fragment="").geturl() == target for m in ms]
        assert marks, f"{query!r}: {target} not among {[h for h, _ in results]}"
        assert set(marks) == {query}, f"{query!r} highlighted as {sorted(set(marks))} in {target}"


# --------------------------------------------------------------------------- 8. console

def _load_and_watch(server, page, documents):
    """Load home and one document in both editions; record console errors and traffic."""
    log = {"errors": [], "failed": [], "requests": [], "bad_status": []}
    page.on("console", lambda m: log["errors"].append((m.text, m.location.get("url", "")))
            if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append((f"pageerror: {e}", "")))
    page.on("requestfailed", lambda r: log["failed"].append(f"{r.url}: {r.failure}"))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("response", lambda r: log["bad_status"].append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    for edition in EDITIONS:
        for rel in ("", documents[0]):
            page.goto(_url(server, edition, rel), wait_until="load")
            page.wait_for_load_state("networkidle")
    return log


def test_no_console_errors_or_foreign_requests(server, page, documents):
    log = _load_and_watch(server, page, documents)
    assert log["requests"], "no requests recorded"
    assert not log["errors"], log["errors"]
    assert not log["failed"], log["failed"]
    foreign = [u for u in log["requests"]
               if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")]
    assert not foreign, foreign


def test_no_missing_resources(server, page, documents):
    log = _load_and_watch(server, page, documents)
    assert not log["bad_status"], log["bad_status"]
    assert not log["errors"], log["errors"]
