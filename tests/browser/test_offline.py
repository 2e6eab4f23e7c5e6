"""The offline bundle (tools/offline.py, `make offline`) in Chromium from file://: built once,
unzipped into a temp dir, index.html opened from the file system. Every page of both editions
is reached through the links on the pages; search works in both scripts in both editions; the
script switch keeps the paragraph; glossary definitions show; and no request leaves file:.
"""
from __future__ import annotations

import calendar
import zipfile
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest

import offline  # tools/offline.py (tests/conftest.py puts tools/ on sys.path)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DOC = "2024-12-dealbook-altman.html"
QUERY = "input[data-md-component=search-query]"
META = ".md-search-result__meta"
#: query as typed -> the form each edition's text holds
QUERIES = {"奥特曼": ("奥特曼", "奧特曼"), "奧特曼": ("奥特曼", "奧特曼"),
           "莱特卡普": ("莱特卡普", "萊特卡普"), "萊特卡普": ("莱特卡普", "萊特卡普"),
           "超级智能": ("超级智能", "超級智能"), "馬斯克": ("马斯克", "馬斯克")}
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}


@pytest.fixture(scope="session")
def bundle(offline_bundle) -> tuple[Path, Path]:
    """(the zip, the unzipped bundle's folder holding index.html): built once per run (conftest.py)."""
    return offline_bundle


