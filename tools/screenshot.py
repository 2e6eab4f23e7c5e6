"""Screenshots of built pages, as a reader sees them: every page type, both scripts, desktop and phone.

Data flow::

    --site DIR (a built site)  or  a fresh build of both editions (tools/audit.py build())
        |  served on 127.0.0.1 (audit.serve)
        |  page types of tools/audit.py PAGE_TYPES (home, document, apparatus, glossary, people,
        |  about, 404, timeline when built), or the paths given on the command line
        v
    Debian's /usr/bin/chromium through playwright, viewport 1280x900 ("desktop") and 390x844
    ("phone", touch, 2x pixels) -> dist/screenshots/<edition>_<page>_<size>.png (top of the page)
                                 + <edition>_<page>_phone-scrolled.png (half-way down: the switch
                                   over running text)

Usage: .venv/bin/python tools/screenshot.py [--site DIR] [--out DIR] [PATH ...]   (make screenshots)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import audit  # tools/audit.py: build, serve, page types, Chromium flags

ROOT = audit.ROOT
SIZES = {"desktop": ({"width": 1280, "height": 900}, {}),
         "phone": ({"width": 390, "height": 844}, {"is_mobile": True, "has_touch": True, "device_scale_factor": 2})}


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build both editions into a temp dir)")
    ap.add_argument("--out", type=Path, default=ROOT / "dist" / "screenshots")
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
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
