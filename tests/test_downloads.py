"""The downloads page (下载与数据) and READER_DOWNLOADS (`make publish`).

Data flow: strings and small files in a temp folder inside the project -> downloads.found /
downloads.page -> assertions; the real builds (`built_site` without downloads, test_hosted.py's
`hosted` with them) are checked in test_hosted.py.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from reader import downloads, pages
from reader.model import EditionError

sys.path.insert(0, str(ROOT / "tools"))
import offline  # noqa: E402
import pdf  # noqa: E402

LINKS = re.compile(r'<a href="([^"]*)"')


def test_the_names_are_the_ones_make_offline_and_make_pdf_write():
    assert [n for n, _ in downloads.FILES] == [f"{offline.NAME}.zip"] + [f"{pdf.NAME}-{lang}.pdf" for lang in pages.EDITIONS]


@pytest.fixture
def folder():
    """A folder inside the project (READER_DOWNLOADS must name one), removed afterwards."""
    import shutil
    import tempfile

    (ROOT / ".cache").mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="test-downloads-", dir=ROOT / ".cache"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _fill(folder: Path) -> dict[str, bytes]:
    data = {name: f"{name} {i}".encode() * (i + 1) for i, (name, _) in enumerate(downloads.FILES)}
    for name, content in data.items():
        (folder / name).write_bytes(content)
    return data


def test_unset_ships_nothing():
    assert downloads.found(ROOT, {}) == ([], [])
    assert downloads.found(ROOT, {downloads.ENV: " "}) == ([], [])


def test_found_gives_size_and_sha256(folder):
    data = _fill(folder)
    found, paths = downloads.found(ROOT, {downloads.ENV: str(folder.relative_to(ROOT))})
    assert [d.name for d in found] == list(data) and [p.name for p in paths] == list(data)
    for d in found:
        assert d.size == len(data[d.name]) and d.sha256 == hashlib.sha256(data[d.name]).hexdigest()


def test_a_missing_file_is_one_clear_error(folder):
    _fill(folder)
    (folder / downloads.FILES[2][0]).unlink()
    with pytest.raises(EditionError) as err:
        downloads.found(ROOT, {downloads.ENV: str(folder.relative_to(ROOT))})
    assert downloads.ENV in str(err.value) and downloads.FILES[2][0] in str(err.value) and "make publish" in str(err.value)


def test_a_folder_or_file_outside_the_project_is_refused(folder, tmp_path):
    _fill(tmp_path)
    with pytest.raises(EditionError, match="outside|inside"):
        downloads.found(ROOT, {downloads.ENV: str(tmp_path)})
    _fill(folder)
    target = folder / downloads.FILES[0][0]
    target.unlink()
    target.symlink_to(tmp_path / downloads.FILES[0][0])  # a link out of the project
    with pytest.raises(EditionError, match="outside|inside"):
        downloads.found(ROOT, {downloads.ENV: str(folder.relative_to(ROOT))})


def test_a_folder_in_place_of_a_file_is_refused(folder):
    _fill(folder)
    (folder / downloads.FILES[1][0]).unlink()
    (folder / downloads.FILES[1][0]).mkdir()
    with pytest.raises(EditionError, match="directory"):
        downloads.found(ROOT, {downloads.ENV: str(folder.relative_to(ROOT))})


def _files() -> list[downloads.Download]:
    return [downloads.Download(name, kind, 1_183_261 + i, f"{i:064x}") for i, (name, kind) in enumerate(downloads.FILES)]


def test_the_page_offers_the_files_it_ships_with_size_and_checksum():
    html = downloads.page(_files(), "../", False, "../timeline.json")
    assert LINKS.findall(html) == ["../downloads/altman-interviews-reader-edition.zip",
                                   "../downloads/altman-interviews-zh-Hans.pdf", "../downloads/altman-interviews-zh-Hant.pdf",
                                   "../edition.json", "../edition.schema.json", "../timeline.json"]
    assert '</code></a>（1.2 MB）<br><span class="sha256">SHA-256 <code>' + f"{0:064x}" + "</code></span>" in html
    assert html.count(" download>") == 3  # the JSON opens in the browser
    assert "{#offline}" in html and "{#pdf}" in html and "同一次构建" in html


def test_without_files_the_page_offers_the_data_alone_and_says_so():
    html = downloads.page([], "", False, "timeline.json")
    assert LINKS.findall(html) == ["edition.json", "edition.schema.json", "timeline.json"]
    assert "{#offline}" not in html and "{#pdf}" not in html and downloads.NOT_SHIPPED in html
    assert LINKS.findall(downloads.page([], "", False, None)) == ["edition.json", "edition.schema.json"]  # no timeline
    offline = downloads.page([], "", True, "timeline.json")  # the zip's own page: it is the offline copy
    assert downloads.OFFLINE in offline and downloads.NOT_SHIPPED not in offline


def test_the_zh_hant_page_is_converted_and_links_two_folders_up():
    conv = str.maketrans({"载": "載", "与": "與", "数": "數", "据": "據", "简": "簡", "体": "體", "繁": "繁"})
    html = downloads.page(_files(), "../../", False, "../timeline.json", lambda s: s.translate(conv))
    assert html.startswith("# 下載與數據 {#top}") and "<li>簡體版：<a" in html
    assert "../../downloads/altman-interviews-zh-Hant.pdf" in html and '"../../edition.json"' in html


@pytest.mark.parametrize("n, text", [(999, "1 KB"), (1, "1 KB"), (850_000, "850 KB"), (1_183_261, "1.2 MB"),
                                     (14_400_000, "14.4 MB")])
def test_size_text(n, text):
    assert downloads.size_text(n) == text


def test_the_home_page_links_the_other_pages_and_the_downloads(built_site):
    """On a phone the navigation is behind a menu: the home page names the pages beside the
    documents, the downloads page among them, in both editions."""
    for prefix, lead in (("", "另见："), ("zh-Hant/", "另見：")):
        source = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        more = re.search(r'<p class="home-more">(.*?)</p>', source)
        assert more and more.group(1).startswith(lead), prefix
        hrefs = LINKS.findall(more.group(1))
        assert hrefs == ["apparatus/", "glossary/", "people/", "timeline/", "downloads/"], hrefs
        assert all((built_site / prefix / h / "index.html").is_file() for h in hrefs)


# --------------------------------------------------------------------------- the sources

def test_sources_are_the_seeds_and_their_sums_with_size_and_checksum():
    seeds = ["003_db0142c2bbde2aab.txt", "000_f80bb4c90ff2c182.txt"]
    got, paths = downloads.sources(ROOT, seeds)
    assert [d.name for d in got] == [*seeds, "SHA256SUMS"] and all(d.kind == "source" for d in got)
    sums = dict(reversed(line.split()) for line in (ROOT / "seeds" / "SHA256SUMS").read_text().splitlines())
    for d, path in zip(got, paths):
        data = path.read_bytes()
        assert path.parent == ROOT / "seeds" and d.size == len(data) and d.sha256 == hashlib.sha256(data).hexdigest()
        assert d.name == "SHA256SUMS" or sums[d.name] == d.sha256


def test_a_seed_outside_the_project_is_refused():
    with pytest.raises(EditionError, match="seeds/../../../../etc/hostname"):
        downloads.sources(ROOT, ["../../../../etc/hostname"])


def test_the_page_offers_the_sources_before_the_data():
    seeds = [("20VC播客专访（2024年4月16日）", downloads.Download("003.txt", "source", 19_000, "a" * 64)),
             ("", downloads.Download("SHA256SUMS", "source", 400, "b" * 64))]
    html = downloads.page([], "../../", False, "../timeline.json", lambda s: s.replace("专访", "專訪"), seeds)
    assert LINKS.findall(html)[:2] == ["../../sources/003.txt", "../../sources/SHA256SUMS"]
    assert html.index("{#sources}") < html.index("{#data}") and html.count(" download>") == 2
    assert "<li>20VC播客专访（2024年4月16日）：<a" in html  # already in the page's script: not converted again
    assert "<li><a href=\"../../sources/SHA256SUMS\" download>" in html and "a" * 64 in html


def test_the_site_ships_the_seeds_byte_for_byte_and_every_card_links_them(built_site):
    """A reader can check the edition against what it was made from: sources/ holds each seed and
    SHA256SUMS exactly as seeds/ does; each document's 底本 row links to the downloads page's list."""
    shipped = sorted(p.name for p in (built_site / "sources").iterdir())
    assert shipped == sorted([*(p.name for p in (ROOT / "seeds").glob("*.txt")), "SHA256SUMS"])
    for name in shipped:
        assert (built_site / "sources" / name).read_bytes() == (ROOT / "seeds" / name).read_bytes(), name
    assert not (built_site / "zh-Hant" / "sources").exists()  # one copy, in the site root
    for prefix, up in (("", "../"), ("zh-Hant/", "../../")):
        downloads_page = (built_site / prefix / "downloads" / "index.html").read_text(encoding="utf-8")
        assert all(f'href="{up}sources/{name}" download>' in downloads_page for name in shipped), prefix
        for slug in (p.parent.name for p in (built_site / prefix).glob("20*/index.html")):
            card = (built_site / prefix / slug / "index.html").read_text(encoding="utf-8")
            assert re.search(r'<dd><a href="\.\./downloads/#sources"><code>seeds/[^<]+</code></a></dd>', card), slug
