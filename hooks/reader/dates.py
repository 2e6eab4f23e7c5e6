"""Date finder: absolute and relative Chinese date expressions in the cleaned text, as EDTF.

Data flow: str (+ the document's publication date, its precision and whether it is printed or
inferred; a year hint) -> a same-length normalised copy (full-width digits -> ASCII) -> candidate
spans of each form (one compiled pattern per form, bounded quantifiers, guards against
words such as 说明年 / 如今年轻 / 以后年 / 月活) -> overlaps resolved (longest, then leftmost)
-> approximation markers (大约 / 左右 / 前后) taken into the span -> values, left to right
(a year printed earlier in the string dates a later 11月1号) -> adjacent dates joined into
ranges (至 / 到 / -) -> list[DateExpr]. find_in() walks Documents paragraph by paragraph, carrying
the last printed year of the section as the year hint -> list[Hit]. Pure: no I/O, no MkDocs.

Values are EDTF strings (ISO 8601-2, every one parses with edtf.parse_edtf): 2022-11-30,
2022-08, 2015, 2015~ (approximate), 2024-04-16? (uncertain: the year comes from a publication
date that is itself inferred), 2019-21 (season 21-24; EDTF allows no qualifier on a season, so
its doubts go to the note), 201X (decade), 2023-11-17/2023-11-21 (range).
Precision: day | month | season | year | decade | approximate (any value carrying ~).
Provenance: printed (the text prints the year) | relative (resolved against the publication
date; 去年 is relative to when the text was published, which the note says) | inferred-year
(month/day printed, year from context). Chinese numerals go through cn2an.

Not dates: durations (用了三个月, 12个月内, 一年), counts, prices, versions (GPT-4.5), times
(36:07), numbers without 年 (2048), 2-digit years (12年的Stratechery), anaphoric expressions
without an anchor (那个周末, 那天, 第二天, AGI到来的几年后) and bare weekdays (周五中午): no value
can be given to them without reading the story, which is the editor's job.
"""
from __future__ import annotations

import bisect
import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import cn2an  # type: ignore[import-untyped]

# --------------------------------------------------------------------------- API


@dataclass(frozen=True)
class DateExpr:
    """One expression in one string."""

    start: int
    end: int  # offsets in the string
    text: str  # as printed (text[start:end])
    edtf: str  # EDTF value
    precision: str  # day|month|season|year|decade|approximate
    provenance: str  # printed|relative|inferred-year
    note: str = ""  # how a relative/inferred value was resolved, in Chinese


@dataclass(frozen=True)
class Hit:
    """One expression in one paragraph of the corpus."""

    slug: str
    anchor: str  # published paragraph id, e.g. "p3-12"
    expr: DateExpr
    context: str  # about 40 characters around the expression, for the editor


PRECISIONS = ("day", "month", "season", "year", "decade", "approximate")
PROVENANCES = ("printed", "relative", "inferred-year")
CONTEXT = 20  # characters of context on each side of a Hit

# --------------------------------------------------------------------------- patterns

_FULLWIDTH = str.maketrans("０１２３４５６７８９－～", "0123456789-~")  # 1:1, offsets kept
_CN = "〇零一二三四五六七八九十两"
_NUMERIC_BEFORE = r"\d.,A-Za-z\-_/:%" + _CN + "几数百千万亿"  # 日期：2024年 is a date; 12:05 and v2.2024年 are not
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_SEP = r"\s*(?:至|到|—|–|-|~)\s*"
_SEASON_WORD = r"[春夏秋冬](?:天|季)"
_SEASON_BARE = r"[春夏秋冬](?:天|季|(?=[，。、；：,.;:！？!?\s”）)]|$))"
# a month, then a day or a part of the month; a range tail only after a day
_MD_TAIL = (rf"(?P<m>{_MONTH})月(?![活薪租供])(?:(?P<d>{_DAY})[日号]|(?P<mpart>上旬|中旬|下旬|初|底|末))?份?"
            rf"(?(d)(?:(?P<sep>{_SEP})(?:(?P<m2>{_MONTH})月)?(?P<d2>{_DAY})[日号])?)")
