#!/usr/bin/env python3
"""Benchmarks (`make bench`): the build against stock Material, serve latency, stages, scaling,
page weight and search, printed as one table; ratios are measured within one run.

Data flow::

    seeds/*.txt --as raw Markdown pages--> a stock Material site (same search settings) --+
    the project (temp copy) --tools/build.py build_editions + postbuild (uncached, cached)-+-> paired
                                                          runs, median of N (BENCH_RUNS, default 3),
                                                          peak RSS of each (os.wait4's rusage)
    temp copy + `tools/build.py serve` --a real rule change in seeds/corrections/typos.yml (N times)-->
                                                          seconds until the served page (zh-Hans, then
                                                          zh-Hant) shows the changed text
    tools/editions.build_all in this process, reader stages wrapped with timers (exclusive time)
                                                       -> seconds per stage, the rest is MkDocs proper
    tools/synth.py (x10, x100 the seeds as documents) --build_editions--> seconds and search index
                                                          bytes per document (BENCH_SCALES="10,100")
    the built site --gzip -6 of HTML + the CSS/JS each page loads--> bytes a first visit transfers
    the built site on 127.0.0.1 + headless Chromium --type 奥特曼 in the search field--> ms to results
    --with-tests: wall time of `make test`
        v
    stdout (a Markdown table); --readme also writes it into README.md's "Figures" section.

Timings on a shared machine are noisy: read the ratios of paired runs. Nothing here is a test;
tests/test_bench.py checks the synthetic generator and the cache key only.
Usage: .venv/bin/python tools/bench.py [--runs 3] [--scales 10,100] [--skip serve,browser,...]
                                       [--with-tests] [--readme]
"""
from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(TOOLS))

import synth  # noqa: E402 - after the sys.path line above

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EPOCH = "1700000000"
QUERY = "奥特曼"
SECTIONS = ("build", "serve", "stages", "scaling", "weight", "browser")

STOCK_YML = """\
site_name: stock
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000、。，．？！；：“”‘’「」『』（）《》〈〉【】—…,;:!?()"]+'
"""


# --------------------------------------------------------------------------- helpers


def env_for(cache: bool = True) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1")
    env["READER_CORPUS_CACHE"] = "1" if cache else "0"
    return env


