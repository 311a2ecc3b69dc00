"""Compiled property kernels: bicubic Hermite interpolation on phase-aware tables.

This module imports only math, numpy, numba and hpcore's kernel helpers. A
table reaches the kernels as the tuple ``tbl = (par, satx, satT, tab, xg)``
of plain contiguous float64 arrays, the last four flattened (1-D) so that
every read is a single computed offset (see :mod:`hpcore.properties.layout`
for their logical shapes). ``tab`` is reordered on loading from the file's
[table, x, y, output, 4] to [table, output, x, y, 4] (:func:`kernel_tab`):
one output at two neighbouring nodes is then 64 contiguous bytes, so a
look-up touches about half the cache lines it did (a (p, T) look-up over the
whole table: 1.2-1.3x faster).

Numba notes: the small helpers (locating, weights, reads) are inlined at numba's
IR level (``inline="always"``): a call passes the table tuple as about 35
machine words, and inlining them halved the time of a (p, T) look-up
(300 -> 130 ns, one core). With several ``return`` statements of long tuples,
numba 0.68 generated code about three times slower for the same arithmetic
(measured on ``ploc``: 41 vs 150 ns a call), so the functions returning long
tuples have a single ``return`` and their branches set variables and fall
through. ``props_1`` and its small helpers still return (value, status) pairs
early; that form has not been measured against a single-return one.

The state functions (``sat_T_props`` ... ``ps_h``) are inlined into their
callers too: a cycle kernel calls them about ten times per element, and the
argument passing (the table tuple) cost a fifth of a basic cycle (measured
1.27x faster inlined, same compile time). The cycle kernels' own helpers are
not inlined: that gained another 1.14x but doubled or tripled compile times.
``props_1`` and its output selectors are inlined into the ``props`` loops
(1.15-1.3x per look-up).

Pattern: locate a pressure once (:func:`ploc`), then read boundary values
(:func:`bq`) and region-table values (:func:`rloc`, :func:`rval`) with the
same weights. Scalar cores return their values followed by a status code.

No extrapolation: a state outside the table returns NaN with
``OUT_OF_TABLE``; a non-finite input returns NaN with ``NONFINITE_INPUT``.
"""
import math

import numpy as np
from llvmlite import ir as llvm_ir
from numba.core import types
from numba.extending import intrinsic

from .._numba import fma, njit_kernel, prange
from ..status import NONFINITE_INPUT, OK, OUT_OF_DOMAIN, OUT_OF_TABLE, UNDEFINED
from .layout import (
    BITS_REC, BQ_C, BQ_D, BQ_H, BQ_S, BQ_T, P_BKEY0, P_BOFF, P_BSCALE, P_BSHIFT,
    FINE_REC, FINE_TDEW, NOUT, NQT, NQX, P_FINE, P_FMAP, P_KEY0, P_KSHIFT, P_PURE, P_ITSPAN, P_K, P_NT, P_NX, P_NY, P_PMAX, P_PMIN, P_PTOP, P_REFINE, P_THI, P_TMIN, P_TTOP,
    QT_CL, QT_CV, QT_DL, QT_DV, QT_HL, QT_HV, QT_LNP, QT_SL, QT_SV,
    QT_LNPB, QX_CL, QX_CV, QX_DL, QX_DV, QX_HHI, QX_HL, QX_HLO, QX_HV, QX_SHI, QX_SL, QX_SLO, QX_SV, QX_T, QX_TBUB,
    TAB_HL, TAB_HV, TAB_SL, TAB_SV, TAB_TL, TAB_TV,
)

NAN = math.nan

# input pairs and outputs understood by props_1
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

_SX = 2 * NQX  # stride of one node in satx
_ST = 2 * NQT  # stride of one node in satT
# relative tolerance on positions at the edges of a grid (rounding only)
_EDGE_TOL = 1e-12
_THIRD = 1.0 / 3.0


# --------------------------------------------------------------------------- 1-D


@njit_kernel(inline="always")
def _hermite_w(t):
    """Cubic Hermite basis at t in [0, 1]: weights of f0, d0, f1, d1."""
    t2 = t * t
    t3 = t2 * t
    return 2.0 * t3 - 3.0 * t2 + 1.0, t3 - 2.0 * t2 + t, 3.0 * t2 - 2.0 * t3, t3 - t2


