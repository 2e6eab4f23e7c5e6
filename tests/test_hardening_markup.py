"""Hardening, markup and names: a string from any data file is text in every edition, and a
document can never take the place of a generated page or duplicate an id.

Data flow: a copy of the project (test_robust.make_project) -> a hostile table entry or slug ->
mkdocs build -> the built HTML (nothing executable) or one ERROR line naming file, line, field.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader import pages, script
from reader.clean.table import Rule
from test_robust import Text, add_seed, make_project, mkdocs

SEED = "新的一篇\n\n主持人：你好，欢迎来到节目。\n嘉宾：谢谢邀请。\n"
HOSTILE = "<img src=x onerror=alert(2)>"
ROOT = Path(__file__).resolve().parent.parent


def test_a_phrase_rule_is_text_in_markdown_pages_too():
    conv = script.Converter([Rule(table="t", line=1, find="來源", replace="來源" + HOSTILE, reason="测试")])
    assert "<img" not in conv.markdown("来源：某网站") and "&#60;img" in conv.markdown("来源：某网站")
    assert conv("来源") == "來源" + HOSTILE  # document text is escaped later, at render


@pytest.mark.slow
def test_markup_in_the_zh_hant_table_never_reaches_a_page_as_markup(tmp_path):
    """On the real project: every page of the zh-Hant edition, with the five documents' text."""
    project = make_project(tmp_path)
    table = project / "seeds" / "corrections" / "zh-hant.yml"
    with open(table, "a", encoding="utf-8") as f:  # labels (card), nav titles, the about page, the text
        for find in ("來源", "首頁", "關於本版", "奧特曼"):
            f.write(f"- find: {find}\n  replace: '{find}{HOSTILE}'\n  reason: 测试\n")
    subprocess.run([sys.executable, str(ROOT / "tools" / "sort_table.py"), str(table)], check=True)
    run = mkdocs(project, "mkdocs.zh-Hant.yml", "site/zh-Hant")
    assert run.returncode == 0, run.stderr
    built = list((project / "site" / "zh-Hant").rglob("*.html"))
    assert len(built) >= 9
    shown = 0
    for page in built:
        source = page.read_text(encoding="utf-8")
        assert "<img src=x" not in source, page  # not in nav, <title>, card, about, text
        if "assets" not in page.parts and page.name == "index.html" and '<article class="md-content__inner' in source:
            text = "".join(Text(source).text)
            shown += text.count(HOSTILE)
            assert not [t for t, a in Text(source).tags if t == "img" and "onerror" in a]
    assert shown > 10  # the entries did apply, and show literally


@pytest.mark.parametrize("slug", ["apparatus", "index", "top", "search", "assets", "zh-hant", "about", "x-counts"])
def test_a_reserved_slug_is_refused_naming_the_catalog_line(tmp_path, slug):
    project = make_project(tmp_path, tiny=True)
    lines = (project / "seeds" / "catalog.yml").read_text(encoding="utf-8").count("\n")
    add_seed(project, SEED, _entry(slug))
    run = mkdocs(project)
    errors = [ln for ln in (run.stdout + run.stderr).splitlines() if ln.startswith("ERROR")]
    assert run.returncode != 0 and len(errors) == 1 and "Traceback" not in run.stderr, run.stderr
    assert re.search(rf"seeds/catalog\.yml:{lines + 2}: slug: '{re.escape(slug)}' ", errors[0]), errors[0]


def test_a_clash_with_a_hand_written_page_names_both(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, SEED, _entry("2026-01-new-doc"))
    (project / "docs" / "2026-01-new-doc.md").write_text("# 手写的一页\n", encoding="utf-8")
    run = mkdocs(project)
    errors = [ln for ln in (run.stdout + run.stderr).splitlines() if ln.startswith("ERROR")]
    assert run.returncode != 0 and len(errors) == 1, run.stderr
    assert "docs/2026-01-new-doc.md" in errors[0] and "seeds/catalog.yml:" in errors[0], errors[0]


def test_every_reserved_name_is_explained():
    assert all(isinstance(v, str) and v for v in pages.RESERVED.values())
    assert {"index", "apparatus", "about", "top"} <= set(pages.RESERVED)


def _entry(slug: str) -> str:
    from test_robust import ENTRY

    return ENTRY.replace("slug: 2026-01-new-doc", f"slug: {slug}")
