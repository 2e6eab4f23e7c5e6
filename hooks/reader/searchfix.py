"""Material's search scripts with their handling of our queries corrected.

Data flow::

    the theme's assets/javascripts/workers/search.<hash>.min.js and assets/javascripts/bundle.<hash>.min.js
    (Material 9.7.6, minified)
        -> patch(): the file's FIXES applied, each found exactly once, else an EditionError
        -> the same path in the site (hooks/edition.py on_files: File.generated, both editions)

The worker (FIXES[WORKER]):

- Material segments each run of Han characters in a query by the longest tokens its index holds
  (integrations/search/query/segment/index.ts, `segment`), then searches the segments as
  prefixes. Its first loop never tries a token that ends at the run's last character
  (``j < query.length``), and its walk never goes on to a last single character
  (``q < query.length - 1``), so the last character of every run was lost: 对齐 became the prefix
  query 对* (对于, 对话, 对象… all matched and were highlighted), 算力 became 算*, 有限利润 became
  有限* 利*. With ``<=`` and ``< length`` the run's last character counts: 对齐 is searched as 对齐,
  奥特曼说 as 奥特曼 and 说. A query whose first character the index lacks is still searched whole,
  as Material does.
- The segments were joined as "奥特曼* 说", and Material then adds a ``*`` to every word, so every
  segment but the last became 奥特曼** and, its one ``*`` stripped, the term 奥特曼*, which no
  indexed word starts with: each result said 缺少: 奥特曼* under a text that holds 奥特曼, and
  the ranking's bonus for the share of the query's words a result holds never counted them.
  Joined with spaces, each segment gets its one ``*``: the same prefix search, its words counted.
- A single character between the words of a query was searched as a prefix too: 马斯克之争
  became 马斯克* 之* 争*, and 之* (之前, 之后, 之一, 之类…) outranked the passages about Musk;
  星际之门, absent from the texts, gave nine results for 之; in OpenAI的AGI, 的* found 的确.
  A single character between other words of the query is now searched whole: written 之^1
  (boost 1, no change to the score), which Material's query builder leaves without its ``*``.
  The query's first and last characters stay prefixes: the last may be a word still being typed
  (奥特曼说 finds 说明 too), and a query that starts a word the index lacks is still searched as
  Material did (人工 as 人* 工*, which finds 人工智能; a one-character query 对 finds 对于, 对话…).
- A query is split into words by lunr's query lexer, whose separator lunr copies once, when it
  loads, from its default (spaces and hyphens); Material then sets the tokenizer's separator from
  the site's configuration but not the lexer's. So GPT-5 was searched as GPT and 5* (50, 527…),
  ARC-AGI as ARC and AGI, though the index keeps them whole (mkdocs.yml's separator has no
  hyphen). The lexer now takes the site's separator too: GPT-5 is searched as GPT-5*, GPT as GPT*
  (GPT-4, GPT-4o, GPT-5…), and AGI no longer finds ARC-AGI. A leading hyphen still excludes a word.

The bundle (FIXES[BUNDLE]): a page opened from a result highlights the query (``?h=``) after
turning hyphens into spaces, so GPT-5 marked every GPT and every 5 on the page (45 marks on the
Stratechery interview, where GPT-5 occurs 8 times); hyphens are now kept, as the index keeps them.

(The site ships no source maps: tools/postbuild.py.) A new Material release must be looked at
again: the build stops if any piece is not found exactly once.
"""
from __future__ import annotations

import re

from .model import EditionError

WORKER, BUNDLE = "worker", "bundle"
#: the theme files' paths (their hashes change with Material's releases)
PATHS = {WORKER: re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"),
         BUNDLE: re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")}

#: per file: (Material 9.7.6's minified code, the corrected code)
FIXES: dict[str, tuple[tuple[str, str], ...]] = {
    WORKER: (
        ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
         "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
        ("n[a]&&a<t.length-1&&(i[s++]=a)",
         "n[a]&&a<t.length&&(i[s++]=a)"),
        ('s=>[...fe(s,this.index.invertedIndex)].join("* ")',
         '(s,o,q)=>{let a=q.length-q.trimStart().length,z=q.trimEnd().length;'
         'return[...fe(s,this.index.invertedIndex)].map(w=>{let i=o+s.indexOf(w);'
         'return w.length===1&&i>a&&i+1<z?w+"^1":w}).join(" ")}'),
        ("lunr.tokenizer.separator=new RegExp(e.separator),",
         "lunr.tokenizer.separator=lunr.QueryLexer.termSeparator=new RegExp(e.separator),"),
    ),
    BUNDLE: (
        ('return n=>{n=n.replace(/[\\s*+\\-:~^]+/g," ")',
         'return n=>{n=n.replace(/[\\s*+:~^]+/g," ")'),
    ),
}


def kind(src_uri: str) -> str | None:
    """WORKER or BUNDLE for the theme file that FIXES correct, else None."""
    return next((k for k, path in PATHS.items() if path.fullmatch(src_uri)), None)


def patch(js: str, which: str, name: str = "search script") -> str:
    """The file's code with FIXES[which] applied; EditionError when one is not there exactly once."""
    for old, new in FIXES[which]:
        if (n := js.count(old)) != 1:
            raise EditionError(name, 0, "search", f"Material's code to correct was found {n} times, "
                                                  f"not once: look at hooks/reader/searchfix.py again")
        js = js.replace(old, new)
    return js
