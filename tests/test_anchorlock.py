"""Permanent anchors: seeds/anchors.lock and hooks/reader/anchorlock.py.

Data flow: cleaned lines -> structure.build (positional ids) -> anchorlock.apply(lock) ->
Document with the published ids; the real lock -> checked against the corpus (complete, up to
date) and against the built site (every locked anchor lands on the words it fingerprints).
"""
from __future__ import annotations

import html.parser
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from reader import anchorlock, anchors, corpus, structure
from reader.model import EditionError, Line
from test_structure_render import ENTRY

ROOT = Path(__file__).resolve().parent.parent
SLUG = ENTRY.slug

TEXT = ["开场白第一段，说明访谈的缘起。", "主持人：第一个问题是什么？", "SA：第一个回答很长。",
        "第一节的标题", "第一节第一段的内容。", "第一节第二段的内容。", "第二节的标题", "第二节唯一的一段。"]


def doc_of(lines: list[str]):
    return structure.build(ENTRY, [Line(i, t) for i, t in enumerate(lines, start=1)])


def lock_of(doc) -> list[anchorlock.Locked]:
    entries, problems = anchorlock.update([doc], {})
    assert not problems
    return anchorlock.parse(anchorlock.dump(entries), {SLUG})[SLUG]


def texts(doc) -> dict[str, str]:
    out = {s.id: s.heading for s in doc.sections}
    out.update((p.id, p.text) for p in doc.paragraphs())
    return out


def test_without_a_lock_the_ids_are_the_positional_ones():
    doc = doc_of(TEXT)
    assert anchorlock.apply(doc, []).anchors() == doc.anchors()
    assert anchorlock.apply(doc, lock_of(doc)).anchors() == doc.anchors()


def test_an_inserted_heading_renumbers_nothing():
    old = doc_of(TEXT)
    lock = lock_of(old)
    new = anchorlock.apply(doc_of(TEXT[:5] + ["新插入的小标题"] + TEXT[5:]), lock)
    before, after = texts(old), texts(new)
    for anchor, text in before.items():
        assert after[anchor] == text, anchor  # every published id still names the same words
    added = set(after) - set(before)
    assert len(added) == 1 and after[added.pop()] == "新插入的小标题"


def test_an_inserted_paragraph_gets_a_fresh_id_in_its_section():
    lock = lock_of(doc_of(TEXT))
    new = anchorlock.apply(doc_of(TEXT[:5] + ["插入的一段新内容。"] + TEXT[5:]), lock)
    t = texts(new)
    assert t["p1-3"] == "插入的一段新内容。" and t["p1-2"] == "第一节第二段的内容。"


def test_a_dropped_anchor_fails_naming_document_and_anchor():
    lock = lock_of(doc_of(TEXT))
    with pytest.raises(EditionError) as info:
        anchorlock.apply(doc_of(TEXT[:4] + TEXT[5:]), lock)
    msg = str(info.value)
    assert msg.startswith("seeds/anchors.lock:") and f"{SLUG}#p1-1" in msg and "dropped or moved" in msg


def test_a_removed_anchor_resolves_to_the_next_paragraph():
    lock = [replace(lk, fate="removed", target="编者删去重复的段落") if lk.anchor == "p1-1" else lk
            for lk in lock_of(doc_of(TEXT))]
    new = anchorlock.apply(doc_of(TEXT[:4] + TEXT[5:]), lock)
    assert new.aliases() == {"p1-1": "p1-2"}
    assert anchors.resolve([new], f"{SLUG}#p1-1", "x", 1, "cite")[1] == "p1-2"


def test_a_merged_anchor_lives_inside_the_merged_paragraph():
    lock = lock_of(doc_of(TEXT))
    merged = doc_of(TEXT[:4] + ["第一节第一段的内容。第一节第二段的内容。"] + TEXT[6:])
    with pytest.raises(EditionError, match="dropped or moved"):
        anchorlock.apply(merged, lock)
    entries, problems = anchorlock.update([merged], {SLUG: lock})
    assert [(lk.anchor, lk.fate, lk.target) for lk in entries if lk.fate] == [("p1-2", "merged", "p1-1")]
    assert problems == [f"{SLUG}#p1-2: proposed `merged p1-1`: check it"]
    new = anchorlock.apply(merged, anchorlock.parse(anchorlock.dump(entries), {SLUG})[SLUG])
    assert new.aliases() == {"p1-2": "p1-1"}


def test_a_merge_into_text_that_does_not_hold_it_is_refused():
    lock = [replace(lk, fate="merged", target="p2-1") if lk.anchor == "p1-2" else lk for lk in lock_of(doc_of(TEXT))]
    lock = [replace(lk, fp="第一节第一段的内容第一节第二段的") if lk.anchor == "p1-1" else lk for lk in lock]
    with pytest.raises(EditionError, match=r"p1-2: merged p2-1: .* is not in the text there"):
        anchorlock.apply(doc_of(TEXT[:4] + ["第一节第一段的内容。第一节第二段的内容。"] + TEXT[6:]), lock)


