#!/usr/bin/env python3
"""Synthetic corpora for the bench's scaling figures: N times the seeds, as N times the documents.

Data flow::

    project root (mkdocs*.yml, hooks/, overrides/, docs/, seeds/, tools/)
        |  copied into DEST (the real project is never touched)
        v
    DEST/seeds/<stem>-xNNN.txt           copies of the five seeds (byte-identical), new names
    DEST/seeds/catalog.yml               + one entry per copy: the original's entry with slug
                                           <slug>-xNNN and seed <stem>-xNNN.txt
    DEST/seeds/anchors.lock              + the original's lines under the copy's slug (extended:
                                           a copy publishes the anchors its original does)
    DEST/seeds/timeline.yml              + `ignored` entries for every date expression of a copy
                                           (the original's refs under the new slug), so the
                                           timeline's completeness check holds
    DEST/seeds/SHA256SUMS                recorded afresh
    DEST/hooks/reader/safeio.py          MAX_DOCUMENTS and LOCK_LIMIT raised for this copy only
                                           (500 documents and their lock exceed the real limits)
    DEST/seeds/*.yml                     entries scoped to a document (a table rule's `doc` or
                                           `docs`, structure.yml's layouts, `at: slug#anchor` of
                                           speakers.yml and notes.yml) repeated for its copies,
                                           so a copy reads exactly as its original (comments dropped)

Usage: .venv/bin/python tools/synth.py DEST [--factor 10]
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPY = ("mkdocs.yml", "mkdocs.zh-Hant.yml", "hooks", "overrides", "docs", "seeds", "tools")
IGNORE = shutil.ignore_patterns("__pycache__", "node_modules", ".cache")
REASON = "合成副本（tools/synth.py），不立事件"


def copy_name(name: str, n: int) -> str:
    """seed file or slug of copy n: 001_x.txt -> 001_x-x002.txt; a-b -> a-b-x002."""
    stem, dot, ext = name.rpartition(".") if name.endswith(".txt") else (name, "", "")
    return f"{stem}-x{n:03d}{dot}{ext}"


def entry_blocks(catalog: str) -> list[str]:
    """The catalog's entries as text blocks, each from its `- slug:` line to the next."""
    starts = [m.start() for m in re.finditer(r"(?m)^- slug: ", catalog)]
    return [catalog[a:b].rstrip("\n") + "\n" for a, b in zip(starts, [*starts[1:], len(catalog)])]


def copy_entry(block: str, n: int) -> str:
    block = re.sub(r"(?m)^(- slug: )(\S+)", lambda m: m.group(1) + copy_name(m.group(2), n), block, count=1)
    return re.sub(r"(?m)^(  seed: )(\S+)", lambda m: m.group(1) + copy_name(m.group(2), n), block, count=1)


def timeline_refs(data: dict) -> list[tuple[str, str, str]]:
    """(slug, anchor, text) of every date expression the timeline accounts for, in file order."""
    out = []
    for event in data.get("events") or []:
        for passage in event.get("passages") or []:
            slug, _, anchor = passage["ref"].partition("#")
            out += [(slug, anchor, str(text)) for text in passage.get("dates") or []]
    for item in data.get("ignored") or []:
        slug, _, anchor = item["ref"].partition("#")
        out.append((slug, anchor, str(item["text"])))
    return list(dict.fromkeys(out))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # the project's YAML reader refuses aliases
        return True


def _slug_of(item, slugs: list[str]) -> str | None:
    if isinstance(item, dict):
        if item.get("doc") in slugs:
            return item["doc"]
        at = str(item.get("at", ""))
        if "#" in at and at.split("#", 1)[0] in slugs:
            return at.split("#", 1)[0]
    return None


def _renamed(item, slug: str, n: int):
    item = copy.deepcopy(item)
    if item.get("doc") == slug:
        item["doc"] = copy_name(slug, n)
    if str(item.get("at", "")).startswith(slug + "#"):
        item["at"] = copy_name(slug, n) + item["at"][len(slug):]
    return item


