"""The hosted site: sitemaps with hreflang alternates and canonical links when SITE_URL is set,
a 404 page per edition in its script whose links work from any depth, a description per page,
our own favicon, only the assets the site loads (tools/postbuild.py), no third-party URL.

Data flow: the real site built twice per session, both with tools/postbuild.py as `make site`
runs it: `built_site` (tests/conftest.py, SITE_URL unset) and `hosted` (SITE_URL set, here) ->
files read back with html.parser / ElementTree -> assertions. The pure parts of postbuild
(relink, search_files, sitemap_with_alternates, strip_map_comment) are tested on strings.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import html.parser
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest

from conftest import ROOT, build_site, tree_digest

sys.path.insert(0, str(ROOT / "tools"))
import postbuild
from reader import downloads, jsonedition, pages
from reader import site as reader_site

SITE_URL = "https://example.org/altman/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
#: URLs that may stand in a shipped asset because nothing ever requests them: XML namespaces,
#: licence and documentation comments, and the GitHub/GitLab "source facts" of Material's
#: bundle, which run only for a repo_url (test_no_repository_widget checks there is none).
INERT_HOSTS = {"www.w3.org", "fontawesome.com", "clipboardjs.com", "lunrjs.com", "tartarus.org", "bit.ly",
               "api.github.com", "${e}"}
URL = re.compile(r"https?://[^\s\"'<>`)\\]+")


#: what `make publish` would ship, small: name -> bytes (READER_DOWNLOADS, hooks/reader/downloads.py)
SHIPPED = {name: f"{kind}: not a real file".encode() for name, kind in downloads.FILES}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> Path:
    """The real site built as `make publish` builds it: SITE_URL set, and READER_DOWNLOADS naming
    a folder (inside the project, as it must be) with small stand-ins for the zip and the PDFs."""
    dest = tmp_path_factory.mktemp("hosted") / "site"
    (ROOT / ".cache").mkdir(exist_ok=True)
    shipped = Path(tempfile.mkdtemp(prefix="test-hosted-downloads-", dir=ROOT / ".cache"))
    for name, content in SHIPPED.items():
        (shipped / name).write_bytes(content)
    env = {"SITE_URL": SITE_URL, downloads.ENV: str(shipped.relative_to(ROOT))}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        build_site(dest)
    finally:
        for k, v in old.items():
            if v is None:
                del os.environ[k]
            else:
                os.environ[k] = v
        shutil.rmtree(shipped, ignore_errors=True)
    return dest


@pytest.fixture(scope="module")
def plain(built_site) -> Path:
    if os.environ.get("SITE_URL"):
        pytest.skip("SITE_URL is set in the environment: the session's site is a hosted one")
    return built_site


class Head(html.parser.HTMLParser):
    """The parts of a page the hosting features touch."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.lang, self.canonical, self.descriptions, self.icons = "", [], [], []
        self.links: list[str] = []  # every href and src, in order
        self.head_urls: list[str] = []
        self.in_head, self.h1, self.in_h1, self.title, self.in_title = False, "", False, "", False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "head":
            self.in_head = True
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        if tag == "link" and a.get("rel") == "icon":
            self.icons.append(a["href"])
        if tag == "meta" and a.get("name") == "description":
            self.descriptions.append(a.get("content", ""))
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
                if self.in_head:
                    self.head_urls.append(a[key])
        if tag == "h1":
            self.in_h1 = True
        if tag == "title":
            self.in_title = True

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "h1":
            self.in_h1 = False
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_h1:
            self.h1 += data
        if self.in_title:
            self.title += data


def pages_of(site: Path, edition: str) -> list[Path]:
    top = site / "zh-Hant" if edition == "zh-Hant" else site
    return sorted(p for p in top.rglob("*.html")
                  if p.name != "404.html" and (edition == "zh-Hant" or "zh-Hant" not in p.relative_to(site).parts))


def url_of(site: Path, page: Path, root: str = SITE_URL) -> str:
    rel = page.relative_to(site).as_posix()
    return root + (rel.removesuffix("index.html"))


