"""Repair GBK byte-misalignment mojibake and lost bytes.

Data flow: one line of text (no newline) goes in; the repaired line comes out with one
Edit per change. Pure: nothing is read from disk; jieba's dictionary and OpenCC's
Traditional-to-Simplified table (both shipped with their packages) are loaded once.
Run it before pinyin.fix: the repaired text still carries pinyin annotations.

The damage. At some point the text (Traditional Chinese with pinyin readings) was GBK
bytes (Windows cp936, where byte 0x80 is '€') decoded one byte out of step, and a byte
was lost and shown as '?'. A damaged spot reads, left to right:

    '?'        the lost lead byte L of the first character;
    remnant    optionally, a pinyin reading that lost its '(' in the same accident
               ('nèi)'): it is removed;
    run        characters whose bytes are the trail of one real character followed by
               the lead of the next ('萍' = c6 bc is the trail of 科 and the lead of 技);
               ASCII ',' '?' '!' ':' ';' stand for the full-width marks the text used
               (a3 ac, a3 bf, ...), as elsewhere in these seeds;
    end        a character whose single byte is really the last trail byte: an ASCII
               character 0x40-0x7e ('P' = 0x50 of 關 = ea 50) or '€' (0x80 of 個 = 82 80),
               followed by Chinese text or a '(' reading; or a second '?' (a lost trail
               byte), optionally followed by a remnant.

Re-encoding the run to bytes and decoding it with the lost byte(s) in front (and
behind) puts every character back in step. Example: '??萍冀缬泻芏嚓P' is '?' + run
'？萍冀缬泻芏嚓' (a3 bf c6 bc ... e0 ea) + end 'P' (50), read as [L a3] [bf c6] ...
[ea 50] = ?科技界有很多關, where ? is a character with trail byte a3. A lost byte is inferred: among all GBK
characters that the known byte allows, take the one that forms a word with its
neighbour in jieba's dictionary (looked up in Simplified form via OpenCC t2s), unless
the neighbour already forms a stronger word on its other side; a word used elsewhere in
the same line beats a merely more frequent one; with no word, a character with trail
byte a3 is taken as the full stop '。' (a1 a3), anything else as '□'. A re-read character
that is not plausible (see `plausible`) shows that more bytes were lost inside it: its
two bytes are the lead of one character and the trail of another, so it becomes '□□'
(U+25A1, the editors' mark for an illegible character). A spot is repaired only if the
repaired text is more plausible than the damaged one, so an ordinary '?' stays.

Edits, per spot: 'gbk-realign' (before = the whole damaged spot, after = its repair),
then the details inside it: 'lost-lead-byte' / 'lost-trail-byte' (before '?', after the
inferred character, reason = why), 'pinyin-remnant' (the remnant, removed) and
'illegible' (before = the implausible character the re-reading gave, after '□□').

Left over are runs of two or more '?' next to Chinese text that are not such a spot: a
character outside the BMP (most likely an emoji) that a UTF-16 program wrote to GBK as
two '?'. They are removed, not guessed; an odd '?' among them is the author's question
mark and is kept as '？'. A '?' run with no Chinese beside it ('what??') is left alone.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import pinyin
from ..model import Edit

EURO = "€"  # cp936 byte 0x80, which Python's gbk codec does not know
ILLEGIBLE = "□"
FULL_STOP = "。"
QUESTION_MARK = "？"

#: ASCII marks that stand for the full-width GBK marks the damaged text had.
FULL_WIDTH = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}

#: A character this frequent in jieba's dictionary is plausible on its own (的, 在, 快 ...):
#: about the 5% most frequent of GB2312's characters, so a random one rarely passes.
COMMON_CHAR_FREQ = 10_000

#: The longest run tried (seed 001's longest is 7): keeps a line of many '?' fast.
MAX_RUN = 40

#: What a reading looks like once its '(' is gone.
REMNANT = re.compile(pinyin.SYLLABLE + r"\)")

#: Pinyin readings, ignored when looking at a character's neighbours.
READINGS = re.compile(f"[(（]{pinyin.SYLLABLE}[)）]")

CJK = re.compile(f"[{pinyin.CJK}]")


# --- bytes -------------------------------------------------------------------------


def double_bytes(char: str) -> bytes | None:
    """The two GBK bytes of `char` (ASCII marks read as full-width), or None."""
    char = FULL_WIDTH.get(char, char)
    try:
        data = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data if len(data) == 2 else None


def end_byte(char: str) -> int | None:
    """The byte of a character that can end a run (a GBK trail byte read alone), or None."""
    if char == EURO:
        return 0x80
    if 0x40 <= ord(char) <= 0x7E:
        return ord(char)
    return None


def decode_pair(lead: int, trail: int) -> str | None:
    """The one character that GBK bytes lead+trail encode, or None."""
    if lead < 0x81:
        return None
    try:
        text = bytes([lead, trail]).decode("gbk")
    except UnicodeDecodeError:
        return None
    return text if len(text) == 1 else None


@functools.lru_cache(maxsize=None)
def with_lead(trail: int) -> tuple[str, ...]:
    """All GBK characters whose trail byte is `trail`, by lead byte."""
    found = (decode_pair(lead, trail) for lead in range(0x81, 0xFF))
    return tuple(char for char in found if char)


@functools.lru_cache(maxsize=None)
def with_trail(lead: int) -> tuple[str, ...]:
    """All GBK characters whose lead byte is `lead`, by trail byte."""
    found = (decode_pair(lead, trail) for trail in range(0x40, 0xFF))
    return tuple(char for char in found if char)


# --- dictionary ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _dictionary():
    """jieba's word frequencies (Simplified) and an OpenCC t2s converter, loaded once."""
    import jieba
    import opencc

    jieba.initialize()
    return jieba.dt.FREQ, opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def word_freq(word: str) -> int:
    """How often `word` occurs in jieba's dictionary, looked up in Simplified; 0 if absent."""
    if not word or not all(CJK.match(char) for char in word):
        return 0
    freq, t2s = _dictionary()
    return freq.get(t2s.convert(word), 0) or 0


