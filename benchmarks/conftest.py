"""Benchmarks: pytest-benchmark, JIT warmed before timing, CoolProp measured in the same run.

Run: ``python -m pytest benchmarks --benchmark-only -s`` (add ``-k basic`` etc.). Each
benchmark stores the time per point in ``extra_info``; a summary of medians per point and
the ratios between implementations is printed at the end of the run.
"""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
os.environ.setdefault("HPCORE_TABLE_DIR", str(ROOT / ".hpcore-test-tables"))

RESULTS = {}


def record(group, impl, seconds_per_point, **info):
    RESULTS.setdefault(group, {})[impl] = (seconds_per_point, info)


@pytest.fixture
def per_point():
    def _record(benchmark, group, impl, n, **info):
        med = benchmark.stats.stats.median
        benchmark.extra_info.update(n=n, seconds_per_point=med / n, **info)
        record(group, impl, med / n, **info)

    return _record


@pytest.fixture
def record_result():
    """``record(group, impl, seconds_per_point, **info)`` for timings measured by hand."""
    return record


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    tr = terminalreporter
    tr.write_sep("=", "hpcore benchmark summary (median time per point)")
    for group, impls in RESULTS.items():
        tr.write_line(f"{group}:")
        base = {k: v[0] for k, v in impls.items()}
        for impl, (spp, info) in impls.items():
            tr.write_line(f"  {impl:<40} {spp * 1e9:12.1f} ns/point  {1.0 / spp:12.4g} points/s  {info}")
        hp = [k for k in base if k.startswith("hpcore")]
        cp = [k for k in base if not k.startswith("hpcore")]
        for h in hp:
            for c in cp:
                tr.write_line(f"  ratio {c} / {h}: {base[c] / base[h]:.1f}x")
