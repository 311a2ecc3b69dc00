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

#: bytes of memory touched once before the first benchmark (HPCORE_BENCH_WARM_GB; 0: none)
WARM_BYTES = int(float(os.environ.get("HPCORE_BENCH_WARM_GB", 6)) * 2**30)


@pytest.fixture(scope="session", autouse=True)
def _guest_memory_touched():
    """Touch (then free) a few GB before the first benchmark. On the project's virtual
    machines the first write to memory the guest has not used since it booted is backed
    by the host then and there: filling 1.5 GB (the basic benchmark's outputs) took 3.9 s
    the first time and 0.10 s every later time, in one process and in the next. Without
    this, whichever benchmark allocates first pays that (the basic cycle's API call on
    10^7 points: 515 ns a point instead of about 75), whatever the library does."""
    if WARM_BYTES > 0:
        import numpy as np

        a = np.empty(WARM_BYTES // 8)
        a[:] = 0.0
        del a
    yield


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
