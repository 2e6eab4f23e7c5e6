"""Printbook: one Edition -> one HTML string, the print edition (PDF) of that script.

Data flow: (pages.Edition: docs, labels, terms, people, conv) -> book(edition, ...) -> HTML
(cover, contents, the documents, glossary, index of persons, extra parts such as the timeline,
apparatus, colophon) -> tools/pdf.py hands it with print.css to WeasyPrint. Pure: no I/O, no
MkDocs, no WeasyPrint.

The HTML is written here directly (render.esc for every piece of text, render._marked for the
paragraphs' runs), not by converting render.py's Markdown pages: the five documents share one
HTML file, so every id is qualified by its document (`<slug>.p3-12`, `glossary.<term>`,
`people.<id>`, `apparatus.<slug>.r<n>`), the print needs no ¶ links, toggles or tooltips, and
each paragraph carries its citable anchor (`p3-12`) as a small printed label. Re-writing ids in
rendered Markdown afterwards would be a second, fragile pass over markup.

Hook for later parts (the timeline, seeds/timeline.yml): `book(..., extra=[Part(...)])` puts
each Part (an id, a title and its HTML, already escaped) between the index of persons and the
apparatus, with its own contents line, running head and bookmark.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import pages, render
from .model import Block, Document, Paragraph, Section
from .render import esc

#: Print-only interface words, in Simplified; the zh-Hant book converts them (edition.conv).
WORDS = {
    "contents": "目录",
    "documents": "访谈",
    "colophon": "本版说明",
    "sources": "底本来源",
    "method": "整理方法",
    "cite": "引用",
    "edition_hans": "简体字版",
    "edition_hant": "繁体字版",
    "made": "排印",
    "anchor_note": "页边小字是段落锚点",
    "title": "篇名",
    "url": "网址",
    "see": "见",
    "mention_places": "提及之处（段落锚点）",
    "speaker_turns": "发言",
}

#: The about page's gist (docs/about.md), for the colophon. Simplified; converted for zh-Hant.
METHOD = (
    ("底本是五篇网页抓取的中文文本，存放在项目的 seeds/ 目录，从不手工改动。本版对底本的每一处改动都由程序和编者"
    "整理的校改表完成，每条都写明理由，逐条列在书末的校勘记中：删去网页残留（字号控件、分页器、评论框、版权行等），"
    "修复GBK错位造成的乱码，删去汉字后的拼音注音，把机器简转繁时误换的台湾用语改回，中文语境中的半角标点改为全角，"
    "补回粘连英文姓名之间的空格，改正确定无疑的错字。"),
    ("凡编者据残存字节和上下文推补而非底本读出的文字都加六角括号〔 〕；“□”是无法辨认的字。方括号“［编者注：…］”"
    "是本版编者的话；左边加竖线的段落是底本原编者的话，不是访谈内容。说话人标签若有误，本版改正并在校勘记写明理由。"),
    "底本有缺，本版照说：每篇开头的目录卡片都有“完整性”一栏，注明缺了什么、依据是什么。没有标题行的底本，篇名由编者拟定。",
    ("简体版是底本。繁体版由简体版经OpenCC转换（s2tw），再经本版自己的词表修正而成，并与另一个独立的转换器"
    "zhconv-rs逐字比对；它是用繁体字书写的大陆用语，不是台湾在地化的译本。"),
    ("本书与读者版网站出自同一份数据：正文是阅读文本，校改不在正文中标出，逐条列在校勘记里；术语表和人名索引"
    "只收释义与提及之处，上下文请看网站。"),
)

CITE = ("每一节、每一段都有固定的锚点，两版相同，一经发布永久有效：页边的小字（如 p3-12，第3节第12段）就是段落锚点。"
        "引用时请注明篇名、本版和锚点，例如：《{title}》，{site}，{slug}#{anchor}。")


@dataclass(frozen=True)
class Part:
    """A back-matter part from another module (e.g. the timeline): `html` is already escaped."""

    id: str  # ASCII, unique in the book
    title: str
    html: str


def _ids(slug: str, anchor: str) -> str:
    """The book-wide id of a document's anchor: the slug qualifies it (five documents share s1, p1-1)."""
    return esc(f"{slug}.{anchor}")