# what may follow a year: a part of the year, a season (or two), a month
_AFTER_YEAR = (r"(?:(?P<ypart>年?(?:初(?![创衷心步级次见稿恋])|底|末(?!日))|年中|中期)"
               rf"|的?(?P<sea>{_SEASON_BARE})(?!节)(?:(?P<conj>或者|或|和|与|、|至|到)(?P<sea2>{_SEASON_WORD}))?"
               rf"|{_MD_TAIL})?")
_NOT_WORD_AFTER_YEAR = r"(?![轻龄纪代限份鉴华货糕画])"

_ABS = re.compile(rf"(?<![{_NUMERIC_BEFORE}])(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年(?!代){_AFTER_YEAR}")
_MD = re.compile(rf"(?<![{_NUMERIC_BEFORE}]){_MD_TAIL}")
_RELYEAR = re.compile(
    r"(?P<ry>大前年|大后年|(?<![过失除回])去年|(?<![如古迄当现])今年"
    r"|(?<![说证表声发透聪光文阐标注查分简开精鲜高清失英神黎])明年"
    r"|(?<![以之然此最随今背提目当空眼年多几两三四五六七八九十数往从向])前年"
    r"|(?<![以之然此最随今背落滞延推前其先往向善战])后年)"
    + _NOT_WORD_AFTER_YEAR + _AFTER_YEAR)
_DECADE = re.compile(
    rf"(?<![{_NUMERIC_BEFORE}])(?P<cent>(?:\d{{2}}|二十一|二十|十九|上个?)世纪)?"
    r"(?P<dec>\d{4}|\d0|[二三四五六七八九]十)年代(?![价码替表理言谢工购驾])"
    r"(?P<dpart>初期?|中期|末期?|后期|前期)?")
_RELN = re.compile(
    rf"(?<![第的每{_NUMERIC_BEFORE}])(?P<n>\d{{1,3}}|[{_CN}]{{1,3}}|十几|几十|几|数十|数)\s*(?P<ge>个)?\s*"
    r"(?P<u>年|月|周|星期|礼拜|天)(?P<dir>之前|以前|前|之后|以后|后)"
    r"(?![悔来面果续期者台方端门代排宫勤备援进往去行途景提沿线辈任夕])")
_RELDAY = re.compile(r"(?P<rd>昨天|昨日|昨晚|(?<![以之目提几两三四五六七八九十数一天年月日当空])前天"
                     r"|(?<![说证表声聪光文阐标注查分简开精鲜高清失英神黎])明天)")
_NOT_UP = r"(?<![马早晚北往向楼线海身手面桌路山天地台网])"
_NOT_DOWN = r"(?<![一以之了天地乡底手私眼脚陛殿南往向留放写拿坐躺停])"
_NOT_BASE = r"(?<![基根成资日样版账剧脚文课读书])"
_RELWEEK = re.compile(rf"(?P<wk>{_NOT_UP}上上个?|{_NOT_UP}上个?|{_NOT_DOWN}下下个?|{_NOT_DOWN}下个?|{_NOT_BASE}本|这个?)"
                      r"(?P<wu>周|星期|礼拜)(?P<wd>末|[一二三四五六日天](?![期年]))?(?![期年边围报刊岁])")
_RELMONTH = re.compile(rf"(?P<rm>{_NOT_UP}(?:上上个月|上个月|上月)|{_NOT_DOWN}(?:下下个月|下个月|下月)|这个月|{_NOT_BASE}本月)"
                       r"(?![球亮光饼色])"
                       r"(?P<mpart>上旬|中旬|下旬|初|底|末)?")
