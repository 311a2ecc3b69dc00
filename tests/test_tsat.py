"""T_sat grids (hpcore.properties.tsat): the cycle states on axes uniform in the dew point.

Reference: CoolProp HEOS (AbstractState) at the same states, and the general tables'
own path, which the grids are derived from and fall back to.
"""
import os
import sys

import numpy as np
import pytest

import hpcore
from hpcore import config
from hpcore.cycles import _kernels as CK
from hpcore.properties import layout as L
from hpcore.properties import load_table, resolve_fluid, tsat

import CoolProp.CoolProp as CP  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from reference_states import SUCTION, heos_state  # noqa: E402

# the grids may add this much to the general tables' own error (twice the check
# tolerance: the check points, cell centres and edge midpoints, are not a bound)
ADDED = 2.0
COP_RTOL_PATHS = 1e-7  # [-] grids against the general path, whole cycles


def _general_only(table):
    arrays = table.arrays
    cyc = arrays[5].copy()
    cyc[L.TS_OK] = 0.0
    return arrays[:5] + (cyc,)


@pytest.mark.parametrize("fluid", ["R290", "R744", "R718", "R1234ze(E)"])
def test_grids_as_accurate_as_the_general_tables(fluid):
    """At random states of each grid (clustered at the saturation line, where errors are
    largest) the grid's error against HEOS is at most the general table's plus ADDED
    check tolerances."""
    table = load_table(fluid)
    arrays = table.arrays
    cyc = arrays[5]
    assert cyc[L.TS_OK] == 1.0
    T0 = cyc[L.TS_T0]
    T1 = tsat._T_of(cyc[L.TS_NX] - 1, T0, cyc[L.TS_C1], cyc[L.TS_C3])
    lat_h, lat_s = tsat.latent_scales(arrays, T0)
    rng = np.random.default_rng(2)
    n = 60
    AS = CP.AbstractState("HEOS", resolve_fluid(fluid))
    assert SUCTION == L.TS_SUC
    for k in range(L.TS_NTAB):
        no = tsat._OUTPUTS[k]
        ymax = cyc[L.TS_TAB + 8 * k + L.TS_T_YMAX]
        T = rng.uniform(T0 + 0.5, T1 - 0.01, n)
        y = ymax * rng.uniform(0.0, 1.0, n) ** 2
        if k == L.TS_LIQ:  # subcooled liquid exists down to the table's lowest temperature
            y = np.minimum(ymax, T - T0 - 1.0) * rng.uniform(0.0, 1.0, n) ** 2
        g = tsat._grid(arrays, k, T, y, no)
        f = tsat._ref(arrays, k, T, y, no)
        held = np.isfinite(g).all(axis=1)
        exists = np.isfinite(f).all(axis=1)  # states inside the general tables (R1234ze(E) ends at 410 K)
        assert not (held & ~exists).any()
        assert held.sum() >= 0.8 * exists.sum(), (fluid, k, held.sum(), exists.sum())
        tol = tsat._tolerances(k, no, lat_h, lat_s)
        checked = 0
        for i in np.flatnonzero(held):
            try:
                ref = np.array(heos_state(AS, k, T[i], y[i]))
            except ValueError:  # HEOS did not converge (or left its range)
                continue
            for o in range(no):
                if k == L.TS_SUC and o == 2:
                    err_g, err_f, t = abs(g[i, o] / ref[o] - 1), abs(f[i, o] / ref[o] - 1), config.TSAT_TOL_D
                else:
                    err_g, err_f, t = abs(g[i, o] - ref[o]), abs(f[i, o] - ref[o]), tol[o]
                assert err_g <= err_f + ADDED * t, (fluid, k, o, T[i], y[i], err_g, err_f, t)
            checked += 1
        assert checked >= n // 2


