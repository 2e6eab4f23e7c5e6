"""Citing a paragraph in Chromium (docs/assets/cite.js, data from hooks/reader/cite.py): on a
phone with touch the ¶ is shown (contrast >= 4.5:1) and a tap opens the panel with the permanent
link and both citations, whose copy buttons fill the clipboard; by keyboard Tab reaches the ¶,
Enter (or Space) opens the panel and Escape closes it and gives the focus back; copying a passage
appends the short citation; from file:// the textarea fallback copies; no console errors.
"""
from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOC = "2024-12-dealbook-altman/"
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}
PANEL = ".cite-panel"
CONTRAST_JS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = null;
  for (let n = el; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length < 4 || c[3] > 0) { bg = c; break; }
  }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(el).color);
  const a = fg.length > 3 ? fg[3] : 1;
  const mixed = fg.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
  const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def _errors(pg) -> list[str]:
    found: list[str] = []
    pg.on("pageerror", lambda e: found.append(str(e)))
    pg.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


#: the Latin words before the URL that the layout draws on two lines
SPLIT_WORDS_JS = """e => {
  const node = e.firstChild, text = node.textContent, out = [];
  for (const m of text.slice(0, text.indexOf(" from ")).matchAll(/[A-Za-z]{2,}/g)) {
    const r = document.createRange();
    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
    if (r.getClientRects().length > 1) out.push(m[0]);
  }
  return out;
}"""


def _phone(browser, origin: str | None = None):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    if origin:
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.mark.parametrize("edition", EDITIONS)
def test_tap_opens_panel_and_copy_works(server, browser, edition):
    ctx = _phone(browser, server.rstrip("/"))
    try:
        pg = ctx.new_page()
        errors = _errors(pg)
        url = server + EDITIONS[edition] + DOC
        pg.goto(url, wait_until="load")
        para = pg.locator("article p[id^='p']").nth(3)
        pid = para.get_attribute("id")
        link = para.locator(":scope > a.para-link")
        link.scroll_into_view_if_needed()
        assert float(link.evaluate("el => getComputedStyle(el).opacity")) == 1, "¶ hidden on a touch screen"
        assert link.evaluate(CONTRAST_JS) >= 4.5
        box = link.bounding_box()
        assert box and box["width"] >= 16 and box["height"] >= 16, box
        link.tap()
        panel = pg.locator(PANEL)
        panel.wait_for(state="visible")
        assert pg.url == url + "#" + pid  # the address bar holds the permalink too
        assert link.get_attribute("aria-expanded") == "true"
        texts = {row.get_attribute("data-form"): row.locator(".cite-text").inner_text()
                 for row in panel.locator(".cite-row").all()}
        assert texts["link"] == url + "#" + pid
        title = pg.locator("article h1").first.inner_text().replace("¶", "").strip()
        assert f"{title}[EB/OL]" in texts["gbt"] and f"¶{pid}[" in texts["gbt"]
        assert texts["gbt"].endswith(f"{url}#{pid}.")
        assert re.search(r"\[\d{4}-\d{2}-\d{2}\]\. ", texts["gbt"]), texts["gbt"]  # 引用日期: today
        assert texts["apa"].startswith("Altman, S., & Sorkin, A. R. (2024, December 7). ")
        assert f"(para. {pid})" in texts["apa"] and re.search(r"Retrieved \w+ \d{1,2}, \d{4}, from ", texts["apa"])
        # within the viewport
        pbox = panel.bounding_box()
        assert pbox and pbox["x"] >= 0 and pbox["x"] + pbox["width"] <= 390, pbox
        # the URL wraps inside the panel, a word never (no "Decem" / "ber", "Chat" / "GPT")
        apa = panel.locator(".cite-row[data-form='apa'] .cite-text")
        assert apa.evaluate("e => e.scrollWidth <= e.clientWidth")
        split = apa.evaluate(SPLIT_WORDS_JS)
        assert not split, split
        for form in ("gbt", "apa"):
            panel.locator(f".cite-row[data-form='{form}'] .cite-copy").tap()
            status = panel.locator(".cite-status")
            assert status.get_attribute("aria-live") == "polite"
            pg.wait_for_function("s => document.querySelector('.cite-status').textContent === s",
                                 arg="已复制" if edition == "zh-Hans" else "已複製")
            assert pg.evaluate("navigator.clipboard.readText()") == texts[form]
        if edition == "zh-Hant":
            assert "永久鏈接" in panel.inner_text() and "奧特曼" in texts["gbt"]
        pg.locator("article h1").first.tap()  # a tap elsewhere closes it
        assert pg.locator(PANEL).count() == 0
        assert not errors, errors
    finally:
        ctx.close()


def test_keyboard_tab_enter_escape(server, page):
    errors = _errors(page)
    page.goto(server + DOC, wait_until="load")
    target = page.locator("article p[id^='p']").nth(4)
    pid = target.get_attribute("id")
    previous = page.locator("article p[id^='p']").nth(3).locator(":scope > a.para-link")
    previous.focus()
    for _ in range(30):  # Tab through the links of the paragraph (terms, names) to its ¶
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == f"#{pid}":
            break
    assert page.evaluate("document.activeElement.classList.contains('para-link')")
    link = target.locator(":scope > a.para-link")
    page.wait_for_function("a => getComputedStyle(a).opacity === '1'", arg=link.element_handle())  # shown on focus
    assert link.evaluate(CONTRAST_JS) >= 4.5
    assert link.get_attribute("aria-haspopup") == "dialog"
    page.keyboard.press("Enter")
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    assert panel.get_attribute("role") == "dialog"
    assert page.evaluate("document.activeElement.classList.contains('cite-copy')")  # focus moved into it
    assert pid in panel.locator(".cite-title").inner_text()
    page.keyboard.press("Escape")
    assert page.locator(PANEL).count() == 0
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{pid}"  # focus back on ¶
    assert link.get_attribute("aria-expanded") == "false"
    page.keyboard.press(" ")  # Space opens it too
    panel.wait_for(state="visible")
    page.keyboard.press("Tab")  # from the first copy button onwards, still inside
    assert page.evaluate("!!document.activeElement.closest('.cite-panel')")
    page.keyboard.press("Escape")
    assert page.locator(PANEL).count() == 0
    assert not errors, errors


