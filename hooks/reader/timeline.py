"""Timeline: seeds/timeline.yml (events the editors curated from the date finder's candidates)
-> validated, sorted events -> the timeline page of an edition and its TimelineJS JSON.

Data flow: (YAML data, zh-Hans Documents, dates.find_in(docs) hits, people ids)
-> parse: every field checked (file, line, field); every citation resolved through
anchors.resolve; every date expression an event names must be one the finder found in that
paragraph; a passage whose expression disagrees with the event's date must say so (`reading`)
-> check_complete: every hit of the finder is used by an event or ignored with a reason
-> Timeline (events sorted by date: earliest possible day, then latest, then id)
-> page(): Markdown (escaped once, here, with render.esc) and tjs(): TimelineJS 3 JSON.
Dates are EDTF (ISO 8601-2) strings in a small subset, checked with the `edtf` package.
Pure: no MkDocs, no I/O.
"""
from __future__ import annotations

import calendar
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import TYPE_CHECKING, Any

from . import limits
from .annotate import kwic
from .model import Document, EditionError
from .render import balanced_kwic, block_size, esc, esc_words, short_name

if TYPE_CHECKING:
    from .read import LineDict

FILE = "seeds/timeline.yml"
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
GROUPS = {"company": "公司", "products": "产品与研究", "people": "人物", "interviews": "访谈"}
EVENT_FIELDS = ("id", "date", "group", "title", "title_hant", "description", "description_hant",
                "people", "passages", "date_note")
EVENT_REQUIRED = ("id", "date", "group", "title", "title_hant", "description", "description_hant", "passages")
PASSAGE_FIELDS = ("ref", "dates", "reading", "note")
IGNORED_FIELDS = ("ref", "text", "reason")
#: How the event's date is known: the first of these its passages give (see provenance()).
PROVENANCE = {
    "printed": "",
    "inferred-year": "年份据上下文推定",
    "relative": "据相对说法推算",
    "editor": "编者据外部资料补",
}
SEASONS = {21: ("春", 3, 5), 22: ("夏", 6, 8), 23: ("秋", 9, 11), 24: ("冬", 12, 14)}

_POINT = re.compile(r"(?P<y>\d{4}|\d{3}X)(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%]?)")


