"""Cite: how to cite a paragraph, made at build time for docs/assets/cite.js.

Data flow: (Document in the edition's script, the edition's converter) -> templates of the
citation strings -> one JSON data element per document page
(<script type="application/json" id="cite-meta">, put after the catalog card by
render.document). A template is a list of pieces: text, or a slot {"slot": name} that only the
reader's browser can fill: `anchor` (the paragraph), `url` (this page's absolute URL + #anchor,
from location or <link rel=canonical>), `accessed` (today, YYYY-MM-DD) and `accessed_en` (today,
"June 1, 2025"). fill() is the same filling in Python, for the tests. Forms:

Every form names this edition (`edition`: its title in the page's script) as where the text was
read, after the outlet that first published it; the URL is the edition's.

- GB/T 7714-2015, electronic resource [EB/OL]: participants (at most three, then 等). title[EB/OL].
  outlet, date//edition: ¶anchor[accessed]. url.  "//" is the standard's mark for a part within a
  larger work (析出文献); an inferred date stands in square brackets (its estimated year).
- APA 7: Family, I., & Family, I. (2024, December 7). title (para. anchor). outlet. In edition.
  Retrieved June 1, 2025, from url
- short (appended to copied text): ——names《title》¶anchor，outlet，date；《edition》。url
- BibTeX (biblatex @online): @online{slug-anchor, author = {Altman, Sam and Sorkin, Andrew Ross},
  title, date, organization = {outlet}, note = {edition, ¶anchor}, url, urldate}; values
  TeX-escaped (bib_escape), so none can end its field.

dublin_core() gives the same facts as <meta name="dcterms.*"> tags for the page's head (site.page_meta
-> page.meta["citation"] -> overrides/main.html), with the edition as og:site_name, so a reference
manager saves the page with its participants, date and the edition as the website.

Everything is text: values are JSON-escaped and <, >, & become \\u escapes, so no value can end
the element or add markup. Pure: no I/O.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable

from .model import CatalogEntry, Document

Piece = str | dict
Template = list  # list[Piece]

ELEMENT_ID = "cite-meta"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
GBT_MAX_AUTHORS = 3  # GB/T 7714-2015 8.1.2: the first three, then 等 (et al.)
#: The panel's words (Simplified; the zh-Hant edition converts them with its converter).
LABELS = {
    "cite": "引用本段",
    "link": "永久链接",
    "gbt": "GB/T 7714—2015",
    "apa": "APA（第7版）",
    "bib": "BibTeX（biblatex）",
    "copy": "复制",
    "copied": "已复制",
    "failed": "无法自动复制，请选中文本后手动复制",
    "close": "关闭",
    "accessed_note": "访问日期为今天（读者的浏览器日期）。",
}


def slot(name: str) -> dict:
    return {"slot": name}


def fill(template: Template, slots: dict[str, str]) -> str:
    """The template with every slot filled: what cite.js does in the browser."""
    return "".join(p if isinstance(p, str) else slots[p["slot"]] for p in template)


def outlet(entry: CatalogEntry) -> str:
    """The outlet's name without the catalog's trailing note in full-width parentheses:
    新智元（经凤凰网转载；…） -> 新智元."""
    return re.sub(r"\s*（[^（）]*）$", "", entry.outlet) or entry.outlet


def gbt_date(entry: CatalogEntry) -> str:
    """2024-12-07 / 2025-03 / 2025 as precise as the catalog knows; inferred in [ ]."""
    return f"[{entry.date}]" if entry.date_source == "inferred" else entry.date


def apa_date(entry: CatalogEntry) -> str:
    parts = entry.date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{parts[0]}, {month}" + (f" {int(parts[2])}" if len(parts) > 2 else "")


def apa_name(name_en: str, fallback: str) -> str:
    """'Andrew Ross Sorkin' -> 'Sorkin, A. R.'; a name without Latin letters stays as it is."""
    words = name_en.split()
    if not words or not re.search("[A-Za-z]", name_en):
        return fallback
    if len(words) == 1:
        return words[0]
    initials = " ".join("-".join(f"{part[0]}." for part in w.split("-") if part) for w in words[:-1])
    return f"{words[-1]}, {initials}"


def apa_authors(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def gbt_authors(names: list[str]) -> str:
    shown = ", ".join(names[:GBT_MAX_AUTHORS])
    return shown + (", 等" if len(names) > GBT_MAX_AUTHORS else "")


def _unbook(title: str) -> str:
    """A title inside 《》 takes 〈〉 for the book-title marks it holds itself."""
    return title.replace("《", "〈").replace("》", "〉")


def _date_zh(entry: CatalogEntry) -> str:
    parts = entry.date.split("-")
    return "".join(f"{int(v)}{u}" for v, u in zip(parts, "年月日"))


def gbt(doc: Document, edition: str) -> Template:
    e = doc.entry
    names = [p.name_zh for p in e.participants]
    return [f"{gbt_authors(names)}. {doc.title}[EB/OL]. {outlet(e)}, {gbt_date(e)}//{edition}: ¶", slot("anchor"),
            "[", slot("accessed"), "]. ", slot("url"), "."]


def apa(doc: Document, edition: str) -> Template:
    e = doc.entry
    names = [apa_name(p.name_en, p.name_zh) for p in e.participants]
    return [f"{apa_authors(names)} ({apa_date(e)}). {doc.title} (para. ", slot("anchor"),
            f"). {outlet(e)}. In {edition}. Retrieved ", slot("accessed_en"), ", from ", slot("url")]


def short(doc: Document, edition: str) -> Template:
    e = doc.entry
    names = "、".join(p.name_zh for p in e.participants)
    return [f"——{names}《{_unbook(doc.title)}》¶", slot("anchor"),
            f"，{outlet(e)}，{_date_zh(e)}；《{_unbook(edition)}》。", slot("url")]


def dublin_core(doc: Document, lang: str, edition: str) -> list[tuple[str, str]]:
    """The document page's citation metadata for reference managers (Zotero's Embedded Metadata
    translator reads dcterms.* and, finding no citation_* tags, saves a web page): the same
    participants, title, outlet and date as the citations above, the page's language, and the
    edition as og:site_name (Zotero's "Website Title"; overrides/main.html writes og:* as
    `property`). Not dcterms.source: Zotero would take it for the website's title too, and the
    source is the outlet's article, not this site. Plain text; the template escapes each value once."""
    e = doc.entry
    tags = [("dcterms.title", doc.title)]
    tags += [("dcterms.creator", p.name_zh) for p in e.participants]
    return tags + [("dcterms.date", e.date), ("dcterms.publisher", outlet(e)), ("dcterms.language", lang),
                   ("og:site_name", edition)]


