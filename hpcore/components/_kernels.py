"""Compiled component kernels: compressors, effectiveness-NTU, secondary fluids, zones.

This module imports only math, numpy, numba and hpcore's kernel helpers.
Each scalar core returns its values followed by a status code
(:mod:`hpcore.status`); nothing raises inside a kernel.

Parameter arrays (built by the Python classes, read here):

compressor ``cpar`` (float64, 1-D), ``cpar[0]`` the kind:

* ``KIND_MAP`` (10-coefficient maps, AHRI 540 or EN 12900)::

    [1] form (FORM_AHRI540, FORM_EN12900)
    [2] t_scale, [3] t_offset   native temperature = T * t_scale - t_offset
    [4] mass-flow factor        native -> kg/s
    [5] power factor            native -> W
    [6] capacity factor         native -> W
    [7] mass mode               0: mass-flow coefficients, 1: from capacity coefficients
    [8] rated superheat [K], [9] rated subcooling [K]
    [10] F, the share of the suction-density ratio applied to mass flow
    [11] power correction       0: none, 1: isentropic-work ratio (Dabiri and Rice)
    [12] number of speeds ns, [13] speed_min, [14] speed_max [1/s]
    [15 : 15+ns] speeds of the maps [1/s]
    then per speed: 10 mass-flow (or capacity) coefficients, 10 power coefficients

* ``KIND_DISPLACEMENT``::

    [1] displacement [m3/rev], [2] speed_min, [3] speed_max [1/s]
    [4] ni_v, [5] nj_v, [6] ni_s, [7] nj_s
    [8 : ...] eta_vol coefficients c[i, j] (row-major, ni_v x nj_v), then eta_is ones:
    eta = sum_ij c[i, j] * pr**i * speed**j, pr = p_cond / p_evap

heat exchanger ``hx`` (float64, 1-D)::

    [0] model (HX_APPROACH, HX_UA), [1] approach [K] or UA [W/K],
    [2] arrangement (ARR_*), [3] minimum pinch [K] (below it: PINCH_VIOLATED)

secondary fluid ``sec = (spar, stab, itab)``: ``spar = [T0, dT, n, T_lo, T_hi, p, ...]``,
``stab[n, 2]`` = (h [J/kg], cp [J/(kg K)]) at nodes ``T0 + i dT`` (cubic
Hermite in T, so h(T) and T(h) are exact inverses to rounding); spar continues
with the inverse table's parameters (``SP_*`` below); ``itab`` holds each forward
cell's inverse polynomial and the bins that locate a cell by h (``secondary.kernel_arrays``).
"""
import math

from numba.extending import overload

from .._numba import njit_kernel
from .._numba import prange as numba_prange
from ..properties._kernels import state_ph
from ..properties._tsat_kernels import (
    TSH_OK, dew_state, discharge_h, liquid_state, state_header, suction_state, ts_loc_h, ts_val, ts_yloc_h,
)
from ..properties.layout import P_PURE, P_TTOP, TS_SUC
from ..status import INFEASIBLE, NONFINITE_INPUT, OK, OUT_OF_DOMAIN, OUT_OF_TABLE

NAN = math.nan
INF = math.inf

KIND_MAP = 1.0
KIND_DISPLACEMENT = 0.0
FORM_AHRI540 = 0.0
FORM_EN12900 = 1.0

HX_APPROACH = 0.0
HX_UA = 1.0

ARR_COUNTERFLOW = 0
ARR_PARALLEL = 1
ARR_CROSSFLOW_UNMIXED = 2  # both streams unmixed
ARR_CROSSFLOW_CMAX_MIXED = 3  # C_max mixed, C_min unmixed
ARR_CROSSFLOW_CMIN_MIXED = 4  # C_min mixed, C_max unmixed

# below this capacity ratio the C_r = 0 limit is used (relative error below 1e-12 NTU)
_CR_ZERO = 1e-12

# header length of a map's cpar
_MAP_HEAD = 15

# a secondary fluid's spar after the file's six entries (see secondary.kernel_arrays):
# the inverse table's first bin start [J/kg], 1 / the bins' width, their count
SP_H0, SP_IDH, SP_M = 6, 7, 8


# --------------------------------------------------------------------------- root bracketing


@njit_kernel(inline="always")
def illinois_step(x, f, lo, hi, flo, fhi, side, rising):
    """One bracket update of the Illinois method (regula falsi that halves the stale end).

    ``rising``: the residual is negative below the root (the trial becomes ``lo`` when
    ``f < 0``); else it is positive there (``lo`` when ``f > 0``). A NaN residual moves
    ``hi``. Returns lo, hi, flo, fhi, side.
    """
    below = f < 0.0 if rising else f > 0.0
    if below:
        lo = x
        flo = f
        if side == -1:
            fhi *= 0.5
        side = -1
    else:
        hi = x
        fhi = f
        if side == 1:
            flo *= 0.5
        side = 1
    return lo, hi, flo, fhi, side


# --------------------------------------------------------------------------- polynomials


