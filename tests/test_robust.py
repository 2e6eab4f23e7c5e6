"""Robustness, tried as an editor would: a copy of the project in tmp_path gets a new seed
(ordinary, hostile or malformed) or broken data, and is built with `mkdocs build --strict`.

Data flow: repo files -> tmp project -> edit -> mkdocs build -> built HTML or the error text.
Fixtures: tests/fixtures/hostile.txt (hostile lines, expected to render literally) and the
MALFORMED cases below (expected: one message naming file, line and field; exit non-zero;
no traceback).
"""
from __future__ import annotations

import hashlib
import html.parser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, build_env
from reader import structure
from reader.model import CatalogEntry, Line, Participant

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COPY = ("mkdocs.yml", "mkdocs.zh-Hant.yml", "hooks", "overrides", "docs", "seeds")
ENTRY = """
- slug: 2026-01-new-doc
  seed: 900_new.txt
  source_script: zh-Hans
  title: 新加入的第六篇
  outlet: 测试网站
  date: 2026-01
  precision: month
  date_source: inferred
  date_note: 测试用
  event: 测试访谈
  summary: 编者新加入的一篇，用来检验流程。
  participants:
    - {id: host, name_zh: 主持人甲, name_en: Host A, role: 主持人}
    - {id: guest, name_zh: 嘉宾乙, name_en: Guest B, role: 嘉宾}
  speakers: {主持人: host, 嘉宾: guest}
  completeness: complete
"""


#: What a tiny project drops besides the five seeds: the data that names them.
TINY_DROP = ("anchors.lock", "apparatus.lock", "structure.yml", "speakers.yml", "notes.yml", "timeline.yml",
             "corrections/boilerplate.yml", "corrections/conjectures.yml", "corrections/names.yml",
             "corrections/typos.yml", "corrections/overconversion.yml")


def make_project(tmp_path: Path, tiny: bool = False) -> Path:
    """A copy of the project. tiny: without the five seeds and the data that names them (an
    empty catalog; glossary and people kept; about.md's link to the timeline made text), for a
    test about the one document it adds with add_seed, or about a build that stops at an
    error: a build then takes ~3 s instead of ~10 s."""
    project = tmp_path / "project"
    project.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, project / name)
    if tiny:
        seeds = project / "seeds"
        for path in [*seeds.glob("*.txt"), *(seeds / name for name in TINY_DROP)]:
            path.unlink()
        catalog = seeds / "catalog.yml"
        catalog.write_text(catalog.read_text(encoding="utf-8").split("\n- slug:")[0] + "\n", encoding="utf-8")
        (seeds / "SHA256SUMS").write_text("", encoding="utf-8")
        about = project / "docs" / "about.md"  # no timeline page without seeds/timeline.yml
        about.write_text(about.read_text(encoding="utf-8").replace("[时间线](timeline.md)", "时间线"), encoding="utf-8")
    return project


def add_seed(project: Path, text: str | bytes, entry: str = ENTRY) -> None:
    """seeds/900_new.txt with its catalog entry and its line in seeds/SHA256SUMS."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    (project / "seeds" / "900_new.txt").write_bytes(data)
    with open(project / "seeds" / "catalog.yml", "a", encoding="utf-8") as f:
        f.write(entry)
    with open(project / "seeds" / "SHA256SUMS", "a", encoding="utf-8") as f:
        f.write(f"{hashlib.sha256(data).hexdigest()}  900_new.txt\n")


def mkdocs(project: Path, config: str = "mkdocs.yml", dest: str = "site") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", dest],
                          cwd=project, env=build_env(), capture_output=True, text=True)


class Text(html.parser.HTMLParser):
    """Visible text of the article, and every tag with its attributes."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.tags = 0, [], []
        article = source.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        self.feed(article)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.slow
def test_a_new_document_builds_in_both_editions(tmp_path):
    """On the real project: a sixth document next to the five, with their lock, glossary and timeline."""
    project = make_project(tmp_path)
    add_seed(project, "新的一篇\n\n主持人：你好，欢迎来到节目。\n嘉宾：谢谢邀请(笑)。\n第二段没有标签。\n")
    import build  # tools/build.py: make site's build of both editions in one process

    try:
        build.build_editions(project, project / "site", build_env())
    except build.BuildError as err:
        pytest.fail(f"{err}:\n{err.output}", pytrace=False)
    for prefix in ("", "zh-Hant/"):
        page = (project / "site" / prefix / "2026-01-new-doc" / "index.html").read_text(encoding="utf-8")
        assert 'id="p1-1"' in page and 'data-speaker="guest"' in page
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "2026-01-new-doc/" in home
    assert "嘉宾乙" in (project / "site" / "2026-01-new-doc" / "index.html").read_text(encoding="utf-8")


