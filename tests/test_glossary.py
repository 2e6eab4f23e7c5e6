"""The glossary (seeds/glossary.yml) and its marks in the text: golden matching cases, the
zh-Hant carry-over across a phrase of the zh-Hant table, validation errors (file, line,
field), every alias used or expected absent, the data kept in order (sorted, Traditional =
the edition's converter), the jieba dictionary, and on the built site: counts equal to an
independent count over the cleaned text, every backlink resolving in both editions, nothing
marked in headings or the catalog card.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import goldens
from reader import annotate, corpus, pages, read, script, site, structure
from reader.clean import table
from reader.model import CatalogEntry, EditionError, Line, Mark, Paragraph, Participant

ROOT = Path(__file__).resolve().parent.parent
ENTRY = CatalogEntry(
    slug="2025-01-test", seed="x.txt", title="测试", outlet="某网站", date="2025-01", precision="month",
    date_source="inferred", date_note="据内容", event="访谈", summary="摘要", source_script="zh-Hans",
    participants=(Participant("host", "主持人甲", "Host", "主持人"), Participant("altman", "奥特曼", "Sam Altman", "CEO")),
    speakers={"主持人": "host", "SA": "altman"})
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-Hant/"}
LATIN = re.compile("[A-Za-z0-9]")


@pytest.fixture(scope="module")
def real():
    return corpus.load(ROOT)


@pytest.fixture(scope="module")
def terms():
    return annotate.parse_glossary(read.load_yaml(ROOT / "seeds/glossary.yml", annotate.FILE))


@pytest.fixture(scope="module")
def converter():
    rules = table.parse_rules(read.load_yaml(ROOT / "seeds/corrections/zh-hant.yml", "seeds/corrections/zh-hant.yml"),
                              "seeds/corrections/zh-hant.yml", {e.slug for e in read.load_catalog(ROOT / "seeds")})
    return script.Converter(rules)


# --------------------------------------------------------------------------- golden matching cases

def dump(doc) -> str:
    """Headings as they stand; each paragraph with its marks written in: ⟦text⟧key (* = first)."""
    out = []
    for s in doc.sections:
        out.append(f"[{s.id} h{s.level}] {s.heading}")
        for b in s.blocks:
            for p in b.paragraphs:
                text, at, parts = p.text, 0, []
                for m in p.marks:
                    parts += [text[at:m.start], f"⟦{text[m.start:m.end]}⟧{m.key}{'*' if m.first else ''}"]
                    at = m.end
                parts.append(text[at:])
                out.append(f"  {p.id}: {''.join(parts)}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("case", goldens.cases("annotate"), ids=goldens.case_id)
def test_annotate_golden(case, terms):
    """The real glossary over small documents: AGI inside Chinese and before 。, ARC-AGI, case
    rules, GPT-4 vs GPT-4.5/GPT-4o, exclusions, and headings left unmarked."""
    lines = [Line(i, t) for i, t in enumerate(goldens.read_lines(case), start=1)]
    doc = annotate.annotate(structure.build(ENTRY, lines), annotate.term_matcher(terms))
    goldens.check(case, dump(doc))


def test_headings_carry_no_marks(terms):
    """Only paragraphs are annotated: a heading is text, its term stays plain."""
    lines = [Line(i, t) for i, t in enumerate(goldens.read_lines(
        goldens.GOLDEN / "annotate" / "d_heading_and_exclusion.in.txt"), start=1)]
    doc = annotate.annotate(structure.build(ENTRY, lines), annotate.term_matcher(terms))
    headings = [s.heading for s in doc.sections if s.heading]
    assert any("AGI" in h for h in headings), headings
    assert not any(hasattr(s, "marks") and s.marks for s in doc.sections)


# --------------------------------------------------------------------------- zh-Hant across a phrase

def _hant_marks(text: str, marks: list[Mark], conv) -> tuple[str, list[str]]:
    p = Paragraph("p1-1", text, (1,), marks=tuple(marks))
    q = script._para_to_hant(p, conv)
    return q.text, [q.text[m.start:m.end] for m in q.marks]


def test_hant_phrase_across_a_mark_boundary(converter):
    """“一年半里” is a phrase of the zh-Hant table (s2tw reads 半里 as a length); a mark covering
    一年半 ends inside it. The whole paragraph is converted, the mark still covers 一年半."""
    text = "在过去一年半里有哪些变化？"
    start = text.index("一年半")
    hant, covered = _hant_marks(text, [Mark(start, start + 3, "term", "x", True)], converter)
    assert hant == "在過去一年半裡有哪些變化？"
    assert covered == ["一年半"]


def test_hant_length_changing_phrase_across_a_mark(converter):
    """A table phrase that changes the length and crosses the mark's end: offsets are mapped."""
    rule = table.Rule("年半裡", "年又半裡", "test", table="t", line=1)
    conv = script.Converter(list(converter.rules) + [rule])
    text = "OpenAI在过去一年半里发布了GPT-4o。"
    a, g = text.index("一年半"), text.index("GPT-4o")
    hant, covered = _hant_marks(text, [Mark(0, 6, "term", "o", True), Mark(a, a + 3, "term", "x", True),
                                       Mark(g, g + 6, "term", "gpt-4o", True)], conv)
    assert hant == "OpenAI在過去一年又半裡發布了GPT-4o。"
    assert covered == ["OpenAI", "一年又半", "GPT-4o"]


