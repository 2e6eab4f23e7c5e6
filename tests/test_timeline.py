"""The timeline (hooks/reader/timeline.py, seeds/timeline.yml): EDTF display and order,
validation with file/line/field, completeness against the date finder, the page and the
TimelineJS JSON. The finder itself is tested in tests/test_dates.py."""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader import corpus, dates, pages, read, script, site, timeline
from reader.model import EditionError

ROOT = Path(__file__).resolve().parent.parent
BB = "2025-01-bloomberg-altman"
DB = "2024-12-dealbook-altman"


@pytest.fixture(scope="module")
def real() -> corpus.Corpus:
    return corpus.load(ROOT)


# ---------------------------------------------------------------- EDTF subset
@pytest.mark.parametrize("value, shown", [
    ("2022-11-30", "2022年11月30日"),
    ("2022-08", "2022年8月"),
    ("2015", "2015年"),
    ("2015~", "约2015年"),
    ("2022-08~", "约2022年8月"),
    ("2024-04-16?", "2024年4月16日（？）"),
    ("2023-11-17/2023-11-21", "2023年11月17日至21日"),
    ("2022-12/2023-01", "2022年12月至2023年1月"),
    ("2022-11/2023-11", "2022年11月至2023年11月"),
    ("2019-21", "2019年春"),
    ("2019-21/2019-22", "2019年春至夏"),
    ("201X", "2010年代"),
    ("2024-10-01/2024-10-21", "2024年10月1日至21日"),
    ("2024-09-28/2024-10-02", "2024年9月28日至10月2日"),
])
def test_display_at_its_precision(value, shown):
    assert timeline.parse_edtf(value) is not None
    assert timeline.display(value) == shown


@pytest.mark.parametrize("value", ["2015-13", "2022-02-30", "2023-11-21/2023-11-17", "22-08", "2022/08",
                                   "2022-08-01T10:00", "", "2022-25", "201X-05", "约2015", None, 2015,
                                   "2015/2016/2017"])
def test_not_our_edtf(value):
    assert timeline.parse_edtf(value) is None


def test_order_is_total_and_stable_for_ties_and_uncertain_dates():
    def ev(i, d):
        return timeline.Event(i, d, "company", "t", "t", "d", "d", ())

    events = [ev("b", "2022-08"), ev("a", "2022-08"), ev("c", "2022"), ev("d", "2022-08-15"),
              ev("e", "2022-08~"), ev("f", "201X"), ev("g", "2022-08/2022-09"), ev("h", "2021-24")]
    order = [e.id for e in sorted(events, key=timeline.sort_key)]
    # decade first; the winter of 2021 reaches into 2022; a year before its months; ties by id
    assert order == ["f", "h", "c", "a", "b", "e", "g", "d"]
    assert order == [e.id for e in sorted(reversed(events), key=timeline.sort_key)]


def test_overlaps_allows_slack_only_for_approximate_values():
    assert timeline.overlaps("2022~", "2023-05", slack_years=1)
    assert not timeline.overlaps("2022", "2023-05", slack_years=1)
    assert timeline.overlaps("2022-11", "2022-11-30")


# ---------------------------------------------------------------- validation
@dataclass(frozen=True)
class _Expr:
    text: str
    edtf: str
    provenance: str
    start: int = 0
    end: int = 0
    precision: str = "year"
    note: str = ""


@dataclass(frozen=True)
class _Hit:
    slug: str
    anchor: str
    expr: _Expr
    context: str = ""


HITS = [_Hit(BB, "p5-1", _Expr("2022年11月30日", "2022-11-30", "printed")),
        _Hit(DB, "p1-3", _Expr("两年前", "2022~", "relative")),
        _Hit(BB, "p1-2", _Expr("2015年", "2015", "printed")),
        _Hit(DB, "p4-10", _Expr("11月1号", "2024-11-01", "inferred-year"))]

