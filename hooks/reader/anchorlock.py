"""Anchor lock: once published, an anchor resolves forever.

Data flow: seeds/anchors.lock (text) -> parse() -> [Locked];
(Document with positional ids from structure.py, its [Locked]) -> apply() -> the same
Document with its published ids, aliases for anchors that moved, were merged, split or
removed, and its Changes re-pointed; or an EditionError naming the lock line, the document
and the anchor. update() is what `make anchors` runs: the lock rewritten with the new
anchors added and stale fingerprints refreshed, for review as a diff.

The lock holds one line per published anchor, tab-separated:
    slug  anchor  fingerprint                      a live anchor
    slug  anchor  fingerprint  moved    p3-4       now an extra id on another element
    slug  anchor  fingerprint  merged   p3-4       its text was merged into p3-4
    slug  anchor  fingerprint  split    p3-4 p3-9  its text was split; resolves to the first
    slug  anchor  fingerprint  removed  reason     its text is gone; resolves to the next
                                                   live anchor of the lock (else the previous)
The untitled opening section s0 always names the start of the document: if a new heading
leaves nothing before it, s0 becomes an extra id of the first section.
The fingerprint is the start of the element's text: its first 16 letters and digits
(NFKC, case-folded; punctuation, spaces and marks left out), so a change of punctuation,
quotes or spacing does not move an anchor, while a different paragraph cannot take its id.

Matching: the live anchors of the lock and the elements of the new Document (sections and
paragraphs, in order) are aligned on (kind, fingerprint) with difflib's longest matching
blocks, so an inserted heading or paragraph shifts nothing. A matched element takes the
locked id. In the gaps, an element of the same kind whose fingerprint is close to a locked
one is the same element with a corrected start: it keeps its id, and the lock is stale until
`make anchors` records the new fingerprint (tests/test_anchorlock.py fails until then). Where a
locked anchor is left over, the pairing is done again on a longest common subsequence (difflib's
blocks are not one where fingerprints repeat), and an anchor still left over takes the first
element of its kind and fingerprint that nothing claimed (an equal element out of order). Elements
that match nothing are new: they get fresh ids that no locked anchor uses (s<max+1>;
p<section>-<max+1>), which for a document with no lock are exactly the positional ids
structure.py gives.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import Document, EditionError

LOCK_FILE = "seeds/anchors.lock"
FP_LEN = 16
FATES = ("moved", "merged", "split", "removed")
ANCHOR = re.compile(r"(?:s\d+|p\d+-\d+)\Z")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
HEADER = """\
# Every published anchor, for ever (hooks/reader/anchorlock.py): slug, anchor, fingerprint
# (the first 16 letters and digits of its text), and for an anchor whose element is gone, what
# became of it: moved/merged <anchor>, split <anchor> <anchor>..., removed <reason>.
# `make anchors` adds new anchors and refreshes fingerprints; review the diff, never delete a line.
"""


@dataclass(frozen=True)
class Locked:
    doc: str
    anchor: str
    fp: str
    fate: str = ""  # "" (live) | moved | merged | split | removed
    target: str = ""  # moved/merged/split: anchor(s); removed: the reason
    line: int = 0

    def row(self) -> str:
        cells = [self.doc, self.anchor, self.fp] + ([self.fate, self.target] if self.fate else [])
        return "\t".join(cells)


def fingerprint(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in norm if ch.isalnum())[:FP_LEN]


def _norm(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def parse(text: str, slugs: set[str], file: str = LOCK_FILE) -> dict[str, list[Locked]]:
    """The lock's text -> locked anchors per document, in file order; bad lines are errors."""
    out: dict[str, list[Locked]] = {}
    seen: dict[tuple[str, str], int] = {}
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) not in (3, 5):
            raise EditionError(file, no, "line", f"expected 3 or 5 tab-separated fields, found {len(cells)}")
        doc, anchor, fp = cells[:3]
        fate, target = (cells[3], cells[4].strip()) if len(cells) == 5 else ("", "")
        if not SLUG.match(doc):
            raise EditionError(file, no, "slug", f"{doc[:60]!r} is not a document slug")
        if doc not in slugs:
            raise EditionError(file, no, "slug", f"no document {doc!r} in seeds/catalog.yml: its anchors "
                               "were published, so the document cannot leave the catalog")
        if not ANCHOR.match(anchor):
            raise EditionError(file, no, "anchor", f"{anchor[:60]!r} is not an anchor like s3 or p3-12")
        if fp != fingerprint(fp):
            raise EditionError(file, no, "fingerprint", f"{fp[:60]!r} is not a fingerprint "
                               f"(up to {FP_LEN} lower-case letters and digits)")
        if (doc, anchor) in seen:
            raise EditionError(file, no, "anchor", f"{doc}#{anchor} is already locked on line {seen[doc, anchor]}")
        seen[doc, anchor] = no
        if fate and fate not in FATES:
            raise EditionError(file, no, "fate", f"{fate[:40]!r} is not one of {', '.join(FATES)}")
        if fate in ("moved", "merged") and not ANCHOR.match(target):
            raise EditionError(file, no, fate, f"{target[:60]!r} is not an anchor")
        if fate == "split" and not (target and all(ANCHOR.match(t) for t in target.split())):
            raise EditionError(file, no, "split", f"{target[:60]!r} is not a list of anchors")
        if fate == "removed" and not target:
            raise EditionError(file, no, "removed", "give the reason the anchor's text was removed")
        if fate and target == anchor:
            raise EditionError(file, no, fate, "an anchor cannot point at itself")
        out.setdefault(doc, []).append(Locked(doc, anchor, fp, fate, target, no))
    return out