_APPROX_BEFORE = re.compile(r"(?:大约|大概|约莫|差不多|(?<![纽签合预条公节制契婚邀相违履])约)在?$")
_APPROX_AFTER = re.compile(r"左右|前后")
_JOIN = re.compile(r"\s*(?:至|到|—|–|-|~|或者|或是|或)\s*")

_SEASONS = {"春": 21, "夏": 22, "秋": 23, "冬": 24}
_RELYEARS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2, "大后年": 3}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_UNITS = {"年": "year", "月": "month", "周": "week", "星期": "week", "礼拜": "week", "天": "day"}
_YEAR_PART = {"初": (1, "年初，约为1月"), "中": (6, "年中，约为6月"), "底": (12, "年底，约为12月"),
              "末": (12, "年末，约为12月")}
_GRAN = {"day": 0, "month": 1, "year": 2}

# --------------------------------------------------------------------------- numbers


@lru_cache(maxsize=512)
def _num(s: str) -> int | None:
    """A numeral (Arabic or Chinese, via cn2an) -> int, None if it is not one."""
    if s.isascii():
        return int(s) if s.isdigit() else None
    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def _count(s: str) -> tuple[int, int, bool] | None:
    """How many units: (low, high, vague). 两 -> 2; 一两 -> 1..2; 几 -> 2..9; 十几 -> 11..19."""
    vague = {"几": (2, 9), "数": (2, 9), "十几": (11, 19), "几十": (20, 90), "数十": (20, 90)}
    if s in vague:
        return (*vague[s], True)
    if len(s) == 2 and "十" not in s and not s.isascii():  # 一两, 两三, 三五: two numbers
        a, b = _num(s[0]), _num(s[1])
        if a is not None and b is not None and 0 < a < b:
            return a, b, True
        return None
    n = _num(s)
    return (n, n, False) if n is not None and 0 < n <= 200 else None


# --------------------------------------------------------------------------- dates


def _clamp(y: int, m: int, d: int) -> date:
    return date(y, m, min(d, calendar.monthrange(y, m)[1]))


def _add_months(d: date, k: int) -> date:
    idx = d.year * 12 + d.month - 1 + k
    return _clamp(idx // 12, idx % 12 + 1, d.day)


def _shift(d: date, unit: str, k: int) -> date:
    if unit == "year":
        return _clamp(d.year + k, d.month, d.day)
    if unit == "month":
        return _add_months(d, k)
    return d + timedelta(days=k * (7 if unit == "week" else 1))


def _fmt(d: date, gran: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(gran, d.isoformat())


def _q(value: str, approx: bool, uncertain: bool) -> str:
    return value + ("%" if approx and uncertain else "~" if approx else "?" if uncertain else "")


def _coarser(a: str, b: str) -> str:
    return a if _GRAN[a] >= _GRAN[b] else b


def _valid(y: int, m: int = 1, d: int = 1) -> bool:
    return 1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


@dataclass(frozen=True)
class _Pub:
    text: str
    lo: date
    hi: date
    gran: str  # day | month | year
    inferred: bool

    def note(self) -> str:
        return f"据发表日期{self.text}推算" + ("（发表日期系编者推定）" if self.inferred else "")


def _parse_pub(published: str | None, precision: str, source: str) -> _Pub | None:
    if not published:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published.strip())
    if not m or precision not in _GRAN:
        raise ValueError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD with precision day|month|year: "
                         f"{published!r}, {precision!r}")
    y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    gran = _coarser(precision, "day" if m[3] else "month" if m[2] else "year")
    if not _valid(y, mo, d):
        raise ValueError(f"published is not a calendar date: {published!r}")
    lo = date(y, 1 if gran == "year" else mo, 1 if gran != "day" else d)
    hi = (date(y, 12, 31) if gran == "year" else _clamp(y, mo, 31) if gran == "month" else lo)
    text = {"year": f"{y:04d}", "month": f"{y:04d}-{mo:02d}"}.get(gran, lo.isoformat())
    return _Pub(text, lo, hi, gran, source == "inferred")


