"""Cycle throughput: basic R290 on 10^7 random points, one core and all cores, against
CoolProp computing the same cycles (HEOS and a tabular backend through AbstractState) on
a sample in the same run; the other cycles on 10^6 points; the latency of one scalar call.
"""
import os

import numba
import numpy as np
import pytest

import hpcore
from hpcore.cycles import evaluate

N_BASIC = int(os.environ.get("HPCORE_BENCH_N", 10_000_000))
N_OTHER = 1_000_000
N_CP = 2_000


def _basic_inputs(n, seed=0):
    rng = np.random.default_rng(seed)
    return dict(
        T_evap=rng.uniform(243.15, 288.15, n),
        T_cond=rng.uniform(303.15, 343.15, n),
        superheat=rng.uniform(0.0, 10.0, n),
        subcooling=rng.uniform(0.0, 5.0, n),
        eta_is=rng.uniform(0.5, 0.8, n),
    )


OUTPUTS = ["COP_heating", "COP_cooling", "T_discharge", "p", "T", "h", "s"]


@pytest.mark.parametrize("threads", ["1", "all"])
def test_hpcore_basic(benchmark, per_point, threads):
    inputs = _basic_inputs(N_BASIC)
    nthreads = 1 if threads == "1" else numba.config.NUMBA_NUM_THREADS
    old = numba.get_num_threads()
    numba.set_num_threads(nthreads)
    try:
        evaluate("R290", "basic", {k: v[:100] for k, v in inputs.items()}, OUTPUTS, parallel=True)
        res = benchmark.pedantic(evaluate, args=("R290", "basic", inputs, OUTPUTS), kwargs={"parallel": True},
                                 rounds=3, iterations=1)
    finally:
        numba.set_num_threads(old)
    assert (res["status"] == 0).mean() > 0.99
    per_point(benchmark, "basic cycle R290 (COP, T_discharge, 4 state points)", f"hpcore {threads} thread(s)", N_BASIC,
              threads=nthreads)


@pytest.mark.parametrize("rows", ["shared", "every"])
@pytest.mark.parametrize("threads", ["1", "all"])
def test_hpcore_basic_kernel(benchmark, per_point, threads, rows):
    """The compiled loop alone on the same 10^7 points, outputs preallocated and touched
    once before timing: what ``evaluate`` costs beyond it is allocating (and first
    touching, page by page) fresh output arrays, which on these virtual machines varies
    by 2-3x from call to call. ``rows="shared"`` is the layout ``evaluate`` allocates (15
    rows for the 19 outputs: p_1, p_4 and p_evap, T_2 and T_discharge, ... written once,
    ``hpcore.cycles.api.SHARED_OUTPUTS``); ``"every"`` writes a row per output, as
    ``evaluate(out=...)`` does."""
    from hpcore.cycles import _kernels as CK
    from hpcore.cycles.api import _output_rows
    from hpcore.properties import load_table

    inputs = _basic_inputs(N_BASIC)
    inp = tuple(inputs[k] for k in ("T_evap", "T_cond", "superheat", "subcooling", "eta_is"))
    tbl = load_table("R290").arrays
    lay = _output_rows("basic", OUTPUTS, share=rows == "shared")
    assert len(lay.names) == 19 and lay.nrows == (15 if rows == "shared" else 19)
    res = np.zeros((lay.nrows, N_BASIC))
    status = np.zeros(N_BASIC, dtype=np.int32)
    opts = np.zeros(4, dtype=np.int64)
    nthreads = 1 if threads == "1" else numba.config.NUMBA_NUM_THREADS
    old = numba.get_num_threads()
    numba.set_num_threads(nthreads)
    try:
        CK.basic_parallel(tbl, inp, opts, lay.rows, res, status)
        benchmark.pedantic(CK.basic_parallel, args=(tbl, inp, opts, lay.rows, res, status), rounds=5, iterations=1)
    finally:
        numba.set_num_threads(old)
    assert (status == 0).mean() > 0.99
    label = f"hpcore kernel {threads} thread(s)" + ("" if rows == "shared" else ", a row per output")
    per_point(benchmark, "basic cycle R290 (COP, T_discharge, 4 state points)", label, N_BASIC, threads=nthreads)