def test_make_anchors_proposes_moved_when_a_paragraph_became_a_heading():
    lines = TEXT[:5] + ["一行短字"] + TEXT[5:]
    layout_p = structure.Layout(not_headings=["一行短字"])
    old = structure.build(ENTRY, [Line(i, t) for i, t in enumerate(lines, start=1)], layout_p)
    lock = lock_of(old)
    new = doc_of(lines)  # now a heading
    with pytest.raises(EditionError, match="dropped or moved"):
        anchorlock.apply(new, lock)
    entries, problems = anchorlock.update([new], {SLUG: lock})
    moved = [lk for lk in entries if lk.fate]
    assert [(lk.anchor, lk.fate) for lk in moved] == [("p1-2", "moved")] and "proposed `moved" in problems[0]
    again = anchorlock.apply(new, anchorlock.parse(anchorlock.dump(entries), {SLUG})[SLUG])
    assert again.aliases() == {"p1-2": moved[0].target} and moved[0].target.startswith("s")


def test_a_corrected_start_keeps_its_id_and_make_anchors_refreshes_the_fingerprint():
    lock = lock_of(doc_of(TEXT))
    fixed = doc_of(TEXT[:4] + ["第一节首段的内容。"] + TEXT[5:])
    assert texts(anchorlock.apply(fixed, lock))["p1-1"] == "第一节首段的内容。"
    assert anchorlock.stale(fixed, lock) == [f"{SLUG}#p1-1: lock '第一节第一段的内容', text '第一节首段的内容'"]
    entries, _ = anchorlock.update([fixed], {SLUG: lock})
    assert [lk.anchor for lk in entries] == [lk.anchor for lk in lock]
    assert not anchorlock.stale(fixed, anchorlock.parse(anchorlock.dump(entries), {SLUG})[SLUG])


@pytest.mark.parametrize("row,field,words", [
    ("x\ts1", "line", "expected 3 or 5"),
    ("no-such\ts1\tabc", "slug", "cannot leave the catalog"),
    (f"{SLUG}\tsection1\tabc", "anchor", "not an anchor"),
    (f"{SLUG}\ts1\tAB C", "fingerprint", "not a fingerprint"),
    (f"{SLUG}\ts1\tabc\tgone\tx", "fate", "not one of"),
    (f"{SLUG}\ts1\tabc\tmoved\there", "moved", "not an anchor"),
    (f"{SLUG}\ts1\tabc\tremoved\t ", "removed", "give the reason"),
    (f"{SLUG}\ts1\tabc\tmerged\ts1", "merged", "cannot point at itself"),
])
def test_bad_lock_lines_name_file_line_field(row, field, words):
    with pytest.raises(EditionError) as info:
        anchorlock.parse(f"# header\n{row}\n", {SLUG})
    assert str(info.value).startswith(f"seeds/anchors.lock:2: {field}: ") and words in str(info.value)


def test_a_duplicate_lock_line_is_refused():
    with pytest.raises(EditionError, match="already locked on line 1"):
        anchorlock.parse(f"{SLUG}\ts1\tabc\n{SLUG}\ts1\tabd\n", {SLUG})


WORDS = st.sampled_from(["今天我们谈谈", "人工智能", "这是一个问题", "模型", "算力的瓶颈", "开源", "为什么", "我认为"])
PARA = st.lists(WORDS, min_size=1, max_size=4).map(lambda ws: "".join(ws) + "。")
HEAD = st.lists(WORDS, min_size=1, max_size=2).map("".join)
LINES = st.lists(st.one_of(PARA, HEAD), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(LINES, LINES, st.integers(0, 14))
@example(["人工智能", "人工智能", "人工智能"], ["今天我们谈谈。"], 1)  # found by hypothesis: s3 was lost
def test_insertions_never_move_a_published_anchor(lines, extra, at):
    """Property: whatever is inserted, every locked id still names the words it named (an
    inserted element whose first 16 letters equal an existing one's is indistinguishable by
    design: the fingerprint is all the lock knows)."""
    assume(not {anchorlock.fingerprint(t) for t in extra} & {anchorlock.fingerprint(t) for t in lines})
    old = doc_of(lines)
    new = anchorlock.apply(doc_of(lines[:at] + extra + lines[at:]), lock_of(old))
    after = texts(new)
    for anchor, text in texts(old).items():
        if anchor == "s0" and anchor not in after:  # the opening now starts with a heading
            assert new.aliases()["s0"] == new.anchors()[0]
            continue
        assert after.get(anchor) == text, anchor
    assert len(set(new.anchors())) == len(new.anchors())


def test_repeated_headings_keep_their_order_after_an_insertion():
    """Three sections headed alike, a paragraph inserted into the first: difflib pairs s1 s2 with
    the last two and leaves s3 over; the longest common subsequence keeps them in order."""
    lock = lock_of(doc_of(["人工智能", "人工智能", "人工智能"]))
    new = anchorlock.apply(doc_of(["人工智能", "今天我们谈谈。", "人工智能", "人工智能"]), lock)
    assert [(s.id, [p.id for b in s.blocks for p in b.paragraphs]) for s in new.sections] == [
        ("s1", ["p1-1"]), ("s2", []), ("s3", [])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("ABP"), max_size=12), st.lists(st.sampled_from("ABP"), max_size=12))