def _book_href(slug: str) -> render.Href:
    """href(src, anchor) for render's helpers, inside the book (one file: every link is a fragment)."""

    def href(src: str, anchor: str) -> str:
        page = src.removesuffix(".md")
        if page == "apparatus":
            return f"#apparatus.{esc(anchor)}" if anchor else "#apparatus"
        if page.endswith("/apparatus"):  # a document's apparatus page (<slug>/apparatus): rows are <slug>.r<n>
            return f"#apparatus.{esc(anchor or page.removesuffix('/apparatus'))}"
        if page in ("glossary", "people"):
            return f"#{page}.{esc(anchor)}" if anchor else f"#{page}"
        return f"#{_ids(page, anchor or 'top')}"

    return href


def book_href() -> render.Href:
    """href(src, anchor) for parts made by other modules (the timeline): every link a fragment."""
    return _book_href("")


def _wrap(terms: set[str], people: set[str]) -> render.Wrap:
    """Marks in print: a term's or name's first mention in a paragraph links to its entry (the
    link is invisible on paper, live in the PDF); corrections are not shown (see the apparatus)."""

    def wrap(m, inner: str) -> str:
        if m.first and m.kind == "term" and m.key in terms:
            return f'<a class="term" href="#glossary.{esc(m.key)}">{inner}</a>'
        if m.first and m.kind == "person" and m.key in people:
            return f'<a class="person" href="#people.{esc(m.key)}">{inner}</a>'
        return inner

    return wrap


def _alias_ids(slug: str, el: Paragraph | Section) -> str:
    return "".join(f'<span id="{_ids(slug, a)}" class="alias"></span>' for a in el.aliases)


def _para(slug: str, p: Paragraph, labels: render.Labels, wrap: render.Wrap, speaker: str = "",
          who: str = "") -> str:
    """A paragraph's inner HTML: its printed anchor, the speaker label, the text, editor's notes."""
    anchor = f'<span class="pa" aria-hidden="true">{esc(p.id)}</span>'
    name = f'<a href="{who}">{esc(speaker)}</a>' if who else esc(speaker)
    label = f'<strong class="speaker">{name}：</strong>' if speaker else ""
    notes = "".join(f'<span class="ed-note">［{esc(labels.note)}：{esc(n)}］</span>' for n in p.notes)
    return f"{_alias_ids(slug, p)}{anchor}{label}{render._marked(p, labels, wrap)}{notes}"


def _block(slug: str, block: Block, names: dict[str, str], labels: render.Labels, wrap: render.Wrap,
           who: dict[str, str]) -> str:
    if block.kind in ("list", "olist"):
        tag = "ol" if block.kind == "olist" else "ul"

        def item(p: Paragraph) -> str:
            value = f' value="{p.value}"' if p.value else ""
            return f'<li id="{_ids(slug, p.id)}"{value}>{_para(slug, p, labels, wrap)}'

        return render.list_html(tag, block.paragraphs, item)
    if block.kind == "note":  # the source's own editors
        return "".join(f'<p id="{_ids(slug, p.id)}" class="source-note">{_para(slug, p, labels, wrap)}</p>'
                       for p in block.paragraphs)
    if block.kind == "turn":
        name = names.get(block.speaker, block.speaker)
        link = who.get(block.speaker, "")
        return '<div class="turn">' + "".join(
            f'<p id="{_ids(slug, p.id)}">{_para(slug, p, labels, wrap, name if i == 0 else "", link)}</p>'
            for i, p in enumerate(block.paragraphs)) + "</div>"
    return "".join(f'<p id="{_ids(slug, p.id)}">{_para(slug, p, labels, wrap)}</p>' for p in block.paragraphs)


