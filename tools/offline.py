#!/usr/bin/env python3
"""The offline bundle: both editions as one zip that works from file:// with no network.

Data flow of ``make offline``::

    seeds/ docs/ hooks/ overrides/ mkdocs.yml mkdocs.zh-Hant.yml   (inputs, read only; seeds
        |                                                            checked as in build.py)
        |  SOURCE_DATE_EPOCH: build.build_env (explicit, else HEAD's commit time, else mtimes)
        v
    mkdocs build --strict --no-directory-urls -f mkdocs.yml         -d $TMP/<NAME>/
    mkdocs build --strict --no-directory-urls -f mkdocs.zh-Hant.yml -d $TMP/<NAME>/zh-Hant/
        |  (build.build_editions, one process; links end in .html, so they open from the file system)
        v
    tools/postbuild.py, as for the hosted site (source maps and unused lunr files removed,
        |               zh-Hant shares assets/: relative links, so file:// keeps working)
        v
    search/search_index.json -> search/search_index.js  ("var __index = ...", what Material's
        |                       bundle loads under file://, as its offline plugin would write it;
        |                       the .json is dropped: nothing reads it from file://)
        |  404.html of each edition dropped: only a server shows it, and its links are absolute
        v
    dist/<NAME>.zip   entries sorted, every timestamp = SOURCE_DATE_EPOCH, fixed modes:
                      the same sources give a byte-identical zip; written to a temp file
                      in dist/ and renamed into place, so a failed build leaves the old zip.

NAME is fixed ASCII (``altman-interviews-reader-edition``): site_name is Chinese, and a zip
named in ASCII unpacks the same everywhere. Everything the pages need ships inside: the search
worker runs in an iframe under file:// (docs/assets/vendor/iframe-worker/, the npm package
iframe-worker 1.0.4, MIT, vendored with its LICENSE) instead of Material's offline plugin's
unpkg.com shim; docs/assets/search.js loads the index only when search is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build  # tools/build.py: build_editions, build_env, check_seeds, EDITIONS
import postbuild  # tools/postbuild.py: ship only what the pages use

NAME = "altman-interviews-reader-edition"
DIST = "dist"
MKDOCS_ARGS = ("--no-directory-urls",)
#: The hosted site's page for a missing URL: only a server shows it, and its links are absolute
#: (/, /zh-Hant/: from file:// the root of the disk), so the bundle leaves it out.
NOT_FOUND = "404.html"
#: Zip timestamps cannot precede 1980-01-01 (the DOS epoch).
ZIP_MIN_EPOCH = 315532800


def build_tree(root: Path, dest: Path, env: dict[str, str], timeout: float | None = None) -> None:
    """Both editions into ``dest`` (a fresh directory) with .html links, pruned as the hosted
    site is, plus search_index.js."""
    build.build_editions(root, dest, env, timeout, extra_args=MKDOCS_ARGS)  # both in one process, as make site
    postbuild.run(dest)  # reads search_index.json (the languages it needs): before it goes
    for _config, subdir in build.EDITIONS:
        edition = dest / subdir if subdir else dest
        inline_search_index(edition)
        (edition / NOT_FOUND).unlink(missing_ok=True)


def inline_search_index(site: Path) -> None:
    """search/search_index.json -> search/search_index.js (``var __index = <json>``), as
    Material's offline plugin writes it; Material's bundle loads that script under file://."""
    src = site / "search" / "search_index.json"
    if not src.is_file():
        raise build.BuildError(f"{src} is missing: was the search plugin disabled?")
    data = src.read_text(encoding="utf-8")
    (site / "search" / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
    src.unlink()


def zip_tree(tree: Path, target: Path, epoch: int, prefix: str = NAME) -> int:
    """Zip ``tree`` into ``target`` under the folder ``prefix``: sorted entries, every
    timestamp from ``epoch``, modes 0644/0755; return the number of files."""
    stamp = time.gmtime(max(epoch, ZIP_MIN_EPOCH))[:6]
    files = sorted((p for p in tree.rglob("*") if p.is_file()), key=lambda p: p.relative_to(tree).as_posix())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            rel = path.relative_to(tree).as_posix()
            info = zipfile.ZipInfo(f"{prefix}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 << 16)
            info.create_system = 3  # Unix, so the mode above is honoured
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    return len(files)


def make_bundle(root: Path, out_dir: Path | None = None, timeout: float | None = None) -> Path:
    """Build both editions into a temp dir and zip them into ``out_dir``/NAME.zip; return its path."""
    root = root.resolve()
    out_dir = (root / DIST) if out_dir is None else out_dir
    build.check_configs(root)
    build.check_seeds(root)
    env, epoch = build.build_env(root)
    env.pop("READER_DOWNLOADS", None)  # the bundle offers the data alone: never the zip within the zip
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{NAME}.zip"
    with tempfile.TemporaryDirectory(prefix="reader-offline-") as tmp:
        tree = Path(tmp) / NAME
        build_tree(root, tree, env, timeout)
        fd, part = tempfile.mkstemp(prefix=f".{NAME}-", suffix=".zip.part", dir=out_dir)
        os.close(fd)
        try:
            zip_tree(tree, Path(part), epoch)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(part, 0o666 & ~umask)  # mkstemp made it 0600: a zip is meant to be shared
            os.replace(part, target)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="offline.py",
        description=f"Build both editions for file:// and zip them into {DIST}/{NAME}.zip "
                    "(unzip anywhere, open index.html).")
    parser.add_argument("--root", type=Path, default=build.DEFAULT_ROOT, help="project root")
    parser.add_argument("--out", type=Path, default=None, help=f"output folder (default: ROOT/{DIST})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        target = make_bundle(args.root, args.out)
    except build.BuildError as err:
        build.report_failure(err, sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; no bundle written", file=sys.stderr)
        return 130
    size = target.stat().st_size
    print(f"{target} ({size / 1024:.0f} KiB) in {time.monotonic() - started:.1f} s: "
          f"unzip it anywhere and open {NAME}/index.html", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
