"""Checks: systematic checks of the built text. Text in, findings out.

Data flow: a Document (either edition) -> units() -> (doc slug, anchor, text) for its title,
every heading, paragraph and list item -> one check function per class -> [Finding] (doc,
anchor, the offending match with about ten characters of context, the class) -> unexcused()
drops the findings its class's exception table excuses (seeds/checks/<class>.yml, parsed by
parse_exceptions(): exact snippet, the documents it applies to, a reason). What is left is an
error in the text: fix it through the correction tables (seeds/corrections/*.yml) or the
cleaning stages, or excuse it with a reason. tests/test_checks.py runs every check over the
real corpus and over the editors' glossary, people and timeline texts (`docs: [glossary]` in an
exception names them). Pure: no I/O (read.py loads the YAML).

Classes (CLASSES):
- traditional-characters: zh-Hans holds no character that a Traditional -> Simplified
  conversion changes in context (OpenCC t2s, and zhconv-rs zh-Hans, which knows more
  variants, e.g. 揹 -> 背), and no Han character outside GB2312 (the Simplified repertoire:
  a leftover neither converter knows). tw2s is not used: it turns legitimate 著 (显著) into 着.
- taiwan-words: no word of the curated list seeds/checks/taiwan-vocabulary.yml (电子信件,
  核融合, 档 for "file" …), each with its mainland word, a reason, and `unless`: longer
  words that contain it and are fine in the mainland too (生态系统 for 生态系).
- doubled-words: no character or word written twice in a row that is not a real
  reduplication, decided with jieba's own dictionary (HMM off), which holds the AA words:
  谢谢, 常常, 看看 stay one word and pass; 要要 or 之类的的话 do not. Straddling a word
  boundary is fine when the first character ends a longer word (现在在, 比如如果).
- brackets: no half-width ( ) [ ] or " ' next to Chinese (one rule: in Chinese text brackets
  and quotes are full-width whatever they enclose; half-width only inside a Latin run, as in
  "GPT (beta) model"), and every paired mark is balanced within its unit.
- quote-style: one quotation style per edition: “” ‘’ in zh-Hans (no 「」『』), 「」『』 in
  zh-Hant (no “” ‘’).
- spacing: no space touches a Han character or full-width punctuation inside a line (no
  space between Chinese and Latin letters or digits; the site adds the visual gap with CSS
  text-autospace); spaces between Latin words (Sam Altman, GPT 4o) and around a URL are not
  findings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from . import safeio
from .cjk import CHINESE, FULL_PUNCT, HAN
from .cjk import RANGE as CJK
from .clean.table import Rule, parse_rules
from .model import Document, EditionError

if TYPE_CHECKING:
    from .read import LineDict

CONTEXT = 10

CLASSES = ("traditional-characters", "taiwan-words", "doubled-words", "brackets",
           "quote-style", "spacing")


CARD_FIELDS = ("outlet", "date_note", "event", "summary", "missing", "completeness_note")


@dataclass(frozen=True)
class Unit:
    """One text node of a Document: the title and the catalog card (anchor "top"), a heading,
    a paragraph or list item, or an editor's note printed after one (seeds/notes.yml)."""

    doc: str
    anchor: str
    text: str


@dataclass(frozen=True)
class Finding:
    cls: str
    doc: str
    anchor: str
    text: str  # the whole unit
    start: int
    end: int
    detail: str = ""

    @property
    def match(self) -> str:
        return self.text[self.start:self.end]

    @property
    def snippet(self) -> str:
        return self.text[max(0, self.start - CONTEXT):self.end + CONTEXT]

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.doc}#{self.anchor}: {self.cls}: {self.match!r} in …{self.snippet}…{detail}"


def units(doc: Document) -> Iterator[Unit]:
    slug, e = doc.entry.slug, doc.entry
    yield Unit(slug, "top", doc.title)
    for name in CARD_FIELDS:  # the catalog card printed at the top of the page
        if getattr(e, name, ""):
            yield Unit(slug, "top", getattr(e, name))
    yield from (Unit(slug, "top", f"{p.name_zh}：{p.role}") for p in e.participants)
    for s in doc.sections:
        if s.heading:
            yield Unit(slug, s.id, s.heading)
        for b in s.blocks:
            for p in b.paragraphs:
                yield Unit(slug, p.id, p.text)
                yield from (Unit(slug, p.id, note) for note in getattr(p, "notes", ()))  # editor's notes


# --------------------------------------------------------------------------- exceptions

EXCEPTION_FIELDS = {"find", "reason", "docs", "note"}


def parse_exceptions(data: Any, file: str, slugs: set[str]) -> list[Rule]:
    """An exception table: a list of {find, reason, docs?}; `find` is the exact text (the
    offending match and as much context as makes it unambiguous). Sorted, no duplicates."""
    if isinstance(data, list):
        for raw in data:
            if isinstance(raw, dict):
                for key in raw:
                    if key not in EXCEPTION_FIELDS:
                        raise EditionError(file, raw.key_lines.get(key, 0) if hasattr(raw, "key_lines") else 0,
                                           key, "unknown field")
    return parse_rules(data, file, slugs, need_replace=False)


