"""Repair GBK byte-misalignment mojibake and lost bytes.

Data flow: one line of text (no newline) goes in; the repaired line comes out with one
Edit per change. Pure: nothing is read from disk; jieba's dictionary and OpenCC's tables
(shipped with their packages) are loaded once; the corpus model (`Ngrams`) is passed in.
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
[ea 50] = ?科技界有很多關, where ? is a character with trail byte a3.

A lost byte of a single character: among all GBK characters that the known byte allows,
the candidates are those that form a word with a neighbour in jieba's dictionary (looked up
in Simplified form via OpenCC t2s), unless the neighbour already forms a stronger word on
its other side; a word used elsewhere in the same line beats a merely more frequent one.
If exactly one candidate forms a word, the byte and its context admit one character: it is
a reading and printed as is (談?->論). If several do, the best is a conjecture, printed in
the edition's brackets 〔仍〕 (U+3014/U+3015). With no word, a character with trail byte a3
is conjectured to be the full stop 〔。〕 (a1 a3), anything else is '□'.

A re-read character that is not plausible (see `plausible`) shows that more bytes were lost
inside it: its two bytes are the lead of one character and the trail of the next, so it
stands for two characters of which one byte each survives. For each run of such pairs the
candidates are the Traditional CJK characters with that lead byte and those with that trail
byte (`traditional_candidates`); a beam search (`conjecture`) scores each reading of the
run, with its known neighbours, by a character n-gram model of the edition's own seeds
(`Ngrams`: stupid backoff from 4-grams, below 2-grams half the corpus's and half jieba's
character frequencies). A pair's best reading is printed, bracketed (〔會有〕), only if it is
at least CONJECTURE_ODDS times as probable as every other reading of that pair; otherwise
the pair stays '□□' (U+25A1, the editors' mark for an illegible character). Without a model
(fix(text) alone) every pair stays '□□'. A spot is repaired only if the repaired text is
more plausible than the damaged one (conjectured pairs count as unread), so an ordinary '?'
stays.

The editor may read a pair the model leaves '□□' (seeds/corrections/conjectures.yml, parsed by
`parse_conjectures`): for its document and the pair's two surviving bytes, two characters whose
GBK bytes begin and end with them; printed bracketed like the model's readings, the reason
then naming the editor's grounds, the rule the table entry. A pair the model reads itself
leaves the entry unused (a dead rule: tests/test_data.py).

Edits, per spot: 'gbk-realign' (before = the whole damaged spot, after = its repair),
then the details inside it: 'lost-lead-byte' / 'lost-trail-byte' (before '?', after the
character, bracketed if conjectured; reason = reading or conjecture, with the candidates),
'pinyin-remnant' (the remnant, removed), 'conjecture' (before = the misread characters of a
run of pairs, after = the bracketed readings and any '□□'; reason = the surviving bytes in
hex and the top candidates of each pair, in order) and 'illegible' (a run with no printed
reading: before = the implausible character, after '□□', with the candidates considered).

Left over are runs of two or more '?' next to Chinese text that are not such a spot: a
character outside the BMP (most likely an emoji) that a UTF-16 program wrote to GBK as
two '?'. They are removed, not guessed; an odd '?' among them is the author's question
mark and is kept as '？'. A '?' run with no Chinese beside it ('what??') is left alone.
"""
from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from .. import limits
from ..cjk import HAN as CJK
from ..cjk import HAN_RUN as CJK_RUN
from ..model import Edit, EditionError
from . import pinyin
from .overconversion import converter

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


#: The edition's brackets for a character the editors chose rather than read (〔會有〕).
OPEN, CLOSE = "〔", "〕"

#: A lost pair is printed as a conjecture only when its best reading is at least this many
#: times as probable (under the n-gram model) as every other reading of the pair; otherwise '□□'.
CONJECTURE_ODDS = 20

#: Partial readings kept at each step of the search over a run of lost pairs.
BEAM = 200

#: Stupid backoff: a shorter context costs this factor (Brants et al. 2007).
BACKOFF = 0.4
LOG_BACKOFF = math.log(BACKOFF)

#: Candidates named in a reason, per lost pair.
SHOWN = 3


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


@functools.cache
def with_lead(trail: int) -> tuple[str, ...]:
    """All GBK characters whose trail byte is `trail`, by lead byte."""
    found = (decode_pair(lead, trail) for lead in range(0x81, 0xFF))
    return tuple(char for char in found if char)