# --------------------------------------------------------------------------- sitemaps, canonical


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_sitemap_lists_every_page_with_both_alternates(hosted, edition):
    top = hosted / "zh-Hant" if edition == "zh-Hant" else hosted
    tree = ElementTree.parse(top / "sitemap.xml")
    urls = tree.getroot().findall("s:url", NS)
    locs = [u.findtext("s:loc", namespaces=NS) for u in urls]
    assert sorted(locs) == sorted(url_of(hosted, p) for p in pages_of(hosted, edition))
    for u, loc in zip(urls, locs):
        alts = {a.get("hreflang"): a.get("href") for a in u.findall("x:link", NS) if a.get("rel") == "alternate"}
        assert set(alts) == {"zh-Hans", "zh-Hant"}, loc
        assert alts[edition] == loc
        twin = alts["zh-Hant" if edition == "zh-Hans" else "zh-Hans"]
        assert (twin.startswith(SITE_URL + "zh-Hant/")) == (edition == "zh-Hans"), twin
        assert (hosted / twin[len(SITE_URL):] / "index.html").is_file(), f"{loc}: twin {twin} not built"
    assert gzip.decompress((top / "sitemap.xml.gz").read_bytes()) == (top / "sitemap.xml").read_bytes()


def test_sitemap_index_names_both_editions(hosted):
    root = ElementTree.parse(hosted / "sitemap_index.xml").getroot()
    assert [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)] == [
        SITE_URL + "sitemap.xml", SITE_URL + "zh-Hant/sitemap.xml"]


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_every_page_has_its_own_canonical_link(hosted, edition):
    for page in pages_of(hosted, edition):
        assert Head(page).canonical == [url_of(hosted, page)], page.relative_to(hosted)


def test_without_site_url_no_sitemap_claims_a_host(plain):
    for top in (plain, plain / "zh-Hant"):
        root = ElementTree.parse(top / "sitemap.xml").getroot()
        assert root.findall("s:url", NS) == []  # MkDocs' empty sitemap: valid, names no host
        assert b"<url>" not in gzip.decompress((top / "sitemap.xml.gz").read_bytes())
    assert not (plain / "sitemap_index.xml").exists()
    assert all(not Head(p).canonical for p in pages_of(plain, "zh-Hans")[:5] + pages_of(plain, "zh-Hant")[:5])


# --------------------------------------------------------------------------- 404


def _resolve_404(site: Path, missing: str, href: str, root_path: str) -> Path | None:
    """The file a static host serves for `href` on the 404 page it returned for `missing`."""
    url = urlsplit(urljoin("http://host" + missing, href))
    if url.netloc != "host":
        return None
    path = url.path
    assert path.startswith(root_path), f"{href} leaves the site ({root_path})"
    target = site / path[len(root_path):]
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize("which", ["plain", "hosted"])
@pytest.mark.parametrize("edition, title, twin_label", [("zh-Hans", "找不到这一页", "繁體"),
                                                        ("zh-Hant", "找不到這一頁", "简体")])
def test_404_page_in_its_script_with_links_into_its_edition(request, which, edition, title, twin_label):
    site = request.getfixturevalue(which)
    root_path = urlsplit(SITE_URL).path if which == "hosted" else "/"
    prefix = "zh-Hant/" if edition == "zh-Hant" else ""
    page = site / prefix / "404.html"
    head = Head(page)
    text = page.read_text(encoding="utf-8")
    assert head.lang == edition and head.h1 == title and head.title.startswith(title)
    assert "Not found" not in text and "404 -" not in text
    if edition == "zh-Hant":
        assert "这" not in text and "页" not in text  # no Simplified interface words left
    assert f">{twin_label}</a>" in text
    contents = text.split('class="not-found-contents">', 1)[1].split("</ul>\n", 1)[0]
    for section in (("访谈", "校勘记") if edition == "zh-Hans" else ("訪談", "校勘記")):  # the nav's sections
        assert re.search(rf"<li>{section}<ul>\s*<li><a ", contents), section  # name their entries' group
    missing = root_path + prefix + "any/deep/missing"
    seen_pages = 0
    for href in head.links:
        target = _resolve_404(site, missing, href, root_path)
        if target is None:
            continue
        assert target.exists(), f"{edition} 404 ({which}): {href} -> {target.relative_to(site)} missing"
        rel = target.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        if target.name == "index.html":
            seen_pages += 1
            in_hant = rel.startswith("zh-Hant/")
            is_switch = f'href="{html.escape(href)}" rel="alternate"' in text
            assert in_hant == (edition == "zh-Hant") or is_switch, f"{edition} 404 links to the other edition: {href}"
    assert seen_pages >= 8  # home, five documents, apparatus, about, ...