def _card(doc: Document, labels: render.Labels) -> str:
    """The catalog card under a document's title (as on the site, without links out of the book
    except the source URL)."""
    e = doc.entry
    rows = [(labels.title, esc(labels.editor_title))] if not e.title_line else []
    how = labels.printed if e.date_source == "printed" else labels.inferred
    rows += [(labels.outlet, esc(e.outlet)),
             (labels.date, f"{esc(render.format_date(e))}（{esc(how)}）"
                           + (f'<br><small>{esc(e.date_note)}</small>' if e.date_note else "")),
             (labels.event, esc(e.event)),
             (labels.speakers, "<br>".join(f"{esc(p.name_zh)}（{esc(p.name_en)}）：{esc(p.role)}"
                                           for p in e.participants)),
             (labels.completeness, _completeness(e, labels))]
    url = render.esc_url(e.source_url)
    if url:
        rows.append((labels.source, f'<a class="url" href="{url}">{url}</a>'))
    rows.append((labels.seed, f"<code>seeds/{esc(e.seed)}</code>"))
    rows.append((labels.apparatus, f'<a href="#apparatus.{esc(e.slug)}">{len(doc.changes)} {esc(labels.changes)}</a>'))
    return '<dl class="card">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _completeness(e, labels: render.Labels) -> str:
    if e.completeness == "partial":
        return (f'<strong>{esc(labels.partial)}</strong>。{esc(labels.missing)}：{esc(e.missing)}'
                f'<br><small>{esc(labels.evidence)}：{esc(e.completeness_note)}</small>')
    return esc(labels.complete) + (f'<br><small>{esc(e.completeness_note)}</small>' if e.completeness_note else "")


def document(doc: Document, labels: render.Labels, terms: set[str], people: set[str]) -> str:
    """One document as an <article>: title (h1, running head, bookmark), card, sections."""
    slug = doc.entry.slug
    names = {p.id: p.name_zh for p in doc.entry.participants}
    who = {p.id: f"#people.{esc(p.id)}" for p in doc.entry.participants if p.id in people}
    wrap = _wrap(terms, people)
    out = [f'<article class="doc" id="{esc(slug)}">',
           f'<h1 class="doc-title" id="{_ids(slug, "top")}">{esc(doc.title)}</h1>', _card(doc, labels)]
    for s in doc.sections:
        out.append(_alias_ids(slug, s))
        if s.heading:
            level = min(max(s.level, 2), 4)
            out.append(f'<h{level} id="{_ids(slug, s.id)}">{render.heading(s.heading)}</h{level}>')
        else:
            out.append(f'<span id="{_ids(slug, s.id)}" class="alias"></span>')
        out += [_block(slug, b, names, labels, wrap, who) for b in s.blocks]
    out.append("</article>")
    return "\n".join(out)


def glossary(edition: pages.Edition) -> str:
    """Headword, English, definition, related terms and the count of mentions per term (pinyin order)."""
    from .annotate import mentions

    c, labels, hant = edition.conv, edition.labels, edition.lang == "zh-Hant"
    found = mentions(edition.docs, "term")
    by_id = {t.id: t for t in edition.terms}

    def head(t) -> str:
        return t.headword_hant if hant else t.headword

    out = [f'<section class="back glossary" id="glossary"><h1 id="glossary.top">{esc(c(pages.GLOSSARY_TITLE))}</h1>']
    for t in render.glossary_order(edition.terms):
        n = len(found.get(t.id, []))
        related = "、".join(f'<a href="#glossary.{esc(r)}">{esc(head(by_id[r]))}</a>' for r in t.related if r in by_id)
        out.append(f'<div class="entry" id="glossary.{esc(t.id)}"><h3>{esc(head(t))}'
                   f' <span class="en" lang="en">{esc(t.english)}</span></h3>'
                   f'<p>{render.esc_words(t.definition_hant if hant else t.definition)}</p>'
                   f'<p class="meta">{esc(labels.mentions)}：{n}'
                   + (f"；{esc(labels.related)}：{related}" if related else "") + "</p></div>")
    out.append("</section>")
    return "\n".join(out)