def test_states_outside_the_grids_take_the_general_path():
    """A superheat beyond the suction grid (TSAT_SUPERHEAT_MAX) and a dew point above the
    grids' top give exactly the general tables' state; inside, the grids answer."""
    from hpcore.properties import _tsat_kernels as TK

    tbl = load_table("R290").arrays
    sh_out = config.TSAT_SUPERHEAT_MAX + 5.0
    assert TK.suction_state(tbl, 265.0, sh_out) == TK._suction_general(tbl, 265.0, sh_out)
    assert TK.suction_state(tbl, 265.0, 5.0) != TK._suction_general(tbl, 265.0, 5.0)
    T_top = tsat._T_of(tbl[5][L.TS_NX] - 1, tbl[5][L.TS_T0], tbl[5][L.TS_C1], tbl[5][L.TS_C3])
    for T in (T_top + 0.5, tbl[5][L.TS_T0] - 0.5):  # the second below the table: NaN and a flag
        np.testing.assert_array_equal(TK.dew_state(tbl, T), TK._dew_general(tbl, T))
    assert TK.dew_state(tbl, 300.0) != TK._dew_general(tbl, 300.0)
    # a cycle condensing above the grids: its condensing states from the general tables
    table = load_table("R290")
    st_g, v_g = CK.basic_core(tbl, 265.0, T_top + 1.0, 5.0, 2.0, 0.7)
    st_f, v_f = CK.basic_core(_general_only(table), 265.0, T_top + 1.0, 5.0, 2.0, 0.7)
    assert st_g == st_f == 0
    names = list(CK.BASIC_OUTPUTS)
    for key in ("p_cond", "h_3", "s_3"):
        assert v_g[names.index(key)] == v_f[names.index(key)], key
    assert abs(v_g[0] / v_f[0] - 1.0) <= COP_RTOL_PATHS


@pytest.mark.parametrize("fluid", ["R290", "R32", "R717", "R1233zd(E)"])
def test_cycles_on_grids_agree_with_the_general_path(fluid):
    """Whole basic cycles over a random envelope: grids against the general path."""
    table = load_table(fluid)
    general = _general_only(table)
    Tc = table.meta["T_crit"]
    rng = np.random.default_rng(5)
    n = 3000
    T_evap = rng.uniform(max(table.meta["T_min"] + 1.0, 240.0), min(290.0, Tc - 40.0), n)
    T_cond = np.minimum(T_evap + rng.uniform(15.0, 70.0, n), Tc - 5.0)
    inp = np.ascontiguousarray(np.stack([T_evap, T_cond, rng.uniform(0, 15, n), rng.uniform(0, 8, n),
                                         rng.uniform(0.5, 1.0, n)]))
    rows = np.arange(CK.N_BASIC, dtype=np.int64)
    opts = np.zeros(4, dtype=np.int64)
    out = {}
    for key, tb in (("grid", table.arrays), ("general", general)):
        res = np.empty((CK.N_BASIC, n))
        status = np.empty(n, dtype=np.int32)
        CK.basic_serial(tb, tuple(inp), opts, rows, res, status)
        out[key] = (res, status)
    np.testing.assert_array_equal(out["grid"][1], out["general"][1])
    ok = out["grid"][1] == 0
    assert ok.mean() > 0.8
    names = list(CK.BASIC_OUTPUTS)
    g, f = out["grid"][0][:, ok], out["general"][0][:, ok]
    for key in ("COP_heating", "COP_cooling", "q_evap", "q_cond", "w_comp"):
        i = names.index(key)
        assert np.max(np.abs(g[i] / f[i] - 1.0)) <= COP_RTOL_PATHS, key
    assert np.max(np.abs(g[names.index("T_discharge")] - f[names.index("T_discharge")])) <= 1e-5  # [K]
    for key in ("p_evap", "p_cond"):
        i = names.index(key)
        assert np.max(np.abs(g[i] / f[i] - 1.0)) <= 1e-11, key


def test_grids_cover_the_benchmark_envelope():
    """The basic-cycle benchmark's operating points are held by the grids, every one
    (fallbacks would time the general path instead: with the grids' node derivatives from
    the nodes' own splines, the liquid grid's first cells above 325 K missed their check
    and 1 % of these points, those with subcooling below 0.2 K, took it)."""
    table = load_table("R290")
    general = _general_only(table)
    rng = np.random.default_rng(0)
    n = 20000
    inp = np.ascontiguousarray(np.stack([rng.uniform(243.15, 288.15, n), rng.uniform(303.15, 343.15, n),
                                         rng.uniform(0.0, 10.0, n), rng.uniform(0.0, 5.0, n), rng.uniform(0.5, 0.8, n)]))
    rows = np.arange(CK.N_BASIC, dtype=np.int64)
    opts = np.zeros(4, dtype=np.int64)
    res_g, res_f = np.empty((CK.N_BASIC, n)), np.empty((CK.N_BASIC, n))
    status = np.empty(n, dtype=np.int32)
    CK.basic_serial(table.arrays, tuple(inp), opts, rows, res_g, status)
    CK.basic_serial(general, tuple(inp), opts, rows, res_f, status)
    same = np.all(res_g == res_f, axis=0)  # an element computed wholly by the general path
    assert same.sum() == 0, inp[:, same][:, :5]


