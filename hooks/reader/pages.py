"""Pages: a Corpus and an edition -> the generated pages of that edition (src path -> Markdown).

Data flow: (Corpus, edition "zh-Hans" | "zh-Hant", Converter) -> Edition, whose pages are
rendered by render.py once the hook can resolve links between them (href). Also the twin
link of a page and the jieba search terms. Pure: no MkDocs, no I/O.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from . import cite, downloads, kinds, render, script, timeline
from .corpus import Corpus, Remember, direct
from .downloads import Download
from .model import Document, EditionError

EDITIONS = ("zh-Hans", "zh-Hant")
HOME_TITLE = "奥特曼与OpenAI访谈五种·读者版"
HOME_INTRO = ("五篇中文网络报道的整理本：OpenAI的奥特曼、莱特卡普与威尔在《纽约时报》DealBook峰会、Stratechery、"
              "20VC、彭博社和Ray Summit上的访谈。底本为网页抓取的文本，本版清除了网页残留、乱码、拼音注音和"
              "繁简误转，每一处改动都记在校勘记里；每一节、每一段都有固定的锚点，可供引用。")
APPARATUS_TITLE = "校勘记"
APPARATUS_INTRO = ("本页逐篇列出底本到本版的每一处删改：位置（可点击的段落锚点与底本行号）、类别、原文、校改和理由。"
                   "同一段中理由相同的改动合为一行，并注明次数。繁简转换逐字进行，不逐条列出。"
                   "引录底本的体例：删去的拼音注音只录注音本身，如“（rèn）”；乱码中丢失的字节逐个以加框的“?”表示；"
                   "整行删去的网页残留按本版标点体例显示；删去的空格显示为“␣”。"
                   "版式上的处理不计为校改：项目符号（•、·）和编号（1.）改排为列表，行首缩进与空行不保留。")
APPARATUS_INDEX_INTRO = ("校勘记逐篇列出底本到本版的每一处删改。本页是总表：各篇每类改动的次数，以及各篇逐条校勘记的链接；"
                         "逐条校勘记列出每一处删改的位置（可点击的段落锚点与底本行号）、类别、原文、校改和理由。"
                         "繁简转换逐字进行，不逐条列出。")
#: One document's apparatus page (<slug>/apparatus/): its title and intro ({n} changes in {rows} rows).
APPARATUS_DOC_TITLE = "校勘记：{title}"
APPARATUS_DOC_INTRO = ("本篇从底本到本版共有{n}处删改，合为{rows}行。每行列出位置（可点击的段落锚点与底本行号）、类别、原文、"
                       "校改和理由；同一段中理由相同的改动合为一行，类别后的“×2”等注明次数，几种不同的原文或校改以“｜”隔开。"
                       "引录底本的体例：删去的拼音注音只录注音本身，如“（rèn）”；乱码中丢失的字节逐个以加框的“?”表示；"
                       "整行删去的网页残留按本版标点体例显示；删去的空格显示为“␣”。"
                       "版式上的处理不计为校改：项目符号（•、·）和编号（1.）改排为列表，行首缩进与空行不保留。"
                       "各篇各类改动的次数见")
GLOSSARY_TITLE = "术语表"
GLOSSARY_INTRO = ("这几篇访谈里读者可能需要查一查的术语：每条有英文名、文中的各种叫法、本版编者写的释义，"
                  "以及它在各篇中出现的次数和每一处的上下文（点击可跳到原段落）。正文中每段第一次出现的术语链接到这里，"
                  "鼠标悬停、键盘聚焦或在触摸屏上轻点一次时显示简短释义，再点一次跳到这里。"
                  "词条按汉语拼音排序，以字母开头的词条按字母排在其中。")
PEOPLE_TITLE = "人名索引"
PEOPLE_INTRO = ("这几篇访谈提到的人物和机构，各列一次：中英文名、文中的各种叫法、本版编者写的一句说明，"
                "访谈对象在各篇中的发言次数，以及每一处提及的上下文（点击可跳到原段落）。正文中每段第一次出现的"
                "人名或机构名链接到这里，说话人标签链接到其人。人物和机构各按汉语拼音排序。")
HOME_MORE = "另见："  # before the links to the other pages, below the cards
NOT_FOUND_TITLE = "找不到这一页"
NOT_FOUND_TEXT = "这个地址上没有页面：地址可能写错了，或者页面已经改名。请从下面的目录找要读的篇目。"
NOT_FOUND_CONTENTS = "目录"
NOT_FOUND_TWIN = {"zh-Hant": "繁体版首页", "zh-Hans": "简体版首页"}
#: A generated page -> its intro, whose first sentence is the page's description.
INTROS = {"index.md": HOME_INTRO, "apparatus.md": APPARATUS_INDEX_INTRO, "glossary.md": GLOSSARY_INTRO,
          "people.md": PEOPLE_INTRO, downloads.SRC: downloads.DESCRIPTION}
KINDS = kinds.LABELS  # change kind -> its label (zh-Hans): the table is hooks/reader/kinds.py


@dataclass
class Edition:
    lang: str
    docs: list[Document]
    labels: render.Labels
    conv: Callable[[str], str] = field(default=lambda s: s)
    terms: list = field(default_factory=list)  # annotate.Term, for the glossary and term links
    people: list = field(default_factory=list)  # annotate.Person, for the people page and name links
    timeline: timeline.Timeline = field(default_factory=timeline.Timeline)  # seeds/timeline.yml
    downloads: list = field(default_factory=list)  # downloads.Download: what READER_DOWNLOADS ships
    sources: list = field(default_factory=list)  # downloads.Download: the seeds and SHA256SUMS (sources/)

    def pages(self) -> dict[str, Callable[[render.Href], str]]:
        """src path -> a function that renders the page once links can be resolved."""
        c = self.conv
        out: dict[str, Callable[[render.Href], str]] = {
            "index.md": lambda href: render.home(c(HOME_TITLE), c(HOME_INTRO), self.docs, self.labels, href,
                                                 (c(HOME_MORE), [(c(t), src) for t, src in self.more_pages()])),
            "apparatus.md": lambda href: render.apparatus(
                c(APPARATUS_TITLE), c(APPARATUS_INDEX_INTRO), self.docs, {k: c(v) for k, v in KINDS.items()},
                self.labels, href),
        }
        for d in self.docs:  # one apparatus page per document (render.apparatus_page)
            out[render.apparatus_src(d.entry.slug)] = (lambda doc: lambda href: render.apparatus_page(
                *self.apparatus_texts(doc), doc, {k: c(v) for k, v in KINDS.items()}, self.labels, href))(d)
        hant = self.lang == "zh-Hant"
        kinds = {k: c(v) for k, v in KINDS.items()}
        glosses = render.glosses(self.terms, hant)
        if self.terms:
            out["glossary.md"] = lambda href: render.glossary(c(GLOSSARY_TITLE), c(GLOSSARY_INTRO), self.terms,
                                                              self.docs, self.labels, href, hant, c)
        people = render.people_glosses(self.people, hant)
        if self.people:
            out["people.md"] = lambda href: render.people_index(c(PEOPLE_TITLE), c(PEOPLE_INTRO), self.people,
                                                                self.docs, self.labels, href, hant, c)
        if self.timeline.events:
            out["timeline.md"] = lambda href: timeline.page(self.timeline, self.docs, self.people, href, hant, c)
            out["timeline.json"] = lambda href: timeline.tjs(self.timeline, self.docs, href, hant, c, c(HOME_TITLE))
        out[downloads.SRC] = lambda href: downloads.page(
            self.downloads, *root_href(href, hant), href("timeline.json", "") if self.timeline.events else None, c,
            self.seed_files())
        for d in self.docs:
            out[f"{d.entry.slug}.md"] = (lambda doc: lambda href: render.document(
                doc, self.labels, href, glosses, kinds, people=people, data=cite.element(doc, c(HOME_TITLE), c)))(d)
        return out

    def seed_files(self) -> list[tuple[str, Download]]:
        """The sources the downloads page offers, each with what it is, in this edition's script:
        the document's short name; SHA256SUMS, last, as the list of their checksums."""
        by_seed = {d.entry.seed: render.short_name(d) for d in self.docs}
        return [(by_seed.get(f.name) or self.conv(downloads.SUMS_LABEL), f) for f in self.sources]

    def side_pages(self) -> list[tuple[str, str]]:
        """(title, src) of the generated pages after the apparatus in the navigation, in its order."""
        return (([(GLOSSARY_TITLE, "glossary.md")] if self.terms else [])
                + ([(PEOPLE_TITLE, "people.md")] if self.people else [])
                + ([(timeline.TITLE, "timeline.md")] if self.timeline.events else [])
                + [(downloads.TITLE, downloads.SRC)])

    def more_pages(self) -> list[tuple[str, str]]:
        """(title, src) of the pages beside the documents, for the home page (about.md is
        hand-written: href knows the generated pages only)."""
        return [(APPARATUS_TITLE, "apparatus.md"), *self.side_pages()]

    def apparatus_texts(self, d: Document) -> tuple[str, str]:
        """(title, intro) of a document's apparatus page, in the edition's script (the slots are
        filled after conversion and by replace, not format: a table's braces stay text)."""
        rows = len(render._group(d.changes))
        return (self.conv(APPARATUS_DOC_TITLE).replace("{title}", d.title),
                self.conv(APPARATUS_DOC_INTRO).replace("{n}", str(len(d.changes))).replace("{rows}", str(rows)))

    def nav(self) -> list:
        c = self.conv
        def t(text: str) -> str:  # every nav title is text: Material prints nav titles unescaped
            return render.nav_title(c(text))

        return ([{t("首页"): "index.md"},
                {t("访谈"): [{render.nav_title(d.title): f"{d.entry.slug}.md"} for d in self.docs]},
                # under 校勘记 each document by its short name (event and date, as in the tables and the
                # timeline): its full title is already in the list above, and the sidebar then fits
                # a laptop's height (Material scrolled it to the active item, hiding the first label)
                {t(APPARATUS_TITLE): [{t("总表"): "apparatus.md"}]
                 + [{render.nav_title(render.short_name(d)): render.apparatus_src(d.entry.slug)} for d in self.docs]}]
                + [{t(title): src} for title, src in self.side_pages()]
                + [{t("关于本版"): "about.md"}])


