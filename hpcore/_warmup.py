"""Compiling kernels in several processes at once, ahead of a sweep.

numba compiles a function in the process that first calls it, on one core, and stores
the machine code in its disk cache (``hpcore._numba``). A warm-up with ``jobs`` > 1 hands
its parts (one cycle, the property kernels, one system solve) to up to ``jobs`` fresh
Python processes at a time, which compile them side by side into that cache; the calling
process then runs every part itself, loading from the cache (a part a worker's
compilation left out is compiled there, so nothing depends on the workers).

The workers are plain subprocesses (``python -m hpcore._warmup PART``), not a
multiprocessing pool: a pool's ``spawn`` workers import the caller's main module again,
which breaks a script that calls the warm-up at its top level, and a daemon process
(a Dask worker's) may not start a pool at all; a forked copy of a process whose numba
thread pool runs is not safe either.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import time

SYSTEM_PARTS = ("basic", "transcritical")

#: seconds each part took to compile in a worker of a two-process pool from a fresh clone
#: (2-core Xeon, 2026-12-06, the basic and economizer parts building their tables; numba's
#: inlining from a cache and the dominator tree: :mod:`hpcore._numba`): the pool takes the
#: longest first, so that its processes finish together
_SECONDS = {("cycle", "economizer"): 124, ("cycle", "basic"): 112, ("system", "basic"): 98,
            ("system", "transcritical"): 55, ("cycle", "two_stage"): 46, ("cycle", "ihx"): 43,
            ("cycle", "cascade"): 36, ("cycle", "transcritical"): 20, ("properties",): 11}


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
    """Run ``parts`` (:func:`run_part`) in up to ``jobs`` fresh processes at a time, the
    longest first; returns [(part, seconds)] in that order. With one job, or one part,
    nothing is started. A part that fails in its worker raises RuntimeError with the
    worker's last lines of stderr."""
    check_jobs(jobs)
    parts = longest_first(parts)
    if jobs == 1 or len(parts) < 2:
        return []
    # a thread a worker: each waits on its subprocess (which reads its pipes as it runs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(jobs, len(parts))) as ex:
        futures = [ex.submit(_run_in_worker, part) for part in parts]
        try:
            return [f.result() for f in futures]
        except BaseException:
            for f in futures:  # the parts not started yet
                f.cancel()
            raise


def _run_in_worker(part):
    """One part in a fresh interpreter: (part, seconds), or RuntimeError with its stderr."""
    cmd = [sys.executable, "-m", "hpcore._warmup", json.dumps(list(part))]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        tail = "\n".join(r.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"warm-up part {part!r} failed in a worker process (exit code {r.returncode}):\n{tail}")
    return part, json.loads(r.stdout.strip().splitlines()[-1])


def all_parts():
    """Every part (:func:`run_part`) of :func:`warmup_all`: each cycle, each system solve and
    the property look-ups (the transcritical parts on R744 whatever the fluid; their labels
    say so)."""
    from .cycles.api import CYCLES

    return ([("cycle", c, "R744" if c == "transcritical" else "R290") for c in CYCLES]
            + [("system", k, "R744" if k == "transcritical" else "R32") for k in SYSTEM_PARTS]
            + [("properties", "R290")])


def warmup_all(jobs=None):
    """Every kernel a sweep can run: the cycles, the property look-ups and the system
    solves, compiled in ``jobs`` processes (default: :func:`default_jobs`), then loaded
    in this one. Returns (seconds, [(part, seconds in its worker)])."""
    from .components.system import warmup as warmup_system
    from .cycles.api import warmup as warmup_cycles

    jobs = default_jobs() if jobs is None else check_jobs(jobs)
    t0 = time.perf_counter()
    timings = compile_in_processes(all_parts(), jobs)
    warmup_cycles()
    warmup_system()
    return time.perf_counter() - t0, timings


if __name__ == "__main__":  # a worker of compile_in_processes: one part, its seconds on stdout
    print(json.dumps(run_part(tuple(json.loads(sys.argv[1])))[1]))