def excused_by(finding: Finding, rule: Rule) -> bool:
    """The exception's text stands in the unit and covers the offending match."""
    if not rule.applies(finding.doc):
        return False
    i = finding.text.find(rule.find)
    while i != -1:
        if i <= finding.start and finding.end <= i + len(rule.find):
            return True
        i = finding.text.find(rule.find, i + 1)
    return False


def unexcused(findings: Iterable[Finding], exceptions: list[Rule]) -> tuple[list[Finding], set[str]]:
    """(findings no exception covers, ids of the exceptions that covered one)."""
    left, used = [], set()
    for f in findings:
        rule = next((r for r in exceptions if excused_by(f, r)), None)
        if rule is None:
            left.append(f)
        else:
            used.add(rule.id)
    return left, used


# --------------------------------------------------------------------------- 1. characters


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


def _zhconv(text: str) -> str:
    import zhconv_rs

    return zhconv_rs.zhconv(text, "zh-Hans")


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def traditional_characters(items: Iterable[Unit]) -> list[Finding]:
    out = []
    for u in items:
        flagged: dict[int, str] = {}
        for name, convert in (("OpenCC t2s", _t2s()), ("zhconv zh-Hans", _zhconv)):
            converted = convert(u.text)
            if len(converted) == len(u.text):
                pairs = [(i, a, b) for i, (a, b) in enumerate(zip(u.text, converted))]
            else:  # a phrase changed length: fall back to character by character
                pairs = [(i, a, convert(a)) for i, a in enumerate(u.text)]
            for i, a, b in pairs:
                if a != b and HAN.match(a) and i not in flagged:
                    flagged[i] = f"{name}: {a}→{b}"
        for i, ch in enumerate(u.text):
            if i not in flagged and HAN.match(ch) and not _in_gb2312(ch):
                flagged[i] = f"{ch} 不在 GB2312 简化字字表中"
        out += [Finding("traditional-characters", u.doc, u.anchor, u.text, i, i + 1, d)
                for i, d in sorted(flagged.items())]
    return out


# --------------------------------------------------------------------------- 2. vocabulary


@dataclass(frozen=True)
class Word:
    find: str
    mainland: str
    reason: str
    unless: tuple[str, ...] = ()
    line: int = 0


VOCAB_FIELDS = {"find", "mainland", "reason", "unless", "note"}