@dataclass
class _El:
    kind: str  # "s" | "p"
    pid: str  # provisional (positional) id
    text: str
    section: int  # index of its section in doc.sections
    fp: str = ""
    final: str = ""
    stale: Locked | None = None


def _elements(doc: Document) -> list[_El]:
    out = []
    for i, s in enumerate(doc.sections):
        out.append(_El("s", s.id, s.heading, i, fingerprint(s.heading)))
        out += [_El("p", p.id, p.text, i, fingerprint(p.text)) for b in s.blocks for p in b.paragraphs]
    return out


def _kind(anchor: str) -> str:
    return anchor[0]


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.6


@dataclass
class Plan:
    """The outcome of matching one Document against its lock."""

    elements: list[_El]
    unmatched: list[Locked]  # live locked anchors with no element
    fated: list[Locked]


def match(doc: Document, locked: list[Locked]) -> Plan:
    els = _elements(doc)
    live = [lk for lk in locked if not lk.fate]
    fated = [lk for lk in locked if lk.fate]
    old_keys = [(_kind(lk.anchor), lk.fp) for lk in live]
    new_keys = [(e.kind, e.fp) for e in els]
    ops = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    unmatched = _pair(ops, live, els)
    # difflib's blocks are not a longest common subsequence where fingerprints repeat (old s1 s2
    # s3, all 人工智能, a paragraph inserted behind the first: it pairs s1 s2 with the last two and
    # leaves s3 over): then the elements afresh, paired in order on one
    if unmatched:
        els = _elements(doc)
        unmatched = _pair(_lcs_opcodes(old_keys, new_keys), live, els)
    left: list[Locked] = []
    for lk in unmatched:  # still left over (an equal element out of order): the first one unclaimed
        free = next((e for e in els if not e.final and e.kind == _kind(lk.anchor) and e.fp == lk.fp), None)
        if free is None:
            left.append(lk)
        else:
            free.final = lk.anchor
    _mint(doc, els, locked)
    return Plan(els, left, fated)


def _pair(ops: Sequence[tuple[str, int, int, int, int]], live: list[Locked], els: list[_El]) -> list[Locked]:
    """Give each matched element its locked id (equal runs; in a gap, the same kind with a close
    fingerprint, in order: the same element, its start corrected); the locked anchors left over."""
    unmatched: list[Locked] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            for lk, e in zip(live[i1:i2], els[j1:j2]):
                e.final = lk.anchor
            continue
        olds, news = live[i1:i2], els[j1:j2]
        j = 0
        for lk in olds:
            k = next((k for k in range(j, len(news)) if news[k].kind == _kind(lk.anchor)
                      and not news[k].final and _similar(lk.fp, news[k].fp)), None)
            if k is None:
                unmatched.append(lk)
                continue
            news[k].final, news[k].stale, j = lk.anchor, lk, k + 1
    return unmatched


