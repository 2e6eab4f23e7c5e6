"""The CJK character class is defined once (hooks/reader/cjk.py) and imported everywhere.

Data flow: every .py file under hooks/ -> text -> a search for a Han code-point range or a
module-level CJK/HAN definition outside cjk.py; cjk's patterns -> sample characters.
"""
from __future__ import annotations

import re
from pathlib import Path

from reader import cjk

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
#: A Han range written out (escaped or literal), a Unicode-property class, or a module-level
#: CJK/HAN constant: each is a second definition of the class.
ANOTHER = re.compile(
    r"\\u(?:3400|4dbf|4e00|9f[a-f][0-9a-f]|f900|faff)|\\U0002[0-9a-f]{4}|[\u3400\u4e00\uf900]-"
    r"|\\p\{(?:Han|Script=Han|IsHan|sc=Han)\}|^(?:CJK|HAN)\w* *[:=]",
    re.IGNORECASE | re.MULTILINE)


def test_no_other_definition_in_hooks():
    found = [f"{p.relative_to(HOOKS)}:{p.read_text(encoding='utf-8')[:m.start()].count(chr(10)) + 1}: {m.group(0)!r}"
             for p in sorted(HOOKS.rglob("*.py")) if p != HOOKS / "reader" / "cjk.py"
             for m in ANOTHER.finditer(p.read_text(encoding="utf-8"))]
    assert found == [], "import the class from reader/cjk.py instead:\n" + "\n".join(found)


def test_the_grep_finds_a_definition():
    for source in ('CJK = "\\u4e00-\\u9fff"', 'HAN = re.compile("[一-龥]")', "X = regex.compile(r'\\p{Han}')",
                   'PAT = re.compile(r"[\\u3400-\\u4DBF]")'):
        assert ANOTHER.search(source), source


def test_the_class():
    for ch in "中國㐀䶿鿿豈﫿":  # URO, Extension A and the compatibility block, first and last
        assert cjk.HAN.fullmatch(ch) and cjk.CHINESE.fullmatch(ch), ch
    for ch in "a1 ，。〇\u3000\u2e80\U00020000":  # punctuation, 〇 (U+3007), radicals, Extension B
        assert not cjk.HAN.fullmatch(ch), ch
    assert all(cjk.CHINESE.fullmatch(ch) for ch in cjk.FULL_PUNCT)
    assert cjk.HAN_RUN.findall("GPT-4o是中文，模型") == ["是中文", "模型"]
