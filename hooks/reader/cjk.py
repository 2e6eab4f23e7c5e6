"""The CJK character class, defined once for the whole pipeline.

Data flow: none (constants only). Every module that asks "is this a Chinese character?" or
"is this Chinese context?" imports from here (read, clean/mojibake, clean/pinyin,
clean/punctuation, structure, checks); tests/test_cjk.py fails if hooks/ defines another.

RANGE is the character-class body, for building other patterns ("[{RANGE}]", "(?<=[{RANGE}])"):
  U+3400-4DBF  CJK Unified Ideographs Extension A (rare characters; found in names and GBK text)
  U+4E00-9FFF  CJK Unified Ideographs (the URO: every common Simplified and Traditional character)
  U+F900-FAFF  CJK Compatibility Ideographs (round-trip duplicates from legacy encodings)
The supplementary planes (Extension B and later, U+20000 up) are left out: none of the seeds
holds one, and GBK, the encoding whose damage the cleaner repairs, cannot encode them.
"""
from __future__ import annotations

import re

RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: One Han character.
HAN = re.compile(f"[{RANGE}]")
#: A run of Han characters.
HAN_RUN = re.compile(f"[{RANGE}]+")
#: Full-width punctuation: it makes its neighbours Chinese context, as a Han character does.
FULL_PUNCT = "，。！？；：、“”‘’（）《》「」『』【】〔〕〈〉［］…—·"
#: One character of Chinese context: Han or full-width punctuation.
CHINESE = re.compile(f"[{RANGE}{FULL_PUNCT}]")
