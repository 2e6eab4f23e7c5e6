"""The JSON edition (issue 16, item 6): edition.json in the site root, made by
hooks/reader/jsonedition.py and described by hooks/reader/edition.schema.json.

Data flow: site.load_edition (zh-Hans) -> jsonedition.for_site (zh-Hant Documents converted
once, seeds/SHA256SUMS digest) -> text; the built site (tests/conftest.py built_site) holds the
same bytes at edition.json. Checked: the schema (jsonschema, draft 2020-12), that every id the
JSON names exists in both built editions, that the zh-Hant text is the zh-Hant build's text,
that hostile text stays plain text, and that the output is deterministic.
"""
from __future__ import annotations

import hashlib
import html.parser
import json
from pathlib import Path

import jsonschema
import pytest

from reader import anchors, jsonedition, script, site
from reader.model import Block, CatalogEntry, Change, Document, Paragraph, Participant, Section

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "hooks" / "reader" / "edition.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hans():
    return site.load_edition(ROOT, "zh-Hans")[0]


@pytest.fixture(scope="module")
def text(hans) -> str:
    return jsonedition.for_site(ROOT, hans)


@pytest.fixture(scope="module")
def data(text) -> dict:
    return json.loads(text)


def _validate(data: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)


def test_real_edition_validates(data, hans):
    _validate(data)
    assert data["version"] == jsonedition.VERSION == "1.2"
    rows = [c["row"] for d in data["documents"] for c in d["apparatus"]]
    assert "2025-03-stratechery-altman.r233" in rows and all(r.startswith(tuple(d["slug"] + ".r" for d in data["documents"])) for r in rows)
    events = data["timeline"]
    assert len(events) >= 20 and [e["id"] for e in events] == [e.id for e in hans.timeline.events]
    refs = {e["id"]: [p["ref"] for p in e["passages"]] for e in events}
    assert "2025-01-bloomberg-altman#p5-1" in refs["chatgpt-launch"]
    founded = next(e for e in events if e["id"] == "openai-founded")
    assert any(p["reading"] == "2017~" for p in founded["passages"]), "a conflicting reading is kept"
    assert founded["display_date"] == {"zh-Hans": "2015年", "zh-Hant": "2015年"}


def test_schema_rejects_what_it_should(data):
    bad = json.loads(json.dumps(data))
    bad["documents"][0]["paragraphs"][0]["id"] = "p1"  # not an anchor
    with pytest.raises(jsonschema.ValidationError):
        _validate(bad)
    bad = json.loads(json.dumps(data))
    bad["documents"][0]["paragraphs"][0]["html"] = "<b>x</b>"  # unknown field
    with pytest.raises(jsonschema.ValidationError):
        _validate(bad)
    bad = json.loads(json.dumps(data))
    del bad["documents"][0]["title"]["zh-Hant"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(bad)


def test_matches_the_corpus(hans, data):
    sums = (ROOT / "seeds" / "SHA256SUMS").read_bytes()
    assert data["edition"]["generated_from"]["seeds_sha256sums"] == "sha256:" + hashlib.sha256(sums).hexdigest()
    assert [d["slug"] for d in data["documents"]] == [d.entry.slug for d in hans.docs]
    for doc, d in zip(hans.docs, data["documents"]):
        assert [p["id"] for p in d["paragraphs"]] == [p.id for p in doc.paragraphs()]
        assert [p["text"]["zh-Hans"] for p in d["paragraphs"]] == [p.text for p in doc.paragraphs()]
        assert [s["id"] for s in d["sections"]] == [s.id for s in doc.sections]
        assert len(d["apparatus"]) == len(doc.changes) and doc.changes
        assert [c["before"] for c in d["apparatus"]] == [c.before for c in doc.changes]
        assert (d["date"], d["precision"], d["date_source"]) == (doc.entry.date, doc.entry.precision,
                                                                 doc.entry.date_source)
        assert [p["id"] for p in d["participants"]] == [p.id for p in doc.entry.participants]
        speakers = {p["id"] for p in d["participants"]}
        assert {p["speaker"] for p in d["paragraphs"]} - {None} <= speakers
        for p in d["paragraphs"]:  # old anchors resolve to the paragraph that lists them
            for alias in p["aliases"]:
                assert anchors.resolve(hans.docs, f"{d['slug']}#{alias}", "t", 0, "ref")[1] == p["id"]
    people = {p["id"]: p for p in data["persons"]}
    dealbook = data["documents"][[d["slug"] for d in data["documents"]].index("2024-12-dealbook-altman")]
    altman = next(p for p in dealbook["participants"] if p["id"] == "altman")
    assert altman["name"] == people["altman"]["name"] == {"zh-Hans": "山姆·奥特曼", "zh-Hant": "山姆·奧特曼"}
    assert altman["name_en"] == "Sam Altman"
    assert [t["id"] for t in data["glossary"]] == sorted(t.id for t in hans.terms) and data["glossary"]
    assert list(people) == sorted(people) and len(people) == len(hans.people)


def test_zh_hant_text_is_the_zh_hant_builds(data):
    hant = site.load_edition(ROOT, "zh-Hant")[0]
    for doc, d in zip(hant.docs, data["documents"]):
        assert [p["text"]["zh-Hant"] for p in d["paragraphs"]] == [p.text for p in doc.paragraphs()]
        assert d["title"]["zh-Hant"] == doc.title
        assert [s["title"]["zh-Hant"] if s["title"] else "" for s in d["sections"]] == [s.heading for s in doc.sections]


def test_deterministic(hans, text):
    again = jsonedition.for_site(ROOT, hans)
    assert again == text and text.endswith("\n") and "\\u" not in text  # ensure_ascii=False
    assert list(json.loads(text)) == sorted(json.loads(text))  # sorted keys


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k == "id" and v)


