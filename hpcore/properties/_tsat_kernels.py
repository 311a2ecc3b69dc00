"""Compiled look-ups on the T_sat grids (layout: ``TS_*`` in :mod:`hpcore.properties.layout`).

Imports only math, numpy, numba and hpcore's kernel helpers. The grids are the sixth
array ``tbl[5]`` of a table tuple; they hold, on axes of the dew-point temperature, the
states a subcritical cycle needs, so that a cycle kernel locates ``T_evap`` and
``T_cond`` by a cubic in T each (no search) and reads every state at those pressures
from 8.3 MB of grids (R290) instead of 31 MB of general tables.

The reference the grids are built from and checked against is the general tables'
own path (:func:`ref_sat`, :func:`ref_suction`, ...), the very calls the cycle
kernels make without the grids; :mod:`hpcore.properties.tsat` fits and checks them.

A look-up outside a grid, or in a cell that failed its check (NaN nodes), returns NaN.
The state functions at the end (:func:`dew_state` ... :func:`discharge_state`) are what
the cycle and system kernels call: the grids where they hold the state, else the
general tables' path (a call, not inlined: it is rare and long), with its status.
"""
import math

import numpy as np

from numba.core import types as _types
from numba.extending import intrinsic, overload

from .._numba import fma, ir_bcast2, ir_fma, ir_item_ptr, ir_lanes2, ir_load8, ir_pair_sums8, ir_rows8, ir_store8, njit_kernel
from ..status import OK
from ._kernels import _hermite_w, bq, liquid_T, ph_state, ploc, ps_h, sat_T_props, vapour_T
from .layout import (
    TS_LIQ, TS_LPH, TS_NTAB, TS_OK, TS_PH, TS_PS, TS_SUC,
    QX_DL, QX_HL, QX_SL, QX_TBUB, TQ_DV, TQ_HL, TQ_HV, TQ_P, TQ_SL, TQ_SV, TQ_TBUB, TS_C1, TS_C3,
    TS_NQ, TS_NX, TS_O1, TS_REC, TS_REFINE, TS_T0, TS_T_IY, TS_T_NY, TS_T_OFF, TS_TAB,
)

NAN = math.nan
#: index of TS_OK in the floats of :func:`ts_header`
TSH_OK = 4 + TS_NTAB


# --------------------------------------------------------------------------- look-ups


@njit_kernel(inline="always")
def ts_header(cyc):
    """The header values the look-ups need, read once: (floats, ints); floats[TSH_OK]
    is TS_OK (1.0 when the grids were built).

    A loop over many elements reads them once before it starts: read per element they
    would be read again after every store to an output array (which could alias the
    grids, for all LLVM knows) and converted to integers each time.
    """
    h = TS_TAB
    fl = (cyc[TS_T0], cyc[TS_C1], cyc[TS_C3], cyc[TS_REFINE],
          cyc[h + TS_T_IY], cyc[h + 8 + TS_T_IY], cyc[h + 16 + TS_T_IY], cyc[h + 24 + TS_T_IY],
          cyc[h + 32 + TS_T_IY], cyc[TS_OK])
    it = (int(cyc[TS_NX]), int(cyc[TS_O1]),
          int(cyc[h + TS_T_OFF]), int(cyc[h + 8 + TS_T_OFF]), int(cyc[h + 16 + TS_T_OFF]), int(cyc[h + 24 + TS_T_OFF]),
          int(cyc[h + 32 + TS_T_OFF]),
          int(cyc[h + TS_T_NY]), int(cyc[h + 8 + TS_T_NY]), int(cyc[h + 16 + TS_T_NY]), int(cyc[h + 24 + TS_T_NY]),
          int(cyc[h + 32 + TS_T_NY]))
    return fl, it


@njit_kernel(inline="always")
def ts_loc_h(H, T):
    """Locate a dew-point temperature: (record offset, t, 2-D cell, x weights, inside).

    The position along x is a cubic in T - T0 (three multiplications, no search).
    The x weights are the Hermite basis (value, derivative per step, value,
    derivative per step) at the position in the 2-D cell. ``inside`` is False
    outside the grid (the offsets then point at the first cell, harmlessly).
    ``H``: :func:`ts_header`.
    """
    fl, it = H
    tau = T - fl[0]
    ux = tau * (fl[1] + (tau * tau) * fl[2])
    nx = it[0]
    inside = tau >= 0.0 and ux < nx - 1
    if not inside:
        ux = 0.0
    u = ux * fl[3]
    i1 = int(u)
    t = u - i1
    ix = int(ux)
    if ix > nx - 2:
        ix = nx - 2
    wx = _hermite_w(ux - ix)
    return np.uint64(it[1] + i1 * TS_REC), t, ix, wx, inside


