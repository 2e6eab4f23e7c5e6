"""`make anchors`: add new anchors to seeds/anchors.lock and new apparatus rows to
seeds/apparatus.lock, and refresh stale fingerprints in both.

Data flow: project root -> corpus.load(lock=False) (positional ids) + the lock ->
anchorlock.update -> seeds/anchors.lock rewritten; then corpus.load() (published ids, every
Change made) + seeds/apparatus.lock -> rowlock.update -> seeds/apparatus.lock rewritten; prints
what needs the editor's hand. Review `git diff seeds/anchors.lock seeds/apparatus.lock` before
committing: a published anchor or row never disappears.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from reader import anchorlock, corpus, rowlock, safeio  # noqa: E402
from reader.model import EditionError  # noqa: E402


def main() -> int:
    try:
        c = corpus.load(ROOT, lock=False)
        lock = corpus.load_lock(ROOT / "seeds", {d.entry.slug for d in c.docs})
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    entries, problems = anchorlock.update(c.docs, lock)
    path = ROOT / "seeds" / "anchors.lock"
    old = safeio.read_text(ROOT, path, anchorlock.LOCK_FILE, safeio.LOCK_LIMIT) if safeio.present(path) else ""
    new = anchorlock.dump(entries)
    if new != old:
        path.write_text(new, encoding="utf-8")
    before = sum(len(v) for v in lock.values())
    print(f"seeds/anchors.lock: {before} anchors before, {len(entries)} now"
          + ("" if new != old else " (unchanged)"))
    for p in problems:
        print(f"  needs review: {p}")
    try:
        c = corpus.load(ROOT)
        rows = corpus.load_row_lock(ROOT / "seeds", {d.entry.slug for d in c.docs})
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    path = ROOT / "seeds" / "apparatus.lock"
    old = safeio.read_text(ROOT, path, rowlock.LOCK_FILE, safeio.LOCK_LIMIT) if safeio.present(path) else ""
    new_rows = rowlock.update(c.docs, rows)
    new = rowlock.dump(new_rows)
    if new != old:
        path.write_text(new, encoding="utf-8")
    before = sum(len(v) for v in rows.values())
    print(f"seeds/apparatus.lock: {before} rows before, {len(new_rows)} now" + ("" if new != old else " (unchanged)"))
    print("Review `git diff seeds/anchors.lock seeds/apparatus.lock` before committing them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
