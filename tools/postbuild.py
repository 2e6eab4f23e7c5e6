#!/usr/bin/env python3
"""Post-build step for the hosted site: ship only what the site uses, and sitemaps that say
which page is whose twin.  Called by tools/build.py on the fresh tree, before it is swapped in.

Data flow, over one built tree (site/ with the Simplified edition, site/zh-Hant/ with the
Traditional one)::

    assets/ and zh-Hant/assets/          (each edition's copy of Material's assets)
        - *.map                           removed, with the sourceMappingURL comments pointing at them
        - lunr segmenters and stemmers    removed, except what the search worker imports for the
                                          languages in search/search_index.json (lang: zh ->
                                          lunr.stemmer.support + lunr.zh; tinyseg only for ja,
                                          wordcut only for hi/th, lunr.multi for more than one)
        - images/favicon.png              removed when no page links it (theme.favicon is ours)
        - unpkg.com in the bundle         the resize-observer polyfill and mermaid loaders point at
                                          an empty data: script (no third-party request, ever)
    zh-Hant/assets == assets, byte for byte?
        yes -> zh-Hant/assets/ removed; every reference to it in zh-Hant/**/*.html
               (href, src, Material's __config "search") rewritten to the shared assets/,
               relative links staying relative (so file:// keeps working) and absolute paths
               (the 404 page) staying absolute
    search/search_index.json of each edition  rewritten in UTF-8 (Material escapes every Chinese
                                          character as \\uXXXX): the same JSON, half the bytes
    sitemap.xml, zh-Hant/sitemap.xml      (MkDocs': <loc> and <lastmod> only when site_url is set)
        -> each <url> gains <xhtml:link rel="alternate" hreflang> for itself and its twin,
           sitemap.xml.gz rewritten to match (same gzip mtime), and sitemap_index.xml names both
        -> without site_url (no canonical link on the home page) the empty sitemaps stay empty

Every step is a function of the tree's bytes (sorted walks, fixed gzip header), so the same
build gives the same site.  Only the standard library; ``python tools/postbuild.py SITE`` runs
it on a built tree and prints the bytes per edition before and after.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import posixpath
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

HANT = "zh-Hant"
ASSETS = "assets"
LUNR = "javascripts/lunr"
SEARCH_INDEX = "search/search_index.json"
#: Script loaders in Material's bundle that would fetch from a third-party CDN: the
#: ResizeObserver polyfill (browsers before 2020) and mermaid (pages with diagrams; ours have none).
THIRD_PARTY_LOADERS = ("https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js")
EMPTY_SCRIPT = "data:text/javascript,"
_MAP_COMMENT = re.compile(rb"\n?(?://[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)[ \t]*(?=\n|$)")
_REF = re.compile(r'(?P<pre>\b(?:href|src)=")(?P<url>[^"]*)(?=")|(?P<cpre>"search": ")(?P<curl>[^"]*)(?=")')
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>\s*(?:<lastmod>([^<]*)</lastmod>)?(?:\s*<xhtml:link [^>]*/>)*\s*</url>")


class Report(NamedTuple):
    """What the post-build step did: bytes per edition before and after, files removed, shared."""

    before: dict[str, int]
    after: dict[str, int]
    removed: int
    shared_assets: bool
    why_not_shared: str
    sitemaps: bool


# --------------------------------------------------------------------------- pure parts


def search_files(langs: Iterable[str]) -> set[str]:
    """Files under javascripts/lunr/ that Material's search worker imports for these
    languages (workers/search.*.min.js: the segmenters, lunr.<lang> for each but en,
    lunr.multi for several, and the stemmer support whenever any is imported)."""
    langs = list(langs)
    out: set[str] = set()
    for lang in langs:
        if lang == "ja":
            out.add("tinyseg.js")
        if lang in ("hi", "th"):
            out.add("wordcut.js")
        if lang != "en":
            out.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        out.add("min/lunr.multi.min.js")
    if out:
        out.add("min/lunr.stemmer.support.min.js")
    return out


def strip_map_comment(data: bytes) -> bytes:
    """A script or stylesheet without its sourceMappingURL comment (the .map is not shipped)."""
    return _MAP_COMMENT.sub(b"", data)


def relink(html: str, page: str, old: str, new: str) -> str:
    """Rewrite every href/src (and Material's __config "search") in the page at `page` (a
    path from the site root, e.g. "zh-Hant/about/index.html") that points into folder `old`
    so that it points at the same file in `new`. Relative URLs stay relative to the page,
    absolute paths stay absolute ("/x/zh-Hant/assets/..." -> "/x/assets/..."); other URLs
    are left alone."""
    here = posixpath.dirname(page)

    def fix(url: str) -> str:
        if not url or url.startswith(("#", "//", "data:")) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            return url
        path, sep, rest = url.partition("?") if "?" in url else url.partition("#")
        if path.startswith("/"):
            marker = f"/{old}/"
            i = path.find(marker)
            return path[:i] + f"/{new}/" + path[i + len(marker):] + sep + rest if i >= 0 else url
        target = posixpath.normpath(posixpath.join(here, path))
        if not (target + "/").startswith(old + "/"):
            return url
        moved = new + target[len(old):]
        rel = posixpath.relpath(moved, here or ".")
        return rel + ("/" if path.endswith("/") and not rel.endswith("/") else "") + sep + rest

    def sub(m: re.Match) -> str:
        if m.group("pre") is not None:
            return m.group("pre") + fix(m.group("url"))
        return m.group("cpre") + fix(m.group("curl"))

    return _REF.sub(sub, html)


def twin_url(loc: str, root: str) -> str | None:
    """The other edition's URL of the page at `loc` (root: the Simplified edition's site_url)."""
    if not loc.startswith(root):
        return None
    rest = loc[len(root):]
    return root + rest[len(HANT) + 1:] if rest == HANT or rest.startswith(HANT + "/") else root + HANT + "/" + rest


def sitemap_with_alternates(xml: str, root: str, lang: str, exists) -> str:
    """MkDocs' sitemap of one edition (`lang`) with hreflang alternates on each <url>: the page
    itself and its twin (when `exists(url)` says the twin was built)."""
    other = "zh-Hans" if lang == HANT else HANT
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for loc, lastmod in _URL.findall(xml):
        out.append(f"  <url>\n    <loc>{loc}</loc>")
        if lastmod:
            out.append(f"    <lastmod>{lastmod}</lastmod>")
        twin = twin_url(_unescape(loc), root)
        if twin and exists(twin):
            for hl, href in sorted(((lang, _unescape(loc)), (other, twin))):
                out.append(f'    <xhtml:link rel="alternate" hreflang="{hl}" href="{escape(href)}"/>')
        out.append("  </url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def sitemap_index(root: str, lastmod: str) -> str:
    """A sitemap index naming both editions' sitemaps."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in ("sitemap.xml", f"{HANT}/sitemap.xml"):
        parts.append(f"  <sitemap>\n    <loc>{escape(root + path)}</loc>"
                     + (f"\n    <lastmod>{lastmod}</lastmod>" if lastmod else "") + "\n  </sitemap>")
    parts.append("</sitemapindex>\n")
    return "\n".join(parts)


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