def _span(lo: date, hi: date, gran: str, approx: bool, uncertain: bool) -> tuple[str, str]:
    a, b = _fmt(lo, gran), _fmt(hi, gran)
    value = _q(a, approx, uncertain) if a == b else f"{_q(a, approx, uncertain)}/{_q(b, approx, uncertain)}"
    return value, "approximate" if approx else gran


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    start: int
    end: int
    kind: str  # abs | md | relyear | decade | reln | relday | relweek | relmonth
    m: re.Match
    approx: bool = False
    approx_note: str = ""


_FORMS = (("abs", _ABS), ("md", _MD), ("relyear", _RELYEAR), ("decade", _DECADE), ("reln", _RELN),
          ("relday", _RELDAY), ("relweek", _RELWEEK), ("relmonth", _RELMONTH))


def _candidates(t: str) -> list[_Cand]:
    found = [_Cand(m.start(), m.end(), kind, m) for kind, rx in _FORMS for m in rx.finditer(t)]
    found = [c for c in found if _plausible(t, c)]
    found.sort(key=lambda c: (c.start - c.end, c.start))  # longest first, then leftmost
    starts: list[int] = []  # the spans taken so far, sorted and disjoint: two neighbours to check
    taken: list[_Cand] = []
    for c in found:
        i = bisect.bisect_left(starts, c.start)
        if (i and taken[i - 1].end > c.start) or (i < len(taken) and taken[i].start < c.end):
            continue
        starts.insert(i, c.start)
        taken.insert(i, c)
    for i, c in enumerate(taken):  # 大约在2015年, 2022年8月左右
        floor = taken[i - 1].end if i else 0
        ceiling = taken[i + 1].start if i + 1 < len(taken) else len(t)
        before = _APPROX_BEFORE.search(t, max(floor, c.start - 6), c.start)
        if before:
            c.start, c.approx, c.approx_note = before.start(), True, f"“{before.group()}”，约数"
        after = _APPROX_AFTER.match(t, c.end)
        if after and after.end() <= ceiling and c.kind != "reln":
            c.end, c.approx, c.approx_note = after.end(), True, f"“{after.group()}”，约数"
    return taken


def _plausible(t: str, c: _Cand) -> bool:
    m = c.m
    if c.kind == "abs":
        return 1000 <= (_num(m["y"]) or 0) <= 2999
    if c.kind == "reln":
        if m["u"] == "月" and not m["ge"]:  # 2月后 is "after February"; 两个月后 is relative
            return False
        if m["ge"] and m["u"] in ("年", "周", "天"):  # 三个年? not Chinese
            return False
        return _count(m["n"]) is not None
    if c.kind == "decade":
        dec = m["dec"]
        return dec.isascii() and dec.endswith("0") or not dec.isascii()
    return True


# --------------------------------------------------------------------------- values


@dataclass
class _Ctx:
    pub: _Pub | None
    hint: int | None  # year_hint (printed earlier in the section)
    local: int | None = None  # a year printed earlier in this string
    local_text: str = ""


def _year_for(ctx: _Ctx, month: int, day: int | None) -> tuple[int, bool, str] | None:
    """Year for a month/day printed without one: (year, uncertain, note)."""
    if ctx.local is not None:
        return ctx.local, False, f"年份取自前文“{ctx.local_text}”"
    if ctx.hint is not None:
        return ctx.hint, False, f"年份取自本节上文（{ctx.hint}年）"
    pub = ctx.pub
    if pub is None:
        return None
    note = f"年份据发表日期{pub.text}推定" + ("（发表日期系编者推定）" if pub.inferred else "")
    year = pub.lo.year
    if pub.gran != "year" and (month, day or 1) > (pub.lo.month, pub.lo.day if pub.gran == "day" else 31):
        year -= 1
        note += "；月日晚于发表日期，取上一年"
    return year, pub.inferred, note


@dataclass(frozen=True)
class _Val:
    edtf: str
    precision: str
    note: str = ""
    end: int | None = None  # the expression ends here, not at the match's end (range tail unread, 或夏天)


