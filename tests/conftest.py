"""Shared test set-up: <repo>/hooks on sys.path (for the `reader` package), the real site built
once per test run (both editions, `mkdocs build --strict`, into a temp dir) for the integration
and browser tests, and the grouping that lets `make test` run the suite on two processes.

Data flow of a run with workers (`make test`: pytest-xdist, `-n auto --dist loadscope`)::

    collection (the same in every worker) --pytest_collection_modifyitems--> the scopes (a test
        class, else a file: module fixtures are made once), those holding a heavy test first
        (the two PDF renders, one class per edition), then those holding slow tests, then the
        rest (the longest work starts first, the short files fill in at the end)
    --the controller--> one scope at a time to whichever worker is free
    built_site, and whatever else calls once(): made by the first worker that asks, under a
        file lock in the run's temp root (shared by the workers), read by the others

Without workers (`pytest tests/test_x.py`) the same code runs in one process.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
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


def build_env() -> dict[str, str]:
    """The environment of the tests' builds: a fixed build date, no .pyc files in project copies."""
    return dict(os.environ, SOURCE_DATE_EPOCH="1700000000", PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1")


def build_site(dest: Path) -> None:
    """Both editions into dest (zh-Hant into dest/zh-Hant) with tools/build.py's build function."""
    import build  # tools/build.py: both editions in one mkdocs process

    try:
        build.build_editions(ROOT, dest, build_env())
    except build.BuildError as err:
        pytest.fail(f"{err}:\n{err.output}", pytrace=False)
    import postbuild  # as tools/build.py does: the tree that is shipped

    postbuild.run(dest)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's temp root: shared by the xdist workers (each has its own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """<run root>/<name>, made by make(path) once per test run whatever the number of workers:
    the first to ask makes it while holding a lock, the others wait, then read the same tree.
    A failed make leaves no mark: the next to ask tries again (and reports its own failure)."""
    root = run_root(tmp_path_factory)
    dest, done = root / "once" / name, root / "once" / f"{name}.done"
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(root / "once" / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            if dest.exists():
                shutil.rmtree(dest)
            make(dest)
            done.touch()
    return dest


def _build_checked(dest: Path) -> None:
    docs_before = tree_digest(ROOT / "docs")
    build_site(dest)
    assert tree_digest(ROOT / "docs") == docs_before, "the build wrote into docs/"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per run; the build must not write into docs/. Tests only read it."""
    return once(tmp_path_factory, "site", _build_checked)


def scope_of(nodeid: str) -> str:
    """The unit pytest-xdist's `--dist loadscope` sends to one worker: a test's class, else its file."""
    return nodeid.rsplit("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The scopes (scope_of) in the order the workers should take them: those with a test marked
    heavy, then those with a slow test, then the rest; each scope's tests in their own order.
    Under `--dist loadscope --no-loadscope-reorder` the workers take the scopes in this order, so
    the longest work starts first and the short files fill in at the end; without workers only
    the order changes."""
    scopes: dict[str, list[pytest.Item]] = {}
    for item in items:
        scopes.setdefault(scope_of(item.nodeid), []).append(item)

    def rank(scope: list[pytest.Item]) -> int:  # 0: heavy (a render of a minute), 1: slow, 2: the rest
        if any(i.get_closest_marker("heavy") for i in scope):
            return 0
        return 1 if any(i.get_closest_marker("slow") for i in scope) else 2

    order = sorted(scopes.values(), key=rank)  # stable: collection order within a rank
    items[:] = [item for scope in order for item in scope]
