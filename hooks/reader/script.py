"""Script: the zh-Hans Document -> its zh-Hant twin, ids and structure untouched.

Data flow: (Document, phrase rules from seeds/corrections/zh-hant.yml) -> Document.
OpenCC s2tw converts characters with Taiwan variants but, unlike s2twp, without swapping
vocabulary (no 扩展 -> 擴充套件). Our own phrase table then fixes what s2tw gets wrong.
Only text nodes change: every id, list and turn is copied as it is, so the two editions
cannot drift apart. Changes keep their source `before` (that is what the seed holds).
Quotation marks: one style per edition. The zh-Hant edition uses corner brackets, 「」 for “”
and 『』 for ‘’, paired (corner_quotes): a quote nested in another takes the other style, so
“a‘b’c” and “a“b”c” both give 「a『b』c」. An apostrophe inside a Latin word (Altman’s) is no
quote and stays. The Converter also converts hand-written Markdown pages (the about page):
quotation marks inside `code spans` are code and stay as written.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .clean.overconversion import converter
from .clean.table import Rule
from .model import CatalogEntry, Document, Paragraph, Participant


def _s2tw():
    return converter("s2tw")  # the process's one s2tw (the clean stage uses it too)


OPENERS = {"“": 0, "「": 0, "‘": 1, "『": 1}  # 0: a double (outer) quote, 1: a single (inner) one
CLOSERS = {"”": 0, "」": 0, "’": 1, "』": 1}
CORNERS = ("「」", "『』")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)  # CommonMark: equal backtick runs
_APOSTROPHE = re.compile(r"(?<=[A-Za-z0-9])’(?=[A-Za-z])")
_QUOTE = re.compile("[" + "".join(OPENERS) + "".join(CLOSERS) + "]")


def corner_quotes(text: str) -> str:
    """“”/‘’ (and 「」/『』 already in the text) -> 「」/『』, paired: the outermost quote keeps the
    kind it was written with, each nested level takes the other kind. A stray closer keeps its
    own kind; an opener left open (a quotation running on into the next paragraph) stays open.
    Backtick code spans and apostrophes inside Latin words are left as they are."""
    if not _QUOTE.search(text):
        return text
    keep = {i for m in _CODE_SPAN.finditer(text) for i in range(m.start(), m.end())}
    keep |= {m.start() for m in _APOSTROPHE.finditer(text)}
    out: list[str] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if i in keep or (ch not in OPENERS and ch not in CLOSERS):
            out.append(ch)
        elif ch in OPENERS:
            kind = 1 - stack[-1] if stack else OPENERS[ch]
            stack.append(kind)
            out.append(CORNERS[kind][0])
        else:
            kind = stack.pop() if stack else CLOSERS[ch]
            out.append(CORNERS[kind][1])
    return "".join(out)


class Converter:
    def __init__(self, rules: list[Rule] | None = None):
        self.rules = sorted(rules or [], key=lambda r: len(r.find), reverse=True)
        self.used: set[str] = set()
        #: (text, markdown) -> its conversion: a text converts alike every time, and the same
        #: texts recur (every Change of a kind has one reason); `used` has its rules already.
        self._done: dict[tuple[str, bool], str] = {}

    def __call__(self, text: str, markdown: bool = False) -> str:
        """Simplified -> Traditional. With markdown=True (a hand-written page's Markdown source),
        what a phrase rule puts in is escaped: a table entry is text, never markup."""
        if not text:
            return text
        done = self._done.get((text, markdown))
        if done is None:
            done = self._done[text, markdown] = self._convert(text, markdown)
        return done

    def _convert(self, text: str, markdown: bool) -> str:
        out = _s2tw().convert(text)
        for rule in self.rules:
            if rule.find in out:
                out = out.replace(rule.find, _esc(rule.replace) if markdown else rule.replace)
                self.used.add(rule.id)
        return corner_quotes(out)

    def markdown(self, text: str) -> str:
        return self(text, markdown=True)


def _esc(text: str) -> str:
    from .render import esc

    return esc(text)


def entry_to_hant(e: CatalogEntry, conv: Converter) -> CatalogEntry:
    return replace(
        e, title=e.title_hant or conv(e.title), outlet=conv(e.outlet), date_note=conv(e.date_note),
        missing=conv(e.missing), completeness_note=conv(e.completeness_note),
        event=conv(e.event), summary=conv(e.summary),
        participants=tuple(Participant(p.id, conv(p.name_zh), p.name_en, conv(p.role)) for p in e.participants))


def _para_to_hant(p: Paragraph, conv: Converter) -> Paragraph:
    """The whole paragraph is converted at once (a phrase may cross a mark), then each mark's
    offsets are carried over: unchanged when the length is, else mapped through an alignment."""
    from .annotate import map_offsets

    text = conv(p.text)
    at = map_offsets(p.text, text)
    marks = tuple(replace(m, start=at[m.start], end=at[m.end]) for m in p.marks)
    return replace(p, text=text, notes=tuple(conv(n) for n in p.notes), marks=marks)


def to_hant(doc: Document, conv: Converter) -> Document:
    sections = [
        replace(s, heading=conv(s.heading),
                blocks=[replace(b, paragraphs=[_para_to_hant(p, conv) for p in b.paragraphs])
                        for b in s.blocks])
        for s in doc.sections]
    entry = entry_to_hant(doc.entry, conv)
    changes = [replace(c, after=conv(c.after), reason=conv(c.reason)) for c in doc.changes]
    return Document(entry, entry.title, sections, changes, doc.rows)