@njit_kernel(inline="always")
def ts_loc(cyc, T):
    """:func:`ts_loc_h` reading the header from ``cyc``."""
    return ts_loc_h(ts_header(cyc), T)


@njit_kernel(inline="always")
def ts_q(cyc, L, q):
    """1-D quantity ``q`` (TQ_*) at a located temperature."""
    # unsigned offsets, no slices: numba then emits neither negative-index fix-ups
    # nor slice clamping (about ten instructions a read, measured on the basic cycle)
    b = L[0] + np.uint64(4 * q)
    t = L[1]
    return fma(t * t, fma(t, cyc[b + np.uint64(3)], cyc[b + np.uint64(2)]), fma(t, cyc[b + np.uint64(1)], cyc[b]))


@njit_kernel(inline="always")
def ts_yloc_h(H, k, L, y):
    """Locate ``y`` (the variable of 2-D table k) at a located temperature:
    (node offset, row stride, output stride, y weights); NaN weights outside [0, y_max].

    The nodes lie at y_max (j / (ny - 1))**2, so the position is (ny - 1) sqrt(y / y_max).
    """
    fl, it = H
    ny = it[2 + TS_NTAB + k]
    # nodes at y_max (j / (ny - 1))**2: clustered at the saturation line, where the
    # properties of either phase change fastest
    v = math.sqrt(y * fl[4 + k])
    bad = 0.0
    if not (v >= 0.0 and v <= ny - 1):
        bad = NAN
        v = 0.0
    j = int(v)
    if j > ny - 2:
        j = ny - 2
    c0, d0, c1, d1 = _hermite_w(v - j)
    rs = 4 * ny
    base = np.uint64(it[2 + k] + (L[2] * ny + j) * 4)
    return base, rs, it[0] * rs, (c0 + bad, d0, c1, d1)


@njit_kernel(inline="always")
def ts_yloc(cyc, k, L, y):
    """:func:`ts_yloc_h` reading the header from ``cyc``."""
    return ts_yloc_h(ts_header(cyc), k, L, y)


@njit_kernel(inline="always")
def ts_val(cyc, L, Y, o):
    """Output ``o`` of a 2-D table at a located (temperature, y).

    A cell's 16 values are two runs of 8 (nodes j and j + 1 of columns ix and ix + 1,
    each node f, fx, fy, fxy). The x weights first, value by value across the two runs
    (``z``), then each node's pair of sums by its y weight: this order is what
    :func:`ts_val8` computes 8 elements at a time without transposing the runs, so the two
    agree bit for bit."""
    U = np.uint64
    b = Y[0] + U(o * Y[2])  # node (ix, j): f, fx, fy, fxy; then node (ix, j + 1)
    c = b + U(Y[1])  # node (ix + 1, j)
    c0, d0, c1, d1 = Y[3]
    w0, w1, w2, w3 = L[3]
    z0 = fma(w0, cyc[b], w2 * cyc[c])
    z1 = fma(w1, cyc[b + U(1)], w3 * cyc[c + U(1)])
    z2 = fma(w0, cyc[b + U(2)], w2 * cyc[c + U(2)])
    z3 = fma(w1, cyc[b + U(3)], w3 * cyc[c + U(3)])
    z4 = fma(w0, cyc[b + U(4)], w2 * cyc[c + U(4)])
    z5 = fma(w1, cyc[b + U(5)], w3 * cyc[c + U(5)])
    z6 = fma(w0, cyc[b + U(6)], w2 * cyc[c + U(6)])
    z7 = fma(w1, cyc[b + U(7)], w3 * cyc[c + U(7)])
    return fma(c0, z0 + z1, fma(d0, z2 + z3, fma(c1, z4 + z5, d1 * (z6 + z7))))


# --------------------------------------------------------------------------- 8 elements at a time


def _f64_arrays(*tys):
    return all(isinstance(t, _types.Array) and t.dtype == _types.float64 and t.layout == "C" for t in tys)


