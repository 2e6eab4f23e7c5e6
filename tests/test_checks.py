"""Systematic checks of the built text (hooks/reader/checks.py) over the real corpus.

Data flow: seeds/ -> corpus.load -> every title, heading, paragraph and list item of every
Document, and the editors' glossary, people and timeline texts (zh-Hans; for brackets and
quote style also the zh-Hant edition) -> one check per
class -> findings minus the class's exceptions (seeds/checks/<class>.yml). A finding left
over fails, listed with its document, anchor and context. The exception tables are
validated (file, line, field), sorted, free of duplicates, and every entry must excuse a
finding. The checks themselves are pure and tested on small examples first. No MkDocs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader import checks, corpus, crosscheck, pages, read, site
from reader.clean import table
from reader.model import EditionError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HANT_ONLY_FOR = ("brackets", "quote-style")  # the classes also run on the zh-Hant edition


def units(text: str, doc: str = "d") -> list[checks.Unit]:
    return [checks.Unit(doc, "p1-1", text)]


def matches(findings: list[checks.Finding]) -> list[str]:
    return [f.match for f in findings]


# ---------------------------------------------------------------- the checks on examples


def test_traditional_characters():
    found = checks.traditional_characters(units("那将完全违揹我相信的價值，显著的著作"))
    assert matches(found) == ["揹", "價"]
    assert "揹→背" in found[0].detail
    assert checks.traditional_characters(units("干净、后面、显著、著名、乾隆、一只、里面")) == []


def test_taiwan_words():
    vocab = [checks.Word("生态系", "生态系统", "r", ("生态系统",)), checks.Word("档", "文档", "r", ("档位",))]
    found = checks.taiwan_words(units("整个生态系中，讨论的档，2000美元的档位，生态系统"), vocab)
    assert matches(found) == ["生态系", "档"]


def test_doubled_words():
    found = checks.doubled_words(units("我们要要做这个，之类的的话，研究研究"))
    assert matches(found) == ["要要", "的的", "研究研究"]
    fine = "谢谢，常常看看，人人都说，现在在美国，比如如果，水灵灵，板上钉钉，使用用户，一点点"
    assert checks.doubled_words(units(fine)) == []


def test_brackets():
    found = checks.brackets(units("(好吧，没问题。让用户(自由使用)，Oli [ Oliver ]，“未闭合"))
    assert matches(found) == ["(", "(", ")", "]", "“"]
    fine = "Sam Altman (CEO) said “it’s fine” (twice). （UI）与《书》「引」『引』〔推补〕，don't"
    assert checks.brackets(units(fine)) == []


def test_quote_style():
    assert matches(checks.quote_style(units("他说「好」，『对』“行”"), "zh-Hans")) == ["「", "」", "『", "』"]
    assert matches(checks.quote_style(units("他说「好」，“行”，OpenAI’s"), "zh-Hant")) == ["“", "”"]


def test_spacing():
    found = checks.spacing(units("在 Ray Summit 2024 大会上，99% 的人…… 如果 GPT 4o 与 Sam Altman"))
    assert len(found) == 7  # 在_Ray 2024_大 99%_的 ……_如果 如果_GPT 4o_与 与_Sam
    assert found[0].snippet.startswith("在 Ray Sum")
    assert checks.spacing(units("原文见 https://a.b/c 这里，在Ray Summit 2024大会上")) == []


def test_exceptions_cover_the_match_only():
    finding = checks.doubled_words(units("我只举两点来具体说说。"))[0]
    rule = table.Rule("具体说说", "具体说说", "动词重叠", ())
    assert checks.excused_by(finding, rule)
    assert not checks.excused_by(finding, table.Rule("两点", "两点", "r", ()))
    assert not checks.excused_by(finding, table.Rule("具体说说", "具体说说", "r", ("other",)))


def test_exception_table_errors_name_file_line_field(tmp_path):
    bad = tmp_path / "x.yml"
    bad.write_text("- find: b\n  reason: r\n- find: a\n  reason: r\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"x.yml:3: find: 'a' is out of order"):
        checks.parse_exceptions(read.load_yaml(bad, "x.yml"), "x.yml", set())
    bad.write_text("- find: a\n  reason: r\n  replace: b\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"x.yml:3: replace: unknown field"):
        checks.parse_exceptions(read.load_yaml(bad, "x.yml"), "x.yml", set())
    bad.write_text("- find: a\n  mainland: b\n  reason: r\n  unless: [c]\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"x.yml:4: unless"):
        checks.parse_vocabulary(read.load_yaml(bad, "x.yml"), "x.yml")


# ---------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def loaded() -> corpus.Corpus:
    return corpus.load(ROOT)


#: Where the editors' own texts stand (crosscheck.data_items): an exception's `docs` may name them.
DATA_PAGES = {"glossary", "people", "timeline"}


@pytest.fixture(scope="module")
def slugs(loaded) -> set[str]:
    return {d.entry.slug for d in loaded.docs} | DATA_PAGES


@pytest.fixture(scope="module")
def edition(loaded, slugs) -> pages.Edition:
    return pages.make_edition(loaded, "zh-Hant", site.hant_rules(ROOT, slugs))


@pytest.fixture(scope="module")
def data(loaded, edition) -> list[tuple[str, str, str, str]]:
    """The glossary's, people's and timeline's texts: (page, id, Simplified, Traditional)."""
    items = crosscheck.data_items(loaded.terms, loaded.people, loaded.timeline.events, edition.conv)
    assert {page for page, *_ in items} == DATA_PAGES
    return items


