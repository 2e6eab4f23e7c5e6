"""The search map (hooks/reader/searchmap.py): characters and phrases of the two scripts,
so that a query in either script finds the edition being read. Pure function tests on small
made-up pairs, then the real corpus (the words of issue 16 both ways)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from reader import searchmap
from reader.searchmap import build_map, convert_query

ROOT = Path(__file__).resolve().parent.parent


def cut_words(*words: str):
    """A tiny jieba: longest known word first, else one character."""
    def cut(text: str) -> list[str]:
        out, i = [], 0
        while i < len(text):
            for w in sorted(words, key=len, reverse=True):
                if text.startswith(w, i):
                    out.append(w)
                    i += len(w)
                    break
            else:
                out.append(text[i])
                i += 1
        return out
    return cut


def one_char(table: dict[str, str]):
    return lambda ch: table.get(ch, ch)


def test_characters_both_ways():
    m = build_map([("奥特曼说", "奧特曼說")], cut_words(), one_char({"奥": "奧", "说": "說"}))
    assert m["hans2hant"] == {"奥": "奧", "说": "說"}
    assert m["hant2hans"] == {"奧": "奥", "說": "说"}
    assert convert_query("奥特曼", m["hans2hant"], m["max"]) == "奧特曼"
    assert convert_query("奧特曼", m["hant2hans"], m["max"]) == "奥特曼"


def test_a_character_never_aligned_still_maps_by_its_own_conversion():
    # the pair's lengths differ (a phrase rule changed the length): no alignment, characters only
    m = build_map([("马斯克来了", "馬斯克來")], cut_words(), one_char({"马": "馬", "来": "來"}))
    assert m["hans2hant"] == {"马": "馬", "来": "來"}
    assert m["hant2hans"] == {"馬": "马", "來": "来"}


def test_majority_decides_and_phrases_carry_the_exceptions():
    pairs = [("发展发布", "發展發布"), ("头发", "頭髮")]
    m = build_map(pairs, cut_words("发展", "发布", "头发"), one_char({"发": "發", "头": "頭", "展": "展"}))
    assert m["hans2hant"]["发"] == "發"  # three times 發, once 髮
    assert m["hans2hant"]["头发"] == "頭髮"  # the word converts otherwise than character by character
    assert "发展" not in m["hans2hant"]  # character by character is right: no phrase needed
    assert convert_query("头发", m["hans2hant"], m["max"]) == "頭髮"
    assert convert_query("发展", m["hans2hant"], m["max"]) == "發展"
    assert m["hant2hans"]["髮"] == "发" and m["hant2hans"]["發"] == "发"


def test_a_key_the_edition_itself_holds_is_left_alone():
    # 干 stands in the zh-Hant text too (干涉): a zh-Hant reader typing 干 means 干, not 幹
    pairs = [("干涉", "干涉"), ("干什么", "幹什麼"), ("干活", "幹活")]
    m = build_map(pairs, cut_words("干涉", "干什么", "干活"), one_char({"干": "幹", "么": "麼"}))
    assert "干" not in m["hans2hant"]
    assert m["hans2hant"]["干活"] == "幹活" and m["hans2hant"]["干什么"] == "幹什麼"
    assert convert_query("干涉", m["hans2hant"], m["max"]) == "干涉"
    # 著: the zh-Hans text holds it (显著), so only the words with 着 map: 意味著 -> 意味着
    pairs = [("显著", "顯著"), ("意味着", "意味著")]
    m = build_map(pairs, cut_words("显著", "意味着"), one_char({"显": "顯", "着": "著"}))
    assert "著" not in m["hant2hans"]
    assert convert_query("意味著", m["hant2hans"], m["max"]) == "意味着"
    assert convert_query("顯著", m["hant2hans"], m["max"]) == "显著"


def test_punctuation_and_latin_are_not_keys():
    m = build_map([("“GPT-4”说", "「GPT-4」說")], cut_words(), one_char({"说": "說", "“": "「", "”": "」"}))
    assert set(m["hans2hant"]) == {"说"}


def test_longest_key_first():
    table = {"头": "頭", "头发": "頭髮", "发": "發"}
    assert convert_query("头发长", table, 2) == "頭髮长"
    assert convert_query("发头", table, 2) == "發頭"
    assert convert_query("", table, 2) == ""


def test_script_is_deterministic_and_loadable():
    pairs = [("奥特曼说", "奧特曼說"), ("头发", "頭髮"), ("发展发布", "發展發布")]
    conv = one_char({"奥": "奧", "说": "說", "头": "頭", "发": "發"})
    cut = cut_words("头发", "发展", "发布")
    a = searchmap.script(build_map(pairs, cut, conv))
    b = searchmap.script(build_map(list(reversed(pairs)), cut, conv))
    assert a == b
    prefix = "window.__readerSearchMap="
    body = a[a.index(prefix) + len(prefix):].rstrip().rstrip(";")
    assert json.loads(body)["hans2hant"]["头发"] == "頭髮"
    assert "<" not in a  # nothing a browser could read as markup


@pytest.fixture(scope="module")
def real_map():
    from reader import site

    edition, terms = site.load_edition(ROOT, "zh-Hans")
    site.teach_jieba(terms)
    text = searchmap.for_edition(ROOT, edition)
    prefix = "window.__readerSearchMap="
    return json.loads(text[text.index(prefix) + len(prefix):].rstrip().rstrip(";"))


@pytest.mark.parametrize(("hans", "hant"), [("奥特曼", "奧特曼"), ("莱特卡普", "萊特卡普"),
                                            ("超级智能", "超級智能"), ("马斯克", "馬斯克")])
def test_real_corpus_words_both_ways(real_map, hans, hant):
    assert convert_query(hans, real_map["hans2hant"], real_map["max"]) == hant
    assert convert_query(hant, real_map["hant2hans"], real_map["max"]) == hans
    # typed in the edition's own script, a query stays as it is
    assert convert_query(hant, real_map["hans2hant"], real_map["max"]) == hant
    assert convert_query(hans, real_map["hant2hans"], real_map["max"]) == hans


def test_real_map_is_small(real_map):
    assert 300 < len(real_map["hans2hant"]) < 5000
    assert len(json.dumps(real_map, ensure_ascii=False).encode()) < 64 * 1024