@intrinsic
def ts_val8(typingctx, cyc, Y, rb, rw, XE, rxe, rs, oo, j, D, dst):
    """:func:`ts_val` for 8 elements: ``D[dst, j:j + 8]`` = output ``o`` of a 2-D table at
    the located cells of elements ``j..j+7`` of a block, read from scratch arrays (float64,
    C-contiguous, 2-D): the node offsets ``Y[rb]`` (``ts_yloc_h``'s first value), the y
    weights ``Y[rw..rw+3]``, the x weights element by element, ``XE[rxe, 4 e:4 e + 4]`` for
    element e (:func:`ts_loc_h`'s four, side by side); ``rs`` the row stride, ``oo`` the
    output's offset (``o`` times the output stride).

    Each element's two runs of 8 values (nodes j and j+1 of columns ix and ix+1) are read
    by one 512-bit load each and weighted in place: the x weights, broadcast from memory
    as pairs (w0, w1 for the first run, w2, w3 for the second; loads, no shuffles), then
    the neighbouring lanes summed across pairs of elements and the four node sums
    gathered into rows (16 shuffles for 8 elements, where transposing both runs took 48),
    then the y weights on whole rows. The arithmetic is ts_val's, in its order, so the
    values are the same bit for bit. No bounds check: the offsets must be those of valid
    cells, as ts_yloc_h's are on built grids (TS_OK), also for y outside the grid's range
    (not on the header of zeros of a fluid without grids, where the caller must not call
    this).
    """
    if not (_f64_arrays(cyc, Y, XE, D) and cyc.ndim == 1 and Y.ndim == 2 and XE.ndim == 2 and D.ndim == 2):
        return None

    def codegen(context, builder, sig, args):
        def iv(n):
            return context.cast(builder, args[n], sig.args[n], _types.intp)

        cyc_, Y_, X_, D_ = args[0], args[1], args[4], args[9]
        tY, tX, tD = sig.args[1], sig.args[4], sig.args[9]
        rb_, rw_, rxe_, rs_, oo_, j_, dst_ = iv(2), iv(3), iv(5), iv(6), iv(7), iv(8), iv(10)
        fm = builder.fmul
        cdata = context.make_array(sig.args[0])(context, builder, cyc_).data
        Z = []
        for lane in range(8):
            col = builder.add(j_, j_.type(lane))
            off = builder.fptoui(builder.load(ir_item_ptr(context, builder, tY, Y_, [rb_, col])), oo_.type)
            pa = builder.gep(cdata, [builder.add(off, oo_)])
            run_a = ir_load8(builder, pa)
            run_b = ir_load8(builder, builder.gep(pa, [rs_]))
            pw = ir_item_ptr(context, builder, tX, X_, [rxe_, builder.mul(col, col.type(4))])
            wa = ir_bcast2(builder, pw)
            wb = ir_bcast2(builder, builder.gep(pw, [col.type(2)]))
            Z.append(ir_fma(builder, wa, run_a, fm(wb, run_b)))
        S = ir_pair_sums8(builder, Z)

        def row(k):
            return ir_load8(builder, ir_item_ptr(context, builder, tY, Y_, [builder.add(rw_, rw_.type(k)), j_]))

        c0, d0, c1, d1 = (row(k) for k in range(4))
        val = ir_fma(builder, c0, S[0], ir_fma(builder, d0, S[1], ir_fma(builder, c1, S[2], fm(d1, S[3]))))
        ir_store8(builder, val, ir_item_ptr(context, builder, tD, D_, [dst_, j_]))
        return context.get_dummy_value()

    return _types.void(cyc, Y, rb, rw, XE, rxe, rs, oo, j, D, dst), codegen