@pytest.fixture
def file_page(browser):
    """A page that records every request it makes (file:// pages, workers, iframes)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        yield pg, requests, errors
    finally:
        context.close()


def offsite(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith("file:")]


def search(pg, query: str) -> list[dict]:
    """Type a query as a reader would (the field, then a key: Material reads the field on keyup)."""
    pg.click(QUERY)
    pg.fill(QUERY, "")  # empty the field, and with it the previous query's results
    pg.press(QUERY, "End")
    pg.wait_for_function("document.querySelectorAll('.md-search-result__item').length === 0")
    pg.fill(QUERY, query)
    pg.press(QUERY, "End")
    pg.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/初始化/.test(m.textContent) && document.querySelector('" + QUERY + "').value === q"
        " && document.querySelectorAll('.md-search-result__item').length > 0; }", arg=query)
    return pg.eval_on_selector_all(
        ".md-search-result__item a.md-search-result__link",
        "els => els.map(a => ({href: a.href, title: (a.querySelector('h1, h2') || {}).textContent || '',"
        " text: a.textContent, marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))")


def test_zip_is_deterministic(bundle, tmp_path):
    target, tree = bundle
    with zipfile.ZipFile(target) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and len(names) > 40
    assert all(n.startswith(offline.NAME + "/") for n in names)
    assert len({i.date_time for i in infos}) == 1
    assert f"{offline.NAME}/index.html" in names and f"{offline.NAME}/zh-Hant/index.html" in names
    assert f"{offline.NAME}/search/search_index.js" in names
    assert f"{offline.NAME}/assets/vendor/iframe-worker/LICENSE" in names
    epoch = calendar.timegm(infos[0].date_time + (0, 0, 0))
    again = tmp_path / "again.zip"
    offline.zip_tree(tree, again, epoch)
    assert again.read_bytes() == target.read_bytes()


def test_the_bundle_s_downloads_page_says_it_is_the_offline_copy(bundle):
    """The zip holds no downloads (never itself): its 下载与数据 page says the reader has the
    offline copy, offers the data, and links no zip or PDF."""
    from reader import downloads

    _, tree = bundle
    for page in (tree / "downloads.html", tree / "zh-Hant" / "downloads.html"):
        source = page.read_text(encoding="utf-8")
        assert "离线版" in source or "離線版" in source, page
        assert ".zip" not in source and ".pdf" not in source and "edition.schema.json" in source
    assert downloads.OFFLINE in (tree / "downloads.html").read_text(encoding="utf-8")
    assert not (tree / "downloads").exists()


def test_links_name_files_and_every_page_is_valid_html(bundle):
    """`make audit`'s offline checks without a browser: every link of the bundle names a file (a
    folder opens as a directory listing from file://) and an id in it, the Nu checker finds no
    error, and the 404 pages are left out (only a server shows them; their links are absolute)."""
    import audit  # tools/audit.py

    _, tree = bundle
    assert not list(tree.rglob(offline.NOT_FOUND))
    assert audit.check_links(tree) + audit.folder_links(tree) == []
    assert audit.run_nu(tree) == []


def test_folder_check_sees_a_folder_link(tmp_path):
    import audit

    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="glossary/">a</a> <a href="glossary">b</a>'
                                         ' <a href="/">c</a> <a href="glossary/index.html">d</a>', encoding="utf-8")
    found = [p.message for p in audit.folder_links(tmp_path)]
    assert found == [f"<a href={h!r}> names a folder, not a file" for h in ("glossary/", "glossary", "/")]


def test_every_page_reached_by_its_links_without_network(bundle, file_page):
    _, tree = bundle
    pg, requests, errors = file_page
    start = (tree / "index.html").as_uri()
    seen: set[str] = set()
    queue = [start]
    dead: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        pg.goto(url, wait_until="load")
        assert pg.evaluate("document.querySelector('article') !== null"), url
        for href in pg.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            target, _ = urldefrag(href)
            if not target.startswith(tree.as_uri()):
                continue  # the sources' own pages (a link, not a request), javascript:
            if not Path(unquote(target[len("file://"):])).is_file():
                dead.append(f"{url} -> {href}")
            elif target.endswith(".html") and target not in seen:
                queue.append(target)
    assert not dead, dead[:10]
    pages = {p.as_uri() for p in tree.rglob("*.html")}
    assert pages <= seen, sorted(pages - seen)
    assert len(seen) >= 20
    assert not offsite(requests), offsite(requests)[:10]
    assert not any("search_index" in u for u in requests), "the index was loaded without a search"
    assert not errors, errors[:5]


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_in_both_scripts(bundle, file_page, edition):
    _, tree = bundle
    pg, requests, errors = file_page
    pg.goto((tree / EDITIONS[edition] / "index.html").as_uri(), wait_until="load")
    pg.wait_for_timeout(300)
    assert not any("search_index" in u for u in requests), "index loaded before search was opened"
    col = 0 if edition == "zh-Hans" else 1
    for typed, forms in QUERIES.items():
        results = search(pg, typed)
        marks = {m for r in results for m in r["marks"]}
        assert forms[col] in marks, (edition, typed, marks)
        assert all(("/zh-Hant/" in r["href"]) == (edition == "zh-Hant") for r in results)
        assert not any("\u200b" in r["title"] or "\u200b" in r["text"] for r in results), typed
        assert pg.input_value(QUERY) == typed  # the field keeps what the reader typed
        pg.keyboard.press("Escape")
    assert any(u.endswith("search/search_index.js") for u in requests)
    assert not offsite(requests), offsite(requests)[:10]
    assert not errors, errors[:5]


def test_a_result_opens_its_page(bundle, file_page):
    _, tree = bundle
    pg, requests, errors = file_page
    pg.goto((tree / "zh-Hant" / "index.html").as_uri(), wait_until="load")
    search(pg, "莱特卡普")
    with pg.expect_navigation():  # a section whose text holds the term (its link carries ?h=...)
        pg.locator(".md-search-result__item a.md-search-result__link[href*='h=%']").first.click()
    assert pg.url.startswith((tree / "zh-Hant").as_uri()) and ".html?h=" in pg.url
    pg.wait_for_function("document.querySelectorAll('mark[data-md-highlight]').length > 0")
    assert "萊特卡普" in pg.eval_on_selector_all("mark[data-md-highlight]", "els => els.map(m => m.textContent)")
    assert not offsite(requests), offsite(requests)[:10]
    assert not errors, errors[:5]


@pytest.mark.parametrize(("edition", "twin"), [("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")])
def test_switch_keeps_the_paragraph(bundle, file_page, edition, twin):
    _, tree = bundle
    pg, requests, errors = file_page
    pg.goto((tree / EDITIONS[edition] / DOC).as_uri() + "#p3-2", wait_until="load")
    with pg.expect_navigation():
        pg.click("a[data-edition-switch]")
    assert pg.url == (tree / EDITIONS[twin] / DOC).as_uri() + "#p3-2"
    assert pg.evaluate("document.documentElement.lang") == twin
    assert not offsite(requests), offsite(requests)[:10]
    assert not errors, errors[:5]


def test_glossary_definition_shows(bundle, file_page):
    _, tree = bundle
    pg, requests, errors = file_page
    pg.goto((tree / "zh-Hant" / DOC).as_uri(), wait_until="load")
    term = pg.locator("#p5-1 a.term").first
    gloss = term.get_attribute("data-gloss")
    assert gloss
    term.focus()
    shown = pg.evaluate("getComputedStyle(document.activeElement, '::after').content")
    assert gloss in shown, shown
    assert not offsite(requests), offsite(requests)[:10]
    assert not errors, errors[:5]
