"""Structure: cleaned Simplified lines -> Document with stable ASCII ids.

Data flow: (CatalogEntry, cleaned Lines, Layout from seeds/structure.yml, Changes) ->
Document. Rules, in order, for each line:
  - a heading: matches the document's `heading` regex, is listed in `headings`/`subheadings`,
    or is short (<= 30 characters before the editor's typo and name corrections, so a
    correction never makes a heading), holds Chinese, ends without punctuation and is not a
    speaker label or list item;
  - a speaker label: `label：text` inline, or a line that is only the label; the turn runs on
    over unlabelled paragraphs until the next label or heading;
  - a note of the source's own editors (【新智元导读】…, 以下是…实录/翻译/全文…, or listed in
    `notes`): a note block, never a list item or running text;
  - a list item: a bullet (• ·), a number ("1." / "1、"), or, after a line ending in '：',
    a run of two or more short lines without a full stop; bullets right under a numbered
    item are nested in it;
  - otherwise a paragraph.
Ids: sections s0 (untitled opening), s1, s2, … in order; paragraphs and list items p<s>-<n>,
numbered within their section. Changes get the id of the element their line ended up in
(removed lines: the next element, else the last one).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Any

from . import limits
from .cjk import HAN as CJK
from .model import Block, CatalogEntry, Change, Document, EditionError, Line, Paragraph, Section

TERMINAL = tuple("。！？；：，、…」”）!?;:,.")
BULLET = re.compile(r"^[•·]\s*")
NUMBERED = re.compile(r"^(\d{1,2})[.、．]\s*(?=\S)")
SHORT_HEADING = 30
EDITORIAL = ("typos", "names")  # corrections of the text, as opposed to noise removal
SHORT_ITEM = 60


@dataclass
class Layout:
    """Per-document structure hints (seeds/structure.yml); all optional."""

    heading: str = ""  # regex for a whole heading line
    headings: list[str] = field(default_factory=list)  # extra heading lines
    subheadings: list[str] = field(default_factory=list)  # level-3 headings
    not_headings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the source's own editor's notes (exact lines)
    matcher: limits.Pattern | None = field(default=None, compare=False, repr=False)  # `heading`, bounded


HINTS = ("heading", "headings", "subheadings", "not_headings", "notes")  # the fields a data file may set


def parse_layouts(data: Any, file: str, slugs: set[str]) -> dict[str, Layout]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditionError(file, 1, "structure", "must map document slugs to layouts")
    out = {}
    for slug, raw in data.items():
        line = data.key_lines.get(slug, 0) if hasattr(data, "key_lines") else 0
        if slug not in slugs:
            raise EditionError(file, line, str(slug)[:60], "is not a catalog slug")
        if not isinstance(raw, dict):
            raise EditionError(file, line, slug, "must be a mapping")
        matcher = None
        for key, value in raw.items():
            kline = raw.key_lines.get(key, line) if hasattr(raw, "key_lines") else line
            if key not in HINTS:
                raise EditionError(file, kline, f"{slug}.{str(key)[:40]}", "unknown field")
            if key == "heading":
                matcher = limits.compile(value, file, kline, f"{slug}.heading")
            elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise EditionError(file, kline, f"{slug}.{key}", "must be a list of lines")
        out[slug] = Layout(**raw, matcher=matcher)
    return out


class _Builder:
    def __init__(self, entry: CatalogEntry):
        self.entry = entry
        self.sections: list[Section] = [Section("s0", "", 0)]
        self.block: Block | None = None
        self.speaker = ""
        self.count = 0  # paragraphs so far in the current section
        self.labels_seen: dict[str, list[int]] = {}  # speaker label -> seed lines
        self.label_pending = False  # a label was read; the next turn block opens with it

    @property
    def section(self) -> Section:
        return self.sections[-1]

    def heading(self, text: str, line: int, level: int) -> None:
        self.sections.append(Section(f"s{len(self.sections)}", text, line, level=level))
        self.count = 0
        self.block = None  # the speaker runs on: an unlabelled paragraph after a heading continues the turn

    def add(self, kind: str, text: str, line: int, value: int = 0) -> None:
        block_kind = {"li": "list", "oli": "olist", "note": "note"}.get(kind, "turn" if self.speaker else "prose")
        if kind == "li" and self.block is not None and self.block.kind == "olist":
            block_kind = "olist"  # bullets under a numbered item stay nested in it
        if self.block is None or self.block.kind != block_kind or (
                block_kind == "turn" and self.block.speaker != self.speaker):
            self.block = Block(block_kind, speaker=self.speaker if block_kind == "turn" else "",
                               labelled=block_kind == "turn" and self.label_pending)
            self.label_pending = self.label_pending and block_kind != "turn"
            self.section.blocks.append(self.block)
        self.count += 1
        sec = self.section.id[1:]
        self.block.paragraphs.append(Paragraph(f"p{sec}-{self.count}", text, (line,), self.speaker, kind, value))

    def new_turn(self, speaker: str) -> None:
        self.speaker = speaker
        self.block = None
        self.label_pending = True


def _labels(entry: CatalogEntry) -> list[str]:
    return sorted(entry.speakers, key=len, reverse=True)


def _inline_label(text: str, labels: list[str]) -> tuple[str, str] | None:
    for label in labels:
        for sep in ("：", ":"):
            if text.startswith(label + sep):
                return label, text[len(label) + len(sep):].strip()
    return None


#: The source's own editor's notes: "【新智元导读】…", "以下是访谈实录，略经…编辑：", "以下为…专访全文："
SOURCE_NOTE = re.compile(r"【[^】]{1,10}】|以下(?:是|为).{0,40}(?:翻译|转译|实录|全文|内容)")


def _is_note(text: str, layout: Layout) -> bool:
    return text in layout.notes or bool(SOURCE_NOTE.match(text))


def _is_heading(text: str, layout: Layout, labels: list[str], corrected: int = 0, where: str = "") -> int:
    """0: not a heading; 2 or 3: its level. `corrected`: how many characters the editor's
    corrections (typos, names) took out of the line: a correction never makes a heading.
    `where` names the line for the message when the `heading` pattern takes too long."""
    if text in layout.subheadings:
        return 3
    if text in layout.headings or (layout.heading and _heading_matches(layout, text, where)):
        return 2
    if text in layout.not_headings or text in labels:
        return 0
    if BULLET.match(text) or NUMBERED.match(text) or _inline_label(text, labels):
        return 0
    if len(text) + corrected <= SHORT_HEADING and CJK.search(text) and not text.endswith(TERMINAL):
        return 2
    return 0


def _heading_matches(layout: Layout, text: str, where: str) -> bool:
    matcher = layout.matcher or limits.compile(layout.heading, "seeds/structure.yml", 0, "heading")
    return matcher.fullmatch(text, where or "a line")


def _list_run(lines: list[str], i: int) -> int:
    """How many lines after a line ending in '：' form a list (0 if fewer than two)."""
    n = 0
    while i + n < len(lines):
        t = lines[i + n]
        if len(t) > SHORT_ITEM or t.endswith(("。", "！", "？", "：", "——")) or BULLET.match(t) or NUMBERED.match(t):
            break
        n += 1
        if t in ("……", "…"):  # "and so on" closes the list
            break
    return n if n >= 2 else 0


def build(entry: CatalogEntry, lines: list[Line], layout: Layout | None = None,
          changes: list[Change] | None = None) -> Document:
    layout = layout or Layout()
    labels = _labels(entry)
    texts = [ln.text.strip() for ln in lines]
    shortened: dict[int, int] = {}  # seed line -> characters the editor's corrections removed
    for c in changes or []:
        if c.kind in EDITORIAL and c.line:
            shortened[c.line] = shortened.get(c.line, 0) + len(c.before) - len(c.after)
    b = _Builder(entry)
    list_left = 0
    for i, (line, text) in enumerate(zip(lines, texts)):
        if list_left:
            list_left -= 1
            b.add("li", text, line.no)
            continue
        if text in entry.speakers:
            b.new_turn(entry.speakers[text])
            b.labels_seen.setdefault(text, []).append(line.no)
            continue
        bare = text[m.end():] if (m := BULLET.match(text)) else text
        if _is_note(bare, layout):
            b.add("note", bare, line.no)
            continue
        level = _is_heading(text, layout, labels, max(0, shortened.get(line.no, 0)),
                            f"seed {entry.seed} line {line.no}")
        if level:
            b.heading(text, line.no, level)
            continue
        labelled = _inline_label(text, labels)
        if labelled:
            b.new_turn(entry.speakers[labelled[0]])
            b.labels_seen.setdefault(labelled[0], []).append(line.no)
            text = labelled[1]
        if m := BULLET.match(text):
            b.add("li", text[m.end():], line.no)
        elif m := NUMBERED.match(text):
            b.add("oli", text[m.end():], line.no, int(m.group(1)))
        elif text:
            b.add("p", text, line.no)
        if text.endswith("：") and not labelled:
            list_left = _list_run(texts, i + 1)
    sections = [s for s in b.sections if s.blocks or s.heading]
    doc = Document(entry, entry.title, sections, [])
    doc.changes = place_changes(doc, (changes or []) + _speaker_changes(entry, b.labels_seen))
    return doc


def _speaker_changes(entry: CatalogEntry, seen: dict[str, list[int]]) -> list[Change]:
    """One whole-document change per speaker label: shown as the participant's name."""
    names = {p.id: p.name_zh for p in entry.participants}
    return [Change(entry.slug, 0, "speaker", label, names[entry.speakers[label]],
                   f"说话人标签改为对话者姓名（见目录卡片），共{len(lines)}处，首见于底本第{lines[0]}行", "structure:speaker")
            for label, lines in seen.items()]


def place_changes(doc: Document, changes: list[Change]) -> list[Change]:
    """Give every change the anchor of the element its source line belongs to."""
    where: list[tuple[int, str]] = []
    for s in doc.sections:
        if s.line:
            where.append((s.line, s.id))
        for blk in s.blocks:
            for p in blk.paragraphs:
                where += [(n, p.id) for n in p.lines]
    where.sort()
    exact = dict(where)
    lines = [n for n, _ in where]
    placed = []
    for c in changes:
        if c.line == 0:  # a change to the whole document
            placed.append(replace(c, anchor="top"))
            continue
        anchor = exact.get(c.line)
        if anchor is None:
            i = bisect.bisect_right(lines, c.line)  # the next element, else the last one
            anchor = where[i][1] if i < len(where) else (where[-1][1] if where else "")
        placed.append(replace(c, anchor=anchor))
    return placed
