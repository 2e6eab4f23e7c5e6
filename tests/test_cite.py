"""Citations per paragraph (issue 16, item 5): the strings hooks/reader/cite.py builds and the
data element each document page carries for docs/assets/cite.js.

Data flow: Document -> cite.gbt / cite.apa / cite.short templates -> cite.fill (what cite.js
does with the page URL and today's date) -> the citation; cite.element -> the page's
<script type="application/json" id="cite-meta">. The real editions are rendered as the hook
renders them (site.load_edition, Edition.pages) and every ¶ is checked to name a live anchor.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from reader import anchors, cite, render, site
from reader.model import Block, CatalogEntry, Document, Paragraph, Participant, Section

ROOT = Path(__file__).resolve().parent.parent
URL = "https://example.org/ed/2024-12-dealbook-altman/#p3-12"
SLOTS = {"anchor": "p3-12", "url": URL, "accessed": "2025-06-01", "accessed_en": "June 1, 2025"}
ED = "奥特曼与OpenAI访谈五种·读者版"  # the edition's title, as pages.HOME_TITLE
ELEMENT = re.compile(r'<script type="application/json" id="cite-meta">(.*?)</script>')


def _entry(**kw) -> CatalogEntry:
    base: dict = {
        "slug": "2024-12-dealbook-altman", "seed": "000.txt", "title": "奥特曼在《纽约时报》DealBook峰会：不该选非营利结构",
        "outlet": "凤凰科技", "date": "2024-12-07", "precision": "day", "date_source": "printed",
        "date_note": "报头印有日期", "event": "DealBook峰会", "summary": "", "source_script": "zh-TW",
        "participants": (Participant("altman", "山姆·奥特曼", "Sam Altman", "OpenAI首席执行官"),
                         Participant("sorkin", "安德鲁·罗斯·索尔金", "Andrew Ross Sorkin", "采访者")),
        "speakers": {}}
    return CatalogEntry(**(base | kw))


def _doc(entry: CatalogEntry | None = None) -> Document:
    entry = entry or _entry()
    para = Paragraph("p3-12", "这是一段话。")
    return Document(entry, entry.title, [Section("s3", "第三节", blocks=[Block("prose", [para])])], [])


# --------------------------------------------------------------------------- the strings

def test_gbt_day_precision():
    got = cite.fill(cite.gbt(_doc(), ED), SLOTS)
    assert got == ("山姆·奥特曼, 安德鲁·罗斯·索尔金. 奥特曼在《纽约时报》DealBook峰会：不该选非营利结构[EB/OL]. "
                   "凤凰科技, 2024-12-07//奥特曼与OpenAI访谈五种·读者版: ¶p3-12[2025-06-01]. "
                   "https://example.org/ed/2024-12-dealbook-altman/#p3-12.")


def test_apa_day_precision():
    got = cite.fill(cite.apa(_doc(), ED), SLOTS)
    assert got == ("Altman, S., & Sorkin, A. R. (2024, December 7). 奥特曼在《纽约时报》DealBook峰会：不该选非营利结构 "
                   "(para. p3-12). 凤凰科技. In 奥特曼与OpenAI访谈五种·读者版. Retrieved June 1, 2025, from "
                   "https://example.org/ed/2024-12-dealbook-altman/#p3-12")


def test_month_precision_inferred_date():
    doc = _doc(_entry(date="2025-03", precision="month", date_source="inferred",
                      outlet="新智元（经凤凰网转载；底本页面注“来源：凤凰网”）"))
    gbt = cite.fill(cite.gbt(doc, ED), SLOTS)
    apa = cite.fill(cite.apa(doc, ED), SLOTS)
    assert "新智元, [2025-03]//奥特曼与OpenAI访谈五种·读者版: ¶p3-12[2025-06-01]. " in gbt  # the estimated date in [ ], the outlet's note dropped
    assert "(2025, March). " in apa and "12月" not in apa and "March 7" not in apa
    assert ". 新智元. In 奥特曼与OpenAI访谈五种·读者版. Retrieved" in apa and "凤凰网" not in apa
    assert "2025年3月；《奥特曼与OpenAI访谈五种·读者版》。" in cite.fill(cite.short(doc, ED), SLOTS)


def test_year_precision():
    doc = _doc(_entry(date="2024", precision="year"))
    assert "(2024). " in cite.fill(cite.apa(doc, ED), SLOTS)
    assert "凤凰科技, 2024//奥特曼与OpenAI访谈五种·读者版: ¶" in cite.fill(cite.gbt(doc, ED), SLOTS)


def test_participant_names():
    assert cite.apa_name("Andrew Ross Sorkin", "x") == "Sorkin, A. R."
    assert cite.apa_name("Jean-Paul Sartre", "x") == "Sartre, J.-P."
    assert cite.apa_name("OpenAI", "x") == "OpenAI"
    assert cite.apa_name("", "山姆·奥特曼") == "山姆·奥特曼"  # no English name: the Chinese one
    four = tuple(Participant(f"p{i}", f"人{i}", f"Ann Person{i}", "") for i in range(4))
    doc = _doc(_entry(participants=four))
    assert cite.fill(cite.gbt(doc, ED), SLOTS).startswith("人0, 人1, 人2, 等. ")  # GB/T: three, then 等
    assert cite.fill(cite.apa(doc, ED), SLOTS).startswith("Person0, A., Person1, A., Person2, A., & Person3, A. (")
    one = _doc(_entry(participants=four[:1]))
    assert cite.fill(cite.apa(one, ED), SLOTS).startswith("Person0, A. (2024")


def test_short_form_nests_book_title_marks():
    got = cite.fill(cite.short(_doc(), ED), SLOTS)
    assert got == ("——山姆·奥特曼、安德鲁·罗斯·索尔金《奥特曼在〈纽约时报〉DealBook峰会：不该选非营利结构》¶p3-12，"
                   "凤凰科技，2024年12月7日；《奥特曼与OpenAI访谈五种·读者版》。https://example.org/ed/2024-12-dealbook-altman/#p3-12")


def test_hostile_values_stay_text_in_the_element():
    evil = "</script><script>alert(1)</script><!--&amp;{#x} `x` **y**"
    doc = _doc(_entry(title=evil, outlet=evil, participants=(Participant("a", evil, evil, ""),)))
    html = cite.element(doc, ED)
    assert html.count("</script") == 1 and html.endswith("</script>")
    assert "<" not in html[len('<script type="application/json" id="cite-meta">'):-len("</script>")]
    assert "&amp;" not in html and "\u2028" not in cite.to_json("a\u2028b")
    data = json.loads(ELEMENT.fullmatch(html).group(1))
    assert cite.fill(data["gbt"], SLOTS).startswith(f"{evil}. {evil}[EB/OL]. {evil}, 2024-12-07")


def test_dublin_core_says_what_the_citations_say():
    """The head's dcterms.* tags (for Zotero and other reference managers): participants, title,
    outlet and date as in the GB/T citation, the page's language, and the edition as the site."""
    assert cite.dublin_core(_doc(), "zh-Hans", ED) == [
        ("dcterms.title", "奥特曼在《纽约时报》DealBook峰会：不该选非营利结构"),
        ("dcterms.creator", "山姆·奥特曼"), ("dcterms.creator", "安德鲁·罗斯·索尔金"),
        ("dcterms.date", "2024-12-07"), ("dcterms.publisher", "凤凰科技"), ("dcterms.language", "zh-Hans"),
        ("og:site_name", ED)]
    doc = _doc(_entry(outlet="新智元（经凤凰网转载）", date="2025-03", source_url="https://example.com/a?b=1&c=2"))
    tags = dict(cite.dublin_core(doc, "zh-Hant", ED))
    assert tags["dcterms.publisher"] == "新智元" and tags["dcterms.date"] == "2025-03"
    assert "dcterms.source" not in tags and tags["dcterms.language"] == "zh-Hant"  # Zotero: the site's name