def test_simulate_cycle_uses_the_grids_and_stays_consistent():
    ds = hpcore.simulate_cycle("R290", T_evap=np.linspace(250.0, 285.0, 8), T_cond=318.15, superheat=5.0,
                               subcooling=2.0, eta_is=0.7)
    np.testing.assert_allclose(ds.COP_heating, ds.COP_cooling + 1.0, rtol=1e-12)
    np.testing.assert_allclose(ds.q_cond, ds.q_evap + ds.w_comp, rtol=1e-12)


def test_one_pass_grid_path_equals_the_state_by_state_path():
    """basic_serial reads the grids in one straight pass (basic_grid) and leaves the rest to
    basic_core, whose state functions each try the grids first: the values are the same
    bit for bit, whichever answered."""
    tbl = load_table("R290").arrays
    rng = np.random.default_rng(9)
    n = 400
    inp = np.ascontiguousarray(np.stack([rng.uniform(215.0, 300.0, n), rng.uniform(300.0, 368.0, n),
                                         rng.choice([0.0, 3.0, 45.0], n), rng.choice([0.0, 2.0, 45.0], n),
                                         rng.uniform(0.5, 1.0, n)]))
    rows = np.arange(CK.N_BASIC, dtype=np.int64)
    res = np.empty((CK.N_BASIC, n))
    status = np.empty(n, dtype=np.int32)
    CK.basic_serial(tbl, tuple(inp), np.zeros(4, dtype=np.int64), rows, res, status)
    for i in range(n):
        st, v = CK.basic_core(tbl, *inp[:, i])
        assert st == status[i]
        np.testing.assert_array_equal(np.array(v), res[:, i])


