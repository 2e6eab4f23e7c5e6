"""Accessibility in Chromium with axe-core (pinned in tools/audit/package-lock.json), as `make
audit` runs it (tools/audit.py): no violation on a few page types of both editions, the ¶ links
at >= 4.5:1 when they show, the script switch covering no text on a phone, no request off
127.0.0.1. The full sweep of every page type, with Lighthouse, is `make audit`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import audit  # tools/audit.py (the module wins over the tools/audit/ folder)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOC = "2024-12-dealbook-altman/"
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}
PAGES = {"home": "", "document": DOC, "people": "people/", "glossary": "glossary/", "about": "about/",
         "downloads": "downloads/"}
#: the switch where it stood before (fixed at the bottom right): it covered text on a phone
OLD_PILL = ".edition-switch { top: auto !important; bottom: 1rem !important; right: 1rem !important; }"


@pytest.fixture(scope="module", autouse=True)
def _axe_installed():
    try:
        audit.ensure_node_tools(need=("node", "npm"))
    except audit.ToolMissing as err:
        pytest.skip(f"axe-core cannot be installed here: {err}")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_violation(server, browser, kind, edition):
    violations, offsite = audit.axe_page(browser, server + EDITIONS[edition] + PAGES[kind])
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in violations)
    assert offsite == [], f"requests off 127.0.0.1: {offsite}"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("kind", ["home", "document"])
def test_axe_finds_no_violation_on_a_phone(server, browser, kind, edition):
    """At 390 px the switch sits in the header: axe must see its real background (it read a
    transparent pill as white on white)."""
    violations, _ = audit.axe_page(browser, server + EDITIONS[edition] + PAGES[kind], viewport=audit.PHONE)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in violations)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("kind", ["document", "glossary"])
def test_axe_finds_no_violation_in_the_dark_scheme(server, browser, kind, edition):
    """A reader whose system asks for dark gets Material's slate scheme (overrides/base.html);
    every colour of ours has a slate form that keeps 4.5:1 (links on the cards, speakers, the
    apparatus's readings). `make audit` checks every page type so."""
    violations, _ = audit.axe_page(browser, server + EDITIONS[edition] + PAGES[kind], dark=True)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in violations)


def _open_cite_panel(page) -> None:
    para = page.locator("article p[id^='p']").nth(3)
    para.hover()
    para.locator(":scope > a.para-link").click()
    page.wait_for_selector(".cite-panel pre.cite-text")


@pytest.mark.parametrize("dark", [False, True])
def test_axe_finds_no_violation_with_the_cite_panel_open(server, browser, dark):
    """The 引用本段 panel (its BibTeX block scrolls sideways) in both schemes, at phone width."""
    violations, _ = audit.axe_page(browser, server + EDITIONS["zh-Hant"] + PAGES["document"], dark=dark,
                                   viewport=audit.PHONE, act=_open_cite_panel)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in violations)


@pytest.mark.parametrize("dark", [False, True])
def test_the_scheme_follows_the_system_and_prints_light(browser, server, dark):
    context = browser.new_context(color_scheme="dark" if dark else "light")
    try:
        page = context.new_page()
        page.goto(server + PAGES["document"], wait_until="load")
        scheme = "() => document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == ("slate" if dark else "default")
        page.emulate_media(color_scheme="light" if dark else "dark")  # the setting changes while reading
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === "
                               f"'{'default' if dark else 'slate'}'", timeout=5000)
        page.evaluate("() => dispatchEvent(new Event('beforeprint'))")  # Print: always the light scheme
        assert page.evaluate(scheme) == "default"
        page.evaluate("() => dispatchEvent(new Event('afterprint'))")
        assert page.evaluate(scheme) == ("default" if dark else "slate")
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["people", "glossary"])
def test_index_pages_have_touch_targets_on_a_phone(server, browser, kind):
    """axe's target-size rule (on in Lighthouse's score, off in axe by default): the people and
    glossary entries, laid out only near the viewport, keep placeholders tall enough that their
    links do not overlap. (Every rule on these pages at 390 px: `make audit`.)"""
    violations, _ = audit.axe_page(browser, server + PAGES[kind], rules=["target-size"], viewport=audit.PHONE)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in violations)