def root_href(href: render.Href, hant: bool) -> tuple[str, bool]:
    """(the site root relative to a generated page, whether the build is the offline bundle):
    its edition's home, one folder up for zh-Hant ("../", "../../"; offline, where links name
    .html files, "", "../")."""
    home = href("index.md", "")
    offline = home.endswith("index.html")
    base = home[:-len("index.html")] if offline else ("" if home == "./" else home)
    return base + ("../" if hant else ""), offline


#: Names a document slug may not take: the edition's generated and hand-written pages, MkDocs'
#: and Material's folders, the zh-Hant edition's folder, and ids of the pages (the apparatus
#: page uses each slug as an id, plus <slug>-counts and <slug>-changes).
RESERVED = {"index": "the home page", "apparatus": "the apparatus page (校勘记)", "glossary": "the glossary page",
            "people": "the index of persons and organizations (人名索引)", "timeline": "the timeline page (时间线)",
            "about": "docs/about.md", "downloads": "the downloads page (下载与数据) and its folder",
            "top": "the id of every page's title", "search": "the search index folder",
            "assets": "the theme's assets folder", "404": "the not-found page", "sitemap": "the sitemap",
            "zh-hant": "the zh-Hant edition's folder", "zh-hans": "the zh-Hans edition"}
RESERVED_SUFFIXES = ("-counts", "-changes")


