#!/usr/bin/env python3
"""``make audit``: accessibility, validity, links and Lighthouse over both built editions.

Data flow::

    seeds/ docs/ hooks/ overrides/ mkdocs*.yml
        |  tools/build.py: check_seeds, build_env, build_editions (both editions, --strict),
        |  then tools/postbuild.py as `make site` does
        v
    <tmp>/site  (zh-Hant in <tmp>/site/zh-Hant)          or --site DIR (an existing build)
        |-- check_links   every <a href>/<link href> inside the site: the target file exists and a
        |                 #fragment names an element id (or <a name>) in it          -> [Problem]
        |-- run_nu        java -jar vnu.jar over every *.html (errors only, JSON)    -> [Problem]
        |  served on http://127.0.0.1:<port>/ (serve(), stdlib http.server)
        |-- run_axe       Chromium (/usr/bin/chromium, playwright) per page type and edition:
        |                 axe-core injected, violations; the ¶ links forced visible and checked
        |                 for contrast; again at phone width and in the dark scheme (the reader's
        |                 system setting); at phone width the script switch must cover no text;
        |                 every request the page makes must go to 127.0.0.1     -> [Problem]
        `-- run_lighthouse  node lighthouse (CHROME_PATH=/usr/bin/chromium), mobile and desktop,
                          performance / accessibility / best-practices / seo, median of
                          AUDIT_RUNS (default 1) runs; requests off 127.0.0.1 -> [Problem].
                          Each run gathers once (-G) and audits that load (-A) with the mobile
                          CPU slowdown calibrated to the host's BenchmarkIndex (cpu_multiplier);
                          a mobile load is audited again at Lighthouse's stock 4x (STOCK_CPU)
                          for the table's "perf. at 4x" column
    the offline bundle (run_offline; make_offline: tools/offline.py's zip, unzipped)
        |-- check_links + folder_links  every target a file (from file:// a folder is a listing)
        |-- run_nu                      every page
        `-- axe_page                    every page type (bundle_path: 'glossary/' -> glossary.html),
                                        desktop and phone, any network request a problem
        v
    report on stdout; exit 1 when a target is missed: accessibility, best practices and SEO 100,
    axe 0 violations, Nu 0 errors, no broken link, no third-party request, performance 95 at
    the presets' stock settings (mobile: Lighthouse's own 4x; a shortfall is judged on the median
    of CONFIRM_RUNS runs, run_lighthouse -> measured -> judge).  Mobile performance below 95 at
    the host-calibrated slowdown only warns: on a fast host the calibrated phone is slower than
    the one Lighthouse's stock 4x makes of its reference host (README, Audit; judge).

The Node tools are pinned in tools/audit/package.json + package-lock.json and installed by
``npm ci --ignore-scripts`` (ensure_node_tools: the vnu-jar postinstall would download a Java
runtime; Debian's default-jre-headless is used instead).  The fast checks (check_links, run_nu,
axe_page, folder_links) are also imported by tests/test_links.py, tests/test_html_valid.py,
tests/browser/test_a11y.py and tests/browser/test_offline.py.

Usage: .venv/bin/python tools/audit.py [--site DIR] [--runs N] [--pages home,document,...]
                                        [--no-lighthouse] [--only links,nu,axe,lighthouse,offline] [--reports DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import html.parser
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = ROOT / "tools" / "audit"
NODE_MODULES = AUDIT_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
EDITIONS = ("", "zh-Hant/")
#: page type -> path inside an edition; "document" is resolved to the first document's slug.
PAGE_TYPES: dict[str, str] = {
    "home": "", "document": "<document>", "apparatus": "apparatus/", "apparatus-document": "<heaviest>apparatus/",
    "glossary": "glossary/",
    "people": "people/", "about": "about/", "timeline": "timeline/", "downloads": "downloads/", "404": "404.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100}
PERFORMANCE_TARGET = 95  # at the presets' stock settings a problem; mobile calibrated, a warning (judge)
#: Lighthouse's own mobile CPU slowdown (its mobile preset; meant for a host of BenchmarkIndex ~1500-2000)
STOCK_CPU = 4.0
#: runs a performance shortfall is judged on (run_lighthouse): Lighthouse's advice is the median of several
CONFIRM_RUNS = 3
PHONE = {"width": 390, "height": 844}
LABEL_WIDTH = 27  # "apparatus-document zh-Hant", the longest page label of the printed tables
DESKTOP = {"width": 1280, "height": 900}
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class ToolMissing(Exception):
    """Java, Node/npm or the pinned Node packages are not available (message says which)."""


class Problem(NamedTuple):
    check: str      # links | nu | axe | pill | network | lighthouse
    where: str      # file or URL
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


# --------------------------------------------------------------------------- tools


def ensure_node_tools(install: bool = True, need: Sequence[str] = ("node", "npm", "java")) -> None:
    """Make sure the commands in ``need`` and the pinned packages (tools/audit/node_modules) are there.

    Runs ``npm ci --ignore-scripts`` when node_modules is missing or older than the lock.
    Raises ToolMissing naming what is missing (and how to get it)."""
    for exe, pkg in (("node", "nodejs"), ("npm", "npm"), ("java", "default-jre-headless")):
        if exe in need and shutil.which(exe) is None:
            raise ToolMissing(f"{exe} not found: install Debian's {pkg} (make system-deps)")
    lock, stamp = AUDIT_DIR / "package-lock.json", NODE_MODULES / ".package-lock.json"
    fresh = stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime
    if fresh and AXE_JS.exists() and VNU_JAR.exists() and LIGHTHOUSE_CLI.exists():
        return
    if not install:
        raise ToolMissing(f"{NODE_MODULES} missing or stale: run `make audit-deps`")
    run = subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                         cwd=AUDIT_DIR, check=False, capture_output=True, text=True)
    if run.returncode != 0 or not (AXE_JS.exists() and VNU_JAR.exists()):
        raise ToolMissing(f"npm ci in {AUDIT_DIR} failed (exit {run.returncode}):\n{run.stderr[-2000:]}")


# --------------------------------------------------------------------------- build, serve


def build(dest: Path) -> Path:
    """Both editions into dest (zh-Hant in dest/zh-Hant), with tools/build.py's build steps."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build as builder  # tools/build.py

    builder.check_configs(ROOT)
    builder.check_seeds(ROOT)
    env, _ = builder.build_env(ROOT)
    try:
        builder.build_editions(ROOT, dest, env)
    except builder.BuildError as err:
        builder.report_failure(err)
        raise SystemExit(1) from None
    if (ROOT / "tools" / "postbuild.py").exists():  # as tools/build.py does before the swap
        import postbuild

        postbuild.run(dest)
    return dest


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves text files gzip-compressed when the client asks, as any static host does (GitHub
    Pages, Netlify, nginx with gzip on): Lighthouse then measures the bytes a reader transfers."""

    COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
    _gz: dict[str, bytes] = {}

    def log_message(self, format, *args):
        pass

    def do_GET(self):  # noqa: N802 - the stdlib's name
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if (os.path.splitext(path)[1] not in self.COMPRESS or not os.path.isfile(path)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        if path not in self._gz:
            with open(path, "rb") as f:
                self._gz[path] = gzip.compress(f.read(), compresslevel=6, mtime=0)
        body = self._gz[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that drops a request it no longer needs (a page closed mid-load) is not an
        error of the site: say nothing; anything else is printed as the stdlib does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """Serve site on a free loopback port with `handler` (default: gzip like a static host);
    yields the base URL (with trailing slash). The browser tests serve through this too."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def heaviest_apparatus(site: Path) -> str:
    """'<slug>/' of the document whose apparatus page (<slug>/apparatus/) is largest."""
    pages = sorted(site.glob("*/apparatus/index.html"), key=lambda p: (-p.stat().st_size, str(p)))
    return f"{pages[0].parent.parent.name}/" if pages else "<none>/"


