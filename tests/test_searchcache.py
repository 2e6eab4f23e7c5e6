"""reader/searchcache.py: the search index's entries are remembered per page, never changed."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from reader import searchcache  # noqa: E402

CONTENT = '<h1 id="top">访谈</h1><p>奥特曼谈到了通用人工智能。</p><h2 id="s1">算力</h2><p>算力是瓶颈。</p>'


def page(content: str = CONTENT, url: str = "a/") -> SimpleNamespace:
    toc = [SimpleNamespace(id="top", url="#top", children=[SimpleNamespace(id="s1", url="#s1", children=[])])]
    return SimpleNamespace(content=content, url=url, title="访谈", meta={}, toc=toc)


def index() -> SearchIndex:
    return SearchIndex(lang=["zh"], separator=r"[\s\u200b\-]", pipeline=[], fields={})


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(searchcache, "_state", {"memo": None, "path": None, "dirty": False, "used": set()})
    monkeypatch.delenv("READER_CORPUS_CACHE", raising=False)


def build(root: Path, pages: list) -> list[dict]:
    searchcache.open_memo(root, ["奥特曼"])
    idx = index()
    searchcache.install(idx)
    for p in pages:
        idx.add_entry_from_context(p)
    searchcache.save()
    return idx.entries


def test_entries_equal_materials_and_remembered(tmp_path, fresh):
    plain = index()
    plain.add_entry_from_context(page())
    assert build(tmp_path, [page()]) == plain.entries and len(plain.entries) == 2
    assert len(list((tmp_path / ".cache" / "search").glob("*.pickle"))) == 1
    searchcache._state["memo"] = None
    with pytest.MonkeyPatch.context() as m:  # a new build: the memo answers, Material's parser is not run
        m.setattr(SearchIndex, "add_entry_from_context", lambda self, p: pytest.fail("parsed again"))
        assert build(tmp_path, [page()]) == plain.entries


def test_a_changed_page_is_indexed_again_and_the_old_entry_dropped(tmp_path, fresh):
    build(tmp_path, [page(), page(url="b/")])
    changed = page(CONTENT.replace("瓶颈", "关键"))
    entries = build(tmp_path, [changed, page(url="b/")])
    assert "关键" in entries[1]["text"]
    searchcache.open_memo(tmp_path, ["奥特曼"])
    assert len(searchcache._state["memo"]) == 2  # the old a/ dropped: b/ and the new a/


def test_the_key_covers_what_the_index_reads(fresh):
    base = searchcache.key(page())
    assert searchcache.key(page(url="b/")) != base
    assert searchcache.key(page(CONTENT + " ")) != base
    p = page()
    p.meta["search"] = {"exclude": True}
    assert searchcache.key(p) != base
    p = page()
    p.toc[0].children[0].id = "s2"
    assert searchcache.key(p) != base


def test_no_caches_means_material_untouched(tmp_path, fresh, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "0")
    idx = index()
    searchcache.open_memo(tmp_path, ["奥特曼"])
    searchcache.install(idx)
    assert "add_entry_from_context" not in vars(idx) and not (tmp_path / ".cache").exists()


def test_jieba_taught_only_when_a_page_must_be_indexed(tmp_path, fresh):
    taught = []
    for expected in (1, 0):  # the first build indexes the page, the second finds it remembered
        searchcache.open_memo(tmp_path, ["奥特曼"])
        idx = index()
        searchcache.install(idx, lambda: taught.append(1))
        idx.add_entry_from_context(page())
        searchcache.save()
        assert len(taught) == expected
        taught.clear()
