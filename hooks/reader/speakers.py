"""Speakers: who says each paragraph, as data, and every label the edition adds or changes.

Data flow: (Document with published ids, overrides from seeds/speakers.yml) -> Document whose
turns are regrouped, plus Changes of kind "speaker" for the apparatus:
  - an override gives one paragraph another speaker (the source's label is wrong), with the
    editor's reason; the turn it sat in is split around it;
  - consecutive turns of the same speaker in one section become one turn (the repeated
    label goes; every paragraph keeps its id);
  - a turn the source does not open with a label (it runs on after a heading, or an override
    split it) shows the speaker's name: that label is the edition's and is logged.
Runs after anchorlock (overrides cite published anchors) and before script conversion.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import limits
from .model import Block, Change, Document, EditionError, Paragraph

if TYPE_CHECKING:
    from .read import LineDict

FILE = "seeds/speakers.yml"


@dataclass(frozen=True)
class Override:
    doc: str
    anchor: str
    speaker: str
    reason: str
    line: int = 0


def parse(data: Any, docs: list[Document], file: str = FILE) -> list[Override]:
    """seeds/speakers.yml -> overrides; `at` is a citation resolved through anchors.resolve."""
    from . import anchors

    if data is None:
        return []
    if not isinstance(data, list):
        raise EditionError(file, 1, "overrides", "must be a list of {at, speaker, reason}")
    out: list[Override] = []
    seen: dict[tuple[str, str], int] = {}
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "override", "must be a mapping with at, speaker, reason")
        for key in raw:
            if key not in ("at", "speaker", "reason"):
                raise EditionError(file, raw.key_lines.get(key, line), str(key)[:40], "unknown field")
        for key in ("at", "speaker", "reason"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise EditionError(file, raw.key_lines.get(key, line), key, "must be non-empty text")
        doc, anchor = anchors.resolve(docs, raw["at"], file, raw.key_lines.get("at", line), "at")
        if not anchor.startswith("p"):
            raise EditionError(file, raw.key_lines["at"], "at", f"{limits.quote(raw['at'])} is not a paragraph")
        ids = {p.id for p in doc.entry.participants}
        if raw["speaker"] not in ids:
            raise EditionError(file, raw.key_lines["speaker"], "speaker",
                               f"{limits.quote(raw['speaker'])} is not a participant of {doc.entry.slug} ({', '.join(sorted(ids))})")
        key = (doc.entry.slug, anchor)
        if key in seen:
            raise EditionError(file, raw.key_lines["at"], "at", f"{limits.quote(raw['at'])} is already overridden on line {seen[key]}")
        seen[key] = raw.key_lines["at"]
        out.append(Override(doc.entry.slug, anchor, raw["speaker"], raw["reason"].strip(), raw.key_lines["at"]))
    return out


def apply(doc: Document, overrides: list[Override]) -> Document:
    mine = {o.anchor: o for o in overrides if o.doc == doc.entry.slug}
    names = {p.id: p.name_zh for p in doc.entry.participants}
    changes: list[Change] = []
    sections = []
    for s in doc.sections:
        blocks: list[Block] = []
        for b in s.blocks:
            if b.kind != "turn":
                blocks.append(b)
                continue
            for i, p in enumerate(b.paragraphs):
                o = mine.get(p.id)
                who = o.speaker if o else p.speaker
                if o and o.speaker != p.speaker:
                    changes.append(Change(doc.entry.slug, p.lines[0] if p.lines else 0, "speaker",
                                          names.get(p.speaker, p.speaker), names[o.speaker], o.reason,
                                          "speakers.yml", p.id))
                p = replace(p, speaker=who)
                last = blocks[-1] if blocks else None
                if last is not None and last.kind == "turn" and last.speaker == who:
                    if i == 0:  # a new labelled turn of the speaker who was already talking
                        changes.append(Change(doc.entry.slug, p.lines[0] if p.lines else 0, "speaker",
                                              names.get(who, who) + "：", "",
                                              "同一说话人连续发言，合为一轮，删去重复的说话人标签",
                                              "structure:merge-turns", p.id))
                    last.paragraphs.append(p)
                    continue
                labelled = b.labelled and i == 0
                blocks.append(Block("turn", [p], who, labelled))
                if not labelled:
                    why = ("底本此段前未标说话人（标题后接续上一轮发言），本版补出说话人姓名" if i == 0 and not o
                           else "说话人改正后，本版在此补出说话人姓名")
                    changes.append(Change(doc.entry.slug, p.lines[0] if p.lines else 0, "speaker", "",
                                          names.get(who, who) + "：", why, "structure:added-label", p.id))
        sections.append(replace(s, blocks=blocks))
    return replace(doc, sections=sections, changes=doc.changes + changes)


def turn_counts(doc: Document) -> dict[str, int]:
    """Speaker id -> how many turns the page shows (for tests and the apparatus)."""
    out: dict[str, int] = {}
    for s in doc.sections:
        for b in s.blocks:
            if b.kind == "turn":
                out[b.speaker] = out.get(b.speaker, 0) + 1
    return out


def paragraphs_by_speaker(doc: Document) -> dict[str, list[Paragraph]]:
    out: dict[str, list[Paragraph]] = {}
    for s in doc.sections:
        for b in s.blocks:
            if b.kind == "turn":
                out.setdefault(b.speaker, []).extend(b.paragraphs)
    return out
