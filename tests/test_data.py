"""Tests of the data itself: seeds unchanged, tables sorted and free of duplicates, every
table entry used at least once (a dead rule fails), catalog complete.

Data flow: seeds/ -> reader.corpus.load -> assertions. No MkDocs.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reader import corpus, read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def loaded() -> corpus.Corpus:
    return corpus.load(ROOT)


def test_seeds_are_unchanged():
    """Sources are immutable: each seed still has the checksum recorded when it was copied in."""
    recorded = dict(reversed(line.split(maxsplit=1)) for line in (SEEDS / "SHA256SUMS").read_text().splitlines())
    recorded = {name.strip(): digest for name, digest in recorded.items()}
    actual = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    changed = sorted(n for n in recorded if actual.get(n) != recorded[n])
    assert not changed, f"seeds changed or missing: {changed}; sources are never edited by hand"
    new = sorted(set(actual) - set(recorded))
    assert not new, f"record new seeds: (cd seeds && sha256sum *.txt > SHA256SUMS); unrecorded: {new}"


def test_every_seed_has_one_catalog_entry(loaded):
    assert sorted(d.entry.seed for d in loaded.docs) == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_every_table_entry_is_used(loaded):
    assert loaded.unused_rules() == []


def test_every_zh_hant_entry_is_used():
    from reader import crosscheck, site

    edition, _ = site.load_edition(ROOT, "zh-Hant")  # converts every document, so every rule had its chance
    conv = edition.conv
    hans = corpus.load(ROOT)  # and the editors' texts, whose zh-Hant the data files hold as conv makes it
    for _, _, text, _ in crosscheck.data_items(hans.terms, hans.people, hans.timeline.events, conv):
        conv(text)
    unused = [f"{r.table}:{r.line}: {r.find!r}" for r in conv.rules if r.id not in conv.used]
    assert unused == []


@pytest.mark.parametrize("name", corpus.TABLES + ("zh-hant",))
def test_tables_parse_sorted_and_unique(name):
    path = SEEDS / "corrections" / f"{name}.yml"
    if not path.exists():
        pytest.skip(f"no {name} table")
    # parse_rules raises on unsorted or duplicate entries; loading them is the assertion
    slugs = {e.slug for e in read.load_catalog(SEEDS)}
    corpus.load_tables(SEEDS, slugs)


def test_reasons_are_given(loaded):
    for change in loaded.changes():
        assert change.reason.strip(), change


def test_every_change_has_an_anchor_on_its_page(loaded):
    for doc in loaded.docs:
        anchors = set(doc.anchors()) | {"top"}
        for change in doc.changes:
            assert change.anchor in anchors, change


def test_ids_are_ascii_and_unique(loaded):
    for doc in loaded.docs:
        ids = doc.anchors()
        assert len(ids) == len(set(ids)), doc.entry.slug
        assert all(i.isascii() and i.replace("-", "").isalnum() for i in ids)
