"""Golden files, in the style of pymdown-extensions and OpenCC: tests/golden/<stage>/<case>.in.txt
holds input lines; <case>.out.txt the expected output. With REGEN_GOLDEN=1 (`make golden`)
the tests write the .out files instead of comparing; review `git diff tests/golden` after.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

EDITS_HEADER = "--- edits: line, rule, before, after, reason (tab-separated) ---"
GOLDEN = Path(__file__).resolve().parent / "golden"


def cases(stage: str) -> list[Path]:
    return sorted((GOLDEN / stage).glob("*.in.txt"))


def case_id(path: Path) -> str:
    return path.name.split(".")[0]


def read_lines(case: Path) -> list[str]:
    return case.read_text(encoding="utf-8").removesuffix("\n").split("\n")


def line_fix_output(lines: list[str], fix: Callable) -> str:
    """fix() of each line, then one tab-separated row per edit."""
    outputs, rows = [], []
    for no, line in enumerate(lines, start=1):
        text, edits = fix(line)
        outputs.append(text)
        rows += [f"{no}\t{e.rule}\t{e.before}\t{e.after}\t{e.reason}" for e in edits]
    return "\n".join(outputs + [EDITS_HEADER] + rows) + "\n"


def check(case: Path, actual: str) -> None:
    """Compare `actual` with the case's .out file, or write it when REGEN_GOLDEN=1."""
    expected = case.with_name(case.name.replace(".in.txt", ".out.txt"))
    if os.environ.get("REGEN_GOLDEN") == "1":
        expected.write_text(actual, encoding="utf-8")
        return
    assert expected.exists(), f"{expected.name} missing: run `make golden` and review the diff"
    assert actual == expected.read_text(encoding="utf-8")
