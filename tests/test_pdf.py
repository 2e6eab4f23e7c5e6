"""The print edition: hooks/reader/printbook.py (pure: Edition -> HTML) and tools/pdf.py
(WeasyPrint -> dist/altman-interviews-<lang>.pdf), checked with poppler-utils (pdffonts,
pdftotext, pdfinfo). The two real PDFs are built once per session, each on first use by its
edition's tests, which are one class per edition (`make test` runs the two at once, on two
workers): from tools/pdf.py's render cache (.cache/pdf/) when it holds that HTML, else rendered
(about a minute each). The cache itself is checked on the small book and with a stand-in renderer."""
from __future__ import annotations

import html
import json
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
def test_speaker_turns_as_the_site_gives_them(books, lang):
    """A reported interview (DealBook) has no turns to count: the print index says so, as the
    site's people page does, instead of "0次" for its interviewer."""
    edition, out = books[lang]

    def entry(pid: str) -> str:
        return out.split(f'<div class="entry" id="people.{pid}">', 1)[1].split("</div>", 1)[0]

    assert edition.conv(render.Labels().no_turns) in entry("sorkin") and "0次" not in entry("sorkin")
    assert re.search(r"\d+次", entry("thompson"))


@pytest.mark.parametrize("lang", pages.EDITIONS)
def test_glossary_in_the_site_s_order(books, lang):
    """The printed glossary lists its terms in the site's pinyin order (render.glossary_order)."""
    edition, out = books[lang]
    printed = [html.unescape(i) for i in re.findall(r'<div class="entry" id="glossary\.([^"]+)">', out)]
    assert printed == [t.id for t in render.glossary_order(edition.terms)] and printed[0] == "ai-action-plan"


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
    """lang -> the figures of that edition's real PDF (pages, bookmarks, anchors, internal link
    targets), built on first use: from the render cache (.cache/pdf/) when it holds this HTML,
    else rendered (about a minute each) and stored there; kept for the run (each edition's tests
    are one class, run on one worker: PDFChecks)."""

    def __init__(self, out: Path, tmp: Path):
        super().__init__()
        self.out, self.tmp = out, tmp

    def __missing__(self, lang: str) -> dict:
        rep = load_pdf_tool().build_one(lang, self.out, self.tmp, EPOCH)
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
        sums = dict(reversed(line.split()) for line in (ROOT / "seeds" / "SHA256SUMS").read_text().splitlines())
        for d in edition.docs:  # the colophon gives each seed's SHA-256, as the site's sources/ list does
            assert sums[d.entry.seed] in _nows(pages_raw[-1] + pages_raw[-2] + pages_raw[-3]), d.entry.seed
        for label in NAV_LABELS:
            assert label not in text, label
        assert not SEARCH_LABEL.search(text)
        assert "p1-1" in text  # the paragraph anchors are printed, and extractable

    def test_first_pages_as_images_for_review(self, pdfs, tmp_path):
        """make screenshots' PDF pages (tools/screenshot.py): PNGs of the first pages at 100 dpi."""
        import screenshot  # tools/screenshot.py

        info = _tool("pdfinfo", str(pdfs[self.LANG]["pdf"]))
        w_pt, h_pt = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        written = screenshot.pdf_pages(pdfs[self.LANG]["pdf"], self.LANG, tmp_path, 2)
        assert [p.name for p in written] == [f"{self.LANG}_pdf_p1.png", f"{self.LANG}_pdf_p2.png"]
        for png in written:
            head = png.read_bytes()[:24]
            assert head[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            assert abs(width - w_pt * 100 / 72) <= 1 and abs(height - h_pt * 100 / 72) <= 1, (width, height, info)

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
        internal, anchors = set(rep["internal"]), set(rep["anchors"])
        assert internal and internal <= anchors, sorted(internal - anchors)[:5]


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


def small_book() -> str:
    return printbook.book(hostile_edition(), created="2023-11-14T22:13:20Z")


@pytest.mark.slow
def test_small_book_is_deterministic_and_a_cache_hit_is_a_fresh_render(tmp_path):
    """Two fresh renders give the same bytes; the cached copy gives them too, with the figures
    of the fresh render (tmp_path stands for the project: its .cache/pdf/ is the cache)."""
    pdf = load_pdf_tool()
    html = small_book()
    src = tmp_path / "book.html"
    src.write_text(html, encoding="utf-8")
    fresh = tmp_path / "fresh.pdf"
    want = pdf.figures(pdf.render(src, fresh, [tmp_path]))
    assert want["pages"] > 1 and want["bookmarks"] and want["anchors"] and want["internal"]
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first = pdf.render_cached(html, src, a, [tmp_path], slot="zh-Hans", root=tmp_path)
    second = pdf.render_cached(html, src, b, [tmp_path], slot="zh-Hans", root=tmp_path)
    assert (first.pop("cached"), second.pop("cached")) == (False, True)
    assert a.read_bytes() == fresh.read_bytes() == b.read_bytes()
    assert first == want == second
    stored = sorted(p.name for p in (tmp_path / ".cache" / "pdf" / "zh-Hans").iterdir())
    assert stored == [f"{pdf.key(html)}.json", f"{pdf.key(html)}.pdf"]


class FakeRenderer:
    """render() without WeasyPrint: writes a PDF-like file made from the HTML and counts calls."""

    def __init__(self, pdf, fetches: bool = False):
        self.calls, self.fetches, self.pdf = 0, fetches, pdf

    def __call__(self, src, target, allowed, fetched=None):
        self.calls += 1
        if self.fetches and fetched is not None:
            fetched.append("file:///picture.png")
        target.write_bytes(b"%PDF-1.7 " + src.read_bytes())
        return self

    def figures(self, document):
        return {"pages": 2, "bookmarks": [["t", [0, 1.5, 2.0], [], "open"]], "anchors": ["a", "b"],
                "internal": ["a"]}


@pytest.fixture
def fake(monkeypatch):
    pdf = load_pdf_tool()
    renderer = FakeRenderer(pdf)
    monkeypatch.setattr(pdf, "render", renderer)
    monkeypatch.setattr(pdf, "figures", renderer.figures)
    monkeypatch.delenv("READER_CORPUS_CACHE", raising=False)
    return pdf, renderer


def _build(pdf, root: Path, html: str, name: str = "out.pdf", **kw) -> tuple[dict, bytes]:
    target = root / name
    rep = pdf.render_cached(html, root / "book.html", target, [root], slot="zh-Hans", root=root, **kw)
    return rep, target.read_bytes()


def test_cache_hit_miss_and_figures(fake, tmp_path):
    pdf, renderer = fake
    rep, data = _build(pdf, tmp_path, "<p>一</p>")
    assert (rep["cached"], renderer.calls, data) == (False, 1, "%PDF-1.7 <p>一</p>".encode())
    again, same = _build(pdf, tmp_path, "<p>一</p>", "again.pdf")
    assert (again["cached"], renderer.calls, same) == (True, 1, data)
    assert {**rep, "cached": True} == again
    other, _ = _build(pdf, tmp_path, "<p>二</p>")
    assert (other["cached"], renderer.calls) == (False, 2)
    assert not list(tmp_path.glob(".*.part"))


def test_key_follows_html_css_and_code(fake, tmp_path, monkeypatch):
    pdf, _ = fake
    css = pdf.CSS_FILE.read_bytes()
    base = pdf.key("<p>一</p>")
    assert base == pdf.key("<p>一</p>", css) and re.fullmatch(r"[0-9a-f]{64}", base)
    assert pdf.key("<p>二</p>") != base
    assert pdf.key("<p>一</p>", css + b"\np { color: red; }") != base
    monkeypatch.setattr(pdf, "versions", lambda: "weasyprint==0")
    assert pdf.key("<p>一</p>") != base
    monkeypatch.undo()
    monkeypatch.setattr(pdf, "fonts", lambda css: "/usr/share/fonts/other.ttf 1 1")
    assert pdf.key("<p>一</p>") != base


def test_key_names_the_fonts_of_print_css():
    pdf = load_pdf_tool()
    families = pdf.font_families(pdf.CSS_FILE.read_text(encoding="utf-8"))
    assert {"Noto Serif CJK SC", "Noto Serif CJK TC", "serif"} <= set(families)
    assert "inherit" not in families
    assert pdf.font_families('a { font-family: "A B", \'C\', serif; } b { font-family: inherit }') == ["A B", "C", "serif"]
    if shutil.which("fc-match"):
        assert "Noto Serif CJK SC -> /" in pdf.fonts('html { font-family: "Noto Serif CJK SC" }')
    text = pdf.versions()
    for name in ("weasyprint==", "pydyf==", "fonttools==", "Pillow==", "libpango", "zlib="):
        assert name in text, name


@pytest.mark.parametrize("damage", ["truncate-pdf", "foreign-pdf", "truncate-json", "foreign-json",
                                    "other-key-json", "pdf-symlink-outside", "no-pdf"])
def test_damaged_cache_is_ignored_and_rebuilt(fake, tmp_path, damage):
    pdf, renderer = fake
    root = tmp_path / "project"
    root.mkdir()
    html = "<p>一</p>"
    rep, data = _build(pdf, root, html)
    k = pdf.key(html)
    folder = root / ".cache" / "pdf" / "zh-Hans"
    cached, meta = folder / f"{k}.pdf", folder / f"{k}.json"
    if damage == "truncate-pdf":
        cached.write_bytes(cached.read_bytes()[:5])
    elif damage == "foreign-pdf":
        cached.write_bytes(b"%PDF-1.7 something else")
    elif damage == "truncate-json":
        meta.write_bytes(meta.read_bytes()[:20])
    elif damage == "foreign-json":
        meta.write_text('{"pages": "many"}', encoding="utf-8")
    elif damage == "other-key-json":
        other = json.loads(meta.read_text(encoding="utf-8"))
        meta.write_text(json.dumps({**other, "key": "0" * 64}), encoding="utf-8")
    elif damage == "pdf-symlink-outside":
        outside = tmp_path / "outside.pdf"
        outside.write_bytes(cached.read_bytes())
        cached.unlink()
        cached.symlink_to(outside)
    else:
        cached.unlink()
    again, same = _build(pdf, root, html, "again.pdf")
    assert (again["cached"], renderer.calls, same) == (False, 2, data)  # rendered again, same bytes
    assert again == rep
    third, _ = _build(pdf, root, html, "third.pdf")
    assert (third["cached"], renderer.calls) == (True, 2)  # and stored again
    assert cached.is_file() and not cached.is_symlink()


def test_cache_lives_in_the_project_and_keeps_the_newest(fake, tmp_path):
    pdf, renderer = fake
    assert (pdf.ROOT / pdf.CACHE_DIR).resolve().is_relative_to(pdf.ROOT / ".cache")
    for i in range(pdf.KEEP + 2):
        _build(pdf, tmp_path, f"<p>{i}</p>")
    folder = tmp_path / ".cache" / "pdf" / "zh-Hans"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 * pdf.KEEP and all(re.fullmatch(r"[0-9a-f]{64}\.(json|pdf)", f) for f in files)
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".pdf"
            and not p.is_relative_to(folder)] == [tmp_path / "out.pdf"]  # the target, nothing else