def people_index(edition: pages.Edition) -> str:
    """Persons, then organizations (pinyin order): names, identification, speaker turns, and
    every mention as a link to its paragraph anchor, grouped per document."""
    from .annotate import mentions

    c, labels, hant = edition.conv, edition.labels, edition.lang == "zh-Hant"
    found = mentions(edition.docs, "person")
    turns = Counter((d.entry.slug, b.speaker) for d in edition.docs for s in d.sections for b in s.blocks
                    if b.kind == "turn")
    out = [f'<section class="back people" id="people"><h1 id="people.top">{esc(c(pages.PEOPLE_TITLE))}</h1>']
    for kind, title, gid in (("person", labels.persons, "persons"), ("organization", labels.organizations,
                                                                    "organizations")):
        out.append(f'<h2 id="people.{gid}">{esc(title)}</h2>')
        for p in render.people_order([p for p in edition.people if p.kind == kind]):
            name, english = render.name_with_english(p.name_hant if hant else p.name_zh, p.name_en)
            en = f' <span class="en" lang="en">{esc(english)}</span>' if english else ""
            body = [f'<p>{render.esc_words(p.identification_hant if hant else p.identification)}</p>']
            spoke = [(d, turns[(d.entry.slug, p.id)]) for d in edition.docs
                     if any(q.id == p.id for q in d.entry.participants)]
            if spoke:
                body.append(f'<p class="meta">{esc(labels.turns)}：' + "；".join(
                    f'<a href="#{esc(d.entry.slug)}">{esc(render.short_name(d))}</a> '
                    + (f"{n}{esc(labels.turn_count)}" if render.has_turns(d)
                       else f"（{esc(labels.no_turns)}）")  # as the site says it
                    for d, n in spoke) + "</p>")
            hits = found.get(p.id, [])
            refs = []
            for d in edition.docs:
                mine = list(dict.fromkeys(a for hd, a, *_ in hits if hd is d))
                if mine:
                    refs.append(f'<span class="refdoc">{esc(render.short_name(d))}</span> ' + " ".join(
                        f'<a class="ref" href="#{_ids(d.entry.slug, a)}">{esc(a)}</a>' for a in mine))
            if refs:
                body.append('<p class="refs">' + "；".join(refs) + "</p>")
            out.append(f'<div class="entry" id="people.{esc(p.id)}"><h3>{esc(name)}{en}</h3>{"".join(body)}</div>')
    out.append("</section>")
    return "\n".join(out)


