"""Fused cycle kernels: property look-ups and component models in one compiled pass.

Imports only math, numpy, numba and hpcore's kernel helpers. Each cycle has a
scalar core ``<cycle>_core(...) -> (status, values)`` where ``values`` is a
tuple of floats in the order of ``<CYCLE>_OUTPUTS`` (all NaN when status is
not OK), and two loops (parallel and serial) that write the requested
outputs: ``rows[k]`` is the row of ``res`` receiving output k, or -1.
Inputs reach the loops as a tuple ``inp`` of 1-D arrays (the caller's own, not copied) in the order of
``<CYCLE>_INPUTS``; integer options (e.g. the economizer variant) in ``opts``.

Long tuples are written as sums of short ones: CPython 3.11 compiles a tuple
display of more than 30 items with list opcodes that numba's bytecode
front end rejects.

Every function has a single ``return`` (see the note in
:mod:`hpcore.properties._kernels`); a failed step sets the status and the
later steps run on harmless values, their results discarded.

Definitions: docs/cycles.md.
"""
import math

import numpy as np

from .._minimize import CGOLD, brent_done, brent_step, brent_update
from .._numba import VECTOR_READS, njit_kernel, prange, select_zero8, stack_empty, store_stream, store_stream8, stream_fence, stream_peel, vector_loop
from ..properties._kernels import bq, bq_dlnp, liquid_T, ph_state, ploc, ps_h, ps_h_dlnp, rloc, rval, rval_dlnp, vapour_T
from ..properties._tsat_kernels import (
    Q_DV, Q_HL, Q_HV, Q_P, Q_SL, Q_SV, Q_TBUB, dew_state, discharge_h, discharge_state, liquid_h_state, liquid_state, suction_state,
    TSH_OK, ts_header, ts_loc_h, ts_q, ts_q8, ts_val, ts_val8, ts_yloc_h,
)
from ..properties.layout import (
    P_PC, P_PMAX, P_TC, P_THI, P_TMIN, P_TTOP, QX_HHI, QX_HL, QX_HV, QX_SHI, QX_SL, QX_SV, QX_T, QX_TBUB, TAB_HV, TAB_SV, TAB_TL, TAB_TV,
    TS_LIQ, TS_LPH, TS_NTAB, TS_PH, TS_PS, TS_SUC,
)
from ..status import INFEASIBLE, NONFINITE_INPUT, NOT_CONVERGED, OK, OUT_OF_DOMAIN, OUT_OF_TABLE, WET_COMPRESSION

NAN = math.nan


@njit_kernel
def first(st, st_new):
    """Keep the first failure."""
    return st if st != OK else st_new


# --------------------------------------------------------------------------- components


@njit_kernel
def evaporator_outlet(tbl, T_evap, superheat):
    """Evaporator outlet and saturation at p_evap: p, T1, h1, s1, D1, h_l, h_v, s_l, s_v,
    T_bubble, status. T_evap is the dew point; the liquid side is the bubble point at
    p_evap (the same temperature for pure fluids, a little lower in a blend's glide).
    States from the T_sat grids where they hold them (see :mod:`hpcore.properties.tsat`)."""
    p, hl, hv, sl, sv, dv, Tbub, st = dew_state(tbl, T_evap)
    T1 = T_evap + superheat
    h1, s1, d1 = hv, sv, dv
    if superheat > 0.0 and st == OK:
        h1, s1, d1, st = suction_state(tbl, T_evap, superheat)
    return p, T1, h1, s1, d1, hl, hv, sl, sv, Tbub, st


@njit_kernel
def condenser_outlet(tbl, T_cond, Tbub, hl, sl, subcooling):
    """Condenser outlet at (p_cond, T_bubble - subcooling): T3, h3, s3, status; ``Tbub``,
    ``hl``, ``sl`` the bubble point at p_cond (from :func:`dew_state` of T_cond)."""
    T3 = Tbub - subcooling
    h3, s3, st = hl, sl, OK
    if subcooling > 0.0:
        h3, s3, st = liquid_state(tbl, T_cond, subcooling)
    return T3, h3, s3, st


@njit_kernel
def compress(tbl, PL, h_in, s_in, eta_is, h_v_out):
    """Compression to a located pressure: h_out, T_out, s_out, status.

    ``h_v_out``: saturated-vapour enthalpy at the outlet pressure (NaN above
    the critical pressure); a discharge at or below it is WET_COMPRESSION.
    """
    h2s, st = ps_h(tbl, PL, s_in)
    h2 = h_in + (h2s - h_in) / eta_is
    if st == OK and h2 <= h_v_out:
        st = WET_COMPRESSION
    T2, s2, d2, q2, st2 = ph_state(tbl, PL, h2)
    return h2, T2, s2, first(st, st2)


@njit_kernel
def compress_cond(tbl, T_cond, h_in, s_in, eta_is, hl, hv, sl, sv):
    """Compression to the dew pressure of T_cond: h_out, T_out, s_out, status.

    ``hl`` ... ``sv``: the saturation at that pressure (from :func:`dew_state`); a
    discharge at or below h_v is WET_COMPRESSION. The states come from the T_sat grids
    where they hold them, as everywhere a cycle reaches its condensing pressure.
    """
    h2s, st = discharge_h(tbl, T_cond, s_in, hl, hv, sl, sv)
    h2 = h_in + (h2s - h_in) / eta_is
    if st == OK and h2 <= hv:
        st = WET_COMPRESSION
    T2, s2, st2 = discharge_state(tbl, T_cond, h2, hv)
    return h2, T2, s2, first(st, st2)


@njit_kernel
def check_common(T_evap, T_hot, superheat, subcooling, eta_is):
    st = OK
    if not (math.isfinite(T_evap) and math.isfinite(T_hot) and math.isfinite(superheat)
            and math.isfinite(subcooling) and math.isfinite(eta_is)):
        st = NONFINITE_INPUT
    elif superheat < 0.0 or subcooling < 0.0 or not (eta_is > 0.0 and eta_is <= 1.0):
        st = OUT_OF_DOMAIN
    elif T_evap >= T_hot:
        st = INFEASIBLE
    return st


# --------------------------------------------------------------------------- basic

SCALAR_OUTPUTS = (
    "COP_heating", "COP_cooling", "p_evap", "p_cond", "pressure_ratio", "T_discharge",
    "q_evap", "q_cond", "w_comp", "quality_evap_in", "D_suction",
)


def _state_names(states):
    return tuple(f"{v}_{s}" for v in ("p", "T", "h", "s") for s in states)


BASIC_INPUTS = ("T_evap", "T_cond", "superheat", "subcooling", "eta_is")
BASIC_STATES = ("1", "2", "3", "4")
BASIC_OUTPUTS = SCALAR_OUTPUTS + _state_names(BASIC_STATES)
N_BASIC = len(BASIC_OUTPUTS)
_I_D_SUCTION = BASIC_OUTPUTS.index("D_suction")
_NAN_BASIC = (NAN,) * N_BASIC


# Inlined copies of the component helpers for the basic cycle: 1.25x faster for about
# 5 s more compile time. Inlined into every cycle they doubled or tripled compile times
# (economizer: about 60 s), so the other cycles call them.
_evaporator_outlet_i = njit_kernel(inline="always")(evaporator_outlet.py_func)
_condenser_outlet_i = njit_kernel(inline="always")(condenser_outlet.py_func)
_compress_i = njit_kernel(inline="always")(compress_cond.py_func)


@njit_kernel
def basic_core(tbl, T_evap, T_cond, superheat, subcooling, eta_is):
    """Basic cycle between dew-point temperatures. Returns status, values."""
    st = check_common(T_evap, T_cond, superheat, subcooling, eta_is)
    if st == OK and T_cond > tbl[0][P_TTOP]:
        st = INFEASIBLE
    if st != OK:  # keep the look-ups below on valid arguments
        T_evap = T_cond = tbl[0][P_TTOP]
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe, st1 = _evaporator_outlet_i(tbl, T_evap, superheat)
    pc, hlc, hvc, slc, svc, dvc, Tbc, st2 = dew_state(tbl, T_cond)
    h2, T2, s2, st3 = _compress_i(tbl, T_cond, h1, s1, eta_is, hlc, hvc, slc, svc)
    T3, h3, s3, st4 = _condenser_outlet_i(tbl, T_cond, Tbc, hlc, slc, subcooling)
    x4 = (h3 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    st = first(first(first(first(st, st1), st2), st3), st4)
    if st == OK and not (x4 >= 0.0):
        st = INFEASIBLE
    w = h2 - h1
    qe = h1 - h3
    qc = h2 - h3
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T2, qe, qc, w, x4, d1,)
        + (pe, pc, pc, pe,)
        + (T1, T2, T3, Tbe + x4 * (T_evap - Tbe),)
        + (h1, h2, h3, h3,)
        + (s1, s2, s3, s4,)
    )
    if st != OK:
        vals = _NAN_BASIC
    return st, vals


@njit_kernel(inline="always")
def _evap_end(cyc, H, T_evap, superheat, need_d1, full):
    """The evaporating side of :func:`_grid_ends`: (Le, pe, hle, hve, sle, sve, dve, Tbe,
    h1, s1, d1)."""
    Le = ts_loc_h(H, T_evap)
    pe = ts_q(cyc, Le, Q_P)
    hle = ts_q(cyc, Le, Q_HL)
    hve = ts_q(cyc, Le, Q_HV)
    sle = ts_q(cyc, Le, Q_SL) if full else 0.0
    sve = ts_q(cyc, Le, Q_SV)
    dve = ts_q(cyc, Le, Q_DV) if need_d1 else 0.0
    Tbe = ts_q(cyc, Le, Q_TBUB) if full else 0.0
    Y1 = ts_yloc_h(H, TS_SUC, Le, superheat)
    h1 = ts_val(cyc, Le, Y1, 0)
    s1 = ts_val(cyc, Le, Y1, 1)
    d1 = ts_val(cyc, Le, Y1, 2) if need_d1 else 0.0
    if superheat == 0.0:
        h1, s1, d1 = hve, sve, dve
    return Le, pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1


@njit_kernel(inline="always")
def _cond_end(cyc, H, T_cond, subcooling, full):
    """The condensing side of :func:`_grid_ends`: (Lc, pc, hlc, hvc, slc, svc, Tbc, h3, s3)."""
    Lc = ts_loc_h(H, T_cond)
    pc = ts_q(cyc, Lc, Q_P)
    hlc = ts_q(cyc, Lc, Q_HL)
    hvc = ts_q(cyc, Lc, Q_HV)
    slc = ts_q(cyc, Lc, Q_SL)
    svc = ts_q(cyc, Lc, Q_SV)
    Tbc = ts_q(cyc, Lc, Q_TBUB) if full else 0.0
    Y3 = ts_yloc_h(H, TS_LIQ, Lc, subcooling)
    h3 = ts_val(cyc, Lc, Y3, 0)
    s3 = ts_val(cyc, Lc, Y3, 1) if full else 0.0
    if subcooling == 0.0:
        h3, s3 = hlc, (slc if full else 0.0)
    return Lc, pc, hlc, hvc, slc, svc, Tbc, h3, s3


@njit_kernel(inline="always")
def _grid_ends(cyc, H, T_evap, T_cond, superheat, subcooling, need_d1, full):
    """The grid reads that :func:`basic_grid` and :func:`ihx_grid_a` share: both dew points
    located, the saturation at both pressures (the vapour density only if ``need_d1``),
    the suction state 1 and the condenser outlet 3 (h, s; the saturated states
    themselves at zero superheat or subcooling). Returns (Le, Lc, pe, hle, hve, sle, sve,
    dve, Tbe, pc, hlc, hvc, slc, svc, Tbc, h1, s1, d1, h3, s3).

    ``full`` (a constant in each caller): False leaves out what only the basic cycle's
    outputs T_3, T_4, s_3 and s_4 need (sle, Tbe, Tbc and s3 are then 0.0): a grid
    cell holds all its quantities or none (NaN nodes), so no validity test changes.
    The two sides are :func:`_evap_end` and :func:`_cond_end`, which the basic block
    loop runs as separate loops."""
    Le, pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1 = _evap_end(cyc, H, T_evap, superheat, need_d1, full)
    Lc, pc, hlc, hvc, slc, svc, Tbc, h3, s3 = _cond_end(cyc, H, T_cond, subcooling, full)
    return Le, Lc, pe, hle, hve, sle, sve, dve, Tbe, pc, hlc, hvc, slc, svc, Tbc, h1, s1, d1, h3, s3


@njit_kernel(inline="always")
def basic_grid(cyc, H, T_evap, T_cond, superheat, subcooling, eta_is, need_d1, full):
    """The basic cycle when every state lies on the T_sat grids: (ok, values).

    The same reads and arithmetic as :func:`basic_core` takes when each of its state
    functions finds its state on the grids, so the values are identical; written out in one straight pass (no fallback branch per state, which
    cost about 1.2x). ``ok`` is False wherever :func:`basic_core` would take the general
    path for any state or set a flag; the caller then runs it. ``need_d1``: compute the
    suction density (only the D_suction output needs it). ``full``: every value; False
    leaves T_3, T_4, s_2, s_3 and s_4 out (0.0), with the same
    ``ok``. Inputs checked by :func:`basic_grid_ok`. ``H``: the grids' header
    (:func:`ts_header`). In three parts (:func:`_evap_end`, :func:`_cond_end`,
    :func:`_basic_tail`), which :func:`basic_range_v` runs as three loops.
    """
    Le, pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1 = _evap_end(cyc, H, T_evap, superheat, need_d1, full)
    Lc, pc, hlc, hvc, slc, svc, Tbc, h3, s3 = _cond_end(cyc, H, T_cond, subcooling, full)
    E = (pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1)
    C = (pc, hlc, hvc, slc, svc, Tbc, h3, s3)
    return _basic_tail(cyc, H, Lc, T_evap, superheat, subcooling, eta_is, E, C, Le[4] and Lc[4], full)


@njit_kernel(inline="always")
def _basic_tail(cyc, H, Lc, T_evap, superheat, subcooling, eta_is, E, C, inside, full):
    """The compression and the values of :func:`basic_grid` from the two sides' values
    ``E`` (:func:`_evap_end` without Le) and ``C`` (:func:`_cond_end` without Lc);
    ``inside``: both dew points on the grids."""
    h1, s1 = E[7], E[8]
    hlc, hvc, slc, svc = C[1], C[2], C[3], C[4]
    h2s, h2, T2, s2 = _high_stage_grid(cyc, H, Lc, h1, s1, eta_is, hlc, hvc, slc, svc, full)
    return _basic_values(T_evap, superheat, subcooling, E, C, h2s, h2, T2, s2, inside)


@njit_kernel(inline="always")
def _basic_values(T_evap, superheat, subcooling, E, C, h2s, h2, T2, s2, inside):
    """(ok, values) of the basic grid pass from the two sides' values ``E`` and ``C``
    (as :func:`_basic_tail` takes them) and the compression's h2s, h2, T2, s2."""
    pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1 = E
    pc, hlc, hvc, slc, svc, Tbc, h3, s3 = C
    x4 = (h3 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    w = h2 - h1
    qe = h1 - h3
    qc = h2 - h3
    # a NaN anywhere (no grid value) makes the sum NaN; no look-up returns inf
    tot = ((pe + hle) + (hve + sle) + (sve + dve) + Tbe) + ((pc + hlc) + (hvc + slc) + (svc + Tbc))
    tot += (h1 + s1 + d1) + (h2s + T2 + s2) + (h3 + s3)
    ok = inside and tot == tot and h2 > hvc and x4 >= 0.0
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T2, qe, qc, w, x4, d1,)
        + (pe, pc, pc, pe,)
        + (T_evap + superheat, T2, Tbc - subcooling, Tbe + x4 * (T_evap - Tbe),)
        + (h1, h2, h3, h3,)
        + (s1, s2, s3, s4,)
    )
    return ok, vals


@njit_kernel(inline="always")
def _store_basic(S, j, v, ok):
    """A basic cycle's 27 values and its ok flag into column j of a block's scratch.
    Written out: a loop over the tuple would be a switch, which does not vectorize."""
    S[0, j] = v[0]; S[1, j] = v[1]; S[2, j] = v[2]; S[3, j] = v[3]; S[4, j] = v[4]; S[5, j] = v[5]
    S[6, j] = v[6]; S[7, j] = v[7]; S[8, j] = v[8]; S[9, j] = v[9]; S[10, j] = v[10]; S[11, j] = v[11]
    S[12, j] = v[12]; S[13, j] = v[13]; S[14, j] = v[14]; S[15, j] = v[15]; S[16, j] = v[16]; S[17, j] = v[17]
    S[18, j] = v[18]; S[19, j] = v[19]; S[20, j] = v[20]; S[21, j] = v[21]; S[22, j] = v[22]; S[23, j] = v[23]
    S[24, j] = v[24]; S[25, j] = v[25]; S[26, j] = v[26]
    S[N_BASIC, j] = 1.0 if ok else 0.0


@njit_kernel(inline="always")
def basic_grid_ok(H, T_evap, T_cond, superheat, subcooling, eta_is):
    """The comparisons the grid path needs before it starts (False for NaN); a
    non-finite input leaves the grids (NaN, not ok), and basic_core flags it."""
    return (eta_is > 0.0) & (eta_is <= 1.0) & (T_evap < T_cond) & (superheat >= 0.0) & (subcooling >= 0.0) & (H[0][TSH_OK] == 1.0)


#: elements per task of the parallel basic-cycle loop
_BLOCK = 4096


