"""The date finder: golden cases, each form with its value, the non-dates, properties, the corpus.

Data flow: strings (tests/golden/dates/*.in.txt and the tables below) -> dates.find -> rows
compared with the expected values; the real corpus -> dates.find_in -> Hits checked for
well-formed values and for silence on the corpus's own non-dates; tools/timeline_candidates.py
against a small seeds/timeline.yml in a temp project.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from edtf import parse_edtf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goldens
from reader import dates

ROOT = Path(__file__).resolve().parent.parent
DAY = {"published": "2024-12-07", "published_precision": "day"}


def _tool():
    spec = importlib.util.spec_from_file_location("timeline_candidates", ROOT / "tools" / "timeline_candidates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- golden

def dump(lines: list[str]) -> str:
    """`@ published=… precision=… source=… hint=…` sets the context for the lines after it
    (a bare `@` clears it); every other line is an input, followed by what find() returns."""
    ctx: dict = {}
    out = []
    for line in lines:
        if line.startswith("@"):
            pairs = dict(x.split("=", 1) for x in line[1:].split())
            ctx = {"published": pairs.get("published"), "published_precision": pairs.get("precision", "day"),
                   "year_hint": int(pairs["hint"]) if "hint" in pairs else None,
                   "published_source": pairs.get("source", "printed")}
            out.append(line)
            continue
        out.append(f"> {line}")
        found = dates.find(line, **ctx)
        out += [f"  「{e.text}」\t{e.edtf}\t{e.precision}\t{e.provenance}\t{e.note}" for e in found] or ["  (none)"]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("case", goldens.cases("dates"), ids=goldens.case_id)
def test_dates_golden(case):
    """Every form, with its value, precision, provenance and note (review `git diff tests/golden/dates`)."""
    goldens.check(case, dump(goldens.read_lines(case)))


def test_golden_non_dates_find_nothing():
    """The non-dates golden case holds no finding at all (a regenerated golden cannot hide one)."""
    case = goldens.GOLDEN / "dates" / "e_non_dates.in.txt"
    lines = [x for x in goldens.read_lines(case) if not x.startswith("@")]
    assert lines
    assert [(line, dates.find(line, **DAY)) for line in lines if dates.find(line, **DAY)] == []


# --------------------------------------------------------------------------- each form, by hand

FORMS = [  # input, published (date, precision, source), expected (text, edtf, precision, provenance)
    ("2022年11月30日", DAY, ("2022年11月30日", "2022-11-30", "day", "printed")),
    ("二〇二二年十一月三十日", DAY, ("二〇二二年十一月三十日", "2022-11-30", "day", "printed")),
    ("２０２２年８月", DAY, ("２０２２年８月", "2022-08", "month", "printed")),
    ("2022年8月左右", DAY, ("2022年8月左右", "2022-08~", "approximate", "printed")),
    ("11月1号的时候", DAY, ("11月1号", "2024-11-01", "day", "inferred-year")),
    ("4月16日消息", {"published": "2024-04-16", "published_source": "inferred"},
     ("4月16日", "2024-04-16?", "day", "inferred-year")),
    ("当时是12月", {"published": "2025-01", "published_precision": "month"}, ("12月", "2024-12", "month", "inferred-year")),
    ("2015年", DAY, ("2015年", "2015", "year", "printed")),
    ("2015年底", DAY, ("2015年底", "2015-12~", "approximate", "printed")),
    ("2015年初", DAY, ("2015年初", "2015-01~", "approximate", "printed")),
    ("大约在2015年或更早", DAY, ("大约在2015年", "2015~", "approximate", "printed")),
    ("去年", DAY, ("去年", "2023", "year", "relative")),
    ("明年", DAY, ("明年", "2025", "year", "relative")),
    ("今年", DAY, ("今年", "2024", "year", "relative")),
    ("明年", {"published": "2025-01", "published_precision": "month", "published_source": "inferred"},
     ("明年", "2026?", "year", "relative")),
    ("两年前", DAY, ("两年前", "2022~", "approximate", "relative")),
    ("七年前", DAY, ("七年前", "2017~", "approximate", "relative")),
    ("1 天前", DAY, ("1 天前", "2024-12-06", "day", "relative")),
    ("1 天前", {"published": "2025-01", "published_precision": "month"},
     ("1 天前", "2024-12/2025-01", "month", "relative")),
    ("三个月后", DAY, ("三个月后", "2025-03~", "approximate", "relative")),
    ("上周", DAY, ("上周", "2024-11-25/2024-12-01", "day", "relative")),
    ("上周末", DAY, ("上周末", "2024-11-30/2024-12-01", "day", "relative")),
    ("九十年代", DAY, ("九十年代", "199X", "decade", "printed")),
    ("2010年代", DAY, ("2010年代", "201X", "decade", "printed")),
    ("2019年的春天", DAY, ("2019年的春天", "2019-21", "season", "printed")),
    ("2019年的春天或夏天", DAY, ("2019年的春天或夏天", "2019-21/2019-22", "season", "printed")),
    ("今年夏天", DAY, ("今年夏天", "2024-22", "season", "relative")),
    ("11月17日至21日", {"published": "2023-12-01"}, ("11月17日至21日", "2023-11-17/2023-11-21", "day", "inferred-year")),
    ("从2022年11月到2023年11月", DAY, ("2022年11月到2023年11月", "2022-11/2023-11", "month", "printed")),
    ("2022年12月底或2023年1月初", DAY, ("2022年12月底或2023年1月初", "2022-12/2023-01", "month", "printed")),
]


@pytest.mark.parametrize("text,pub,expected", FORMS, ids=[f[0] for f in FORMS])
def test_each_form(text, pub, expected):
    found = dates.find(text, **pub)
    assert [(e.text, e.edtf, e.precision, e.provenance) for e in found] == [expected]


NON_DATES = ["76,000", "87.5%", "36:07", "GPT-4.5", "第10000个", "3个月", "用了三个月", "2048", "GPT-4o",
             "o3-mini", "每月20美元", "200美元", "25个人", "10亿日活用户", "一年", "十年", "12年的Stratechery",
             "24个月内", "提前60天", "为期12天", "几千天", "那个周末", "周五中午", "第二天", "下午4:45",
             "AGI到来的几年后", "如今年轻人", "证明年轻", "说明年纪", "以后年轻人", "马上周末", "GPT-5月活"]


@pytest.mark.parametrize("text", NON_DATES)
def test_non_dates(text):
    assert dates.find(text, **DAY) == []
    assert dates.find(f"他说：{text}。", **DAY) == []


def test_year_hint_and_local_year():
    """A month/day without a year: the year printed earlier in the string, else the hint, else
    the publication date (a month after the publication's goes to the year before)."""
    assert dates.find("2022年8月训练，11月30日发布", **DAY)[1].edtf == "2022-11-30"
    assert dates.find("那年12月", year_hint=2022)[0].edtf == "2022-12"
    assert dates.find("那年12月", **DAY, year_hint=2022)[0].note == "年份取自本节上文（2022年）"
    assert dates.find("12月", published="2025-01-05")[0].edtf == "2024-12"
    assert dates.find("12月", published="2025")[0].edtf == "2025-12"


def test_relative_needs_a_publication_date():
    assert [e.text for e in dates.find("去年，两年前，昨天，上周，2019年，11月1号")] == ["2019年", "11月1号"]
    assert dates.find("2019年，11月1号")[1].edtf == "2019-11-01"
    assert dates.find("11月1号") == []  # no year anywhere: no value


def test_notes_say_how_a_value_was_resolved():
    e = dates.find("去年", published="2025-01", published_precision="month", published_source="inferred")[0]
    assert e.note == "去年：据发表日期2025-01推算（发表日期系编者推定）"
    assert "推定" in dates.find("4月16日", published="2024-04-16", published_source="inferred")[0].note
    assert dates.find("2022年11月30日", **DAY)[0].note == ""


def test_bad_publication_date_is_refused():
    with pytest.raises(ValueError):
        dates.find("去年", published="2024-13-01")
    with pytest.raises(ValueError):
        dates.find("去年", published="7 December 2024")


# --------------------------------------------------------------------------- properties

DATEY = st.sampled_from(list("0123456789年月日号前后天周去今明两七十一二三四五六八九春夏秋冬底初中末至到或约大左右代世纪上下本这个星期"
                             "，。、 -~．") + ["年代", "大约", "左右", "个月", "星期", "周末", "前后"])
TEXTS = st.one_of(st.text(max_size=80), st.lists(DATEY, max_size=40).map("".join))
PUBS = st.sampled_from([{}, DAY, {"published": "2025-01", "published_precision": "month", "published_source": "inferred"},
                        {"published": "2025", "published_precision": "year"}, {"published": "2024-02-29"}])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, pub=PUBS, hint=st.one_of(st.none(), st.integers(0, 3000)))
