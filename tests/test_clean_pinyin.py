"""Tests for reader.clean.pinyin: golden files, the seeds, and properties.

Golden files (see goldens.py): tests/golden/pinyin/<case>.in.txt holds input lines;
<case>.out.txt holds fix() of each line, then a section listing every edit. With
REGEN_GOLDEN=1 the test writes the .out files instead of comparing (`make golden`).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    [("認(rèn)", "認"), ("團(tuán)隊", "團隊"), ("關(guān)於", "關於"), ("認（rèn）為", "認為"), ("女(nǚ)", "女")],
)
def test_annotation_removed(text: str, expected: str) -> None:
    out, edits = pinyin.fix(text)
    assert out == expected
    assert [(e.after, e.rule) for e in edits] == [(text[0], "pinyin")]
    assert edits[0].before in text


@pytest.mark.parametrize(
    "text",
    ["時(思維鏈)", "(笑)", "西原(Robert Nishihara)", "支付(micro payments)", "公司(PBC)", "界面(UI)",
     "等待(1)", "未來(即將)", "拼音(ren)", "大寫(Rèn)", "A(rèn)", ""],
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
@given(st.lists(st.sampled_from(list("認團(（)）rènüǎ a中1")), max_size=30).map("".join))
def test_annotation_like_text(text: str) -> None:
    out, edits = pinyin.fix(text)
    assert pinyin.fix(out) == (out, [])
    assert len(out) == len(text) - sum(len(e.before) - len(e.after) for e in edits)
