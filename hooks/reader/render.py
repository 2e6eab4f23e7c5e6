"""Render: Document (either script) -> Markdown for MkDocs. The one place text is escaped.

Data flow: (Document, Labels, href) -> str. Source text is text, never Markdown, HTML or
Jinja: esc() turns every character that HTML, Markdown or its extensions could read as
syntax into a character reference, so what the seed holds is what the reader sees. Headings
are Markdown (so the table of contents sees them) with ids from the Document; everything
else is raw HTML blocks. Links between pages come from `href(src_path, anchor)`, which the
hook builds from MkDocs' own File objects (so they are relative and work from file://).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .cjk import RANGE
from .kinds import WHOLE_LINE
from .model import Block, CatalogEntry, Change, Document, Mark, Paragraph, Section

Href = Callable[[str, str], str]

# HTML specials, Markdown inline syntax, pymdown syntax (== ^^ ~~ ++ --8<--), attr_list
# braces, Jinja braces and percent signs, and bidi/zero-width controls, which would make the
# page say something else than the text: all become numeric character references.
_SPECIAL = set("&<>\"'\\`*_[](){}#!|~^=+-:%$@")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _esc_table() -> dict[int, str]:
    table = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
    table.update({ord(ch): " " for ch in "\n\r\t"})
    shown = [*range(32), 127, *(cp for cp in range(0x10000) if _INVISIBLE.match(chr(cp)))]  # _INVISIBLE: BMP only
    table.update({cp: f"⟨U+{cp:04X}⟩" for cp in shown if cp not in table})
    return table


# invisible and control characters are shown, never obeyed or dropped (a bidi override must
# not reorder the page); one str.translate pass over the text
_ESC = _esc_table()


def esc(text: str) -> str:
    """Escape source text for both HTML and Markdown contexts (idempotent on its output)."""
    return text.translate(_ESC)


#: A section number the source runs into its heading ("01七年前创建OpenAI"): two digits, the
#: first 0, then a Han character. A year or a count ("2024年…", "10年后") never matches.
_SECTION_NUMBER = re.compile(f"(0[0-9])(?=[{RANGE}])")


def heading(text: str) -> str:
    """A heading's text, escaped, its section number (if any) in <span class="secno">, which the
    stylesheets set apart where no text-autospace does: the text itself is unchanged."""
    m = _SECTION_NUMBER.match(text)
    return f'<span class="secno">{m.group(1)}</span>{esc(text[2:])}' if m else esc(text)


_NAV = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})


def nav_title(text: str) -> str:
    """A title for MkDocs' nav, which Material prints without escaping (and strips of tags
    for <title>): markup characters become their full-width forms, which read the same in
    Chinese text and can never be markup. The page's own H1 keeps the exact text via esc()."""
    return _INVISIBLE.sub("", text).translate(_NAV)


def esc_url(url: str) -> str:
    """Only http(s) URLs become links; the catalog validates them, this is the last guard."""
    if not re.match(r"^https?://[^\s<>\"'`]+$", url):
        return ""
    return esc(url)


@dataclass(frozen=True)
class Labels:
    """Interface words, in the script of the edition being rendered."""

    outlet: str = "来源"
    date: str = "日期"
    event: str = "场合"
    speakers: str = "对话者"
    source: str = "原文"
    seed: str = "底本"
    apparatus: str = "校勘记"
    apparatus_index: str = "校勘记总表"
    apparatus_rows: str = "逐条校勘记"
    inferred: str = "推定"
    printed: str = "原文所载"
    para_link: str = "本段链接"
    section_link: str = "本节链接"
    changes: str = "处校改"
    kind: str = "类别"
    place: str = "位置"
    before: str = "原文"
    after: str = "校改"
    reason: str = "理由"
    count: str = "次数"
    total: str = "合计"
    removed: str = "（删去）"
    read: str = "阅读全文"
    lacuna: str = "底本此处字节丢失，无法辨认（见校勘记）"
    conjecture: str = "编者推补：底本此处字节残缺，据残存字节和上下文推定（候选与依据见校勘记）"
    title: str = "篇名"
    editor_title: str = "编者拟题（底本没有标题行）"
    completeness: str = "完整性"
    complete: str = "底本为全文"
    partial: str = "底本不完整"
    missing: str = "缺"
    evidence: str = "依据"
    excerpt: str = "不完整：只有原网页的一部分"
    note: str = "编者注"
    english: str = "英文"
    aliases: str = "异名"
    definition: str = "释义"
    related: str = "相关词条"
    mentions: str = "出现次数"
    term_table: str = "词条与篇目对照"
    term: str = "词条"
    forms: str = "文中写法"
    not_found: str = "正文未见"
    contexts: str = "上下文"
    places: str = "处"
    persons: str = "人物"
    organizations: str = "机构"
    identification: str = "身份"
    turns: str = "发言"
    turn_count: str = "次"
    no_turns: str = "本篇为转述，不分发言"
    hans: str = "简体"
    hant: str = "繁体"


def format_date(entry: CatalogEntry) -> str:
    parts = entry.date.split("-")
    text = f"{int(parts[0])}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text


def _speaker_names(entry: CatalogEntry) -> dict[str, str]:
    return {p.id: p.name_zh for p in entry.participants}


