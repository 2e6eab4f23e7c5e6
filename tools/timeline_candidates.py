"""`make timeline-candidates`: every date expression the finder returns, for the timeline's editor.

Data flow: project root -> corpus.load (the Documents; seeds/timeline.yml is NOT checked here,
since this is the tool an editor uses to repair it) -> dates.find_in -> one line per Hit, grouped
by document in reading order, with a count per document:
    slug#anchor  EDTF  precision  provenance  「expression」  …context…  (note)
When seeds/timeline.yml exists (read loosely through read.load_yaml: `events[].passages[]`
{ref, dates} and `ignored[]` {ref, text, reason}), each line starts with its status: used (an
event's passage names it), ignored (with its reason) or NEW; references that match no Hit are
listed as stale at the end. --yaml prints the Hits as YAML stubs (events, and ignored entries
commented out) instead; --new keeps only the NEW ones; --check exits 1 when anything is NEW or stale.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from reader import anchors, corpus, dates, read, safeio  # noqa: E402
from reader.model import Document, EditionError  # noqa: E402

TIMELINE = "seeds/timeline.yml"


def load_docs(root: Path) -> list[Document]:
    """The Documents as the edition publishes them, without checking seeds/timeline.yml against
    the finder (corpus.load does that when the file exists, and fails while it disagrees)."""
    check = getattr(corpus, "load_timeline", None)
    if check is None:
        return corpus.load(root).docs
    corpus.load_timeline = lambda *args, **kwargs: None  # type: ignore[attr-defined,assignment]
    try:
        return corpus.load(root).docs
    finally:
        corpus.load_timeline = check  # type: ignore[attr-defined]


def _ref(docs: list[Document], ref: Any, line: int, field: str) -> tuple[str, str] | None:
    try:
        doc, anchor = anchors.resolve(docs, ref, TIMELINE, line, field)
    except EditionError:
        return None
    return doc.entry.slug, anchor


def load_marks(root: Path, docs: list[Document]) -> tuple[dict, dict, list[str]] | None:
    """seeds/timeline.yml -> ({(slug, anchor, text): event id}, {(slug, anchor, text): reason},
    [references in the file that name no Hit]); None when the file does not exist."""
    path = root / TIMELINE
    if not safeio.present(path):
        return None
    data = read.load_yaml(path, TIMELINE)
    data = data if isinstance(data, dict) else {}
    used: dict[tuple[str, str, str], str] = {}
    ignored: dict[tuple[str, str, str], str] = {}
    named: list[tuple[tuple[str, str, str], str]] = []  # what the file names, for the stale check
    for n, event in enumerate(data.get("events") or [], start=1):
        if not isinstance(event, dict):
            continue
        eid = str(event.get("id") or f"event {n}")
        for passage in event.get("passages") or []:
            if not isinstance(passage, dict):
                continue
            where = _ref(docs, passage.get("ref"), 0, "passages")
            for text in passage.get("dates") or []:
                key = (*where, str(text)) if where else ("?", str(passage.get("ref")), str(text))
                used.setdefault(key, eid)  # type: ignore[arg-type]
                named.append((key, f"{eid}: {passage.get('ref')} 「{text}」"))  # type: ignore[arg-type]
    for item in data.get("ignored") or []:
        if not isinstance(item, dict):
            continue
        where = _ref(docs, item.get("ref"), 0, "ignored")
        key = (*where, str(item.get("text"))) if where else ("?", str(item.get("ref")), str(item.get("text")))
        ignored[key] = str(item.get("reason") or "")  # type: ignore[index]
        named.append((key, f"ignored: {item.get('ref')} 「{item.get('text')}」"))  # type: ignore[arg-type]
    found = {(h.slug, h.anchor, h.expr.text) for h in dates.find_in(docs)}
    stale = [label for key, label in named if key not in found]
    return used, ignored, stale


def status(hit: dates.Hit, marks: tuple[dict, dict, list[str]] | None) -> str:
    if marks is None:
        return ""
    key = (hit.slug, hit.anchor, hit.expr.text)
    if key in marks[0]:
        return "used"
    if key in marks[1]:
        return "ignored"
    return "NEW"


def line(hit: dates.Hit, state: str) -> str:
    e = hit.expr
    cells = [f"{hit.slug}#{hit.anchor}", e.edtf, e.precision, e.provenance, f"「{e.text}」", f"…{hit.context}…"]
    if e.note:
        cells.append(f"（{e.note}）")
    return (f"{state:<8}" if state else "") + "  ".join(cells)


def text_report(docs: list[Document], hits: list[dates.Hit], marks, only_new: bool) -> str:
    out = []
    for doc in docs:
        e = doc.entry
        mine = [h for h in hits if h.slug == e.slug]
        shown = [h for h in mine if not only_new or status(h, marks) == "NEW"]
        counts = f"{len(mine)} dates"
        if marks is not None:
            states = [status(h, marks) for h in mine]
            counts += ", " + ", ".join(f"{states.count(s)} {s}" for s in ("used", "ignored", "NEW"))
        out.append(f"== {e.slug} (published {e.date}, {e.precision}, {e.date_source}): {counts}")
        out += [line(h, status(h, marks)) for h in shown]
        out.append("")
    total = f"total: {len(hits)} dates in {len(docs)} documents"
    if marks is not None:
        states = [status(h, marks) for h in hits]
        total += ", " + ", ".join(f"{states.count(s)} {s}" for s in ("used", "ignored", "NEW"))
        total += f", {len(marks[2])} stale"
        out += [f"stale (in {TIMELINE}, found by no Hit): {s}" for s in marks[2]]
    out.append(total)
    return "\n".join(out) + "\n"


def _q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def yaml_report(docs: list[Document], hits: list[dates.Hit], marks, only_new: bool) -> str:
    """YAML stubs: one event per Hit (fill in id, group, titles, descriptions), and the same Hit
    as an ignored entry, commented out, for the Hits that are not events."""
    keep = [h for h in hits if not only_new or status(h, marks) in ("NEW", "")]
    out = [f"# {len(keep)} date expressions from the date finder (tools/timeline_candidates.py --yaml)",
           "events:"]
    for h in keep:
        e = h.expr
        out += [f"  # {h.slug}#{h.anchor}: …{h.context}…" + (f"  [{status(h, marks)}]" if marks else ""),
                "  - id: TODO",
                f"    date: {_q(e.edtf)}  # {e.precision}, {e.provenance}" + (f": {e.note}" if e.note else ""),
                "    group: TODO",
                "    title: TODO",
                "    title_hant: TODO",
                "    description: TODO",
                "    description_hant: TODO",
                "    passages:",
                f"      - {{ref: {h.slug}#{h.anchor}, dates: [{_q(e.text)}]}}"]
    out.append("ignored:")
    out += [f"#  - {{ref: {h.slug}#{h.anchor}, text: {_q(h.expr.text)}, reason: TODO}}" for h in keep]
    if not keep:
        out[-1] = "ignored: []"
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--yaml", action="store_true", help="print YAML stubs for seeds/timeline.yml")
    ap.add_argument("--new", action="store_true", help="only the Hits seeds/timeline.yml does not account for")
    ap.add_argument("--check", action="store_true", help="exit 1 if any Hit is NEW or any reference stale")
    args = ap.parse_args(argv)
    try:
        docs = load_docs(ROOT)
        hits = dates.find_in(docs)
        marks = load_marks(ROOT, docs)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = yaml_report if args.yaml else text_report
    sys.stdout.write(report(docs, hits, marks, args.new))
    if args.check and marks is not None:
        bad = sum(status(h, marks) == "NEW" for h in hits) + len(marks[2])
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