@njit_kernel(inline="always")
def ahri540_polynomial(c, k, S, D):
    """AHRI 540 ten-coefficient polynomial, as published (coefficients at ``c[k:k+10]``).

    X = C1 + C2 S + C3 D + C4 S^2 + C5 S D + C6 D^2 + C7 S^3 + C8 D S^2 + C9 S D^2 + C10 D^3,
    S, D: suction and discharge dew-point temperatures [degF].
    """
    return (
        c[k] + c[k + 1] * S + c[k + 2] * D + c[k + 3] * S * S + c[k + 4] * S * D + c[k + 5] * D * D
        + c[k + 6] * S * S * S + c[k + 7] * D * S * S + c[k + 8] * S * D * D + c[k + 9] * D * D * D
    )


@njit_kernel(inline="always")
def en12900_polynomial(c, k, to, tc):
    """EN 12900 ten-coefficient polynomial, as published (coefficients at ``c[k:k+10]``).

    X = c1 + c2 to + c3 tc + c4 to^2 + c5 to tc + c6 tc^2 + c7 to^3 + c8 tc to^2 + c9 to tc^2 + c10 tc^3,
    to, tc: evaporating and condensing (dew-point) temperatures [degC].
    """
    return (
        c[k] + c[k + 1] * to + c[k + 2] * tc + c[k + 3] * to * to + c[k + 4] * to * tc + c[k + 5] * tc * tc
        + c[k + 6] * to * to * to + c[k + 7] * tc * to * to + c[k + 8] * to * tc * tc + c[k + 9] * tc * tc * tc
    )


@njit_kernel(inline="always")
def _poly_native(cpar, k, ts, td):
    if cpar[1] == FORM_AHRI540:
        return ahri540_polynomial(cpar, k, ts, td)
    return en12900_polynomial(cpar, k, ts, td)


@njit_kernel
def map_rated(cpar, T_evap, T_cond, speed):
    """Map values at rated superheat, SI: (mass-or-capacity [kg/s or W], power [W], status).

    Linear interpolation in speed between the maps that bracket it.
    """
    if not (math.isfinite(T_evap) and math.isfinite(T_cond) and math.isfinite(speed)):
        return NAN, NAN, NONFINITE_INPUT
    ns = int(cpar[12])
    if not (speed >= cpar[13] * (1.0 - 1e-12) and speed <= cpar[14] * (1.0 + 1e-12)):
        return NAN, NAN, OUT_OF_DOMAIN
    ts = T_evap * cpar[2] - cpar[3]
    td = T_cond * cpar[2] - cpar[3]
    base = _MAP_HEAD + ns
    if ns == 1:
        a = _poly_native(cpar, base, ts, td)
        b = _poly_native(cpar, base + 10, ts, td)
    else:
        j = 0
        while j < ns - 2 and speed > cpar[_MAP_HEAD + j + 1]:
            j += 1
        s0 = cpar[_MAP_HEAD + j]
        s1 = cpar[_MAP_HEAD + j + 1]
        w = (speed - s0) / (s1 - s0)
        if w < 0.0:
            w = 0.0
        if w > 1.0:
            w = 1.0
        k0 = base + 20 * j
        k1 = k0 + 20
        a = (1.0 - w) * _poly_native(cpar, k0, ts, td) + w * _poly_native(cpar, k1, ts, td)
        b = (1.0 - w) * _poly_native(cpar, k0 + 10, ts, td) + w * _poly_native(cpar, k1 + 10, ts, td)
    fa = cpar[4] if cpar[7] == 0.0 else cpar[6]
    return a * fa, b * cpar[5], OK


@njit_kernel(inline="always")
def _poly2(cpar, k, ni, nj, x, y):
    """sum_ij c[i, j] x**i y**j (Horner in both variables)."""
    acc = 0.0
    for i in range(ni - 1, -1, -1):
        row = 0.0
        for j in range(nj - 1, -1, -1):
            row = row * y + cpar[k + i * nj + j]
        acc = acc * x + row
    return acc


@njit_kernel
def displacement_efficiencies(cpar, pr, speed):
    """Volumetric and isentropic efficiency of a displacement compressor, status."""
    niv = int(cpar[4])
    njv = int(cpar[5])
    nis = int(cpar[6])
    njs = int(cpar[7])
    eta_v = _poly2(cpar, 8, niv, njv, pr, speed)
    eta_s = _poly2(cpar, 8 + niv * njv, nis, njs, pr, speed)
    if not (eta_v > 0.0 and eta_s > 0.0 and eta_s <= 1.0):
        return NAN, NAN, OUT_OF_DOMAIN
    return eta_v, eta_s, OK


@njit_kernel(inline="always")
def _suction_density(tbl, T, superheat):
    """The density of :func:`suction_state` alone (one grid value instead of three), status."""
    cyc = tbl[5]
    H = state_header(tbl)
    L = ts_loc_h(H, T)
    d = ts_val(cyc, L, ts_yloc_h(H, TS_SUC, L, superheat), 2)
    st = OK
    if not (L[4] and d == d and H[0][TSH_OK] == 1.0):
        h, s, d, st = suction_state(tbl, T, superheat)
    return d, st


