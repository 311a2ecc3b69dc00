"""Every cycle's every output on fixed random inputs, saved, or compared bit for bit with a
saved snapshot: for changes that must not change a value (numba's compilation, say), run
against two trees.

    PYTHONPATH=TREE HPCORE_TABLE_DIR=... python scripts/cycle_snapshot.py save OUT.npz
    PYTHONPATH=TREE HPCORE_TABLE_DIR=... python scripts/cycle_snapshot.py compare OLD.npz NEW.npz

2x10^4 points a cycle (R290; transcritical on R744; cascade R290/R744), serial and
parallel kernels, the economizer both ways. Exit status 1 when an array differs.
"""
import sys

import numpy as np

CASES = [("basic", {}), ("ihx", {}), ("economizer", {"economizer": "flash"}), ("economizer", {"economizer": "closed"}),
         ("two_stage", {}), ("cascade", {"fluid_low": "R744"}), ("transcritical", {})]


def save(path, n=20_000):
    from hpcore.cycles import evaluate
    from hpcore.cycles.api import cycle_inputs

    rng = np.random.default_rng(7)
    base = dict(T_evap=rng.uniform(243.15, 288.15, n), T_cond=rng.uniform(303.15, 343.15, n),
                superheat=rng.uniform(0, 10, n), subcooling=rng.uniform(0, 5, n), eta_is=rng.uniform(0.5, 0.8, n))
    out = {}
    for cycle, opts in CASES:
        x = {k: v for k, v in base.items() if k in cycle_inputs(cycle)}
        if cycle == "ihx":
            x["eps_ihx"] = rng.uniform(0, 1, n)
        if cycle == "cascade":
            x["T_evap"] = rng.uniform(223.15, 258.15, n)
        if cycle == "transcritical":
            x["T_gc_out"] = rng.uniform(303.15, 318.15, n)
        fluid = "R744" if cycle == "transcritical" else "R290"
        for parallel in (False, True):
            for k, v in evaluate(fluid, cycle, x, parallel=parallel, **opts).items():
                out[f"{cycle}{opts.get('economizer', '')}_{'parallel' if parallel else 'serial'}_{k}"] = v
    np.savez(path, **out)
    print(f"{len(out)} arrays -> {path}")


def compare(old, new):
    a, b = np.load(old), np.load(new)
    if sorted(a.files) != sorted(b.files):
        print("the snapshots hold different arrays")
        return 1
    bad = [k for k in a.files if a[k].dtype != b[k].dtype or not np.array_equal(a[k], b[k], equal_nan=True)]
    finite = sum(int(np.isfinite(a[k]).sum()) for k in a.files if a[k].dtype == np.float64)
    print(f"{len(a.files)} arrays, {finite} finite values: {len(bad)} differ {bad[:10]}")
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["save"] and len(sys.argv) == 3:
        save(sys.argv[2])
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
