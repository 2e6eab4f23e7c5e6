"""Cross-check: our zh-Hant text against a second, independent converter (zhconv-rs).

Data flow: (zh-Hans Documents, their zh-Hant twins from script.to_hant) -> items (doc, anchor,
Simplified text, our text) for every text the edition converts: headings and paragraphs by
anchor, the catalog card, the apparatus's corrections, the interface strings, the editors'
glossary, people and timeline texts (data_items), and what the caller adds (the about page)
-> zhconv-rs converts the same Simplified text (then our quotation pass, so that only
characters are compared) -> ours and theirs aligned character by character
(difflib where the lengths differ) -> one Disagreement per differing run: (doc, anchor, the
Simplified characters, ours, theirs, and the Simplified word around them with its two
conversions) -> check() against seeds/checks/zh-hant-reviewed.yml (Review entries) -> the
disagreements nobody has looked at, and review words no disagreement uses any more. Every
disagreement is either fixed in seeds/corrections/zh-hant.yml (then it disappears) or reviewed
there with a reason why ours is right. inconsistencies() adds what a comparison cannot see: a
Simplified word our text writes in two ways (s2tw agreeing with zhconv-rs in one place only).

Which zhconv-rs target: 'zh-hant'. Our edition is mainland wording in Traditional characters
with Taiwan standard forms (OpenCC s2tw, no vocabulary swap). zhconv-rs's 'zh-tw' swaps
vocabulary (软件 -> 軟體, 芯片 -> 晶片, 人工智能 -> 人工智慧, 数据 -> 資料), which we on
purpose do not do: on our corpus most of its disagreements are that policy difference, and 16
texts change length, so the few real errors drown in noise. 'zh-hant' (MediaWiki's rules with
OpenCC's tables, no regional wording) keeps the wording and the length of every text, and its
disagreements with us are all meaningful: character standard (it writes 着, 台, 濕 where
Taiwan's standard has 著, 臺, 溼: reviewed, ours is right), phrase segmentation (持續瞭, 更復雜,
贊美, 迴歸, 併為: one of the two converters is wrong; fixed or reviewed word by word), and names
(愛范兒, 《商業周刊》).

Words come from jieba over the Simplified text, with a private dictionary-only tokenizer (no
HMM, no words taught by the site), so the report is the same in every process. A
one-character word is shown with its neighbouring words (持续|了|一年 -> 持续了一年), not with
punctuation. Pure: no I/O; the caller loads the review file with read.load_yaml.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from . import checks, safeio
from .model import Document, EditionError
from .script import corner_quotes

if TYPE_CHECKING:
    from .read import LineDict

TARGET: Final = "zh-hant"  # Final: a Literal, as zhconv_rs.zhconv's locale argument is typed
REVIEW_FIELDS = {"hans", "ours", "theirs", "words", "reason"}


@dataclass(frozen=True)
class Disagreement:
    doc: str
    anchor: str
    hans: str  # the Simplified characters where the two conversions differ
    ours: str
    theirs: str
    word: str  # the Simplified word around them (the review key), and its two conversions
    word_ours: str
    word_theirs: str

    def __str__(self) -> str:
        return (f"{self.doc}#{self.anchor}: {self.word} -> ours {self.word_ours}, "
                f"zhconv-rs {self.word_theirs} ({self.hans}: {self.ours} / {self.theirs})")


@dataclass(frozen=True)
class Review:
    hans: str
    ours: str
    theirs: str
    words: tuple[str, ...]
    reason: str
    line: int = 0
    file: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.hans, self.ours, self.theirs)


def zhconv(text: str) -> str:
    """The second converter: zhconv-rs, target zh-hant, no wikitext syntax; then our quotes."""
    import zhconv_rs

    return corner_quotes(zhconv_rs.zhconv(text, TARGET, False)) if text else text


@cache
def _tokenizer():
    import jieba

    tok = safeio.jieba_cache(jieba.Tokenizer())  # private: the global one learns the site's search terms
    tok.initialize()
    return tok


def word_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for word in _tokenizer().cut(text, HMM=False):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


def _word_around(text: str, spans: list[tuple[int, int]], i: int, j: int) -> tuple[int, int]:
    """The words overlapping [i, j); a one-character result takes its neighbouring words too
    (not punctuation)."""
    hit = [k for k, (a, b) in enumerate(spans) if a < max(j, i + 1) and b > i]
    if not hit:
        return i, j
    lo, hi = hit[0], hit[-1]
    if spans[hi][1] - spans[lo][0] == 1:
        if lo > 0 and _wordlike(text, spans[lo - 1]):
            lo -= 1
        if hi + 1 < len(spans) and _wordlike(text, spans[hi + 1]):
            hi += 1
    return spans[lo][0], spans[hi][1]


def _wordlike(text: str, span: tuple[int, int]) -> bool:
    return any(ch.isalnum() for ch in text[span[0]:span[1]])  # not punctuation or space


def compare(hans: str, ours: str, theirs: str) -> list[tuple[str, str, str, str, str, str]]:
    """(hans, ours, theirs, word, word_ours, word_theirs) for each run where ours != theirs.

    Equal lengths (the rule: both converters map character to character): positions align.
    Otherwise difflib aligns ours with theirs, and the Simplified text with ours."""
    if ours == theirs:
        return []
    spans = word_spans(hans)
    out = []
    if len(hans) == len(ours) == len(theirs):
        i = 0
        while i < len(ours):
            if ours[i] == theirs[i]:
                i += 1
                continue
            j = i
            while j < len(ours) and ours[j] != theirs[j]:
                j += 1
            a, b = _word_around(hans, spans, i, j)
            out.append((hans[i:j], ours[i:j], theirs[i:j], hans[a:b], ours[a:b], theirs[a:b]))
            i = j
        return out
    to_hans = _mapping(ours, hans)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        h1, h2 = to_hans(i1), to_hans(i2)
        a, b = _word_around(hans, spans, h1, h2)
        # the word in ours and theirs: widen the run by the same number of characters each side
        left, right = h1 - a, b - h2
        out.append((hans[h1:h2], ours[i1:i2], theirs[j1:j2], hans[a:b],
                    ours[max(i1 - left, 0):i2 + right], theirs[max(j1 - left, 0):j2 + right]))
    return out


def _mapping(src: str, dst: str) -> Callable[[int], int]:
    """Position in src -> position in dst, through difflib's alignment."""
    if len(src) == len(dst):
        return lambda i: i
    blocks = difflib.SequenceMatcher(None, src, dst, autojunk=False).get_matching_blocks()

    def to(i: int) -> int:
        for a, b, n in blocks:
            if a <= i <= a + n:
                return b + (i - a)
            if a > i:
                return b
        return len(dst)

    return to


