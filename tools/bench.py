"""Benchmarks (`make bench`): speed and size, as ratios measured in one run.

Data flow: seed 001 (the noisiest) repeated to 1 MB and to N MB -> clean -> structure ->
render, timed; then one real `mkdocs build` of both editions, timed, and the site's size.
The whole-site runs stay within the seed size limit (safeio.SEED_LIMIT, 2 MiB): a bigger
seed is refused by the build, so --big-mb applies to the pipeline alone beyond it.
Prints figures; exits non-zero only if the pipeline is clearly worse than linear (the
10x input taking more than 20x the time); the whole-site figures (an extra 1 MB and N MB
seed through the real MkDocs build) are printed for the record. Timings are noisy on a shared machine: read the
ratio, not the seconds. Usage: .venv/bin/python tools/bench.py [--big-mb 10] [--no-site]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from reader import clean, corpus, read, render, safeio, structure  # noqa: E402


def pipeline_seconds(text: str, entry, tables) -> tuple[float, int, int]:
    start = time.perf_counter()
    lines, changes = clean.run(entry, text, tables)
    doc = structure.build(entry, lines, None, changes)
    markdown = render.document(doc, render.Labels(), lambda src, anchor: f"{src}#{anchor}")
    return time.perf_counter() - start, len(doc.paragraphs()), len(markdown)


def scaled(seed: str, megabytes: float) -> str:
    unit = seed if seed.endswith("\n") else seed + "\n"
    size = len(unit.encode("utf-8"))
    return unit * max(1, round(megabytes * 1024 * 1024 / size))


def site_build() -> tuple[float, int]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for config, dest in (("mkdocs.yml", "site"), ("mkdocs.zh-Hant.yml", "site/zh-Hant")):
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", f"{tmp}/{dest}"],
                           cwd=ROOT, env=env, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp, "site").rglob("*") if p.is_file())
    return seconds, size


EXTRA_ENTRY = """
- slug: 2099-01-bench
  seed: 990_bench.txt
  source_script: zh-Hans
  title: 基准测试
  outlet: 基准
  date: 2099-01
  precision: month
  date_source: inferred
  date_note: 基准测试用
  event: 基准测试
  summary: 基准测试用的大文本。
  participants:
    - {id: a, name_zh: 甲, name_en: A, role: 测试}
  speakers: {}
  completeness: complete
"""


def site_with_extra(text: str) -> float:
    """Seconds for a Simplified build of a copy of the project with `text` as a sixth seed."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        project.mkdir()
        for name in ("mkdocs.yml", "mkdocs.zh-Hant.yml", "hooks", "overrides", "docs", "seeds"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
        (project / "seeds" / "990_bench.txt").write_text(text, encoding="utf-8")
        with open(project / "seeds" / "catalog.yml", "a", encoding="utf-8") as f:
            f.write(EXTRA_ENTRY)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=project, env=env,
                       check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=float, default=10.0)
    parser.add_argument("--no-site", action="store_true")
    args = parser.parse_args()
    c = corpus.load(ROOT)
    entry = next(d.entry for d in c.docs if d.entry.seed.startswith("001"))
    seed = read.read_seed(ROOT / "seeds", entry)
    results = {}
    for mb in (1.0, args.big_mb):
        text = scaled(seed, mb)
        seconds, paragraphs, out = pipeline_seconds(text, entry, c.tables)
        results[mb] = seconds
        size = len(text.encode("utf-8")) / 2**20
        print(f"pipeline {size:6.2f} MB: {seconds:7.2f} s, {size / seconds:5.2f} MB/s, "
              f"{paragraphs} paragraphs, {out / 2**20:.1f} MB of Markdown")
    ratio = results[args.big_mb] / results[1.0]
    print(f"pipeline time ratio {args.big_mb:g} MB / 1 MB: {ratio:.1f} (linear = {args.big_mb:g})")
    if not args.no_site:
        seconds, size = site_build()
        print(f"site build, both editions: {seconds:.1f} s, {size / 2**20:.1f} MB on disk")
        site_mb = min(args.big_mb, 0.95 * safeio.SEED_LIMIT / 2**20)  # the largest seed a build accepts
        base = site_with_extra("中文。\n")
        small = site_with_extra(scaled(seed, site_mb / 2)) - base
        big = site_with_extra(scaled(seed, site_mb)) - base
        print(f"site build with an extra {site_mb / 2:g} MB seed: +{small:.1f} s; with {site_mb:g} MB: +{big:.1f} s; "
              f"ratio {big / small:.1f} (linear = 2)")
    return 1 if ratio > 2 * args.big_mb else 0


if __name__ == "__main__":
    sys.exit(main())
