"""Compiled system solve: basic heat-pump cycle with a compressor and two heat exchangers.

Imports only math, numpy, numba and hpcore kernel helpers.

Unknowns per element: evaporating and condensing (dew-point) temperatures.
Residuals: for a UA heat exchanger ``r = (UA_required - UA) / (UA_required + UA)``
(in (-1, 1], +1 when the duty cannot be met with finite area), continuous and
monotonic; for a fixed approach ``r = approach - pinch`` [K]. The evaporator
residual increases with T_evap, the condenser residual decreases with T_cond.

Solver: Newton with a finite-difference Jacobian, Broyden updates and a
backtracking line search, inside the box of the table; any failure (flat
residual in an infeasible region, singular Jacobian, no progress) falls back to
nested bracketed root finding (Illinois regula falsi) on T_cond outside and
T_evap inside, which cannot meet a singular Jacobian. A demand sets the speed by
a third bracketed search; staging tries every number of running units. Within 1 K of
the evaporator's barrier (T_evap + superheat at the source inlet, where the required UA
grows like the log of the gap) T_evap takes Newton steps in the log of the gap.

Starts: along straight sweeps, extrapolation through the previous solutions; in
samples of two varying inputs, least-squares fits through the last 12 solutions and
Jacobians (:func:`_fw_fit`); else the previous solution moved by sensitivities learnt
along the way.
"""
import math

import numpy as np

from .._numba import njit_kernel, stack_empty
from .._numba import prange as numba_prange
from ..properties._tsat_kernels import discharge_h, discharge_state, liquid_state, with_header
from ..properties.layout import P_TMIN, P_TTOP
from ..status import INFEASIBLE, NONFINITE_INPUT, NOT_CONVERGED, OK, OUT_OF_DOMAIN, PINCH_VIOLATED, WET_COMPRESSION
from ._kernels import HX_UA, KIND_MAP, bubble_of, compressor_core, condenser_zones, evaporator_zones, illinois_step, \
    sec_h, two_phase_T

NAN = math.nan
INF = math.inf

# output columns
O_T_EVAP = 0
O_T_COND = 1
O_P_EVAP = 2
O_P_COND = 3
O_M_DOT = 4
O_SPEED = 5
O_Q_HEATING = 6
O_Q_COOLING = 7
O_POWER = 8
O_COP_HEATING = 9
O_COP_COOLING = 10
O_ETA_IS = 11
O_T_SOURCE_OUT = 12
O_T_SINK_OUT = 13
O_PINCH_EVAP = 14
O_PINCH_COND = 15
O_N_UNITS = 16
O_CYCLING = 17
O_H_SUCTION = 18
O_H_DISCHARGE = 19
O_H_LIQUID = 20
O_T_DISCHARGE = 21
O_UNMET = 22
O_CYCLING_LOSS = 23
O_UA_EVAP = 24
O_UA_COND = 25
O_ITERATIONS = 26
NOUT = 27

# solver settings
_XTOL = 1e-10  # K
_RTOL = 1e-11  # residual
# a point is also converged when the Newton step its residuals imply (from the Jacobian at
# hand) is below _XACC in both temperatures, with residuals below _RACC (which a stale
# Jacobian cannot hide: a residual of 1e-7 is a few 1e-7 K at these slopes)
_XACC = 1e-10  # K
_RACC = 1e-9  # residual
_FD_STEP = 1e-6  # K
_MAX_NEWTON = 40
_MAX_BRACKET = 200
_MAX_STEP = 15.0  # K per Newton step
_T_MARGIN = 1e-3  # K inside the saturation table
_BARRIER_FRACTION = 0.9  # of the way to the evaporator's superheat barrier a Newton step may go
_BARRIER_ZONE = 1.0  # K below that barrier in which T_evap takes logarithmic Newton steps (0.1 K: 2.24
# states a point on the random benchmark, 0.01 K: 2.25, 1 K: 2.19; 4-input samples 4.5, 5.3, 4.5)


# the zone models inlined into cycle_state: 1.05x on top of sec_T inlined into them
# (one process, against the calls); inlined into every caller they would lengthen
# the compile of the transcritical kernels for nothing, so only here
_evaporator_zones_i = njit_kernel(inline="always")(evaporator_zones.py_func)
_condenser_zones_i = njit_kernel(inline="always")(condenser_zones.py_func)


@njit_kernel(inline="always")
def _resid(hx, ua_req, pinch):
    r = hx[1] - pinch
    if hx[0] == HX_UA:
        r = (ua_req - hx[1]) / (ua_req + hx[1]) if ua_req < INF else 1.0
    return r


@njit_kernel(inline="always")
def _rounding(j11, Te, bar):
    """How far the evaporator residual moves when T_evap is rounded, eight roundings: its
    slope is taken as at most 1 / (bar - T_evap) (``bar``: the barrier of :func:`_te_step`;
    within 1 K of it the slope is 0.01-0.1 a unit of ln(bar - T_evap)), so that no Jacobian
    estimate can make it large elsewhere. Negligible (1e-13) far from the barrier; when the
    vapour ends 3e-9 K below the source inlet, a rounding of T_evap moves the residual by
    1e-7, and no T_evap brings it closer to zero."""
    gap = bar - Te
    slope = min(abs(j11), 1.0 / gap) if gap > 0.0 else 0.0
    return 8.0 * 2.220446049250313e-16 * abs(Te) * slope


@njit_kernel(inline="always")
def _converged(f1, f2, j11, j12, j21, j22, Te, bar):
    """Residuals below _RTOL, or below _RACC with a Newton step below _XACC (False for NaN).

    An evaporator residual within its rounding (:func:`_rounding`) counts as met: it is not
    held to _RACC, nor does it drive the step tested."""
    n1 = _rounding(j11, Te, bar)
    e1 = 0.0 if abs(f1) < n1 else f1
    idet = 1.0 / (j11 * j22 - j12 * j21)
    d1 = (-e1 * j22 + f2 * j12) * idet
    d2 = (-j11 * f2 + j21 * e1) * idet
    if Te + d1 == Te and j22 != 0.0:
        d2 = -f2 / j22  # T_evap held (see _newton)
    return (abs(f1) < _RTOL and abs(f2) < _RTOL) or (
        abs(f1) < max(_RACC, n1) and abs(f2) < _RACC and abs(d1) < _XACC and abs(d2) < _XACC)


@njit_kernel
def cycle_state(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk):
    """Everything at trial (T_evap, T_cond): residuals first, then the states.

    Returns r_e, r_c, m, P, h1, h2, h3, T2, p_e, p_c, s1, ua_e, ua_c, pinch_e,
    pinch_c, T_source_out, T_sink_out, status, then h_l, h_v, s_l, s_v at p_cond (for
    :func:`_fill`'s isentropic discharge, without a second saturation read) and s2. The states come from the T_sat grids
    where they hold them (as in the cycle kernels, so that simulate_cycle at the
    solution gives the same COP).
    """
    # the T_sat grids' header read once for the state functions below (each would read it
    # again: properties._tsat_kernels.state_header)
    tbl = with_header(tbl)
    m, P, h1, D1, s1, p_e, p_c, hv_e, hv_c, hl_c, sl_c, sv_c, st, hl_e, tb_e, tb_c = compressor_core(tbl, cpar, Te, Tc, sh,
                                                                                                   speed)
    h2 = h1 + P / m
    if st == OK and h2 <= hv_c:
        st = WET_COMPRESSION
    T2 = s2 = NAN
    if st == OK:
        T2, s2, st = discharge_state(tbl, Tc, h2, hv_c)
    h3 = hl_c
    if st == OK and sc > 0.0:
        h3, s3, st = liquid_state(tbl, Tc, sc)
    ua_e = pin_e = Tso = ua_c = pin_c = Tko = NAN
    if st == OK:
        # a blend glides: it evaporates from T4 up to its dew point Te and condenses from Tc
        # down to its bubble point, below which the liquid is subcooled by sc
        tb_e = bubble_of(tbl, Te, tb_e)
        tb_c = bubble_of(tbl, Tc, tb_c)
        T4 = two_phase_T(Te, tb_e, hl_e, hv_e, h3)
        ua_e, pin_e, Tso, st = _evaporator_zones_i(ehx, m, h3, T4, hv_e, h1, Te, Te + sh, ssrc, ms, Tsi)
    if st == OK:
        ua_c, pin_c, Tko, st = _condenser_zones_i(chx, m, h2, T2, hv_c, hl_c, h3, tb_c - sc, Tc, tb_c, ssnk, mk, Tki)
    r_e = _resid(ehx, ua_e, pin_e)
    r_c = _resid(chx, ua_c, pin_c)
    if st != OK:
        r_e = r_c = m = P = h1 = h2 = h3 = T2 = p_e = p_c = s1 = ua_e = ua_c = pin_e = pin_c = Tso = Tko = s2 = NAN
    return (r_e, r_c, m, P, h1, h2, h3, T2, p_e, p_c, s1, ua_e, ua_c, pin_e, pin_c, Tso, Tko, st, hl_c, hv_c, sl_c, sv_c,
            s2)