def plausible(context: str, index: int) -> bool:
    """Whether context[index] reads as real text.

    '□' is not. Anything else that is not a CJK character is. A CJK character is if it
    is very common on its own (COMMON_CHAR_FREQ) or lies inside a word of two to four
    characters of `context` that jieba's dictionary knows.
    """
    char = context[index]
    if char == ILLEGIBLE:
        return False
    if not CJK.match(char) or word_freq(char) >= COMMON_CHAR_FREQ:
        return True
    for size in (2, 3, 4):
        for start in range(index - size + 1, index + 1):
            if start >= 0 and start + size <= len(context) and word_freq(context[start:start + size]):
                return True
    return False


def choose(candidates: tuple[str, ...], left: str, right: str, line: str) -> tuple[str, str]:
    """Pick the lost character among `candidates` by the words it forms; (char, word).

    A candidate counts with the word it forms with its left or right neighbour, unless
    that neighbour forms a more frequent word on its other side (專科 loses to 科技).
    Best is a word that occurs elsewhere in the line, then the most frequent word, then
    the lowest byte. With no word: '。' if it is a candidate, otherwise '□'; word is "".
    """
    best: tuple[bool, int] | None = None
    chosen, chosen_word = "", ""
    left_word = word_freq(left[-2:]) if len(left) >= 2 else 0  # the neighbours' own words
    right_word = word_freq(right[:2]) if len(right) >= 2 else 0
    for char in candidates:
        words = []
        if left and word_freq(left[-1] + char) > left_word:
            words.append(left[-1] + char)
        if right and word_freq(char + right[0]) > right_word:
            words.append(char + right[0])
        for word in words:
            score = (word in line, word_freq(word))
            if best is None or score > best:
                best, chosen, chosen_word = score, char, word
    if best is not None:
        return chosen, chosen_word
    return (FULL_STOP if FULL_STOP in candidates else ILLEGIBLE), ""


# --- damaged spots -------------------------------------------------------------------