@njit_kernel(inline="always")
def _basic_rest(tbl, inp, rows, res, status, lo, hi):
    """The second pass of the basic loops: :func:`basic_core` for the elements the grid
    pass left (status not OK)."""
    for i in range(lo, hi):
        if status[i] != OK:
            st, v = basic_core(tbl, inp[0][i], inp[1][i], inp[2][i], inp[3][i], inp[4][i])
            status[i] = st
            for k in range(N_BASIC):
                if rows[k] >= 0:
                    res[rows[k], i] = v[k]


@njit_kernel
def basic_range(tbl, inp, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the basic cycle, every helper inlined here (numba's
    parallel-loop analysis rejects them inlined into a prange body).

    Two passes: the T_sat grids for every element (:func:`basic_grid`), then
    :func:`basic_core` for those the grids did not hold (marked in ``status``), whose
    values are the same where both answer. With the call to basic_core inside the
    first loop that loop was 1.15-1.2x slower, though the call is almost never made.
    """
    need_d1 = rows[_I_D_SUCTION] >= 0
    H = ts_header(tbl[5])
    for i in range(lo, hi):
        a, b, c, d, e = inp[0][i], inp[1][i], inp[2][i], inp[3][i], inp[4][i]
        ok = basic_grid_ok(H, a, b, c, d, e)
        ok2, v = basic_grid(tbl[5], H, a, b, c, d, e, need_d1, True)
        status[i] = OK if (ok and ok2) else -1
        for k in range(N_BASIC):
            if rows[k] >= 0:
                res[rows[k], i] = v[k]
    _basic_rest(tbl, inp, rows, res, status, lo, hi)


#: elements per inner block of :func:`basic_range_v` (its scratch: (N_BASIC + 1) x this on the stack)
_VBLOCK = 128
_N_SCRATCH = N_BASIC + 1  # the values and the grid path's ok flag


#: outputs of at least this many values (8 bytes each) are written by streaming stores
#: (:func:`hpcore._numba.store_stream`): a quarter of the 32 MiB L3 of this project's
#: machines, so that a result that could stay in cache for the caller does
_STREAM_MIN_VALUES = 1 << 20


@njit_kernel(inline="always")
def _streams(res):
    """Whether the block loops write ``res`` by streaming stores."""
    return res.shape[0] * res.shape[1] >= _STREAM_MIN_VALUES


@njit_kernel(inline="always")
def _stream_row(S, q, res, r, b0, m, Cy, k, first, last):
    """``res[r, b0:b0 + m] = S[q, :m]`` by streaming stores, every 64-byte line of the row
    in one store (:func:`store_stream8`) where the block loop's range holds all of it.

    A block rarely starts or ends on a line boundary (numpy's large arrays start 16 bytes
    past one). The block's elements after its last boundary are not written but kept in
    ``Cy[k, :]``; the next block writes them with its own elements up to its first
    boundary as one line. Only the range's first block (``first``) writes its head singly,
    and only its last (``last``) its tail: the line there is shared with the neighbouring
    range, or the row ends. A streaming store of part of a line costs as much as a whole
    line here (the line is written to memory by itself); with a partial line at both ends
    of every row of every block the 19 rows of the benchmark were written at 10 GB/s
    against 23 GB/s (one core of the Intel machine, 2026-12-06, docs/speed-log.md). A row
    that cannot be aligned (not 8-byte aligned, not C-contiguous) is stored value by value.
    """
    U = np.uint64
    p = stream_peel(res, r, U(b0))
    if p >= 8:
        for j in range(m):
            store_stream(res, r, U(b0 + j), S[q, j])
        return
    t = (8 - p) % 8  # the elements of b0's line before b0, carried from the last block
    if t > 0 and not first:
        if m < p:  # a last block that ends inside that line
            for j in range(t):
                store_stream(res, r, U(b0 - t + j), Cy[k, j])
            for j in range(m):
                store_stream(res, r, U(b0 + j), S[q, j])
            return
        for j in range(p):
            Cy[k, t + j] = S[q, j]
        store_stream8(res, r, U(b0 - t), Cy, k, 0)
    else:
        for j in range(min(p, m)):
            store_stream(res, r, U(b0 + j), S[q, j])
        if m <= p:
            return
    n8 = p + (m - p) // 8 * 8
    for j in range(p, n8, 8):
        store_stream8(res, r, U(b0 + j), S, q, j)
    if last:
        for j in range(n8, m):
            store_stream(res, r, U(b0 + j), S[q, j])
    else:
        for j in range(n8, m):
            Cy[k, j - n8] = S[q, j]


@njit_kernel(inline="always")
def _block_out(S, nv, rows, res, status, b0, m, stream, Cy, lo, hi):
    """Copy a block's scratch (``nv`` values a column, then the grid pass's ok flag) to the
    requested rows of ``res`` and mark ``status`` (OK, or -1 for the core pass).
    ``stream`` (:func:`_streams`): by streaming stores of whole lines, the block's last
    partial line of each row carried in ``Cy`` (at least ``nv`` rows of 8) to the next
    block of the loop's range ``lo..hi-1`` (:func:`_stream_row`); the caller then calls
    ``stream_fence`` after its last block. Returns the number of elements marked -1."""
    U = np.uint64
    first, last = b0 == lo, b0 + m >= hi
    for k in range(nv):
        r = rows[k]
        if r >= 0:
            if stream:
                _stream_row(S, k, res, r, b0, m, Cy, k, first, last)
            else:
                for j in range(m):
                    res[r, U(b0 + j)] = S[k, j]
    left = 0
    for j in range(m):
        ok = S[nv, j] != 0.0
        status[U(b0 + j)] = OK if ok else -1
        left += 0 if ok else 1
    return left


@njit_kernel(inline="always")
def _left_span(span, b0, m, left):
    """The span (first, end) of the blocks with elements left to the core pass, ``span``
    extended by the block ``b0..b0+m-1`` where it left ``left`` > 0; (0, 0) is empty."""
    if left == 0:
        return span
    return (b0 if span[1] == 0 else span[0]), b0 + m


@njit_kernel(inline="always")
def _block_out_src(S, src, rows, res, status, b0, m, stream, Cy, lo, hi):
    """:func:`_block_out` for a scratch holding each distinct value once: output k is
    scratch row ``src[k]``; the last scratch row is the ok flag. ``Cy``: a row of 8 for
    each output."""
    U = np.uint64
    first, last = b0 == lo, b0 + m >= hi
    for k in range(src.shape[0]):
        r = rows[k]
        if r >= 0:
            q = src[k]
            if stream:
                _stream_row(S, q, res, r, b0, m, Cy, k, first, last)
            else:
                for j in range(m):
                    res[r, U(b0 + j)] = S[q, j]
    f = S.shape[0] - 1
    for j in range(m):
        status[U(b0 + j)] = OK if S[f, j] != 0.0 else -1


#: the outputs only the full grid pass computes (see :func:`basic_grid`)
_I_FULL = tuple(BASIC_OUTPUTS.index(k) for k in ("T_3", "T_4", "s_2", "s_3", "s_4"))


@njit_kernel(inline="always")
def _any_requested(rows, idx):
    """Whether any of the outputs ``idx`` (a tuple of output indices) is requested: the
    choice of the full or the lean grid pass of the basic, economizer and two-stage loops."""
    full = False
    for k in idx:
        full = full or rows[k] >= 0
    return full


#: rows of the basic block loop's second scratch: the two sides' values and flags
_N_SIDES = 20


@njit_kernel(inline="always")
def _basic_blocks(tbl, inp, rows, res, status, lo, hi, S, W, Cy, full, split):
    """The block loops of :func:`basic_range_v`; ``full`` and ``split`` constants at each
    call.

    ``split``: three loops a block, through the scratch ``W``: the evaporating side
    (:func:`_evap_end`), the condensing side (:func:`_cond_end`), then the compression
    and the values (:func:`_basic_tail`); else one loop (:func:`basic_grid`). The full
    pass in one loop was 32 KB of code for 8 elements (about 4900 instructions); split,
    it ran 1.07-1.14x faster with every output requested and 0.97-1.04x with the
    benchmark's (A/B, scripts/ab_cycles.py). The lean pass, split, ran 0.83x: it keeps
    one loop."""
    need_d1 = rows[_I_D_SUCTION] >= 0
    cyc = tbl[5]
    H = ts_header(cyc)
    U = np.uint64
    x0, x1, x2, x3, x4 = inp
    stream = _streams(res)
    span = (0, 0)
    for b0 in range(lo, hi, _VBLOCK):
        m = min(_VBLOCK, hi - b0)
        if split:
            for j in range(m):
                vector_loop()
                i = U(b0 + j)  # unsigned indices: no negative-index fix-up, which makes a gather of a plain load
                Le, pe, hle, hve, sle, sve, dve, Tbe, h1, s1, d1 = _evap_end(cyc, H, x0[i], x2[i], need_d1, full)
                W[0, j] = pe; W[1, j] = hle; W[2, j] = hve; W[3, j] = sle; W[4, j] = sve; W[5, j] = dve
                W[6, j] = Tbe; W[7, j] = h1; W[8, j] = s1; W[9, j] = d1
                W[18, j] = 1.0 if Le[4] else 0.0
            for j in range(m):
                vector_loop()
                i = U(b0 + j)
                Lc, pc, hlc, hvc, slc, svc, Tbc, h3, s3 = _cond_end(cyc, H, x1[i], x3[i], full)
                W[10, j] = pc; W[11, j] = hlc; W[12, j] = hvc; W[13, j] = slc; W[14, j] = svc; W[15, j] = Tbc
                W[16, j] = h3; W[17, j] = s3
                W[19, j] = 1.0 if Lc[4] else 0.0
        for j in range(m):
            vector_loop()
            i = U(b0 + j)
            a, b, c, d, e = x0[i], x1[i], x2[i], x3[i], x4[i]
            ok = basic_grid_ok(H, a, b, c, d, e)
            if split:
                E = (W[0, j], W[1, j], W[2, j], W[3, j], W[4, j], W[5, j], W[6, j], W[7, j], W[8, j], W[9, j])
                C = (W[10, j], W[11, j], W[12, j], W[13, j], W[14, j], W[15, j], W[16, j], W[17, j])
                inside = W[18, j] != 0.0 and W[19, j] != 0.0
                ok2, v = _basic_tail(cyc, H, ts_loc_h(H, b), a, c, d, e, E, C, inside, full)
            else:
                ok2, v = basic_grid(cyc, H, a, b, c, d, e, need_d1, full)
            _store_basic(S, j, v, ok and ok2)
        span = _left_span(span, b0, m, _block_out(S, N_BASIC, rows, res, status, b0, m, stream, Cy, lo, hi))
    if stream:
        stream_fence()
    return span


#: elements per block of :func:`_basic_blocks_t` (its scratch rows then stay in L1 and L2;
#: blocks of 32 wrote each output row 256 bytes at a time and ran 0.96x, 128 no faster)
_TBLOCK = 64
# rows of its scratch arrays: A (the first loop: locations, copied inputs)
_A_LE, _A_TE = 0, 1  # evaporating dew point: record offset, position
_A_LC, _A_TC = 2, 3  # condensing dew point
_A_Y1, _A_W1 = 4, 5  # suction cell: node offset, y weights (4)
_A_Y3, _A_W3 = 9, 10  # liquid cell
_A_INE, _A_INC, _A_IXC, _A_SH, _A_SC, _A_ETA = 14, 15, 16, 17, 18, 19
_N_A = 20
# XE (the first loop too): the dew points' x weights element by element, 4 an element
# (ts_val8 broadcasts them from memory): row 0 the evaporating side's, row 1 the condensing
_XE_E, _XE_C = 0, 1
_N_XE = 4 * _TBLOCK
# Q (the first reads): the evaporating record's 8 quantities (TQ_* order), the condensing
# record's first 6, h1 s1 d1 h3 s3
_Q_E, _Q_C, _Q_H1, _Q_S1, _Q_D1, _Q_H3, _Q_S3 = 0, 8, 14, 15, 16, 17, 18
_N_Q = 19
# B (the second loop): the isentropic cell: node offset, y weights
_B_Y, _B_W = 0, 1
_N_B = 5
# C (the third loop): h2s h2, the discharge cell
_C_H2S, _C_H2, _C_Y, _C_W = 0, 1, 2, 3
_N_C = 7


@njit_kernel(inline="always")
def _yloc_c(H, k, ix, y):
    """:func:`ts_yloc_h` in 2-D table k at the condensing dew point's cell column ``ix``."""
    return ts_yloc_h(H, k, (np.uint64(0), 0.0, ix, (0.0, 0.0, 0.0, 0.0), True), y)


@njit_kernel(inline="always")
def _sides8(cyc, H, x0, x1, x2, x3, x4, b0, m, A, XE, Q, need_d1, full):
    """The grid pass's start with the 8-element reads, for the ``m`` elements of a block
    from ``b0`` (the inputs x0..x4: T_evap, T_cond, superheat, subcooling, eta_is): a
    vectorized loop locates both dew points and the suction and liquid cells (into the
    scratch ``A``, the dew points' x weights element by element into ``XE``, which
    :func:`ts_val8` broadcasts); both records and the suction and liquid look-ups are
    read 8 elements at a time into ``Q`` (rows _Q_*), the saturated states put in where
    superheat or subcooling is zero (:func:`select_zero8`). ``need_d1``: the suction
    density and the evaporating record's densities; ``full``: the liquid entropy. The
    last group of 8 of a partial block reads the block's last element's cells in its
    unused lanes. Returns m rounded up to 8. Shared by the basic cycle's block loop
    (:func:`_basic_blocks_t`) and the economizer's and two-stage's
    (:func:`_eco_sides8`)."""
    U = np.uint64
    it = H[1]
    rs_suc = 4 * it[2 + TS_NTAB + TS_SUC]
    rs_liq = 4 * it[2 + TS_NTAB + TS_LIQ]
    os_suc, os_liq = it[0] * rs_suc, it[0] * rs_liq
    m8 = (m + 7) // 8 * 8
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        Le = ts_loc_h(H, x0[i])
        Lc = ts_loc_h(H, x1[i])
        Y1 = ts_yloc_h(H, TS_SUC, Le, x2[i])
        Y3 = ts_yloc_h(H, TS_LIQ, Lc, x3[i])
        A[_A_LE, j] = float(Le[0]); A[_A_TE, j] = Le[1]
        XE[_XE_E, 4 * j] = Le[3][0]; XE[_XE_E, 4 * j + 1] = Le[3][1]; XE[_XE_E, 4 * j + 2] = Le[3][2]; XE[_XE_E, 4 * j + 3] = Le[3][3]
        A[_A_LC, j] = float(Lc[0]); A[_A_TC, j] = Lc[1]
        XE[_XE_C, 4 * j] = Lc[3][0]; XE[_XE_C, 4 * j + 1] = Lc[3][1]; XE[_XE_C, 4 * j + 2] = Lc[3][2]; XE[_XE_C, 4 * j + 3] = Lc[3][3]
        A[_A_Y1, j] = float(Y1[0])
        A[_A_W1, j] = Y1[3][0]; A[_A_W1 + 1, j] = Y1[3][1]; A[_A_W1 + 2, j] = Y1[3][2]; A[_A_W1 + 3, j] = Y1[3][3]
        A[_A_Y3, j] = float(Y3[0])
        A[_A_W3, j] = Y3[3][0]; A[_A_W3 + 1, j] = Y3[3][1]; A[_A_W3 + 2, j] = Y3[3][2]; A[_A_W3 + 3, j] = Y3[3][3]
        A[_A_INE, j] = 1.0 if Le[4] else 0.0
        A[_A_INC, j] = 1.0 if Lc[4] else 0.0
        A[_A_IXC, j] = float(Lc[2])
        A[_A_SH, j] = x2[i]; A[_A_SC, j] = x3[i]; A[_A_ETA, j] = x4[i]
    for j in range(m, m8):
        for r in range(_N_A):
            A[r, j] = A[r, m - 1]
        for r in range(2):
            for c in range(4):
                XE[r, 4 * j + c] = XE[r, 4 * (m - 1) + c]
    for j in range(0, m8, 8):
        ts_q8(cyc, A, _A_LE, _A_TE, 0, j, Q, _Q_E, _Q_E + 1)  # p, hl
        ts_q8(cyc, A, _A_LE, _A_TE, 1, j, Q, _Q_E + 2, _Q_E + 3)  # hv, sl
        ts_q8(cyc, A, _A_LE, _A_TE, 2, j, Q, _Q_E + 4, _Q_E + 5)  # sv, Tbub
        if need_d1:
            ts_q8(cyc, A, _A_LE, _A_TE, 3, j, Q, _Q_E + 6, _Q_E + 7)  # dv, dl
        ts_q8(cyc, A, _A_LC, _A_TC, 0, j, Q, _Q_C, _Q_C + 1)
        ts_q8(cyc, A, _A_LC, _A_TC, 1, j, Q, _Q_C + 2, _Q_C + 3)
        ts_q8(cyc, A, _A_LC, _A_TC, 2, j, Q, _Q_C + 4, _Q_C + 5)
        ts_val8(cyc, A, _A_Y1, _A_W1, XE, _XE_E, rs_suc, 0, j, Q, _Q_H1)
        ts_val8(cyc, A, _A_Y1, _A_W1, XE, _XE_E, rs_suc, os_suc, j, Q, _Q_S1)
        if need_d1:
            ts_val8(cyc, A, _A_Y1, _A_W1, XE, _XE_E, rs_suc, 2 * os_suc, j, Q, _Q_D1)
        ts_val8(cyc, A, _A_Y3, _A_W3, XE, _XE_C, rs_liq, 0, j, Q, _Q_H3)
        if full:
            ts_val8(cyc, A, _A_Y3, _A_W3, XE, _XE_C, rs_liq, os_liq, j, Q, _Q_S3)
        # the saturated states where superheat or subcooling is zero
        select_zero8(A, _A_SH, Q, _Q_E + 2, Q, _Q_H1, j)
        select_zero8(A, _A_SH, Q, _Q_E + 4, Q, _Q_S1, j)
        if need_d1:
            select_zero8(A, _A_SH, Q, _Q_E + 6, Q, _Q_D1, j)
        select_zero8(A, _A_SC, Q, _Q_C + 1, Q, _Q_H3, j)
        if full:
            select_zero8(A, _A_SC, Q, _Q_C + 3, Q, _Q_S3, j)
    return m8