_BIB_SPECIAL = re.compile(r"[\\{}%&$#_~^]")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    """Text as a BibTeX field's value: braces, backslash and TeX's special characters escaped, so
    a value can neither end its field nor run a command."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(), "\\" + m.group()), text)


def bib_name(name_en: str, fallback: str) -> str:
    """'Andrew Ross Sorkin' -> 'Sorkin, Andrew Ross'; one word or a name without Latin letters
    (the Chinese form) is braced whole, so BibTeX does not split it."""
    if not re.search("[A-Za-z]", name_en):
        return "{" + bib_escape(fallback) + "}"
    words = name_en.split()
    if len(words) == 1:
        return "{" + bib_escape(name_en) + "}"
    return f"{bib_escape(words[-1])}, {bib_escape(' '.join(words[:-1]))}"


def bibtex(doc: Document, edition: str) -> Template:
    """biblatex @online: key <slug>-<anchor>, the participants as authors (English names), title,
    date, the outlet as organization, the edition and the paragraph in note, url and urldate
    filled by cite.js."""
    e = doc.entry
    names = " and ".join(bib_name(p.name_en, p.name_zh) for p in e.participants)
    return [f"@online{{{e.slug}-", slot("anchor"), ",\n"
            f"  author = {{{names}}},\n"
            f"  title = {{{bib_escape(doc.title)}}},\n"
            f"  date = {{{bib_escape(e.date)}}},\n"
            f"  organization = {{{bib_escape(outlet(e))}}},\n"
            f"  note = {{{bib_escape(edition)}, \u00b6", slot("anchor"), "},\n"
            "  url = {", slot("url"), "},\n"
            "  urldate = {", slot("accessed"), "},\n}"]


def meta(doc: Document, edition: str, conv: Callable[[str], str] = lambda s: s) -> dict:
    """Everything cite.js needs for one document page. `doc` and `edition` (the edition's title)
    are already in the edition's script; conv converts only our own Simplified words (the panel's
    labels)."""
    return {
        "slug": doc.entry.slug,
        "labels": {k: conv(v) for k, v in LABELS.items()},
        "gbt": gbt(doc, edition),
        "apa": apa(doc, edition),
        "bib": bibtex(doc, edition),
        "short": short(doc, edition),
    }


def to_json(data: object) -> str:
    """JSON that is safe inside <script>: <, >, & (and the line separators) as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def element(doc: Document, edition: str, conv: Callable[[str], str] = lambda s: s) -> str:
    """The page's data element (one line, a raw HTML block for Markdown)."""
    return f'<script type="application/json" id="{ELEMENT_ID}">{to_json(meta(doc, edition, conv))}</script>'
