#!/usr/bin/env python3
"""Atomic, reproducible build driver for the bilingual reader edition.

Data flow of one ``build``::

    .build-tmp-<pid>-* .site-old-<pid>-*   left by a killed build (its pid no longer runs): removed
    seeds/*.txt vs seeds/SHA256SUMS        a seed changed since its checksum was recorded: refused
    seeds/ docs/ hooks/ overrides/ mkdocs.yml mkdocs.zh-Hant.yml     (inputs, read only)
        |
        |  SOURCE_DATE_EPOCH = $SOURCE_DATE_EPOCH
        |                   or commit time of HEAD (git log -1 --format=%ct)
        |                   or newest mtime of seeds/ docs/ hooks/ mkdocs*.yml
        v
    python -m mkdocs build --strict -f mkdocs.yml         -d .build-tmp-XXXX/site
    python -m mkdocs build --strict -f mkdocs.zh-Hant.yml -d .build-tmp-XXXX/site/zh-Hant
        |                                     (Simplified first: it cleans its site_dir)
        |  both succeeded?
        |    yes -> tools/postbuild.py over the new tree (unused assets and source maps removed,
        |           zh-Hant shares assets/, sitemaps with hreflang alternates when SITE_URL is set)
        |           swap .build-tmp-XXXX/site into site/ (a single rename(2) with
        |           RENAME_EXCHANGE where the kernel supports it, otherwise: old site/
        |           moved aside to .site-old-XXXX, new tree renamed to site/, old deleted)
        |    no  -> print mkdocs' output (it names file and line), delete
        |           .build-tmp-XXXX, leave site/ untouched, exit non-zero
        v
    site/            Simplified edition
    site/zh-Hant/    Traditional edition

The temporary directory lives in the project root, next to site/, so that the final
rename never crosses a filesystem.  Nothing is written into docs/ (the mkdocs
subprocesses also run with PYTHONDONTWRITEBYTECODE=1, so hooks/ stays free of
__pycache__).

``serve`` serves site/ on http://127.0.0.1:PORT/ from a thread and polls the inputs every
0.1 s (a stat() per file, under 1 ms).  Its builds run in a warm worker (tools/buildworker.py: mkdocs,
the hooks, jieba's dictionary and the corpus loaded once; each build a fork of it, so no
state passes from one build to the next); after a change under hooks/ a new worker is
started.  One serve rebuild::

    change seen -> seeds checked -> the worker's fork builds zh-Hans into .build-tmp-XXXX/site
        -> (while the fork goes on with zh-Hant) a copy of it plus a copy of the served
           site/zh-Hant/, postbuild, swapped in: the edited Simplified page is served now
        -> zh-Hant built into .build-tmp-XXXX/site/zh-Hant, postbuild over the whole tree
           (the tree `build` makes), swapped in: both editions new
    a failure or a timeout at any step -> the site served before the change is swapped back

A failed rebuild is reported and the last good build keeps being served; so is one that runs
longer than REBUILD_TIMEOUT (``--timeout``): the fork's process group is killed and one line
says so.  Every swap exchanges whole trees, so a reader never sees a half-written edition.
The HTTP handler resolves every request by path under site/, so it always sees the tree that
is currently swapped in.

Only the standard library (and ``hooks/reader/safeio.py``, for bounded reads of the seeds)
is used; mkdocs runs as ``sys.executable -m mkdocs``, so run
this file with the project's interpreter (``.venv/bin/python tools/build.py build``).
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import hashlib
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

DEFAULT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(DEFAULT_ROOT / "hooks"))  # reader.safeio: bounded, checked reads
sys.path.insert(0, str(Path(__file__).resolve().parent))  # postbuild (tools/postbuild.py)
DEFAULT_PORT = 8000
HOST = "127.0.0.1"

#: (config file, output sub-directory of site/) in build order.  The first build
#: cleans its site_dir, so the edition that owns the site root must come first.
EDITIONS: tuple[tuple[str, str], ...] = (
    ("mkdocs.yml", ""),
    ("mkdocs.zh-Hant.yml", "zh-Hant"),
)

SITE_DIRNAME = "site"
#: Temporary trees next to site/, named <prefix><pid>-<random> (git-ignored): one whose pid
#: no longer runs was left by a killed build and is removed at the start of the next.
TMP_PREFIX = ".build-tmp-"
OLD_PREFIX = ".site-old-"
#: A temporary tree without a pid in its name (older driver) is stale after this many seconds.
STALE_UNNAMED_AGE = 3600
#: Seconds a ``serve`` build may take (both editions) before it is killed; the real site
#: takes about 20 s, a seed at the size limit (2 MiB) adds about 50 s per edition.
REBUILD_TIMEOUT = 300
SUMS = "seeds/SHA256SUMS"
RECORD = "(cd seeds && sha256sum *.txt > SHA256SUMS)"

#: Inputs whose newest mtime dates the build when there is no git history.
EPOCH_SOURCES = ("seeds", "docs", "hooks", "mkdocs*.yml")
#: Inputs watched by ``serve``.
WATCHED = ("seeds", "docs", "hooks", "overrides", "mkdocs.yml", "mkdocs.zh-Hant.yml")

_JUNK_DIRS = {"__pycache__", ".git", ".pytest_cache", ".hypothesis", ".mypy_cache"}
_JUNK_SUFFIXES = (".pyc", ".pyo", ".swp", ".swx", ".tmp", "~")


class BuildError(Exception):
    """A build step failed; ``output`` holds the captured mkdocs output."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


