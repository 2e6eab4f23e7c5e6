"""The built HTML is valid: the Nu HTML checker (vnu.jar, pinned in tools/audit/package-lock.json,
run with Debian's Java) reports no error in any page of either edition; our copies of Material's
templates (overrides/) differ from Material's only by the documented fixes, so a Material upgrade
that changes them fails here and asks for a fresh copy.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import material
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import audit  # tools/audit.py (the module wins over the tools/audit/ folder)

MATERIAL = Path(material.__file__).parent / "templates"

#: base.html: the system's dark setting gives Material's slate scheme (light while printing)
DARK_SCRIPT = ('    <script>(function (m) { var b = document.body, s = function (dark) { b.setAttribute('
               '"data-md-color-scheme", dark ? "slate" : "default") }; s(m.matches); m.addEventListener("change", '
               'function () { s(m.matches) }); addEventListener("beforeprint", function () { s(false) }); '
               'addEventListener("afterprint", function () { s(m.matches) }) })'
               '(matchMedia("(prefers-color-scheme: dark)"))</script>\n')
#: override -> the replacements that turn Material's file into ours (after the header comment)
OVERRIDES = {
    "partials/search.html": [
        ('<div class="md-search" data-md-component="search" role="dialog">',
         '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
    ],
    "partials/nav-item.html": [
        ('tabindex="{{ tabindex }}"', '{% if tabindex %}tabindex="{{ tabindex }}"{% endif %}'),
    ],
    "base.html": [
        (' id="__drawer" autocomplete="off">', ' id="__drawer">'),
        (' id="__search" autocomplete="off">\n', (' id="__search">\n    <script>document.getElementById("__drawer")'
                                                   '.checked = document.getElementById("__search").checked = false</script>\n'
                                                   + DARK_SCRIPT)),
    ],
}


def _nu_ready() -> None:
    try:
        audit.ensure_node_tools()
    except audit.ToolMissing as err:
        pytest.skip(f"the Nu HTML checker cannot run here: {err}")


def _body(text: str) -> str:
    """A template without its leading {#- ... -#} comment."""
    return re.sub(r"\A\{#-.*?-#\}\n", "", text, flags=re.DOTALL)


@pytest.mark.slow
def test_every_page_of_both_editions_is_valid_html(built_site):
    _nu_ready()
    pages = list(built_site.rglob("*.html"))
    assert len([p for p in pages if p.is_relative_to(built_site / "zh-Hant")]) >= 7
    errors = audit.run_nu(built_site)
    assert errors == [], "\n".join(map(str, errors[:20]))


def test_nu_checker_reports_errors(tmp_path):
    """The checker runs and finds the two kinds of error Material's templates had."""
    _nu_ready()
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>x</title></head><body>\n'
        '<input type="checkbox" id="a" autocomplete="off">\n<label for="a" tabindex="">a</label>\n</body></html>\n',
        encoding="utf-8")
    (tmp_path / "good.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>x</title></head><body><p>好</p></body></html>\n',
        encoding="utf-8")
    found = sorted((p.where, p.message[:30]) for p in audit.run_nu(tmp_path))
    assert found == [("bad.html:2", "Attribute “autocomplete” is on"), ("bad.html:3", "Bad value “” for attribute “ta")]


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_override_is_materials_template_plus_the_documented_fix(name):
    ours = (ROOT / "overrides" / name).read_text(encoding="utf-8")
    assert ours.startswith("{#- Material "), f"overrides/{name}: the header comment says what changed"
    theirs = _body((MATERIAL / name).read_text(encoding="utf-8"))
    for old, new in OVERRIDES[name]:
        assert old in theirs, f"Material's {name} changed ({old!r} is gone): copy it again and redo the fix"
        theirs = theirs.replace(old, new)
    assert _body(ours) == theirs, f"overrides/{name} differs from Material's {name} beyond the documented fix"
