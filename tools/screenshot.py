"""Screenshots of built pages, as a reader sees them: desktop and mobile, both scripts.

Usage: .venv/bin/python tools/screenshot.py [PAGE ...]   (default: home and one document)
Serves site/ on a loopback port, drives Debian's /usr/bin/chromium through playwright and
writes PNGs to shots/ (git-ignored).
"""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def main(pages: list[str]) -> None:
    out = ROOT / "shots"
    out.mkdir(exist_ok=True)
    server, port = serve(ROOT / "site")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for page_path in pages:
                for prefix in ("", "zh-Hant/"):
                    for name, (w, h) in SIZES.items():
                        page = browser.new_page(viewport={"width": w, "height": h})
                        page.goto(f"http://127.0.0.1:{port}/{prefix}{page_path}")
                        page.wait_for_timeout(300)
                        stem = (prefix.strip("/") or "zh-Hans") + "_" + (page_path.replace("/", "_").replace("#", "_") or "home")
                        page.screenshot(path=str(out / f"{stem}_{name}.png"), full_page=False)
                        page.close()
            browser.close()
    finally:
        server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["", "2025-03-stratechery-altman/"])
