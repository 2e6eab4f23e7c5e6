"""reader/searchfix.py: Material's search worker and bundle with their handling of our queries
corrected. Each fix applies to the installed Material's file, exactly where it should; anything
else stops the build with the file named; the built site serves the corrected files (their effect
on queries and highlights: tests/browser/test_search.py)."""
from __future__ import annotations

from pathlib import Path

import material
import pytest

from reader import searchfix
from reader.model import EditionError

THEME = Path(material.__file__).parent / "templates"
FILES = {searchfix.WORKER: sorted(THEME.glob("assets/javascripts/workers/search.*.min.js")),
         searchfix.BUNDLE: sorted(THEME.glob("assets/javascripts/bundle.*.min.js"))}


@pytest.mark.parametrize("which", FILES)
def test_material_ships_one_file_of_each_and_the_fixes_apply(which):
    assert len(FILES[which]) == 1
    path = FILES[which][0]
    assert searchfix.kind(path.relative_to(THEME).as_posix()) == which
    src = path.read_text(encoding="utf-8")
    out = searchfix.patch(src, which)
    assert len(out) - len(src) == sum(len(new) - len(old) for old, new in searchfix.FIXES[which])
    for old, new in searchfix.FIXES[which]:
        assert old not in out and out.count(new) == 1


@pytest.mark.parametrize("js", ["", "function fe(t,e){}",
                                searchfix.FIXES["worker"][0][0] * 2 + searchfix.FIXES["worker"][1][0]])
def test_a_file_without_the_code_stops_the_build(js):
    with pytest.raises(EditionError) as err:
        searchfix.patch(js, searchfix.WORKER, "assets/javascripts/workers/search.0123abcd.min.js")
    assert "search.0123abcd.min.js" in str(err.value) and "searchfix.py" in str(err.value)


def test_only_the_two_files_are_matched():
    assert searchfix.kind("assets/javascripts/workers/search.2c215733.min.js") == searchfix.WORKER
    assert searchfix.kind("assets/javascripts/bundle.79ae519e.min.js") == searchfix.BUNDLE
    assert searchfix.kind("assets/javascripts/workers/search.2c215733.min.js.map") is None
    assert searchfix.kind("assets/javascripts/lunr/min/lunr.zh.min.js") is None


@pytest.mark.parametrize("which", FILES)
def test_the_site_serves_the_corrected_files(built_site, which):
    name = FILES[which][0].relative_to(THEME)
    served = (built_site / name).read_text(encoding="utf-8")
    assert all(new in served for _, new in searchfix.FIXES[which])