@intrinsic
def ts_q8(typingctx, cyc, L, rrec, rt, pair, j, D, da, db):
    """:func:`ts_q` for 8 elements and two quantities: ``D[da, j:j + 8]`` and
    ``D[db, j:j + 8]`` = the 1-D quantities ``2 pair`` and ``2 pair + 1`` (TQ_* order) at
    the located temperatures of elements ``j..j+7``, whose record offsets and positions
    are scratch rows ``L[rrec]`` and ``L[rt]`` (``ts_loc_h``'s first two values).

    A record's two neighbouring quantities are one run of 8 values (4 coefficients each),
    read by one 512-bit load an element. Two elements' runs are split into their even
    and odd lanes (c0 and c2 of each quantity, c1 and c3), side by side, and combined by
    one multiply-add with the two elements' positions (t of element e and e + 1, a pair
    broadcast from the row ``L[rt]``, a load): c0 + t c1 and c2 + t c3, rounded once. The
    four pairs' sums are gathered into rows as in :func:`ts_val8` (16 shuffles for 8
    elements in all), then combined with t**2 on whole rows. ts_q's arithmetic in its
    order: the same values bit for bit.
    """
    if not (_f64_arrays(cyc, L, D) and cyc.ndim == 1 and L.ndim == 2 and D.ndim == 2):
        return None

    def codegen(context, builder, sig, args):
        def iv(n):
            return context.cast(builder, args[n], sig.args[n], _types.intp)

        cyc_, L_, D_ = args[0], args[1], args[6]
        tL, tD = sig.args[1], sig.args[6]
        rrec_, rt_, pair_, j_, da_, db_ = iv(2), iv(3), iv(4), iv(5), iv(7), iv(8)
        fm = builder.fmul
        cdata = context.make_array(sig.args[0])(context, builder, cyc_).data
        add = builder.mul(pair_, pair_.type(8))
        runs = []
        for lane in range(8):
            col = builder.add(j_, j_.type(lane))
            off = builder.fptoui(builder.load(ir_item_ptr(context, builder, tL, L_, [rrec_, col])), add.type)
            runs.append(ir_load8(builder, builder.gep(cdata, [builder.add(off, add)])))
        S = []
        for p in range(4):
            even, odd = ir_lanes2(builder, runs[2 * p], runs[2 * p + 1])
            tp = ir_bcast2(builder, ir_item_ptr(context, builder, tL, L_, [rt_, builder.add(j_, j_.type(2 * p))]))
            S.append(ir_fma(builder, tp, odd, even))  # c0 + t c1, c2 + t c3 of elements 2p, 2p + 1
        U = ir_rows8(builder, S)  # c0 + t c1, c2 + t c3 of quantity a, then of b
        t = ir_load8(builder, ir_item_ptr(context, builder, tL, L_, [rt_, j_]))
        tt = fm(t, t)
        ir_store8(builder, ir_fma(builder, tt, U[1], U[0]), ir_item_ptr(context, builder, tD, D_, [da_, j_]))
        ir_store8(builder, ir_fma(builder, tt, U[3], U[2]), ir_item_ptr(context, builder, tD, D_, [db_, j_]))
        return context.get_dummy_value()

    return _types.void(cyc, L, rrec, rt, pair, j, D, da, db), codegen


# --------------------------------------------------------------------------- reference (building, checks)


@njit_kernel(inline="always")
def ref_sat(tbl, T):
    """The general path's saturation at dew point T, in TQ_* order, and the located p."""
    p, hl_T, hv, sl_T, sv, dl_T, dv, st = sat_T_props(tbl, T)
    PL = ploc(tbl, p)
    return (p, bq(tbl, PL, QX_HL), hv, bq(tbl, PL, QX_SL), sv, bq(tbl, PL, QX_TBUB), dv,
            bq(tbl, PL, QX_DL)), PL


@njit_kernel
def ref_values(tbl, k, T, y, out):
    """Reference values of 2-D table k (or, k = -1, the 1-D quantities) at (T[i], y[i]).

    ``out[i, :]`` receives the table's outputs: SUC (h, s, D) at T + y on the dew
    pressure; LIQ (h, s) at y below the bubble point; PS h at s_v + y; PH (T, s) at
    h_v + y; LPH (T, s) of the liquid at h_l - y; -1: the TS_NQ quantities. NaN where
    the general tables have no state.
    """
    for i in range(T.shape[0]):
        q, PL = ref_sat(tbl, T[i])
        if k == -1:
            for m in range(TS_NQ):
                out[i, m] = q[m]
        elif k == 0:
            h, s, d, st = vapour_T(tbl, PL, T[i] + y[i], T[i])
            ok = st == 0
            out[i, 0] = h if ok else NAN
            out[i, 1] = s if ok else NAN
            out[i, 2] = d if ok else NAN
        elif k == 1:
            Tb = q[TQ_TBUB]
            h, s, d, st = liquid_T(tbl, PL, Tb - y[i], Tb)
            ok = st == 0
            out[i, 0] = h if ok else NAN
            out[i, 1] = s if ok else NAN
        elif k == 2:
            h, st = ps_h(tbl, PL, q[TQ_SV] + y[i])
            out[i, 0] = h if st == 0 else NAN
        else:
            h = q[TQ_HV] + y[i] if k == TS_PH else q[TQ_HL] - y[i]
            Tx, s, d, x, st = ph_state(tbl, PL, h)
            ok = st == 0
            out[i, 0] = Tx if ok else NAN
            out[i, 1] = s if ok else NAN