def test_real_marks_carry_into_hant(real, converter):
    """Every mark of the real corpus covers in zh-Hant the conversion of what it covers in zh-Hans
    (the Traditional of a form is the form converted alone, up to the table's phrases)."""
    bad = []
    for d in real.docs:
        h = script.to_hant(d, converter)
        for p, q in zip(d.paragraphs(), h.paragraphs()):
            for m, n in zip(p.marks, q.marks):
                if m.kind == "term" and converter(p.text[m.start:m.end]) != q.text[n.start:n.end]:
                    bad.append(f"{d.entry.slug}#{p.id}: {p.text[m.start:m.end]!r} -> {q.text[n.start:n.end]!r}")
    assert not bad, bad[:10]


# --------------------------------------------------------------------------- validation

def _load(tmp_path: Path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return annotate.parse_glossary(read.load_yaml(path, annotate.FILE))


GOOD = """\
- id: agi
  headword: 通用人工智能
  headword_hant: 通用人工智能
  english: AGI
  aliases: [AGI]
  definition: 定义。
  definition_hant: 定義。
"""


@pytest.mark.parametrize("text, line, field, words", [
    (GOOD + "  colour: red\n", 8, "colour", "unknown field"),
    (GOOD.replace("  definition: 定义。\n", ""), 1, "definition", "non-empty"),
    (GOOD.replace("id: agi", "id: AGI"), 1, "id", "ASCII id"),
    (GOOD + GOOD.replace("english: AGI", "english: again"), 8, "id", "already defined on line 1"),
    (GOOD + "  related: [asi]\n", 1, "agi.related", "'asi' is not another term's id"),
    (GOOD + "  case: sometimes\n", 8, "case", "sensitive or insensitive"),
    (GOOD + "  expected_absent: {通用AI: 未用}\n", 1, "agi.expected_absent", "not one of its aliases"),
    (GOOD + GOOD.replace("id: agi", "id: agi2").replace("headword: 通用人工智能", "headword: 强人工智能"),
     8, "agi2.aliases", "'AGI' also names 'agi'"),
    (GOOD.replace("aliases: [AGI]", "aliases: AGI"), 5, "aliases", "must be a list"),
])
def test_glossary_errors_name_file_line_field(tmp_path, text, line, field, words):
    with pytest.raises(EditionError) as err:
        _load(tmp_path, text)
    e = err.value
    assert (e.file, e.line, e.field) == (annotate.FILE, line, field), str(e)
    assert words in e.message, str(e)


def test_good_glossary_loads(tmp_path):
    (t,) = _load(tmp_path, GOOD)
    assert t.forms() == ("通用人工智能", "AGI")


# --------------------------------------------------------------------------- the data

def test_terms_sorted_and_complete(terms):
    ids = [t.id for t in terms]
    assert ids == sorted(ids), "seeds/glossary.yml: keep the terms sorted by id"
    assert {"agi", "asi", "pbc", "scaling", "arc-agi", "chain-of-thought", "compute", "distillation",
            "gpt-4", "gpt-4-5", "gpt-4o", "hallucination", "non-profit", "capped-profit", "o1", "reasoning",
            "agents", "chatgpt-pro", "sag", "ssc", "dsb", "model-spec", "open-source"} <= set(ids)


def test_definitions_in_both_scripts(terms, converter):
    """The Traditional is the edition's converter applied to the Simplified (edit the Simplified,
    then convert); the first sentence, the hover gloss, is short; 2 to 4 sentences."""
    for t in terms:
        assert t.headword_hant == converter(t.headword), t.id
        assert t.definition_hant == converter(t.definition), t.id
        sentences = [s for s in re.split(r"(?<=[。！？])", t.definition) if s]
        assert 2 <= len(sentences) <= 4 or (len(sentences) == 1 and t.id == "sora"), (t.id, len(sentences))
        assert len(sentences[0]) <= 120, t.id


def _used_forms(real) -> Counter:
    used: Counter = Counter()
    by_id = {t.id: t for t in real.terms}
    for d in real.docs:
        for p in d.paragraphs():
            for m in p.marks:
                if m.kind == "term":
                    t = by_id[m.key]
                    found = p.text[m.start:m.end]
                    for f in t.forms():
                        if f == found or (t.case == "insensitive" and f.casefold() == found.casefold()):
                            used[(t.id, f)] += 1
    return used


def test_every_alias_used_or_expected_absent(real):
    used = _used_forms(real)
    problems = []
    for t in real.terms:
        absent = dict(t.expected_absent)
        for f in t.forms():
            if not used[(t.id, f)] and f not in absent:
                problems.append(f"{t.id}: {f!r} never matches: remove it or list it in expected_absent with a reason")
            if used[(t.id, f)] and f in absent:
                problems.append(f"{t.id}: {f!r} is listed as absent but matches {used[(t.id, f)]} times")
    assert not problems, "\n".join(problems)


def test_search_dictionary_has_every_form(real):
    """jieba's user dictionary: every headword (both scripts) and alias without a space; the
    zh-Hant build adds the Traditional forms (site.load_edition)."""
    words = set(pages.search_terms(real, []))
    for t in real.terms:
        for f in (t.headword, t.headword_hant) + t.aliases:
            assert f in words or " " in f, f
    _, hant = site.load_edition(ROOT, "zh-Hant")
    assert {"通用人工智能", "超級智能", "思維鏈", "知識蒸餾"} <= set(hant)


# --------------------------------------------------------------------------- on the built site

def independent_counts(real) -> dict[str, Counter]:
    """term id -> Counter(slug): every form found with str.find (case-folded where the term says
    so), Latin forms only where no Latin letter or digit touches them (nor .5 / -x after), then
    leftmost-longest without overlaps; exclusions and the spans the edition protects (〔…〕
    conjectures, URLs) count for nothing. Computed without the Matcher."""
    forms = []
    names = {f.casefold() for t in real.terms for f in t.forms()}
    for t in real.terms:
        fold = t.case == "insensitive"
        forms += [(f, t.id, fold) for f in t.forms()]
        forms += [(x, "", fold) for x in t.exclude if x.casefold() not in names]
    for person in getattr(real, "people", []):  # names compete for the same text (one matcher)
        forms += [(f, "", False) for f in person.forms() + person.exclude]
    out: dict[str, Counter] = {t.id: Counter() for t in real.terms}
    for d in real.docs:
        for p in d.paragraphs():
            text = p.text
            hits = []
            for form, key, fold in forms:
                hay, needle = (text.lower(), form.lower()) if fold else (text, form)
                assert len(hay) == len(text)
                at = hay.find(needle)
                while at >= 0:
                    end = at + len(form)
                    ok = True
                    if LATIN.match(form[0]) and at > 0 and LATIN.match(text[at - 1]):
                        ok = False
                    if LATIN.match(form[-1]) and end < len(text) and (
                            LATIN.match(text[end]) or (text[end] in ".-" and end + 1 < len(text)
                                                       and LATIN.match(text[end + 1]))):
                        ok = False
                    if ok:
                        hits.append((at, -len(form), key))
                    at = hay.find(needle, at + 1)
            protected = [(m.start(), m.end()) for m in re.finditer(r"〔[^〔〕]*〕|https?://\S+", text)]
            taken = 0
            for at, neg, key in sorted(hits):
                if at < taken:
                    continue
                taken = at - neg
                if key and not any(a < taken and at < b for a, b in protected):
                    out[key][d.entry.slug] += 1
    return out


def _table(page: str) -> dict[str, list[int]]:
    """The term × document table of a glossary page: id -> [count per document..., total]."""
    body = page.split('id="terms-by-document"', 1)[1]
    rows = {}
    for m in re.finditer(r'<tr><th scope="row"><a href="#([^"]+)">.*?</a></th>(.*?)</tr>', body):
        rows[html.unescape(m.group(1))] = [int(c or 0) for c in re.findall(r"<td>(\d*)</td>", m.group(2))]
    return rows


@pytest.mark.parametrize("edition", EDITIONS)
def test_glossary_counts_equal_independent_count(built_site, real, edition):
    page = (built_site / EDITIONS[edition] / "glossary" / "index.html").read_text(encoding="utf-8")
    rows = _table(page)
    expected = independent_counts(real)
    slugs = [d.entry.slug for d in real.docs]
    assert set(rows) == {t.id for t in real.terms}
    for t in real.terms:
        want = [expected[t.id][s] for s in slugs]
        assert rows[t.id] == want + [sum(want)], (t.id, rows[t.id], want)
        total = sum(want)
        m = re.search(rf'<h2 id="{re.escape(t.id)}".*?(?=<h2 )', page, re.S)
        assert m, t.id
        section = m.group()
        assert len(re.findall(r'<a class="kwic-ref"', section)) == total, t.id
    # the seeds' 67 AGI: 3 in headings, 1 inside ARC-AGI, 63 in paragraphs; and 通用人工智能 twice
    assert sum(expected["agi"].values()) == 65
    assert sum(expected["arc-agi"].values()) == 1


def test_glossary_order_is_computed_at_load(real, monkeypatch):
    """Every term carries its pinyin key from corpus.load (cached with the corpus), so rendering
    never imports pypinyin: computed at render, it cost a warm build 0.3 s and 50 MiB (bench)."""
    from reader import render

    assert all(t.sort_key for t in real.terms)

    def no_pinyin(_):
        raise AssertionError("pinyin computed at render")

    monkeypatch.setattr(render, "pinyin_key", no_pinyin)
    assert [t.id for t in render.glossary_order(real.terms)][:2] == ["ai-action-plan", "ssc"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_glossary_in_pinyin_order_in_both_scripts(built_site, real, edition):
    """The list at the top, the entries and the table in one order, the index of persons': by the
    pinyin of the Simplified headword, a Latin headword by its letters among them."""
    from reader import render

    page = (built_site / EDITIONS[edition] / "glossary" / "index.html").read_text(encoding="utf-8")
    index = page.split('class="glossary-index"', 1)[1].split("</ul>", 1)[0]
    listed = [html.unescape(i) for i in re.findall(r'<li><a href="#([^"]+)">', index)]
    entries = [html.unescape(i) for i in re.findall(r'<h2 id="([^"]+)">', page)]
    expected = [t.id for t in sorted(real.terms, key=lambda t: (render.pinyin_key(t.headword), t.headword, t.id))]
    assert listed == [i for i in entries if i in listed] == list(_table(page)) == expected
    assert expected[:5] == ["ai-action-plan", "ssc", "sag", "api", "arc-agi"]  # AI…, 安全…, API, ARC-AGI
    assert expected.index("agi") > expected.index("gpt-5")  # 通用人工智能 tong-…, not AGI


def _ids(path: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_glossary_link_resolves(built_site, real, edition):
    """Every backlink of the glossary page (KWIC lines, counts, table) and every term link in the
    documents lands on an existing id, in both editions."""
    root = built_site / EDITIONS[edition]
    gloss = root / "glossary" / "index.html"
    gloss_ids = _ids(gloss)
    page = gloss.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*)"', page.split('<article', 1)[1].split("</article>", 1)[0])
    checked = 0
    for href in links:
        href = html.unescape(href)
        if href.startswith("#"):
            assert href[1:] in gloss_ids, href
            checked += 1
        elif href.startswith("../") and "#" in href:
            target, anchor = href[3:].split("#", 1)
            assert anchor in _ids(root / target / "index.html"), href
            checked += 1
    assert checked > 500
    for t in real.terms:
        assert t.id in gloss_ids, t.id
    for d in real.docs:
        text = (root / d.entry.slug / "index.html").read_text(encoding="utf-8")
        for term in re.findall(r'<a class="term" href="\.\./glossary/#([a-z0-9-]+)"', text):
            assert term in gloss_ids, (d.entry.slug, term)


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_terms_in_headings_or_card(built_site, real, edition):
    root = built_site / EDITIONS[edition]
    marked = 0
    for d in real.docs:
        text = (root / d.entry.slug / "index.html").read_text(encoding="utf-8")
        card = re.search(r'<dl class="doc-card">.*?</dl>', text, re.S).group()
        assert 'class="term"' not in card, d.entry.slug
        for h in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", text, re.S):
            assert 'class="term"' not in h, (d.entry.slug, h[:80])
        for a in re.findall(r'<a class="term"[^>]*>', text):  # attributes hold no nested markup
            assert "<" not in a[1:]
        marked += text.count('class="term"')
    assert marked > 150


@pytest.mark.parametrize("edition, words", [("zh-Hans", ("通用人工智能", "超级智能")),
                                            ("zh-Hant", ("通用人工智能", "超級智能"))])
def test_search_index_keeps_terms_whole(built_site, edition, words):
    index = json.loads((built_site / EDITIONS[edition] / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "".join(d["text"] for d in index["docs"])
    for w in words:
        assert f"\u200b{w}\u200b" in text, w
        assert f"\u200b{w[:2]}\u200b{w[2:]}\u200b" not in text, w


TWICE = "暗示GPT-5即将推出，而且免费用户也可以体验GPT-5。"
HAN = "一二三四五六七八九十" * 3


@pytest.mark.parametrize("text, word, last, expected", [
    # the left edge falls inside the first GPT-5: the whole word is left out, not "…PT-5"
    (TWICE, "GPT-5", True, ("…即将推出，而且免费用户也可以体验", "GPT-5", "。")),
    # the right edge falls inside the second GPT-5: left out whole, not "GPT-…"
    (TWICE, "GPT-5", False, ("暗示", "GPT-5", "即将推出，而且免费用户也可以体验…")),
    # an edge between two Han characters is kept where it falls
    (HAN + "算力" + HAN, "算力", False, ("…" + HAN[10:], "算力", HAN[:20] + "…")),
])
def test_kwic_never_cuts_a_latin_word(text, word, last, expected):
    start = text.rfind(word) if last else text.find(word)
    assert annotate.kwic(text, start, start + len(word)) == expected


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_indexes_definitions_and_cards_not_the_contexts(built_site, edition):
    """The glossary's, people's and timeline's entries are found by their own words, not by the
    document text their contexts quote (the documents are in the index already): the index holds
    no context line, no summary of them, not the table of counts nor the timeline's filters; a
    card's labels and values (glossary, people, a document's catalog card) stay apart ("相关词条
    通用人工智能", not "相关词条通用人工智能") for the result's preview."""
    index = json.loads((built_site / EDITIONS[edition] / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: d["text"].replace("\u200b", "") for d in index["docs"]}
    for page, entry, label in (("glossary", "asi", "相关词条"), ("people", "altman", "出现次数")):
        text = entries[f"{page}/#{entry}"]
        if edition == "zh-Hant":
            label = {"相关词条": "相關詞條", "出现次数": "出現次數"}[label]
        assert re.search(rf"(^|\s){label}\s", text), text[-300:]
        assert "#p" not in text and "<ol>" not in text, text[-300:]  # no context line (#p2-1 …)
        assert "上下文" not in text  # the contexts' summary (the same in both scripts)
    assert not entries.get("glossary/#terms-by-document", "").strip()
    assert "#p" not in entries["timeline/#y2012"] and "AlexNet" in entries["timeline/#y2012"]  # the same for events
    assert "全部篇目" not in entries["timeline/"]  # nor the timeline's filters
    card = entries["2024-04-20vc-altman-lightcap/"]  # a document's catalog card: labels and values apart
    assert re.search(r"(来源|來源) wailaike\.net (日期|日期) ", card), card[:200]


def test_gloss_names_the_english_once():
    """The hover gloss's head: headword（English）, never the same name twice."""
    from reader import render

    assert render.gloss_label("GPT-5", "GPT-5") == "GPT-5"
    assert render.gloss_label("Grok", "Grok (xAI)") == "Grok（xAI）"
    assert render.gloss_label("对齐", "alignment") == "对齐（alignment）"
    assert render.gloss_label("API", "application programming interface (API)") == "API（application programming interface (API)）"
