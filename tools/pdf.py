#!/usr/bin/env python3
"""The print edition: both scripts as PDF books in dist/ (`make pdf`).

Data flow, per edition (zh-Hans, zh-Hant)::

    seeds/ --site.load_edition(root, lang)--> Edition (docs, labels, terms, people, conv; the seeds' SHA-256: downloads.sources)
           --printbook.book(edition, created=SOURCE_DATE_EPOCH)--> HTML string
           --> <tmp>/book-<lang>.html  (kept with --keep-html DIR)
           --WeasyPrint + tools/print.css (Noto Serif CJK SC / TC, system fonts),
             or the render cache below when it holds this HTML's key-->
    dist/altman-interviews-<lang>.pdf   (written to a temp name, then renamed)
    + figures (pages, bookmarks, anchors, internal links): main() prints them, tests/test_pdf.py checks them

Deterministic: the PDF's CreationDate/ModDate and the colophon's date come from
SOURCE_DATE_EPOCH (else the commit time of HEAD, as tools/build.py), so the same sources give
byte-identical PDFs. WeasyPrint fetches nothing from the network: its URL fetcher here
serves only files inside the temp dir and the project (links to the sources are only links).
Run with the project's interpreter: `.venv/bin/python tools/pdf.py [--lang zh-Hans] [--out dist]`.

Render cache (WeasyPrint takes over a minute per edition; the same HTML gives the same bytes)::

    (print HTML text, tools/print.css bytes, this file's source, Python, WeasyPrint and the
     libraries it renders with [LIBRARIES; pango, harfbuzz, fontconfig], the system fonts
     [every file fc-list names, and fc-match's file for each family print.css names: path,
     size, mtime]) --sha256--> key
    .cache/pdf/<lang>/<key>.json  (pages, bookmarks, page anchors, internal link targets, and
                                   the sha256 and size of the PDF) and <key>.pdf
        hit  -> the cached bytes (read through safeio: a regular file inside the project, its
                sha256 the one the .json names) to the target (temp name, then rename), the
                figures from the .json: no WeasyPrint at all
        miss -> WeasyPrint, then both files written (temporary file + rename, the .pdf first)

A hit is what a fresh render gives, byte for byte, with the same figures (tests/test_pdf.py).
A render that fetched any file (an image, a stylesheet the key does not cover) is not stored.
The newest KEEP renders per edition are kept; READER_CORPUS_CACHE=0 (corpuscache.enabled())
or --no-cache renders afresh and stores nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))

from reader import corpuscache, downloads, pages, printbook, safeio, site  # noqa: E402
from reader.model import EditionError  # noqa: E402

NAME = "altman-interviews"
CSS_FILE = ROOT / "tools" / "print.css"
CACHE_DIR = Path(".cache") / "pdf"
#: Renders kept per edition (make pdf's and the tests', with room for an edit or two).
KEEP = 4
#: Bump when the .json's layout changes.
FORMAT = 1
#: Distributions whose code or data shapes the PDF bytes.
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pyphen", "Pillow")
#: The native libraries WeasyPrint lays text out with: (shared object, version function, returns).
NATIVE = (("libpango-1.0.so.0", "pango_version_string", "str"),
          ("libharfbuzz.so.0", "hb_version_string", "str"),
          ("libfontconfig.so.1", "FcGetVersion", "int"))
PDF_LIMIT = 1 << 30
JSON_LIMIT = 64 * safeio.MiB


def epoch(root: Path = ROOT) -> int:
    import build  # tools/build.py: $SOURCE_DATE_EPOCH, else HEAD's commit time, else newest input mtime

    return build.source_date_epoch(root)


def dates(seconds: int) -> tuple[str, str]:
    """(W3C date-time for the PDF metadata, the date printed in the colophon)."""
    when = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{when.year}年{when.month}月{when.day}日"


def timeline_parts(root: Path, edition: pages.Edition) -> list[printbook.Part]:
    """The timeline (seeds/timeline.yml) as a back-matter part; [] when the edition has none."""
    from reader import timeline

    if not edition.timeline.events:
        return []
    html = timeline.print_html(edition.timeline, edition.docs, edition.people, printbook.book_href(),
                               edition.lang == "zh-Hant", edition.conv)
    return [printbook.Part("timeline", edition.conv(timeline.TITLE), html)]


FONTS = {"zh-Hans": "Noto Serif CJK SC", "zh-Hant": "Noto Serif CJK TC"}


def missing_fonts(langs: list[str]) -> list[str]:
    """The system fonts print.css names that fontconfig does not have (fonts-noto-cjk)."""
    out = []
    for lang in langs:
        try:
            found = subprocess.run(["fc-list", FONTS[lang]], capture_output=True, text=True, check=False).stdout
        except FileNotFoundError:
            found = ""
        if FONTS[lang] not in found:
            out.append(FONTS[lang])
    return out


def local_fetcher(allowed: list[Path], fetched: list[str] | None = None):
    """A WeasyPrint URL fetcher that serves file: URLs under `allowed` only (no network);
    each URL it serves is appended to `fetched`."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [p.resolve() for p in allowed]

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in roots):
                raise ValueError(f"print edition: refusing to fetch {url!r}")
            if fetched is not None:
                fetched.append(url)
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file",))