def test_every_document_page_head_names_its_citation(built_site, editions):
    """Each document page of both editions carries its dcterms.* tags and og:site_name in <head>,
    escaped once; no other page does."""
    meta = re.compile(r'<meta (?:name="(dcterms\.[a-z]+)"|property="(og:site_name)") content="([^"<>]*)">')
    for lang, ed in editions.items():
        base = built_site / ("zh-Hant" if lang == "zh-Hant" else "")
        for d in ed.docs:
            source = (base / d.entry.slug / "index.html").read_text(encoding="utf-8")
            head = source.split("</head>", 1)[0]
            found = [(dc or og, html.unescape(value)) for dc, og, value in meta.findall(head)]
            assert found == cite.dublin_core(d, lang, ed.conv(ED)), (lang, d.entry.slug)
            assert len(meta.findall(source)) == len(found)  # in the head only
        for other in ("index.html", "glossary/index.html", "people/index.html", "apparatus/index.html"):
            assert "dcterms." not in (base / other).read_text(encoding="utf-8"), (lang, other)
            assert "og:site_name" not in (base / other).read_text(encoding="utf-8"), (lang, other)


def test_bibtex_entry():
    got = cite.fill(cite.bibtex(_doc(), ED), SLOTS)
    assert got == ("@online{2024-12-dealbook-altman-p3-12,\n"
                   "  author = {Altman, Sam and Sorkin, Andrew Ross},\n"
                   "  title = {奥特曼在《纽约时报》DealBook峰会：不该选非营利结构},\n"
                   "  date = {2024-12-07},\n"
                   "  organization = {凤凰科技},\n"
                   "  note = {奥特曼与OpenAI访谈五种·读者版, ¶p3-12},\n"
                   f"  url = {{{URL}}},\n"
                   "  urldate = {2025-06-01},\n}")