@njit_kernel(inline="always")
def compressor_core(tbl, cpar, T_evap, T_cond, superheat, speed):
    """Compressor at (T_evap, T_cond, superheat, speed), all SI, with the located pressures.

    Returns m_dot [kg/s], P [W], h1, D1, s1 (suction), p_evap, p_cond,
    h_v at p_evap, h_v, h_l, s_l and s_v at p_cond, status, then h_l and the bubble
    temperature at p_evap and the bubble temperature at p_cond. The states at both
    dew pressures come from the T_sat grids where they hold them
    (:mod:`hpcore.properties._tsat_kernels`), as in the cycle kernels.
    """
    st = OK
    m = P = h1 = D1 = s1 = NAN
    if not (math.isfinite(T_evap) and math.isfinite(T_cond) and math.isfinite(superheat) and math.isfinite(speed)):
        st = NONFINITE_INPUT
    elif superheat < 0.0 or speed <= 0.0:
        st = OUT_OF_DOMAIN
    elif T_evap >= T_cond:
        st = INFEASIBLE
    if st != OK:  # harmless values for the reads below, results discarded
        T_evap = T_cond = tbl[0][P_TTOP]
        superheat = 0.0
    p_e, hl_e, hv_e, sl_e, sv_e, dv_e, tb_e, st1 = dew_state(tbl, T_evap)
    p_c, hl_c, hv_c, sl_c, sv_c, dv_c, tb_c, st2 = dew_state(tbl, T_cond)
    if st == OK:
        st = st1 if st1 != OK else st2
    h1 = hv_e
    s1 = sv_e
    D1 = dv_e
    if st == OK and superheat > 0.0:
        h1, s1, D1, st = suction_state(tbl, T_evap, superheat)
    if st == OK and cpar[0] == KIND_MAP:
        a, P, st = map_rated(cpar, T_evap, T_cond, speed)
        sh_r = cpar[8]
        h_r = hv_e
        s_r = sv_e
        D_r = dv_e
        if st == OK and sh_r > 0.0:
            if cpar[7] == 0.0 and cpar[11] == 0.0:
                # mass-flow map without power correction: only the density is needed
                D_r, st = _suction_density(tbl, T_evap, sh_r)
            else:
                h_r, s_r, D_r, st = suction_state(tbl, T_evap, sh_r)
        m_r = a
        if st == OK and cpar[7] != 0.0:
            # mass flow of the rating from its capacity: Q = m (h_suction,rated - h_liquid,rated)
            sc_r = cpar[9]
            hliq = hl_c
            if sc_r > 0.0:
                hliq, sliq, st = liquid_state(tbl, T_cond, sc_r)
            m_r = a / (h_r - hliq)
        m = m_r * (1.0 + cpar[10] * (D1 / D_r - 1.0))
        if st == OK and cpar[11] == 1.0:
            h2s, st1 = discharge_h(tbl, T_cond, s1, hl_c, hv_c, sl_c, sv_c)
            h2s_r, st2 = discharge_h(tbl, T_cond, s_r, hl_c, hv_c, sl_c, sv_c)
            st = st1 | st2
            P = P * (m / m_r) * ((h2s - h1) / (h2s_r - h_r))
    elif st == OK:
        if not (speed >= cpar[2] * (1.0 - 1e-12) and speed <= cpar[3] * (1.0 + 1e-12)):
            st = OUT_OF_DOMAIN
        else:
            eta_v, eta_s, st = displacement_efficiencies(cpar, p_c / p_e, speed)
            if st == OK:
                m = eta_v * cpar[1] * speed * D1
                h2s, st = discharge_h(tbl, T_cond, s1, hl_c, hv_c, sl_c, sv_c)
                P = m * (h2s - h1) / eta_s
    if st == OK and not (m > 0.0 and P > 0.0 and math.isfinite(m) and math.isfinite(P)):
        st = OUT_OF_DOMAIN
    if st != OK:
        m = P = h1 = D1 = s1 = p_e = p_c = hv_e = hv_c = hl_c = NAN
    return m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, sl_c, sv_c, st, hl_e, tb_e, tb_c


@njit_kernel
def compressor_1(tbl, cpar, T_evap, T_cond, superheat, speed):
    """Compressor at (T_evap, T_cond, superheat, speed), all SI.

    Returns m_dot [kg/s], P [W], h1, D1, s1 (suction), p_evap, p_cond,
    h_v at p_evap, h_v and h_l at p_cond, status.
    """
    m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, sl_c, sv_c, st = compressor_core(tbl, cpar, T_evap, T_cond, superheat,
                                                                                    speed)[:13]
    return m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, st


@njit_kernel
def compressor_serial(tbl, cpar, T_evap, T_cond, superheat, speed, out, status):
    for k in range(T_evap.shape[0]):
        m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, st = compressor_1(tbl, cpar, T_evap[k], T_cond[k], superheat[k], speed[k])
        out[k, 0] = m
        out[k, 1] = P
        out[k, 2] = h1 + P / m if st == OK else NAN
        status[k] = st


@njit_kernel(parallel=True)
def compressor_parallel(tbl, cpar, T_evap, T_cond, superheat, speed, out, status):
    for k in numba_prange(T_evap.shape[0]):
        m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, st = compressor_1(tbl, cpar, T_evap[k], T_cond[k], superheat[k], speed[k])
        out[k, 0] = m
        out[k, 1] = P
        out[k, 2] = h1 + P / m if st == OK else NAN
        status[k] = st


@njit_kernel
def map_rated_serial(cpar, T_evap, T_cond, speed, out, status):
    for k in range(T_evap.shape[0]):
        a, b, st = map_rated(cpar, T_evap[k], T_cond[k], speed[k])
        out[k, 0] = a
        out[k, 1] = b
        status[k] = st


# --------------------------------------------------------------------------- effectiveness-NTU