def render(src: Path, target: Path, allowed: list[Path], fetched: list[str] | None = None):
    """HTML file -> PDF at target (written to a temp name, then renamed), afresh; returns
    WeasyPrint's rendered Document (pages, make_bookmark_tree())."""
    from weasyprint import CSS, HTML

    fetcher = local_fetcher(allowed, fetched)
    document = HTML(filename=str(src), url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(CSS_FILE), url_fetcher=fetcher)])
    part = target.parent / f".{target.name}.part"
    document.write_pdf(part)
    os.replace(part, target)
    return document


def figures(document) -> dict[str, Any]:
    """What build_one's callers read of a rendered Document, as JSON values (so a cached copy is
    equal to it): pages, the bookmark tree ([label, [page, x, y], children, state] each), the
    anchors laid out on the pages and the internal link targets (both sorted)."""
    laid = document.pages
    return {"pages": len(laid),
            "bookmarks": json.loads(json.dumps(document.make_bookmark_tree())),
            "anchors": sorted({name for page in laid for name in page.anchors}),
            "internal": sorted({target for page in laid for kind, target, *_ in page.links if kind == "internal"})}


def _run(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def _native() -> list[str]:
    """The versions of pango, harfbuzz and fontconfig, asked of the libraries themselves."""
    import ctypes

    out = []
    for soname, function, returns in NATIVE:
        try:
            call = getattr(ctypes.CDLL(soname), function)
            call.restype = ctypes.c_char_p if returns == "str" else ctypes.c_int
            out.append(f"{soname}={call()!r}")
        except (OSError, AttributeError):
            out.append(f"{soname}: none")
    return out


def versions() -> str:
    """Python, the libraries of LIBRARIES and NATIVE, and zlib (pydyf compresses with it)."""
    out = [sys.version, f"zlib={zlib.ZLIB_RUNTIME_VERSION}"]
    for name in LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}: none")
    return "\n".join(out + _native())


def font_families(css: str) -> list[str]:
    """The font families a stylesheet names (`font-family: "Noto Serif CJK SC", serif`), in order."""
    names: list[str] = []
    for value in re.findall(r"font-family\s*:\s*([^;}]+)", css):
        for name in value.split(","):
            name = name.strip().strip("'\"").strip()
            if name and name not in ("inherit", "initial", "unset", "revert") and name not in names:
                names.append(name)
    return names


def fonts(css: str) -> str:
    """The system fonts a render may use: fontconfig's version, every font file fc-list names and
    the file fc-match picks for each family of the stylesheet, each with its size and mtime."""
    def stamp(path: str) -> str:
        try:
            st = os.stat(path)
        except OSError:
            return f"{path} missing"
        return f"{path} {st.st_size} {st.st_mtime_ns}"

    files = sorted(set(_run("fc-list", "-f", "%{file}\n").splitlines()))
    out = [stamp(f) for f in files if f]
    for family in font_families(css):
        out.append(f"{family} -> {stamp(_run('fc-match', '-f', '%{file}', family))}")
    return "\n".join(out)


