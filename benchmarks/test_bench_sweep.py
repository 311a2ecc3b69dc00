"""Sweep throughput against the raw kernel on the same points, interleaved.

Run:  pytest benchmarks/test_bench_sweep.py --benchmark-only -s
Sizes: HPCORE_BENCH_SWEEP_N="1e7,1e8" (default 1e6); rounds:
HPCORE_BENCH_SWEEP_ROUNDS (default 3). The basic cycle of R290 over a
T_evap x T_cond grid, one output (COP_heating) plus status.

- ``kernel``: ``hpcore.cycles.evaluate(parallel=True)`` with every core's
  numba threads, in this process, block by block over the same points
  (inputs built outside the timing), the same output and status.
- ``sweep``: ``hpcore.sweep`` on the embedded default cluster
  (:func:`hpcore.sweeps.execute.embedded_client`, started once and warmed),
  writing the HDF5 file, from call to return.

The machine this runs on is shared and its speed drifts by 30-50 % within
minutes, so the two are measured interleaved: kernel, sweep, kernel, sweep,
..., kernel (each sweep between two kernel runs; the kernel runs in the
benchmark's ``setup``, outside the sweep's timing). The benchmark's own
statistics are the sweep's; ``extra_info`` records every kernel and sweep
time, their medians and ``fraction_of_kernel_throughput`` = median kernel
time / median sweep time, and the client's resident memory during the sweeps
(sampled every 20 ms: the sweep must not grow it with n; the worker runs in
this process by default, so this includes the chunks being computed).
Timings are not asserted; that the sweep stored the kernel's values is.
"""
import os
import resource
import statistics
import threading
import time

import h5py
import numpy as np
import pytest

import hpcore
from hpcore.cycles import evaluate
from hpcore.sweeps import execute
from hpcore.sweeps import sampling as smp

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

SIZES = [int(float(s)) for s in os.environ.get("HPCORE_BENCH_SWEEP_N", "1e6").split(",")]
ROUNDS = int(os.environ.get("HPCORE_BENCH_SWEEP_ROUNDS", "3"))
FIXED = {"superheat": 5.0, "subcooling": 2.0, "eta_is": 0.7}
OUTPUTS = ["COP_heating"]
BLOCK = 1 << 21