def card(doc: Document, labels: Labels, href: Href, date_label: str) -> str:
    """The catalog card that opens each page (a <dl>)."""
    e = doc.entry
    rows = [(labels.title, esc(labels.editor_title))] if not e.title_line else []
    rows += [
        (labels.outlet, esc(e.outlet)),
        (labels.date, f'<time datetime="{esc(e.date)}">{esc(date_label)}</time>'
                      f'<span class="date-source" title="{esc(e.date_note)}">'
                      f'（{esc(labels.printed if e.date_source == "printed" else labels.inferred)}）</span>'
                      f' <br><small>{esc(e.date_note)}</small>'),  # the space: for the search index, as _card
        (labels.event, esc(e.event)),
        (labels.speakers, " <br>".join(f'<span class="participant" id="who-{esc(p.id)}">{esc(p.name_zh)}'
                                      f'（{esc(p.name_en)}）：{esc(p.role)}</span>' for p in e.participants)),
    ]
    rows.append((labels.completeness, completeness(e, labels)))
    url = esc_url(e.source_url)
    if url:
        rows.append((labels.source, f'<a href="{url}" rel="noopener">{url}</a>'))
    rows.append((labels.seed, f'<a href="{href("downloads.md", "sources")}"><code>seeds/{esc(e.seed)}</code></a>'))
    n = len(doc.changes)
    rows.append((labels.apparatus, f'<a href="{href(apparatus_src(e.slug), "")}">{n} {esc(labels.changes)}</a>'))
    return _card("doc-card", rows)


def completeness(e: CatalogEntry, labels: Labels) -> str:
    """The card's plain statement of how much of the article the seed holds."""
    if e.completeness == "partial":
        return (f'<strong class="partial">{esc(labels.partial)}</strong>。{esc(labels.missing)}：{esc(e.missing)}'
                f'<br><small>{esc(labels.evidence)}：{esc(e.completeness_note)}</small>')
    note = f'<br><small>{esc(e.completeness_note)}</small>' if e.completeness_note else ""
    return f"{esc(labels.complete)}{note}"


Wrap = Callable[[Mark, str], str]  # (mark, the escaped HTML it covers) -> HTML


def _no_wrap(mark: Mark, inner: str) -> str:
    return inner


#: a Latin name with hyphens (GPT-4o, ARC-AGI, o1-preview): the browser would break the line
#: after its hyphen ("GPT-" at a line's end, "7" on the next), which in CJK text reads as two words
_HYPHENATED = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9])")


def esc_words(text: str) -> str:
    """`esc`, with each short hyphenated Latin name kept on one line (class nobr)."""
    out, at = [], 0
    for m in _HYPHENATED.finditer(text):
        if len(m.group()) <= 24:
            out += [esc(text[at:m.start()]), f'<span class="nobr">{esc(m.group())}</span>']
            at = m.end()
    out.append(esc(text[at:]))
    return "".join(out)


def _inline(text: str, labels: Labels) -> str:
    """Escaped text with the edition's signs made visible: □ lacunae and 〔…〕 conjectures; a
    hyphenated Latin name is not broken at its hyphen."""
    html = esc_words(text).replace("□", f'<span class="lacuna" title="{esc(labels.lacuna)}">□</span>')
    return re.sub("〔[^〔〕]*〕", lambda m: f'<span class="conjecture" tabindex="0"'
                  f' title="{esc(labels.conjecture)}">{m.group()}</span>', html)


def _marked(p: Paragraph, labels: Labels, wrap: Wrap) -> str:
    """The paragraph's text cut at its marks, each run escaped once. Terms and names are the
    outer layer; corrections the inner one, clipped to the run they fall in (a correction is
    never lost for overlapping a term). A zero-width correction marks where text was removed."""
    outer = [m for m in p.marks if m.kind != "correction"]
    inner = [m for m in p.marks if m.kind == "correction"]
    end = len(p.text)

    def piece(a: int, b: int, last: bool) -> str:
        out, at = [], a
        for m in inner:
            if m.start == m.end:  # a point: in the run that holds it (the last run holds the end)
                if a <= m.start < b or (last and m.start == b):
                    out.append(_inline(p.text[at:m.start], labels))
                    out.append(wrap(m, ""))
                    at = m.start
                continue
            lo, hi = max(m.start, at), min(m.end, b)
            if lo >= hi:
                continue
            out.append(_inline(p.text[at:lo], labels))
            out.append(wrap(m, _inline(p.text[lo:hi], labels)))
            at = hi
        out.append(_inline(p.text[at:b], labels))
        return "".join(out)

    out, at = [], 0
    for m in outer:
        if m.start < at:  # overlapping marks never come from annotate; keep the text whole anyway
            continue
        out.append(piece(at, m.start, False))
        out.append(wrap(m, piece(m.start, m.end, False)))
        at = m.end
    out.append(piece(at, end, True))
    return "".join(out)


def correction_wrapper(doc: Document, labels: Labels, href: Href, kinds: dict[str, str]) -> Wrap:
    """A correction mark: the source's reading, kind and reason as data for corrections.js
    (shown only when the reader turns the 校改标记 toggle on; invisible otherwise)."""
    rows = row_ids(doc)

    def wrap(m: Mark, inner: str) -> str:
        idx = [int(k) for k in m.key.split(",") if k]
        tip = "；".join(f"{kinds.get(doc.changes[i].kind, doc.changes[i].kind)}：{doc.changes[i].reason}" for i in idx)
        page = apparatus_src(doc.entry.slug)
        link = href(page, rows[idx[0]]) if idx and idx[0] in rows else href(page, "")
        cls = "corr" if inner else "corr corr-point"
        return (f'<span class="{cls}" data-src="{esc(m.note)}" data-tip="{esc(tip)}" data-href="{link}">'
                f"{inner}</span>")

    return wrap


def _para_html(p: Paragraph, labels: Labels, speaker: str = "", wrap: Wrap = _no_wrap, who: str = "") -> str:
    """`who`: the URL of the speaker's entry on the people page (the label links there)."""
    name = f'<a class="speaker-link" href="{who}">{esc(speaker)}</a>' if who else esc(speaker)
    label = f'<strong class="speaker">{name}：</strong>' if speaker else ""
    link = (f'<a class="para-link" href="#{p.id}" title="{esc(labels.para_link)} #{p.id}"'
            f' aria-label="{esc(labels.para_link)} {p.id}" data-search-exclude>¶</a>')  # no ¶ in results
    text = _marked(p, labels, wrap)
    notes = "".join(f'<span class="ed-note" role="note">［{esc(labels.note)}：{esc(n)}］</span>' for n in p.notes)
    return f"{label}{text}{notes}{link}"


