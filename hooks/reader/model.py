"""Dataclasses shared by every stage.

Data flow: read.py makes CatalogEntry + Source; clean/ turns Source lines into cleaned
Lines and a list of Change; structure.py makes a Document (sections > blocks > paragraphs,
each with a stable ASCII id); script.py maps a Document's text to zh-Hant without touching
ids; render.py turns a Document into Markdown. Nothing here does I/O.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class EditionError(Exception):
    """Bad input: names the file, the line (0 when unknown) and the field."""

    def __init__(self, file: str, line: int, field_name: str, message: str):
        self.file, self.line, self.field, self.message = file, line, field_name, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field_name}: {message}")


@dataclass(frozen=True)
class Line:
    """One line of a source, cleaned step by step; `no` is its 1-based line in the seed."""

    no: int
    text: str


@dataclass(frozen=True)
class Edit:
    """One change a stage made inside one line (before -> after), with its reason."""

    before: str
    after: str
    reason: str
    rule: str = ""  # id of the table entry or code rule that made it


@dataclass(frozen=True)
class Change:
    """An Edit placed in a document: kind is the cleaning stage; anchor is set by structure."""

    doc: str
    line: int
    kind: str
    before: str
    after: str
    reason: str
    rule: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class Participant:
    id: str
    name_zh: str
    name_en: str
    role: str


@dataclass(frozen=True)
class CatalogEntry:
    slug: str
    seed: str
    title: str  # zh-Hans; the zh-Hant title is converted by script.py unless title_hant is given
    outlet: str
    date: str  # ISO, as precise as `precision`: YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # day | month | year
    date_source: str  # printed | inferred
    date_note: str
    event: str
    summary: str
    source_script: str  # zh-Hans | zh-Hant | zh-TW
    participants: tuple[Participant, ...]
    speakers: dict[str, str]  # label in cleaned text -> participant id
    source_url: str = ""
    title_line: int = 0  # the seed line that holds the title, if any
    title_hant: str = ""
    line: int = 0  # where the entry starts in catalog.yml
    completeness: str = "complete"  # complete | partial (the source is only part of the article)
    missing: str = ""  # partial: what the source lacks
    completeness_note: str = ""  # how we know (required for partial, and for a seed that had a pager)


@dataclass(frozen=True)
class Mark:
    """An inline annotation over text[start:end] of a paragraph (annotate.py): a glossary term,
    a person or organization, or a correction. Offsets are in the paragraph's own script."""

    start: int
    end: int
    kind: str  # term | person | correction
    key: str  # term id, person id, or the correction's id
    first: bool = False  # the first mention of this key in its paragraph (it links)
    note: str = ""  # a correction: what the source had here ("" where the edition inserted text)


@dataclass
class Paragraph:
    id: str
    text: str
    lines: tuple[int, ...] = ()
    speaker: str = ""  # participant id, "" for narration
    kind: str = "p"  # p | li | oli (ordered item)
    value: int = 0  # the printed number of an ordered item
    aliases: tuple[str, ...] = ()  # locked anchors that now resolve here (seeds/anchors.lock)
    notes: tuple[str, ...] = ()  # editor's notes printed after the text (seeds/notes.yml)
    marks: tuple[Mark, ...] = ()  # inline annotations, sorted, never overlapping (annotate.py)


@dataclass
class Block:
    """A run of paragraphs shown together: a speaker turn, a list, or plain narration."""

    kind: str  # turn | list | olist | prose
    paragraphs: list[Paragraph] = field(default_factory=list)
    speaker: str = ""
    labelled: bool = False  # a turn that the source opens with a speaker label


@dataclass
class Section:
    id: str
    heading: str  # "" for the untitled opening section
    line: int = 0
    blocks: list[Block] = field(default_factory=list)
    level: int = 2
    aliases: tuple[str, ...] = ()  # locked anchors that now resolve here (seeds/anchors.lock)


@dataclass(frozen=True)
class RowIds:
    """The permanent numbers of a document's apparatus rows (rowlock.py), each row named by the
    index in Document.changes of its first Change: its number, and the numbers of locked rows
    that are gone and resolve to it."""

    numbers: dict[int, int] = field(default_factory=dict)
    gone: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass
class Document:
    entry: CatalogEntry
    title: str
    sections: list[Section]
    changes: list[Change]
    rows: RowIds | None = None  # None: rows numbered 1, 2, ... in page order (no lock read)

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for b in s.blocks for p in b.paragraphs]

    def anchors(self) -> list[str]:
        """The live ids, in order (aliases not included)."""
        return [a for s in self.sections for a in [s.id] + [p.id for b in s.blocks for p in b.paragraphs]]

    def map_paragraphs(self, fn: Callable[[Paragraph], Paragraph]) -> Document:
        """The same Document with fn applied to every paragraph (sections and blocks kept)."""
        from dataclasses import replace

        return replace(self, sections=[
            replace(s, blocks=[replace(b, paragraphs=[fn(p) for p in b.paragraphs]) for b in s.blocks])
            for s in self.sections])

    def aliases(self) -> dict[str, str]:
        """Old anchor -> the live id it resolves to (moved, merged, split or removed)."""
        out = {a: s.id for s in self.sections for a in s.aliases}
        out.update((a, p.id) for s in self.sections for b in s.blocks for p in b.paragraphs for a in p.aliases)
        return out
