"""Corpus cache: corpus.load(root) once per content, for both editions and across builds.

Data flow::

    root -> key = sha256(every file under seeds/ (path + bytes, read through safeio),
                         every hooks/reader/**/*.py, Python and the text libraries' versions)
         -> in-process memo {(root, key): Corpus}          (the second edition of one build)
         -> .cache/corpus/<key>.pickle in the project      (the next build, `make serve`)
         -> else corpus.load(root), then both filled
    derived(root, name, make) -> .cache/corpus/<key>.<name>.txt: a text made from the corpus and
                                 the code alone (each edition's search map), under the same key
    on a miss, corpus.load cleans each seed through cleaner(root): per seed,
        (entry, seed text, scoped(tables, slug)) -> clean.run's (lines, changes), remembered under
        sha256(code and versions, pickle of those three arguments) in .cache/corpus/clean/<key>.pickle
        (and in the process), so a one-line change to a table re-cleans only the documents whose
        rules changed (a rule without `docs:` or in protect.yml: every document)
    and runs the later per-document stages (annotate, readings) and the n-gram count through
    StageMemo (in the process: result under sha256(pickle of the stage's inputs), kept from one
    load to the next); prime(root), which `make serve`'s worker calls between rebuilds, loads
    through it even when the pickle is there, so the fork after an edit redoes them only for
    the documents the edit changed

The key covers every input corpus.load reads (it reads only seeds/) and the code that reads
it, so a hit is the Corpus a fresh load would give: the site is byte-identical either way
(tests/test_bench.py). The file is written atomically (temporary file in the same folder,
then rename) and read only under its own key, through safeio (a regular file inside the
project); it lives in the project's git-ignored .cache/, never the shared /tmp, where another
user could plant a pickle. Only the newest KEEP files are kept. READER_CORPUS_CACHE=0 turns
both the memo and the file off (the bench's uncached runs). A seeds/ file that safeio refuses
gives no key: corpus.load then runs and reports it as it always does.

The per-seed memo calls clean.run with exactly the arguments its key hashes: the tables
scoped to the document (the boilerplate, conjectures, overconversion, names and typos rules
whose `doc`/`docs` name another document left out). clean.run never reads a rule scoped to another
document, so the scoped call cleans as the whole tables do (tests/test_bench.py checks it for
every seed); the cached and uncached builds are byte-identical.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import clean, corpus, safeio
from .model import CatalogEntry, Change, EditionError, Line

CACHE_DIR = Path(".cache") / "corpus"
KEEP = 4
CLEAN_DIR = CACHE_DIR / "clean"
#: Per-seed cleanings kept on disk (the newest; a few edits' worth for a corpus of 200 seeds).
KEEP_CLEAN = 800
#: Distributions whose data or behaviour shapes the cleaned corpus.
LIBRARIES = ("OpenCC", "pypinyin", "regex", "jieba", "PyYAML", "edtf", "cn2an", "zhconv-rs")
PICKLE_LIMIT = 1 << 30
_memo: dict[tuple[str, str], corpus.Corpus] = {}
_clean_memo: dict[str, bytes] = {}  # per-seed key -> pickled (lines, changes)
_CODE = Path(__file__).resolve().parent  # hooks/reader


def enabled() -> bool:
    return os.environ.get("READER_CORPUS_CACHE", "1") not in ("0", "", "off", "no")


def _versions() -> str:
    return _installed_versions()


@functools.cache
def _installed_versions() -> str:
    """Python's and LIBRARIES' versions, read once a process (importlib.metadata scans site-packages)."""
    out = [sys.version]
    for name in LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}: none")
    return "\n".join(out)


def _files(top: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found.extend(Path(dirpath, n) for n in sorted(filenames) if not n.endswith((".pyc", ".pyo")))
    return found


def _code(h) -> None:
    """Feed the library versions and the code of hooks/reader/ into the hash ``h``."""
    h.update(_code_digest(_CODE, _versions()))


@functools.lru_cache(maxsize=4)
def _code_digest(code: Path, versions: str) -> bytes:
    """The versions and the code under `code`, hashed once a process: the code that runs is the
    code imported (`make serve` starts a new worker when a file under hooks/ changes)."""
    h = hashlib.sha256(versions.encode())
    for path in _files(code):
        if path.suffix == ".py":
            h.update(b"\0code\0" + path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


def key(root: Path) -> str | None:
    """The content key of root's corpus, or None when a file under seeds/ is refused by safeio."""
    h = hashlib.sha256()
    _code(h)
    seeds = root / "seeds"
    try:
        for path in _files(seeds):
            rel = path.relative_to(root).as_posix()
            data = safeio.read_bytes(root, path, rel, safeio.LOCK_LIMIT)
            h.update(b"\0seed\0" + rel.encode() + b"\0" + hashlib.sha256(data).digest())
    except (EditionError, OSError):
        return None
    return h.hexdigest()


