"""Every internal link and anchor of the built site resolves, in both editions (tools/audit.py
check_links, also run by `make audit`): href="#x" and "page/#x" name an element id in the target
file; a folder or file link exists. The checker itself is tested on a small hand-made site.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import audit  # tools/audit.py (the module wins over the tools/audit/ folder)


def test_every_internal_link_and_anchor_resolves(built_site):
    files = list(built_site.rglob("*.html"))
    assert any(f.is_relative_to(built_site / "zh-Hant") for f in files), "zh-Hant edition not built"
    hrefs = sum(len(audit._parse(f).hrefs) for f in files)
    assert hrefs > 1000, f"only {hrefs} links found: is the parser reading the pages?"
    broken = audit.check_links(built_site)
    assert broken == [], "\n".join(map(str, broken[:20]))


def test_zh_hant_pages_stay_in_their_edition(built_site):
    """A Traditional page links into the Simplified edition only through the script switch."""
    stray = audit.cross_edition_links(built_site)
    assert stray == [], "\n".join(map(str, stray[:20]))


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "doc").mkdir(parents=True)
    (site / "zh-Hant" / "doc").mkdir(parents=True)
    (site / "doc" / "index.html").write_text('<p id="p1-1">x</p><h2 id="s1">y</h2><a name="old">z</a>', encoding="utf-8")
    (site / "zh-Hant" / "doc" / "index.html").write_text('<p id="p1-1">x</p>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="doc/#p1-1">ok</a> <a href="doc/#s1">ok</a> <a href="doc/index.html#old">ok</a>'
        ' <a href="#top" id="top">ok</a> <a href="https://example.org/#nothing">off site</a>'
        ' <a href="mailto:x@example.org">mail</a>\n'
        '<a href="doc/#p9-9">no id</a>\n<a href="missing/">no page</a>\n'
        '<a href="#nowhere">no id here</a>\n<link rel="stylesheet" href="assets/x.css">\n', encoding="utf-8")
    (site / "zh-Hant" / "index.html").write_text(
        '<a href="doc/#p1-1">ok</a>\n<a href="../doc/#p1-1" rel="alternate" hreflang="zh-Hans">switch</a>\n'
        '<a href="doc/#s1">not in the zh-Hant page</a>\n<a href="../doc/">into zh-Hans</a>\n', encoding="utf-8")
    return site


def test_checker_finds_missing_ids_and_files_in_both_editions(tmp_path):
    site = _site(tmp_path)
    found = sorted((p.where, p.message.split(": ", 1)[1]) for p in audit.check_links(site))
    assert found == [
        ("index.html:2", "no id 'p9-9' in doc/index.html"),
        ("index.html:3", "no file missing/index.html"),
        ("index.html:4", "no id 'nowhere' in index.html"),
        ("index.html:5", "no file assets/x.css"),
        ("zh-Hant/index.html:3", "no id 's1' in zh-Hant/doc/index.html"),
    ]


def test_cross_edition_check_ignores_the_switch(tmp_path):
    found = [(p.where, p.message) for p in audit.cross_edition_links(_site(tmp_path))]
    assert found == [("zh-Hant/index.html:4", "links into the zh-Hans edition: ../doc/")]
