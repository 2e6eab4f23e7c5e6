"""The HTML blocks of generated pages, kept out of Python-Markdown's way.

Data flow::

    a generated page's Markdown (render.py and friends: headings and the title in Markdown,
    every other block one chunk of finished, escaped HTML between blank lines)
        --stash()--> Markdown with one placeholder paragraph per HTML chunk, + the chunks
    Markdown (toc, attr_list) sees headings and placeholders only
    the page's HTML --restore()--> each <p>placeholder</p> replaced by its chunk, as it was
    ids(chunks) --> the anchors MkDocs' link validation would have found in them

Python-Markdown would keep such a chunk as it is anyway (a raw HTML block), but finds it with
two full HTML parses (its own and MkDocs' anchor collector): most of a build's Markdown time.
Hand-written pages (docs/) never come here. The placeholder is made of U+0001, which esc()
turns into a visible ⟨U+0001⟩ in any text, so no page text can look like one.
"""
from __future__ import annotations

import re

_MARK = "\x01"
_BLOCK = re.compile(r"<(?:div|p|ol|ul|dl|table|section|aside|nav|details|figure|blockquote|script|h[1-6])[\s>]")
_PLACEHOLDER = re.compile(f"<p>{_MARK}(\\d+){_MARK}</p>")
_ID = re.compile(r'<[a-z][a-z0-9]*\s[^>]*?\bid="([^"]*)"')


def stash(markdown: str) -> tuple[str, list[str]]:
    """(Markdown with HTML chunks replaced by placeholders, the chunks in order)."""
    chunks: list[str] = []
    out = []
    for part in markdown.split("\n\n"):
        if _BLOCK.match(part) and _MARK not in part:
            out.append(f"{_MARK}{len(chunks)}{_MARK}")
            chunks.append(part)
        else:
            out.append(part)
    return "\n\n".join(out), chunks


def restore(html: str, chunks: list[str]) -> str:
    """The page's HTML with every placeholder paragraph replaced by its chunk."""
    if not chunks:
        return html
    return _PLACEHOLDER.sub(lambda m: chunks[int(m[1])], html)


def ids(chunks: list[str]) -> set[str]:
    """Every id attribute in the chunks (they are built with escaped, quoted attribute values)."""
    return {m for chunk in chunks for m in _ID.findall(chunk)}