def test_lcs_opcodes_are_a_longest_common_subsequence(a, b):
    """Property: the runs cover a and b in order, the equal ones are equal, and they pair at
    least as many items as difflib's blocks (no fewer: a longest common subsequence)."""
    import difflib

    ops = anchorlock._lcs_opcodes(a, b)
    assert [(o[1], o[3]) for o in ops] == [(0, 0)] + [(o[2], o[4]) for o in ops[:-1]] if ops else a == b == []
    assert not ops or (ops[-1][2], ops[-1][4]) == (len(a), len(b))
    assert all(a[i1:i2] == b[j1:j2] for op, i1, i2, j1, j2 in ops if op == "equal")
    paired = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    assert paired >= sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def test_lcs_opcodes_cover_both_sequences():
    ops = anchorlock._lcs_opcodes(list("AAA"), list("APAA"))
    assert ops == [("equal", 0, 1, 0, 1), ("replace", 1, 1, 1, 2), ("equal", 1, 3, 2, 4)]
    assert anchorlock._lcs_opcodes([], list("AB")) == [("replace", 0, 0, 0, 2)]
    assert anchorlock._lcs_opcodes(list("AB"), list("AB")) == [("equal", 0, 2, 0, 2)]


# ---------------------------------------------------------------- the real lock


@pytest.fixture(scope="module")
def real():
    return corpus.load(ROOT)


def test_the_lock_is_complete_and_up_to_date(real):
    """`make anchors` would change nothing: every anchor of the edition is locked."""
    lock = corpus.load_lock(ROOT / "seeds", {d.entry.slug for d in real.docs})
    raw = corpus.load(ROOT, lock=False)
    entries, problems = anchorlock.update(raw.docs, lock)
    assert not problems
    assert anchorlock.dump(entries) == (ROOT / "seeds" / "anchors.lock").read_text(encoding="utf-8"), \
        "seeds/anchors.lock is not up to date: run `make anchors` and review the diff"


def test_every_locked_anchor_resolves_through_the_citation_api(real):
    lock = corpus.load_lock(ROOT / "seeds", {d.entry.slug for d in real.docs})
    for slug, entries in lock.items():
        for lk in entries:
            doc, live = anchors.resolve(real.docs, f"{slug}#{lk.anchor}", "seeds/anchors.lock", lk.line, "anchor")
            assert live in doc.anchors()


class _Ids(html.parser.HTMLParser):
    """For each id in a page: the text of its element, or of the element it sits in (an alias)."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.text: dict[str, str] = {}
        self.host: dict[str, str] = {}
        self.order: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        i = dict(attrs).get("id") or ""
        if i:
            self.text[i] = ""
            self.order.append(i)
            enclosing = next((x for _, x in reversed(self.stack) if x), "")
            if enclosing:
                self.host[i] = enclosing
        self.stack.append((tag, i))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, i in self.stack:
            if i:
                self.text[i] += data

    def words(self, anchor: str) -> str:
        if self.text[anchor].strip():
            return self.text[anchor]
        if anchor in self.host:
            return self.text[self.host[anchor]]
        later = self.order[self.order.index(anchor) + 1:]
        return next(self.text[x] for x in later if self.text[x].strip())


def test_every_locked_anchor_lands_on_its_words_in_the_built_site(built_site, real):
    """Both editions: the id exists; in zh-Hans its element (or the one holding the old id)
    holds the locked fingerprint near its start (after a speaker label, if any)."""
    lock = corpus.load_lock(ROOT / "seeds", {d.entry.slug for d in real.docs})
    checked = 0
    for slug, entries in lock.items():
        hans = _Ids(built_site / slug / "index.html")
        hant = _Ids(built_site / "zh-Hant" / slug / "index.html")
        for lk in entries:
            assert lk.anchor in hans.text and lk.anchor in hant.text, f"{slug}#{lk.anchor} missing"
            words = anchorlock._norm(hans.words(lk.anchor))
            where = words.find(lk.fp)
            assert where >= 0, f"{slug}#{lk.anchor}: {lk.fp!r} not in {words[:40]!r}"
            if not lk.fate:
                assert where <= 12, f"{slug}#{lk.anchor}: {lk.fp!r} is not at the start of {words[:40]!r}"
            checked += 1
    assert checked >= 600