@njit_kernel(inline="always")
def _hermite_dw(t):
    """Derivatives in t of the cubic Hermite basis (:func:`_hermite_w`)."""
    t2 = t * t
    return 6.0 * (t2 - t), 3.0 * t2 - 4.0 * t + 1.0, 6.0 * (t - t2), 3.0 * t2 - 2.0 * t


@njit_kernel(inline="always")
def _d1(a, b, stride, w0, w1, w2, w3):
    v = a[b:b + stride + 2]  # constant offsets below: no negative-index fix-ups per read
    return fma(w0, v[0], w1 * v[1]) + fma(w2, v[stride], w3 * v[stride + 1])


@njit_kernel(inline="always")
def satT_loc(tbl, T):
    """Locate T in the saturation table: (offset, w0, w1, w2, w3, ok).

    The table is uniform in theta, T = T_top - (T_top - T_min) (1 - theta)**2,
    and stores derivatives per grid step.
    """
    par = tbl[0]
    tmin = par[P_TMIN]
    ttop = par[P_TTOP]
    ok = T >= tmin and T <= ttop
    Tc = T if ok else tmin
    nt = int(par[P_NT])
    u = (1.0 - math.sqrt((ttop - Tc) * par[P_ITSPAN])) * (nt - 1)
    i = int(u)
    if i > nt - 2:
        i = nt - 2
    w0, w1, w2, w3 = _hermite_w(u - i)
    return i * _ST, w0, w1, w2, w3, ok


@njit_kernel(inline="always")
def satT_q(tbl, L, q):
    """Quantity ``q`` (QT_*) at a located temperature ``L``."""
    return _d1(tbl[2], L[0] + 2 * q, _ST, L[1], L[2], L[3], L[4])