def test_vectorized_block_loop_equals_the_element_loop():
    """basic_parallel/basic_serial run the grid pass in blocks through a stack scratch array
    (basic_range_v, vectorized by LLVM); basic_parallel_scalar keeps the element loop
    (basic_range). Same values bit for bit and the same status, on every kind of element
    (NaN, infeasible, out of the table, eta_is > 1, exact zeros), with a partial last block
    and with only some rows requested: among them every row but T_3, T_4, s_2, s_3 and s_4,
    and COP_heating with T_discharge alone, which take the lean copy of the block loop."""
    tbl = load_table("R290").arrays
    rng = np.random.default_rng(21)
    n = 3 * 128 + 77
    inp = np.stack([rng.uniform(200.0, 300.0, n), rng.uniform(280.0, 380.0, n),
                    rng.choice([0.0, 3.0, 60.0], n), rng.choice([0.0, 2.0, 60.0], n), rng.uniform(0.4, 1.1, n)])
    inp[rng.integers(0, 5, 20), rng.integers(0, n, 20)] = np.nan
    inp = tuple(np.ascontiguousarray(inp))
    opts = np.zeros(4, dtype=np.int64)
    lean = np.ones(CK.N_BASIC, dtype=bool)
    lean[list(CK._I_FULL)] = False
    cop_td = np.isin(np.arange(CK.N_BASIC), [CK.BASIC_OUTPUTS.index(k) for k in ("COP_heating", "T_discharge")])
    for rows in (np.arange(CK.N_BASIC, dtype=np.int64),
                 np.where(np.arange(CK.N_BASIC) % 3 == 0, np.arange(CK.N_BASIC) // 3, -1).astype(np.int64),
                 np.where(lean, np.cumsum(lean) - 1, -1).astype(np.int64),
                 np.where(cop_td, np.cumsum(cop_td) - 1, -1).astype(np.int64)):
        nr = int(rows.max()) + 1
        out = {}
        for name in ("basic_parallel_scalar", "basic_parallel", "basic_serial"):
            res = np.full((nr, n), -7.0)
            status = np.full(n, -9, dtype=np.int32)
            getattr(CK, name)(tbl, inp, opts, rows, res, status)
            out[name] = (res, status)
        ref_res, ref_st = out["basic_parallel_scalar"]
        assert (ref_st == 0).sum() > 50 and (ref_st != 0).sum() > 50
        for name in ("basic_parallel", "basic_serial"):
            np.testing.assert_array_equal(out[name][1], ref_st)
            np.testing.assert_array_equal(out[name][0], ref_res)


def test_core_pass_gets_every_element_the_grid_pass_leaves():
    """The block loops hand basic_core only the span of blocks that left elements to it.
    Elements the grids do not hold (T_cond 366 K, 4 K below the critical point: computed
    by basic_core on the general tables) or that are flagged (superheat -1 K), alone at the first or last element of the call or of a
    parallel chunk, in the middle, two far apart, or none: every element gets the status
    and values of the element loop (which scans them all), bit for bit."""
    import numba

    from hpcore.properties import _tsat_kernels as TK

    tbl = load_table("R290").arrays
    rng = np.random.default_rng(17)
    n = 3 * CK._BLOCK + 555
    base = np.stack([rng.uniform(243.15, 288.15, n), rng.uniform(303.15, 343.15, n), rng.uniform(0.0, 10.0, n),
                     rng.uniform(0.0, 5.0, n), rng.uniform(0.5, 0.8, n)])
    rows = np.arange(CK.N_BASIC, dtype=np.int64)

    @numba.njit
    def grid_holds(cyc, a, b, c, d, e):
        H = TK.ts_header(cyc)
        return CK.basic_grid_ok(H, a, b, c, d, e) and CK.basic_grid(cyc, H, a, b, c, d, e, True, True)[0]

    held_by_core = 0
    for idx in ([], [0], [n - 1], [CK._BLOCK - 1], [CK._BLOCK], [2 * CK._BLOCK + 100], [70, n - 70],
                [5, 6, 7, 3 * CK._BLOCK + 1]):
        inp = base.copy()
        for j, i in enumerate(idx):
            if j % 2 == 0:
                inp[1, i] = 366.0
            else:
                inp[2, i] = -1.0
        inp = tuple(np.ascontiguousarray(inp))
        out = {}
        for name in ("basic_parallel_scalar", "basic_parallel", "basic_serial"):
            res = np.full((CK.N_BASIC, n), -7.0)
            status = np.full(n, -9, dtype=np.int32)
            getattr(CK, name)(tbl, inp, np.zeros(4, dtype=np.int64), rows, res, status)
            out[name] = (res, status)
        ref_res, ref_st = out["basic_parallel_scalar"]
        for name in ("basic_parallel", "basic_serial"):
            np.testing.assert_array_equal(out[name][1], ref_st)
            np.testing.assert_array_equal(out[name][0], ref_res)
        for j, i in enumerate(idx):
            st, v = CK.basic_core(tbl, *(a[i] for a in inp))
            assert st == ref_st[i] and (st == 0) == (j % 2 == 0), (i, st)
            np.testing.assert_array_equal(np.array(v), ref_res[:, i])
            held_by_core += st == 0
            if j % 2 == 0:  # not held by the grid pass: the core pass gave its status 0
                assert not grid_holds(tbl[5], *(a[i] for a in inp))
        assert (np.delete(ref_st, idx) == 0).all()
    assert held_by_core >= 8


@pytest.mark.parametrize("fluid", ["R290", "R744"])
def test_reads_eight_at_a_time_equal_the_single_reads(fluid):
    """ts_q8 and ts_val8 (8 elements' runs, one vector load each, combined in registers) give what
    ts_q and ts_val give, bit for bit: every 1-D quantity, every output of every 2-D
    table, at temperatures inside and outside the grids and y inside and outside
    [0, y_max] (NaN weights)."""
    import numba

    from hpcore.properties import _tsat_kernels as TK

    @numba.njit
    def both(cyc, T, y, k, nout):
        H = TK.ts_header(cyc)
        n = T.shape[0]
        A = np.empty((12, n))
        XE = np.empty((1, 4 * n))  # x weights element by element, as ts_val8 reads them
        one = np.empty((8 + 3, n))
        eight = np.full((8 + 3, n), -1.0)
        for i in range(n):
            L = TK.ts_loc_h(H, T[i])
            Y = TK.ts_yloc_h(H, k, L, y[i])
            A[0, i], A[1, i] = float(L[0]), L[1]
            for c in range(4):
                XE[0, 4 * i + c] = L[3][c]
                A[7 + c, i] = Y[3][c]
            A[6, i] = float(Y[0])
            for q in range(8):
                one[q, i] = TK.ts_q(cyc, L, q)
            for o in range(nout):
                one[8 + o, i] = TK.ts_val(cyc, L, Y, o)
        it = H[1]
        rs = 4 * it[2 + TK.TS_NTAB + k]
        os_ = it[0] * rs
        for j in range(0, n, 8):
            for p in range(4):
                TK.ts_q8(cyc, A, 0, 1, p, j, eight, 2 * p, 2 * p + 1)
            for o in range(nout):
                TK.ts_val8(cyc, A, 6, 7, XE, 0, rs, o * os_, j, eight, 8 + o)
        return one, eight

    cyc = load_table(fluid).arrays[5]
    rng = np.random.default_rng(4)
    n = 8 * 40
    T0 = cyc[L.TS_T0]
    T = rng.uniform(T0 - 5.0, T0 + 120.0, n)
    T[::17] = np.nan
    for k, nout in ((L.TS_SUC, 3), (L.TS_LIQ, 2), (L.TS_PS, 1), (L.TS_PH, 2), (L.TS_LPH, 2)):
        ymax = cyc[L.TS_TAB + 8 * k + L.TS_T_YMAX]
        y = rng.uniform(-0.05 * ymax, 1.05 * ymax, n)
        one, eight = both(cyc, T, y, k, nout)
        assert np.isfinite(one[8]).mean() > 0.1  # states on the grid are compared, and (next) states off it
        assert np.isnan(one[8]).any()  # and some outside
        np.testing.assert_array_equal(eight[:8 + nout].view(np.int64), one[:8 + nout].view(np.int64))


def test_basic_block_loop_reads_eight_at_a_time_on_avx512():
    """On x86-64 with AVX-512 the basic cycle's grid pass is the transposed one
    (VECTOR_READS); its values equal the element loop's for blocks of every length
    around the group of 8 and the block of _TBLOCK, with and without the suction
    density, and in the lean pass (COP_heating and T_discharge)."""
    import platform

    import llvmlite.binding as ll

    from hpcore import _numba as HN

    if (platform.machine().lower() in ("x86_64", "amd64") and ll.get_host_cpu_features().get("avx512f")
            and not HN.VECTOR_GATHERS):
        assert HN.VECTOR_READS
    tbl = load_table("R290").arrays
    rng = np.random.default_rng(8)
    full = np.arange(CK.N_BASIC, dtype=np.int64)
    no_d = np.where(np.arange(CK.N_BASIC) == CK._I_D_SUCTION, -1, np.arange(CK.N_BASIC)).astype(np.int64)
    no_d[CK._I_D_SUCTION + 1:] -= 1
    cop_td = np.isin(np.arange(CK.N_BASIC), [CK.BASIC_OUTPUTS.index(k) for k in ("COP_heating", "T_discharge")])
    lean = np.where(cop_td, np.cumsum(cop_td) - 1, -1).astype(np.int64)  # the lean pass
    for n in (1, 7, 8, 9, CK._TBLOCK - 1, CK._TBLOCK, CK._TBLOCK + 1, 2 * CK._TBLOCK + 13):
        inp = np.stack([rng.uniform(230.0, 300.0, n), rng.uniform(290.0, 360.0, n), rng.choice([0.0, 4.0, 30.0], n),
                        rng.choice([0.0, 3.0, 30.0], n), rng.uniform(0.5, 1.0, n)])
        inp[0, ::5] = np.nan
        inp = tuple(np.ascontiguousarray(inp))
        for rows in (full, no_d, lean):
            nr = int(rows.max()) + 1
            out = {}
            for name in ("basic_parallel_scalar", "basic_serial"):
                res = np.full((nr, n), -7.0)
                st = np.full(n, -9, dtype=np.int32)
                getattr(CK, name)(tbl, inp, np.zeros(4, dtype=np.int64), rows, res, st)
                out[name] = (res, st)
            np.testing.assert_array_equal(out["basic_serial"][1], out["basic_parallel_scalar"][1])
            np.testing.assert_array_equal(out["basic_serial"][0], out["basic_parallel_scalar"][0])
            assert n < 5 or (out["basic_serial"][1] == 0).any()