def test_target_size_sees_short_placeholders(server, browser):
    """Control: one 16rem placeholder for every entry (as before) lets long entries overlap."""
    css = ".md-typeset .person-entry { contain-intrinsic-size: auto 16rem !important; }"
    violations, _ = audit.axe_page(browser, server + PAGES["people"], rules=["target-size"], css=css,
                                   viewport=audit.PHONE)
    assert [v["id"] for v in violations] == ["target-size"]


@pytest.mark.parametrize("kind, at_least", [("people", 40), ("glossary", 40), ("timeline", 30)])
def test_entry_placeholders_are_at_least_the_entry_on_a_phone(server, browser, kind, at_least):
    """render.entry_size's and block_size's estimates hold: laid out, no entry or timeline event
    is taller than its placeholder (nor the glossary's table of terms by document)."""
    context = browser.new_context(viewport=audit.PHONE, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(server + {**PAGES, "timeline": "timeline/"}[kind], wait_until="load")
        blocks = ".person-entry, .term-entry, .tl-event, .term-table-wrap"  # every block with a placeholder
        page.add_style_tag(content=blocks + " { content-visibility: visible !important; }")
        rows = page.evaluate("""blocks => [...document.querySelectorAll(blocks)].map(e =>
          [e.id || (e.previousElementSibling ? e.previousElementSibling.id : ''), e.getBoundingClientRect().height,
           parseFloat(getComputedStyle(e).containIntrinsicHeight.replace('auto ', ''))])""", blocks)
    finally:
        context.close()
    assert len(rows) > at_least
    assert all(r[2] > 0 for r in rows), "an entry without a placeholder height"
    assert [r for r in rows if r[1] > r[2]] == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_pilcrows_have_contrast_when_shown(server, browser, edition):
    """The paragraph and heading ¶ links, forced visible as on hover, pass axe's contrast rule."""
    url = server + EDITIONS[edition] + DOC
    violations, _ = audit.axe_page(browser, url, rules=["color-contrast"], css=audit.SHOW_PILCROWS)
    assert violations == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in violations)


def test_contrast_rule_sees_a_faint_pilcrow(server, browser):
    """Control: the ¶ in Material's 32 % grey (as before) is a violation, so the test above can fail."""
    css = audit.SHOW_PILCROWS + " .md-typeset .para-link, .md-typeset .headerlink { color: #00000052 !important; }"
    violations, _ = audit.axe_page(browser, server + DOC, rules=["color-contrast"], css=css)
    assert [v["id"] for v in violations] == ["color-contrast (short text)"]
    assert any("para-link" in n or "headerlink" in n for n in violations[0]["nodes"])


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("kind", ["home", "document", "about"])
def test_switch_covers_no_text_on_a_phone(server, browser, kind, edition):
    covered = audit.pill_overlaps(browser, server + EDITIONS[edition] + PAGES[kind])
    assert covered == [], f"at 390 px the 繁體/简体 switch covers: {covered}"


def test_overlap_check_sees_the_old_bottom_pill(server, browser):
    """Control: the pill back at the bottom right covers text while scrolling."""
    assert audit.pill_overlaps(browser, server + DOC, css=OLD_PILL)


def test_switch_is_in_the_header_bar_on_a_phone(server, browser):
    context = browser.new_context(viewport=audit.PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(server + DOC, wait_until="load")
        pill = page.locator("a[data-edition-switch]").bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert pill and header and pill["y"] >= header["y"] and pill["y"] + pill["height"] <= header["y"] + header["height"]
        page.evaluate("window.scrollTo(0, 3000)")
        assert page.locator("a[data-edition-switch]").bounding_box() == pill  # stays in reach
        page.click("label[for=__search]")
        assert not page.locator("a[data-edition-switch]").is_visible()  # out of the search's way
    finally:
        context.close()
