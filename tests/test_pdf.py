"""The print edition: hooks/reader/printbook.py (pure: Edition -> HTML) and tools/pdf.py
(WeasyPrint -> dist/altman-interviews-<lang>.pdf), checked with poppler-utils (pdffonts,
pdftotext, pdfinfo). The two real PDFs are built once per session (about a minute each), each
on first use by its edition's tests, which are one class per edition (`make test` runs the two
renders at once, on two workers)."""
from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reader import pages, printbook, render, site
from reader.model import Block, CatalogEntry, Change, Document, Paragraph, Participant, Section

ROOT = Path(__file__).resolve().parent.parent
EPOCH = 1700000000  # 2023-11-14T22:13:20Z
NAV_LABELS = ("跳转至", "返回顶部", "本段链接", "本节链接", "¶", "跳轉至", "返回頂部", "本段鏈接", "本節鏈接", "繁體 简体")
SEARCH_LABEL = re.compile(r"^\s*(搜索|搜尋)\s*$", re.MULTILINE)  # the search box's label (搜索引擎 is text)


class Tree(HTMLParser):
    """Tags, ids (decoded) and text of an HTML string."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.lang = ""
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang", "")

    def handle_data(self, data):
        self.text.append(data)


def hostile_edition() -> pages.Edition:
    entry = CatalogEntry(
        slug="x-doc", seed="x.txt", title="<script>alert(1)</script>", outlet="<b>报</b>", date="2024-01-02",
        precision="day", date_source="printed", date_note="", event="{{ e }}", summary="s", source_script="zh-Hans",
        participants=(Participant("alice", "爱丽丝<i>", "Alice", "host"),), speakers={"爱丽丝": "alice"},
        source_url='https://example.org/a?b=1', title_line=1)
    sections = [
        Section("s0", "", blocks=[Block("prose", [Paragraph("p0-1", '正文<i>不是标记</i> & "引号" <!-- x -->')])]),
        Section("s1", "<h1>标题</h1>", aliases=("s9",), blocks=[
            Block("turn", [Paragraph("p1-1", "你好", speaker="alice", notes=("注<b>",)),
                           Paragraph("p1-2", "再见", speaker="alice", aliases=("p1-3",))],
                  speaker="alice", labelled=True),
            Block("list", [Paragraph("p1-4", "项目<li>", kind="li")])]),
    ]
    doc = Document(entry, entry.title, sections, [Change("x-doc", 3, "typos", "<错>", "对", "理由<x>", anchor="p1-1")])
    return pages.Edition("zh-Hans", [doc], render.Labels())


# --------------------------------------------------------------------------- pure: printbook


def test_hostile_text_stays_text():
    out = printbook.book(hostile_edition(), created="2023-11-14T22:13:20Z")
    tree = Tree(out)
    assert "script" not in tree.tags and "i" not in tree.tags and "b" not in tree.tags
    assert tree.tags.count("h1") == 4  # the title, contents, apparatus, colophon: none from the heading's text
    text = "".join(tree.text)
    for shown in ("<script>alert(1)</script>", "<h1>标题</h1>", '正文<i>不是标记</i> & "引号" <!-- x -->',
                  "项目<li>", "注<b>", "<b>报</b>", "{{ e }}", "理由<x>", "爱丽丝<i>"):
        assert shown in text, shown
    assert "<script" not in out and "<!-- x" not in out


def test_ids_qualified_unique_and_links_resolve():
    tree = Tree(printbook.book(hostile_edition()))
    assert len(tree.ids) == len(set(tree.ids)), [i for i in tree.ids if tree.ids.count(i) > 1]
    for anchor in ("top", "s0", "s1", "s9", "p0-1", "p1-1", "p1-2", "p1-3", "p1-4"):
        assert f"x-doc.{anchor}" in tree.ids
    internal = [h[1:] for h in tree.hrefs if h.startswith("#")]
    assert internal and set(internal) <= set(tree.ids), set(internal) - set(tree.ids)
    assert "https://example.org/a?b=1" in tree.hrefs


def test_lang_metadata_and_printed_anchors():
    ed = hostile_edition()
    out = printbook.book(ed, created="2023-11-14T22:13:20Z", made="2023年11月14日")
    tree = Tree(out)
    assert tree.lang == "zh-Hans"
    assert '<meta name="dcterms.created" content="2023&#45;11&#45;14T22&#58;13&#58;20Z">' in out
    text = "".join(tree.text)
    for anchor in ("p0-1", "p1-1", "p1-2", "p1-4"):  # each paragraph's anchor is printed (in the margin)
        assert re.search(rf'<span class="pa"[^>]*>{re.escape(render.esc(anchor))}</span>', out), anchor
    assert "2023年11月14日" in text
    assert "爱丽丝<i>：" in text  # the speaker label, once per turn
    assert text.count("爱丽丝<i>：") == 1


def test_extra_part_hook_placed_before_apparatus():
    out = printbook.book(hostile_edition(), extra=[printbook.Part("timeline", "时间线", "<p>事件</p>")])
    tree = Tree(out)
    assert "timeline.top" in tree.ids and "#timeline.top" in tree.hrefs
    assert out.index('id="timeline"') < out.index('id="apparatus"') < out.index('id="colophon"')


# --------------------------------------------------------------------------- the real corpus as print HTML


@pytest.fixture(scope="session")
def books() -> dict[str, tuple[pages.Edition, str]]:
    out = {}
    for lang in pages.EDITIONS:
        edition, _ = site.load_edition(ROOT, lang)
        out[lang] = (edition, printbook.book(edition, created="2023-11-14T22:13:20Z"))
    return out


@pytest.mark.parametrize("lang", pages.EDITIONS)
def test_every_anchor_of_the_corpus_is_an_id(books, lang):
    edition, out = books[lang]
    tree = Tree(out)
    ids = set(tree.ids)
    assert len(tree.ids) == len(ids), "duplicate ids in the print HTML"
    assert len(edition.docs) == 5
    for d in edition.docs:
        anchors = d.anchors() + list(d.aliases())
        missing = [a for a in anchors if f"{d.entry.slug}.{a}" not in ids]
        assert not missing, (d.entry.slug, missing[:5])
    internal = {h[1:] for h in tree.hrefs if h.startswith("#")}
    assert internal <= ids, sorted(internal - ids)[:5]
    assert tree.lang == lang
    text = "".join(tree.text)
    for label in NAV_LABELS:
        assert label not in text, label
    assert not {"form", "input", "button", "script", "header", "footer", "details"} & set(tree.tags)


# --------------------------------------------------------------------------- the PDFs (slow)


def load_pdf_tool():
    """tools/pdf.py as a module (by path: tools/ need not be on sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reader_tools_pdf", ROOT / "tools" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


class Renders(dict):
    """lang -> the figures of that edition's real PDF, rendered on first use (about a minute each),
    then kept for the run (each edition's tests are one class, run on one worker: PDFChecks)."""

    def __init__(self, out: Path, tmp: Path):
        super().__init__()
        self.out, self.tmp = out, tmp

    def __missing__(self, lang: str) -> dict:
        rep = load_pdf_tool().build_one(lang, self.out, self.tmp, EPOCH)
        pages = rep.pop("document").pages  # the layout itself is large: keep what the tests read of it
        rep["anchors"] = {name for page in pages for name in page.anchors}
        rep["internal"] = {target for page in pages for kind, target, *_ in page.links if kind == "internal"}
        self[lang] = rep
        return rep


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> Renders:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed (make system-deps)")
    return Renders(tmp_path_factory.mktemp("pdf"), tmp_path_factory.mktemp("print-html"))


def _nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


class PDFChecks:
    """The checks of one edition's real PDF. One class per edition below: `--dist loadscope`
    keeps a class on one worker, so under `make test` the two renders (about a minute each) run
    at once, on two workers, and each only once."""

    LANG = ""

    def test_fonts_embedded_cid_no_type3(self, pdfs):
        lang = self.LANG
        rows = _tool("pdffonts", str(pdfs[lang]["pdf"])).splitlines()[2:]
        assert rows
        for row in rows:
            assert " CID " in row and "Type 3" not in row, row
            assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, unicode map
        script = "SC" if lang == "zh-Hans" else "TC"
        assert any(f"Noto-Serif-CJK-{script}" in row for row in rows), rows

    def test_text_titles_contents_pages_and_no_site_furniture(self, pdfs):
        lang = self.LANG
        rep = pdfs[lang]
        text = _tool("pdftotext", "-layout", str(rep["pdf"]), "-")
        page_texts = [_nows(p) for p in text.split("\f")]
        assert len(page_texts) >= rep["pages"]
        edition, _ = site.load_edition(ROOT, lang)
        pages_raw = text.split("\f")
        contents = "|".join(_nows(line) for p in pages_raw[1:4] for line in p.splitlines())  # | ends a line
        for d in edition.docs:
            title = _nows(d.title)
            wrapped = r"\|?".join(re.escape(ch) for ch in title)  # a long title may wrap in the contents
            m = re.search(wrapped + r"\|?\.{3,}(\d+)\|", contents)
            assert m, f"{d.entry.slug}: no contents line with a page number"
            page = int(m.group(1))
            assert page_texts[page - 1].startswith(title), f"{d.entry.slug}: contents says p. {page}"
            assert title in _nows(text)
        for label in NAV_LABELS:
            assert label not in text, label
        assert not SEARCH_LABEL.search(text)
        assert "p1-1" in text  # the paragraph anchors are printed, and extractable

    def test_outline_links_lang_and_fixed_dates(self, pdfs):
        lang = self.LANG
        rep = pdfs[lang]
        edition, _ = site.load_edition(ROOT, lang)
        top = [b[0] for b in rep["bookmarks"]]
        for d in edition.docs:
            assert d.title in top
        doc_marks = next(b for b in rep["bookmarks"] if b[0] == edition.docs[0].title)
        assert len(doc_marks[2]) == sum(1 for s in edition.docs[0].sections if s.heading)  # h2 sections below it
        info = _tool("pdfinfo", "-isodates", str(rep["pdf"]))
        assert re.search(r"CreationDate:\s+2023-11-14T22:13:20", info), info
        assert re.search(rf"Pages:\s+{rep['pages']}\b", info)
        raw = rep["pdf"].read_bytes()
        streams = [raw] + [zlib.decompress(m.group(1))
                           for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.DOTALL) if _inflates(m.group(1))]
        blob = b"\n".join(streams)
        assert f"/Lang ({lang})".encode() in blob
        dests = set(re.findall(rb"/Dest \((.*?)\)", blob))
        assert len(dests) > 500  # contents, cards, names, terms, apparatus places
        assert rep["internal"] and rep["internal"] <= rep["anchors"], sorted(rep["internal"] - rep["anchors"])[:5]


@pytest.mark.slow
@pytest.mark.heavy
class TestZhHansPDF(PDFChecks):
    LANG = "zh-Hans"


@pytest.mark.slow
@pytest.mark.heavy
class TestZhHantPDF(PDFChecks):
    LANG = "zh-Hant"


def _inflates(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


@pytest.mark.slow
def test_small_book_is_deterministic(tmp_path):
    pdf = load_pdf_tool()
    src = tmp_path / "book.html"
    src.write_text(printbook.book(hostile_edition(), created="2023-11-14T22:13:20Z"), encoding="utf-8")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    pdf.render(src, a, [tmp_path])
    pdf.render(src, b, [tmp_path])
    assert a.read_bytes() == b.read_bytes()