def document_slug(site: Path) -> str:
    """The first document's slug (folders named like 2024-12-...)."""
    slugs = sorted(p.name for p in site.iterdir() if p.is_dir() and re.match(r"\d{4}-\d{2}-", p.name))
    if not slugs:
        raise SystemExit(f"no document pages in {site}")
    return slugs[0]


def page_paths(site: Path, types: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """[(label, path)] of every page type in both editions that exists in the build."""
    out = []
    for kind, path in PAGE_TYPES.items():
        if types and kind not in types:
            continue
        path = path.replace("<document>", document_slug(site) + "/").replace("<heaviest>", heaviest_apparatus(site))
        for prefix in EDITIONS:
            file = site / prefix / path
            if (file / "index.html").exists() or (file.is_file() and file.suffix == ".html"):
                out.append((f"{kind} {prefix.strip('/') or 'zh-Hans'}", prefix + path))
    return out


# --------------------------------------------------------------------------- links


class _Links(html.parser.HTMLParser):
    """Element ids and the link targets of one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[tuple[int, str, str]] = []  # (line, tag, href)
        self.alternates: set[int] = set()  # indexes into hrefs of rel=alternate links (the switch)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag in ("a", "area", "link") and a.get("href") is not None:
            rel = (a.get("rel") or "").split()
            if tag == "link" and not {"stylesheet", "icon", "alternate", "canonical", "prev", "next"} & set(rel):
                return
            if "alternate" in rel:
                self.alternates.add(len(self.hrefs))
            self.hrefs.append((self.getpos()[0], tag, a["href"]))


@functools.cache
def _parse(file: Path) -> _Links:
    p = _Links()
    p.feed(file.read_text(encoding="utf-8"))
    return p


def _target_file(site: Path, url_path: str) -> Path:
    rel = unquote(url_path).lstrip("/")
    target = site / rel
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_links(site: Path) -> list[Problem]:
    """Every internal link and anchor of every built HTML file resolves.

    href="#x" and "page/#x" must name an element id in the target file; a file or folder
    link must exist.  Links off the site (another host, mailto:) are not followed."""
    _parse.cache_clear()
    base = "http://site.invalid/"
    problems = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        page_url = base + (rel.removesuffix("index.html"))
        for line, tag, href in _parse(file).hrefs:
            url = urlsplit(urljoin(page_url, href))
            if url.scheme not in ("http", "https") or url.netloc != "site.invalid":
                continue
            target = _target_file(site, url.path)
            where = f"{rel}:{line}"
            if not target.is_file():
                problems.append(Problem("links", where, f"<{tag} href={href!r}>: no file {target.relative_to(site)}"))
                continue
            if url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _parse(target).ids:
                problems.append(Problem("links", where, f"<{tag} href={href!r}>: no id {unquote(url.fragment)!r} "
                                        f"in {target.relative_to(site)}"))
    return problems


#: files in the site root that both editions link (the zh-Hans build writes them once)
SHARED_DATA = ("/edition.json", "/edition.schema.json")


def cross_edition_links(site: Path) -> list[Problem]:
    """zh-Hant pages that link into the Simplified edition (other than the script switch):
    reported as warnings."""
    found = []
    hant = site / "zh-Hant"
    for file in sorted(hant.rglob("*.html")) if hant.is_dir() else []:
        rel = file.relative_to(site).as_posix()
        page_url = "http://site.invalid/" + rel
        parsed = _parse(file)
        for i, (line, tag, href) in enumerate(parsed.hrefs):
            if i in parsed.alternates:
                continue
            url = urlsplit(urljoin(page_url, href))
            if url.netloc != "site.invalid" or url.path.startswith("/zh-Hant/") or url.path.startswith("/search/"):
                continue
            if url.path in SHARED_DATA or (url.path.startswith(("/downloads/", "/sources/"))
                                           and not url.path.endswith(("/", ".html"))):
                continue  # one copy for both editions: the JSON data, make publish's downloads, the seeds
            if tag == "a" and url.path.rstrip("/") and not url.path.startswith("/assets/"):
                found.append(Problem("links", f"{rel}:{line}", f"links into the zh-Hans edition: {href}"))
    return found


# --------------------------------------------------------------------------- Nu


def run_nu(site: Path) -> list[Problem]:
    """The Nu HTML checker (vnu.jar, errors only) over every built HTML file."""
    if shutil.which("java") is None or not VNU_JAR.exists():
        raise ToolMissing("java or vnu.jar missing (make audit-deps)")
    files = sorted(str(p) for p in site.rglob("*.html"))
    run = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                         check=False, capture_output=True, text=True)
    try:
        messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"vnu.jar gave no JSON (exit {run.returncode}): {run.stderr[-1000:]}") from None
    problems = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        name = m.get("url", "").removeprefix("file:")
        with contextlib.suppress(ValueError):
            name = Path(unquote(name)).relative_to(site).as_posix()
        problems.append(Problem("nu", f"{name}:{m.get('lastLine', '?')}", m.get("message", "")))
    return problems


# --------------------------------------------------------------------------- axe, in Chromium

#: forces the hover-only ¶ links (Material's headerlink, our para-link) visible, as on hover
SHOW_PILCROWS = ".md-typeset .headerlink, .md-typeset .para-link { opacity: 1 !important; transition: none !important; }"

#: axe's violations, plus the colour-contrast cases it leaves for review although it measured them
#: too low: axe calls a single character such as ¶ "short text" and does not judge it.
_AXE_RUN = """async (options) => {
  const r = await axe.run(document, options);
  const summary = v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' '))});
  const out = r.violations.map(summary);
  for (const v of r.incomplete.filter(v => v.id === 'color-contrast')) {
    const low = v.nodes.filter(n => n.any.some(c => c.data && c.data.contrastRatio
      && c.data.contrastRatio < parseFloat(c.data.expectedContrastRatio)));
    if (low.length) out.push({id: 'color-contrast (short text)', impact: 'serious', help: v.help, count: low.length,
      nodes: low.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.any.map(c => c.data.contrastRatio + ':1 ' +
        c.data.fgColor + ' on ' + c.data.bgColor).join(' '))});
  }
  return out;
}"""


#: What the fixed script switch covers at the current scroll position: lines of text in the page
#: (Range client rects) where it overlaps them outside the opaque header (text scrolled under the
#: header is hidden anyway), and the header's title box; [] when it covers nothing.
_PILL_OVERLAP = """() => {
  const pill = document.querySelector('.edition-switch');
  if (!pill || getComputedStyle(pill).display === 'none') return [];
  const box = pill.getBoundingClientRect();
  if (!box.width) return [];
  const header = document.querySelector('.md-header');
  const hb = header ? header.getBoundingClientRect() : null;
  const cut = (a, b) => ({left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
                          top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom)});
  const empty = r => r.right - r.left < 1 || r.bottom - r.top < 1;
  const within = (r, o) => o && r.left >= o.left && r.right <= o.right && r.top >= o.top && r.bottom <= o.bottom;
  const hits = [];
  const title = document.querySelector('.md-header__title');
  if (title && !empty(cut(title.getBoundingClientRect(), box))) hits.push('(the header title)');
  const walker = document.createTreeWalker(document.querySelector('.md-container') || document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || pill.contains(n) || (header && header.contains(n))) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      const c = cut(r, box);
      if (!empty(c) && !within(c, hb)) { hits.push(n.textContent.trim().slice(0, 30)); break; }
    }
  }
  return hits;
}"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def axe_page(browser, url: str, *, rules: Sequence[str] | None = None, css: str = "",
             viewport: dict | None = None, hosts: Sequence[str] = ("127.0.0.1", "localhost", "::1"),
             dark: bool = False, act: Callable[[Any], None] | None = None) -> tuple[list[dict], list[str]]:
    """Run axe-core on url; returns (violations, network requests to any host but `hosts`: from
    the offline bundle, hosts=(), every request that is not a file counts). `dark`: the reader's
    system asks for a dark scheme (the site then shows Material's slate scheme). `act`: what to do
    on the page first (open a panel), given the playwright page."""
    context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN",
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    offsite: list[str] = []
    page.on("request", lambda req: offsite.append(req.url)
            if urlsplit(req.url).scheme in ("http", "https", "ws", "wss") and urlsplit(req.url).hostname not in hosts
            else None)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        if css:
            page.add_style_tag(content=css)
        if act is not None:
            act(page)
        page.add_script_tag(path=str(AXE_JS))
        options: dict = {}
        if rules:
            options["runOnly"] = {"type": "rule", "values": list(rules)}
        else:  # WCAG 2.2 touch-target size: off in axe by default, on in Lighthouse's accessibility score
            options["rules"] = {"target-size": {"enabled": True}}
        violations = page.evaluate(_AXE_RUN, options)
    finally:
        context.close()
    return violations, offsite


