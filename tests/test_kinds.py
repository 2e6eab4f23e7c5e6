"""The change kinds are declared once (hooks/reader/kinds.py) and every user agrees with it.

Data flow: hooks/reader/**/*.py -> ast -> the kind of every Change(...) made there (a string
literal, or the stage names that clean.run passes on) -> compared with kinds.IDS; pages, render,
readings and edition.schema.json -> compared with the table.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from reader import kinds, pages, readings, render

HOOKS = Path(__file__).resolve().parent.parent / "hooks" / "reader"


def _str(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def kinds_made(source: str, where: str) -> set[str]:
    """The kinds the Change(...) calls in `source` can carry. A kind that is a variable must be
    the clean stages' `kind`, taken from the ("name", fixer) pairs of the `stages` list."""
    tree = ast.parse(source)
    out: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Change"):
            continue
        arg = node.args[2] if len(node.args) > 2 else next((k.value for k in node.keywords if k.arg == "kind"), None)
        assert arg is not None, f"{where}:{node.lineno}: a Change without a kind"
        if _str(arg) is not None:
            out.add(_str(arg))
            continue
        assert isinstance(arg, ast.Name) and arg.id == "kind", f"{where}:{node.lineno}: a kind the test cannot read"
    for node in ast.walk(tree):  # stages: list[tuple[str, LineFix]] = [("mojibake", ...), ...]
        target = getattr(node, "target", None) if isinstance(node, ast.AnnAssign) else None
        if getattr(target, "id", "") == "stages" and isinstance(node.value, ast.List):
            out |= {_str(t.elts[0]) for t in node.value.elts if isinstance(t, ast.Tuple)}
    return out


def test_every_kind_a_change_can_carry_is_in_the_table():
    made: dict[str, set[str]] = {}
    for path in sorted(HOOKS.rglob("*.py")):
        for kind in kinds_made(path.read_text(encoding="utf-8"), str(path.relative_to(HOOKS))):
            made.setdefault(kind, set()).add(path.name)
    assert {"title", "boilerplate", "mojibake", "punctuation", "script", "speaker"} <= set(made)  # the scan works
    unknown = {k: sorted(v) for k, v in made.items() if k not in kinds.ORDER}
    assert unknown == {}, "add these kinds to hooks/reader/kinds.py"
    assert set(kinds.IDS) - set(made) == set(), "a kind in the table that no stage makes"


def test_the_scan_sees_a_new_kind():
    src = 'stages: list = [("mojibake", f), ("newstage", g)]\nx = Change(doc, 0, "other", "", "", "", "")\n'
    assert kinds_made(src, "x.py") == {"mojibake", "newstage", "other"}


def test_the_table():
    assert len(set(kinds.IDS)) == len(kinds.IDS) == len(kinds.TABLE)
    assert len(set(kinds.LABELS.values())) == len(kinds.LABELS)  # two kinds never read the same
    assert all(k.label and k.description for k in kinds.TABLE)
    assert list(kinds.ORDER) == list(kinds.IDS) and kinds.ORDER["title"] < kinds.ORDER["punctuation"]


def test_users_take_the_table():
    assert pages.KINDS is kinds.LABELS
    assert render.WHOLE_LINE == kinds.WHOLE_LINE == set(readings.WHOLE_LINES) == {"title", "boilerplate"}
    schema = json.loads((HOOKS / "edition.schema.json").read_text(encoding="utf-8"))
    enum = [node["properties"]["kind"]["enum"] for node in _objects(schema)
            if "kind" in node.get("properties", {}) and "enum" in node["properties"]["kind"]
            and "reason" in node["properties"]]
    assert enum == [list(kinds.IDS)], "edition.schema.json: the apparatus kind enum is kinds.IDS, in order"


def _objects(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)
