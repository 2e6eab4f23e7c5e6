"""Golden tests for the table-driven and punctuation stages, with the project's real tables,
and hypothesis properties for the whole cleaner.

Data flow: tests/golden/<stage>/*.in.txt -> stage fix -> compared with *.out.txt.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goldens
from reader import cjk, clean, corpus, read
from reader.clean import names, overconversion, punctuation
from reader.model import CatalogEntry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CJK = cjk.HAN
RAY = "2024-10-ray-summit-weil"


@pytest.fixture(scope="module")
def tables() -> clean.Tables:
    return corpus.load_tables(SEEDS, {e.slug for e in read.load_catalog(SEEDS)})


def stage_fix(stage: str, tables: clean.Tables):
    if stage == "punctuation":
        return punctuation.fix
    if stage == "overconversion":
        return overconversion.fixer("zh-TW", tables.protect, [r for r in tables.overconversion if r.applies(RAY)])
    if stage == "names":
        return names.fixer(tables.names)
    raise KeyError(stage)


STAGES = ("punctuation", "overconversion", "names")


@pytest.mark.parametrize("case", [c for s in STAGES for c in goldens.cases(s)],
                         ids=lambda p: f"{p.parent.name}-{goldens.case_id(p)}")
def test_golden(case: Path, tables):
    fix = stage_fix(case.parent.name, tables)
    goldens.check(case, goldens.line_fix_output(goldens.read_lines(case), fix))


def test_punctuation_keeps_numbers_and_urls():
    for text in ("76,000", "36:07", "87.5%", "https://a.b/c?d=1,2", "the big, the biggie"):
        assert punctuation.fix(f"中文 {text}")[0].endswith(text)


@pytest.mark.parametrize(("text", "once"), [
    ("?!、", "？！、"),  # the example hypothesis found: a mark saw its neighbour as it was in the input
    ("??!、", "？？！、"),
    ("?!?!中", "？！？！中"),
    ("中?!?!", "中？！？！"),
    ("()()“", "（）（）“"),  # the second pair converts, then the first sees it
    ("。.:", "。："),  # the stray '.' goes, then ':' touches '。'
    (":\u3000“", "：“"),  # an ideographic space is skipped like a space (it is dropped later)
    ("Really?!", "Really?!"),
])
def test_punctuation_reaches_a_fixed_point(text, once):
    out, _ = punctuation.fix(text)
    assert out == once
    assert punctuation.fix(out) == (out, [])


#: Mostly the characters the stage reads, so runs of marks, pairs and spaces are common
#: (with hypothesis' default text strategy a run of three marks almost never came up).
PUNCT_TEXT = st.text(alphabet=st.one_of(
    st.sampled_from(list("中文,:;?!()\"「」『』“”。，、？！ 1a.\u3000/")),
    st.characters(blacklist_categories=("Cs",))), max_size=40)


@settings(max_examples=1000, deadline=None)
@given(PUNCT_TEXT)
def test_punctuation_is_idempotent(text):
    once, _ = punctuation.fix(text)
    assert punctuation.fix(once) == (once, [])


def test_overconversion_protects_meaning(tables):
    fix = stage_fix("overconversion", tables)
    assert fix("關於AI的類比")[0] == "关于AI的类比"  # tw2sp alone says 模拟 (analog)
    assert fix("擴充套件")[0] == "扩展"
    assert fix("實作")[0] == "实现"


# ---------------------------------------------------------------- properties of the cleaner

ENTRY = CatalogEntry(slug="2024-01-prop", seed="x.txt", title="t", outlet="o", date="2024", precision="year",
                     date_source="inferred", date_note="n", event="e", summary="s", source_script="zh-Hans",
                     participants=(), speakers={})
TEXT = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
    st.sampled_from(list("(),:;?!\"“”。，？！ 12.abcèāǎ•·\n認關?€")),
    st.characters(blacklist_categories=("Cs",))), max_size=80)


def _clean(text: str):
    lines, changes = clean.run(ENTRY, text, clean.Tables())
    return "\n".join(ln.text for ln in lines), changes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_cleaner_is_idempotent(text):
    once, _ = _clean(text)
    twice, changes = _clean(once)
    assert twice == once
    assert [c for c in changes if c.before != c.after] == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_cleaner_loses_no_cjk_silently(text):
    out, changes = _clean(text)
    lost = Counter(CJK.findall(text)) - Counter(CJK.findall(out))
    logged = Counter(ch for c in changes for ch in CJK.findall(c.before))
    assert not (lost - logged), f"lost without a logged change: {lost - logged}"
