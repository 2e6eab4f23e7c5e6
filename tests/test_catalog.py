"""Catalog and YAML validation: every bad input is one EditionError naming file, line, field.

Data flow: YAML text in tmp_path -> read.load_yaml / parse_catalog -> EditionError.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reader import read
from reader.model import EditionError

GOOD = textwrap.dedent("""\
    - slug: 2024-01-test-doc
      seed: a.txt
      source_script: zh-Hans
      title: 标题
      outlet: 某网站
      date: 2024-01
      precision: month
      date_source: inferred
      date_note: 据内容推定
      event: 某访谈
      summary: 一句话
      participants:
        - {id: altman, name_zh: 奥特曼, name_en: Sam Altman, role: CEO}
      speakers: {奥特曼: altman}
""")


def parse(text: str, tmp_path: Path, seeds=frozenset({"a.txt"})):
    path = tmp_path / "catalog.yml"
    path.write_text(text, encoding="utf-8")
    return read.parse_catalog(read.load_yaml(path, "seeds/catalog.yml"), "seeds/catalog.yml", set(seeds))


def test_good_catalog_parses(tmp_path):
    [entry] = parse(GOOD, tmp_path)
    assert entry.slug == "2024-01-test-doc" and entry.precision == "month"
    assert entry.speakers == {"奥特曼": "altman"}


CASES = [
    # (what is changed, replacement, expected line, expected field, words in the message)
    ("slug: 2024-01-test-doc", "slug: 2024 Test", 1, "slug", "lowercase ASCII"),
    ("date: 2024-01", "date: 2024-01-05", 6, "date", "precision"),
    ("precision: month", "precision: week", 7, "precision", "day, month, year"),
    ("date_source: inferred", "date_source: guessed", 8, "date_source", "printed or inferred"),
    ("source_script: zh-Hans", "source_script: latin", 3, "source_script", "one of"),
    ("  summary: 一句话\n", "", 1, "summary", "missing"),
    ("  title: 标题", "  title: 标题\n  colour: red", 5, "colour", "unknown field"),
    ("  title: 标题", "  title: [1, 2]", 4, "title", "non-empty text"),
    ("{奥特曼: altman}", "{奥特曼: musk}", 14, "speakers.奥特曼", "not a participant"),
    ("seed: a.txt", "seed: b.txt", 2, "seed", "does not exist"),
    ("  title: 标题", "  title: 标题\n  title: 又一个", 5, "title", "duplicate key"),
    ("  outlet: 某网站", "  outlet: [unclosed", 6, "syntax", ""),
]


@pytest.mark.parametrize("old,new,line,field,words", CASES, ids=[c[3] + "-" + str(i) for i, c in enumerate(CASES)])
def test_bad_catalog_names_file_line_field(tmp_path, old, new, line, field, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(EditionError) as info:
        parse(text, tmp_path)
    err = info.value
    assert err.file == "seeds/catalog.yml"
    assert err.field == field
    assert err.line == line, str(err)
    assert words in err.message
    assert str(err).startswith(f"seeds/catalog.yml:{line}: {field}: ")


def test_seed_without_entry_is_an_error(tmp_path):
    with pytest.raises(EditionError, match="seeds/z.txt has no catalog entry"):
        parse(GOOD, tmp_path, seeds={"a.txt", "z.txt"})


@pytest.mark.parametrize("data,words", [
    (b"", "empty"),
    (b"hello world, no Chinese here\n", "no Chinese"),
    ("中文".encode("gb18030") + b"\xff\xfe\xfd", "not UTF-8"),
])
def test_bad_seed_bytes_are_refused(data, words):
    with pytest.raises(EditionError, match=words):
        read.decode_seed(data, "seeds/x.txt")


@pytest.mark.parametrize("data", [
    "中文".encode("utf-8"), b"\xef\xbb\xbf" + "中文".encode("utf-8"), "中文".encode("utf-16"),
    "中文\r\n一行".encode("utf-8"),
])
def test_good_seed_encodings_decode(data):
    assert read.decode_seed(data, "x").startswith("中文")