@njit_kernel(inline="always")
def _basic_block8(cyc, H, x0, x1, x2, x3, x4, b0, m, A, XE, Q, B, Q2, C, Q3, S, need_d1, full):
    """One block of :func:`_basic_blocks_t`: the basic cycle's grid pass with the
    8-element reads for the ``m`` elements from ``b0`` of the inputs x0..x4 (T_evap,
    T_cond, superheat, subcooling, eta_is), each element's values and ok flag into column
    j of ``S`` (:func:`_store_basic`). Also the cascade's two circuits
    (:func:`cascade_range_v`)."""
    U = np.uint64
    it = H[1]
    rs_ps = 4 * it[2 + TS_NTAB + TS_PS]
    rs_ph = 4 * it[2 + TS_NTAB + TS_PH]
    os_ph = it[0] * rs_ph
    m8 = _sides8(cyc, H, x0, x1, x2, x3, x4, b0, m, A, XE, Q, need_d1, full)
    for j in range(m8):
        vector_loop()
        Y = _yloc_c(H, TS_PS, int(A[_A_IXC, j]), Q[_Q_S1, j] - Q[_Q_C + 4, j])
        B[_B_Y, j] = float(Y[0])
        B[_B_W, j] = Y[3][0]; B[_B_W + 1, j] = Y[3][1]; B[_B_W + 2, j] = Y[3][2]; B[_B_W + 3, j] = Y[3][3]
    for j in range(0, m8, 8):
        ts_val8(cyc, B, _B_Y, _B_W, XE, _XE_C, rs_ps, 0, j, Q2, 0)
    for j in range(m8):
        vector_loop()
        # _high_stage_grid's arithmetic
        s_in, h_in = Q[_Q_S1, j], Q[_Q_H1, j]
        hlc, hvc, slc, svc = Q[_Q_C + 1, j], Q[_Q_C + 2, j], Q[_Q_C + 3, j], Q[_Q_C + 4, j]
        h2s = Q2[0, j]
        if s_in - svc < 0.0:
            h2s = hlc + (s_in - slc) / (svc - slc) * (hvc - hlc) if s_in >= slc else NAN
        h2 = h_in + (h2s - h_in) / A[_A_ETA, j]
        C[_C_H2S, j] = h2s
        C[_C_H2, j] = h2
        Y = _yloc_c(H, TS_PH, int(A[_A_IXC, j]), h2 - hvc)
        C[_C_Y, j] = float(Y[0])
        C[_C_W, j] = Y[3][0]; C[_C_W + 1, j] = Y[3][1]; C[_C_W + 2, j] = Y[3][2]; C[_C_W + 3, j] = Y[3][3]
    for j in range(0, m8, 8):
        ts_val8(cyc, C, _C_Y, _C_W, XE, _XE_C, rs_ph, 0, j, Q3, 0)  # T2
        if full:
            ts_val8(cyc, C, _C_Y, _C_W, XE, _XE_C, rs_ph, os_ph, j, Q3, 1)  # s2
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        a, b, c, d, e = x0[i], x1[i], x2[i], x3[i], x4[i]
        ok0 = basic_grid_ok(H, a, b, c, d, e)
        pe, hle, hve, sve = Q[_Q_E, j], Q[_Q_E + 1, j], Q[_Q_E + 2, j], Q[_Q_E + 4, j]
        pc, hlc, hvc, slc, svc = Q[_Q_C, j], Q[_Q_C + 1, j], Q[_Q_C + 2, j], Q[_Q_C + 3, j], Q[_Q_C + 4, j]
        # the lean pass (not full) leaves these out as _evap_end and _cond_end do
        sle = Q[_Q_E + 3, j] if full else 0.0
        Tbe = Q[_Q_E + 5, j] if full else 0.0
        Tbc = Q[_Q_C + 5, j] if full else 0.0
        dve = Q[_Q_E + 6, j] if need_d1 else 0.0
        d1 = Q[_Q_D1, j] if need_d1 else 0.0
        s3 = Q[_Q_S3, j] if full else 0.0
        E = (pe, hle, hve, sle, sve, dve, Tbe, Q[_Q_H1, j], Q[_Q_S1, j], d1)
        Cv = (pc, hlc, hvc, slc, svc, Tbc, Q[_Q_H3, j], s3)
        s2 = Q3[1, j] if full else 0.0
        inside = A[_A_INE, j] != 0.0 and A[_A_INC, j] != 0.0
        ok, v = _basic_values(a, c, d, E, Cv, C[_C_H2S, j], C[_C_H2, j], Q3[0, j], s2, inside)
        _store_basic(S, j, v, ok0 and ok)


@njit_kernel(inline="always")
def _basic_blocks_t(tbl, inp, rows, res, status, lo, hi, A, XE, Q, B, Q2, C, Q3, S, Cy, full):
    """The grid pass of :func:`basic_range_v` with its table reads 8 elements at a time
    (:func:`ts_q8`, :func:`ts_val8`: one 512-bit load an element, weighted and combined
    in registers), where LLVM's vectorized loop builds each vector from 8 scalar loads.
    ``full`` (a constant at each call) as in :func:`_basic_blocks`: False leaves out the
    liquid entropy and the discharge entropy look-ups and the values only T_3, T_4, s_2,
    s_3 and s_4 need (0.0 in the check sum, as there).

    Per block of _TBLOCK elements: :func:`_basic_block8` (the locations and the reads
    of both records and the suction and liquid cells by :func:`_sides8`; then the
    isentropic and discharge cells, read 8 elements at a time; then the values into
    ``S``), copied out by :func:`_block_out`.
    The same arithmetic in the same order as :func:`basic_grid`: the same values, bit
    for bit (tests/test_tsat.py). A/B in one process against :func:`_basic_blocks`, one
    thread, 2x10^6 random points: every output 1.10x, COP_heating and T_discharge
    (lean) 1.08x (docs/speed-log.md, 2026-12-05).
    """
    need_d1 = rows[_I_D_SUCTION] >= 0
    cyc = tbl[5]
    H = ts_header(cyc)
    x0, x1, x2, x3, x4 = inp
    stream = _streams(res)
    span = (0, 0)
    for b0 in range(lo, hi, _TBLOCK):
        m = min(_TBLOCK, hi - b0)
        _basic_block8(cyc, H, x0, x1, x2, x3, x4, b0, m, A, XE, Q, B, Q2, C, Q3, S, need_d1, full)
        span = _left_span(span, b0, m, _block_out(S, N_BASIC, rows, res, status, b0, m, stream, Cy, lo, hi))
    if stream:
        stream_fence()
    return span


@njit_kernel
def basic_range_v(tbl, inp, rows, res, status, lo, hi):
    """:func:`basic_range` in blocks of _VBLOCK elements, written for the loop vectorizer.

    The grid pass stores every value of a block into a scratch array on the stack
    (which LLVM knows is distinct from the table, so the gathers from it need no alias
    checks) in one branch-free loop; the requested rows are then copied out row by row.
    Same arithmetic in the same order as basic_range: the same values. When none of
    T_3, T_4, s_2, s_3, s_4 is requested (a sweep's COPs and discharge temperature, say)
    a second copy of the loop leaves out the five look-ups only they need (2 of the 7
    two-dimensional ones). On x86-64 with AVX-512 (``VECTOR_READS``) both passes are
    :func:`_basic_blocks_t`, which reads the tables 8 elements at a time; it needs the
    T_sat grids built (TS_OK), as they are for every fluid with a usable range.
    """
    S = stack_empty(_N_SCRATCH, _VBLOCK)
    W = stack_empty(_N_SIDES, _VBLOCK)
    Cy = stack_empty(N_BASIC, 8)
    if VECTOR_READS and ts_header(tbl[5])[0][TSH_OK] == 1.0:
        A, Q, B = stack_empty(_N_A, _TBLOCK), stack_empty(_N_Q, _TBLOCK), stack_empty(_N_B, _TBLOCK)
        XE = stack_empty(2, _N_XE)
        Q2, C, Q3 = stack_empty(1, _TBLOCK), stack_empty(_N_C, _TBLOCK), stack_empty(2, _TBLOCK)
        S8 = stack_empty(_N_SCRATCH, _TBLOCK)
        if _any_requested(rows, _I_FULL):
            span = _basic_blocks_t(tbl, inp, rows, res, status, lo, hi, A, XE, Q, B, Q2, C, Q3, S8, Cy, True)
        else:
            span = _basic_blocks_t(tbl, inp, rows, res, status, lo, hi, A, XE, Q, B, Q2, C, Q3, S8, Cy, False)
    elif _any_requested(rows, _I_FULL):
        span = _basic_blocks(tbl, inp, rows, res, status, lo, hi, S, W, Cy, True, True)
    else:
        span = _basic_blocks(tbl, inp, rows, res, status, lo, hi, S, W, Cy, False, False)
    # the core pass over the blocks that left elements to it only: scanning the status of
    # every element read it back from memory (written a moment before, past the caches)
    # and took 2.8 % of the kernel's time where no element was left
    _basic_rest(tbl, inp, rows, res, status, span[0], span[1])


