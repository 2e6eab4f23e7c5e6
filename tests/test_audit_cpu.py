"""The mobile CPU slowdown `make audit` gives Lighthouse (tools/audit.py cpu_multiplier): the
Lighthouse team's calculator, so that a slow or busy host is not scored as a phone slower than
the one Lighthouse's mobile preset means (4x on a host of BenchmarkIndex ~1533)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import audit  # tools/audit.py (the module wins over the tools/audit/ folder)


@pytest.mark.parametrize("index, slowdown", [
    (0, 1.0), (150, 1.0), (800, 2.0), (1050, 2.5), (1300, 3.0), (1533, 4.0), (1766, 5.0), (2000, 6.0)])
def test_the_calculators_points(index, slowdown):
    assert audit.cpu_multiplier(index) == pytest.approx(slowdown, abs=0.01)


def test_the_default_4x_means_a_fast_host():
    """Lighthouse's own 4x is right only for a host of index ~1533; this VM measures 500-1150."""
    assert audit.cpu_multiplier(1000) < 3 < 4 < audit.cpu_multiplier(1600)


@given(st.floats(0, 5000), st.floats(0, 5000))
def test_a_faster_host_never_gets_less_slowdown(a, b):
    lo, hi = sorted((a, b))
    assert 1 <= audit.cpu_multiplier(lo) <= audit.cpu_multiplier(hi)


def _run(perf: float, stock: float | None, cpu: float = 10.0, **scores: float) -> audit.LighthouseRun:
    s = {"performance": perf, "accessibility": 100, "best-practices": 100, "seo": 100}
    s.update({k.replace("_", "-"): v for k, v in scores.items()})
    return audit.LighthouseRun(s, [], [], 3000, cpu, stock)


def test_the_stock_4x_reading_gates_mobile_performance_and_the_calibrated_one_warns():
    """The issue's target (never below 95) is judged at Lighthouse's own 4x, the median of the
    runs; the calibrated reading below 95 is a warning, not a failure."""
    ok, warn = audit.judge("u (mobile)", "mobile", [_run(84, 97), _run(90, 99), _run(88, 94)])
    assert ok == [] and len(warn) == 1 and "84" not in warn[0] and "88 < 95" in warn[0]
    bad, _ = audit.judge("u (mobile)", "mobile", [_run(99, 93), _run(99, 94), _run(99, 97)])
    assert [p.message for p in bad] == ["performance 94 < 95 at Lighthouse's stock 4x"]


def test_desktop_performance_and_the_other_categories_are_problems():
    bad, warn = audit.judge("u (desktop)", "desktop", [_run(90, None, cpu=1, seo=92)])
    assert warn == [] and sorted(p.message.split(" <")[0] for p in bad) == ["performance 90", "seo 92"]
    clean, warn = audit.judge("u (desktop)", "desktop", [_run(100, None, cpu=1)])
    assert clean == [] and warn == []


def test_a_third_party_request_is_a_problem():
    r = audit.LighthouseRun({c: 100 for c in audit.CATEGORIES}, ["https://cdn.example/x.js"], [], 3000, 4, 100)
    bad, _ = audit.judge("u (mobile)", "mobile", [r])
    assert [p.check for p in bad] == ["network"]


def test_a_shortfall_on_one_run_is_judged_on_three():
    """One load on a busy host can lose a few points: a performance shortfall is measured up to
    CONFIRM_RUNS runs and judged on their median; a page that passes is not measured again."""
    def measure_from(stocks):
        calls = []

        def measure(i):
            calls.append(i)
            return _run(99, stocks[i])
        return measure, calls

    measure, calls = measure_from([94, 97, 96])
    results, found, _ = audit.measured("u (mobile)", "mobile", measure, 1)
    assert calls == [0, 1, 2] and len(results) == 3 and found == []
    measure, calls = measure_from([93, 94, 97])  # a real shortfall stays one
    _, found, _ = audit.measured("u (mobile)", "mobile", measure, 1)
    assert calls == [0, 1, 2] and [p.message for p in found] == ["performance 94 < 95 at Lighthouse's stock 4x"]
    measure, calls = measure_from([98])
    _, found, _ = audit.measured("u (mobile)", "mobile", measure, 1)
    assert calls == [0] and found == []
