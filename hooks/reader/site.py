"""Site: what the MkDocs hook needs, as plain functions it can call in one line each.

Data flow: project root + edition -> (Edition, search terms) via corpus.load (memoised and cached on disk by corpuscache) and pages,
each edition made once per corpus in a process (twin(): the other script's, for the search map and the JSON edition);
generated File objects -> href(src, anchor) for render; page url -> page meta (twin link,
hreflang, search exclusion, description, a document's dcterms.* citation tags); SITE_URL -> each edition's site_url and the 404 page's
base and words (hosting). The only module here that knows MkDocs' File API (by duck typing).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import cite, corpuscache, pages, read, render, safeio
from .clean import table

NO_SEARCH = {"apparatus.md"}  # the apparatus repeats raw source text: keep it out of search
NO_SEARCH_SUFFIX = "/apparatus.md"  # nor its page per document (render.apparatus_src)


def hant_rules(root: Path, slugs: set[str]) -> list:
    """seeds/corrections/zh-hant.yml as phrase rules (the zh-Hant edition and the JSON edition)."""
    path = root / "seeds" / "corrections" / "zh-hant.yml"
    label = "seeds/corrections/zh-hant.yml"
    return table.parse_rules(read.load_yaml(path, label), label, slugs) if safeio.present(path) else []


#: (root, lang) -> (the Corpus it was made from, Edition, search terms): each edition once per corpus
#: in a process (the zh-Hans build's search map and JSON edition and the zh-Hant build share one
#: conversion to zh-Hant). Filled only with the build caches on, where corpuscache.load returns
#: the same Corpus object for the same content: a hit is an Edition of exactly these sources.
_editions: dict[tuple[str, str], tuple[Any, pages.Edition, list[str]]] = {}


def load_edition(root: Path, lang: str) -> tuple[pages.Edition, list[str]]:
    """The Edition of `lang` and its search terms (shared: callers read it, never change it)."""
    c = corpuscache.load(root)  # corpus.load, once per content (memo, .cache/corpus/)
    key = (str(Path(root).resolve()), lang)
    hit = _editions.get(key) if corpuscache.enabled() else None
    if hit is not None and hit[0] is c:
        return hit[1], list(hit[2])
    rules = hant_rules(root, {d.entry.slug for d in c.docs})
    terms_path = root / "seeds" / "search-terms.yml"
    extra = read.load_yaml(terms_path, "seeds/search-terms.yml") if safeio.present(terms_path) else []
    if not isinstance(extra, list) or not all(isinstance(t, str) for t in extra):
        raise read.EditionError("seeds/search-terms.yml", 1, "terms", "must be a list of words")
    edition = pages.make_edition(c, lang, rules, corpuscache.remember())
    terms = pages.search_terms(c, extra)
    if lang == "zh-Hant":
        terms = sorted(set(terms) | {edition.conv(t) for t in terms})
    if corpuscache.enabled():
        if any(k[0] != key[0] or v[0] is not c for k, v in _editions.items()):
            _editions.clear()  # another corpus: keep only this one's editions
        _editions[key] = (c, edition, terms)
    return edition, list(terms)


def twin(root: Path, edition: pages.Edition) -> pages.Edition | None:
    """The other script's Edition of the corpus `edition` was made from, when `edition` is the one
    load_edition keeps for root's current sources (None otherwise, and with the caches off)."""
    mine = _editions.get((str(Path(root).resolve()), edition.lang)) if corpuscache.enabled() else None
    if mine is None or mine[1] is not edition:
        return None
    other, _ = load_edition(root, "zh-Hant" if edition.lang == "zh-Hans" else "zh-Hans")
    mine = _editions.get((str(Path(root).resolve()), edition.lang))  # load_edition cleared it if the sources changed
    return other if mine is not None and mine[1] is edition else None


_taught: set[str] = set()


def jieba_words(terms: list[str]) -> frozenset[str]:
    """The words jieba knows once teach_jieba(terms) has run (what its dictionary state depends on)."""
    return frozenset(_taught | set(terms))


def teach_jieba(terms: list[str]) -> None:
    """Each word once per process: jieba.add_word adds to the dictionary's total on every call,
    so the second edition of a one-process build segments as its own process would."""
    import jieba

    safeio.jieba_cache(jieba.dt)
    for term in terms:
        if term not in _taught:
            jieba.add_word(term, freq=100000)
            _taught.add(term)


def template_cache(root: Path) -> Any:
    """Jinja's compiled templates kept in the project's git-ignored .cache/jinja/ (keyed by
    template name and source checksum, so an edited template recompiles): the second edition
    and every later build skip compiling Material's ~40 templates. None (no cache) under
    READER_CORPUS_CACHE=0, which turns every build cache off."""
    import jinja2

    if not corpuscache.enabled():
        return None

    path = root / ".cache" / "jinja"
    path.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(path))


def href_from(files: dict[str, Any], current: Any):
    """href(src, anchor) -> URL of that generated page relative to `current`."""

    def href(src: str, anchor: str) -> str:
        target = files[src]
        url = "" if target is current else target.url_relative_to(current)  # same page: "#anchor"
        return f"{url}#{anchor}" if anchor else (url or "./")

    return href


