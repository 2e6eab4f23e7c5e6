"""Limits on what data files may ask of the build: bounded messages and bounded regexes.

Data flow: a value from a data file -> quote() -> a short repr for an EditionError message;
a regex from a data file (boilerplate.yml `pattern`, structure.yml `heading`) -> compile()
-> Pattern (checked: text, length, syntax) -> fullmatch() with a timeout per match and a
time budget per pattern and load, so a catastrophic pattern like `(a|aa)+$` is an
EditionError naming the table, its line and field, never a hang. Pure: no I/O.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import regex

from .model import EditionError

#: Characters of a value quoted in an error message (its repr, cut with "…").
QUOTE = 60
#: Deepest nesting of lists and mappings a YAML data file may use (the real files use 4).
MAX_DEPTH = 50
#: Longest regular expression a data file may give.
MAX_PATTERN = 200
#: Seconds one match of a data-supplied pattern may take, and all its matches in one load.
TIMEOUT = 0.5
BUDGET = 2.0


def quote(value: object, limit: int = QUOTE) -> str:
    """repr(value), at most `limit` characters: messages never print a whole expanded value."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]  # no need to repr a megabyte to show sixty characters
        text = repr(value)
    else:
        try:
            text = repr(value)
        except RecursionError:
            text = f"<a {type(value).__name__} nested too deeply to show>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(eq=False)
class Pattern:
    """A data-supplied regex with where it was given, for bounded matching."""

    source: str
    file: str
    line: int
    field_name: str
    compiled: regex.Pattern = field(repr=False, default=None)
    spent: float = 0.0  # seconds used by all matches so far

    def fullmatch(self, text: str, where: str) -> bool:
        """Does the whole text match? `where` names the text for the message, e.g.
        'seed 2024-…-doc line 12'. Too slow: EditionError naming the table, line and field."""
        left = BUDGET - self.spent
        start = time.perf_counter()
        try:
            return self.compiled.fullmatch(text, timeout=max(0.01, min(TIMEOUT, left))) is not None
        except TimeoutError:
            raise EditionError(self.file, self.line, self.field_name,
                               f"pattern took too long on {where} (over {TIMEOUT} s per line, "
                               f"{BUDGET} s in all): simplify it (no nested repeats like (a+)+ "
                               f"or overlapping alternatives like (a|aa)+)") from None
        finally:
            self.spent += time.perf_counter() - start


def compile(source: object, file: str, line: int, field_name: str) -> Pattern:
    """Check a data-supplied regex: text, at most MAX_PATTERN characters, valid syntax."""
    if not isinstance(source, str) or not source:
        raise EditionError(file, line, field_name, f"must be a regular expression (text), got {quote(source)}")
    if len(source) > MAX_PATTERN:
        raise EditionError(file, line, field_name,
                           f"pattern is {len(source)} characters long; at most {MAX_PATTERN}: simplify it")
    try:
        compiled = regex.compile(source)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        raise EditionError(file, line, field_name, f"bad regex: {quote(str(exc), 120)}") from None
    return Pattern(source, file, line, field_name, compiled)