def gzip_like(data: bytes, old_gz: bytes | None) -> bytes:
    """gzip `data` with the header MkDocs wrote (its mtime), so rebuilds stay byte-identical."""
    mtime = int.from_bytes(old_gz[4:8], "little") if old_gz and len(old_gz) >= 8 else 0
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, filename="", mode="wb", mtime=mtime) as f:
        f.write(data)
    return buf.getvalue()


# --------------------------------------------------------------------------- over a tree


def files_under(folder: Path) -> list[Path]:
    """Every regular file under `folder`, sorted (symlinks are not followed)."""
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        out.extend(Path(dirpath, n) for n in sorted(filenames) if Path(dirpath, n).is_file())
    return sorted(out)


def edition_bytes(site: Path) -> dict[str, int]:
    """Bytes on disk per edition: the Simplified one is site/ without zh-Hant/."""
    hant = site / HANT
    total = {"zh-Hans": 0, HANT: 0}
    for f in files_under(site):
        total[HANT if hant in f.parents else "zh-Hans"] += f.stat().st_size
    return total


def search_langs(edition: Path) -> list[str] | None:
    """The languages the edition's search index was built for, or None if it has none."""
    index = edition / SEARCH_INDEX
    if not index.is_file():
        return None
    try:
        return list(json.loads(index.read_text(encoding="utf-8"))["config"]["lang"])
    except (ValueError, KeyError, TypeError):
        return None


def referenced(site: Path, rel: str) -> bool:
    """Whether any page of the tree names the file `rel` (a path under assets/) at all."""
    name = rel.encode()
    return any(name in p.read_bytes() for p in site.rglob("*.html"))


