"""Site: what the MkDocs hook needs, as plain functions it can call in one line each.

Data flow: project root + edition -> (Edition, search terms) via corpus.load and pages;
generated File objects -> href(src, anchor) for render; page url -> page meta (twin link,
hreflang, search exclusion). The only module here that knows MkDocs' File API (by duck typing).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import corpus, pages, read, safeio
from .clean import table

NO_SEARCH = {"apparatus.md"}  # the apparatus repeats raw source text: keep it out of search


def load_edition(root: Path, lang: str) -> tuple[pages.Edition, list[str]]:
    c = corpus.load(root)
    slugs = {d.entry.slug for d in c.docs}
    hant_path = root / "seeds" / "corrections" / "zh-hant.yml"
    hant_rules = (table.parse_rules(read.load_yaml(hant_path, "seeds/corrections/zh-hant.yml"),
                                    "seeds/corrections/zh-hant.yml", slugs) if safeio.present(hant_path) else [])
    terms_path = root / "seeds" / "search-terms.yml"
    extra = read.load_yaml(terms_path, "seeds/search-terms.yml") if safeio.present(terms_path) else []
    if not isinstance(extra, list) or not all(isinstance(t, str) for t in extra):
        raise read.EditionError("seeds/search-terms.yml", 1, "terms", "must be a list of words")
    edition = pages.make_edition(c, lang, hant_rules)
    terms = pages.search_terms(c, extra)
    if lang == "zh-Hant":
        terms = sorted(set(terms) | {edition.conv(t) for t in terms})
    return edition, terms


def teach_jieba(terms: list[str]) -> None:
    import jieba

    safeio.jieba_cache(jieba.dt)
    for term in terms:
        jieba.add_word(term, freq=100000)


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


def page_meta(url: str, lang: str, src: str) -> dict[str, Any]:
    other = "zh-Hant" if lang == "zh-Hans" else "zh-Hans"
    meta: dict[str, Any] = {
        "edition": lang,
        "twin_lang": other,
        "twin_href": pages.twin_href(url, lang),
        "twin_label": "繁體" if other == "zh-Hant" else "简体",
    }
    if src in NO_SEARCH:
        meta["search"] = {"exclude": True}
    return meta