def _ids(path: Path) -> set[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids


def test_every_anchor_exists_in_both_built_editions(built_site, text, data):
    assert (built_site / "edition.json").read_text(encoding="utf-8") == text  # the file the build wrote
    assert not (built_site / "zh-Hant" / "edition.json").exists()  # only once, in the root
    for d in data["documents"]:
        for lang, page in d["pages"].items():
            ids = _ids(built_site / page / "index.html")
            named = {p["id"] for p in d["paragraphs"]} | {s["id"] for s in d["sections"]}
            named |= {a for x in d["paragraphs"] + d["sections"] for a in x["aliases"]}
            named |= {c["anchor"] for c in d["apparatus"] if c["anchor"] and c["anchor"] != "top"}
            assert named and not named - ids, (lang, d["slug"], sorted(named - ids)[:5])


HOSTILE = "</script><script>alert(1)</script>&amp; {{ x }} {% raw %} **b** <b>x</b> \u202e\u0000 \"q\" \\"


def _hostile_doc() -> Document:
    entry = CatalogEntry(
        slug="evil", seed="e.txt", title=HOSTILE, outlet=HOSTILE, date="2024-01", precision="month",
        date_source="inferred", date_note=HOSTILE, event=HOSTILE, summary=HOSTILE, source_script="zh-Hans",
        participants=(Participant("a", HOSTILE, HOSTILE, HOSTILE),), speakers={}, source_url="https://e.org/x")
    para = Paragraph("p1-1", HOSTILE, speaker="a", aliases=("p1-2",), notes=(HOSTILE,))
    sec = Section("s1", HOSTILE, blocks=[Block("turn", [para], speaker="a")])
    return Document(entry, HOSTILE, [sec], [Change("evil", 3, "typos", HOSTILE, HOSTILE, HOSTILE, "", "p1-1")])


def test_hostile_text_stays_plain_text():
    doc = _hostile_doc()
    hant = script.to_hant(doc, script.Converter())
    out = jsonedition.dumps(jsonedition.build([doc], [hant], [], [], "0" * 64, HOSTILE, lambda s: s))
    data = json.loads(out)
    _validate(data)
    d = data["documents"][0]
    for value in (d["title"]["zh-Hans"], d["paragraphs"][0]["text"]["zh-Hans"], d["sections"][0]["title"]["zh-Hans"],
                  d["apparatus"][0]["before"], d["participants"][0]["name"]["zh-Hans"],
                  d["paragraphs"][0]["notes"][0]["zh-Hans"], data["edition"]["title"]["zh-Hans"]):
        assert value == HOSTILE  # exactly the text: no entity, no markup, no marks
    assert "&lt;" not in out and "&#" not in out
    assert d["paragraphs"][0]["speaker"] == "a" and d["paragraphs"][0]["aliases"] == ["p1-2"]


def test_ids_must_agree_between_scripts():
    doc = _hostile_doc()
    other = _hostile_doc()
    other.sections[0].blocks[0].paragraphs[0].id = "p1-9"
    with pytest.raises(ValueError, match="evil"):
        jsonedition.build([doc], [other], [], [], "0" * 64, "t", lambda s: s)


def test_the_shared_zh_hant_edition_gives_the_same_file(monkeypatch):
    """for_site takes the zh-Hant Documents from the zh-Hant Edition site.load_edition keeps for
    this corpus (converted once per process, shared with the search map and the zh-Hant build);
    an Edition that is not the kept one is converted in for_site: the same bytes either way."""
    from dataclasses import replace

    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    hans = site.load_edition(ROOT, "zh-Hans")[0]
    assert site.twin(ROOT, hans) is site.load_edition(ROOT, "zh-Hant")[0]
    other = replace(hans)  # the same content, not the kept Edition
    assert site.twin(ROOT, other) is None
    assert jsonedition.for_site(ROOT, hans) == jsonedition.for_site(ROOT, other)


def test_load_edition_keeps_a_fresh_conversion_per_corpus(monkeypatch):
    """The kept zh-Hant Edition is what a fresh conversion of the corpus gives; another corpus
    (the sources changed: corpuscache.load gives another object) gets its own."""
    import copy

    from reader import corpuscache, pages

    monkeypatch.setenv("READER_CORPUS_CACHE", "1")
    c = corpuscache.load(ROOT)
    hant, terms = site.load_edition(ROOT, "zh-Hant")
    again, terms_again = site.load_edition(ROOT, "zh-Hant")
    assert again is hant and terms_again == terms and terms_again is not terms
    fresh = pages.make_edition(c, "zh-Hant", site.hant_rules(ROOT, {d.entry.slug for d in c.docs}))
    assert hant.docs == fresh.docs and hant.labels == fresh.labels and hant.docs is not fresh.docs
    changed = copy.copy(c)
    monkeypatch.setattr(corpuscache, "load", lambda root: changed)
    hans = site.load_edition(ROOT, "zh-Hans")[0]
    assert site.load_edition(ROOT, "zh-Hant")[0] is not hant and site.twin(ROOT, hans) is not hant
    monkeypatch.setenv("READER_CORPUS_CACHE", "0")  # caches off: nothing kept
    assert site.load_edition(ROOT, "zh-Hans")[0] is not site.load_edition(ROOT, "zh-Hans")[0]
    assert site.twin(ROOT, site.load_edition(ROOT, "zh-Hans")[0]) is None