@pytest.fixture(scope="module")
def hans(loaded, data) -> list[checks.Unit]:
    return [u for d in loaded.docs for u in checks.units(d)] + [checks.Unit(p, a, t) for p, a, t, _ in data]


@pytest.fixture(scope="module")
def hant(edition, data) -> list[checks.Unit]:
    return [u for d in edition.docs for u in checks.units(d)] + [checks.Unit(p, a, t) for p, a, _, t in data]


def exceptions(cls: str, slugs: set[str]) -> list[table.Rule]:
    path = SEEDS / "checks" / f"{cls}.yml"
    label = f"seeds/checks/{cls}.yml"
    return checks.parse_exceptions(read.load_yaml(path, label), label, slugs) if path.exists() else []


def vocabulary() -> list[checks.Word]:
    label = "seeds/checks/taiwan-vocabulary.yml"
    return checks.parse_vocabulary(read.load_yaml(SEEDS / "checks" / "taiwan-vocabulary.yml", label), label)


def run(cls: str, items: list[checks.Unit], lang: str = "zh-Hans") -> list[checks.Finding]:
    if cls == "taiwan-words":
        return checks.taiwan_words(items, vocabulary())
    if cls == "quote-style":
        return checks.quote_style(items, lang)
    return getattr(checks, cls.replace("-", "_"))(items)


def report(left: list[checks.Finding]) -> str:
    return f"{len(left)} finding(s); fix them through seeds/corrections/ or excuse them with a reason " \
           f"in seeds/checks/<class>.yml:\n" + "\n".join(map(str, left))


@pytest.mark.parametrize("cls", checks.CLASSES)
def test_zh_hans_is_clean(cls, hans, slugs):
    left, _ = checks.unexcused(run(cls, hans), exceptions(cls, slugs))
    assert not left, report(left)


@pytest.mark.parametrize("cls", HANT_ONLY_FOR)
def test_zh_hant_is_clean(cls, hant, slugs):
    left, _ = checks.unexcused(run(cls, hant, "zh-Hant"), exceptions(cls, slugs))
    assert not left, report(left)


@pytest.mark.parametrize("cls", checks.CLASSES)
def test_every_exception_is_used(cls, hans, hant, slugs):
    rules = exceptions(cls, slugs)
    _, used = checks.unexcused(run(cls, hans), rules)
    if cls in HANT_ONLY_FOR:
        used |= checks.unexcused(run(cls, hant, "zh-Hant"), rules)[1]
    unused = [f"{r.table}:{r.line}: {r.find!r} excuses nothing" for r in rules if r.id not in used]
    assert unused == []


def test_exception_tables_parse_sorted_and_unique(slugs):
    """parse_exceptions raises on unknown fields, unsorted or duplicate entries; loading is the assertion."""
    names = {p.stem for p in (SEEDS / "checks").glob("*.yml")}
    assert set(checks.CLASSES) <= names, f"missing exception tables: {set(checks.CLASSES) - names}"
    for cls in checks.CLASSES:
        exceptions(cls, slugs)
    assert len(vocabulary()) > 40
