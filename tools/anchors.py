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

from reader import anchorlock, corpus, rowlock  # noqa: E402
from reader.model import EditionError  # noqa: E402


def _rewrite(label: str, text: str, what: str, before: int, now: int) -> None:
    """Write the lock file `label` (seeds/...) when `text` differs from it; print the counts."""
    old = corpus.lock_text(ROOT / "seeds", label) or ""
    if text != old:
        (ROOT / label).write_text(text, encoding="utf-8")
    print(f"{label}: {before} {what} before, {now} now" + ("" if text != old else " (unchanged)"))


def main() -> int:
    try:
        c = corpus.load(ROOT, lock=False)
        lock = corpus.load_lock(ROOT / "seeds", {d.entry.slug for d in c.docs})
        entries, problems = anchorlock.update(c.docs, lock)
        _rewrite(anchorlock.LOCK_FILE, anchorlock.dump(entries), "anchors", sum(map(len, lock.values())), len(entries))
        for p in problems:
            print(f"  needs review: {p}")
        published = corpus.load(ROOT)  # with the lock just written: every Change made, as a build has it
        rows = corpus.load_row_lock(ROOT / "seeds", {d.entry.slug for d in published.docs})
        new_rows = rowlock.update(published.docs, rows)
        _rewrite(rowlock.LOCK_FILE, rowlock.dump(new_rows), "rows", sum(map(len, rows.values())), len(new_rows))
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("Review `git diff seeds/anchors.lock seeds/apparatus.lock` before committing them.")
    return 0

if __name__ == "__main__":
    sys.exit(main())