def _ymd_value(y: int, match: re.Match, approx: bool, uncertain: bool) -> _Val | None:
    """The value of a year plus what followed it (part of the year, season(s), month, day, range)."""
    m = defaultdict(lambda: None, match.groupdict())  # the month/day form has no year groups
    if m["ypart"]:
        part_month, part_note = _YEAR_PART[m["ypart"][-1] if m["ypart"] != "中期" else "中"]
        return _Val(_q(f"{y:04d}-{part_month:02d}", True, uncertain), "approximate", part_note)
    if m["sea"]:
        first = f"{y:04d}-{_SEASONS[m['sea'][0]]}"
        notes = [x for x in ("约数（EDTF季节不可加限定符）" if approx else "",
                             "年份系推定（EDTF季节不可加“?”）" if uncertain else "") if x]
        if m["sea2"]:  # 春天到夏天, 春天或夏天: the span (one of them, or the time between)
            second = f"{y:04d}-{_SEASONS[m['sea2'][0]]}"
            if second > first:
                note = "“或”：二者之一，以区间表示" if m["conj"].startswith("或") else ""
                return _Val(f"{first}/{second}", "season", "；".join(x for x in [*notes, note] if x))
        return _Val(first, "season", "；".join(notes), match.end("sea") if m["sea2"] else None)
    if not m["m"]:
        return _Val(_q(f"{y:04d}", approx, uncertain), "approximate" if approx else "year")
    month = _num(m["m"])
    if month is None or not 1 <= month <= 12:
        return None
    note = f"“{m['mpart']}”，取其月" if m["mpart"] else ""
    if not m["d"]:
        return _Val(_q(f"{y:04d}-{month:02d}", approx, uncertain), "approximate" if approx else "month", note)
    day = _num(m["d"])
    if day is None or not _valid(y, month, day):  # 2月30日: a slip in the text, the month still holds
        return _Val(_q(f"{y:04d}-{month:02d}", approx, uncertain), "approximate" if approx else "month",
                    "；".join(x for x in [note, f"“{m['d']}日”不成日期，取其月"] if x))
    value = _q(f"{y:04d}-{month:02d}-{day:02d}", approx, uncertain)
    precision = "approximate" if approx else "day"
    if m["d2"]:
        month2 = _num(m["m2"]) if m["m2"] else month
        day2 = _num(m["d2"])
        if month2 is None or day2 is None or not _valid(y, month2, day2) or (month2, day2) <= (month, day):
            return _Val(value, precision, note, match.start("sep"))  # 11月17日至10日: the first day only
        value += "/" + _q(f"{y:04d}-{month2:02d}-{day2:02d}", approx, uncertain)
    return _Val(value, precision, note)