def _lcs_opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes ("equal" runs and the gaps between them) of a longest common
    subsequence of a and b: O(len(a) * len(b)), so only where difflib left an anchor over."""
    n, m = len(a), len(b)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]  # lcs[i][j]: of a[i:] and b[j:]
    for i in range(n - 1, -1, -1):
        row, below = lcs[i], lcs[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if a[i] == b[j] else max(below[j], row[j + 1])
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = gi = gj = 0  # (gi, gj): where the current gap began
    while i < n and j < m:
        if a[i] == b[j]:
            if (gi, gj) != (i, j):
                ops.append(("replace", gi, i, gj, j))
            i0, j0 = i, j
            while i < n and j < m and a[i] == b[j]:
                i, j = i + 1, j + 1
            ops.append(("equal", i0, i, j0, j))
            gi, gj = i, j
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    if (gi, gj) != (n, m):
        ops.append(("replace", gi, n, gj, m))
    return ops


def _mint(doc: Document, els: list[_El], locked: list[Locked]) -> None:
    """Fresh ids for new elements, never one that a locked anchor uses."""
    taken = {lk.anchor for lk in locked} | {e.final for e in els if e.final}
    nums = [int(a[1:]) for a in taken if a.startswith("s")]
    next_s = max(nums + [0]) + 1
    sec_num: dict[int, int] = {}
    for e in els:
        if e.kind != "s":
            continue
        if not e.final:
            if e.section == 0 and not doc.sections[0].heading and "s0" not in taken:
                e.final = "s0"  # the untitled opening section
            else:
                e.final, next_s = f"s{next_s}", next_s + 1
            taken.add(e.final)
        sec_num[e.section] = int(e.final[1:])
    top: dict[int, int] = {}
    for a in taken:
        if a.startswith("p"):
            s, n = map(int, a[1:].split("-"))
            top[s] = max(top.get(s, 0), n)
    for e in els:
        if e.kind == "p" and not e.final:
            s = sec_num[e.section]
            top[s] = top.get(s, 0) + 1
            e.final = f"p{s}-{top[s]}"


def _problem(lk: Locked, message: str) -> EditionError:
    return EditionError(LOCK_FILE, lk.line, f"{lk.doc}#{lk.anchor}", message)


def apply(doc: Document, locked: list[Locked]) -> Document:
    """The Document with its published ids and aliases; any lost anchor is an EditionError.
    A corrected start (stale fingerprint) keeps its id: `stale()` lists those for the tests."""
    plan = match(doc, locked)
    opening = [lk for lk in plan.unmatched if lk.anchor == "s0" and not lk.fp]
    plan.unmatched = [lk for lk in plan.unmatched if lk not in opening]  # s0 = the start, wherever it is
    if plan.unmatched:
        lk = plan.unmatched[0]
        more = f" (and {len(plan.unmatched) - 1} more)" if len(plan.unmatched) > 1 else ""
        raise _problem(lk, f"no element starts with {lk.fp!r} any more{more}: the anchor was dropped or "
                           "moved; record what became of it in the lock (moved/merged/split <anchor>, "
                           "removed <reason>), or run `make anchors` to see a proposal")
    final = {e.pid: e.final for e in plan.elements}
    by_final = {e.final: e for e in plan.elements}
    aliases: dict[str, list[str]] = {}
    order = [lk.anchor for lk in locked]
    for lk in plan.fated:
        host = _host(lk, order, locked, by_final)
        aliases.setdefault(host, []).append(lk.anchor)
    if opening and plan.elements:
        aliases.setdefault(plan.elements[0].final, []).append("s0")
    return _rename(doc, final, aliases)


def stale(doc: Document, locked: list[Locked]) -> list[str]:
    """Locked anchors whose element's start was corrected since `make anchors` last ran."""
    return [f"{doc.entry.slug}#{e.final}: lock {e.stale.fp!r}, text {e.fp!r}"
            for e in match(doc, locked).elements if e.stale]


