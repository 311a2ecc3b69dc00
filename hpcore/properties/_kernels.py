"""Compiled property kernels: bicubic Hermite interpolation on phase-aware tables.

This module imports only math, numpy, numba and hpcore's kernel helpers. A
table is the tuple ``tbl = (par, satx, satT, tab)`` of plain float64 arrays
described in :mod:`hpcore.properties.layout`. Each scalar core returns its
values followed by a status code; the cycle kernels call them directly.

Conventions: no extrapolation. A state outside the table returns NaN with
``OUT_OF_TABLE``; a non-finite input returns NaN with ``NONFINITE_INPUT``.
"""
import math

import numpy as np

from .._numba import njit_kernel, prange
from ..status import NONFINITE_INPUT, OK, OUT_OF_DOMAIN, OUT_OF_TABLE, UNDEFINED
from .layout import (
    P_DXU, P_K, P_NMAP, P_NT, P_NX, P_NY, P_REFINE, P_PMAX, P_PMIN, P_PTOP, P_THI, P_TMIN, P_TTOP, P_X0,
    QT_CL, QT_CV, QT_DL, QT_DV, QT_HL, QT_HV, QT_LNP, QT_SL, QT_SV,
    QX_CL, QX_CV, QX_DL, QX_DV, QX_HHI, QX_HL, QX_HLO, QX_HV, QX_SHI, QX_SL, QX_SLO, QX_SV, QX_T,
    TAB_HL, TAB_HV, TAB_SL, TAB_SV, TAB_TL, TAB_TV,
)

NAN = math.nan

# input pairs and outputs understood by the props kernels
PAIR_PT = 0
PAIR_PH = 1
PAIR_PS = 2
PAIR_PQ = 3
PAIR_TQ = 4
OUT_T = 0
OUT_P = 1
OUT_H = 2
OUT_S = 3
OUT_D = 4
OUT_Q = 5
OUT_C = 6
NOUTPUTS = 7

# relative tolerance on the position inside a grid (rounding only)
_EDGE_TOL = 1e-12


# --------------------------------------------------------------------------- 1-D


@njit_kernel
def _hermite_w(t):
    """Cubic Hermite basis at t in [0, 1]: weights of f0, d0, f1, d1."""
    t2 = t * t
    t3 = t2 * t
    return 2.0 * t3 - 3.0 * t2 + 1.0, t3 - 2.0 * t2 + t, 3.0 * t2 - 2.0 * t3, t3 - t2


@njit_kernel
def _cell(u, n):
    """Cell index and position of grid coordinate u in [0, n-1]."""
    i = int(u)
    if i > n - 2:
        i = n - 2
    if i < 0:
        i = 0
    return i, u - i


@njit_kernel
def _dot1(arr, i, q, w0, w1, w2, w3):
    return w0 * arr[i, q, 0] + w1 * arr[i, q, 1] + w2 * arr[i + 1, q, 0] + w3 * arr[i + 1, q, 1]


@njit_kernel
def xlocate(tbl, x):
    """Cell i of x = ln p on the 2-D grid, position t in it, its width h; ok flag."""
    par = tbl[0]
    xg = tbl[4]
    nx = int(par[P_NX])
    x0 = xg[0]
    xn = xg[nx - 1]
    span = xn - x0
    if not (x >= x0 - _EDGE_TOL * span and x <= xn + _EDGE_TOL * span):
        return 0, 0.0, 1.0, False
    nmap = int(par[P_NMAP])
    m = int((x - x0) / par[P_DXU])
    if m < 0:
        m = 0
    if m > nmap - 1:
        m = nmap - 1
    i = int(xg[nx + m])
    while i < nx - 2 and x >= xg[i + 1]:
        i += 1
    h = xg[i + 1] - xg[i]
    t = (x - xg[i]) / h
    if t < 0.0:
        t = 0.0
    if t > 1.0:
        t = 1.0
    return i, t, h, True


