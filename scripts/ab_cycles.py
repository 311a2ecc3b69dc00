"""A/B timing of the cycle loops in one process: this tree's hpcore.cycles._kernels
against a reference copy of the module (default: the file as on branch main), one
thread, alternating call by call, outputs compared bit for bit.

    PYTHONPATH=. HPCORE_TABLE_DIR=... NUMBA_CACHE_DIR=/tmp/nc5 python scripts/ab_cycles.py REF.py [cycle ...]

(PYTHONPATH=.: a script run from scripts/ does not put the tree first on sys.path.)

REF.py: a copy of hpcore/cycles/_kernels.py (e.g. ``git show main:hpcore/cycles/_kernels.py``);
it is loaded as a sibling module, so it shares this tree's property kernels. Inputs as in
benchmarks/test_bench_cycles.py (test_hpcore_other_cycles: R290, 10^6 random points),
every output requested (or AB_OUTPUTS); AB_BAND=1 holds the basic cycle's inputs in bands of
0.5 K (T_evap -10, T_cond 45, superheat 5, subcooling 2 degrees Celsius or K up) and eta_is in
0.70-0.71, so that every table line it reads stays in cache. Cycles: basic economizer_flash economizer_closed ihx two_stage cascade transcritical.
"""
import importlib.util
import os
import sys
import time

import numba
import numpy as np

import hpcore
from hpcore.cycles import _kernels as B
from hpcore.cycles.api import _output_rows
from hpcore.properties import load_table

N = int(os.environ.get("AB_N", 1_000_000))
ROUNDS = int(os.environ.get("AB_ROUNDS", 7))
#: AB_OUTPUTS: a comma-separated list of outputs (as simulate_cycle's ``outputs``); default every one
OUTPUTS = os.environ["AB_OUTPUTS"].split(",") if os.environ.get("AB_OUTPUTS") else None


def load_ref(path):
    spec = importlib.util.spec_from_file_location("hpcore.cycles._kernels_ref", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def inputs(cycle, n):
    rng = np.random.default_rng(3)
    d = dict(
        T_evap=rng.uniform(243.15, 288.15, n), T_cond=rng.uniform(303.15, 343.15, n),
        superheat=rng.uniform(0.0, 10.0, n), subcooling=rng.uniform(0.0, 5.0, n), eta_is=rng.uniform(0.5, 0.8, n),
    )
    if os.environ.get("AB_BAND") and cycle == "basic":
        d = dict(T_evap=rng.uniform(263.15, 263.65, n), T_cond=rng.uniform(318.15, 318.65, n),
                 superheat=rng.uniform(5.0, 5.5, n), subcooling=rng.uniform(2.0, 2.5, n),
                 eta_is=rng.uniform(0.70, 0.71, n))
    rng = np.random.default_rng(2)
    if cycle == "cascade":
        d["T_evap"] = rng.uniform(223.15, 248.15, n)
        d["T_cascade"] = np.full(n, 268.15)
    if cycle == "transcritical":  # as benchmarks/test_bench_cycles.py
        d = dict(T_evap=rng.uniform(253.15, 283.15, n), T_gc_out=rng.uniform(303.15, 318.15, n),
                 superheat=np.full(n, 5.0), eta_is=rng.uniform(0.6, 0.8, n))
    return d


CASES = {
    "basic": ("basic", "basic_serial", ("R290",), {}, 0),
    "economizer_flash": ("economizer", "economizer_serial", ("R290",), dict(p_int=np.nan, dT_econ=5.0), 0),
    "economizer_closed": ("economizer", "economizer_serial", ("R290",), dict(p_int=np.nan, dT_econ=5.0), 1),
    "ihx": ("ihx", "ihx_serial", ("R290",), dict(eps_ihx=0.5), 0),
    "two_stage": ("two_stage", "two_stage_serial", ("R290",), dict(p_int=np.nan), 0),
    "cascade": ("cascade", "cascade_serial", ("R290", "R744"), dict(T_cascade=np.nan, dT_cascade=5.0), 0),
    "transcritical": ("transcritical", "transcritical_serial", ("R744",), dict(p_high=np.nan), 0),
}


def main():
    ref = load_ref(sys.argv[1])
    names = sys.argv[2:] or list(CASES)
    numba.set_num_threads(1)
    print(f"hpcore from {hpcore.__file__}; n={N}, rounds={ROUNDS}, 1 thread", flush=True)
    for name in names:
        cycle, kname, fluids, extra, opt = CASES[name]
        d = inputs(cycle, N)
        d.update({k: v for k, v in extra.items() if k not in d})
        from hpcore.cycles.api import cycle_inputs
        inp = tuple(np.ascontiguousarray(np.broadcast_to(d[k], (N,)), dtype=np.float64) for k in cycle_inputs(cycle))
        tbls = tuple(load_table(f).arrays for f in fluids)
        # AB_SHARE=0: a row per output, as evaluate(out=...) writes them; default as evaluate allocates
        lay = _output_rows(cycle, OUTPUTS, share=os.environ.get("AB_SHARE", "1") != "0")
        rows = lay.rows
        opts = np.zeros(4, dtype=np.int64)
        opts[0] = opt
        runs = {}
        # one output array for both sides: where two arrays got different pages (huge or
        # not, placed apart), that difference would be timed as the loops'
        res = np.zeros((lay.nrows, N))
        st = np.zeros(N, dtype=np.int32)
        for tag, mod in (("A", ref), ("B", B)):
            f = getattr(mod, kname)
            t0 = time.perf_counter()
            f(*tbls, tuple(x[:10] for x in inp), opts, rows, res[:, :10], st[:10])
            tc = time.perf_counter() - t0
            runs[tag] = (f, [], tc)
        for _ in range(ROUNDS):
            for tag, (f, times, _) in runs.items():
                t0 = time.perf_counter()
                f(*tbls, inp, opts, rows, res, st)
                times.append(time.perf_counter() - t0)
        out = {}
        for tag, (f, _, _) in runs.items():
            res[...] = np.nan
            st[...] = -99
            f(*tbls, inp, opts, rows, res, st)
            out[tag] = (res.copy(), st.copy())
        (ra, sa), (rb, sb) = out["A"], out["B"]
        (_, ta, ca), (_, tb, cb) = runs["A"], runs["B"]
        ta, tb = np.array(ta), np.array(tb)
        same_st = np.array_equal(sa, sb)
        ok = sa == 0
        same = np.array_equal(ra, rb, equal_nan=True)
        if same:
            diff = "bit-identical"
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.abs(ra - rb) / np.maximum(np.abs(ra), 1e-300)
            diff = f"NOT identical: max rel diff {np.nanmax(rel):.3e}, differing {(ra != rb).sum()} values"
        print(f"{name:18s} A {np.median(ta) / N * 1e9:7.1f} ns  B {np.median(tb) / N * 1e9:7.1f} ns  "
              f"A/B median of rounds {np.median(ta / tb):.3f}  (first call incl. load/compile A {ca:.1f} s, B {cb:.1f} s)  "
              f"status equal {same_st}, ok {ok.mean():.4f}, {diff}", flush=True)


if __name__ == "__main__":
    main()