def hostile_lines() -> list[str]:
    return [ln for ln in (FIXTURES / "hostile.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]


HOSTILE_TITLE = "</title><script>alert(1)</script>{{ config }}标题"


def test_hostile_text_is_shown_not_executed(tmp_path):
    project = make_project(tmp_path, tiny=True)
    entry = ENTRY.replace("title: 新加入的第六篇", f"title: '{HOSTILE_TITLE}'").replace(
        "outlet: 测试网站", "outlet: '<img src=x onerror=alert(2)>'")
    add_seed(project, (FIXTURES / "hostile.txt").read_text(encoding="utf-8"), entry)
    run = mkdocs(project)
    assert run.returncode == 0, run.stderr
    source = (project / "site" / "2026-01-new-doc" / "index.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "</title><script"):  # nowhere: nav, <title>, toc, body
        assert raw not in source
    assert source.count("<script") == source.count("</script>")
    head = dict(re.findall(r'<meta name="(dcterms\.[a-z]+)" content="([^"<>]*)">', source))  # cite.dublin_core
    assert html.unescape(head["dcterms.title"]) == HOSTILE_TITLE  # text in the head too, {{ }} not evaluated
    assert html.unescape(head["dcterms.publisher"]) == "<img src=x onerror=alert(2)>"
    page = Text(source)
    visible = "".join(page.text)
    data = '<script type="application/json" id="cite-meta">'  # cite.py's data element: JSON, never run
    assert source.count(data) == 1 and "<" not in source.split(data, 1)[1].split("</script>", 1)[0]
    for tag, attrs in page.tags:
        if (tag, attrs) == ("script", {"type": "application/json", "id": "cite-meta"}):
            continue
        assert tag not in ("script", "iframe", "style", "img", "object", "embed"), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript"), attrs
    for line in hostile_lines():
        if line.startswith("中文"):
            continue  # the Chinese lines are there so the file is Chinese text
        shown = re.sub("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", lambda m: f"⟨U+{ord(m.group()):04X}⟩", line)
        shown = re.sub(r"^\d+\.\s*", "", shown.strip())  # "1. x" becomes item 1 of a list, text "x"
        assert shown in visible, f"not shown literally: {line!r}"


MALFORMED = [
    # (name, how to break the copy, expected "file:line: field" start of the message)
    ("yaml syntax", lambda p: _edit(p, "seeds/catalog.yml", "  outlet: 凤凰科技", "  outlet: [凤凰科技"),
     r"seeds/catalog\.yml:\d+: syntax: "),
    ("duplicate key", lambda p: _edit(p, "seeds/catalog.yml", "  outlet: 凤凰科技", "  outlet: 凤凰科技\n  outlet: 又一个"),
     r"seeds/catalog\.yml:\d+: outlet: duplicate key"),
    ("wrong type", lambda p: _edit(p, "seeds/catalog.yml", "  title_line: 3\n  title: OpenAI CPO", "  title_line: three\n  title: OpenAI CPO"),
     r"seeds/catalog\.yml:\d+: title_line: must be a line number"),
    ("unknown field", lambda p: _edit(p, "seeds/catalog.yml", "  outlet: 凤凰科技", "  outlet: 凤凰科技\n  colour: red"),
     r"seeds/catalog\.yml:\d+: colour: unknown field"),
    ("unknown document id", lambda p: _edit(p, "seeds/corrections/typos.yml", "- find: ChatGTP", "- find: ChatGTP\n  docs: [no-such-doc]"),
     r"seeds/corrections/typos\.yml:\d+: docs: "),
    ("unknown speaker id", lambda p: _edit(p, "seeds/catalog.yml", "{Q: tyrangiel,", "{Q: nobody,"),
     r"seeds/catalog\.yml:\d+: speakers\.Q: 'nobody' is not a participant id"),
    ("unsorted table", lambda p: _edit(p, "seeds/corrections/names.yml", "- find: BradLightcap", "- find: ZZZ\n  replace: Z Z\n  reason: x\n- find: BradLightcap"),
     r"seeds/corrections/names\.yml:\d+: find: 'BradLightcap' is out of order"),
    ("bad regex", lambda p: _edit(p, "seeds/structure.yml", "heading: '0\\d ?\\S.{0,30}'", "heading: '0\\d ?(\\S'"),
     r"seeds/structure\.yml:\d+: 2024-04-20vc-altman-lightcap\.heading: bad regex"),
    ("seed without entry", lambda p: (p / "seeds" / "999_orphan.txt").write_text("中文", encoding="utf-8"),
     r"seeds/catalog\.yml: seed: seeds/999_orphan\.txt has no catalog entry"),
    ("entry without seed", lambda p: (p / "seeds" / "003_db0142c2bbde2aab.txt").unlink(),
     r"seeds/catalog\.yml:\d+: seed: seeds/003_db0142c2bbde2aab\.txt does not exist"),
    ("empty seed", lambda p: add_seed(p, b""), r"seeds/900_new\.txt: text: the file is empty"),
    ("no Chinese", lambda p: add_seed(p, "Only English here.\n"), r"seeds/900_new\.txt: text: the file holds no Chinese"),
    ("GBK seed", lambda p: add_seed(p, "主持人：这是一段用GBK保存的中文文本。\n".encode("gbk")),
     r"seeds/900_new\.txt:1: encoding: not UTF-8: it looks like GB18030/GBK"),
    ("Big5 seed", lambda p: add_seed(p, "主持人：這是一段用大五碼保存的中文文本。\n".encode("big5")),
     r"seeds/900_new\.txt:1: encoding: not UTF-8: it looks like Big5"),
]


#: The cases about the added seed alone: built on a tiny project (see make_project).
ABOUT_THE_NEW_SEED = {"empty seed", "no Chinese", "GBK seed", "Big5 seed"}


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name,breaker,message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_fails_with_one_clear_message(tmp_path, name, breaker, message):
    project = make_project(tmp_path, tiny=name in ABOUT_THE_NEW_SEED)
    breaker(project)
    run = mkdocs(project)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback" not in output, output
    errors = [ln for ln in output.splitlines() if ln.startswith("ERROR")]
    assert len(errors) == 1, output
    assert re.search("reader edition: " + message, errors[0]), errors[0]
    assert not (project / "site" / "index.html").exists()


def test_failed_build_keeps_the_last_good_site(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, "新的一篇\n\n主持人：你好，欢迎来到节目。\n嘉宾：谢谢邀请。\n")
    shutil.copytree(ROOT / "tools", project / "tools", ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    build = [sys.executable, str(project / "tools" / "build.py"), "build", "--root", str(project)]
    assert subprocess.run(build, env=env, capture_output=True).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    _edit(project, "seeds/catalog.yml", "precision: month", "precision: week")
    run = subprocess.run(build, env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "precision" in run.stdout + run.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


# ---------------------------------------------------------------- fuzzing the structure stage

FUZZ_ENTRY = CatalogEntry(
    slug="2026-01-fuzz", seed="x.txt", title="t", outlet="o", date="2026", precision="year", date_source="inferred",
    date_note="n", event="e", summary="s", source_script="zh-Hans",
    participants=(Participant("a", "甲", "A", "r"),), speakers={"甲": "a", "Q": "a"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.one_of(st.sampled_from(list("甲Q：:•·1.、 中文。！？…")), st.characters(
    blacklist_categories=("Cs",))), max_size=40), max_size=25))
def test_structure_never_raises_and_keeps_every_character(lines):
    doc = structure.build(FUZZ_ENTRY, [Line(i, t) for i, t in enumerate(lines, start=1) if t.strip()])
    ids = doc.anchors()
    assert len(ids) == len(set(ids))
    kept = "".join(s.heading for s in doc.sections) + "".join(p.text for p in doc.paragraphs())
    for t in lines:
        core = re.sub(r"^\s*(?:[•·]\s*|\d{1,2}[.、．]\s*|(?:甲|Q)[：:]\s*)", "", t.strip()).strip()
        if core and t.strip() not in FUZZ_ENTRY.speakers:
            assert core in kept, (t, core)
