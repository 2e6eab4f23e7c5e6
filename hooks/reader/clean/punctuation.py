"""Punctuation: half-width marks in Chinese text -> full-width, numbers/URLs/English untouched.

Data flow: line -> (line, edits). A mark , : ; ? ! becomes full-width when a neighbour
(spaces skipped) is Chinese (a CJK character or full-width punctuation), or, for a comma (or a
colon after a digit), when the line is Chinese and no space follows (English puts one
there: "OpenAI,Sam", "Topic 3:Scaling"; but "javascript:alert" stays); never between two digits (76,000, 36:07, 87.5%) or inside a URL. Paired ASCII parentheses and double quotes
become （） and “” when what they enclose, or what stands before them, is Chinese. Spaces
between Chinese text and a full-width mark are dropped, and a stray '.' after '。' too.
"""
from __future__ import annotations

import re

from ..model import Edit

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_PUNCT = "，。！？；：、“”‘’（）《》「」『』【】…—·"
CHINESE = re.compile(f"[{CJK}{FULL_PUNCT}]")
HAN = re.compile(f"[{CJK}]")
MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
REASON = "中文语境中的半角标点改为全角"


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL.finditer(text)]


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def _marks(text: str, edits: list[Edit]) -> str:
    spans = _protected_spans(text)
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in MARKS or _inside(i, spans):
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if before.isdigit() and after.isdigit():
            continue
        glued = (ch == "," or (ch == ":" and before.isdigit())) and after not in ("", " ") \
            and text[i + 1] != " " and HAN.search(text)
        if CHINESE.match(before or " ") or CHINESE.match(after or " ") or glued:
            out[i] = MARKS[ch]
            edits.append(Edit(ch, MARKS[ch], REASON, "punct:fullwidth"))
    return "".join(out)


def _pairs(text: str, edits: list[Edit]) -> str:
    """ASCII ( ) and " " pairs around or after Chinese text -> （） and “”."""

    def paren(m: re.Match) -> str:
        inner, start = m.group(1), m.start()
        before = text[start - 1] if start else ""
        if HAN.search(inner) or (before and CHINESE.match(before)):
            edits.append(Edit(m.group(0), f"（{inner}）", REASON, "punct:parens"))
            return f"（{inner}）"
        return m.group(0)

    def quote(m: re.Match) -> str:
        inner = m.group(1)
        if HAN.search(inner):
            edits.append(Edit(m.group(0), f"“{inner}”", REASON, "punct:quotes"))
            return f"“{inner}”"
        return m.group(0)

    spans = _protected_spans(text)
    if not spans:
        text = re.sub(r"\(([^()]*)\)", paren, text)
    return re.sub(r'"([^"]*)"', quote, text)


def _spaces(text: str, edits: list[Edit]) -> str:
    def drop(m: re.Match) -> str:
        edits.append(Edit(m.group(0), m.group(0).replace(" ", ""), "中文与全角标点之间的多余空格", "punct:space"))
        return m.group(0).replace(" ", "")

    text = re.sub(f"(?<=[{CJK}\\w]) +(?=[，。！？；：、）」])", drop, text)
    text = re.sub("(?<=[，。！？；：、（「]) +(?=[^ ])", drop, text)

    def stray(m: re.Match) -> str:
        edits.append(Edit(m.group(0), "。", "句号后多余的半角句点", "punct:stray-period"))
        return "。"

    return re.sub(r"。\.(?!\.)", stray, text)


def fix(text: str) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    text = _marks(text, edits)
    text = _pairs(text, edits)
    text = _spaces(text, edits)
    return text, edits
