"""Integration: build the real site (both editions, `mkdocs build --strict`) and read it back.

Data flow: repo -> two mkdocs builds in tmp -> HTML parsed with html.parser -> assertions:
anchor parity between scripts, lang, no noise left in the Simplified text, the apparatus
accounts for every change, every internal link and #anchor resolves, docs/ untouched, and
a second build is byte-identical (reproducible).
"""
from __future__ import annotations

import html.parser
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import build_site, tree_digest
from reader import corpus
from reader.clean import pinyin

ROOT = Path(__file__).resolve().parent.parent
CHECK_SITE = ROOT.parent / "shared" / "tools" / "check-site.py"
PINYIN = re.compile(r"[\u4e00-\u9fff][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
MOJIBAKE = re.compile(r"[?？]{2}|\ufffd|€")
# Over-conversion left in any document; the second list only in seeds machine-converted to
# Taiwan usage (zh-TW), where these words are the converter's, not the author's.
TAIWAN = ["扩充套件", "网际网路", "释出", "套用", "实作", "转译", "内送流量", "备援", "容错机制"]
TAIWAN_TW = ["使用者", "资料", "影片", "支援", "讯息", "透过", "软体", "程式"]


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


@pytest.fixture(scope="module")
def real() -> corpus.Corpus:
    return corpus.load(ROOT)


class Page(html.parser.HTMLParser):
    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.lang, self.ids, self.links, self.text, self.skip = "", set(), [], [], 0
        self.cells: list[list[str]] = []
        self.in_cell = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in self.SKIP:
            self.skip += 1
        if tag == "tr":
            self.cells.append([])
        if tag == "td" and self.cells:
            self.cells[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "td":
            self.in_cell = False

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)
            if self.in_cell:
                self.cells[-1][-1] += data


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if "assets" not in p.parts and p.relative_to(site).parts[0] != "zh-Hant")


def test_both_editions_have_the_same_pages_and_anchors(site):
    hans = pages(site)
    assert len(hans) >= 9
    for page in hans:
        rel = page.relative_to(site)
        twin = site / "zh-Hant" / rel
        assert twin.exists(), f"no zh-Hant twin for {rel}"
        a, b = Page(page), Page(twin)
        assert a.lang == "zh-Hans" and b.lang == "zh-Hant", rel
        assert a.ids == b.ids, f"{rel}: anchors differ {sorted(a.ids ^ b.ids)[:5]}"


def test_documents_carry_every_paragraph_id(site, real):
    for doc in real.docs:
        ids = Page(site / doc.entry.slug / "index.html").ids
        missing = set(doc.anchors()) - ids
        assert not missing, f"{doc.entry.slug}: {sorted(missing)[:5]}"


def test_simplified_text_is_clean(site, real):
    for doc in real.docs:
        text = "".join(Page(site / doc.entry.slug / "index.html").text)
        # toned readings by shape; any reading of its character (toneless too) by pypinyin
        assert not PINYIN.findall(text) and not pinyin.annotations(text), doc.entry.slug
        assert not MOJIBAKE.findall(text), doc.entry.slug
        words = TAIWAN + (TAIWAN_TW if doc.entry.source_script == "zh-TW" else [])
        words += [r.find for r in real.tables.overconversion if r.applies(doc.entry.slug)]
        found = [w for w in words if w in text]
        assert not found, f"{doc.entry.slug}: Taiwan phrases left: {found}"


def test_apparatus_accounts_for_every_change(site, real):
    """The index keeps #<slug> and #<slug>-counts; each document's page (<slug>/apparatus/) has
    one row per group of changes, ids as render.row_ids, the count after the kind (×n, else 1)."""
    from reader import render

    index = Page(site / "apparatus" / "index.html")
    total = 0
    for doc in real.docs:
        slug = doc.entry.slug
        assert {slug, f"{slug}-counts"} <= index.ids
        assert f"../{slug}/apparatus/" in index.links
        page = Page(site / slug / "apparatus" / "index.html")
        rows = [r for r in page.cells if len(r) == 5]
        counts = [int(m.group(1)) if (m := re.search(r" ×(\d+)$", r[1])) else 1 for r in rows]
        assert sum(counts) == len(doc.changes), slug
        assert all(re.search(r"L\d+$", r[0]) for r in rows), slug  # the source line in every place cell
        ids = set(render.row_ids(doc).values())
        assert len(ids) == len(rows) and ids | {f"{slug}-changes"} <= page.ids, slug
        total += sum(counts)
    assert total == len(real.changes()) and total > 1000


def test_internal_links_and_anchors_resolve(site):
    cache: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        if "assets" in page.parts or page.name == "404.html":  # 404 links are absolute by design
            continue
        for href in Page(page).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                if target not in cache:  # not setdefault(target, Page(target).ids): that parses every time
                    cache[target] = Page(target).ids
                ids = cache[target]
                assert parts.fragment in ids, f"{page.relative_to(site)}: {href} has no anchor"


@pytest.mark.parametrize("edition", ["", "zh-Hant/"])
def test_search_tokens_carry_no_punctuation(site, edition):
    """Material segments only runs of Han characters (jieba, U+200B); a Latin word or number next to
    Chinese punctuation is split from it by the separator alone. With spaces and hyphens only,
    "，OpenAI", "（2025" and "AGI。" were tokens of their own, which no query for OpenAI, 2025 or AGI
    found (2025 was found in 14 sections instead of 168)."""
    data = json.loads((site / edition / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(data["config"]["separator"])
    punct = re.compile(r"[、。，．？！；：“”‘’「」『』（）《》〈〉【】,;:!?()]")
    word = re.compile(r"[A-Za-z0-9\u4e00-\u9fff]")
    text = " ".join(re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]) for d in data["docs"])
    stuck = {t for t in separator.split(text) if punct.search(t) and word.search(t)}
    assert not stuck, sorted(stuck)[:20]
    assert "OpenAI" in separator.split("，OpenAI。") and "2025" in separator.split("（2025\u200b年")
    assert "¶" not in text  # the paragraphs' permalinks are left out (data-search-exclude): no ¶ in a result


def test_search_indexes_are_per_edition(site):
    def index(path: Path) -> tuple[str, set[str]]:
        docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
        return " ".join(d["text"] for d in docs), {d["location"].split("#")[0] for d in docs}

    hans, hans_pages = index(site / "search" / "search_index.json")
    hant, hant_pages = index(site / "zh-Hant" / "search" / "search_index.json")
    assert "奥特曼" in hans and "奧特曼" in hant and "奧特曼" not in hans
    assert "\u200b莱特卡普\u200b" in hans  # jieba keeps the names of the user dictionary whole
    assert not [p for p in hans_pages | hant_pages if "apparatus" in p]  # the apparatus quotes raw source


@pytest.mark.skipif(not CHECK_SITE.exists(), reason="shared/tools/check-site.py not beside the repo")
def test_check_site_is_clean(site):
    run = subprocess.run([sys.executable, str(CHECK_SITE), str(site)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_build_is_reproducible(site, tmp_path):
    again = tmp_path / "site"
    build_site(again)
    a, b = tree_digest(site), tree_digest(again)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_the_iframe_worker_shim_is_only_in_the_offline_bundle():
    """It runs the search worker in an iframe under file://; on a server it only delays the first paint."""
    from reader import site

    given = ["assets/vendor/iframe-worker/shim.js", "assets/search.js"]
    assert site.head_scripts(given, directory_urls=True) == ["assets/search.js"]
    assert site.head_scripts(given, directory_urls=False) == given