def pill_overlaps(browser, url: str, steps: int = 6, css: str = "") -> list[str]:
    """At phone width, scroll through the page; what text the script switch covers (css: a style
    sheet added first)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    hits: list[str] = []
    try:
        page.goto(url, wait_until="load")
        if css:
            page.add_style_tag(content=css)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        for i in range(steps + 1):
            page.evaluate(f"() => window.scrollTo(0, {int(i * max(0, height - PHONE['height']) / steps)})")
            page.wait_for_timeout(50)
            hits += [h for h in page.evaluate(_PILL_OVERLAP) if h not in hits]
    finally:
        context.close()
    return hits


def axe_problems(url: str, violations: list[dict]) -> list[Problem]:
    """One Problem per axe violation on url: rule, impact, node count, help and the nodes."""
    return [Problem("axe", url, f"{v['id']} ({v['impact']}, {v['count']} node(s)): {v['help']}"
                    + "".join(f"\n      {n}" for n in v["nodes"])) for v in violations]


def run_axe(base: str, pages: list[tuple[str, str]]) -> tuple[list[Problem], list[str]]:
    """axe on every page (desktop), the ¶ links shown, at phone width, in the dark scheme; the
    switch at phone width."""
    from playwright.sync_api import sync_playwright

    problems: list[Problem] = []
    lines: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for label, path in pages:
                url = base + path
                violations, offsite = axe_page(browser, url)
                shown, more = axe_page(browser, url, rules=["color-contrast"], css=SHOW_PILCROWS)
                violations += [dict(v, id="color-contrast (¶ shown)") for v in shown]
                phone, more_phone = axe_page(browser, url, viewport=PHONE)
                violations += [dict(v, id=f"{v['id']} ({PHONE['width']} px)") for v in phone]
                dark, more_dark = axe_page(browser, url, dark=True)
                violations += [dict(v, id=f"{v['id']} (dark scheme)") for v in dark]
                more = more + more_phone + more_dark
                covered = pill_overlaps(browser, url)
                lines.append(f"  {label:<{LABEL_WIDTH}} {len(violations)} violation(s)"
                             + (f", switch covers text: {covered[:3]}" if covered else ""))
                problems += axe_problems(url, violations)
                if covered:
                    problems.append(Problem("pill", url, f"at {PHONE['width']} px the script switch covers text: {covered[:5]}"))
                for r in sorted(set(offsite + more)):
                    problems.append(Problem("network", url, f"third-party request {r}"))
        finally:
            browser.close()
    return problems, lines


# --------------------------------------------------------------------------- the offline bundle


def bundle_path(path: str) -> str:
    """A page path of the hosted site -> its file in the offline bundle, whose links name files
    (tools/offline.py): '' and 'zh-Hant/' -> <edition>index.html, 'glossary/' -> 'glossary.html',
    '<slug>/apparatus/' -> '<slug>/apparatus.html', '404.html' as it is."""
    if path in EDITIONS:
        return path + "index.html"
    return path[:-1] + ".html" if path.endswith("/") else path


def folder_links(tree: Path) -> list[Problem]:
    """Links of the bundle that name a folder: from file:// a folder opens as a directory listing."""
    base = "http://site.invalid/"
    problems = []
    for file in sorted(tree.rglob("*.html")):
        rel = file.relative_to(tree).as_posix()
        for line, tag, href in _parse(file).hrefs:
            url = urlsplit(urljoin(base + rel, href))
            if url.netloc == "site.invalid" and (url.path.endswith("/") or (tree / unquote(url.path).lstrip("/")).is_dir()):
                problems.append(Problem("offline", f"{rel}:{line}", f"<{tag} href={href!r}> names a folder, not a file"))
    return problems


