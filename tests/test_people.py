"""The index of persons and organizations (issue 14, item 6): seeds/people.yml, the names in the
text, the catalog's participants, the people page.

Data flow: seeds/people.yml -> annotate.parse_people -> [Person]; with the glossary through ONE
annotate.matcher -> person marks on paragraphs; read.load_catalog resolves participants {id, role}
through people.yml; render.people_index -> people/index.html in both editions (built_site).
Counts on the page are compared with an independent scan of the cleaned text.
"""
from __future__ import annotations

import html
import html.parser
import re
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from reader import annotate, corpus, pages, read, render, script, site
from reader.annotate import Person, Term
from reader.model import Block, CatalogEntry, Document, EditionError, Paragraph, Participant, Section

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def real() -> corpus.Corpus:
    return corpus.load(ROOT)


def _load(text: str, tmp_path: Path, name: str = "seeds/people.yml"):
    path = tmp_path / "people.yml"
    path.write_text(text, encoding="utf-8")
    return read.load_yaml(path, name)


GOOD = textwrap.dedent("""\
    - id: altman
      kind: person
      name_zh: 山姆·奥特曼
      name_hant: 山姆·奧特曼
      name_en: Sam Altman
      aliases: [奥特曼, Sam]
      identification: OpenAI首席执行官。
      identification_hant: OpenAI首席執行官。
    - id: twitter
      kind: organization
      name_zh: 推特
      name_hant: 推特
      name_en: Twitter
      exclude: [条推特]
      identification: 社交平台。
      identification_hant: 社交平臺。
      expected_absent: {Twitter: 测试}
""")


def parse(text: str, tmp_path: Path) -> list[Person]:
    return annotate.parse_people(_load(text, tmp_path))


def test_good_people_parse(tmp_path):
    altman, twitter = parse(GOOD, tmp_path)
    assert altman.forms() == ("山姆·奥特曼", "Sam Altman", "奥特曼", "Sam") and altman.line == 1
    assert twitter.kind == "organization" and twitter.exclude == ("条推特",)
    assert twitter.expected_absent == (("Twitter", "测试"),)


CASES = [
    # (what is changed, replacement, expected line, expected field, words in the message)
    ("  kind: person\n", "  kind: person\n  colour: red\n", 3, "colour", "unknown field"),
    ("- id: twitter", "- id: altman", 9, "id", "already defined on line 1"),
    ("- id: twitter", "- id: Twitter", 9, "id", "not an ASCII id"),
    ("- id: twitter", "- id: top", 9, "id", "index page itself"),
    ("kind: organization", "kind: company", 10, "kind", "person or organization"),
    ("  identification: 社交平台。\n", "", 9, "identification", "non-empty text"),
    ("  name_hant: 推特\n", "  name_hant: ''\n", 12, "name_hant", "non-empty text"),
    ("  aliases: [奥特曼, Sam]", "  aliases: 奥特曼", 6, "aliases", "must be a list"),
    ("  aliases: [奥特曼, Sam]", "  aliases: [奥特曼, '']", 6, "aliases", "non-empty text"),
    ("  name_en: Twitter", "  name_en: Twitter\n  aliases: [奥特曼]", 9, "twitter.aliases", "also names 'altman'"),
    ("{Twitter: 测试}", "{X: 测试}", 17, "expected_absent", "not one of 'twitter'"),
    ("{Twitter: 测试}", "{Twitter: ''}", 17, "expected_absent", "reason"),
    ("exclude: [条推特]", "exclude: [条目]", 14, "exclude", "holds none"),
    ("  name_zh: 推特", "  name_zh: 推特\n  name_zh: 又一个", 12, "name_zh", "duplicate key"),
]


