"""Punctuation: half-width marks in Chinese text -> full-width, numbers/URLs/English untouched;
one quotation style; no space between Chinese and anything else.

Data flow: line -> (line, edits). A mark , : ; ? ! becomes full-width when a neighbour
(spaces skipped) is Chinese (a CJK character or full-width punctuation), or, for a comma (or a
colon after a digit), when the line is Chinese and no space follows (English puts one
there: "OpenAI,Sam", "Topic 3:Scaling"; but "javascript:alert" stays); never between two digits (76,000, 36:07, 87.5%) or inside a URL. Paired ASCII parentheses and double quotes
become （） and “” when what they enclose, or what stands before or after them (spaces
skipped), is Chinese. Corner quotes 「」『』 become “”‘’ (the zh-Hans style; nested quotes
alternate “ ‘ “ by depth). Spaces between Chinese text and a full-width mark are dropped; then
any other space that touches a Han character or full-width punctuation inside a line (between
Chinese and Latin letters or digits: "在 Ray Summit 2024 大会上" -> "在Ray Summit 2024大会上",
mainland news practice; the site adds the visual gap with CSS text-autospace). Spaces inside
Latin runs stay (Sam Altman, GPT 4o), and so do the line's indentation, the space after a
leading list marker ("1. ", "• ") and the spaces around a URL. Last, a stray '.' after '。' goes.
"""
from __future__ import annotations

import re

from ..cjk import CHINESE, HAN
from ..cjk import RANGE as CJK
from ..model import Edit

MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_MARK = re.compile("[,:;?!]")  # the keys of MARKS
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
REASON = "中文语境中的半角标点改为全角"
QUOTE_REASON = "引号统一为简体通行的弯引号：直角引号逐对改为弯引号，嵌套的按层次交替为双、单引号（繁体版通行直角引号，仍作直角引号）"
SPACE_REASON = "中文与西文、数字或标点之间不加空格（本版体例，大陆通行排法；网页以CSS自动留出字距）"
CORNER = "「」『』"
LIST_MARKER = re.compile(r"^\s*(?:[•·]|\d{1,2}[.、．)])\s+")


def _neighbour(text: str | list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in " \u3000":  # _cjk_spaces drops both later
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL.finditer(text)]


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def _marks(text: str, edits: list[Edit]) -> str:
    """Full-width marks, to a fixed point: a mark's neighbours are read from the text as already
    converted, and passes repeat until none changes, so a run of marks ("?!?!中", "中?!?!")
    converts whole in one call (fix(fix(x)) == fix(x)). Each mark converts at most once, so
    there are at most as many passes as marks, and one Edit per mark."""
    at = [m.start() for m in _MARK.finditer(text)]  # converting keeps the length: they hold
    if not at:
        return text
    spans = _protected_spans(text)  # a URL keeps its length: the spans hold across passes
    han = HAN.search(text)
    out = list(text)
    changed = True
    while changed:
        changed = False
        for i in at:
            ch = out[i]
            if ch not in MARKS or _inside(i, spans):
                continue
            before, after = _neighbour(out, i, -1), _neighbour(out, i, 1)
            if before.isdigit() and after.isdigit():
                continue
            glued = (ch == "," or (ch == ":" and before.isdigit())) and after not in ("", " ") \
                and out[i + 1] != " " and han
            if CHINESE.match(before or " ") or CHINESE.match(after or " ") or glued:
                out[i] = MARKS[ch]
                edits.append(Edit(ch, MARKS[ch], REASON, "punct:fullwidth"))
                changed = True
    return "".join(out)


def _pairs(text: str, edits: list[Edit]) -> str:
    """ASCII ( ) and " " pairs around or after Chinese text -> （） and “”."""

    def paren(m: re.Match) -> str:
        inner = m.group(1)
        before, after = _neighbour(text, m.start(), -1), _neighbour(text, m.end() - 1, 1)
        if HAN.search(inner) or CHINESE.match(before or " ") or CHINESE.match(after or " "):
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
    return re.sub("(?<=[，。！？；：、（「]) +(?=[^ ])", drop, text)


def _stray_period(text: str, edits: list[Edit]) -> str:
    def stray(m: re.Match) -> str:
        edits.append(Edit(m.group(0), "。", "句号后多余的半角句点", "punct:stray-period"))
        return "。"

    return re.sub(r"。\.(?!\.)", stray, text)


def _quotes(text: str, edits: list[Edit]) -> str:
    """「」『』 -> “”‘’, by depth: the outermost quote is double, the next single, and so on.
    One edit per pair, written as the pair ("「」" -> "“”"); a mark without its partner alone."""
    if not any(ch in CORNER for ch in text):
        return text
    out, stack = list(text), list[tuple[int, str]]()  # stack: (index, original mark) of open quotes
    for i, ch in enumerate(text):
        if ch in "「『“‘":
            if ch in CORNER:
                out[i] = "“" if len(stack) % 2 == 0 else "‘"
            stack.append((i, ch))
        elif ch in "」』”’":
            opener = stack.pop() if stack else None
            if ch in CORNER:
                out[i] = "”" if len(stack) % 2 == 0 else "’"
            if opener and (opener[1] in CORNER or ch in CORNER):
                edits.append(Edit(opener[1] + ch, out[opener[0]] + out[i], QUOTE_REASON, "punct:quote-style"))
            elif ch in CORNER:
                edits.append(Edit(ch, out[i], QUOTE_REASON, "punct:quote-style"))
    edits += [Edit(ch, out[i], QUOTE_REASON, "punct:quote-style") for i, ch in stack if ch in CORNER]
    return "".join(out)


def _cjk_spaces(text: str, edits: list[Edit]) -> str:
    """Drop spaces that touch Chinese inside the line (indentation and list markers kept)."""
    lead = LIST_MARKER.match(text)
    keep = lead.end() if lead else 0
    urls = _protected_spans(text)

    def drop(m: re.Match) -> str:
        if m.start() < keep or _inside(m.start() - 1, urls) or _inside(m.end(), urls):
            return m.group(0)  # a URL stays apart from the text around it
        before, after = text[m.start() - 1], text[m.end()]
        if CHINESE.match(before) or CHINESE.match(after):
            edits.append(Edit(m.group(0), "", SPACE_REASON, "punct:cjk-space"))
            return ""
        return m.group(0)

    return re.sub(r"(?<=\S)[ \u3000]+(?=\S)", drop, text)


def _pass(text: str, edits: list[Edit]) -> str:
    text = _marks(text, edits)
    text = _pairs(text, edits)
    text = _marks(text, edits)  # a mark after a pair just made full-width: "（自由使用）?"
    text = _quotes(text, edits)
    text = _spaces(text, edits)
    text = _cjk_spaces(text, edits)
    return _stray_period(text, edits)


def fix(text: str) -> tuple[str, list[Edit]]:
    """Passes until one changes nothing, so fix(fix(x)) == (fix(x)[0], []): a step can give an
    earlier one new context ("()()“": the second pair converts, then the first sees it;
    "。.:": the stray '.' goes, then ':' touches '。'). A pass that changes nothing adds no
    Edit, and every change removes an ASCII mark, a corner quote, a space or a '.', so it ends."""
    edits: list[Edit] = []
    while True:
        out = _pass(text, edits)
        if out == text:
            return out, edits
        text = out
