"""A noisifier of our own: clean Simplified text, damaged the way seed 001 is damaged, must
come back through the real cleaner (clean.run with the real tables) at least 99 % the same.

The damage, as in seed 001 (see reader.clean.mojibake's docstring):
  - the text is Traditional (OpenCC s2tw);
  - some characters carry their pinyin reading in ASCII parentheses: with tone marks
    (機(jī)), and some toneless (們(men)) or with tone numbers (們(men5)); the readings are
    pypinyin's own for that character;
  - the full-width marks ，？：；！ are ASCII;
  - in some lines a span of characters is GBK bytes decoded one byte out of step: the first
    byte lost and shown as '?', sometimes followed by a pinyin reading that lost its '('
    (the remnant), then the misaligned run (trail byte of one character + lead byte of the
    next), then the end marker: the last trail byte alone as an ASCII character or '€'.
Characters are compared in order (difflib.SequenceMatcher over characters); the edition's
conjecture brackets 〔〕 are markup, not text, and are left out of the comparison; a '□' or a
wrong conjecture counts as a difference.
"""
from __future__ import annotations

import dataclasses
import difflib
import random
import re
from pathlib import Path

import opencc
import pytest
from pypinyin import Style, lazy_pinyin

from reader import clean, corpus, read
from reader.clean import mojibake

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CJK = re.compile(r"[\u4e00-\u9fff]")
ASCII_MARKS = str.maketrans({"，": ",", "？": "?", "：": ":", "；": ";", "！": "!"})
S2TW = opencc.OpenCC("s2tw")
TONE_MARK = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
#: The share of lines with a misaligned span: seed 001 has 9 in 190 lines, so this is denser.
DAMAGED_LINES = 0.4
SLUG = "2025-03-stratechery-altman"  # seed 001: a zh-Hant source, as the noisy text is


@pytest.fixture(scope="module")
def real():
    """The real catalog entry (under a slug of its own, so no document-limited table entry
    applies), the real tables with the corpus model, and clean Simplified paragraphs."""
    c = corpus.load(ROOT)
    entries = {e.slug: e for e in read.load_catalog(SEEDS)}
    entry = dataclasses.replace(entries[SLUG], slug="noisifier", title_line=0)
    tables = corpus.load_tables(SEEDS, set(entries))
    tables.ngrams = mojibake.Ngrams.of(read.read_seed(SEEDS, e) for e in entries.values())
    paragraphs = [p.text for d in c.docs if d.entry.slug != SLUG for p in d.paragraphs()
                  if len(p.text) >= 40 and not re.search("[□〔〕?？()（）]", p.text)]
    return entry, tables, paragraphs


def double_byte(char: str) -> bytes | None:
    try:
        data = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data if len(data) == 2 else None


def reading(char: str, rng: random.Random) -> str:
    """A pypinyin reading of `char`: mostly with tone marks, sometimes toneless or numbered."""
    style = rng.choices([Style.TONE, Style.NORMAL, Style.TONE3], weights=[6, 2, 2])[0]
    return lazy_pinyin(char, style=style, neutral_tone_with_five=True)[0]


def garble(span: str, remnant: str) -> str | None:
    """The span as seed 001 shows it: first byte lost, the rest one byte out of step, the
    last byte alone at the end; None if these bytes do not decode that way."""
    data = b"".join(double_byte(c) or b"" for c in span)
    if len(data) != 2 * len(span) or not (0x40 <= data[-1] <= 0x7E or data[-1] == 0x80):
        return None
    middle = data[1:-1]
    try:
        run = middle.decode("gbk")
    except UnicodeDecodeError:
        return None
    if len(run) != len(middle) // 2 or not all(double_byte(c) for c in run):
        return None
    run = run.translate(ASCII_MARKS)
    if not all(CJK.match(c) or c in ",?!:;" for c in run):  # seed 001's runs: characters and marks
        return None
    end = "€" if data[-1] == 0x80 else chr(data[-1])
    return "?" + remnant + run + end


def noisify_line(line: str, rng: random.Random, damage: bool | None = None) -> str:
    """One line of clean Simplified text, damaged like seed 001 (a misaligned span if
    `damage`, or with DAMAGED_LINES chance if it is None)."""
    text = S2TW.convert(line)
    damaged: tuple[int, int, str] | None = None
    damage = rng.random() < DAMAGED_LINES if damage is None else damage
    starts = list(range(1, len(text) - 3)) if damage else []
    rng.shuffle(starts)
    for start in starts:
        size = rng.randint(3, 7)  # seed 001's misaligned spans hold 2 to 8 characters
        stop = start + size
        if stop >= len(text) or not all(CJK.match(c) for c in text[start - 1:stop + 1]):
            continue
        toned = lazy_pinyin(text[start], style=Style.TONE)[0]
        remnant = toned + ")" if TONE_MARK.search(toned) and rng.random() < 0.4 else ""  # as seed 001's: toned
        shown = garble(text[start:stop], remnant)
        if shown:
            damaged = (start, stop, shown)
            break
    out = []
    for i, char in enumerate(text):
        if damaged and damaged[0] <= i < damaged[1]:
            if i == damaged[0]:
                out.append(damaged[2])
            continue
        out.append(char.translate(ASCII_MARKS))
        after = text[i + 1:i + 2]
        if CJK.match(char) and after not in ("(", "（") and rng.random() < 0.08:
            out.append(f"({reading(char, rng)})")
    return "".join(out)


def noisify(lines: list[str], rng: random.Random) -> str:
    """The first line always gets a misaligned span, the others by chance."""
    return "\n".join(noisify_line(line, rng, True if i == 0 else None) for i, line in enumerate(lines))


def sample(paragraphs: list[str], rng: random.Random, chars: int = 600) -> list[str]:
    start = rng.randrange(len(paragraphs))
    out: list[str] = []
    for text in paragraphs[start:] + paragraphs[:start]:
        if sum(map(len, out)) >= chars:
            break
        out.append(text)
    return out


def identity(expected: str, actual: str) -> float:
    actual = actual.replace(mojibake.OPEN, "").replace(mojibake.CLOSE, "")
    return difflib.SequenceMatcher(None, expected, actual, autojunk=False).ratio()


def test_noisifier_makes_seed_001_damage() -> None:
    rng = random.Random(0)
    line = "我们都认为这是一个非常重要的问题，对吧？科技界有很多关于员工流失的讨论。"
    noisy = noisify_line(line, rng, damage=True)
    assert "?" in noisy and "," in noisy and re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü1-5]+\)", noisy)
    assert garble("科技界有很多關", "") == "?萍冀缬泻芏嚓P"  # seed 001, line 72
    assert garble("如何才能讓每個", "nèi)") == "?nèi)绾尾拍茏屆總€"  # seed 001, line 115, with a remnant


@pytest.mark.parametrize("seed", range(8))
def test_cleaner_undoes_the_noise(real, seed: int) -> None:
    entry, tables, paragraphs = real
    rng = random.Random(seed)
    original = sample(paragraphs, rng)
    noisy = noisify(original, rng)
    lines, changes = clean.run(entry, noisy, tables)
    result = "\n".join(line.text for line in lines)
    expected = "\n".join(original)
    ratio = identity(expected, result)
    assert ratio >= 0.99, (ratio, [d for d in difflib.ndiff(expected.split("\n"), result.split("\n"))
                                   if d[0] in "+-?"][:8])
    assert any(c.rule == "gbk-realign" for c in changes)
