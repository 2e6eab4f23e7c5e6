"""Structure and render: golden documents and escaping of hostile text (the real corpus's
anchors are pinned by seeds/anchors.lock, tested in test_anchorlock.py).

Data flow: cleaned lines -> structure.build -> Document -> dump / render -> compared.
"""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import goldens
from reader import corpus, render, structure
from reader.model import Block, CatalogEntry, Document, Line, Paragraph, Participant, Section

ROOT = Path(__file__).resolve().parent.parent
ENTRY = CatalogEntry(
    slug="2025-01-test", seed="x.txt", title="测试", outlet="某网站", date="2025-01", precision="month",
    date_source="inferred", date_note="据内容", event="访谈", summary="摘要", source_script="zh-Hans",
    participants=(Participant("host", "主持人甲", "Host", "主持人"), Participant("altman", "奥特曼", "Sam Altman", "CEO"),
                  Participant("nishihara", "劳勃·西原", "Robert Nishihara", "主持人"),
                  Participant("weil", "凯文·威尔", "Kevin Weil", "CPO")),
    speakers={"主持人": "host", "SA": "altman", "劳勃·西原（Robert Nishihara）": "nishihara",
              "凯文·威尔（Kevin Weil）": "weil"})


def dump(doc: Document) -> str:
    out = []
    for s in doc.sections:
        out.append(f"[{s.id} h{s.level}] {s.heading}")
        for b in s.blocks:
            out.append(f"  <{b.kind}{' ' + b.speaker if b.speaker else ''}>")
            for p in b.paragraphs:
                out.append(f"    {p.id} {p.kind}{'=' + str(p.value) if p.value else ''} L{p.lines[0]}: {p.text}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("case", goldens.cases("structure"), ids=goldens.case_id)
def test_structure_golden(case):
    lines = [Line(i, t) for i, t in enumerate(goldens.read_lines(case), start=1)]
    goldens.check(case, dump(structure.build(ENTRY, lines)))


@pytest.fixture(scope="module")
def real() -> corpus.Corpus:
    return corpus.load(ROOT)


def test_no_giant_paragraphs(real):
    assert max(len(p.text) for d in real.docs for p in d.paragraphs()) < 1500


def test_every_turn_has_a_known_speaker(real):
    for d in real.docs:
        ids = {p.id for p in d.entry.participants}
        for s in d.sections:
            for b in s.blocks:
                assert b.kind != "turn" or b.speaker in ids


# ---------------------------------------------------------------- escaping

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//x>", "<style>*{}</style>",
    "# not a heading", "* not a list", "_x_ and *y*", "> not a quote", "| a | b |", "`code`",
    "[x](javascript:alert(1))", "[ref]: http://evil", "{: onclick=alert(1) }", "--8<-- \"/etc/passwd\"",
    "==mark== ^^ins^^ ~~del~~", "!!! note", "{{ config }}", "{% raw %}", "&amp; &lt;", "\u202eevil\u202c",
    "zero\u200bwidth", "1. not a list", "    indented code", "<!-- comment -->", "---", "$math$",
]

MD = markdown.Markdown(extensions=["attr_list", "toc"])


def _visible(html: str) -> str:
    """Text of rendered HTML with character references decoded, tags dropped."""
    import html as h

    text = re.sub(r"<a class=\"(?:para-link|headerlink)\"[^>]*>¶</a>", "", html)
    return h.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_literally(text):
    doc = Document(ENTRY, text, [Section("s1", text, 1, [Block("prose", [Paragraph("p1-1", text)])])], [])
    html = MD.reset().convert(render.document(doc, render.Labels(), lambda src, a: f"{src}#{a}"))
    assert "<script" not in html and "<iframe" not in html and "<style" not in html and "<img" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert not re.search(r"\son\w+=", html.replace("&#", "")), html
    expected = re.sub("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    # the heading and the paragraph both show the literal text
    assert _visible(html).count(expected.strip()) >= 2 or expected.strip() == "", _visible(html)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_esc_leaves_no_markup(text):
    out = re.sub(r"&#\d+;", "", render.esc(text))
    assert not re.search(r"[<>\"'`*_\[\]{}#|~^=]", out)
    assert "&" not in out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("GPT-4o ARC-AGI的、<&-"), max_size=40))