@njit_kernel(inline="always")
def effectiveness_1(ntu, c_r, arr):
    """Effectiveness of a heat exchanger of arrangement ``arr`` [-], status.

    Formulas: Incropera et al., Fundamentals of Heat and Mass Transfer, 6th
    ed., Table 11.3 (cross-flow with both streams unmixed: the approximation
    given there).
    """
    if not (math.isfinite(ntu) and math.isfinite(c_r)):
        return NAN, NONFINITE_INPUT
    if ntu < 0.0 or c_r < 0.0 or c_r > 1.0:
        return NAN, OUT_OF_DOMAIN
    if ntu == 0.0:
        return 0.0, OK
    if c_r < _CR_ZERO:  # the C_r -> 0 limit; the formulas below lose digits for tiny (subnormal) C_r
        return -math.expm1(-ntu), OK
    if arr == ARR_COUNTERFLOW:
        if c_r == 1.0:
            return ntu / (1.0 + ntu), OK
        em1 = math.expm1(-ntu * (1.0 - c_r))
        return -em1 / ((1.0 - c_r) - c_r * em1), OK
    if arr == ARR_PARALLEL:
        return -math.expm1(-ntu * (1.0 + c_r)) / (1.0 + c_r), OK
    if arr == ARR_CROSSFLOW_UNMIXED:
        return -math.expm1((ntu ** 0.22 / c_r) * math.expm1(-c_r * ntu ** 0.78)), OK
    if arr == ARR_CROSSFLOW_CMAX_MIXED:
        return -math.expm1(c_r * math.expm1(-ntu)) / c_r, OK
    if arr == ARR_CROSSFLOW_CMIN_MIXED:
        return -math.expm1(math.expm1(-c_r * ntu) / c_r), OK
    return NAN, OUT_OF_DOMAIN


@njit_kernel(inline="always")
def max_effectiveness(c_r, arr):
    """Limit of the effectiveness as NTU -> infinity [-]."""
    if c_r == 0.0:
        return 1.0
    if arr == ARR_PARALLEL:
        return 1.0 / (1.0 + c_r)
    if arr == ARR_CROSSFLOW_CMAX_MIXED:
        return -math.expm1(-c_r) / c_r
    if arr == ARR_CROSSFLOW_CMIN_MIXED:
        return -math.expm1(-1.0 / c_r)
    return 1.0


@njit_kernel
def ntu_1(eps, c_r, arr):
    """NTU [-] that gives effectiveness ``eps`` at capacity ratio ``c_r``; status.

    Closed forms (inverses of :func:`effectiveness_1`) except for cross-flow
    with both streams unmixed, inverted by safeguarded Newton iteration.
    ``eps`` at or above the arrangement's limit gives ``inf`` with OK: the
    duty cannot be reached with finite area (callers turn it into a flag).
    """
    if not (math.isfinite(eps) and math.isfinite(c_r)):
        return NAN, NONFINITE_INPUT
    if eps < 0.0 or c_r < 0.0 or c_r > 1.0:
        return NAN, OUT_OF_DOMAIN
    if eps == 0.0:
        return 0.0, OK
    if c_r < _CR_ZERO:
        c_r = 0.0
    if eps >= max_effectiveness(c_r, arr):
        return INF, OK
    if c_r == 0.0:
        return -math.log1p(-eps), OK
    if arr == ARR_COUNTERFLOW:
        d = 1.0 - c_r
        if d == 0.0:
            return eps / (1.0 - eps), OK
        # ln((1 - eps c_r)/(1 - eps)) / (1 - c_r), written without cancellation as c_r -> 1
        return math.log1p(eps * d / (1.0 - eps)) / d, OK
    if arr == ARR_PARALLEL:
        return -math.log1p(-eps * (1.0 + c_r)) / (1.0 + c_r), OK
    if arr == ARR_CROSSFLOW_CMAX_MIXED:
        return -math.log1p(math.log1p(-eps * c_r) / c_r), OK
    if arr == ARR_CROSSFLOW_CMIN_MIXED:
        return -math.log1p(c_r * math.log1p(-eps)) / c_r, OK
    if arr == ARR_CROSSFLOW_UNMIXED:
        # bracket in NTU, then Newton with bisection fallback (eps increases with NTU)
        lo = 0.0
        hi = 1.0
        for _ in range(200):
            e, st = effectiveness_1(hi, c_r, arr)
            if e >= eps:
                break
            lo = hi
            hi *= 2.0
        if not (e >= eps):
            return INF, OK
        x = 0.5 * (lo + hi)
        for _ in range(200):
            e, st = effectiveness_1(x, c_r, arr)
            f = e - eps
            if f > 0.0:
                hi = x
            else:
                lo = x
            h = 1e-7 * max(x, 1e-3)
            e2, st = effectiveness_1(x + h, c_r, arr)
            d = (e2 - e) / h
            xn = x - f / d if d > 0.0 else 0.5 * (lo + hi)
            if not (xn > lo and xn < hi):
                xn = 0.5 * (lo + hi)
            if abs(xn - x) <= 1e-15 * max(x, 1.0) or hi - lo <= 1e-15 * max(x, 1.0):
                return xn, OK
            x = xn
        return x, OK
    return NAN, OUT_OF_DOMAIN


