"""Tests of reader.rowlock: the apparatus rows' ids (#<slug>.r<n>) are permanent.

Data flow: seeds/ -> reader.corpus.load -> a Document whose Changes the tests edit -> rowlock.match;
seeds/apparatus.lock -> parse; the built site (conftest's built_site) -> every locked row resolves.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from reader import corpus, render, rowlock
from reader.model import Change, Document, EditionError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SLUG = "2024-04-20vc-altman-lightcap"


@pytest.fixture(scope="module")
def loaded() -> corpus.Corpus:
    return corpus.load(ROOT)


@pytest.fixture(scope="module")
def lock(loaded) -> dict[str, list[rowlock.Row]]:
    return corpus.load_row_lock(SEEDS, {d.entry.slug for d in loaded.docs})


def _doc(loaded) -> Document:
    (doc,) = [d for d in loaded.docs if d.entry.slug == SLUG]
    return dataclasses.replace(doc, rows=None)


def _numbers(doc: Document, locked: list[rowlock.Row]) -> dict[tuple[int, str, str], int]:
    """fingerprint -> number, for every row of doc under `locked`."""
    plan = rowlock.match(doc, locked)
    return {fp: plan.numbers[first] for fp, first in rowlock.fingerprints(doc)}


def test_without_a_lock_rows_are_numbered_in_page_order(loaded):
    doc = _doc(loaded)
    plan = rowlock.match(doc, [])
    assert [plan.numbers[first] for _, first in rowlock.fingerprints(doc)] == list(range(1, len(plan.rows) + 1))
    assert render.row_ids(doc) == render.row_ids(rowlock.apply(doc, []))


def test_a_new_row_shifts_no_number(loaded):
    doc = _doc(loaded)
    locked = rowlock.match(doc, []).rows
    before = _numbers(doc, locked)
    line = sorted({fp[0] for fp in before})[3]  # a new correction early in the text
    new = Change(SLUG, line, "typos", "甲", "乙", "新的校改", "seeds/corrections/typos.yml:1")
    grown = dataclasses.replace(doc, changes=doc.changes + [new])
    after = _numbers(grown, locked)
    assert {fp: n for fp, n in after.items() if fp in before} == before
    (fresh,) = [n for fp, n in after.items() if fp not in before]
    assert fresh == max(before.values()) + 1
    assert [r.n for r in rowlock.update([grown], {SLUG: locked})] == list(range(1, fresh + 1))
    assert rowlock.stale(grown, locked) == [f"{SLUG}.r{fresh}: new (L{line} typos)"]


def test_an_edited_row_keeps_its_number_and_the_lock_is_stale(loaded):
    doc = _doc(loaded)
    locked = rowlock.match(doc, []).rows
    i = next(i for i, c in enumerate(doc.changes) if c.kind == "typos")
    changes = list(doc.changes)
    changes[i] = dataclasses.replace(changes[i], reason=changes[i].reason + "（改写）")
    edited = dataclasses.replace(doc, changes=changes)
    assert render.row_ids(rowlock.apply(edited, locked)) == render.row_ids(rowlock.apply(doc, locked))
    n = rowlock.apply(doc, locked).rows.numbers[i]
    assert rowlock.stale(edited, locked) == [f"{SLUG}.r{n}: edited (L{changes[i].line} typos)"]
    assert rowlock.stale(doc, locked) == []


def test_a_gone_row_resolves_to_the_row_on_its_line_or_the_next(loaded):
    doc = _doc(loaded)
    locked = rowlock.match(doc, []).rows
    groups = render._group(doc.changes)
    # a row alone on its line: its number resolves to the first row after it
    k = next(k for k, g in enumerate(groups[:-1]) if sum(h[0].line == g[0].line for h in groups) == 1)
    gone_changes = set(groups[k][4])
    shrunk = dataclasses.replace(doc, changes=[c for i, c in enumerate(doc.changes) if i not in gone_changes])
    plan = rowlock.match(shrunk, locked)
    number = k + 1
    nxt = next(g for g in groups if g[0].line > groups[k][0].line)
    host = [first for first, ns in plan.gone.items() if number in ns]
    assert [shrunk.changes[first] for first in host] == [nxt[0]]
    assert number not in plan.numbers.values()
    assert [r.n for r in plan.rows] == list(range(1, len(groups) + 1))  # never dropped from the lock
    html = render.apparatus_page("t", "i", rowlock.apply(shrunk, locked), {}, render.Labels(), lambda p, a: "#")
    assert f'<span class="row-alias" id="{SLUG}.r{number}"></span>' in html


def test_the_row_lock_is_complete_and_up_to_date(loaded, lock):
    """New or edited rows need `make anchors` (and a review of git diff seeds/apparatus.lock)."""
    problems = [p for d in loaded.docs for p in rowlock.stale(d, lock.get(d.entry.slug, []))]
    assert problems == [], "run `make anchors`: " + "; ".join(problems[:5])


def test_the_lock_is_as_make_anchors_writes_it(loaded, lock):
    text = (SEEDS / "apparatus.lock").read_text(encoding="utf-8")
    assert rowlock.dump(rowlock.update(loaded.docs, lock)) == text


@pytest.mark.parametrize("line, field", [
    ("x\tr1\tL2\ttypos\t0123456789", "slug"),
    (f"{SLUG}\tr0\tL2\ttypos\t0123456789", "row"),
    (f"{SLUG}\tr1\tL2\ttypos\t012345678", "row"),
    (f"{SLUG}\tr1\t2\ttypos\t0123456789", "row"),
])
def test_a_bad_lock_line_is_one_clear_error(line, field):
    with pytest.raises(EditionError) as caught:
        rowlock.parse(f"# header\n{line}\n", {SLUG})
    assert caught.value.field == field and caught.value.line == 2


def test_a_row_locked_twice_is_an_error():
    row = f"{SLUG}\tr1\tL2\ttypos\t0123456789\n"
    with pytest.raises(EditionError, match=r"r1 is listed twice"):
        rowlock.parse(row + row, {SLUG})


def test_every_locked_row_resolves_in_both_editions(built_site, lock):
    """Every row id ever published is an id on its document's apparatus page, in both scripts
    (a live row's, or a gone row's alias)."""
    for slug, rows in lock.items():
        want = {f"{slug}.r{r.n}" for r in rows}
        for page in (built_site / slug / "apparatus" / "index.html",
                     built_site / "zh-Hant" / slug / "apparatus" / "index.html"):
            ids = set(re.findall(r'id="([^"]+\.r\d+)"', page.read_text(encoding="utf-8")))
            assert want <= ids, (page, sorted(want - ids)[:5])
