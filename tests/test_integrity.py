"""Edition integrity: speaker attribution as data (overrides, merged turns, every label the
edition adds), honest gaps (completeness, editor's notes), and catalog facts (editor's titles
marked, newspaper titles in 《》).

Data flow: cleaned lines -> structure.build -> speakers.apply(overrides) -> Document + Changes;
the real corpus and catalog -> render.card / home / apparatus -> assertions.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reader import corpus, read, speakers, structure
from reader.model import EditionError, Line
from test_structure_render import ENTRY

ROOT = Path(__file__).resolve().parent.parent


def doc_of(lines):
    return structure.build(ENTRY, [Line(i, t) for i, t in enumerate(lines, start=1)])


def turns(doc):
    return [(b.speaker, [p.id for p in b.paragraphs]) for s in doc.sections for b in s.blocks if b.kind == "turn"]


def test_an_override_splits_the_turn_and_logs_both_labels():
    doc = doc_of(["主持人：问题？", "SA：第一段。", "第二段其实是别人说的。", "第三段。"])
    out = speakers.apply(doc, [speakers.Override(ENTRY.slug, "p0-3", "weil", "理由X")])
    assert turns(out) == [("host", ["p0-1"]), ("altman", ["p0-2"]), ("weil", ["p0-3"]), ("altman", ["p0-4"])]
    logged = [(c.anchor, c.before, c.after, c.rule) for c in out.changes if c.rule != "structure:speaker"]
    assert ("p0-3", "奥特曼", "凯文·威尔", "speakers.yml") in logged
    assert ("p0-3", "", "凯文·威尔：", "structure:added-label") in logged
    assert ("p0-4", "", "奥特曼：", "structure:added-label") in logged


def test_consecutive_turns_of_one_speaker_merge_keeping_ids():
    doc = doc_of(["主持人：问题一。", "主持人：问题二？", "SA：回答。"])
    out = speakers.apply(doc, [])
    assert turns(out) == [("host", ["p0-1", "p0-2"]), ("altman", ["p0-3"])]
    assert [(c.anchor, c.before, c.after) for c in out.changes if c.rule == "structure:merge-turns"] == \
        [("p0-2", "主持人甲：", "")]


def test_a_turn_running_on_after_a_heading_logs_the_added_name():
    doc = doc_of(["SA：开头。", "小标题", "接着说。"])
    out = speakers.apply(doc, [])
    added = [c for c in out.changes if c.rule == "structure:added-label"]
    assert [(c.anchor, c.after) for c in added] == [("p1-1", "奥特曼：")] and "标题后" in added[0].reason


def load(text: str, docs):
    path = Path("/tmp") / "speakers-test.yml"
    path.write_text(text, encoding="utf-8")
    return speakers.parse(read.load_yaml(path, "seeds/speakers.yml"), docs)


@pytest.fixture(scope="module")
def real():
    return corpus.load(ROOT)


@pytest.mark.parametrize("text,field,words", [
    ("- at: 2024-04-20vc-altman-lightcap#p99-1\n  speaker: altman\n  reason: x\n", "at", "has no anchor"),
    ("- at: 2024-04-20vc-altman-lightcap#s2\n  speaker: altman\n  reason: x\n", "at", "is not a paragraph"),
    ("- at: 2024-04-20vc-altman-lightcap#p2-6\n  speaker: weil\n  reason: x\n", "speaker", "not a participant"),
    ("- at: 2024-04-20vc-altman-lightcap#p2-6\n  speaker: lightcap\n", "reason", "non-empty text"),
    ("- at: 2024-04-20vc-altman-lightcap#p2-6\n  speaker: lightcap\n  reason: x\n  why: y\n", "why", "unknown field"),
    ("- at: 2024-04-20vc-altman-lightcap#p2-6\n  speaker: lightcap\n  reason: x\n"
     "- at: 2024-04-20vc-altman-lightcap#p2-6\n  speaker: altman\n  reason: y\n", "at", "already overridden"),
])
def test_bad_overrides_name_file_line_field(real, text, field, words):
    with pytest.raises(EditionError) as info:
        load(text, real.docs)
    assert re.match(rf"seeds/speakers\.yml:\d+: {field}: ", str(info.value)) and words in str(info.value)


def test_the_overrides_file_is_sorted_and_every_override_changes_a_speaker(real):
    data = yaml.safe_load((ROOT / "seeds" / "speakers.yml").read_text(encoding="utf-8"))
    ats = [d["at"] for d in data]
    assert ats == sorted(ats) and len(set(ats)) == len(ats)
    logged = {(c.doc, c.anchor) for d in real.docs for c in d.changes if c.rule == "speakers.yml"}
    assert logged == {tuple(a.split("#")) for a in ats}, "an override that changes nothing is dead data"


def test_lightcap_not_altman_says_he_need_not_consult_sam(real):
    doc = next(d for d in real.docs if d.entry.slug == "2024-04-20vc-altman-lightcap")
    para = next(p for p in speakers.paragraphs_by_speaker(doc)["lightcap"] if "无需与山姆商讨" in p.text)
    assert para.id == "p2-6"


def test_every_turn_on_the_page_is_a_source_label_or_a_logged_change(real):
    """Turns shown = labels in the source + labels the edition added - repeated labels merged."""
    for doc in real.docs:
        shown = sum(speakers.turn_counts(doc).values())
        labels = sum(int(re.search(r"共(\d+)处", c.reason).group(1)) for c in doc.changes if c.rule == "structure:speaker")
        added = sum(1 for c in doc.changes if c.rule == "structure:added-label")
        merged = sum(1 for c in doc.changes if c.rule == "structure:merge-turns")
        assert shown == labels + added - merged, doc.entry.slug
        for s in doc.sections:
            for i, b in enumerate(s.blocks[1:], start=1):
                prev = s.blocks[i - 1]
                assert not (b.kind == prev.kind == "turn" and b.speaker == prev.speaker), \
                    f"{doc.entry.slug}#{b.paragraphs[0].id}: two turns of one speaker in a row"


# Paragraphs that name their own speaker for a reason other than a wrong label.
SELF_NAMED_OK = {("2024-10-ray-summit-weil", "p1-2", "凯文"): "凯文·斯特罗姆（Instagram创始人），不是凯文·威尔"}


def test_no_speaker_names_himself_unless_reviewed(real):
    """The class of the 20VC error: a turn that names its own speaker in the third person."""
    found = set()
    for doc in real.docs:
        names = {p.id: p.name_zh for p in doc.entry.participants}
        for who, paras in speakers.paragraphs_by_speaker(doc).items():
            forms = {names[who]} | {x for x in names[who].split("·") if len(x) > 1}
            found |= {(doc.entry.slug, p.id, f) for p in paras for f in forms if f in p.text}
    assert found == set(SELF_NAMED_OK)


# ---------------------------------------------------------------- completeness and editor's notes

CLAIMS = ("全文", "完整版", "完整翻译")


def test_a_partial_text_says_so_and_its_own_claims_are_annotated(real):
    """Seed 003 is page 1 of 3: its card says partial; every claim of completeness has a note."""
    partial = [d for d in real.docs if d.entry.completeness == "partial"]
    assert [d.entry.slug for d in partial] == ["2024-04-20vc-altman-lightcap"]
    for doc in partial:
        assert doc.entry.missing and doc.entry.completeness_note
        for p in doc.paragraphs():
            if any(w in p.text for w in CLAIMS):
                assert p.notes, f"{doc.entry.slug}#{p.id}: its claim of completeness has no editor's note"


def test_a_seed_with_a_pager_must_declare_how_complete_it_is(real):
    from reader.clean import boilerplate

    entry = next(d.entry for d in real.docs if d.entry.completeness == "partial")
    pager = [c for c in real.changes() if c.kind == "boilerplate" and boilerplate.PAGER.search(c.before)]
    assert pager and {c.doc for c in pager} == {entry.slug}
    assert "全文已在本页" not in " ".join(c.reason for c in pager)
    from dataclasses import replace

    with pytest.raises(EditionError, match=r"seeds/catalog.yml:\d+: completeness_note: .* is a pager"):
        corpus.check_completeness(replace(entry, completeness="complete", missing="", completeness_note=""), pager)


def test_the_card_home_and_apparatus_say_partial_in_plain_words(real):
    from reader import render

    doc = next(d for d in real.docs if d.entry.completeness == "partial")
    href = lambda src, anchor="": f"{src}#{anchor}"  # noqa: E731
    labels = render.Labels()
    page = render.document(doc, labels, href)
    assert labels.partial in page and "第2、3页" in page and "［编者注：" in page
    assert labels.excerpt in render.home("t", "i", real.docs, labels, href)
    assert "第2、3页" in render.apparatus("t", "i", real.docs, {}, labels, href)


@pytest.mark.parametrize("text,field,words", [
    ("- at: 2024-04-20vc-altman-lightcap#p0-3\n  words: 不存在的话\n  note: x\n", "words", "is not in"),
    ("- at: 2024-04-20vc-altman-lightcap#s1\n  words: x\n  note: x\n", "at", "is not a paragraph"),
    ("- at: 2024-04-20vc-altman-lightcap#p0-3\n  words: 专访全文\n", "note", "non-empty text"),
])
def test_bad_notes_name_file_line_field(real, text, field, words):
    from reader import notes

    path = Path("/tmp") / "notes-test.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as info:
        notes.parse(read.load_yaml(path, "seeds/notes.yml"), real.docs)
    assert re.match(rf"seeds/notes\.yml:\d+: {field}: ", str(info.value)) and words in str(info.value)


def test_editors_titles_are_marked_on_the_card_and_home(real):
    from reader import render

    labels = render.Labels()
    href = lambda src, anchor="": f"{src}#{anchor}"  # noqa: E731
    editors = [d for d in real.docs if not d.entry.title_line]
    assert {d.entry.slug for d in editors} == {"2024-12-dealbook-altman", "2025-03-stratechery-altman"}
    for d in real.docs:
        assert (labels.editor_title in render.card(d, labels, href, "")) == (d in editors)
    assert render.home("t", "i", real.docs, labels, href).count(labels.editor_title) == len(editors)


PUBLICATIONS = ("纽约时报", "华尔街日报", "商业周刊", "金融时报", "经济学人", "华盛顿邮报")


def test_newspaper_titles_take_book_title_marks(real):
    for d in real.docs:
        e = d.entry
        for field in ("title", "outlet", "event", "summary", "date_note"):
            text = getattr(e, field)
            for name in PUBLICATIONS:
                for m in re.finditer(name, text):
                    assert text[m.start() - 1:m.start()] == "《" and text[m.end():m.end() + 1] == "》", \
                        f"seeds/catalog.yml:{e.line}: {field}: {name} needs 《》"
    for d in real.docs:  # and in the text
        for where, text in [(s.id, s.heading) for s in d.sections] + [(p.id, p.text) for p in d.paragraphs()]:
            for name in PUBLICATIONS:
                for m in re.finditer(name, text):
                    assert text[m.start() - 1:m.start()] in ("《", "〈"), f"{d.entry.slug}#{where}: {name} needs 《》"
    outlet = next(d.entry.outlet for d in real.docs if d.entry.slug == "2025-01-bloomberg-altman")
    assert outlet.startswith("新智元") and "经凤凰网转载" in outlet  # 来源：凤凰网 = 凤凰网 carried it