@njit_kernel(inline="always")
def _ua_terminal(Q, a, b):
    """UA [W/K] = Q / LMTD of a counterflow zone, or of any zone with one stream at
    constant temperature (C_r = 0), from its terminal temperature differences a >= b > 0.

    ln(a / b) / (a - b) is ln((1 - eps C_r) / (1 - eps)) / ((1 - C_r) dT_big), the
    counterflow NTU of :func:`ntu_1` per dT_big, written with the logarithm of the
    ratio (half the cost of log1p) where that ratio is above 1.25 (relative error of
    the logarithm below 5e-16) and with log1p of (a - b) / b nearer 1, where the ratio
    would lose digits; a == b (balanced counterflow): UA = Q / a.
    """
    if a == b:
        return Q / a
    r = a / b
    lr = math.log(r) if r > 1.25 else math.log1p((a - b) / b)
    return lr * (Q / (a - b))  # (the division beside the logarithm, not after it)


@njit_kernel
def zone_ua(Q, Th_in, Th_out, Tc_in, Tc_out, arr):
    """UA [W/K] a zone needs to transfer Q [W] between the given stream temperatures.

    Capacity rates from the zone's own temperature changes: C = Q / dT, so a
    two-phase stream (dT = 0) has C = inf and C_r = 0. Then
    eps = dT_max_stream / (Th_in - Tc_in), C_r = dT_small / dT_big and
    UA = NTU(eps, C_r) * Q / dT_big. Returns inf when the duty cannot be met
    with finite area (temperature cross, eps at its limit).
    """
    if Q <= 0.0:
        return 0.0
    dth = Th_in - Th_out
    dtc = Tc_out - Tc_in
    dmax = Th_in - Tc_in
    if not (dmax > 0.0) or dth < 0.0 or dtc < 0.0:
        return INF
    big = dth if dth > dtc else dtc
    small = dtc if dth > dtc else dth
    if not (big > 0.0):
        return INF
    eps = big / dmax
    if eps >= 1.0:
        return INF
    if arr == ARR_COUNTERFLOW or small == 0.0:
        # the same NTU in closed form: Q / LMTD from the terminal differences
        return _ua_terminal(Q, dmax - small, dmax - big)
    ntu, st = ntu_1(eps, small / big, arr)
    if st != OK:
        return INF
    return ntu * Q / big


# --------------------------------------------------------------------------- secondary fluids


@njit_kernel(inline="always")
def _sec_cell_val(stab, i, t, dT):
    t2 = t * t
    t3 = t2 * t
    return (
        (2.0 * t3 - 3.0 * t2 + 1.0) * stab[i, 0] + (t3 - 2.0 * t2 + t) * dT * stab[i, 1]
        + (3.0 * t2 - 2.0 * t3) * stab[i + 1, 0] + (t3 - t2) * dT * stab[i + 1, 1]
    )


@njit_kernel(inline="always")
def _sec_cell_der(stab, i, t, dT):
    t2 = t * t
    return (
        (6.0 * t2 - 6.0 * t) * stab[i, 0] + (3.0 * t2 - 4.0 * t + 1.0) * dT * stab[i, 1]
        + (6.0 * t - 6.0 * t2) * stab[i + 1, 0] + (3.0 * t2 - 2.0 * t) * dT * stab[i + 1, 1]
    )


@njit_kernel
def sec_h(sec, T):
    """Specific enthalpy [J/kg] of a secondary fluid at T [K], status."""
    spar = sec[0]
    stab = sec[1]
    if not math.isfinite(T):
        return NAN, NONFINITE_INPUT
    if not (T >= spar[3] and T <= spar[4]):
        return NAN, OUT_OF_TABLE
    n = int(spar[2])
    u = (T - spar[0]) / spar[1]
    i = int(u)
    if i > n - 2:
        i = n - 2
    if i < 0:
        i = 0
    return _sec_cell_val(stab, i, u - i, spar[1]), OK


@njit_kernel
def sec_cp(sec, T):
    """Isobaric heat capacity [J/(kg K)] of a secondary fluid at T [K], status."""
    spar = sec[0]
    stab = sec[1]
    if not math.isfinite(T):
        return NAN, NONFINITE_INPUT
    if not (T >= spar[3] and T <= spar[4]):
        return NAN, OUT_OF_TABLE
    n = int(spar[2])
    u = (T - spar[0]) / spar[1]
    i = int(u)
    if i > n - 2:
        i = n - 2
    if i < 0:
        i = 0
    return _sec_cell_der(stab, i, u - i, spar[1]) / spar[1], OK


@njit_kernel
def sec_T(sec, h):
    """Temperature [K] of a secondary fluid at specific enthalpy h [J/kg], status.

    Inverse of :func:`sec_h` to rounding: the forward cell h falls in (the first cell
    of its bin in ``itab``, or the next), then the cell's inverse polynomial (a
    position in the cell from the fraction of its enthalpy rise; see
    ``secondary.kernel_arrays``). No iteration: with a guess from a table of T(h) and
    a Newton step on the forward cubic instead (five calls a cycle state), the system
    solve took 1.08x (random order) to 1.11x (grid) as long.
    """
    spar = sec[0]
    stab = sec[1]
    itab = sec[2]
    if not math.isfinite(h):
        return NAN, NONFINITE_INPUT
    n = int(spar[2])
    # a rounding's leeway at the ends: h(T_max) can come out an ulp above the last node
    tol = 1e-13 * (stab[n - 1, 0] - stab[0, 0])
    if not (h >= stab[0, 0] - tol and h <= stab[n - 1, 0] + tol):
        return NAN, OUT_OF_TABLE
    nb = int(spar[SP_M])
    k = int((h - spar[SP_H0]) * spar[SP_IDH])
    if k > nb - 1:
        k = nb - 1
    if k < 0:
        k = 0
    c = int(itab[n - 1 + (k >> 3), k & 7])
    c = min(c + int(h >= itab[c, 6]), n - 2)  # without a branch (taken at random)
    x = (h - itab[c, 0]) * itab[c, 1]
    t = x + x * (1.0 - x) * (itab[c, 2] + x * (itab[c, 3] + x * (itab[c, 4] + x * itab[c, 5])))
    return spar[0] + (c + t) * spar[1], OK


