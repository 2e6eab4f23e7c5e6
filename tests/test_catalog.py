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
      completeness: complete
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
    ("{奥特曼: altman}", "{奥特曼: [altman]}", 14, "speakers.奥特曼", "not a participant"),
    ("  title: 标题", "  title: 标题\n  title_line: true", 5, "title_line", "line number"),
    ("completeness: complete", "completeness: mostly", 15, "completeness", "complete or partial"),
    ("completeness: complete", "completeness: partial", 1, "missing", "what is missing"),
    ("completeness: complete", "completeness: partial\n  missing: 第2页", 1, "completeness_note", "how we know"),
    ("completeness: complete", "completeness: complete\n  missing: 第2页", 16, "missing", "say partial"),
    ("  title: 标题", "  title: 标题\n  title_hant: [x]", 5, "title_hant", "must be text"),
    # hardening: values are validated whole (no trailing newline), dates are real, ids unique
    ("slug: 2024-01-test-doc", 'slug: "probe-doc\\n"', 1, "slug", "lowercase ASCII"),
    ("seed: a.txt", "seed: ../a.txt", 2, "seed", "no folders"),
    ("date: 2024-01\n  precision: month", "date: 2024-02-30\n  precision: day", 6, "date", "not a real date"),
    ("date: 2024-01\n  precision: month", "date: 2024-13-45\n  precision: day", 6, "date", "not a real date"),
    ("date: 2024-01", "date: 2024-13", 6, "date", "not a real date"),
    ("date: 2024-01\n  precision: month", "date: 2024\n  precision: year", 6, "date", "'2024' in quotes"),
    ("date: 2024-01\n  precision: month", "date: !!timestamp 2024-01-05\n  precision: day", 6, "date",
     "'2024-01-05' in quotes"),
    ("  outlet: 某网站", "  outlet: yes", 5, "outlet", "in quotes"),
    ("role: CEO}", "role: CEO}\n    - {id: altman, name_zh: 又一个, name_en: X, role: Y}", 14, "participants.id",
     "used twice"),
    ("  title: 标题", "  title: 标题\n  source_url: \"https://example.com/a'onmouseover=x\"", 5, "source_url",
     "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: https://example.com/a b", 5, "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: &t 标题", 4, "yaml", "anchors and aliases"),
    ("  outlet: 某网站", "  outlet: *t", 5, "yaml", "anchors and aliases"),
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
    "中文".encode(), b"\xef\xbb\xbf" + "中文".encode(), "中文".encode("utf-16"),
    "中文\r\n一行".encode(),
])
def test_good_seed_encodings_decode(data):
    assert read.decode_seed(data, "x").startswith("中文")


# ---------------------------------------------------------------- fuzzing the catalog parser

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                      max_leaves=8)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(list(read.REQUIRED + read.OPTIONAL) + ["extra"]), VALUES, max_size=14))
def test_any_catalog_data_gives_an_entry_or_an_edition_error(tmp_path, fields):
    base = yaml.safe_load(GOOD)[0]
    base.update(fields)
    text = yaml.safe_dump([base], allow_unicode=True)
    try:
        parse(text, tmp_path)
    except EditionError as err:
        assert err.file == "seeds/catalog.yml" and err.field


TABLE_KEYS = ["find", "replace", "reason", "docs", "doc", "line", "pattern", "at", "note", "extra"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(TABLE_KEYS), VALUES, max_size=6), max_size=3),
       st.sampled_from(["names", "boilerplate", "protect"]))
def test_any_table_data_gives_rules_or_an_edition_error(tmp_path, entries, kind):
    from reader.clean import boilerplate, table

    path = tmp_path / f"{kind}.yml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    data = read.load_yaml(path, f"seeds/corrections/{kind}.yml")
    try:
        if kind == "boilerplate":
            boilerplate.parse_rules(data, path.name, {"a-b"})
        else:
            table.parse_rules(data, path.name, {"a-b"}, need_replace=kind != "protect")
    except EditionError as err:
        assert err.field