def test_esc_words_is_esc_plus_unbreakable_names(text):
    """Only spans are added: without them the text is esc's; each span holds one hyphenated name."""
    out = render.esc_words(text)
    assert re.sub(r'<span class="nobr">|</span>', "", out) == render.esc(text)
    for inner in re.findall(r'<span class="nobr">(.*?)</span>', out):
        name = inner.replace("&#45;", "-")
        assert re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", name) and len(name) <= 24


def test_a_hyphenated_name_is_kept_on_one_line():
    html = render.esc_words("GPT-6、GPT-7、o1-preview和ARC-AGI，不是-5或A-")
    assert re.findall(r'<span class="nobr">(.*?)</span>', html) == [
        "GPT&#45;6", "GPT&#45;7", "o1&#45;preview", "ARC&#45;AGI"]


def test_a_correction_never_makes_a_heading():
    """A line made short by a typo fix stays a paragraph; the same short line unfixed is a heading."""
    from reader.model import Change

    long_line = "这一行原来很长" + "很" * 30  # 37 characters: not a heading
    fixed = "这一行原来很长"  # what a (hypothetical) typo fix left: short, no full stop
    lines = [Line(1, "开场。"), Line(2, fixed), Line(3, "正文。")]
    typo = Change(ENTRY.slug, 2, "typos", long_line, fixed, "测试")
    doc = structure.build(ENTRY, lines, None, [typo])
    assert [s.heading for s in doc.sections] == [""]
    assert [s.heading for s in structure.build(ENTRY, lines).sections] == ["", fixed]


def test_nested_items_render_inside_their_numbered_item():
    lines = [Line(i, t) for i, t in enumerate(["1. 第一点。", "2. 三足鼎立：", "·甲。", "·乙。", "3. 第三点。"], 1)]
    html = render.document(structure.build(ENTRY, lines), render.Labels(), lambda s, a="": f"{s}#{a}")
    ol = html[html.index('<ol class="items">'):html.index("</ol>") + 5]
    assert re.search(r'<li id="p0-2" value="2">.*?<ul class="items"><li id="p0-3">.*?</li><li id="p0-4">.*?</li></ul></li>'
                     r'<li id="p0-5" value="3">', ol), ol
    assert ol.count("<li") == ol.count("</li>") == 5


@pytest.mark.parametrize("text, html", [
    ("01七年前创建OpenAI", '<span class="secno">01</span>七年前创建OpenAI'),
    ("03高质量AI的成本将趋近于零", '<span class="secno">03</span>高质量AI的成本将趋近于零'),
    ("2024年的目标", "2024年的目标"),          # a year, not a section number
    ("10年后", "10年后"),                      # a count
    ("01 Topic", "01 Topic"),                  # no Han character after it
    ("Topic 1：不曾预料", "Topic 1：不曾预料"),
    ("0<b>七", "0&#60;b&#62;七"),
    ("05<script>", "05&#60;script&#62;"),
])
def test_a_section_number_run_into_its_heading_is_set_apart_and_the_text_kept(text, html):
    assert render.heading(text) == html
    assert re.sub(r"<[^>]+>", "", render.heading(text)) == render.esc(text)


@given(st.text(max_size=30))
def test_a_heading_is_its_escaped_text_with_at_most_one_span(text):
    out = render.heading(text)
    assert re.sub(r'<span class="secno">|</span>', "", out) == render.esc(text)
    assert out.count("<") - 2 * out.count('<span class="secno">') == render.esc(text).count("<")
