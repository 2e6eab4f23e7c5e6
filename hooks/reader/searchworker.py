"""Material's search worker with its Chinese query segmentation corrected.

Data flow::

    the theme's assets/javascripts/workers/search.<hash>.min.js (Material 9.7.6, minified)
        -> patch(): two comparisons and one assignment corrected, each found exactly once, else an EditionError
        -> the same path in the site (hooks/edition.py on_files: File.generated, both editions)

Material segments each run of Han characters in a query by the longest tokens its index holds
(integrations/search/query/segment/index.ts, `segment`), then searches the segments as prefixes.
Its first loop never tries a token that ends at the run's last character (``j < query.length``),
and its walk never goes on to a last single character (``q < query.length - 1``), so the last
character of every run was lost: 对齐 became the prefix query 对* (对于, 对话, 对象… all matched and
were highlighted), 算力 became 算*, 有限利润 became 有限* 利*. With ``<=`` and ``< length`` the run's
last character counts: 对齐 is searched as 对齐, 奥特曼说 as 奥特曼 and 说. A query whose first
character the index lacks is still searched whole, as Material does.

A query is split into words by lunr's query lexer, whose separator lunr copies once, when it
loads, from its default (spaces and hyphens); Material then sets the tokenizer's separator from
the site's configuration but not the lexer's. So GPT-5 was searched as GPT and 5* (50, 527…),
ARC-AGI as ARC and AGI, though the index keeps them whole (mkdocs.yml's separator has no
hyphen). The lexer now takes the site's separator too: GPT-5 is searched as GPT-5*, GPT as GPT*
(GPT-4, GPT-4o, GPT-5…), and AGI no longer finds ARC-AGI. A leading hyphen still excludes a word. (The site ships no source
maps: tools/postbuild.py.) A new Material release must be looked at again: the build
stops if any piece is not found exactly once.
"""
from __future__ import annotations

import re

from .model import EditionError

#: the worker's path among the theme's files (its hash changes with Material's releases)
WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")

#: (Material 9.7.6's minified code, the corrected code)
FIXES = (
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
    ("n[a]&&a<t.length-1&&(i[s++]=a)",
     "n[a]&&a<t.length&&(i[s++]=a)"),
    ("lunr.tokenizer.separator=new RegExp(e.separator),",
     "lunr.tokenizer.separator=lunr.QueryLexer.termSeparator=new RegExp(e.separator),"),
)


def is_worker(src_uri: str) -> bool:
    return WORKER.fullmatch(src_uri) is not None


def patch(js: str, name: str = "search worker") -> str:
    """The worker's code with FIXES applied; EditionError when one is not there exactly once."""
    for old, new in FIXES:
        if (n := js.count(old)) != 1:
            raise EditionError(name, 0, "segment", f"Material's query segmentation was found {n} times, "
                                                   f"not once: look at hooks/reader/searchworker.py again")
        js = js.replace(old, new)
    return js
