"""Glossary terms in the reading text, in Chromium: keyboard focus shows the short definition
(CSS ::after from data-gloss) and Escape hides it; on a touch screen the first tap shows it and
the second follows the link (docs/assets/terms.js), over HTTP and from file://; no console errors.
The lists of headwords atop the glossary and the index of persons flow as lines on a phone, and
every list drawn without bullets starts at the text's edge.
"""
from __future__ import annotations

import pytest

DOC = "2024-12-dealbook-altman/"
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}
GLOSS = "el => getComputedStyle(el, '::after').content"


def _errors(pg) -> list[str]:
    found: list[str] = []
    pg.on("pageerror", lambda e: found.append(str(e)))
    pg.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_keyboard_focus_shows_gloss(server, page, edition):
    errors = _errors(page)
    page.goto(server + EDITIONS[edition] + DOC, wait_until="load")
    term = page.locator("#p5-1 a.term").first
    gloss = term.get_attribute("data-gloss")
    assert gloss and "（" in gloss
    assert term.evaluate(GLOSS) in ("none", "normal")  # nothing shown before focus
    page.locator("#p5-1 .para-link").focus()  # reach the term with the keyboard: Shift+Tab back from ¶
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('term')"):
            break
    assert page.evaluate("document.activeElement.dataset.term") == term.get_attribute("data-term")
    shown = page.evaluate(f"({GLOSS})(document.activeElement)")
    assert gloss in shown, shown
    box = page.evaluate("(() => { const a = document.activeElement; const s = getComputedStyle(a, '::after');"
                        " return [s.position, s.display, s.color, s.backgroundColor]; })()")
    assert box[0] == "absolute" and box[1] != "none", box
    page.keyboard.press("Escape")
    assert page.evaluate(f"({GLOSS})(document.activeElement)") in ("none", "normal")
    assert not errors, errors


def _touch(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.mark.parametrize("edition", EDITIONS)
def test_tap_shows_gloss_then_follows(server, browser, edition):
    ctx = _touch(browser)
    try:
        pg = ctx.new_page()
        errors = _errors(pg)
        url = server + EDITIONS[edition] + DOC
        pg.goto(url, wait_until="load")
        assert pg.evaluate("matchMedia('(hover: none), (pointer: coarse)').matches")
        term = pg.locator("#p5-1 a.term").first
        key = term.get_attribute("data-term")
        term.tap()
        pg.wait_for_timeout(200)
        assert pg.url == url, "the first tap must not navigate"
        assert "term-open" in (term.get_attribute("class") or "")
        assert term.get_attribute("data-gloss") in term.evaluate(GLOSS)
        right = term.evaluate("el => el.getBoundingClientRect().left") + float(
            term.evaluate("el => parseFloat(getComputedStyle(el, '::after').width) + "
                          "(parseFloat(getComputedStyle(el).getPropertyValue('--gloss-shift')) || 0)"))
        assert right <= 390, right  # the gloss stays inside the phone's width
        pg.keyboard.press("Escape")
        assert "term-open" not in (term.get_attribute("class") or "")
        term.tap()
        pg.wait_for_timeout(100)
        with pg.expect_navigation():
            term.tap()
        assert pg.url.endswith(f"glossary/#{key}"), pg.url
        assert pg.locator(f"[id='{key}']").count() == 1
        assert not errors, errors
    finally:
        ctx.close()


def test_tap_works_from_file(built_site, browser):
    ctx = _touch(browser)
    try:
        pg = ctx.new_page()
        errors = _errors(pg)
        pg.goto((built_site / DOC / "index.html").as_uri(), wait_until="load")
        term = pg.locator("#p5-1 a.term").first
        term.tap()
        pg.wait_for_timeout(200)
        assert pg.url.endswith("index.html")
        assert term.get_attribute("data-gloss") in term.evaluate(GLOSS)
        # Material's search index cannot load under file:// (a missing file it asks for): not ours
        assert not [e for e in errors if "search" not in e.lower() and "Failed to load resource" not in e], errors
    finally:
        ctx.close()


@pytest.mark.parametrize("name, selector", [("glossary", "ul.glossary-index"), ("people", "ul.people-index")])
def test_index_lists_flow_at_the_text_s_edge_on_a_phone(server, browser, name, selector):
    """The lists of headwords atop the glossary and the index of persons run on as lines of names,
    flush with the intro (as print indexes do), not one name per line: Material's list rules
    outrank a bare class (the glossary's list was a column of 52 indented lines)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(server + f"{name}/")
        boxes = pg.eval_on_selector_all(f"{selector} li", "els => els.map(e => e.getBoundingClientRect().top)")
        first_left = pg.eval_on_selector(f"{selector} li", "e => e.getBoundingClientRect().left")
        text_left = pg.eval_on_selector("article p", "e => e.getBoundingClientRect().left")
        assert len(boxes) >= 20 and len(set(boxes)) <= len(boxes) / 2, "one name per line"
        assert first_left == text_left
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_unbulleted_lists_start_at_the_text_s_edge(server, browser, width):
    """Every list of ours drawn without bullets (the home page's cards, the indexes' names, the
    context lines) starts where the text does: Material's `[dir=ltr] .md-typeset ul` margin
    outranks a bare class, and had shifted the home page's cards 10 px to the right."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        pg = context.new_page()
        seen = set()
        for path in ("", "glossary/", "people/"):
            pg.goto(server + path)
            pg.add_style_tag(content="* { content-visibility: visible !important; }")  # entries laid out on demand
            found = pg.evaluate("""() => { const edge = document.querySelector('article p').getBoundingClientRect().left;
              return [...document.querySelectorAll('article ul[class], article ol[class]')]
                .filter(l => getComputedStyle(l).listStyleType === 'none' && l.getClientRects().length)  // shown
                .map(l => [l.className, Math.round(l.getBoundingClientRect().left - edge)]); }""")
            assert all(offset == 0 for _, offset in found), (path, found)
            seen |= {name for name, _ in found}
        assert {"home-cards", "glossary-index", "people-index", "kwic-lines"} <= seen, seen
    finally:
        context.close()
