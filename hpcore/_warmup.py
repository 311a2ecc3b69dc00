"""Compiling kernels in several processes at once, ahead of a sweep.

numba compiles a function in the process that first calls it, on one core, and stores
the machine code in its disk cache (``hpcore._numba``). A warm-up with ``jobs`` > 1 hands
its parts (one cycle, the property kernels, one system solve) to a pool of fresh
processes, which compile them side by side into that cache; the calling process then
runs every part itself, loading from the cache (a part a worker's compilation left out
is compiled there, so nothing depends on the pool). Workers are started by ``spawn``:
a forked copy of a process whose numba thread pool is running is not safe.
"""
import concurrent.futures
import multiprocessing
import os
import time

SYSTEM_PARTS = ("basic", "transcritical")

#: seconds each part took to compile in a worker of a two-process pool from empty caches
#: (2-core EPYC, 2026-12-05, with its table build): the pool takes the longest first, so
#: that its processes finish together
_SECONDS = {("cycle", "economizer"): 137, ("system", "basic"): 125, ("cycle", "two_stage"): 115,
            ("cycle", "basic"): 107, ("cycle", "cascade"): 56, ("cycle", "ihx"): 45,
            ("system", "transcritical"): 44, ("cycle", "transcritical"): 43, ("properties",): 24}


def longest_first(parts):
    """``parts`` (:func:`run_part`) in the order the pool takes them: the longest to
    compile first (a part not measured last)."""
    def seconds(part):
        key = tuple(part[:1]) if part[0] == "properties" else tuple(part[:2])
        return _SECONDS.get(key, 0)

    return sorted(parts, key=seconds, reverse=True)


def default_jobs():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def check_jobs(jobs):
    """``jobs`` as a positive int, or a ValueError naming it."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs={jobs!r}: give a whole number of processes >= 1")
    return jobs


def run_part(part):
    """Compile (or load) one part in this process; returns (part, seconds). ``part``:
    ("cycle", cycle, fluid), ("properties", fluid) or ("system", "basic" | "transcritical", fluid)."""
    t0 = time.perf_counter()
    kind = part[0]
    if kind == "cycle":
        from .cycles.api import warm_cycle

        warm_cycle(part[1], part[2])
    elif kind == "properties":
        from .cycles.api import warm_properties

        warm_properties(part[1])
    elif kind == "system":
        from .components.system import warm_system

        warm_system(part[1], part[2])
    else:
        raise ValueError(f"part={part!r}: kind must be 'cycle', 'properties' or 'system'")
    return part, time.perf_counter() - t0


def compile_in_processes(parts, jobs):
    """Run ``parts`` (:func:`run_part`) in a pool of ``jobs`` fresh processes, the longest
    first; returns [(part, seconds)] in that order. With one job, or one part, nothing is
    started."""
    check_jobs(jobs)
    parts = longest_first(parts)
    if jobs == 1 or len(parts) < 2:
        return []
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(parts)), mp_context=ctx) as ex:
        return list(ex.map(run_part, parts))


def warmup_all(jobs=None):
    """Every kernel a sweep can run: the cycles, the property look-ups and the system
    solves, compiled in ``jobs`` processes (default: :func:`default_jobs`), then loaded
    in this one. Returns (seconds, [(part, seconds in its worker)])."""
    from .components.system import warmup as warmup_system
    from .cycles.api import warmup as warmup_cycles

    jobs = default_jobs() if jobs is None else check_jobs(jobs)
    t0 = time.perf_counter()
    from .cycles.api import CYCLES

    parts = ([("cycle", c, "R290") for c in CYCLES] + [("system", k, "R32") for k in SYSTEM_PARTS]
             + [("properties", "R290")])
    timings = compile_in_processes(parts, jobs)
    warmup_cycles()
    warmup_system()
    return time.perf_counter() - t0, timings