@njit_kernel(parallel=True)
def basic_parallel(tbl, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        basic_range_v(tbl, inp, rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def basic_serial(tbl, inp, opts, rows, res, status):
    basic_range_v(tbl, inp, rows, res, status, 0, inp[0].shape[0])


@njit_kernel(parallel=True)
def basic_parallel_scalar(tbl, inp, opts, rows, res, status):
    """:func:`basic_parallel` on the element-by-element loop (:func:`basic_range`): the
    reference the vectorized loop is checked and timed against."""
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        basic_range(tbl, inp, rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


# --------------------------------------------------------------------------- ihx

IHX_INPUTS = BASIC_INPUTS + ("eps_ihx",)
IHX_STATES = ("1", "2", "3", "4", "5", "6")
IHX_OUTPUTS = SCALAR_OUTPUTS + _state_names(IHX_STATES)
N_IHX = len(IHX_OUTPUTS)
_NAN_IHX = (NAN,) * N_IHX


@njit_kernel
def ihx_core(tbl, T_evap, T_cond, superheat, subcooling, eta_is, eps):
    """Cycle with a suction-line internal heat exchanger of effectiveness ``eps``.

    The exchange is eps times the smaller of what either stream could take: the vapour
    heated to the liquid's inlet temperature T3, the liquid cooled to the vapour's
    inlet temperature T1. Every state lies at p_evap or p_cond, read from the T_sat grids
    where they hold it (suction: superheat up to TSAT_SUPERHEAT_MAX; liquid: subcooling
    and the liquid (p, h) grid) and from the general tables elsewhere.
    """
    st = check_common(T_evap, T_cond, superheat, subcooling, eta_is)
    if st == OK and not (eps >= 0.0 and eps <= 1.0):
        st = OUT_OF_DOMAIN if math.isfinite(eps) else NONFINITE_INPUT
    if st == OK and T_cond > tbl[0][P_TTOP]:
        st = INFEASIBLE
    if st == OK and T_cond - subcooling <= T_evap + superheat:
        st = INFEASIBLE  # the liquid is not warmer than the vapour: no exchange direction
    if st != OK:
        T_evap = T_cond = tbl[0][P_TTOP]
        superheat = subcooling = eps = 0.0
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe, st1 = evaporator_outlet(tbl, T_evap, superheat)
    pc, hlc, hvc, slc, svc, dvc, Tbc, st2 = dew_state(tbl, T_cond)
    T3, h3, s3, st3 = condenser_outlet(tbl, T_cond, Tbc, hlc, slc, subcooling)
    hv3, sv3, dv3, st4 = suction_state(tbl, T_evap, max(T3, T1) - T_evap)
    hl1, sl1, st5 = liquid_state(tbl, T_cond, Tbc - min(T1, T3))
    Q = eps * min(hv3 - h1, h3 - hl1)
    h5 = h1 + Q
    h6 = h3 - Q
    T5, s5, d5, T6, s6 = T1, s1, d1, T3, s3  # no exchange: states 1 and 3 themselves
    st6 = st7 = OK
    if Q != 0.0:
        T5, s5, st6 = discharge_state(tbl, T_evap, h5, hve)
        h5x, s5x, d5, st6x = suction_state(tbl, T_evap, T5 - T_evap)
        st6 = first(st6, st6x)
        T6, s6, st7 = liquid_h_state(tbl, T_cond, h6, hlc)
    h2, T2, s2, st8 = compress_cond(tbl, T_cond, h5, s5, eta_is, hlc, hvc, slc, svc)
    x4 = (h6 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    st = first(first(first(first(st, st1), st2), first(st3, st4)), first(first(st5, st6), first(st7, st8)))
    if st == OK and not (x4 >= 0.0):
        st = INFEASIBLE
    w = h2 - h5
    qe = h1 - h6
    qc = h2 - h3
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T2, qe, qc, w, x4, d5,)
        + (pe, pc, pc, pe, pe, pc,)
        + (T1, T2, T3, Tbe + x4 * (T_evap - Tbe), T5, T6,)
        + (h1, h2, h3, h6, h5, h6,)
        + (s1, s2, s3, s4, s5, s6,)
    )
    if st != OK:
        vals = _NAN_IHX
    return st, vals


#: the scratch row of each ihx output in :func:`ihx_range_v` (outputs that repeat a value
#: share its row: the state pressures are p_evap and p_cond, T_2 is T_discharge, h_4 is h_6)
_IHX_SRC = np.array(list(range(11)) + [2, 3, 3, 2, 2, 3] + [11, 5, 12, 13, 14, 15] + [16, 17, 18, 19, 20, 19]
                    + [21, 22, 23, 24, 25, 26], dtype=np.int64)
_N_SCRATCH_IHX = 28  # the 27 distinct values and the grid pass's ok flag
_N_SCRATCH_IHX_A = 19  # the first half's 18 values (ihx_grid_a) and its flag
_I_IHX_T6 = IHX_OUTPUTS.index("T_6")
_I_IHX_S6 = IHX_OUTPUTS.index("s_6")


@njit_kernel(inline="always")
def ihx_grid_a(cyc, H, T_evap, T_cond, superheat, subcooling, eps, need_d1):
    """First half of :func:`ihx_grid`: the saturation at both pressures, states 1 and 3
    and the exchange. Returns (held, values): ``held`` False where a grid has no value."""
    (Le, Lc, pe, hle, hve, sle, sve, dve, Tbe, pc, hlc, hvc, slc, svc, Tbc, h1, s1, d1, h3, s3) = _grid_ends(
        cyc, H, T_evap, T_cond, superheat, subcooling, need_d1, True)
    T1 = T_evap + superheat
    T3 = Tbc - subcooling
    hv3 = ts_val(cyc, Le, ts_yloc_h(H, TS_SUC, Le, max(T3, T1) - T_evap), 0)
    hl1 = ts_val(cyc, Lc, ts_yloc_h(H, TS_LIQ, Lc, Tbc - min(T1, T3)), 0)
    Q = eps * min(hv3 - h1, h3 - hl1)
    # a NaN anywhere (no grid value) makes the sum NaN; no look-up returns inf
    tot = ((pe + hle) + (hve + sle) + (sve + dve) + Tbe) + ((pc + hlc) + (hvc + slc) + (svc + Tbc))
    tot += (h1 + s1 + d1) + (h3 + s3) + (hv3 + hl1)
    held = Le[4] and Lc[4] and tot == tot
    return held, (pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, Tbc, h1, s1, d1, h3, s3, Q)


@njit_kernel(inline="always")
def ihx_grid_b(cyc, H, T_evap, T_cond, superheat, subcooling, eta_is, A, need_d1, need6):
    """Second half of :func:`ihx_grid`: states 5 and 6, the compression and the values,
    from the first half's values ``A``. Returns (ok, values), ok without the first
    half's ``held``."""
    pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, Tbc, h1, s1, d1, h3, s3, Q = A
    Le = ts_loc_h(H, T_evap)
    Lc = ts_loc_h(H, T_cond)
    T1 = T_evap + superheat
    T3 = Tbc - subcooling
    h5 = h1 + Q
    h6 = h3 - Q
    Y5 = ts_yloc_h(H, TS_PH, Le, h5 - hve)
    T5 = ts_val(cyc, Le, Y5, 0)
    s5 = ts_val(cyc, Le, Y5, 1)
    d5 = ts_val(cyc, Le, ts_yloc_h(H, TS_SUC, Le, T5 - T_evap), 2) if need_d1 else 0.0
    T6 = s6 = 0.0
    if need6:
        Y6 = ts_yloc_h(H, TS_LPH, Lc, hlc - h6)
        T6 = ts_val(cyc, Lc, Y6, 0)
        s6 = ts_val(cyc, Lc, Y6, 1)
    ok5 = h5 > hve
    if Q == 0.0:
        T5, s5, d5, T6, s6 = T1, s1, d1, T3, s3
        ok5 = True
    h2s, h2, T2, s2 = _high_stage_grid(cyc, H, Lc, h5, s5, eta_is, hlc, hvc, slc, svc, True)
    x4 = (h6 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    w = h2 - h5
    qe = h1 - h6
    qc = h2 - h3
    tot = (T5 + s5 + d5) + (T6 + s6) + (h2s + T2 + s2)
    ok = tot == tot and ok5 and h2 > hvc and x4 >= 0.0
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T2, qe, qc, w, x4, d5,)
        + (pe, pc, pc, pe, pe, pc,)
        + (T1, T2, T3, Tbe + x4 * (T_evap - Tbe), T5, T6,)
        + (h1, h2, h3, h6, h5, h6,)
        + (s1, s2, s3, s4, s5, s6,)
    )
    return ok, vals


@njit_kernel
def ihx_grid(cyc, H, T_evap, T_cond, superheat, subcooling, eta_is, eps, need_d1, need6):
    """The ihx cycle when every state lies on the T_sat grids: (ok, values), as
    :func:`basic_grid` is to :func:`basic_core`: the same reads and arithmetic as
    :func:`ihx_core` where each of its state functions finds its state on the grids.
    ``need_d1``: the suction density (D_suction); ``need6``: T and s of state 6 (the
    liquid leaving the exchanger), one look-up each.

    In two halves (:func:`ihx_grid_a`, :func:`ihx_grid_b`), which :func:`ihx_range_v`
    runs as two loops: in one loop (228 reads of the grids an element) LLVM's loop
    vectorizer gave up ("cannot identify array bounds"), as it does on basic_range_v's
    loop with a few more stores than it has; each half vectorizes.
    """
    held, A = ihx_grid_a(cyc, H, T_evap, T_cond, superheat, subcooling, eps, need_d1)
    ok, vals = ihx_grid_b(cyc, H, T_evap, T_cond, superheat, subcooling, eta_is, A, need_d1, need6)
    return held and ok, vals


@njit_kernel(inline="always")
def ihx_grid_ok(H, T_evap, T_cond, superheat, subcooling, eta_is, eps):
    """:func:`basic_grid_ok` and the ihx cycle's own checks (False for NaN)."""
    return (basic_grid_ok(H, T_evap, T_cond, superheat, subcooling, eta_is) & (eps >= 0.0) & (eps <= 1.0)
            & (T_cond - subcooling > T_evap + superheat))


@njit_kernel
def ihx_range_v(tbl, inp, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the ihx cycle: the grid pass (:func:`ihx_grid`) in blocks of
    _VBLOCK elements, as :func:`basic_range_v`, its two halves as two loops through
    scratch arrays (each vectorizes), then :func:`ihx_core` for the elements it left.
    With need6 off (T_6 and s_6 not asked for) the grid pass reads neither."""
    need_d1 = rows[_I_D_SUCTION] >= 0
    need6 = rows[_I_IHX_T6] >= 0 or rows[_I_IHX_S6] >= 0
    cyc = tbl[5]
    H = ts_header(cyc)
    S = stack_empty(_N_SCRATCH_IHX, _VBLOCK)
    Cy = stack_empty(N_IHX, 8)
    A = stack_empty(_N_SCRATCH_IHX_A, _VBLOCK)
    U = np.uint64
    x0, x1, x2, x3, x4, x5 = inp
    stream = _streams(res)
    for b0 in range(lo, hi, _VBLOCK):
        m = min(_VBLOCK, hi - b0)
        for j in range(m):
            vector_loop()
            i = U(b0 + j)
            held, a = ihx_grid_a(cyc, H, x0[i], x1[i], x2[i], x3[i], x5[i], need_d1)
            A[0, j] = a[0]; A[1, j] = a[1]; A[2, j] = a[2]; A[3, j] = a[3]; A[4, j] = a[4]; A[5, j] = a[5]
            A[6, j] = a[6]; A[7, j] = a[7]; A[8, j] = a[8]; A[9, j] = a[9]; A[10, j] = a[10]; A[11, j] = a[11]
            A[12, j] = a[12]; A[13, j] = a[13]; A[14, j] = a[14]; A[15, j] = a[15]; A[16, j] = a[16]
            A[17, j] = a[17]
            A[18, j] = 1.0 if held else 0.0
        for j in range(m):
            vector_loop()
            i = U(b0 + j)
            a, b, c, d, e, f = x0[i], x1[i], x2[i], x3[i], x4[i], x5[i]
            ok = ihx_grid_ok(H, a, b, c, d, e, f)
            aa = (A[0, j], A[1, j], A[2, j], A[3, j], A[4, j], A[5, j], A[6, j], A[7, j], A[8, j], A[9, j],
                  A[10, j], A[11, j], A[12, j], A[13, j], A[14, j], A[15, j], A[16, j], A[17, j])
            ok2, v = ihx_grid_b(cyc, H, a, b, c, d, e, aa, need_d1, need6)
            # the distinct values only (_IHX_SRC): with every one of the 35 stored, the
            # loop vectorizer gave up on this loop too
            S[0, j] = v[0]; S[1, j] = v[1]; S[2, j] = v[2]; S[3, j] = v[3]; S[4, j] = v[4]; S[5, j] = v[5]
            S[6, j] = v[6]; S[7, j] = v[7]; S[8, j] = v[8]; S[9, j] = v[9]; S[10, j] = v[10]
            S[11, j] = v[17]; S[12, j] = v[19]; S[13, j] = v[20]; S[14, j] = v[21]; S[15, j] = v[22]
            S[16, j] = v[23]; S[17, j] = v[24]; S[18, j] = v[25]; S[19, j] = v[26]; S[20, j] = v[27]
            S[21, j] = v[29]; S[22, j] = v[30]; S[23, j] = v[31]; S[24, j] = v[32]; S[25, j] = v[33]
            S[26, j] = v[34]
            S[_N_SCRATCH_IHX - 1, j] = 1.0 if (ok and ok2 and A[18, j] != 0.0) else 0.0
        _block_out_src(S, _IHX_SRC, rows, res, status, b0, m, stream, Cy, lo, hi)
    if stream:
        stream_fence()
    for i in range(lo, hi):
        if status[i] != OK:
            st, v = ihx_core(tbl, x0[i], x1[i], x2[i], x3[i], x4[i], x5[i])
            status[i] = st
            for k in range(N_IHX):
                if rows[k] >= 0:
                    res[rows[k], i] = v[k]


@njit_kernel(parallel=True)
def ihx_parallel(tbl, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        ihx_range_v(tbl, inp, rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def ihx_serial(tbl, inp, opts, rows, res, status):
    ihx_range_v(tbl, inp, rows, res, status, 0, inp[0].shape[0])


# --------------------------------------------------------------------------- economizer

ECO_FLASH = 0
ECO_CLOSED = 1
ECO_INPUTS = BASIC_INPUTS + ("p_int", "dT_econ")
ECO_STATES = ("1", "2", "3", "4", "5", "6", "7", "8", "9")
ECO_OUTPUTS = SCALAR_OUTPUTS + _state_names(ECO_STATES) + ("injection_ratio", "p_int")
N_ECO = len(ECO_OUTPUTS)
_NAN_ECO = (NAN,) * N_ECO


@njit_kernel
def _check_p_int(st, pe, p_int, pc):
    if st == OK and not math.isfinite(p_int):
        st = NONFINITE_INPUT
    if st == OK and not (pe < p_int and p_int < pc):
        st = INFEASIBLE
    return st


@njit_kernel
def _two_pressure_setup(tbl, st, T_evap, T_cond, superheat, subcooling, p_int):
    """Shared start of the cycles with an intermediate pressure (economizer, two-stage).

    Returns the evaporator outlet (1), saturation at both ends, ``p_int`` (NaN in:
    the geometric mean of p_evap and p_cond), the located intermediate and condensing
    pressures with the saturation at p_int, the condenser outlet, and the status.
    """
    if st != OK:  # keep the look-ups on valid arguments; the results are discarded
        T_cond = tbl[0][P_TTOP]
        T_evap = T_cond - 10.0
        superheat = subcooling = 0.0
        p_int = math.nan
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe, st1 = evaporator_outlet(tbl, T_evap, superheat)
    pc, hlc, hvc, slc, svc, dvc, Tbc, st2 = dew_state(tbl, T_cond)
    if not (p_int == p_int):
        p_int = math.sqrt(pe * pc)
    st = _check_p_int(first(first(st, st1), st2), pe, p_int, pc)
    if st != OK:
        p_int = math.sqrt(pe * pc)
    PLi = ploc(tbl, p_int)
    PLc = ploc(tbl, pc)
    T5, h5, s5, st3 = condenser_outlet(tbl, T_cond, Tbc, hlc, slc, subcooling)
    sat_i = (bq(tbl, PLi, QX_T), bq(tbl, PLi, QX_HL), bq(tbl, PLi, QX_HV), bq(tbl, PLi, QX_SL), bq(tbl, PLi, QX_SV))
    evap = (pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe)
    return evap, (pc, hvc, T_cond, hlc, slc, svc), p_int, PLi, PLc, sat_i, (T5, h5, s5), first(st, st3)


@njit_kernel
def economizer_core(tbl, T_evap, T_cond, superheat, subcooling, eta_is, p_int, dT_econ, variant):
    """Vapour-injection cycle, flash-tank (variant 0) or closed subcooler (variant 1).

    ``p_int`` NaN: the geometric mean of the evaporating and condensing pressures.
    """
    st = check_common(T_evap, T_cond, superheat, subcooling, eta_is)
    if st == OK and variant == ECO_CLOSED and not (dT_econ >= 0.0):
        st = OUT_OF_DOMAIN if math.isfinite(dT_econ) else NONFINITE_INPUT
    if st == OK and T_cond > tbl[0][P_TTOP]:
        st = INFEASIBLE
    if st != OK:
        dT_econ = 0.0
    evap, cond, p_int, PLi, PLc, sat_i, out5, st = _two_pressure_setup(
        tbl, st, T_evap, T_cond, superheat, subcooling, p_int)
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe = evap
    pc, hvc, Tc_, hlc, slc, svc = cond
    Ti, hli, hvi, sli, svi = sat_i
    T5, h5, s5 = out5
    st3 = OK
    h2, T2, s2, st4 = compress(tbl, PLi, h1, s1, eta_is, hvi)
    x6 = (h5 - hli) / (hvi - hli)
    s6 = sli + x6 * (svi - sli)
    st5 = OK
    if variant == ECO_CLOSED:
        T8 = Ti + dT_econ
        if T8 >= T5:
            st5 = INFEASIBLE
            T8 = T5 - 1e-3
        h8, s8, d8, st6 = liquid_T(tbl, PLc, T8, math.nan)
        st5 = first(st5, st6)
        y = (h5 - h8) / (hvi - h8)
        p8 = pc
    else:
        if not (x6 >= 0.0):
            st5 = INFEASIBLE
        y = x6
        T8 = Ti
        h8 = hli
        s8 = sli
        p8 = p_int
    h3 = (1.0 - y) * h2 + y * hvi
    T3, s3, d3, q3, st7 = ph_state(tbl, PLi, h3)
    h4, T4, s4, st8 = compress_cond(tbl, Tc_, h3, s3, eta_is, hlc, hvc, slc, svc)
    x9 = (h8 - hle) / (hve - hle)
    s9 = sle + x9 * (sve - sle)
    st = first(first(first(st, st3), first(st4, st5)), first(st7, st8))
    if st == OK and not (x9 >= 0.0):
        st = INFEASIBLE
    w = (1.0 - y) * (h2 - h1) + (h4 - h3)
    qe = (1.0 - y) * (h1 - h8)
    qc = h4 - h5
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T4, qe, qc, w, x9, d1,)
        + (pe, p_int, p_int, pc, pc, p_int, p_int, p8, pe,)
        + (T1, T2, T3, T4, T5, Ti, Ti, T8, Tbe + x9 * (T_evap - Tbe),)
        + (h1, h2, h3, h4, h5, h5, hvi, h8, h8,)
        + (s1, s2, s3, s4, s5, s6, svi, s8, s9,)
        + (y, p_int,)
    )
    if st != OK:
        vals = _NAN_ECO
    return st, vals


# Bundles of look-ups for the straight passes below. numba inlines an inline="always"
# function by copying its IR into the caller and re-analysing the caller, so a long
# function with sixty inlined look-ups compiled for minutes; inlined as a few bundles
# (each inlining its own look-ups first) it compiles in a fraction of that. Same reads,
# same arithmetic: the same values.


@njit_kernel(inline="always")
def _ts_sat(cyc, L):
    """The 1-D quantities :func:`dew_state` reads at a located dew point: p, h_l, h_v,
    s_l, s_v, D_v, T_bubble, and their sum in dew_state's order (NaN if any is NaN)."""
    p = ts_q(cyc, L, Q_P)
    hl = ts_q(cyc, L, Q_HL)
    hv = ts_q(cyc, L, Q_HV)
    sl = ts_q(cyc, L, Q_SL)
    sv = ts_q(cyc, L, Q_SV)
    dv = ts_q(cyc, L, Q_DV)
    tb = ts_q(cyc, L, Q_TBUB)
    return p, hl, hv, sl, sv, dv, tb, (p + hl) + (hv + sl) + (sv + dv) + tb


@njit_kernel(inline="always")
def _bq_sat(tbl, PL):
    """Boundary T (dew), h_l, h_v, s_l, s_v at a located pressure."""
    return bq(tbl, PL, QX_T), bq(tbl, PL, QX_HL), bq(tbl, PL, QX_HV), bq(tbl, PL, QX_SL), bq(tbl, PL, QX_SV)


@njit_kernel(inline="always")
def _region_2(tbl, PL, it, z, zb, ze):
    """Outputs 0 and 1 of region table ``it`` at a located pressure and z, and rloc's ok."""
    R = rloc(tbl, PL, it, z, zb, ze)
    return rval(tbl, R, 0), rval(tbl, R, 1), R[4]


@njit_kernel(inline="always")
def _region_2_if(tbl, PL, it, z, zb, ze, want0, want1):
    """:func:`_region_2` reading output 0 only if ``want0``, output 1 only if ``want1``
    (0.0 for the other): the location, and so rloc's ok, is the same either way."""
    R = rloc(tbl, PL, it, z, zb, ze)
    return rval(tbl, R, 0) if want0 else 0.0, rval(tbl, R, 1) if want1 else 0.0, R[4]


@njit_kernel(inline="always")
def _low_sides(cyc, H, T_evap, T_cond, superheat, subcooling, full):
    """The shared start of :func:`eco_grid` and :func:`two_grid` on the T_sat grids: both
    saturations, the suction (1) and liquid (5) states, with the same reads and arithmetic
    as the cores; ``tot`` sums the grid values (NaN if any is NaN). Returns (Le, Lc, pe,
    hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot).

    ``full`` False leaves out the look-ups only the outputs D_suction and s_5 need (d1
    and s5 are then 0.0); a grid cell holds all its quantities or none, so no validity
    test changes. It vectorizes; :func:`_low_int`, the general tables' part that
    follows, does not: the block loops of the economizer and two-stage cycles run them
    as separate loops."""
    Le = ts_loc_h(H, T_evap)
    Lc = ts_loc_h(H, T_cond)
    pe, hle, hve, sle, sve, dve, Tbe, tot_e = _ts_sat(cyc, Le)
    pc, hlc, hvc, slc, svc, dvc, Tbc, tot_c = _ts_sat(cyc, Lc)
    Y1 = ts_yloc_h(H, TS_SUC, Le, superheat)
    h1 = ts_val(cyc, Le, Y1, 0)
    s1 = ts_val(cyc, Le, Y1, 1)
    d1 = ts_val(cyc, Le, Y1, 2) if full else 0.0
    if superheat == 0.0:
        h1, s1, d1 = hve, sve, dve
    Y5 = ts_yloc_h(H, TS_LIQ, Lc, subcooling)
    h5 = ts_val(cyc, Lc, Y5, 0)
    s5 = ts_val(cyc, Lc, Y5, 1) if full else 0.0
    if subcooling == 0.0:
        h5, s5 = hlc, slc
    T5 = Tbc - subcooling
    tot = (tot_e + tot_c) + (h1 + s1 + d1) + (h5 + s5)
    return Le, Lc, pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot


@njit_kernel(inline="always")
def _low_int(tbl, pe, pc, h1, s1, eta_is, p_int, full):
    """What follows :func:`_low_sides` on the general tables: p_int (NaN in: the geometric
    mean) located, its saturation, and the compression from 1 to it through the vapour
    branches (compress: ps_h, then ph_state), with the same reads and arithmetic as the
    cores. Returns (p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2);
    ``full`` False leaves out T2 and s2 (0.0): a general-table location's ok does not
    depend on which outputs are read."""
    if not (p_int == p_int):
        p_int = math.sqrt(pe * pc)
    PLi = ploc(tbl, p_int)
    Ti, hli, hvi, sli, svi = _bq_sat(tbl, PLi)
    h2s_, h2s, ok2s = _region_2(tbl, PLi, TAB_SV, s1, svi, bq(tbl, PLi, QX_SHI))
    h2 = h1 + (h2s - h1) / eta_is
    hhi = bq(tbl, PLi, QX_HHI)
    T2, s2, ok2 = _region_2_if(tbl, PLi, TAB_HV, h2, hvi, hhi, full, full)
    T2 += 0.0  # ph_state adds 0.0 (or NaN): the same -0.0 -> 0.0
    s2 += 0.0
    return p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2


@njit_kernel(inline="always")
def _high_stage_grid(cyc, H, Lc, h_in, s_in, eta_is, hlc, hvc, slc, svc, full):
    """Compression from (h_in, s_in) to the condensing dew pressure on the T_sat grids, as
    compress_cond computes it there: h2s, h2, T2, s2 (NaN where the grids do not hold them;
    s2 0.0 unless ``full``, a constant in each caller)."""
    ds = s_in - svc
    h2s = ts_val(cyc, Lc, ts_yloc_h(H, TS_PS, Lc, ds), 0)
    if ds < 0.0:
        h2s = hlc + (s_in - slc) / (svc - slc) * (hvc - hlc) if s_in >= slc else NAN
    h2 = h_in + (h2s - h_in) / eta_is
    Y = ts_yloc_h(H, TS_PH, Lc, h2 - hvc)
    T2 = ts_val(cyc, Lc, Y, 0)
    s2 = ts_val(cyc, Lc, Y, 1) if full else 0.0
    return h2s, h2, T2, s2


@njit_kernel(inline="always")
def _eco_int(tbl, pc, h5, T5, p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, dT_econ, closed, full):
    """The general-table part of :func:`eco_grid` after :func:`_low_int`: the
    economizer and the mixing at p_int. Returns (s6, y, T8, h8, s8, p8, ok8, h3, T3, s3,
    ok3)."""
    x6 = (h5 - hli) / (hvi - hli)
    s6 = sli + x6 * (svi - sli)
    if closed:
        T8 = Ti + dT_econ
        PLc = ploc(tbl, pc)
        h8, s8, ok8 = _region_2_if(tbl, PLc, TAB_TL, T8, bq(tbl, PLc, QX_TBUB), tbl[0][P_TMIN], True, full)
        h8 += 0.0
        s8 += 0.0
        y = (h5 - h8) / (hvi - h8)
        p8 = pc
        ok8 = ok8 and dT_econ >= 0.0 and T8 < T5
    else:
        y = x6
        T8 = Ti
        h8 = hli
        s8 = sli
        p8 = p_int
        ok8 = x6 >= 0.0
    h3 = (1.0 - y) * h2 + y * hvi
    T3, s3, ok3 = _region_2_if(tbl, PLi, TAB_HV, h3, hvi, hhi, full, True)
    T3 += 0.0
    s3 += 0.0
    return s6, y, T8, h8, s8, p8, ok8, h3, T3, s3, ok3


@njit_kernel(inline="always")
def _eco_tail(cyc, H, Lc, T_evap, superheat, eta_is, A, B, held, full):
    """The high stage on the T_sat grids and the values of :func:`eco_grid`, from the
    grid part's values ``A`` (:func:`_low_sides` without the locations), the general
    part's ``B`` and ``held``, the conjunction of the checks made on the way."""
    pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot = A
    p_int, Ti, hli, hvi, sli, svi, h2, T2, s2, s6, y, T8, h8, s8, p8, h3, T3, s3 = B
    # compression to p_cond on the grids (compress_cond)
    h4s, h4, T4, s4 = _high_stage_grid(cyc, H, Lc, h3, s3, eta_is, hlc, hvc, slc, svc, full)
    x9 = (h8 - hle) / (hve - hle)
    s9 = sle + x9 * (sve - sle)
    w = (1.0 - y) * (h2 - h1) + (h4 - h3)
    qe = (1.0 - y) * (h1 - h8)
    qc = h4 - h5
    # a NaN anywhere on the grids makes the sum NaN; no look-up returns inf
    tot = tot + (h4s + T4 + s4)
    ok = held and tot == tot and h4 > hvc and x9 >= 0.0
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T4, qe, qc, w, x9, d1,)
        + (pe, p_int, p_int, pc, pc, p_int, p_int, p8, pe,)
        + (T_evap + superheat, T2, T3, T4, T5, Ti, Ti, T8, Tbe + x9 * (T_evap - Tbe),)
        + (h1, h2, h3, h4, h5, h5, hvi, h8, h8,)
        + (s1, s2, s3, s4, s5, s6, svi, s8, s9,)
        + (y, p_int,)
    )
    return ok, vals


