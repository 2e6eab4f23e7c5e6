"""The apparatus in pages (issue 17): an index (apparatus.md) and one page per document
(<slug>/apparatus.md) with compact rows; every change still counted, every row id of the
one-page apparatus (<slug>.r<n>) on its document's page, the links that point there, the
nav, the search exclusion, the page's title and description, the print edition's mapping.

Data flow: the real editions (site.load_edition) and a hostile one (test_pdf.hostile_edition)
-> pages / render / printbook / site -> assertions on the Markdown and HTML strings.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from reader import pages, printbook, render, site
from test_pdf import hostile_edition

ROOT = Path(__file__).resolve().parent.parent


def href(src: str, anchor: str = "") -> str:
    return f"{src}#{anchor}"


class Rows(HTMLParser):
    """Per <tr id=...>: its id, the tags inside it, the text of each cell."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, Counter, list[str]]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self._cell = self._row = False
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a":
            self.links.append(a.get("href") or "")
        if tag == "tr" and a.get("id"):
            self.rows.append((a["id"], Counter(), []))
            self._row = True
            return
        if self._row:
            cls = a.get("class") or ""
            self.rows[-1][1][next((c for c in ("lost-byte", "row-alias") if c in cls), tag)] += 1
        if tag == "td" and self.rows:
            self.rows[-1][2].append("")
            self._cell = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = False
        if tag == "tr":
            self._row = False

    def handle_data(self, data):
        if self._cell and self.rows:
            self.rows[-1][2][-1] += data


@pytest.fixture(scope="module", params=pages.EDITIONS)
def edition(request) -> pages.Edition:
    ed, _ = site.load_edition(ROOT, request.param)
    return ed