def _resolve(t: str, c: _Cand, ctx: _Ctx) -> list[tuple[int, int, str, str, str, str]]:
    """(start, end, edtf, precision, provenance, note) for one candidate; [] if no value."""
    m, pub, approx = c.m, ctx.pub, c.approx
    notes = [c.approx_note] if c.approx_note else []

    def out(value, precision, provenance, note="", start=c.start, end=c.end):
        return [(start, end, value, precision, provenance, "；".join(x for x in [note, *notes] if x))]

    if c.kind == "abs":
        year = _num(m["y"])
        val = _ymd_value(year, m, approx, False) if year is not None else None
        if year is None or val is None:
            return []
        y = year
        ctx.local, ctx.local_text = y, m["y"] + "年"
        return (out(val.edtf, val.precision, "printed", val.note, end=val.end or c.end)
                + _second_season(m, y, val, "inferred-year", f"年份取自前文“{m['y']}年”"))
    if c.kind == "md":
        month, day = _num(m["m"]), _num(m["d"]) if m["d"] else None
        if month is None or not 1 <= month <= 12:
            return []
        got_year = _year_for(ctx, month, day)
        if got_year is None:
            return []
        y, uncertain, note = got_year
        val = _ymd_value(y, m, approx, uncertain)
        if val is None:
            return []
        return out(val.edtf, val.precision, "inferred-year", "；".join(x for x in [note, val.note] if x),
                   end=val.end or c.end)
    if c.kind == "decade":
        return _decade(m, approx, out)
    if pub is None:  # everything below is relative to the publication date
        return []
    if c.kind == "relyear":
        y = pub.lo.year + _RELYEARS[m["ry"]]
        val = _ymd_value(y, m, approx, pub.inferred)
        if val is None:
            return []
        note = f"{m['ry']}：{pub.note()}"
        return (out(val.edtf, val.precision, "relative", "；".join(x for x in [note, val.note] if x),
                    end=val.end or c.end)
                + _second_season(m, y, val, "relative", note))
    if c.kind == "reln":
        n_lo, n_hi, vague = _count(m["n"])  # type: ignore[misc]  # _plausible checked it
        unit = _UNITS[m["u"]]
        sign = -1 if "前" in m["dir"] else 1
        lo, hi = ((_shift(pub.lo, unit, -n_hi), _shift(pub.hi, unit, -n_lo)) if sign < 0
                  else (_shift(pub.lo, unit, n_lo), _shift(pub.hi, unit, n_hi)))
        gran = _coarser({"year": "year", "month": "month"}.get(unit, "day"), pub.gran)
        loose = vague or unit != "day"  # 两年前 is a round figure; 1 天前 is not
        value, precision = _span(lo, hi, gran, loose or approx, pub.inferred)
        note = pub.note() + ("" if sign < 0 else "；“后”也可能指前文所述时间之后")
        return out(value, precision, "relative", note)
    if c.kind == "relday":
        k = {"昨天": -1, "昨日": -1, "昨晚": -1, "前天": -2, "明天": 1}[m["rd"]]
        value, precision = _span(pub.lo + timedelta(days=k), pub.hi + timedelta(days=k),
                                 _coarser("day", pub.gran), approx, pub.inferred)
        return out(value, precision, "relative", pub.note())
    if c.kind == "relweek":
        k = {"上上": -2, "上": -1, "下下": 2, "下": 1, "本": 0, "这": 0}[m["wk"].rstrip("个")]
        mon_lo = pub.lo - timedelta(days=pub.lo.weekday()) + timedelta(weeks=k)
        mon_hi = pub.hi - timedelta(days=pub.hi.weekday()) + timedelta(weeks=k)
        wd = m["wd"]
        first, last = (5, 6) if wd == "末" else (_WEEKDAYS[wd], _WEEKDAYS[wd]) if wd else (0, 6)
        value, precision = _span(mon_lo + timedelta(days=first), mon_hi + timedelta(days=last),
                                 _coarser("day", pub.gran), approx, pub.inferred)
        return out(value, precision, "relative", pub.note())
    if c.kind == "relmonth":
        k = {"上上个月": -2, "上个月": -1, "上月": -1, "下下个月": 2, "下个月": 1, "下月": 1,
             "这个月": 0, "本月": 0}[m["rm"]]
        value, precision = _span(_add_months(pub.lo, k), _add_months(pub.hi, k), "month" if pub.gran != "year"
                                 else "year", approx, pub.inferred)
        return out(value, precision, "relative", pub.note() + (f"；“{m['mpart']}”，取其月" if m["mpart"] else ""))
    return []


def _second_season(m: re.Match, y: int, val: _Val, provenance: str, note: str) -> list:
    """2019年的春天或夏天: the second season, dated by the first one's year."""
    if val.end is None or not m.groupdict().get("sea2"):
        return []
    return [(m.start("sea2"), m.end("sea2"), f"{y:04d}-{_SEASONS[m['sea2'][0]]}", "season", provenance, note)]


