"""Editor's notes: a short remark printed in the text, where the text says something the
edition must qualify (e.g. "专访全文" in a seed that is only page 1 of 3).

Data flow: seeds/notes.yml -> parse (citations resolved through anchors.resolve; `words` must be
in the paragraph) -> apply: Document whose paragraphs carry `notes` -> render prints each as
"［编者注：…］" after the paragraph's text; script converts it for zh-Hant like any text.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import limits
from .model import Document, EditionError

if TYPE_CHECKING:
    from .read import LineDict

FILE = "seeds/notes.yml"
FIELDS = ("at", "words", "note")


def parse(data: Any, docs: list[Document], file: str = FILE) -> dict[tuple[str, str], list[str]]:
    """-> {(slug, anchor): [note, ...]} in file order."""
    from . import anchors

    if data is None:
        return {}
    if not isinstance(data, list):
        raise EditionError(file, 1, "notes", "must be a list of {at, words, note}")
    out: dict[tuple[str, str], list[str]] = {}
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "note", "must be a mapping with at, words, note")
        for key in raw:
            if key not in FIELDS:
                raise EditionError(file, raw.key_lines.get(key, line), str(key)[:40], "unknown field")
        for key in FIELDS:
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise EditionError(file, raw.key_lines.get(key, line), key, "must be non-empty text")
        doc, anchor = anchors.resolve(docs, raw["at"], file, raw.key_lines["at"], "at")
        para = next((p for p in doc.paragraphs() if p.id == anchor), None)
        if para is None:
            raise EditionError(file, raw.key_lines["at"], "at", f"{limits.quote(raw['at'])} is not a paragraph")
        if raw["words"] not in para.text:
            raise EditionError(file, raw.key_lines["words"], "words", f"{limits.quote(raw['words'])} is not in {raw['at']}")
        out.setdefault((doc.entry.slug, anchor), []).append(raw["note"].strip())
    return out


def apply(doc: Document, notes: dict[tuple[str, str], list[str]]) -> Document:
    slug = doc.entry.slug
    sections = [replace(s, blocks=[replace(b, paragraphs=[
        replace(p, notes=tuple(notes.get((slug, p.id), ()))) if (slug, p.id) in notes else p
        for p in b.paragraphs]) for b in s.blocks]) for s in doc.sections]
    return replace(doc, sections=sections)
