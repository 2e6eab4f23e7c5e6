"""Sort a correction table (seeds/corrections/*.yml) by its key, keeping the header comment.

Usage: .venv/bin/python tools/sort_table.py seeds/corrections/names.yml [...]
Entries are the blocks that start with "- "; the key is `find`, or (doc, line/pattern) for
boilerplate.yml, (doc, bytes) for conjectures.yml. The tests require sorted tables; this saves doing it by hand.
"""
import re
import sys

import yaml


def key(block: str):
    data = yaml.safe_load(block)[0]
    if "bytes" in data:
        return (data["doc"], data["bytes"])
    if "doc" in data:
        return (data["doc"], str(data.get("line") or data.get("pattern")).strip())
    return (data["find"], tuple(data.get("docs", ())))


def main(paths):
    for path in paths:
        text = open(path, encoding="utf-8").read()
        first = re.search(r"^- ", text, re.M)
        if not first:
            continue
        head, body = text[:first.start()], text[first.start():]
        blocks = re.split(r"\n(?=- )", body.strip("\n"))
        blocks.sort(key=key)
        open(path, "w", encoding="utf-8").write(head + "\n".join(blocks) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