def test_404_search_uses_its_own_editions_index(hosted, plain):
    for site, base in ((hosted, urlsplit(SITE_URL).path), (plain, "/")):
        for prefix in ("", "zh-Hant/"):
            text = (site / prefix / "404.html").read_text(encoding="utf-8")
            assert f'"base": "{base}{prefix}"' in text


# --------------------------------------------------------------------------- descriptions


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_every_page_has_a_description_in_its_script(hosted, edition):
    ed, _terms = reader_site.load_edition(ROOT, edition)
    top = hosted / "zh-Hant" if edition == "zh-Hant" else hosted
    for page in pages_of(hosted, edition):
        got = Head(page).descriptions
        assert len(got) == 1 and got[0], page.relative_to(hosted)
    for d in ed.docs:
        assert Head(top / d.entry.slug / "index.html").descriptions == [d.entry.summary]
    home = Head(top / "index.html").descriptions[0]
    assert home == ed.conv(reader_site.first_sentence(pages.HOME_INTRO)) and home.endswith("。")
    about = Head(top / "about" / "index.html").descriptions[0]
    assert about.startswith(ed.conv("本版")) and about.endswith("。") and len(about) < 80
    if edition == "zh-Hant":
        assert "奧特曼" in home and "奥特曼" not in home


def test_describe_takes_the_first_prose_sentence():
    md = "# 关于 {#top}\n\n本版把[五篇](a.md)报道整理成`读者版`。第二句。\n\n## 下一节\n"
    assert reader_site.lead_paragraph(md) == "本版把五篇报道整理成读者版。第二句。"
    assert reader_site.first_sentence("甲，乙。丙！") == "甲，乙。"
    assert reader_site.first_sentence("没有句号") == "没有句号"
    assert reader_site.page_meta("x/", "zh-Hans", "x.md", 'a"<b>')["description"] == "a&#34;&#60;b&#62;"


# --------------------------------------------------------------------------- favicon, assets, hosts


def test_our_favicon_on_every_page(hosted):
    assert (hosted / "assets" / "favicon.svg").read_bytes().startswith(b"<svg")
    for page in pages_of(hosted, "zh-Hans")[:4] + pages_of(hosted, "zh-Hant")[:4]:
        (icon,) = Head(page).icons
        assert (page.parent / icon).resolve() == (hosted / "assets" / "favicon.svg").resolve()
    assert not list(hosted.rglob("favicon.png"))