def test_properties(text, pub, hint):
    """Never raises; spans are the printed text, in order, disjoint; values parse as EDTF."""
    found = dates.find(text, **pub, year_hint=hint)
    last = 0
    for e in found:
        assert text[e.start:e.end] == e.text and e.text
        assert e.start >= last
        last = e.end
        parse_edtf(e.edtf)
        assert e.precision in dates.PRECISIONS and e.provenance in dates.PROVENANCES
        assert ("~" in e.edtf or "%" in e.edtf) == (e.precision == "approximate")


def test_long_runs_of_what_the_patterns_look_for():
    """What the finder makes of hostile text (its time, linear in the length, is measured by
    `make bench`, tools/bench.py bench_hostile_dates, not asserted here)."""
    assert [h.edtf for h in dates.find("去年" * 3000, **DAY)] == ["2023"] * 3000
    assert len(dates.find("2022年11月30日至" * 1000, **DAY)) == 1000
    assert dates.find("十" * 10000 + "年前", **DAY) == []
    assert [(h.edtf, h.text) for h in dates.find("大约" * 5000 + "2015年", **DAY)] == [("2015~", "大约2015年")]
    assert dates.find("1" * 20000 + "年", **DAY) == []


# --------------------------------------------------------------------------- the corpus

@pytest.fixture(scope="module")
def docs():
    return _tool().load_docs(ROOT)


