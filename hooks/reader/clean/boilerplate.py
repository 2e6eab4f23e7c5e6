"""Boilerplate: drop whole lines of site furniture (widgets, pagers, bylines, lost captions).

Data flow: (doc, lines, rules from seeds/corrections/boilerplate.yml, title_line) ->
(kept lines, one Change per dropped line). A rule matches a line's stripped text exactly
(`line:`) or by a regular expression (`pattern:`), optionally only at seed line `at:`. The catalog's title line is moved to the
page title and logged as kind "title". Nothing is dropped without a rule and its reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import limits
from ..model import Change, EditionError, Line

if TYPE_CHECKING:
    from ..read import LineDict


@dataclass(frozen=True)
class LineRule:
    doc: str
    reason: str
    line_text: str = ""
    pattern: str = ""
    line: int = 0
    table: str = ""
    at: int = 0  # when set, only this 1-based seed line may match
    matcher: limits.Pattern | None = field(default=None, compare=False, repr=False)  # `pattern`, bounded

    @property
    def id(self) -> str:
        return f"{self.table}:{self.line}"

    def matches(self, doc: str, text: str, no: int = 0) -> bool:
        if doc != self.doc or (self.at and no != self.at):
            return False
        stripped = text.strip()
        if self.line_text:
            return stripped == self.line_text
        matcher = self.matcher or limits.compile(self.pattern, self.table, self.line, "pattern")
        return matcher.fullmatch(stripped, f"seed {doc} line {no}")


def parse_rules(data: Any, file: str, slugs: set[str]) -> list[LineRule]:
    if not isinstance(data, list):
        raise EditionError(file, 1, "table", "must be a list of entries")
    rules = []
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "entry", "must be a mapping")
        for key in raw:
            if key not in ("doc", "line", "pattern", "reason", "at"):
                raise EditionError(file, raw.key_lines[key], key, "unknown field")
        doc, reason = raw.get("doc"), raw.get("reason")
        if not isinstance(doc, str) or doc not in slugs:
            raise EditionError(file, raw.key_lines.get("doc", line), "doc", f"{limits.quote(doc)} is not a catalog slug")
        if not isinstance(reason, str) or not reason.strip():
            raise EditionError(file, raw.key_lines.get("reason", line), "reason", "missing")
        text, pattern = raw.get("line", ""), raw.get("pattern", "")
        if bool(text) == bool(pattern) or not isinstance(text or pattern, str):
            raise EditionError(file, line, "line", "give exactly one of `line` (text) or `pattern` (regex)")
        matcher = limits.compile(pattern, file, raw.key_lines["pattern"], "pattern") if pattern else None
        at = raw.get("at", 0)
        if not isinstance(at, int) or isinstance(at, bool) or at < 0:
            raise EditionError(file, raw.key_lines.get("at", line), "at", "must be a seed line number")
        rules.append(LineRule(doc, reason, str(text).strip(), pattern, line, file, at, matcher))
    keys = [(r.doc, r.line_text or r.pattern) for r in rules]
    for prev, cur, rule in zip(keys, keys[1:], rules[1:]):
        if cur <= prev:
            raise EditionError(file, rule.line, "line", "duplicate or out of order: keep the table sorted by doc, then text")
    return rules


def fix(doc: str, lines: list[Line], rules: list[LineRule], title_line: int = 0) -> tuple[list[Line], list[Change]]:
    kept: list[Line] = []
    changes: list[Change] = []
    for line in lines:
        if title_line and line.no == title_line:
            changes.append(Change(doc, line.no, "title", line.text.strip(), "",
                                  "标题行：移作页面标题（见目录卡片）", "catalog:title_line"))
            continue
        rule = next((r for r in rules if line.text.strip() and r.matches(doc, line.text, line.no)), None)
        if rule is None:
            kept.append(line)
        else:
            changes.append(Change(doc, line.no, "boilerplate", line.text.strip(), "", rule.reason, rule.id))
    return kept, changes


#: A web pager: "共3 页", "上一页", "下一页", "1/3页". Its removal means the article may go on
#: elsewhere, so the catalog must say whether the seed is complete (corpus.check_completeness).
PAGER = re.compile(r"共\s*\d+\s*页|[上下]一页|\d+\s*/\s*\d+\s*页")


def pagers(changes) -> list:
    """The removed lines that were a pager."""
    return [c for c in changes if c.kind == "boilerplate" and PAGER.search(c.before)]