def extend_data(data, slugs: list[str], factor: int):
    """A data file's content with each original's slug-scoped entries repeated for its copies:
    a mapping keyed by slug (structure.yml) gets the copies' keys; a list entry with `doc` or
    `at: slug#anchor` is repeated right after its original's entries (the tables stay sorted);
    a `docs: [...]` list gets the copies of the slugs it names."""
    copies = range(2, factor + 1)
    if isinstance(data, dict):
        out = dict(data)
        for name in slugs:
            if name in data:
                out.update({copy_name(name, n): copy.deepcopy(data[name]) for n in copies})
        return out
    if not isinstance(data, list):
        return data
    first: dict[str, int] = {}
    rows = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and isinstance(item.get("docs"), list):
            item = dict(item, docs=sorted(item["docs"] + [copy_name(d, n) for d in item["docs"] if d in slugs
                                                           for n in copies]))
        slug = _slug_of(item, slugs)
        if slug is None:
            rows.append(((i, 0, i), item))
            continue
        group = first.setdefault(slug, i)
        rows.append(((group, 1, i), item))
        rows += [((group, n, i), _renamed(item, slug, n)) for n in copies]
    return [item for _, item in sorted(rows, key=lambda r: r[0])]


def synthesize(dest: Path, factor: int, src: Path = ROOT) -> Path:
    """A copy of the project at ``dest`` with ``factor`` times the seeds (factor - 1 copies of
    each); returns ``dest``. factor 1 is a plain copy."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        path = src / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=IGNORE, dirs_exist_ok=True)
        elif path.is_file():
            shutil.copy2(path, dest / name)
    seeds = dest / "seeds"
    catalog = (seeds / "catalog.yml").read_text(encoding="utf-8")
    blocks = entry_blocks(catalog)
    entries = yaml.safe_load(catalog)
    lock = (seeds / "anchors.lock").read_text(encoding="utf-8")
    lock_lines = [ln for ln in lock.splitlines() if ln and not ln.startswith("#")]
    timeline = seeds / "timeline.yml"
    refs = timeline_refs(yaml.safe_load(timeline.read_text(encoding="utf-8"))) if timeline.is_file() else []
    new_entries, new_lock, new_ignored = [], [], []
    for n in range(2, factor + 1):
        for entry, block in zip(entries, blocks):
            slug, seed = entry["slug"], entry["seed"]
            shutil.copyfile(seeds / seed, seeds / copy_name(seed, n))
            new_entries.append(copy_entry(block, n))
            new_lock += [copy_name(slug, n) + ln[len(slug):] for ln in lock_lines if ln.startswith(slug + "\t")]
            new_ignored += [f"  - {{ref: {copy_name(s, n)}#{a}, text: {json.dumps(t, ensure_ascii=False)}, "
                            f"reason: {REASON}}}\n" for s, a, t in refs if s == slug]
    if new_entries:
        (seeds / "catalog.yml").write_text(catalog.rstrip("\n") + "\n\n" + "\n".join(new_entries), encoding="utf-8")
        (seeds / "anchors.lock").write_text(lock.rstrip("\n") + "\n" + "\n".join(new_lock) + "\n", encoding="utf-8")
        if timeline.is_file():
            text = timeline.read_text(encoding="utf-8")
            timeline.write_text(text.rstrip("\n") + "\n" + "".join(new_ignored), encoding="utf-8")
    slugs = [e["slug"] for e in entries]
    for path in sorted(seeds.rglob("*.yml")):
        if factor == 1 or path.name in ("catalog.yml", "timeline.yml") or path.parent.name == "checks":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        grown = extend_data(data, slugs, factor)
        if grown != data:
            path.write_text(yaml.dump(grown, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000),
                            encoding="utf-8")
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(seeds.glob("*.txt")))
    (seeds / "SHA256SUMS").write_text(sums, encoding="utf-8")
    safeio = dest / "hooks" / "reader" / "safeio.py"
    text = safeio.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^MAX_DOCUMENTS = \d+", f"MAX_DOCUMENTS = {max(200, 5 * factor * 2)}", text)
    text = re.sub(r"(?m)^LOCK_LIMIT = .*", f"LOCK_LIMIT = {max(4, factor)} * MiB", text)
    safeio.write_text(text, encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args(argv)
    if args.dest.exists() and any(args.dest.iterdir()):
        parser.error(f"{args.dest} exists and is not empty")
    synthesize(args.dest, args.factor)
    print(f"{args.dest}: {len(list((args.dest / 'seeds').glob('*.txt')))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
