#!/usr/bin/env python3
"""The print edition: both scripts as PDF books in dist/ (`make pdf`).

Data flow, per edition (zh-Hans, zh-Hant)::

    seeds/ --site.load_edition(root, lang)--> Edition (docs, labels, terms, people, conv)
           --printbook.book(edition, created=SOURCE_DATE_EPOCH)--> HTML string
           --> <tmp>/book-<lang>.html  (kept with --keep-html DIR)
           --WeasyPrint + tools/print.css (Noto Serif CJK SC / TC, system fonts)-->
    dist/altman-interviews-<lang>.pdf   (written to a temp name, then renamed)

Deterministic: the PDF's CreationDate/ModDate and the colophon's date come from
SOURCE_DATE_EPOCH (else the commit time of HEAD, as tools/build.py), so the same sources give
byte-identical PDFs. WeasyPrint fetches nothing from the network: its URL fetcher here
serves only files inside the temp dir and the project (links to the sources are only links).
Run with the project's interpreter: `.venv/bin/python tools/pdf.py [--lang zh-Hans] [--out dist]`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))

from reader import pages, printbook, site  # noqa: E402

NAME = "altman-interviews"
CSS_FILE = ROOT / "tools" / "print.css"


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
    import subprocess

    out = []
    for lang in langs:
        try:
            found = subprocess.run(["fc-list", FONTS[lang]], capture_output=True, text=True, check=False).stdout
        except FileNotFoundError:
            found = ""
        if FONTS[lang] not in found:
            out.append(FONTS[lang])
    return out


def local_fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that serves file: URLs under `allowed` only (no network)."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [p.resolve() for p in allowed]

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in roots):
                raise ValueError(f"print edition: refusing to fetch {url!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file",))


def render(src: Path, target: Path, allowed: list[Path]):
    """HTML file -> PDF at target (written to a temp name, then renamed); returns WeasyPrint's
    rendered Document (pages, make_bookmark_tree())."""
    from weasyprint import CSS, HTML

    fetcher = local_fetcher(allowed)
    document = HTML(filename=str(src), url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(CSS_FILE), url_fetcher=fetcher)])
    part = target.parent / f".{target.name}.part"
    document.write_pdf(part)
    os.replace(part, target)
    return document


def build_one(lang: str, out_dir: Path, tmp: Path, seconds: int, root: Path = ROOT) -> dict:
    """One edition -> <out_dir>/<NAME>-<lang>.pdf; returns figures (pages, seconds, bytes, bookmarks)."""
    start = time.monotonic()
    edition, _ = site.load_edition(root, lang)
    created, made = dates(seconds)
    html = printbook.book(edition, created=created, made=made, extra=timeline_parts(root, edition))
    loaded = time.monotonic()
    src = tmp / f"book-{lang}.html"
    src.write_text(html, encoding="utf-8")
    target = out_dir / f"{NAME}-{lang}.pdf"
    document = render(src, target, [tmp, root])
    return {"lang": lang, "pdf": target, "html": src, "pages": len(document.pages), "document": document,
            "bookmarks": document.make_bookmark_tree(),
            "load_s": loaded - start, "total_s": time.monotonic() - start, "bytes": target.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=pages.EDITIONS, action="append", help="one edition (default: both)")
    ap.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    ap.add_argument("--keep-html", type=Path, help="also keep the print HTML in this folder")
    args = ap.parse_args(argv)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
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
                rep = build_one(lang, args.out, tmp, seconds)
            except site.read.EditionError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            if args.keep_html:
                args.keep_html.mkdir(parents=True, exist_ok=True)
                (args.keep_html / rep["html"].name).write_bytes(rep["html"].read_bytes())
            print(f"{rep['pdf']}: "
                  f"{rep['pages']} pages, {rep['bytes'] / 1e6:.1f} MB, {rep['total_s']:.1f} s "
                  f"(edition {rep['load_s']:.1f} s), SOURCE_DATE_EPOCH={seconds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