# sec_T inlined into the zone models (five calls a cycle state in the system solve):
# cycle_state 1.09x faster, measured in one process against the call
_sec_T_i = njit_kernel(inline="always")(sec_T.py_func)


def inlet_h(sec, T):
    """Inlet enthalpy of a secondary stream at T (kernels only): :func:`sec_h`, or, for a
    stream tuple with its inlet state attached, ``(arrays..., h_in, status)`` as the
    system solve passes it (computed once per element instead of at every trial state)."""
    return sec_h(sec, T)


@overload(inlet_h, inline="always")
def _inlet_h_impl(sec, T):
    if len(sec) == 5:
        def impl(sec, T):
            return sec[3], sec[4]
    else:
        def impl(sec, T):
            return sec_h(sec, T)
    return impl


@njit_kernel
def sec_outlet(sec, T_in, m_dot, Q):
    """Outlet temperature [K] of a secondary stream at T_in [K], m_dot [kg/s] gaining Q [W]; h_in; status."""
    h_in, st = sec_h(sec, T_in)
    if st != OK:
        return NAN, NAN, st
    T, st = sec_T(sec, h_in + Q / m_dot)
    return T, h_in, st


@njit_kernel
def sec_h_serial(sec, x, out, status):
    for k in range(x.shape[0]):
        out[k], status[k] = sec_h(sec, x[k])


@njit_kernel
def sec_T_serial(sec, x, out, status):
    for k in range(x.shape[0]):
        out[k], status[k] = sec_T(sec, x[k])


@njit_kernel
def sec_cp_serial(sec, x, out, status):
    for k in range(x.shape[0]):
        out[k], status[k] = sec_cp(sec, x[k])


# --------------------------------------------------------------------------- zone models


@njit_kernel(inline="always")
def bubble_of(tbl, T_dew, T_bub):
    """The bubble temperature the zone models use at the dew pressure of ``T_dew``:
    ``T_dew`` itself for a pure fluid (its table's bubble temperature, a fit, differs by
    rounding, and a zone whose refrigerant warmed by 1e-13 K would have no solution),
    else ``T_bub`` (from :func:`dew_state`), never above ``T_dew``."""
    if tbl[0][P_PURE] != 0.0:
        return T_dew
    return min(T_bub, T_dew)


@njit_kernel(inline="always")
def two_phase_T(T_dew, T_bub, hl, hv, h):
    """Temperature of the two-phase state of enthalpy h on a dew pressure: linear in h
    between the bubble point (T_bub, hl) and the dew point (T_dew, hv), the glide as
    the cycle kernels give state 4 (docs/cycles.md); T_dew when the two coincide."""
    if T_bub == T_dew:
        return T_dew
    return T_bub + (h - hl) / (hv - hl) * (T_dew - T_bub)


@njit_kernel
def condenser_zones(hx, m_r, h2, T2, hv, hl, h3, T3, Tc, Tb, sec, m_s, Ts_in):
    """Condenser in zones (desuperheating, condensing, subcooling).

    Refrigerant ``m_r`` [kg/s] enters at (h2, T2), condenses from its dew point Tc to
    its bubble point Tb (Tb = Tc for a pure fluid; a blend's glide linear in h across
    the zone), leaves at (h3, T3); the secondary stream (``sec``, ``m_s``, ``Ts_in``)
    is heated.
    Returns UA required [W/K] (inf if the duty is impossible), pinch [K]
    (smallest hot-minus-cold temperature difference at a zone boundary, where
    it lies with zone-wise linear profiles), secondary outlet T [K], status.
    """
    Q_dsh = m_r * (h2 - hv)
    Q_tp = m_r * (hv - hl)
    Q_sc = m_r * (hl - h3)
    ims = 1.0 / m_s  # (a stream input: off the chain of dependent operations, unlike Q)
    arr = int(hx[2])
    ua = NAN
    pinch = NAN
    Ts3 = NAN
    hs0, st = inlet_h(sec, Ts_in)
    if st == OK:
        if arr == ARR_PARALLEL:
            Ts1, st1 = _sec_T_i(sec, hs0 + Q_dsh * ims)
            Ts2, st2 = _sec_T_i(sec, hs0 + (Q_dsh + Q_tp) * ims)
            Ts3, st3 = _sec_T_i(sec, hs0 + (Q_dsh + Q_tp + Q_sc) * ims)
            st = st1 | st2 | st3
            pinch = min(min(T2 - Ts_in, Tc - Ts1), min(Tb - Ts2, T3 - Ts3))
            if st == OK and hx[0] == HX_UA:
                ua = (zone_ua(Q_dsh, T2, Tc, Ts_in, Ts1, arr) + zone_ua(Q_tp, Tc, Tb, Ts1, Ts2, arr)
                      + zone_ua(Q_sc, Tb, T3, Ts2, Ts3, arr))
        else:
            Ts1, st1 = _sec_T_i(sec, hs0 + Q_sc * ims)
            Ts2, st2 = _sec_T_i(sec, hs0 + (Q_sc + Q_tp) * ims)
            Ts3, st3 = _sec_T_i(sec, hs0 + (Q_sc + Q_tp + Q_dsh) * ims)
            st = st1 | st2 | st3
            pinch = min(min(T3 - Ts_in, Tb - Ts1), min(Tc - Ts2, T2 - Ts3))
            if st == OK and hx[0] == HX_UA:
                ua = (zone_ua(Q_sc, Tb, T3, Ts_in, Ts1, arr) + zone_ua(Q_tp, Tc, Tb, Ts1, Ts2, arr)
                      + zone_ua(Q_dsh, T2, Tc, Ts2, Ts3, arr))
    if pinch <= 0.0:
        ua = INF
    if st != OK:
        ua = pinch = Ts3 = NAN
    return ua, pinch, Ts3, st


