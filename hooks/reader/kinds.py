"""The kinds of Change, declared once: id -> label (zh-Hans), order, description.

Data flow: none (a table). The stages that make Changes use these ids (clean/boilerplate:
title, boilerplate; clean/__init__: one per line stage, and script; structure and speakers:
speaker); pages.KINDS (the apparatus page, the correction marks' explanations, the print
edition, crosscheck) is LABELS, converted to zh-Hant by the edition's converter; render takes
the whole-line kinds from here; hooks/reader/edition.schema.json lists IDS as the enum of an
apparatus entry's `kind` (tests/test_kinds.py checks both, and that every kind a Change is
made with in hooks/ is in the table). A new cleaning stage adds one row here (and its value
to the schema's enum, a minor version).

Order is the pipeline's: the order in which the stages run and their Changes are appended.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    id: str
    label: str  # zh-Hans; the zh-Hant edition converts it
    description: str
    whole_line: bool = False  # its Changes drop a whole source line


TABLE: tuple[Kind, ...] = (
    Kind("title", "标题行", "the seed's title line, moved to the page title", whole_line=True),
    Kind("boilerplate", "网页残留", "site furniture dropped (seeds/corrections/boilerplate.yml)", whole_line=True),
    Kind("mojibake", "乱码修复",
         "GBK byte misalignment repaired; a lost byte conjectured 〔…〕 (by the model or seeds/corrections/conjectures.yml) or shown □"),
    Kind("pinyin", "拼音注音", "a parenthesised romanization after a character removed (checked with pypinyin)"),
    Kind("overconversion", "繁简误转",
         "Traditional/Taiwan phrasing made Simplified (OpenCC, protect.yml, overconversion.yml)"),
    Kind("script", "繁简转换", "one summary Change per seed written in Traditional characters"),
    Kind("names", "人名粘连", "glued or misspelt names (seeds/corrections/names.yml)"),
    Kind("typos", "错字", "typos (seeds/corrections/typos.yml)"),
    Kind("punctuation", "标点", "half-width marks, quotes and spaces in Chinese text (clean/punctuation.py)"),
    Kind("speaker", "说话人标签", "a speaker label the edition adds or changes (seeds/speakers.yml)"),
)
IDS: tuple[str, ...] = tuple(k.id for k in TABLE)
#: kind -> its label in zh-Hans, in pipeline order.
LABELS: dict[str, str] = {k.id: k.label for k in TABLE}
ORDER: dict[str, int] = {k.id: n for n, k in enumerate(TABLE)}
WHOLE_LINE: frozenset[str] = frozenset(k.id for k in TABLE if k.whole_line)
