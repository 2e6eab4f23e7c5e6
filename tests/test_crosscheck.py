"""The zh-Hant cross-check: our conversion against zhconv-rs, every disagreement fixed or reviewed.

Data flow: strings -> crosscheck.compare / parse_reviewed / check -> assertions; then the real
corpus, its zh-Hant edition (site.load_edition) and docs/about.md -> crosscheck.document_items +
interface_items -> disagreements -> check against seeds/checks/zh-hant-reviewed.yml: none
unreviewed, no review word unused, one form per Simplified word. No MkDocs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader import corpus, crosscheck, read, site
from reader.model import EditionError

ROOT = Path(__file__).resolve().parent.parent
REVIEWED = "seeds/checks/zh-hant-reviewed.yml"


# --- units --------------------------------------------------------------------------------

def test_compare_equal_lengths_gives_runs_with_their_words():
    runs = crosscheck.compare("它让生活变得更复杂了", "它讓生活變得更復雜了", "它讓生活變得更複雜了")
    assert runs == [("复", "復", "複", "复杂", "復雜", "複雜")]


def test_compare_one_character_word_takes_its_neighbours_not_punctuation():
    runs = crosscheck.compare("已经持续了如此之久，", "已經持續瞭如此之久，", "已經持續了如此之久，")
    assert [r[3] for r in runs] == ["持续了如此"]
    runs = crosscheck.compare("“公司”里，", "「公司」裡，", "「公司」里，")
    assert [r[3] for r in runs] == ["里"]


def test_compare_unequal_lengths_are_aligned():
    (run,) = crosscheck.compare("我们发布了", "我們發布了", "我們發布布了")
    hans, ours, theirs = run[:3]
    assert (ours, theirs) == ("", "布")
    assert crosscheck.compare("同样", "同樣", "同樣") == []


def test_the_second_converter_keeps_mainland_wording():
    """The policy the target was chosen for: Traditional characters, no vocabulary swap."""
    assert crosscheck.zhconv("软件芯片数据“人工智能”") == "軟件芯片數據「人工智能」"


def test_disagreements_and_check():
    items = [("doc", "p1-1", "更复杂的平台", "更復雜的平臺")]
    found = crosscheck.disagreements(items)
    assert [(d.hans, d.ours, d.theirs, d.word) for d in found] == [
        ("复", "復", "複", "复杂"), ("台", "臺", "台", "平台")]
    assert str(found[0]) == "doc#p1-1: 复杂 -> ours 復雜, zhconv-rs 複雜 (复: 復 / 複)"
    reviews = [crosscheck.Review("台", "臺", "台", ("平台", "舞台"), "standard form", 3, "x.yml")]
    unreviewed, unused = crosscheck.check(found, reviews)
    assert unreviewed == found[:1]
    assert unused == ["x.yml:3: 台 臺/台: 舞台"]


def test_inconsistencies_one_form_per_word():
    items = [("a", "p1-1", "我们了解", "我們瞭解"), ("b", "p2-1", "还算了解", "還算了解"),
             ("c", "p3-1", "了解", "了解")]
    assert crosscheck.inconsistencies(items) == {"了解": {"瞭解": ["a#p1-1"], "了解": ["b#p2-1", "c#p3-1"]}}


GOOD = "- hans: 台\n  ours: 臺\n  theirs: 台\n  words: [平台, 舞台]\n  reason: 台湾标准字体\n"


@pytest.mark.parametrize("text,line,field,words", [
    ("{a: 1}\n", 1, "reviewed", "must be a list"),
    ("- just text\n", 0, "entry", "must be a mapping"),
    (GOOD + "  note: x\n", 6, "note", "unknown field"),
    (GOOD.replace("  reason: 台湾标准字体\n", ""), 1, "reason", "missing or not text"),
    (GOOD.replace("ours: 臺", "ours: ''"), 2, "ours", "missing or not text"),
    (GOOD.replace("[平台, 舞台]", "平台"), 4, "words", "must be a list"),
    (GOOD.replace("[平台, 舞台]", "[舞台, 平台]"), 4, "words", "sorted, each once: [平台, 舞台]"),
    (GOOD.replace("[平台, 舞台]", "[平台, 平台]"), 4, "words", "each once"),
    (GOOD.replace("[平台, 舞台]", "[平台, 舞蹈]"), 4, "words", "must contain '台'"),
    (GOOD.replace("theirs: 台", "theirs: 臺"), 3, "theirs", "equal to ours"),
    (GOOD + GOOD, 6, "hans", "listed twice (first at line 1)"),
    (GOOD + GOOD.replace("hans: 台", "hans: 一").replace("[平台, 舞台]", "[一台]"), 6, "hans", "out of order"),
])
def test_reviewed_file_errors_name_file_line_field(tmp_path, text, line, field, words):
    path = tmp_path / "r.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as info:
        crosscheck.parse_reviewed(read.load_yaml(path, REVIEWED), REVIEWED)
    err = info.value
    assert (err.file, err.line, err.field) == (REVIEWED, line, field)
    assert words in err.message


# --- the real edition ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def edition():
    return site.load_edition(ROOT, "zh-Hant")[0]


@pytest.fixture(scope="module")
def items(edition):
    hans = corpus.load(ROOT)
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    return (crosscheck.document_items(hans.docs, edition.docs) + crosscheck.interface_items(edition.conv)
            + crosscheck.data_items(hans.terms, hans.people, hans.timeline.events, edition.conv)
            + [("about.md", "page", about, edition.conv(about))])


def test_the_editors_texts_are_cross_checked(items):
    """The glossary, people and timeline texts are in the check ("半導體制造" in a definition had
    passed it), and so are the generated pages' titles and introductions."""
    where = {(doc, anchor.split(":")[0]) for doc, anchor, *_ in items}
    assert {("glossary", "chips-act"), ("people", "altman"), ("timeline", "chatgpt-launch")} <= where
    assert {("interface", "pages"), ("interface", "timeline")} <= where