def timed_process(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run cmd; (seconds, peak RSS in MiB of the largest process it ran). Raises on failure."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            log.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{log.read().decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def copy_project(dest: Path) -> Path:
    return synth.synthesize(dest, 1)


def stock_project(dest: Path, root: Path = ROOT) -> Path:
    """The seeds as plain Markdown pages (raw text, a blank line between lines: one paragraph
    per source line) in a plain Material site with the edition's search settings."""
    (dest / "docs").mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(STOCK_YML, encoding="utf-8")
    index = ["# 五篇访谈\n"]
    for seed in sorted((root / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8", errors="replace")
        body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
        (dest / "docs" / f"{seed.stem}.md").write_text(body + "\n", encoding="utf-8")
        index.append(f"- [{seed.stem}]({seed.stem}.md)")
    (dest / "docs" / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return dest


def full_build_cmd(project: Path, dest: Path) -> list[str]:
    """The full build: both editions with build.build_editions, then postbuild (= make site
    without the swap), in one child process so that its peak memory is measured alone."""
    code = ("import sys, os; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import build, postbuild\n"
            "r, d = Path(sys.argv[2]), Path(sys.argv[3]); build.check_seeds(r)\n"
            "try: build.build_editions(r, d, dict(os.environ))\n"
            "except build.BuildError as e: sys.exit(f'{e}\\n{e.output}')\n"
            "postbuild.run(d)")
    tools = project / "tools" if (project / "tools" / "build.py").is_file() else TOOLS  # its own limits (synth)
    return [sys.executable, "-c", code, str(tools), str(project), str(dest)]


def fmt_s(x: float) -> str:
    return f"{x:.2f} s"


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


# --------------------------------------------------------------------------- sections


def bench_build(work: Path, runs: int) -> list[tuple[str, str, str]]:
    project = copy_project(work / "project")
    stock = stock_project(work / "stock")
    rows: dict[str, list[tuple[float, float]]] = {"stock": [], "cold": [], "warm": []}
    for i in range(runs):
        out = work / f"out{i}"
        rows["stock"].append(timed_process([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out / "stock")],
                                           stock, env_for()))
        shutil.rmtree(project / ".cache", ignore_errors=True)  # cold as a fresh clone: every cache made anew
        rows["cold"].append(timed_process(full_build_cmd(project, out / "cold"), project, env_for()))
        rows["warm"].append(timed_process(full_build_cmd(project, out / "warm"), project, env_for(cache=True)))
        shutil.rmtree(out, ignore_errors=True)
    # the cache must not change a byte: one more pair, compared
    a, b = work / "cmp-uncached", work / "cmp-cached"
    timed_process(full_build_cmd(project, a), project, env_for(cache=False))
    timed_process(full_build_cmd(project, b), project, env_for(cache=True))
    same = tree_bytes(a) == tree_bytes(b)
    med = {k: (statistics.median(s for s, _ in v), max(m for _, m in v)) for k, v in rows.items()}
    pair = {k: statistics.median(s / st for (s, _), (st, _) in zip(rows[k], rows["stock"])) for k in ("cold", "warm")}
    table = [("stock Material, the 5 seeds as plain pages (1 build, zh search)",
              f"{fmt_s(med['stock'][0])}, {med['stock'][1]:.0f} MiB peak", "1.00x")]
    table.append(("full build, both editions, no caches (a fresh clone's first build)",
                  f"{fmt_s(med['cold'][0])}, {med['cold'][1]:.0f} MiB peak", f"{pair['cold']:.2f}x"))
    table.append(("full build, both editions, caches warm (`make site` again: corpus, templates, segmentation)",
                  f"{fmt_s(med['warm'][0])}, {med['warm'][1]:.0f} MiB peak", f"{pair['warm']:.2f}x"))
    table.append(("cached and uncached builds byte-identical", "yes" if same else "NO", ""))
    return table


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The serve bench's edit: a real one-line rule change in a correction table that changes the
#: text of a document page (typos.yml's 之类的的话 -> 之类的话 becomes 之类的<marker>话), and the
#: page, in both editions, on which the changed text must appear (markers read alike in both scripts).
SERVE_TABLE = "seeds/corrections/typos.yml"
SERVE_RULE = "replace: 之类的话\n"
SERVE_PAGES = (("2025-01-bloomberg-altman/", "话"), ("zh-Hant/2025-01-bloomberg-altman/", "話"))
SERVE_MARKERS = ("甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅卯")


def bench_serve(work: Path, runs: int = 3) -> list[tuple[str, str, str]]:
    """`make serve` in a temp copy: seconds from saving a one-line rule change in a correction
    table to the served page showing the changed text (the zh-Hans page, then its zh-Hant twin);
    `runs` changes, one after the other, each timed until both pages show it."""
    label = "`make serve`: save a one-line rule change in seeds/corrections/typos.yml -> the served page shows it"
    project = copy_project(work / "serve")
    table_path = project / SERVE_TABLE
    original = table_path.read_text(encoding="utf-8")
    if original.count(SERVE_RULE) != 1:
        return [(label, "not measured", f"{SERVE_TABLE} has no rule `{SERVE_RULE.strip()}`")]
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(project / "tools" / "build.py"), "serve", "--root", str(project),
                             "--port", str(port)], cwd=project, env=env_for(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[tuple[float, str]] = []
    stdout = proc.stdout
    assert stdout is not None  # stdout=PIPE

    def read_lines() -> None:
        for ln in stdout:
            lines.append((time.perf_counter(), ln))

    def shows(page: str, text: str) -> bool:
        try:
            html = urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}", timeout=30).read().decode("utf-8")
        except OSError:
            return False
        return text in html

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        if not wait_for(lambda: any(ln.startswith("serving") for _, ln in lines), 600):
            return [(label, "did not start", "")]
        first: list[float] = []
        both: list[float] = []
        for n in range(runs):
            marker = SERVE_MARKERS[n % len(SERVE_MARKERS)]
            time.sleep(1.5)  # a pause between edits, as between a user's saves
            table_path.write_text(original.replace(SERVE_RULE, f"replace: 之类的{marker}话\n"), encoding="utf-8")
            saved = time.perf_counter()
            for page, after in SERVE_PAGES:
                text = f">{marker}</span>{after}"  # the changed span, then the rule's next character
                if not wait_for(lambda page=page, text=text: shows(page, text), 600, step=0.1):
                    tail = "".join(ln for _, ln in lines[-5:]).strip().replace("\n", " / ")[:100]
                    return [(label, f"/{page} never showed the change", tail)]
                (first if page == SERVE_PAGES[0][0] else both).append(time.perf_counter() - saved)
        return [(label, f"{fmt_s(statistics.median(first))} (zh-Hans page), {fmt_s(statistics.median(both))} "
                 "(both editions)", f"median of {runs} ({' / '.join(fmt_s(r) for r in first)}); target <= 2 s")]
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def wait_for(cond, timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


class Stages:
    """Exclusive wall time per stage: a timed call nested in another is taken out of the outer one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.stack: list[list] = []

    def wrap(self, stage: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            frame = [stage, 0.0]
            self.stack.append(frame)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self.stack.pop()
                self.seconds[stage] = self.seconds.get(stage, 0.0) + spent - frame[1]
                if self.stack:
                    self.stack[-1][1] += spent
        return timed

    def patch(self, owner, name: str, stage: str, static: bool = False) -> None:
        fn = getattr(owner, name)
        wrapped = self.wrap(stage, fn)
        setattr(owner, name, staticmethod(wrapped) if static else wrapped)

    def wrap_pages(self, pages_mod) -> None:
        original = pages_mod.Edition.pages
        stages = self

        def pages(edition, *args, **kwargs):
            return {src: stages.wrap("render", fn) for src, fn in original(edition, *args, **kwargs).items()}
        pages_mod.Edition.pages = pages


def bench_stages(work: Path) -> list[tuple[str, str, str]]:
    """One instrumented build of both editions in this process, corpus cache missed (a fresh copy):
    the corpus is loaded once, for the first edition."""
    os.environ.update(env_for())
    project = copy_project(work / "stages")
    import editions
    from reader import (
        anchorlock,
        annotate,
        clean,
        corpus,
        jsonedition,
        notes,
        pages,
        read,
        readings,
        script,
        searchmap,
        speakers,
        structure,
    )

    st = Stages()
    for name in ("read_seed", "load_yaml", "load_catalog", "load_people"):
        st.patch(read, name, "read")
    st.patch(corpus, "load_lock", "read")
    st.patch(clean, "run", "clean")
    st.patch(clean.mojibake.Ngrams, "of", "clean", static=True)
    for owner, name in ((structure, "build"), (structure, "parse_layouts"), (anchorlock, "apply"),
                        (speakers, "apply"), (notes, "apply")):
        st.patch(owner, name, "structure")
    st.patch(annotate, "annotate", "annotate")
    st.patch(annotate, "matcher", "annotate")
    st.patch(readings, "apply", "readings")
    st.patch(corpus, "load_timeline", "timeline")
    st.patch(script, "to_hant", "zh-Hant")
    st.patch(script.Converter, "markdown", "zh-Hant")
    st.wrap_pages(pages)
    st.patch(searchmap, "for_edition", "render")
    st.patch(jsonedition, "for_site", "render")
    start = time.perf_counter()
    sink: list[str] = []
    rc = editions.build_all(project, work / "stages-site", log=sink.append)
    total = time.perf_counter() - start
    if rc:
        return [("stages", "build failed", "")]
    order = ("read", "clean", "structure", "annotate", "readings", "timeline", "zh-Hant", "render")
    rows = [(f"stage: {s}", fmt_s(st.seconds.get(s, 0.0)), f"{st.seconds.get(s, 0.0) / total:.0%}") for s in order]
    rest = total - sum(st.seconds.values())
    rows.append(("stage: MkDocs proper (Markdown, templates, search index, jieba, files)", fmt_s(rest),
                 f"{rest / total:.0%}"))
    rows.append(("stages total (one process, both editions, corpus cache miss)", fmt_s(total), "100%"))
    return rows + bench_hostile_dates()


HOSTILE_DATES = ("去年" * 30000, "2022年11月30日至" * 10000, "十" * 100000 + "年前", "大约" * 50000 + "2015年",
                 "1" * 200000 + "年")


def bench_hostile_dates() -> list[tuple[str, str, str]]:
    """The date finder on long runs of what its patterns look for (tests/test_dates.py checks what
    it finds there; how long it takes is measured here, not asserted)."""
    from reader import dates

    small = [t[: len(t) // 8] for t in HOSTILE_DATES]
    took = []
    for texts in (small, HOSTILE_DATES):
        start = time.perf_counter()
        for text in texts:
            dates.find(text, published="2024-12-07", published_precision="day")
        took.append(time.perf_counter() - start)
    chars = sum(map(len, HOSTILE_DATES))
    return [(f"date finder on hostile text ({chars // 1000} k characters in 5 runs)", fmt_s(took[1]),
             f"x{took[1] / took[0]:.1f} for 8x the text (linear: ~x8)")]


def index_bytes(site: Path) -> int:
    return sum((site / sub / "search" / "search_index.json").stat().st_size for sub in ("", "zh-Hant"))


def bench_scaling(work: Path, scales: list[int]) -> list[tuple[str, str, str]]:
    rows = []
    base = None
    for factor in [1, *scales]:
        project = synth.synthesize(work / f"x{factor}", factor)
        docs = 5 * factor
        seconds, peak = timed_process(full_build_cmd(project, work / f"x{factor}-site"), project, env_for())
        size = index_bytes(work / f"x{factor}-site")
        per = (seconds / docs, size / docs)
        base = base or per
        figure = (f"{fmt_s(seconds)} ({per[0]:.2f} s/doc), {size / 2**20:.1f} MiB ({kib(per[1])}/doc), "
                  f"{peak:.0f} MiB peak")
        rows.append((f"scaling x{factor} ({docs} documents, cache miss): build, search index (both editions)",
                     figure, f"per doc x{per[0] / base[0]:.2f} time, x{per[1] / base[1]:.2f} index"))
        shutil.rmtree(work / f"x{factor}-site", ignore_errors=True)
        shutil.rmtree(project, ignore_errors=True)
    return rows


ASSET = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_types(site: Path) -> dict[str, Path]:
    """label -> page, for each page type both editions have."""
    out = {}
    docs = sorted(p.parent.name for p in site.glob("20*/index.html"))
    heavy = sorted(site.glob("*/apparatus/index.html"), key=lambda p: (-p.stat().st_size, str(p)))
    for label, rel in (("home", "index.html"), ("document", f"{docs[0]}/index.html" if docs else ""),
                       ("apparatus of a document", str(heavy[0].relative_to(site)) if heavy else ""),
                       ("glossary", "glossary/index.html"), ("people", "people/index.html"),
                       ("timeline", "timeline/index.html"), ("apparatus", "apparatus/index.html"),
                       ("about", "about/index.html")):
        for ed, sub in (("zh-Hans", ""), ("zh-Hant", "zh-Hant/")):
            path = site / sub / rel
            if rel and path.is_file():
                out[f"{label} ({ed})"] = path
    return out


def bench_weight(work: Path) -> list[tuple[str, str, str]]:
    project = copy_project(work / "weight")
    site = work / "weight-site"
    timed_process(full_build_cmd(project, site), project, env_for())
    rows = []
    for label, page in page_types(site).items():
        html = page.read_bytes()
        total, assets = gz(html), 0
        for ref in ASSET.findall(html.decode("utf-8", "replace")):
            if ref.startswith(("http:", "https:", "//", "data:")):
                continue
            path = (page.parent / ref.split("?")[0].split("#")[0]).resolve()
            if path.is_file():
                assets += 1
                total += gz(path.read_bytes())
        rows.append((f"page weight, first visit: {label}", f"{kib(total)} gzip", f"HTML {kib(gz(html))} + {assets} CSS/JS"))
    for ed, sub in (("zh-Hans", ""), ("zh-Hant", "zh-Hant/")):
        index = (site / sub / "search" / "search_index.json").read_bytes()
        rows.append((f"search index {ed} (fetched when search opens)", f"{kib(gz(index))} gzip", f"{kib(len(index))} raw"))
    return rows


def bench_browser(work: Path) -> list[tuple[str, str, str]]:
    if not Path(CHROMIUM).exists():
        return [("search in Chromium", f"skipped: {CHROMIUM} missing", "")]
    site = work / "weight-site"
    if not site.is_dir():
        project = copy_project(work / "browser")
        timed_process(full_build_cmd(project, site), project, env_for())
    from playwright.sync_api import sync_playwright

    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,),
                                     {"log_message": lambda *a: None}), directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    field = "input[data-md-component=search-query]"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for ed, sub in (("zh-Hans", ""), ("zh-Hant", "zh-Hant/")):
                page = browser.new_page()
                page.set_default_timeout(60_000)
                page.goto(base + sub, wait_until="load")
                times = []
                for query in (QUERY, "超级智能"):
                    page.click(field)
                    page.fill(field, "")
                    page.press(field, "End")
                    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length === 0")
                    start = time.perf_counter()
                    page.fill(field, query)
                    page.press(field, "End")
                    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
                    times.append(time.perf_counter() - start)
                rows.append((f"search in headless Chromium, {ed}: query typed -> results shown",
                             f"{times[0] * 1000:.0f} ms first (index loaded on focus), {times[1] * 1000:.0f} ms next",
                             ""))
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return rows


def bench_tests() -> list[tuple[str, str, str]]:
    start = time.perf_counter()
    run = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True, check=False)
    tail = (run.stdout.strip().splitlines() or [""])[-1]
    return [("`make test` wall time", fmt_s(time.perf_counter() - start), f"exit {run.returncode}: {tail[:60]}")]


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "unknown CPU")
    mem = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores (nproc), {cpu}, {mem / 2**20:.0f} GiB RAM, load average {load:.1f} at start, "
            f"{datetime.date.today().isoformat()}")


def table(rows: list[tuple[str, str, str]]) -> str:
    out = ["| measure | figure | ratio / note |", "| --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out)


def write_readme(text: str, readme: Path = ROOT / "README.md") -> None:
    """Replace README.md's "## Figures" section (up to the next "## " or "### " heading: the notes
    under "### Reading the figures" stay), or append it."""
    body = readme.read_text(encoding="utf-8")
    section = f"## Figures\n\n{text}\n"
    m = re.search(r"(?ms)^## Figures\n.*?(?=^###? |\Z)", body)
    body = body[:m.start()] + section + ("\n" if m.end() < len(body) else "") + body[m.end():] if m \
        else body.rstrip("\n") + "\n\n" + section
    readme.write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "10,100"))
    parser.add_argument("--skip", default=os.environ.get("BENCH_SKIP", ""), help=f"comma list of {SECTIONS}")
    parser.add_argument("--with-tests", action="store_true", help="also time `make test` (slow)")
    parser.add_argument("--readme", action="store_true", help='write the table into README.md "## Figures"')
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    scales = [int(s) for s in args.scales.split(",") if s]
    where = machine()
    print(f"machine: {where}", flush=True)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        steps = [("build", lambda: bench_build(work, args.runs)), ("serve", lambda: bench_serve(work, args.runs)),
                 ("weight", lambda: bench_weight(work)), ("browser", lambda: bench_browser(work)),
                 ("scaling", lambda: bench_scaling(work, scales)), ("stages", lambda: bench_stages(work))]
        for name, step in steps:
            if name in skip:
                continue
            started = time.perf_counter()
            try:
                got = step()
            except Exception as exc:  # noqa: BLE001 - one failed section still leaves the others' figures
                got = [(name, f"failed: {type(exc).__name__}", str(exc).strip().splitlines()[-1][:100])]
            rows += got
            for row in got:
                print(" | ".join(row), flush=True)
            print(f"  ({name}: {time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    if args.with_tests:
        rows += bench_tests()
    text = (f"`make bench` (tools/bench.py; {args.runs} paired runs, median) on {where}.\n\n{table(rows)}")
    print()
    print(text)
    if args.readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