GOOD = textwrap.dedent(f"""\
    events:
      - id: chatgpt-launch
        date: 2022-11-30
        group: products
        title: ChatGPT发布
        title_hant: ChatGPT發布
        description: 发布。
        description_hant: 發布。
        people: [altman]
        passages:
          - {{ref: {BB}#p5-1, dates: [2022年11月30日]}}
          - {{ref: {DB}#p1-3, dates: [两年前]}}
      - id: founded
        date: "2015"
        group: company
        title: 创立
        title_hant: 創立
        description: 创立。
        description_hant: 創立。
        passages:
          - {{ref: {BB}#p1-2, dates: [2015年]}}
    ignored:
      - {{ref: {DB}#p4-10, text: 11月1号, reason: 测试}}
""")


def _parse(text: str, tmp_path: Path, real: corpus.Corpus, hits=HITS) -> timeline.Timeline:
    path = tmp_path / "timeline.yml"
    path.write_text(text, encoding="utf-8")
    return timeline.parse(read.load_yaml(path, timeline.FILE), real.docs, hits, {p.id for p in real.people})


def test_good_timeline_parses_sorted_with_provenance(tmp_path, real):
    t = _parse(GOOD, tmp_path, real)
    assert [e.id for e in t.events] == ["founded", "chatgpt-launch"]
    assert [e.provenance for e in t.events] == ["printed", "printed"]
    assert t.events[1].slugs() == [BB, DB]
    timeline.check_complete(t, HITS)


@pytest.mark.parametrize("old, new, line, field, words", [
    ("id: founded", "id: Founded", 13, "id", "ASCII id"),
    ("id: founded", "id: chatgpt-launch", 13, "id", "already used on line 2"),
    ("id: founded", "id: top", 13, "id", "ASCII id"),
    ("id: founded", "id: y2015", 13, "id", "ASCII id"),  # the year headings' ids
    ('date: "2015"', "date: 2015-13", 14, "date", "not an EDTF date"),
    ("group: company", "group: gossip", 15, "group", "one of company"),
    ("people: [altman]", "people: [nobody]", 9, "people", "not an id of seeds/people.yml"),
    (f"{BB}#p1-2, dates", f"{BB}#p999-1, dates", 21, "ref", "has no anchor"),
    ("dates: [2015年]", "dates: [2016年]", 21, "dates", "not a date expression found"),
    ("    title: 创立\n", "    title: 创立\n    colour: red\n", 17, "colour", "unknown field"),
    ("    description: 创立。\n", "", 13, "description", "is required"),
    ("text: 11月1号", "text: 11月2号", 23, "text", "not a date expression found"),
])
def test_errors_name_file_line_and_field(tmp_path, real, old, new, line, field, words):
    assert old in GOOD
    with pytest.raises(EditionError) as err:
        _parse(GOOD.replace(old, new, 1), tmp_path, real)
    assert (err.value.file, err.value.line, err.value.field) == (timeline.FILE, line, field), str(err.value)
    assert words in str(err.value)


def test_a_passage_that_disagrees_must_keep_its_reading(tmp_path, real):
    hits = HITS + [_Hit(DB, "p1-3", _Expr("七年前", "2017~", "relative"))]
    text = GOOD.replace(f"{{ref: {BB}#p1-2, dates: [2015年]}}", f"{{ref: {BB}#p1-2, dates: [2015年]}}\n"
                        f"      - {{ref: {DB}#p1-3, dates: [七年前]}}")
    with pytest.raises(EditionError, match="disagrees with the event's date 2015"):
        _parse(text, tmp_path, real, hits)
    with pytest.raises(EditionError, match="needs a note"):
        _parse(text.replace("dates: [七年前]}", "dates: [七年前], reading: '2017~'}"), tmp_path, real, hits)
    t = _parse(text.replace("dates: [七年前]}", "dates: [七年前], reading: '2017~', note: 两说}"), tmp_path, real, hits)
    founded = next(e for e in t.events if e.id == "founded")
    assert [p.reading for p in founded.conflicts()] == ["2017~"]
    assert founded.provenance == "printed"  # the printed 2015年 fits; the conflicting reading does not count