@pytest.fixture(scope="module")
def reviews():
    return crosscheck.parse_reviewed(read.load_yaml(ROOT / REVIEWED, REVIEWED), REVIEWED)


def test_every_disagreement_is_fixed_or_reviewed(items, reviews):
    unreviewed, unused = crosscheck.check(crosscheck.disagreements(items), reviews)
    assert not unreviewed, (
        f"{len(unreviewed)} zh-Hant disagreements with zhconv-rs: fix ours in seeds/corrections/zh-hant.yml "
        f"or review theirs in {REVIEWED}:\n" + "\n".join(map(str, unreviewed[:40])))
    assert not unused, "review words no disagreement uses any more (remove them):\n" + "\n".join(unused)


def test_one_form_per_word_throughout(items):
    assert crosscheck.inconsistencies(items) == {}


@pytest.mark.parametrize("hans,hant", [
    ("已经持续了如此之久", "已經持續了如此之久"),
    ("他基本阐明了我们的策略", "他基本闡明了我們的策略"),
    ("以制定更复杂的计划", "以制定更複雜的計劃"),
    ("这听起来像不像赞美", "這聽起來像不像讚美"),
    ("让你们回归最初的使命", "讓你們回歸最初的使命"),
    ("伟大的合作伙伴关系，特殊的伙伴关系", "偉大的合作夥伴關係，特殊的夥伴關係"),
    ("我们发布了，即将发布，宣布发布日期，公布计划", "我們發布了，即將發布，宣布發布日期，公布計劃"),
    ("制定并发布了规范，并为此", "制定並發布了規範，並為此"),
    ("APPSO（爱范儿）", "APPSO（愛范兒）"),
    ("彭博《商业周刊》专访，每周", "彭博《商業周刊》專訪，每週"),
    ("还算了解，充分了解，深入了解", "還算了解，充分了解，深入了解"),
    ("软件", "軟件"),  # mainland wording: not 軟體
])
def test_known_cases(edition, hans, hant):
    assert edition.conv(hans) == hant
