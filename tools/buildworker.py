#!/usr/bin/env python3
"""A warm build process for ``tools/build.py serve``: each rebuild is a fork of it.

Data flow::

    ROOT (argv), the environment of build.build_env        started by serve, and again after a
        |                                                  change under hooks/ (its code is imported)
        v
    warm up once: mkdocs' CLI, Material and its search plugin, the hooks' `reader` package and
    the text libraries imported; jieba's dictionary loaded (as the first build would); the
    corpus loaded (reader/corpuscache.py prime: in memory, each seed's cleaning and each
    document's later stages, so a fork after a one-line edit redoes them for that document only)
    and its zh-Hant edition (each document's conversion remembered the same way);
    OpenCC's s2tw converter made; the theme's static files listed (editions.remember_theme_files);
    each of the three steps (libraries, theme, sources) on its own, so that a broken config or
    source leaves the others warm; then gc.freeze(): the collections of a build do not walk the
    warm heap
        |
        |  stdin, one JSON line per rebuild: {"dest": DIR, "log": FILE, "epoch": N}
        v
    os.fork() -> a child in its own process group, output (mkdocs' messages) into FILE:
        SOURCE_DATE_EPOCH=N; tools/editions.build_all for each of build.EDITIONS in turn into
        DEST (Simplified first: it cleans DEST), exactly as `editions.py ROOT DEST` runs them
    stdout, one line per event (each starts with MARK):
        MARK ready                      the first warm-up is done (once, before the first request)
        MARK forked PID                 the child's pid = its process group (serve kills it on timeout)
        MARK edition I RC               edition I (of build.EDITIONS) finished, 0 = built
        MARK done RC                    the child ended (RC < 0: killed by signal -RC)
    then the corpus of the new sources is loaded here (warm for the next fork) and the next line read

Each build runs in a copy of this process as it was after the warm-up, so no state of one build
(jieba's words, MkDocs' loggers, the hooks' module state) reaches the next: a build here gives
the same site as `editions.py` in a fresh process (tests/test_build_driver.py). The warm-up
only imports and loads what every build loads first. EOF on stdin ends the worker.
"""
from __future__ import annotations

import gc
import json
import os
import signal
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build  # noqa: E402 - tools/build.py: EDITIONS
import editions  # noqa: E402 - tools/editions.py: build_all

MARK = "\x1ebuildworker"


def warm(root: Path) -> None:
    """Import and load what every build needs first; a failure here only costs the build time."""
    sys.path.insert(0, str(root / "hooks"))

    def libraries() -> None:
        import jieba
        import material.plugins.search.plugin  # noqa: F401 - imported by every build
        import mkdocs.__main__  # noqa: F401
        import mkdocs.commands.build  # noqa: F401

        from reader import safeio
        from reader.clean import overconversion
        safeio.jieba_cache(jieba.dt)  # as site.teach_jieba does before the first word
        jieba.dt.check_initialized()
        overconversion.converter("s2tw")  # the Traditional edition's (t2s: made by the corpus)

    def sources() -> None:
        from reader import corpuscache, site
        corpuscache.prime(root)  # the corpus, and its stages per document for the next edit's fork
        site.load_edition(root, "zh-Hant")  # each document in zh-Hant, remembered for that fork too

    # each step on its own: a broken config or source stops only its step (the build reports it)
    for step in (libraries, lambda: theme_files(root), sources):
        try:
            step()
        except Exception:  # noqa: BLE001
            pass
    gc.collect()
    gc.freeze()  # what is loaded now is never collected: a build's collections skip it


def theme_files(root: Path) -> None:
    """The theme's static files, listed as the first build would (editions.remember_theme_files)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    editions.remember_theme_files()
    config = load_config(str(root / build.EDITIONS[0][0]))
    Files([]).add_files_from_theme(config.theme.get_env(), config)


def emit(fd: int, *words: object) -> None:
    os.write(fd, (" ".join([MARK, *map(str, words)]) + "\n").encode())


def child(root: Path, dest: Path, log: Path, epoch: int, marks: int) -> int:
    """The forked build: every edition into dest, output into log; its exit status."""
    marks = os.dup(marks)  # the worker's stdout, before fd 1 becomes the log
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        from reader import corpuscache
        corpuscache.in_memory_only()  # the worker writes the corpus cache when it primes the next fork
    except ImportError:
        pass
    for i, edition in enumerate(build.EDITIONS):
        rc = editions.build_all(root, dest, editions=[edition])
        sys.stdout.flush()
        sys.stderr.flush()
        emit(marks, "edition", i, rc)
        if rc:
            return rc
    return 0


def serve_requests(root: Path) -> int:
    out = sys.stdout.fileno()
    for line in sys.stdin:
        req = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the build
            rc = 1
            try:
                os.setpgid(0, 0)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                rc = child(root, Path(req["dest"]), Path(req["log"]), int(req["epoch"]), out)
            except BaseException:  # noqa: BLE001 - reported in the log, the build failed
                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(rc)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child did it first, or has ended already
        emit(out, "forked", pid)
        _, status = os.waitpid(pid, 0)
        emit(out, "done", os.waitstatus_to_exitcode(status))
        warm(root)  # the new sources' corpus, for the next fork
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: buildworker.py ROOT   (requests on stdin; started by tools/build.py serve)", file=sys.stderr)
        return 2
    root = Path(args[0]).resolve()
    os.chdir(root)
    warm(root)
    emit(sys.stdout.fileno(), "ready")
    return serve_requests(root)


if __name__ == "__main__":
    sys.exit(main())