def _aliases(el: Paragraph | Section) -> str:
    """Locked anchors that now live here (seeds/anchors.lock): empty targets at its start."""
    return "".join(f'<span id="{esc(a)}" class="anchor-alias"></span>' for a in el.aliases)


def list_html(tag: str, paragraphs: list[Paragraph], item: Callable[[Paragraph], str]) -> str:
    """A list block as HTML (the site and the print edition): `item(p)` opens each <li>; in a
    numbered list a bullet item (kind li) nests in the numbered item before it."""
    out: list[str] = []
    nested = False
    for p in paragraphs:
        if tag == "ol" and p.kind == "li":  # a bullet under a numbered item: nested in it
            out.append(("" if nested else '<ul class="items">') + item(p) + "</li>")
            nested = True
            continue
        if out:
            out.append("</ul></li>" if nested else "</li>")
        nested = False
        out.append(item(p))
    if out:
        out.append("</ul></li>" if nested else "</li>")
    return f'<{tag} class="items">{"".join(out)}</{tag}>'


def _block(block: Block, names: dict[str, str], labels: Labels, wrap: Wrap = _no_wrap,
           who: dict[str, str] | None = None) -> str:
    if block.kind in ("list", "olist"):
        tag = "ol" if block.kind == "olist" else "ul"

        def item(p: Paragraph) -> str:
            return (f'<li id="{p.id}"' + (f' value="{p.value}"' if p.value else "")
                    + f">{_aliases(p)}{_para_html(p, labels, wrap=wrap)}")

        return list_html(tag, block.paragraphs, item)
    if block.kind == "note":  # the source's own editors speak here, not the interviewees
        return "".join(f'<p id="{p.id}" class="source-note">{_aliases(p)}{_para_html(p, labels, wrap=wrap)}</p>'
                       for p in block.paragraphs)
    if block.kind == "turn":
        name = names.get(block.speaker, block.speaker)
        paras = "".join(
            f'<p id="{p.id}">{_aliases(p)}{_para_html(p, labels, name if i == 0 else "", wrap, (who or {}).get(block.speaker, ""))}</p>'
            for i, p in enumerate(block.paragraphs))
        return f'<div class="turn" data-speaker="{esc(block.speaker)}">{paras}</div>'
    return "".join(f'<p id="{p.id}">{_aliases(p)}{_para_html(p, labels, wrap=wrap)}</p>' for p in block.paragraphs)


def mark_wrapper(href: Href, glosses: dict[str, str], people: dict[str, str] | None = None) -> Wrap:
    """How marks look in the reading text: a term's first mention in a paragraph links to its
    glossary entry, with its short definition on hover and keyboard focus; later mentions stay plain."""

    def wrap(m: Mark, inner: str) -> str:
        if m.kind == "term" and m.first and m.key in glosses:  # the gloss: CSS ::after on hover/focus, terms.js on tap
            gloss = esc(glosses[m.key])
            return (f'<a class="term" href="{href("glossary.md", m.key)}" data-term="{esc(m.key)}"'
                    f' data-gloss="{gloss}" aria-description="{gloss}">{inner}</a>')
        if m.kind == "person" and m.first and people and m.key in people:  # a name: to its index entry
            return (f'<a class="person" href="{href("people.md", m.key)}" title="{esc(people[m.key])}"'
                    f' data-person="{esc(m.key)}">{inner}</a>')
        return inner

    return wrap


def document(doc: Document, labels: Labels, href: Href, glosses: dict[str, str] | None = None,
             kinds: dict[str, str] | None = None, people: dict[str, str] | None = None, data: str = "") -> str:
    """The Markdown of one document page; `glosses` (term id -> short definition) links terms;
    `data`: a data element placed after the card as it is (cite.element: built and escaped there);
    `kinds` (change kind -> its name) gives correction marks their explanation; `people` (id ->
    one-line identification, render.people_glosses) links names and speaker labels to the people page."""
    names = _speaker_names(doc.entry)
    base = mark_wrapper(href, glosses or {}, people) if glosses or people else _no_wrap
    who = {p.id: href("people.md", p.id) for p in doc.entry.participants if p.id in (people or {})}
    fix = correction_wrapper(doc, labels, href, kinds or {})

    def wrap(m: Mark, inner: str) -> str:
        return fix(m, inner) if m.kind == "correction" else base(m, inner)

    out = [f"# {esc(doc.title)} {{#top}}", "", card(doc, labels, href, format_date(doc.entry)), ""]
    out += [data, ""] if data else []
    for section in doc.sections:
        if section.aliases:
            out += ["".join(f'<div id="{esc(a)}" class="section-anchor"></div>' for a in section.aliases), ""]
        if section.heading:
            hashes = "#" * section.level
            out += [f"{hashes} {heading(section.heading)} {{#{section.id}}}", ""]
        else:
            out += [f'<div id="{section.id}" class="section-anchor"></div>', ""]
        for block in section.blocks:
            out += [_block(block, names, labels, wrap, who), ""]
    return "\n".join(out)


