"""Safe I/O: the only way the core reads a file, and the limits on what it reads.

Data flow: (project root, path, label, limit) -> checks on the path, none of which opens it
for reading -> bytes (at most `limit`) or EditionError(label, 0, "file", why). The checks:
the path exists; a symlink is not dangling; its real path (every symlink resolved) lies inside
the project root; what it names is a regular file (not a FIFO, device, directory or socket);
its size is within the limit. Only then is it opened, with O_NONBLOCK (a FIFO swapped in after
the checks cannot block) and O_NOFOLLOW, re-checked on the open descriptor (same file, still
regular) and read to at most limit + 1 bytes, so even a file that grows, or a stream, is bounded.

`seed_names` lists seeds/*.txt the same way (each a regular file, not a symlink, at most
MAX_DOCUMENTS); `tree_problem` checks a whole folder (docs/, read by MkDocs itself);
`jieba_cache` keeps jieba's dictionary cache in the project's own `.cache/jieba/`, not the
shared /tmp. Standard library only (tools/build.py imports it too).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .model import EditionError

MiB = 1024 * 1024
#: One seed. The largest seed today is 38 KB; the pipeline runs at about 0.04 MB/s
#: (`make bench`), so a 2 MiB seed already costs about 50 s per edition.
SEED_LIMIT = 2 * MiB
#: A YAML data file (catalog, corrections, structure, speakers, notes, checks): today <= 7 KB.
DATA_LIMIT = 1 * MiB
#: seeds/anchors.lock: about 10 KB per document today, so 4 MiB holds MAX_DOCUMENTS with room.
LOCK_LIMIT = 4 * MiB
#: A hand-written page or asset under docs/ (today <= 6 KB).
DOCS_FILE_LIMIT = 2 * MiB
#: Seeds (documents) in one edition.
MAX_DOCUMENTS = 200

PROJECT = Path(__file__).resolve().parents[2]  # hooks/reader/safeio.py -> the project root
JIEBA_CACHE = PROJECT / ".cache" / "jieba"

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def root_of(path: Path, label: str) -> Path:
    """The project root a labelled path belongs to: `path` minus the parts of `label`
    (`/p/seeds/x.yml` labelled `seeds/x.yml` -> `/p`); else the file's own folder."""
    parts = Path(label).parts
    if parts and not Path(label).is_absolute() and Path(path).parts[-len(parts):] == parts:
        return Path(*Path(path).parts[:-len(parts)]) if len(Path(path).parts) > len(parts) else Path(".")
    return Path(path).parent


def check(root: Path, path: Path, label: str, limit: int) -> os.stat_result:
    """The checks of read_bytes, without opening: the stat of the regular file, or EditionError."""
    def refuse(why: str) -> EditionError:
        return EditionError(label, 0, "file", why)

    root_real = os.path.realpath(root)
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        raise refuse("does not exist") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror}") from None
    real = os.path.realpath(path)
    if stat.S_ISLNK(lst.st_mode) and not os.path.lexists(real):
        raise refuse(f"is a dangling symlink (to {os.readlink(path)}): replace it with the file itself")
    if not _inside(real, root_real):
        raise refuse(f"resolves to {real}, outside the project ({root_real}): "
                     "copy the file into the project instead of linking to it")
    try:
        st = os.stat(real)
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise refuse(f"is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise refuse(f"is {st.st_size} bytes, over the limit of {limit} bytes ({limit / MiB:g} MiB)")
    return st


def read_bytes(root: Path, path: Path, label: str, limit: int) -> bytes:
    """The bytes of a regular file inside the project, at most `limit` of them; else EditionError."""
    before = check(root, path, label, limit)
    real = os.path.realpath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise EditionError(label, 0, "file", f"cannot be read: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise EditionError(label, 0, "file", "changed while it was being read (replaced by another file)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 * MiB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except BlockingIOError:
        raise EditionError(label, 0, "file", "would block: not a regular file") from None
    finally:
        os.close(fd)
    if size > limit:
        raise EditionError(label, 0, "file", f"grew over the limit of {limit} bytes while it was being read")
    return b"".join(chunks)


def read_text(root: Path, path: Path, label: str, limit: int) -> str:
    """read_bytes decoded as UTF-8 with universal newlines, like Path.read_text(encoding="utf-8").
    A UnicodeDecodeError is left to the caller (each words its own message)."""
    text = read_bytes(root, path, label, limit).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def present(path: Path) -> bool:
    """Whether an optional file is there; a dangling symlink is there (and read_bytes refuses it)."""
    return os.path.lexists(path)


def seed_names(seeds_dir: Path, limit: int = SEED_LIMIT) -> set[str]:
    """The names of seeds/*.txt, each checked (a regular file, copied in, not linked; within
    the limit), at most MAX_DOCUMENTS of them."""
    root = Path(seeds_dir).parent
    names = sorted(p.name for p in Path(seeds_dir).glob("*.txt"))
    if len(names) > MAX_DOCUMENTS:
        raise EditionError("seeds", 0, "file", f"{len(names)} seeds; an edition holds at most {MAX_DOCUMENTS}")
    for name in names:
        label = f"seeds/{name}"
        if os.path.islink(Path(seeds_dir) / name):
            raise EditionError(label, 0, "file", f"is a symlink (to {os.readlink(Path(seeds_dir) / name)}): "
                               "a seed is copied into seeds/, never linked")
        check(root, Path(seeds_dir) / name, label, limit)
    return set(names)


def tree_problem(root: Path, top: Path, label: str, limit: int = DOCS_FILE_LIMIT) -> str:
    """The first file under `top` that is not a regular file inside the project within `limit`
    (as "<label>/<path>: file: why"), or "" when all are. Symlinked folders inside the project
    are followed once, as MkDocs follows them."""
    root, top = Path(root), Path(top)
    seen: set[str] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        name = f"{label}/{folder.relative_to(top).as_posix()}".rstrip("/.") if folder != top else label
        try:
            check_dir(root, folder, name)
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except EditionError as exc:
            return str(exc)
        except OSError as exc:
            return f"{name}: file: cannot be read: {exc.strerror}"
        for entry in entries:
            path = Path(entry.path)
            rel = f"{label}/{path.relative_to(top).as_posix()}"
            if os.path.isdir(path) and not os.path.islink(path) or _is_dir_link_inside(root, path):
                stack.append(path)
                continue
            try:
                check(root, path, rel, limit)
            except EditionError as exc:
                return str(exc)
    return ""


def check_dir(root: Path, folder: Path, label: str) -> None:
    """A folder (docs/ or one below it) must lie inside the project, symlinks resolved."""
    real = os.path.realpath(folder)
    if not _inside(real, os.path.realpath(root)):
        raise EditionError(label, 0, "file", f"resolves to {real}, outside the project ({os.path.realpath(root)})")


def _is_dir_link_inside(root: Path, path: Path) -> bool:
    return os.path.islink(path) and os.path.isdir(path) and _inside(os.path.realpath(path), os.path.realpath(root))


def jieba_cache(tokenizer):
    """A jieba Tokenizer (jieba.dt or a private one) that keeps its dictionary cache in the
    project's `.cache/jieba/` (git-ignored) instead of the shared, world-writable /tmp."""
    if tokenizer.tmp_dir != str(JIEBA_CACHE):
        try:
            JIEBA_CACHE.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            pass  # read-only project: jieba then builds the dictionary without a cache
        tokenizer.tmp_dir = str(JIEBA_CACHE)
    return tokenizer
