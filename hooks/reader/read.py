"""Read: bytes on disk -> text and validated data.

Data flow: seeds/*.txt (bytes) -> decode_seed() -> str; seeds/*.yml -> load_yaml() -> plain
Python data whose mappings remember their line numbers (LineDict) -> load_catalog() ->
list[CatalogEntry]. load_yaml parses with libyaml (C) where the text is plain, else (and to
report any error) with PyYAML's pure-Python parser; both give the same data and lines. Every problem raises EditionError naming file, line and field.
This is the only stage that touches the file system.
"""
from __future__ import annotations

import codecs
import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from . import limits, safeio
from .cjk import HAN as CJK
from .model import CatalogEntry, EditionError, Participant

_quote = limits.quote  # every value shown in a message, cut to a few dozen characters


class LineDict(dict):
    """A mapping from YAML that knows where it and each of its keys stand in the file."""

    line: int = 0
    key_lines: dict[str, int]


class _Checks:
    """Composing, refuse anchors and aliases (a few hundred bytes of aliases expand to billions
    of values) and nesting deeper than limits.MAX_DEPTH: a mixin of both loaders below."""

    _depth = 0
    name: str

    def compose_node(self, parent, index):
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise EditionError(self.name, event.start_mark.line + 1, "yaml",
                               "anchors and aliases (&x / *x) are not allowed in data files")
        if self._depth >= limits.MAX_DEPTH:
            raise EditionError(self.name, event.start_mark.line + 1, "yaml",
                               f"nested more than {limits.MAX_DEPTH} levels deep: flatten the data")
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _Loader(_Checks, yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, anchors and aliases and deep nesting, and
    records line numbers: pure Python, and the one whose errors the messages quote."""


LIBYAML: bool = yaml.__with_libyaml__  # PyYAML built with libyaml (its wheels are)

if LIBYAML:
    from yaml._yaml import CParser

    class _CLoader(_Checks, yaml.composer.Composer, yaml.constructor.SafeConstructor,  # type: ignore[misc]
                   yaml.resolver.Resolver, CParser):
        """_Loader's checks and constructors over libyaml's scanner and parser (C): the same
        events, marks and nodes, several times faster. Composing stays in Python (Composer
        comes before CParser), so every node passes _Checks. Where libyaml reads a text that
        PyYAML refuses or reads otherwise (found by differential fuzzing: a tag, a block
        scalar, a plain scalar with '?' in a flow collection; none occurs in seeds/), _Unsure
        hands the text to _Loader."""

        _flow = 0  # how many flow collections ([...], {...}) the node being composed is inside

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)

        def compose_scalar_node(self, anchor):
            event = self.peek_event()
            if (event.tag is not None or event.style in ("|", ">")  # `! x`, `|#c`: read otherwise
                    or self._flow and not event.style and "?" in event.value):  # plain `[a?b]`: refused
                raise _Unsure
            return super().compose_scalar_node(anchor)

        def _collection(self, compose, anchor):
            event = self.peek_event()
            if event.tag is not None:
                raise _Unsure
            flow = 1 if event.flow_style else 0
            self._flow += flow
            try:
                return compose(anchor)
            finally:
                self._flow -= flow

        def compose_sequence_node(self, anchor):
            return self._collection(super().compose_sequence_node, anchor)

        def compose_mapping_node(self, anchor):
            return self._collection(super().compose_mapping_node, anchor)


class _Unsure(Exception):
    """The libyaml path met text the two parsers may read differently: the pure-Python one decides."""


#: What the fast path leaves to the pure-Python loader: line breaks other than \n (each parser
#: counts lines its own way), tabs and a byte order mark (where the two differ at the edges),
#: and characters YAML does not allow (the Python reader's message names them).
_UNUSUAL = re.compile("[\r\t\x85\u2028\u2029\ufeff]")


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more digits than int() converts
        raise EditionError(loader.name, node.start_mark.line + 1, "yaml",
                           f"number {_quote(node.value)} is too long: write it as text in quotes") from None


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:  # !!timestamp 2024-13-45
        raise EditionError(loader.name, node.start_mark.line + 1, "yaml",
                           f"{_quote(node.value)} is not a date: {exc}") from None


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int)):
            raise EditionError(loader.name, line, _quote(key, 40), "keys must be text")
        key = str(key)
        if key in out:
            raise EditionError(loader.name, line, key, f"duplicate key (first at line {out.key_lines[key]})")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
# Dates stay text: the catalog's date carries its own precision.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
if LIBYAML:
    _CLoader.yaml_constructors = _Loader.yaml_constructors
    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _fast(text: str, name: str) -> tuple[bool, Any]:
    """(True, data) read with libyaml where the text is plain (see _UNUSUAL); (False, None) when
    it is not, or on any error: the pure-Python loader then reads it, and says what is wrong."""
    if not LIBYAML or _UNUSUAL.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return False, None
    try:
        loader = _CLoader(text)
    except Exception:  # noqa: BLE001  # the pure-Python loader reports it
        return False, None
    loader.name = name
    try:
        return True, loader.get_single_data()
    except Exception:  # noqa: BLE001  # the pure-Python loader reports it
        return False, None
    finally:
        loader.dispose()


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file; syntax errors and duplicate keys become EditionError."""
    name = label or path.name
    try:
        text = safeio.read_text(safeio.root_of(path, name), path, name, safeio.DATA_LIMIT)
    except (OSError, UnicodeDecodeError) as exc:
        raise EditionError(name, 0, "file", f"cannot read: {exc}") from None
    done, data = _fast(text, name)
    if done:
        return data
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters
        raise EditionError(name, 0, "syntax", _quote(str(exc), 200)) from None
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise EditionError(name, line, "syntax", _quote(f"{exc.problem or exc.context}", 200)) from None
    except yaml.YAMLError as exc:
        raise EditionError(name, 0, "syntax", _quote(str(exc), 200)) from None
    except RecursionError:
        raise EditionError(name, 0, "yaml", "nested too deeply to read: flatten the data") from None
    except MemoryError:
        raise EditionError(name, 0, "yaml", "too large to read (out of memory)") from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- seeds


def decode_seed(data: bytes, name: str) -> str:
    """Decode a seed: UTF-8 (with or without BOM) or UTF-16 with BOM; refuse others clearly."""
    if not data.strip():
        raise EditionError(name, 0, "text", "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].decode("utf-16", "replace").count("\n") + 1
            raise EditionError(name, line, "encoding",
                               f"UTF-16 (it has a byte order mark) but byte {exc.start} is damaged "
                               f"({exc.reason}); re-save the file as UTF-8") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            utf16 = _utf16_without_bom(data)
            if utf16:
                raise EditionError(name, 0, "encoding",
                                   f"UTF-16 ({utf16}) without a byte order mark; convert it once and keep the "
                                   f"UTF-8 copy: `iconv -f {utf16} -t UTF-8 {name} > {name}.utf8 && "
                                   f"mv {name}.utf8 {name}`") from None
            stray = _stray_bytes(data)
            if stray:
                raise EditionError(name, stray[0], "encoding", stray[1]) from None
            guess = _guess_encoding(data)
            raise EditionError(name, data.count(b"\n", 0, exc.start) + 1, "encoding",
                               f"not UTF-8: {guess}; convert it once and keep the UTF-8 copy: "
                               f"`iconv -f {_iconv_name(guess)} -t UTF-8 {name} > {name}.utf8 && "
                               f"mv {name}.utf8 {name}`") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not CJK.search(text):
        raise EditionError(name, 0, "text", "the file holds no Chinese text")
    return text


def _utf16_without_bom(data: bytes) -> str:
    """'UTF-16LE' or 'UTF-16BE' when the bytes read as Chinese text in that encoding, else ''.

    Evidence: the NUL bytes of ASCII characters sit at odd (LE) or even (BE) offsets, or,
    without ASCII, the strict decoding is almost all Chinese, punctuation and whitespace."""
    sample = data[:200_000]
    sample = sample[:len(sample) // 2 * 2]
    if len(sample) < 4:
        return ""
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    for enc, nuls, other in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        try:
            text = sample.decode(enc.lower().replace("utf-16", "utf-16-"))
        except UnicodeDecodeError:
            continue
        if not CJK.search(text):
            continue
        plausible = sum(1 for c in text if CJK.match(c) or c.isspace() or " " <= c <= "~"
                        or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
        if (nuls and nuls >= len(sample) // 40 and other <= nuls // 10) or plausible >= 0.95 * len(text):
            return enc
    return ""


def _stray_bytes(data: bytes, most: int = 3) -> tuple[int, str] | None:
    """(line, message) when otherwise valid UTF-8 holds a few invalid bytes: damage, not an encoding."""
    bad: list[int] = []
    pos = 0
    while len(bad) <= most:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += exc.end
    if not bad or len(bad) > most:
        return None
    text = data.decode("utf-8", "replace")
    if sum(1 for c in text if ord(c) > 127 and c != "\ufffd") < 3 * len(bad):
        return None  # too little valid UTF-8 around the bad bytes to call them stray
    at = bad[0]
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", "replace")) + 1
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    return line, (f"invalid UTF-8 byte 0x{data[at]:02X} at line {line}, column {column}{more}: "
                  "the rest of the file is UTF-8, so the file is damaged there; fix or delete that byte")


def _guess_encoding(data: bytes) -> str:
    """Which legacy Chinese encoding the bytes are most likely in, for the error message.

    Each candidate must decode strictly; its score is the share of decoded CJK characters
    that jieba's dictionary knows (after t2s, so Traditional counts too). Misread bytes give
    rare characters and a low score.
    """
    import jieba

    from .clean.overconversion import converter

    safeio.jieba_cache(jieba.dt).initialize()
    known = jieba.dt.FREQ
    t2s = converter("t2s")
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
    best = max(scores, key=scores.__getitem__)
    name = {"gb18030": "GB18030/GBK", "big5": "Big5"}[best]
    return f"it looks like {name} ({scores[best]:.0%} common characters)"


def _iconv_name(guess: str) -> str:
    return "BIG5" if "Big5" in guess else "GB18030"


# --------------------------------------------------------------------------- catalog

# Matched with fullmatch (never `^…$`, which lets a trailing newline through); ASCII digits only.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID = re.compile(r"[a-z][a-z0-9_]*")
SEED = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.txt")  # a file name in seeds/, no path
DATE = {"day": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "month": re.compile(r"[0-9]{4}-[0-9]{2}"),
        "year": re.compile(r"[0-9]{4}")}
URL = re.compile(r"https?://[^\s<>\"'`\x00-\x1f\x7f]+")  # what render.py will link; else refused here
SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW")

REQUIRED = ("slug", "seed", "source_script", "title", "outlet", "date", "precision", "date_source",
            "date_note", "event", "summary", "participants", "speakers", "completeness")
OPTIONAL = ("source_url", "title_line", "title_hant", "missing", "completeness_note")
COMPLETENESS = ("complete", "partial")
PARTICIPANT = ("id", "name_zh", "name_en", "role")
PEOPLE = "seeds/people.yml"


def _field(entry: LineDict, key: str, file: str, kind: type = str) -> Any:
    line = entry.key_lines.get(key, entry.line)
    if key not in entry:
        raise EditionError(file, entry.line, key, "missing")
    value = entry[key]
    if kind is str and not isinstance(value, str):
        raise EditionError(file, line, key, _not_text(value, key))
    if kind is str and not value.strip():
        raise EditionError(file, line, key, f"must be non-empty text, got {_quote(value)}")
    if kind is not str and not isinstance(value, kind):
        raise EditionError(file, line, key, f"must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _not_text(value: Any, what: str) -> str:
    """What to write instead, when YAML read a text field as something else."""
    if isinstance(value, bool):
        return ("YAML reads an unquoted yes/no/on/off/true/false as true or false: "
                f"write the {what} as text, e.g. 'yes' in quotes")
    if isinstance(value, (int, float)):
        shown = _quote(value, 20)
        return f"YAML reads {shown} as a number: write the {what} as text, e.g. '{shown}' in quotes"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return (f"YAML reads {value.isoformat()} as a date: write the {what} as text, e.g. "
                f"'{value.isoformat()}' in quotes")
    if value is None:
        return "is empty: write non-empty text"
    return f"must be non-empty text, got {type(value).__name__} {_quote(value)}"


def _check_date(date: str, precision: str) -> str:
    """'' when `date` is a real date at its precision, else what is wrong."""
    if not DATE[precision].fullmatch(date):
        return f"{_quote(date)} does not match precision {precision!r} (YYYY-MM-DD, YYYY-MM or YYYY)"
    parts = [int(p) for p in date.split("-")] + [1, 1]
    try:
        datetime.date(parts[0] or 1, parts[1], parts[2])
    except ValueError as exc:
        return f"{_quote(date)} is not a real date ({exc})"
    if parts[0] == 0:
        return f"{_quote(date)} is not a real date (year 0)"
    return ""


def parse_catalog(data: Any, file: str, seed_names: set[str] | None = None,
                  people: dict[str, tuple[str, str, int]] | None = None) -> list[CatalogEntry]:
    """Validate the catalog's data; seed_names, when given, must match the entries one to one.

    people (id -> (name_zh, name_en, line in seeds/people.yml)) resolves participants written as
    {id, role}. A participant may carry name_zh and name_en itself only when its id is not in
    people (a fixture, or a document whose people are not registered yet)."""
    if not isinstance(data, list) or not data:
        raise EditionError(file, 1, "catalog", "must be a non-empty list of entries")
    entries: list[CatalogEntry] = []
    seen: dict[tuple[str, Any], int] = {}
    for raw in data:
        if not isinstance(raw, LineDict):
            raise EditionError(file, 0, "entry", f"each entry must be a mapping, got {_quote(raw)}")
        for key in raw:
            if key not in REQUIRED and key not in OPTIONAL:
                raise EditionError(file, raw.key_lines[key], str(key)[:40], "unknown field")
        entries.append(_parse_entry(raw, file, people))
        for key in ("slug", "seed"):
            value = getattr(entries[-1], key)
            if (key, value) in seen:
                raise EditionError(file, raw.key_lines[key], key,
                                   f"{_quote(value)} is used twice (also line {seen[(key, value)]})")
            seen[(key, value)] = raw.key_lines[key]
    if seed_names is not None:
        for entry, raw in zip(entries, data):
            if entry.seed not in seed_names:
                raise EditionError(file, raw.key_lines["seed"], "seed", f"seeds/{entry.seed} does not exist")
        listed = {e.seed for e in entries}
        for missing in sorted(seed_names - listed):
            raise EditionError(file, 0, "seed", f"seeds/{missing} has no catalog entry; add one")
    return sorted(entries, key=lambda e: (e.date, e.slug))


def _parse_entry(raw: LineDict, file: str, people: dict[str, tuple[str, str, int]] | None = None) -> CatalogEntry:
    def line(key: str) -> int:
        return raw.key_lines.get(key, raw.line)

    slug = _field(raw, "slug", file)
    if not SLUG.fullmatch(slug):
        raise EditionError(file, line("slug"), "slug", f"{_quote(slug)}: use lowercase ASCII words joined by '-'")
    seed = _field(raw, "seed", file)
    if not SEED.fullmatch(seed):
        raise EditionError(file, line("seed"), "seed", f"{_quote(seed)}: the name of a .txt file in seeds/ "
                           "(ASCII letters, digits, '_', '-', '.'; no folders)")
    script = _field(raw, "source_script", file)
    if script not in SCRIPTS:
        raise EditionError(file, line("source_script"), "source_script", f"{_quote(script)}: one of {SCRIPTS}")
    precision = _field(raw, "precision", file)
    if precision not in DATE:
        raise EditionError(file, line("precision"), "precision", f"{_quote(precision)}: one of day, month, year")
    date = _field(raw, "date", file)
    problem = _check_date(date, precision)
    if problem:
        raise EditionError(file, line("date"), "date", problem)
    source = _field(raw, "date_source", file)
    if source not in ("printed", "inferred"):
        raise EditionError(file, line("date_source"), "date_source", f"{_quote(source)}: printed or inferred")
    participants: list[Participant] = []
    for p in _field(raw, "participants", file, list):
        if not isinstance(p, LineDict):
            raise EditionError(file, line("participants"), "participants", "each must be a mapping")
        for key in p:
            if key not in PARTICIPANT:
                raise EditionError(file, p.key_lines[key], f"participants.{key}", "unknown field")
        values = _participant(p, file, people)
        if any(q.id == values["id"] for q in participants):
            raise EditionError(file, p.key_lines["id"], "participants.id",
                               f"{_quote(values['id'])} is used twice in this entry: each participant needs its own id")
        participants.append(Participant(**values))
    ids = {p.id for p in participants}
    speakers = _field(raw, "speakers", file, dict)
    for label, pid in speakers.items():
        if not isinstance(pid, str) or pid not in ids:
            raise EditionError(file, speakers.key_lines[label], f"speakers.{str(label)[:40]}",
                               f"{_quote(pid)} is not a participant id ({', '.join(sorted(ids))})")
    url = raw.get("source_url", "")
    if url and not isinstance(url, str):
        raise EditionError(file, line("source_url"), "source_url", _not_text(url, "URL"))
    if url and not URL.fullmatch(url):
        raise EditionError(file, line("source_url"), "source_url",
                           f"{_quote(url)} is not an http(s) URL without spaces, quotes, <, > or `: "
                           "percent-encode those characters (e.g. %20 for a space, %22 for \")")
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
        slug=slug, seed=seed, title=_field(raw, "title", file),
        outlet=_field(raw, "outlet", file), date=date, precision=precision, date_source=source,
        date_note=_field(raw, "date_note", file), event=_field(raw, "event", file),
        summary=_field(raw, "summary", file), source_script=script,
        participants=tuple(participants), speakers=dict(speakers), source_url=str(url),
        title_line=title_line, title_hant=title_hant, line=raw.line,
        completeness=completeness, missing=extra["missing"], completeness_note=extra["completeness_note"],
    )


def _participant(p: LineDict, file: str, people: dict[str, tuple[str, str, int]] | None) -> dict[str, str]:
    """One participant: {id, role}, its names from seeds/people.yml; or, for an id people.yml
    does not hold, {id, name_zh, name_en, role} (test fixtures, a document not yet indexed)."""
    pid = _field(p, "id", file)
    if not ID.fullmatch(pid):
        raise EditionError(file, p.key_lines["id"], "participants.id",
                           f"{_quote(pid)} is not an ASCII id (a-z, 0-9, _; a letter first)")
    role = _field(p, "role", file)
    inline = [k for k in ("name_zh", "name_en") if k in p]
    if people is not None and pid in people:
        if inline:
            raise EditionError(file, p.key_lines[inline[0]], f"participants.{inline[0]}",
                               f"{_quote(pid)}'s names are in {PEOPLE} (line {people[pid][2]}): "
                               "write only {id, role} here")
        return {"id": pid, "name_zh": people[pid][0], "name_en": people[pid][1], "role": role}
    if not inline:
        where = f"no entry in {PEOPLE}" if people is not None else f"no {PEOPLE} to look it up in"
        raise EditionError(file, p.key_lines["id"], "participants.id",
                           f"{_quote(pid)} is an unknown participant ({where}): add it there, "
                           "or give name_zh and name_en here")
    return {"id": pid, "name_zh": _field(p, "name_zh", file), "name_en": _field(p, "name_en", file), "role": role}


def load_people(seeds_dir: Path) -> list:
    """seeds/people.yml as annotate.Person entries ([] when the file is absent)."""
    from . import annotate

    path = seeds_dir / "people.yml"
    if not safeio.present(path):
        return []
    return annotate.parse_people(load_yaml(path, PEOPLE), PEOPLE)


def load_catalog(seeds_dir: Path) -> list[CatalogEntry]:
    """Read seeds/catalog.yml and check it against the *.txt files beside it; participants
    are resolved through seeds/people.yml."""
    path = seeds_dir / "catalog.yml"
    if not path.exists():
        raise EditionError("seeds/catalog.yml", 0, "file", "missing")
    names = safeio.seed_names(seeds_dir)
    people = {p.id: (p.name_zh, p.name_en, p.line) for p in load_people(seeds_dir)}
    return parse_catalog(load_yaml(path, "seeds/catalog.yml"), "seeds/catalog.yml", names, people)


def read_seed(seeds_dir: Path, entry: CatalogEntry) -> str:
    """The seed's text; running out of memory or stack names the file too."""
    name = f"seeds/{entry.seed}"
    try:
        return _read_seed(seeds_dir, entry)
    except MemoryError:
        raise EditionError(name, 0, "file", "too large to read (out of memory)") from None
    except RecursionError:
        raise EditionError(name, 0, "file", "cannot be read (recursion too deep)") from None


def _read_seed(seeds_dir: Path, entry: CatalogEntry) -> str:
    path = seeds_dir / entry.seed
    label = f"seeds/{entry.seed}"
    return decode_seed(safeio.read_bytes(seeds_dir.parent, path, label, safeio.SEED_LIMIT), label)
