"""Script: the zh-Hans Document -> its zh-Hant twin, ids and structure untouched.

Data flow: (Document, phrase rules from seeds/corrections/zh-hant.yml) -> Document.
OpenCC s2tw converts characters with Taiwan variants but, unlike s2twp, without swapping
vocabulary (no 扩展 -> 擴充套件). Our own phrase table then fixes what s2tw gets wrong.
Only text nodes change: every id, list and turn is copied as it is, so the two editions
cannot drift apart. Changes keep their source `before` (that is what the seed holds).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .clean.table import Rule
from .model import Block, CatalogEntry, Document, Paragraph, Participant, Section


@lru_cache(maxsize=None)
def _s2tw():
    import opencc

    return opencc.OpenCC("s2tw")


class Converter:
    def __init__(self, rules: list[Rule] | None = None):
        self.rules = sorted(rules or [], key=lambda r: len(r.find), reverse=True)
        self.used: set[str] = set()

    def __call__(self, text: str) -> str:
        if not text:
            return text
        out = _s2tw().convert(text)
        for rule in self.rules:
            if rule.find in out:
                out = out.replace(rule.find, rule.replace)
                self.used.add(rule.id)
        return out


def entry_to_hant(e: CatalogEntry, conv: Converter) -> CatalogEntry:
    return replace(
        e, title=e.title_hant or conv(e.title), outlet=conv(e.outlet), date_note=conv(e.date_note),
        event=conv(e.event), summary=conv(e.summary),
        participants=tuple(Participant(p.id, conv(p.name_zh), p.name_en, conv(p.role)) for p in e.participants))


def to_hant(doc: Document, conv: Converter) -> Document:
    sections = [
        Section(s.id, conv(s.heading), s.line,
                [Block(b.kind, [Paragraph(p.id, conv(p.text), p.lines, p.speaker, p.kind, p.value)
                                for p in b.paragraphs], b.speaker) for b in s.blocks], s.level)
        for s in doc.sections]
    entry = entry_to_hant(doc.entry, conv)
    changes = [replace(c, after=conv(c.after), reason=conv(c.reason)) for c in doc.changes]
    return Document(entry, entry.title, sections, changes)