def read_pickle(root: Path, path: Path, kind: type) -> Any:
    """The `kind` object pickled in root's cache file `path` (read through safeio: a regular file
    inside the project), or None if it is missing, truncated or foreign (then it is made anew)."""
    if not path.is_file():
        return None
    try:
        data = safeio.read_bytes(root, path, str(path.relative_to(root)), PICKLE_LIMIT)
        loaded = pickle.loads(data)  # our own file, under its content key, in the project
    except (EditionError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
            TypeError, ValueError):  # a truncated or foreign file: rebuild it
        return None
    return loaded if isinstance(loaded, kind) else None


def _read(root: Path, path: Path) -> corpus.Corpus | None:
    return read_pickle(root, path, corpus.Corpus)


def _write(folder: Path, name: str, c: corpus.Corpus) -> None:
    write_bytes(folder, name, pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL))
    try:  # keep the newest KEEP corpora and the texts derived from them
        old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for path in old:
            for stale in folder.glob(path.stem + ".*"):
                stale.unlink(missing_ok=True)
    except OSError:
        pass


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    """folder/name holds data, or (on any error) is left as it was: a temporary file, then rename."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only project builds without the cache


def derived(root: Path, name: str, make: Callable[[], str]) -> str:
    """A text computed from the corpus and the code alone (the search map of one edition), kept
    as .cache/corpus/<key>.<name>.txt next to the corpus it came from: make() only on a miss."""
    if not enabled() or not re.fullmatch(r"[a-z0-9-]+", name):
        return make()
    root = root.resolve()
    k = key(root)
    if k is None:
        return make()
    folder, file = root / CACHE_DIR, f"{k}.{name}.txt"
    if (folder / file).is_file():
        try:
            return safeio.read_text(root, folder / file, f"{CACHE_DIR}/{file}", PICKLE_LIMIT)
        except (EditionError, UnicodeDecodeError):
            pass
    text = make()
    write_bytes(folder, file, text.encode("utf-8"))
    return text


def scoped(tables: clean.Tables, doc: str) -> clean.Tables:
    """The tables as the cleaning of document ``doc`` reads them: without the rules scoped to
    other documents (protect.yml and the n-grams are read whole)."""
    return dataclasses.replace(
        tables,
        boilerplate=[r for r in tables.boilerplate if r.doc == doc],
        conjectures=[r for r in tables.conjectures if r.doc == doc],
        overconversion=[r for r in tables.overconversion if r.applies(doc)],
        names=[r for r in tables.names if r.applies(doc)],
        typos=[r for r in tables.typos if r.applies(doc)],
    )


def cleaner(root: Path) -> corpus.Cleaner:
    """clean.run for corpus.load, remembered per seed: key = the code and library versions
    plus the pickled arguments (entry, text, tables scoped to the document; the n-grams of all
    seeds, shared by every seed, hashed once a load); in the process
    and in .cache/corpus/clean/<key>.pickle.  Each hit is unpickled afresh (the caller owns it)."""
    code = hashlib.sha256()
    _code(code)
    folder = root / CLEAN_DIR

    ngrams: list[Any] = [None, b""]  # the n-grams of this load and their digest: hashed once, not per seed

    def run(entry: CatalogEntry, text: str, tables: clean.Tables) -> tuple[list[Line], list[Change]]:
        args = (entry, text, scoped(tables, entry.slug))
        if ngrams[0] is not tables.ngrams:
            ngrams[:] = [tables.ngrams, hashlib.sha256(pickle.dumps(tables.ngrams, protocol=pickle.HIGHEST_PROTOCOL)).digest()]
        h = code.copy()
        h.update(ngrams[1])
        h.update(pickle.dumps((entry, text, dataclasses.replace(args[2], ngrams=None)), protocol=pickle.HIGHEST_PROTOCOL))
        k = h.hexdigest()
        data = _clean_memo.get(k)
        if data is None and (folder / f"{k}.pickle").is_file():
            try:
                data = safeio.read_bytes(root, folder / f"{k}.pickle", f"{CLEAN_DIR}/{k}.pickle", PICKLE_LIMIT)
                os.utime(folder / f"{k}.pickle")  # used: the newest KEEP_CLEAN stay
            except (EditionError, OSError):
                data = None
        if data is not None:
            try:
                lines, changes = pickle.loads(data)  # our own file, under its content key, in the project
                _clean_memo[k] = data
                return lines, changes
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError,
                    ValueError):  # a truncated or foreign file: clean again
                pass
        data = pickle.dumps(clean.run(*args), protocol=pickle.HIGHEST_PROTOCOL)
        _clean_memo[k] = data
        write_bytes(folder, f"{k}.pickle", data)
        return pickle.loads(data)  # as a hit gives it: the stages' memo keys (pickles) then match

    if len(_clean_memo) > 4 * KEEP_CLEAN:
        _clean_memo.clear()
    try:
        old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_CLEAN:]
        for path in old:
            path.unlink(missing_ok=True)
    except OSError:
        pass
    return run


class StageMemo:
    """corpus.load's `remember` in this process: a stage's result under sha256(pickle of its key),
    kept from one load to the next (the entries the last load used; `make serve`'s worker loads
    each new state of the sources, and each rebuild, a fork of it, inherits them)."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, bytes], Any] = {}
        self.now: dict[tuple[str, bytes], Any] = {}

    def turn(self) -> None:
        self.last, self.now = self.now or self.last, {}

    def __call__(self, stage: str, key: Any, fn: Callable[..., Any], *args: Any) -> Any:
        k = (stage, hashlib.sha256(pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)).digest())
        if k in self.now:
            return self.now[k]
        found = self.last[k] if k in self.last else fn(*args)
        self.now[k] = found
        return found