@njit_kernel
def grid_values(cyc, k, T, y, out):
    """The grids' own values at the same points as :func:`ref_values` (NaN outside them)."""
    for i in range(T.shape[0]):
        L = ts_loc(cyc, T[i])
        bad = 0.0 if L[4] else NAN
        if k == -1:
            for m in range(TS_NQ):
                out[i, m] = ts_q(cyc, L, m) + bad
        else:
            Y = ts_yloc(cyc, k, L, y[i])
            for o in range(out.shape[1]):
                out[i, o] = ts_val(cyc, L, Y, o) + bad


# --------------------------------------------------------------------------- the header, carried


def state_header(tbl):
    """The T_sat grids' header (:func:`ts_header`) for the state functions below (kernels
    only): the seventh entry of ``tbl`` where :func:`with_header` put it there, else read
    from the grids.

    Read from the grids, it is read again by every state function a cycle state calls
    (22 values, 12 of them converted to integers, each time): LLVM cannot keep them
    across the calls between, which could write to the grids for all it knows. A loop
    over elements reads it once and passes ``with_header(tbl)`` down instead."""
    return ts_header(tbl[5])


@overload(state_header, inline="always")
def _state_header_impl(tbl):
    if len(tbl) == 7:
        return lambda tbl: tbl[6]
    return lambda tbl: ts_header(tbl[5])


def base_tables(tbl):
    """``tbl`` without the header :func:`with_header` adds (kernels only): what the
    general path's functions take, so that they compile once for both."""
    return tbl


@overload(base_tables, inline="always")
def _base_tables_impl(tbl):
    if len(tbl) == 7:
        return lambda tbl: (tbl[0], tbl[1], tbl[2], tbl[3], tbl[4], tbl[5])
    return lambda tbl: tbl


@njit_kernel(inline="always")
def with_header(tbl):
    """The table tuple with the T_sat grids' header read once appended (see
    :func:`state_header`)."""
    return (tbl[0], tbl[1], tbl[2], tbl[3], tbl[4], tbl[5], ts_header(tbl[5]))


# --------------------------------------------------------------------------- states at dew points
# Each takes a dew-point temperature (the saturation temperature of AHRI 540) and
# returns the state at its dew pressure: from the grids where they hold it, else from
# the general tables. Both give the same state to the grids' check tolerance
# (config.TSAT_TOL_*), so a kernel never depends on which one answered beyond that;
# every kernel that evaluates these states calls these functions, so two cycles (or a
# cycle and the system solve) at the same inputs agree to rounding.


@njit_kernel
def _dew_general(tbl, T):
    p, hl_T, hv, sl_T, sv, dl_T, dv, st = sat_T_props(tbl, T)
    PL = ploc(tbl, p)
    return p, bq(tbl, PL, QX_HL), hv, bq(tbl, PL, QX_SL), sv, dv, bq(tbl, PL, QX_TBUB), st


@njit_kernel(inline="always")
def dew_state(tbl, T):
    """Saturation at dew point T: p_dew, then at p_dew h_l, h_v, s_l, s_v, D_v and the
    bubble temperature, status (OUT_OF_TABLE or NONFINITE_INPUT from the general path)."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    p = ts_q(cyc, L, TQ_P)
    hl = ts_q(cyc, L, TQ_HL)
    hv = ts_q(cyc, L, TQ_HV)
    sl = ts_q(cyc, L, TQ_SL)
    sv = ts_q(cyc, L, TQ_SV)
    dv = ts_q(cyc, L, TQ_DV)
    tb = ts_q(cyc, L, TQ_TBUB)
    st = OK
    tot = (p + hl) + (hv + sl) + (sv + dv) + tb
    if not (L[4] and tot == tot and H[0][TSH_OK] == 1.0):
        p, hl, hv, sl, sv, dv, tb, st = _dew_general(base_tables(tbl), T)
    return p, hl, hv, sl, sv, dv, tb, st


@njit_kernel
def _suction_general(tbl, T, superheat):
    PL = ploc(tbl, sat_T_props(tbl, T)[0])
    return vapour_T(tbl, PL, T + superheat, T)


@njit_kernel(inline="always")
def suction_state(tbl, T, superheat):
    """Vapour ``superheat`` [K] above dew point T at its dew pressure: h, s, D, status.
    T inside the saturation table (the caller has checked it with :func:`dew_state`)."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    Y = ts_yloc_h(H, TS_SUC, L, superheat)
    h = ts_val(cyc, L, Y, 0)
    s = ts_val(cyc, L, Y, 1)
    d = ts_val(cyc, L, Y, 2)
    st = OK
    if not (L[4] and (h + s + d) == (h + s + d) and H[0][TSH_OK] == 1.0):
        h, s, d, st = _suction_general(base_tables(tbl), T, superheat)
    return h, s, d, st