def test_a_date_no_passage_gives_needs_a_note(tmp_path, real):
    text = GOOD.replace('date: "2015"', "date: 2015-12-11").replace("dates: [2015年]", "dates: []")
    text = text.replace("ignored:\n", f"ignored:\n  - {{ref: {BB}#p1-2, text: 2015年, reason: 测试}}\n")
    with pytest.raises(EditionError) as err:
        _parse(text, tmp_path, real)
    assert err.value.field == "date_note"
    t = _parse(text.replace("    group: company", "    group: company\n    date_note: 编者据公告。"),
               tmp_path, real)
    assert next(e for e in t.events if e.id == "founded").provenance == "editor"


def test_every_finder_hit_is_used_or_ignored(tmp_path, real):
    t = _parse(GOOD, tmp_path, real)
    extra = _Hit(BB, "p4-1", _Expr("2019年", "2019", "printed"))
    assert timeline.unaccounted(t, HITS + [extra]) == [extra]
    with pytest.raises(EditionError, match="neither used nor ignored, first 2025-01-bloomberg-altman#p4-1 '2019年'"):
        timeline.check_complete(t, HITS + [extra])


def test_hostile_text_stays_text(tmp_path, real):
    text = GOOD.replace("title: ChatGPT发布", "title: <script>alert(1)</script>*x*")
    t = _parse(text, tmp_path, real)
    md = timeline.page(t, real.docs, real.people, lambda src, a: f"{src}#{a}", False, lambda s: s)
    assert "<script>alert" not in md and "*x*" not in md
    assert md.count("<script>") == 1  # the page's own (it shows the filters)
    data = json.loads(timeline.tjs(t, real.docs, lambda src, a: f"{src}#{a}", False, lambda s: s, "T"))
    assert "<script>" not in json.dumps(data, ensure_ascii=False)
    assert "&lt;script&gt;" in data["events"][1]["text"]["headline"]


# ---------------------------------------------------------------- the real timeline
def test_real_timeline_is_complete_and_sorted(real):
    t = real.timeline
    assert len(t.events) >= 20
    hits = dates.find_in(real.docs)
    assert timeline.unaccounted(t, hits) == []
    assert [e.id for e in t.events] == [e.id for e in sorted(t.events, key=timeline.sort_key)]
    assert all(i.reason.strip() for i in t.ignored)
    ids = [e.id for e in t.events]
    assert len(ids) == len(set(ids))


def test_real_timeline_hant_is_what_the_converter_makes(real):
    conv = script.Converter(site.hant_rules(ROOT, {d.entry.slug for d in real.docs}))
    for e in real.timeline.events:
        assert (e.title_hant, e.description_hant) == (conv(e.title), conv(e.description)), e.id


def test_real_timeline_data_is_used_and_not_duplicated(real):
    t = real.timeline
    hits = {(h.slug, h.anchor, h.expr.text) for h in dates.find_in(real.docs)}
    ignored = [(i.slug, i.anchor, i.text) for i in t.ignored]
    assert len(ignored) == len(set(ignored)), "an expression is ignored twice"
    used = {(p.slug, p.anchor, x) for e in t.events for p in e.passages for x in p.dates}
    assert not used & set(ignored), "an expression is both used and ignored"
    assert set(ignored) <= hits
    for e in t.events:
        refs = [(p.slug, p.anchor) for p in e.passages]
        assert len(refs) == len(set(refs)), f"{e.id} cites a passage twice"


def test_every_interview_is_an_event_and_every_document_is_attested(real):
    t = real.timeline
    interviews = [e for e in t.events if e.group == "interviews"]
    assert {s for e in interviews for s in e.slugs()} == {d.entry.slug for d in real.docs}
    assert {s for e in t.events for s in e.slugs()} == {d.entry.slug for d in real.docs}