@njit_kernel
def satx_weights(tbl, i, t, h):
    """Cell and Hermite weights in the 1-D boundary table for a located x."""
    r = int(tbl[0][P_REFINE])
    u = t * r
    k = int(u)
    if k > r - 1:
        k = r - 1
    tf = u - k
    hf = h / r
    w0, w1, w2, w3 = _hermite_w(tf)
    return i * r + k, w0, w1 * hf, w2, w3 * hf


@njit_kernel
def satx_locate(tbl, x):
    """Cell and Hermite weights of x = ln p in the boundary table; ok flag."""
    i, t, h, ok = xlocate(tbl, x)
    i1, w0, w1, w2, w3 = satx_weights(tbl, i, t, h)
    return i1, w0, w1, w2, w3, ok


@njit_kernel
def satT_locate(tbl, T):
    """Cell and Hermite weights of T in the saturation table; ok flag."""
    par = tbl[0]
    tmin = par[P_TMIN]
    ttop = par[P_TTOP]
    if not (T >= tmin and T <= ttop):
        return 0, 0.0, 0.0, 0.0, 0.0, False
    nt = int(par[P_NT])
    r = (ttop - T) / (ttop - tmin)
    theta = 1.0 - math.sqrt(r)
    i, t = _cell(theta * (nt - 1), nt)
    w0, w1, w2, w3 = _hermite_w(t)
    return i, w0, w1, w2, w3, True


# --------------------------------------------------------------------------- 2-D


@njit_kernel
def _weights2(tx, hx, ty, hy):
    a0, b0, a1, b1 = _hermite_w(tx)
    c0, d0, c1, d1 = _hermite_w(ty)
    b0 *= hx
    b1 *= hx
    d0 *= hy
    d1 *= hy
    return (
        a0 * c0, b0 * c0, a0 * d0, b0 * d0,  # node (i, j)
        a0 * c1, b0 * c1, a0 * d1, b0 * d1,  # node (i, j+1)
        a1 * c0, b1 * c0, a1 * d0, b1 * d0,  # node (i+1, j)
        a1 * c1, b1 * c1, a1 * d1, b1 * d1,  # node (i+1, j+1)
    )


@njit_kernel
def _dot2(tab, it, i, j, o, w):
    n00 = tab[it, i, j, o]
    n01 = tab[it, i, j + 1, o]
    n10 = tab[it, i + 1, j, o]
    n11 = tab[it, i + 1, j + 1, o]
    return (
        w[0] * n00[0] + w[1] * n00[1] + w[2] * n00[2] + w[3] * n00[3]
        + w[4] * n01[0] + w[5] * n01[1] + w[6] * n01[2] + w[7] * n01[3]
        + w[8] * n10[0] + w[9] * n10[1] + w[10] * n10[2] + w[11] * n10[3]
        + w[12] * n11[0] + w[13] * n11[1] + w[14] * n11[2] + w[15] * n11[3]
    )


@njit_kernel
def region_locate(tbl, i, tx, hx, z, zb, ze):
    """Cell (i, j) and the 16 bicubic weights of (x, z) in a region table.

    ``i, tx, hx`` locate x (from :func:`xlocate`); ``zb`` is the input
    variable's value on the phase boundary at this pressure and ``ze`` at the
    region's far edge. Returns ``i, j, w, ok``; ``ok`` is False when z lies
    outside [zb, ze] (beyond rounding).
    """
    par = tbl[0]
    ny = int(par[P_NY])
    frac = (z - zb) / (ze - zb)
    ok = frac >= -_EDGE_TOL and frac <= 1.0 + _EDGE_TOL
    if not ok:
        frac = 0.0
    if frac < 0.0:
        frac = 0.0
    if frac > 1.0:
        frac = 1.0
    k = par[P_K]
    if k == 2.0:
        y = math.sqrt(frac)
    elif k == 1.0:
        y = frac
    else:
        y = frac ** (1.0 / k)
    j, ty = _cell(y * (ny - 1), ny)
    return i, j, _weights2(tx, hx, ty, 1.0 / (ny - 1)), ok


@njit_kernel
def region_value(tbl, it, i, j, o, w):
    """Output ``o`` of region table ``it`` at a located cell."""
    return _dot2(tbl[3], it, i, j, o, w)


