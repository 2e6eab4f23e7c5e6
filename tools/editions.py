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

#: (theme dirs as absolute paths, static templates, Markdown extensions, the project's theme files)
#: -> the theme files MkDocs adds to a build, as (path, index of its theme dir), in its order (the
#: worker lists them from an absolute config path, a build names the config relative to the project)
_THEME_FILES: dict[tuple, list[tuple[str, int]]] = {}


def _project_files(dirs: Sequence[str]) -> tuple:
    """The files (path, mtime, size) of the theme dirs outside the installed packages (overrides/)."""
    out = []
    for d in dirs:
        if Path(d).resolve().is_relative_to(Path(sys.prefix).resolve()):
            continue
        for base, _, names in os.walk(d):
            for name in names:
                st = os.stat(os.path.join(base, name))
                out.append((os.path.join(base, name), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def remember_theme_files() -> None:
    """List the theme's static files once per process: MkDocs' Files.add_files_from_theme walks
    every file of every theme dir on each build (Material's 14,500 icons, each matched against
    its patterns: about 0.2 s an edition) to add the few hundred that are not templates. The
    installed theme does not change while a process runs; overrides/ may (under `serve`), so
    its files are part of the key. The files added, and their order, are MkDocs' own."""
    from mkdocs import utils
    from mkdocs.structure.files import File, Files

    if getattr(Files.add_files_from_theme, "remembered", False):
        return
    original = Files.add_files_from_theme

    def add_files_from_theme(self, env, config) -> None:
        dirs = tuple(config.theme.dirs)  # overrides/ relative or absolute, as the config was named
        where = tuple(os.path.abspath(d) for d in dirs)
        key = (where, tuple(config.theme.static_templates), tuple(utils.markdown_extensions), _project_files(where))
        if key not in _THEME_FILES:
            alone = Files([])
            original(alone, env, config)  # every theme file, as if the docs had none
            _THEME_FILES.clear()
            _THEME_FILES[key] = [(f.src_uri, dirs.index(str(f.src_dir))) for f in alone]
        for path, index in _THEME_FILES[key]:
            if self.get_file_from_path(path) is None:  # theme files do not override docs_dir files
                self.append(File(path, dirs[index], config.site_dir, config.use_directory_urls))

    add_files_from_theme.remembered = True  # type: ignore[attr-defined]
    add_files_from_theme.original = original  # type: ignore[attr-defined]
    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]


def build_all(root: Path, dest: Path, extra_args: Sequence[str] = (),
              editions: Sequence[tuple[str, str]] = build.EDITIONS,
              log: Callable[[str], None] | None = None) -> int:
    """Build each edition of ``root`` into ``dest`` in this process; 0 on success, else 1
    (mkdocs' messages and the reason already printed)."""
    import click
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as mkbuild

    log = log or (lambda line: print(line, flush=True))
    remember_theme_files()
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
