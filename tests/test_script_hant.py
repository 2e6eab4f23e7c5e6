"""The zh-Hant script: one quotation style per edition (「」 for “”, 『』 for ‘’, paired).

Data flow: strings -> script.corner_quotes / script.Converter -> assertions; then the real
zh-Hant Edition (site.load_edition) and docs/about.md converted through edition.conv: no
“ ” ‘ ’ left in any text the edition shows, corner brackets properly paired. No MkDocs.
"""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from reader import script, site

ROOT = Path(__file__).resolve().parent.parent
CURLY = re.compile(r"[“”‘]|(?<![A-Za-z0-9])’|’(?![A-Za-z])")  # ’ inside a Latin word is an apostrophe


@pytest.mark.parametrize("text,want", [
    ("他说“你好”。", "他说「你好」。"),
    ("他说‘你好’。", "他说『你好』。"),
    ("“外面‘里面’外面”", "「外面『里面』外面」"),
    ("“外面“里面”外面”", "「外面『里面』外面」"),  # nesting written with the same kind: paired by depth
    ("「外面“里面”外面」", "「外面『里面』外面」"),  # corner brackets already in the text take part
    ("“一‘二“三”二’一”", "「一『二「三」二』一」"),
    ("“甲”和“乙”", "「甲」和「乙」"),
    ("引文跨段：“第一段", "引文跨段：「第一段"),  # left open: the quotation runs on
    ("多余的”", "多余的」"),  # a stray closer keeps its kind
    ("Altman’s “GPT”", "Altman’s 「GPT」"),  # apostrophe inside a Latin word stays
    ("见 `a“b”` 和“c”", "见 `a“b”` 和「c」"),  # code spans keep their quotes
    ("``x`“y”`z`` “w”", "``x`“y”`z`` 「w」"),
    ("无引号", "无引号"),
    ("", ""),
])
def test_corner_quotes(text, want):
    assert script.corner_quotes(text) == want


def test_corner_quotes_is_idempotent():
    once = script.corner_quotes("“一‘二“三”二’一” 与 `“c”`")
    assert script.corner_quotes(once) == once


def test_converter_converts_script_and_quotes():
    conv = script.Converter()
    assert conv("他说：“软件‘发布’了。”") == "他說：「軟件『發佈』了。」"


def test_markdown_page_structure_survives():
    conv = script.Converter()
    md = ('## 简体版与繁体版 {#scripts}\n\n见[校勘记](apparatus.md "标题")和“繁體／简体”按钮，'
          '锚点 `#p3-12`，代码 `“原样”`。\n\n> 《篇名》，`slug/#p9-3`。\n')
    out = conv(md)
    assert "{#scripts}" in out and '](apparatus.md "標題")' in out
    assert "`#p3-12`" in out and "`“原樣”`" in out  # s2tw converts code too; its quotes stay and "`slug/#p9-3`" in out
    assert "「繁體／簡體」" in out


# --- the real zh-Hant edition -------------------------------------------------------------

@pytest.fixture(scope="module")
def edition():
    ed, _ = site.load_edition(ROOT, "zh-Hant")
    return ed


def _texts(ed) -> list[tuple[str, str]]:
    """(where, text) for every text the zh-Hant edition shows and converts itself."""
    out: list[tuple[str, str]] = []
    for d in ed.docs:
        slug, e = d.entry.slug, d.entry
        out.append((f"{slug} title", d.title))
        out += [(f"{slug} catalog {f}", getattr(e, f)) for f in ("outlet", "date_note", "event", "summary")]
        out += [(f"{slug} participant {p.id}", f"{p.name_zh} {p.role}") for p in e.participants]
        for s in d.sections:
            out.append((f"{slug}#{s.id}", s.heading))
            out += [(f"{slug}#{p.id}", p.text) for b in s.blocks for p in b.paragraphs]
        out += [(f"{slug} change {c.line}", f"{c.after} {c.reason}") for c in d.changes]
    out += [(f"label {f.name}", getattr(ed.labels, f.name)) for f in fields(ed.labels)]
    href = lambda src, anchor: f"{src}#{anchor}"  # noqa: E731
    pages = ed.pages()
    out += [(src, render(href)) for src, render in pages.items()
            if not src.endswith("/apparatus.md")]  # a document's apparatus quotes raw source; the index does not
    # attribute values are not running text (a correction mark's data-src holds the source's
    # own quote marks, a gloss its definition): check what the reader reads
    out = [(w, re.sub(r'\s[\w-]+="[^"]*"', "", t)) for w, t in out]
    out.append(("about.md", _strip_code(ed.conv((ROOT / "docs" / "about.md").read_text(encoding="utf-8")))))
    return out


def _strip_code(md: str) -> str:
    return script._CODE_SPAN.sub("", md)


def test_no_curly_quotes_left_in_the_edition(edition):
    left = [(where, m.group(), text[max(0, m.start() - 12):m.end() + 12])
            for where, text in _texts(edition) for m in CURLY.finditer(text)]
    assert left == [], left[:10]


def test_corner_brackets_are_paired(edition):
    """Every closer closes the bracket of its own kind; quotations left open at the end of a
    paragraph are the Chinese convention for one running on, but the edition has none."""
    bad = []
    for where, text in _texts(edition):
        stack: list[str] = []
        for ch in text:
            if ch in "「『":
                stack.append(ch)
            elif ch in "」』":
                if not stack or {"「": "」", "『": "』"}[stack.pop()] != ch:
                    bad.append((where, text[:60]))
                    break
        else:
            if stack:
                bad.append((where, text[:60]))
    assert bad == []


def test_quotes_nest_in_the_edition(edition):
    """No 「 directly inside 「: nested quotations alternate."""
    nested = [(w, t[:60]) for w, t in _texts(edition) if re.search(r"「[^」『』]*「", t)]
    assert nested == []