def test_events_told_by_several_interviews_list_them_all(real):
    by_id = {e.id: e for e in real.timeline.events}
    assert len(by_id["chatgpt-launch"].slugs()) >= 3
    assert len(by_id["openai-founded"].slugs()) >= 3
    assert by_id["openai-founded"].conflicts(), "20VC's 七年前 and Bloomberg's 2015年 disagree: both kept"


def test_page_shows_precision_provenance_conflicts_and_quotes(real):
    ed = pages.make_edition(real, "zh-Hans")
    md = timeline.page(real.timeline, ed.docs, real.people, lambda src, a: f"{src}#{a}", False, lambda s: s)
    assert "约2022年8月" in md and "2022年11月30日" in md and "2023年11月17日至21日" in md
    assert "据相对说法推算" in md or "年份据上下文推定" in md
    assert "编者据外部资料补" in md and "各篇说法不一" in md
    assert 'id="chatgpt-launch"' in md and 'data-docs="' in md
    assert md.count("<mark>") >= 20, "each dated passage is quoted with its expression marked"
    assert '<form class="tl-filters" hidden' in md, "filters appear only with JavaScript"


@pytest.mark.parametrize("pad", range(34, 41))
def test_a_passage_quoted_from_its_opening_never_cuts_a_latin_word(pad):
    """A passage without the event's expression is quoted from its first 40 characters; a word
    straddling the cut is left out whole ("…事件，ChatGP…" misquoted the Bloomberg passage)."""
    text = "甲" * pad + "ChatGPT上线两个月后流量暴增"
    left, key, right = timeline._quote(text, ["不在文中"])
    assert (left, key) == ("", "") and right.endswith("…") and text.startswith(right[:-1])
    assert "ChatGPT" in right or "C" not in right, right


def test_timelinejs_json_uses_its_field_names(real):
    ed = pages.make_edition(real, "zh-Hans")
    data = json.loads(timeline.tjs(real.timeline, ed.docs, lambda src, a: f"{src}#{a}", False, lambda s: s, "T"))
    assert set(data) == {"title", "events"}
    date_fields = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}
    slide_fields = {"start_date", "end_date", "text", "media", "group", "display_date", "background",
                    "autolink", "unique_id"}
    assert len(data["events"]) == len(real.timeline.events)
    for slide in data["events"]:
        assert set(slide) <= slide_fields and "start_date" in slide
        assert set(slide["text"]) <= {"headline", "text"}
        for key in ("start_date", "end_date"):
            if key in slide:
                assert set(slide[key]) <= date_fields
                assert all(isinstance(v, str) for v in slide[key].values())
                assert slide[key]["year"].isdigit()
        if "end_date" in slide:
            s, e = slide["start_date"], slide["end_date"]
            key = lambda d: (int(d["year"]), int(d.get("month", 1)), int(d.get("day", 1)))  # noqa: E731
            assert key(s) <= key(e)


def test_every_cited_anchor_exists_in_both_built_editions(real, built_site):
    """Each passage of each event, and each event's own anchor, in the built HTML of both editions."""
    import re

    for prefix in ("", "zh-Hant/"):
        page = (built_site / prefix / "timeline" / "index.html").read_text(encoding="utf-8")
        for e in real.timeline.events:
            assert f'id="{e.id}"' in page
            for p in e.passages:
                html = (built_site / prefix / p.slug / "index.html").read_text(encoding="utf-8")
                if p.anchor != "top":
                    assert re.search(rf'id="{re.escape(p.anchor)}"', html), f"{prefix}{p.slug}#{p.anchor}"
        data = json.loads((built_site / prefix / "timeline.json").read_text(encoding="utf-8"))
        assert [s["unique_id"] for s in data["events"]] == [e.id for e in real.timeline.events]