class BuildTimeout(BuildError):
    """A build ran longer than its time limit and was killed."""


class BuildReport(NamedTuple):
    """What a successful build produced."""

    site: Path
    epoch: int
    seconds: float
    output: str


# --------------------------------------------------------------------------- inputs


def _is_junk(name: str) -> bool:
    """True for editor/interpreter droppings that must not date or trigger a build."""
    return name.startswith((".", "#")) or name.endswith(_JUNK_SUFFIXES)


def iter_input_files(root: Path, patterns: Iterable[str]) -> Iterator[Path]:
    """Yield the files under ``root`` matched by ``patterns`` (dirs are walked).

    Patterns are glob patterns relative to ``root``; missing ones are skipped.
    ``__pycache__``, dot-files and editor backups are ignored.
    """
    for pattern in patterns:
        for top in sorted(root.glob(pattern)):
            if top.is_file():
                yield top
                continue
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = sorted(d for d in dirnames if d not in _JUNK_DIRS and not d.startswith("."))
                for name in sorted(filenames):
                    if not _is_junk(name):
                        yield Path(dirpath, name)


def git_commit_time(root: Path) -> int | None:
    """Commit time (Unix seconds) of the newest commit of the repository at ``root``.

    Returns None when git is missing, ``root`` is not in a repository, or the
    repository has no commits yet.
    """
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return int(out) if proc.returncode == 0 and out.isdigit() else None


def newest_mtime(root: Path, patterns: Iterable[str] = EPOCH_SOURCES) -> int | None:
    """Newest modification time (whole seconds) among the input files, or None."""
    times = [int(p.stat().st_mtime) for p in iter_input_files(root, patterns)]
    return max(times) if times else None