def make_offline(dest: Path) -> Path:
    """`make offline`'s zip built into dest/dist and unzipped into dest/unzipped; the bundle's folder."""
    import zipfile

    sys.path.insert(0, str(ROOT / "tools"))
    import offline  # tools/offline.py

    target = offline.make_bundle(ROOT, dest / "dist")
    with zipfile.ZipFile(target) as zf:
        zf.extractall(dest / "unzipped")
    return dest / "unzipped" / offline.NAME


def run_offline(tree: Path, pages: list[tuple[str, str]]) -> tuple[list[Problem], list[str]]:
    """The bundle as a reader opens it from file://: its links (every target a file, no folder),
    the Nu checker over every page, and axe at desktop and phone width on every page type, with
    no network request at all."""
    from playwright.sync_api import sync_playwright

    import offline  # tools/offline.py (make_offline put tools/ on sys.path)

    problems = check_links(tree) + folder_links(tree)  # check_links starts a fresh parse cache
    lines = [f"  links: {len(problems)} broken or naming a folder"]
    found = run_nu(tree)
    problems += found
    lines.append(f"  Nu HTML checker: {len(found)} error(s) in {len(list(tree.rglob('*.html')))} files")
    base = tree.as_uri() + "/"
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for label, path in pages:
                url = base + bundle_path(path)
                if path.endswith(offline.NOT_FOUND):
                    lines.append(f"  {label:<{LABEL_WIDTH}} not in the bundle (only a server shows it)")
                    continue
                if not (tree / bundle_path(path)).is_file():
                    problems.append(Problem("offline", label, f"no file {bundle_path(path)} in the bundle"))
                    continue
                violations, requests = axe_page(browser, url, hosts=())
                phone, more = axe_page(browser, url, viewport=PHONE, hosts=())
                violations += [dict(v, id=f"{v['id']} ({PHONE['width']} px)") for v in phone]
                lines.append(f"  {label:<{LABEL_WIDTH}} {len(violations)} violation(s)")
                problems += axe_problems(url, violations)
                for r in sorted(set(requests + more)):
                    problems.append(Problem("network", url, f"request from the offline bundle: {r}"))
        finally:
            browser.close()
    return problems, lines


