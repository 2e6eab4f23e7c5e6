"""Readings: the correction marks put the source's reading back exactly where the edition
changed it, and every mark is accounted for by a logged Change.

Data flow: the real corpus (corpus.load) + the seeds' raw lines -> readings marks -> checks.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader import corpus, read, readings
from reader.model import Change, Mark

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real():
    return corpus.load(ROOT)


def norm(text: str) -> str:
    """Character by character into Simplified: the same whatever the context."""
    return "".join(readings._t2s().convert(ch) for ch in text)


def revert(text: str, marks: list[Mark]) -> str:
    out, at = [], 0
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        out += [text[at:m.start], m.note]
        at = m.end
    return "".join(out + [text[at:]])


def test_a_removed_reading_a_mark_and_a_label_skipped():
    raw = "奥特曼:我认(rèn)为,好"
    text = "我认为，好"
    changes = [(0, Change("d", 1, "pinyin", "认(rèn)", "认", "删去拼音", "pypinyin-reading")),
               (1, Change("d", 1, "punctuation", ",", "，", "半角改全角", "punct:fullwidth"))]
    marks = readings.marks_for(raw, text, raw, changes)
    assert [(m.start, m.end, m.note, m.key) for m in marks] == [(2, 2, "(rèn)", "0"), (3, 4, ",", "1")]
    assert revert(text, marks) == raw[len("奥特曼:"):]


def test_reverting_every_mark_gives_back_the_source_line(real):
    """Property over the whole corpus: put each mark's note in place of what it covers and
    the paragraph is its source line again (in Simplified characters; the leading speaker
    label, bullet or number is layout, not a correction)."""
    checked = 0
    for doc in real.docs:
        raw_lines = read.read_seed(ROOT / "seeds", doc.entry).split("\n")
        for p in doc.paragraphs():
            if len(p.lines) != 1:
                continue
            raw = raw_lines[p.lines[0] - 1].strip()
            marks = [m for m in p.marks if m.kind == "correction"
                     and not all(doc.changes[int(k)].kind in readings.WHOLE_LINES for k in m.key.split(",") if k)]
            back = revert(p.text, marks)  # notes are raw (Traditional where the seed was)
            tail = raw[len(raw) - len(back):]  # what the leading label, bullet or number leaves
            whole = readings.in_script(raw, doc.entry.source_script)[len(raw) - len(back):]
            same = all(x == y or norm(x) == norm(y) or w == y for x, y, w in zip(tail, back, whole))
            assert len(back) <= len(raw) and same, f"{doc.entry.slug}#{p.id}: {tail[:60]!r} vs {back[:60]!r}"
            checked += 1
    assert checked > 600


def test_every_mark_is_accounted_for_by_a_logged_change(real):
    total = 0
    for doc in real.docs:
        for p in doc.paragraphs():
            for m in p.marks:
                if m.kind != "correction":
                    continue
                total += 1
                assert m.key, f"{doc.entry.slug}#{p.id}: {m.note!r} -> {p.text[m.start:m.end]!r} has no Change"
                assert all(0 <= int(k) < len(doc.changes) for k in m.key.split(","))
    assert total > 3000


def test_dropped_lines_are_shown_where_they_were(real):
    doc = next(d for d in real.docs if d.entry.slug == "2024-04-20vc-altman-lightcap")
    dropped = [m.note for p in doc.paragraphs() for m in p.marks if m.kind == "correction" and m.start == m.end
               and "共3" in m.note]
    assert dropped, "the pager of seed 003 is shown as a removed line in place"
