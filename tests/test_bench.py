"""The bench's helpers, not its timings: tools/synth.py (N times the seeds as N times the
documents, each copy reading exactly as its original) and hooks/reader/corpuscache.py (the
key follows every input and the code; a cached corpus renders the same pages as a fresh one).
Data flow: the real project -> synth copy / cache key / corpus (fresh, cached) -> assertions.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import synth  # tools/synth.py
from conftest import ROOT
from reader import corpus, corpuscache, pages, read


def test_copy_names():
    assert synth.copy_name("001_ab.txt", 2) == "001_ab-x002.txt"
    assert synth.copy_name("2025-01-bloomberg-altman", 12) == "2025-01-bloomberg-altman-x012"


def test_extend_data_keeps_tables_sorted_and_scoped():
    rules = [{"doc": "a", "line": "x"}, {"doc": "a", "line": "y"}, {"doc": "b", "line": "x"}]
    out = synth.extend_data(rules, ["a", "b"], 3)
    assert [(r["doc"], r["line"]) for r in out] == [
        ("a", "x"), ("a", "y"), ("a-x002", "x"), ("a-x002", "y"), ("a-x003", "x"), ("a-x003", "y"),
        ("b", "x"), ("b-x002", "x"), ("b-x003", "x")]
    assert [(r["doc"], r["line"]) for r in out] == sorted((r["doc"], r["line"]) for r in out)
    table = synth.extend_data([{"find": "f", "docs": ["b"]}, {"find": "g"}], ["a", "b"], 2)
    assert table == [{"find": "f", "docs": ["b", "b-x002"]}, {"find": "g"}]
    at = synth.extend_data([{"at": "a#p1-2", "speaker": "s"}], ["a"], 2)
    assert [r["at"] for r in at] == ["a#p1-2", "a-x002#p1-2"]
    assert synth.extend_data({"a": {"heading": "h"}}, ["a"], 2) == {"a": {"heading": "h"}, "a-x002": {"heading": "h"}}


def test_synthesize_makes_n_times_the_documents(tmp_path):
    dest = synth.synthesize(tmp_path / "p", 3)
    seeds = dest / "seeds"
    originals = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    names = sorted(p.name for p in seeds.glob("*.txt"))
    assert len(names) == 3 * len(originals)
    for name in originals:  # copies are byte-identical, under new names
        assert (seeds / synth.copy_name(name, 3)).read_bytes() == (ROOT / "seeds" / name).read_bytes()
    entries = read.load_catalog(seeds)  # the project's own validation accepts the catalog
    assert len({e.slug for e in entries}) == len(names)
    sums = (seeds / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split()[1] for line in sums) == names
    lock = (seeds / "anchors.lock").read_text(encoding="utf-8")
    slug = entries[0].slug
    assert lock.count(f"\n{synth.copy_name(slug, 2)}\t") == lock.count(f"\n{slug}\t") > 0
    ignored = yaml.safe_load((seeds / "timeline.yml").read_text(encoding="utf-8"))["ignored"]
    assert any(i["ref"].startswith(synth.copy_name(slug, 3) + "#") for i in ignored)
    assert not (ROOT / "seeds" / synth.copy_name(originals[0], 2)).exists()  # the real project untouched


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return synth.synthesize(tmp_path_factory.mktemp("cache") / "p", 1)


def test_cache_key_follows_seeds_tables_and_code(project, monkeypatch):
    first = corpuscache.key(project)
    assert first and corpuscache.key(project) == first
    table = project / "seeds" / "corrections" / "typos.yml"
    before = table.read_bytes()
    table.write_bytes(before + b"# a comment is content too\n")
    assert corpuscache.key(project) != first
    table.write_bytes(before)
    assert corpuscache.key(project) == first
    (project / "seeds" / "extra.yml").write_text("[]\n", encoding="utf-8")
    assert corpuscache.key(project) != first
    (project / "seeds" / "extra.yml").unlink()
    monkeypatch.setattr(corpuscache, "_versions", lambda: "another OpenCC")
    assert corpuscache.key(project) != first
    monkeypatch.undo()
    code = project.parent / "code"
    shutil.copytree(corpuscache._CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    (code / "script.py").write_text((code / "script.py").read_text(encoding="utf-8") + "\n# changed\n",
                                    encoding="utf-8")
    monkeypatch.setattr(corpuscache, "_CODE", code)
    assert corpuscache.key(project) != first


def test_key_refuses_a_link_out_of_the_project(project, tmp_path):
    outside = tmp_path / "secret.yml"
    outside.write_text("x\n", encoding="utf-8")
    link = project / "seeds" / "link.yml"
    link.symlink_to(outside)
    try:
        assert corpuscache.key(project) is None  # no key: corpus.load reports the file itself
    finally:
        link.unlink()


def rendered(c: corpus.Corpus) -> dict[str, str]:
    out = {}
    for lang in pages.EDITIONS:
        edition = pages.make_edition(c, lang)
        for src, render_page in edition.pages().items():
            out[f"{lang}/{src}"] = render_page(lambda s, a: f"{s}#{a}")
    return out


def test_cached_corpus_renders_the_same_pages(project, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    corpuscache._memo.clear()
    fresh = corpus.load(project)
    first = corpuscache.load(project)  # a miss: loads and writes the file
    files = list((project / corpuscache.CACHE_DIR).glob("*.pickle"))
    assert [f.name for f in files] == [f"{corpuscache.key(project)}.pickle"]
    assert corpuscache.load(project) is first  # the memo: the second edition of one build
    corpuscache._memo.clear()
    cached = corpuscache.load(project)  # from the file
    assert cached is not first
    assert rendered(cached) == rendered(fresh)
    files[0].write_bytes(b"not a pickle")  # a damaged file is rebuilt, not trusted
    corpuscache._memo.clear()
    assert rendered(corpuscache.load(project)) == rendered(fresh)


def test_derived_text_is_made_once_per_key(project, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    calls = []

    def make() -> str:
        calls.append(1)
        return "地图\n"

    assert corpuscache.derived(project, "searchmap-zh-hans", make) == "地图\n"
    assert corpuscache.derived(project, "searchmap-zh-hans", make) == "地图\n"
    assert len(calls) == 1  # the second came from .cache/corpus/<key>.searchmap-zh-hans.txt
    table = project / "seeds" / "corrections" / "typos.yml"
    before = table.read_bytes()
    table.write_bytes(before + b"# changed\n")
    try:
        corpuscache.derived(project, "searchmap-zh-hans", make)
        assert len(calls) == 2  # a new key: made again
    finally:
        table.write_bytes(before)
    monkeypatch.setenv("READER_CORPUS_CACHE", "0")
    corpuscache.derived(project, "searchmap-zh-hans", make)
    assert len(calls) == 3


def test_each_seed_cleans_alike_with_its_scoped_tables(project):
    """corpuscache.cleaner calls clean.run with the tables scoped to the document (and keys it on
    them): every seed must clean exactly as with the whole tables."""
    from reader import clean

    entries = read.load_catalog(project / "seeds")
    tables = corpus.load_tables(project / "seeds", {e.slug for e in entries})
    tables.ngrams = clean.mojibake.Ngrams.of(read.read_seed(project / "seeds", e) for e in entries)
    for entry in entries:
        text = read.read_seed(project / "seeds", entry)
        assert clean.run(entry, text, corpuscache.scoped(tables, entry.slug)) == clean.run(entry, text, tables)


def test_a_rule_change_recleans_only_its_documents(project, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    from reader import clean

    cleaned: list[str] = []
    real_run = clean.run
    monkeypatch.setattr(clean, "run", lambda entry, *a: cleaned.append(entry.slug) or real_run(entry, *a))
    corpuscache._memo.clear()
    corpuscache.load(project)
    table = project / "seeds" / "corrections" / "typos.yml"
    before = table.read_bytes()
    text = before.decode("utf-8")
    assert text.count("replace: 之类的话\n") == 1  # a rule scoped to docs: [2025-01-bloomberg-altman]
    table.write_text(text.replace("replace: 之类的话\n", "replace: 之类的甲乙话\n"), encoding="utf-8")
    try:
        cleaned.clear()
        changed = corpuscache.load(project)
        assert cleaned == ["2025-01-bloomberg-altman"]
        corpuscache._memo.clear()
        corpuscache._clean_memo.clear()  # from .cache/corpus/clean/ now
        shutil.rmtree(project / corpuscache.CACHE_DIR / "clean")
        corpuscache.load(project)  # the corpus pickle: nothing cleaned
        assert rendered(changed) == rendered(corpus.load(project))
    finally:
        table.write_bytes(before)


def test_a_rule_change_redoes_the_later_stages_only_for_its_document(project, monkeypatch):
    """corpuscache's StageMemo: after a one-line edit, annotate and readings run again for the
    document whose text changed, and the corpus equals a fresh load of the edited sources."""
    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    from reader import readings

    redone: list[str] = []
    real_apply = readings.apply
    monkeypatch.setattr(readings, "apply", lambda d, raw: redone.append(d.entry.slug) or real_apply(d, raw))
    corpuscache._memo.clear()
    shutil.rmtree(project / corpuscache.CACHE_DIR, ignore_errors=True)  # a miss: corpus.load runs
    corpuscache.load(project)
    table = project / "seeds" / "corrections" / "typos.yml"
    before = table.read_bytes()
    text = before.decode("utf-8")
    table.write_text(text.replace("replace: 之类的话\n", "replace: 之类的丙丁话\n"), encoding="utf-8")
    try:
        redone.clear()
        changed = corpuscache.load(project)
        assert redone == ["2025-01-bloomberg-altman"]
        monkeypatch.setenv("READER_CORPUS_CACHE", "0")
        fresh = corpus.load(project)
        assert changed.docs == fresh.docs and changed.timeline == fresh.timeline
        assert rendered(changed) == rendered(fresh)
        assert "丙丁" in "".join(p.text for d in changed.docs for p in d.paragraphs())
    finally:
        table.write_bytes(before)


def test_stage_memo_calls_once_per_key_and_keeps_the_last_load():
    memo, calls = corpuscache.StageMemo(), []

    def f(x):
        calls.append(x)
        return [x]

    memo.turn()
    a = memo("s", ("k", 1), f, 1)
    assert memo("s", ("k", 1), f, 1) is a and calls == [1]
    memo.turn()  # the next load: what the last one used is found again
    assert memo("s", ("k", 1), f, 1) is a and calls == [1]
    assert memo("t", ("k", 1), f, 2) == [2] and calls == [1, 2]  # another stage, same key: its own entry
    memo.turn()
    memo.turn()  # an empty load does not forget
    assert memo("t", ("k", 1), f, 2) == [2] and calls == [1, 2]
    memo.turn()
    memo("s", ("k", 9), f, 9)
    memo.turn()  # ("s", ("k", 1)) was not used by the last load: gone
    memo("s", ("k", 1), f, 1)
    assert calls == [1, 2, 9, 1]
