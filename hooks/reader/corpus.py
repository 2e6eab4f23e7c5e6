"""Corpus: the whole pipeline for every seed, from a project root to Documents.

Data flow: seeds/catalog.yml + seeds/*.txt + seeds/corrections/*.yml + seeds/structure.yml
-> read -> clean -> structure -> anchorlock (seeds/anchors.lock) -> speakers (seeds/speakers.yml)
-> notes (seeds/notes.yml) -> rowlock (seeds/apparatus.lock: the apparatus rows' numbers)
-> annotate (seeds/glossary.yml, seeds/people.yml: inline marks) -> list[Document]
-> dates (the date finder) + seeds/timeline.yml -> timeline.Timeline (every date expression used or ignored)
(zh-Hans, published ids fixed, turns as the edition reads them). The MkDocs hook calls
load() once per build (through corpuscache, whose `cleaner` remembers each seed's clean.run
result); tests call it too. Script conversion and rendering come after.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import anchorlock, annotate, clean, notes, read, readings, render, rowlock, safeio, speakers, structure, timeline
from .clean import boilerplate, table
from .model import CatalogEntry, Change, Document, Line

TABLES = ("boilerplate", "conjectures", "protect", "overconversion", "names", "typos")
#: clean.run's signature: (entry, seed text, tables) -> (cleaned lines, changes).
Cleaner = Callable[[CatalogEntry, str, clean.Tables], "tuple[list[Line], list[Change]]"]
#: (stage name, key, function, *arguments) -> function(*arguments); `key` is every input the
#: function reads (the arguments themselves, or what made them): `direct`, or corpuscache's memo.
Remember = Callable[..., Any]


def direct(stage: str, key: Any, fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


@dataclass
class Corpus:
    docs: list[Document]
    tables: clean.Tables
    layouts: dict[str, structure.Layout] = field(default_factory=dict)
    terms: list[annotate.Term] = field(default_factory=list)  # seeds/glossary.yml
    people: list[annotate.Person] = field(default_factory=list)  # seeds/people.yml
    timeline: timeline.Timeline = field(default_factory=timeline.Timeline)  # seeds/timeline.yml

    def changes(self) -> list[Change]:
        return [c for d in self.docs for c in d.changes]

    def unused_rules(self) -> list[str]:
        """Table entries no document used: a dead rule is an error in the data."""
        used = {c.rule for c in self.changes()}
        out = []
        for name in TABLES:
            for rule in getattr(self.tables, name):
                if rule.id not in used:
                    what = getattr(rule, "find", "") or getattr(rule, "line_text", "") or rule.pattern
                    out.append(f"{rule.table}:{rule.line}: {what!r} is never used")
        return out


def load_tables(seeds: Path, slugs: set[str]) -> clean.Tables:
    folder = seeds / "corrections"
    tables = clean.Tables()
    for name in TABLES:
        path = folder / f"{name}.yml"
        if not safeio.present(path):
            continue
        label = f"seeds/corrections/{name}.yml"
        data = read.load_yaml(path, label)
        if name == "boilerplate":
            tables.boilerplate = boilerplate.parse_rules(data or [], label, slugs)
        elif name == "conjectures":
            tables.conjectures = clean.mojibake.parse_conjectures(data, label, slugs)
        else:
            setattr(tables, name, table.parse_rules(data, label, slugs, need_replace=name != "protect"))
    return tables


def check_completeness(entry, changes: list[Change]) -> None:
    """A seed whose removed boilerplate includes a pager must say how complete it is."""
    found = boilerplate.pagers(changes)
    if found and not entry.completeness_note:
        raise read.EditionError("seeds/catalog.yml", entry.line, "completeness_note",
                                f"{entry.slug}: seeds/{entry.seed} line {found[0].line} is a pager "
                                f"({found[0].before.strip()[:40]!r}), so the web article may have more pages: "
                                "say partial with `missing`, or why it is complete, in completeness_note")


def lock_text(seeds: Path, label: str) -> str | None:
    """The text of the lock file `label` (seeds/<name>), or None when there is none."""
    path = seeds.parent / label
    if not safeio.present(path):
        return None
    try:
        return safeio.read_text(seeds.parent, path, label, safeio.LOCK_LIMIT)
    except (OSError, UnicodeDecodeError) as exc:
        raise read.EditionError(label, 0, "file", f"cannot read: {exc}") from None


def load_lock(seeds: Path, slugs: set[str]) -> dict[str, list[anchorlock.Locked]]:
    text = lock_text(seeds, anchorlock.LOCK_FILE)
    return anchorlock.parse(text, slugs) if text is not None else {}


def load_row_lock(seeds: Path, slugs: set[str]) -> dict[str, list[rowlock.Row]]:
    text = lock_text(seeds, rowlock.LOCK_FILE)
    return rowlock.parse(text, slugs) if text is not None else {}


def load(root: Path, lock: bool = True, cleaner: Cleaner = clean.run, remember: Remember = direct) -> Corpus:
    """Every Document with its published anchors (seeds/anchors.lock); lock=False gives the
    positional ids structure.py assigns, for `make anchors` to match against the lock.
    `cleaner` cleans one seed: clean.run, or corpuscache's memo of it; `remember` runs the
    per-document stages after it (structure with the anchors, annotate, readings, dates) and the
    n-gram count: directly, or through corpuscache's memo (a rebuild after a one-line edit redoes
    only what it changed)."""
    seeds = root / "seeds"
    entries = read.load_catalog(seeds)
    slugs = {e.slug for e in entries}
    tables = load_tables(seeds, slugs)
    texts = tuple(read.read_seed(seeds, e) for e in entries)
    tables.ngrams = remember("ngrams", texts, clean.mojibake.Ngrams.of, texts)  # conjectures' evidence
    layout_path = seeds / "structure.yml"
    layouts = structure.parse_layouts(read.load_yaml(layout_path, "seeds/structure.yml"),
                                      "seeds/structure.yml", slugs) if safeio.present(layout_path) else {}
    locked = load_lock(seeds, slugs)
    raw: dict[str, list[str]] = {}
    docs = []
    for entry in entries:
        text = read.read_seed(seeds, entry)
        raw[entry.slug] = text.split("\n")
        lines, changes = cleaner(entry, text, tables)
        check_completeness(entry, changes)
        parts = (entry, lines, layouts.get(entry.slug), changes, locked.get(entry.slug, []) if lock else None)
        docs.append(remember("structure", parts, structured, *parts))
    if lock:  # overrides cite published anchors
        path = seeds / "speakers.yml"
        overrides = (speakers.parse(read.load_yaml(path, speakers.FILE), docs) if safeio.present(path) else [])
        docs = [speakers.apply(d, overrides) for d in docs]
        path = seeds / "notes.yml"
        found = notes.parse(read.load_yaml(path, notes.FILE), docs) if safeio.present(path) else {}
        docs = [notes.apply(d, found) for d in docs]
        rows = load_row_lock(seeds, slugs)  # every Change is made: the apparatus rows are final
        docs = [rowlock.apply(d, rows.get(d.entry.slug, [])) for d in docs]
    path = seeds / "glossary.yml"
    terms = annotate.parse_glossary(read.load_yaml(path, annotate.FILE)) if safeio.present(path) else []
    people = read.load_people(seeds)  # one matcher for terms and names: the longest form wins across kinds
    matcher = annotate.matcher(terms, people)
    docs = [remember("annotate", (d, terms, people), annotate.annotate, d, matcher) for d in docs]
    people = [dataclasses.replace(p, sort_key=render.pinyin_key(p.name_zh)) for p in people]  # the index's order
    terms = [dataclasses.replace(t, sort_key=render.pinyin_key(t.headword)) for t in terms]  # the glossary's
    if lock:  # where the reading text differs from the source, in place (the 校改标记 toggle)
        docs = [remember("readings", (d, raw[d.entry.slug]), readings.apply, d, raw[d.entry.slug]) for d in docs]
    return Corpus(docs, tables, layouts, terms, people,
                  load_timeline(seeds, docs, people, remember) if lock else timeline.Timeline())


def structured(entry: CatalogEntry, lines: list[Line], layout: structure.Layout | None, changes: list[Change],
               locked: list[anchorlock.Locked] | None) -> Document:
    """One cleaned seed as a Document: its structure, then its published anchors (locked=None: the
    positional ids alone)."""
    doc = structure.build(entry, lines, layout, changes)
    return doc if locked is None else anchorlock.apply(doc, locked)


def load_timeline(seeds: Path, docs: list[Document], people: list[annotate.Person],
                  remember: Remember = direct) -> timeline.Timeline:
    """seeds/timeline.yml against the date finder's hits: every hit used by an event or ignored
    (the finder reads one document at a time: its hits are remembered per document)."""
    from . import dates

    path = seeds / "timeline.yml"
    if not safeio.present(path):
        return timeline.Timeline()
    hits = [hit for d in docs for hit in remember("dates", d, dates.find_in, [d])]
    t = timeline.parse(read.load_yaml(path, timeline.FILE), docs, hits, {p.id for p in people})
    timeline.check_complete(t, hits)
    return t
