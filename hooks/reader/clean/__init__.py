"""Clean: raw seed text -> cleaned Simplified lines + the list of every change.

Data flow: run(entry, text, tables) splits the seed into Lines (keeping source line numbers),
then applies one stage per artifact class, in this order:
  boilerplate (drop site furniture) -> mojibake (GBK realignment) -> pinyin (drop annotations)
  -> overconversion (Traditional/Taiwan phrases -> Simplified, plus the curated table)
  -> names (glued names) -> typos -> punctuation (half-width -> full-width in Chinese text).
Each stage is a pure function; run() turns their Edits into Changes with the line number.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import CatalogEntry, Change, Edit, Line
from . import boilerplate, mojibake, names, overconversion, pinyin, punctuation, typos
from .table import Rule

LineFix = Callable[[str], "tuple[str, list[Edit]]"]


@dataclass
class Tables:
    """The curated correction tables (seeds/corrections/*.yml), already validated."""

    boilerplate: list[boilerplate.LineRule] = field(default_factory=list)
    protect: list[Rule] = field(default_factory=list)
    overconversion: list[Rule] = field(default_factory=list)
    names: list[Rule] = field(default_factory=list)
    typos: list[Rule] = field(default_factory=list)
    #: The editor's readings of lost pairs the n-grams leave illegible (conjectures.yml).
    conjectures: list[mojibake.EditorReading] = field(default_factory=list)
    #: Character n-grams of all the seeds: the mojibake stage's evidence for conjectures
    #: (corpus.load sets it; None: lost pairs stay '□□').
    ngrams: mojibake.Ngrams | None = None


def _per_line(doc: str, kind: str, lines: list[Line], fix: LineFix) -> tuple[list[Line], list[Change]]:
    out, changes = [], []
    for line in lines:
        text, edits = fix(line.text)
        out.append(Line(line.no, text))
        changes += [Change(doc, line.no, kind, e.before, e.after, e.reason, e.rule) for e in edits]
    return out, changes


def run(entry: CatalogEntry, text: str, tables: Tables) -> tuple[list[Line], list[Change]]:
    """Clean one seed; returns its non-empty cleaned lines and every change made."""
    doc = entry.slug
    lines = [Line(i, t) for i, t in enumerate(text.split("\n"), start=1)]
    lines, changes = boilerplate.fix(doc, lines, tables.boilerplate, entry.title_line)
    stages: list[tuple[str, LineFix]] = [
        ("mojibake", mojibake.fixer(tables.ngrams, [r for r in tables.conjectures if r.doc == doc])),
        ("pinyin", pinyin.fix),
        ("overconversion", overconversion.fixer(entry.source_script, tables.protect,
                                                 [r for r in tables.overconversion if r.applies(doc)])),
        ("names", names.fixer([r for r in tables.names if r.applies(doc)])),
        ("typos", typos.fixer([r for r in tables.typos if r.applies(doc)])),
        ("punctuation", punctuation.fix),
    ]
    for kind, fix in stages:
        before = lines
        lines, more = _per_line(doc, kind, lines, fix)
        changes += more
        if kind == "overconversion" and entry.source_script != "zh-Hans":
            touched = sum(1 for a, b in zip(before, lines) if a.text != b.text)
            changes.append(Change(doc, 0, "script", "繁体", "简体",
                                  overconversion.summary_reason(entry.source_script, touched),
                                  f"opencc:{overconversion.CONFIG[entry.source_script]}"))
    return [ln for ln in lines if ln.text.strip()], changes