def docs_problem(config: Any) -> str:
    """MkDocs reads docs/ itself: "" when every file there is a regular file inside the project
    within safeio.DOCS_FILE_LIMIT, else one line naming the first that is not."""
    root = Path(config.config_file_path).resolve().parent
    return safeio.tree_problem(root, Path(config["docs_dir"]), "docs")


def page_meta(url: str, lang: str, src: str, description: str = "",
              citation: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    other = "zh-Hant" if lang == "zh-Hans" else "zh-Hans"
    meta: dict[str, Any] = {
        "edition": lang,
        "twin_lang": other,
        "twin_href": pages.twin_href(url, lang),
        "twin_label": "繁體" if other == "zh-Hant" else "简体",
    }
    if description:  # Material prints it unescaped into <meta name="description" content="...">
        meta["description"] = render.esc(description)
    if citation:  # (name, text) pairs; overrides/main.html escapes each text as it prints it
        meta["citation"] = citation
    if src in NO_SEARCH or src.endswith(NO_SEARCH_SUFFIX):
        meta["search"] = {"exclude": True}
    return meta


def citation(edition: pages.Edition, src: str) -> list[tuple[str, str]]:
    """A document page's dcterms.* and og:site_name tags (cite.dublin_core); none for any other page."""
    d = pages.document_at(edition.docs, src)
    return cite.dublin_core(d, edition.lang, edition.conv(pages.HOME_TITLE)) if d is not None else []


# --------------------------------------------------------------------------- hosting

_SENTENCE = re.compile(r".+?[。！？]|.+$", re.DOTALL)
_MARKUP = [(re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"\{[^}]*\}|<[^>]*>|[`*_]"), "")]


def first_sentence(text: str) -> str:
    """The first sentence of a text (up to and including 。！？), whitespace collapsed."""
    text = " ".join(text.split())
    m = _SENTENCE.match(text)
    return m.group(0).strip() if m else ""


def lead_paragraph(markdown: str) -> str:
    """The first prose paragraph of a hand-written page, as plain text (links keep their
    words; headings, lists, tables, quotes, HTML blocks and attribute lists are skipped)."""
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block or block[0] in "#-*>|<`{!" or re.match(r"\d+\.\s", block) or block.startswith("---"):
            continue
        for pattern, repl in _MARKUP:
            block = pattern.sub(repl, block)
        return block
    return ""


def describe(edition: pages.Edition, src: str, markdown: str) -> str:
    """A page's description in its script (plain text, escaped by page_meta): a document's
    catalog summary; a generated page's intro, first sentence; a hand-written page's first
    paragraph, first sentence (converted for zh-Hant, as the page is)."""
    for d in edition.docs:
        if src == f"{d.entry.slug}.md":
            return d.entry.summary  # already in the edition's script (script.to_hant)
        if src == render.apparatus_src(d.entry.slug):
            title, intro = edition.apparatus_texts(d)
            return f"{title}。{first_sentence(intro)}"
    if src in pages.INTROS:
        return first_sentence(edition.conv(pages.INTROS[src]))
    return first_sentence(edition.conv(lead_paragraph(markdown)))


#: What only the offline bundle needs: the iframe-worker shim runs Material's search worker in an
#: iframe under file:// and does nothing on a server, where it would be one more script blocking
#: the first paint of every page.
FILE_ONLY_SCRIPTS = ("assets/vendor/iframe-worker/shim.js",)


def head_scripts(polyfills: list[str], directory_urls: bool) -> list[str]:
    """extra.polyfills for this build: the hosted site (directory URLs) leaves out FILE_ONLY_SCRIPTS;
    the offline bundle (`--no-directory-urls`, tools/offline.py) keeps them."""
    return [p for p in polyfills if not directory_urls or p not in FILE_ONLY_SCRIPTS]


def edition_site_url(site_url: str | None, lang: str) -> str | None:
    """SITE_URL (mkdocs.yml: `site_url: !ENV [SITE_URL, ""]`) is the Simplified edition's root;
    the zh-Hant edition lives under <SITE_URL>zh-Hant/. Unset stays unset."""
    if not site_url or lang != "zh-Hant":
        return site_url or None
    return site_url.rstrip("/") + "/zh-Hant/"


def not_found(edition: pages.Edition, site_url: str | None) -> dict[str, str]:
    """What overrides/404.html needs, in the edition's script. A static host serves the 404
    page for a missing path at any depth, so its links are absolute paths from `base`: the
    path of site_url when set; else the site is assumed at the host's root (/, /zh-Hant/)."""
    hant = edition.lang == "zh-Hant"
    base = (urlsplit(site_url).path or "/") if site_url else ("/zh-Hant/" if hant else "/")
    if not base.endswith("/"):
        base += "/"
    twin = base[: -len("zh-Hant/")] if hant and base.endswith("/zh-Hant/") else base + "zh-Hant/"
    c, other = edition.conv, "zh-Hans" if hant else "zh-Hant"
    return {"base": base, "title": c(pages.NOT_FOUND_TITLE), "text": c(pages.NOT_FOUND_TEXT),
            "contents": c(pages.NOT_FOUND_CONTENTS), "twin_href": twin, "twin_lang": other,
            "twin_label": "简体" if hant else "繁體", "twin_title": c(pages.NOT_FOUND_TWIN[other])}
