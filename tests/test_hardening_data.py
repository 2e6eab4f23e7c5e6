"""Hardening of the data surface: YAML bombs, catastrophic regexes, lax validation, encodings.

Data flow: hostile YAML / table entries / seed bytes -> read.load_yaml, parse_catalog,
boilerplate.parse_rules + fix, structure.parse_layouts + build, read.decode_seed ->
one EditionError naming file, line and field, quickly. The last tests build a copy of the
project (tests/test_robust.py) and expect one ERROR line for an alias bomb and for a
catastrophic pattern.
"""
from __future__ import annotations

import codecs
import re
import time
from pathlib import Path

import pytest

from reader import limits, read, structure
from reader.clean import boilerplate
from reader.model import EditionError, Line
from test_catalog import GOOD, parse
from test_robust import ENTRY, _edit, add_seed, make_project, mkdocs

SLUGS = {"2024-01-test-doc"}


def load(text: str, tmp_path: Path, name: str = "seeds/x.yml"):
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    return read.load_yaml(path, name)


# The time bounds below tell a bounded refusal from an unbounded one (an alias bomb or a
# catastrophic pattern without the limits runs for hours); they are not speed targets (those
# are in `make bench`) and leave a wide margin for a loaded machine.
HANG = 30.0


def refused(fn, *args, within: float = HANG) -> EditionError:
    start = time.perf_counter()
    with pytest.raises(EditionError) as info:
        fn(*args)
    assert time.perf_counter() - start < within, "refused, but too slowly"
    assert len(str(info.value)) < 400, "the message must not print a whole value"
    return info.value


# ------------------------------------------------------------------------------- YAML

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


def test_alias_bomb_is_refused_fast(tmp_path):
    assert len(BOMB) < 500
    err = refused(load, BOMB, tmp_path)
    assert (err.file, err.line, err.field) == ("seeds/x.yml", 1, "yaml")
    assert "anchors and aliases (&x / *x) are not allowed" in err.message


@pytest.mark.parametrize("text", ["x: *nowhere\n", "- &a x\n- y\n", "- !!str &a x\n", "&root {a: 1}\n",
                                  "a: 1\n<<: *b\n"])
def test_every_anchor_or_alias_is_refused(tmp_path, text):
    assert refused(load, text, tmp_path).field == "yaml"


@pytest.mark.parametrize("text", ["x: " + "[" * 5000 + "]" * 5000 + "\n", "x: " + "{a: " * 3000 + "1" + "}" * 3000,
                                  "x:\n" + "".join("  " * i + "-\n" for i in range(1, 200))])
def test_deep_nesting_is_refused_with_a_clear_message(tmp_path, text):
    err = refused(load, text, tmp_path)
    assert err.field == "yaml" and f"more than {limits.MAX_DEPTH} levels" in err.message and err.line >= 1


def test_nesting_within_the_limit_still_loads(tmp_path):
    depth = limits.MAX_DEPTH - 2  # the top mapping and the innermost scalar are levels too
    assert load("x: " + "[" * depth + "1" + "]" * depth, tmp_path)["x"]


@pytest.mark.parametrize("text,words", [
    ("x: " + "9" * 5000 + "\n", "too long"),
    ("x: !!timestamp 2024-13-45\n", "not a date"),
    ("x: \x01\n", "special characters"),
])
def test_odd_scalars_are_edition_errors(tmp_path, text, words):
    assert words in refused(load, text, tmp_path).message


def test_messages_quote_values_short(tmp_path):
    err = refused(parse, GOOD.replace("slug: 2024-01-test-doc", "slug: '" + "X" * 100_000 + "'"), tmp_path)
    assert err.field == "slug" and "…" in err.message
    assert len(limits.quote(list(range(100_000)))) <= limits.QUOTE


# ------------------------------------------------------------------------------- catalog validation