def source_date_epoch(root: Path, environ: Mapping[str, str] | None = None) -> int:
    """The SOURCE_DATE_EPOCH a build of ``root`` uses.

    An explicit ``$SOURCE_DATE_EPOCH`` wins; then the newest git commit time; then
    the newest input mtime; then 0.  Equal inputs give equal dates, hence identical
    ``sitemap.xml(.gz)`` and page dates across builds.
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if explicit:
        return int(explicit)
    for candidate in (git_commit_time(root), newest_mtime(root)):
        if candidate is not None:
            return candidate
    return 0


def build_env(root: Path) -> tuple[dict[str, str], int]:
    """Environment for the mkdocs subprocesses, and the epoch put into it."""
    epoch = source_date_epoch(root)
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # mkdocs-material's banner buries the real error
    return env, epoch


# --------------------------------------------------------------------------- build


def check_configs(root: Path) -> None:
    """Fail early, with a clear message, when a config file is missing."""
    missing = [cfg for cfg, _ in EDITIONS if not (root / cfg).is_file()]
    if missing:
        raise BuildError(f"missing config file(s) in {root}: {', '.join(missing)}")


def parse_sums(text: str) -> dict[str, str]:
    """``sha256sum`` output (``<hex>  <name>`` or ``<hex> *<name>``) -> {name: hex}."""
    recorded = {}
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.lstrip(" *").strip()
        if len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest) or not name:
            raise BuildError(f"{SUMS}:{no}: not a `sha256sum` line (<sha256>  <name>): regenerate it with {RECORD}")
        recorded[name] = digest.lower()
    return recorded


def check_seeds(root: Path) -> None:
    """Sources are immutable: every seeds/*.txt must still have the checksum recorded in
    seeds/SHA256SUMS when it was copied in (read through safeio: regular files in the
    project, within the size limit).  A project without seeds/*.txt has nothing to check."""
    from reader import safeio
    from reader.model import EditionError

    seeds = root / "seeds"
    if not seeds.is_dir():
        return
    try:
        names = sorted(safeio.seed_names(seeds))
        if not names:
            return
        if not safeio.present(seeds / "SHA256SUMS"):
            raise BuildError(f"{SUMS} is missing: record the seeds' checksums with {RECORD}")
        recorded = parse_sums(safeio.read_text(root, seeds / "SHA256SUMS", SUMS, safeio.DATA_LIMIT))
        actual = {n: hashlib.sha256(safeio.read_bytes(root, seeds / n, f"seeds/{n}", safeio.SEED_LIMIT)).hexdigest()
                  for n in names}
    except EditionError as exc:
        raise BuildError(str(exc)) from None
    except UnicodeDecodeError:
        raise BuildError(f"{SUMS}: not UTF-8 text: regenerate it with {RECORD}") from None
    changed = [n for n in names if n in recorded and recorded[n] != actual[n]]
    if changed:
        raise BuildError(
            f"{', '.join('seeds/' + n for n in changed)} changed since its checksum was recorded in {SUMS}: "
            "sources are never edited (corrections go in seeds/corrections/); restore it with "
            "`git checkout -- seeds/`, or, if the new text is reviewed and meant, record it with "
            f"{RECORD} and commit it with the seed")
    unrecorded = [n for n in names if n not in recorded]
    if unrecorded:
        raise BuildError(f"{', '.join('seeds/' + n for n in unrecorded)} has no checksum in {SUMS}: "
                         f"after reviewing the new seed, record it with {RECORD}")
    missing = sorted(set(recorded) - set(names))
    if missing:
        raise BuildError(f"{', '.join('seeds/' + n for n in missing)} is recorded in {SUMS} but not in seeds/: "
                         f"restore it, or record the seeds as they are with {RECORD}")


def _running(pid: int) -> bool:
    """Whether a process with this id exists (a pid reused by another process counts too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except (OverflowError, ValueError, OSError):
        return False
    return True


def clean_stale(root: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary trees a killed build left in ``root``; return what was removed.

    A tree named ``<prefix><pid>-...`` is kept while that pid runs (a concurrent build);
    one without a pid in its name, while younger than STALE_UNNAMED_AGE."""
    now = time.time() if now is None else now
    removed = []
    for prefix in (TMP_PREFIX, OLD_PREFIX):
        for path in sorted(root.glob(prefix + "*")):
            owner = path.name[len(prefix):].split("-", 1)
            try:
                if owner[0].isdigit() and len(owner) == 2:
                    if _running(int(owner[0])):
                        continue
                elif now - path.lstat().st_mtime < STALE_UNNAMED_AGE:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue  # gone already, or not ours to remove: leave it
            removed.append(path)
    return removed


def run_mkdocs(root: Path, config: str, dest: Path, env: dict[str, str],
               timeout: float | None = None, extra_args: Sequence[str] = ()) -> str:
    """Run ``mkdocs build --strict -f CONFIG -d DEST [EXTRA_ARGS]`` in ``root``; return its output
    (tools/offline.py passes ``--no-directory-urls``).

    Raises BuildError carrying the combined stdout/stderr when mkdocs fails, and
    BuildTimeout when it runs longer than ``timeout`` seconds (its process group is
    killed: nothing of it keeps running).
    """
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(dest), *extra_args]
    return _run(cmd, root, env, timeout, f"mkdocs build -f {config}")


def _run(cmd: list[str], root: Path, env: dict[str, str], timeout: float | None, what: str) -> str:
    """Run ``cmd`` in ``root`` in its own session; its output, or BuildError / BuildTimeout."""
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, errors="replace", start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise BuildTimeout(f"{what} ran longer than {timeout:.0f} s and was stopped") from None
    except BaseException:  # Ctrl-C, SIGTERM: the child is in its own session, stop it too
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        raise BuildError(f"{what} failed (exit {proc.returncode})", output)
    return output


def _killpg(group: int) -> None:
    """SIGKILL a process group that may have ended already."""
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass


def _kill_group(proc: subprocess.Popen) -> None:
    _killpg(proc.pid)
    proc.communicate()


def build_editions(root: Path, site: Path, env: dict[str, str], timeout: float | None = None,
                   extra_args: Sequence[str] = ()) -> str:
    """Build every edition into ``site`` (a fresh directory) in ONE mkdocs process
    (tools/editions.py: one corpus and one jieba dictionary for both); return mkdocs' output.
    ``timeout`` bounds all the editions together; ``extra_args`` go to each `mkdocs build`.
    The one build function of `make site`, the tests, the bench, offline and audit."""
    cmd = [sys.executable, str(Path(__file__).resolve().parent / "editions.py"), str(root), str(site), *extra_args]
    try:
        return _run(cmd, root, env, timeout, "mkdocs build (" + ", ".join(c for c, _ in EDITIONS) + ")")
    except BuildTimeout:
        raise BuildTimeout(f"the build ran longer than {timeout:g} s and was stopped") from None


def _rename_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back to two renames
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_in(new: Path, site: Path, *, exchange: bool = True) -> None:
    """Make ``new`` the tree at ``site`` and delete the previous one.

    ``site`` is never half-written: it is either the old tree or the new one.  With
    RENAME_EXCHANGE the swap is a single syscall; otherwise the old tree is moved
    aside, the new one renamed into place (restoring the old on error), and only
    then is the old tree deleted.
    """
    if not site.exists() and not site.is_symlink():
        os.rename(new, site)
        return
    if exchange and site.is_dir() and not site.is_symlink() and _rename_exchange(new, site):
        shutil.rmtree(new)  # ``new`` now holds the previous tree
        return
    aside_parent = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{os.getpid()}-", dir=site.parent))
    aside = aside_parent / site.name
    os.rename(site, aside)
    try:
        os.rename(new, site)
    except BaseException:
        os.rename(aside, site)  # put the previous tree back
        aside_parent.rmdir()
        raise
    shutil.rmtree(aside_parent, ignore_errors=True)


def _begin(root: Path) -> tuple[Path, float, tuple[dict[str, str], int], Path]:
    """What every build does first: stale temp trees removed, configs and seeds checked; then
    (resolved root, start time, build_env(root), a new temp dir next to site/)."""
    root = root.resolve()
    clean_stale(root)
    check_configs(root)
    check_seeds(root)
    started = time.monotonic()
    env = build_env(root)
    return root, started, env, Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=root))


def build_site(root: Path, timeout: float | None = None) -> BuildReport:
    """Build both editions into a temp dir next to site/ and swap it in atomically.

    First the temp trees of killed builds are removed and the seeds checked against
    seeds/SHA256SUMS.  On any failure the temp dir is removed, site/ is left exactly as
    it was, and BuildError is raised (BuildTimeout after ``timeout`` seconds of mkdocs).
    """
    root, started, (env, epoch), tmp = _begin(root)
    try:
        new_site = tmp / SITE_DIRNAME
        output = build_editions(root, new_site, env, timeout)
        import postbuild  # tools/postbuild.py: ship only what the site uses; sitemaps with alternates

        output += postbuild.describe(postbuild.run(new_site)) + "\n"
        swap_in(new_site, root / SITE_DIRNAME)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildReport(root / SITE_DIRNAME, epoch, time.monotonic() - started, output)


def report_failure(err: BuildError, out=sys.stderr) -> None:
    """Print a failed build: mkdocs' own output first, then a one-line summary."""
    if err.output:
        out.write(err.output if err.output.endswith("\n") else err.output + "\n")
    out.write(f"BUILD FAILED: {err}; site/ left untouched\n")
    out.flush()


def cmd_build(root: Path, verbose: bool = False) -> int:
    """``build`` sub-command: one atomic build; exit status 0 or 1."""
    try:
        rep = build_site(root)
    except BuildError as err:
        report_failure(err)
        return 1
    if verbose:
        sys.stdout.write(rep.output)
    print(f"built {rep.site} in {rep.seconds:.1f} s (SOURCE_DATE_EPOCH={rep.epoch})", flush=True)
    return 0


# --------------------------------------------------------------------------- serve


def snapshot(root: Path, patterns: Iterable[str] = WATCHED) -> dict[str, tuple[int, int]]:
    """Map each watched file to (mtime_ns, size); a differing map means "rebuild"."""
    snap = {}
    for path in iter_input_files(root, patterns):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        snap[str(path)] = (st.st_mtime_ns, st.st_size)
    return snap


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static handler that tells browsers not to cache (the tree changes under it)."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        if os.environ.get("BUILD_SERVE_LOG"):
            super().log_message(format, *args)


def make_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """HTTP server for ``site`` on 127.0.0.1:port.

    The handler gets the directory *path* (not an open fd): each request is resolved
    afresh under it, so the tree swapped in by a rebuild is served immediately.
    """
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


class WorkerError(Exception):
    """The warm worker stopped answering (it died, or said something unexpected)."""


class Worker:
    """tools/buildworker.py for one project: a warm process whose forks run the builds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        env, _ = build_env(root)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve().parent / "buildworker.py"), str(root)],
            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, errors="replace", start_new_session=True,
        )
        self.events: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, name="worker-events", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None  # stdout=PIPE
        for line in self.proc.stdout:
            if line.startswith(_MARK):
                self.events.put(line[len(_MARK):].strip())
        self.events.put(None)  # the worker has ended

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_ready(self, timeout: float) -> None:
        """Until the worker has warmed up (its ``ready`` line); queue.Empty past ``timeout`` s.
        Only for a caller that must time the build alone: build() skips the line itself."""
        deadline = time.monotonic() + timeout
        while self._next(deadline) != "ready":
            pass

    def _next(self, deadline: float | None) -> str:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        event = self.events.get(timeout=wait)  # queue.Empty when the deadline has passed
        if event is None:
            raise WorkerError("the build worker ended")
        return event

    def build(self, dest: Path, log: Path, epoch: int, timeout: float | None,
              on_edition=lambda index, rc: None) -> int:
        """Every edition into ``dest`` (a fresh path) in a fork of the worker; its exit status
        (mkdocs' output in ``log``).  ``on_edition(index, rc)`` runs as each edition ends, while
        the fork goes on.  Over ``timeout`` seconds the fork's process group is killed: BuildTimeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        assert self.proc.stdin is not None  # stdin=PIPE
        try:
            self.proc.stdin.write(json.dumps({"dest": str(dest), "log": str(log), "epoch": epoch}) + "\n")
            self.proc.stdin.flush()
        except OSError:
            raise WorkerError("the build worker does not read its requests") from None
        pid = None
        try:
            while True:
                word, *rest = self._next(deadline).split()
                if word == "forked":
                    pid = int(rest[0])
                elif word == "edition":
                    on_edition(int(rest[0]), int(rest[1]))
                elif word == "done":
                    return int(rest[0])
        except queue.Empty:
            pass
        except BaseException:  # Ctrl-C, SIGTERM, a failed on_edition: stop the fork too
            self._kill(pid)
            raise
        self._kill(pid)
        raise BuildTimeout(f"the build ran longer than {timeout:g} s and was stopped")

    def _kill(self, pid: int | None) -> None:
        """Kill the running fork's process group and wait for the worker to report its end.  A
        fork reported only now (the deadline passed before the worker forked, e.g. while it was
        still warming up) is killed as it is reported: it would otherwise run on, in a process
        group of its own, after close()."""
        if pid is not None:
            _killpg(pid)
        try:
            while True:
                word, *rest = self._next(time.monotonic() + 30).split()
                if word == "forked":
                    _killpg(int(rest[0]))
                elif word == "done":
                    return
        except (queue.Empty, WorkerError):
            self.close()  # no answer: a new worker next time

    def close(self) -> None:
        """End the worker (and a fork still running)."""
        _killpg(self.proc.pid)
        self.proc.wait()


_MARK = "\x1ebuildworker "


def _swap_keep(new: Path, site: Path) -> bool:
    """Exchange ``new`` and ``site`` in one rename(2), keeping the previous tree at ``new``;
    False (nothing done) where the kernel cannot exchange."""
    return site.is_dir() and not site.is_symlink() and _rename_exchange(new, site)


def warm_build_site(root: Path, worker: Worker, timeout: float | None = None) -> BuildReport:
    """build_site through the warm worker, the served edition first: once zh-Hans is built, it
    is swapped in with the zh-Hant edition being served (copies of both, post-built); once
    zh-Hant is built too, the whole new tree (post-built as ``build`` does) replaces that.
    On any failure the site served before is swapped back and BuildError is raised."""
    root, started, (_, epoch), tmp = _begin(root)
    site = root / SITE_DIRNAME
    new_site, log, first = tmp / SITE_DIRNAME, tmp / "build.log", tmp / "first"
    kept: list[Path] = []  # the tree served before, while the first edition is served

    def on_edition(index: int, rc: int) -> None:
        hant = EDITIONS[1][1] if len(EDITIONS) > 1 else ""
        if index != 0 or rc != 0 or not hant or not (site / hant).is_dir():
            return
        try:
            shutil.copytree(new_site, first, ignore=lambda d, names: [hant] if Path(d) == new_site else [])
            shutil.copytree(site / hant, first / hant)
            postbuild.run(first)
            if not _swap_keep(first, site):
                return
        except OSError:
            return  # no early swap: both editions come in together (tmp is removed at the end)
        kept.append(first)
        print(f"built {EDITIONS[0][0]} in {time.monotonic() - started:.1f} s, serving it "
              f"(the previous {hant} until the next is built)", flush=True)

    import postbuild  # tools/postbuild.py: ship only what the site uses; sitemaps with alternates

    try:
        rc = worker.build(new_site, log, epoch, timeout, on_edition)
        output = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        if rc != 0:
            raise BuildError("mkdocs build (" + ", ".join(c for c, _ in EDITIONS) + f") failed (exit {rc})", output)
        output += postbuild.describe(postbuild.run(new_site)) + "\n"
        swap_in(new_site, site)
    except BaseException:
        if kept:
            swap_in(kept[0], site)  # back to the site served before the change
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildReport(site, epoch, time.monotonic() - started, output)


def rebuild(root: Path, timeout: float = REBUILD_TIMEOUT, out=sys.stderr, worker: Worker | None = None) -> bool:
    """One ``serve`` rebuild: True when the new site is in place.  A failure prints mkdocs'
    output and a summary; a build over ``timeout`` seconds is killed and reported in one
    line.  Either way site/ keeps the last good build.  With a ``worker`` the build runs in
    it (the served edition first); without, as ``build`` runs it."""
    try:
        if worker is not None:
            try:
                rep = warm_build_site(root, worker, timeout=timeout)
            except WorkerError as err:  # say so once, then build as `build` does
                out.write(f"{err}; building without it\n")
                out.flush()
                rep = build_site(root, timeout=timeout)
        else:
            rep = build_site(root, timeout=timeout)
    except BuildTimeout as err:
        out.write(f"REBUILD STOPPED: {err} (serve --timeout); serving the last good build\n")
        out.flush()
        return False
    except BuildError as err:
        report_failure(err, out)
        out.write("serving the last good build\n")
        out.flush()
        return False
    print(f"built {rep.site} in {rep.seconds:.1f} s", flush=True)
    return True


def _code_changed(root: Path, before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]]) -> bool:
    """Whether a file under hooks/ (code the worker has imported) differs between two snapshots."""
    hooks = str(root / "hooks") + os.sep
    return any(before.get(p) != after.get(p) for p in before.keys() | after.keys() if p.startswith(hooks))


def cmd_serve(root: Path, port: int = DEFAULT_PORT, interval: float = 0.1,
              timeout: float = REBUILD_TIMEOUT) -> int:
    """``serve`` sub-command: build, serve site/, rebuild on input changes (in a warm worker)."""
    root = root.resolve()
    site = root / SITE_DIRNAME
    try:  # bind first: a busy port should not cost a build
        server = make_server(site, port)
    except OSError as err:
        print(f"cannot listen on {HOST}:{port}: {err}", file=sys.stderr, flush=True)
        return 2
    url = f"http://{HOST}:{server.server_address[1]}/"
    print(f"building {root}, then serving it at {url}", flush=True)
    thread: threading.Thread | None = None
    worker: Worker | None = None
    try:
        before = snapshot(root)
        worker = Worker(root)
        if not rebuild(root, timeout, worker=worker) and not site.is_dir():
            print(f"no previous build in {site}; nothing to serve", file=sys.stderr, flush=True)
            return 1

        thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
        thread.start()
        print(f"serving {site} at {url}  (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(interval)
            now = snapshot(root)
            if now == before:
                continue
            time.sleep(0.05)  # let an editor finish writing (most write the whole file at once)
            now = snapshot(root)  # changes made during the build trigger another one
            if _code_changed(root, before, now) or not worker.alive():
                worker.close()
                worker = Worker(root)  # the hooks' code changed: a worker that imports it anew
            before = now
            print(time.strftime("[%H:%M:%S] change detected, rebuilding"), flush=True)
            rebuild(root, timeout, worker=worker)
    except KeyboardInterrupt:
        print("stopping", flush=True)
        return 0
    finally:
        if worker is not None:
            worker.close()
        if thread is not None:  # shutdown() blocks unless serve_forever() is running
            server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- CLI


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line interface (see ``--help``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root", type=Path, default=argparse.SUPPRESS,
        help=f"project root holding mkdocs.yml and mkdocs.zh-Hant.yml (default: {DEFAULT_ROOT})",
    )
    parser = argparse.ArgumentParser(
        prog="build.py",
        description=(
            "Build the reader edition atomically and reproducibly: Simplified into site/, "
            "Traditional into site/zh-Hant/.  Both editions are built into a temp dir "
            "with `mkdocs build --strict`; site/ is replaced only if both succeed."
        ),
        epilog=(
            "examples:\n"
            "  .venv/bin/python tools/build.py build\n"
            "  .venv/bin/python tools/build.py serve --port 8001\n"
            "  .venv/bin/python tools/build.py --root /tmp/demo build -v\n\n"
            "SOURCE_DATE_EPOCH: taken from the environment if set, else the newest git\n"
            "commit time, else the newest mtime in seeds/ docs/ hooks/ mkdocs*.yml."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p_build = sub.add_parser("build", parents=[common], help="build both editions into site/ atomically")
    p_build.add_argument("-v", "--verbose", action="store_true", help="also print mkdocs' output on success")
    p_serve = sub.add_parser(
        "serve", parents=[common],
        help=f"build, serve site/ on http://{HOST}:PORT/ and rebuild on changes",
        description=(
            f"Build once, serve site/ on http://{HOST}:PORT/, poll {', '.join(WATCHED)} "
            "for changes and rebuild atomically; a failed rebuild keeps the last good build."
        ),
    )
    p_serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p_serve.add_argument("--interval", type=float, default=0.1, help="poll interval in seconds (default 0.1)")
    p_serve.add_argument("--timeout", type=float, default=REBUILD_TIMEOUT,
                         help=f"seconds a build may take before it is stopped (default {REBUILD_TIMEOUT})")
    args = parser.parse_args(argv)
    if not hasattr(args, "root"):
        args.root = DEFAULT_ROOT
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = parse_args(argv)
    # SIGTERM behaves like Ctrl-C, so an interrupted build still removes its temp dir.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        if args.command == "build":
            return cmd_build(args.root, verbose=args.verbose)
        return cmd_serve(args.root, port=args.port, interval=args.interval, timeout=args.timeout)
    except KeyboardInterrupt:
        print("interrupted; site/ left untouched", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