def prune_assets(site: Path, edition: Path) -> int:
    """Remove from edition/assets/ what the site never loads; return the number removed."""
    assets = edition / ASSETS
    if not assets.is_dir():
        return 0
    removed = 0
    langs = search_langs(edition)
    keep = search_files(langs) if langs is not None else None
    for f in files_under(assets):
        rel = f.relative_to(assets).as_posix()
        drop = f.suffix == ".map"
        if keep is not None and rel.startswith(LUNR + "/"):
            drop = drop or rel[len(LUNR) + 1:] not in keep
        if rel == "images/favicon.png" and not referenced(site, "assets/images/favicon.png"):
            drop = True
        if drop:
            f.unlink()
            removed += 1
        elif f.suffix in (".js", ".css"):
            data = f.read_bytes()
            new = strip_map_comment(data)
            for url in THIRD_PARTY_LOADERS:
                new = new.replace(url.encode(), EMPTY_SCRIPT.encode())
            if new != data:
                f.write_bytes(new)
    for dirpath, _dirs, _files in sorted(os.walk(assets), reverse=True):
        if Path(dirpath) != assets and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in files_under(folder)}


def share_assets(site: Path) -> str:
    """Let zh-Hant use the Simplified edition's assets/: "" when done, else why not."""
    ours, theirs = site / ASSETS, site / HANT / ASSETS
    if not ours.is_dir() or not theirs.is_dir():
        return "one edition has no assets/ folder"
    a, b = tree_bytes(ours), tree_bytes(theirs)
    if a != b:
        diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        return f"the editions' assets differ ({', '.join(diff[:3])})"
    old, new = f"{HANT}/{ASSETS}", ASSETS
    for page in files_under(site / HANT):
        if page.suffix != ".html" or theirs in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = relink(text, page.relative_to(site).as_posix(), old, new)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    for f in files_under(theirs):
        f.unlink()
    for dirpath, _dirs, _files in sorted(os.walk(theirs), reverse=True):
        os.rmdir(dirpath)
    return ""


def site_root(site: Path) -> str | None:
    """The Simplified edition's site_url, read from the home page's canonical link."""
    home = site / "index.html"
    if not home.is_file():
        return None
    m = _CANONICAL.search(home.read_text(encoding="utf-8"))
    return _unescape(m.group(1)) if m else None


def write_sitemaps(site: Path) -> bool:
    """hreflang alternates in both sitemaps and a sitemap index; False without site_url."""
    root = site_root(site)
    if not root:
        return False
    if not root.endswith("/"):
        root += "/"

    def exists(url: str) -> bool:
        rel = url[len(root):]
        path = site / rel
        return (path / "index.html").is_file() if rel == "" or rel.endswith("/") else path.is_file()

    lastmods = []
    for edition, lang in ((site, "zh-Hans"), (site / HANT, HANT)):
        xml_path = edition / "sitemap.xml"
        if not xml_path.is_file():
            continue
        xml = xml_path.read_text(encoding="utf-8")
        lastmods += [m for _loc, m in _URL.findall(xml) if m]
        new = sitemap_with_alternates(xml, root, lang, exists)
        xml_path.write_text(new, encoding="utf-8")
        gz = edition / "sitemap.xml.gz"
        gz.write_bytes(gzip_like(new.encode("utf-8"), gz.read_bytes() if gz.is_file() else None))
    (site / "sitemap_index.xml").write_text(sitemap_index(root, max(lastmods, default="")), encoding="utf-8")
    return True


def compact_search_index(edition: Path) -> bool:
    """The edition's search index in UTF-8: Material writes it with json.dumps' ASCII escapes,
    six bytes (\\u5965) for every Chinese character instead of three; the same data, keys in the
    same order, half the bytes (669 -> 351 KB for zh-Hans; gzip 109 -> 94 KB). Material's bundle
    reads it as JSON (XMLHttpRequest) or, from file://, as a UTF-8 script (search_index.js)."""
    index = edition / SEARCH_INDEX
    if not index.is_file():
        return False
    data = json.loads(index.read_text(encoding="utf-8"))
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def run(site: Path, share: bool = True) -> Report:
    """The whole post-build step over the built tree at `site`."""
    before = edition_bytes(site)
    for edition in (site, site / HANT):
        compact_search_index(edition)
    removed = sum(prune_assets(site, ed) for ed in (site, site / HANT) if ed.is_dir())
    why = share_assets(site) if share and (site / HANT).is_dir() else "not asked"
    sitemaps = write_sitemaps(site)
    return Report(before, edition_bytes(site), removed, not why, why, sitemaps)


def describe(rep: Report) -> str:
    """One line for the build log."""
    sizes = ", ".join(f"{k} {rep.before[k] / 1e6:.2f} -> {rep.after[k] / 1e6:.2f} MB" for k in rep.before)
    shared = "zh-Hant shares assets/" if rep.shared_assets else f"assets not shared: {rep.why_not_shared}"
    return (f"postbuild: {sizes}; {rep.removed} unused files removed; {shared}; "
            f"sitemaps {'with hreflang alternates' if rep.sitemaps else 'empty (SITE_URL unset)'}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: postbuild.py SITE_DIR   (a tree built by tools/build.py)")
    print(describe(run(Path(sys.argv[1]))))