@njit_kernel(inline="always")
def _low_held(inside, pe, pc, p_int, s1, svi, ok2s, h2, hvi, ok2):
    """The checks of :func:`two_grid` (and the first of :func:`eco_grid`) made before the
    high stage: ``inside``, both dew points on the grids; p_int between the two
    pressures; the low stage's general-table branches taken (:func:`_low_int`)."""
    return inside and pe < p_int and p_int < pc and s1 > svi and ok2s and h2 > hvi and ok2


@njit_kernel(inline="always")
def _eco_held(inside, pe, pc, p_int, s1, svi, ok2s, h2, hvi, ok2, ok8, h3, ok3):
    """The checks of :func:`eco_grid` made before its high stage: :func:`_low_held`, then
    the economizer's and the mixing's (:func:`_eco_int`)."""
    return _low_held(inside, pe, pc, p_int, s1, svi, ok2s, h2, hvi, ok2) and ok8 and h3 > hvi and ok3


@njit_kernel
def eco_grid(tbl, H, T_evap, T_cond, superheat, subcooling, eta_is, p_int, dT_econ, closed, full):
    """The economizer cycle in one straight pass: (ok, values).

    The states at the evaporating and condensing pressures from the T_sat grids (as in
    :func:`basic_grid`), those at p_int from the general tables through the branch each
    state function takes for a superheated vapour (and, ``closed``, a subcooled liquid),
    with the same reads and arithmetic in the same order as :func:`economizer_core`: the
    same values wherever ``ok``. ``ok`` is False wherever economizer_core would take
    another branch, a general path or set a flag; the caller then runs it. ``full``
    False leaves out the look-ups only the outputs of ``_ECO_FULL_OUTPUTS`` need (0.0
    there), with the same ``ok``.

    In three parts, which :func:`economizer_range_v` runs as three loops: the grids at
    both ends (:func:`_low_sides`), the general tables at p_int (:func:`_low_int`,
    :func:`_eco_int`), the high stage on the grids and the values (:func:`_eco_tail`).
    """
    cyc = tbl[5]
    (Le, Lc, pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot) = _low_sides(
        cyc, H, T_evap, T_cond, superheat, subcooling, full)
    p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2 = _low_int(tbl, pe, pc, h1, s1, eta_is, p_int, full)
    s6, y, T8, h8, s8, p8, ok8, h3, T3, s3, ok3 = _eco_int(
        tbl, pc, h5, T5, p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, dT_econ, closed, full)
    held = _eco_held(Le[4] and Lc[4], pe, pc, p_int, s1, svi, ok2s, h2, hvi, ok2, ok8, h3, ok3)
    A = (pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot)
    B = (p_int, Ti, hli, hvi, sli, svi, h2, T2, s2, s6, y, T8, h8, s8, p8, h3, T3, s3)
    return _eco_tail(cyc, H, Lc, T_evap, superheat, eta_is, A, B, held, full)


@njit_kernel(inline="always")
def eco_grid_ok(tbl, H, T_evap, T_cond, superheat, subcooling, eta_is):
    """The comparisons the grid pass needs before it starts (False for NaN)."""
    return ((eta_is > 0.0) & (eta_is <= 1.0) & (T_evap < T_cond) & (superheat >= 0.0) & (subcooling >= 0.0)
            & (T_cond <= tbl[0][P_TTOP]) & (H[0][TSH_OK] == 1.0))


_N_ECO_SCRATCH = N_ECO + 1
#: the economizer's outputs only the full grid pass computes (see :func:`eco_grid`)
_ECO_FULL_OUTPUTS = ("D_suction", "T_2", "s_2", "T_3", "s_4", "s_5", "s_8")
_I_ECO_FULL = tuple(ECO_OUTPUTS.index(k) for k in _ECO_FULL_OUTPUTS)


#: columns of the x-weight scratch of :func:`_eco_sides8` (4 an element of a _VBLOCK block)
_N_XE_V = 4 * _VBLOCK

#: scratch rows of the economizer block loops: the grid part's 18 values and both dew
#: points' inside flags (_ECO_A), then the general part's 18 values and its checks (_ECO_B)
_ECO_A = 0
_ECO_B = 20
_N_ECO_SIDES = 39


@njit_kernel
def economizer_range_v(tbl, inp, variant, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the economizer cycle: :func:`eco_grid` block by block into
    stack scratch arrays (as in :func:`basic_range_v`), then :func:`economizer_core` for
    those it did not hold (marked in ``status``): the same values as economizer_core
    alone.

    eco_grid's three parts run as three loops a block, through the scratch ``W``: the
    grids at both ends (:func:`_low_sides`) and the high stage with the values
    (:func:`_eco_tail`) are vectorized (:func:`vector_loop`); the general tables at p_int
    (:func:`_low_int`, :func:`_eco_int`) cannot be, and run two elements an iteration,
    whose two chains of dependent look-ups then overlap. In one loop nothing vectorized."""
    cyc = tbl[5]
    H = ts_header(cyc)
    S = stack_empty(_N_ECO_SCRATCH, _VBLOCK)
    Cy = stack_empty(N_ECO, 8)
    W = stack_empty(_N_ECO_SIDES, _VBLOCK)
    # the grid part with the basic cycle's 8-element reads where it has them (_eco_sides8)
    eight = VECTOR_READS and H[0][TSH_OK] == 1.0
    A8, XE8, Q8 = stack_empty(_N_A, _VBLOCK), stack_empty(2, _N_XE_V), stack_empty(_N_Q, _VBLOCK)
    U = np.uint64
    x0, x1, x2, x3, x4, x5, x6 = inp
    closed = variant == ECO_CLOSED
    full = _any_requested(rows, _I_ECO_FULL)
    ttop = tbl[0][P_TTOP]
    stream = _streams(res)
    for b0 in range(lo, hi, _VBLOCK):
        m = min(_VBLOCK, hi - b0)
        if eight and full:
            _eco_sides8(cyc, H, x0, x1, x2, x3, W, b0, m, True, A8, XE8, Q8)
        elif eight:
            _eco_sides8(cyc, H, x0, x1, x2, x3, W, b0, m, False, A8, XE8, Q8)
        elif full:
            _eco_sides(cyc, H, x0, x1, x2, x3, W, b0, m, True)
        else:
            _eco_sides(cyc, H, x0, x1, x2, x3, W, b0, m, False)
        # two elements an iteration (the second the same as the first at an odd end): their
        # chains of general-table look-ups then overlap; every output 1.12x flash, 1.08x
        # closed; four at a time no better (docs/speed-log.md, 2026-12-06)
        for ja in range(0, m, 2):
            jb = min(ja + 1, m - 1)
            La = _low_int_w(tbl, W, ja, x4, x5, U(b0 + ja), full)
            Lb = _low_int_w(tbl, W, jb, x4, x5, U(b0 + jb), full)
            Ea = _eco_int_w(tbl, W, ja, La, x6[U(b0 + ja)], closed, full)
            Eb = _eco_int_w(tbl, W, jb, Lb, x6[U(b0 + jb)], closed, full)
            _eco_mid_store(W, ja, La, Ea)
            _eco_mid_store(W, jb, Lb, Eb)
        if full:
            _eco_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, True)
        else:
            _eco_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, False)
        _block_out(S, N_ECO, rows, res, status, b0, m, stream, Cy, lo, hi)
    if stream:
        stream_fence()
    for i in range(lo, hi):
        if status[i] != OK:
            st, v = economizer_core(tbl, x0[i], x1[i], x2[i], x3[i], x4[i], x5[i], x6[i], variant)
            status[i] = st
            for k in range(N_ECO):
                if rows[k] >= 0:
                    res[rows[k], i] = v[k]


@njit_kernel(inline="always")
def _low_int_w(tbl, W, j, x4, x5, i, full):
    """:func:`_low_int` for element j of a block, its grid values from ``W``
    (:func:`_eco_sides`), eta_is and p_int from ``x4[i]`` and ``x5[i]``."""
    o = _ECO_A
    return _low_int(tbl, W[o + 0, j], W[o + 6, j], W[o + 11, j], W[o + 12, j], x4[i], x5[i], full)


@njit_kernel(inline="always")
def _eco_int_w(tbl, W, j, L, dT_econ, closed, full):
    """:func:`_eco_int` for element j, after :func:`_low_int_w` gave ``L``."""
    o = _ECO_A
    p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2 = L[0], L[1], L[2], L[3], L[4], L[5], L[6], L[7], L[8]
    return _eco_int(tbl, W[o + 6, j], W[o + 14, j], W[o + 16, j], p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2,
                    dT_econ, closed, full)


@njit_kernel(inline="always")
def _low_mid_store(W, j, L):
    """The two-stage cycle's middle values of element j (``L`` from :func:`_low_int_w`)
    and its checks so far (:func:`_low_held`) into rows _ECO_B.. of ``W``."""
    p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2 = L
    o = _ECO_A
    held = _low_held(W[o + 18, j] != 0.0 and W[o + 19, j] != 0.0, W[o + 0, j], W[o + 6, j], p_int,
                     W[o + 12, j], svi, ok2s, h2, hvi, ok2)
    o = _ECO_B
    W[o + 0, j] = p_int; W[o + 1, j] = Ti; W[o + 2, j] = hli; W[o + 3, j] = hvi; W[o + 4, j] = sli
    W[o + 5, j] = svi; W[o + 6, j] = h2; W[o + 7, j] = T2; W[o + 8, j] = s2
    W[o + 18, j] = 1.0 if held else 0.0


@njit_kernel(inline="always")
def _eco_mid_store(W, j, L, E):
    """The economizer's middle values of element j (``L`` from :func:`_low_int_w`, ``E``
    from :func:`_eco_int_w`) and its checks so far (:func:`_eco_held`) into rows _ECO_B..
    of ``W``."""
    p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2 = L
    s6, y, T8, h8, s8, p8, ok8, h3, T3, s3, ok3 = E
    o = _ECO_A
    held = _eco_held(W[o + 18, j] != 0.0 and W[o + 19, j] != 0.0, W[o + 0, j], W[o + 6, j], p_int,
                     W[o + 12, j], svi, ok2s, h2, hvi, ok2, ok8, h3, ok3)
    o = _ECO_B
    W[o + 0, j] = p_int; W[o + 1, j] = Ti; W[o + 2, j] = hli; W[o + 3, j] = hvi; W[o + 4, j] = sli
    W[o + 5, j] = svi; W[o + 6, j] = h2; W[o + 7, j] = T2; W[o + 8, j] = s2; W[o + 9, j] = s6
    W[o + 10, j] = y; W[o + 11, j] = T8; W[o + 12, j] = h8; W[o + 13, j] = s8; W[o + 14, j] = p8
    W[o + 15, j] = h3; W[o + 16, j] = T3; W[o + 17, j] = s3
    W[o + 18, j] = 1.0 if held else 0.0


@njit_kernel(inline="always")
def _eco_sides(cyc, H, x0, x1, x2, x3, W, b0, m, full):
    """The first loop of :func:`economizer_range_v` (also the two-stage cycle's): the
    grid part (:func:`_low_sides`) into rows _ECO_A.. of ``W``."""
    U = np.uint64
    o = _ECO_A
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        (Le, Lc, pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot) = _low_sides(
            cyc, H, x0[i], x1[i], x2[i], x3[i], full)
        W[o + 0, j] = pe; W[o + 1, j] = hle; W[o + 2, j] = hve; W[o + 3, j] = sle; W[o + 4, j] = sve
        W[o + 5, j] = Tbe; W[o + 6, j] = pc; W[o + 7, j] = hlc; W[o + 8, j] = hvc; W[o + 9, j] = slc
        W[o + 10, j] = svc; W[o + 11, j] = h1; W[o + 12, j] = s1; W[o + 13, j] = d1; W[o + 14, j] = h5
        W[o + 15, j] = s5; W[o + 16, j] = T5; W[o + 17, j] = tot
        W[o + 18, j] = 1.0 if Le[4] else 0.0
        W[o + 19, j] = 1.0 if Lc[4] else 0.0


@njit_kernel(inline="always")
def _eco_sides8(cyc, H, x0, x1, x2, x3, W, b0, m, full, A, XE, Q):
    """:func:`_eco_sides` with the basic cycle's 8-element reads (:func:`_sides8`, scratch
    ``A``, ``XE``, ``Q`` of at least m rounded up to 8 columns), then a vectorized loop
    storing the same values into ``W``: the same reads, so the same values bit for bit.
    ``tot`` sums the values read (NaN if any is NaN: a record's cell holds all its
    quantities or none, so the condensing side's D_v, not needed here, is not read)."""
    U = np.uint64
    o = _ECO_A
    # eta_is is not needed here: x3 only fills its scratch row
    _sides8(cyc, H, x0, x1, x2, x3, x3, b0, m, A, XE, Q, full, full)
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        pe, hle, hve, sle, sve, Tbe = Q[_Q_E, j], Q[_Q_E + 1, j], Q[_Q_E + 2, j], Q[_Q_E + 3, j], Q[_Q_E + 4, j], Q[_Q_E + 5, j]
        pc, hlc, hvc, slc, svc, Tbc = Q[_Q_C, j], Q[_Q_C + 1, j], Q[_Q_C + 2, j], Q[_Q_C + 3, j], Q[_Q_C + 4, j], Q[_Q_C + 5, j]
        h1, s1, h5 = Q[_Q_H1, j], Q[_Q_S1, j], Q[_Q_H3, j]
        d1 = Q[_Q_D1, j] if full else 0.0
        s5 = Q[_Q_S3, j] if full else 0.0
        tot = ((pe + hle) + (hve + sle) + (sve + Tbe)) + ((pc + hlc) + (hvc + slc) + (svc + Tbc))
        tot += (h1 + s1 + d1) + (h5 + s5)
        W[o + 0, j] = pe; W[o + 1, j] = hle; W[o + 2, j] = hve; W[o + 3, j] = sle; W[o + 4, j] = sve
        W[o + 5, j] = Tbe; W[o + 6, j] = pc; W[o + 7, j] = hlc; W[o + 8, j] = hvc; W[o + 9, j] = slc
        W[o + 10, j] = svc; W[o + 11, j] = h1; W[o + 12, j] = s1; W[o + 13, j] = d1; W[o + 14, j] = h5
        W[o + 15, j] = s5; W[o + 16, j] = Tbc - x3[i]; W[o + 17, j] = tot
        W[o + 18, j] = A[_A_INE, j]
        W[o + 19, j] = A[_A_INC, j]


@njit_kernel(inline="always")
def _w_sides(W, j):
    """The grid part's 18 values of element j, as :func:`_eco_sides` stored them in ``W``."""
    o = _ECO_A
    return (W[o + 0, j], W[o + 1, j], W[o + 2, j], W[o + 3, j], W[o + 4, j], W[o + 5, j], W[o + 6, j],
            W[o + 7, j], W[o + 8, j], W[o + 9, j], W[o + 10, j], W[o + 11, j], W[o + 12, j], W[o + 13, j],
            W[o + 14, j], W[o + 15, j], W[o + 16, j], W[o + 17, j])


@njit_kernel(inline="always")
def _eco_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, full):
    """The last loop of :func:`economizer_range_v`: :func:`_eco_tail` from ``W`` (and the
    entry checks of :func:`eco_grid_ok`; ``ttop`` its table's P_TTOP) into the output
    scratch ``S``."""
    U = np.uint64
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        a, b, c, e = x0[i], x1[i], x2[i], x4[i]
        A = _w_sides(W, j)
        o = _ECO_B
        B = (W[o + 0, j], W[o + 1, j], W[o + 2, j], W[o + 3, j], W[o + 4, j], W[o + 5, j], W[o + 6, j],
             W[o + 7, j], W[o + 8, j], W[o + 9, j], W[o + 10, j], W[o + 11, j], W[o + 12, j], W[o + 13, j],
             W[o + 14, j], W[o + 15, j], W[o + 16, j], W[o + 17, j])
        ok2, v = _eco_tail(cyc, H, ts_loc_h(H, b), a, c, e, A, B, W[o + 18, j] != 0.0, full)
        _store_45(S, j, v)
        S[45, j] = v[45]; S[46, j] = v[46]; S[47, j] = v[47]; S[48, j] = v[48]
        ok = basic_grid_ok(H, a, b, c, x3[i], e) & (b <= ttop)  # eco_grid_ok
        S[N_ECO, j] = 1.0 if (ok and ok2) else 0.0