def test_hpcore_basic_vectorized_against_element_loop(benchmark, record_result):
    """The block loop the kernel runs (basic_range_v: the grid pass vectorized by LLVM through
    a stack scratch array) against the element-by-element loop (basic_range, through
    basic_parallel_scalar), one thread, alternating round by round on the same points, the
    outputs compared bit for bit. Reports both medians and the median per-round ratio."""
    import time

    from hpcore.cycles import _kernels as CK
    from hpcore.cycles.api import _output_rows
    from hpcore.properties import load_table

    n = min(N_BASIC, 4_000_000)
    inputs = _basic_inputs(n, seed=7)
    inp = tuple(inputs[k] for k in ("T_evap", "T_cond", "superheat", "subcooling", "eta_is"))
    tbl = load_table("R290").arrays
    lay = _output_rows("basic", OUTPUTS)
    rows = lay.rows
    opts = np.zeros(4, dtype=np.int64)
    runs = {name: (np.zeros((lay.nrows, n)), np.zeros(n, dtype=np.int32), [])
            for name in ("basic_parallel_scalar", "basic_parallel")}
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        for name, (res, status, _) in runs.items():
            getattr(CK, name)(tbl, inp, opts, rows, res, status)

        def rounds():
            for _ in range(7):
                for name, (res, status, times) in runs.items():
                    t0 = time.perf_counter()
                    getattr(CK, name)(tbl, inp, opts, rows, res, status)
                    times.append(time.perf_counter() - t0)

        benchmark.pedantic(rounds, rounds=1, iterations=1)
    finally:
        numba.set_num_threads(old)
    (ra, sa, ta), (rb, sb, tb) = runs.values()
    np.testing.assert_array_equal(sa, sb)
    np.testing.assert_array_equal(ra, rb)
    ta, tb = np.array(ta), np.array(tb)
    ratio = float(np.median(ta / tb))
    group = "basic cycle R290 kernel, 1 thread: vectorized block loop against the element loop, interleaved"
    record_result(group, "element loop (basic_range)", float(np.median(ta)) / n)
    record_result(group, "block loop (basic_range_v)", float(np.median(tb)) / n,
                  speedup_median_of_rounds=round(ratio, 2))
    benchmark.extra_info.update(n=n, speedup_median_of_rounds=ratio)


def test_hpcore_basic_thread_scaling(benchmark, record_result):
    """One thread against all threads, interleaved round by round on the same points.

    The two ``test_hpcore_basic`` runs above are minutes apart, and these machines drift
    by 1.5-2x in that time; alternating the two settings puts them under the same drift.
    Reports the median time per point of each and the median of the per-round ratios.
    """
    import time

    n = min(N_BASIC, 4_000_000)
    inputs = _basic_inputs(n, seed=5)
    nmax = numba.config.NUMBA_NUM_THREADS
    old = numba.get_num_threads()
    one, many, results = [], [], {}
    try:
        for nt in (1, nmax):
            numba.set_num_threads(nt)
            evaluate("R290", "basic", {k: v[:100] for k, v in inputs.items()}, OUTPUTS, parallel=True)

        def rounds():
            for _ in range(5):
                for nt, times in ((1, one), (nmax, many)):
                    numba.set_num_threads(nt)
                    t0 = time.perf_counter()
                    results[nt] = evaluate("R290", "basic", inputs, OUTPUTS, parallel=True)
                    times.append(time.perf_counter() - t0)

        benchmark.pedantic(rounds, rounds=1, iterations=1)
    finally:
        numba.set_num_threads(old)
    for key in results[1]:  # both settings compute the same numbers
        np.testing.assert_array_equal(results[1][key], results[nmax][key])
    one, many = np.array(one), np.array(many)
    speedup = float(np.median(one / many))
    group = f"basic cycle R290, {nmax} threads against 1, interleaved rounds"
    per_round = [round(float(x), 2) for x in one / many]
    benchmark.extra_info.update(n=n, threads=nmax, speedup_median_of_rounds=speedup, per_round=per_round)
    record_result(group, "hpcore 1 thread (interleaved)", float(np.median(one)) / n)
    record_result(group, f"hpcore {nmax} threads (interleaved)", float(np.median(many)) / n,
                  speedup_median_of_rounds=round(speedup, 2), per_round=per_round)


def _coolprop_basic(AS, CP, Te, Tc, sh, sc, eta):
    out = np.empty(Te.shape[0])
    for i in range(Te.shape[0]):
        AS.update(CP.QT_INPUTS, 1.0, Te[i])
        pe = AS.p()
        AS.update(CP.QT_INPUTS, 1.0, Tc[i])
        pc = AS.p()
        AS.update(CP.PT_INPUTS, pe, Te[i] + sh[i])
        h1, s1 = AS.hmass(), AS.smass()
        AS.update(CP.PSmass_INPUTS, pc, s1)
        h2 = h1 + (AS.hmass() - h1) / eta[i]
        AS.update(CP.HmassP_INPUTS, h2, pc)
        T2 = AS.T()
        AS.update(CP.PQ_INPUTS, pc, 0.0)
        AS.update(CP.PT_INPUTS, pc, AS.T() - sc[i])
        h3 = AS.hmass()
        out[i] = (h2 - h3) / (h2 - h1) + 0.0 * T2
    return out


@pytest.mark.parametrize("backend", ["HEOS", "BICUBIC&HEOS"])
def test_coolprop_basic(benchmark, per_point, backend):
    import CoolProp.CoolProp as CP

    inp = _basic_inputs(N_CP, seed=1)
    inp["superheat"] = np.maximum(inp["superheat"], 0.5)
    inp["subcooling"] = np.maximum(inp["subcooling"], 0.5)
    AS = CP.AbstractState(backend, "R290")
    args = (AS, CP, inp["T_evap"], inp["T_cond"], inp["superheat"], inp["subcooling"], inp["eta_is"])
    _coolprop_basic(*args)
    benchmark.pedantic(_coolprop_basic, args=args, rounds=3, iterations=1)
    per_point(benchmark, "basic cycle R290 (COP, T_discharge, 4 state points)", f"CoolProp AbstractState {backend}", N_CP)