@njit_kernel(inline="always")
def _state(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev):
    """:func:`cycle_state`, counted in ``ev[0]`` (the element's entry of the count array)."""
    ev[0] += 1.0
    return cycle_state(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk)


@njit_kernel
def _res2(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev):
    r = _state(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
    return r[0], r[1], r[17]


@njit_kernel
def _inner_evap(tbl, cpar, ehx, chx, ssrc, ssnk, Tc, sh, sc, speed, Tsi, ms, Tki, mk, lo, hi, ev):
    """T_evap with r_e = 0 at fixed T_cond, bracketed (Illinois); status.

    A trial whose state cannot be evaluated counts as too warm (positive).
    """
    fhi, fc, st = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, hi, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
    if st != OK or not (fhi == fhi):
        fhi = 1.0
    if fhi <= 0.0:
        return (hi, OK) if fhi == 0.0 else (NAN, NOT_CONVERGED)
    # lower end: step down from the upper one (doubling) until the residual is negative;
    # a map far outside its envelope may fail before the table's lower end
    step = 0.5
    x = hi
    flo = 1.0
    while True:
        x = max(hi - step, lo)
        f, fc, st = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, x, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
        if st != OK:
            # not evaluable this far down (a source outlet below its table, say): the
            # root may lie in between, closer to hi; shorter steps from hi
            if step < _XTOL:
                return NAN, NOT_CONVERGED
            lo = x
            step *= 0.25
            continue
        if f < 0.0:
            lo = x
            flo = f
            break
        if f == 0.0:
            return x, OK
        hi = x
        fhi = f
        if x <= lo:
            return NAN, NOT_CONVERGED
        step *= 2.0
    side = 0
    for _ in range(_MAX_BRACKET):
        x = (lo * fhi - hi * flo) / (fhi - flo)
        if not (x > lo and x < hi) or hi - lo > 4.0:
            x = 0.5 * (lo + hi)
        f, fc, st = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, x, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
        if st != OK:
            f = 1.0
        if f == 0.0 or hi - lo < _XTOL:
            return x, OK
        lo, hi, flo, fhi, side = illinois_step(x, f, lo, hi, flo, fhi, side, True)
    return 0.5 * (lo + hi), OK


@njit_kernel
def _outer_g(tbl, cpar, ehx, chx, ssrc, ssnk, Tc, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, ev):
    """Condenser residual at T_cond with T_evap solved inside; r_c, Te, status."""
    up = min(Tsi - 1e-9, Tc - 1e-6)
    if not (up > Tlo):
        return 1.0, NAN, OK
    Te, st = _inner_evap(tbl, cpar, ehx, chx, ssrc, ssnk, Tc, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, up, ev)
    if st != OK:
        return NAN, NAN, st
    re, rc, st = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
    if st != OK:
        return NAN, NAN, st
    return rc, Te, OK


@njit_kernel
def _nested(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, Thi, ev):
    """Fallback: bracketed T_cond outside, bracketed T_evap inside. Returns Te, Tc, status."""
    lo = Tki + 1e-9
    hi = Thi
    if not (lo < hi):
        return NAN, NAN, INFEASIBLE
    glo, te_lo, st = _outer_g(tbl, cpar, ehx, chx, ssrc, ssnk, lo, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, ev)
    if st != OK or not (glo > 0.0):
        glo = 1.0
    # upper end: step up from the lower one (doubling) until the residual is negative
    step = 0.5
    top = hi
    while True:
        x = min(lo + step, top)
        ghi, te_hi, st = _outer_g(tbl, cpar, ehx, chx, ssrc, ssnk, x, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, ev)
        if st == OK and ghi < 0.0:
            hi = x
            break
        if st != OK:
            # no evaporating temperature solves at this T_cond (the lift takes the
            # discharge beyond the table, say): the root may lie below it; shorter steps
            if step < _XTOL:
                return NAN, NAN, NOT_CONVERGED
            top = x
            step *= 0.25
            continue
        if ghi > 0.0:
            lo = x
            glo = ghi
        if x >= top:
            return NAN, NAN, NOT_CONVERGED
        step *= 2.0
    side = 0
    Te = te_hi
    for _ in range(_MAX_BRACKET):
        x = (lo * ghi - hi * glo) / (ghi - glo)
        if not (x > lo and x < hi) or hi - lo > 4.0:
            x = 0.5 * (lo + hi)
        f, Te, st = _outer_g(tbl, cpar, ehx, chx, ssrc, ssnk, x, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, ev)
        if st != OK:
            return NAN, NAN, st
        if f == 0.0 or hi - lo < _XTOL:
            return Te, x, OK
        lo, hi, glo, ghi, side = illinois_step(x, f, lo, hi, glo, ghi, side, False)
    return Te, 0.5 * (lo + hi), OK


@njit_kernel(inline="always")
def _te_step(Te, d1, lam, bar, dl, logm, xmax):
    """T_evap after the fraction ``lam`` of the Newton step ``d1``; near the barrier ``bar``
    (``logm``, ``dl = bar - Te``) the step taken in ln(bar - T_evap): bar - dl exp(-lam d1 / dl),
    moving away by at most _MAX_STEP (``xmax = log1p(_MAX_STEP / dl)``)."""
    if not logm:
        return Te + lam * d1
    x = min(-lam * d1 / dl, xmax)
    return bar - dl * math.exp(x)


@njit_kernel(inline="always")
def _newton(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk, Te, Tc, cs, j11, j12, j21, j22,
            Tlo, Thi, ev):
    """Newton-Broyden on (T_evap, T_cond) in the box from the state ``cs`` (cycle_state) at (Te, Tc).

    ``j11 .. j22``: a starting Jacobian (a neighbour's), NaN for a finite-difference one.
    Returns Te, Tc, ok, the last Jacobian (to warm-start the next element) and the
    state at the returned point (so that it need not be evaluated again).
    """
    f1 = cs[0]
    f2 = cs[1]
    ok = False
    done = f1 >= 1.0 or f2 >= 1.0
    need_fd = not (j11 == j11 and j12 == j12 and j21 == j21 and j22 == j22)
    fresh = False
    it = 0
    while not done and it < _MAX_NEWTON:
        it += 1
        if _converged(f1, f2, j11, j12, j21, j22, Te, Tsi - sh):
            ok = True
            break
        if need_fd:
            need_fd = False
            # (within 2e-6 K of the evaporator's barrier, see below, the step toward it is
            # a quarter of the distance)
            he = _FD_STEP if not (Tsi - sh - Te < 2.0 * _FD_STEP) else 0.25 * (Tsi - sh - Te)
            a1, a2, sa = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, Te + he, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
            b1, b2, sb = _res2(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc + _FD_STEP, sh, sc, speed, Tsi, ms, Tki, mk, ev)
            if sa != OK or sb != OK or not (he > 0.0):
                break
            j11 = (a1 - f1) / he
            j21 = (a2 - f2) / he
            j12 = (b1 - f1) / _FD_STEP
            j22 = (b2 - f2) / _FD_STEP
            fresh = True
        det = j11 * j22 - j12 * j21
        scale = abs(j11 * j22) + abs(j12 * j21)
        if not (abs(det) > 1e-12 * scale) or not (scale > 0.0):
            if not fresh:
                need_fd = True
                continue
            break
        # an evaporator residual within its rounding (near the barrier, see _rounding) is
        # met: it neither drives the step nor counts in the line search's norm
        n1 = _rounding(j11, Te, Tsi - sh)
        e1 = 0.0 if abs(f1) < n1 else f1
        idet = 1.0 / det
        d1 = (-e1 * j22 + f2 * j12) * idet
        d2 = (-j11 * f2 + j21 * e1) * idet
        if Te + d1 == Te and j22 != 0.0:
            # a T_evap step below its rounding is not taken, so T_cond's step is the one
            # for T_evap held. At the barrier the coupled step assumed T_evap moves by
            # 1e-14 K (which turns the condenser residual by 1e-8 there), overshot by 2x
            # and swung 40 times (R32, 7.8e-9 K from the barrier: 854 cycle states)
            d1 = 0.0
            d2 = -f2 / j22
        big = max(abs(d1), abs(d2))
        if big > _MAX_STEP:
            d1 *= _MAX_STEP / big
            d2 *= _MAX_STEP / big
        lam = 1.0
        # the suction vapour (Te + sh) cannot leave the evaporator warmer than the source
        # enters it. Where a large UA heats it to nearly the source temperature, the
        # required UA grows like -ln(Tsi - sh - Te) and the evaporator residual is about
        # linear in ln(Tsi - sh - Te): within _BARRIER_ZONE of that barrier, T_evap moves
        # by the Newton step of that logarithm (the same step to first order, never past
        # the barrier; exact where the residual is linear in it). Newton in T_evap itself
        # overshot the barrier and crawled back to it, up to 2100 cycle states an element
        # (R32 plant, random samples in source and sink temperatures and superheat: 1.7 %
        # of the elements above 50 states, 57 % of the work)
        bar = Tsi - sh
        dl = bar - Te
        logm = dl > 0.0 and dl < _BARRIER_ZONE
        xmax = math.log1p(_MAX_STEP / dl) if logm else 0.0
        if not logm and d1 > 0.0 and Te < bar and Te + d1 >= bar:
            lam = _BARRIER_FRACTION * dl / d1  # a step across the barrier: 90 % of the way
        # stay inside the box: T_lo <= Te < Tsi, Te < Tc, Tki < Tc <= T_hi
        for _ in range(60):
            nte = _te_step(Te, d1, lam, bar, dl, logm, xmax)
            ntc = Tc + lam * d2
            if nte > Tlo and nte < Tsi and ntc > Tki and ntc < Thi and nte < ntc:
                break
            lam *= 0.5
        norm0 = max(abs(e1), abs(f2))
        accepted = False
        for _ in range(12):
            nte = _te_step(Te, d1, lam, bar, dl, logm, xmax)
            ntc = Tc + lam * d2
            cn = _state(tbl, cpar, ehx, chx, ssrc, ssnk, nte, ntc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
            g1 = cn[0]
            g2 = cn[1]
            gn = max(abs(g1) if abs(g1) >= n1 else 0.0, abs(g2))
            if cn[17] == OK and gn < norm0 * (1.0 - 1e-4 * lam) + 1e-15 and g1 < 1.0 and g2 < 1.0:
                accepted = True
                cs = cn
                break
            lam *= 0.5
        if not accepted:
            if not fresh:
                # the Broyden Jacobian was stale: retry with a finite-difference one
                need_fd = True
                continue
            break
        s1 = nte - Te if logm else lam * d1
        s2 = lam * d2
        y1 = g1 - f1
        y2 = g2 - f2
        if abs(s1) < _XTOL and abs(s2) < _XTOL:
            Te = nte
            Tc = ntc
            f1 = g1
            f2 = g2
            ok = abs(f1) < max(1e-8, _rounding(j11, Te, Tsi - sh)) and abs(f2) < 1e-8
            break
        if logm and bar - nte > 0.0:
            # near the barrier the update is made in ln(bar - T_evap), where the residual
            # is about linear: the T_evap column's secant across a step from 1e-3 K to
            # 1e-9 K below the barrier is a millionth of the slope at its end
            dn = bar - nte
            s1 = math.log(dn / dl)
            j11 *= -dl
            j21 *= -dl
        # Broyden ("good") update
        ss = s1 * s1 + s2 * s2
        u1 = (y1 - (j11 * s1 + j12 * s2)) / ss
        u2 = (y2 - (j21 * s1 + j22 * s2)) / ss
        j11 += u1 * s1
        j12 += u1 * s2
        j21 += u2 * s1
        j22 += u2 * s2
        if logm and bar - nte > 0.0:
            j11 /= -(bar - nte)
            j21 /= -(bar - nte)
        Te = nte
        Tc = ntc
        f1 = g1
        f2 = g2
        fresh = False
    if not ok:
        j11 = j12 = j21 = j22 = NAN
    return Te, Tc, ok, j11, j12, j21, j22, cs


@njit_kernel
def solve_at_speed(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk, Te0, Tc0, ev,
                   j11=NAN, j12=NAN, j21=NAN, j22=NAN):
    """Solve one unit at a given speed from a start (NaN: a default) and an optional Jacobian.

    Returns Te, Tc, status (OK or a flag), the Jacobian for a neighbour's warm start
    and the cycle state at (Te, Tc) (see :func:`cycle_state`).
    """
    par = tbl[0]
    Tlo = par[P_TMIN] + _T_MARGIN
    Thi = par[P_TTOP] - _T_MARGIN
    st = OK
    Te = Tc = NAN
    if not (Tsi > Tlo and Tki < Thi):
        st = INFEASIBLE
        Te0 = Tlo + 1.0  # harmless values below, results discarded
        Tc0 = Thi - 1.0
    elif not (Te0 > Tlo and Te0 < Tsi and Tc0 > Tki and Tc0 < Thi and Te0 < Tc0):
        Te0 = max(Tlo + 0.5, Tsi - 8.0)
        Tc0 = min(Thi - 0.5, Tki + 10.0)
    # move a start point out of an infeasible region (flat residual +1) before Newton,
    # and toward the inlet temperatures where the state cannot be evaluated (too large
    # a lift for the table: a discharge beyond it). Without the latter a fifth of the
    # cold starts on the benchmark grid (R32, source and sink 8 and 10 K from the
    # start) fell back to the nested search: 285 us at the 90th percentile
    step = 2.0
    cs = _state(tbl, cpar, ehx, chx, ssrc, ssnk, Te0, Tc0, sh, sc, speed, Tsi, ms, Tki, mk, ev)
    # the moves keep what they learn: an evaporating temperature with r_e at +1 bounds
    # the next trials above, one whose state could not be evaluated bounds them below
    # (and the condensing temperature the other way), so that a move never goes back
    # past a trial it has left. Without the bounds, starts where the feasible window is
    # narrow (brine near its freezing point below, the superheat's pinch at the source
    # inlet above: R32, 264 K source, 322 K sink) swung between the two for the twelve
    # moves and fell back to the nested search, about 450 evaluations a point
    te_lo = Tlo
    te_hi = Tsi
    tc_lo = Tki
    tc_hi = Thi
    for _ in range(12):
        if st != OK or (cs[17] == OK and cs[0] < 1.0 and cs[1] < 1.0):
            break
        j11 = NAN  # moved: the neighbour's Jacobian no longer applies
        if cs[17] != OK:
            te_lo = max(te_lo, Te0)
            tc_hi = min(tc_hi, Tc0)
            Te0 = 0.5 * (Te0 + te_hi)
            Tc0 = 0.5 * (Tc0 + tc_lo)
        else:
            if cs[0] >= 1.0:
                te_hi = min(te_hi, Te0)
                Te0 = max(Te0 - step, 0.5 * (Te0 + te_lo))
            if cs[1] >= 1.0:
                tc_lo = max(tc_lo, Tc0)
                Tc0 = min(Tc0 + step, 0.5 * (Tc0 + tc_hi))
            step *= 2.0
        cs = _state(tbl, cpar, ehx, chx, ssrc, ssnk, Te0, Tc0, sh, sc, speed, Tsi, ms, Tki, mk, ev)
    ok = False
    if st == OK and cs[17] == OK and _converged(cs[0], cs[1], j11, j12, j21, j22, Te0, Tsi - sh):
        # converged at the start (most elements of a sweep): what _newton would return
        # at once, without the call
        Te, Tc, ok = Te0, Tc0, True
    elif st == OK and cs[17] == OK:
        Te, Tc, ok, j11, j12, j21, j22, cs = _newton(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk,
                                                     Te0, Tc0, cs, j11, j12, j21, j22, Tlo, Thi, ev)
    if st == OK and not ok:
        Te, Tc, st = _nested(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk, Tlo, Thi, ev)
        cs = _state(tbl, cpar, ehx, chx, ssrc, ssnk, Te, Tc, sh, sc, speed, Tsi, ms, Tki, mk, ev)
        if st == OK:
            st = cs[17]
    if not ok:
        j11 = j12 = j21 = j22 = NAN
    return Te, Tc, st, j11, j12, j21, j22, cs


# the full-load solve inlined at its call in solve_point, the one nearly every element
# takes (the demand-following calls keep the call: each copy lengthens the compile)
_solve_at_speed_i = njit_kernel(inline="always")(solve_at_speed.py_func)


@njit_kernel(inline="always")
def _speed_range(cpar):
    if cpar[0] == KIND_MAP:
        return cpar[13], cpar[14]
    return cpar[2], cpar[3]


@njit_kernel
def _unit_q(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki, mk, Te0, Tc0, ev):
    Te, Tc, st, j11, j12, j21, j22, r = solve_at_speed(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, speed, Tsi, ms, Tki,
                                                       mk, Te0, Tc0, ev)
    q = P = NAN
    if st == OK:
        q = r[2] * (r[5] - r[6])
        P = r[3]
    else:
        Te = Tc = NAN
    return q, P, Te, Tc, st


@njit_kernel
def _speed_for(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, Tsi, ms, Tki, mk, target, slo, qlo, shi, qhi, Te0, Tc0, ev):
    """Speed in [slo, shi] whose heating capacity is ``target`` (qlo <= target <= qhi)."""
    flo = qlo - target
    fhi = qhi - target
    side = 0
    x = slo
    for _ in range(_MAX_BRACKET):
        x = (slo * fhi - shi * flo) / (fhi - flo)
        if not (x > slo and x < shi):
            x = 0.5 * (slo + shi)
        q, P, Te0, Tc0, st = _unit_q(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, x, Tsi, ms, Tki, mk, Te0, Tc0, ev)
        if st != OK:
            return NAN, st
        f = q - target
        if abs(f) <= 1e-12 * target or shi - slo <= 1e-12 * shi:
            return x, OK
        slo, shi, flo, fhi, side = illinois_step(x, f, slo, shi, flo, fhi, side, True)
    return x, OK


@njit_kernel(inline="always")
def _fill(tbl, r, speed, Te, Tc, ehx, chx, nunits, cr, cd, demand, nev, cols, out, k):
    """Write the outputs of element k from a converged unit state ``r`` (cycle_state at Te, Tc).

    ``out[k, j]`` receives output ``cols[j]`` (O_*): only the requested ones are stored,
    so a call asking for a few outputs does not allocate (and fault in, page by page)
    NOUT columns. ``nev``: the cycle states the solve evaluated (O_ITERATIONS).
    """
    st = r[17]
    if st != OK:
        return st
    m = r[2]
    P = r[3]
    h1 = r[4]
    h2 = r[5]
    h3 = r[6]
    if r[22] < r[10]:
        # the discharge entropy below the suction's: the compressor model implies an
        # isentropic efficiency above 1 (a map used outside its envelope or with another
        # refrigerant), not a physical state. Tested on the entropies, which the states
        # hold: the isentropic discharge enthalpy (one more look-up, about 40 ns an
        # element) only where eta_is is asked for
        return OUT_OF_DOMAIN
    eta = NAN
    for j in range(cols.shape[0]):
        if cols[j] == O_ETA_IS:
            h2s, st = discharge_h(tbl, Tc, r[10], r[18], r[19], r[20], r[21])
            if st != OK:
                return st
            eta = (h2s - h1) / (h2 - h1)
    qh = m * (h2 - h3) * nunits
    qc = m * (h1 - h3) * nunits
    pw = P * nunits
    # time-averaged over on/off cycling (cr = fraction of time on); EN 14825 part-load factor
    plf = 1.0
    if cr < 1.0:
        plf = cr / (cd * cr + (1.0 - cd))
    qh_avg = qh * cr
    pw_avg = qh_avg / ((qh / pw) * plf) if cr < 1.0 else pw
    v = ((Te, Tc, r[8], r[9], m, speed, qh_avg, qc * cr, pw_avg, qh_avg / pw_avg, qc * cr / pw_avg,
          eta, r[15], r[16], r[13]) +
         (r[14], float(nunits), cr, h1, h2, h3, r[7], max(demand - qh_avg, 0.0) if demand == demand else 0.0,
          pw_avg - pw * cr, r[11], r[12], nev))
    for j in range(cols.shape[0]):
        out[k, j] = v[cols[j]]
    flag = OK
    if r[13] < ehx[3] or r[14] < chx[3]:
        flag = PINCH_VIOLATED
    return flag


@njit_kernel(inline="always")
def solve_point(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols, out,
                nev, k, te0, tc0, j11, j12, j21, j22):
    """One element: full load at ``speed`` (NaN: maximum) or demand-following with staging.

    Returns the status, at full load the Jacobian, and the solution and the polished
    solution (:func:`_polished`; the solution where there is no Jacobian) for the next
    element's warm start. Counts the cycle states it evaluates in ``nev[k]``; writes the
    outputs ``cols`` to ``out[k]`` (:func:`_fill`).
    """
    ev = nev[k:k + 1]
    ev[0] = 0.0
    if not (math.isfinite(Tsi) and math.isfinite(ms) and math.isfinite(Tki) and math.isfinite(mk)
            and math.isfinite(sh) and math.isfinite(sc)) or speed == INF or demand == INF:
        return NONFINITE_INPUT, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    if ms <= 0.0 or mk <= 0.0 or sh < 0.0 or sc < 0.0 or (demand == demand and demand <= 0.0):
        return OUT_OF_DOMAIN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    smin, smax = _speed_range(cpar)
    # the streams' inlet enthalpies, once: every trial state's zones read them from here
    # (see _kernels.inlet_h)
    hsi, sti = sec_h(ssrc, Tsi)
    hki, stk = sec_h(ssnk, Tki)
    ssrc = (ssrc[0], ssrc[1], ssrc[2], hsi, sti)
    ssnk = (ssnk[0], ssnk[1], ssnk[2], hki, stk)
    if not (demand == demand):
        s = smax if not (speed == speed) else speed
        if not (s >= smin * (1.0 - 1e-12) and s <= smax * (1.0 + 1e-12)):
            return OUT_OF_DOMAIN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
        Te, Tc, st, j11, j12, j21, j22, r = _solve_at_speed_i(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, s, Tsi, ms,
                                                              Tki, mk, te0, tc0, ev, j11, j12, j21, j22)
        if st != OK:
            return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
        st = _fill(tbl, r, s, Te, Tc, ehx, chx, nunits_max, 1.0, cd, NAN, ev[0], cols, out, k)
        te1, tc1 = _polished(Te, Tc, r[0], r[1], j11, j12, j21, j22)
        return st, j11, j12, j21, j22, Te, Tc, te1, tc1
    # demand-following: every number of running units, keep the best COP
    qmax, pmax, te_max, tc_max, st = _unit_q(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, smax, Tsi, ms, Tki, mk, te0, tc0, ev)
    if st != OK:
        return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    if smin < smax:
        qmin, pmin, _te, _tc, st = _unit_q(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, smin, Tsi, ms, Tki, mk, te_max, tc_max, ev)
        if st != OK:
            return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    else:
        qmin = qmax
        pmin = pmax
    best_cop = -1.0
    best_n = 0
    best_s = NAN
    best_cr = 1.0
    for n in range(1, nunits_max + 1):
        d = demand / n
        if d > qmax * (1.0 + 1e-12):
            if n < nunits_max:
                continue
            # the whole plant at full speed does not meet the demand
            cop = qmax / pmax
            if best_n == 0:
                best_cop, best_n, best_s, best_cr = cop, n, smax, 1.0
            continue
        if d <= qmin:
            cr = d / qmin
            cop = (qmin / pmin) * cr / (cd * cr + (1.0 - cd))
            if cop > best_cop:
                best_cop, best_n, best_s, best_cr = cop, n, smin, cr
            continue
        s, st = _speed_for(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, Tsi, ms, Tki, mk, d, smin, qmin, smax, qmax, te_max, tc_max, ev)
        if st != OK:
            return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
        q, P, te_s, tc_s, st = _unit_q(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, s, Tsi, ms, Tki, mk, te_max, tc_max, ev)
        if st != OK:
            return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
        cop = q / P
        if cop > best_cop:
            best_cop, best_n, best_s, best_cr = cop, n, s, 1.0
    Te, Tc, st, j11, j12, j21, j22, r = solve_at_speed(tbl, cpar, ehx, chx, ssrc, ssnk, sh, sc, best_s, Tsi, ms, Tki,
                                                       mk, te_max, tc_max, ev)
    if st != OK:
        return st, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    st = _fill(tbl, r, best_s, Te, Tc, ehx, chx, best_n, best_cr, cd, demand, ev[0], cols, out, k)
    return st, NAN, NAN, NAN, NAN, Te, Tc, Te, Tc


#: fewest elements per parallel task; inside a task each element starts from its
#: predecessor's solution (sweeps are ordered, so neighbours are close)
CHUNK = 1024


@njit_kernel(inline="always")
def _polished(Te, Tc, f1, f2, j11, j12, j21, j22):
    """The converged (Te, Tc) moved by the Newton step its residuals still ask for.

    The solution is returned (and its state evaluated) at (Te, Tc), where the residuals
    are below the tolerance; the step they still imply makes it, for extrapolating the
    next elements' starts, as exact as the Jacobian: without it the starts carried the
    residual's tolerance (a temperature error up to about 1e-10 K) amplified by the
    extrapolation weights (up to 63), and a point solved in one evaluation made its
    successors take two. A step longer than 1e-6 K (a stale Jacobian) is not taken.
    """
    det = j11 * j22 - j12 * j21
    d1 = (-f1 * j22 + f2 * j12) / det
    d2 = (-j11 * f2 + j21 * f1) / det
    ok = abs(d1) < 1e-6 and abs(d2) < 1e-6  # False for NaN (no Jacobian)
    return (Te + d1, Tc + d2) if ok else (Te, Tc)


@njit_kernel
def _step_ratio(inputs, k):
    """c with u[k+1] - u[k] = c (u[k] - u[k-1]) for every input array u (a straight sweep); NaN if none.

    The ordered sweeps of a design space change one input at a time in equal steps:
    along such a line the solution is extrapolated linearly from the two previous
    points, a start much closer than the previous point itself.
    """
    c = NAN
    big = 0.0
    for a in inputs:
        d1 = a[k] - a[k - 1]
        if abs(d1) > big:
            big = abs(d1)
            c = (a[k + 1] - a[k]) / d1
    ok = big > 0.0 and c > 0.0 and c <= 2.0
    if ok:
        for a in inputs:
            d1 = a[k] - a[k - 1]
            d2 = a[k + 1] - a[k]
            same = (a[k - 1] == a[k] and a[k] == a[k + 1]) or (not (a[k - 1] == a[k - 1]) and not (a[k] == a[k])
                                                              and not (a[k + 1] == a[k + 1]))
            if not same and not (abs(d2 - c * d1) <= 1e-12 * (abs(a[k + 1]) + abs(a[k]))):
                ok = False
    return c if ok else NAN


#: previous solutions the warm start extrapolates through (degree up to _NHIST - 1)
_NHIST = 6


@njit_kernel(inline="always")
def _lagrange_w(i, m, t, ts):
    """Weight of point i in the Lagrange polynomial through the first m positions ``ts``,
    at t (0 for i >= m)."""
    num = 1.0
    den = 1.0
    for j in range(m):
        if j != i:
            num *= t - ts[j]
            den *= ts[i] - ts[j]
    return num / den if i < m else 0.0


#: the weights for equal steps (t = 1, positions 0, -1, -2, ...): (-1)**i binomial(m, i + 1)
_W_EQUAL = ((1.0, 0.0, 0.0, 0.0, 0.0, 0.0), (2.0, -1.0, 0.0, 0.0, 0.0, 0.0), (3.0, -3.0, 1.0, 0.0, 0.0, 0.0),
            (4.0, -6.0, 4.0, -1.0, 0.0, 0.0), (5.0, -10.0, 10.0, -5.0, 1.0, 0.0),
            (6.0, -15.0, 20.0, -15.0, 6.0, -1.0))


@njit_kernel(inline="always")
def _lagrange_weights(m, t, ts, cr):
    """All _NHIST weights, computed once for every extrapolated quantity (one division
    each; evaluating the polynomial per quantity took m (m - 1) divisions each). Equal
    steps (every ratio within 1e-9 of 1, as a grid's rounding leaves them), the most
    common sweep, take the binomial weights instead (about 60 ns less a point)."""
    equal = abs(t - 1.0) < 1e-9
    for i in range(1, m - 1):
        equal = equal and abs(cr[i] - 1.0) < 1e-9
    w = _W_EQUAL[m - 1]
    if not equal:
        w = (_lagrange_w(0, m, t, ts), _lagrange_w(1, m, t, ts), _lagrange_w(2, m, t, ts),
             _lagrange_w(3, m, t, ts), _lagrange_w(4, m, t, ts), _lagrange_w(5, m, t, ts))
    return w


@njit_kernel(inline="always")
def _dot(w, x):
    return ((w[0] * x[0] + w[1] * x[1]) + (w[2] * x[2] + w[3] * x[3])) + (w[4] * x[4] + w[5] * x[5])


@njit_kernel(inline="always")
def _d(a, k, j):
    d = a[k] - a[j]
    return d if d == d else 0.0  # an input left NaN (speed, demand: the defaults) does not vary


@njit_kernel(inline="always")
def _dinputs(inputs, k, j):
    """The 8 inputs of element k minus those of element j (NaN differences as 0)."""
    return (_d(inputs[0], k, j), _d(inputs[1], k, j), _d(inputs[2], k, j), _d(inputs[3], k, j),
            _d(inputs[4], k, j), _d(inputs[5], k, j), _d(inputs[6], k, j), _d(inputs[7], k, j))


@njit_kernel(inline="always")
def _dot8(a, d):
    return (((a[0] * d[0] + a[1] * d[1]) + (a[2] * d[2] + a[3] * d[3]))
            + ((a[4] * d[4] + a[5] * d[5]) + (a[6] * d[6] + a[7] * d[7])))


@njit_kernel(inline="always")
def _secant_update(a, d, r, dd):
    """Broyden's update of the sensitivity row ``a`` to the secant r = dx - a.d along d."""
    f = r / dd
    return (a[0] + f * d[0], a[1] + f * d[1], a[2] + f * d[2], a[3] + f * d[3],
            a[4] + f * d[4], a[5] + f * d[5], a[6] + f * d[6], a[7] + f * d[7])


#: the solutions the local fits take (two varying inputs: 6 features, twice as many points)
_K2 = 12
#: the fits' points must lie around the element they start: the farthest at most this many
#: times as far as the nearest (on the benchmark's Morton curve the ratio is at most 8 for
#: 90 % of the elements and 36 for 99 %; at a grid row's start it is the row's length)
_FIT_SPAN = 32.0


#: products a solution adds to the fits' sums (:func:`_products`)
_NPROD = 38
#: the fit window ``FW`` (a stack array, _K2 + 2 rows of _NPROD): row i the products of the
#: solution in HT's column i, in coordinates about the anchor; row _K2 their sums; row
#: _K2 + 1 the anchor: scaled inputs, 1 / scale, T_evap, T_cond, pushes since, valid
_FW_ROWS = _K2 + 2
#: the window is re-anchored (its sums recomputed) after _K2 pushes, or when a new
#: solution lies farther than this many scales from the anchor
_FW_REACH = 2.0


@njit_kernel(inline="always")
def _products(HT, FW, i):
    """Row i of the fit window: the powers of the anchored inputs (x, y) of HT's column i up
    to the fourth, and those up to the second times its T_evap and T_cond (less the
    anchor's) and up to the first times its Jacobian."""
    A = _K2 + 1
    isc = FW[A, 2]
    x = (HT[0, i] - FW[A, 0]) * isc
    y = (HT[1, i] - FW[A, 1]) * isc
    xx = x * x
    xy = x * y
    yy = y * y
    FW[i, 0] = x
    FW[i, 1] = y
    FW[i, 2] = xx
    FW[i, 3] = xy
    FW[i, 4] = yy
    FW[i, 5] = xx * x
    FW[i, 6] = xx * y
    FW[i, 7] = x * yy
    FW[i, 8] = yy * y
    FW[i, 9] = xx * xx
    FW[i, 10] = xx * xy
    FW[i, 11] = xx * yy
    FW[i, 12] = xy * yy
    FW[i, 13] = yy * yy
    for r in range(2):
        t = HT[2 + r, i] - FW[A, 3 + r]
        FW[i, 14 + 6 * r] = t
        FW[i, 15 + 6 * r] = x * t
        FW[i, 16 + 6 * r] = y * t
        FW[i, 17 + 6 * r] = xx * t
        FW[i, 18 + 6 * r] = xy * t
        FW[i, 19 + 6 * r] = yy * t
    for r in range(4):
        j = HT[4 + r, i]
        FW[i, 26 + 3 * r] = j
        FW[i, 27 + 3 * r] = x * j
        FW[i, 28 + 3 * r] = y * j


@njit_kernel
def _fw_anchor(HT, FW, i):
    """Anchor the fit window at HT's column i, scaled by the farthest solution's distance
    from it, and recompute every row and the sums (invalid if all coincide)."""
    A = _K2 + 1
    rad = 0.0
    for c in range(_K2):
        rad = max(rad, max(abs(HT[0, c] - HT[0, i]), abs(HT[1, c] - HT[1, i])))
    FW[A, 0] = HT[0, i]
    FW[A, 1] = HT[1, i]
    FW[A, 2] = 1.0 / rad if rad > 0.0 else 0.0
    FW[A, 3] = HT[2, i]
    FW[A, 4] = HT[3, i]
    FW[A, 5] = 0.0
    FW[A, 6] = 1.0 if rad > 0.0 else 0.0
    for c in range(_K2):
        _products(HT, FW, c)
    for j in range(_NPROD):
        FW[_K2, j] = FW[0, j]
    for c in range(1, _K2):
        for j in range(_NPROD):
            FW[_K2, j] += FW[c, j]


@njit_kernel(inline="always")
def _fw_push(HT, FW, i, nh):
    """HT's column i holds a new solution (the ``nh``-th): its products replace the oldest's
    in the window's sums (two passes of _NPROD additions; computing the sums afresh takes
    _K2). The window is anchored when it first fills and re-anchored after _K2 pushes or
    when the solution lies beyond _FW_REACH scales from the anchor (a jump along the Morton
    curve), so that the sums neither accumulate rounding nor lose conditioning."""
    if nh < _K2:
        return
    A = _K2 + 1
    isc = FW[A, 2]
    x = (HT[0, i] - FW[A, 0]) * isc
    y = (HT[1, i] - FW[A, 1]) * isc
    if nh == _K2 or FW[A, 5] >= _K2 or FW[A, 6] != 1.0 or not (abs(x) <= _FW_REACH and abs(y) <= _FW_REACH):
        _fw_anchor(HT, FW, i)
        return
    for j in range(_NPROD):
        FW[_K2, j] -= FW[i, j]
    _products(HT, FW, i)
    for j in range(_NPROD):
        FW[_K2, j] += FW[i, j]
    FW[A, 5] += 1.0


@njit_kernel
def _fw_fit(HT, FW, u0, v0):
    """Least-squares fits through the _K2 solutions of the window, evaluated at the scaled
    inputs (u0, v0): the solution by a quadratic and the Jacobian by a linear polynomial
    in the two inputs.

    Returns ok_quadratic, T_evap, T_cond, ok_linear, j11, j12, j21, j22; a fit is not ok
    where its points leave a direction undetermined (all on a line, say) or are not around
    (u0, v0) (:data:`_FIT_SPAN`).

    In the window's anchored coordinates the normal matrix G is made of its sums; the
    value of a fit at phi = (1, x0, y0, x0^2, x0 y0, y0^2) is phi' G^-1 b (b its right-hand
    side, the sums of the features times the values). G = U' D U (U unit upper triangular:
    no square roots, one division a row, whose reciprocal every solve uses), written out:
    loops over a 6 x 6 stack array took 30 ns more. The linear fit's normal matrix is G's
    leading 3 x 3 block, so its factors are the first three rows of G's. A pivot below
    1e-10 of its diagonal entry leaves a direction undetermined.
    """
    rad = 0.0
    near = INF
    for i in range(_K2):
        r = max(abs(HT[0, i] - u0), abs(HT[1, i] - v0))
        rad = max(rad, r)
        near = min(near, r)
    A = _K2 + 1
    if not (rad > 0.0 and rad <= _FIT_SPAN * near and FW[A, 6] == 1.0):
        return False, NAN, NAN, False, NAN, NAN, NAN, NAN
    isc = FW[A, 2]
    x0 = (u0 - FW[A, 0]) * isc
    y0 = (v0 - FW[A, 1]) * isc
    S = _K2
    # features 1, x, y, x^2, xy, y^2: g_ab the sum of their products
    g00, g01, g02, g03, g04, g05 = float(_K2), FW[S, 0], FW[S, 1], FW[S, 2], FW[S, 3], FW[S, 4]
    g11, g12, g13, g14, g15 = FW[S, 2], FW[S, 3], FW[S, 5], FW[S, 6], FW[S, 7]
    g22, g23, g24, g25 = FW[S, 4], FW[S, 6], FW[S, 7], FW[S, 8]
    g33, g34, g35 = FW[S, 9], FW[S, 10], FW[S, 11]
    g44, g45 = FW[S, 11], FW[S, 12]
    g55 = FW[S, 13]
    pv0 = g00
    i0 = 1.0 / pv0
    u01 = g01 * i0
    u02 = g02 * i0
    u03 = g03 * i0
    u04 = g04 * i0
    u05 = g05 * i0
    t0 = u01 * pv0
    pv1 = g11 - t0 * u01
    ok1 = pv1 > 1e-10 * g11
    i1 = 1.0 / pv1
    u12 = (g12 - t0 * u02) * i1
    u13 = (g13 - t0 * u03) * i1
    u14 = (g14 - t0 * u04) * i1
    u15 = (g15 - t0 * u05) * i1
    t0 = u02 * pv0
    t1 = u12 * pv1
    pv2 = (g22 - t0 * u02) - t1 * u12
    ok2 = pv2 > 1e-10 * g22
    i2 = 1.0 / pv2
    u23 = ((g23 - t0 * u03) - t1 * u13) * i2
    u24 = ((g24 - t0 * u04) - t1 * u14) * i2
    u25 = ((g25 - t0 * u05) - t1 * u15) * i2
    t0 = u03 * pv0
    t1 = u13 * pv1
    t2 = u23 * pv2
    pv3 = ((g33 - t0 * u03) - t1 * u13) - t2 * u23
    ok3 = pv3 > 1e-10 * g33
    i3 = 1.0 / pv3
    u34 = (((g34 - t0 * u04) - t1 * u14) - t2 * u24) * i3
    u35 = (((g35 - t0 * u05) - t1 * u15) - t2 * u25) * i3
    t0 = u04 * pv0
    t1 = u14 * pv1
    t2 = u24 * pv2
    t3 = u34 * pv3
    pv4 = (((g44 - t0 * u04) - t1 * u14) - t2 * u24) - t3 * u34
    ok4 = pv4 > 1e-10 * g44
    i4 = 1.0 / pv4
    u45 = ((((g45 - t0 * u05) - t1 * u15) - t2 * u25) - t3 * u35) * i4
    t0 = u05 * pv0
    t1 = u15 * pv1
    t2 = u25 * pv2
    t3 = u35 * pv3
    t4 = u45 * pv4
    pv5 = ((((g55 - t0 * u05) - t1 * u15) - t2 * u25) - t3 * u35) - t4 * u45
    ok5 = pv5 > 1e-10 * g55
    i5 = 1.0 / pv5
    # the linear fit's weights, G3^-1 phi3, then the quadratic one's, G^-1 phi
    z0 = 1.0
    z1 = x0 - u01 * z0
    z2 = (y0 - u02 * z0) - u12 * z1
    z0 *= i0
    z1 *= i1
    z2 *= i2
    z1 = z1 - u12 * z2
    z0 = (z0 - u01 * z1) - u02 * z2
    w0 = 1.0
    w1 = x0 - u01 * w0
    w2 = (y0 - u02 * w0) - u12 * w1
    w3 = ((x0 * x0 - u03 * w0) - u13 * w1) - u23 * w2
    w4 = (((x0 * y0 - u04 * w0) - u14 * w1) - u24 * w2) - u34 * w3
    w5 = ((((y0 * y0 - u05 * w0) - u15 * w1) - u25 * w2) - u35 * w3) - u45 * w4
    w0 *= i0
    w1 *= i1
    w2 *= i2
    w3 *= i3
    w4 *= i4
    w5 *= i5
    w4 = w4 - u45 * w5
    w3 = (w3 - u34 * w4) - u35 * w5
    w2 = ((w2 - u23 * w3) - u24 * w4) - u25 * w5
    w1 = (((w1 - u12 * w2) - u13 * w3) - u14 * w4) - u15 * w5
    w0 = ((((w0 - u01 * w1) - u02 * w2) - u03 * w3) - u04 * w4) - u05 * w5
    okl = ok1 and ok2
    okq = okl and ok3 and ok4 and ok5
    te = tc = j11 = j12 = j21 = j22 = NAN
    if okl:
        j11 = (z0 * FW[S, 26] + z1 * FW[S, 27]) + z2 * FW[S, 28]
        j12 = (z0 * FW[S, 29] + z1 * FW[S, 30]) + z2 * FW[S, 31]
        j21 = (z0 * FW[S, 32] + z1 * FW[S, 33]) + z2 * FW[S, 34]
        j22 = (z0 * FW[S, 35] + z1 * FW[S, 36]) + z2 * FW[S, 37]
        okl = math.isfinite(j11) and math.isfinite(j12) and math.isfinite(j21) and math.isfinite(j22)
    if okq:
        te = FW[A, 3] + (((w0 * FW[S, 14] + w1 * FW[S, 15]) + (w2 * FW[S, 16] + w3 * FW[S, 17]))
                         + (w4 * FW[S, 18] + w5 * FW[S, 19]))
        tc = FW[A, 4] + (((w0 * FW[S, 20] + w1 * FW[S, 21]) + (w2 * FW[S, 22] + w3 * FW[S, 23]))
                         + (w4 * FW[S, 24] + w5 * FW[S, 25]))
        okq = math.isfinite(te) and math.isfinite(tc)
    return okq, te, tc, okl, j11, j12, j21, j22


@njit_kernel
def _fits2(HT, u0, v0):
    """:func:`_fw_fit` on a window anchored afresh at HT's first column (for tests)."""
    FW = stack_empty(_FW_ROWS, _NPROD)
    _fw_anchor(HT, FW, 0)
    return _fw_fit(HT, FW, u0, v0)


@njit_kernel
def _solve_range(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols,
                 out, nev, status, k0, k1):
    te = NAN
    tc = NAN
    j11 = j12 = j21 = j22 = NAN
    inputs = (Tsi, ms, Tki, mk, sh, sc, speed, demand)
    # the last solutions (polished, newest first) and the step ratios of the inputs
    # between them (NaN: not on one straight sweep line); m of them on the current line
    he = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # _NHIST of them; beyond m weighted 0 (so finite)
    hc = he
    cr = (NAN, NAN, NAN, NAN, NAN, NAN)
    m = 0
    k_ok = -1
    te_ok = tc_ok = NAN
    # sensitivities of (T_evap, T_cond) to the inputs, learnt along the range by secant
    # (Broyden) updates between consecutive solutions: the start of an element off any
    # straight line (shuffled or random samples) is the last solution moved by them.
    # They start as a shift with the inlet temperatures
    ae = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    ac = (0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    # the last element a start jumped to (off the line before it): its solution and
    # Jacobian. In a grid, the first element of a row is next to the first of the row
    # before, not to the last element solved (the far end of that row): starting there
    # took 8-13 cycle states, and the next few 3-5 each (R32 benchmark grid)
    jb = -1
    jte = jtc = jj11 = jj12 = jj21 = jj22 = NAN
    jumped = False
    # a sample in two varying inputs (the rest constant over this range) keeps its last
    # _K2 solutions for the local fits (:func:`_fw_fit`): in HT's columns (in any order),
    # the two inputs scaled to [0, 1] over the range, the solution and the Jacobian
    nv = 0
    i0 = i1 = 0
    lo0 = lo1 = s0 = s1 = 0.0
    for j in range(8):
        a = inputs[j]
        lo = INF
        hi = -INF
        for k in range(k0, k1):
            x = a[k]
            if x < lo:
                lo = x
            if x > hi:
                hi = x
        if hi > lo and math.isfinite(hi - lo):
            if nv == 0:
                i0, lo0, s0 = j, lo, 1.0 / (hi - lo)
            else:
                i1, lo1, s1 = j, lo, 1.0 / (hi - lo)
            nv += 1
    xa = inputs[i0]
    xb = inputs[i1]
    HT = stack_empty(8, _K2)
    FW = stack_empty(_FW_ROWS, _NPROD)
    # the window's sums are kept up to date (``live``) while fits are asked for; after _K2
    # elements without one (along a grid's rows) they are not, and the next fit
    # recomputes them (grid order: 574 -> 558 ns a point)
    live = False
    idle = 0
    nh = 0  # solutions recorded (the last _K2 kept)
    for k in range(k0, k1):
        st, j11, j12, j21, j22, tes, tcs, te1, tc1 = solve_point(
            tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi[k], ms[k], Tki[k], mk[k], sh[k], sc[k], speed[k],
            demand[k], cols, out, nev, k, te, tc, j11, j12, j21, j22)
        status[k] = st
        if st != OK:
            m = 0
            nev[k] = NAN
            for j in range(out.shape[1]):
                out[k, j] = NAN
            # the next element starts from the last solved one (a cold start fails more often
            # near the edge of the feasible region)
            te = tc = NAN
            if k_ok >= 0 and k + 1 < k1 and math.isfinite(Tsi[k + 1]) and math.isfinite(Tki[k + 1]):
                dn = _dinputs(inputs, k + 1, k_ok)
                te = te_ok + _dot8(ae, dn)
                tc = tc_ok + _dot8(ac, dn)
            continue
        if k_ok >= 0:
            dp = _dinputs(inputs, k, k_ok)
            dd = _dot8(dp, dp)
            if dd > 0.0:
                ae = _secant_update(ae, dp, (tes - te_ok) - _dot8(ae, dp), dd)
                ac = _secant_update(ac, dp, (tcs - tc_ok) - _dot8(ac, dp), dd)
        k_ok = k
        te_ok = tes
        tc_ok = tcs
        if nv == 2:
            i = nh % _K2
            nh += 1
            HT[0, i] = (xa[k] - lo0) * s0
            HT[1, i] = (xb[k] - lo1) * s1
            # the Jacobian's T_evap column times the distance below the evaporator's
            # barrier (T_source_in - superheat - T_evap, see _newton): the residuals'
            # slopes in ln(distance), about linear in the inputs where the column itself
            # grows like 1 / distance. Fitted so: 2.180 -> 2.153 cycle states a point on
            # the benchmark's random order, elements taking three 13737 -> 12094 of 10^5
            # (most of them near the barrier). Fitting T_evap as ln(distance) too made it
            # 2.40: T_evap itself is the smoother
            gap = (Tsi[k] - sh[k]) - te1
            HT[2, i] = te1
            HT[3, i] = tc1
            HT[4, i] = j11 * gap
            HT[5, i] = j12
            HT[6, i] = j21 * gap
            HT[7, i] = j22
            if live:
                _fw_push(HT, FW, i, nh)
        if jumped:
            jb, jte, jtc, jj11, jj12, jj21, jj22 = k, tes, tcs, j11, j12, j21, j22
        jumped = False
        if k + 1 < k1 and math.isfinite(Tsi[k + 1]) and math.isfinite(Tki[k + 1]):
            # warm start of the next element. Along a straight sweep (inputs changing in
            # proportional steps), Lagrange extrapolation through up to _NHIST previous
            # solutions at their positions on the line; else this element moved by the
            # learnt sensitivities
            c = _step_ratio(inputs, k) if m >= 1 else NAN
            he = (te1, he[0], he[1], he[2], he[3], he[4])
            hc = (tc1, hc[0], hc[1], hc[2], hc[3], hc[4])
            cr = (c, cr[0], cr[1], cr[2], cr[3], cr[4])
            m = min(m + 1, _NHIST) if c == c else 1
            # the local fits first (where they apply, below): when both succeed, the other
            # starts are not computed (about 30 ns an element of a random sample)
            fit = m <= 2 and nv == 2 and nh >= _K2 and (xa[k + 1] != xa[k] or xb[k + 1] != xb[k])
            okq = okl = False
            fe = fc = f11 = f12 = f21 = f22 = NAN
            if fit:
                # off any straight line, or on one but with only two points on it, in a
                # two-input sample (random, along its Morton curve): the solution by a
                # local quadratic fit to the last solutions, the Jacobian by a linear fit
                # to theirs. A neighbour's solution moved by the learnt sensitivities
                # starts a few 1e-6 K off, with a Jacobian a few 1e-3 off, and its first
                # Newton step lands about 1e-8 K short: three cycle states an element. The
                # fits start about 3e-8 K off with a Jacobian within 1e-4 (median, R32
                # benchmark), and most elements converge after one step (two states)
                if not live:
                    _fw_anchor(HT, FW, (nh - 1) % _K2)
                    live = True
                idle = 0
                u0 = (xa[k + 1] - lo0) * s0
                okq, fe, fc, okl, f11, f12, f21, f22 = _fw_fit(HT, FW, u0, (xb[k + 1] - lo1) * s1)
            else:
                idle += 1
                live = live and idle < _K2
            barn = Tsi[k + 1] - sh[k + 1]
            if okq and okl and barn - fe > 0.0:
                te = fe
                tc = fc
                j11, j12, j21, j22 = f11 / (barn - fe), f12, f21 / (barn - fe), f22
                jumped = m < 2
            else:
                if m >= 2:
                    # positions: this element at 0, the one before at -1, then the steps scaled
                    # back by the ratios; the next element at c (entries beyond m unused)
                    w2 = 1.0 / cr[1]
                    w3 = w2 / cr[2]
                    w4 = w3 / cr[3]
                    w5 = w4 / cr[4]
                    ts = (0.0, -1.0, -1.0 - w2, -1.0 - w2 - w3, -1.0 - w2 - w3 - w4, -1.0 - w2 - w3 - w4 - w5)
                    w = _lagrange_weights(m, c, ts, cr)
                    te = _dot(w, he)
                    tc = _dot(w, hc)
                else:
                    # the solution itself, not polished: an element repeating this one's
                    # inputs then starts at its solution and ends there, to the last digit
                    dn = _dinputs(inputs, k + 1, k)
                    te = tes + _dot8(ae, dn)
                    tc = tcs + _dot8(ac, dn)
                    jumped = True
                    if jb >= 0:
                        dj = _dinputs(inputs, k + 1, jb)
                        if _dot8(dj, dj) < _dot8(dn, dn):
                            te = jte + _dot8(ae, dj)
                            tc = jtc + _dot8(ac, dj)
                            j11, j12, j21, j22 = jj11, jj12, jj21, jj22
                if okq:
                    te = fe
                    tc = fc
                gapn = barn - te
                if okl and gapn > 0.0:  # (the T_evap column back from its fit)
                    j11, j12, j21, j22 = f11 / gapn, f12, f21 / gapn, f22
        else:
            m = 0


@njit_kernel
def solve_serial(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols, out, nev,
                 status):
    _solve_range(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols, out, nev,
                 status, 0, Tsi.shape[0])


@njit_kernel(parallel=True)
def solve_parallel(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols, out,
                   nev, status):
    n = Tsi.shape[0]
    # at most 256 chunks (enough to share among many threads), at least CHUNK elements
    # each: a chunk's first element starts cold, about 15 evaluations (with 256-element
    # chunks and the cold starts of before, two threads solved the benchmark grid only
    # 1.05x as fast as one; now 256-element chunks cost 8 %, 1024-element ones 2 %). The
    # thread count is not read here: numba.get_num_threads() in a kernel stops it being
    # cached on disk
    size = max(CHUNK, n // 256)
    nchunks = (n + size - 1) // size
    for c in numba_prange(nchunks):
        _solve_range(tbl, cpar, ehx, chx, ssrc, ssnk, nunits_max, cd, Tsi, ms, Tki, mk, sh, sc, speed, demand, cols,
                     out, nev, status, c * size, min(n, (c + 1) * size))


def spread_table(d):
    """``spread[b]``: the 8 bits of b moved to every d-th bit (bit i to bit i d), uint64,
    for :func:`morton_keys` (d in 1..8)."""
    b = np.arange(256, dtype=np.uint64)
    out = np.zeros(256, dtype=np.uint64)
    for i in range(8):
        out |= ((b >> np.uint64(i)) & np.uint64(1)) << np.uint64(i * d)
    return out


@njit_kernel
def morton_keys(X, bits, spread, keys):
    """Z-order (Morton) keys of the columns of ``X`` (d x n, each row scaled to [0, 1]; NaN
    counts as 0): each coordinate quantized to ``bits`` bits (d * bits <= 63, bits <= 52),
    the bits interleaved, most significant first. Sorting by them orders the points along a
    space-filling curve, so that consecutive points are near each other. ``spread``:
    :func:`spread_table` of d; a coordinate's bits are interleaved a byte at a time
    (5 ns a point for 10^5 points in two inputs, against 10 ns for a loop over its bits)."""
    d = X.shape[0]
    top = float((1 << bits) - 1)
    nbytes = (bits + 7) // 8
    for i in range(X.shape[1]):
        key = np.uint64(0)
        for j in range(d):
            x = X[j, i]
            q = np.uint64(int(x * top)) if x > 0.0 else np.uint64(0)
            if x >= 1.0:
                q = np.uint64(int(top))
            for c in range(nbytes):
                key |= spread[(q >> np.uint64(8 * c)) & np.uint64(255)] << np.uint64(8 * c * d + j)
        keys[i] = key


#: bits sorted per pass of :func:`radix_argsort` (2048 counters: they stay in L1)
_RADIX_BITS = 11
#: length of :func:`radix_argsort`'s counter array
RADIX_COUNT = (1 << _RADIX_BITS) + 1


@njit_kernel
def radix_argsort(keys, nbits, perm, tmp, ktmp, count):
    """``perm`` <- the permutation that sorts ``keys`` (uint64, below 2**nbits), stable:
    least-significant-digit radix sort, ceil(nbits / 11) passes of 11 bits, each pass
    moving the keys with their indices, so that every pass reads sequentially (reading
    the keys through the permutation cost twice as much). ``keys`` is overwritten (the
    keys end sorted in it or in ``ktmp``); ``tmp`` (int64) and ``ktmp`` (uint64), as long as
    ``keys``, and ``count`` (int64, RADIX_COUNT) are scratch. For the Morton keys of 10^5
    points (24 bits) about 7 ns a point (11 ns reading the keys through the permutation),
    against 51 ns for numpy's argsort."""
    n = keys.shape[0]
    nb = 1 << _RADIX_BITS
    mask = np.uint64(nb - 1)
    for i in range(n):
        perm[i] = i
    shift = 0
    src = perm
    dst = tmp
    ksrc = keys
    kdst = ktmp
    while shift < nbits:
        count[:] = 0
        sh = np.uint64(shift)
        for i in range(n):
            count[((ksrc[i] >> sh) & mask) + np.uint64(1)] += 1
        for b in range(nb):
            count[b + 1] += count[b]
        for i in range(n):
            key = ksrc[i]
            d = (key >> sh) & mask
            p = count[d]
            dst[p] = src[i]
            kdst[p] = key
            count[d] = p + 1
        src, dst = dst, src
        ksrc, kdst = kdst, ksrc
        shift += _RADIX_BITS
    if src is not perm:
        for i in range(n):
            perm[i] = src[i]


@njit_kernel
def unpermute(perm, out, status, back, st_back):
    """``back[perm[k]] = out[k]`` and ``st_back[perm[k]] = status[k]``: the results of a
    solve in the order ``perm`` returned to the caller's: 3 ns a point for four outputs,
    against 11 ns for numpy's fancy assignment of the rows."""
    for k in range(perm.shape[0]):
        p = perm[k]
        for j in range(out.shape[1]):
            back[p, j] = out[k, j]
        st_back[p] = status[k]


@njit_kernel
def path_length(X, perm):
    """Sum over consecutive elements (in the order ``perm``; all of it when ``perm`` is empty)
    of the absolute steps of the columns of ``X`` (d x n)."""
    d = X.shape[0]
    n = X.shape[1]
    use = perm.shape[0] == n
    tot = 0.0
    prev = 0
    for i in range(1, n):
        cur = perm[i] if use else i
        if i == 1:
            prev = perm[0] if use else 0
        for j in range(d):
            tot += abs(X[j, cur] - X[j, prev])
        prev = cur
    return tot