def check_slugs(corpus: Corpus) -> None:
    """A slug that would replace a generated page or duplicate an id is refused, naming the catalog line."""
    for d in corpus.docs:
        slug, line = d.entry.slug, d.entry.line
        if slug in RESERVED:
            raise EditionError("seeds/catalog.yml", line, "slug",
                               f"{slug!r} is reserved ({RESERVED[slug]}); choose another slug")
        if slug.endswith(RESERVED_SUFFIXES):
            raise EditionError("seeds/catalog.yml", line, "slug",
                               f"{slug!r} ends like an id of the apparatus page ({', '.join(RESERVED_SUFFIXES)})")


def document_at(docs: list[Document], src: str) -> Document | None:
    """The document whose page is `src` (<slug>.md), if any."""
    return next((d for d in docs if f"{d.entry.slug}.md" == src), None)


def page_owner(docs: list[Document], src: str) -> str:
    """Who makes the generated page `src`: for a clash message naming both sides."""
    if (d := document_at(docs, src)) is not None:
        return f"the document of seeds/catalog.yml:{d.entry.line} (slug {d.entry.slug!r})"
    return "the edition's own generated page"


def _doc_to_hant(doc: Document, hant_rules) -> tuple[Document, frozenset[str]]:
    """One Document in zh-Hant with a converter of its own: the Document and the ids of the phrase
    rules it used (a remembered result carries them to the edition's converter)."""
    conv = script.Converter(hant_rules)
    return script.to_hant(doc, conv), frozenset(conv.used)