def test_bibtex_names():
    assert cite.bib_name("Sam Altman", "山姆·奥特曼") == "Altman, Sam"
    assert cite.bib_name("Andrew Ross Sorkin", "") == "Sorkin, Andrew Ross"
    assert cite.bib_name("Stratechery", "") == "{Stratechery}"  # one word: never split
    assert cite.bib_name("", "山姆·奥特曼") == "{山姆·奥特曼}"  # no English name: the Chinese whole


def test_bibtex_values_cannot_end_their_field():
    evil = "}, note = {x} % \\input{/etc/passwd} #$&_~^ {"
    doc = _doc(_entry(title=evil, outlet=evil, participants=(Participant("a", evil, evil + " Smith", ""),)))
    got = cite.fill(cite.bibtex(doc, ED), SLOTS)
    body = re.sub(r"\\[{}%&$#_]|\\text[a-z]+\{\}", "", got)  # the escapes themselves
    depth = 0
    for ch in body:  # every field's braces balance: no value closes its field early
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0 and "\\input" not in body and got.count("\n  ") == 7


def test_slot_syntax_in_a_value_is_no_slot():
    doc = _doc(_entry(title='{"slot":"url"} {url} %URL%'))
    got = cite.fill(cite.gbt(doc, ED), SLOTS)
    assert '{"slot":"url"} {url} %URL%[EB/OL]' in got and got.count(URL) == 1


# --------------------------------------------------------------------------- the real editions

@pytest.fixture(scope="module")
def editions():
    return {lang: site.load_edition(ROOT, lang)[0] for lang in ("zh-Hans", "zh-Hant")}


def _href(src: str, anchor: str) -> str:
    return f"../{src[:-3]}/#{anchor}" if anchor else f"../{src[:-3]}/"


def test_every_document_page_carries_its_citations(editions):
    for lang, ed in editions.items():
        pages = ed.pages()
        for d in ed.docs:
            md = pages[f"{d.entry.slug}.md"](_href)
            found = ELEMENT.findall(md)
            assert len(found) == 1, (lang, d.entry.slug)
            data = json.loads(found[0])
            assert data["slug"] == d.entry.slug
            links = re.findall(r'<a class="para-link" href="#([^"]+)"', md)
            assert links, d.entry.slug
            live = set(d.anchors())
            for anchor in links:  # every ¶ names a live paragraph anchor, and the citation names it
                assert anchor in live and re.fullmatch(r"p\d+-\d+", anchor)
                assert anchors.resolve(ed.docs, f"{d.entry.slug}#{anchor}", "test", 0, "ref")[1] == anchor
                text = cite.fill(data["gbt"], dict(SLOTS, anchor=anchor, url=f"U#{anchor}"))
                assert f"¶{anchor}[" in text and text.endswith(f"U#{anchor}.")
            assert f"{d.title}[EB/OL]" in cite.fill(data["gbt"], SLOTS)