@intrinsic
def _f64_bits(typingctx, x):
    """The IEEE 754 bit pattern of a float64, as an int64 (a register move)."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], llvm_ir.IntType(64))

    return types.int64(types.float64), codegen


@njit_kernel(inline="always")
def ploc(tbl, p):
    """Locate pressure p once for every later read at that pressure.

    Returns the tuple PL = (p, i, t, h, b, w0, w1, w2, w3, ok, T_dew, v, dv): p (p_min
    when outside the table), the 2-D cell (i, position t, width h in ln p), the
    offset and weights in the 1-D boundary table, ``ok`` (False outside [p_min,
    p_max]), the dew temperature (the boundary's QX_T, from the fine-cell
    record: equal to ``bq(tbl, PL, QX_T)`` but for rounding), and the position v in
    the boundary table's fine cell with its derivative in ln p (for :func:`bq_dlnp`).

    No logarithm: the exponent and top mantissa bits of p index a map to the
    fine (1-D boundary) cell and the pressure where the next cell starts; one
    comparison corrects it (each bin of the map is narrower than a fine cell).
    ln(p / p_f) = ln(1 + d), with d = p / p_f - 1 < 0.005, is its series to
    d**5 (error below 2e-15, as small as the rounding of ln p itself near
    1e7 Pa). A call to ``log`` made LLVM save and restore every live register
    around it; without it a look-up is 1.1-1.2x faster.
    """
    par = tbl[0]
    xg = tbl[4]
    inside = p >= par[P_PMIN] and p <= par[P_PMAX]
    pc = p if inside else par[P_PMIN]
    r = int(par[P_REFINE])
    # unsigned offsets: numba then skips its negative-index fix-ups (shorter chains)
    e = np.uint64(int(par[P_FMAP]) + 2 * ((_f64_bits(pc) >> int(par[P_KSHIFT])) - int(par[P_KEY0])))
    f = int(xg[e]) + (1 if pc >= xg[e + np.uint64(1)] else 0)
    c = np.uint64(int(par[P_FINE]) + f * FINE_REC)
    d = pc * xg[c + np.uint64(1)] - 1.0
    d2 = d * d
    # Estrin's form: a shorter dependency chain than Horner's (1.1-1.2x on a look-up)
    ln = d * (1.0 - 0.5 * d) + (d2 * d) * ((_THIRD - 0.25 * d) + 0.2 * d2)
    v = ln * xg[c + np.uint64(2)]
    if v < 0.0:
        v = 0.0
    if v > 1.0:
        v = 1.0
    i = int(xg[c + np.uint64(3)])
    t = ((f - i * r) + v) * (1.0 / r)
    h = xg[i + 1] - xg[i]
    hf = h * (1.0 / r)
    w0, w1, w2, w3 = _hermite_w(v)
    # the dew point from the record's cubic (its line is already loaded); callers
    # that do not use it lose nothing, the function being inlined
    td = xg[c + np.uint64(FINE_TDEW):c + np.uint64(FINE_TDEW + 4)]
    T_dew = fma(v * v, fma(v, td[3], td[2]), fma(v, td[1], td[0]))
    return pc, i, t, h, f * _SX, w0, w1 * hf, w2, w3 * hf, inside, T_dew, v, xg[c + np.uint64(2)]


@njit_kernel(inline="always")
def bq(tbl, PL, q):
    """Boundary quantity ``q`` (QX_*) at a located pressure."""
    return _d1(tbl[1], PL[4] + 2 * q, _SX, PL[5], PL[6], PL[7], PL[8])


@njit_kernel(inline="always")
def bubble_T(tbl, PL, T_dew):
    """Bubble temperature at a located pressure whose dew point ``T_dew`` the caller has.

    For a pure fluid the two are the same state (``P_PURE``, set when the table
    is loaded), and the read is skipped (measured 1.02x on a (p, T) look-up: within noise).
    """
    return T_dew if tbl[0][P_PURE] != 0.0 else bq(tbl, PL, QX_TBUB)


@njit_kernel(inline="always")
def bq_dlnp(tbl, PL, q):
    """The derivative in ln p of boundary quantity ``q`` (QX_*) at a located pressure: that
    of the Hermite cubic :func:`bq` evaluates."""
    a, b, c, d = _hermite_dw(PL[11])
    dv = PL[12]
    return _d1(tbl[1], PL[4] + 2 * q, _SX, a * dv, b, c * dv, d)


@njit_kernel
def boundary_values(tbl, p, out):
    """Every boundary quantity (QX_*) at each pressure of ``p`` into ``out[n, NQX]``.

    The reference the saturation cubics are fitted to and checked against on
    loading (``tables.kernel_arrays``); p inside the table.
    """
    for k in range(p.shape[0]):
        PL = ploc(tbl, p[k])
        for q in range(NQX):
            out[k, q] = bq(tbl, PL, q)


@njit_kernel(inline="always")
def bits_loc(tbl, p):
    """Locate p among the saturation cubics: (offset of its cell in xg, t in [0, 1)).

    p must lie in [p_min, P_PTOP]. The cell is read off p's bit pattern and t
    is its low bits, exactly linear in p inside the cell (see layout).
    """
    par = tbl[0]
    shift = int(par[P_BSHIFT])
    u = _f64_bits(p) - int(par[P_BKEY0])
    t = float(u & ((1 << shift) - 1)) * par[P_BSCALE]
    return np.uint64(int(par[P_BOFF]) + (u >> shift) * BITS_REC), t


@njit_kernel(inline="always")
def bits_pair(tbl, off, t, j):
    """Pair ``j`` (BQ_*) of saturation quantities at a located cell: (liquid side, vapour side)."""
    c = tbl[4][off + np.uint64(8 * j):off + np.uint64(8 * j + 8)]
    t2 = t * t
    return (fma(t2, fma(t, c[3], c[2]), fma(t, c[1], c[0])),
            fma(t2, fma(t, c[7], c[6]), fma(t, c[5], c[4])))


# --------------------------------------------------------------------------- 2-D


@njit_kernel(inline="always")
def _ycell(par, ny, frac):
    """The table coordinate y = frac**(1/k) of a boundary-to-edge fraction, its position
    v = y (ny - 1) in cells and the cell j (the last one for y = 1)."""
    k = par[P_K]
    if k == 2.0:
        y = math.sqrt(frac)
    elif k == 1.0:
        y = frac
    else:
        y = frac ** (1.0 / k)
    v = y * (ny - 1)
    j = int(v)
    if j > ny - 2:
        j = ny - 2
    return y, v, j


@njit_kernel(inline="always")
def rloc(tbl, PL, it, z, zb, ze):
    """Locate (p, z) in region table ``it``; returns R = (base, row_stride, wx, wy, ok, output_stride).

    ``zb``: the input variable on the phase boundary at this pressure; ``ze``
    at the region's far edge. ``ok`` is False when z lies outside [zb, ze]
    beyond rounding. ``wx`` and ``wy`` hold the Hermite weights in x and y
    (value, derivative, value, derivative; derivative weights scaled by the
    cell sizes).
    """
    par = tbl[0]
    nx = int(par[P_NX])
    ny = int(par[P_NY])
    frac = (z - zb) / (ze - zb)
    ok = frac >= -_EDGE_TOL and frac <= 1.0 + _EDGE_TOL
    if not (frac > 0.0):
        frac = 0.0
    if frac > 1.0:
        frac = 1.0
    y, v, j = _ycell(par, ny, frac)
    hy = 1.0 / (ny - 1)
    hx = PL[3]
    a0, b0, a1, b1 = _hermite_w(PL[2])
    c0, d0, c1, d1 = _hermite_w(v - j)
    rs = ny * 4
    base = ((it * NOUT * nx + PL[1]) * ny + j) * 4
    return base, rs, (a0, b0 * hx, a1, b1 * hx), (c0, d0 * hy, c1, d1 * hy), ok and PL[9], nx * rs


@njit_kernel(inline="always")
def rval(tbl, R, o):
    """Output ``o`` (0..3, see layout.OUTPUTS_BY_INPUT) at a located region cell.

    Interpolates along y at both x nodes first (value and x-derivative), then
    along x; sums are paired so that the dependency chains stay short (the
    kernels run without fastmath, so the compiler keeps the order written).
    """
    a = tbl[3]
    b = R[0] + o * R[5]  # node (i, j): f, fx, fy, fxy; then node (i, j+1)
    c = b + R[1]  # node (i+1, j)
    # views at the two node pairs (64 bytes each), read at constant offsets
    # (no negative-index fix-ups)
    u = a[b:b + 8]
    v = a[c:c + 8]
    wx = R[2]
    wy = R[3]
    c0, d0, c1, d1 = wy[0], wy[1], wy[2], wy[3]
    f0 = fma(c0, u[0], d0 * u[2]) + fma(c1, u[4], d1 * u[6])
    g0 = fma(c0, u[1], d0 * u[3]) + fma(c1, u[5], d1 * u[7])
    f1 = fma(c0, v[0], d0 * v[2]) + fma(c1, v[4], d1 * v[6])
    g1 = fma(c0, v[1], d0 * v[3]) + fma(c1, v[5], d1 * v[7])
    return fma(wx[0], f0, wx[1] * g0) + fma(wx[2], f1, wx[3] * g1)


@njit_kernel(inline="always")
def rval_dlnp(tbl, PL, R, o, z, zb, ze, dzb, dze):
    """The derivative in ln p at constant z of output ``o`` at a region cell located by
    ``rloc(tbl, PL, it, z, zb, ze)``: that of the interpolant :func:`rval` evaluates.
    ``dzb``, ``dze``: the derivatives in ln p of the boundary value zb and the far edge ze.

    Along x = ln p at constant z the table's coordinate y = frac**(1/k), frac =
    (z - zb) / (ze - zb), moves with zb and ze: d/dx = F_x + F_y dy/dx, dy/dx =
    (y / (k frac)) dfrac/dx = y (-zb' (ze - z) - (z - zb) ze') / (k (z - zb) (ze - zb)).
    NaN on the boundary itself (z = zb, where y's derivative is infinite) and where R
    does not hold z.
    """
    par = tbl[0]
    ihx = 1.0 / PL[3]
    a0, b0, a1, b1 = _hermite_dw(PL[2])
    fx = rval(tbl, (R[0], R[1], (a0 * ihx, b0, a1 * ihx, b1), R[3], R[4], R[5]), o)
    ny = int(par[P_NY])
    den = ze - zb
    dz = z - zb
    frac = dz / den
    y, v, j = _ycell(par, ny, frac)
    c0, d0, c1, d1 = _hermite_dw(v - j)
    iy = float(ny - 1)  # 1 / (the cell's height in y)
    fy = rval(tbl, (R[0], R[1], R[2], (c0 * iy, d0, c1 * iy, d1), R[4], R[5]), o)
    dy = y * (-dzb * (ze - z) - dz * dze) / (par[P_K] * dz * den)
    bad = 0.0 if (R[4] and frac > 0.0) else NAN
    return fx + fy * dy + bad


# --------------------------------------------------------------------------- states for the cycle kernels


@njit_kernel(inline="always")
def sat_T_props(tbl, T):
    """Saturation at temperature T: p, h_l, h_v, s_l, s_v, D_l, D_v, status."""
    L = satT_loc(tbl, T)
    st = OK
    bad = 0.0
    if not L[5]:
        st = NONFINITE_INPUT if not math.isfinite(T) else OUT_OF_TABLE
        bad = NAN
    return (
        math.exp(satT_q(tbl, L, QT_LNP)) + bad,
        satT_q(tbl, L, QT_HL) + bad, satT_q(tbl, L, QT_HV) + bad,
        satT_q(tbl, L, QT_SL) + bad, satT_q(tbl, L, QT_SV) + bad,
        satT_q(tbl, L, QT_DL) + bad, satT_q(tbl, L, QT_DV) + bad,
        st,
    )


@njit_kernel(inline="always")
def sat_p_props(tbl, p):
    """Saturation at pressure p: T_sat, h_l, h_v, s_l, s_v, D_l, D_v, status."""
    PL = ploc(tbl, p)
    st = OK
    bad = 0.0
    if not math.isfinite(p):
        st = NONFINITE_INPUT
        bad = NAN
    elif not (PL[9] and p < tbl[0][P_PTOP]):
        st = OUT_OF_TABLE
        bad = NAN
    return (
        bq(tbl, PL, QX_T) + bad, bq(tbl, PL, QX_HL) + bad, bq(tbl, PL, QX_HV) + bad, bq(tbl, PL, QX_SL) + bad,
        bq(tbl, PL, QX_SV) + bad, bq(tbl, PL, QX_DL) + bad, bq(tbl, PL, QX_DV) + bad, st,
    )


@njit_kernel(inline="always")
def vapour_T(tbl, PL, T, T_b):
    """h, s, D of vapour (or fluid above the boundary) at a located pressure and T.

    ``T_b``: the boundary temperature at this pressure (the dew point below
    the critical pressure) when the caller knows it exactly, else NaN.
    """
    if not math.isfinite(T_b):
        T_b = bq(tbl, PL, QX_T)
    R = rloc(tbl, PL, TAB_TV, T, T_b, tbl[0][P_THI])
    bad = 0.0 if R[4] else NAN
    return rval(tbl, R, 0) + bad, rval(tbl, R, 1) + bad, rval(tbl, R, 2) + bad, OK if R[4] else OUT_OF_TABLE


@njit_kernel(inline="always")
def liquid_T(tbl, PL, T, T_b):
    """h, s, D of liquid at a located pressure and T; ``T_b`` the bubble point or NaN."""
    if not math.isfinite(T_b):
        T_b = bq(tbl, PL, QX_TBUB)
    R = rloc(tbl, PL, TAB_TL, T, T_b, tbl[0][P_TMIN])
    bad = 0.0 if R[4] else NAN
    return rval(tbl, R, 0) + bad, rval(tbl, R, 1) + bad, rval(tbl, R, 2) + bad, OK if R[4] else OUT_OF_TABLE


@njit_kernel(inline="always")
def ph_state(tbl, PL, h):
    """T, s, D, quality (-1 outside the dome), status at a located pressure and h."""
    hl = bq(tbl, PL, QX_HL)
    hv = bq(tbl, PL, QX_HV)
    sub = PL[0] < tbl[0][P_PTOP]
    if h < hl or h > hv or not sub:
        if h < hl:
            R = rloc(tbl, PL, TAB_HL, h, hl, bq(tbl, PL, QX_HLO))
        else:
            R = rloc(tbl, PL, TAB_HV, h, hv, bq(tbl, PL, QX_HHI))
        bad = 0.0 if R[4] else NAN
        T = rval(tbl, R, 0) + bad
        s = rval(tbl, R, 1) + bad
        d = rval(tbl, R, 2) + bad
        q = -1.0
        st = OK if R[4] else OUT_OF_TABLE
    else:
        q = (h - hl) / (hv - hl)
        sl = bq(tbl, PL, QX_SL)
        dl = bq(tbl, PL, QX_DL)
        dv = bq(tbl, PL, QX_DV)
        bad = 0.0 if PL[9] else NAN
        Tdew = bq(tbl, PL, QX_T)
        Tbub = bubble_T(tbl, PL, Tdew)
        T = Tbub + q * (Tdew - Tbub) + bad
        s = sl + q * (bq(tbl, PL, QX_SV) - sl) + bad
        d = 1.0 / ((1.0 - q) / dl + q / dv) + bad
        st = OK if PL[9] else OUT_OF_TABLE
    return T, s, d, q, st


@njit_kernel(inline="always")
def _ps_h_dome(tbl, PL, s, sl, sv):
    """h, status at a located pressure and an entropy s in [sl, sv] (the dome's)."""
    hl = bq(tbl, PL, QX_HL)
    hv = bq(tbl, PL, QX_HV)
    # above the critical pressure sl == sv: on the boundary itself
    q = (s - sl) / (sv - sl) if sv > sl else 1.0
    h = hl + q * (hv - hl) if PL[9] else NAN
    st = OK if PL[9] else OUT_OF_TABLE
    return h, st


@njit_kernel(inline="always")
def ps_h(tbl, PL, s):
    """h at a located pressure and entropy s (any phase), status."""
    sl = bq(tbl, PL, QX_SL)
    sv = bq(tbl, PL, QX_SV)
    if s > sv or s < sl:
        if s > sv:
            R = rloc(tbl, PL, TAB_SV, s, sv, bq(tbl, PL, QX_SHI))
        else:
            R = rloc(tbl, PL, TAB_SL, s, sl, bq(tbl, PL, QX_SLO))
        h = rval(tbl, R, 1) if R[4] else NAN
        st = OK if R[4] else OUT_OF_TABLE
    else:
        h, st = _ps_h_dome(tbl, PL, s, sl, sv)
    return h, st


@njit_kernel(inline="always")
def ps_h_dlnp(tbl, PL, s):
    """:func:`ps_h` (the same h) with its derivative in ln p at constant s: h, dh/dln p,
    status. The derivative is that of the interpolant, in either single phase; NaN inside
    the dome and on its boundary."""
    sl = bq(tbl, PL, QX_SL)
    sv = bq(tbl, PL, QX_SV)
    if s > sv or s < sl:
        if s > sv:
            zb, ze, it = sv, bq(tbl, PL, QX_SHI), TAB_SV
            dzb, dze = bq_dlnp(tbl, PL, QX_SV), bq_dlnp(tbl, PL, QX_SHI)
        else:
            zb, ze, it = sl, bq(tbl, PL, QX_SLO), TAB_SL
            dzb, dze = bq_dlnp(tbl, PL, QX_SL), bq_dlnp(tbl, PL, QX_SLO)
        R = rloc(tbl, PL, it, s, zb, ze)
        h = rval(tbl, R, 1) if R[4] else NAN
        dh = rval_dlnp(tbl, PL, R, 1, s, zb, ze, dzb, dze)
        st = OK if R[4] else OUT_OF_TABLE
    else:
        h, st = _ps_h_dome(tbl, PL, s, sl, sv)
        dh = NAN
    return h, dh, st


# pressure-argument conveniences (one look-up each)


@njit_kernel
def vapour_pT(tbl, p, T, T_b):
    """h, s, D, status of vapour at (p, T); ``T_b`` the dew point at p or NaN."""
    return vapour_T(tbl, ploc(tbl, p), T, T_b)


@njit_kernel
def liquid_pT(tbl, p, T, T_b):
    """h, s, D, status of liquid at (p, T); ``T_b`` the bubble point at p or NaN."""
    return liquid_T(tbl, ploc(tbl, p), T, T_b)


@njit_kernel
def state_ph(tbl, p, h):
    """T, s, D, quality (-1 outside the dome), status at (p, h)."""
    T, s, d, q, st = ph_state(tbl, ploc(tbl, p), h)
    if not (math.isfinite(p) and math.isfinite(h)):
        st = NONFINITE_INPUT
        T = s = d = q = NAN
    return T, s, d, q, st


@njit_kernel
def h_ps(tbl, p, s):
    """h, status at (p, s)."""
    h, st = ps_h(tbl, ploc(tbl, p), s)
    if not (math.isfinite(p) and math.isfinite(s)):
        st = NONFINITE_INPUT
        h = NAN
    return h, st


# --------------------------------------------------------------------------- props


@njit_kernel(inline="always")
def _sat_T_out(tbl, L, out, q, T):
    """Output ``out`` of the two-phase state of quality q at a located temperature T."""
    if out == OUT_T:
        v = T
    elif out == OUT_Q:
        v = q
    elif out == OUT_P:
        # dew pressure at q = 1, bubble pressure at q = 0 (equal for pure fluids)
        lb = satT_q(tbl, L, QT_LNPB)
        v = math.exp(lb + q * (satT_q(tbl, L, QT_LNP) - lb))
    elif out == OUT_H:
        v = _mix(q, satT_q(tbl, L, QT_HL), satT_q(tbl, L, QT_HV))
    elif out == OUT_S:
        v = _mix(q, satT_q(tbl, L, QT_SL), satT_q(tbl, L, QT_SV))
    elif out == OUT_D:
        v = 1.0 / ((1.0 - q) / satT_q(tbl, L, QT_DL) + q / satT_q(tbl, L, QT_DV))
    else:
        v = _cp_edge(q, satT_q(tbl, L, QT_CL), satT_q(tbl, L, QT_CV))
    return v, OK if v == v or out != OUT_C else UNDEFINED


@njit_kernel(inline="always")
def _sat_p_out(tbl, PL, out, q, p):
    """Output ``out`` of the two-phase state of quality q at a located pressure p."""
    if out == OUT_P:
        v = p
    elif out == OUT_Q:
        v = q
    elif out == OUT_T:
        td = bq(tbl, PL, QX_T)
        tb = bubble_T(tbl, PL, td)
        v = tb + q * (td - tb)
    elif out == OUT_H:
        v = _mix(q, bq(tbl, PL, QX_HL), bq(tbl, PL, QX_HV))
    elif out == OUT_S:
        v = _mix(q, bq(tbl, PL, QX_SL), bq(tbl, PL, QX_SV))
    elif out == OUT_D:
        v = 1.0 / ((1.0 - q) / bq(tbl, PL, QX_DL) + q / bq(tbl, PL, QX_DV))
    else:
        v = _cp_edge(q, bq(tbl, PL, QX_CL), bq(tbl, PL, QX_CV))
    return v, OK if v == v or out != OUT_C else UNDEFINED


@njit_kernel(inline="always")
def _sat_bits_out(tbl, out, q, p):
    """Output ``out`` of the two-phase state of quality q at pressure p, from the
    saturation cubics; NaN where they hold none (the caller then takes the boundary
    table's path, :func:`_sat_p_out`). p in [p_min, P_PTOP)."""
    off, t = bits_loc(tbl, p)
    if out == OUT_P:
        v = p
    elif out == OUT_Q:
        v = q
    elif out == OUT_T:
        tb, td = bits_pair(tbl, off, t, BQ_T)
        v = tb + q * (td - tb)
    elif out == OUT_H:
        hl, hv = bits_pair(tbl, off, t, BQ_H)
        v = _mix(q, hl, hv)
    elif out == OUT_S:
        sl, sv = bits_pair(tbl, off, t, BQ_S)
        v = _mix(q, sl, sv)
    elif out == OUT_D:
        dl, dv = bits_pair(tbl, off, t, BQ_D)
        v = 1.0 / ((1.0 - q) / dl + q / dv)
    else:
        cl, cv = bits_pair(tbl, off, t, BQ_C)
        v = _cp_edge(q, cl, cv)
    return v


@njit_kernel(inline="always")
def _mix(q, vl, vv):
    return vl + q * (vv - vl)


@njit_kernel(inline="always")
def _cp_edge(q, cl, cv):
    """cp is not defined inside the dome; on its edges it is the phase's own."""
    v = NAN
    if q == 0.0:
        v = cl
    elif q == 1.0:
        v = cv
    return v


@njit_kernel(inline="always")
def _table_out(tbl, R, out, known, p, z_in):
    """Output ``out`` from a located region table whose input variable is ``known``."""
    if out == OUT_P:
        return p
    if out == OUT_Q:
        return -1.0  # single phase, as CoolProp reports it
    if out == known:
        return z_in
    # stored order: T tables (H, S, D, C); H tables (T, S, D, C); S tables (T, H, D, C)
    if out == OUT_D:
        return rval(tbl, R, 2)
    if out == OUT_C:
        return rval(tbl, R, 3)
    if known == OUT_T:
        return rval(tbl, R, 0 if out == OUT_H else 1)
    return rval(tbl, R, 0 if out == OUT_T else 1)


@njit_kernel(inline="always")
def props_1(tbl, pair, out, a, b):
    """One property ``out`` of the state given by input pair ``pair`` = (a, b).

    Pairs PAIR_PT (p, T), PAIR_PH (p, h), PAIR_PS (p, s), PAIR_PQ (p, Q),
    PAIR_TQ (T, Q); outputs OUT_T ... OUT_C. Returns (value, status).
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return NAN, NONFINITE_INPUT
    par = tbl[0]
    if pair == PAIR_TQ:
        q = b
        if not (q >= 0.0 and q <= 1.0):
            return NAN, OUT_OF_DOMAIN
        L = satT_loc(tbl, a)
        if not L[5]:
            return NAN, OUT_OF_TABLE
        return _sat_T_out(tbl, L, out, q, a)

    p = a
    sub = p < par[P_PTOP]
    if pair == PAIR_PQ:
        q = b
        if not (q >= 0.0 and q <= 1.0):
            return NAN, OUT_OF_DOMAIN
        if not (sub and p >= par[P_PMIN]):
            return NAN, OUT_OF_TABLE
        # the saturation cubics: no pressure map, logarithm or fine-cell record
        v = _sat_bits_out(tbl, out, q, p)
        if v == v:
            return v, OK
        # near the critical point (and at the table's ends) the boundary table's own path
        return _sat_p_out(tbl, ploc(tbl, p), out, q, p)

    PL = ploc(tbl, p)
    if not PL[9]:
        return NAN, OUT_OF_TABLE

    if pair == PAIR_PT:
        T = b
        Tb = PL[10]
        Tbub = bubble_T(tbl, PL, Tb)
        # liquid or vapour chosen by selects rather than branches: with inputs
        # of either phase in any order, a mispredicted branch here costs more
        # than the look-up. A state on the saturation line (Tbub <= T <= Tb) is
        # tested as one product's sign, a branch that is rarely taken: written as
        # a chain of comparisons (with `or`, or even `&`), LLVM branched on the
        # phase first (mixed-phase inputs 1.15x slower than alternating phases)
        liq = T < Tbub
        if sub and (T - Tbub) * (Tb - T) >= 0.0:
            # on the saturation line (or inside a blend's glide): (p, T) does not fix the state
            return NAN, UNDEFINED
        R = rloc(tbl, PL, TAB_TL if liq else TAB_TV, T, Tbub if liq else Tb, par[P_TMIN] if liq else par[P_THI])
        if not R[4]:
            return NAN, OUT_OF_TABLE
        return _table_out(tbl, R, out, OUT_T, p, T), OK

    if pair == PAIR_PH:
        qb_l, qb_v, qe_l, qe_v, itl, itv, known = QX_HL, QX_HV, QX_HLO, QX_HHI, TAB_HL, TAB_HV, OUT_H
    elif pair == PAIR_PS:
        qb_l, qb_v, qe_l, qe_v, itl, itv, known = QX_SL, QX_SV, QX_SLO, QX_SHI, TAB_SL, TAB_SV, OUT_S
    else:
        return NAN, OUT_OF_DOMAIN
    z = b
    zl = bq(tbl, PL, qb_l)
    zv = bq(tbl, PL, qb_v)
    if z < zl:
        R = rloc(tbl, PL, itl, z, zl, bq(tbl, PL, qe_l))
    elif z > zv or not sub:
        R = rloc(tbl, PL, itv, z, zv, bq(tbl, PL, qe_v))
    else:
        return _sat_p_out(tbl, PL, out, (z - zl) / (zv - zl), p)
    if not R[4]:
        return NAN, OUT_OF_TABLE
    return _table_out(tbl, R, out, known, p, z), OK


#: elements per task of the parallel loop
_BLOCK = 2048


@njit_kernel
def props_range(tbl, pair, out, a, b, res, status, lo, hi):
    """Elements lo..hi-1 (``props_1`` inlined here).

    A loop per input pair with the pair a constant was 1.07x faster on (p, Q) and
    compiled four times as long (143 s instead of 34): not kept.
    """
    for k in range(lo, hi):
        res[k], status[k] = props_1(tbl, pair, out, a[k], b[k])


@njit_kernel(parallel=True)
def props_parallel(tbl, pair, out, a, b, res, status):
    # blocks, each one call of the serial loop: numba's parallel-loop analysis
    # rejects props_1 inlined into a prange body
    n = a.shape[0]
    for c in prange((n + _BLOCK - 1) // _BLOCK):
        props_range(tbl, pair, out, a, b, res, status, c * _BLOCK, min(n, (c + 1) * _BLOCK))


@njit_kernel
def props_serial(tbl, pair, out, a, b, res, status):
    props_range(tbl, pair, out, a, b, res, status, 0, a.shape[0])