@pytest.mark.parametrize("old,new,field,words", [
    ("slug: 2024-01-test-doc", 'slug: "probe-doc\\n"', "slug", "lowercase ASCII"),
    ("date: 2024-01\n  precision: month", "date: 2024-02-30\n  precision: day", "date", "not a real date"),
    ("date: 2024-01\n  precision: month", "date: 2024-13-45\n  precision: day", "date", "not a real date"),
    ("date: 2024-01\n  precision: month", "date: 2023-02-29\n  precision: day", "date", "not a real date"),
    ("date: 2024-01\n  precision: month", "date: 2024\n  precision: year", "date",
     "write the date as text, e.g. '2024' in quotes"),
    ("date: 2024-01\n  precision: month", "date: !!timestamp 2024-01-05\n  precision: day", "date",
     "write the date as text, e.g. '2024-01-05' in quotes"),
    ("date: 2024-01", "date: 2024-01\n  title_hant: 標題", None, None),  # control: still good
    ("role: CEO}", "role: CEO}\n    - {id: altman, name_zh: 又一个, name_en: X, role: Y}", "participants.id",
     "used twice"),
    ("  title: 标题", "  title: 标题\n  source_url: \"https://example.com/a'b\"", "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: 'https://example.com/a\"b'", "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: 'https://example.com/<b>'", "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: 'https://example.com/`b`'", "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: \"https://example.com/a\\n\"", "source_url", "not an http(s) URL"),
    ("  title: 标题", "  title: 标题\n  source_url: 2024", "source_url", "in quotes"),
    ("  outlet: 某网站", "  outlet: 1.5", "outlet", "'1.5' in quotes"),
    ("  outlet: 某网站", "  outlet: no", "outlet", "true or false"),
    ("  outlet: 某网站", "  outlet:", "outlet", "is empty"),
    ("{id: altman,", "{id: \"altman\\n\",", "participants.id", "not an ASCII id"),
    ("seed: a.txt", "seed: \"a.txt\\n\"", "seed", "no folders"),
])
def test_catalog_values_are_validated_whole(tmp_path, old, new, field, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    if field is None:
        parse(text, tmp_path)
        return
    err = refused(parse, text, tmp_path)
    assert err.file == "seeds/catalog.yml" and err.line > 0
    assert (err.field, words in err.message) == (field, True), str(err)


def test_real_dates_at_each_precision_pass(tmp_path):
    for date, precision in (("2024-02-29", "day"), ("2024-12", "month"), ("1999", "year")):
        text = GOOD.replace("date: 2024-01\n  precision: month", f"date: '{date}'\n  precision: {precision}")
        assert parse(text, tmp_path)[0].date == date


# ------------------------------------------------------------------------------- data-supplied regexes

SLOW = ["(a|aa)+$", "(a|a)+$", "(a+)+$", "((a+)+)+b", "(.*a){25}", "(\\w+\\s?)+$"]
LINE = "a" * 40 + "!"


@pytest.mark.parametrize("pattern", SLOW)
def test_catastrophic_boilerplate_pattern_is_bounded(tmp_path, pattern):
    text = f"- doc: 2024-01-test-doc\n  pattern: '{pattern}'\n  reason: x\n"
    rules = boilerplate.parse_rules(load(text, tmp_path, "seeds/corrections/boilerplate.yml"),
                                    "seeds/corrections/boilerplate.yml", SLUGS)
    lines = [Line(i, LINE) for i in range(1, 40)]
    start = time.perf_counter()
    try:
        boilerplate.fix("2024-01-test-doc", lines, rules)
    except EditionError as err:
        assert (err.file, err.line, err.field) == ("seeds/corrections/boilerplate.yml", 2, "pattern")
        assert "pattern took too long on seed 2024-01-test-doc line 1" in err.message and "simplify" in err.message
    assert time.perf_counter() - start < limits.BUDGET + HANG


@pytest.mark.parametrize("pattern", SLOW)
def test_catastrophic_heading_pattern_is_bounded(tmp_path, pattern):
    from test_robust import FUZZ_ENTRY

    entry = FUZZ_ENTRY
    text = f"{entry.slug}:\n  heading: '{pattern}'\n"
    layouts = structure.parse_layouts(load(text, tmp_path, "seeds/structure.yml"), "seeds/structure.yml",
                                      {entry.slug})
    start = time.perf_counter()
    try:
        structure.build(entry, [Line(i, LINE) for i in range(1, 40)], layouts[entry.slug])
    except EditionError as err:
        assert (err.file, err.line, err.field) == ("seeds/structure.yml", 2, f"{entry.slug}.heading")
        assert f"seed {entry.seed} line 1" in err.message
    assert time.perf_counter() - start < limits.BUDGET + HANG


def test_known_catastrophic_pattern_is_refused(tmp_path):
    text = "- doc: 2024-01-test-doc\n  pattern: '(a|aa)+$'\n  reason: x\n"
    rules = boilerplate.parse_rules(load(text, tmp_path), "b.yml", SLUGS)
    err = refused(boilerplate.fix, "2024-01-test-doc", [Line(7, LINE)], rules)
    assert (err.file, err.line, err.field) == ("b.yml", 2, "pattern")
    assert "line 7" in err.message


@pytest.mark.parametrize("value,words", [("x" * (limits.MAX_PATTERN + 1), "at most"), ("(", "bad regex"),
                                         ("[1, 2]", "regular expression"), ("a{99999999999}", "bad regex")])
def test_patterns_are_checked_when_read(tmp_path, value, words):
    raw = value if value.startswith("[") else f"'{value}'"
    text = f"- doc: 2024-01-test-doc\n  pattern: {raw}\n  reason: x\n"
    err = refused(boilerplate.parse_rules, load(text, tmp_path), "b.yml", SLUGS)
    assert err.field in ("pattern", "line") and err.line >= 1
    if err.field == "pattern":
        assert words in err.message
    text = f"2024-01-test-doc:\n  heading: {raw}\n"
    err = refused(structure.parse_layouts, load(text, tmp_path), "s.yml", SLUGS)
    assert (err.line, err.field) == (2, "2024-01-test-doc.heading") and words in err.message


def test_layout_refuses_internal_fields(tmp_path):
    err = refused(structure.parse_layouts, load("2024-01-test-doc:\n  matcher: x\n", tmp_path), "s.yml", SLUGS)
    assert err.field == "2024-01-test-doc.matcher" and "unknown field" in err.message


def test_ordinary_patterns_still_match(tmp_path):
    text = "- doc: 2024-01-test-doc\n  pattern: '共\\s*\\d+\\s*页'\n  reason: pager\n"
    rules = boilerplate.parse_rules(load(text, tmp_path), "b.yml", SLUGS)
    kept, changes = boilerplate.fix("2024-01-test-doc", [Line(1, "正文"), Line(2, "共 3 页")], rules)
    assert [ln.text for ln in kept] == ["正文"] and changes[0].rule == "b.yml:1"


# ------------------------------------------------------------------------------- seed encodings

TEXT = "主持人：这是一段中文文本，用来测试。\n嘉宾：好的，谢谢。\n" * 4


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named(enc):
    err = refused(read.decode_seed, TEXT.encode(enc), "seeds/n.txt")
    assert err.field == "encoding" and "without a byte order mark" in err.message
    assert f"iconv -f {enc.upper().replace('-LE', 'LE').replace('-BE', 'BE')}" in err.message
    assert "BIG5" not in err.message and "GB18030" not in err.message


def test_utf16_without_bom_and_without_ascii_is_named():
    err = refused(read.decode_seed, "中文只有汉字没有标点符号的一段话".encode("utf-16-le"), "seeds/n.txt")
    assert "UTF-16LE" in err.message


def test_a_stray_byte_in_utf8_is_located_not_guessed():
    data = TEXT.encode()
    cut = data.index("嘉宾".encode())
    err = refused(read.decode_seed, data[:cut] + b"\xff" + data[cut:], "seeds/n.txt")
    assert (err.line, err.field) == (2, "encoding")
    assert "invalid UTF-8 byte 0xFF at line 2, column 1" in err.message and "iconv" not in err.message
    cut = data.index("文本".encode()) + 1  # inside a character: the broken sequence is the stray
    err = refused(read.decode_seed, data[:cut] + data[cut + 1:], "seeds/n.txt")
    assert re.search(r"invalid UTF-8 byte 0x[0-9A-F]{2} at line 1, column 11", err.message), err.message


def test_damaged_utf16_with_bom_names_the_file():
    data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
    err = refused(read.decode_seed, data[:-1], "seeds/n.txt")
    assert (err.file, err.field) == ("seeds/n.txt", "encoding") and "UTF-16" in err.message


def test_legacy_encodings_are_still_guessed():
    assert "Big5" in refused(read.decode_seed, TEXT.encode("big5", "replace"), "seeds/n.txt").message
    assert "GB18030/GBK" in refused(read.decode_seed, TEXT.encode("gbk"), "seeds/n.txt").message


# ------------------------------------------------------------------------------- builds of a copy


def one_error(project: Path) -> str:
    run = mkdocs(project)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback" not in output, output
    errors = [ln for ln in output.splitlines() if ln.startswith("ERROR")]
    assert len(errors) == 1, output
    assert not (project / "site" / "index.html").exists()
    return errors[0]


def test_build_refuses_an_alias_bomb_in_the_catalog(tmp_path):
    project = make_project(tmp_path)
    bomb = "".join(f"  x{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                   for p, c in zip("abcdefgh", "bcdefghi"))
    _edit(project, "seeds/catalog.yml", "  outlet: 凤凰科技", "  outlet: &a 凤凰科技\n" + bomb.rstrip("\n"))
    start = time.perf_counter()
    error = one_error(project)
    assert time.perf_counter() - start < 120
    assert re.search(r"reader edition: seeds/catalog\.yml:\d+: yaml: anchors and aliases \(&x / \*x\) "
                     r"are not allowed in data files", error), error


def test_build_refuses_a_catastrophic_boilerplate_pattern(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, "新的一篇\n\n主持人：你好。\n" + LINE + "\n嘉宾：谢谢。\n", ENTRY)
    with open(project / "seeds" / "corrections" / "boilerplate.yml", "a", encoding="utf-8") as f:
        f.write("- doc: 2026-01-new-doc\n  pattern: '(a|aa)+$'\n  reason: 测试\n")
    lines = (project / "seeds" / "corrections" / "boilerplate.yml").read_text(encoding="utf-8").splitlines()
    at = lines.index("  pattern: '(a|aa)+$'") + 1
    error = one_error(project)
    assert re.search(rf"reader edition: seeds/corrections/boilerplate\.yml:{at}: pattern: pattern took too long "
                     r"on seed 2026-01-new-doc line 4", error), error