def home(title: str, intro: str, docs: list[Document], labels: Labels, href: Href,
         more: tuple[str, list[tuple[str, str]]] = ("", [])) -> str:
    """The home page: one card per document, in catalog (date) order; then `more`: a lead and
    (label, src) of the edition's other pages (on a phone the navigation is behind a menu)."""
    cards = []
    for d in docs:
        e = d.entry
        who = "、".join(esc(p.name_zh) for p in e.participants)
        parts = [f'<a href="{href(e.slug + ".md", "")}"><strong>{esc(d.title)}</strong></a>']
        if not e.title_line:
            parts.append(f'<span class="meta">{esc(labels.editor_title)}</span>')
        parts += [f'<span class="meta">{esc(e.outlet)} · <time datetime="{esc(e.date)}">{esc(format_date(e))}</time>'
                  f" · {esc(e.event)}</span>", f'<span class="who">{who}</span>',
                  f'<span class="summary">{esc_words(e.summary)}</span>']
        if e.completeness == "partial":
            first = e.missing.split("。")[0]  # the card gives the whole statement
            parts.append(f'<span class="partial">{esc(labels.excerpt)}，{esc(labels.missing)}{esc(first)}。</span>')
        cards.append(f'<li class="home-card">{" ".join(parts)}</li>')  # a flex column: the spaces are for the search index
    lead, pages = more
    tail = ([f'<p class="home-more">{esc(lead)}' + "、".join(f'<a href="{href(src, "")}">{esc(label)}</a>'
                                                         for label, src in pages) + "。</p>", ""] if pages else [])
    return "\n".join([f"# {esc(title)} {{#top}}", "", f"<p>{esc(intro)}</p>", "",
                      f'<ul class="home-cards">{"".join(cards)}</ul>', "", *tail])


_LOST = re.compile(r"[?？]")


def shown_before(c: Change) -> str:
    """How the apparatus quotes the source (escaped HTML).

    Quotes are literal, with four display conventions (stated on the page): a removed space
    is shown as ␣; a removed
    pinyin annotation is shown alone, "(rèn)", not glued to its character again; each lost
    byte of a mojibake run is a separate boxed "?"; a whole removed line is shown with the
    edition's punctuation, so the page itself never reads as noisy text.
    """
    text = c.before
    if text and not text.strip():  # a removed space: make it visible
        return "␣" * len(text)
    if c.kind == "pinyin" and c.after and text.startswith(c.after):
        text = text[len(c.after):]
    if c.kind in WHOLE_LINE:
        from .clean import punctuation

        text = punctuation.fix(text)[0]
    if c.kind == "mojibake" or re.search(r"[?？]{2}", text):
        parts = _LOST.split(text)
        return '\u2009<span class="lost-byte" title="丢失的字节">?</span>\u2009'.join(esc(p) for p in parts)
    return esc(text)


def shown_after(c: Change) -> str:
    if c.kind == "pinyin" and c.before.startswith(c.after):
        return ""  # the annotation went; its character stays where it was
    return esc(c.after)


#: One apparatus row: its first Change, the count, source readings, corrections, indexes in changes.
Row = tuple[Change, int, list[str], list[str], list[int]]


def _group(changes: list[Change]) -> list[Row]:
    """Group a document's changes by (anchor, kind, rule, reason); keep source order. The last
    item of each row: the indexes of its changes in `changes`."""
    groups: dict[tuple[str, str, str, str], list[tuple[int, Change]]] = defaultdict(list)
    for i, c in enumerate(changes):
        groups[(c.anchor, c.kind, c.rule, c.reason)].append((i, c))
    rows = []
    for items in groups.values():
        befores = list(dict.fromkeys(shown_before(c) for _, c in items))
        afters = list(dict.fromkeys(shown_after(c) for _, c in items))
        rows.append((items[0][1], len(items), befores, afters, [i for i, _ in items]))
    rows.sort(key=lambda r: (r[0].line, r[0].kind))
    return rows


def numbered_rows(doc: Document) -> list[tuple[int, tuple[int, ...], Row]]:
    """(number, numbers of gone rows that resolve to it, row) for each row of _group(doc.changes):
    the permanent numbers of seeds/apparatus.lock (doc.rows, rowlock.py), else 1, 2, ... in order."""
    groups = _group(doc.changes)
    if doc.rows is None:
        return [(n, (), g) for n, g in enumerate(groups, start=1)]
    return [(doc.rows.numbers[g[4][0]], doc.rows.gone.get(g[4][0], ()), g) for g in groups]


def row_ids(doc: Document) -> dict[int, str]:
    """Index of a change in doc.changes -> the id of its row on the apparatus page."""
    return {i: f"{doc.entry.slug}.r{n}" for n, _, row in numbered_rows(doc) for i in row[4]}


def apparatus_src(slug: str) -> str:
    """The src path of a document's apparatus page (URL <slug>/apparatus/): beside its document,
    so the document's many correction marks link to apparatus/#<slug>.r<n> and the rows to
    ../#p3-12 (apparatus/<slug>/ would add 41 KB to the Stratechery page's marks alone)."""
    return f"{slug}/apparatus.md"


