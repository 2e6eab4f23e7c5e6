"""Read: bytes on disk -> text and validated data.

Data flow: seeds/*.txt (bytes) -> decode_seed() -> str; seeds/*.yml -> load_yaml() -> plain
Python data whose mappings remember their line numbers (LineDict) -> load_catalog() ->
list[CatalogEntry]. Every problem raises EditionError naming file, line and field.
This is the only stage that touches the file system.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

import yaml

from . import safeio
from .model import CatalogEntry, EditionError, Participant

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class LineDict(dict):
    """A mapping from YAML that knows where it and each of its keys stand in the file."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and records line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int)):
            raise EditionError(loader.name, line, str(key), "keys must be text")
        key = str(key)
        if key in out:
            raise EditionError(loader.name, line, key, f"duplicate key (first at line {out.key_lines[key]})")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: the catalog's date carries its own precision.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file; syntax errors and duplicate keys become EditionError."""
    name = label or path.name
    try:
        text = safeio.read_text(safeio.root_of(path, name), path, name, safeio.DATA_LIMIT)
    except (OSError, UnicodeDecodeError) as exc:
        raise EditionError(name, 0, "file", f"cannot read: {exc}") from None
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise EditionError(name, line, "syntax", f"{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise EditionError(name, 0, "syntax", str(exc)) from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- seeds


def decode_seed(data: bytes, name: str) -> str:
    """Decode a seed: UTF-8 (with or without BOM) or UTF-16 with BOM; refuse others clearly."""
    if not data.strip():
        raise EditionError(name, 0, "text", "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            guess = _guess_encoding(data)
            raise EditionError(name, data.count(b"\n", 0, exc.start) + 1, "encoding",
                               f"not UTF-8: {guess}; convert it once and keep the UTF-8 copy: "
                               f"`iconv -f {_iconv_name(guess)} -t UTF-8 {name} > {name}.utf8 && "
                               f"mv {name}.utf8 {name}`") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not CJK.search(text):
        raise EditionError(name, 0, "text", "the file holds no Chinese text")
    return text


def _guess_encoding(data: bytes) -> str:
    """Which legacy Chinese encoding the bytes are most likely in, for the error message.

    Each candidate must decode strictly; its score is the share of decoded CJK characters
    that jieba's dictionary knows (after t2s, so Traditional counts too). Misread bytes give
    rare characters and a low score.
    """
    import jieba
    import opencc

    safeio.jieba_cache(jieba.dt).initialize()
    known = jieba.dt.FREQ
    t2s = opencc.OpenCC("t2s")
    scores = {}
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        chars = CJK.findall(t2s.convert(text))
        scores[enc] = sum(c in known for c in chars) / len(chars) if chars else 0.0
    if not scores:
        return "no Chinese encoding (UTF-8, GB18030, Big5) decodes it"
    best = max(scores, key=scores.get)
    name = {"gb18030": "GB18030/GBK", "big5": "Big5"}[best]
    return f"it looks like {name} ({scores[best]:.0%} common characters)"


def _iconv_name(guess: str) -> str:
    return "BIG5" if "Big5" in guess else "GB18030"


# --------------------------------------------------------------------------- catalog

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^[a-z][a-z0-9_]*$")
DATE = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
        "year": re.compile(r"^\d{4}$")}
SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW")

REQUIRED = ("slug", "seed", "source_script", "title", "outlet", "date", "precision", "date_source",
            "date_note", "event", "summary", "participants", "speakers", "completeness")
OPTIONAL = ("source_url", "title_line", "title_hant", "missing", "completeness_note")
COMPLETENESS = ("complete", "partial")
PARTICIPANT = ("id", "name_zh", "name_en", "role")


def _field(entry: LineDict, key: str, file: str, kind: type = str) -> Any:
    line = entry.key_lines.get(key, entry.line)
    if key not in entry:
        raise EditionError(file, entry.line, key, "missing")
    value = entry[key]
    if kind is str and (not isinstance(value, str) or not value.strip()):
        raise EditionError(file, line, key, f"must be non-empty text, got {value!r}")
    if kind is not str and not isinstance(value, kind):
        raise EditionError(file, line, key, f"must be a {kind.__name__}, got {type(value).__name__}")
    return value


def parse_catalog(data: Any, file: str, seed_names: set[str] | None = None) -> list[CatalogEntry]:
    """Validate the catalog's data; seed_names, when given, must match the entries one to one."""
    if not isinstance(data, list) or not data:
        raise EditionError(file, 1, "catalog", "must be a non-empty list of entries")
    entries: list[CatalogEntry] = []
    seen: dict[str, int] = {}
    for raw in data:
        if not isinstance(raw, LineDict):
            raise EditionError(file, 0, "entry", f"each entry must be a mapping, got {raw!r}")
        for key in raw:
            if key not in REQUIRED and key not in OPTIONAL:
                raise EditionError(file, raw.key_lines[key], key, "unknown field")
        entries.append(_parse_entry(raw, file))
        for key in ("slug", "seed"):
            value = getattr(entries[-1], key)
            if (key, value) in seen:
                raise EditionError(file, raw.key_lines[key], key,
                                   f"{value!r} is used twice (also line {seen[(key, value)]})")
            seen[(key, value)] = raw.key_lines[key]
    if seed_names is not None:
        for entry, raw in zip(entries, data):
            if entry.seed not in seed_names:
                raise EditionError(file, raw.key_lines["seed"], "seed", f"seeds/{entry.seed} does not exist")
        listed = {e.seed for e in entries}
        for missing in sorted(seed_names - listed):
            raise EditionError(file, 0, "seed", f"seeds/{missing} has no catalog entry; add one")
    return sorted(entries, key=lambda e: (e.date, e.slug))


def _parse_entry(raw: LineDict, file: str) -> CatalogEntry:
    def line(key: str) -> int:
        return raw.key_lines.get(key, raw.line)

    slug = _field(raw, "slug", file)
    if not SLUG.match(slug):
        raise EditionError(file, line("slug"), "slug", f"{slug!r}: use lowercase ASCII words joined by '-'")
    script = _field(raw, "source_script", file)
    if script not in SCRIPTS:
        raise EditionError(file, line("source_script"), "source_script", f"{script!r}: one of {SCRIPTS}")
    precision = _field(raw, "precision", file)
    if precision not in DATE:
        raise EditionError(file, line("precision"), "precision", f"{precision!r}: one of day, month, year")
    date = str(_field(raw, "date", file))
    if not DATE[precision].match(date):
        raise EditionError(file, line("date"), "date", f"{date!r} does not match precision {precision!r}")
    source = _field(raw, "date_source", file)
    if source not in ("printed", "inferred"):
        raise EditionError(file, line("date_source"), "date_source", f"{source!r}: printed or inferred")
    participants = []
    for p in _field(raw, "participants", file, list):
        if not isinstance(p, LineDict):
            raise EditionError(file, line("participants"), "participants", "each must be a mapping")
        for key in p:
            if key not in PARTICIPANT:
                raise EditionError(file, p.key_lines[key], f"participants.{key}", "unknown field")
        values = {k: _field(p, k, file) for k in PARTICIPANT}
        if not ID.match(values["id"]):
            raise EditionError(file, p.key_lines["id"], "participants.id", f"{values['id']!r} is not an ASCII id")
        participants.append(Participant(**values))
    ids = {p.id for p in participants}
    speakers = _field(raw, "speakers", file, dict)
    for label, pid in speakers.items():
        if not isinstance(pid, str) or pid not in ids:
            raise EditionError(file, speakers.key_lines[label], f"speakers.{label}",
                               f"{pid!r} is not a participant id ({', '.join(sorted(ids))})")
    url = raw.get("source_url", "")
    if url and not re.match(r"^https?://[^\s<>\"]+$", str(url)):
        raise EditionError(file, line("source_url"), "source_url", f"{url!r} is not an http(s) URL")
    title_line = raw.get("title_line", 0)
    if not isinstance(title_line, int) or isinstance(title_line, bool) or title_line < 0:
        raise EditionError(file, line("title_line"), "title_line", "must be a line number")
    title_hant = raw.get("title_hant", "")
    if not isinstance(title_hant, str):
        raise EditionError(file, line("title_hant"), "title_hant", "must be text")
    completeness = _field(raw, "completeness", file)
    if completeness not in COMPLETENESS:
        raise EditionError(file, line("completeness"), "completeness", f"{completeness!r}: complete or partial")
    extra = {}
    for key in ("missing", "completeness_note"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise EditionError(file, line(key), key, "must be text")
        extra[key] = value.strip()
    if completeness == "partial":
        for key, what in (("missing", "what is missing"), ("completeness_note", "how we know")):
            if not extra[key]:
                raise EditionError(file, raw.line, key, f"missing: a partial text must say {what}")
    elif extra["missing"]:
        raise EditionError(file, line("missing"), "missing", "a complete text misses nothing: say partial")
    return CatalogEntry(
        slug=slug, seed=_field(raw, "seed", file), title=_field(raw, "title", file),
        outlet=_field(raw, "outlet", file), date=date, precision=precision, date_source=source,
        date_note=_field(raw, "date_note", file), event=_field(raw, "event", file),
        summary=_field(raw, "summary", file), source_script=script,
        participants=tuple(participants), speakers=dict(speakers), source_url=str(url),
        title_line=title_line, title_hant=title_hant, line=raw.line,
        completeness=completeness, missing=extra["missing"], completeness_note=extra["completeness_note"],
    )


def load_catalog(seeds_dir: Path) -> list[CatalogEntry]:
    """Read seeds/catalog.yml and check it against the *.txt files beside it."""
    path = seeds_dir / "catalog.yml"
    if not path.exists():
        raise EditionError("seeds/catalog.yml", 0, "file", "missing")
    names = safeio.seed_names(seeds_dir)
    return parse_catalog(load_yaml(path, "seeds/catalog.yml"), "seeds/catalog.yml", names)


def read_seed(seeds_dir: Path, entry: CatalogEntry) -> str:
    path = seeds_dir / entry.seed
    label = f"seeds/{entry.seed}"
    return decode_seed(safeio.read_bytes(seeds_dir.parent, path, label, safeio.SEED_LIMIT), label)