def test_zh_hant_citations_are_traditional(editions):
    hans = {d.entry.slug: d for d in editions["zh-Hans"].docs}
    for d in editions["zh-Hant"].docs:
        data = cite.meta(d, editions["zh-Hant"].conv(ED), editions["zh-Hant"].conv)
        assert data["labels"]["link"] == "永久鏈接" and data["labels"]["copied"] == "已複製"  # s2tw: characters only
        gbt = cite.fill(data["gbt"], SLOTS)
        assert d.title in gbt and d.title != hans[d.entry.slug].title
        for p in d.entry.participants:  # the names as the zh-Hant card prints them
            assert p.name_zh in gbt and p.name_zh in cite.fill(data["short"], SLOTS)
        assert "奥特曼" not in gbt and "凤凰" not in gbt
    dealbook = next(d for d in editions["zh-Hant"].docs if d.entry.slug == "2024-12-dealbook-altman")
    assert cite.fill(cite.gbt(dealbook, ED), SLOTS).startswith("山姆·奧特曼, 安德魯·羅斯·索爾金. ")
    assert "，鳳凰科技，2024年12月7日；《" in cite.fill(cite.short(dealbook, ED), SLOTS)
    d = hans["2024-12-dealbook-altman"]
    assert cite.meta(d, ED)["labels"]["link"] == "永久链接"


def test_every_citation_names_the_edition_in_its_script(editions):
    """Where the reader read the text: each form names the edition's title, as the home page and
    the PDF's cover print it, after the outlet that first published the article."""
    from reader import pages
    for lang, ed in editions.items():
        title = ed.conv(pages.HOME_TITLE)
        assert (title == ED) == (lang == "zh-Hans")
        for d in ed.docs:
            data = cite.meta(d, title, ed.conv)
            for form in ("gbt", "apa", "bib", "short"):
                got = cite.fill(data[form], SLOTS)
                assert got.count(title) == 1 and got.index(cite.outlet(d.entry)) < got.index(title), (lang, form)
            assert f"//{title}: ¶p3-12[" in cite.fill(data["gbt"], SLOTS)


def test_the_site_shows_the_name_the_citations_give(editions):
    """The header, the tab title and the navigation (MkDocs' site_name) say the edition's title as
    the citations, the home page and the PDF's cover do, in each script."""
    import yaml

    from reader import pages
    for lang, config in (("zh-Hans", "mkdocs.yml"), ("zh-Hant", "mkdocs.zh-Hant.yml")):
        # both files name the site themselves (mkdocs.zh-Hant.yml INHERITs the rest)
        line = next(x for x in (ROOT / config).read_text(encoding="utf-8").splitlines() if x.startswith("site_name:"))
        name = yaml.safe_load(line)["site_name"]  # the one line: the files hold !ENV tags
        assert name == editions[lang].conv(pages.HOME_TITLE), config


def test_render_places_the_element_after_the_card():
    md = render.document(_doc(), render.Labels(), _href, data=cite.element(_doc(), ED))
    card_end = md.index("</dl>")
    at = md.index('<script type="application/json" id="cite-meta">')
    assert card_end < at < md.index('id="p3-12"')
    assert "\n\n" + md[at:].split("\n")[0] + "\n\n" in md  # its own raw HTML block
    plain = render.document(_doc(), render.Labels(), _href)
    assert "cite-meta" not in plain and plain == md.replace(cite.element(_doc(), ED) + "\n\n", "")


def test_month_names_match_the_script():
    js = (ROOT / "docs" / "assets" / "cite.js").read_text(encoding="utf-8")
    assert all(f'"{m}"' in js for m in cite.MONTHS)
    assert replace(_entry(), date="2024-02").date == "2024-02" and cite.apa_date(_entry(date="2024-02")) == "2024, February"