def test_copying_a_passage_appends_the_citation(server, page):
    page.goto(server + DOC, wait_until="load")
    paras = page.locator("article p[id^='p']")
    first, second = paras.nth(2).get_attribute("id"), paras.nth(3).get_attribute("id")
    got = page.evaluate("""([a, b]) => {
      const range = document.createRange();
      range.setStart(document.getElementById(a).firstChild, 0);
      range.setEnd(document.getElementById(b), 1);
      const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
      const dt = new DataTransfer();
      const ev = new ClipboardEvent('copy', {clipboardData: dt, bubbles: true, cancelable: true});
      document.getElementById(a).dispatchEvent(ev);
      return [sel.toString(), dt.getData('text/plain'), ev.defaultPrevented];
    }""", [first, second])
    selected, copied, prevented = got
    assert prevented
    body, _, citation = copied.rpartition("\n\n")
    assert body == selected.replace("¶", "") and body.strip()
    assert citation.startswith("——山姆·奥特曼、安德鲁·罗斯·索尔金《")
    assert citation.endswith(f"¶{first}，凤凰科技，2024年12月7日；《奥特曼与OpenAI访谈五种·读者版》。{server}{DOC}#{first}")


def test_file_url_uses_the_fallback(built_site, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        pg = ctx.new_page()
        errors = _errors(pg)
        pg.add_init_script("""Object.defineProperty(navigator, 'clipboard', {value: undefined});
          window.__copied = [];
          const exec = document.execCommand.bind(document);
          document.execCommand = (cmd, ...rest) => {
            if (cmd === 'copy') { window.__copied.push(document.activeElement.value); return true; }
            return exec(cmd, ...rest);
          };""")
        start = (built_site / DOC / "index.html").as_uri()
        pg.goto(start, wait_until="load")
        para = pg.locator("article p[id^='p']").nth(1)
        pid = para.get_attribute("id")
        para.hover()
        para.locator(":scope > a.para-link").click()
        panel = pg.locator(PANEL)
        panel.wait_for(state="visible")
        link = panel.locator(".cite-row[data-form='link'] .cite-text").inner_text()
        assert link == f"{start}#{pid}"  # absolute, from location: works from file:// too
        panel.locator(".cite-row[data-form='link'] .cite-copy").click()
        pg.wait_for_function("document.querySelector('.cite-status').textContent === '已复制'")
        assert pg.evaluate("window.__copied") == [link]
        assert pg.evaluate("document.activeElement.classList.contains('cite-copy')")  # focus kept
        # the offline search (not this feature's) may miss its index under file://
        assert not [e for e in errors if "search" not in e and "ERR_FILE_NOT_FOUND" not in e], errors
    finally:
        ctx.close()


def test_canonical_url_is_preferred(server, page):
    page.goto(server + DOC, wait_until="load")
    page.evaluate("""() => { const l = document.createElement('link'); l.rel = 'canonical';
      l.href = 'https://edition.example.org/2024-12-dealbook-altman/'; document.head.appendChild(l); }""")
    para = page.locator("article p[id^='p']").nth(1)
    para.hover()
    para.locator(":scope > a.para-link").click()
    text = page.locator(".cite-row[data-form='link'] .cite-text").inner_text()
    assert text == f"https://edition.example.org/2024-12-dealbook-altman/#{para.get_attribute('id')}"


def test_a_search_highlight_is_not_part_of_the_link(server, page):
    """A page opened from a search result carries ?h=<query> (Material's highlight); the permanent
    link and the citations name the page without it."""
    page.goto(server + DOC + "?h=%E5%A5%A5%E7%89%B9%E6%9B%BC", wait_until="load")
    para = page.locator("article p[id^='p']").nth(1)
    para.hover()
    para.locator(":scope > a.para-link").click()
    for form in ("link", "gbt", "apa"):
        text = page.locator(f".cite-row[data-form='{form}'] .cite-text").inner_text()
        assert "?" not in text and f"{server}{DOC}#{para.get_attribute('id')}" in text, (form, text)


def test_the_panel_offers_a_bibtex_entry(server, page):
    page.goto(server + DOC, wait_until="load")
    para = page.locator("article p[id^='p']").nth(1)
    para.hover()
    para.locator(":scope > a.para-link").click()
    anchor = para.get_attribute("id")
    bib = page.locator(".cite-row[data-form='bib'] pre.cite-text")
    text = bib.inner_text()
    assert text.startswith(f"@online{{2024-12-dealbook-altman-{anchor},") and text.rstrip().endswith("}")
    assert f"  url = {{{server}{DOC}#{anchor}}}," in text and "  author = {Altman, Sam and Sorkin, Andrew Ross}," in text
    assert bib.get_attribute("tabindex") == "0"  # it scrolls sideways: reachable by keyboard