@njit_kernel(parallel=True)
def economizer_parallel(tbl, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        economizer_range_v(tbl, inp, opts[0], rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def economizer_serial(tbl, inp, opts, rows, res, status):
    economizer_range_v(tbl, inp, opts[0], rows, res, status, 0, inp[0].shape[0])


# --------------------------------------------------------------------------- two-stage

TWO_INPUTS = BASIC_INPUTS + ("p_int",)
TWO_STATES = ("1", "2", "3", "4", "5", "6", "7", "8")
TWO_OUTPUTS = SCALAR_OUTPUTS + _state_names(TWO_STATES) + ("mass_flow_ratio", "p_int")
N_TWO = len(TWO_OUTPUTS)
_NAN_TWO = (NAN,) * N_TWO


@njit_kernel
def two_stage_core(tbl, T_evap, T_cond, superheat, subcooling, eta_is, p_int):
    """Two compressors with an open flash intercooler at ``p_int`` (NaN: geometric mean)."""
    st = check_common(T_evap, T_cond, superheat, subcooling, eta_is)
    if st == OK and T_cond > tbl[0][P_TTOP]:
        st = INFEASIBLE
    evap, cond, p_int, PLi, PLc, sat_i, out5, st = _two_pressure_setup(
        tbl, st, T_evap, T_cond, superheat, subcooling, p_int)
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe = evap
    pc, hvc, Tc_, hlc, slc, svc = cond
    Ti, hli, hvi, sli, svi = sat_i
    T5, h5, s5 = out5
    h2, T2, s2, st3 = compress(tbl, PLi, h1, s1, eta_is, hvi)
    h4, T4, s4, st4 = compress_cond(tbl, Tc_, hvi, svi, eta_is, hlc, hvc, slc, svc)
    st5 = OK
    x6 = (h5 - hli) / (hvi - hli)
    s6 = sli + x6 * (svi - sli)
    x8 = (hli - hle) / (hve - hle)
    s8 = sle + x8 * (sve - sle)
    m_low = (hvi - h5) / (h2 - hli)
    st = first(first(st, st3), first(st4, st5))
    w = m_low * (h2 - h1) + (h4 - hvi)
    qe = m_low * (h1 - hli)
    qc = h4 - h5
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T4, qe, qc, w, x8, d1,)
        + (pe, p_int, p_int, pc, pc, p_int, p_int, pe,)
        + (T1, T2, Ti, T4, T5, Ti, Ti, Tbe + x8 * (T_evap - Tbe),)
        + (h1, h2, hvi, h4, h5, h5, hli, hli,)
        + (s1, s2, svi, s4, s5, s6, sli, s8,)
        + (m_low, p_int,)
    )
    if st != OK:
        vals = _NAN_TWO
    return st, vals


@njit_kernel
def two_grid(tbl, H, T_evap, T_cond, superheat, subcooling, eta_is, p_int, full):
    """The two-stage cycle in one straight pass: (ok, values), as :func:`eco_grid` is for
    the economizer (the states at p_evap and p_cond from the T_sat grids, those at p_int
    from the general tables through the vapour branches), with the same reads and
    arithmetic in the same order as :func:`two_stage_core`: the same values wherever
    ``ok``, which is False wherever two_stage_core would take another branch, a general
    path or set a flag. ``full`` False leaves out the look-ups only the outputs of
    ``_TWO_FULL_OUTPUTS`` need (0.0 there), with the same ``ok``. In three parts
    (:func:`_low_sides`, :func:`_low_int`, :func:`_two_tail`), which
    :func:`two_stage_range_v` runs as three loops."""
    cyc = tbl[5]
    (Le, Lc, pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot) = _low_sides(
        cyc, H, T_evap, T_cond, superheat, subcooling, full)
    p_int, PLi, Ti, hli, hvi, sli, svi, hhi, h2, T2, s2, ok2s, ok2 = _low_int(tbl, pe, pc, h1, s1, eta_is, p_int, full)
    held = _low_held(Le[4] and Lc[4], pe, pc, p_int, s1, svi, ok2s, h2, hvi, ok2)
    A = (pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot)
    B = (p_int, Ti, hli, hvi, sli, svi, h2, T2, s2)
    return _two_tail(cyc, H, Lc, T_evap, superheat, eta_is, A, B, held, full)


@njit_kernel(inline="always")
def _two_tail(cyc, H, Lc, T_evap, superheat, eta_is, A, B, held, full):
    """The high stage on the T_sat grids and the values of :func:`two_grid`, from the grid
    part's values ``A`` (:func:`_low_sides` without the locations), the general part's
    ``B`` (:func:`_low_int`) and ``held``, the conjunction of the checks made on the way."""
    pe, hle, hve, sle, sve, Tbe, pc, hlc, hvc, slc, svc, h1, s1, d1, h5, s5, T5, tot = A
    p_int, Ti, hli, hvi, sli, svi, h2, T2, s2 = B
    # high stage from saturated vapour at p_int to p_cond on the grids (compress_cond)
    h4s, h4, T4, s4 = _high_stage_grid(cyc, H, Lc, hvi, svi, eta_is, hlc, hvc, slc, svc, full)
    x6 = (h5 - hli) / (hvi - hli)
    s6 = sli + x6 * (svi - sli)
    x8 = (hli - hle) / (hve - hle)
    s8 = sle + x8 * (sve - sle)
    m_low = (hvi - h5) / (h2 - hli)
    w = m_low * (h2 - h1) + (h4 - hvi)
    qe = m_low * (h1 - hli)
    qc = h4 - h5
    # a NaN anywhere on the grids makes the sum NaN; no look-up returns inf
    tot = tot + (h4s + T4 + s4)
    ok = held and tot == tot and h4 > hvc
    vals = (
        (qc / w, qe / w, pe, pc, pc / pe, T4, qe, qc, w, x8, d1,)
        + (pe, p_int, p_int, pc, pc, p_int, p_int, pe,)
        + (T_evap + superheat, T2, Ti, T4, T5, Ti, Ti, Tbe + x8 * (T_evap - Tbe),)
        + (h1, h2, hvi, h4, h5, h5, hli, hli,)
        + (s1, s2, svi, s4, s5, s6, sli, s8,)
        + (m_low, p_int,)
    )
    return ok, vals


#: scratch rows of the two-stage and cascade block loops: their 45 values (_store_45), the ok flag
_N_45_SCRATCH = 46
#: the two-stage outputs only the full grid pass computes (see :func:`two_grid`)
_TWO_FULL_OUTPUTS = ("D_suction", "T_2", "s_2", "s_4", "s_5")
_I_TWO_FULL = tuple(TWO_OUTPUTS.index(k) for k in _TWO_FULL_OUTPUTS)


@njit_kernel(inline="always")
def _store_45(S, j, v):
    """The first 45 values of a cycle (all of a two-stage or cascade cycle's, 45 of the
    economizer's 49) into column j of a block's scratch, written out (a loop over the
    tuple would be a switch, which does not vectorize)."""
    S[0, j] = v[0]; S[1, j] = v[1]; S[2, j] = v[2]; S[3, j] = v[3]; S[4, j] = v[4]; S[5, j] = v[5]
    S[6, j] = v[6]; S[7, j] = v[7]; S[8, j] = v[8]; S[9, j] = v[9]; S[10, j] = v[10]; S[11, j] = v[11]
    S[12, j] = v[12]; S[13, j] = v[13]; S[14, j] = v[14]; S[15, j] = v[15]; S[16, j] = v[16]; S[17, j] = v[17]
    S[18, j] = v[18]; S[19, j] = v[19]; S[20, j] = v[20]; S[21, j] = v[21]; S[22, j] = v[22]; S[23, j] = v[23]
    S[24, j] = v[24]; S[25, j] = v[25]; S[26, j] = v[26]; S[27, j] = v[27]; S[28, j] = v[28]; S[29, j] = v[29]
    S[30, j] = v[30]; S[31, j] = v[31]; S[32, j] = v[32]; S[33, j] = v[33]; S[34, j] = v[34]; S[35, j] = v[35]
    S[36, j] = v[36]; S[37, j] = v[37]; S[38, j] = v[38]; S[39, j] = v[39]; S[40, j] = v[40]; S[41, j] = v[41]
    S[42, j] = v[42]; S[43, j] = v[43]; S[44, j] = v[44]


