"""Shared test configuration.

Tables are cached in ``.hpcore-test-tables/`` at the repository root (unless
HPCORE_TABLE_DIR is set), so that one test run builds each fluid once and
later runs reuse them; a fresh clone builds them on first use.
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
os.environ.setdefault("HPCORE_TABLE_DIR", str(ROOT / ".hpcore-test-tables"))


def pytest_configure(config):
    """Under pytest-xdist (``-n``), compile every kernel once before the workers start.

    Most of the suite's time is numba compiling. Left to the tests, each worker process
    compiles the kernels its first tests call, and two workers that reach the same kernel
    at once both compile it (numba's disk cache has no lock between processes): in the
    fresh-clone run of 2026-12-06 the economizer compiled in both workers at the same time
    (244 and 116 s). Here the controller process hands every part of ``hpcore warmup``
    to fresh processes, one a core, the longest first, each compiled once into the shared
    disk cache (:mod:`hpcore._warmup`); the workers then load them. The tests of the
    cache itself still count what a second process loads. ``HPCORE_TEST_WARMUP=0`` turns
    this off; a run without ``-n`` (one file while developing, say) compiles only what
    its tests call, as before."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if os.environ.get("HPCORE_TEST_WARMUP", "1") == "0" or config.option.collectonly:
        return
    import time

    from hpcore import _warmup

    t0 = time.perf_counter()
    try:
        timings = _warmup.compile_in_processes(_warmup.all_parts(), _warmup.default_jobs())
    except RuntimeError as e:  # the tests that call the part then fail, each with its own report
        line = f"hpcore warm-up before the workers start failed; each worker compiles what it needs: {e}"
    else:
        parts = ", ".join(f"{'/'.join(p[:2])} {s:.0f} s" for p, s in timings)
        line = f"hpcore warm-up before the workers start: {time.perf_counter() - t0:.0f} s ({parts or 'one core'})"
    capture = config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(line, flush=True)