def parse_vocabulary(data: Any, file: str) -> list[Word]:
    """The curated Taiwan vocabulary: a list of {find, mainland, reason, unless?}, sorted by
    find, no duplicates; every `unless` word must contain its `find`."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise EditionError(file, 1, "table", "must be a list of entries")
    words: list[Word] = []
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "entry", f"must be a mapping, got {raw!r}")
        for key in raw:
            if key not in VOCAB_FIELDS:
                raise EditionError(file, raw.key_lines[key], key, "unknown field")
        for key in ("find", "mainland", "reason"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise EditionError(file, raw.key_lines.get(key, line), key, "missing or not text")
        unless = raw.get("unless", [])
        if not isinstance(unless, list) or any(not isinstance(w, str) or raw["find"] not in w for w in unless):
            raise EditionError(file, raw.key_lines.get("unless", line), "unless",
                               f"{unless!r}: each must be a word containing {raw['find']!r}")
        if words and raw["find"] <= words[-1].find:
            what = "is listed twice" if raw["find"] == words[-1].find else "is out of order: keep the table sorted by find"
            raise EditionError(file, raw.key_lines["find"], "find", f"{raw['find']!r} {what}")
        words.append(Word(raw["find"], raw["mainland"], raw["reason"], tuple(unless), line))
    return words


def _covered(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    for p in phrases:
        i = text.find(p, max(0, start - len(p) + 1))
        while i != -1 and i <= start:
            if end <= i + len(p):
                return True
            i = text.find(p, i + 1)
    return False


def taiwan_words(items: Iterable[Unit], vocabulary: list[Word]) -> list[Finding]:
    out = []
    for u in items:
        for w in vocabulary:
            i = u.text.find(w.find)
            while i != -1:
                if not _covered(u.text, i, i + len(w.find), w.unless):
                    out.append(Finding("taiwan-words", u.doc, u.anchor, u.text, i, i + len(w.find),
                                       f"大陆作“{w.mainland}”"))
                i = u.text.find(w.find, i + 1)
    return out


# --------------------------------------------------------------------------- 3. doubled


@cache
def _tokenizer():
    """jieba with its own dictionary only: the site teaches the global one extra words."""
    import jieba

    tok = safeio.jieba_cache(jieba.Tokenizer())
    tok.initialize()
    return tok


def doubled_words(items: Iterable[Unit]) -> list[Finding]:
    """A Han character written twice is a finding unless jieba keeps both in one word
    (常常, 水灵灵, 板上钉钉), the first ends a longer word (现在|在, 比如|如果), or the pair is a
    dictionary word; a longer word written twice in a row (研究研究) unless the pair is one."""
    tok = _tokenizer()
    out = []
    for u in items:
        t = u.text
        words = list(tok.cut(t, HMM=False))
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w)
        owner = [k for k, w in enumerate(words) for _ in w]  # character -> its word
        for i in range(len(t) - 1):
            if t[i] != t[i + 1] or not HAN.match(t[i]):
                continue
            a, b = owner[i], owner[i + 1]
            if a == b or len(words[a]) > 1 or tok.FREQ.get(t[i:i + 2]):
                continue
            out.append(Finding("doubled-words", u.doc, u.anchor, t, i, i + 2, f"“{t[i]}”连写两次"))
        for k in range(len(words) - 1):
            w = words[k]
            if len(w) > 1 and w == words[k + 1] and HAN.search(w) and not tok.FREQ.get(w + w):
                out.append(Finding("doubled-words", u.doc, u.anchor, t, starts[k], starts[k] + 2 * len(w),
                                   f"“{w}”连写两次"))
    return out


# --------------------------------------------------------------------------- 4. brackets

HALF = "()[]\"'"
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "「": "」", "『": "』", "【": "】", "〔": "〕",
         "〈": "〉", "［": "］", "(": ")", "[": "]"}
CLOSERS = {v: k for k, v in PAIRS.items()}


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _apostrophe(text: str, i: int) -> bool:
    """' or ’ between two Latin letters (don't, OpenAI’s) is an apostrophe, not a quote."""
    return 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha() \
        and text[i + 1].isascii() and text[i + 1].isalpha()


SURELY_CHINESE = re.compile("[" + CJK + "".join(c for c in FULL_PUNCT if c not in "“”‘’—") + "]")  # “” serve English too


def brackets(items: Iterable[Unit]) -> list[Finding]:
    out = []
    for u in items:
        t = u.text
        for i, ch in enumerate(t):
            if ch in HALF and not _apostrophe(t, i):
                if SURELY_CHINESE.match(_neighbour(t, i, -1) or " ") or SURELY_CHINESE.match(_neighbour(t, i, 1) or " "):
                    out.append(Finding("brackets", u.doc, u.anchor, t, i, i + 1, "中文语境中的半角括号或引号"))
        stack: list[int] = []
        for i, ch in enumerate(t):
            if ch in PAIRS:
                stack.append(i)
            elif ch in CLOSERS:
                if stack and t[stack[-1]] == CLOSERS[ch]:
                    stack.pop()
                elif ch == "’" and _apostrophe(t, i):
                    continue
                else:
                    out.append(Finding("brackets", u.doc, u.anchor, t, i, i + 1, f"“{ch}”没有对应的“{CLOSERS[ch]}”"))
        out += [Finding("brackets", u.doc, u.anchor, t, i, i + 1, f"“{t[i]}”没有对应的“{PAIRS[t[i]]}”")
                for i in stack]
    seen: set[tuple[str, str, int]] = set()  # one finding per mark
    unique: list[Finding] = []
    for f in out:
        if (f.doc, f.anchor, f.start) not in seen:
            seen.add((f.doc, f.anchor, f.start))
            unique.append(f)
    return unique


# --------------------------------------------------------------------------- 5. quote style

WRONG_QUOTES = {"zh-Hans": "「」『』", "zh-Hant": "“”‘’"}


def quote_style(items: Iterable[Unit], lang: str) -> list[Finding]:
    wrong = WRONG_QUOTES[lang]
    right = "“”‘’" if lang == "zh-Hans" else "「」『』"
    out = []
    for u in items:
        for i, ch in enumerate(u.text):
            if ch in wrong and not (ch == "’" and _apostrophe(u.text, i)):
                out.append(Finding("quote-style", u.doc, u.anchor, u.text, i, i + 1, f"{lang}用{right}"))
    return out


# --------------------------------------------------------------------------- 6. spacing

SPACE_RUN = re.compile(r"(?<=\S)[ \u3000\u00a0]+(?=\S)")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")


def spacing(items: Iterable[Unit]) -> list[Finding]:
    out = []
    for u in items:
        urls = [m.span() for m in URL.finditer(u.text)]
        for m in SPACE_RUN.finditer(u.text):
            if any(a < m.start() <= b or m.end() == a for a, b in urls):
                continue  # a URL stays apart from the text around it
            before, after = u.text[m.start() - 1], u.text[m.end()]
            if CHINESE.match(before) or CHINESE.match(after) or "\u3000" in m.group(0):
                out.append(Finding("spacing", u.doc, u.anchor, u.text, m.start(), m.end(),
                                   "中文与其他字符之间不加空格"))
    return out