def document_items(hans_docs: list[Document], hant_docs: list[Document]) -> list[tuple[str, str, str, str]]:
    """(doc, anchor, Simplified, ours) for every text of the documents that the edition converts:
    headings and paragraphs by anchor; the catalog card as `card:<field>`; the apparatus's
    corrections (their `after` and reason) as `<anchor>:change`."""
    out: list[tuple[str, str, str, str]] = []
    for h, t in zip(hans_docs, hant_docs, strict=True):
        slug = h.entry.slug
        if slug != t.entry.slug:
            raise ValueError(f"documents out of step: {slug} / {t.entry.slug}")
        for hs, ts in zip(h.sections, t.sections, strict=True):
            out.append((slug, hs.id, hs.heading, ts.heading))
            hp = [p for b in hs.blocks for p in b.paragraphs]
            tp = [p for b in ts.blocks for p in b.paragraphs]
            out += [(slug, a.id, a.text, b.text) for a, b in zip(hp, tp, strict=True)]
        if not t.entry.title_hant:  # a title given in zh-Hant by the catalog is not converted
            out.append((slug, "card:title", h.entry.title, t.entry.title))
        out += [(slug, f"card:{f}", getattr(h.entry, f), getattr(t.entry, f))
                for f in checks.CARD_FIELDS]
        for a, b in zip(h.entry.participants, t.entry.participants, strict=True):
            out += [(slug, f"card:{a.id}", a.name_zh, b.name_zh), (slug, f"card:{a.id}", a.role, b.role)]
        for ca, cb in zip(h.changes, t.changes, strict=True):
            out += [(slug, f"{ca.anchor}:change", ca.after, cb.after), (slug, f"{ca.anchor}:change", ca.reason, cb.reason)]
    return out


def interface_items(conv: Callable[[str], str]) -> list[tuple[str, str, str, str]]:
    """The generated pages' own words (labels, titles, introductions, kinds of change)."""
    from . import pages, render, timeline

    base = render.Labels()
    texts = [(f"label:{f.name}", getattr(base, f.name)) for f in fields(base)]
    texts += [(f"pages:{name}", value) for name, value in sorted(vars(pages).items())
              if name.endswith(("_TITLE", "_INTRO", "_TEXT", "_CONTENTS")) and isinstance(value, str)]
    texts += [(f"kind:{k}", v) for k, v in pages.KINDS.items()]
    tl = timeline.Labels()
    texts += [("timeline:title", timeline.TITLE), ("timeline:intro", timeline.INTRO)]
    texts += [(f"timeline:{g}", label) for g, label in timeline.GROUPS.items()]
    texts += [(f"timeline:label:{f.name}", getattr(tl, f.name)) for f in fields(tl)]
    return [("interface", where, text, conv(text)) for where, text in texts]


