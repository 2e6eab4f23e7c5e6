#!/usr/bin/env python3
"""Every edition in ONE process: what tools/build.py runs (as a subprocess) for a build.

Data flow::

    ROOT DEST [EXTRA...]       (argv; cwd = ROOT; SOURCE_DATE_EPOCH etc. in the environment)
        |  for (config, subdir) in build.EDITIONS, in order (Simplified first: it cleans DEST)
        v
    mkdocs' own CLI, in this process: `mkdocs build --strict -f CONFIG -d DEST/SUBDIR EXTRA...`
        |  the hooks' `reader` package stays imported between the editions, so the corpus
        |  (reader/corpuscache.py: memoised, and cached on disk in .cache/corpus/) and jieba's
        |  dictionary are loaded once for both editions
        v
    DEST/, DEST/zh-Hant/       exit 0; or mkdocs' messages (ERROR lines naming file and line)
                               and the abort reason, exit 1 (nothing after a failed edition runs)

Calling mkdocs' CLI (not `mkdocs.commands.build.build`) keeps every command-line option
(tools/offline.py passes --no-directory-urls) and mkdocs' logging as a subprocess has it.
The CLI adds a duplicate-message filter to mkdocs' build logger on each call: it is removed
after each edition, so the second edition's warnings still count in --strict mode.
"""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build  # tools/build.py: EDITIONS


def build_all(root: Path, dest: Path, extra_args: Sequence[str] = (),
              editions: Sequence[tuple[str, str]] = build.EDITIONS,
              log: Callable[[str], None] | None = None) -> int:
    """Build each edition of ``root`` into ``dest`` in this process; 0 on success, else 1
    (mkdocs' messages and the reason already printed)."""
    import click
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as mkbuild

    log = log or (lambda line: print(line, flush=True))
    cwd = os.getcwd()
    os.chdir(root)  # config paths and docs_dir are relative to the project
    try:
        for config, subdir in editions:
            out = dest / subdir if subdir else dest
            log(f"--- {config} -> {out}")
            filters = list(mkbuild.log.filters)
            try:
                cli.main(["build", "--strict", "-f", config, "-d", str(out), *extra_args],
                         prog_name="mkdocs", standalone_mode=False)
            except click.ClickException as exc:  # mkdocs' Abort: the messages are printed already
                exc.show()
                return 1
            except click.exceptions.Exit as exc:
                if exc.exit_code:
                    return exc.exit_code
            finally:
                gc.collect()  # the finished edition's pages and files, before the next is built
                for f in list(mkbuild.log.filters):
                    if f not in filters:
                        mkbuild.log.removeFilter(f)
    finally:
        os.chdir(cwd)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: editions.py ROOT DEST [MKDOCS BUILD ARGS...]", file=sys.stderr)
        return 2
    return build_all(Path(args[0]).resolve(), Path(args[1]).resolve(), args[2:])


if __name__ == "__main__":
    sys.exit(main())
