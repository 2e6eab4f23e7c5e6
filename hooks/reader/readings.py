"""Readings: where the edition's text differs from its source, as correction marks in place.

Data flow: (Document, the seed's raw lines, its source script) -> Document whose paragraphs
carry Marks of kind "correction": one per span where the reading text differs from the source
line it came from, `note` = what the source had there (empty for an insertion), `key` = the
indexes in doc.changes of the logged Changes of that line that account for it (for the
tooltip and the link to the apparatus). A span the edition removed (a pinyin annotation, a
space) is a zero-width mark at the place it was; so is a whole source line it dropped (site
furniture, the title line), at the start of the paragraph that followed it.

How: the source line is first put in the edition's script character by character (OpenCC
t2s, the same length), so a plain script conversion is not a correction; the leading speaker
label, bullet or number (layout, not a correction) is skipped; then difflib aligns the two.
render.py shows these marks only when the reader turns on the 校改标记 toggle (corrections.js).
"""
from __future__ import annotations

import difflib
from dataclasses import replace

from .clean.overconversion import converter
from .model import Change, Document, Mark

WHOLE_LINES = ("boilerplate", "title")  # changes that drop a whole source line


def _t2s():
    return converter("t2s")  # the process's one t2s


def in_script(raw: str, source_script: str) -> str:
    """The raw line in Simplified characters, one character for one (so offsets still hold)."""
    if source_script == "zh-Hans":
        return raw
    whole = _t2s().convert(raw)
    if len(whole) == len(raw):
        return whole
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in raw)


def _overlaps(haystack: str, needle: str, lo: int, hi: int) -> bool:
    """Does an occurrence of needle in haystack overlap [lo, hi) (or touch lo, for a point)?"""
    if not needle:
        return False
    hi = max(hi, lo + 1)
    # an occurrence at `at` overlaps when at + len(needle) >= lo and at < hi: search that window
    return haystack.find(needle, max(0, lo - len(needle)), hi - 1 + len(needle)) != -1


def _changes_for(changes: list[tuple[int, Change]], raw: str, simplified: str, text: str,
                 i1: int, i2: int, j1: int, j2: int) -> list[int]:
    hits, seen = [], set()
    was, now = raw[i1:i2], text[j1:j2]
    was_chars, now_chars = set(was), set(now)
    for i, c in changes:
        if c.kind in ("script", "speaker") or (c.rule, c.reason) in seen:
            continue
        if _overlaps(text, c.after, j1, j2) or (c.before.strip() and (
                _overlaps(raw, c.before, i1, i2) or _overlaps(simplified, c.before, i1, i2))) \
                or (len(c.before) <= 2 and (was or now) and was_chars <= set(c.before) and now_chars <= set(c.after)):
            hits.append(i)
            seen.add((c.rule, c.reason))  # one entry per rule: the apparatus groups them the same way
    return hits


def marks_for(raw: str, text: str, simplified: str, changes: list[tuple[int, Change]],
              script_change: int = -1) -> list[Mark]:
    """Correction marks over `text` (the paragraph) against `raw` (its source line)."""
    out = []
    ops = difflib.SequenceMatcher(None, simplified, text, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            continue
        if n == 0 and j1 == 0 and op == "delete":  # a speaker label, bullet or number: layout
            continue
        keys = _changes_for(changes, raw, simplified, text, i1, i2, j1, j2)
        if not keys and script_change >= 0 and op == "replace":
            keys = [script_change]  # a phrase of the script conversion (one summary entry)
        out.append(Mark(j1, j2, "correction", ",".join(map(str, keys)), note=raw[i1:i2]))
    return out


def apply(doc: Document, raw_lines: list[str]) -> Document:
    """raw_lines: the seed split at newlines (index 0 = line 1)."""
    script = doc.entry.source_script
    by_line: dict[int, list[tuple[int, Change]]] = {}
    for i, c in enumerate(doc.changes):
        by_line.setdefault(c.line, []).append((i, c))
    script_change = next((i for i, c in enumerate(doc.changes) if c.kind == "script"), -1)
    removed: dict[str, list[Mark]] = {}  # whole source lines the edition dropped, at the element after them
    for i, c in enumerate(doc.changes):
        if c.kind in WHOLE_LINES and c.anchor.startswith("p"):
            removed.setdefault(c.anchor, []).append(Mark(0, 0, "correction", str(i), note=c.before.strip()))

    def marked(p):
        found = removed.get(p.id, [])
        if len(p.lines) == 1 and 0 < p.lines[0] <= len(raw_lines):
            raw = raw_lines[p.lines[0] - 1].strip()
            found = found + marks_for(raw, p.text, in_script(raw, script), by_line.get(p.lines[0], []),
                                      script_change)
        return replace(p, marks=tuple(sorted(p.marks + tuple(found), key=lambda m: (m.start, m.end))))

    return doc.map_paragraphs(marked)