def data_items(terms: list, people: list, events: list, conv: Callable[[str], str]) -> list[tuple[str, str, str, str]]:
    """The editors' own texts in both scripts: glossary terms (headword, definition) and people
    (name, identification) with the zh-Hant seeds/glossary.yml and seeds/people.yml hold, timeline
    events (title, description) with seeds/timeline.yml's, and what the timeline converts as it
    renders (the note on a date, a passage's note)."""
    out: list[tuple[str, str, str, str]] = []
    for t in terms:
        out += [("glossary", t.id, t.headword, t.headword_hant), ("glossary", t.id, t.definition, t.definition_hant)]
    for p in people:
        out += [("people", p.id, p.name_zh, p.name_hant), ("people", p.id, p.identification, p.identification_hant)]
    for e in events:
        out += [("timeline", e.id, e.title, e.title_hant), ("timeline", e.id, e.description, e.description_hant)]
        out += [("timeline", f"{e.id}:note", note, conv(note))
                for note in (e.date_note, *(p.note for p in e.passages)) if note]
    return out


def disagreements(items: Iterable[tuple[str, str, str, str]],
                  other: Callable[[str], str] = zhconv) -> list[Disagreement]:
    """items: (doc or page, anchor or field, Simplified text, our zh-Hant text)."""
    out: list[Disagreement] = []
    for doc, anchor, hans, ours in items:
        for run in compare(hans, ours, other(hans)):
            out.append(Disagreement(doc, anchor, *run))
    return out


def inconsistencies(items: Iterable[tuple[str, str, str, str]]) -> dict[str, dict[str, list[str]]]:
    """One form throughout: a Simplified word (two characters or more, as jieba cuts it) that our
    text writes in more than one way -> {our form: [doc#anchor, ...]}. This finds what the
    comparison cannot: s2tw agreeing with zhconv-rs in one place and not in another (了解 as
    瞭解 here, 了解 there). Texts whose conversion changed their length are skipped."""
    forms: dict[str, dict[str, list[str]]] = {}
    for doc, anchor, hans, ours in items:
        if len(hans) != len(ours):
            continue
        for i, j in word_spans(hans):
            if j - i > 1:
                forms.setdefault(hans[i:j], {}).setdefault(ours[i:j], []).append(f"{doc}#{anchor}")
    return {w: f for w, f in sorted(forms.items()) if len(f) > 1}


def parse_reviewed(data: Any, file: str) -> list[Review]:
    """A list of {hans, ours, theirs, words, reason}: one entry per character pair (the
    differing characters in the Simplified text, ours, zhconv-rs's), covering the listed
    Simplified words; sorted by (hans, ours, theirs), words sorted, nothing twice."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise EditionError(file, 1, "reviewed", "must be a list of entries")
    reviews: list[Review] = []
    raw: LineDict
    for raw in data:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, dict):
            raise EditionError(file, line, "entry", f"must be a mapping, got {raw!r}")
        key_line = raw.key_lines.get
        for key in raw:
            if key not in REVIEW_FIELDS:
                raise EditionError(file, key_line(key, line), key, "unknown field")
        for key in ("hans", "ours", "theirs", "reason"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                raise EditionError(file, key_line(key, line), key, "missing or not text")
        words = raw.get("words")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise EditionError(file, key_line("words", line), "words", "must be a list of Simplified words")
        if words != sorted(set(words)):
            raise EditionError(file, key_line("words", line), "words",
                               f"keep the words sorted, each once: [{', '.join(sorted(set(words)))}]")
        missing = [w for w in words if raw["hans"] not in w]
        if missing:
            raise EditionError(file, key_line("words", line), "words",
                               f"{missing}: each word must contain {raw['hans']!r}")
        if raw["ours"] == raw["theirs"]:
            raise EditionError(file, key_line("theirs", line), "theirs", "equal to ours: nothing to review")
        reviews.append(Review(raw["hans"], raw["ours"], raw["theirs"], tuple(words), raw["reason"], line, file))
    for prev, cur in zip(reviews, reviews[1:]):
        if cur.key == prev.key:
            raise EditionError(file, cur.line, "hans", f"{cur.key} is listed twice (first at line {prev.line})")
        if cur.key < prev.key:
            raise EditionError(file, cur.line, "hans", f"{cur.key} is out of order: keep the file sorted")
    return reviews


def check(found: list[Disagreement], reviews: list[Review]) -> tuple[list[Disagreement], list[str]]:
    """-> (disagreements no review covers, review words no disagreement uses)."""
    covered = {(r.key, w): r for r in reviews for w in r.words}
    used: set[tuple] = set()
    unreviewed = []
    for d in found:
        k = ((d.hans, d.ours, d.theirs), d.word)
        if k in covered:
            used.add(k)
        else:
            unreviewed.append(d)
    unused = [f"{r.file}:{r.line}: {r.hans} {r.ours}/{r.theirs}: {w}"
              for r in reviews for w in r.words if (r.key, w) not in used]
    return unreviewed, unused
