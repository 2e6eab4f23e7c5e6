"""Anchors: the public citation API — "slug#p3-12" references, checked against the Documents.

Data flow: (Documents, reference text, where it was read) -> (Document, anchor) or an
EditionError naming the file, line and field. Anchors are ASCII, identical in both scripts;
every later annotation (glossary hits, timeline entries, citations, the JSON edition) points
at text through this one function, so a reference to a paragraph that does not exist fails
the build instead of making a dead link.
"""
from __future__ import annotations

import re

from . import limits
from .model import Document, EditionError

REF = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<anchor>top|s\d+|p\d+-\d+))?")


def resolve(docs: list[Document], ref: object, file: str, line: int, field: str) -> tuple[Document, str]:
    """'slug' or 'slug#anchor' -> (Document, live anchor or 'top'); old anchors resolve too."""
    if not isinstance(ref, str):
        raise EditionError(file, line, field, f"{limits.quote(ref)} is not a reference like 'slug#p3-12'")
    m = REF.fullmatch(ref.strip())
    if not m:
        raise EditionError(file, line, field, f"{limits.quote(ref)} is not a reference like 'slug#p3-12'")
    by_slug = {d.entry.slug: d for d in docs}
    doc = by_slug.get(m["slug"])
    if doc is None:
        raise EditionError(file, line, field, f"no document {m['slug']!r} (known: {', '.join(sorted(by_slug))})")
    anchor = m["anchor"] or "top"
    anchor = doc.aliases().get(anchor, anchor)  # a locked anchor that moved resolves to its new place
    if anchor != "top" and anchor not in set(doc.anchors()):
        raise EditionError(file, line, field, f"{m['slug']} has no anchor #{anchor}")
    return doc, anchor
