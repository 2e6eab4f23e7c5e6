"""Fuzzing the input surface: every example finishes quickly, and every failure is an EditionError.

Data flow: hypothesis draws (1) catalog YAML text from a grammar of plausible and hostile
fields, values, anchors/aliases, deep nesting and odd types -> read.load_yaml ->
read.parse_catalog; (2) table entries (boilerplate, typos, structure hints, hostile regexes
included) -> their parsers -> applied to lines; (3) seed bytes (mixed encodings, NUL,
control characters, long lines within a bound) -> read.decode_seed -> clean.run with the
project's real tables -> structure.build. Never any other exception, never a hang: each
example has a deadline.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import clean, corpus, limits, read, structure
from reader.clean import boilerplate, table
from reader.model import CatalogEntry, EditionError, Line, Participant

ROOT = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=list(HealthCheck))

# ------------------------------------------------------------------------------- YAML grammar

FIELDS = list(read.REQUIRED + read.OPTIONAL) + ["colour", "<<", "1", "slug ", "? x"]
HOSTILE_SCALARS = [
    "2024", "2024-01-05", "2024-02-30", "2024-13-45", "0000", "yes", "no", "on", "~", "null", "''", '""',
    "1.5", "-1", "0x1F", "1e999", ".nan", "9" * 5000, "!!timestamp 2024-01-05", "!!timestamp 2024-13-45",
    "!!binary aGVsbG8=", "!!python/object:os.system x", "!!set {a, b}", "!!omap [a: 1]", "!!str 3",
    "'probe-doc\n'", '"probe-doc\\n"', '"a\\x00b"', '"\\u202e"', "'<script>'", "\"'\"", "`x`",
    "https://example.com/a b", "\"https://e.com/'x\"", "https://e.com/<x>", "../../etc/passwd",
    "&a x", "*a", "&b [1, 2]", "*b", "[" * 80 + "]" * 80, "{" * 30 + "}" * 30, "[a, [b, [c]]]",
    "{a: 1, a: 2}", "|\n    block\n    text", ">\n    folded", "'unterminated", "[unclosed", "a: b: c",
    "\t tab", "中文", "標題", "x" * 2000, "\x85", "\ufeff", "@", "%", "- list",
]
PLAUSIBLE = ["2024-01-test-doc", "a.txt", "zh-Hans", "标题", "某网站", "2024-01", "month", "inferred",
             "据内容推定", "某访谈", "一句话", "complete", "partial", "3", "0"]
scalar = st.one_of(st.sampled_from(HOSTILE_SCALARS), st.sampled_from(PLAUSIBLE),
                   st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(repr))
PARTICIPANTS = st.sampled_from([
    "\n    - {id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}",
    "\n    - {id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}\n    - {id: altman, name_zh: 又, name_en: X, role: Y}",
    "\n    - &p {id: a, name_zh: 甲, name_en: A, role: r}\n    - *p",
    " []", " {}", " 3", "\n    - 3", "\n    - {id: 'x\n', name_zh: 1, name_en: yes, role: ~}",
])
SPEAKERS = st.sampled_from([" {奥特曼: altman}", " {奥特曼: [altman]}", " {1: altman}", " []", " *a",
                            " {? [a]: altman}", " {奥特曼: nobody}"])


GOOD_ENTRY = {"slug": "2024-01-test-doc", "seed": "a.txt", "source_script": "zh-Hans", "title": "标题",
              "outlet": "某网站", "date": "2024-01", "precision": "month", "date_source": "inferred",
              "date_note": "据内容推定", "event": "某访谈", "summary": "一句话",
              "participants": "\n    - {id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}",
              "speakers": " {奥特曼: altman}", "completeness": "complete"}


SEEDS = {"a.txt", "a1.txt", "a2.txt"}


@st.composite
def catalog_text(draw) -> str:
    """A good entry with a few fields dropped, added or given hostile values (the grammar)."""
    entries = []
    for n in range(draw(st.integers(1, 3))):
        fields = {k: (v if k in ("participants", "speakers") else " " + v) for k, v in GOOD_ENTRY.items()}
        fields["slug"] = f" 2024-01-test-doc{n or ''}"
        fields["seed"] = f" a{n or ''}.txt"
        for _ in range(draw(st.integers(0, 3))):
            key = draw(st.sampled_from(FIELDS))
            if draw(st.integers(0, 9)) == 0:
                fields.pop(key, None)
            elif key == "participants":
                fields[key] = draw(PARTICIPANTS)
            elif key == "speakers":
                fields[key] = draw(SPEAKERS)
            else:
                fields[key] = " " + draw(scalar).replace("\n", "\n    ")
        if draw(st.booleans()):
            fields["precision"], fields["date"] = draw(st.sampled_from(
                [(" day", " 2024-02-29"), (" day", " 2023-02-29"), (" year", " 2024"), (" year", " '2024'"),
                 (" day", " '2024-04-31'"), (" month", " '2024-00'"), (" year", " '0000'")]))
        lines = [f"  {k}:{v}" for k, v in fields.items()]
        entries.append("- " + "\n".join(lines).lstrip())
    text = "\n".join(entries) + "\n"
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from(["", "---\n", "%YAML 1.1\n---\n", "&top\n", "! x\n"])) + text
    return text


def _finishes_or_edition_error(fn, *args):
    try:
        return fn(*args)
    except EditionError as err:
        assert err.file and isinstance(err.line, int) and err.field, err
        assert len(str(err)) < 600, "messages must not print a whole value"
        return None


@FUZZ
@given(catalog_text())
def test_catalog_yaml_fuzz(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cat") / "catalog.yml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    data = _finishes_or_edition_error(read.load_yaml, path, "seeds/catalog.yml")
    if data is not None:
        _finishes_or_edition_error(read.parse_catalog, data, "seeds/catalog.yml", SEEDS)


@FUZZ
@given(st.binary(max_size=400).map(lambda b: b.decode("latin-1")) | st.text(max_size=400))
def test_any_yaml_text_fuzz(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("any") / "x.yml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _finishes_or_edition_error(read.load_yaml, path, "seeds/x.yml")


# ------------------------------------------------------------------------------- table entries

SLUG = "2024-01-fuzz"
ENTRY = CatalogEntry(slug=SLUG, seed="x.txt", title="t", outlet="o", date="2026", precision="year",
                     date_source="inferred", date_note="n", event="e", summary="s", source_script="zh-Hans",
                     participants=(Participant("a", "甲", "A", "r"),), speakers={"甲": "a", "Q": "a"})
PATTERNS = ["(a+)+$", "(a|aa)+$", "(a|a)+$", "((a+)+)+b", "(.*a){25}", "(\\w+\\s?)+$", "(?:x*)*y", "\\1",
            "(", "[", "a{99999999999}", "(?P<n>a)(?P=n)", "(?<=a+)b", "\\p{Han}+", "共\\s*\\d+\\s*页",
            "(?:Topic \\d+|Last Topic)：.+", "0\\d ?\\S.{0,30}", ".*", "", "x" * 300, "(?i)A", "(?x) a # c",
            "\\N{CJK UNIFIED IDEOGRAPH-4E2D}", "(?V1)[[a-z]--[aeiou]]", "(?r)a", "(?e)(a){e<=1}",
            "(?:a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z)+$"]
pattern = st.one_of(st.sampled_from(PATTERNS), st.text(alphabet="()[]{}*+?|.\\^$a1,:-=<!", max_size=20))
LINES = st.lists(st.one_of(st.sampled_from(["a" * 40 + "!", "a" * 30, "共 3 页", "Topic 1：开场", "甲：你好",
                                            "• 一", "1. 二", "", "　", "x" * 2000]),
                           st.text(max_size=60)), max_size=30)


def _yaml_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@settings(FUZZ, deadline=(2 * limits.BUDGET + 3) * 1000)  # two rules may each use their whole budget
@given(st.lists(st.tuples(pattern, st.sampled_from(["pattern", "line"]), st.sampled_from([SLUG, "nope", "1"]),
                          st.sampled_from(["", "\n  at: 3", "\n  at: yes", "\n  at: -1", "\n  colour: x"])),
                max_size=2), LINES)
def test_boilerplate_table_fuzz(tmp_path_factory, entries, lines):
    text = "".join(f"- doc: {doc}\n  {kind}: {_yaml_quote(value)}\n  reason: r{extra}\n"
                   for value, kind, doc, extra in entries)
    path = tmp_path_factory.mktemp("bp") / "boilerplate.yml"
    path.write_text(text or "[]", encoding="utf-8", errors="surrogatepass")
    data = _finishes_or_edition_error(read.load_yaml, path, "seeds/corrections/boilerplate.yml")
    if data is None:
        return
    rules = _finishes_or_edition_error(boilerplate.parse_rules, data, "seeds/corrections/boilerplate.yml", {SLUG})
    if rules is not None:
        _finishes_or_edition_error(boilerplate.fix, SLUG, [Line(i, t) for i, t in enumerate(lines, 1)], rules)


@FUZZ
@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8), st.sampled_from(["", "\n  docs: [nope]",
                                                                                      "\n  docs: x", "\n  x: 1"])),
                max_size=5), st.text(max_size=200))
def test_typos_table_fuzz(tmp_path_factory, entries, line):
    text = "".join(f"- find: {_yaml_quote(f)}\n  replace: {_yaml_quote(r)}\n  reason: r{extra}\n" for f, r, extra in entries)
    path = tmp_path_factory.mktemp("ty") / "typos.yml"
    path.write_text(text or "[]", encoding="utf-8", errors="surrogatepass")
    data = _finishes_or_edition_error(read.load_yaml, path, "seeds/corrections/typos.yml")
    if data is None:
        return
    rules = _finishes_or_edition_error(table.parse_rules, data, "seeds/corrections/typos.yml", {SLUG})
    if rules is not None:
        table.apply(line, rules)


@FUZZ
@given(pattern, st.sampled_from(["", "\n  headings: [a]", "\n  notes: x", "\n  matcher: x", "\n  colour: 1",
                                 "\n  subheadings: [1]"]), LINES)
def test_structure_hints_fuzz(tmp_path_factory, heading, extra, lines):
    path = tmp_path_factory.mktemp("st") / "structure.yml"
    path.write_text(f"{SLUG}:\n  heading: {_yaml_quote(heading)}{extra}\n", encoding="utf-8", errors="surrogatepass")
    data = _finishes_or_edition_error(read.load_yaml, path, "seeds/structure.yml")
    if data is None:
        return
    layouts = _finishes_or_edition_error(structure.parse_layouts, data, "seeds/structure.yml", {SLUG})
    if layouts is not None:
        _finishes_or_edition_error(structure.build, ENTRY, [Line(i, t) for i, t in enumerate(lines, 1) if t.strip()],
                                   layouts[SLUG])


# ------------------------------------------------------------------------------- seed bytes

@pytest.fixture(scope="module")
def tables():
    entries = read.load_catalog(ROOT / "seeds")
    found = corpus.load_tables(ROOT / "seeds", {e.slug for e in entries} | {SLUG})
    found.ngrams = clean.mojibake.Ngrams.of(read.read_seed(ROOT / "seeds", e) for e in entries)
    with pytest.raises(EditionError):  # warm up: the encoding guess loads jieba once, outside the deadline
        read.decode_seed("中文".encode("gbk"), "warm-up")
    return found


CHINESE = "主持人：这是一段中文文本，用来测试。嘉宾：好的（hǎo de），谢谢「引号」和\"quotes\"。•列表 1. 二"
piece = st.one_of(
    st.text(alphabet=CHINESE, max_size=40).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=CHINESE, max_size=40).map(lambda t: t.encode("gbk", "replace")),
    st.text(alphabet=CHINESE, max_size=40).map(lambda t: t.encode("big5", "replace")),
    st.text(alphabet=CHINESE, max_size=40).map(lambda t: t.encode("utf-16-le")),
    st.text(alphabet=CHINESE, max_size=40).map(lambda t: t.encode("utf-16")),
    st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=20),
    st.sampled_from([b"\x00", b"\x00" * 50, b"\r", b"\r\n", b"\n", b"\x1b[31m", b"\xef\xbb\xbf", b"\xff\xfe",
                     b"\xfe\xff", b"\xe2\x80\xae", b"\x85", b"\x0c", "中".encode() * 5000, b"a" * 20000]),
)


utf8_piece = st.one_of(
    st.text(alphabet=CHINESE + "\n", min_size=1, max_size=80).map(lambda t: t.encode("utf-8")),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).map(lambda t: t.encode("utf-8")),
    st.sampled_from(["\u200b", "\u202e", "\x00", "\x07", "\t", "\r\n", "\u3000", "(ni)", "（hǎo）", "〔〕", "??",
                     "？？", "•", "1、", "Q：", "甲:", "`", "<script>", "{{ x }}", "中" * 3000, "共 3 页"]).map(str.encode),
)
seed_bytes = st.one_of(st.lists(utf8_piece, max_size=25).map(b"".join),  # reaches the cleaning stages
                       st.lists(piece, max_size=12).map(b"".join))  # mostly refused, by encoding


@FUZZ
@given(seed_bytes)
def test_seed_bytes_fuzz(tables, data):
    text = _finishes_or_edition_error(read.decode_seed, data, "seeds/x.txt")
    if text is None:
        return
    lines, changes = _finishes_or_edition_error(clean.run, ENTRY, text, tables) or ([], [])
    _finishes_or_edition_error(structure.build, ENTRY, lines, None, changes)


def test_the_grammar_reaches_good_catalogs(tmp_path):
    """A sanity check that the grammar's plausible half is valid input (so the fuzz is not all errors)."""
    text = textwrap.dedent("""\
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
            - {id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}
          speakers: {奥特曼: altman}
          completeness: complete
    """)
    path = tmp_path / "catalog.yml"
    path.write_text(text, encoding="utf-8")
    assert read.parse_catalog(read.load_yaml(path, "c"), "c", {"a.txt"})