# ---------------------------------------------------------------- EDTF: the subset we write
@dataclass(frozen=True)
class Point:
    year: int
    month: int = 0  # 0: not given; 21-24: a season
    day: int = 0
    decade: bool = False
    approx: bool = False
    uncertain: bool = False

    def bounds(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(earliest, latest) day this point can mean, as (y, m, d) tuples."""
        y = self.year
        if self.decade:
            return (y, 1, 1), (y + 9, 12, 31)
        if not self.month:
            return (y, 1, 1), (y, 12, 31)
        if self.month in SEASONS:
            _, a, b = SEASONS[self.month]
            end = (y + 1, b - 12, 28) if b > 12 else (y, b, calendar.monthrange(y, b)[1])
            return (y, a, 1), end
        if not self.day:
            return (y, self.month, 1), (y, self.month, calendar.monthrange(y, self.month)[1])
        return (y, self.month, self.day), (y, self.month, self.day)


def parse_point(text: str) -> Point | None:
    m = _POINT.fullmatch(text)
    if not m:
        return None
    decade = m["y"].endswith("X")
    year = int(m["y"][:3] + "0") if decade else int(m["y"])
    month, day = int(m["m"] or 0), int(m["d"] or 0)
    if decade and month:
        return None
    if month and not (1 <= month <= 12 or month in SEASONS) or (day and month > 12):
        return None
    if day and day > calendar.monthrange(year, month)[1]:
        return None
    q = m["q"]
    return Point(year, month, day, decade, q in "~%" and q != "", q in "?%" and q != "")


@functools.lru_cache(maxsize=4096)
def _is_edtf(value: str) -> bool:
    """The well-kept parser has the last word on what is EDTF (memoised: its pyparsing grammar
    takes ~10 ms a value, and the page, the TimelineJS data and the checks ask again and again)."""
    try:
        import edtf

        edtf.parse_edtf(value)
    except Exception:  # noqa: BLE001 - its errors are several classes
        return False
    return True


def parse_edtf(value: Any, check: bool = True) -> tuple[Point, Point | None] | None:
    """'2022-08', '2015~', '2023-11-17/2023-11-21', '2019-21', '201X' -> (start, end or None).
    `check`: the edtf library must agree too (as at load, in _date); what the page, the print
    part and the TimelineJS data show was checked there, so they pass check=False and a build
    from the cached corpus never loads edtf's pyparsing grammar (~0.3 s)."""
    if not isinstance(value, str):
        return None
    parts = value.split("/")
    if len(parts) > 2:
        return None
    points = [parse_point(p) for p in parts]
    if any(p is None for p in points):
        return None
    if check and not _is_edtf(value):
        return None
    start, end = points[0], (points[1] if len(points) == 2 else None)
    assert start is not None  # no point is None (checked above)
    if end is not None and end.bounds()[1] < start.bounds()[0]:
        return None
    return start, end


def bounds(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    start, end = parse_edtf(value, check=False) or (Point(9999), None)
    return start.bounds()[0], (end or start).bounds()[1]


def _point_text(p: Point, show_year: bool = True, show_month: bool = True) -> str:
    if p.decade:
        s = f"{p.year}年代"
    else:
        s = f"{p.year}年" if show_year else ""
        if p.month in SEASONS:
            s += SEASONS[p.month][0]
        elif p.month:
            s += f"{p.month}月" if (show_month or not show_year) else ""
            if p.day:
                s += f"{p.day}日"
    return s


def display(value: str) -> str:
    """EDTF -> the date as a Chinese reader writes it, at its precision: '2022年8月',
    '约2015年', '2023年11月17日至21日', '2024年4月16日（？）'."""
    parsed = parse_edtf(value, check=False)
    if parsed is None:
        return value
    start, end = parsed
    if end is None:
        text = _point_text(start)
    elif end.year == start.year and end.month == start.month and start.day and end.day and not end.decade:
        text = f"{_point_text(start)}至{end.day}日"
    elif end.year == start.year and not end.decade and not start.decade:
        text = f"{_point_text(start)}至{_point_text(end, show_year=False)}"
    else:
        text = f"{_point_text(start)}至{_point_text(end)}"
    approx = start.approx or bool(end and end.approx)
    uncertain = start.uncertain or bool(end and end.uncertain)
    return ("约" if approx else "") + text + ("（？）" if uncertain else "")


def overlaps(a: str, b: str, slack_years: int = 0) -> bool:
    """Do the two EDTF values share a possible day? An approximate value gets `slack_years`."""
    (a0, a1), (b0, b1) = bounds(a), bounds(b)
    if "~" in a or "%" in a:
        a0, a1 = (a0[0] - slack_years,) + a0[1:], (a1[0] + slack_years,) + a1[1:]
    return a0 <= b1 and b0 <= a1


# ---------------------------------------------------------------- the data
@dataclass(frozen=True)
class Passage:
    slug: str
    anchor: str
    dates: tuple[str, ...]  # expressions of the date finder in this paragraph that this event uses
    reading: str = ""  # EDTF: what this passage says when it disagrees with the event's date
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Event:
    id: str
    date: str
    group: str
    title: str
    title_hant: str
    description: str
    description_hant: str
    passages: tuple[Passage, ...]
    people: tuple[str, ...] = ()
    date_note: str = ""
    provenance: str = "printed"
    line: int = 0

    def slugs(self) -> list[str]:
        return list(dict.fromkeys(p.slug for p in self.passages))

    def conflicts(self) -> list[Passage]:
        return [p for p in self.passages if p.reading]


@dataclass(frozen=True)
class Ignored:
    slug: str
    anchor: str
    text: str
    reason: str
    line: int = 0


@dataclass
class Timeline:
    events: list[Event] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)


def _text(raw: LineDict, key: str, file: str, line: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EditionError(file, raw.key_lines.get(key, line), key, "must be non-empty text")
    return value.strip()


def _fields(raw: LineDict, file: str, what: str, allowed: tuple[str, ...]) -> int:
    line = getattr(raw, "line", 0)
    if not isinstance(raw, dict):
        raise EditionError(file, line, what, f"must be a mapping with {', '.join(allowed)}")
    for key in raw:
        if key not in allowed:
            raise EditionError(file, raw.key_lines.get(key, line), str(key)[:40],
                               f"unknown field (known: {', '.join(allowed)})")
    return line


def _date(raw: LineDict, key: str, file: str, line: int) -> str:
    value: Any = raw.get(key)
    value = value.isoformat() if hasattr(value, "isoformat") else value  # an unquoted YAML date
    if parse_edtf(value) is None:
        raise EditionError(file, raw.key_lines.get(key, line), key,
                           f"{limits.quote(value)} is not an EDTF date of the forms 2022, 2022-08, 2022-11-30, "
                           "2019-21 (spring; 22-24 summer to winter), 201X (decade), with ? or ~ after it, "
                           "or a range A/B")
    return value


def parse(data: LineDict | None, docs: list[Document], hits: list, people: set[str], file: str = FILE) -> Timeline:
    """seeds/timeline.yml -> Timeline. `hits` are dates.find_in(docs); `people` the ids of
    seeds/people.yml. Every problem is one EditionError naming the file, line and field."""
    from . import anchors

    if data is None:
        return Timeline()
    if not isinstance(data, dict) or set(data) - {"events", "ignored"}:
        raise EditionError(file, 1, "timeline", "must be a mapping with `events` and `ignored`")
    found: dict[tuple[str, str, str], list] = {}
    for h in hits:
        found.setdefault((h.slug, h.anchor, h.expr.text), []).append(h)
    events: list[Event] = []
    seen: dict[str, int] = {}
    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        raise EditionError(file, data.key_lines.get("events", 1), "events", "must be a list of events")
    for raw in raw_events:
        line = _fields(raw, file, "event", EVENT_FIELDS)
        for key in EVENT_REQUIRED:
            if key not in raw:
                raise EditionError(file, line, key, "is required")
        eid = raw["id"]
        if not isinstance(eid, str) or not ID.fullmatch(eid) or eid == "top" or re.fullmatch(r"y\d+", eid) or len(eid) > 60:
            raise EditionError(file, raw.key_lines["id"], "id", f"{limits.quote(eid)} is not an ASCII id like 'chatgpt-launch' (not top or y<year>: the page uses those)")
        if eid in seen:
            raise EditionError(file, raw.key_lines["id"], "id", f"{eid!r} is already used on line {seen[eid]}")
        seen[eid] = raw.key_lines["id"]
        date = _date(raw, "date", file, line)
        group = raw["group"]
        if group not in GROUPS:
            raise EditionError(file, raw.key_lines["group"], "group", f"{limits.quote(group)}: one of {', '.join(GROUPS)}")
        who = raw.get("people", [])
        if not isinstance(who, list) or not all(isinstance(p, str) for p in who):
            raise EditionError(file, raw.key_lines.get("people", line), "people", "must be a list of ids of seeds/people.yml")
        for p in who:
            if p not in people:
                raise EditionError(file, raw.key_lines["people"], "people", f"{limits.quote(p)} is not an id of seeds/people.yml")
        raw_passages = raw["passages"]
        if not isinstance(raw_passages, list) or not raw_passages:
            raise EditionError(file, raw.key_lines["passages"], "passages", "must list at least one passage {ref, dates}")
        passages = []
        for rp in raw_passages:
            pline = _fields(rp, file, "passage", PASSAGE_FIELDS)
            doc, anchor = anchors.resolve(docs, rp.get("ref"), file, rp.key_lines.get("ref", pline), "ref")
            slug = doc.entry.slug
            exprs = rp.get("dates", [])
            if not isinstance(exprs, list) or not all(isinstance(x, str) and x for x in exprs):
                raise EditionError(file, rp.key_lines.get("dates", pline), "dates",
                                   "must be a list of the date expressions this passage gives (may be empty)")
            reading = _date(rp, "reading", file, pline) if "reading" in rp else ""
            note = _text(rp, "note", file, pline) if "note" in rp else ""
            for x in exprs:
                if (slug, anchor, x) not in found:
                    raise EditionError(file, rp.key_lines["dates"], "dates",
                                       f"{limits.quote(x)} is not a date expression found in {slug}#{anchor} "
                                       "(see `make timeline-candidates`)")
                if not reading:
                    value = found[(slug, anchor, x)][0].expr.edtf
                    if not overlaps(value, date, slack_years=1):
                        raise EditionError(file, rp.key_lines["dates"], "dates",
                                           f"{slug}#{anchor} gives {x!r} = {value}, which disagrees with the event's "
                                           f"date {date}: keep both readings (add `reading: '{value}'` and a note)")
            if reading and not note:
                raise EditionError(file, rp.key_lines["reading"], "note", "a passage with a differing reading needs a note")
            passages.append(Passage(slug, anchor, tuple(exprs), reading, note, pline))
        note = _text(raw, "date_note", file, line) if "date_note" in raw else ""
        prov = provenance(date, [found[(p.slug, p.anchor, x)][0] for p in passages if not p.reading for x in p.dates],
                          note)
        if not prov:
            raise EditionError(file, line, "date_note", f"{eid}: no passage prints this date; say where it comes from")
        events.append(Event(eid, date, group, _text(raw, "title", file, line), _text(raw, "title_hant", file, line),
                            _text(raw, "description", file, line), _text(raw, "description_hant", file, line),
                            tuple(passages), tuple(who), note, prov, seen[eid]))
    ignored = []
    for raw in data.get("ignored") or []:
        line = _fields(raw, file, "ignored", IGNORED_FIELDS)
        doc, anchor = anchors.resolve(docs, raw.get("ref"), file, raw.key_lines.get("ref", line), "ref")
        text, reason = _text(raw, "text", file, line), _text(raw, "reason", file, line)
        if (doc.entry.slug, anchor, text) not in found:
            raise EditionError(file, raw.key_lines["text"], "text",
                               f"{limits.quote(text)} is not a date expression found in {doc.entry.slug}#{anchor}")
        ignored.append(Ignored(doc.entry.slug, anchor, text, reason, line))
    return Timeline(sorted(events, key=sort_key), ignored)


def provenance(date: str, hits: list, date_note: str = "") -> str:
    """How the event's date is known: 'printed' when a passage prints exactly this date,
    'inferred-year' when it prints the month and day of exactly this date, 'editor' when the
    editors give the date (date_note), 'relative' when only a relative expression ("两年前")
    fits it; '' when nothing supports it (parse() then asks for a date_note)."""
    same = {h.expr.provenance for h in hits if bounds(h.expr.edtf) == bounds(date)}
    for kind in ("printed", "inferred-year"):
        if kind in same:
            return kind
    if date_note:
        return "editor"
    if any(h.expr.provenance == "relative" and overlaps(h.expr.edtf, date, slack_years=1) for h in hits):
        return "relative"
    return ""


def sort_key(e: Event) -> tuple:
    """Earliest possible day, then latest day, then id: a total order, stable for ties and for
    uncertain dates (2022 sorts before 2022-08, which sorts before 2022-08-15)."""
    lo, hi = bounds(e.date)
    return lo, hi, e.id


def uses(t: Timeline) -> set[tuple[str, str, str]]:
    out = {(p.slug, p.anchor, x) for e in t.events for p in e.passages for x in p.dates}
    return out | {(i.slug, i.anchor, i.text) for i in t.ignored}


def unaccounted(t: Timeline, hits: list) -> list:
    """Hits of the finder that no event uses and no `ignored` entry explains."""
    done = uses(t)
    return [h for h in hits if (h.slug, h.anchor, h.expr.text) not in done]


def check_complete(t: Timeline, hits: list, file: str = FILE) -> None:
    left = unaccounted(t, hits)
    if left:
        h = left[0]
        raise EditionError(file, 0, "ignored",
                           f"{len(left)} date expression(s) neither used nor ignored, first {h.slug}#{h.anchor} "
                           f"{h.expr.text!r}: add it to an event's `dates` or to `ignored` with a reason "
                           "(`make timeline-candidates` lists them)")


# ---------------------------------------------------------------- rendering
TITLE = "时间线"
INTRO = ("五篇访谈提到的有日期的事，从OpenAI创立前后到访谈本身，按时间排列。每件事标出日期的精度（日、月、季、年）"
         "和来历：原文印出的日期不加标记；“据相对说法推算”指由“两年前”“昨天”一类说法按发表日期推得；"
         "“年份据上下文推定”指原文只印月日；“编者据外部资料补”指访谈没有说出日期。每件事列出讲到它的每一段，"
         "附一句引文，点击可跳到原段落；各篇说法不一之处两说并存。")


@dataclass(frozen=True)
class Labels:
    all_docs: str = "全部篇目"
    all_groups: str = "全部类别"
    doc_filter: str = "篇目"
    group_filter: str = "类别"
    attested: str = "篇访谈提及"
    people: str = "人物"
    conflict: str = "各篇说法不一"
    reads: str = "作"
    date_note: str = "日期依据"
    shown: str = "显示"
    events: str = "件"
    json: str = "时间线数据（TimelineJS格式）"


def _year_of(e: Event) -> int:
    return bounds(e.date)[0][0]


def _datetime_attr(value: str) -> str:
    """A valid HTML datetime for a plain point (2022, 2022-08, 2022-11-30), else ''."""
    return f' datetime="{value}"' if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) and not re.search(r"-2[1-4]$", value) else ""


def _quote(text: str, exprs: list[str]) -> tuple[str, str, str]:
    for x in exprs:
        i = text.find(x)
        if i >= 0:
            return balanced_kwic(*kwic(text, i, i + len(x)))
    return balanced_kwic(*kwic(text, 0, 0, width=40))  # the opening, no Latin word cut ("ChatGP…")


def page(t: Timeline, docs: list[Document], people: list, href: Callable[[str, str], str], hant: bool,
         conv: Callable[[str], str]) -> str:
    """The timeline page of one edition: filters (hidden without scripts; an inline script shows
    them as they are parsed), then the events grouped by year, each at its anchor `#<id>` with a
    placeholder height (render.block_size) for the layout on demand."""
    v = _View.of(docs, people, href, hant, conv)
    L = v.labels
    out = [f"# {esc(conv(TITLE))} {{#top}}", "", f"<p>{esc(conv(INTRO))}</p>", ""]
    opts_doc = "".join(f'<option value="{esc(d.entry.slug)}">{esc(short_name(d))}</option>' for d in docs)
    opts_group = "".join(f'<option value="{g}">{esc(conv(label))}</option>' for g, label in GROUPS.items())
    shown_text = f"{L.shown} {{n}} / {{total}} {L.events}"
    out += [f'<form class="tl-filters" hidden data-search-exclude data-shown="{esc(shown_text)}"><label>{esc(L.doc_filter)} <select name="doc">'
            f'<option value="">{esc(L.all_docs)}</option>{opts_doc}</select></label> '
            f'<label>{esc(L.group_filter)} <select name="group"><option value="">{esc(L.all_groups)}</option>'
            f'{opts_group}</select></label> <output class="tl-count" aria-live="polite"></output></form>'
            # shown as soon as it is parsed when scripts run (timeline.js makes it work once loaded):
            # shown later, it pushed the events down (Lighthouse layout shift 0.02-0.06)
            '<script>document.currentScript.previousElementSibling.hidden = false</script>', ""]
    for year, events in by_year(t).items():
        out += [f"## {year}{esc(conv('年'))} {{#y{year}}}", "", '<div class="tl-year">']
        for e in events:
            out.append(_event(e, v))
        out += ["</div>", ""]
    out += [f'<p class="tl-data"><a href="{href("timeline.json", "")}" type="application/json">{esc(L.json)}</a></p>', ""]
    return "\n".join(out)


def by_year(t: Timeline) -> dict[int, list[Event]]:
    years: dict[int, list[Event]] = {}
    for e in t.events:
        years.setdefault(_year_of(e), []).append(e)
    return years


def print_html(t: Timeline, docs: list[Document], people: list, href: Callable[[str, str], str], hant: bool,
               conv: Callable[[str], str]) -> str:
    """The timeline for the print edition (hooks/reader/printbook.py): the same events as the
    page, without the filters; ids qualified as timeline.<id> (one HTML file holds the book)."""
    v = _View.of(docs, people, href, hant, conv)
    out = [f'<p class="tl-intro">{esc(conv(INTRO))}</p>']
    for year, events in by_year(t).items():
        out.append(f'<h2 id="timeline.y{year}">{year}{esc(conv("年"))}</h2>')
        out += [_event(e, v, prefix="timeline.") for e in events]
    return "\n".join(out)


@dataclass(frozen=True)
class _View:
    """What rendering an event needs from one edition (the page and the print part alike)."""

    labels: Labels
    by_slug: dict[str, Document]
    text_of: dict[tuple[str, str], str]
    names: dict[str, str]
    href: Callable[[str, str], str]
    hant: bool
    conv: Callable[[str], str]

    @classmethod
    def of(cls, docs: list[Document], people: list, href: Callable[[str, str], str], hant: bool,
           conv: Callable[[str], str]) -> _View:
        return cls(Labels(**{k: conv(v) for k, v in Labels().__dict__.items()}),
                   {d.entry.slug: d for d in docs},
                   {(d.entry.slug, p.id): p.text for d in docs for p in d.paragraphs()},
                   {p.id: (p.name_hant if hant else p.name_zh) for p in people}, href, hant, conv)


def _event(e: Event, v: _View, prefix: str = "") -> str:
    L, by_slug, href, hant, conv = v.labels, v.by_slug, v.href, v.hant, v.conv
    title = e.title_hant if hant else e.title
    slugs = e.slugs()
    prov = PROVENANCE[e.provenance]
    shown = esc(conv(display(e.date)))
    datetime = _datetime_attr(e.date)
    meta = [f'<time{datetime} data-edtf="{esc(e.date)}">{shown}</time>' if datetime
            else f'<span class="tl-date" data-edtf="{esc(e.date)}">{shown}</span>']  # <time> needs a valid datetime
    if prov:
        meta.append(f'<span class="tl-prov tl-prov-{e.provenance}">{esc(conv(prov))}</span>')
    meta.append(f'<span class="tl-group">{esc(conv(GROUPS[e.group]))}</span>')
    meta.append(f'<span class="tl-attested">{len(slugs)}{esc(L.attested)}</span>')  # every passage is in a document
    parts = [f'<article class="tl-event" id="{prefix}{e.id}" data-group="{e.group}" data-docs="{" ".join(slugs)}">',
             f'<h3 class="tl-title"><a href="#{prefix}{e.id}">{esc(title)}</a></h3>',
             f'<p class="tl-meta">{" · ".join(meta)}</p>',
             f'<p class="tl-desc">{esc_words(e.description_hant if hant else e.description)}</p>']
    if e.date_note:
        parts.append(f'<p class="tl-note">{esc(L.date_note)}：{esc(conv(e.date_note))}</p>')
    if e.conflicts():
        readings = "；".join(f'{esc(short_name(by_slug[p.slug]))}{esc(L.reads)}{esc(conv(display(p.reading)))}'
                            for p in e.conflicts())
        parts.append(f'<p class="tl-conflict"><strong>{esc(L.conflict)}</strong>：'
                     f'{esc(conv("本版取"))}{esc(conv(display(e.date)))}；{readings}。</p>')
    if e.people:
        parts.append(f'<p class="tl-people">{esc(L.people)}：' + "、".join(
            f'<a href="{href("people.md", pid)}">{esc(v.names.get(pid, pid))}</a>' for pid in e.people) + "</p>")
    items = []
    for p in e.passages:
        d = by_slug[p.slug]
        text = v.text_of.get((p.slug, p.anchor), "")
        left, key, right = _quote(text, [conv(x) for x in p.dates]) if p.anchor != "top" else ("", "", "")
        quote = (f' <span class="kwic">{esc(left)}<mark>{esc(key)}</mark>{esc(right)}</span>' if key
                 else (f' <span class="kwic">{esc(left + right)}</span>' if left or right else ""))
        note = f' <span class="tl-passage-note">（{esc(conv(p.note))}）</span>' if p.note else ""
        where = f"#{p.anchor}" if p.anchor != "top" else ""
        items.append(f'<li><a class="kwic-ref" href="{href(p.slug + ".md", "" if p.anchor == "top" else p.anchor)}">'
                     f'{esc(short_name(d))}{esc(where)}</a>{quote}{note}</li>')
    parts.append(f'<ul class="tl-passages" data-search-exclude>{"".join(items)}</ul>')
    parts.append("</article>")
    parts[0] = parts[0].replace('class="tl-event"', f'class="tl-event {block_size("".join(parts))}"', 1)
    return "".join(parts)


def _tjs_date(p: Point, end: bool = False) -> dict[str, str]:
    if p.decade or p.month in SEASONS:  # TimelineJS has no seasons or decades: their first or last month
        y, m, _ = p.bounds()[1 if end else 0]
        return {"year": str(y)} if p.decade else {"year": str(y), "month": str(m)}
    out = {"year": str(p.year)}
    if p.month:
        out["month"] = str(p.month)
    if p.day:
        out["day"] = str(p.day)
    return out


def tjs(t: Timeline, docs: list[Document], href: Callable[[str, str], str], hant: bool,
        conv: Callable[[str], str], title: str) -> str:
    """TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html): a title slide
    and one slide per event with start_date, end_date, display_date, group, text, unique_id.
    TimelineJS renders `text` as HTML, so every value in it is HTML-escaped here (and only here;
    html.escape, not render.esc, whose Markdown escapes would be noise to other readers of the JSON)."""
    by_slug = {d.entry.slug: d for d in docs}
    events = []
    for e in t.events:
        start, end = parse_edtf(e.date, check=False)  # type: ignore[misc]
        slide: dict[str, Any] = {"unique_id": e.id, "start_date": _tjs_date(start)}
        if end is not None or start.decade or start.month in SEASONS:
            slide["end_date"] = _tjs_date(end or start, end=True)
        shown = conv(display(e.date))
        slide["display_date"] = shown
        slide["start_date"]["display_date"] = shown
        slide["group"] = conv(GROUPS[e.group])
        links = "".join(f'<li><a href="{href(p.slug + ".md", "" if p.anchor == "top" else p.anchor)}">'
                        f'{html_escape(short_name(by_slug[p.slug]))}{"#" + p.anchor if p.anchor != "top" else ""}</a></li>'
                        for p in e.passages)
        slide["text"] = {"headline": html_escape(e.title_hant if hant else e.title),
                         "text": f"<p>{html_escape(e.description_hant if hant else e.description)}</p><ul>{links}</ul>"}
        events.append(slide)
    data = {"title": {"text": {"headline": html_escape(title), "text": f"<p>{html_escape(conv(INTRO))}</p>"}}, "events": events}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
