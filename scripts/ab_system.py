"""System-solve timing of one tree, for A/B runs across trees in alternating processes.

    git worktree add /tmp/base REV
    for i in 1 2; do
        PYTHONPATH=/tmp/base python scripts/ab_system.py random,grid
        PYTHONPATH=. python scripts/ab_system.py random,grid
    done

The plant and the points of benchmarks/test_bench_components.py (test_hpcore_system_map_ua:
R32, AHRI 540 map, UA exchangers, MEG 30 % source, water sink; 10^5 points over source and sink
inlet temperatures, as a grid or shuffled), one thread, ``ROUNDS`` calls each after a warm-up;
prints the tree, the order, the median and fastest time a point and the mean number of cycle
states a solved point took. Each tree compiles into its own numba cache (the cache directory
is keyed by the kernels' sources), so the first run of a tree includes about 100 s of
compilation, outside the timed calls.
"""
import os
import sys
import time

import numba
import numpy as np

import hpcore
from hpcore.components import AHRI540Compressor, HeatExchanger, SecondaryFluid, solve_heat_pump

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benchmarks"))
from test_bench_components import FLUID, M, P, _grid  # noqa: E402

N = int(os.environ.get("AB_N", 100_000))
ROUNDS = int(os.environ.get("AB_ROUNDS", 7))


def main(orders):
    numba.set_num_threads(1)
    plant = dict(compressor=AHRI540Compressor(M, P), evaporator=HeatExchanger(UA=1500.0),
                 condenser=HeatExchanger(UA=2500.0), source=SecondaryFluid("MEG", 0.3), sink=SecondaryFluid("water"))
    Tsi, Tki = _grid(N)
    perm = np.random.default_rng(0).permutation(N)
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, superheat=5.0, subcooling=2.0, errors="ignore",
              as_dataset=False, outputs=["COP_heating", "Q_heating", "power", "iterations"])
    tree = os.path.dirname(os.path.dirname(os.path.abspath(hpcore.__file__)))
    for order in orders:
        a, b = (Tsi, Tki) if order == "grid" else (Tsi[perm], Tki[perm])
        solve_heat_pump(FLUID, **plant, T_source_in=a[:5000], T_sink_in=b[:5000], **kw)
        ts = []
        for _ in range(ROUNDS):
            t = time.perf_counter()
            res = solve_heat_pump(FLUID, **plant, T_source_in=a, T_sink_in=b, **kw)
            ts.append(time.perf_counter() - t)
        it = res["iterations"][res["status"] == 0]
        print(f"{tree} {order}: median {np.median(ts) / N * 1e9:.0f} ns, min {min(ts) / N * 1e9:.0f} ns a point, "
              f"{it.mean():.3f} cycle states", flush=True)


if __name__ == "__main__":
    main(sys.argv[1].split(",") if len(sys.argv) > 1 else ["random", "grid"])
