"""Sweep throughput against the raw kernel on the same points.

Run:  pytest benchmarks/test_bench_sweep.py --benchmark-only
Sizes: HPCORE_BENCH_SWEEP_N="1e7,1e8" (default 1e6). The basic cycle of
R290 over a T_evap x T_cond grid, one output (COP_heating) plus status.

- ``kernel``: ``hpcore.cycles.evaluate(parallel=True)`` with every core's
  numba threads, in this process, block by block over the same points
  (inputs built outside the timing).
- ``sweep``: ``hpcore.sweep`` on a warm LocalCluster laid out as the embedded
  default (one worker process, one Dask thread per core, one numba thread
  each), writing the HDF5 file, from call to return.

``extra_info`` records n, threads, the ratio sweep/kernel throughput and the
client's peak resident memory (it must not grow with n: the client never
holds more than the futures in flight). Timings are not asserted.
"""
import os
import resource
import time

import numpy as np
import pytest

import hpcore
from hpcore.cycles import evaluate
from hpcore.sweeps import sampling as smp

distributed = pytest.importorskip("distributed")

SIZES = [int(float(s)) for s in os.environ.get("HPCORE_BENCH_SWEEP_N", "1e6").split(",")]
FIXED = {"superheat": 5.0, "subcooling": 2.0, "eta_is": 0.7}
BLOCK = 1 << 21
RESULTS = {}


def grid(n):
    n_evap = max(1, int(round(np.sqrt(n / 2))))
    n_cond = max(1, n // n_evap)
    return [("T_evap", np.linspace(240.0, 290.0, n_evap)), ("T_cond", np.linspace(300.0, 345.0, n_cond))]


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


@pytest.fixture(scope="module")
def client():
    hpcore.load_table("R290")
    # the embedded default's layout: one worker process, one Dask thread per core
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=cores(), processes=True,
                                       dashboard_address=":0", silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def kernel_seconds(axes):
    """Time of the raw parallel kernel over all points, block by block (inputs built untimed)."""
    import numba

    numba.set_num_threads(cores())
    total = axes[0][1].size * axes[1][1].size
    small = {k: v[:1000] for k, v in smp.grid_inputs(axes, 0, 1000).items()}
    small.update({k: np.full(1000, v) for k, v in FIXED.items()})
    evaluate("R290", "basic", small, ["COP_heating"], parallel=True)  # compiled before timing
    elapsed = 0.0
    for start in range(0, total, BLOCK):
        stop = min(total, start + BLOCK)
        inputs = smp.grid_inputs(axes, start, stop)
        inputs.update({k: np.full(stop - start, v) for k, v in FIXED.items()})
        t0 = time.perf_counter()
        evaluate("R290", "basic", inputs, ["COP_heating"], parallel=True)
        elapsed += time.perf_counter() - t0
    return elapsed


@pytest.mark.parametrize("n", SIZES)
def test_kernel(benchmark, n):
    axes = grid(n)
    total = axes[0][1].size * axes[1][1].size
    secs = benchmark.pedantic(kernel_seconds, args=(axes,), rounds=1, iterations=1)
    RESULTS[n] = secs
    benchmark.extra_info.update(n=total, threads=cores(), points_per_s=total / secs)


@pytest.mark.parametrize("n", SIZES)
def test_sweep(benchmark, n, client, tmp_path):
    axes = grid(n)
    total = axes[0][1].size * axes[1][1].size
    spec = dict(fluid="R290", fixed=FIXED, outputs=["COP_heating"], client=client, progress=False)
    # warm the workers (tables, kernels) outside the timing
    hpcore.sweep(axes={"T_evap": [260.0, 270.0], "T_cond": [310.0]}, store=tmp_path / "warm.h5", **spec)
    stats = {}

    def run():
        t0 = time.perf_counter()
        hpcore.sweep(axes=dict(axes), store=tmp_path / "sweep.h5", resume=False, _stats=stats, **spec)
        return time.perf_counter() - t0

    secs = benchmark.pedantic(run, rounds=1, iterations=1)
    info = dict(n=total, workers=len(client.scheduler_info()["workers"]), threads=cores(), points_per_s=total / secs,
                chunk_size=stats["chunk_size"], n_chunks=stats["n_chunks"],
                worker_kernel_seconds=stats["kernel_seconds"],
                client_peak_rss_MB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if n in RESULTS:
        info["fraction_of_kernel_throughput"] = RESULTS[n] / secs
    benchmark.extra_info.update(info)
    print(f"\nn={total:,}: sweep {total / secs:.3g} points/s"
          + (f", {info['fraction_of_kernel_throughput']:.0%} of the raw kernel" if n in RESULTS else "")
          + f", client peak RSS {info['client_peak_rss_MB']:.0f} MB")
    assert stats["points"] == total  # every point computed once in this run