def test_every_change_on_its_documents_page_in_compact_rows(edition):
    kinds = {k: edition.conv(v) for k, v in pages.KINDS.items()}
    rendered = edition.pages()
    for d in edition.docs:
        slug = d.entry.slug
        src = render.apparatus_src(slug)
        assert src == f"{slug}/apparatus.md" and src in rendered
        md = rendered[src](href)
        assert md == render.apparatus_page(*edition.apparatus_texts(d), d, kinds, edition.labels, href)
        parsed = Rows(md)
        # each row's permanent number (seeds/apparatus.lock), every number once
        numbers = [int(r[0].removeprefix(f"{slug}.r")) for r in parsed.rows]
        assert [r[0] for r in parsed.rows] == [f"{slug}.r{n}" for n in numbers] and len(set(numbers)) == len(numbers)
        assert {r[0] for r in parsed.rows} == set(render.row_ids(d).values())
        assert f"{slug}-changes" in parsed.ids
        total = 0
        for rid, tags, cells in parsed.rows:
            # 5 cells, at most one link (the paragraph), nothing else but the boxes of lost bytes
            assert tags["td"] == 5 and tags["a"] <= 1 and set(tags) <= {"td", "a", "lost-byte", "row-alias"}, (rid, tags)
            assert re.search(r"L\d+$", cells[0]), (rid, cells[0])
            m = re.search(r" ×(\d+)$", cells[1])
            assert not m or int(m.group(1)) > 1, (rid, cells[1])
            total += int(m.group(1)) if m else 1
        assert total == len(d.changes), slug
        assert "</td><td>" not in md  # extracted text never glues a kind to a reading (拼音注音(jīng))
        # tables of APPARATUS_PART rows (laid out only near the viewport), each with its header row
        parts = -(-len(parsed.rows) // render.APPARATUS_PART)
        assert md.count('<div class="apparatus-part"><table class="apparatus"><thead>') == parts == md.count("<thead>")
        # every place with an anchor links to that paragraph of the document
        anchored = sum(1 for row in render._group(d.changes) if row[0].anchor)
        assert sum(1 for link in parsed.links if link.startswith(f"{slug}.md#")) == anchored


def test_the_index_keeps_the_documents_ids_and_links_each_page(edition):
    md = edition.pages()["apparatus.md"](href)
    parsed = Rows(md)
    for d in edition.docs:
        slug = d.entry.slug
        assert f"## {render.esc(d.title)} {{#{slug}}}\n" in md and f"{slug}-counts" in parsed.ids
        assert f'href="{render.apparatus_src(slug)}#" data-apparatus-doc="{slug}"' in md
        assert f"{slug}.r1" not in parsed.ids and f"{slug}-changes" not in parsed.ids  # those moved
    assert "<tr id=" not in md  # no change rows on the index


def test_marks_and_card_link_the_documents_apparatus_page(edition):
    for d in edition.docs:
        page = render.document(d, edition.labels, href, kinds=pages.KINDS)
        targets = set(re.findall(r'data-href="([^"]*)"', page))
        rows = {f"{render.apparatus_src(d.entry.slug)}#{rid}" for rid in render.row_ids(d).values()}
        assert targets and targets <= rows | {f"{render.apparatus_src(d.entry.slug)}#"}, sorted(targets - rows)[:3]
        assert f'<a href="{render.apparatus_src(d.entry.slug)}#">{len(d.changes)} ' in page  # the card


def test_nav_section_search_exclusion_title_and_description(edition):
    nav = edition.nav()
    section = next(item for item in nav if edition.conv("校勘记") in item)[edition.conv("校勘记")]
    assert list(section[0].values()) == ["apparatus.md"]
    assert [next(iter(e.values())) for e in section[1:]] == [render.apparatus_src(d.entry.slug) for d in edition.docs]
    for d in edition.docs:
        src = render.apparatus_src(d.entry.slug)
        assert site.page_meta(f"{d.entry.slug}/apparatus/", edition.lang, src)["search"] == {"exclude": True}
        assert "search" not in site.page_meta(f"{d.entry.slug}/", edition.lang, f"{d.entry.slug}.md")
        title, _ = edition.apparatus_texts(d)
        described = site.describe(edition, src, "")
        assert described.startswith(title) and str(len(d.changes)) in described
        front = edition.pages()[src](href).split("---\n")[1]
        assert yaml.safe_load(front)["title"] == render.nav_title(title)
    assert site.page_meta("apparatus/", edition.lang, "apparatus.md")["search"] == {"exclude": True}


def test_hostile_title_is_text_in_the_front_matter_and_the_page():
    ed = hostile_edition()
    d = ed.docs[0]
    d.title = "x' \\ \"y\"\n<script>alert(1)</script>{{ e }}"
    md = ed.pages()[render.apparatus_src(d.entry.slug)](href)
    front, body = md.split("---\n")[1], md.split("---\n", 2)[2]
    title = yaml.safe_load(front)["title"]
    assert not set(title) & set("<>&\"'`\n") and "script" in title  # shown, never markup (Material prints it raw)
    assert "<script" not in body and "&#60;script&#62;" in body


def test_print_maps_the_new_pages_to_its_apparatus():
    def to(src: str, anchor: str) -> str:
        return html.unescape(printbook.book_href()(src, anchor))

    assert to("x-doc/apparatus.md", "x-doc.r3") == "#apparatus.x-doc.r3"
    assert to("x-doc/apparatus.md", "") == "#apparatus.x-doc"
    assert to("apparatus.md", "x-doc") == "#apparatus.x-doc"
    ed = hostile_edition()
    book = printbook.apparatus(ed)
    for d in ed.docs:  # every row a mark can link to exists in the book
        for rid in render.row_ids(d).values():
            assert f'id="apparatus.{render.esc(rid)}"' in book, rid


def test_print_has_every_row_of_the_real_edition():
    ed, _ = site.load_edition(ROOT, "zh-Hans")
    book = printbook.apparatus(ed)
    to = printbook.book_href()
    for d in ed.docs:
        for rid in render.row_ids(d).values():
            target = to(render.apparatus_src(d.entry.slug), rid)
            assert f'id="{target[1:]}"' in book, rid