def make_edition(corpus: Corpus, lang: str, hant_rules=None, remember: Remember = direct) -> Edition:
    """The edition of `lang`; for zh-Hant each Document is converted through `remember` (corpuscache's
    memo under `make serve`: a rebuild converts again only the documents an edit changed)."""
    if lang not in EDITIONS:
        raise ValueError(f"unknown edition {lang!r}; one of {EDITIONS}")
    check_slugs(corpus)
    if lang == "zh-Hans":
        return Edition(lang, corpus.docs, render.Labels(), terms=corpus.terms, people=corpus.people,
                       timeline=corpus.timeline)
    conv = script.Converter(hant_rules)
    base = render.Labels()
    labels = render.Labels(**{f.name: conv(getattr(base, f.name)) for f in fields(base)})
    docs = []
    for d in corpus.docs:
        doc, used = remember("zh-Hant", (d, hant_rules), _doc_to_hant, d, hant_rules)
        conv.used |= used
        docs.append(doc)
    return Edition(lang, docs, labels, conv, corpus.terms, corpus.people, corpus.timeline)


def twin_href(page_url: str, lang: str) -> str:
    """Relative URL of the same page in the other edition (zh-Hant lives under zh-Hant/)."""
    depth = page_url.count("/")
    if lang == "zh-Hans":
        return "../" * depth + "zh-Hant/" + page_url
    return "../" * (depth + 1) + page_url


def search_terms(corpus: Corpus, extra: list[str]) -> list[str]:
    """Words jieba must keep whole: participants' names (and their parts) and listed terms."""
    terms: set[str] = set(extra)
    for d in corpus.docs:
        for p in d.entry.participants:
            terms.add(p.name_zh)
            terms.update(part for part in p.name_zh.split("·") if len(part) > 1)
        terms.update(label for label in d.entry.speakers if len(label) > 1)
    terms.update(people_terms(corpus))
    terms.update(glossary_terms(corpus))
    return sorted(terms)


def glossary_terms(corpus: Corpus) -> set[str]:
    """Every headword (both scripts) and alias of seeds/glossary.yml, so that 通用人工智能 and
    超级智能 are single search tokens (the zh-Hant build adds each Traditional form). Forms with
    a space are left out: jieba never joins across a space."""
    out: set[str] = set()
    for t in corpus.terms:
        out.update(f for f in (t.headword, t.headword_hant) + t.aliases if " " not in f)
    return out


def people_terms(corpus: Corpus) -> set[str]:
    """Every name of seeds/people.yml that jieba should keep whole: name_zh, name_hant, name_en
    and the aliases (the zh-Hant build adds the Traditional form of each). Forms with a space
    are left out: jieba never joins across a space, so they cannot be one token anyway."""
    out: set[str] = set()
    for p in corpus.people:
        for form in (*p.forms(), p.name_hant):
            if not any(ch.isspace() for ch in form):
                out.add(form)
            if "·" in form:
                out.update(part for part in form.split("·") if len(part) > 1)
    return out

