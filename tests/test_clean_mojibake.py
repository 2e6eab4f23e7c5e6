"""Tests for reader.clean.mojibake: golden files, the seeds, and properties.

Golden files (see goldens.py): tests/golden/mojibake/<case>.in.txt holds input lines;
<case>.out.txt holds fix() of each line, then a section listing every edit. With
REGEN_GOLDEN=1 the test writes the .out files instead of comparing (`make golden`).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goldens
from reader.clean import mojibake, pinyin

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CJK = re.compile(f"[{pinyin.CJK}]")


def seed_lines(prefix: str) -> list[str]:
    """The lines of the seed whose file name starts with `prefix`."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


#: The corpus model the pipeline uses (corpus.load): n-grams of all the seeds.
NGRAMS = mojibake.Ngrams.of(p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt")))
FIX = mojibake.fixer(NGRAMS)


@pytest.mark.parametrize("case", goldens.cases("mojibake"), ids=goldens.case_id)
def test_golden(case: Path) -> None:
    goldens.check(case, goldens.line_fix_output(goldens.read_lines(case), FIX))


def cleaned(line: str) -> str:
    """The pipeline's order: mojibake, then pinyin."""
    return pinyin.fix(FIX(line)[0])[0]


def unbracketed(text: str) -> str:
    return text.replace(mojibake.OPEN, "").replace(mojibake.CLOSE, "")


# --- the known cases of seed 001, after mojibake and pinyin ---------------------------

@pytest.mark.parametrize(
    "no, expected",
    [
        (72, "從天而降的機會〔。〕科技界有很多關于員工流失的討論"),  # a) 于: script is a later stage
        (132, "這是一個非常快的時間表。"),  # b) a reading: only 常 makes a word (非常)
        (90, "關鍵服務〔。〕可能〔會有〕□□個像 ChatGPT 這樣的產品"),  # c) one pair conjectured
        (94, "你們〔仍〕然在□□條戰線上,對吧?"),  # 仍然/自然/顯然...: a conjecture; no pair fits
        (115, "我們如何才能讓每個人都喜歡「幻覺」呢?"),  # d)
        (122, "安全測試的標準〔。〕現在,我認為"),  # e) the bytes allow 。 (see the module docstring)
        (129, "并切斷API〔。〕現在又讓你關注"),  # e)
        (160, "我們的發展速度有多快？」"),  # f)
        (31, "我看到你們在談論構建記憶。"),
        (158, "同事們談論你們〔所看〕到的東西"),
        (158, "你已經談論這個問題很久了"),
    ],
)
def test_seed_001_repairs(no: int, expected: str) -> None:
    assert expected in cleaned(seed_lines("001")[no - 1])


def test_seed_001_lost_emoji_at_line_end() -> None:
    assert cleaned(seed_lines("001")[187]) == "訪談原文"


#: Every spot fix() changes in seed 001 (checked by eye): line, rule, before, after.
SEED_001_SPOTS = [
    (31, "gbk-realign", "?wù)摌?gòu)", "論構"),
    (72, "gbk-realign", "??萍冀缬泻芏嚓P", "〔。〕科技界有很多關"),
    (90, "gbk-realign", "??赡軙腥膫€", "〔。〕可能〔會有〕□□個"),
    (94, "gbk-realign", "?nèi)匀辉谕粭l", "〔仍〕然在□□條"),
    (115, "gbk-realign", "?nèi)绾尾拍茏屆總€", "如何才能讓每個"),
    (122, "gbk-realign", "?,F", "〔。〕現"),
    (129, "gbk-realign", "?,F", "〔。〕現"),
    (132, "gbk-realign", "??斓臅r", "常快的時"),
    (158, "gbk-realign", "?wù)撃銈兯吹降臇|", "論你們〔所看〕到的東"),
    (158, "gbk-realign", "?wù)撨@", "論這"),
    (160, "lost-bytes", "???", "？"),
    (188, "lost-bytes", "??", ""),
]


def test_seed_001_touches_only_the_damaged_spots() -> None:
    spots = []
    for no, line in enumerate(seed_lines("001"), start=1):
        text, edits = FIX(line)
        spots += [(no, e.rule, e.before, e.after) for e in edits if e.rule in ("gbk-realign", "lost-bytes")]
        if not edits:
            assert text == line
        else:
            rest = line
            for edit in edits:
                if edit.rule in ("gbk-realign", "lost-bytes"):
                    rest = rest.replace(edit.before, edit.after, 1)
            assert rest == text, f"line {no}: changed outside its spots"
    assert spots == SEED_001_SPOTS


def test_seed_001_inferred_characters_are_logged() -> None:
    lines = seed_lines("001")
    inferred = [(e.rule, e.after) for e in FIX(lines[71])[1]]
    assert inferred == [("gbk-realign", "〔。〕科技界有很多關"), ("lost-lead-byte", "〔。〕")]
    rules = [e.rule for e in FIX(lines[114])[1]]
    assert rules == ["gbk-realign", "lost-lead-byte", "pinyin-remnant"]
    conjectured = [e for e in FIX(lines[89])[1] if e.rule == "conjecture"]
    assert [(e.before, e.after) for e in conjectured] == [("曅饶", "〔會有〕□□")]
    reason = conjectured[0].reason
    assert "95 d0 c8 c4" in reason and "“會有”、“時有”" in reason and "保留□□" in reason
    # without the corpus model nothing is conjectured: the pairs stay illegible
    illegible = [e for e in mojibake.fix(lines[89])[1] if e.rule == "illegible"]
    assert [(e.before, e.after) for e in illegible] == [("曅", "□□"), ("饶", "□□")]


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_other_seeds_unchanged(prefix: str) -> None:
    for line in seed_lines(prefix):
        assert mojibake.fix(line) == (line, [])


# --- the repair is code: damage made here is undone -----------------------------------

def garble(original: str) -> str:
    """Damage as in seed 001: the GBK bytes of `original` with the first byte lost (shown
    as '?') and the rest decoded one byte out of step; ，？ then written as ASCII."""
    data = original.encode("gbk")
    middle = data[1:-1].decode("gbk").replace("，", ",").replace("？", "?")
    last = "€" if data[-1] == 0x80 else chr(data[-1])
    return "?" + middle + last


@pytest.mark.parametrize(
    "before, original, after",
    [
        ("抓住這個機會", "。科技界有很多關", "于員工流失"),
        ("這是一個非", "常快的時", "間表"),
        ("我們", "如何才能讓每個", "人都喜歡"),
        ("一個好的標準", "。現", "在就做"),
        ("我們", "已經看到這", "個問題"),
        ("這是", "一個", "好問題"),
    ],
)
def test_garbled_text_is_restored(before: str, original: str, after: str) -> None:
    damaged = before + garble(original) + after
    assert damaged != before + original + after
    out = FIX(damaged)[0]
    assert unbracketed(out) == before + original + after
    assert re.fullmatch(f"{before}(〔.〕)?[^〔〕]*{after}", out)  # at most the lost byte's character is bracketed


def test_euro_is_byte_0x80() -> None:
    assert mojibake.end_byte("€") == 0x80
    assert mojibake.decode_pair(0x82, 0x80) == "個"
    assert mojibake.double_bytes("€") is None


def test_lost_character_defaults_to_full_stop() -> None:
    candidates = mojibake.with_lead(0xA3)
    assert "。" in candidates and "常" in candidates
    assert mojibake.choose(candidates, "會", "科技", "") == ("。", "")  # 專科 loses to 科技
    assert mojibake.choose(candidates, "非", "快的", "") == ("常", "非常")


def test_word_used_in_the_line_wins() -> None:
    candidates = mojibake.with_lead(0xD4)
    assert mojibake.choose(candidates, "們", "然在", "")[0] == "自"  # more frequent
    assert mojibake.choose(candidates, "們", "然在", "這仍然是")[0] == "仍"


# --- properties -----------------------------------------------------------------------

DAMAGE_ALPHABET = list("???€PFr|@l,(ù)nèi 會非萍冀缬泻芏嚓斓臅赡軙腥膫绾尾拍茏屆總匀辉谕粭撃銈談們準我的是。，？a")
damaged_text = st.lists(st.sampled_from(DAMAGE_ALPHABET), max_size=40).map("".join)
any_line = st.text(st.characters(blacklist_characters="\n"))
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lost_cjk_is_logged(text: str) -> None:
    """fix never raises, is idempotent, and logs every CJK character that disappears."""
    out, edits = mojibake.fix(text)
    assert mojibake.fix(out) == (out, [])
    lost = Counter(CJK.findall(text)) - Counter(CJK.findall(out))
    logged = Counter(CJK.findall("".join(e.before for e in edits)))
    assert not lost - logged


@FAST
@given(any_line)
def test_any_text(text: str) -> None:
    lost_cjk_is_logged(text)


@FAST
@given(damaged_text)
def test_damage_like_text(text: str) -> None:
    lost_cjk_is_logged(text)


@pytest.mark.parametrize("text", ["", "?", "??", "???", "what??", "Really?? Yes!", "中?文", "?? 中文", "嗎?你好"])
def test_question_marks_without_damage_stay(text: str) -> None:
    assert mojibake.fix(text) == (text, [])


def test_question_marks_next_to_chinese_are_lost_bytes() -> None:
    assert mojibake.fix("嗎??")[0] == "嗎"
    assert mojibake.fix("嗎???")[0] == "嗎？"
    assert [e.rule for e in mojibake.fix("??中文")[1]] == ["lost-bytes"]


# --- candidates and conjectures -------------------------------------------------------

def all_gbk_pairs() -> dict[tuple[int, int], str]:
    """Every two-byte GBK character of the BMP, by its bytes (the brute-force reference)."""
    found = {}
    for code in range(0x80, 0x10000):
        try:
            data = chr(code).encode("gbk")
        except UnicodeEncodeError:
            continue
        if len(data) == 2:
            found[(data[0], data[1])] = chr(code)
    return found


def test_candidates_are_all_gbk_characters_with_the_surviving_byte() -> None:
    pairs = all_gbk_pairs()
    for byte in (0x40, 0x80, 0x93, 0xA3, 0xB4, 0xBB, 0xC4, 0xD0, 0xFE):
        assert set(mojibake.with_lead(byte)) == {c for (lead, trail), c in pairs.items() if trail == byte}
    for byte in (0x81, 0x95, 0xA1, 0xC8, 0xCB, 0xCD, 0xFE):
        assert set(mojibake.with_trail(byte)) == {c for (lead, trail), c in pairs.items() if lead == byte}
    chars = mojibake.with_trail(0x95)
    assert [c.encode("gbk") for c in chars] == sorted(c.encode("gbk") for c in chars)  # byte order
    assert "會" in mojibake.with_trail(0x95) and "有" in mojibake.with_lead(0xD0)


def test_candidates_in_a_traditional_text() -> None:
    lead_cb = mojibake.traditional_candidates(mojibake.with_trail(0xCB))
    assert "所" in lead_cb and "說" not in lead_cb  # 說 is 95 66, not lead cb
    assert "说" in mojibake.with_trail(0xCB) and "说" not in lead_cb  # Simplified only: not in this text
    assert all(mojibake.CJK.match(c) for c in lead_cb)


def test_conjecture_prints_only_a_clear_pair() -> None:
    slots = [mojibake.traditional_candidates(mojibake.with_trail(0x95)),
             mojibake.traditional_candidates(mojibake.with_lead(0xD0)),
             mojibake.traditional_candidates(mojibake.with_trail(0xC8)),
             mojibake.traditional_candidates(mojibake.with_lead(0xC4))]
    verdict = mojibake.conjecture(NGRAMS, "關鍵服務。可能", slots, "個像")
    assert verdict.pairs == ["會有", ""]
    assert verdict.ranked[0][:2] == ["會有", "時有"]
    assert verdict == mojibake.conjecture(NGRAMS, "關鍵服務。可能", slots, "個像")  # deterministic
    # with an empty model (no evidence) no pair is clearly best
    assert mojibake.conjecture(mojibake.Ngrams(), "可能", slots, "個像").pairs == ["", ""]


def test_the_three_spans_of_seed_001() -> None:
    lines = seed_lines("001")
    shown = {no: [(e.before, e.after) for e in FIX(lines[no - 1])[1] if e.rule in ("conjecture", "illegible")]
             for no in (90, 94, 158)}
    assert shown == {90: [("曅饶", "〔會有〕□□")], 94: [("突", "□□")], 158: [("舜", "〔所看〕")]}


def test_single_lost_bytes_readings_and_conjectures() -> None:
    """Exactly one candidate that forms a word: a reading, unbracketed; more: a conjecture."""
    found: Counter = Counter()
    for line in seed_lines("001"):
        for e in FIX(line)[1]:
            if e.rule in ("lost-lead-byte", "lost-trail-byte"):
                bracketed = e.after.startswith(mojibake.OPEN)
                assert bracketed == e.reason.startswith("推补"), e
                found["conjecture" if bracketed else "reading"] += 1
    assert found == {"reading": 6, "conjecture": 5}
    assert mojibake.choose(mojibake.with_lead(0x93), "談", "你們", "") == ("論", "談論")
    assert len(mojibake.ranked(mojibake.with_lead(0x93), "談", "你們", "")) == 1
    assert len(mojibake.ranked(mojibake.with_lead(0xD4), "們", "然在", "")) > 1


def test_bracket_runs() -> None:
    assert mojibake.bracket([("可", False), ("會有", True), ("三四", True), ("個", False)]) == "可〔會有三四〕個"
    assert mojibake.bracket([("。", True)]) == "〔。〕"


def test_repair_is_deterministic() -> None:
    lines = seed_lines("001")
    again = mojibake.Ngrams.of(p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt")))
    for no in (72, 90, 94, 158):
        assert FIX(lines[no - 1]) == mojibake.fix(lines[no - 1], again)


def test_conjectures_are_marked_on_the_page() -> None:
    from reader import render
    from reader.model import Paragraph

    html = render._para_html(Paragraph("p1-1", "可能〔会有〕□□个，〔。〕"), render.Labels())
    marked = re.findall(r'<span class="conjecture" tabindex="0" title="([^"]+)">(〔[^<]*〕)</span>', html)
    assert [text for _, text in marked] == ["〔会有〕", "〔。〕"]
    assert marked[0][0] == render.esc(render.Labels().conjecture)
    assert html.count('class="lacuna"') == 2


# --- the editor's conjectures (seeds/corrections/conjectures.yml) ---------------------

def _reading(bytes_: str, reading: str, doc: str = "d", line: int = 3) -> mojibake.EditorReading:
    (entry,) = mojibake.parse_conjectures(
        [{"doc": doc, "bytes": bytes_, "reading": reading, "reason": "文意"}], "t.yml", {doc})
    return mojibake.EditorReading(entry.doc, entry.bytes, entry.reading, entry.reason, line, "t.yml")


def test_editor_reads_a_pair_the_model_leaves_illegible() -> None:
    line = seed_lines("001")[93]
    entry = _reading("cd bb", "同一")
    text, edits = mojibake.fix(line, NGRAMS, (entry,))
    assert "你們?nèi)匀辉谕粭l" in line and "你們〔仍〕然在〔同一〕條戰線上" in pinyin.fix(text)[0]
    (edit,) = [e for e in edits if e.before == "突"]
    assert edit.after == "〔同一〕" and edit.rule == "t.yml:3"
    assert "推一" in edit.reason and "编者推补为〔同一〕：文意" in edit.reason
    # the same edits as the model alone makes, the illegible pair now the editor's
    assert [(e.rule, e.before) for e in edits] == [
        ("t.yml:3" if e.rule == "illegible" else e.rule, e.before) for e in FIX(line)[1]]


def test_editor_reading_joins_the_models_in_one_bracket() -> None:
    text, edits = mojibake.fix(seed_lines("001")[89], NGRAMS, (_reading("c8 c4", "三四"),))
    assert "可能〔會有三四〕個" in text
    (edit,) = [e for e in edits if e.before == "曅饶"]
    assert "推补为〔會有〕" in edit.reason and "编者推补为〔三四〕" in edit.reason and edit.rule == "t.yml:3"


def test_the_model_reading_stands_and_the_entry_goes_unused() -> None:
    """An entry for a pair the model reads itself changes nothing (corpus.unused_rules reports it)."""
    line = seed_lines("001")[89]
    text, edits = mojibake.fix(line, NGRAMS, (_reading("95 d0", "時有"),))
    assert (text, edits) == FIX(line)


@pytest.mark.parametrize("entry, field", [
    ({"bytes": "cd bb", "reading": "推二"}, "reading"),  # 二 = b6 fe: not trail byte bb
    ({"bytes": "cd bb", "reading": "同"}, "reading"),
    ({"bytes": "c8 c4", "reading": "三阅"}, "reading"),  # 阅 (d4 c4) fits the byte but is not Traditional
    ({"bytes": "CD-BB", "reading": "同一"}, "bytes"),
    ({"bytes": "cd bb", "reading": "同一", "doc": "other"}, "doc"),
    ({"bytes": "cd bb", "reading": "同一", "page": 3}, "page"),
    ({"bytes": "cd bb", "reading": "同一", "reason": " "}, "reason"),
])
def test_a_bad_conjecture_entry_is_one_clear_error(entry: dict, field: str) -> None:
    from reader.model import EditionError

    raw = {"doc": "d", "reason": "文意"} | entry
    with pytest.raises(EditionError) as caught:
        mojibake.parse_conjectures([raw], "seeds/corrections/conjectures.yml", {"d"})
    assert caught.value.field == field and "conjectures.yml" in str(caught.value)


def test_conjectures_are_sorted_and_unique() -> None:
    from reader.model import EditionError

    one = {"doc": "d", "bytes": "cd bb", "reading": "同一", "reason": "文意"}
    two = {"doc": "d", "bytes": "c8 c4", "reading": "三四", "reason": "文意"}
    assert len(mojibake.parse_conjectures([two, one], "t.yml", {"d"})) == 2
    for data in ([one, two], [one, one]):
        with pytest.raises(EditionError):
            mojibake.parse_conjectures(data, "t.yml", {"d"})