# --------------------------------------------------------------------------- states


@njit_kernel
def sat_T_props(tbl, T):
    """Saturation at temperature T: p, h_l, h_v, s_l, s_v, D_l, D_v, status."""
    if not math.isfinite(T):
        return NAN, NAN, NAN, NAN, NAN, NAN, NAN, NONFINITE_INPUT
    i, w0, w1, w2, w3, ok = satT_locate(tbl, T)
    if not ok:
        return NAN, NAN, NAN, NAN, NAN, NAN, NAN, OUT_OF_TABLE
    s = tbl[2]
    return (
        math.exp(_dot1(s, i, QT_LNP, w0, w1, w2, w3)),
        _dot1(s, i, QT_HL, w0, w1, w2, w3),
        _dot1(s, i, QT_HV, w0, w1, w2, w3),
        _dot1(s, i, QT_SL, w0, w1, w2, w3),
        _dot1(s, i, QT_SV, w0, w1, w2, w3),
        _dot1(s, i, QT_DL, w0, w1, w2, w3),
        _dot1(s, i, QT_DV, w0, w1, w2, w3),
        OK,
    )


@njit_kernel
def sat_p_props(tbl, p):
    """Saturation at pressure p: T_sat, h_l, h_v, s_l, s_v, D_l, D_v, status."""
    if not math.isfinite(p):
        return NAN, NAN, NAN, NAN, NAN, NAN, NAN, NONFINITE_INPUT
    par = tbl[0]
    if not (p >= par[P_PMIN] and p < par[P_PTOP]):
        return NAN, NAN, NAN, NAN, NAN, NAN, NAN, OUT_OF_TABLE
    i, w0, w1, w2, w3, ok = satx_locate(tbl, math.log(p))
    s = tbl[1]
    return (
        _dot1(s, i, QX_T, w0, w1, w2, w3),
        _dot1(s, i, QX_HL, w0, w1, w2, w3),
        _dot1(s, i, QX_HV, w0, w1, w2, w3),
        _dot1(s, i, QX_SL, w0, w1, w2, w3),
        _dot1(s, i, QX_SV, w0, w1, w2, w3),
        _dot1(s, i, QX_DL, w0, w1, w2, w3),
        _dot1(s, i, QX_DV, w0, w1, w2, w3),
        OK,
    )


@njit_kernel
def _two_phase_out(out, q, T, p, hl, hv, sl, sv, dl, dv, cl, cv):
    if out == OUT_T:
        return T, OK
    if out == OUT_P:
        return p, OK
    if out == OUT_H:
        return hl + q * (hv - hl), OK
    if out == OUT_S:
        return sl + q * (sv - sl), OK
    if out == OUT_D:
        return 1.0 / ((1.0 - q) / dl + q / dv), OK
    if out == OUT_Q:
        return q, OK
    # cp is not defined inside the dome; on its edges it is the phase's own
    if q == 0.0:
        return cl, OK
    if q == 1.0:
        return cv, OK
    return NAN, UNDEFINED


@njit_kernel
def _table_out(tbl, it, i, j, w, out, known, p, z_in):
    """Output ``out`` from region table ``it`` whose input variable is ``known``."""
    if out == OUT_P:
        return p
    if out == OUT_Q:
        return -1.0  # single phase, as CoolProp reports it
    if out == known:
        return z_in
    # stored output order: T tables (H, S, D, C); H tables (T, S, D, C); S tables (T, H, D, C)
    if out == OUT_D:
        return region_value(tbl, it, i, j, 2, w)
    if out == OUT_C:
        return region_value(tbl, it, i, j, 3, w)
    if known == OUT_T:
        o = 0 if out == OUT_H else 1
    elif known == OUT_H:
        o = 0 if out == OUT_T else 1
    else:
        o = 0 if out == OUT_T else 1
    return region_value(tbl, it, i, j, o, w)


