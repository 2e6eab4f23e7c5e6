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


def reference_map(pairs, cut, convert):
    """build_map as first written: every occurrence counted and checked one by one (the
    reference that build_map's counting per distinct pair must equal)."""
    from collections import Counter, defaultdict

    han, pick, charwise = searchmap._han, searchmap._pick, searchmap._charwise
    pairs = [(s, t) for s, t in pairs if s or t]
    fwd: dict = defaultdict(Counter)
    rev: dict = defaultdict(Counter)
    own = {}
    for s, t in pairs:
        for ch in s:
            if han(ch) and ch not in own:
                conv = convert(ch)
                own[ch] = conv if len(conv) == 1 and han(conv) else ch
        if len(s) == len(t):
            for a, b in zip(s, t):
                if han(a) and han(b):
                    fwd[a][b] += 1
                    rev[b][a] += 1
    for a, b in own.items():
        fwd[a][b] += 0
        rev[b][a] += 0
    reverse_own: dict = {}
    for a in sorted(own):
        reverse_own.setdefault(own[a], a)
    hans_text, hant_text = "\n".join(s for s, _ in pairs), "\n".join(t for _, t in pairs)
    out_fwd = {a: b for a, c in fwd.items() if (b := pick(c, own.get(a))) != a and a not in hant_text}
    out_rev = {b: a for b, c in rev.items() if (a := pick(c, reverse_own.get(b))) != b and b not in hans_text}
    phrases_fwd: dict = defaultdict(Counter)
    phrases_rev: dict = defaultdict(Counter)
    for s, t in pairs:
        if len(s) != len(t):
            continue
        start = 0
        for word in cut(s):
            ws, wt = s[start:start + len(word)], t[start:start + len(word)]
            start += len(word)
            if len(ws) < 2 or not all(han(ch) for ch in ws + wt):
                continue
            if charwise(ws, out_fwd) != wt and ws not in hant_text:
                phrases_fwd[ws][wt] += 1
            if charwise(wt, out_rev) != ws and wt not in hans_text:
                phrases_rev[wt][ws] += 1
    out_fwd.update({k: pick(c, None) for k, c in phrases_fwd.items()})
    out_rev.update({k: pick(c, None) for k, c in phrases_rev.items()})
    longest = max((len(k) for k in (*out_fwd, *out_rev)), default=1)
    return {"hans2hant": dict(sorted(out_fwd.items())), "hant2hans": dict(sorted(out_rev.items())), "max": longest}


@pytest.fixture(scope="module")
def real_pairs():
    """The real corpus's aligned pairs, jieba taught our words, and the zh-Hant converter."""
    from reader import site

    hans, terms = site.load_edition(ROOT, "zh-Hans")
    hant, _ = site.load_edition(ROOT, "zh-Hant")
    site.teach_jieba(terms)
    return list(searchmap.pairs(hans.docs, hant.docs)), site.jieba_words([]), hant.conv


def test_counting_per_distinct_pair_equals_counting_each_occurrence(real_pairs):
    import jieba

    pairs, _, conv = real_pairs
    cuts = {s: jieba.lcut(s) for s, t in pairs if len(s) == len(t)}
    assert build_map(pairs, cuts.__getitem__, conv) == reference_map(pairs, cuts.__getitem__, conv)
    made_up = [("头发头发", "頭髮頭發"), ("发展发布", "發展發布"), ("干涉干活", "干涉幹活"), ("头", "頭頭")]
    cut = cut_words("头发", "发展", "发布", "干涉", "干活")
    assert build_map(made_up, cut, conv) == reference_map(made_up, cut, conv)


def test_remembered_cuts_give_the_fresh_map_and_cut_only_what_changed(real_pairs, tmp_path, monkeypatch):
    """Cuts (jieba's words per text, in .cache/searchmap/) on the real corpus: the map equals a
    fresh build_map with jieba.lcut, first from nothing, then from the file, then after one
    paragraph changed, when only that paragraph is cut again."""
    import jieba

    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    monkeypatch.setattr(searchmap, "_cuts", {})
    pairs, words, conv = real_pairs
    fresh = build_map(pairs, jieba.lcut, conv)
    first = searchmap.Cuts(tmp_path, words)
    assert build_map(pairs, first, conv) == fresh
    first.save()
    assert first.missed == len({s for s, t in pairs if s and len(s) == len(t)})
    assert list((tmp_path / searchmap.CUT_DIR).glob("*.pickle"))
    searchmap._cuts.clear()  # the next build's process: from the file
    second = searchmap.Cuts(tmp_path, words)
    assert build_map(pairs, second, conv) == fresh and second.missed == 0
    second.save()
    i = next(i for i, (s, t) in enumerate(pairs) if len(s) > 20 and len(s) == len(t))
    changed = list(pairs)
    changed[i] = (pairs[i][0] + "头发", pairs[i][1] + "頭髮")  # one paragraph edited (a new word in it)
    third = searchmap.Cuts(tmp_path, words)
    assert build_map(changed, third, conv) == build_map(changed, jieba.lcut, conv) != fresh
    assert third.missed == 1
    other = searchmap.Cuts(tmp_path, words | {"头发头发"})  # another dictionary state: nothing remembered
    assert other.state != third.state and other.memo == {}


def test_remembered_cuts_are_off_with_the_caches(real_pairs, tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CORPUS_CACHE", "0")
    pairs, words, conv = real_pairs
    cut = searchmap.Cuts(tmp_path, words)
    build_map(pairs[:50], cut, conv)
    cut.save()
    assert cut.memo == {} and not (tmp_path / searchmap.CUT_DIR).exists()


def test_the_second_edition_takes_the_first_ones_map_only_for_the_same_inputs(real_pairs, monkeypatch):
    """for_edition in the zh-Hant build of the same process: the same pairs, words and converter
    as the zh-Hans build's give its text; any other input is mapped afresh."""
    from reader import site

    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    monkeypatch.setattr(searchmap, "_last", {})
    hans, hant = site.load_edition(ROOT, "zh-Hans")[0], site.load_edition(ROOT, "zh-Hant")[0]
    text = searchmap.for_edition(ROOT, hans)
    assert searchmap.for_edition(ROOT, hant) is text
    aligned, words, conv, _ = searchmap._last["map"]
    first = next(iter(words))
    for other in [(aligned, {**words, first: [first]}, conv),  # one text cut otherwise
                  (aligned[:-1], words, conv),  # another text
                  (aligned, words, type(conv)())]:  # another converter (no zh-hant.yml rules)
        searchmap._last["map"] = (*other, "stale")
        assert searchmap.for_edition(ROOT, hant) == text
    searchmap._last["map"] = (aligned, dict(words), conv, "stale")
    assert searchmap.for_edition(ROOT, hant) == "stale"  # equal inputs: the text is taken as it is
