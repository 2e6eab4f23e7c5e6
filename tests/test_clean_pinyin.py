"""Tests for reader.clean.pinyin: golden files, the seeds, and properties.

Golden files (see goldens.py): tests/golden/pinyin/<case>.in.txt holds input lines;
<case>.out.txt holds fix() of each line, then a section listing every edit. With
REGEN_GOLDEN=1 the test writes the .out files instead of comparing (`make golden`).

The properties state the rule independently of the module: an annotation goes if and only
if it is one of the readings pypinyin gives for the character before it, with heteronyms,
in the accepted spellings (`spellings` below: tone marks, tone numbers with the neutral
tone as 5 or none, no tone; ü as ü or v).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pypinyin import Style
from pypinyin import pinyin as pypinyin_readings

import goldens
from reader.clean import mojibake, pinyin

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CJK = re.compile(f"[{pinyin.CJK}]")
#: The check from the brief: a reading left after a character.
LEFT_OVER = re.compile(r"[\u4e00-\u9fff]\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


@pytest.mark.parametrize("case", goldens.cases("pinyin"), ids=goldens.case_id)
def test_golden(case: Path) -> None:
    goldens.check(case, goldens.line_fix_output(goldens.read_lines(case), pinyin.fix))


@pytest.mark.parametrize(
    "text, expected",
    [("認(rèn)", "認"), ("團(tuán)隊", "團隊"), ("關(guān)於", "關於"), ("認（rèn）為", "認為"), ("女(nǚ)", "女"),
     ("們(men)", "們"), ("么(me)", "么"), ("們(men5)", "們"), ("認(ren4)為", "認為"), ("認(ren)為", "認為"),
     ("綠(lv4)", "綠"), ("綠(lü)", "綠"), ("居(ju)", "居"), ("認(rèn)（ren4）(ren)", "認")],
)
def test_annotation_removed(text: str, expected: str) -> None:
    out, edits = pinyin.fix(text)
    assert out == expected
    assert [(e.after, e.rule, e.reason) for e in edits] == [
        (text[0], "pypinyin-reading", "删去汉字后的拼音注音（经pypinyin核对为该字读音）")]
    assert edits[0].before in text


@pytest.mark.parametrize(
    "text",
    ["時(思維鏈)", "(笑)", "西原(Robert Nishihara)", "支付(micro payments)", "公司(PBC)", "界面(UI)",
     "等待(1)", "未來(即將)", "拼音(ren)", "大寫(Rèn)", "A(rèn)", "", "模型(me)", "什麼(o1)", "愛(AI)",
     "愛(AI)(ài)", "綠(lu)", "認(rén)", "認(ren6)", "認識(rènshi)", "認 (rèn)", "認(ren", "(rèn)"],
)
def test_real_parentheses_untouched(text: str) -> None:
    assert pinyin.fix(text) == (text, [])


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_no_reading_left_after_mojibake_and_pinyin(seed: Path) -> None:
    for line in seed.read_text(encoding="utf-8").split("\n"):
        out = pinyin.fix(mojibake.fix(line)[0])[0]
        assert not LEFT_OVER.search(out), out


def test_seed_001_has_its_annotations_removed() -> None:
    (seed,) = [p for p in SEEDS if p.name.startswith("001")]
    count = sum(len(pinyin.fix(line)[1]) for line in seed.read_text(encoding="utf-8").split("\n"))
    assert 550 <= count <= 600


@settings(deadline=None)
@given(st.text(st.characters(blacklist_characters="\n")))
def test_any_text(text: str) -> None:
    out, edits = pinyin.fix(text)
    assert pinyin.fix(out) == (out, [])
    assert Counter(CJK.findall(out)) == Counter(CJK.findall(text))  # only readings go


@settings(deadline=None)
@given(st.lists(st.sampled_from(list("認團們么(（)）rènüǎ a中1men5v4")), max_size=30).map("".join))
def test_annotation_like_text(text: str) -> None:
    out, edits = pinyin.fix(text)
    assert pinyin.fix(out) == (out, [])
    assert len(out) == len(text) - sum(len(e.before) - len(e.after) for e in edits)


# --- the rule, stated with pypinyin directly ------------------------------------------

def spellings(char: str) -> set[str]:
    """Every reading pypinyin gives for `char`, with heteronyms, in the accepted spellings."""
    found = set()
    for style in (Style.TONE, Style.TONE3, Style.NORMAL):
        for v_to_u in (False, True):
            for five in (False, True):
                for options in pypinyin_readings(char, style=style, heteronym=True, errors="ignore",
                                                 v_to_u=v_to_u, neutral_tone_with_five=five):
                    found.update(r for r in options if r)
    return found


#: Characters of pinyin.CJK's ranges (BMP).
CJK_CHARS = st.one_of(*(st.characters(min_codepoint=ord(lo), max_codepoint=ord(hi))
                        for lo, hi in re.findall(r"(.)-(.)", pinyin.CJK)))
#: Characters that pypinyin knows, with one of their readings in one accepted spelling.
KNOWN_WITH_READING = (CJK_CHARS.filter(lambda c: bool(spellings(c)))
                      .flatmap(lambda c: st.tuples(st.just(c), st.sampled_from(sorted(spellings(c))))))
#: Text around an annotation that cannot extend it: no brackets, no newline.
AROUND = st.text(st.characters(blacklist_characters="\n()（）"), max_size=8)
#: Parenthesised content that often looks like pinyin (or is a reading of another character).
CONTENT = st.one_of(
    st.text(st.sampled_from(list("aeiounrmgzhsxlvjqwyü12345") + list(pinyin.TONE_VOWELS)), min_size=1, max_size=7),
    st.sampled_from(["AI", "UI", "o1", "1", "me", "men", "ren", "rèn", "de", "shi", "笑", "Robert Nishihara"]),
    st.text(st.characters(blacklist_characters="\n()（）"), max_size=10),
)


def test_the_accepted_spellings() -> None:
    assert {"rèn", "ren4", "ren"} == spellings("認")
    assert {"men", "men5", "mén", "men2"} <= spellings("们")
    assert {"lǜ", "lv4", "lü4", "lv", "lü"} == spellings("綠")
    assert "lu" not in spellings("綠") and "ju" in spellings("居")
    assert all(pinyin.is_reading(char, r) for char in "認们綠居么女中" for r in spellings(char))


@settings(deadline=None, max_examples=300)
@given(KNOWN_WITH_READING, st.sampled_from(["()", "（）", "(）", "（)"]), AROUND, AROUND)
def test_a_reading_after_its_character_goes(known, brackets, before, after) -> None:
    (char, reading), (left, right) = known, brackets
    text = before + char + left + reading + right + after
    out, edits = pinyin.fix(text)
    assert out == before + char + after
    assert [e.before for e in edits] == [char + left + reading + right]
    assert pinyin.fix(out) == (out, [])


@settings(deadline=None, max_examples=300)
@given(st.lists(st.tuples(AROUND, st.one_of(CJK_CHARS, st.sampled_from(list("認們么型愛的中綠女"))),
                          st.sampled_from(["()", "（）"]), CONTENT), max_size=5), AROUND)
def test_a_note_that_is_no_reading_of_its_character_stays(parts, tail) -> None:
    for _, char, _, content in parts:
        assume(content not in spellings(char))
    text = "".join(before + char + left + content + right for before, char, (left, right), content in parts)
    text += tail
    assert pinyin.fix(text) == (text, [])
