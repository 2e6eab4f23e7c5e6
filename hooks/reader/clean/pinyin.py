"""Remove pinyin annotations that follow a Chinese character.

Data flow: one line of text (no newline) goes in; the same line comes out without the
pinyin readings that some copy of the article put after characters, e.g. `認(rèn)` ->
`認`, together with one Edit per removed annotation (before = character + annotation,
after = the character). Nothing is read from disk and nothing else changes.

An annotation is an opening parenthesis (ASCII `(` or full-width `（`) right after a CJK
character, then lowercase latin letters of which at least one is a tone-marked vowel or
`ü`, then a closing parenthesis. Real parentheses such as `(笑)`, `(UI)`, `(1)` or
`(micro payments)` never match: they hold no tone-marked vowel.
"""
from __future__ import annotations

import re

from ..model import Edit

RULE = "pinyin"

#: Vowels with a tone mark, plus ü (which marks a pinyin syllable on its own).
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"

#: Characters that count as "a CJK character" before an annotation.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

#: A reading: lowercase latin letters, at least one of them a tone vowel.
SYLLABLE = f"[a-z{TONE_VOWELS}]*[{TONE_VOWELS}][a-z{TONE_VOWELS}]*"

#: A CJK character and the annotation(s) right after it (a doubled one goes in one piece).
ANNOTATION = re.compile(f"(?P<char>[{CJK}])(?P<note>(?:[(（]{SYLLABLE}[)）])+)")


def fix(text: str) -> tuple[str, list[Edit]]:
    """Return `text` without pinyin annotations, and one Edit per annotation removed."""
    edits: list[Edit] = []

    def drop(match: re.Match) -> str:
        char, note = match.group("char"), match.group("note")
        edits.append(Edit(char + note, char, "删去汉字后的拼音注音", RULE))
        return char

    return ANNOTATION.sub(drop, text), edits