# --------------------------------------------------------------------------- Lighthouse

#: --disable-frame-rate-limit: without it, headless Chromium on this GPU-less VM presented a page's
#: first frame 1.2 or 2.2 s after the load event in most Lighthouse runs (7 of 7 on the home page;
#: with it 0 of 7, first paint 0.2-0.6 s as in Playwright's Chromium); the late "observed" paint
#: moved the speed index by 2.5 s and the score by 3-5 points (README, Audit).
#: --run-all-compositor-stages-before-draw did the same but drew no frame at all in 3 of 32 runs
#: (Lighthouse: NO_FCP); this one in 0 of 32.
LIGHTHOUSE_CHROME_FLAGS = "--headless=new --disable-frame-rate-limit " + " ".join(CHROMIUM_ARGS)


def cpu_multiplier(benchmark_index: float) -> float:
    """Lighthouse's CPU slowdown for a host of this BenchmarkIndex, so that the simulated phone is
    the one Lighthouse's mobile preset means (its 4x assumes a host of index ~1533).

    The piecewise-linear fit of the Lighthouse team's calculator, which Lighthouse's own warning
    on a slow host points to (docs/throttling.md, "Calibrating multipliers";
    lighthouse-cpu-throttling-calculator): 150 -> 1x, 800 -> 2x, 1300 -> 3x, then +1x per 233.
    Below 150 the host is too slow to emulate the phone at all: 1x (no slowdown) is the most
    that can be said, and the table shows the index so the reader can judge."""
    if benchmark_index >= 1300:
        m = 3 + (benchmark_index - 1300) / 233
    elif benchmark_index >= 800:
        m = 2 + (benchmark_index - 800) / 500
    else:
        m = 1 + max(benchmark_index - 150, 0) / 650
    return round(m, 2)


