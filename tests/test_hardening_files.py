"""Hardening of file reads: the build reads only regular files inside the project, bounded.

Data flow: a tmp project with a hostile path (symlink out, dangling symlink, FIFO, device,
directory, oversized file) -> reader.safeio -> EditionError (unit tests, each under a deadline
so a hang fails instead of blocking); a copy of the real project with such a seed or docs/
file -> `mkdocs build --strict` (test_robust's helpers) -> non-zero exit, one ERROR line naming
the file, no traceback; tools/build.py -> seeds checked against seeds/SHA256SUMS, stale temp
trees removed, a `serve` rebuild over its time limit killed in one line.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader import safeio
from reader.model import EditionError
from test_build_driver import driver
from test_robust import add_seed, make_project, mkdocs

ROOT = Path(__file__).resolve().parent.parent
SEED = "新的一篇\n\n主持人：你好，欢迎来到节目。\n嘉宾：谢谢邀请。\n"


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (TimeoutError) instead of hanging; subprocess.run kills its child on the way out."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def refused(root: Path, path: Path, label: str = "seeds/x.txt", limit: int = safeio.SEED_LIMIT) -> str:
    """read_bytes must refuse, within 5 s (checked from a thread, so a blocking open cannot hang
    the test run); returns the message."""
    box: dict = {}

    def run():
        try:
            box["data"] = safeio.read_bytes(root, path, label, limit)
        except EditionError as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive(), f"read_bytes({path}) hung"
    assert "error" in box, f"read_bytes({path}) read {len(box.get('data', b''))} bytes instead of refusing"
    exc = box["error"]
    assert (exc.file, exc.line, exc.field) == (label, 0, "file")
    return str(exc)


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "ok.txt").write_text("中文", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("外面的文字", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- safeio


def test_a_regular_file_inside_is_read(proj):
    assert safeio.read_bytes(proj, proj / "seeds" / "ok.txt", "seeds/ok.txt", 6) == "中文".encode()


def test_a_symlink_inside_the_project_is_read(proj):
    (proj / "seeds" / "link.txt").symlink_to("ok.txt")
    assert safeio.read_bytes(proj, proj / "seeds" / "link.txt", "seeds/link.txt", 100) == "中文".encode()


def test_a_symlink_out_of_the_project_is_refused(proj, tmp_path):
    (proj / "seeds" / "x.txt").symlink_to(tmp_path / "outside.txt")
    assert "outside the project" in refused(proj, proj / "seeds" / "x.txt")


def test_a_path_through_a_symlinked_folder_out_of_the_project_is_refused(proj, tmp_path):
    (proj / "data").symlink_to(tmp_path)
    assert "outside the project" in refused(proj, proj / "data" / "outside.txt", "data/outside.txt")


def test_a_dangling_symlink_is_refused(proj):
    (proj / "seeds" / "x.txt").symlink_to(proj / "seeds" / "gone.txt")
    assert "dangling symlink" in refused(proj, proj / "seeds" / "x.txt")


def test_a_missing_file_is_refused(proj):
    assert "does not exist" in refused(proj, proj / "seeds" / "x.txt")


def test_a_fifo_is_refused_without_hanging(proj):
    os.mkfifo(proj / "seeds" / "x.txt")
    assert "FIFO" in refused(proj, proj / "seeds" / "x.txt")


def test_a_fifo_swapped_in_after_the_checks_cannot_hang_the_read(proj, monkeypatch):
    """The race: checks passed on a regular file, then a FIFO took its place before open()."""
    fifo = proj / "seeds" / "x.txt"
    os.mkfifo(fifo)
    regular = os.stat(proj / "seeds" / "ok.txt")
    monkeypatch.setattr(safeio, "check", lambda *args: regular)
    assert "changed while it was being read" in refused(proj, fifo)


def test_dev_zero_through_a_symlink_is_refused(proj):
    (proj / "seeds" / "x.txt").symlink_to("/dev/zero")
    assert "outside the project" in refused(proj, proj / "seeds" / "x.txt")


def test_a_device_is_refused_as_not_a_regular_file():
    assert "character device" in refused(Path("/"), Path("/dev/zero"), "dev/zero")


def test_a_directory_is_refused(proj):
    (proj / "seeds" / "x.txt").mkdir()
    assert "a directory" in refused(proj, proj / "seeds" / "x.txt")


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_read(proj):
    (proj / "seeds" / "x.txt").write_bytes(b"a" * 101)
    assert "over the limit of 100 bytes" in refused(proj, proj / "seeds" / "x.txt", limit=100)
    assert len(safeio.read_bytes(proj, proj / "seeds" / "x.txt", "seeds/x.txt", 101)) == 101


def test_a_file_that_grows_after_the_checks_is_read_only_to_the_limit(proj, monkeypatch):
    path = proj / "seeds" / "x.txt"
    path.write_bytes(b"a" * 1000)
    small = os.stat(path)
    monkeypatch.setattr(safeio, "check", lambda *args: small)
    assert "grew over the limit" in refused(proj, path, limit=10)


def test_seed_listing_refuses_symlinks_even_inside_and_too_many(proj, monkeypatch):
    assert safeio.seed_names(proj / "seeds") == {"ok.txt"}
    (proj / "seeds" / "link.txt").symlink_to("ok.txt")
    with pytest.raises(EditionError, match=r"seeds/link\.txt: file: is a symlink"):
        safeio.seed_names(proj / "seeds")
    (proj / "seeds" / "link.txt").unlink()
    (proj / "seeds" / "two.txt").write_text("二", encoding="utf-8")
    monkeypatch.setattr(safeio, "MAX_DOCUMENTS", 1)
    with pytest.raises(EditionError, match="at most 1"):
        safeio.seed_names(proj / "seeds")


def test_yaml_and_lock_go_through_safeio(proj, tmp_path):
    from reader import corpus, read

    (proj / "seeds" / "catalog.yml").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(EditionError, match=r"seeds/catalog\.yml: file: resolves to .* outside the project"):
        read.load_yaml(proj / "seeds" / "catalog.yml", "seeds/catalog.yml")
    (proj / "seeds" / "anchors.lock").symlink_to(proj / "seeds" / "gone")
    with pytest.raises(EditionError, match=r"seeds/anchors\.lock: file: is a dangling symlink"):
        corpus.load_lock(proj / "seeds", set())


def test_root_of_a_labelled_path():
    assert safeio.root_of(Path("/p/seeds/catalog.yml"), "seeds/catalog.yml") == Path("/p")
    assert safeio.root_of(Path("/tmp/x.yml"), "seeds/speakers.yml") == Path("/tmp")


def test_docs_tree_check_names_the_file(proj, tmp_path):
    docs = proj / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "assets" / "inside.md").symlink_to(docs / "index.md")
    assert safeio.tree_problem(proj, docs, "docs") == ""
    (docs / "assets" / "leak.md").symlink_to(tmp_path / "outside.txt")
    assert safeio.tree_problem(proj, docs, "docs").startswith("docs/assets/leak.md: file: resolves to")
    (docs / "assets" / "leak.md").unlink()
    (docs / "ext").symlink_to(tmp_path)
    assert safeio.tree_problem(proj, docs, "docs").startswith("docs/ext: file: resolves to")
    (docs / "ext").unlink()
    (docs / "big.css").write_bytes(b"x" * 11)
    assert "over the limit" in safeio.tree_problem(proj, docs, "docs", limit=10)
    (proj / "docs-out").symlink_to(tmp_path)
    assert safeio.tree_problem(proj, proj / "docs-out", "docs").startswith("docs: file: resolves to")


def test_jieba_keeps_its_cache_in_the_project():
    import jieba

    tok = safeio.jieba_cache(jieba.Tokenizer())
    assert Path(tok.tmp_dir) == ROOT / ".cache" / "jieba" and Path(tok.tmp_dir).is_dir()
    assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", ".cache/jieba/jieba.cache"]).returncode == 0


# --------------------------------------------------------------------------- builds of a copy


def one_error(run: subprocess.CompletedProcess, name: str) -> str:
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "Traceback" not in output, output
    errors = [ln for ln in output.splitlines() if ln.startswith("ERROR")]
    assert len(errors) == 1, output
    assert name in errors[0], errors[0]
    return errors[0]


def build(project: Path) -> subprocess.CompletedProcess:
    with deadline(120):
        return mkdocs(project)


def test_a_seed_linked_out_of_the_project_stops_the_build(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, SEED)
    outside = tmp_path / "outside.txt"
    outside.write_text(SEED, encoding="utf-8")
    (project / "seeds" / "900_new.txt").unlink()
    (project / "seeds" / "900_new.txt").symlink_to(outside)
    assert "symlink" in one_error(build(project), "seeds/900_new.txt")


def test_a_seed_that_is_a_fifo_stops_the_build_without_hanging(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, SEED)
    (project / "seeds" / "900_new.txt").unlink()
    os.mkfifo(project / "seeds" / "900_new.txt")
    assert "FIFO" in one_error(build(project), "seeds/900_new.txt")


def test_a_dangling_symlink_seed_stops_the_build(tmp_path):
    project = make_project(tmp_path, tiny=True)
    add_seed(project, SEED)
    (project / "seeds" / "900_new.txt").unlink()
    (project / "seeds" / "900_new.txt").symlink_to(tmp_path / "nowhere.txt")
    assert "symlink" in one_error(build(project), "seeds/900_new.txt")


def test_a_docs_file_linked_out_of_the_project_stops_the_build(tmp_path):
    project = make_project(tmp_path)
    (tmp_path / "secret.md").write_text("# 秘密\n", encoding="utf-8")
    (project / "docs" / "leak.md").symlink_to(tmp_path / "secret.md")
    run = build(project)
    assert "outside the project" in one_error(run, "docs/leak.md")
    assert not (project / "site" / "leak").exists()


def test_a_docs_folder_linked_to_the_root_stops_the_build_before_mkdocs_walks_it(tmp_path):
    """MkDocs walks docs/ following symlinks: through / it would never finish (/proc loops)."""
    project = make_project(tmp_path)
    (project / "docs" / "everything").symlink_to("/")
    assert "outside the project" in one_error(build(project), "docs/everything")


# --------------------------------------------------------------------------- tools/build.py


def copy_seeds(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root


def test_the_real_seeds_match_their_checksums():
    driver.check_seeds(ROOT)


def test_a_seed_changed_since_its_checksum_was_recorded_fails_the_build(tmp_path):
    root = copy_seeds(tmp_path)
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    seed.write_bytes(seed.read_bytes() + "改".encode())
    with pytest.raises(driver.BuildError) as info:
        driver.check_seeds(root)
    message = str(info.value)
    assert f"seeds/{seed.name} changed since its checksum was recorded" in message
    assert "sha256sum *.txt > SHA256SUMS" in message
    for name in ("mkdocs.yml", "mkdocs.zh-Hant.yml"):
        shutil.copy2(ROOT / name, root / name)
    with deadline(120):
        run = subprocess.run([sys.executable, str(driver.__file__), "build", "--root", str(root)],
                             capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"BUILD FAILED: seeds/{seed.name} changed since" in run.stderr
    assert not (root / "site").exists() and not list(root.glob(driver.TMP_PREFIX + "*"))


def test_an_unrecorded_seed_and_a_missing_one_fail_the_build(tmp_path):
    root = copy_seeds(tmp_path)
    (root / "seeds" / "900_new.txt").write_text(SEED, encoding="utf-8")
    with pytest.raises(driver.BuildError, match=r"seeds/900_new\.txt has no checksum"):
        driver.check_seeds(root)
    (root / "seeds" / "900_new.txt").unlink()
    first = sorted((root / "seeds").glob("*.txt"))[0]
    first.unlink()
    with pytest.raises(driver.BuildError, match=rf"seeds/{first.name} is recorded .* but not in seeds/"):
        driver.check_seeds(root)


def test_a_fifo_seed_fails_the_checksum_check_without_hanging(tmp_path):
    root = copy_seeds(tmp_path)
    os.mkfifo(root / "seeds" / "900_new.txt")
    with deadline(10), pytest.raises(driver.BuildError, match=r"seeds/900_new\.txt: file: is a FIFO"):
        driver.check_seeds(root)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temp_trees_of_killed_builds_are_removed(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    dead, alive = dead_pid(), os.getpid()
    stale = [root / f".build-tmp-{dead}-abc", root / f".site-old-{dead}-def"]
    kept = [root / f".build-tmp-{alive}-ghi", root / ".build-tmp-newname"]
    old_unnamed = root / ".site-old-oldname"
    for path in stale + kept + [old_unnamed]:
        (path / "site").mkdir(parents=True)
        (path / "site" / "index.html").write_text("x")
    past = time.time() - driver.STALE_UNNAMED_AGE - 10
    os.utime(old_unnamed, (past, past))
    (root / "site").mkdir()
    removed = driver.clean_stale(root)
    assert sorted(removed) == sorted(stale + [old_unnamed])
    assert all(p.is_dir() for p in kept) and (root / "site").is_dir()
    for name in (f".build-tmp-{dead}-abc/site/index.html", f".site-old-{dead}-x/site/index.html"):
        assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", name]).returncode == 0, name


SLOW_YML = "site_name: t\ndocs_dir: docs\nhooks:\n  - slow.py\n"


def test_a_rebuild_over_its_time_limit_is_killed_and_the_last_site_kept(tmp_path):
    root = tmp_path / "proj"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# t\n", encoding="utf-8")
    (root / "slow.py").write_text("import time\n\ndef on_config(config):\n    time.sleep(600)\n", encoding="utf-8")
    for name in ("mkdocs.yml", "mkdocs.zh-Hant.yml"):
        (root / name).write_text(SLOW_YML, encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("last good", encoding="utf-8")
    out = io.StringIO()
    started = time.monotonic()
    with deadline(60):
        assert driver.rebuild(root, timeout=3, out=out) is False
    assert time.monotonic() - started < 30
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("REBUILD STOPPED:") and "3 s" in lines[0], lines
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "last good"
    assert not list(root.glob(driver.TMP_PREFIX + "*"))
    if shutil.which("pgrep"):
        leftover = subprocess.run(["pgrep", "-f", f"{root}/.build-tmp-"], capture_output=True, text=True)
        assert leftover.stdout.strip() == "", "the timed-out mkdocs is still running"