def _kind_counts(d: Document, kinds: dict[str, str]) -> list[tuple[str, int]]:
    counts = Counter(c.kind for c in d.changes)
    return [(kinds.get(k, k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _partial_note(d: Document, labels: Labels) -> list[str]:
    if d.entry.completeness != "partial":
        return []
    return [f'<p class="partial-note"><strong>{esc(labels.partial)}</strong>。{esc(labels.missing)}：'
            f'{esc(d.entry.missing)}{esc(labels.evidence)}：{esc(d.entry.completeness_note)}</p>', ""]


def apparatus(title: str, intro: str, docs: list[Document], kinds: dict[str, str],
              labels: Labels, href: Href) -> str:
    """The apparatus index (校勘记 总表): per document (#<slug>) the counts per kind
    (#<slug>-counts) and a link to its page of changes (apparatus_page). Old links to a row
    (#<slug>.r<n>, #<slug>-changes) land here and docs/assets/apparatus.js sends them on along
    the link marked data-apparatus-doc."""
    out = [f"# {esc(title)} {{#top}}", "", f"<p>{esc(intro)}</p>", ""]
    for d in docs:
        slug = d.entry.slug
        out += [f"## {esc(d.title)} {{#{slug}}}", ""]
        out += _partial_note(d, labels)
        summary = "".join(f"<tr><td>{esc(k)}</td><td>{n}</td></tr>" for k, n in _kind_counts(d, kinds))
        out += [f'<table class="apparatus-counts" id="{slug}-counts"><thead><tr><th>{esc(labels.kind)}</th>'
                f"<th>{esc(labels.count)}</th></tr></thead><tbody>{summary}"
                f'</tbody><tfoot><tr><th scope="row">{esc(labels.total)}</th><td>{len(d.changes)}</td></tr></tfoot></table>', ""]
        out += [f'<p class="apparatus-doc-link"><a href="{href(apparatus_src(slug), "")}" data-apparatus-doc="{slug}">'
                f"{esc(labels.apparatus_rows)}（{len(d.changes)} {esc(labels.changes)}）</a></p>", ""]
    return "\n".join(out)


def row_aliases(slug: str, gone: tuple[int, ...], prefix: str = "") -> str:
    """Empty elements carrying the ids of gone rows that resolve to this one (rowlock.py)."""
    return "".join(f'<span class="row-alias" id="{prefix}{slug}.r{m}"></span>' for m in gone)


def _row(slug: str, k: int, c: Change, n: int, befores: list[str], afters: list[str],
         kinds: dict[str, str], labels: Labels, href: Href, gone: tuple[int, ...] = ()) -> str:
    """One change (or a group of like changes) as one compact row: 5 cells, one link, no
    wrappers; several readings are separated by ｜; the count follows the kind when above 1.
    Cells are separated by a line break, so that text taken from the page (copied, extracted)
    never glues a kind to a quoted reading, e.g. 拼音注音 + (jīng). `k` is the row's permanent
    number; `gone` the numbers of rows that resolve here."""
    where = (row_aliases(slug, gone)
             + (f'<a href="{href(slug + ".md", c.anchor)}">#{esc(c.anchor)}</a> ' if c.anchor else "") + f"L{c.line}")
    before = " ｜ ".join(b for b in befores if b)
    after = " ｜ ".join(a for a in afters if a) or esc(labels.removed)
    kind = esc(kinds.get(c.kind, c.kind)) + (f" ×{n}" if n > 1 else "")
    cells = "\n".join(f"<td>{cell}</td>" for cell in (where, kind, before, after, esc(c.reason)))
    return f'<tr id="{slug}.r{k}">{cells}</tr>'


#: Rows per table of a document's apparatus page: each table sits in a part that the browser
#: lays out only near the viewport (CSS content-visibility), which cuts the page's style and
#: layout work on a phone about fourfold (Lighthouse, Stratechery's 529 rows).
APPARATUS_PART = 50
#: A concordance (glossary term, person) of at most this many places is shown open; a longer one
#: starts closed under its <summary>: the people page lays out a few hundred lines, not 3,000.
KWIC_OPEN = 12
#: An entry (card and contexts) laid out only near the viewport keeps a placeholder height until
#: then; a placeholder shorter than the entry lets its unlaid content overlap the next one, which
#: axe and Lighthouse (target-size) measure as links covering links. So each entry gets a class
#: cv-<n>: n rem, a multiple of ENTRY_STEP above its height on a 390 px phone (estimated from
#: its rows and lines; edition.css has the classes up to ENTRY_MAX).
ENTRY_STEP, ENTRY_MAX = 8, 96
_TAG = re.compile(r"<[^>]+>")


def _cv_class(rem: float) -> str:
    """cv-<n>: the smallest multiple n of ENTRY_STEP (at least one step, at most ENTRY_MAX) >= rem."""
    return f"cv-{min(ENTRY_MAX, ENTRY_STEP * max(1, math.ceil(rem / ENTRY_STEP)))}"


def entry_size(rows: list[tuple[str, str]], lines: int, docs: int, closed: bool) -> str:
    """The class cv-<n> of an entry whose card has `rows` (label, HTML) and whose contexts list
    `lines` lines under `docs` documents (not shown when `closed`, or when there are none)."""
    chars = sum(len(_TAG.sub("", v)) for _, v in rows)
    px = 40 + 20 * (len(rows) + chars / 18) + (36 if lines else 0)
    if lines and not closed:
        px += 50 * lines + 40 * docs
    rem = px * 1.4 / 20  # measured heights are at most 1.3 x the estimate (test_browser)
    return _cv_class(rem)


def table_size(rows: int) -> str:
    """The class cv-<n> of the glossary's table of terms by document with `rows` rows: on a 390 px
    phone about 90 px of header and 32 px a row (measured: 1,692 px for 53 rows), x1.1."""
    return _cv_class((90 + 32 * rows) * 1.1 / 20)


_BLOCK = re.compile(r"<(?:p|li|h[1-6]|dt|dd)[\s>]")


def block_size(html: str) -> str:
    """The class cv-<n> of a block of flowing text (a timeline event): its height on a 390 px
    phone is about 30 px + 1 px per character + 10 px per paragraph or list item (measured on
    the timeline's events: 240-1150 px), x1.25 for safety."""
    px = 30 + len(_TAG.sub("", html)) + 10 * len(_BLOCK.findall(html))
    rem = px * 1.25 / 20
    return _cv_class(rem)


def apparatus_page(title: str, intro: str, d: Document, kinds: dict[str, str], labels: Labels, href: Href) -> str:
    """One document's changes (URL <slug>/apparatus/): its counts as one line of text, then
    #<slug>-changes: tables of APPARATUS_PART rows, one row #<slug>.r<n> per group of like
    changes (row_ids; n permanent, seeds/apparatus.lock), each table with its header row.
    `title` is the page's title (also its <title>, via front matter, made safe by nav_title)."""
    slug = d.entry.slug
    counts = "；".join(f"{esc(k)} {n}" for k, n in _kind_counts(d, kinds))
    rows = [_row(slug, k, c, n, befores, afters, kinds, labels, href, gone)
            for k, gone, (c, n, befores, afters, _) in numbered_rows(d)]
    safe = " ".join(nav_title(title).split())  # no quote, markup or line break: a YAML '…' scalar as it is
    out = ["---", f"title: '{safe}'", "---", "", f"# {esc(title)} {{#top}}", "",
           f'<p>{esc(intro)}<a href="{href("apparatus.md", slug)}">{esc(labels.apparatus_index)}</a>。</p>', ""]
    out += _partial_note(d, labels)
    out += [f'<p class="apparatus-counts-line">{counts}；{esc(labels.total)} {len(d.changes)}</p>', ""]
    head = (f"<thead><tr><th>{esc(labels.place)}</th><th>{esc(labels.kind)}</th><th>{esc(labels.before)}</th>"
            f"<th>{esc(labels.after)}</th><th>{esc(labels.reason)}</th></tr></thead>")
    parts = "".join(f'<div class="apparatus-part"><table class="apparatus">{head}<tbody>'
                    f"{''.join(rows[at:at + APPARATUS_PART])}</tbody></table></div>"
                    for at in range(0, len(rows), APPARATUS_PART))
    out += [f'<div class="apparatus-changes" id="{slug}-changes">{parts}</div>', ""]
    return "\n".join(out)


def _gloss(definition: str) -> str:
    """The short definition shown on hover: the definition's first sentence."""
    first = re.split(r"(?<=[。！？])", definition, maxsplit=1)[0]
    return first if len(first) <= 120 else first[:119] + "…"


def glossary(title: str, intro: str, terms: list, docs: list[Document], labels: Labels, href: Href,
             hant: bool = False, conv: Callable[[str], str] = lambda s: s) -> str:
    """The glossary page: every term at #<id> with its headword, English name, definition, the
    forms the text uses (with counts), related terms, counts per document and every mention in
    context (keyword in context, grouped per document) linking to its paragraph; then a term ×
    document table. `terms` are annotate.Term; docs are this edition's; `conv` the edition's
    script conversion (the aliases are kept in Simplified)."""
    from .annotate import mentions

    terms = glossary_order(terms)
    found = mentions(docs, "term")
    text_of = {(d.entry.slug, p.id): p.text for d in docs for p in d.paragraphs()}
    by_id = {t.id: t for t in terms}

    def head_of(t) -> str:
        return t.headword_hant if hant else t.headword

    out = [f"# {esc(title)} {{#top}}", "", f"<p>{esc(intro)}</p>", ""]
    out.append('<ul class="glossary-index">' + "".join(
        f'<li><a href="#{esc(t.id)}">{esc(head_of(t))}</a></li>' for t in terms) + "</ul>")
    out.append("")
    for t in terms:
        hits = found.get(t.id, [])
        out += [f"## {esc(head_of(t))} {{#{t.id}}}", "",
                f'<p class="term-english" lang="en">{esc(t.english)}</p>',
                f'<p class="term-definition">{esc_words(t.definition_hant if hant else t.definition)}</p>']
        absent = {a for a, _ in t.expected_absent}
        fold = t.case == "insensitive"
        seen = Counter((text_of[(d.entry.slug, a)][s:e].casefold() if fold else text_of[(d.entry.slug, a)][s:e])
                       for d, a, s, e in hits)
        forms = []
        for f in t.forms():
            shown = conv(f)
            n = seen[shown.casefold() if fold else shown]
            forms.append(f'{esc(shown)} <span class="count">{n}</span>' if n or f not in absent
                         else f'<span class="absent">{esc(shown)}（{esc(labels.not_found)}）</span>')
        rows = [(labels.forms, "、".join(forms))]
        if t.related:
            rows.append((labels.related, "、".join(
                f'<a href="#{esc(r)}">{esc(head_of(by_id[r]))}</a>' for r in t.related)))
        rows.append((labels.mentions, _mention_counts(hits, docs, labels, href, str(len(hits)))))
        card = _card("term-card", rows)
        groups = []
        for d in docs:
            lines = []
            for hd, anchor, start, end in hits:
                if hd is not d:
                    continue
                lines.append(_kwic_item(d, anchor, start, end, text_of, href))
            if lines:
                groups.append(f'<p class="kwic-doc" data-search-exclude><a href="{href(d.entry.slug + ".md", "")}">'
                              f'{esc(d.title)}</a> <span class="count">{len(lines)}</span></p>'
                              f'<ol class="kwic-lines" data-search-exclude>{"".join(lines)}</ol>')
        contexts = ""
        if groups:
            state = " open" if len(hits) <= KWIC_OPEN else ""
            contexts = (f'<details class="kwic-block"{state}><summary data-search-exclude>{esc(labels.contexts)}（{len(hits)}'
                        f'{esc(labels.places)}）</summary>{"".join(groups)}</details>')
        # one block per entry: the browser lays it out only near the viewport (edition.css)
        size = entry_size(rows, len(hits) if groups else 0, len(groups), len(hits) > KWIC_OPEN)
        out += [f'<div class="term-entry {size}">{card}{contexts}</div>', ""]
    head = "".join(f'<th scope="col"><a href="{href(d.entry.slug + ".md", "")}" title="{esc(d.title)}">'
                   f'{esc(short_name(d))}</a></th>' for d in docs)
    body = []
    for t in terms:
        per_doc = Counter(d.entry.slug for d, *_ in found.get(t.id, []))
        cells = "".join(f"<td>{per_doc[d.entry.slug] or ''}</td>" for d in docs)
        body.append(f'<tr><th scope="row"><a href="#{esc(t.id)}">{esc(head_of(t))}</a></th>'
                    f"{cells}<td>{sum(per_doc.values())}</td></tr>")
    out += [f"## {esc(labels.term_table)} {{#terms-by-document}}", "",
            f'<div class="term-table-wrap {table_size(len(body))}" data-search-exclude><table class="term-table"><thead><tr><th scope="col">{esc(labels.term)}</th>{head}'
            f'<th scope="col">{esc(labels.total)}</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>', ""]
    return "\n".join(out)


def _card(cls: str, rows: list[tuple[str, str]]) -> str:
    """A catalog, glossary or people card: label and value per row. A space after each label and value:
    the card is a grid, where it shows nothing, and the search index, which joins the text of
    the elements it does not keep, reads "相关词条 通用人工智能 出现次数 …", not "相关词条通用人工智能出现次数"."""
    return f'<dl class="{cls}">' + "".join(f"<dt>{esc(k)}</dt> <dd>{v}</dd> " for k, v in rows) + "</dl>"


def _mention_counts(hits: list, docs: list[Document], labels: Labels, href: Href, total: str) -> str:
    """A card's count of mentions: each document's short name (linked) and its count, then the
    total (HTML `total`); with one document only the total stands after its name; none: `total`."""
    per_doc = Counter(d.entry.slug for d, *_ in hits)
    named = [(d, per_doc[d.entry.slug]) for d in docs if per_doc[d.entry.slug]]
    if len(named) == 1:
        return f"{_short_link(named[0][0], href)} {total}"
    return "；".join([f"{_short_link(d, href)} {n}" for d, n in named]
                    + ([f"{esc(labels.total)} {total}"] if named else [total]))


def short_name(d: Document) -> str:
    """A document's short name for tables: its event without the parenthesis, and its date."""
    return f"{d.entry.event.split('（')[0]}（{format_date(d.entry)}）"


def _short_link(d: Document, href: Href) -> str:
    """A link to the top of a document, by its short name (the cards' counts and speaker turns);
    the date in its parenthesis is never broken ("2025年1" / "月" on a phone)."""
    name, _, date = short_name(d).partition("（")
    return f'<a href="{href(d.entry.slug + ".md", "")}">{esc(name)}<span class="nobr">（{esc(date)}</span></a>'


def has_turns(d: Document) -> bool:
    """Whether the document is told in speaker turns; a reported interview has none to count."""
    return any(b.kind == "turn" for s in d.sections for b in s.blocks)


def gloss_label(headword: str, english: str) -> str:
    """The head of a hover gloss: headword（English）, the English said once: GPT-5, not
    GPT-5（GPT-5）; Grok（xAI） for the English name "Grok (xAI)"."""
    if english.startswith(headword):
        rest = english[len(headword):].strip().removeprefix("(").removesuffix(")").strip()
        return f"{headword}（{rest}）" if rest else headword
    return f"{headword}（{english}）"


def glosses(terms: list, hant: bool = False) -> dict[str, str]:
    """term id -> the hover gloss: headword (English): the definition's first sentence. Quotation
    marks are left out: the gloss sits in an attribute, often inside a quotation of the text,
    where its own 「」 would read as a quotation nested the wrong way."""
    return {t.id: _QUOTES.sub("", gloss_label(t.headword_hant if hant else t.headword, t.english) + "："
                                  f"{_gloss(t.definition_hant if hant else t.definition)}")
            for t in terms}


_QUOTES = re.compile("[“”‘’「」『』]")


# --------------------------------------------------------------------------- people page


def people_glosses(people: list, hant: bool = False) -> dict[str, str]:
    """id -> the hover title of a name in the text: name (English): identification."""
    out = {}
    for p in people:
        name = p.name_hant if hant else p.name_zh
        en = f"（{p.name_en}）" if p.name_en != p.name_zh else ""
        out[p.id] = f"{name}{en}：{p.identification_hant if hant else p.identification}"
    return out


def pinyin_key(name_zh: str) -> tuple[str, ...]:
    """The pinyin of a name syllable by syllable (Latin names by their letters; the middle dot
    ignored). Computed at load and kept on the Person (pypinyin takes ~0.4 s to import)."""
    from pypinyin import lazy_pinyin

    return tuple(s.casefold() for s in lazy_pinyin(name_zh) if s.strip("·・ "))


def glossary_order(terms: list) -> list:
    """Sorted as the index of persons: by the pinyin of the Simplified headword syllable by
    syllable, a Latin headword by its letters among them (AI行动计划 ai-xing…, 安全咨询小组 an-quan…,
    API, ARC-AGI, 逼宫事件 bi-gong…); then by the headword. The same order in both scripts. The key is
    computed at load (Term.sort_key, cached with the corpus): a warm build never imports pypinyin."""
    return sorted(terms, key=lambda t: (t.sort_key or pinyin_key(t.headword), t.headword, t.id))


def name_with_english(name: str, name_en: str) -> tuple[str, str]:
    """The head of an entry in the index of persons, on the site and in print: (name, the English
    shown after it). The English is said once: a name that the English begins with gives the
    English alone (Helion / "Helion Energy" -> ("Helion Energy", ""); OpenAI / OpenAI -> ("OpenAI",
    "")); else both (山姆·奥特曼 / "Sam Altman" -> ("山姆·奥特曼", "Sam Altman")).
    The name must end at a word's end in the English: Meta / "Metaverse" keeps both."""
    rest = name_en[len(name):] if name_en.startswith(name) else None
    if rest is not None and not rest[:1].isalnum():  # whole words only: Meta / Metaverse is not
        return name_en, ""
    return name, name_en


def people_order(people: list) -> list:
    """Sorted by the pinyin of name_zh syllable by syllable (阿伦 a-lun before 埃隆 ai-long),
    then by the name itself."""
    return sorted(people, key=lambda p: (p.sort_key or pinyin_key(p.name_zh), p.name_zh, p.id))


_QUOTE_PAIRS = {"「": "」", "『": "』", "“": "”", "‘": "’"}


def _kwic_item(d: Document, anchor: str, start: int, end: int, text_of: dict, href: Href) -> str:
    """One keyword-in-context line (glossary and index of persons): the paragraph's anchor,
    then about 20 characters each side, never half a quotation."""
    from .annotate import kwic

    left, key, right = balanced_kwic(*kwic(text_of[(d.entry.slug, anchor)], start, end))
    return (f'<li><a class="kwic-ref" href="{href(d.entry.slug + ".md", anchor)}">#{esc(anchor)}</a> '
            f'<span class="kwic">{esc(left)}<mark>{esc(key)}</mark>{esc(right)}</span></li>')


def balanced_kwic(left: str, key: str, right: str) -> tuple[str, str, str]:
    """A context never holds half a quotation: the left side starts after its last quotation
    mark without a partner in the snippet, the right side ends before its first one (an
    ellipsis says the context goes on). 「那…」 cut in half would read as a new quotation."""
    closers = {v: k for k, v in _QUOTE_PAIRS.items()}
    for _ in range(3):
        text = left + key + right
        stack: list[int] = []
        lone: list[int] = []
        for i, ch in enumerate(text):
            if ch in _QUOTE_PAIRS:
                stack.append(i)
            elif ch in closers:
                if stack and text[stack[-1]] == closers[ch]:
                    stack.pop()
                else:
                    lone.append(i)
        lone = sorted(lone + stack)
        cut_left = [i for i in lone if i < len(left)]
        cut_right = [i - len(left) - len(key) for i in lone if i >= len(left) + len(key)]
        if not cut_left and not cut_right:
            break
        if cut_left:
            left = "…" + left[cut_left[-1] + 1:].lstrip("…")
        if cut_right:
            right = right[:cut_right[0]].rstrip("…") + "…"
    return left, key, right


def people_index(title: str, intro: str, people: list, docs: list[Document], labels: Labels, href: Href,
                 hant: bool = False, conv: Callable[[str], str] = lambda s: s) -> str:
    """The index of persons and organizations: two groups, each sorted by pinyin; every entry at
    #<id> with its names in both scripts and English, the other spellings, the identification,
    its speaker turns per document and every mention as a keyword-in-context line linking to
    its paragraph, grouped per document. `people` are annotate.Person; docs are this edition's."""
    from .annotate import mentions

    found = mentions(docs, "person")
    text_of = {(d.entry.slug, p.id): p.text for d in docs for p in d.paragraphs()}
    turns = {(d.entry.slug, b.speaker): 0 for d in docs for s in d.sections for b in s.blocks}
    for d in docs:
        for s in d.sections:
            for b in s.blocks:
                if b.kind == "turn":
                    turns[(d.entry.slug, b.speaker)] += 1
    name = (lambda p: p.name_hant) if hant else (lambda p: p.name_zh)
    out = [f"# {esc(title)} {{#top}}", "", f"<p>{esc(intro)}</p>", ""]
    groups = [("person", labels.persons, "persons"), ("organization", labels.organizations, "organizations")]
    out.append('<nav class="people-groups">' + " ".join(
        f'<a href="#{gid}">{esc(glabel)}</a>' for _, glabel, gid in groups) + "</nav>")
    out.append("")
    for kind, glabel, gid in groups:
        members = people_order([p for p in people if p.kind == kind])
        out += [f"## {esc(glabel)} {{#{gid}}}", ""]
        out.append('<ul class="people-index">' + "".join(
            f'<li><a href="#{esc(p.id)}">{esc(name(p))}</a></li>' for p in members) + "</ul>")
        out.append("")
        for p in members:
            head, en = name_with_english(name(p), p.name_en)
            out += [f"### {esc(head)}{' ' + esc(en) if en else ''} {{#{p.id}}}", ""]
            other = (labels.hans, p.name_zh, "zh-Hans") if hant else (labels.hant, p.name_hant, "zh-Hant")
            forms = [conv(f) for f in p.forms() if f not in (p.name_zh, p.name_en)]
            rows = [(labels.english, esc(p.name_en))]
            if other[1] != name(p):  # the other script's form: shown, but not in this edition's search index
                rows.append((other[0], f'<span lang="{other[2]}" data-search-exclude>{esc(other[1])}</span>'))
            rows += [(labels.aliases, "、".join(esc(f) for f in forms) or "—"),
                     (labels.identification, esc_words(p.identification_hant if hant else p.identification))]
            spoke = [d for d in docs if any(q.id == p.id for q in d.entry.participants)]
            if spoke:
                rows.append((labels.turns, "；".join(
                    f"{_short_link(d, href)} "  # as the counts below
                    + (f'<span class="turn-count">{turns.get((d.entry.slug, p.id), 0)}</span>{esc(labels.turn_count)}'
                       if has_turns(d)
                       else f"<small>（{esc(labels.no_turns)}）</small>")
                    for d in spoke)))
            hits = found.get(p.id, [])
            rows.append((labels.mentions, _mention_counts(
                hits, docs, labels, href, f'<span class="mention-count">{len(hits)}</span>')))
            card = _card("person-card", rows)
            contexts_of: list[str] = []
            for d in docs:
                lines = []
                for doc, anchor, start, end in hits:
                    if doc is not d:
                        continue
                    lines.append(_kwic_item(d, anchor, start, end, text_of, href))
                if lines:
                    # the contexts repeat the documents' text: kept out of the search index
                    contexts_of.append(f'<p class="kwic-doc" data-search-exclude><a href="{href(d.entry.slug + ".md", "")}">'
                                  f'{esc(d.title)}</a> <span class="kwic-count">{len(lines)}</span></p>'
                                  f'<ol class="kwic-lines" data-doc="{esc(d.entry.slug)}" data-search-exclude>'
                                  f'{"".join(lines)}</ol>')
            contexts = ""
            if contexts_of:  # as in the glossary: a long concordance starts closed (a phone lays out less)
                state = " open" if len(hits) <= KWIC_OPEN else ""
                contexts = (f'<details class="kwic-block"{state}><summary data-search-exclude>{esc(labels.contexts)}（{len(hits)}'
                            f'{esc(labels.places)}）</summary>{"".join(contexts_of)}</details>')
            # one block per entry: the browser lays it out only near the viewport (edition.css)
            size = entry_size(rows, len(hits) if contexts_of else 0, len(contexts_of), len(hits) > KWIC_OPEN)
            out += [f'<div class="person-entry {size}">{card}{contexts}</div>', ""]
    return "\n".join(out)

