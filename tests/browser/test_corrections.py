"""校改标记 in a browser: off by default and invisible; the two toggles work by mouse and by
keyboard, are remembered, show the source's reading in place and explain each mark.

Data flow: the built site (served) -> Chromium (playwright) -> assertions on the DOM.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
DOC = "2025-03-stratechery-altman/"
STATE = "document.documentElement.getAttribute('data-corrections')"


def test_off_by_default_and_invisible(server, page):
    page.goto(server + DOC)
    assert page.evaluate(STATE) == "off"
    mark = page.locator(".corr").first
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert mark.get_attribute("tabindex") is None  # no invisible tab stops


def test_marks_by_keyboard_explain_and_are_remembered(server, page):
    page.goto(server + DOC)
    toggle = page.get_by_role("button", name="校改标记")
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(STATE) == "marks" and toggle.get_attribute("aria-pressed") == "true"
    mark = page.locator("#p1-3 .corr").first
    mark.focus()
    tip = page.locator("#corr-pop")
    assert tip.is_visible()
    assert "底本" in tip.inner_text() and "标点" in tip.inner_text()
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.reload()
    assert page.evaluate(STATE) == "marks"  # remembered


def test_source_reading_in_place_and_back(server, page):
    page.goto(server + DOC)
    para = page.locator("#p1-3")
    reading = para.inner_text()
    page.get_by_role("button", name="显示底本").click()
    source = para.inner_text()
    assert source != reading and "(" in source  # e.g. a removed pinyin reading shown where it was
    page.get_by_role("button", name="显示底本").click()
    assert page.evaluate(STATE) == "off" and para.inner_text() == reading


def test_enter_on_a_mark_opens_its_apparatus_entry(server, page):
    page.goto(server + DOC)
    page.get_by_role("button", name="校改标记").click()
    mark = page.locator("#p1-3 .corr").first
    target = mark.get_attribute("data-href")
    mark.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/apparatus/**")
    anchor = target.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1


def test_a_tap_explains_a_mark_and_a_second_tap_opens_its_entry(server, browser):
    """On a touch screen there is no hover: the first tap shows the source's reading and the
    reason (it used to open the apparatus at once, the reason never seen), a tap elsewhere hides
    it, and a second tap on the same mark opens its apparatus entry."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        page.goto(server + DOC)
        page.get_by_role("button", name="校改标记").tap()
        mark = page.locator("#p1-3 .corr:not(.corr-point)").first
        target = mark.get_attribute("data-href")
        mark.scroll_into_view_if_needed()
        mark.tap()
        pop = page.locator("#corr-pop")
        assert pop.is_visible() and page.url == server + DOC
        assert f"底本：{mark.get_attribute('data-src') or '（无）'}" in pop.inner_text()
        assert "再点一次查看校勘记" in pop.inner_text()
        page.locator("article h1").tap()
        assert not pop.is_visible()
        mark.tap()
        assert pop.is_visible() and page.url == server + DOC
        mark.tap()
        page.wait_for_url("**/apparatus/**")
        assert page.url.endswith(target.split("/")[-1]) and page.locator(f"[id='{target.split('#')[1]}']").count() == 1
    finally:
        ctx.close()


def test_zh_hant_toggles_speak_traditional(server, page):
    page.goto(server + "zh-Hant/" + DOC)
    assert page.get_by_role("button", name="校改標記").count() == 1
    assert page.get_by_role("button", name="顯示底本").count() == 1
