"""JSON edition: the whole edition as one data file, `edition.json` in the site root.

Data flow: the zh-Hans Edition (pages.Edition: Documents, glossary terms, people) + its zh-Hant
Documents (script.to_hant with seeds/corrections/zh-hant.yml: the zh-Hant build's own Edition,
site.twin, made once per corpus in the process; else converted here alike) + the digest of seeds/SHA256SUMS -> build() -> a dict -> dumps() -> text, which
hooks/edition.py adds as File.generated("edition.json") in the zh-Hans build only.
build() and dumps() are pure; for_site() is the one place that reads (through read and safeio).

Schema: hooks/reader/edition.schema.json (JSON Schema 2020-12), `version` "1.0". Version policy:
an added field or value bumps the minor version (1.1); a removed, renamed or retyped field bumps
the major one. Deterministic: keys sorted where their order means nothing, lists in reading order
(documents in catalog order, sections and paragraphs as they stand, changes as the apparatus
lists them; glossary and persons by id), ensure_ascii=False, no timestamps. Text is plain text:
the strings are the edition's text, never HTML or Markdown.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import kinds, render
from .model import Change, Document, Paragraph, Section

VERSION = "1.2"  # 1.1: the timeline; 1.2: each change's apparatus row
SCHEMA = "edition.schema.json"  # shipped beside edition.json (hooks/edition.py), which names it
SCHEMA_PATH = Path(__file__).with_name(SCHEMA)
HANS, HANT = "zh-Hans", "zh-Hant"


def _both(hans: str, hant: str) -> dict[str, str]:
    return {HANS: hans, HANT: hant}


def _participants(doc: Document, hant: Document, people: dict) -> list[dict]:
    out = []
    for p, q in zip(doc.entry.participants, hant.entry.participants):
        person = people.get(p.id)
        out.append({
            "id": p.id,
            "name": _both(person.name_zh, person.name_hant) if person else _both(p.name_zh, q.name_zh),
            "name_en": person.name_en if person else p.name_en,
            "role": _both(p.role, q.role),
        })
    return out


def _section(s: Section, t: Section) -> dict:
    return {"id": s.id, "title": _both(s.heading, t.heading) if s.heading else None, "level": s.level,
            "aliases": list(s.aliases)}


def _paragraph(p: Paragraph, q: Paragraph, section: str) -> dict:
    return {"id": p.id, "section": section, "speaker": p.speaker or None, "kind": p.kind,
            "text": _both(p.text, q.text), "aliases": list(p.aliases),
            "notes": [_both(a, b) for a, b in zip(p.notes, q.notes)]}


def _change(c: Change, h: Change, row: str) -> dict:
    if c.kind not in kinds.ORDER:  # the schema's enum is kinds.IDS
        raise ValueError(f"change kind {c.kind!r} is not in hooks/reader/kinds.py")
    return {"kind": c.kind, "anchor": c.anchor or None, "line": c.line, "before": c.before,
            "after": _both(c.after, h.after), "reason": _both(c.reason, h.reason), "rule": c.rule or None,
            "row": row}


def document(doc: Document, hant: Document, people: dict) -> dict:
    """One document: catalog metadata, sections, paragraphs (both scripts), its apparatus."""
    e, h = doc.entry, hant.entry
    rows = render.row_ids(doc)  # permanent (seeds/apparatus.lock)
    paragraphs = [_paragraph(p, q, s.id)
                  for s, t in zip(doc.sections, hant.sections)
                  for b, c in zip(s.blocks, t.blocks)
                  for p, q in zip(b.paragraphs, c.paragraphs)]
    return {
        "slug": e.slug,
        "title": _both(doc.title, hant.title),
        "editor_title": not e.title_line,
        "outlet": _both(e.outlet, h.outlet),
        "date": e.date,
        "precision": e.precision,
        "date_source": e.date_source,
        "date_note": _both(e.date_note, h.date_note),
        "event": _both(e.event, h.event),
        "summary": _both(e.summary, h.summary),
        "participants": _participants(doc, hant, people),
        "source_url": e.source_url or None,
        "source_script": e.source_script,
        "seed": e.seed,
        "completeness": e.completeness,
        "missing": _both(e.missing, h.missing) if e.missing else None,
        "completeness_note": _both(e.completeness_note, h.completeness_note) if e.completeness_note else None,
        "pages": {HANS: f"{e.slug}/", HANT: f"zh-Hant/{e.slug}/"},
        "sections": [_section(s, t) for s, t in zip(doc.sections, hant.sections)],
        "paragraphs": paragraphs,
        "apparatus": [_change(c, d, rows[i]) for i, (c, d) in enumerate(zip(doc.changes, hant.changes))],
    }


def _term(t: Any) -> dict:
    return {"id": t.id, "headword": _both(t.headword, t.headword_hant), "english": t.english,
            "definition": _both(t.definition, t.definition_hant), "aliases": list(t.aliases),
            "related": list(t.related)}


def _person(p: Any) -> dict:
    return {"id": p.id, "kind": p.kind, "name": _both(p.name_zh, p.name_hant), "name_en": p.name_en,
            "identification": _both(p.identification, p.identification_hant), "aliases": list(p.aliases)}


def _event(e: Any, conv: Callable[[str], str]) -> dict:
    from . import timeline

    return {"id": e.id, "date": e.date, "display_date": _both(timeline.display(e.date), conv(timeline.display(e.date))),
            "provenance": e.provenance, "group": e.group, "title": _both(e.title, e.title_hant),
            "description": _both(e.description, e.description_hant),
            "date_note": _both(e.date_note, conv(e.date_note)) if e.date_note else None,
            "people": list(e.people),
            "passages": [{"ref": p.slug if p.anchor == "top" else f"{p.slug}#{p.anchor}", "dates": list(p.dates),
                          "reading": p.reading or None, "note": _both(p.note, conv(p.note)) if p.note else None}
                         for p in e.passages]}


def build(docs: list[Document], hant_docs: list[Document], terms: list, people: list, sums_digest: str,
          title: str, conv: Callable[[str], str], events: list | None = None) -> dict:
    """The JSON edition as data. docs: zh-Hans; hant_docs: the same Documents in zh-Hant (same ids)."""
    by_id = {p.id: p for p in people}
    for d, h in zip(docs, hant_docs, strict=True):
        if d.anchors() != h.anchors():
            raise ValueError(f"{d.entry.slug}: the zh-Hant ids differ from the zh-Hans ones")
    return {
        "version": VERSION,
        "edition": {
            "title": _both(title, conv(title)),
            "generated_from": {"seeds_sha256sums": f"sha256:{sums_digest}"},
            "anchors": "slug#id; ids are identical in both scripts and permanent (seeds/anchors.lock); "
                       "an alias is an old id that now resolves to the element that lists it",
            "schema": SCHEMA,
        },
        "documents": [document(d, h, by_id) for d, h in zip(docs, hant_docs)],
        "glossary": [_term(t) for t in sorted(terms, key=lambda t: t.id)],
        "persons": [_person(p) for p in sorted(people, key=lambda p: p.id)],
        "timeline": [_event(e, conv) for e in events] if events else None,  # seeds/timeline.yml, in date order
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def for_site(root: Path, edition: Any) -> str:
    """The file's text for the zh-Hans build: its Documents in zh-Hant (the zh-Hant Edition that
    site.load_edition keeps for this corpus when `edition` is its zh-Hans one, else converted here)
    and seeds/SHA256SUMS (through safeio)."""
    from . import pages, safeio, script, site

    hant = site.twin(root, edition)  # the zh-Hant Edition of the same corpus, converted once per process
    if hant is not None:
        conv, hant_docs = hant.conv, hant.docs
    else:
        conv = script.Converter(site.hant_rules(root, {d.entry.slug for d in edition.docs}))
        hant_docs = [script.to_hant(d, conv) for d in edition.docs]
    sums = safeio.read_bytes(root, root / "seeds" / "SHA256SUMS", "seeds/SHA256SUMS", safeio.DATA_LIMIT)
    return dumps(build(edition.docs, hant_docs, edition.terms, edition.people, hashlib.sha256(sums).hexdigest(),
                       pages.HOME_TITLE, conv, edition.timeline.events))