@pytest.mark.parametrize("off", ["env", "flag", "fetched"])
def test_cache_off_renders_afresh_and_stores_nothing(fake, tmp_path, monkeypatch, off):
    pdf, renderer = fake
    kw = {}
    if off == "env":
        monkeypatch.setenv("READER_CORPUS_CACHE", "0")
    elif off == "flag":
        kw = {"cache": False}
    else:
        renderer.fetches = True  # a render that read a file the key does not cover
    for _ in range(2):
        rep, data = _build(pdf, tmp_path, "<p>一</p>", **kw)
        assert rep["cached"] is False and data == "%PDF-1.7 <p>一</p>".encode()
    assert renderer.calls == 2
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and ".cache" in p.parts]


def test_no_cache_flag_reaches_build_one(monkeypatch, tmp_path):
    pdf = load_pdf_tool()
    seen = []
    monkeypatch.setattr(pdf, "missing_fonts", lambda langs: [])
    monkeypatch.setattr(pdf, "epoch", lambda root=pdf.ROOT: EPOCH)

    def build_one(lang, out, tmp, seconds, root=pdf.ROOT, cache=True):
        seen.append(cache)
        target = out / f"{lang}.pdf"
        target.write_bytes(b"%PDF")
        return {"lang": lang, "pdf": target, "html": tmp / "b.html", "pages": 1, "cached": False,
                "load_s": 0.0, "total_s": 0.0, "bytes": 4}

    monkeypatch.setattr(pdf, "build_one", build_one)
    assert pdf.main(["--lang", "zh-Hans", "--out", str(tmp_path), "--no-cache"]) == 0
    assert pdf.main(["--lang", "zh-Hans", "--out", str(tmp_path)]) == 0
    assert seen == [False, True]


@pytest.mark.parametrize("lang", pages.EDITIONS)
def test_every_locked_apparatus_row_is_an_id(books, lang):
    """The apparatus rows keep the site's permanent numbers in print: apparatus.<slug>.r<n> for
    every row of seeds/apparatus.lock (a live row, or a gone row's alias)."""
    from reader import corpus

    edition, out = books[lang]
    ids = set(Tree(out).ids)
    lock = corpus.load_row_lock(ROOT / "seeds", {d.entry.slug for d in edition.docs})
    missing = [f"apparatus.{slug}.r{r.n}" for slug, rows in lock.items() for r in rows
               if f"apparatus.{slug}.r{r.n}" not in ids]
    assert lock and not missing, missing[:5]