def apparatus(edition: pages.Edition) -> str:
    """The apparatus (校勘记) as on the site: per document the counts per kind, then every change
    with its place (anchor, printed page, source line)."""
    c, labels = edition.conv, edition.labels
    kinds = {k: c(v) for k, v in pages.KINDS.items()}
    out = [f'<section class="back apparatus" id="apparatus"><h1 id="apparatus.top">{esc(c(pages.APPARATUS_TITLE))}</h1>',
           f'<p class="intro">{esc(c(pages.APPARATUS_INTRO))}</p>']
    for d in edition.docs:
        slug = d.entry.slug
        out.append(f'<h2 id="apparatus.{esc(slug)}">{esc(d.title)}</h2>')
        if d.entry.completeness == "partial":
            out.append(f'<p class="partial-note"><strong>{esc(labels.partial)}</strong>。{esc(labels.missing)}：'
                       f'{esc(d.entry.missing)}</p>')
        counts = Counter(ch.kind for ch in d.changes)
        out.append('<p class="counts">' + "；".join(
            f"{esc(kinds.get(k, k))} {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            + f"；{esc(labels.total)} {len(d.changes)}</p>")
        rows = []
        for k, gone, (ch, n, befores, afters, _) in render.numbered_rows(d):
            where = render.row_aliases(esc(slug), gone, "apparatus.") + (
                f'<a class="ref" href="#{_ids(slug, ch.anchor)}">{esc(ch.anchor)}</a>' if ch.anchor else "")
            before = " ".join(f"<del>{b}</del>" for b in befores if b)
            after = " ".join(f"<ins>{a}</ins>" for a in afters if a) or esc(labels.removed)
            times = f' <span class="times">×{n}</span>' if n > 1 else ""
            rows.append(f'<tr id="apparatus.{esc(slug)}.r{k}"><td class="where">{where} <small>L{ch.line}</small></td>'
                        f"<td>{esc(kinds.get(ch.kind, ch.kind))}{times}</td><td>{before}</td><td>{after}</td>"
                        f"<td>{esc(ch.reason)}</td></tr>")
        out.append(f'<table class="changes"><thead><tr><th>{esc(labels.place)}</th><th>{esc(labels.kind)}</th>'
                   f"<th>{esc(labels.before)}</th><th>{esc(labels.after)}</th><th>{esc(labels.reason)}</th></tr>"
                   f'</thead><tbody>{"".join(rows)}</tbody></table>')
    out.append("</section>")
    return "\n".join(out)


def colophon(edition: pages.Edition, made: str) -> str:
    """Sources (catalog: outlet, date, URL, completeness, the seed and, when the edition carries
    them, its SHA-256), method (the about page's gist), how to cite."""
    c, labels = edition.conv, edition.labels
    w = {k: c(v) for k, v in WORDS.items()}
    rows = []
    sums = {f.name: f.sha256 for f in edition.sources}  # the seeds as shipped in sources/ (when given)
    for d in edition.docs:
        e = d.entry
        url = render.esc_url(e.source_url)
        how = labels.printed if e.date_source == "printed" else labels.inferred
        rows.append(f'<div class="source"><p class="st"><a href="#{esc(e.slug)}">{esc(d.title)}</a>'
                    f' <code>{esc(e.slug)}</code></p>'
                    f"<p>{esc(labels.outlet)}：{esc(e.outlet)}；{esc(labels.date)}：{esc(render.format_date(e))}"
                    f"（{esc(how)}）；{esc(labels.event)}：{esc(e.event)}</p>"
                    f"<p>{esc(labels.completeness)}：{_completeness(e, labels)}</p>"
                    + (f'<p class="url">{esc(w["url"])}：<a href="{url}">{url}</a></p>' if url else "")
                    + f"<p>{esc(labels.seed)}：<code>seeds/{esc(e.seed)}</code>"
                    + (f'（SHA-256 <code class="sha256">{esc(sums[e.seed])}</code>）' if e.seed in sums else "")
                    + "</p></div>")
    first = edition.docs[0] if edition.docs else None
    cite = ""
    if first is not None:
        anchor = next((p.id for p in first.paragraphs()), "top")
        cite = esc(c(CITE).format(title=first.title, site=c(pages.HOME_TITLE), slug=first.entry.slug, anchor=anchor))
    out = [f'<section class="back colophon" id="colophon"><h1 id="colophon.top">{esc(w["colophon"])}</h1>',
           f'<h2 id="colophon.sources">{esc(w["sources"])}</h2>',
           "".join(rows),
           f'<h2 id="colophon.method">{esc(w["method"])}</h2>']
    out += [f"<p>{esc(c(m))}</p>" for m in METHOD]
    out += [f'<h2 id="colophon.cite">{esc(w["cite"])}</h2>', f"<p>{cite}</p>"]
    if made:
        out.append(f'<p class="made">{esc(w["made"])}：{esc(made)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _contents(edition: pages.Edition, parts: list[tuple[str, str]], w: dict[str, str]) -> str:
    """Contents with real page numbers: each entry is a link whose page CSS prints with
    target-counter(attr(href), page)."""
    items = []
    for d in edition.docs:
        subs = "".join(f'<li><a href="#{_ids(d.entry.slug, s.id)}">{render.heading(s.heading)}</a></li>'
                       for s in d.sections if s.heading and s.level <= 2)
        items.append(f'<li class="doc-entry"><a href="#{_ids(d.entry.slug, "top")}">{esc(d.title)}</a>'
                     + (f'<ol class="sections">{subs}</ol>' if subs else "") + "</li>")
    items += [f'<li class="back-entry"><a href="#{esc(pid)}.top">{esc(title)}</a></li>' for pid, title in parts]
    return (f'<nav class="contents" id="contents"><h1 id="contents.top">{esc(w["contents"])}</h1>'
            f'<ol class="toc">{"".join(items)}</ol></nav>')


def _cover(edition: pages.Edition, w: dict[str, str]) -> str:
    c = edition.conv
    which = w["edition_hant"] if edition.lang == "zh-Hant" else w["edition_hans"]
    docs = "".join(f"<li>{esc(d.title)}<br><small>{esc(d.entry.outlet)} · {esc(render.format_date(d.entry))}</small></li>"
                   for d in edition.docs)
    return (f'<section class="cover" id="cover"><p class="cover-title">{esc(c(pages.HOME_TITLE))}</p>'
            f'<p class="cover-edition">{esc(which)}</p><ol class="cover-docs">{docs}</ol>'
            f'<p class="cover-intro">{esc(c(pages.HOME_INTRO))}</p></section>')


def _part_renderer(p: Part) -> Callable[[], str]:
    return lambda: (f'<section class="back extra" id="{esc(p.id)}"><h1 id="{esc(p.id)}.top">{esc(p.title)}</h1>'
                    f"{p.html}</section>")


def book(edition: pages.Edition, *, created: str = "", made: str = "", extra: list[Part] | None = None,
         stylesheet: str = "") -> str:
    """The whole print HTML of one edition. `created`: W3C date-time for the PDF metadata
    (from SOURCE_DATE_EPOCH; "" for none); `made`: the date printed in the colophon; `extra`:
    parts placed after the index of persons (the timeline, when it lands); `stylesheet`: a
    relative URL linked from <head> ("" when the caller passes the CSS to WeasyPrint itself)."""
    c = edition.conv
    w = {k: c(v) for k, v in WORDS.items()}
    terms = {t.id for t in edition.terms}
    people = {p.id for p in edition.people}
    back: list[tuple[str, str, Callable[[], str]]] = []
    if edition.terms:
        back.append(("glossary", c(pages.GLOSSARY_TITLE), lambda: glossary(edition)))
    if edition.people:
        back.append(("people", c(pages.PEOPLE_TITLE), lambda: people_index(edition)))
    for part in extra or []:
        back.append((part.id, part.title, _part_renderer(part)))
    back.append(("apparatus", c(pages.APPARATUS_TITLE), lambda: apparatus(edition)))
    back.append(("colophon", w["colophon"], lambda: colophon(edition, made)))
    title = c(pages.HOME_TITLE)
    which = w["edition_hant"] if edition.lang == "zh-Hant" else w["edition_hans"]
    head = [f'<meta charset="utf-8"><title>{esc(title)}（{esc(which)}）</title>',
            f'<meta name="description" content="{esc(c(pages.HOME_INTRO))}">',
            '<meta name="generator" content="reader edition: hooks/reader/printbook.py">']
    if created:
        head += [f'<meta name="dcterms.created" content="{esc(created)}">',
                 f'<meta name="dcterms.modified" content="{esc(created)}">']
    if stylesheet:
        head.append(f'<link rel="stylesheet" href="{esc(stylesheet)}">')
    body = [_cover(edition, w), _contents(edition, [(pid, t) for pid, t, _ in back], w)]
    body += [document(d, edition.labels, terms, people) for d in edition.docs]
    body += [make() for _, _, make in back]
    return (f'<!DOCTYPE html>\n<html lang="{esc(edition.lang)}">\n<head>{"".join(head)}</head>\n'
            f'<body class="{esc(edition.lang)}">\n' + "\n".join(body) + "\n</body>\n</html>\n")