@functools.cache
def with_trail(lead: int) -> tuple[str, ...]:
    """All GBK characters whose lead byte is `lead`, by trail byte."""
    found = (decode_pair(lead, trail) for trail in range(0x40, 0xFF))
    return tuple(char for char in found if char)


# --- dictionary ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _dictionary():
    """jieba's word frequencies (Simplified) and an OpenCC t2s converter, loaded once."""
    import jieba

    from ..safeio import jieba_cache

    jieba_cache(jieba.dt).initialize()
    return jieba.dt.FREQ, converter("t2s")


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


def ranked(candidates: tuple[str, ...], left: str, right: str, line: str) -> list[tuple[str, str]]:
    """The candidates that form a word with a neighbour, best first: [(char, word)].

    A candidate counts with the word it forms with its left or right neighbour, unless
    that neighbour forms a more frequent word on its other side (專科 loses to 科技).
    Best is a word that occurs elsewhere in the line, then the most frequent word, then
    the lowest byte; each character is listed once, with its best word.
    """
    scored: dict[str, tuple[tuple[bool, int], int, str]] = {}
    left_word = word_freq(left[-2:]) if len(left) >= 2 else 0  # the neighbours' own words
    right_word = word_freq(right[:2]) if len(right) >= 2 else 0
    for order, char in enumerate(candidates):
        words = []
        if left and word_freq(left[-1] + char) > left_word:
            words.append(left[-1] + char)
        if right and word_freq(char + right[0]) > right_word:
            words.append(char + right[0])
        for word in words:
            score = (word in line, word_freq(word))
            if char not in scored or score > scored[char][0]:
                scored[char] = (score, order, word)
    best = sorted(scored.items(), key=lambda kv: (-kv[1][0][0], -kv[1][0][1], kv[1][1]))
    return [(char, word) for char, (_, _, word) in best]


def choose(candidates: tuple[str, ...], left: str, right: str, line: str) -> tuple[str, str]:
    """Pick the lost character among `candidates` by the words it forms; (char, word).

    The first of `ranked`; with no word: '。' if it is a candidate, otherwise '□'; word is "".
    """
    found = ranked(candidates, left, right, line)
    if found:
        return found[0]
    return (FULL_STOP if FULL_STOP in candidates else ILLEGIBLE), ""


# --- the conjecture model ---------------------------------------------------------------


@dataclass(frozen=True)
class Ngrams:
    """Character n-gram counts (n = 1..4) of a corpus, in Simplified (OpenCC t2s, character
    by character): the edition's own texts as evidence of how they write."""

    counts: Counter = field(default_factory=Counter)
    chars: int = 0

    @classmethod
    def of(cls, texts: Iterable[str]) -> Ngrams:
        """Count every 1- to 4-character string inside the runs of CJK characters of `texts`."""
        counts: Counter = Counter()
        for text in texts:
            for run in CJK_RUN.findall(text):
                run = simplified(run)
                for n in (1, 2, 3, 4):  # the pieces run[i:i + n], in order (zip of n shifted copies)
                    counts.update(map("".join, zip(*(run[k:] for k in range(n)))))
        chars = sum(v for k, v in counts.items() if len(k) == 1)
        return cls(counts, chars)

    def char_logprob(self, text: str, index: int) -> float:
        """log P(text[index] | up to three characters before it), by stupid backoff from
        4-grams to 2-grams of the corpus; below that half the character's share of the
        corpus, half its share of jieba's dictionary (`unseen_logprob`)."""
        penalty = 0.0
        for n in (4, 3, 2):
            if index - n + 1 < 0:
                continue
            gram = text[index - n + 1:index + 1]
            if self.counts[gram]:
                return penalty + math.log(self.counts[gram] / self.counts[gram[:-1]])
            penalty += LOG_BACKOFF
        return penalty + self._unigram_logprob(text[index])

    def unseen_logprob(self, char: str, window: int) -> float:
        """char_logprob of `char` at the end of a window of `window` characters (it included)
        in which it follows no character it follows in the corpus: every n-gram from the
        longest the window holds (at most 4) down to 2 backed off, then the unigram share.
        A 2-gram the corpus lacks rules out the 3- and 4-grams that end in it (`of` counts
        every piece of every run), so this is char_logprob for any such window."""
        penalty = 0.0
        for n in (4, 3, 2):
            if n <= window:
                penalty += LOG_BACKOFF
        return penalty + self._unigram_logprob(char)

    def _unigram_logprob(self, char: str) -> float:
        corpus = self.counts[char] / self.chars if self.chars else 0.0
        return math.log(0.5 * corpus + 0.5 * char_share(char))


