"""The search index's entries, remembered per page between builds.

Data flow::

    site.jieba_words(terms) -> the words jieba will know (its dictionary + ours)
        --open_memo(root, words)--> .cache/search/<state>.pickle loaded if there, where
                                    state = sha256(jieba version, dictionary file, our words),
                                    read through corpuscache.read_pickle (safeio: a regular file
                                    inside the project)
    on_pre_build: install(search_index, teach) wraps Material's SearchIndex.add_entry_from_context:
        page --key(page): url, title, meta (title, tags, search), toc ids and urls, content-->
            hit:  the entries it made last time, appended as they were (copies)
            miss: teach() (site.teach_jieba: jieba's dictionary loaded, our words added, once),
                  then Material parses and segments the page (jieba) and appends; remembered
    on_post_build: save() writes the memo back, the pages this build indexed only, when it
        learnt or dropped something (corpuscache.write_bytes: a temporary file, then a rename)

Parsing every page's HTML and segmenting every section with jieba is most of the search
plugin's time (about a second for both editions); an entry depends on nothing but the inputs
in the key and jieba's dictionary, so the index is byte-identical with or without the memo (the
bench and tests/test_bench.py compare cached and uncached builds). With the build caches off
(corpuscache.enabled(): READER_CORPUS_CACHE=0) the search plugin is left as it is.
"""
from __future__ import annotations

import copy
import hashlib
import json
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import corpuscache

_state: dict[str, Any] = {"memo": None, "path": None, "dirty": False, "used": set()}


def state_key(words: Iterable[str]) -> str:
    """jieba's dictionary state: its version, its dictionary file and the words we taught it."""
    import jieba

    h = hashlib.sha256()
    h.update(f"{getattr(jieba, '__version__', '?')}\0{jieba.dt.dictionary}\0".encode())
    for word in sorted(set(words)):
        h.update(word.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def _toc(items: Any) -> list:
    return [[str(i.id), str(i.url), _toc(i.children)] for i in items or []]


def key(page: Any) -> str:
    """Everything of a page that Material's SearchIndex reads."""
    meta = {k: page.meta.get(k) for k in ("title", "tags", "search")}
    parts = (str(page.url), str(page.title), json.dumps(meta, sort_keys=True, default=str, ensure_ascii=False),
             json.dumps(_toc(page.toc), ensure_ascii=False), page.content or "")
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def open_memo(root: Path, words: Iterable[str]) -> bool:
    """Start this edition's memo, for jieba's state after `words` were taught (saving the last);
    False when caches are off (then nothing is remembered and jieba must be taught at once)."""
    if not corpuscache.enabled():
        return False
    save()
    path = root / ".cache" / "search" / f"{state_key(words)}.pickle"
    memo = corpuscache.read_pickle(root, path, dict) or {}  # none yet or unreadable: made anew
    _state.update(memo=memo, path=path, dirty=False, used=set())
    return True


def install(search_index: Any, before_miss: Callable[[], object] = lambda: None) -> None:
    """Route this build's SearchIndex.add_entry_from_context through the memo; `before_miss` runs
    before Material indexes a page itself (it teaches jieba our words: loading jieba's dictionary
    is left until a page needs segmenting)."""
    if not corpuscache.enabled() or _state["memo"] is None or search_index is None:
        before_miss()
        return
    original = search_index.add_entry_from_context

    def add_entry_from_context(page: Any) -> None:
        memo, k = _state["memo"], key(page)
        _state["used"].add(k)
        if k in memo:
            search_index.entries.extend(copy.deepcopy(memo[k]))
            return
        before_miss()
        before = len(search_index.entries)
        original(page)
        memo[k] = copy.deepcopy(search_index.entries[before:])
        _state["dirty"] = True

    search_index.add_entry_from_context = add_entry_from_context


def save() -> None:
    """Write the memo back with only the pages this build indexed, if it learnt or dropped any."""
    path, memo, used = _state["path"], _state["memo"], _state["used"]
    if path is None or memo is None or not (_state["dirty"] or len(used) < len(memo)):
        return
    memo = _state["memo"] = {k: memo[k] for k in sorted(used)}
    _state["dirty"] = False
    corpuscache.write_bytes(path.parent, path.name, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))