def _decade(m: re.Match, approx: bool, out) -> list:
    dec = m["dec"]
    notes = []
    if dec.isascii() and len(dec) == 4:
        start = int(dec)
    else:
        tens = _num(dec)
        if tens is None:
            return []
        cent = m["cent"]
        if cent and cent.startswith("上"):
            century = 19
        elif cent:
            c = _num(cent[:-2])
            if c is None or not 1 <= c <= 30:
                return []
            century = c - 1
        else:
            century = 19 if tens >= 30 else 20
            notes.append(f"未写世纪，推定为{century * 100 + tens}年代")
        start = century * 100 + tens
    if m["dpart"]:
        notes.append(f"年代{m['dpart']}")
    if not 1000 <= start <= 2990:
        return []
    value = _q(f"{start // 10:03d}X", approx, False)
    return out(value, "approximate" if approx else "decade", "printed", "；".join(notes))


def _join_ranges(t: str, exprs: list[tuple]) -> list[tuple]:
    """2022年11月到2023年11月 -> one range; 2022年12月底或2023年1月初 -> the span of the two.
    Only dates separated by nothing but 至, 到, -, ~ or 或, the earlier first."""
    out: list[tuple] = []
    for e in exprs:
        if out:
            p = out[-1]
            gap = t[p[1]:e[0]]
            if (gap and _JOIN.fullmatch(gap) and "/" not in p[2] and "/" not in e[2]
                    and p[2].rstrip("~?%") < e[2].rstrip("~?%")):
                prov = p[4] if p[4] != "printed" else e[4]
                precision = "approximate" if "approximate" in (p[3], e[3]) else p[3]
                either = "“或”：二者之一，以区间表示" if "或" in gap else ""
                note = "；".join(x for x in dict.fromkeys([p[5], e[5], either]) if x)
                out[-1] = (p[0], e[1], f"{p[2]}/{e[2]}", precision, prov, note)
                continue
        out.append(e)
    return out


def find(text: str, published: str | None = None, published_precision: str = "day",
         year_hint: int | None = None, *, published_source: str = "printed") -> list[DateExpr]:
    """Every date expression in `text`, left to right, never overlapping.

    published: the document's publication date (ISO YYYY, YYYY-MM or YYYY-MM-DD) with its
    precision; without it relative expressions are not found. published_source "inferred" marks
    values computed from it as uncertain (?) and says so in the note. year_hint: a year printed
    earlier in the section, for a month/day printed without one.
    """
    pub = _parse_pub(published, published_precision, published_source)
    t = text.translate(_FULLWIDTH)
    ctx = _Ctx(pub, year_hint if year_hint is not None and 1000 <= year_hint <= 2999 else None)
    exprs: list[tuple] = []
    for c in _candidates(t):
        exprs += _resolve(t, c, ctx)
    exprs.sort(key=lambda e: e[0])
    return [DateExpr(s, e, text[s:e], v, p, prov, note) for s, e, v, p, prov, note in _join_ranges(t, exprs)]


# --------------------------------------------------------------------------- corpus


def printed_year(expr: DateExpr) -> int | None:
    """The (last) year a printed expression names, for the hint of what follows it."""
    if expr.provenance != "printed" or "X" in expr.edtf:
        return None
    last = expr.edtf.split("/")[-1]
    return int(last[:4]) if last[:4].isdigit() else None


def find_in(docs) -> list[Hit]:
    """Every date expression of every paragraph, in reading order; the last year printed in a
    section dates a month/day printed without one later in that section."""
    hits: list[Hit] = []
    for doc in docs:
        e = doc.entry
        for section in doc.sections:
            hint: int | None = None
            for block in section.blocks:
                for p in block.paragraphs:
                    for x in find(p.text, e.date, e.precision, hint, published_source=e.date_source):
                        context = p.text[max(0, x.start - CONTEXT):x.end + CONTEXT].replace("\n", " ")
                        hits.append(Hit(e.slug, p.id, x, context))
                        hint = printed_year(x) or hint
    return hits