def key(html: str, css: bytes | None = None) -> str:
    """The content key of a render of `html` with print.css (or the stylesheet bytes `css`)."""
    css = CSS_FILE.read_bytes() if css is None else css
    h = hashlib.sha256()
    for label, data in (("format", str(FORMAT).encode()), ("html", html.encode("utf-8")), ("css", css),
                        ("code", Path(__file__).read_bytes()), ("versions", versions().encode()),
                        ("fonts", fonts(css.decode("utf-8", "replace")).encode())):
        h.update(b"\0" + label.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _cached(root: Path, folder: Path, k: str) -> tuple[bytes, dict[str, Any]] | None:
    """The PDF bytes and figures stored under key k, or None if missing, truncated or foreign."""
    rel = folder.relative_to(root).as_posix()
    try:
        meta = json.loads(safeio.read_bytes(root, folder / f"{k}.json", f"{rel}/{k}.json", JSON_LIMIT))
        data = safeio.read_bytes(root, folder / f"{k}.pdf", f"{rel}/{k}.pdf", PDF_LIMIT)
    except (EditionError, OSError, ValueError):  # ValueError: not JSON (or not UTF-8)
        return None
    if not (isinstance(meta, dict) and meta.get("format") == FORMAT and meta.get("key") == k
            and meta.get("sha256") == hashlib.sha256(data).hexdigest() and meta.get("bytes") == len(data)
            and isinstance(meta.get("pages"), int) and isinstance(meta.get("bookmarks"), list)
            and isinstance(meta.get("anchors"), list) and isinstance(meta.get("internal"), list)):
        return None
    try:
        for name in (f"{k}.json", f"{k}.pdf"):
            os.utime(folder / name)  # used: the newest KEEP stay
    except OSError:
        pass
    return data, {name: meta[name] for name in ("pages", "bookmarks", "anchors", "internal")}


def _store(folder: Path, k: str, target: Path, found: dict[str, Any]) -> None:
    data = target.read_bytes()
    meta = {"format": FORMAT, "key": k, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **found}
    corpuscache.write_bytes(folder, f"{k}.pdf", data)  # the .pdf first: the .json vouches for it
    corpuscache.write_bytes(folder, f"{k}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    try:
        old = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for path in old:
            for stale in (path, path.with_suffix(".pdf")):
                stale.unlink(missing_ok=True)
    except OSError:
        pass


def render_cached(html: str, src: Path, target: Path, allowed: list[Path], *, slot: str,
                  root: Path = ROOT, cache: bool = True) -> dict[str, Any]:
    """HTML text -> src (the file WeasyPrint reads) -> PDF at target, from root's render cache
    (.cache/pdf/<slot>/) when it holds this key; returns figures() and "cached" (a hit or not)."""
    src.write_text(html, encoding="utf-8")
    use = cache and corpuscache.enabled() and re.fullmatch(r"[A-Za-z0-9-]+", slot) is not None
    root = root.resolve()
    folder = root / CACHE_DIR / slot
    k = key(html) if use else ""
    if use and (hit := _cached(root, folder, k)) is not None:
        data, found = hit
        part = target.parent / f".{target.name}.part"
        part.write_bytes(data)
        os.replace(part, target)
        return {**found, "cached": True}
    fetched: list[str] = []
    found = figures(render(src, target, allowed, fetched))
    if use and not fetched:
        _store(folder, k, target, found)
    return {**found, "cached": False}


def build_one(lang: str, out_dir: Path, tmp: Path, seconds: int, root: Path = ROOT,
              cache: bool = True) -> dict:
    """One edition -> <out_dir>/<NAME>-<lang>.pdf; returns figures (pages, bookmarks, anchors,
    internal, cached, seconds, bytes), from the render cache when it holds this HTML's key."""
    start = time.monotonic()
    edition, _ = site.load_edition(root, lang)
    edition.sources, _paths = downloads.sources(root, [d.entry.seed for d in edition.docs])  # their SHA-256
    created, made = dates(seconds)
    html = printbook.book(edition, created=created, made=made, extra=timeline_parts(root, edition))
    loaded = time.monotonic()
    src = tmp / f"book-{lang}.html"
    target = out_dir / f"{NAME}-{lang}.pdf"
    found = render_cached(html, src, target, [tmp, root], slot=lang, root=root, cache=cache)
    return {"lang": lang, "pdf": target, "html": src, **found,
            "load_s": loaded - start, "total_s": time.monotonic() - start, "bytes": target.stat().st_size}


def quiet() -> None:
    """WeasyPrint's and fontTools' warnings off, errors still shown (make pdf, make screenshots)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=pages.EDITIONS, action="append", help="one edition (default: both)")
    ap.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    ap.add_argument("--keep-html", type=Path, help="also keep the print HTML in this folder")
    ap.add_argument("--no-cache", action="store_true", help="render afresh, neither reading nor writing .cache/pdf/")
    args = ap.parse_args(argv)
    quiet()
    args.out.mkdir(parents=True, exist_ok=True)
    langs = args.lang or list(pages.EDITIONS)
    if missing := missing_fonts(langs):
        print(f"error: font {', '.join(missing)} not installed (Debian: fonts-noto-cjk; `make system-deps`)",
              file=sys.stderr)
        return 1
    seconds = epoch()
    with tempfile.TemporaryDirectory(prefix="print-") as tmp_name:
        tmp = Path(tmp_name)
        for lang in langs:
            try:
                rep = build_one(lang, args.out, tmp, seconds, cache=not args.no_cache)
            except site.read.EditionError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            if args.keep_html:
                args.keep_html.mkdir(parents=True, exist_ok=True)
                (args.keep_html / rep["html"].name).write_bytes(rep["html"].read_bytes())
            print(f"{rep['pdf']}: "
                  f"{rep['pages']} pages, {rep['bytes'] / 1e6:.1f} MB, {rep['total_s']:.1f} s "
                  f"(edition {rep['load_s']:.1f} s{', cached render' if rep['cached'] else ''}), "
                  f"SOURCE_DATE_EPOCH={seconds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