@dataclass
class Spot:
    """One parse of a damaged spot: line[start:stop] is lost '?', remnant, run, end."""

    start: int
    remnant: str
    run: str
    end: str  # the end character, or '?' for a lost trail byte
    trail_remnant: str
    stop: int

    @property
    def text(self) -> str:
        return "?" + self.remnant + self.run + self.end + self.trail_remnant


def neighbours(line: str, start: int, stop: int) -> tuple[str, str]:
    """Up to three characters either side of line[start:stop], pinyin readings left out."""
    left = READINGS.sub("", line[:start])[-3:]
    right = READINGS.sub("", line[stop:])[:3]
    return left, right


def parses(line: str, start: int) -> list[Spot]:
    """All ways to read line[start] == '?' as the start of a damaged spot, longest first."""
    at = start + 1
    remnant = REMNANT.match(line, at)
    lead_remnant = remnant.group() if remnant else ""
    at += len(lead_remnant)
    stop = at
    while stop < len(line) and stop - at < MAX_RUN and double_bytes(line[stop]):
        stop += 1
    found = []
    for cut in range(stop, at, -1):
        run = line[at:cut]
        if not run.strip("?"):
            continue
        after = line[cut + 1:cut + 2]
        if cut == stop and cut < len(line) and end_byte(line[cut]) is not None:
            if CJK.match(after) or after in ("(", "（"):
                found.append(Spot(start, lead_remnant, run, line[cut], "", cut + 1))
        elif cut < stop and line[cut] == "?":
            trail = REMNANT.match(line, cut + 1)
            trail_remnant = trail.group() if trail else ""
            if trail_remnant or CJK.match(after):
                found.append(Spot(start, lead_remnant, run, "?", trail_remnant, cut + 1 + len(trail_remnant)))
    return found


def damage(line: str, spot: Spot) -> int:
    """How implausible the damaged spot reads: bad characters in the run, plus one if
    the run opens with a mark ('??', '?,': two marks in a row)."""
    left, right = neighbours(line, spot.start, spot.stop)
    context = left + spot.run + right
    bad = sum(1 for i in range(len(left), len(left) + len(spot.run)) if not plausible(context, i))
    return bad + (1 if spot.run[0] in FULL_WIDTH else 0)


def read_in_step(spot: Spot) -> tuple[list[str | None], list[int]] | None:
    """Decode the spot's bytes in step: characters (None where a byte was lost) and the
    bytes, with None for a lost byte; None if some pair is no GBK character."""
    data: list[int | None] = [None]
    for char in spot.run:
        data.extend(double_bytes(char))
    data.append(None if spot.end == "?" else end_byte(spot.end))
    chars: list[str | None] = []
    for i in range(0, len(data), 2):
        lead, trail = data[i], data[i + 1]
        char = None if lead is None or trail is None else decode_pair(lead, trail)
        if char is None and lead is not None and trail is not None:
            return None
        chars.append(char)
    return chars, data


def known_sides(chars: list[str | None], index: int, left: str, right: str) -> tuple[str, str]:
    """The known text either side of chars[index]; a side stops at a still unknown char."""
    before, after = left, right
    for char in chars[:index]:
        before = before + char if char is not None else ""
    for char in reversed(chars[index + 1:]):
        after = char + after if char is not None else ""
    return before, after


def remnant_edit(remnant: str) -> Edit:
    """The Edit that removes a pinyin remnant."""
    return Edit(remnant, "", "删去同一处损坏中丢了左括号的拼音注音残余", "pinyin-remnant")