@njit_kernel
def _liquid_general(tbl, T, subcooling):
    PL = ploc(tbl, sat_T_props(tbl, T)[0])
    Tb = bq(tbl, PL, QX_TBUB)
    h, s, d, st = liquid_T(tbl, PL, Tb - subcooling, Tb)
    return h, s, st


@njit_kernel(inline="always")
def liquid_state(tbl, T, subcooling):
    """Liquid ``subcooling`` [K] below the bubble point at the dew pressure of T: h, s, status."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    Y = ts_yloc_h(H, TS_LIQ, L, subcooling)
    h = ts_val(cyc, L, Y, 0)
    s = ts_val(cyc, L, Y, 1)
    st = OK
    if not (L[4] and (h + s) == (h + s) and H[0][TSH_OK] == 1.0):
        h, s, st = _liquid_general(base_tables(tbl), T, subcooling)
    return h, s, st


@njit_kernel
def _discharge_h_general(tbl, T, s):
    return ps_h(tbl, ploc(tbl, sat_T_props(tbl, T)[0]), s)


@njit_kernel(inline="always")
def discharge_h(tbl, T, s, hl, hv, sl, sv):
    """h at entropy s on the dew pressure of T (any phase), status; ``hl`` ... ``sv``
    the saturation there (from :func:`dew_state`). Above s_v from the grid, inside the
    dome the mixture of the saturated states."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    ds = s - sv
    h = ts_val(cyc, L, ts_yloc_h(H, TS_PS, L, ds), 0)
    if ds < 0.0:
        h = hl + (s - sl) / (sv - sl) * (hv - hl) if s >= sl else NAN
    st = OK
    if not (L[4] and h == h and H[0][TSH_OK] == 1.0):
        h, st = _discharge_h_general(base_tables(tbl), T, s)
    return h, st


@njit_kernel
def _ph_general(tbl, T, h):
    Tx, s, d, q, st = ph_state(tbl, ploc(tbl, sat_T_props(tbl, T)[0]), h)
    return Tx, s, st


@njit_kernel(inline="always")
def _ph_on_grid(tbl, T, h, k, y, held):
    """T and s at enthalpy h on the dew pressure of T from (p, h) grid k at its variable
    y, status; the general path unless the grid holds the state and ``held``."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    Y = ts_yloc_h(H, k, L, y)
    Tx = ts_val(cyc, L, Y, 0)
    s = ts_val(cyc, L, Y, 1)
    st = OK
    if not (L[4] and (Tx + s) == (Tx + s) and held and H[0][TSH_OK] == 1.0):
        Tx, s, st = _ph_general(base_tables(tbl), T, h)
    return Tx, s, st


@njit_kernel(inline="always")
def discharge_state(tbl, T, h, hv):
    """T and s at enthalpy h on the dew pressure of T, status; ``hv`` the saturated
    vapour's h there. The grid holds the superheated vapour (h > hv); anything else
    takes the general path."""
    return _ph_on_grid(tbl, T, h, TS_PH, h - hv, h > hv)


@njit_kernel(inline="always")
def liquid_h_state(tbl, T, h, hl):
    """T and s of the liquid at enthalpy h on the dew pressure of T, status; ``hl`` the
    bubble-point liquid's h there (from :func:`dew_state`). The grid holds h <= hl;
    anything else takes the general path."""
    return _ph_on_grid(tbl, T, h, TS_LPH, hl - h, True)


# quantity indices re-exported for the cycle kernels
Q_P, Q_HL, Q_HV, Q_SL, Q_SV, Q_TBUB, Q_DV = TQ_P, TQ_HL, TQ_HV, TQ_SL, TQ_SV, TQ_TBUB, TQ_DV
