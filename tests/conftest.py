"""Shared test set-up: <repo>/hooks on sys.path (for the `reader` package), and the real
site built once per session (both editions, `mkdocs build --strict`, into a temp dir) for
the integration and browser tests.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))  # postbuild

# Hypothesis: CI=true (set by .ci/run) selects the "ci" profile: the same examples on every
# run (derandomize), no per-example deadline on a shared machine, and a failure's blob printed
# so it can be reproduced with @reproduce_failure.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


def build_site(dest: Path) -> None:
    """Both editions into dest (zh-Hant into dest/zh-Hant) with tools/build.py's build function."""
    import build  # tools/build.py: both editions in one mkdocs process

    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1")
    try:
        build.build_editions(ROOT, dest, env)
    except build.BuildError as err:
        pytest.fail(f"{err}:\n{err.output}", pytrace=False)
    import postbuild  # as tools/build.py does: the tree that is shipped

    postbuild.run(dest)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once; the build must not write into docs/."""
    docs_before = tree_digest(ROOT / "docs")
    dest = tmp_path_factory.mktemp("site") / "site"
    build_site(dest)
    assert tree_digest(ROOT / "docs") == docs_before, "the build wrote into docs/"
    return dest