def grid(n):
    n_evap = max(1, int(round(np.sqrt(n / 2))))
    n_cond = max(1, n // n_evap)
    return [("T_evap", np.linspace(240.0, 290.0, n_evap)), ("T_cond", np.linspace(300.0, 345.0, n_cond))]


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@pytest.fixture(scope="module")
def client():
    hpcore.load_table("R290")
    with execute.embedded_client() as c:  # exactly what hpcore.sweep starts when given no client
        yield c


def block_inputs(axes, start, stop):
    inputs = smp.grid_inputs(axes, start, stop)
    inputs.update({k: np.full(stop - start, v) for k, v in FIXED.items()})
    return inputs


def cpu_seconds():
    """CPU time of this whole process (every thread, the sweep's worker threads included) [s]."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def kernel_run(axes, last, cpu):
    """Seconds of the raw parallel kernel over all points, block by block (inputs built untimed).

    ``last`` receives the last block's start and results (to compare with the stored sweep)."""
    import numba

    numba.set_num_threads(cores())
    total = axes[0][1].size * axes[1][1].size
    elapsed = busy = 0.0
    for start in range(0, total, BLOCK):
        stop = min(total, start + BLOCK)
        inputs = block_inputs(axes, start, stop)
        c0, t0 = cpu_seconds(), time.perf_counter()
        res = evaluate("R290", "basic", inputs, OUTPUTS, parallel=True)
        elapsed += time.perf_counter() - t0
        busy += cpu_seconds() - c0
        del inputs
    last.update(start=start, **res)
    cpu.append(busy)
    return elapsed


def release_freed_memory():
    """Give the allocator's freed pages back to the system (glibc), so that the memory left over
    from the kernel's blocks is not counted as the sweep's."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figures then include that leftover
        pass


class RssSampler:
    """Peak resident memory of this process while running (sampled every 20 ms)."""

    def __init__(self):
        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self):
        self.peak = self.proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


@pytest.mark.parametrize("n", SIZES)
def test_sweep_vs_kernel(benchmark, n, client, tmp_path):
    axes = grid(n)
    total = axes[0][1].size * axes[1][1].size
    spec = dict(fluid="R290", fixed=FIXED, outputs=OUTPUTS, client=client, progress=False)
    # JIT and tables warm on both sides before any timing
    evaluate("R290", "basic", block_inputs(axes, 0, 50_000), OUTPUTS, parallel=True)
    hpcore.sweep(axes={"T_evap": [260.0, 270.0], "T_cond": [310.0]}, store=tmp_path / "warm.h5", **spec)

    kernel_secs, sweep_secs, stats, last = [], [], {}, {}
    rss_before = psutil.Process().memory_info().rss

    kernel_cpu, sweep_cpu = [], []

    def setup():  # untimed by pytest-benchmark: the kernel run just before each sweep
        kernel_secs.append(kernel_run(axes, last, kernel_cpu))
        release_freed_memory()

    peaks, starts = [], []

    def run():
        with RssSampler() as rss:
            starts.append(rss.peak)
            c0, t0 = cpu_seconds(), time.perf_counter()
            hpcore.sweep(axes=dict(axes), store=tmp_path / "sweep.h5", resume=False, _stats=stats, **spec)
            sweep_secs.append(time.perf_counter() - t0)
            sweep_cpu.append(cpu_seconds() - c0)
        peaks.append(rss.peak)

    benchmark.pedantic(run, setup=setup, rounds=ROUNDS, iterations=1)
    kernel_secs.append(kernel_run(axes, last, kernel_cpu))  # ... and just after the last one

    # both sides computed the same points with the same outputs
    with h5py.File(tmp_path / "sweep.h5", "r") as f:
        lo = last["start"]
        hi = lo + len(last["status"])
        np.testing.assert_array_equal(f["data/status"][lo:hi], last["status"])
        np.testing.assert_array_equal(f["data/COP_heating"][lo:hi], last["COP_heating"])
        assert f["done"][:].all()
    assert stats["points"] == total  # every point computed once in the last run

    k_med, s_med = statistics.median(kernel_secs), statistics.median(sweep_secs)
    # each sweep against the mean of the two kernel runs around it
    per_round = [round((a + b) / 2 / s, 3) for a, b, s in zip(kernel_secs, kernel_secs[1:], sweep_secs)]
    info = dict(
        n=total, threads=cores(), workers=len(client.scheduler_info()["workers"]), rounds=ROUNDS,
        kernel_seconds=[round(x, 3) for x in kernel_secs], sweep_seconds=[round(x, 3) for x in sweep_secs],
        kernel_points_per_s_median=total / k_med, sweep_points_per_s_median=total / s_med,
        fraction_of_kernel_throughput=k_med / s_med,
        fraction_per_round=per_round, fraction_median_of_rounds=statistics.median(per_round),
        # CPU seconds per run (this process: the kernel's threads; the sweep's worker threads, scheduler,
        # client and writer): less sensitive than wall time to the other jobs of a shared machine
        kernel_cpu_seconds=[round(x, 3) for x in kernel_cpu], sweep_cpu_seconds=[round(x, 3) for x in sweep_cpu],
        cpu_fraction=statistics.median(kernel_cpu) / statistics.median(sweep_cpu),
        chunk_size=stats["chunk_size"], n_chunks=stats["n_chunks"],
        task_seconds=stats["kernel_seconds"],
        client_rss_before_MB=rss_before / 2**20, client_rss_peak_during_sweeps_MB=max(peaks) / 2**20,
        client_rss_growth_during_sweep_MB=max(p - q for p, q in zip(peaks, starts)) / 2**20,
    )
    benchmark.extra_info.update(info)
    print(f"\nn={total:,}: kernel median {total / k_med:.3g} points/s, sweep median {total / s_med:.3g} points/s, "
          f"ratio of medians {k_med / s_med:.0%} (per round {per_round}, median {statistics.median(per_round):.0%}); "
          f"CPU seconds kernel/sweep {info['cpu_fraction']:.0%}; "
          f"chunks {stats['n_chunks']} x {stats['chunk_size']:,}; client RSS {rss_before / 2**20:.0f} MB before, "
          f"peak {max(peaks) / 2**20:.0f} MB during the sweeps (at most "
          f"{info['client_rss_growth_during_sweep_MB']:.0f} MB above its start)")