def test_only_what_the_site_loads_is_shipped(hosted):
    files = [p.relative_to(hosted).as_posix() for p in hosted.rglob("*") if p.is_file()]
    assert not [f for f in files if f.endswith(".map")]
    assert sorted(f for f in files if "/lunr/" in f) == [
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js", "assets/javascripts/lunr/min/lunr.zh.min.js"]
    assert not (hosted / "zh-Hant" / "assets").exists()  # the editions share one copy
    for f in files:
        if f.endswith((".js", ".css")):
            assert b"sourceMappingURL" not in (hosted / f).read_bytes(), f


def test_shared_assets_resolve_from_every_zh_hant_page(hosted):
    for page in pages_of(hosted, "zh-Hant"):
        head = Head(page)
        text = page.read_text(encoding="utf-8")
        worker = re.search(r'"search": "([^"]+)"', text).group(1)
        for ref in [u for u in head.links if "assets/" in u] + [worker]:
            assert not urlsplit(ref).scheme and not ref.startswith("/"), ref
            assert (page.parent / ref).resolve().is_file(), f"{page.relative_to(hosted)}: {ref}"
            assert "zh-Hant/assets" not in (page.parent / ref).resolve().as_posix()


def test_no_third_party_url_in_assets_or_heads(hosted):
    for f in sorted((hosted / "assets").rglob("*")):  # data files (edition.json) may cite the sources
        if f.suffix not in (".js", ".css", ".json", ".svg"):
            continue
        hosts = {urlsplit(u).netloc for u in URL.findall(f.read_text(encoding="utf-8", errors="replace"))}
        assert hosts <= INERT_HOSTS, f"{f.relative_to(hosted)}: {sorted(hosts - INERT_HOSTS)}"
        assert "unpkg.com" not in f.read_text(encoding="utf-8", errors="replace")
    for edition in ("zh-Hans", "zh-Hant"):
        for page in pages_of(hosted, edition) + [hosted / "404.html", hosted / "zh-Hant" / "404.html"]:
            for u in Head(page).head_urls:
                assert not urlsplit(u).scheme or u.startswith(SITE_URL), f"{page.relative_to(hosted)}: {u}"


def test_no_repository_widget(hosted):
    """Material's bundle talks to GitHub only for a repo_url: there is none."""
    for page in pages_of(hosted, "zh-Hans")[:3]:
        assert "md-source" not in page.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- postbuild, pure parts


def test_search_files_follow_the_worker():
    assert postbuild.search_files(["zh"]) == {"min/lunr.stemmer.support.min.js", "min/lunr.zh.min.js"}
    assert postbuild.search_files(["en"]) == set()
    assert postbuild.search_files(["ja", "en"]) == {"tinyseg.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js",
                                                    "min/lunr.stemmer.support.min.js"}
    assert "wordcut.js" in postbuild.search_files(["th"])


def test_relink_keeps_relative_relative_and_absolute_absolute():
    page = "zh-Hant/about/index.html"
    src = ('<link href="../assets/a.css"><a href="../glossary/#x">g</a><img src="../../assets/b.png">'
           '<script src="/x/zh-Hant/assets/c.js"></script>{"base": "..", "search": "../assets/w.js"}'
           '<a href="https://example.org/zh-Hant/assets/d">d</a><a href="#top">t</a>')
    out = postbuild.relink(src, page, "zh-Hant/assets", "assets")
    assert out == ('<link href="../../assets/a.css"><a href="../glossary/#x">g</a><img src="../../assets/b.png">'
                   '<script src="/x/assets/c.js"></script>{"base": "..", "search": "../../assets/w.js"}'
                   '<a href="https://example.org/zh-Hant/assets/d">d</a><a href="#top">t</a>')
    assert postbuild.relink('<a href="assets/x.js?v=1">', "zh-Hant/index.html", "zh-Hant/assets", "assets") == \
        '<a href="../assets/x.js?v=1">'


def test_strip_map_comment():
    assert postbuild.strip_map_comment(b"a()\n//# sourceMappingURL=a.js.map") == b"a()"
    assert postbuild.strip_map_comment(b"a{}\n/*# sourceMappingURL=a.css.map */\n") == b"a{}\n"
    assert postbuild.strip_map_comment(b"x = '//# not at line start'") == b"x = '//# not at line start'"


def test_sitemap_alternates_escape_and_skip_missing_twins():
    xml = ("<urlset><url><loc>https://e.org/a/?q=1&amp;r=2</loc><lastmod>2024-01-01</lastmod></url>"
           "<url><loc>https://e.org/only/</loc></url></urlset>")
    out = postbuild.sitemap_with_alternates(xml, "https://e.org/", "zh-Hans", lambda u: "only" not in u)
    assert 'hreflang="zh-Hant" href="https://e.org/zh-Hant/a/?q=1&amp;r=2"' in out
    assert out.count("<xhtml:link") == 2  # none for the page without a twin
    ElementTree.fromstring(out)
    assert postbuild.twin_url("https://e.org/zh-Hant/a/", "https://e.org/") == "https://e.org/a/"
    assert postbuild.twin_url("https://e.org/zh-Hant/", "https://e.org/") == "https://e.org/"


def test_postbuild_is_deterministic_and_idempotent(hosted, tmp_path):
    """Running the step again over its own output changes nothing (and reports no sharing to do)."""
    again = tmp_path / "again"
    shutil.copytree(hosted, again)
    before = tree_digest(again)
    rep = postbuild.run(again)
    assert tree_digest(again) == before and rep.removed == 0


def test_search_index_is_utf8_not_escapes(built_site, tmp_path):
    """postbuild.compact_search_index: the index the reader downloads holds its Chinese as UTF-8,
    not as six-byte \\u escapes, and is the same JSON as Material wrote it."""
    import json

    for edition in ("", "zh-Hant/"):
        raw = (built_site / edition / "search" / "search_index.json").read_bytes()
        assert not re.search(rb"\\u[4-9][0-9a-f]{3}", raw), "a CJK character still escaped"
        assert "奥特曼" in raw.decode("utf-8") or "奧特曼" in raw.decode("utf-8")
    folder = tmp_path / "search"
    folder.mkdir()
    data = {"config": {"separator": "[\\s\\u200b\\-]"}, "docs": [{"location": "a/", "title": "标题\u200b", "text": "<p>文</p>"}]}
    (folder / "search_index.json").write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    assert postbuild.compact_search_index(tmp_path)
    out = (folder / "search_index.json").read_text(encoding="utf-8")
    assert json.loads(out) == data and '"title":"标题\u200b"' in out
    assert not postbuild.compact_search_index(tmp_path / "none")


# --------------------------------------------------------------------------- downloads (make publish)

@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_the_published_site_ships_its_downloads_and_lists_them(hosted, prefix):
    """Each file is in the site root's downloads/, byte for byte, and the page of either edition
    links it with its SHA-256; the JSON data and its schema are linked too, and resolve."""
    page = hosted / prefix / "downloads" / "index.html"
    source = page.read_text(encoding="utf-8")
    links = [urljoin(f"https://h/{prefix}downloads/", h) for h in re.findall(r'<a href="([^"#]+)"[^>]*><code>', source)]
    files = {urlsplit(u).path.lstrip("/"): hosted / urlsplit(u).path.lstrip("/") for u in links}
    names, n = list(files), len(SHIPPED)  # the shipped files, the seeds with their sums, the data
    assert names[:n] == [f"downloads/{name}" for name in SHIPPED]
    assert names[-3:] == ["edition.json", "edition.schema.json", f"{prefix}timeline.json"]
    assert sorted(names[n:-3]) == sorted([f"sources/{p.name}" for p in (ROOT / "seeds").glob("*.txt")] + ["sources/SHA256SUMS"])
    for name, content in SHIPPED.items():
        assert files[f"downloads/{name}"].read_bytes() == content
        assert f"SHA-256 <code>{hashlib.sha256(content).hexdigest()}</code>" in source
    assert all(p.is_file() for p in files.values())
    assert (hosted / "edition.schema.json").read_bytes() == jsonedition.SCHEMA_PATH.read_bytes()
    assert not (hosted / "zh-Hant" / "downloads" / next(iter(SHIPPED))).exists()  # one copy, in the root


def test_a_plain_build_offers_the_data_alone(plain):
    """`make site` ships no zip or PDF, so its page links none: a build never links a file it lacks."""
    for prefix in ("", "zh-Hant/"):
        source = (plain / prefix / "downloads" / "index.html").read_text(encoding="utf-8")
        assert ".zip" not in source and ".pdf" not in source and "edition.schema.json" in source
    assert sorted(p.name for p in (plain / "downloads").iterdir()) == ["index.html"]