@njit_kernel
def evaporator_zones(hx, m_r, h4, T4, hv, h1, Te, T1, sec, m_s, Ts_in):
    """Evaporator in zones (two-phase, superheating); the secondary stream is cooled.

    Refrigerant ``m_r`` enters two-phase at (h4, T4), evaporates up to its dew point
    Te (T4 = Te for a pure fluid; a blend's glide linear in h), leaves at (h1, T1).
    Returns UA required [W/K], pinch [K], secondary outlet T [K], status.
    """
    Q_tp = m_r * (hv - h4)
    Q_sh = m_r * (h1 - hv)
    ims = 1.0 / m_s
    arr = int(hx[2])
    ua = NAN
    pinch = NAN
    Ts2 = NAN
    hs0, st = inlet_h(sec, Ts_in)
    if st == OK:
        if arr == ARR_PARALLEL:
            Ts1, st1 = _sec_T_i(sec, hs0 - Q_tp * ims)
            Ts2, st2 = _sec_T_i(sec, hs0 - (Q_tp + Q_sh) * ims)
            st = st1 | st2
            pinch = min(min(Ts_in - T4, Ts1 - Te), Ts2 - T1)
            if st == OK and hx[0] == HX_UA:
                ua = zone_ua(Q_tp, Ts_in, Ts1, T4, Te, arr) + zone_ua(Q_sh, Ts1, Ts2, Te, T1, arr)
        else:
            Ts1, st1 = _sec_T_i(sec, hs0 - Q_sh * ims)
            Ts2, st2 = _sec_T_i(sec, hs0 - (Q_sh + Q_tp) * ims)
            st = st1 | st2
            pinch = min(min(Ts_in - T1, Ts1 - Te), Ts2 - T4)
            if st == OK and hx[0] == HX_UA:
                ua = zone_ua(Q_sh, Ts_in, Ts1, Te, T1, arr) + zone_ua(Q_tp, Ts1, Ts2, T4, Te, arr)
    if pinch <= 0.0:
        ua = INF
    if st != OK:
        ua = pinch = Ts2 = NAN
    return ua, pinch, Ts2, st


@njit_kernel
def gas_cooler_1(tbl, p, h_in, h_out, m_r, sec, m_s, Ts_in, nseg):
    """Counterflow gas cooler discretized in ``nseg`` equal refrigerant-enthalpy steps.

    Each segment is counterflow with capacity rates from its own end
    temperatures (cp varies strongly near the pseudo-critical line, so one
    zone would be wrong). Returns UA required [W/K] (inf on a temperature
    cross), pinch [K] (minimum over the nodes), secondary outlet T [K], status.
    """
    if not (math.isfinite(p) and math.isfinite(h_in) and math.isfinite(h_out) and math.isfinite(m_r)
            and math.isfinite(m_s) and math.isfinite(Ts_in)):
        return NAN, NAN, NAN, NONFINITE_INPUT
    if not (h_out < h_in and m_r > 0.0 and m_s > 0.0 and nseg >= 1):
        return NAN, NAN, NAN, OUT_OF_DOMAIN
    hs_in, st = sec_h(sec, Ts_in)
    if st != OK:
        return NAN, NAN, NAN, st
    dh = (h_in - h_out) / nseg
    # walk from the cold end (refrigerant outlet, secondary inlet)
    Tr_prev, s_, d_, q_, st = state_ph(tbl, p, h_out)
    if st != OK:
        return NAN, NAN, NAN, st
    Ts_prev = Ts_in
    pinch = Tr_prev - Ts_in
    ua = 0.0
    for k in range(1, nseg + 1):
        hr = h_out + k * dh if k < nseg else h_in
        Tr, s_, d_, q_, st = state_ph(tbl, p, hr)
        if st != OK:
            return NAN, NAN, NAN, st
        Ts, st = sec_T(sec, hs_in + m_r * (hr - h_out) / m_s)
        if st != OK:
            return NAN, NAN, NAN, st
        d = Tr - Ts
        if d < pinch:
            pinch = d
        ua += zone_ua(m_r * (hr - (h_out + (k - 1) * dh)), Tr, Tr_prev, Ts_prev, Ts, ARR_COUNTERFLOW)
        Tr_prev = Tr
        Ts_prev = Ts
    if pinch <= 0.0:
        ua = INF
    return ua, pinch, Ts_prev, OK



