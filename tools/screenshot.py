"""Screenshots of built pages, as a reader sees them: every page type, both scripts, desktop and phone.

Data flow::

    --site DIR (a built site)  or  a fresh build of both editions (tools/audit.py build())
        |  served on 127.0.0.1 (audit.serve)
        |  page types of tools/audit.py PAGE_TYPES (home, document, apparatus, glossary, people,
        |  about, 404, timeline when built), or the paths given on the command line
        v
    Debian's /usr/bin/chromium through playwright, viewport 1280x900 ("desktop"), 390x844
    ("phone", touch, 2x pixels) and that phone in the dark scheme ("phone-dark")
        -> dist/screenshots/<edition>_<page>_<size>.png (top of the page)
                                 + <edition>_<page>_phone-scrolled.png (half-way down: the switch
                                   over running text)

    the print edition: tools/pdf.py's build_one per edition (its render cache: a cached render
    after `make pdf` or `make test`, else WeasyPrint, about a minute each) into a temp dir
        --pdftoppm (poppler-utils), 100 dpi--> <edition>_pdf_p<n>.png for its first --pdf-pages
        pages (title page, contents, the first page of text)

Usage: .venv/bin/python tools/screenshot.py [--site DIR] [--out DIR] [--pdf-pages N] [PATH ...]
(make screenshots; --pdf-pages 0: no PDF)
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit  # tools/audit.py: build, serve, page types, Chromium flags

ROOT = audit.ROOT
_TOUCH: dict[str, Any] = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SIZES: dict[str, tuple[dict[str, int], dict[str, Any]]] = {
    "desktop": (audit.DESKTOP, {}),  # the viewports the audit's axe runs use
    "phone": (audit.PHONE, _TOUCH),
    "phone-dark": (audit.PHONE, _TOUCH | {"color_scheme": "dark"}),  # the phone whose system asks for dark
}


def shoot(base: str, pages: list[tuple[str, str]], out: Path) -> list[Path]:
    """PNG files of every (label, path) at every size; returns the files written."""
    written = []
    with sync_playwright() as p:
        browser = audit.launch(p)
        try:
            for label, path in pages:
                kind, edition = label.split(" ", 1)
                for size, (viewport, extra) in SIZES.items():
                    context = browser.new_context(viewport=viewport, locale="zh-CN", **extra)
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    page.wait_for_timeout(300)
                    stem = f"{edition}_{kind}_{size}"
                    page.screenshot(path=str(out / f"{stem}.png"))
                    written.append(out / f"{stem}.png")
                    if size == "phone":
                        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 2)")
                        page.wait_for_timeout(200)
                        page.screenshot(path=str(out / f"{stem}-scrolled.png"))
                        written.append(out / f"{stem}-scrolled.png")
                    context.close()
        finally:
            browser.close()
    return written


def pdf_pages(pdf: Path, lang: str, out: Path, count: int) -> list[Path]:
    """PNGs of the first `count` pages of `pdf`: <out>/<lang>_pdf_p<n>.png (n from 1)."""
    with tempfile.TemporaryDirectory(prefix="pdfpages-") as tmp:
        subprocess.run(["pdftoppm", "-f", "1", "-l", str(count), "-r", "100", "-png", str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True, timeout=120)
        written = []
        for png in sorted(Path(tmp).glob("p-*.png")):  # p-1.png or p-001.png: pdftoppm pads to the page count
            target = out / f"{lang}_pdf_p{int(png.stem.split('-')[1])}.png"
            target.write_bytes(png.read_bytes())
            written.append(target)
    return written


def shoot_pdfs(out: Path, count: int) -> list[Path]:
    """The first `count` pages of each edition's PDF (tools/pdf.py, render cache first)."""
    import pdf  # tools/pdf.py

    pdf.quiet()
    written = []
    with tempfile.TemporaryDirectory(prefix="screenshots-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        for lang in pdf.pages.EDITIONS:
            rep = pdf.build_one(lang, tmp, tmp, pdf.epoch())
            written += pdf_pages(rep["pdf"], lang, out, count)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build both editions into a temp dir)")
    ap.add_argument("--out", type=Path, default=ROOT / "dist" / "screenshots")
    ap.add_argument("--pdf-pages", type=int, default=4, metavar="N",
                    help="PNGs of the first N pages of each PDF (default 4; 0: none; not with PATHs)")
    ap.add_argument("paths", nargs="*", help="page paths inside an edition (default: every page type)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = args.site.resolve() if args.site else audit.build(Path(tmp) / "site")
        if args.paths:
            pages = []
            for p in args.paths:
                name = (p.strip("/") or "home").replace("/", "_").replace("#", "_")
                pages += [(f"{name} {prefix.strip('/') or 'zh-Hans'}", prefix + p) for prefix in audit.EDITIONS]
        else:
            pages = audit.page_paths(site)
        with audit.serve(site) as base:
            written = shoot(base, pages, args.out)
    if args.pdf_pages > 0 and not args.paths:
        written += shoot_pdfs(args.out, args.pdf_pages)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
