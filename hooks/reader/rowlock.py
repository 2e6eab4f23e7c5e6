"""Row lock: the ids of the apparatus rows, <slug>.r<n>, are permanent.

Data flow: seeds/apparatus.lock (text) -> parse() -> {slug: [Row]}; (Document, its [Row]) ->
apply() -> the same Document with `rows` (model.RowIds) set: the number of each row of its
apparatus (render._group: one paragraph, kind, rule and reason), and the numbers of locked
rows that are gone, each an extra id on the row that took its place. update() is what
`make anchors` runs (after anchorlock): the lock rewritten with new rows added and edited
rows' fingerprints refreshed, for review as a diff; no line is ever removed.

A row's fingerprint is its source line, its kind, and a digest of its reason and source
readings: what the seeds and the correction tables make of that spot, not where it stands
among the other rows. So a new correction shifts no number (before this lock the numbers were
positions: one new row renumbered every row after it, and a cited #<slug>.r123 showed another
change).

Matching, per document: a row whose fingerprint is locked takes its number (equal
fingerprints pair in order). A locked row left over and a row left over of the same source
line and kind are one row edited (a reworded reason, a corrected reading): it keeps its number,
and the lock is stale until `make anchors` (tests/test_rowlock.py fails until then). A locked
row still left over is gone: its id resolves to the first row on its source line, else the
first row after it, else the last row. Rows left over are new: numbered above every locked
number of the document, in page order; a document without locked rows is numbered 1, 2, ...
in page order, as before the lock.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict, deque
from dataclasses import dataclass, replace

from . import render
from .model import Document, EditionError, RowIds

LOCK_FILE = "seeds/apparatus.lock"
HEADER = """\
# Every published row id of the apparatus pages, #<slug>.r<n>, for ever (hooks/reader/rowlock.py):
# slug, number, source line, kind, digest of the row's reason and source readings.
# `make anchors` adds new rows and refreshes edited ones; review the diff, never delete a line.
"""
LINE = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)\tr([1-9][0-9]*)\tL([0-9]+)\t([a-z-]+)\t([0-9a-f]{10})\Z")


@dataclass(frozen=True)
class Row:
    """One locked row: its document, number, and fingerprint (line, kind, digest)."""

    slug: str
    n: int
    line: int
    kind: str
    digest: str
    at: int = 0  # its line in the lock file, for error messages

    @property
    def fp(self) -> tuple[int, str, str]:
        return self.line, self.kind, self.digest


def digest(reason: str, befores: list[str]) -> str:
    """Ten hex digits of sha256 over a row's reason and its distinct source readings."""
    text = reason + "\x1f" + "\x1e".join(dict.fromkeys(befores))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def fingerprints(doc: Document) -> list[tuple[tuple[int, str, str], int]]:
    """(fingerprint, index of its first Change) of each apparatus row of `doc`, in page order."""
    out = []
    for first, _, _, _, indexes in render._group(doc.changes):
        fp = (first.line, first.kind, digest(first.reason, [doc.changes[i].before for i in indexes]))
        out.append((fp, indexes[0]))
    return out