# --------------------------------------------------------------------------- loops for the public API


@njit_kernel
def effectiveness_serial(ntu, c_r, arr, out, status):
    for k in range(ntu.shape[0]):
        out[k], status[k] = effectiveness_1(ntu[k], c_r[k], arr)


@njit_kernel(parallel=True)
def effectiveness_parallel(ntu, c_r, arr, out, status):
    for k in numba_prange(ntu.shape[0]):
        out[k], status[k] = effectiveness_1(ntu[k], c_r[k], arr)


@njit_kernel(inline="always")
def _ntu_checked(eps, c_r, arr):
    v, s = ntu_1(eps, c_r, arr)
    if s == OK and not (v < INF):
        return NAN, INFEASIBLE
    return v, s


@njit_kernel
def ntu_serial(eps, c_r, arr, out, status):
    for k in range(eps.shape[0]):
        out[k], status[k] = _ntu_checked(eps[k], c_r[k], arr)


@njit_kernel(parallel=True)
def ntu_parallel(eps, c_r, arr, out, status):
    for k in numba_prange(eps.shape[0]):
        out[k], status[k] = _ntu_checked(eps[k], c_r[k], arr)


@njit_kernel
def _write4(out, status, k, ua, pinch, Tout, Q, s):
    if s == OK and not (ua < INF):
        s = INFEASIBLE
    if s != OK:
        out[k, 0] = NAN
        out[k, 1] = NAN
        out[k, 2] = NAN
        out[k, 3] = NAN
    else:
        out[k, 0] = ua
        out[k, 1] = pinch
        out[k, 2] = Tout
        out[k, 3] = Q
    status[k] = s


@njit_kernel
def condenser_serial(tbl, hx, sec, m, h_in, h_out, Tc, T_in, m_s, out, status):
    for k in range(m.shape[0]):
        ua = pinch = Tout = NAN
        if not (math.isfinite(m[k]) and math.isfinite(h_in[k]) and math.isfinite(h_out[k]) and math.isfinite(Tc[k])
                and math.isfinite(T_in[k]) and math.isfinite(m_s[k])):
            s = NONFINITE_INPUT
        elif not (m[k] > 0.0 and m_s[k] > 0.0):
            s = OUT_OF_DOMAIN
        else:
            p, hl, hv, sl, sv, dv, tb, s = dew_state(tbl, Tc[k])
            if s == OK:
                if not (h_in[k] >= hv and h_out[k] <= hl):
                    s = OUT_OF_DOMAIN
                else:
                    T2, s2, d2, q2, sa = state_ph(tbl, p, h_in[k])
                    T3, s3, d3, q3, sb = state_ph(tbl, p, h_out[k])
                    s = sa | sb
                    if s == OK:
                        ua, pinch, Tout, s = condenser_zones(hx, m[k], h_in[k], T2, hv, hl, h_out[k], T3, Tc[k],
                                                             bubble_of(tbl, Tc[k], tb), sec, m_s[k], T_in[k])
        _write4(out, status, k, ua, pinch, Tout, m[k] * (h_in[k] - h_out[k]), s)


@njit_kernel
def evaporator_serial(tbl, hx, sec, m, h_in, h_out, Te, T_in, m_s, out, status):
    for k in range(m.shape[0]):
        ua = pinch = Tout = NAN
        if not (math.isfinite(m[k]) and math.isfinite(h_in[k]) and math.isfinite(h_out[k]) and math.isfinite(Te[k])
                and math.isfinite(T_in[k]) and math.isfinite(m_s[k])):
            s = NONFINITE_INPUT
        elif not (m[k] > 0.0 and m_s[k] > 0.0):
            s = OUT_OF_DOMAIN
        else:
            p, hl, hv, sl, sv, dv, tb, s = dew_state(tbl, Te[k])
            if s == OK:
                if not (h_in[k] >= hl and h_in[k] <= hv and h_out[k] >= hv):
                    s = OUT_OF_DOMAIN
                else:
                    T1, s1, d1, q1, s = state_ph(tbl, p, h_out[k])
                    if h_out[k] == hv:
                        T1 = Te[k]
                    if s == OK:
                        T4 = two_phase_T(Te[k], bubble_of(tbl, Te[k], tb), hl, hv, h_in[k])
                        ua, pinch, Tout, s = evaporator_zones(hx, m[k], h_in[k], T4, hv, h_out[k], Te[k], T1, sec,
                                                              m_s[k], T_in[k])
        _write4(out, status, k, ua, pinch, Tout, m[k] * (h_out[k] - h_in[k]), s)


@njit_kernel
def gas_cooler_serial(tbl, sec, p, h_in, h_out, m, T_in, m_s, nseg, out, status):
    for k in range(p.shape[0]):
        ua, pinch, Tout, s = gas_cooler_1(tbl, p[k], h_in[k], h_out[k], m[k], sec, m_s[k], T_in[k], nseg)
        _write4(out, status, k, ua, pinch, Tout, m[k] * (h_in[k] - h_out[k]), s)
