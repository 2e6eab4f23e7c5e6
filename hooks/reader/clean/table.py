"""Table rules: one curated find -> replace entry with its reason.

Data flow: read.py's YAML data -> parse_rules() -> list[Rule]; a stage calls apply(text, rules)
-> (text, edits). Rules apply in table order, each to every occurrence, left to right.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import limits
from ..model import Edit, EditionError

if TYPE_CHECKING:
    from ..read import LineDict

FIELDS = {"find", "replace", "reason", "docs", "note"}


@dataclass(frozen=True)
class Rule:
    find: str
    replace: str
    reason: str
    docs: tuple[str, ...] = ()  # empty: every document
    line: int = 0  # where it stands in its table, for error messages and the dead-rule test
    table: str = ""

    def applies(self, doc: str) -> bool:
        return not self.docs or doc in self.docs

    @property
    def id(self) -> str:
        return f"{self.table}:{self.line}"


def parse_rules(data: Any, file: str, slugs: set[str], need_replace: bool = True) -> list[Rule]:
    """Validate a table: a list of {find, replace, reason, docs?}; sorted by find, no duplicates."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise EditionError(file, 1, "table", "must be a list of entries")
    rules: list[Rule] = []
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "entry", f"must be a mapping, got {limits.quote(raw)}")
        for key in raw:
            if key not in FIELDS:
                raise EditionError(file, raw.key_lines[key], key, "unknown field")
        for key in ("find", "reason") + (("replace",) if need_replace else ()):
            value = raw.get(key)
            if not isinstance(value, str) or (key != "replace" and not value.strip()):
                raise EditionError(file, raw.key_lines.get(key, line), key, "missing or not text")
        docs = raw.get("docs", [])
        if not isinstance(docs, list) or any(not isinstance(d, str) or d not in slugs for d in docs):
            raise EditionError(file, raw.key_lines.get("docs", line), "docs",
                               f"{limits.quote(docs)}: each must be a catalog slug")
        rules.append(Rule(raw["find"], raw.get("replace", raw["find"]), raw["reason"],
                          tuple(docs), line, file))
    keys = [(r.find, r.docs) for r in rules]
    for prev, cur, rule in zip(keys, keys[1:], rules[1:]):
        if cur == prev:
            raise EditionError(file, rule.line, "find", f"{limits.quote(rule.find)} is listed twice")
        if cur[0] < prev[0]:
            raise EditionError(file, rule.line, "find", f"{limits.quote(rule.find)} is out of order: keep the table sorted by find")
    return rules


def apply(text: str, rules: list[Rule]) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    for rule in rules:
        if rule.find in text:
            count = text.count(rule.find)
            text = text.replace(rule.find, rule.replace)
            edits += [Edit(rule.find, rule.replace, rule.reason, rule.id)] * count
    return text, edits


def fixer(rules: list[Rule]):
    return lambda text: apply(text, rules)