@functools.lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """`text` in Simplified, character by character (so positions stay aligned)."""
    return "".join(map(_simplified_char, text))


@functools.cache
def _simplified_char(char: str) -> str:
    converted = converter("t2s").convert(char)
    return converted if len(converted) == 1 else char


@functools.lru_cache(maxsize=65536)
def char_share(char: str) -> float:
    """The share of `char` among jieba's dictionary counts (at least one count)."""
    return max(word_freq(char), 1) / _dictionary_total()


@functools.lru_cache(maxsize=1)
def _dictionary_total() -> int:
    return sum(_dictionary()[0].values())


@functools.cache
def traditional_candidates(chars: tuple[str, ...]) -> tuple[str, ...]:
    """The CJK characters among `chars` that a Traditional text can hold (OpenCC s2tw
    leaves them as they are): the damaged text was Traditional, so 说 or 万 cannot be."""
    s2tw = converter("s2tw")
    return tuple(char for char in chars if CJK.match(char) and s2tw.convert(char) == char)


@dataclass
class Conjecture:
    """The search's verdict on one run of lost pairs."""

    pairs: list[str]  # per pair: its best reading ('' when no reading is clearly best)
    ranked: list[list[str]]  # per pair: its readings, best first (up to SHOWN)


def _best_first(item: tuple) -> tuple[float, str]:
    """Sort key of scored readings: highest score first, ties by text."""
    return -item[0], item[1]


