"""reader/rawhtml.py: generated pages' HTML blocks skip Markdown and come back unchanged."""
from __future__ import annotations

import sys
from pathlib import Path

import markdown
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from reader import rawhtml  # noqa: E402
from reader.render import esc  # noqa: E402

PAGE = ('# 标题 {#top}\n\n<div class="card" id="card">卡片</div>\n\n## 一节 {#s1}\n\n'
        '<p id="p1-1">第一段 <a href="#x">链接</a></p><p id="p1-2">第二段</p>\n\n'
        'plain *Markdown* stays Markdown\n\n<div class="turn"><p id="p1-3">话</p></div>')


def _render(md_text: str) -> str:
    return markdown.Markdown(extensions=["attr_list", "toc"]).convert(md_text)


def test_blocks_come_back_as_they_were_and_headings_stay_markdown():
    md_text, chunks = rawhtml.stash(PAGE)
    assert len(chunks) == 3 and "<p id" not in md_text and "## 一节 {#s1}" in md_text
    html = rawhtml.restore(_render(md_text), chunks)
    for chunk in chunks:
        assert chunk in html
    assert '<h2 id="s1">一节</h2>' in html and "<em>Markdown</em>" in html
    assert "\x01" not in html


def test_ids_are_the_anchors_of_the_blocks():
    _, chunks = rawhtml.stash(PAGE)
    assert rawhtml.ids(chunks) == {"card", "p1-1", "p1-2", "p1-3"}


@given(st.text(max_size=60))
def test_no_escaped_text_looks_like_a_placeholder(text):
    page = f"# t {{#top}}\n\n<p id=\"a\">{esc(text)}</p>\n\n{esc(text)}"
    md_text, chunks = rawhtml.stash(page)
    html = rawhtml.restore(_render(md_text), chunks)
    assert f'<p id="a">{esc(text)}</p>' in html and "\x01" not in html