def repair(line: str, spot: Spot) -> tuple[str, list[Edit], int] | None:
    """Re-read the spot in step: (new text, detail edits, number of '□' put) or None."""
    decoded = read_in_step(spot)
    if decoded is None:
        return None
    chars, data = decoded
    left, right = neighbours(line, spot.start, spot.stop)
    lost = {0: (with_lead(data[1]), "lost-lead-byte", f"尾字节为 {data[1]:02x}")}
    if chars[-1] is None:
        lost[len(chars) - 1] = (with_trail(data[-2]), "lost-trail-byte", f"首字节为 {data[-2]:02x}")
    details: list[Edit] = []
    bad = 0
    for index, (candidates, rule, known) in lost.items():
        if not candidates:
            return None
        char, word = choose(candidates, *known_sides(chars, index, left, right), line)
        chars[index] = char
        if word:
            why = f"取“{char}”，因其与邻字构成词“{word}”"
        elif char == FULL_STOP:
            why = "无一与邻字成词，取句号“。”（a1 a3）"
        else:
            why = "无一与邻字成词，标作无法辨认"
            bad += 1
        details.append(Edit("?", char, f"推断丢失的字节：在{known}的GBK字符中，{why}", rule))
        if index == 0 and spot.remnant:
            details.append(remnant_edit(spot.remnant))
    if spot.trail_remnant:
        details.append(remnant_edit(spot.trail_remnant))
    context = left + "".join(chars) + right
    out = []
    for index, char in enumerate(chars):
        if index not in lost and not plausible(context, len(left) + index):
            pair = char.encode("gbk").hex(" ")
            reason = (f"字节 {pair} 重读为“{char}”，于此不通：它们是一个字的首字节和另一字的尾字节，"
                      "中间的字节已丢失，故标作无法辨认")
            details.append(Edit(char, ILLEGIBLE * 2, reason, "illegible"))
            bad += 1
            char = ILLEGIBLE * 2
        out.append(char)
    return "".join(out), details, bad


def realign(line: str, start: int) -> tuple[Spot, str, list[Edit]] | None:
    """The first parse of a damaged spot at line[start] that repairs to better text, or None."""
    for spot in parses(line, start):
        damaged = damage(line, spot)
        repaired = repair(line, spot) if damaged else None  # nothing to improve on
        if repaired is None:
            continue
        text, details, bad = repaired
        if bad < damaged:
            overview = Edit(spot.text, text, "GBK字节错位一个字节（丢失的字节显示为“?”）："
                            "程序按字节重新编码、对齐后解码", "gbk-realign")
            return spot, text, [overview] + details
    return None


def lost_marks(line: str, start: int) -> tuple[int, str, Edit] | None:
    """A run of two or more '?' next to Chinese text at line[start]: (stop, text, edit)."""
    stop = start
    while stop < len(line) and line[stop] == "?":
        stop += 1
    count = stop - start
    before, after = line[start - 1:start], line[stop:stop + 1]
    if count < 2 or not (CJK.match(before) or CJK.match(after)):
        return None
    kept = QUESTION_MARK if count % 2 else ""
    reason = f"{count - count % 2}个“?”是一个丢失的字符（大概是GBK以外的表情符号），不作猜测"
    if kept:
        reason += "；多出的一个是作者的问号，保留为“？”"
    return stop, kept, Edit(line[start:stop], kept, reason, "lost-bytes")


def fix_once(text: str) -> tuple[str, list[Edit]]:
    """One left-to-right pass over `text`: repair each damaged spot and lost '?' run."""
    out: list[str] = []
    edits: list[Edit] = []
    i = 0
    while i < len(text):
        if text[i] != "?":
            out.append(text[i])
            i += 1
            continue
        found = realign(text, i)
        if found:
            spot, repaired, spot_edits = found
            out.append(repaired)
            edits.extend(spot_edits)
            i = spot.stop
            continue
        marks = lost_marks(text, i)
        if marks:
            i, kept, edit = marks
            out.append(kept)
            edits.append(edit)
            continue
        out.append("?")
        i += 1
    return "".join(out), edits


def fix(text: str) -> tuple[str, list[Edit]]:
    """Return `text` with its damaged spots repaired, and the edits that did it.

    Passes repeat until one changes nothing, so that fix is idempotent even where a
    removal brings two damaged pieces together; every changing pass removes at least
    one ASCII '?', so this ends. (The seeds need one pass.)
    """
    edits: list[Edit] = []
    while True:
        text, new = fix_once(text)
        if not new:
            return text, edits
        edits.extend(new)
