"""The citation API: good references resolve, bad ones name file, line and field.

Data flow: the real corpus -> anchors.resolve(reference) -> (Document, anchor) | EditionError.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader import anchors, corpus
from reader.model import EditionError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs():
    return corpus.load(ROOT).docs


@pytest.mark.parametrize("ref,anchor", [
    ("2024-12-dealbook-altman", "top"), ("2024-12-dealbook-altman#p9-3", "p9-3"),
    ("2025-01-bloomberg-altman#s7", "s7"), (" 2024-10-ray-summit-weil#top ", "top"),
])
def test_good_references_resolve(docs, ref, anchor):
    doc, got = anchors.resolve(docs, ref, "seeds/x.yml", 3, "cite")
    assert got == anchor and doc.entry.slug == ref.strip().split("#")[0]


@pytest.mark.parametrize("ref,words", [
    ("2024-12-dealbook-altman#p99-1", "has no anchor #p99-1"),
    ("no-such-doc#p1-1", "no document 'no-such-doc'"),
    ("2024-12-dealbook-altman#第一段", "not a reference"),
    ("2024-12-dealbook-altman#p1-2#x", "not a reference"),
    (12, "not a reference"),
    (None, "not a reference"),
])
def test_bad_references_name_file_line_field(docs, ref, words):
    with pytest.raises(EditionError) as info:
        anchors.resolve(docs, ref, "seeds/timeline.yml", 7, "cite")
    assert str(info.value).startswith("seeds/timeline.yml:7: cite: ") and words in str(info.value)