def _host(lk: Locked, order: list[str], locked: list[Locked], by_final: dict[str, _El]) -> str:
    """Where a fated anchor lives now (checked against its fingerprint where text survives)."""
    if lk.fate == "removed":
        i = order.index(lk.anchor)
        live = [x.anchor for x in locked if not x.fate]
        after = [a for a in order[i + 1:] if a in live]
        before = [a for a in reversed(order[:i]) if a in live]
        if after or before:
            return (after or before)[0]
        return next(iter(by_final))
    targets = lk.target.split()
    for t in targets:
        if t not in by_final:
            raise _problem(lk, f"{lk.fate} {t}: the document has no live anchor #{t}")
    text = "".join(_norm(by_final[t].text) for t in targets)
    if lk.fp and lk.fp not in text:
        raise _problem(lk, f"{lk.fate} {lk.target}: {lk.fp!r} is not in the text there")
    return targets[0]


def _rename(doc: Document, final: dict[str, str], aliases: dict[str, list[str]]) -> Document:
    sections = []
    for s in doc.sections:
        sid = final[s.id]
        blocks = []
        for b in s.blocks:
            paras = [replace(p, id=final[p.id], aliases=tuple(aliases.get(final[p.id], ()))) for p in b.paragraphs]
            blocks.append(replace(b, paragraphs=paras))
        sections.append(replace(s, id=sid, blocks=blocks, aliases=tuple(aliases.get(sid, ()))))
    changes = [replace(c, anchor=final.get(c.anchor, c.anchor)) for c in doc.changes]
    return replace(doc, sections=sections, changes=changes)


def update(docs: list[Document], lock: dict[str, list[Locked]]) -> tuple[list[Locked], list[str]]:
    """What `make anchors` writes: (new lock entries, problems for the editor to settle by hand).

    New elements are added; stale fingerprints refreshed; a lost anchor whose fingerprint is
    found elsewhere is proposed as moved (same start, other kind) or merged (inside another
    element); a lost anchor whose text is nowhere stays as it was and is reported.
    """
    out: list[Locked] = []
    problems: list[str] = []
    for doc in docs:
        locked = lock.get(doc.entry.slug, [])
        plan = match(doc, locked)
        position = {e.final: i for i, e in enumerate(plan.elements)}
        rows: list[tuple[float, int, Locked]] = []
        for i, e in enumerate(plan.elements):
            rows.append((i, 0, Locked(doc.entry.slug, e.final, e.fp)))
        free = [e for e in plan.elements if not any(lk.anchor == e.final for lk in locked)]
        for n, lk in enumerate(plan.unmatched + plan.fated):
            if lk.fate:
                first = lk.target.split()[0] if lk.fate != "removed" else ""
                rows.append((position.get(first, len(position)) + 0.5, n + 1, lk))
                continue
            same = next((e for e in free if e.fp == lk.fp and e.kind != _kind(lk.anchor)), None)
            inside = same or next((e for e in plan.elements if lk.fp and lk.fp in _norm(e.text)[1:]), None)
            if inside is not None:
                fate = "moved" if same else "merged"
                rows.append((position[inside.final] + 0.5, n + 1, replace(lk, fate=fate, target=inside.final)))
                problems.append(f"{doc.entry.slug}#{lk.anchor}: proposed `{fate} {inside.final}`: check it")
            else:
                rows.append((len(position) + 0.5, n + 1, lk))
                problems.append(f"{doc.entry.slug}#{lk.anchor}: {lk.fp!r} is nowhere in the text: "
                                "write `removed <reason>` (or moved/merged/split) in the lock by hand")
        out += [lk for _, _, lk in sorted(rows, key=lambda r: (r[0], r[1]))]
    return out, problems


def dump(entries: list[Locked]) -> str:
    return HEADER + "".join(lk.row() + "\n" for lk in entries)