@njit_kernel
def props_1(tbl, pair, out, a, b):
    """One property ``out`` of the state given by input pair ``pair`` = (a, b).

    Pairs: PAIR_PT (p, T), PAIR_PH (p, h), PAIR_PS (p, s), PAIR_PQ (p, Q),
    PAIR_TQ (T, Q); outputs OUT_T ... OUT_C. Returns (value, status).
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return NAN, NONFINITE_INPUT
    par = tbl[0]
    if pair == PAIR_TQ:
        T = a
        q = b
        if not (q >= 0.0 and q <= 1.0):
            return NAN, OUT_OF_DOMAIN
        i, w0, w1, w2, w3, ok = satT_locate(tbl, T)
        if not ok:
            return NAN, OUT_OF_TABLE
        s = tbl[2]
        p = math.exp(_dot1(s, i, QT_LNP, w0, w1, w2, w3))
        if out == OUT_P:
            return p, OK
        if out == OUT_T:
            return T, OK
        if out == OUT_Q:
            return q, OK
        return _two_phase_out(
            out, q, T, p,
            _dot1(s, i, QT_HL, w0, w1, w2, w3), _dot1(s, i, QT_HV, w0, w1, w2, w3),
            _dot1(s, i, QT_SL, w0, w1, w2, w3), _dot1(s, i, QT_SV, w0, w1, w2, w3),
            _dot1(s, i, QT_DL, w0, w1, w2, w3), _dot1(s, i, QT_DV, w0, w1, w2, w3),
            _dot1(s, i, QT_CL, w0, w1, w2, w3), _dot1(s, i, QT_CV, w0, w1, w2, w3),
        )

    p = a
    if not (p >= par[P_PMIN] and p <= par[P_PMAX]):
        return NAN, OUT_OF_TABLE
    x = math.log(p)
    ix, tx, hx, ok = xlocate(tbl, x)
    if not ok:
        return NAN, OUT_OF_TABLE
    i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
    s = tbl[1]
    sub = p < par[P_PTOP]

    if pair == PAIR_PQ:
        q = b
        if not (q >= 0.0 and q <= 1.0):
            return NAN, OUT_OF_DOMAIN
        if not sub:
            return NAN, OUT_OF_TABLE
        if out == OUT_Q:
            return q, OK
        return _two_phase_out(
            out, q, _dot1(s, i1, QX_T, w0, w1, w2, w3), p,
            _dot1(s, i1, QX_HL, w0, w1, w2, w3), _dot1(s, i1, QX_HV, w0, w1, w2, w3),
            _dot1(s, i1, QX_SL, w0, w1, w2, w3), _dot1(s, i1, QX_SV, w0, w1, w2, w3),
            _dot1(s, i1, QX_DL, w0, w1, w2, w3), _dot1(s, i1, QX_DV, w0, w1, w2, w3),
            _dot1(s, i1, QX_CL, w0, w1, w2, w3), _dot1(s, i1, QX_CV, w0, w1, w2, w3),
        )

    if pair == PAIR_PT:
        T = b
        Tb = _dot1(s, i1, QX_T, w0, w1, w2, w3)
        if T < Tb:
            it = TAB_TL
            ze = par[P_TMIN]
        elif T > Tb or not sub:
            it = TAB_TV
            ze = par[P_THI]
        else:
            return NAN, UNDEFINED  # exactly on the saturation line: (p, T) does not fix the state
        i, j, w, ok = region_locate(tbl, ix, tx, hx, T, Tb, ze)
        if not ok:
            return NAN, OUT_OF_TABLE
        return _table_out(tbl, it, i, j, w, out, OUT_T, p, T), OK

    if pair == PAIR_PH:
        qb_l, qb_v, qe_l, qe_v, itl, itv, known = QX_HL, QX_HV, QX_HLO, QX_HHI, TAB_HL, TAB_HV, OUT_H
    elif pair == PAIR_PS:
        qb_l, qb_v, qe_l, qe_v, itl, itv, known = QX_SL, QX_SV, QX_SLO, QX_SHI, TAB_SL, TAB_SV, OUT_S
    else:
        return NAN, OUT_OF_DOMAIN
    z = b
    zl = _dot1(s, i1, qb_l, w0, w1, w2, w3)
    zv = _dot1(s, i1, qb_v, w0, w1, w2, w3)
    if z < zl:
        i, j, w, ok = region_locate(tbl, ix, tx, hx, z, zl, _dot1(s, i1, qe_l, w0, w1, w2, w3))
        if not ok:
            return NAN, OUT_OF_TABLE
        return _table_out(tbl, itl, i, j, w, out, known, p, z), OK
    if z > zv or not sub:
        i, j, w, ok = region_locate(tbl, ix, tx, hx, z, zv, _dot1(s, i1, qe_v, w0, w1, w2, w3))
        if not ok:
            return NAN, OUT_OF_TABLE
        return _table_out(tbl, itv, i, j, w, out, known, p, z), OK
    # two-phase
    q = (z - zl) / (zv - zl)
    return _two_phase_out(
        out, q, _dot1(s, i1, QX_T, w0, w1, w2, w3), p,
        _dot1(s, i1, QX_HL, w0, w1, w2, w3), _dot1(s, i1, QX_HV, w0, w1, w2, w3),
        _dot1(s, i1, QX_SL, w0, w1, w2, w3), _dot1(s, i1, QX_SV, w0, w1, w2, w3),
        _dot1(s, i1, QX_DL, w0, w1, w2, w3), _dot1(s, i1, QX_DV, w0, w1, w2, w3),
        _dot1(s, i1, QX_CL, w0, w1, w2, w3), _dot1(s, i1, QX_CV, w0, w1, w2, w3),
    )


@njit_kernel(parallel=True)
def props_parallel(tbl, pair, out, a, b, res, status):
    for k in prange(a.shape[0]):
        res[k], status[k] = props_1(tbl, pair, out, a[k], b[k])


@njit_kernel
def props_serial(tbl, pair, out, a, b, res, status):
    for k in range(a.shape[0]):
        res[k], status[k] = props_1(tbl, pair, out, a[k], b[k])


# --------------------------------------------------------------------------- cycle helpers
# Single-phase states whose side of the boundary is known (the cycle kernels
# know it from the cycle's layout), with the boundary value given exactly.


@njit_kernel
def vapour_pT(tbl, p, T, T_sat):
    """h, s, D of vapour (or supercritical fluid above the boundary) at (p, T).

    ``T_sat``: boundary temperature at p (the dew point for subcritical p),
    NaN to look it up. Returns h, s, D, status.
    """
    par = tbl[0]
    if not (p >= par[P_PMIN] and p <= par[P_PMAX]):
        return NAN, NAN, NAN, OUT_OF_TABLE
    ix, tx, hx, ok = xlocate(tbl, math.log(p))
    if not math.isfinite(T_sat):
        i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
        T_sat = _dot1(tbl[1], i1, QX_T, w0, w1, w2, w3)
    i, j, w, ok = region_locate(tbl, ix, tx, hx, T, T_sat, par[P_THI])
    if not ok:
        return NAN, NAN, NAN, OUT_OF_TABLE
    return region_value(tbl, TAB_TV, i, j, 0, w), region_value(tbl, TAB_TV, i, j, 1, w), region_value(tbl, TAB_TV, i, j, 2, w), OK


@njit_kernel
def liquid_pT(tbl, p, T, T_sat):
    """h, s, D of compressed liquid at (p, T); ``T_sat`` the bubble point at p or NaN."""
    par = tbl[0]
    if not (p >= par[P_PMIN] and p <= par[P_PMAX]):
        return NAN, NAN, NAN, OUT_OF_TABLE
    ix, tx, hx, ok = xlocate(tbl, math.log(p))
    if not math.isfinite(T_sat):
        i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
        T_sat = _dot1(tbl[1], i1, QX_T, w0, w1, w2, w3)
    i, j, w, ok = region_locate(tbl, ix, tx, hx, T, T_sat, par[P_TMIN])
    if not ok:
        return NAN, NAN, NAN, OUT_OF_TABLE
    return region_value(tbl, TAB_TL, i, j, 0, w), region_value(tbl, TAB_TL, i, j, 1, w), region_value(tbl, TAB_TL, i, j, 2, w), OK


@njit_kernel
def state_ph(tbl, p, h):
    """T, s, D, quality at (p, h) in any phase (quality -1 outside the dome), status."""
    if not (math.isfinite(p) and math.isfinite(h)):
        return NAN, NAN, NAN, NAN, NONFINITE_INPUT
    par = tbl[0]
    if not (p >= par[P_PMIN] and p <= par[P_PMAX]):
        return NAN, NAN, NAN, NAN, OUT_OF_TABLE
    x = math.log(p)
    ix, tx, hx, ok = xlocate(tbl, x)
    i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
    s = tbl[1]
    hl = _dot1(s, i1, QX_HL, w0, w1, w2, w3)
    hv = _dot1(s, i1, QX_HV, w0, w1, w2, w3)
    if h < hl:
        i, j, w, ok = region_locate(tbl, ix, tx, hx, h, hl, _dot1(s, i1, QX_HLO, w0, w1, w2, w3))
        it = TAB_HL
    elif h > hv or p >= par[P_PTOP]:
        i, j, w, ok = region_locate(tbl, ix, tx, hx, h, hv, _dot1(s, i1, QX_HHI, w0, w1, w2, w3))
        it = TAB_HV
    else:
        q = (h - hl) / (hv - hl)
        dl = _dot1(s, i1, QX_DL, w0, w1, w2, w3)
        dv = _dot1(s, i1, QX_DV, w0, w1, w2, w3)
        sl = _dot1(s, i1, QX_SL, w0, w1, w2, w3)
        sv = _dot1(s, i1, QX_SV, w0, w1, w2, w3)
        return _dot1(s, i1, QX_T, w0, w1, w2, w3), sl + q * (sv - sl), 1.0 / ((1.0 - q) / dl + q / dv), q, OK
    if not ok:
        return NAN, NAN, NAN, NAN, OUT_OF_TABLE
    return region_value(tbl, it, i, j, 0, w), region_value(tbl, it, i, j, 1, w), region_value(tbl, it, i, j, 2, w), -1.0, OK


@njit_kernel
def h_ps(tbl, p, s_in):
    """h at (p, s) in any phase, and status."""
    if not (math.isfinite(p) and math.isfinite(s_in)):
        return NAN, NONFINITE_INPUT
    par = tbl[0]
    if not (p >= par[P_PMIN] and p <= par[P_PMAX]):
        return NAN, OUT_OF_TABLE
    x = math.log(p)
    ix, tx, hx, ok = xlocate(tbl, x)
    i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
    s = tbl[1]
    sl = _dot1(s, i1, QX_SL, w0, w1, w2, w3)
    sv = _dot1(s, i1, QX_SV, w0, w1, w2, w3)
    if s_in > sv or p >= par[P_PTOP]:
        if s_in < sl:  # supercritical, liquid-like side
            i, j, w, ok = region_locate(tbl, ix, tx, hx, s_in, sl, _dot1(s, i1, QX_SLO, w0, w1, w2, w3))
            it = TAB_SL
        else:
            i, j, w, ok = region_locate(tbl, ix, tx, hx, s_in, sv, _dot1(s, i1, QX_SHI, w0, w1, w2, w3))
            it = TAB_SV
    elif s_in < sl:
        i, j, w, ok = region_locate(tbl, ix, tx, hx, s_in, sl, _dot1(s, i1, QX_SLO, w0, w1, w2, w3))
        it = TAB_SL
    else:
        q = (s_in - sl) / (sv - sl)
        hl = _dot1(s, i1, QX_HL, w0, w1, w2, w3)
        return hl + q * (_dot1(s, i1, QX_HV, w0, w1, w2, w3) - hl), OK
    if not ok:
        return NAN, OUT_OF_TABLE
    return region_value(tbl, it, i, j, 1, w), OK


@njit_kernel
def boundary_x(tbl, x, q):
    """Quantity ``q`` (QX_*) of the boundary table at x = ln p (x assumed in range)."""
    ix, tx, hx, ok = xlocate(tbl, x)
    i1, w0, w1, w2, w3 = satx_weights(tbl, ix, tx, hx)
    return _dot1(tbl[1], i1, q, w0, w1, w2, w3)
