"""Jieba's segmentations for the search index, remembered between builds.

Data flow::

    site.teach_jieba(terms)            the words jieba knows now (its dictionary + ours)
        --install(root, words)-->      jieba.cut replaced by a memo for that dictionary state:
                                       .cache/segments/<key>.pickle loaded if there, where
                                       key = sha256(jieba version, dictionary file, our words)
    Material's search plugin --jieba.cut(bytes)--> the memo --miss--> jieba's own cut
        --save()--> (on_post_build) the memo written back, the texts this build asked only, when
                it learnt or dropped something

Segmenting every section of both editions is the largest single cost of the search index
(about a second); the memo returns exactly what jieba returned for the same text with the same
dictionary, so the index is byte-identical with or without it. Only calls with jieba's
defaults (no cut_all, HMM on, no paddle) are remembered; any other call goes straight to jieba.
READER_CORPUS_CACHE=0 (no caches at all) leaves jieba.cut untouched.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_state: dict[str, Any] = {"memo": None, "path": None, "dirty": False, "cut": None, "used": set()}


def _key(words: Iterable[str]) -> str:
    import jieba

    h = hashlib.sha256()
    h.update(f"{getattr(jieba, '__version__', '?')}\0{jieba.dt.dictionary}\0".encode())
    for word in sorted(set(words)):
        h.update(word.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def install(root: Path, words: Iterable[str]) -> None:
    """Route jieba.cut through a memo kept for this dictionary state (one per word list)."""
    if os.environ.get("READER_CORPUS_CACHE", "1") == "0":
        return
    import jieba

    save()  # the previous state's memo, if a second edition taught more words
    if _state["cut"] is None:
        _state["cut"] = jieba.dt.cut
    path = root / ".cache" / "segments" / f"{_key(words)}.pickle"
    memo: dict[bytes | str, tuple[str, ...]] = {}
    try:
        with open(path, "rb") as f:
            loaded = pickle.load(f)
        if isinstance(loaded, dict):
            memo = loaded
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        pass  # no memo yet, or an unreadable one: jieba segments, and the memo is written anew
    _state.update(memo=memo, path=path, dirty=False, used=set())
    jieba.cut = cut


def cut(sentence: Any, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False) -> Iterator[str]:
    """jieba.cut, remembered for jieba's default options."""
    memo = _state["memo"]
    if memo is None or cut_all or not HMM or use_paddle or not isinstance(sentence, (bytes, str)):
        return _state["cut"](sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
    _state["used"].add(sentence)
    words = memo.get(sentence)
    if words is None:
        words = memo[sentence] = tuple(_state["cut"](sentence))
        _state["dirty"] = True
    return iter(words)


def save() -> None:
    """Write the memo back, with only what this build asked (texts that changed are dropped), if
    it learnt or dropped anything (atomically: a temp file renamed)."""
    path, memo, used = _state["path"], _state["memo"], _state["used"]
    if path is None or memo is None or not (_state["dirty"] or len(used) < len(memo)):
        return
    memo = _state["memo"] = {k: memo[k] for k in used}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(memo, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _state["dirty"] = False
    except OSError:
        pass  # a read-only project builds without the memo