def parse(text: str, slugs: set[str], file: str = LOCK_FILE) -> dict[str, list[Row]]:
    """The lock's rows per document; a malformed line, an unknown document or a number listed
    twice is an EditionError naming the line."""
    out: dict[str, list[Row]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for no, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        found = LINE.match(line)
        if not found:
            raise EditionError(file, no, "row", "expected: slug<TAB>r<n><TAB>L<line><TAB>kind<TAB>10 hex digits")
        slug, n = found[1], int(found[2])
        if slug not in slugs:
            raise EditionError(file, no, "slug", f"{slug!r} is not a catalog slug")
        if (slug, n) in seen:
            raise EditionError(file, no, "row", f"{slug}.r{n} is listed twice")
        seen.add((slug, n))
        out[slug].append(Row(slug, n, int(found[3]), found[4], found[5], no))
    return dict(out)


@dataclass(frozen=True)
class Plan:
    numbers: dict[int, int]  # index of a row's first Change -> its number
    gone: dict[int, tuple[int, ...]]  # index of a row's first Change -> locked numbers resolving to it
    rows: list[Row]  # the document's lock after this build: every row, live and gone, by number
    stale: list[Row]  # locked rows whose fingerprint the edition no longer has (edited rows)


def match(doc: Document, locked: list[Row]) -> Plan:
    """The numbers of doc's rows under its locked rows (the module docstring: exact fingerprint,
    then same line and kind, gone rows to a host, new rows above every locked number)."""
    slug = doc.entry.slug
    fps = fingerprints(doc)
    waiting: dict[tuple[int, str, str], deque[Row]] = defaultdict(deque)
    for lk in sorted(locked, key=lambda r: r.n):
        waiting[lk.fp].append(lk)
    number: dict[int, int] = {}  # page position -> number
    for pos, (fp, _) in enumerate(fps):
        if waiting[fp]:
            number[pos] = waiting[fp].popleft().n
    left = sorted((lk for queue in waiting.values() for lk in queue), key=lambda r: r.n)
    stale: list[Row] = []
    gone: list[Row] = []
    for lk in left:
        edited = next((p for p, (fp, _) in enumerate(fps) if p not in number and fp[:2] == (lk.line, lk.kind)), None)
        if edited is None:
            gone.append(lk)
        else:
            number[edited] = lk.n
            stale.append(lk)
    top = max((lk.n for lk in locked), default=0)
    for pos in range(len(fps)):
        if pos not in number:
            top += 1
            number[pos] = top
    hosts: dict[int, list[int]] = defaultdict(list)
    for lk in gone:
        if not fps:
            continue
        on_line = next((p for p, (fp, _) in enumerate(fps) if fp[0] == lk.line), None)
        host = on_line if on_line is not None else next(
            (p for p, (fp, _) in enumerate(fps) if fp[0] > lk.line), len(fps) - 1)
        hosts[fps[host][1]].append(lk.n)
    live = [Row(slug, number[pos], fp[0], fp[1], fp[2]) for pos, (fp, _) in enumerate(fps)]
    rows = sorted(live + [replace(lk, at=0) for lk in gone], key=lambda r: r.n)
    return Plan({fps[pos][1]: n for pos, n in number.items()},
                {first: tuple(sorted(ns)) for first, ns in hosts.items()}, rows, stale)


def apply(doc: Document, locked: list[Row]) -> Document:
    """`doc` with its rows' permanent numbers (RowIds)."""
    plan = match(doc, locked)
    return replace(doc, rows=RowIds(plan.numbers, plan.gone))


def stale(doc: Document, locked: list[Row]) -> list[str]:
    """Locked rows of `doc` that need `make anchors`: edited, or not in the lock yet."""
    plan = match(doc, locked)
    known = {lk.n for lk in locked}
    return ([f"{doc.entry.slug}.r{lk.n}: edited (L{lk.line} {lk.kind})" for lk in plan.stale]
            + [f"{doc.entry.slug}.r{r.n}: new (L{r.line} {r.kind})" for r in plan.rows if r.n not in known])


def update(docs: list[Document], lock: dict[str, list[Row]]) -> list[Row]:
    """The lock after this build: every document's rows, live and gone, by slug and number."""
    out: list[Row] = []
    for doc in sorted(docs, key=lambda d: d.entry.slug):
        out += match(doc, lock.get(doc.entry.slug, [])).rows
    known = {d.entry.slug for d in docs}
    out += [lk for slug in sorted(lock) if slug not in known for lk in lock[slug]]  # never dropped
    return out


def dump(rows: list[Row]) -> str:
    return HEADER + "".join(f"{r.slug}\tr{r.n}\tL{r.line}\t{r.kind}\t{r.digest}\n" for r in rows)
