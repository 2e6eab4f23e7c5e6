"""Downloads: the page (下载与数据) that offers the edition whole, and the files it offers.

Data flow::

    READER_DOWNLOADS (`make publish`: dist/, where `make offline` and `make pdf` wrote them)
        -> found(): each of FILES in that folder, read through safeio (a regular file inside the
           project, at most LIMIT) -> Download(name, kind, size, sha256) and its path; a file missing, or a
           folder outside the project: EditionError naming READER_DOWNLOADS and the file
        -> hooks/edition.py on_files: copied to downloads/<name> in the site root (zh-Hans build)
    seeds/<seed>.txt of each document, seeds/SHA256SUMS (every build)
        -> sources(): read through safeio -> Download(name, "source", size, sha256) and its path
        -> hooks/edition.py on_files: copied byte for byte to sources/<name> in the site root
           (zh-Hans build), so a reader can check the edition against what it was made from
        -> page(): the page's Markdown/HTML in either script (both builds): the zip and PDFs when
           shipped, the sources (a section `#sources`, which each catalog card's 底本 row links
           to), then the JSON data that every build has (edition.json, its schema, timeline.json)

Without READER_DOWNLOADS (`make site`, `make serve`, the offline bundle) the page offers the
data alone: a build never links to a file it did not ship. Pure but for found() and sources().
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import jsonedition, safeio
from .model import EditionError
from .render import esc

ENV = "READER_DOWNLOADS"
SRC = "downloads.md"
FOLDER = "downloads"  # in the site root
SOURCES = "sources"  # in the site root: the seeds, byte for byte, and their SHA256SUMS
SUMS = "SHA256SUMS"
SUMS_LABEL = "上列各文件的校验值清单"
#: the files `make publish` ships: (name, kind); the names are tools/offline.py's and tools/pdf.py's
FILES = (("altman-interviews-reader-edition.zip", "zip"),
         ("altman-interviews-zh-Hans.pdf", "pdf-hans"),
         ("altman-interviews-zh-Hant.pdf", "pdf-hant"))
#: one download: today the zip is 1.1 MB and each PDF 1.5 MB
LIMIT = 64 * safeio.MiB
SCHEMA = jsonedition.SCHEMA  # hooks/reader/edition.schema.json, shipped beside edition.json

TITLE = "下载与数据"
DESCRIPTION = "本版的下载文件、底本和JSON数据。"  # the page's meta description, true with or without the files
SHIPPED = ("本版可以整个下载：离线阅读、打印，或者作为数据使用。下载的文件与本站出自同一次构建，"
           "文字、锚点和校勘记与本站相同；每个文件附有SHA-256校验值，可核对下载是否完整。")
NOT_SHIPPED = ("本版所据的底本原样提供，可以下载核对；本版的篇目、段落、校勘记、术语、人名和时间线都以JSON数据"
               "提供，供研究和程序使用。离线版（zip）和PDF没有随这份网站副本附带。")
OFFLINE = ("这是本版的离线版：两种字体的全部页面都在这个文件夹里，不需要联网。"  # the zip's own page
           "本版所据的底本原样附在其中；本版的篇目、段落、校勘记、术语、人名和时间线另以JSON数据提供，供研究和程序使用。")
TEXTS = {
    "zip": ("离线版", "简体版和繁体版的全部页面。解压到任何地方，用浏览器打开其中的index.html即可阅读，"
                     "不需要联网：搜索、术语释义、校改标记和引用都可以用。"),
    "pdf": ("PDF", "印刷版式，每种字体一册：封面、目录（附页码）、五篇访谈、术语表、人名索引、时间线、"
                   "校勘记和本版说明；段落锚点印在页边，引用时与网页版相同。"),
    "source": ("底本", "本版所据的网页抓取文本，逐字节照原样提供，未作任何改动：校勘记中的行号（如L21）"
                      "就是这些文件的行号，可以逐条核对。SHA256SUMS列出每个文件的校验值"
                      "（可用sha256sum -c核对）。文件为UTF-8编码的纯文本。"),
    "data": ("数据", "供研究和程序使用的JSON文件，每次构建都附在站内。"),
}
PDF_LABELS = {"pdf-hans": "简体版", "pdf-hant": "繁体版"}
DATA = (("edition.json", "全部篇目的目录信息、章节、段落（简体与繁体）、说话人、校勘记、术语、人名和时间线"),
        (SCHEMA, "edition.json的JSON Schema，说明每个字段"),
        ("timeline.json", "时间线，TimelineJS格式（本字体版）"))


@dataclass(frozen=True)
class Download:
    name: str
    kind: str
    size: int
    sha256: str


def found(root: Path, environ: dict[str, str] | os._Environ[str] = os.environ) -> tuple[list[Download], list[Path]]:
    """The downloads READER_DOWNLOADS names, and their paths; ([], []) when it is unset or empty."""
    folder = environ.get(ENV, "").strip()
    if not folder:
        return [], []
    where = root / folder
    out, paths = [], []
    for name, kind in FILES:
        path = where / name
        label = f"{ENV}={folder}: {name}"
        if not safeio.present(path):
            raise EditionError(label, 0, "file", "missing: `make publish` writes it (make pdf offline first)")
        data = safeio.read_bytes(root, path, label, LIMIT)
        out.append(Download(name, kind, len(data), hashlib.sha256(data).hexdigest()))
        paths.append(path)
    return out, paths


def sources(root: Path, seeds: list[str]) -> tuple[list[Download], list[Path]]:
    """The seeds the documents are made from (names as the catalog gives them), then SHA256SUMS:
    what sources/ ships, read through safeio (a regular file inside the project, within the
    seeds' limit). tools/build.py has already refused a seed that does not match SHA256SUMS."""
    out, paths = [], []
    for name in [*seeds, SUMS]:
        path = root / "seeds" / name
        data = safeio.read_bytes(root, path, f"seeds/{name}", safeio.SEED_LIMIT)
        out.append(Download(name, "source", len(data), hashlib.sha256(data).hexdigest()))
        paths.append(path)
    return out, paths


def size_text(n: int) -> str:
    """1.1 MB, 850 KB: as a reader reads a file size (decimal units)."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def page(files: list[Download], root_href: str, offline: bool, timeline_href: str | None,
         conv: Callable[[str], str] = lambda s: s, seeds: list[tuple[str, Download]] | None = None) -> str:
    """The page: the zip and the PDFs when the build ships them (links into the site root's
    downloads/), the sources, then the JSON data. `root_href`: the site root relative to this
    page ("../", "../../" in zh-Hant, "" offline); `offline`: the page is the zip's own (its
    lead says so, not that the zip is missing); `timeline_href`: this edition's timeline.json,
    if it has one; `seeds`: (what it is, already in the page's script; the file), from
    Edition.seed_files, SHA256SUMS last."""
    c = conv
    lead = SHIPPED if files else OFFLINE if offline else NOT_SHIPPED
    out = [f"# {esc(c(TITLE))} {{#top}}", "", f"<p>{esc(c(lead))}</p>", ""]

    def item(href: str, name: str, what: str, d: Download | None, said: bool = False) -> str:
        what = what if said else c(what)  # said: already in the page's script
        if d:  # a file to keep: what it is, its name and size, then its checksum on a line of its own
            return (f'<li>{esc(what) + "：" if what else ""}<a href="{href}" download><code>{esc(name)}</code></a>'
                    f'（{size_text(d.size)}）<br><span class="sha256">SHA-256 <code>{d.sha256}</code></span></li>')
        return f'<li><a href="{href}"><code>{esc(name)}</code></a>：{esc(what)}</li>'  # JSON: opens in the browser

    def section(kind: str, anchor: str, items: list[str]) -> list[str]:
        head, text = TEXTS[kind]
        return [f"## {esc(c(head))} {{#{anchor}}}", "", f"<p>{esc(c(text))}</p>",
                f'<ul class="downloads">{"".join(items)}</ul>', ""]

    by_kind = {d.kind: d for d in files}
    if "zip" in by_kind:
        d = by_kind["zip"]
        out += section("zip", "offline", [item(f"{root_href}{FOLDER}/{d.name}", d.name, "", d)])
    pdfs = [by_kind[k] for k in PDF_LABELS if k in by_kind]
    if pdfs:
        out += section("pdf", "pdf", [item(f"{root_href}{FOLDER}/{d.name}", d.name, PDF_LABELS[d.kind], d)
                                      for d in pdfs])
    if seeds:
        out += section("source", SOURCES, [item(f"{root_href}{SOURCES}/{d.name}", d.name, what, d, said=True)
                                           for what, d in seeds])
    links = {name: f"{root_href}{name}" for name, _ in DATA} | {"timeline.json": timeline_href or ""}
    data = [item(links[name], name, what, None) for name, what in DATA if links[name]]
    out += section("data", "data", data)
    return "\n".join(out)
