"""Overconversion: Traditional / Taiwan-phrase text -> the Simplified base text.

Data flow: (line, source_script, protect rules, curated rules) -> (line, edits).
- zh-TW seeds (machine-converted with Taiwan phrases, e.g. 擴充套件, 網際網路, 釋出) go
  through OpenCC tw2sp, which undoes most phrase over-conversion; phrases in the `protect`
  table (seeds/corrections/protect.yml) are converted character by character (t2s) because
  tw2sp would change their meaning (類比 is an analogy, not 模拟).
- zh-Hant seeds go through tw2s (characters only; unlike t2s it also turns 隨著 into 随着); zh-Hans seeds are left as they are.
- Then the curated table (seeds/corrections/overconversion.yml) fixes what OpenCC misses
  (套用 -> 应用, 實作 -> 实现, 轉譯 -> 翻译, garbles).
Only phrase-level changes are logged one by one; the character-level script conversion is
summarised once per document by the pipeline.
"""
from __future__ import annotations

import difflib
import re
from functools import cache

from ..model import Edit
from . import table
from .table import Rule

TAIWAN_REASON = "台湾用语回改（OpenCC tw2sp）：原文经简转繁时被替换为台湾用语"


@cache
def converter(config: str):
    """The process's one OpenCC converter for `config` (t2s, tw2sp, tw2s, s2tw), shared by the
    clean stages, readings and script: building one loads its dictionaries (s2tw and tw2sp
    ~0.15 s each), and converting is stateless."""
    import opencc  # imported lazily: the module name must never shadow the library

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str) -> str:
    return converter(config).convert(text)


@cache
def _phrases(finds: frozenset[str]) -> re.Pattern:
    """One alternation of the phrases, longest first: at each position the longest one that
    starts there matches (two phrases of one length cannot both)."""
    return re.compile("|".join(re.escape(p) for p in sorted(finds, key=len, reverse=True)))


def _split_protected(text: str, protect: list[Rule]) -> list[tuple[str, bool]]:
    """Split text into (piece, protected?) runs, left to right, longest protected phrase first."""
    pieces: list[tuple[str, bool]] = []
    start = 0
    if protect:
        for hit in _phrases(frozenset(r.find for r in protect)).finditer(text):
            if start < hit.start():
                pieces.append((text[start:hit.start()], False))
            pieces.append((hit.group(), True))
            start = hit.end()
    if start < len(text):
        pieces.append((text[start:], False))
    return pieces


def _word_bounds(text: str) -> list[tuple[int, int]]:
    """Word spans of a Simplified string (jieba), to widen edits to whole words."""
    import jieba

    from ..safeio import jieba_cache

    spans, pos = [], 0
    for word in jieba_cache(jieba.dt).cut(text, HMM=False):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


def _map(opcodes, i: int, end: bool) -> int:
    """Position in the second string that corresponds to position i of the first
    (a start takes the earliest match, an end the latest, so inserts stay inside)."""
    ops = reversed(opcodes) if end else opcodes
    for tag, i1, i2, j1, j2 in ops:
        if (i2 if end else i1) == i:
            return j2 if end else j1
        if i1 < i < i2:
            return j1 + (i - i1) if tag == "equal" else (j2 if end else j1)
    return opcodes[-1][4] if end and opcodes else 0


def _phrase_edits(original: str, chars: str, phrases: str) -> list[Edit]:
    """Edits where tw2sp (phrases) differs from t2s (chars), widened to whole words."""
    opcodes = difflib.SequenceMatcher(None, chars, phrases, autojunk=False).get_opcodes()
    words = _word_bounds(chars)
    spans: list[list[int]] = []
    for tag, i1, i2, _, _ in opcodes:
        if tag == "equal":
            continue
        a = min((w0 for w0, w1 in words if w0 <= i1 < w1), default=i1)
        b = max((w1 for w0, w1 in words if w0 < max(i2, i1 + 1) <= w1), default=i2)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    same_length = len(original) == len(chars)
    edits = []
    for a, b in spans:
        before = original[a:b] if same_length else chars[a:b]
        after = phrases[_map(opcodes, a, False):_map(opcodes, b, True)]
        edits.append(Edit(before, after, TAIWAN_REASON, "opencc:tw2sp"))
    return edits


def convert_line(text: str, script: str, protect: list[Rule]) -> tuple[str, list[Edit]]:
    """Convert one line; zh-TW lines also report each protected phrase met, as an edit
    that keeps its meaning (so the apparatus shows it, and a dead entry shows up)."""
    if script == "zh-Hans":
        return text, []
    if script == "zh-Hant":
        return to_simplified(text, "tw2s"), []
    rules = {r.find: r for r in protect}
    out, kept = [], []
    for piece, protected in _split_protected(text, protect):
        if protected:
            out.append(to_simplified(piece, "t2s"))
            kept.append(Edit(piece, out[-1], rules[piece].reason, rules[piece].id))
        else:
            out.append(to_simplified(piece, "tw2sp"))
    result = "".join(out)
    chars = to_simplified(text, "t2s")
    return result, kept + (_phrase_edits(text, chars, result) if result != chars else [])


CONFIG = {"zh-TW": "tw2sp", "zh-Hant": "tw2s"}


def summary_reason(script: str, lines: int) -> str:
    return (f"全文由繁体转为简体（OpenCC {CONFIG[script]}），逐字转换不逐条列出；涉及{lines}行。"
            "词语层面的改动（台湾用语回改）另行逐条列出")


def fixer(script: str, protect: list[Rule], curated: list[Rule]):
    def fix(text: str) -> tuple[str, list[Edit]]:
        text, edits = convert_line(text, script, protect)
        text, more = table.apply(text, curated)
        return text, edits + more

    return fix
