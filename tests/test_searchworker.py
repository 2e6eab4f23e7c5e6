"""reader/searchworker.py: Material's search worker with its Chinese query segmentation corrected.
The patch applies to the installed Material's worker, exactly where it should; anything else
stops the build with the file named; the built site serves the corrected worker (its effect on
queries: tests/browser/test_search.py)."""
from __future__ import annotations

from pathlib import Path

import material
import pytest

from reader import searchworker
from reader.model import EditionError

WORKERS = sorted((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))


def test_material_ships_one_worker_and_the_patch_applies_to_it():
    assert len(WORKERS) == 1
    src = WORKERS[0].read_text(encoding="utf-8")
    assert searchworker.is_worker(WORKERS[0].relative_to(WORKERS[0].parents[3]).as_posix())
    out = searchworker.patch(src)
    assert out != src and len(out) == len(src) - 1 + len("lunr.QueryLexer.termSeparator=")  # "=" added, "-1" dropped
    for old, new in searchworker.FIXES:
        assert old not in out and out.count(new) == 1


@pytest.mark.parametrize("js", ["", "function fe(t,e){}", searchworker.FIXES[0][0] * 2 + searchworker.FIXES[1][0]])
def test_a_worker_without_the_code_stops_the_build(js):
    with pytest.raises(EditionError) as err:
        searchworker.patch(js, "assets/javascripts/workers/search.0123abcd.min.js")
    assert "search.0123abcd.min.js" in str(err.value) and "searchworker.py" in str(err.value)


def test_only_the_worker_is_matched():
    assert searchworker.is_worker("assets/javascripts/workers/search.2c215733.min.js")
    assert not searchworker.is_worker("assets/javascripts/workers/search.2c215733.min.js.map")
    assert not searchworker.is_worker("assets/javascripts/bundle.79ae519e.min.js")


def test_the_site_serves_the_corrected_worker(built_site):
    served = list(built_site.glob("assets/javascripts/workers/search.*.min.js"))
    assert len(served) == 1 and served[0].name == WORKERS[0].name
    assert searchworker.FIXES[0][1] in served[0].read_text(encoding="utf-8")
