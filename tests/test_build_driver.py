"""Tests of tools/build.py, the atomic and reproducible build driver.

Each test builds a tiny throwaway MkDocs project in tmp_path (two configs, one docs
dir with one page each) through ``build.py --root``, so they do not depend on the
real configs, hooks or seeds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

BUILD_PY = Path(__file__).resolve().parents[1] / "tools" / "build.py"

SIMPLIFIED_YML = """\
site_name: 读者版
site_url: https://example.org/
docs_dir: docs
theme:
  name: material
  language: zh
plugins:
  - search
"""

TRADITIONAL_YML = """\
site_name: 讀者版
site_url: https://example.org/zh-Hant/
docs_dir: docs-hant
theme:
  name: material
  language: zh-Hant
plugins:
  - search
"""


def _load_driver():
    """Import tools/build.py from its path (it is not on sys.path)."""
    spec = importlib.util.spec_from_file_location("reader_build_driver", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


driver = _load_driver()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal two-edition MkDocs project."""
    root = tmp_path / "proj"
    (root / "docs").mkdir(parents=True)
    (root / "docs-hant").mkdir()
    (root / "mkdocs.yml").write_text(SIMPLIFIED_YML, encoding="utf-8")
    (root / "mkdocs.zh-Hant.yml").write_text(TRADITIONAL_YML, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# 首页\n\n汉字与简体。\n", encoding="utf-8")
    (root / "docs-hant" / "index.md").write_text("# 首頁\n\n漢字與繁體。\n", encoding="utf-8")
    return root


def run_build(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``build.py build --root ROOT`` as the user would; no SOURCE_DATE_EPOCH given."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["GIT_CEILING_DIRECTORIES"] = str(root.parent)  # never pick up an enclosing repo
    return subprocess.run(
        [sys.executable, str(BUILD_PY), "build", "--root", str(root)],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )


def tree(path: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``path`` (dirs included as '<dir>')."""
    out = {}
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).as_posix()
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def leftovers(root: Path) -> list[str]:
    """Temp/aside dirs the driver must never leave behind."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".build-tmp-", ".site-old-")))


def test_success_swaps_in_both_editions(project: Path) -> None:
    old = project / "site"
    old.mkdir()
    (old / "stale.html").write_text("previous build", encoding="utf-8")
    docs_before = tree(project / "docs")

    proc = run_build(project)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project / "site"
    assert "首页" in (site / "index.html").read_text(encoding="utf-8")
    assert "首頁" in (site / "zh-Hant" / "index.html").read_text(encoding="utf-8")
    assert (site / "sitemap.xml").is_file() and (site / "zh-Hant" / "sitemap.xml").is_file()
    assert not (site / "stale.html").exists()
    assert leftovers(project) == []
    assert tree(project / "docs") == docs_before  # nothing written into docs/


@pytest.mark.parametrize("broken_docs", ["docs", "docs-hant"], ids=["simplified", "traditional"])
def test_failed_build_leaves_previous_site_untouched(project: Path, broken_docs: str) -> None:
    site = project / "site"
    (site / "zh-Hant").mkdir(parents=True)
    (site / "index.html").write_text("<p>last good build</p>", encoding="utf-8")
    (site / "zh-Hant" / "index.html").write_text("<p>上次的好版本</p>", encoding="utf-8")
    before = tree(site)
    inode = site.stat().st_ino
    # A broken link is a warning, and --strict turns it into a failure.
    (project / broken_docs / "index.md").write_text("# 坏\n\n[断链](no-such-page.md)\n", encoding="utf-8")

    proc = run_build(project)

    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "no-such-page.md" in output  # mkdocs' own message names the culprit
    assert "BUILD FAILED" in output
    assert tree(site) == before
    assert site.stat().st_ino == inode
    assert leftovers(project) == []


def test_two_builds_are_byte_identical(project: Path) -> None:
    first = run_build(project)
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = tree(project / "site")
    inode = (project / "site").stat().st_ino

    second = run_build(project)
    assert second.returncode == 0, second.stdout + second.stderr

    assert (project / "site").stat().st_ino != inode  # really rebuilt and swapped
    assert tree(project / "site") == snapshot


def test_source_date_epoch_falls_back_to_newest_input_mtime(project: Path) -> None:
    (project / "seeds").mkdir()
    seed = project / "seeds" / "000.txt"
    seed.write_text("seed", encoding="utf-8")
    for p in driver.iter_input_files(project, driver.EPOCH_SOURCES):
        os.utime(p, (1_000_000_000, 1_000_000_000))
    os.utime(seed, (1_600_000_000, 1_600_000_000))
    cache = project / "hooks" / "__pycache__"
    cache.mkdir(parents=True)
    (cache / "x.cpython-311.pyc").write_bytes(b"")  # newer, but must be ignored

    assert driver.newest_mtime(project) == 1_600_000_000
    assert driver.source_date_epoch(project, {"SOURCE_DATE_EPOCH": "42"}) == 42


@pytest.mark.parametrize("exchange", [True, False], ids=["rename-exchange", "move-aside"])
def test_swap_in_replaces_tree(tmp_path: Path, exchange: bool) -> None:
    site, new = tmp_path / "site", tmp_path / "new"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "new.html").write_text("new", encoding="utf-8")

    driver.swap_in(new, site, exchange=exchange)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]


# --------------------------------------------------------------------------- serve's warm worker


@pytest.fixture
def worker_for(monkeypatch):
    """A warm build worker (tools/buildworker.py) for a project, closed after the test."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    started = []

    def start(root: Path):
        started.append(driver.Worker(root.resolve()))
        return started[-1]

    yield start
    for w in started:
        w.close()


def cold_tree(root: Path, dest: Path) -> dict[str, str]:
    """What `build` makes of root (same environment), copied to dest."""
    import shutil

    driver.build_site(root)
    shutil.copytree(root / "site", dest)
    return tree(dest)


def test_warm_rebuilds_equal_build(project: Path, worker_for, tmp_path: Path) -> None:
    worker = worker_for(project)
    assert driver.rebuild(project, worker=worker)
    assert tree(project / "site") == cold_tree(project, tmp_path / "cold1")
    (project / "docs" / "index.md").write_text("# 首页\n\n改过的一句。\n", encoding="utf-8")
    (project / "docs-hant" / "index.md").write_text("# 首頁\n\n改過的一句。\n", encoding="utf-8")
    assert driver.rebuild(project, worker=worker)  # the second build of the same worker
    assert "改过的一句" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "改過的一句" in (project / "site" / "zh-Hant" / "index.html").read_text(encoding="utf-8")
    assert tree(project / "site") == cold_tree(project, tmp_path / "cold2")
    assert leftovers(project) == []


def test_warm_rebuild_failing_in_the_second_edition_restores_the_site(project: Path, worker_for, capsys) -> None:
    import io

    worker = worker_for(project)
    assert driver.rebuild(project, worker=worker)
    before = tree(project / "site")
    (project / "docs" / "index.md").write_text("# 首页\n\n新的一句。\n", encoding="utf-8")
    (project / "docs-hant" / "index.md").write_text("# 壞\n\n[斷鏈](no-such-page.md)\n", encoding="utf-8")
    capsys.readouterr()
    err = io.StringIO()
    assert driver.rebuild(project, out=err, worker=worker) is False
    assert "built mkdocs.yml in" in capsys.readouterr().out  # zh-Hans was served before zh-Hant failed
    assert "no-such-page.md" in err.getvalue() and "BUILD FAILED" in err.getvalue()
    assert tree(project / "site") == before  # the site served before the change, both editions
    assert leftovers(project) == []
    (project / "docs-hant" / "index.md").write_text("# 首頁\n\n新的一句。\n", encoding="utf-8")
    assert driver.rebuild(project, worker=worker)  # the worker goes on after a failure


SLOW_HOOK = """\
import os, time

def on_config(config):
    with open(os.path.join(os.path.dirname(config.config_file_path), "pid"), "w") as f:
        f.write(str(os.getpid()))
    time.sleep(600)
"""


def slow_project(root: Path) -> Path:
    """A project whose build hangs (SLOW_HOOK), with a last good site."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# t\n", encoding="utf-8")
    (root / "slow.py").write_text(SLOW_HOOK, encoding="utf-8")
    for name in ("mkdocs.yml", "mkdocs.zh-Hant.yml"):
        (root / name).write_text("site_name: t\ndocs_dir: docs\nhooks:\n  - slow.py\n", encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("last good", encoding="utf-8")
    return root


def test_warm_rebuild_over_its_time_limit_kills_the_fork(tmp_path: Path, worker_for) -> None:
    import io

    root = slow_project(tmp_path / "proj")
    worker = worker_for(root)
    worker.wait_ready(120)  # the 3 s are the build's alone: a busy machine warms the worker up slowly
    out = io.StringIO()
    assert driver.rebuild(root, timeout=3, out=out, worker=worker) is False
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("REBUILD STOPPED:") and "3 s" in lines[0], lines
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "last good"
    assert leftovers(root) == []
    pid = int((root / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the fork that ran mkdocs is gone
    assert worker.alive()  # the worker itself waits for the next change


def test_a_fork_reported_after_the_time_limit_is_killed_too(tmp_path: Path, worker_for) -> None:
    """The deadline passes before the worker has even forked (here at once; on a busy machine,
    while the worker still warms up): the fork it reports afterwards is killed as it is reported,
    the worker stays.  (It used to run on, in a process group of its own, for as long as the
    build took, and the worker was closed after 30 s of waiting for it.)"""
    import io

    root = slow_project(tmp_path / "proj")
    worker = worker_for(root)
    assert driver.rebuild(root, timeout=0.001, out=io.StringIO(), worker=worker) is False
    assert worker.alive()
    if (root / "pid").exists():  # the fork got as far as MkDocs' config before it was killed
        with pytest.raises(ProcessLookupError):
            os.kill(int((root / "pid").read_text()), 0)
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "last good"


def test_warm_worker_builds_the_real_project_as_build_does(tmp_path: Path, worker_for) -> None:
    """The real project (a copy): two rebuilds in one worker, the second after a one-line rule
    change in a correction table, give the tree `build` gives (per-seed cleaning cache warm)."""
    import synth  # tools/synth.py

    root = synth.synthesize(tmp_path / "p", 1)
    worker = worker_for(root)
    assert driver.rebuild(root, worker=worker)
    table = root / "seeds" / "corrections" / "typos.yml"
    text = table.read_text(encoding="utf-8")
    assert text.count("replace: 之类的话\n") == 1
    table.write_text(text.replace("replace: 之类的话\n", "replace: 之类的甲乙话\n"), encoding="utf-8")
    assert driver.rebuild(root, worker=worker)
    warm = tree(root / "site")
    assert ">甲乙</span>话" in (root / "site" / "2025-01-bloomberg-altman" / "index.html").read_text(encoding="utf-8")
    import shutil

    shutil.rmtree(root / ".cache" / "corpus")  # the cold build cleans every seed afresh
    assert warm == cold_tree(root, tmp_path / "cold")


def test_remembered_theme_files_are_mkdocs_own(tmp_path, monkeypatch):
    """editions.remember_theme_files lists the theme once a process: the files it adds, their
    order and their sources are those of MkDocs' own Files.add_files_from_theme, a docs file
    still wins over a theme file of the same path, and a new file in the project's theme dir
    (overrides/) is seen."""
    sys.path.insert(0, str(BUILD_PY.parent))
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    import editions

    (tmp_path / "docs" / "assets" / "images").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "docs" / "assets" / "images" / "favicon.png").write_bytes(b"ours")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "mkdocs.yml").write_text(SIMPLIFIED_YML.replace("  language: zh\n", "  language: zh\n  custom_dir: overrides\n"),
                                         encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    editions.remember_theme_files()
    original = Files.add_files_from_theme.original

    def listed(add) -> list[tuple[str, str | None]]:
        files = Files([File("assets/images/favicon.png", str(tmp_path / "docs"), config.site_dir, True)])
        add(files, config.theme.get_env(), config)
        return [(f.src_uri, f.abs_src_path) for f in files]

    theirs = listed(original)
    assert len(theirs) > 40 and theirs[0] == ("assets/images/favicon.png", str(tmp_path / "docs" / "assets/images/favicon.png"))
    assert listed(Files.add_files_from_theme) == theirs
    assert listed(Files.add_files_from_theme) == theirs  # remembered
    (tmp_path / "overrides" / "extra.css").write_text("p {}\n", encoding="utf-8")
    again = listed(Files.add_files_from_theme)
    assert ("extra.css", str(tmp_path / "overrides" / "extra.css")) in again
    assert again == listed(original)
    # serve's worker loads the config by its absolute path, a build as `-f mkdocs.yml` in the
    # project (overrides/ then stays relative): the list made for one is used for the other
    remembered = next(iter(editions._THEME_FILES.values()))
    monkeypatch.chdir(tmp_path)
    with open("mkdocs.yml", "rb") as f:  # as mkdocs' CLI opens `-f mkdocs.yml`
        relative = load_config(f)
    assert "overrides" in relative.theme.dirs
    files, theirs = Files([]), Files([])
    Files.add_files_from_theme(files, relative.theme.get_env(), relative)
    original(theirs, relative.theme.get_env(), relative)
    assert next(iter(editions._THEME_FILES.values())) is remembered  # not listed again
    assert [(f.src_uri, f.abs_src_path) for f in files] == [(f.src_uri, f.abs_src_path) for f in theirs]