class LighthouseRun(NamedTuple):
    scores: dict[str, float]        # category -> 0-100
    offsite: list[str]              # request URLs off 127.0.0.1
    failed: list[str]               # failed audit titles of the 100-target categories
    benchmark_index: float          # the host CPU as Lighthouse measured it in this run
    cpu: float                      # the CPU slowdown the scores were simulated with
    stock: float | None = None      # mobile: performance of the same load at Lighthouse's own 4x


def lighthouse_once(url: str, form_factor: str, report: Path | None = None) -> LighthouseRun:
    """One Lighthouse run, in two passes over the same page load: gather (-G: the page loads
    unthrottled, the trace is saved with the BenchmarkIndex Lighthouse measured just before it),
    then audit (-A) with the CPU slowdown calibrated to that index (mobile; the desktop preset
    simulates no slowdown). With throttlingMethod "simulate" the slowdown is used only by the
    audit pass, so setting it there is the same as having passed it to the gather pass; the
    gather pass's stored settings are updated to match, as -A requires. A mobile run is audited
    a second time at Lighthouse's stock slowdown (STOCK_CPU, what `lighthouse URL` and the issue's
    own figures use), so the table shows both readings of one page load. `report`: where to keep
    the whole Lighthouse report (JSON, the calibrated pass), to see why a score is what it is."""
    flags = [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}"]
    if form_factor == "desktop":
        flags.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        def node(*args: str) -> subprocess.CompletedProcess[str]:
            run = subprocess.run(["node", str(LIGHTHOUSE_CLI), url, "--quiet", *args, *flags], check=False,
                                 capture_output=True, text=True, env=env, timeout=300)
            if run.returncode != 0:
                raise RuntimeError(f"lighthouse {url} ({form_factor}) failed: {run.stderr[-1500:]}")
            return run
        node(f"-G={tmp}")
        artifacts_file = Path(tmp) / "artifacts.json"
        artifacts = json.loads(artifacts_file.read_text(encoding="utf-8"))
        index = float(artifacts.get("BenchmarkIndex") or 0)

        def audit_at(cpu: float, keep: Path | None = None) -> dict:
            artifacts["settings"]["throttling"]["cpuSlowdownMultiplier"] = cpu
            artifacts_file.write_text(json.dumps(artifacts), encoding="utf-8")
            run = node(f"-A={tmp}", f"--throttling.cpuSlowdownMultiplier={cpu:g}", "--output=json", "--output-path=stdout")
            if keep is not None:
                keep.write_text(run.stdout, encoding="utf-8")
            return json.loads(run.stdout)

        cpu = (cpu_multiplier(index) if form_factor == "mobile"
               else float(artifacts["settings"]["throttling"]["cpuSlowdownMultiplier"]))
        stock_lhr = audit_at(STOCK_CPU) if form_factor == "mobile" else None
        lhr = audit_at(cpu, report)
    scores: dict[str, float] = {c: round(100 * (lhr["categories"][c]["score"] or 0)) for c in CATEGORIES}
    items = ((lhr["audits"].get("network-requests") or {}).get("details") or {}).get("items") or []
    offsite = [i["url"] for i in items if urlsplit(i.get("url", "")).scheme in ("http", "https")
               and urlsplit(i["url"]).hostname not in ("127.0.0.1", "localhost", "::1")]
    failed: list[str] = []
    for c in ("accessibility", "best-practices", "seo"):
        for ref in lhr["categories"][c]["auditRefs"]:
            a = lhr["audits"][ref["id"]]
            if ref.get("weight") and a.get("score") is not None and a["score"] < 1:
                failed.append(f"{c}: {ref['id']} ({a.get('title', '')})")
    stock = round(100 * (stock_lhr["categories"]["performance"]["score"] or 0)) if stock_lhr else None
    return LighthouseRun(scores, offsite, failed, index, cpu, stock)