@pytest.fixture(scope="module")
def hits(docs):
    return dates.find_in(docs)


def test_corpus_hits_are_well_formed(docs, hits):
    paragraphs = {(d.entry.slug, p.id): p.text for d in docs for p in d.paragraphs()}
    assert len(hits) >= 40
    assert {h.slug for h in hits} == {d.entry.slug for d in docs}
    for h in hits:
        parse_edtf(h.expr.edtf)
        assert paragraphs[(h.slug, h.anchor)][h.expr.start:h.expr.end] == h.expr.text
        assert h.expr.text in h.context and len(h.context) <= len(h.expr.text) + 2 * dates.CONTEXT
        assert h.expr.provenance == "printed" or h.expr.note, h  # every resolved value says how


def test_corpus_known_dates(hits):
    got = {(h.slug, h.anchor, h.expr.text): h.expr.edtf for h in hits}
    assert got[("2025-01-bloomberg-altman", "p0-23", "2022年11月30日")] == "2022-11-30"
    assert got[("2024-12-dealbook-altman", "p4-10", "11月1号")] == "2024-11-01"
    assert got[("2024-04-20vc-altman-lightcap", "p0-1", "4月16日")] == "2024-04-16?"
    assert got[("2024-12-dealbook-altman", "p1-10", "2022年8月左右")] == "2022-08~"
    assert got[("2025-01-bloomberg-altman", "p7-2", "2022年11月到2023年11月")] == "2022-11/2023-11"
    assert got[("2025-01-bloomberg-altman", "p5-6", "12月")] == "2022-12"  # 那年12月: the section's year


