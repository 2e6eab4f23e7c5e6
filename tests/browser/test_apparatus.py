"""The apparatus in pages (issue 17) in Chromium: old links to a row of the one-page apparatus
(apparatus/#<slug>.r<n>, apparatus/#<slug>-changes) land on the document's apparatus page at
the same row, hosted and from file:// (the offline build's .html links); #<slug> and
#<slug>-counts stay on the index; a correction mark leads to its row; the heaviest page stays
within its element budget and fits a phone's width, each row two lines there (the reason as wide as
the two readings) and still a table to a screen reader.

Data flow: the built site (served; and the offline bundle, tools/offline.make_bundle, unzipped
and opened from the file system) -> Chromium (playwright) -> assertions on URL and DOM.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = ("", "zh-Hant/")
HEAVY = "2025-03-stratechery-altman"  # the document with the most rows (529 in 2026-12)
OTHER = "2024-04-20vc-altman-lightcap"
ELEMENT_BUDGET = 5000  # the one-page apparatus had 17,666
IN_VIEW = """id => { const el = document.getElementById(id); if (!el) return null;
  const r = el.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; }"""


def _wait_url(page, url: str, timeout: float = 10_000) -> None:
    page.wait_for_url(url, timeout=timeout)
    page.wait_for_load_state("load")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("fragment,slug", [(f"{HEAVY}.r123", HEAVY), (f"{OTHER}.r1", OTHER),
                                           (f"{HEAVY}-changes", HEAVY)])
def test_old_link_hosted_lands_on_the_row(server, page, edition, fragment, slug):
    page.goto(f"{server}{edition}apparatus/#{fragment}")
    want = f"{server}{edition}{slug}/apparatus/#{fragment}"
    _wait_url(page, want)
    assert page.url == want
    assert page.locator(f"[id='{fragment}']").count() == 1
    assert page.evaluate(IN_VIEW, fragment), f"{fragment} not scrolled into view"


@pytest.mark.parametrize("width", [390, 1280])
def test_deep_row_lands_in_view_though_parts_are_laid_out_lazily(browser, server, width):
    """The parts before the row have only their guessed height (content-visibility: auto)."""
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        for fragment in (f"{HEAVY}.r500", f"{HEAVY}.r260", f"{HEAVY}.r51"):
            page.goto(f"{server}{HEAVY}/apparatus/#{fragment}", wait_until="load")
            page.wait_for_timeout(200)
            assert page.evaluate(IN_VIEW, fragment), (width, fragment)
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_gone_rows_id_lands_on_the_row_in_its_place(browser, server, width):
    """A row that is gone keeps its id as an empty element in the row that took its place
    (rowlock.py; render.row_aliases): an old link to it, even to the one-page apparatus, lands
    there, deep in a lazily laid-out part, and the row is highlighted. The page is served with
    such an alias added to row r400, as a build makes it when a locked row is gone."""
    host, gone = f"{HEAVY}.r400", f"{HEAVY}.r99999"
    url = f"{server}{HEAVY}/apparatus/"
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")

    def with_alias(route):
        response = route.fetch()
        body = response.text()
        assert f'<tr id="{host}"><td>' in body
        body = body.replace(f'<tr id="{host}"><td>', f'<tr id="{host}"><td><span class="row-alias" id="{gone}"></span>', 1)
        route.fulfill(response=response, body=body)

    try:
        page = context.new_page()
        page.route(url, with_alias)
        page.goto(f"{server}apparatus/#{gone}")
        _wait_url(page, f"{url}#{gone}")
        page.wait_for_timeout(200)
        assert page.evaluate(IN_VIEW, gone), width
        background = page.evaluate(f"() => getComputedStyle(document.getElementById('{host}')).backgroundColor")
        other = page.evaluate(f"() => getComputedStyle(document.getElementById('{HEAVY}.r399')).backgroundColor")
        assert background != other, (background, other)
    finally:
        context.close()


@pytest.mark.parametrize("fragment", [HEAVY, f"{HEAVY}-counts", "top", "nothing.r3", f"{HEAVY}.r99999x"])
def test_index_ids_and_unknown_fragments_stay(server, page, fragment):
    page.goto(f"{server}apparatus/#{fragment}", wait_until="load")
    page.wait_for_timeout(300)
    assert page.url == f"{server}apparatus/#{fragment}"


def test_old_link_followed_on_the_index_itself(server, page):
    """A fragment change on the index (an old in-page link, the back button) forwards too."""
    page.goto(f"{server}apparatus/", wait_until="load")
    page.evaluate(f"location.hash = '#{OTHER}.r2'")
    _wait_url(page, f"{server}{OTHER}/apparatus/#{OTHER}.r2")


@pytest.fixture(scope="module")
def offline_tree(offline_bundle) -> Path:
    """Both editions as the offline bundle has them (.html links): `make offline`'s zip, unzipped
    (built once per run, tests/browser/conftest.py)."""
    return offline_bundle[1]


@pytest.mark.parametrize("edition", EDITIONS)
def test_old_link_from_file_lands_on_the_row(offline_tree, page, edition):
    root = offline_tree / edition if edition else offline_tree
    start = (root / "apparatus.html").as_uri()
    page.goto(f"{start}#{HEAVY}.r7", wait_until="load")
    want = (root / HEAVY / "apparatus.html").as_uri() + f"#{HEAVY}.r7"
    _wait_url(page, want)
    assert page.locator(f"[id='{HEAVY}.r7']").count() == 1
    assert page.evaluate(IN_VIEW, f"{HEAVY}.r7")
    # and the row's place links back to the paragraph of the document, a file that exists
    link = page.locator(f"[id='{HEAVY}.r7'] a").first.get_attribute("href")
    target = (root / HEAVY / "apparatus.html").parent / link.split("#")[0]
    assert target.resolve().is_file(), link


def test_a_correction_mark_links_to_its_row(server, page):
    page.goto(f"{server}{HEAVY}/", wait_until="load")
    marks = page.locator(".corr[data-href*='.r']")
    assert marks.count() > 500
    target = marks.nth(200).get_attribute("data-href")
    assert target.startswith("apparatus/#"), target
    page.goto(f"{server}{HEAVY}/{target}", wait_until="load")
    fragment = target.split("#", 1)[1]
    assert page.locator(f"[id='{fragment}']").count() == 1


@pytest.fixture(scope="module")
def heavy_rows() -> int:
    from reader import corpuscache, render

    doc = next(d for d in corpuscache.load(ROOT).docs if d.entry.slug == HEAVY)
    return len(set(render.row_ids(doc).values()))


@pytest.mark.parametrize("edition", EDITIONS)
def test_heaviest_page_within_budget_and_phone_width(browser, server, edition, heavy_rows):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{server}{edition}{HEAVY}/apparatus/", wait_until="load")
        elements = page.evaluate("document.getElementsByTagName('*').length")
        assert heavy_rows > 400 and heavy_rows * 6 < elements < ELEMENT_BUDGET, elements  # few elements a row
        assert page.locator("table.apparatus tbody tr").count() == heavy_rows
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")  # no sideways scroll
        # two lines a row: the reason under the two readings, as wide as both (it was 4 characters wide)
        row = page.locator("table.apparatus tbody tr").nth(3)
        row.scroll_into_view_if_needed()
        width = row.evaluate("r => r.getBoundingClientRect().width")
        cells = row.evaluate("r => [...r.cells].map(c => { const b = c.getBoundingClientRect(); return [b.top, b.width]; })")
        assert cells[4][0] > cells[2][0] and cells[4][1] > width * 0.6, (cells, width)
        snapshot = page.locator("table.apparatus").first.aria_snapshot()  # still a table to a screen reader
        assert "- row " in snapshot and "- cell " in snapshot and "- columnheader " in snapshot
        page.goto(f"{server}{edition}apparatus/", wait_until="load")
        assert page.evaluate("document.getElementsByTagName('*').length") < 1000
    finally:
        context.close()
