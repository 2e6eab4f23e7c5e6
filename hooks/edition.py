"""MkDocs event hooks: a few lines each over the pure core in hooks/reader/.

Data flow: on_config loads the corpus (seeds -> clean -> structure -> script) for the
edition named by `extra.edition` (zh-Hans in mkdocs.yml, zh-Hant in mkdocs.zh-Hant.yml),
sets the nav, teaches jieba our names and reads what READER_DOWNLOADS ships and the seeds (reader/downloads.py); on_pre_build refuses a docs/ file that is not a
regular file inside the project (before MkDocs walks docs/) and routes the search index through
reader/searchcache.py (saved in on_post_build); on_env gives Jinja a compiled-template cache; on_files adds every generated page as
File.generated (nothing is written into docs/), edition.json with its schema, the downloads and
the seeds with their SHA256SUMS (sources/) (zh-Hans build: the site root), and Material's search worker and bundle with their
handling of our queries corrected (reader/searchfix.py); on_page_markdown converts hand-written
pages to zh-Hant in that edition and gives every page its twin link for the template; generated
pages' finished HTML blocks skip Markdown (stashed there, restored in on_page_content).
Bad input raises PluginError with the file, line and field, so the build stops cleanly.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from reader import corpuscache, downloads, jsonedition, pages, rawhtml, searchcache, searchfix, searchmap, site  # noqa: E402
from reader.model import EditionError  # noqa: E402

log = get_plugin_logger(__name__)
_state: dict = {}


@event_priority(100)  # before the search plugin, so jieba knows our words
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    lang = config.extra.get("edition", "zh-Hans")
    try:
        edition, terms = site.load_edition(root, lang)
        edition.downloads, _state["downloads"] = downloads.found(root)  # READER_DOWNLOADS (make publish)
        edition.sources, _state["sources"] = downloads.sources(root, [d.entry.seed for d in edition.docs])
    except EditionError as exc:
        raise PluginError(f"reader edition: {exc}") from None
    except Exception as exc:  # a bug, or input no check foresaw: still one clear line, no traceback
        log.debug("reader edition failed", exc_info=True)
        raise PluginError(f"reader edition: unexpected {type(exc).__name__}: {exc} "
                          f"(run `mkdocs build -v` for the traceback)") from None
    _state["teach"] = functools.partial(site.teach_jieba, terms)  # jieba's dictionary (~0.4 s) is
    if not searchcache.open_memo(root, site.jieba_words(terms)):  # loaded only when a page or the map
        _state["teach"]()  # needs segmenting: with the caches warm, never
    config.nav = edition.nav()
    config.site_url = site.edition_site_url(config.site_url, lang)  # SITE_URL, + zh-Hant/ for zh-Hant
    config.extra["not_found"] = site.not_found(edition, config.site_url)  # overrides/404.html
    config.extra["polyfills"] = site.head_scripts(config.extra.get("polyfills", []), config.use_directory_urls)
    _state["edition"] = edition
    _state["stash"] = {}
    log.info(f"{lang}: {len(edition.docs)} documents, {sum(len(d.changes) for d in edition.docs)} changes")
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    searchcache.install(getattr(config.plugins.get("material/search"), "search_index", None), _state["teach"])
    if problem := site.docs_problem(config):  # before MkDocs walks docs/ (it follows symlinks, even in loops)
        raise PluginError(f"reader edition: {problem}")


def on_post_build(config: MkDocsConfig) -> None:
    searchcache.save()


def on_env(env, config: MkDocsConfig, files: Files):
    env.bytecode_cache = site.template_cache(Path(config.config_file_path).resolve().parent)
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    generated: dict[str, File] = {}
    renderers = _state["edition"].pages()
    for src in renderers:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"reader edition: docs/{src} clashes with "
                              f"{pages.page_owner(_state['edition'].docs, src)}; rename one of them")
        generated[src] = File.generated(config, src, content="")
        files.append(generated[src])
    for src, render_page in renderers.items():
        generated[src].content_string = render_page(site.href_from(generated, generated[src]))
    root = Path(config.config_file_path).resolve().parent  # the query map of docs/assets/search.js:
    edition = _state["edition"]  # the map depends on the corpus and code alone: cached with the corpus
    files.append(File.generated(config, searchmap.PATH, content=corpuscache.derived(
        root, f"searchmap-{edition.lang.lower()}", functools.partial(_search_map, root, edition))))
    if edition.lang == "zh-Hans":  # the JSON edition (reader/jsonedition.py), once, in the site root; like the
        files.append(File.generated(config, "edition.json", content=corpuscache.derived(  # map, cached with the corpus
            root, "edition-json", lambda: jsonedition.for_site(root, edition))))
        files.append(File.generated(config, jsonedition.SCHEMA, abs_src_path=str(jsonedition.SCHEMA_PATH)))
        for d, path in zip(edition.downloads, _state["downloads"]):  # the zip and PDFs of make publish
            files.append(File.generated(config, f"{downloads.FOLDER}/{d.name}", abs_src_path=str(path)))
        for d, path in zip(edition.sources, _state["sources"]):  # the seeds, byte for byte, and SHA256SUMS
            files.append(File.generated(config, f"{downloads.SOURCES}/{d.name}", abs_src_path=str(path)))
    for theirs, which in [(f, k) for f in files if (k := searchfix.kind(f.src_uri))]:  # Material's search
        files.remove(theirs)  # worker and bundle, with their handling of our queries corrected
        try:
            js = searchfix.patch(Path(str(theirs.abs_src_path)).read_text(encoding="utf-8"), which, theirs.src_uri)
        except EditionError as exc:
            raise PluginError(f"reader edition: {exc}") from None
        files.append(File.generated(config, theirs.src_uri, content=js))
    return files


def _search_map(root: Path, edition: pages.Edition) -> str:
    _state["teach"]()  # the map segments with jieba: our words first
    return searchmap.for_edition(root, edition)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    edition = _state["edition"]
    src = page.file.src_uri
    page.meta.update(site.page_meta(page.url, edition.lang, src, site.describe(edition, src, markdown),
                                    site.citation(edition, src)))
    if edition.lang == "zh-Hant" and page.file.generated_by is None:
        markdown = edition.conv.markdown(markdown)
    if page.file.generated_by is not None:  # finished HTML blocks skip Markdown (reader/rawhtml.py)
        markdown, _state["stash"][page.file.src_uri] = rawhtml.stash(markdown)
    return markdown


@event_priority(100)  # the blocks are back before any other reader of page.content
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    chunks = _state["stash"].pop(page.file.src_uri, [])
    if chunks and page.present_anchor_ids is not None:  # for MkDocs' anchor validation
        page.present_anchor_ids |= rawhtml.ids(chunks)
    return rawhtml.restore(html, chunks)
