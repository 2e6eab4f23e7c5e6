"""reader/segcache.py: the search index's segmentations are remembered, never changed."""
from __future__ import annotations

import sys
from pathlib import Path

import jieba
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from reader import segcache  # noqa: E402

TEXT = "奥特曼谈到了通用人工智能和算力的瓶颈".encode()


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(jieba, "cut", jieba.cut)  # put back after the test
    monkeypatch.setattr(segcache, "_state", {"memo": None, "path": None, "dirty": False, "cut": None, "used": set()})
    monkeypatch.delenv("READER_CORPUS_CACHE", raising=False)


def test_remembered_between_builds_and_equal_to_jieba(tmp_path, fresh):
    expected = list(jieba.dt.cut(TEXT))
    segcache.install(tmp_path, ["奥特曼"])
    assert list(jieba.cut(TEXT)) == expected
    segcache.save()
    files = list((tmp_path / ".cache" / "segments").glob("*.pickle"))
    assert len(files) == 1
    segcache._state["cut"] = lambda *a, **k: pytest.fail("the memo should answer")  # a new build: memo only
    segcache.install(tmp_path, ["奥特曼"])
    assert list(jieba.cut(TEXT)) == expected


def test_other_words_other_memo_and_unused_texts_dropped(tmp_path, fresh):
    segcache.install(tmp_path, ["奥特曼"])
    list(jieba.cut(TEXT))
    list(jieba.cut("另一段文字".encode()))
    segcache.install(tmp_path, ["奥特曼", "莱特卡普"])  # saves the first, starts a second
    list(jieba.cut(TEXT))
    segcache.save()
    assert len(list((tmp_path / ".cache" / "segments").glob("*.pickle"))) == 2
    segcache.install(tmp_path, ["奥特曼"])
    assert len(segcache._state["memo"]) == 2
    list(jieba.cut(TEXT))
    segcache.save()  # only what this build asked is kept
    segcache.install(tmp_path, ["奥特曼"])
    assert list(segcache._state["memo"]) == [TEXT]


def test_options_other_than_the_defaults_go_to_jieba(tmp_path, fresh):
    segcache.install(tmp_path, [])
    assert list(jieba.cut(TEXT, cut_all=True)) == list(jieba.dt.cut(TEXT, cut_all=True))
    assert segcache._state["memo"] == {}


def test_no_caches_means_jieba_untouched(tmp_path, fresh, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "0")
    original = jieba.cut
    segcache.install(tmp_path, ["奥特曼"])
    assert jieba.cut is original and not (tmp_path / ".cache").exists()