def _other_inputs(cycle, n):
    rng = np.random.default_rng(2)
    if cycle == "transcritical":
        return dict(T_evap=rng.uniform(253.15, 283.15, n), T_gc_out=rng.uniform(303.15, 318.15, n),
                    superheat=np.full(n, 5.0), eta_is=rng.uniform(0.6, 0.8, n))
    inputs = _basic_inputs(n, seed=3)
    if cycle == "cascade":
        inputs["T_evap"] = rng.uniform(223.15, 248.15, n)
        inputs["T_cascade"] = np.full(n, 268.15)
    return inputs


_OTHER_OUTPUTS = {
    "COP_heating and T_discharge": ["COP_heating", "T_discharge"],
    # the basic cycle's target set (OUTPUTS): the COPs, T_discharge and every state point
    "COPs, T_discharge, state points": OUTPUTS,
}


@pytest.mark.parametrize("outputs", list(_OTHER_OUTPUTS))
@pytest.mark.parametrize(
    "cycle,fluid,extra",
    [
        ("ihx", "R290", {"eps_ihx": 0.5}),
        ("economizer", "R290", {}),
        ("two_stage", "R290", {}),
        ("cascade", "R290", {"fluid_low": "R744"}),
        ("transcritical", "R744", {}),
    ],
)
def test_hpcore_other_cycles(benchmark, record_result, cycle, fluid, extra, outputs):
    """Each cycle against the basic one, interleaved round by round (one thread, 10^6
    points each, through ``evaluate``, the same outputs asked of both): the ratio the
    issue asks about, under the same drift (single runs minutes apart gave the
    transcritical cycle 12x, 21x and 22x the basic one). Each side writes into its own
    arrays, allocated and written once before the rounds (``evaluate(out=...)``): with
    fresh arrays a call's first touch of its pages, which on these virtual machines
    varies from call to call by more than either cycle takes, entered both times and
    pulled the ratios towards 1 (rounds of the ihx cycle at 0.75x the basic one, on
    2026-12-05). Two output sets: COP_heating
    and T_discharge, for which the basic, economizer and two-stage loops skip the look-ups of the
    other states, and the basic target's set (the COPs, T_discharge, every state point).
    Reports the median time per point of each and the median of the per-round ratios
    (``times_basic``)."""
    import time

    n = N_OTHER
    inputs = _other_inputs(cycle, n)
    basic = _basic_inputs(n, seed=3)
    options = {k: v for k, v in extra.items() if isinstance(v, str)}
    inputs.update({k: np.full(n, v) for k, v in extra.items() if not isinstance(v, str)})
    outs = _OTHER_OUTPUTS[outputs]
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    tb, tx, res = [], [], {}
    try:
        # the arrays (filled by an untimed call on every point: compiled, pages touched)
        ox = evaluate(fluid, cycle, inputs, outs, parallel=True, **options)
        ob = evaluate("R290", "basic", basic, outs, parallel=True)
        out_x = (np.stack([ox[k] for k in ox if k != "status"]), ox["status"])
        out_b = (np.stack([ob[k] for k in ob if k != "status"]), ob["status"])
        del ox, ob
        evaluate(fluid, cycle, inputs, outs, parallel=True, out=out_x, **options)
        evaluate("R290", "basic", basic, outs, parallel=True, out=out_b)

        def rounds():
            for _ in range(5):
                t0 = time.perf_counter()
                evaluate("R290", "basic", basic, outs, parallel=True, out=out_b)
                t1 = time.perf_counter()
                res["x"] = evaluate(fluid, cycle, inputs, outs, parallel=True, out=out_x, **options)
                t2 = time.perf_counter()
                tb.append(t1 - t0)
                tx.append(t2 - t1)

        benchmark.pedantic(rounds, rounds=1, iterations=1)
    finally:
        numba.set_num_threads(old)
    assert (res["x"]["status"] == 0).mean() > 0.9
    tb, tx = np.array(tb), np.array(tx)
    ratio = float(np.median(tx / tb))
    per_round = [round(float(x), 2) for x in tx / tb]
    benchmark.extra_info.update(n=n, times_basic=ratio, per_round=per_round)
    group = f"{cycle} cycle ({fluid}) against basic (R290), 1 thread, {outputs}, interleaved rounds"
    record_result(group, "hpcore basic (interleaved)", float(np.median(tb)) / n)
    record_result(group, f"hpcore {cycle} (interleaved)", float(np.median(tx)) / n, times_basic=round(ratio, 2),
                  per_round=per_round)


def test_scalar_call_latency(benchmark, per_point):
    kw = dict(T_evap=270.0, T_cond=310.0, superheat=5.0, eta_is=0.7)
    hpcore.simulate_cycle("R290", **kw)
    ev = {k: np.array([v]) for k, v in kw.items()}
    evaluate("R290", "basic", ev)
    benchmark(evaluate, "R290", "basic", ev)
    per_point(benchmark, "one scalar point", "hpcore evaluate (serial kernel)", 1)
