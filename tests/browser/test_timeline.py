"""The timeline page in Chromium: without JavaScript every event is listed and the filters are
hidden; with it, filtering by document and by group hides what does not match (and the empty
years), the choice is kept in the query, the count follows; the same event anchors in both
editions and from file://; every passage link lands on an existing paragraph."""
from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}
BB = "2025-01-bloomberg-altman"


def _errors(pg) -> list[str]:
    found: list[str] = []
    pg.on("pageerror", lambda e: found.append(str(e)))
    pg.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


def _visible_ids(pg) -> list[str]:
    return pg.eval_on_selector_all("article.tl-event", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_without_javascript_every_event_is_listed(server, browser):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(server + "timeline/", wait_until="load")
        assert not pg.locator("form.tl-filters").is_visible()
        ids = _visible_ids(pg)
        assert len(ids) >= 20 and "chatgpt-launch" in ids
        assert pg.locator("article.tl-event").count() == len(ids)
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_filters_by_document_and_group(server, page, edition):
    errors = _errors(page)
    page.goto(server + EDITIONS[edition] + "timeline/", wait_until="load")
    form = page.locator("form.tl-filters")
    assert form.is_visible()
    every = _visible_ids(page)
    page.select_option("form.tl-filters select[name=doc]", BB)
    some = _visible_ids(page)
    assert 0 < len(some) < len(every) and "chatgpt-launch" in some and "weil-joins" not in some
    for eid in some:
        assert BB in page.get_attribute(f"#{eid}", "data-docs").split()
    assert "doc=" + BB in page.url
    assert re.search(rf"\b{len(some)} / {len(every)}\b", page.locator(".tl-count").inner_text())
    page.select_option("form.tl-filters select[name=group]", "interviews")
    both = _visible_ids(page)
    assert both == ["bloomberg-interview"]
    hidden_years = page.eval_on_selector_all("h2[id^=y]", "els => els.filter(e => e.hidden).length")
    assert hidden_years > 0, "a year without a matching event is hidden with its heading"
    page.reload(wait_until="load")  # the choice is in the query
    assert _visible_ids(page) == ["bloomberg-interview"]
    page.select_option("form.tl-filters select[name=doc]", "")
    page.select_option("form.tl-filters select[name=group]", "")
    assert _visible_ids(page) == every
    assert errors == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_passage_links_land_on_paragraphs(server, page, edition):
    page.goto(server + EDITIONS[edition] + "timeline/", wait_until="load")
    hrefs = page.eval_on_selector_all("article#chatgpt-launch .tl-passages a", "els => els.map(a => a.href)")
    assert len(hrefs) >= 5
    for href in hrefs[:3]:
        page.goto(href, wait_until="load")
        anchor = href.split("#", 1)[1]
        assert page.locator(f"[id='{anchor}']").count() == 1


def test_same_event_anchors_in_both_editions(server, page):
    ids = {}
    for edition, prefix in EDITIONS.items():
        page.goto(server + prefix + "timeline/", wait_until="load")
        ids[edition] = page.eval_on_selector_all("article.tl-event", "els => els.map(e => e.id)")
    assert ids["zh-Hans"] == ids["zh-Hant"]


def test_filters_work_from_file(built_site, browser):
    context = browser.new_context()
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    try:
        pg.goto((built_site / "timeline" / "index.html").as_uri(), wait_until="load")
        pg.select_option("form.tl-filters select[name=group]", "interviews")
        assert len(_visible_ids(pg)) == 5
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_filter_labels_stay_on_one_line_on_a_phone(server, browser, edition):
    """On a phone the document filter's select takes the line; its label 篇目 keeps its two
    characters side by side (it was squeezed to one character per line)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(server + EDITIONS[edition] + "timeline/")
        pg.wait_for_selector("form.tl-filters:not([hidden])")
        for name in ("doc", "group"):
            label, select = pg.eval_on_selector(f"form.tl-filters select[name={name}]", """s => {
                const r = document.createRange(); r.selectNodeContents(s.parentElement.firstChild);
                return [r.getClientRects().length, s.getBoundingClientRect().height]; }""")
            assert label == 1 and select < 60, (name, label, select)
    finally:
        context.close()
