"""Remove pinyin annotations that follow a Chinese character, verified with pypinyin.

Data flow: one line of text (no newline) goes in; the same line comes out without the
pinyin readings that some copy of the article put after characters, e.g. `認(rèn)` ->
`認`, together with one Edit per removed annotation (before = character + annotation,
after = the character). Nothing is read from disk and nothing else changes; pypinyin's
dictionary (shipped with the pinned package) is consulted once per character and cached.

An annotation is an opening parenthesis (ASCII `(` or full-width `（`) right after a CJK
character, then a reading, then a closing parenthesis (`)` or `）`), and it is removed if
and only if pypinyin, with heteronyms, gives that reading for that very character, in one
of the accepted spellings (see `readings`): tone marks `rèn`, tone numbers `ren4` (the
neutral tone as `men5` or `men`), or no tone `ren`; ü as `ü` or `v`, and as `u` where
pypinyin writes it so (`ju`, `qu`, `xu`, `yu`). A doubled annotation, `認(rèn)(rèn)`, goes
in one piece; after the first annotation that is not a reading, nothing more goes.

So real parentheses stay, whatever they hold: `(笑)`, `(Robert Nishihara)`, `(o1)`,
`(UI)`, `(AI)`, `(1)`, and also a Latin word that happens to be a pinyin syllable but is
not a reading of the character before it (`模型(me)`: `me` is no reading of 型), upper
case (`(Rèn)`) and an annotation set apart by a space (`認 (rèn)`). The seeds hold only
one-syllable annotations directly after their character (a spot where GBK damage moved a
character away from its reading is the mojibake stage's, which runs first); a
several-syllable annotation after a word (`認識(rènshi)`) does not occur and is not
removed.

`SYLLABLE` (a tone-marked reading) stays for the mojibake stage, which recognises with it
the remnant of a reading that lost its `(` together with its character, so there is no
character to check it against.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from ..cjk import RANGE as CJK  # a CJK character before an annotation
from ..model import Edit

#: The rule id of every removal: the annotation was verified to be a reading (pypinyin).
RULE = "pypinyin-reading"

#: The reason shown on the apparatus page: what was removed, and what was checked.
REASON = "删去汉字后的拼音注音（经pypinyin核对为该字读音）"

#: Vowels with a tone mark, plus ü (which marks a pinyin syllable on its own).
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"

#: A tone-marked reading: lowercase latin letters, at least one of them a tone vowel
#: (used by the mojibake stage for remnants, which have no character to verify against).
SYLLABLE = f"[a-z{TONE_VOWELS}]*[{TONE_VOWELS}][a-z{TONE_VOWELS}]*"

#: The spellings accepted, as pypinyin produces them: (style name, v_to_u, neutral_tone_with_five).
#: TONE gives rèn / lǜ / men; TONE3 gives ren4 / lv4 / lü4 / men / men5; NORMAL gives
#: ren / lv / lü. (Style names, not pypinyin's enum: pypinyin loads its dictionaries on import,
#: ~0.4 s, and a build from the cached corpus never needs it.)
SPELLINGS = tuple((style, v_to_u, five) for style in ("TONE", "TONE3", "NORMAL")
                  for v_to_u in (False, True) for five in (False, True))

#: The longest parenthesised text looked at: a reading is at most 'zhuang' + a tone
#: number, or a few letters with combining marks ('ê̄').
MAX_NOTE = 10

#: One parenthesised note that may be a reading (no brackets or spaces inside).
NOTE = re.compile(f"[(（](?P<reading>[^()（）\\s]{{1,{MAX_NOTE}}})[)）]")

#: A CJK character and the parenthesised notes right after it (checked in `fix`).
CANDIDATE = re.compile(f"(?P<char>[{CJK}])(?P<notes>(?:[(（][^()（）\\s]{{1,{MAX_NOTE}}}[)）])+)")


@functools.cache
def readings(char: str) -> frozenset[str]:
    """Every reading pypinyin knows for `char` (heteronyms included), in every accepted
    spelling (see SPELLINGS), NFC; empty if pypinyin does not know the character."""
    from pypinyin import Style
    from pypinyin import pinyin as _pypinyin

    found: set[str] = set()
    for style, v_to_u, five in SPELLINGS:
        for options in _pypinyin(char, style=getattr(Style, style), heteronym=True, errors="ignore",
                                 v_to_u=v_to_u, neutral_tone_with_five=five):
            found.update(unicodedata.normalize("NFC", reading) for reading in options if reading)
    return frozenset(found)


def is_reading(char: str, text: str) -> bool:
    """Whether `text` (without brackets) is a pinyin reading of the character `char`."""
    return len(char) == 1 and unicodedata.normalize("NFC", text) in readings(char)


def fix(text: str) -> tuple[str, list[Edit]]:
    """Return `text` without pinyin annotations, and one Edit per annotation removed."""
    edits: list[Edit] = []

    def drop(match: re.Match) -> str:
        char, notes = match.group("char"), match.group("notes")
        end = 0
        for note in NOTE.finditer(notes):  # the notes that are readings, from the first on
            if not is_reading(char, note.group("reading")):
                break
            end = note.end()
        if not end:
            return match.group()
        edits.append(Edit(char + notes[:end], char, REASON, RULE))
        return char + notes[end:]

    return CANDIDATE.sub(drop, text), edits


def annotations(text: str) -> list[str]:  # type: ignore[no-redef]  # mypy takes `from __future__ import annotations` for a name
    """The annotations `fix` would remove from `text` (character + annotation each):
    for checking that cleaned text has none left."""
    return [edit.before for edit in fix(text)[1]]