def run_lighthouse(base: str, pages: list[tuple[str, str]], runs: int,
                   reports: Path | None = None) -> tuple[list[Problem], list[str], list[str]]:
    """Median scores of `runs` Lighthouse runs per page and form factor; (problems, warnings, table).
    A performance score below its target on fewer than CONFIRM_RUNS runs is measured again up to
    CONFIRM_RUNS and judged on the median of all: one load on a busy shared host can lose a few
    points (a document page scored 94 at 4x while the test suite ran, 96-98 on a quiet host),
    and a real regression shows in every run."""
    problems: list[Problem] = []
    warnings: list[str] = []
    head = (f"  {'page':<{LABEL_WIDTH}} {'form':<8} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES)
            + f" {'perf. at 4x':>12}   host index -> CPU slowdown")
    table = [head, "  " + "-" * (len(head) - 2)]
    for label, path in pages:
        url = base + path
        for form in ("mobile", "desktop"):
            name = re.sub(r"[^A-Za-z0-9-]+", "-", label).strip("-")
            measure = functools.partial(_lighthouse_run, url, form, reports / f"{name}-{form}" if reports else None)
            results, found, warn = measured(f"{url} ({form})", form, measure, runs)
            median = {c: statistics.median(r.scores[c] for r in results) for c in CATEGORIES}
            host = ", ".join(f"{r.benchmark_index:g} -> {r.cpu:g}x" for r in results)
            stock = [r.stock for r in results if r.stock is not None]
            at4 = f"{statistics.median(stock):g}" if stock else "-"
            table.append(f"  {label:<{LABEL_WIDTH}} {form:<8} " + " ".join(f"{median[c]:>13g}" for c in CATEGORIES)
                         + f" {at4:>12}   {host}")
            print(table[-1], flush=True)
            problems += found
            warnings += warn
    return problems, warnings, table


def _lighthouse_run(url: str, form: str, report_stem: Path | None, i: int) -> LighthouseRun:
    return lighthouse_once(url, form, report_stem.with_name(f"{report_stem.name}-{i + 1}.json") if report_stem else None)


def measured(where: str, form: str, measure: Callable[[int], LighthouseRun],
             runs: int) -> tuple[list[LighthouseRun], list[Problem], list[str]]:
    """`runs` runs (measure(i) makes run i) and their verdict; a performance shortfall on fewer
    than CONFIRM_RUNS runs is measured up to CONFIRM_RUNS and judged on the median of all."""
    results = [measure(i) for i in range(runs)]
    found, warn = judge(where, form, results)
    if len(results) < CONFIRM_RUNS and any(p.message.startswith("performance") for p in found):
        results += [measure(i) for i in range(len(results), CONFIRM_RUNS)]
        found, warn = judge(where, form, results)
    return results, found, warn