@njit_kernel
def two_stage_range_v(tbl, inp, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the two-stage cycle: :func:`two_grid` block by block into
    stack scratch arrays, then :func:`two_stage_core` for those it did not hold, as
    :func:`economizer_range_v` does (three loops a block, the first and last vectorized):
    the same values as two_stage_core alone."""
    cyc = tbl[5]
    H = ts_header(cyc)
    S = stack_empty(_N_45_SCRATCH, _VBLOCK)
    W = stack_empty(_N_ECO_SIDES, _VBLOCK)
    # the grid part with the basic cycle's 8-element reads where it has them (_eco_sides8)
    eight = VECTOR_READS and H[0][TSH_OK] == 1.0
    A8, XE8, Q8 = stack_empty(_N_A, _VBLOCK), stack_empty(2, _N_XE_V), stack_empty(_N_Q, _VBLOCK)
    Cy = stack_empty(N_TWO, 8)
    U = np.uint64
    x0, x1, x2, x3, x4, x5 = inp
    full = _any_requested(rows, _I_TWO_FULL)
    ttop = tbl[0][P_TTOP]
    stream = _streams(res)
    for b0 in range(lo, hi, _VBLOCK):
        m = min(_VBLOCK, hi - b0)
        if eight and full:
            _eco_sides8(cyc, H, x0, x1, x2, x3, W, b0, m, True, A8, XE8, Q8)
        elif eight:
            _eco_sides8(cyc, H, x0, x1, x2, x3, W, b0, m, False, A8, XE8, Q8)
        elif full:
            _eco_sides(cyc, H, x0, x1, x2, x3, W, b0, m, True)
        else:
            _eco_sides(cyc, H, x0, x1, x2, x3, W, b0, m, False)
        # one element an iteration: two, as in economizer_range_v, measured 1.02x on every
        # output and took 20 s more to compile (docs/speed-log.md, 2026-12-06)
        for j in range(m):
            _low_mid_store(W, j, _low_int_w(tbl, W, j, x4, x5, U(b0 + j), full))
        if full:
            _two_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, True)
        else:
            _two_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, False)
        _block_out(S, N_TWO, rows, res, status, b0, m, stream, Cy, lo, hi)
    if stream:
        stream_fence()
    for i in range(lo, hi):
        if status[i] != OK:
            st, v = two_stage_core(tbl, x0[i], x1[i], x2[i], x3[i], x4[i], x5[i])
            status[i] = st
            for k in range(N_TWO):
                if rows[k] >= 0:
                    res[rows[k], i] = v[k]


@njit_kernel(inline="always")
def _two_tails(cyc, H, ttop, x0, x1, x2, x3, x4, W, S, b0, m, full):
    """The last loop of :func:`two_stage_range_v`, as :func:`_eco_tails`."""
    U = np.uint64
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        a, b, c, e = x0[i], x1[i], x2[i], x4[i]
        A = _w_sides(W, j)
        o = _ECO_B
        B = (W[o + 0, j], W[o + 1, j], W[o + 2, j], W[o + 3, j], W[o + 4, j], W[o + 5, j], W[o + 6, j],
             W[o + 7, j], W[o + 8, j])
        ok2, v = _two_tail(cyc, H, ts_loc_h(H, b), a, c, e, A, B, W[o + 18, j] != 0.0, full)
        _store_45(S, j, v)
        ok = basic_grid_ok(H, a, b, c, x3[i], e) & (b <= ttop)  # eco_grid_ok
        S[N_TWO, j] = 1.0 if (ok and ok2) else 0.0


@njit_kernel(parallel=True)
def two_stage_parallel(tbl, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        two_stage_range_v(tbl, inp, rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def two_stage_serial(tbl, inp, opts, rows, res, status):
    two_stage_range_v(tbl, inp, rows, res, status, 0, inp[0].shape[0])


# --------------------------------------------------------------------------- cascade

CASCADE_INPUTS = BASIC_INPUTS + ("T_cascade", "dT_cascade")
CASCADE_STATES = ("L1", "L2", "L3", "L4", "H1", "H2", "H3", "H4")
CASCADE_OUTPUTS = SCALAR_OUTPUTS + _state_names(CASCADE_STATES) + ("mass_flow_ratio", "T_cascade")
N_CASCADE = len(CASCADE_OUTPUTS)
# the block loops store 45 values a cycle (_store_45; kernels do not check bounds)
assert N_TWO == N_CASCADE == _N_45_SCRATCH - 1 and N_ECO >= N_TWO
_NAN_CASCADE = (NAN,) * N_CASCADE
_B = len(SCALAR_OUTPUTS)  # offset of the state block in basic_core's values


@njit_kernel(inline="always")
def _cascade_vals(L, H, T_cascade):
    """The cascade's values from its low (L) and high (H) circuits' basic-cycle values
    (0 COPh, 1 COPc, 2 pe, 3 pc, 4 pr, 5 T2, 6 qe, 7 qc, 8 w, 9 x4, 10 D1, then the states
    from _B), shared by :func:`cascade_core` and :func:`cascade_grid`."""
    m_low = H[6] / L[7]
    w = m_low * L[8] + H[8]
    qe = m_low * L[6]
    qc = H[7]
    return (
        (qc / w, qe / w, L[2], H[3], H[3] / L[2], H[5], qe, qc, w, L[9], L[10],)
        + (L[_B], L[_B + 1], L[_B + 2], L[_B + 3], H[_B], H[_B + 1], H[_B + 2], H[_B + 3],)
        + (L[_B + 4], L[_B + 5], L[_B + 6], L[_B + 7], H[_B + 4], H[_B + 5], H[_B + 6], H[_B + 7],)
        + (L[_B + 8], L[_B + 9], L[_B + 10], L[_B + 11], H[_B + 8], H[_B + 9], H[_B + 10], H[_B + 11],)
        + (L[_B + 12], L[_B + 13], L[_B + 14], L[_B + 15], H[_B + 12], H[_B + 13], H[_B + 14], H[_B + 15],)
        + (m_low, T_cascade,)
    )


@njit_kernel
def cascade_core(tbl_hi, tbl_lo, T_evap, T_cond, superheat, subcooling, eta_is, T_cascade, dT_cascade):
    """Cascade: low circuit (tbl_lo) condensing at T_cascade into the high circuit's evaporator."""
    st = OK
    if not math.isfinite(dT_cascade):
        st = NONFINITE_INPUT
    elif dT_cascade < 0.0:
        st = OUT_OF_DOMAIN
    if not (T_cascade == T_cascade):
        T_cascade = math.sqrt(T_evap * T_cond) + 0.5 * dT_cascade
    T_he = T_cascade - dT_cascade
    if st == OK and not math.isfinite(T_cascade):
        st = NONFINITE_INPUT
    if st == OK and math.isfinite(T_evap) and math.isfinite(T_cond) and not (T_evap < T_cascade and T_he < T_cond):
        st = INFEASIBLE
    stL, L = basic_core(tbl_lo, T_evap, T_cascade, superheat, subcooling, eta_is)
    stH, H = basic_core(tbl_hi, T_he, T_cond, superheat, subcooling, eta_is)
    st = first(first(st, stL), stH)
    vals = _cascade_vals(L, H, T_cascade)
    if st != OK:
        vals = _NAN_CASCADE
    return st, vals


@njit_kernel
def cascade_grid(cyc_hi, cyc_lo, Hh, Hl, T_evap, T_cond, superheat, subcooling, eta_is, T_cascade, dT_cascade):
    """The cascade in one straight pass: both circuits by :func:`basic_grid` on their
    fluids' T_sat grids, combined with the arithmetic of :func:`cascade_core`: (ok,
    values), the same values wherever ``ok``, which is False wherever cascade_core would
    take a general path or set a flag."""
    if not (T_cascade == T_cascade):
        T_cascade = math.sqrt(T_evap * T_cond) + 0.5 * dT_cascade
    T_he = T_cascade - dT_cascade
    okL, L = basic_grid(cyc_lo, Hl, T_evap, T_cascade, superheat, subcooling, eta_is, True, True)
    okH, H = basic_grid(cyc_hi, Hh, T_he, T_cond, superheat, subcooling, eta_is, False, True)
    ok = (okL and okH and basic_grid_ok(Hl, T_evap, T_cascade, superheat, subcooling, eta_is)
          and basic_grid_ok(Hh, T_he, T_cond, superheat, subcooling, eta_is) and math.isfinite(dT_cascade)
          and dT_cascade >= 0.0 and math.isfinite(T_cascade))
    vals = _cascade_vals(L, H, T_cascade)
    return ok, vals


@njit_kernel(inline="always")
def _load_basic(S, j):
    """The 27 values :func:`_store_basic` stored in column j."""
    return (S[0, j], S[1, j], S[2, j], S[3, j], S[4, j], S[5, j], S[6, j], S[7, j], S[8, j], S[9, j], S[10, j],
            S[11, j], S[12, j], S[13, j], S[14, j], S[15, j], S[16, j], S[17, j], S[18, j], S[19, j], S[20, j],
            S[21, j], S[22, j], S[23, j], S[24, j], S[25, j], S[26, j])


@njit_kernel(inline="always")
def _cascade_circuits(cyc_lo, Hl, cyc_hi, Hh, x0, x1, x2, x3, x4, x5, x6, b0, m, SL, SH):
    """The cascade's two circuits for the ``m`` elements from ``b0``, each a
    :func:`basic_grid` (vectorized by LLVM), into the scratch ``SL`` and ``SH``
    (:func:`_store_basic`)."""
    U = np.uint64
    for j in range(m):  # the low circuit, condensing at T_cascade
        vector_loop()
        i = U(b0 + j)
        T_evap, T_cond, superheat, subcooling, eta_is = x0[i], x1[i], x2[i], x3[i], x4[i]
        T_cascade = x5[i]
        if not (T_cascade == T_cascade):
            T_cascade = math.sqrt(T_evap * T_cond) + 0.5 * x6[i]
        okL, L = basic_grid(cyc_lo, Hl, T_evap, T_cascade, superheat, subcooling, eta_is, True, True)
        _store_basic(SL, j, L, okL and basic_grid_ok(Hl, T_evap, T_cascade, superheat, subcooling, eta_is))
    for j in range(m):  # the high circuit, evaporating at T_cascade - dT_cascade
        vector_loop()
        i = U(b0 + j)
        T_evap, T_cond, superheat, subcooling, eta_is = x0[i], x1[i], x2[i], x3[i], x4[i]
        T_cascade = x5[i]
        dT_cascade = x6[i]
        if not (T_cascade == T_cascade):
            T_cascade = math.sqrt(T_evap * T_cond) + 0.5 * dT_cascade
        T_he = T_cascade - dT_cascade
        okH, Hv = basic_grid(cyc_hi, Hh, T_he, T_cond, superheat, subcooling, eta_is, False, True)
        _store_basic(SH, j, Hv, okH and basic_grid_ok(Hh, T_he, T_cond, superheat, subcooling, eta_is)
                     and math.isfinite(dT_cascade) and dT_cascade >= 0.0 and math.isfinite(T_cascade))


@njit_kernel(inline="always")
def _cascade_circuits8(cyc_lo, Hl, cyc_hi, Hh, x0, x1, x2, x3, x4, x5, x6, b0, m, TT, A, XE, Q, B, Q2, C, Q3, SL, SH):
    """:func:`_cascade_circuits` by the basic cycle's 8-element reads
    (:func:`_basic_block8`): T_cascade and the high circuit's evaporating temperature
    into ``TT`` first, then each circuit's block; the same values bit for bit. The high
    circuit's flag also asks for a finite dT_cascade >= 0 and T_cascade, as there."""
    U = np.uint64
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        T_cascade = x5[i]
        if not (T_cascade == T_cascade):
            T_cascade = math.sqrt(x0[i] * x1[i]) + 0.5 * x6[i]
        TT[0, j] = T_cascade
        TT[1, j] = T_cascade - x6[i]
    e = b0 + m
    _basic_block8(cyc_lo, Hl, x0[b0:e], TT[0], x2[b0:e], x3[b0:e], x4[b0:e], 0, m, A, XE, Q, B, Q2, C, Q3, SL, True, True)
    _basic_block8(cyc_hi, Hh, TT[1], x1[b0:e], x2[b0:e], x3[b0:e], x4[b0:e], 0, m, A, XE, Q, B, Q2, C, Q3, SH, False, True)
    for j in range(m):
        vector_loop()
        i = U(b0 + j)
        dT_cascade = x6[i]
        ok = SH[N_BASIC, j] != 0.0 and math.isfinite(dT_cascade) and dT_cascade >= 0.0 and math.isfinite(TT[0, j])
        SH[N_BASIC, j] = 1.0 if ok else 0.0


@njit_kernel
def cascade_range_v(tbl_hi, tbl_lo, inp, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the cascade: :func:`cascade_grid` block by block, then
    :func:`cascade_core` for those it did not hold, as :func:`economizer_range_v` does:
    the same values as cascade_core alone.

    cascade_grid's work runs as three loops per block through scratch arrays: the low
    circuit, the high circuit (each a :func:`basic_grid`, which vectorizes), then their
    combination. As one loop (two basic cycles' grid reads an element) LLVM's loop
    vectorizer gave up, as on the ihx cycle's (:func:`ihx_range_v`).
    """
    Hh = ts_header(tbl_hi[5])
    Hl = ts_header(tbl_lo[5])
    cyc_hi = tbl_hi[5]
    cyc_lo = tbl_lo[5]
    SL = stack_empty(_N_SCRATCH, _VBLOCK)
    SH = stack_empty(_N_SCRATCH, _VBLOCK)
    S = stack_empty(_N_45_SCRATCH, _VBLOCK)
    Cy = stack_empty(N_CASCADE, 8)
    U = np.uint64
    x0, x1, x2, x3, x4, x5, x6 = inp
    stream = _streams(res)
    # both circuits by the basic cycle's 8-element reads where both fluids have them
    eight = VECTOR_READS and Hh[0][TSH_OK] == 1.0 and Hl[0][TSH_OK] == 1.0
    A, XE, Q = stack_empty(_N_A, _VBLOCK), stack_empty(2, _N_XE_V), stack_empty(_N_Q, _VBLOCK)
    B, Q2, C, Q3 = stack_empty(_N_B, _VBLOCK), stack_empty(1, _VBLOCK), stack_empty(_N_C, _VBLOCK), stack_empty(2, _VBLOCK)
    TT = stack_empty(2, _VBLOCK)  # T_cascade, and the high circuit's T_evap
    for b0 in range(lo, hi, _VBLOCK):
        m = min(_VBLOCK, hi - b0)
        if eight:
            _cascade_circuits8(cyc_lo, Hl, cyc_hi, Hh, x0, x1, x2, x3, x4, x5, x6, b0, m, TT, A, XE, Q, B, Q2, C, Q3,
                               SL, SH)
        else:
            _cascade_circuits(cyc_lo, Hl, cyc_hi, Hh, x0, x1, x2, x3, x4, x5, x6, b0, m, SL, SH)
        for j in range(m):  # both combined
            i = U(b0 + j)
            T_cascade = x5[i]
            if not (T_cascade == T_cascade):
                T_cascade = math.sqrt(x0[i] * x1[i]) + 0.5 * x6[i]
            v = _cascade_vals(_load_basic(SL, j), _load_basic(SH, j), T_cascade)
            _store_45(S, j, v)
            S[N_CASCADE, j] = 1.0 if (SL[N_BASIC, j] != 0.0 and SH[N_BASIC, j] != 0.0) else 0.0
        _block_out(S, N_CASCADE, rows, res, status, b0, m, stream, Cy, lo, hi)
    if stream:
        stream_fence()
    for i in range(lo, hi):
        if status[i] != OK:
            st, v = cascade_core(tbl_hi, tbl_lo, x0[i], x1[i], x2[i], x3[i], x4[i], x5[i], x6[i])
            status[i] = st
            for k in range(N_CASCADE):
                if rows[k] >= 0:
                    res[rows[k], i] = v[k]


@njit_kernel(parallel=True)
def cascade_parallel(tbl_hi, tbl_lo, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        cascade_range_v(tbl_hi, tbl_lo, inp, rows, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def cascade_serial(tbl_hi, tbl_lo, inp, opts, rows, res, status):
    cascade_range_v(tbl_hi, tbl_lo, inp, rows, res, status, 0, inp[0].shape[0])


# --------------------------------------------------------------------------- transcritical

TC_INPUTS = ("T_evap", "T_gc_out", "superheat", "eta_is", "p_high")
TC_STATES = ("1", "2", "3", "4")
TC_OUTPUTS = SCALAR_OUTPUTS + _state_names(TC_STATES) + ("p_high",)
N_TC = len(TC_OUTPUTS)
_I_TC_S3 = TC_OUTPUTS.index("s_3")
_NAN_TC = (NAN,) * N_TC
#: search for the COP-optimal ln p_high (:func:`_tc_optimum`): stop when the step the
#: search would take next is below this in ln p (1e-5 % in pressure: see docs/cycles.md)
TC_LNP_TOL = 1e-7
#: the first step of that search from its start, in ln p (up or down the COP's slope)
TC_FIRST_STEP = 0.008
#: COP evaluations after which that search gives up (to Brent's search); 11 at most on
#: 2e4 points of the benchmark's envelope, 4.3 on average
TC_D_MAX_ITER = 30
#: an optimum found closer than this in ln p to the search's lower bound (within about
#: 0.5 % of the critical pressure) is searched again by Brent's method: there the
#: table's COP wiggles (by up to 2.5e-4 relative near 303 K; the tables' near-critical
#: region) and its slope points to a local maximum of the wiggle
TC_NEAR_PC = 0.005
#: Brent's search (the fallback): its bracket is this narrow at the end (0.001 % in pressure)
TC_BRENT_TOL = 1e-5
TC_MAX_ITER = 100


@njit_kernel
def _gas_cooler_outlet(tbl, PL, T):
    """h, s at a located supercritical pressure and temperature T (either side of the boundary)."""
    Tb = bq(tbl, PL, QX_T)
    if T < Tb:
        h, s, d, st = liquid_T(tbl, PL, T, Tb)
    else:
        h, s, d, st = vapour_T(tbl, PL, T, Tb)
    return h, s, st


#: inlined where only h is used (the search's trial pressures), so that LLVM drops s
_gas_cooler_outlet_i = njit_kernel(inline="always")(_gas_cooler_outlet.py_func)


@njit_kernel(inline="always")
def _gas_cooler_outlet_d(tbl, PL, T):
    """h at a located supercritical pressure and temperature T (the same value as
    :func:`_gas_cooler_outlet`), its derivative in ln p at constant T (the interpolant's)
    and the status."""
    par = tbl[0]
    Tb = bq(tbl, PL, QX_T)
    if T < Tb:
        it = TAB_TL
        Te = par[P_TMIN]
    else:
        it = TAB_TV
        Te = par[P_THI]
    R = rloc(tbl, PL, it, T, Tb, Te)
    h = rval(tbl, R, 0) + (0.0 if R[4] else NAN)
    dh = rval_dlnp(tbl, PL, R, 0, T, Tb, Te, bq_dlnp(tbl, PL, QX_T), 0.0)
    return h, dh, OK if R[4] else OUT_OF_TABLE


@njit_kernel
def _tc_eval(tbl, p, h1, s1, eta_is, T_gc_out):
    """COP_heating, h2, T2, s2, h3, s3, status at high pressure p."""
    PL = ploc(tbl, p)
    h2, T2, s2, st1 = compress(tbl, PL, h1, s1, eta_is, NAN)
    h3, s3, st2 = _gas_cooler_outlet(tbl, PL, T_gc_out)
    return (h2 - h3) / (h2 - h1), h2, T2, s2, h3, s3, first(st1, st2)


@njit_kernel
def _tc_cop(tbl, p, h1, s1, eta_is, T_gc_out):
    """COP_heating at high pressure p, as :func:`_tc_eval` computes it, without the
    discharge temperature and entropy or the gas-cooler outlet's entropy (the search
    needs only the COP; two look-ups fewer at every trial pressure); then what
    :func:`_tc_finish` needs to complete the state at the best trial: h2s and its status,
    h3 and its, and the located pressure."""
    PL = ploc(tbl, p)
    h2s, st1 = ps_h(tbl, PL, s1)
    h2 = h1 + (h2s - h1) / eta_is
    h3, s3_unused, st2 = _gas_cooler_outlet_i(tbl, PL, T_gc_out)
    return (h2 - h3) / (h2 - h1), (h2s, st1, h3, st2, PL)


@njit_kernel(inline="always")
def _tc_cop_d(tbl, x, h1, s1, eta_is, T_gc_out):
    """:func:`_tc_cop` at p = exp(x) (the same COP and values) and the COP's derivative in
    x = ln p: that of the tables' interpolants (h_2s(p, s_1), h_3(p, T_gc_out)), so that
    the search locates the maximum of the COP hpcore evaluates, not of a nearby one.

    COP = (h2 - h3) / (h2 - h1) with h2 = h1 + (h2s - h1) / eta_is:
    dCOP/dx = ((h2' - h3') - COP h2') / (h2 - h1), h2' = h2s' / eta_is."""
    p = math.exp(x)
    PL = ploc(tbl, p)
    h2s, dh2s, st1 = ps_h_dlnp(tbl, PL, s1)
    h2 = h1 + (h2s - h1) / eta_is
    dh2 = dh2s / eta_is
    h3, dh3, st2 = _gas_cooler_outlet_d(tbl, PL, T_gc_out)
    w = h2 - h1
    cop = (h2 - h3) / w
    return cop, ((dh2 - dh3) - cop * dh2) / w, (h2s, st1, h3, st2, PL)


@njit_kernel
def _tc_finish(tbl, h1, eta_is, best, T_gc_out, need_s3):
    """:func:`_tc_eval` at the search's best trial pressure from what :func:`_tc_cop`
    computed there (``best``, its located pressure too): the same values, with the
    discharge state's look-up and, where ``need_s3`` (the caller asks for s_3), the
    gas-cooler outlet's entropy (its h, from the same location, is the one in ``best``;
    NaN where not asked for: one look-up fewer)."""
    h2s, st1, h3, st2, PL = best
    h2 = h1 + (h2s - h1) / eta_is  # compress, with no saturated vapour above p_crit
    T2, s2, d2, q2, st3 = ph_state(tbl, PL, h2)
    s3 = NAN
    if need_s3:
        h3_, s3, st2_ = _gas_cooler_outlet(tbl, PL, T_gc_out)
    return (h2 - h3) / (h2 - h1), h2, T2, s2, h3, s3, first(first(st1, st3), st2)


#: half width in ln p of the start bracket around the guess of :func:`_tc_guess` (1.5 %; the
#: guess is off by 0.3 % (median) and at most 1 % on the benchmark's R744 inputs)
TC_START_HALF = 0.015
#: CO2's critical temperature [K] and pressure [Pa], the scales of Liao's correlation
_T_C_CO2 = 304.1282
_P_C_CO2 = 7.3773e6


@njit_kernel(inline="always")
def _tc_guess(par, T_evap, T_gc_out):
    """ln of a guess of the COP-optimal high pressure: Liao, Zhao and Jakobsen's correlation
    for CO2 (2000; bar and degrees Celsius inside it), in temperatures and pressure scaled
    by the fluid's critical point, so that it gives CO2's value for CO2 and a start of
    the right order for any other fluid. Only where the search starts: the optimum is
    still searched to TC_LNP_TOL (NaN for a guess at or below zero pressure)."""
    te = T_evap * (_T_C_CO2 / par[P_TC]) - 273.15
    tg = T_gc_out * (_T_C_CO2 / par[P_TC]) - 273.15
    p = ((2.778 - 0.0157 * te) * tg + (0.381 * te - 9.34)) * 1e5 * (par[P_PC] / _P_C_CO2)
    return math.log(p) if p > 0.0 else NAN


@njit_kernel(inline="always")
def _tc_start(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0):
    """The start of :func:`_tc_optimum`: its search state (a, b, x, w, v, fx, fw, fv, d, e,
    evaluations, best)."""
    it = 0
    started = False
    if x0 - TC_START_HALF > lo and x0 + TC_START_HALF < hi:  # False for NaN
        xl = x0 - TC_START_HALF
        xh = x0 + TC_START_HALF
        c, best = _tc_cop(tbl, math.exp(x0), h1, s1, eta_is, T_gc_out)
        cl, at_l = _tc_cop(tbl, math.exp(xl), h1, s1, eta_is, T_gc_out)
        ch, at_h = _tc_cop(tbl, math.exp(xh), h1, s1, eta_is, T_gc_out)
        it = 3
        fx = -c if c == c else 1e300
        fl = -cl if cl == cl else 1e300
        fh = -ch if ch == ch else 1e300
        if fx < fl and fx < fh:
            started = True
            a, b, x = xl, xh, x0
            if fl <= fh:
                w, fw, v, fv = xl, fl, xh, fh
            else:
                w, fw, v, fv = xh, fh, xl, fl
            d = e = TC_START_HALF
    if not started:
        a = lo
        b = hi
        x = w = v = a + CGOLD * (b - a)
        c, best = _tc_cop(tbl, math.exp(x), h1, s1, eta_is, T_gc_out)
        it += 1
        fx = fw = fv = -c if c == c else 1e300
        d = e = 0.0
    return a, b, x, w, v, fx, fw, fv, d, e, it, best


#: Brent's tolerance on ln p_high (its final bracket is at most 4 times this wide)
_TC_TOL1 = 0.25 * TC_BRENT_TOL


@njit_kernel(inline="always")
def _tc_more(S):
    """Whether the search in state ``S`` (:func:`_tc_start`) goes on."""
    return S[10] < TC_MAX_ITER and not brent_done(S[0], S[1], S[2], _TC_TOL1)


@njit_kernel(inline="always")
def _tc_iterate(tbl, S, h1, s1, eta_is, T_gc_out):
    """One step of the search in state ``S``: the next state."""
    a, b, x, w, v, fx, fw, fv, d, e, it, best = S
    u, d, e = brent_step(a, b, x, w, v, fx, fw, fv, d, e, _TC_TOL1)
    c, at_u = _tc_cop(tbl, math.exp(u), h1, s1, eta_is, T_gc_out)
    fu = -c if c == c else 1e300
    if fu <= fx:  # brent_update makes u the best point
        best = at_u
    a, b, x, w, v, fx, fw, fv = brent_update(a, b, x, w, v, fx, fw, fv, u, fu)
    return a, b, x, w, v, fx, fw, fv, d, e, it + 1, best


@njit_kernel
def _tc_brent(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0):
    """The ln p_high in [lo, hi] of the largest COP, the COP evaluations taken, and
    :func:`_tc_cop`'s values there: the fallback of :func:`_tc_optimum`.

    Brent's minimization of -COP (:mod:`hpcore._minimize`; the golden-section search it
    replaced took 37 COP evaluations to the same bracket). No COP (NaN) counts as worse
    than any, so the bracket moves away from it.

    It starts from three evaluations at the guess ``x0`` and TC_START_HALF either side:
    where the middle one is the best of the three the optimum of the unimodal COP lies
    between the outer two, and Brent's search continues in that bracket with the three
    points it has (a parabola from the first step). Otherwise (a guess off by more than
    1.5 %, NaN, or a start bracket not inside [lo, hi]) the search runs on [lo, hi],
    those evaluations counted.
    """
    S = _tc_start(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0)
    while _tc_more(S):
        S = _tc_iterate(tbl, S, h1, s1, eta_is, T_gc_out)
    return S[2], S[10], S[11]


#: states of the slope search (:func:`_tcd_start`)
_TCD_ON = 0
_TCD_DONE = 1
_TCD_FAILED = 2


@njit_kernel(inline="always")
def _tcd_start(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0):
    """The start of :func:`_tc_optimum`'s slope search: its state (x0, f0, g0, x1, a, b,
    evaluations, best, state): the last point evaluated (ln p, COP, slope), the next one
    to evaluate, the bracket [a, b] known so far (a the largest x of a positive slope,
    b the smallest of a negative one; +-1e300 while unknown), and :func:`_tc_cop_d`'s
    values at x0. It evaluates the guess (moved inside [lo, hi] by one first step where
    outside, the middle of the range where NaN) and takes the first step up its slope."""
    x = x0
    if not (x == x):
        x = 0.5 * (lo + hi)
    x = min(max(x, lo + TC_FIRST_STEP), hi - TC_FIRST_STEP)
    f, g, best = _tc_cop_d(tbl, x, h1, s1, eta_is, T_gc_out)
    # (a range too narrow for the first step, as of a table ending just above p_crit,
    # is left to Brent's search)
    state = _TCD_ON if (f == f and g == g and hi - lo > 2.0 * TC_FIRST_STEP) else _TCD_FAILED
    a = -1e300
    b = 1e300
    if g > 0.0:
        a = x
        x1 = x + TC_FIRST_STEP
    else:
        b = x
        x1 = x - TC_FIRST_STEP
    return x, f, g, x1, a, b, 1, best, state


@njit_kernel(inline="always")
def _tcd_next(x0, f0, g0, x1, f1, g1, a, b, lo, hi):
    """The slope search's next trial: the maximum of the cubic through (x0, f0, g0) and
    (x1, f1, g1) (values and slopes; Nocedal and Wright, Numerical Optimization,
    eq. 3.59, for the minimum of -f), else the secant on the slope where the cubic has
    no maximum, kept inside the bracket [a, b] once both ends are known (else its middle);
    while they are not, a step on past x1 in the direction of ascent of two to four times
    the last (the cubic's clamped to that; the doubled step where it has no maximum), at
    most to the bound of [lo, hi]."""
    dx = x1 - x0
    d1 = 3.0 * (f1 - f0) / dx - (g0 + g1)
    rad = d1 * d1 - g0 * g1
    if rad >= 0.0:
        d2 = math.copysign(math.sqrt(rad), dx)
        xn = x1 - dx * ((d2 - d1) - g1) / ((g0 - g1) + 2.0 * d2)
    else:
        curv = (g1 - g0) / dx
        xn = x1 - g1 / curv if curv < 0.0 else NAN
    if a > -1e299 and b < 1e299:
        if not (xn > a and xn < b):  # False for NaN
            xn = 0.5 * (a + b)
    else:
        if not ((xn - x1) * dx >= 2.0 * dx * dx):  # True for NaN
            xn = x1 + 2.0 * dx
        elif (xn - x1) * dx > 4.0 * dx * dx:
            xn = x1 + 4.0 * dx
        xn = min(max(xn, lo), hi)
    return xn


@njit_kernel(inline="always")
def _tcd_iterate(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out):
    """One step of the slope search in state ``S``: evaluate the pending point, then
    either give up (no COP or slope, a bound of [lo, hi] reached with the COP still rising
    beyond it, TC_D_MAX_ITER evaluations: failed), stop there (the next step would be
    below TC_LNP_TOL: done), or plan the next point."""
    x0, f0, g0, x1, a, b, n, best, state = S
    f1, g1, at1 = _tc_cop_d(tbl, x1, h1, s1, eta_is, T_gc_out)
    n += 1
    if g1 > 0.0:
        a = max(a, x1)
    else:
        b = min(b, x1)
    xn = _tcd_next(x0, f0, g0, x1, f1, g1, a, b, lo, hi)
    if (not (f1 == f1 and g1 == g1) or n >= TC_D_MAX_ITER
            or (g1 > 0.0 and x1 >= hi) or (g1 <= 0.0 and x1 <= lo)):
        state = _TCD_FAILED
    elif abs(xn - x1) < TC_LNP_TOL:
        state = _TCD_DONE
    return x1, f1, g1, xn, a, b, n, at1, state


@njit_kernel(inline="always")
def _tcd_result(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out, x0):
    """:func:`_tc_optimum`'s result from the slope search's final state ``S``: its point,
    or Brent's search from the guess where it failed or ended within TC_NEAR_PC of lo."""
    if S[8] == _TCD_DONE and S[0] - lo >= TC_NEAR_PC:
        return S[0], S[6], S[7], False
    x, it, best = _tc_brent(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0)
    return x, S[6] + it, best, it >= TC_MAX_ITER


@njit_kernel
def _tc_optimum(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0):
    """The ln p_high in [lo, hi] of the largest COP, the COP evaluations taken,
    :func:`_tc_cop`'s values there, and whether Brent's fallback ran out of evaluations.

    A search on the COP's slope (its derivative in ln p, :func:`_tc_cop_d`): from the
    guess ``x0`` a first step of TC_FIRST_STEP up the slope, then steps to the maximum of
    the cubic through the last two points' COPs and slopes, inside the bracket of a
    positive and a negative slope once it is known. It converges faster than linearly;
    it stops where the next step would be below TC_LNP_TOL, so that the point it returns
    (the last evaluated) lies about that close to the stationary point. On the
    benchmark's envelope (2e4 points) 4.0 COP evaluations an element at its superheat of
    5 K and 4.3 at superheats of 0-10 K, against 8.8 and 9.9 of Brent's search to a 100
    times wider bracket (docs/cycles.md).

    Where it fails (a NaN COP or slope, a bound reached with the COP rising beyond it,
    TC_D_MAX_ITER evaluations) or ends within
    TC_NEAR_PC of lo, :func:`_tc_brent` searches from the guess, which needs no slope.
    """
    S = _tcd_start(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0)
    while S[8] == _TCD_ON:
        S = _tcd_iterate(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out)
    return _tcd_result(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out, x0)


@njit_kernel
def _tc_optimum2(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0, h1b, s1b, eta_b, T_gc_b, x0b):
    """:func:`_tc_optimum` for two elements at once, step by step in one loop (each its
    own search, the same steps and values as alone): a search is a chain of dependent
    look-ups, and two independent chains keep the core busier than one. The fallbacks
    run one after the other."""
    S = _tcd_start(tbl, lo, hi, h1, s1, eta_is, T_gc_out, x0)
    Sb = _tcd_start(tbl, lo, hi, h1b, s1b, eta_b, T_gc_b, x0b)
    while True:
        more, more_b = S[8] == _TCD_ON, Sb[8] == _TCD_ON
        if more and more_b:
            S = _tcd_iterate(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out)
            Sb = _tcd_iterate(tbl, Sb, lo, hi, h1b, s1b, eta_b, T_gc_b)
        elif more:
            S = _tcd_iterate(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out)
        elif more_b:
            Sb = _tcd_iterate(tbl, Sb, lo, hi, h1b, s1b, eta_b, T_gc_b)
        else:
            break
    return (_tcd_result(tbl, S, lo, hi, h1, s1, eta_is, T_gc_out, x0),
            _tcd_result(tbl, Sb, lo, hi, h1b, s1b, eta_b, T_gc_b, x0b))


@njit_kernel(inline="always")
def _tc_pre(tbl, T_evap, T_gc_out, superheat, eta_is, p_high):
    """The checks of :func:`transcritical_core` and the suction state: (status, T_evap,
    T_gc_out, p_high (NaN: search), the evaporator outlet's values). Flagged elements go
    on with harmless inputs (their values are replaced by NaN at the end)."""
    par = tbl[0]
    st = check_common(T_evap, T_gc_out, superheat, 0.0, eta_is)
    if st == INFEASIBLE:
        st = OK  # T_gc_out <= T_evap shows up as a negative evaporator-inlet quality below
    if st == OK and p_high == p_high and not (math.isfinite(p_high) and p_high > par[P_PC]):
        st = OUT_OF_DOMAIN if math.isfinite(p_high) else NONFINITE_INPUT
    if st == OK and not (T_evap <= par[P_TTOP]):
        st = INFEASIBLE
    if st != OK:
        T_evap = par[P_TTOP] - 10.0
        T_gc_out = par[P_TTOP]
        superheat = 0.0
        p_high = math.nan
    E = evaporator_outlet(tbl, T_evap, superheat)
    return first(st, E[10]), T_evap, T_gc_out, p_high, E


@njit_kernel(inline="always")
def _tc_bounds(par):
    """The search's range of ln p_high: just above the critical pressure to the table's top."""
    return math.log(par[P_PC] * 1.0001), math.log(par[P_PMAX])


@njit_kernel(inline="always")
def _tc_found(tbl, st, lo, hi, h1, eta_is, T_gc_out, found, need_s3):
    """The cycle at the search's result ``found`` (:func:`_tc_optimum`): status
    (NOT_CONVERGED where the optimum lies on a bound of the search or Brent's fallback
    ran out of evaluations), p and
    :func:`_tc_finish`'s values."""
    x_opt, it, best, capped = found
    p = math.exp(x_opt)
    if st == OK and (capped or hi - x_opt < 1e-4 or x_opt - lo < 1e-4):
        st = NOT_CONVERGED
    return st, p, _tc_finish(tbl, h1, eta_is, best, T_gc_out, need_s3)


@njit_kernel(inline="always")
def _tc_post(st, T_evap, T_gc_out, p, E, R):
    """The values of :func:`transcritical_core` from the evaporator outlet ``E`` and the
    high side ``R`` (:func:`_tc_eval`'s values at p): status, values."""
    pe, T1, h1, s1, d1, hle, hve, sle, sve, Tbe, st1 = E
    cop, h2, T2, s2, h3, s3, st2 = R
    st = first(st, st2)
    x4 = (h3 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    if st == OK and not (x4 >= 0.0):
        st = INFEASIBLE
    w = h2 - h1
    qe = h1 - h3
    qc = h2 - h3
    vals = (
        (qc / w, qe / w, pe, p, p / pe, T2, qe, qc, w, x4, d1,)
        + (pe, p, p, pe,)
        + (T1, T2, T_gc_out, Tbe + x4 * (T_evap - Tbe),)
        + (h1, h2, h3, h3,)
        + (s1, s2, s3, s4,)
        + (p,)
    )
    if st != OK:
        vals = _NAN_TC
    return st, vals


@njit_kernel
def transcritical_core(tbl, T_evap, T_gc_out, superheat, eta_is, p_high):
    """Transcritical cycle; ``p_high`` NaN: the COP-optimal high pressure, searched per element."""
    par = tbl[0]
    st, T_evap, T_gc_out, p_high, E = _tc_pre(tbl, T_evap, T_gc_out, superheat, eta_is, p_high)
    h1, s1 = E[2], E[3]
    lo, hi = _tc_bounds(par)
    if p_high == p_high:
        p = p_high
        R = _tc_eval(tbl, p, h1, s1, eta_is, T_gc_out)
    else:
        found = _tc_optimum(tbl, lo, hi, h1, s1, eta_is, T_gc_out, _tc_guess(par, T_evap, T_gc_out))
        st, p, R = _tc_found(tbl, st, lo, hi, h1, eta_is, T_gc_out, found, True)
    return _tc_post(st, T_evap, T_gc_out, p, E, R)


@njit_kernel
def transcritical_pair(tbl, T_evap, T_gc_out, superheat, eta_is, p_high, T_evap_b, T_gc_b, superheat_b, eta_b,
                       p_high_b, need_s3):
    """:func:`transcritical_core` for two elements, their searches run side by side
    (:func:`_tc_optimum2`) where both search: the same statuses and values as two calls
    (s_3 only where ``need_s3``)."""
    par = tbl[0]
    if p_high == p_high or p_high_b == p_high_b:  # False for NaN: both search (or are flagged)
        return (transcritical_core(tbl, T_evap, T_gc_out, superheat, eta_is, p_high),
                transcritical_core(tbl, T_evap_b, T_gc_b, superheat_b, eta_b, p_high_b))
    st, Te, Tg, ph, E = _tc_pre(tbl, T_evap, T_gc_out, superheat, eta_is, p_high)
    stb, Teb, Tgb, phb, Eb = _tc_pre(tbl, T_evap_b, T_gc_b, superheat_b, eta_b, p_high_b)
    lo, hi = _tc_bounds(par)
    found, found_b = _tc_optimum2(tbl, lo, hi, E[2], E[3], eta_is, Tg, _tc_guess(par, Te, Tg),
                                  Eb[2], Eb[3], eta_b, Tgb, _tc_guess(par, Teb, Tgb))
    st, p, R = _tc_found(tbl, st, lo, hi, E[2], eta_is, Tg, found, need_s3)
    stb, pb, Rb = _tc_found(tbl, stb, lo, hi, Eb[2], eta_b, Tgb, found_b, need_s3)
    return _tc_post(st, Te, Tg, p, E, R), _tc_post(stb, Teb, Tgb, pb, Eb, Rb)


@njit_kernel
def transcritical_range(tbl, inp, rows, res, status, lo, hi):
    """Elements lo..hi-1 of the transcritical cycle, two at a time
    (:func:`transcritical_pair`; A/B against one at a time: docs/speed-log.md), the last
    alone when their number is odd."""
    x0, x1, x2, x3, x4 = inp
    need_s3 = rows[_I_TC_S3] >= 0
    for i in range(lo, hi - 1, 2):
        (st, v), (stb, vb) = transcritical_pair(tbl, x0[i], x1[i], x2[i], x3[i], x4[i],
                                                x0[i + 1], x1[i + 1], x2[i + 1], x3[i + 1], x4[i + 1], need_s3)
        status[i] = st
        status[i + 1] = stb
        for k in range(N_TC):
            if rows[k] >= 0:
                res[rows[k], i] = v[k]
                res[rows[k], i + 1] = vb[k]
    if (hi - lo) % 2 == 1:
        i = hi - 1
        st, v = transcritical_core(tbl, x0[i], x1[i], x2[i], x3[i], x4[i])
        status[i] = st
        for k in range(N_TC):
            if rows[k] >= 0:
                res[rows[k], i] = v[k]


#: elements per task of the parallel transcritical loop
_TC_BLOCK = 256


@njit_kernel(parallel=True)
def transcritical_parallel(tbl, inp, opts, rows, res, status):
    n = inp[0].shape[0]
    for c in prange((n + _TC_BLOCK - 1) // _TC_BLOCK):
        transcritical_range(tbl, inp, rows, res, status, c * _TC_BLOCK, min(n, (c + 1) * _TC_BLOCK))


@njit_kernel
def transcritical_serial(tbl, inp, opts, rows, res, status):
    transcritical_range(tbl, inp, rows, res, status, 0, inp[0].shape[0])