@pytest.mark.parametrize("old,new,line,field,words", CASES)
def test_people_errors_name_file_line_and_field(tmp_path, old, new, line, field, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(EditionError) as info:
        parse(text, tmp_path)
    err = info.value
    assert (err.file, err.line, err.field) == ("seeds/people.yml", line, field), str(err)
    assert words in err.message, str(err)


def test_people_must_be_a_list(tmp_path):
    with pytest.raises(EditionError) as info:
        parse("altman: {}\n", tmp_path)
    assert (info.value.file, info.value.field) == ("seeds/people.yml", "people")


def test_a_form_of_a_term_and_a_person_at_once_is_refused(tmp_path):
    people = parse(GOOD, tmp_path)
    term = Term("sam", "萨姆", "薩姆", "Sam", "x", "x", aliases=("Sam",))
    with pytest.raises(EditionError) as info:
        annotate.matcher([term], people)
    assert (info.value.file, info.value.line, info.value.field) == ("seeds/people.yml", 1, "altman.aliases")


def test_one_matcher_longest_form_wins_across_kinds(tmp_path):
    people = parse(GOOD, tmp_path)
    terms = [Term("o1", "o1", "o1", "o1", "x", "x", aliases=("奥特曼模型",)), Term("tw", "推特体", "推特體", "t", "x", "x")]
    m = annotate.matcher(terms, people)
    assert m.find("奥特曼模型和奥特曼") == [(0, 5, "term", "o1"), (6, 9, "person", "altman")]
    assert m.find("推特体，推特，发了条推特") == [(0, 3, "term", "tw"), (4, 6, "person", "twitter")]
    assert m.find("Samsung与Sam") == [(8, 11, "person", "altman")]  # never inside a Latin word
    assert m.find("山姆·奥特曼") == [(0, 6, "person", "altman")]  # not 奥特曼 inside it


# ------------------------------------------------------------------------------- the real data

def test_real_people_parse_and_are_sorted_by_id():
    people = read.load_people(SEEDS)
    ids = [p.id for p in people]
    assert ids == sorted(ids) and len(people) > 40
    assert {p.kind for p in people} == {"person", "organization"}


def test_name_hant_is_what_the_converter_makes():
    slugs = {e.slug for e in read.load_catalog(SEEDS)}
    conv = script.Converter(site.hant_rules(ROOT, slugs))
    for p in read.load_people(SEEDS):
        assert p.name_hant == conv(p.name_zh), p.id
        assert p.identification_hant == conv(p.identification), p.id


def test_every_form_occurs_or_is_expected_absent(real):
    """Each name and alias marks at least one span of the cleaned text, unless expected_absent
    says why it does not; and an expected-absent form really is absent (no stale reasons)."""
    seen: dict[str, set[str]] = {}
    for d in real.docs:
        for p in d.paragraphs():
            for m in p.marks:
                if m.kind == "person":
                    seen.setdefault(m.key, set()).add(p.text[m.start:m.end])
    for person in real.people:
        absent = dict(person.expected_absent)
        for form in person.forms():
            if form in absent:
                assert form not in seen.get(person.id, set()), f"{person.id}: {form!r} occurs: drop expected_absent"
            else:
                assert form in seen.get(person.id, set()), f"{person.id}: {form!r} never matches and has no reason"
    assert {"altman", "openai", "musk", "microsoft", "deepseek"} <= set(seen)


def test_short_forms_mean_their_entry_where_they_occur(real):
    """山姆, Sam, 马克 and X are short: every occurrence in these texts is checked by hand here."""
    where: dict[str, list[str]] = {}
    for d in real.docs:
        for p in d.paragraphs():
            for m in p.marks:
                if m.kind == "person" and p.text[m.start:m.end] in ("山姆", "Sam", "马克", "X"):
                    where.setdefault(p.text[m.start:m.end], []).append(f"{d.entry.slug}#{p.id}:{m.key}")
    assert len(where["山姆"]) == 12 and all(w.startswith("2024-04-20vc") and w.endswith(":altman") for w in where["山姆"])
    assert where["马克"] == ["2024-10-ray-summit-weil#p1-20:zuckerberg"]
    assert where["X"] == ["2025-01-bloomberg-altman#p0-5:twitter"]  # 不要做X、Y、Z is excluded
    assert all(w.endswith(":altman") for w in where["Sam"])


def test_catalog_participants_resolve_through_people():
    people = {p.id: p for p in read.load_people(SEEDS)}
    data = read.load_yaml(SEEDS / "catalog.yml", "seeds/catalog.yml")
    for raw in data:
        for q in raw["participants"]:
            assert set(q) == {"id", "role"}, f"catalog line {q.line}: names belong in seeds/people.yml"
    for e in read.load_catalog(SEEDS):
        for q in e.participants:
            assert (q.name_zh, q.name_en) == (people[q.id].name_zh, people[q.id].name_en)
            assert people[q.id].kind == "person"


CATALOG = textwrap.dedent("""\
    - slug: 2024-01-test-doc
      seed: a.txt
      source_script: zh-Hans
      title: 标题
      outlet: 某网站
      date: 2024-01
      precision: month
      date_source: inferred
      date_note: 据内容推定
      event: 某访谈
      summary: 一句话
      participants:
        - {id: altman, role: CEO}
      speakers: {奥特曼: altman}
      completeness: complete
""")
REGISTRY = {"altman": ("山姆·奥特曼", "Sam Altman", 3)}


def _catalog(text: str, tmp_path: Path, people=REGISTRY):
    path = tmp_path / "catalog.yml"
    path.write_text(text, encoding="utf-8")
    return read.parse_catalog(read.load_yaml(path, "seeds/catalog.yml"), "seeds/catalog.yml", {"a.txt"}, people)


def test_participant_names_come_from_people(tmp_path):
    [entry] = _catalog(CATALOG, tmp_path)
    assert entry.participants == (Participant("altman", "山姆·奥特曼", "Sam Altman", "CEO"),)


@pytest.mark.parametrize("old,new,people,field,words", [
    ("{id: altman, role: CEO}", "{id: musk, role: CEO}", REGISTRY, "participants.id", "unknown participant"),
    ("{id: altman, role: CEO}", "{id: altman, role: CEO}", None, "participants.id", "no seeds/people.yml"),
    ("{id: altman, role: CEO}", "{id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}", REGISTRY,
     "participants.name_zh", "people.yml (line 3)"),
    ("{id: altman, role: CEO}", "{id: altman, name_zh: 奥特曼, role: CEO}", None, "name_en", "missing"),
])
def test_participant_errors_name_the_catalog_line(tmp_path, old, new, people, field, words):
    with pytest.raises(EditionError) as info:
        _catalog(CATALOG.replace(old, new), tmp_path, people)
    err = info.value
    assert (err.file, err.field) == ("seeds/catalog.yml", field) and err.line in (13, 12), str(err)
    assert words in err.message, str(err)


def test_inline_names_remain_a_fallback_for_unregistered_ids(tmp_path):
    """Fixtures and a document whose people are not indexed yet may write names inline."""
    text = CATALOG.replace("{id: altman, role: CEO}", "{id: host, name_zh: 主持人甲, name_en: Host, role: 主持人}")
    [entry] = _catalog(text.replace("{奥特曼: altman}", "{主持人: host}"), tmp_path)
    assert entry.participants[0].name_zh == "主持人甲"


def test_people_is_a_reserved_slug():
    assert "people" in pages.RESERVED


def test_people_terms_cover_every_name_in_both_scripts(real):
    words = pages.search_terms(real, [])
    for p in real.people:
        for form in (*p.forms(), p.name_hant):
            if " " not in form:
                assert form in words, (p.id, form)
    assert "奥特曼" in words and "山姆·奧特曼" in words and "马斯克" in words


def test_a_name_in_a_heading_is_not_marked():
    entry = CatalogEntry("2024-01-x", "a.txt", "题", "站", "2024-01", "month", "inferred", "n", "e", "s", "zh-Hans",
                         (Participant("altman", "山姆·奥特曼", "Sam Altman", "CEO"),), {})
    doc = Document(entry, "题", [Section("s1", "特朗普与马斯克", blocks=[Block("prose", [Paragraph("p1-1", "马斯克说，马斯克。")])])], [])
    people = [Person("musk", "person", "埃隆·马斯克", "埃隆·馬斯克", "Elon Musk", "x", "x", ("马斯克",))]
    out = annotate.annotate(doc, annotate.matcher([], people))
    [p] = out.paragraphs()
    assert [(m.start, m.end, m.first) for m in p.marks] == [(0, 3, True), (5, 8, False)]
    md = render.document(out, render.Labels(), lambda src, a: f"{src}#{a}", people=render.people_glosses(people))
    heading = next(line for line in md.splitlines() if line.startswith("## "))
    assert "person" not in heading and md.count('class="person"') == 1


def test_people_are_ordered_by_pinyin():
    people = [Person(i, "person", zh, zh, i, "x", "x") for i, zh in
              (("b", "埃隆·马斯克"), ("a", "阿伦·索尔金"), ("c", "OpenAI"), ("d", "本·汤普森"))]
    assert [p.id for p in render.people_order(people)] == ["a", "b", "d", "c"]


# ------------------------------------------------------------------------------- the built pages

class Page(html.parser.HTMLParser):
    """Every element's id, every link, and the article's sections per <h3 id>."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[dict, str]] = []  # (attrs of <a>, section id it stands in)
        self.section = ""
        source = path.read_text(encoding="utf-8")
        self.source = source
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("h2", "h3") and a.get("id"):
            self.section = a["id"]
        if tag == "a" and a.get("href"):
            self.links.append((a, self.section))


def _resolve(page: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def independent_counts(real: corpus.Corpus) -> dict[tuple[str, str], int]:
    """(person id, slug) -> mentions, by a plain scan of the cleaned Simplified paragraphs: at each
    position the longest form of any person, term or exclusion that fits (Latin forms not touching
    other Latin letters or digits, the GPT-4 vs GPT-4.5 rule, case-folded where a term says so),
    not inside a conjecture 〔…〕 or URL; then on after it. No regex alternation, no annotate."""
    forms: list[tuple[str, str, bool]] = []  # (form, person id or "" for anything else, fold)
    for t in real.terms:
        fold = t.case == "insensitive"
        forms += [(f, "", fold) for f in (*t.forms(), *t.exclude)]
    for p in real.people:
        forms += [(f, p.id, False) for f in p.forms()] + [(x, "", False) for x in p.exclude]
    forms.sort(key=lambda f: -len(f[0]))
    latin = re.compile("[A-Za-z0-9]")
    out: dict[tuple[str, str], int] = {}
    for d in real.docs:
        for para in d.paragraphs():
            text = para.text
            protected = [(m.start(), m.end()) for m in re.finditer(r"〔[^〔〕]*〕|https?://\S+", text)]
            i = 0
            while i < len(text):
                hit = None
                for form, pid, fold in forms:
                    piece = text[i:i + len(form)]
                    if (piece.casefold() == form.casefold()) if fold else (piece == form):
                        end = i + len(form)
                        if latin.match(form[0]) and i and latin.match(text[i - 1]):
                            continue
                        if latin.match(form[-1]) and end < len(text) and (
                                latin.match(text[end]) or (text[end] in ".-" and latin.match(text[end + 1:end + 2]))):
                            continue
                        hit = (end, pid)
                        break
                if hit is None:
                    i += 1
                    continue
                end, pid = hit
                if pid and not any(a < end and i < b for a, b in protected):
                    out[(pid, d.entry.slug)] = out.get((pid, d.entry.slug), 0) + 1
                i = end
    return out


@pytest.mark.parametrize("prefix", ["", "zh-Hant"])
def test_counts_on_the_page_equal_an_independent_count(built_site, real, prefix):
    page = built_site / prefix / "people" / "index.html"
    source = page.read_text(encoding="utf-8")
    expected = independent_counts(real)
    shown: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for chunk in source.split('<h3 id="')[1:]:
        pid = chunk.split('"', 1)[0]
        chunk = re.split(r"<h[23] ", chunk, maxsplit=1)[0]
        totals[pid] = int(re.search(r'<span class="mention-count">(\d+)</span>', chunk).group(1))
        for slug, body in re.findall(r'<ol class="kwic-lines" data-doc="([^"]+)"[^>]*>(.*?)</ol>', chunk):
            shown[(pid, html.unescape(slug))] = body.count("<li>")
    assert set(totals) == {p.id for p in real.people}
    assert shown == expected
    for pid, total in totals.items():
        assert total == sum(n for (p, _), n in expected.items() if p == pid), pid
    assert expected[("altman", "2025-01-bloomberg-altman")] >= 13 and expected[("openai", "2024-12-dealbook-altman")] > 20


@pytest.mark.parametrize("prefix", ["", "zh-Hant"])
def test_every_backlink_on_the_people_page_resolves(built_site, real, prefix):
    page = built_site / prefix / "people" / "index.html"
    parsed = Page(page)
    cache: dict[Path, set[str]] = {}
    kwic = 0
    for attrs, _ in parsed.links:
        href = attrs["href"]
        if urlsplit(href).scheme:
            continue
        target, frag = _resolve(page, href)
        assert target.exists(), href
        if frag:
            if target not in cache:  # not setdefault(target, Page(target).ids): that parses every time
                cache[target] = Page(target).ids
            assert frag in cache[target], f"{href}: no such anchor"
            kwic += target != page
    assert kwic == sum(independent_counts(real).values())
    for p in real.people:
        assert p.id in parsed.ids


@pytest.mark.parametrize("prefix", ["", "zh-Hant"])
def test_names_and_speaker_labels_in_the_text_link_to_entries(built_site, real, prefix):
    people_page = built_site / prefix / "people" / "index.html"
    entries = Page(people_page).ids
    for d in real.docs:
        page = built_site / prefix / d.entry.slug / "index.html"
        parsed = Page(page)
        names = [a for a, _ in parsed.links if a.get("class") == "person"]
        labels = [a for a, _ in parsed.links if a.get("class") == "speaker-link"]
        for a in names + labels:
            target, frag = _resolve(page, a["href"])
            assert target == people_page.resolve() and frag in entries, a
        turns = sum(1 for s in d.sections for b in s.blocks if b.kind == "turn")
        assert len(labels) == turns, d.entry.slug
        firsts = sum(1 for p in d.paragraphs() for m in p.marks if m.kind == "person" and m.first)
        assert len(names) == firsts, d.entry.slug
        # no name is marked in a heading or on the catalog card
        for head in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", parsed.source, re.S):
            assert 'class="person"' not in head, head
        card = parsed.source.split('<dl class="doc-card">', 1)[1].split("</dl>", 1)[0]
        assert 'class="person"' not in card


def test_turn_counts_on_the_page(built_site, real):
    source = (built_site / "people" / "index.html").read_text(encoding="utf-8")
    for pid in ("altman", "thompson", "weil", "nishihara", "stebbings", "lightcap", "tyrangiel"):
        chunk = re.split(r"<h[23] ", source.split(f'<h3 id="{pid}"', 1)[1], maxsplit=1)[0]
        shown = [int(n) for n in re.findall(r'<span class="turn-count">(\d+)</span>', chunk)]
        expected = [sum(1 for s in d.sections for b in s.blocks if b.kind == "turn" and b.speaker == pid)
                    for d in real.docs if any(b.kind == "turn" for s in d.sections for b in s.blocks)
                    and any(q.id == pid for q in d.entry.participants)]
        assert shown == expected and sum(shown) > 0, pid


def test_a_context_never_holds_half_a_quotation():
    assert render.balanced_kwic("我一直認為", "馬斯克", "是個建設者，能否成為「那…") == ("我一直認為", "馬斯克", "是個建設者，能否成為…")
    assert render.balanced_kwic("…到了」，他們說「好", "馬斯克", "」。") == ("…，他們說「好", "馬斯克", "」。")
    assert render.balanced_kwic("說“好”", "马斯克", "“对”") == ("說“好”", "马斯克", "“对”")


@pytest.mark.parametrize("prefix", ["", "zh-Hant"])
def test_contexts_on_the_page_pair_their_quotes(built_site, prefix):
    source = (built_site / prefix / "people" / "index.html").read_text(encoding="utf-8")
    for snippet in re.findall(r'<span class="kwic">(.*?)</span>', source):
        text = html.unescape(re.sub(r"<[^>]+>", "", snippet))
        assert render.balanced_kwic(text, "", "") == (text, "", ""), text


def test_mention_counts_name_each_document_and_total_only_when_there_are_several(real):
    """The count row of a person's or term's card: the documents by short name, each with its
    count, and 合计 only when there are several ("Stratechery访谈 2；合计 2" said the count twice)."""
    docs = pages.make_edition(real, "zh-Hans").docs
    href = lambda src, a: f"{src}#{a}"  # noqa: E731
    one = render._mention_counts([(docs[1], "p1", 0, 1)] * 2, docs, render.Labels(), href, "<b>2</b>")
    name, date = render.short_name(docs[1]).split("（")
    assert one == (f'<a href="{docs[1].entry.slug}.md#">{render.esc(name)}<span class="nobr">（{render.esc(date)}</span>'
                   "</a> <b>2</b>")  # the date is never broken at a line's end
    two = render._mention_counts([(docs[0], "p1", 0, 1), (docs[2], "p2", 0, 1), (docs[0], "p3", 0, 1)],
                                 docs, render.Labels(), href, "3")
    assert re.sub(r"<[^>]+>", "", two) == f"{render.short_name(docs[0])} 2；{render.short_name(docs[2])} 1；合计 3"
    assert render._mention_counts([], docs, render.Labels(), href, "0") == "0"


@pytest.mark.parametrize("prefix", ["", "zh-Hant"])
def test_an_entry_names_its_english_name_once(built_site, prefix):
    """Helion Energy, not Helion Helion Energy: a Latin name that begins the English one."""
    source = (built_site / prefix / "people" / "index.html").read_text(encoding="utf-8")
    heads = dict(re.findall(r'<h3 id="([a-z_]+)">([^<]+)', source))
    assert heads["helion"] == "Helion Energy" and heads["meta"] == "Meta Platforms" and heads["slack"] == "Slack"
    assert heads["altman"] == ("山姆·奥特曼 Sam Altman" if not prefix else "山姆·奧特曼 Sam Altman")


@pytest.mark.parametrize("name, name_en, head", [
    ("Helion", "Helion Energy", ("Helion Energy", "")),
    ("OpenAI", "OpenAI", ("OpenAI", "")),
    ("山姆·奥特曼", "Sam Altman", ("山姆·奥特曼", "Sam Altman")),
    ("Meta", "Meta Platforms", ("Meta Platforms", "")),
    ("Meta", "Metaverse Labs", ("Meta", "Metaverse Labs")),  # not the English's first word
    ("XAI", "xAI", ("XAI", "xAI")),  # case matters: the name is kept as written
])
def test_the_head_says_the_english_once(name, name_en, head):
    """One rule for the site's index and the printed one (render.name_with_english)."""
    assert render.name_with_english(name, name_en) == head