def judge(where: str, form: str, results: list[LighthouseRun]) -> tuple[list[Problem], list[str]]:
    """The verdict on one page's runs in one form factor, from their medians: accessibility, best
    practices and SEO below 100, performance below PERFORMANCE_TARGET at the preset's stock
    settings (mobile: Lighthouse's own 4x, the reading the issue's targets were set with; desktop:
    its only reading) and any third-party request are problems; mobile performance below the
    target at the host-calibrated slowdown is a warning (README, Audit)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    median = {c: statistics.median(r.scores[c] for r in results) for c in CATEGORIES}
    for c, target in TARGETS.items():
        if median[c] < target:
            why = sorted({f for r in results for f in r.failed if f.startswith(c)})
            problems.append(Problem("lighthouse", where,
                                    f"{c} {median[c]:g} < {target}" + "".join(f"\n      {w}" for w in why)))
    stock = [r.stock for r in results if r.stock is not None]
    if form == "mobile" and stock:
        at4 = statistics.median(stock)
        if at4 < PERFORMANCE_TARGET:
            problems.append(Problem("lighthouse", where,
                                    f"performance {at4:g} < {PERFORMANCE_TARGET} at Lighthouse's stock {STOCK_CPU:g}x"))
        if median["performance"] < PERFORMANCE_TARGET:
            cpus = ", ".join(f"{r.cpu:g}x" for r in results)
            warnings.append(f"{where}: performance {median['performance']:g} < {PERFORMANCE_TARGET} "
                            f"at the host-calibrated slowdown ({cpus}; warning only)")
    elif median["performance"] < PERFORMANCE_TARGET:
        problems.append(Problem("lighthouse", where, f"performance {median['performance']:g} < {PERFORMANCE_TARGET}"))
    for r in sorted({u for res in results for u in res.offsite}):
        problems.append(Problem("network", where, f"third-party request {r}"))
    return problems, warnings


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, help="audit this built site instead of building one")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("AUDIT_RUNS", "1")),
                    help="Lighthouse runs per page and form factor; the median counts (default $AUDIT_RUNS or 1)")
    ap.add_argument("--pages", default=os.environ.get("AUDIT_PAGES", ""),
                    help=f"page types, comma-separated (default all: {','.join(PAGE_TYPES)})")
    ap.add_argument("--only", default="links,nu,axe,lighthouse,offline",
                    help="checks to run (default all; offline: the bundle of `make offline`, built from the project)")
    ap.add_argument("--reports", type=Path, help="keep every Lighthouse report (JSON) in this folder")
    ap.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse (the slow part)")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    only = set(args.only.split(","))
    if args.no_lighthouse:
        only.discard("lighthouse")
    try:
        ensure_node_tools()
    except ToolMissing as err:
        print(f"audit: {err}", file=sys.stderr)
        return 2
    problems: list[Problem] = []
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        if args.site:
            site = args.site.resolve()
        else:
            print("building both editions ...", flush=True)
            site = build(Path(tmp) / "site")
        pages = page_paths(site, [t for t in args.pages.split(",") if t] or None)
        if "links" in only:
            found = check_links(site)
            problems += found
            warnings += [str(w) for w in cross_edition_links(site)]
            print(f"links: {len(found)} broken", flush=True)
        if "nu" in only:
            found = run_nu(site)
            problems += found
            print(f"Nu HTML checker: {len(found)} error(s) in {len(list(site.rglob('*.html')))} files", flush=True)
        with serve(site) as base:
            if "axe" in only:
                found, lines = run_axe(base, pages)
                problems += found
                print(f"axe-core {axe_version()} (desktop {DESKTOP['width']} px and phone {PHONE['width']} px; ¶ shown; switch at {PHONE['width']} px):", flush=True)
                print("\n".join(lines), flush=True)
            if "lighthouse" in only:
                print(f"Lighthouse {lighthouse_version()}, median of {args.runs} run(s); mobile CPU slowdown"
                      " calibrated per run to the host (Lighthouse's calculator: index 1533 -> 4x);"
                      " 'perf. at 4x': the same mobile load at Lighthouse's stock 4x:", flush=True)
                if args.reports:
                    args.reports.mkdir(parents=True, exist_ok=True)
                found, warn, _table = run_lighthouse(base, pages, args.runs, args.reports)
                problems += found
                warnings += warn
        if "offline" in only:
            print("offline bundle (make offline, opened from file://; axe at desktop and phone width):", flush=True)
            found, lines = run_offline(make_offline(Path(tmp) / "offline"), pages)
            problems += found
            print("\n".join(lines), flush=True)
    for w in warnings:
        print(f"WARNING {w}")
    print_grouped(problems)
    print(f"audit: {len(problems)} problem(s), {len(warnings)} warning(s)")
    return 1 if problems else 0


def print_grouped(problems: list[Problem], out=sys.stdout) -> None:
    """One FAIL line per distinct (check, message), with the places it occurs."""
    groups: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        groups.setdefault((p.check, p.message), []).append(p.where)
    for (check, message), places in groups.items():
        shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
        print(f"FAIL [{check}] {message}\n      at {shown}", file=out)


def axe_version() -> str:
    return json.loads((NODE_MODULES / "axe-core" / "package.json").read_text())["version"]


def lighthouse_version() -> str:
    return json.loads((NODE_MODULES / "lighthouse" / "package.json").read_text())["version"]


if __name__ == "__main__":
    sys.exit(main())