CORPUS_NON_DATES = ["76,000", "87.5%", "第10000个", "12个月", "24个月", "12年的", "几千天", "每月20美元",
                    "4:45", "12:05", "那个周末", "第二天", "12天", "60天", "几年后"]


def test_corpus_non_dates_are_silent(docs, hits):
    """Each of these stands in the corpus, and no Hit touches it."""
    by_paragraph: dict = {}
    for h in hits:
        by_paragraph.setdefault((h.slug, h.anchor), []).append(h.expr)
    for needle in CORPUS_NON_DATES:
        seen = 0
        for d in docs:
            for p in d.paragraphs():
                at = p.text.find(needle)
                while at >= 0:
                    seen += 1
                    for e in by_paragraph.get((d.entry.slug, p.id), []):
                        assert e.end <= at or e.start >= at + len(needle), (needle, d.entry.slug, p.id, e)
                    at = p.text.find(needle, at + 1)
        assert seen, f"{needle!r} no longer stands in the corpus: update the list"


# --------------------------------------------------------------------------- the candidate list

def _project(tmp_path: Path, timeline: str) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "timeline.yml").write_text(timeline, encoding="utf-8")
    return tmp_path


def test_candidates_marks_used_ignored_new_and_stale(docs, hits, tmp_path):
    tool = _tool()
    root = _project(tmp_path, """
events:
  - id: chatgpt
    passages:
      - {ref: 2025-01-bloomberg-altman#p0-23, dates: [2022年11月30日]}
      - {ref: 2025-01-bloomberg-altman#p0-24, dates: [2099年]}
ignored:
  - {ref: 2024-12-dealbook-altman#p12-1, text: 明年, reason: 私事}
""")
    marks = tool.load_marks(root, docs)
    states = {(h.slug, h.anchor, h.expr.text): tool.status(h, marks) for h in hits}
    assert states[("2025-01-bloomberg-altman", "p0-23", "2022年11月30日")] == "used"
    assert states[("2024-12-dealbook-altman", "p12-1", "明年")] == "ignored"
    assert states[("2024-12-dealbook-altman", "p4-10", "11月1号")] == "NEW"
    assert marks[2] == ["chatgpt: 2025-01-bloomberg-altman#p0-24 「2099年」"]
    report = tool.text_report(docs, hits, marks, only_new=False)
    line = next(x for x in report.splitlines() if "p0-23" in x)
    assert line.startswith("used    2025-01-bloomberg-altman#p0-23  2022-11-30  day  printed  「2022年11月30日」  …")
    assert "stale (in seeds/timeline.yml, found by no Hit)" in report
    assert "NEW" not in "".join(x for x in tool.text_report(docs, hits, marks, only_new=True).splitlines()
                                if x.startswith(("used", "ignored")))


def test_candidates_text_without_timeline(docs, hits):
    report = _tool().text_report(docs, hits, None, only_new=False)
    for d in docs:
        n = sum(h.slug == d.entry.slug for h in hits)
        assert f"== {d.entry.slug} (published {d.entry.date}, {d.entry.precision}, {d.entry.date_source}): {n} dates" \
            in report
    assert report.rstrip().endswith(f"total: {len(hits)} dates in {len(docs)} documents")
    order = [x.split("  ")[0] for x in report.splitlines() if "#p" in x]
    assert order == [f"{h.slug}#{h.anchor}" for h in hits]  # reading order


def test_candidates_yaml_stubs_parse(docs, hits):
    text = _tool().yaml_report(docs, hits, None, only_new=False)
    data = yaml.safe_load(text)
    assert len(data["events"]) == len(hits)
    first = data["events"][0]
    assert first["passages"] == [{"ref": f"{hits[0].slug}#{hits[0].anchor}", "dates": [hits[0].expr.text]}]
    assert first["date"] == hits[0].expr.edtf
    assert text.count("\n#  - {ref: ") == len(hits)