def conjecture(ngrams: Ngrams, left: str, slots: list[tuple[str, ...]], right: str) -> Conjecture:
    """Fill `slots` (2 per lost pair, each the characters its surviving byte allows) between
    the known `left` and `right` text: a beam search (BEAM readings kept, ties by text)
    scores each reading of the whole window with `ngrams`. A pair's best reading is kept
    only when the best full reading beats every reading that differs in that pair by
    CONJECTURE_ODDS; the ranking per pair is by the best full reading that contains it."""
    left, right = simplified(left), simplified(right)
    counts = ngrams.counts
    beam: list[tuple[float, str, str]] = [(0.0, "", "")]  # (score, reading, its Simplified)
    for slot in slots:
        size = len(left) + len(beam[0][2]) + 1  # the window each of this slot's characters ends
        options = [(char, s, ngrams.unseen_logprob(s, size)) for char in slot for s in [simplified(char)]]
        scores = []  # of every reading grown by one character: beam item by item, option by option
        for score, _, simple in beam:
            before = left + simple
            last = before[-1:] if size > 1 else None
            for _, s, unseen in options:
                # most characters never follow `last` in the corpus: no n-gram to look up
                seen = last is not None and counts.get(last + s)
                scores.append(score + (ngrams.char_logprob(before + s, size - 1) if seen else unseen))
        # the BEAM best (score, then text) all score at least the BEAM-th highest score
        floor = heapq.nlargest(BEAM, scores)[-1]
        width = len(options)
        grown = []
        for k, total in enumerate(scores):
            if total >= floor:
                _, text, simple = beam[k // width]
                char, s, _ = options[k % width]
                grown.append((total, text + char, simple + s))
        grown.sort(key=_best_first)
        beam = grown[:BEAM]
    scored = []
    for score, text, simple in beam:
        window = left + simple + right
        for index in range(len(left) + len(simple), len(window)):
            score += ngrams.char_logprob(window, index)
        scored.append((score, text))
    scored.sort(key=_best_first)
    best_score, best = scored[0]
    pairs, ranked = [], []
    for start in range(0, len(slots), 2):
        reading = best[start:start + 2]
        others = [s for s, text in scored if text[start:start + 2] != reading]
        clear = not others or best_score - others[0] >= math.log(CONJECTURE_ODDS)
        pairs.append(reading if clear else "")
        order = list(dict.fromkeys(text[start:start + 2] for _, text in scored))
        ranked.append(order[:SHOWN])
    return Conjecture(pairs, ranked)


# --- the editor's conjectures (seeds/corrections/conjectures.yml) --------------------

CONJECTURE_FIELDS = {"doc", "bytes", "reading", "reason"}


@dataclass(frozen=True)
class EditorReading:
    """The editor's reading of one lost pair of one document: `bytes` are the surviving lead
    byte of the first character and trail byte of the second; `reading` the two characters."""

    doc: str
    bytes: tuple[int, int]
    reading: str
    reason: str
    line: int = 0
    table: str = ""

    @property
    def id(self) -> str:
        return f"{self.table}:{self.line}"

    @property
    def find(self) -> str:  # what corpus.unused_rules names
        return f"{self.bytes[0]:02x} {self.bytes[1]:02x} -> {self.reading}"


def parse_conjectures(data: Any, file: str, slugs: set[str]) -> list[EditorReading]:
    """Validate the table: a list of {doc, bytes: "cd bb", reading, reason}, sorted by doc then
    bytes, no pair twice; each reading must fit its bytes (the first character has the lead
    byte, the second the trail byte, both characters a Traditional text can hold)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise EditionError(file, 1, "table", "must be a list of entries")
    out: list[EditorReading] = []
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "entry", f"must be a mapping, got {limits.quote(raw)}")
        where = getattr(raw, "key_lines", {})
        for key in raw:
            if key not in CONJECTURE_FIELDS:
                raise EditionError(file, where.get(key, line), str(key), "unknown field")
        for key in sorted(CONJECTURE_FIELDS):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise EditionError(file, where.get(key, line), key, "missing or not text")
        if raw["doc"] not in slugs:
            raise EditionError(file, where.get("doc", line), "doc", f"{limits.quote(raw['doc'])} is not a catalog slug")
        found = re.fullmatch(r"([0-9a-f]{2}) ([0-9a-f]{2})", raw["bytes"])
        if not found:
            raise EditionError(file, where.get("bytes", line), "bytes",
                               f"{limits.quote(raw['bytes'])}: two bytes in hex, as the apparatus prints them (\"cd bb\")")
        lead, trail = int(found[1], 16), int(found[2], 16)
        reading = raw["reading"]
        fits = (len(reading) == 2 and reading[0] in traditional_candidates(with_trail(lead))
                and reading[1] in traditional_candidates(with_lead(trail)))
        if not fits:
            raise EditionError(file, where.get("reading", line), "reading",
                               f"{limits.quote(reading)} does not fit bytes {raw['bytes']}: two characters, the first "
                               f"with GBK lead byte {lead:02x}, the second with trail byte {trail:02x}, both Traditional")
        out.append(EditorReading(raw["doc"], (lead, trail), reading, raw["reason"].strip(), line, file))
    keys = [(r.doc, r.bytes) for r in out]
    for prev, cur, entry in zip(keys, keys[1:], out[1:]):
        if cur == prev:
            raise EditionError(file, entry.line, "bytes", f"{entry.doc} {entry.find}: the pair is listed twice")
        if cur < prev:
            raise EditionError(file, entry.line, "bytes", f"{entry.doc} {entry.find} is out of order: sort by doc, then bytes")
    return out


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


def read_in_step(spot: Spot) -> tuple[list[str | None], list[int | None]] | None:
    """Decode the spot's bytes in step: characters (None where a byte was lost) and the
    bytes, with None for a lost byte; None if some pair is no GBK character."""
    data: list[int | None] = [None]
    for run_char in spot.run:
        pair = double_bytes(run_char)
        assert pair is not None  # parses puts in a run only characters of two GBK bytes
        data.extend(pair)
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


def single_reason(known: str, char: str, found: list[tuple[str, str]], line: str) -> tuple[str, bool]:
    """The reason for one lost byte's character, and whether it is a conjecture."""
    if len(found) == 1:
        return (f"读定丢失的字节：在{known}的GBK字符中，只有“{char}”能与邻字成词（“{found[0][1]}”），"
                "残存字节和上下文只容此一字，是读定，不是推补"), False
    if found:
        shown = "、".join(f"“{c}”（{w}）" for c, w in found[:SHOWN])
        why = "见于本行" if found[0][1] in line else "词频最高"
        return (f"推补丢失的字节：在{known}的GBK字符中，能与邻字成词的依次有{shown}等{len(found)}个，"
                f"取“{char}”（所成词{why}）；属编者推补，加〔〕"), True
    if char == FULL_STOP:
        return (f"推补丢失的字节：在{known}的GBK字符中，无一与邻字成词；其中只有句号“。”（a1 a3）"
                "能断句，推补为句号；"
                "属编者推补，加〔〕"), True
    return f"丢失的字节：在{known}的GBK字符中，无一与邻字成词，标作无法辨认", False


def pair_reason(misread: str, pairs: list[tuple[int, int]], readings: list[str], ranked: list[list[str]],
                sizes: list[tuple[int, int]], editor: dict[int, EditorReading] | None = None) -> str:
    """The reason for a run of lost pairs: bytes, candidates, verdict (the editor's, with its
    grounds, for the pairs in `editor`: pair index -> entry)."""
    editor = editor or {}
    data = " ".join(f"{lead:02x} {trail:02x}" for lead, trail in pairs)
    parts = []
    for k, ((lead, trail), reading, order, (before, after)) in enumerate(zip(pairs, readings, ranked, sizes)):
        shown = "、".join(f"“{r}”" for r in order) if order else "（无语料模型）"
        if k in editor:
            verdict = f"无一明显胜出；编者推补为〔{reading}〕：{editor[k].reason}"
        else:
            verdict = f"推补为〔{reading}〕" if reading else "无一明显胜出，保留□□"
        parts.append(f"{lead:02x}…{trail:02x}：前字为首字节 {lead:02x} 的字（{before}个），"
                     f"后字为尾字节 {trail:02x} 的字（{after}个），候选依次为{shown}，{verdict}")
    return (f"字节 {data} 重读为“{misread}”，于此不通：每两个字节是一个字的首字节和另一字的尾字节，"
            "中间的字节已丢失。按残存字节列出所有可能的繁体汉字，以本版五篇底本的字串频率"
            f"（二至四字，回退法）衡量上下文，一对读法的概率须达其他读法的{CONJECTURE_ODDS}倍才推补。"
            + "；".join(parts))


def bracket(pieces: list[tuple[str, bool]]) -> str:
    """Join (text, conjectured) pieces; each run of conjectured text goes in 〔〕."""
    out, inside = [], False
    for text, conjectured in pieces:
        if conjectured != inside:
            out.append(OPEN if conjectured else CLOSE)
            inside = conjectured
        out.append(text)
    if inside:
        out.append(CLOSE)
    return "".join(out)


def repair(line: str, spot: Spot, ngrams: Ngrams | None = None,
           editor: tuple[EditorReading, ...] = ()) -> tuple[str, list[Edit], int] | None:
    """Re-read the spot in step: (new text, detail edits, number of '□' put) or None.
    `editor`: the editor's readings of lost pairs for this document."""
    decoded = read_in_step(spot)
    if decoded is None:
        return None
    chars, data = decoded
    left, right = neighbours(line, spot.start, spot.stop)
    lost = {0: (with_lead(data[1]), "lost-lead-byte", f"尾字节为 {data[1]:02x} ")}
    if chars[-1] is None:
        lost[len(chars) - 1] = (with_trail(data[-2]), "lost-trail-byte", f"首字节为 {data[-2]:02x} ")
    details: list[Edit] = []
    conjectured: set[int] = set()
    bad = 0
    for index, (candidates, rule, known) in lost.items():
        if not candidates:
            return None
        before, after = known_sides(chars, index, left, right)
        char, _ = choose(candidates, before, after, line)
        chars[index] = char
        reason, guessed = single_reason(known, char, ranked(candidates, before, after, line), line)
        if char == ILLEGIBLE:
            bad += 1
        if guessed:
            conjectured.add(index)
        details.append(Edit("?", OPEN + char + CLOSE if guessed else char, reason, rule))
        if index == 0 and spot.remnant:
            details.append(remnant_edit(spot.remnant))
    if spot.trail_remnant:
        details.append(remnant_edit(spot.trail_remnant))
    filled = cast("list[str]", chars)  # every lost char is chosen above
    context = left + "".join(filled) + right
    broken = [i for i, char in enumerate(filled)
              if i not in lost and not plausible(context, len(left) + i)]
    pieces: list[tuple[str, bool]] = [(char, i in conjectured) for i, char in enumerate(filled)]
    for run in runs_of(broken):
        misread = "".join(filled[i] for i in run)
        pairs = cast("list[tuple[int, int]]", [tuple(filled[i].encode("gbk")) for i in run])  # two bytes each
        slots = []
        for lead, trail in pairs:
            slots += [traditional_candidates(with_trail(lead)), traditional_candidates(with_lead(trail))]
        before = left + "".join(c for c, _ in pieces[:run[0]])
        after = "".join(c for c, _ in pieces[run[-1] + 1:]) + right
        if ngrams is not None and all(slots):
            verdict = conjecture(ngrams, before, slots, after)
            readings, order = verdict.pairs, verdict.ranked
        else:
            readings, order = [""] * len(run), [[] for _ in run]
        sizes = [(len(slots[2 * k]), len(slots[2 * k + 1])) for k in range(len(run))]
        bad += len(run)  # as many pairs lost as before: the spot is judged as if unread
        chosen = {k: e for k, pair in enumerate(pairs) if not readings[k]
                  for e in editor if e.bytes == pair}  # the editor reads what the model leaves
        for k, entry in chosen.items():
            readings[k] = entry.reading
        if any(readings):
            reason = pair_reason(misread, pairs, readings, order, sizes, chosen)
            shown = bracket([(r or ILLEGIBLE * 2, bool(r)) for r in readings])
            rule = chosen[min(chosen)].id if chosen else "conjecture"
            details.append(Edit(misread, shown, reason, rule))
            for k, i in enumerate(run):
                pieces[i] = (readings[k], True) if readings[k] else (ILLEGIBLE * 2, False)
            continue
        for k, i in enumerate(run):
            pair = " ".join(f"{b:02x}" for b in pairs[k])
            reason = (f"字节 {pair} 重读为“{filled[i]}”，于此不通：它们是一个字的首字节和另一字的尾字节，"
                      "中间的字节已丢失，故标作无法辨认")
            if order[k]:
                reason += "（候选依次为" + "、".join(f"“{r}”" for r in order[k]) + "，无一明显胜出）"
            details.append(Edit(filled[i], ILLEGIBLE * 2, reason, "illegible"))
            pieces[i] = (ILLEGIBLE * 2, False)
    return bracket(pieces), details, bad


def runs_of(indices: list[int]) -> list[list[int]]:
    """Consecutive runs in a sorted list of indices: [1, 2, 5] -> [[1, 2], [5]]."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def realign(line: str, start: int, ngrams: Ngrams | None = None,
            editor: tuple[EditorReading, ...] = ()) -> tuple[Spot, str, list[Edit]] | None:
    """The first parse of a damaged spot at line[start] that repairs to better text, or None."""
    for spot in parses(line, start):
        damaged = damage(line, spot)
        repaired = repair(line, spot, ngrams, editor) if damaged else None  # nothing to improve on
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


def fix_once(text: str, ngrams: Ngrams | None = None,
             editor: tuple[EditorReading, ...] = ()) -> tuple[str, list[Edit]]:
    """One left-to-right pass over `text`: repair each damaged spot and lost '?' run."""
    out: list[str] = []
    edits: list[Edit] = []
    i = 0
    while i < len(text):
        mark = text.find("?", i)
        if mark == -1:
            out.append(text[i:])
            break
        out.append(text[i:mark])  # nothing to repair before the next '?'
        i = mark
        found = realign(text, i, ngrams, editor)
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


def fix(text: str, ngrams: Ngrams | None = None,
        editor: tuple[EditorReading, ...] = ()) -> tuple[str, list[Edit]]:
    """Return `text` with its damaged spots repaired, and the edits that did it.

    Passes repeat until one changes nothing, so that fix is idempotent even where a
    removal brings two damaged pieces together; every changing pass removes at least
    one ASCII '?', so this ends. (The seeds need one pass.)
    """
    edits: list[Edit] = []
    while True:
        text, new = fix_once(text, ngrams, editor)
        if not new:
            return text, edits
        edits.extend(new)


def fixer(ngrams: Ngrams | None, editor: Iterable[EditorReading] = ()) -> Callable[[str], tuple[str, list[Edit]]]:
    """fix with the corpus model `ngrams` (None: lost pairs stay '□□', nothing is conjectured)
    and the editor's readings of one document's lost pairs."""
    return functools.partial(fix, ngrams=ngrams, editor=tuple(editor))