_stages = StageMemo()


def remember() -> corpus.Remember:
    """The stage memo for work done on a loaded corpus (the zh-Hant conversion of each document):
    corpus.direct with the caches off."""
    return _stages if enabled() else corpus.direct


_flags = {"write": True}


def in_memory_only() -> None:
    """For a `make serve` rebuild (a fork of the worker): a corpus loaded afresh is not pickled
    to .cache/corpus/; the worker does that when it primes the next rebuild (prime)."""
    _flags["write"] = False


def prime(root: Path) -> None:
    """For `make serve`'s worker (tools/buildworker.py), between rebuilds: load root's corpus
    through the stage memo even when its pickle is there, so that the fork that rebuilds after
    the next edit finds every stage of the documents the edit did not touch."""
    if not enabled():
        return
    root = root.resolve()
    k = key(root)
    if k is None:
        return
    _stages.turn()
    c = corpus.load(root, cleaner=cleaner(root), remember=_stages)
    if not (root / CACHE_DIR / f"{k}.pickle").is_file():
        _write(root / CACHE_DIR, f"{k}.pickle", c)
    _memo.clear()
    _memo[root.as_posix(), k] = c


def load(root: Path) -> corpus.Corpus:
    """corpus.load(root) (with the anchors lock), from the memo or the cache when the key matches."""
    if not enabled():
        return corpus.load(root)
    root = root.resolve()
    k = key(root)
    if k is None:
        return corpus.load(root)
    if (root.as_posix(), k) in _memo:
        return _memo[root.as_posix(), k]
    folder = root / CACHE_DIR
    c = _read(root, folder / f"{k}.pickle")
    if c is None:
        _stages.turn()
        c = corpus.load(root, cleaner=cleaner(root), remember=_stages)
        if _flags["write"]:
            _write(folder, f"{k}.pickle", c)
    _memo.clear()  # one project per process in practice: keep only the newest
    _memo[root.as_posix(), k] = c
    return c
