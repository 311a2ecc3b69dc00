"""Compiled system solve of the transcritical cycle: compressor, gas cooler, valve, evaporator.

Imports only math, numpy, numba and hpcore kernel helpers.

States as in the cycle engine's transcritical cycle (docs/cycles.md): 1 suction
(p_evap, T_evap + superheat), 2 discharge at the high pressure (adiabatic
compressor, h2 = h1 + P / m), 3 gas-cooler outlet (p_high, T_gc_out), 4 = 3
after the isenthalpic valve. The gas-cooler outlet enthalpy is evaluated exactly
as :func:`hpcore.cycles._kernels._gas_cooler_outlet` does (liquid-like below
the pseudo-boundary temperature of the table, vapour-like above), so that
feeding the solved T_evap, p_high, T_gc_out and the implied eta_is back into
``simulate_cycle(cycle="transcritical")`` reproduces the COP to rounding.

Unknowns at a given high pressure: T_evap (dew point) and T_gc_out. The gas
cooler's residual depends on T_gc_out alone once the compressor state is
fixed by (T_evap, p_high), so the solve is nested: outside, a bracketed search
(Illinois regula falsi) on T_evap for the evaporator's residual; inside, one on
T_gc_out for the gas cooler's. Both residuals are those of the basic solve:
``(UA_required - UA) / (UA_required + UA)`` for a UA exchanger, ``approach -
pinch`` for a fixed approach. The high pressure is given per element, follows a
linear control law in T_gc_out (a bracketed search on p_high), or is the
COP-optimal one (a coarse scan in ln p_high, then Brent's minimization in
the best interval).

Every function returning more than a (value, status) pair has a single
``return`` (see the note in :mod:`hpcore.properties._kernels`).
"""
import math

from .._minimize import brent_done, brent_step, brent_update
from .._numba import njit_kernel
from .._numba import prange as numba_prange
from ..properties._kernels import bq, liquid_T, ph_state, ploc, ps_h, sat_T_props, vapour_T
from ..properties.layout import P_PC, P_PMAX, P_TMIN, P_TTOP, QX_T
from ..status import INFEASIBLE, NONFINITE_INPUT, NOT_CONVERGED, OK, OUT_OF_DOMAIN, OUT_OF_TABLE, PINCH_VIOLATED
from ._kernels import ARR_COUNTERFLOW, HX_UA, KIND_DISPLACEMENT, displacement_efficiencies, evaporator_zones, \
    illinois_step, sec_T, sec_h, zone_ua

NAN = math.nan
INF = math.inf

# output columns
O_T_EVAP = 0
O_P_EVAP = 1
O_P_HIGH = 2
O_T_GC_OUT = 3
O_M_DOT = 4
O_SPEED = 5
O_Q_HEATING = 6
O_Q_SOURCE = 7
O_POWER = 8
O_COP_HEATING = 9
O_COP_COOLING = 10
O_ETA_IS = 11
O_T_SOURCE_OUT = 12
O_T_SINK_OUT = 13
O_PINCH_EVAP = 14
O_PINCH_GC = 15
O_H_SUCTION = 16
O_H_DISCHARGE = 17
O_H_GC_OUT = 18
O_T_DISCHARGE = 19
O_UA_EVAP = 20
O_UA_GC = 21
O_ITERATIONS = 22
NOUT = 23

# how the high pressure is set
MODE_GIVEN = 0  # per element, from the input array
MODE_OPTIMAL = 1  # COP-optimal
MODE_LAW_T_GC_OUT = 2  # p_high = a + b * T_gc_out

# solver settings
_XTOL = 1e-10  # K, bracket width at which a temperature search stops
_RTOL = 1e-14  # residual at which a search stops
_MAX_BRACKET = 200
_T_MARGIN = 1e-3  # K inside the saturation table
#: lower end of the high-pressure range, relative to the critical pressure (as the cycle engine)
P_LOW_FACTOR = 1.0001
#: coarse scan of ln p_high before Brent's search
N_SCAN = 10
#: search of the optimal ln p_high: stop when the bracket is this narrow (as the cycle engine)
LNP_TOL = 1e-7
#: warm start of the optimum: the previous element's, bracketed within this distance in ln p
WARM_LNP = 0.02
#: control law in T_gc_out: stop when p_high is known to this relative width
P_RTOL = 1e-12


@njit_kernel(inline="always")
def _resid(hx, ua_req, pinch):
    r = hx[1] - pinch
    if hx[0] == HX_UA:
        r = (ua_req - hx[1]) / (ua_req + hx[1]) if ua_req < INF else 1.0
    return r


@njit_kernel(inline="always")
def gc_outlet_h(tbl, PL, T):
    """h, status at a located supercritical pressure and T (as the cycle engine evaluates it)."""
    Tb = bq(tbl, PL, QX_T)
    if T < Tb:
        h, s, d, st = liquid_T(tbl, PL, T, Tb)
    else:
        h, s, d, st = vapour_T(tbl, PL, T, Tb)
    return h, st


@njit_kernel
def suction_state(tbl, T_evap, superheat):
    """p_evap, h1, s1, D1, h_l and h_v at p_evap, status."""
    p_e, hl, hv, sl, sv, dl, dv, st = sat_T_props(tbl, T_evap)
    h1 = hv
    s1 = sv
    D1 = dv
    if superheat > 0.0 and st == OK:
        h1, s1, D1, st = vapour_T(tbl, ploc(tbl, p_e), T_evap + superheat, T_evap)
    return p_e, h1, s1, D1, hl, hv, st


@njit_kernel
def compress_tc(tbl, cpar, PLh, p_h, p_e, h1, s1, D1, speed):
    """Displacement compressor to a located high pressure: m, P, h2, h2s, status."""
    m = NAN
    P = NAN
    h2 = NAN
    h2s = NAN
    st = OK
    if cpar[0] != KIND_DISPLACEMENT:
        st = OUT_OF_DOMAIN
    elif not (speed >= cpar[2] * (1.0 - 1e-12) and speed <= cpar[3] * (1.0 + 1e-12)):
        st = OUT_OF_DOMAIN
    else:
        eta_v, eta_s, st = displacement_efficiencies(cpar, p_h / p_e, speed)
        if st == OK:
            m = eta_v * cpar[1] * speed * D1
            h2s, st = ps_h(tbl, PLh, s1)
            P = m * (h2s - h1) / eta_s
            h2 = h1 + P / m
            if st == OK and not (m > 0.0 and P > 0.0 and math.isfinite(m) and math.isfinite(P)):
                st = OUT_OF_DOMAIN
    return m, P, h2, h2s, st


@njit_kernel
def gas_cooler_zones(tbl, PL, h_in, T_in, h_out, T_out, m_r, sec, hs_in, m_s, Ts_in, nseg):
    """Counterflow gas cooler in ``nseg`` equal refrigerant-enthalpy steps, end states known.

    The model of :func:`hpcore.components._kernels.gas_cooler_1` at a located
    pressure, with the end temperatures given. Returns UA required [W/K] (inf
    on a temperature cross), pinch [K], secondary outlet T [K], status.
    """
    dh = (h_in - h_out) / nseg
    Tr_prev = T_out
    Ts_prev = Ts_in
    h_prev = h_out
    pinch = T_out - Ts_in
    ua = 0.0
    st = OK
    for k in range(1, nseg + 1):
        hr = h_in
        Tr = T_in
        if k < nseg:
            hr = h_out + k * dh
            Tr, s_, d_, q_, st = ph_state(tbl, PL, hr)
        Ts, st2 = sec_T(sec, hs_in + m_r * (hr - h_out) / m_s)
        if st == OK:
            st = st2
        if st != OK:
            break
        d = Tr - Ts
        if d < pinch:
            pinch = d
        ua += zone_ua(m_r * (hr - h_prev), Tr, Tr_prev, Ts_prev, Ts, ARR_COUNTERFLOW)
        Tr_prev = Tr
        Ts_prev = Ts
        h_prev = hr
    if pinch <= 0.0:
        ua = INF
    if st != OK:
        ua = pinch = Ts_prev = NAN
    return ua, pinch, Ts_prev, st


@njit_kernel
def _gc_r(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, T):
    """Gas-cooler residual at outlet temperature T (decreasing in T): r, h3, status."""
    h3, st = gc_outlet_h(tbl, PL, T)
    r = NAN
    if st == OK:
        if h3 >= h2:
            r = -1.0 if ghx[0] == HX_UA else ghx[1] - (T2 - Tki)
        else:
            ua, pin, Tko, st = gas_cooler_zones(tbl, PL, h2, T2, h3, T, m, ssnk, hs_in, mk, Tki, nseg)
            r = _resid(ghx, ua, pin)
    return r, h3, st


@njit_kernel
def gc_solve(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, T0):
    """T_gc_out in (T_sink_in, T2) at which the gas cooler meets its UA (or approach).

    ``T0``: a start (NaN: none). Returns T_gc_out, h3, evaluations, status.
    """
    lo = Tki
    hi = T2
    flo = 1.0  # pinch 0 at the cold end: r = +1 (UA) or the approach
    fhi = -1.0 if ghx[0] == HX_UA else ghx[1] - (T2 - Tki)  # no duty
    n = 0
    st = OK
    x = NAN
    h3 = NAN
    done = False
    if not (hi > lo) or not (fhi < 0.0):
        st = NOT_CONVERGED
        done = True
    if not done and T0 > lo and T0 < hi:
        # warm start: step away from T0 (doubling) until the residual changes sign
        f, h, s = _gc_r(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, T0)
        n += 1
        if s == OK:
            x = T0
            h3 = h
            if f == 0.0:
                done = True
            elif f > 0.0:
                lo = T0
                flo = f
                step = 0.25
                while True:
                    xx = min(lo + step, hi)
                    if xx >= hi:
                        break
                    f, h, s = _gc_r(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, xx)
                    n += 1
                    if s != OK:
                        break
                    if f <= 0.0:
                        hi = xx
                        fhi = f
                        break
                    lo = xx
                    flo = f
                    step *= 2.0
            else:
                hi = T0
                fhi = f
                step = 0.25
                while True:
                    xx = max(hi - step, lo)
                    if xx <= lo:
                        break
                    f, h, s = _gc_r(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, xx)
                    n += 1
                    if s != OK:
                        break
                    if f > 0.0:
                        lo = xx
                        flo = f
                        break
                    hi = xx
                    fhi = f
                    step *= 2.0
    side = 0
    if not done:
        for _ in range(_MAX_BRACKET):
            x = (lo * fhi - hi * flo) / (fhi - flo)
            if not (x > lo and x < hi) or hi - lo > 4.0:
                x = 0.5 * (lo + hi)
            f, h3, st = _gc_r(tbl, PL, ghx, m, h2, T2, ssnk, hs_in, mk, Tki, nseg, x)
            n += 1
            if st != OK:
                break
            if abs(f) <= _RTOL or hi - lo < _XTOL:
                break
            lo, hi, flo, fhi, side = illinois_step(x, f, lo, hi, flo, fhi, side, False)
    if st != OK:
        x = h3 = NAN
    return x, h3, n, st


@njit_kernel
def _evap_r(tbl, cpar, ehx, ghx, ssrc, ssnk, PL, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te, Tg0):
    """Evaporator residual at T_evap with T_gc_out solved inside: r, T_gc_out, evaluations, status."""
    p_e, h1, s1, D1, hl_e, hv_e, st = suction_state(tbl, Te, sh)
    r = NAN
    Tgo = NAN
    n = 0
    m = h2 = T2 = h3 = NAN
    if st == OK:
        m, P, h2, h2s, st = compress_tc(tbl, cpar, PL, p, p_e, h1, s1, D1, speed)
    if st == OK:
        T2, s2, d2, q2, st = ph_state(tbl, PL, h2)
    if st == OK:
        Tgo, h3, n, st = gc_solve(tbl, PL, ghx, m, h2, T2, ssnk, hs_k, mk, Tki, nseg, Tg0)
    if st == OK and not (h3 > hl_e and h3 < hv_e):
        st = INFEASIBLE  # the valve's outlet is not two-phase
    if st == OK:
        # evaporating at Te throughout (T4 = Te): the transcritical fluids are pure
        ua_e, pin_e, Tso, st = evaporator_zones(ehx, m, h3, Te, hv_e, h1, Te, Te + sh, ssrc, ms, Tsi)
        r = _resid(ehx, ua_e, pin_e)
    return r, Tgo, n, st


@njit_kernel
def solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te0, Tg0):
    """T_evap and T_gc_out at high pressure p. Returns Te, T_gc_out, evaluations, status.

    The evaporator residual rises with T_evap and is +1 (UA) at T_evap = T_source_in -
    superheat, where the evaporator's pinch vanishes. A trial state that cannot be
    evaluated counts as too warm.
    """
    par = tbl[0]
    PL = ploc(tbl, p)
    Tlo = par[P_TMIN] + _T_MARGIN
    Tmax = min(Tsi - sh, par[P_TTOP] - _T_MARGIN)
    nev = 0
    st = OK
    Te = NAN
    Tgo = Tg0
    lo = Tlo
    hi = Tmax
    flo = -1.0
    fhi = 1.0
    found = False
    if not (Tmax > Tlo):
        st = INFEASIBLE
    else:
        warm = Te0 > Tlo and Te0 < Tmax
        x = Te0 if warm else max(Tlo, Tmax - 8.0)
        step = 0.25 if warm else 2.0
        f, tg, n, s = _evap_r(tbl, cpar, ehx, ghx, ssrc, ssnk, PL, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, x, Tgo)
        nev += n
        if s == OK:
            Tgo = tg
        if s == OK and f < 0.0:
            lo = x
            flo = f
            found = True
            # step up until positive (the upper end Tmax is positive by construction)
            while True:
                xx = min(lo + step, Tmax)
                if xx >= Tmax:
                    break
                f, tg, n, s = _evap_r(tbl, cpar, ehx, ghx, ssrc, ssnk, PL, p, sh, speed, Tsi, ms, Tki, mk, hs_k,
                                      nseg, xx, Tgo)
                nev += n
                if s == OK and f < 0.0:
                    lo = xx
                    flo = f
                    Tgo = tg
                    step *= 2.0
                else:
                    hi = xx
                    fhi = f if s == OK else 1.0
                    break
        else:
            hi = x
            fhi = f if s == OK else 1.0
            last = s
            # step down until negative
            while True:
                xx = max(hi - step, Tlo)
                f, tg, n, s = _evap_r(tbl, cpar, ehx, ghx, ssrc, ssnk, PL, p, sh, speed, Tsi, ms, Tki, mk, hs_k,
                                      nseg, xx, Tgo)
                nev += n
                last = s
                if s == OK:
                    Tgo = tg
                if s == OK and f < 0.0:
                    lo = xx
                    flo = f
                    found = True
                    break
                hi = xx
                fhi = f if s == OK else 1.0
                if xx <= Tlo:
                    # nothing evaluable down to the table's end: the reason of the last trial
                    # (e.g. INFEASIBLE: the valve's outlet not two-phase at any T_evap)
                    st = last if last != OK else NOT_CONVERGED
                    break
                step *= 2.0
        if not found and st == OK:
            st = NOT_CONVERGED
    if st == OK:
        side = 0
        for _ in range(_MAX_BRACKET):
            x = (lo * fhi - hi * flo) / (fhi - flo)
            if not (x > lo and x < hi) or hi - lo > 4.0:
                x = 0.5 * (lo + hi)
            f, tg, n, s = _evap_r(tbl, cpar, ehx, ghx, ssrc, ssnk, PL, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, x,
                                  Tgo)
            nev += n
            if s != OK:
                f = 1.0
            else:
                Tgo = tg
                Te = x
            if s == OK and (abs(f) <= _RTOL or hi - lo < _XTOL):
                break
            lo, hi, flo, fhi, side = illinois_step(x, f, lo, hi, flo, fhi, side, True)
        if not (Te == x):
            st = NOT_CONVERGED  # the last trial could not be evaluated
    if st != OK:
        Te = Tgo = NAN
    return Te, Tgo, nev, st


@njit_kernel
def cycle_at(tbl, cpar, ehx, ghx, ssrc, ssnk, p, Te, Tgo, sh, speed, Tsi, ms, Tki, mk, nseg):
    """Every quantity of a solved point (one unit): status first, then a tuple of values.

    Values: m, P, h1, h2, h3, h2s, T2, p_e, ua_e, ua_g, pinch_e, pinch_g, T_source_out, T_sink_out.
    """
    PL = ploc(tbl, p)
    m = P = h1 = h2 = h3 = h2s = T2 = NAN
    ua_e = ua_g = pin_e = pin_g = Tso = Tko = NAN
    p_e, h1, s1, D1, hl_e, hv_e, st = suction_state(tbl, Te, sh)
    if st == OK:
        m, P, h2, h2s, st = compress_tc(tbl, cpar, PL, p, p_e, h1, s1, D1, speed)
    if st == OK:
        T2, s2, d2, q2, st = ph_state(tbl, PL, h2)
    if st == OK:
        h3, st = gc_outlet_h(tbl, PL, Tgo)
    hs_k = NAN
    if st == OK:
        hs_k, st = sec_h(ssnk, Tki)
    if st == OK:
        ua_g, pin_g, Tko, st = gas_cooler_zones(tbl, PL, h2, T2, h3, Tgo, m, ssnk, hs_k, mk, Tki, nseg)
    if st == OK and not (h3 > hl_e and h3 < hv_e):
        st = INFEASIBLE
    if st == OK:
        ua_e, pin_e, Tso, st = evaporator_zones(ehx, m, h3, Te, hv_e, h1, Te, Te + sh, ssrc, ms, Tsi)
    return st, (m, P, h1, h2, h3, h2s, T2, p_e, ua_e, ua_g, pin_e, pin_g, Tso, Tko)


@njit_kernel
def _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te0, Tg0):
    """COP_heating at high pressure p (NaN where the point has no solution); Te, T_gc_out, evaluations."""
    Te, Tgo, n, st = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te0, Tg0)
    cop = NAN
    if st == OK:
        st, v = cycle_at(tbl, cpar, ehx, ghx, ssrc, ssnk, p, Te, Tgo, sh, speed, Tsi, ms, Tki, mk, nseg)
        if st == OK:
            cop = (v[3] - v[4]) / (v[3] - v[2])
    return cop, Te, Tgo, n


@njit_kernel
def optimal_p(tbl, cpar, ehx, ghx, ssrc, ssnk, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te0, Tg0, p0):
    """COP-optimal high pressure: p, Te, T_gc_out, evaluations, status.

    A coarse scan of ``N_SCAN`` points in ln p over [P_LOW_FACTOR p_crit, p_max]
    finds the best feasible interval, Brent's method in it the optimum to
    ``LNP_TOL`` in ln p (parabolic steps, golden-section ones where those are not
    safe: a third of the evaluations of a golden-section search). An optimum on a
    bound of the range is NOT_CONVERGED.
    """
    par = tbl[0]
    xlo = math.log(par[P_PC] * P_LOW_FACTOR)
    xhi = math.log(par[P_PMAX])
    nev = 0
    best = -1.0
    jb = -1
    te = Te0
    tg = Tg0
    dx = (xhi - xlo) / (N_SCAN - 1)
    found = False
    a = b = x = NAN
    if p0 > 0.0 and math.log(p0) > xlo + WARM_LNP and math.log(p0) < xhi - WARM_LNP:
        # warm start: the previous element's optimum, bracketed within +-WARM_LNP in ln p
        x0 = math.log(p0)
        fm, te_m, tg_m, n = _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, p0, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg,
                                    te, tg)
        nev += n
        if fm == fm:
            fl, te_l, tg_l, n = _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, math.exp(x0 - WARM_LNP), sh, speed, Tsi, ms,
                                        Tki, mk, hs_k, nseg, te_m, tg_m)
            nev += n
            fr, te_r, tg_r, n = _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, math.exp(x0 + WARM_LNP), sh, speed, Tsi, ms,
                                        Tki, mk, hs_k, nseg, te_m, tg_m)
            nev += n
            te = te_m
            tg = tg_m
            if fl == fl and fr == fr and fm > fl and fm > fr:
                found = True
                a = x0 - WARM_LNP
                b = x0 + WARM_LNP
                x = x0
                best = fm
    if not found:
        for j in range(N_SCAN):
            cop, te_j, tg_j, n = _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, math.exp(xlo + j * dx), sh, speed, Tsi, ms,
                                         Tki, mk, hs_k, nseg, te, tg)
            nev += n
            if cop == cop:
                te = te_j
                tg = tg_j
                if cop > best:
                    best = cop
                    jb = j
        if jb >= 0:
            found = True
            a = xlo + max(jb - 1, 0) * dx
            b = xlo + min(jb + 1, N_SCAN - 1) * dx
            x = xlo + jb * dx
    st = OK
    p = NAN
    if not found:
        st = INFEASIBLE
    else:
        # Brent's method (hpcore._minimize: parabolic steps, golden-section ones where they
        # are not safe) on -COP over ln p in the scan's best interval, from the scan's best point
        w = v = x
        fx = fw = fv = -best
        d = 0.0
        e = 0.0
        tol1 = 0.25 * LNP_TOL  # final bracket at most 4 tol1 wide
        for _ in range(200):
            if brent_done(a, b, x, tol1):
                break
            u, d, e = brent_step(a, b, x, w, v, fx, fw, fv, d, e, tol1)
            cop, te_u, tg_u, n = _cop_at(tbl, cpar, ehx, ghx, ssrc, ssnk, math.exp(u), sh, speed, Tsi, ms, Tki, mk,
                                         hs_k, nseg, te, tg)
            nev += n
            fu = -cop if cop == cop else 1e300  # no solution there: worse than any COP
            if cop == cop:
                te = te_u
                tg = tg_u
            a, b, x, w, v, fx, fw, fv = brent_update(a, b, x, w, v, fx, fw, fv, u, fu)
        p = math.exp(x)
        # the state at the optimum itself (the search evaluated its neighbours)
        te, tg, n, st = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, te, tg)
        nev += n
        if st == OK and (xhi - x < 1e-4 or x - xlo < 1e-4):
            st = NOT_CONVERGED  # the optimum lies on a bound of the range
    if st != OK:
        p = NAN
    return p, te, tg, nev, st


@njit_kernel
def law_p(tbl, cpar, ehx, ghx, ssrc, ssnk, a, b, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, Te0, Tg0):
    """High pressure that meets ``p = a + b T_gc_out``: p, Te, T_gc_out, evaluations, status.

    Bracketed search (Illinois) on g(p) = p - a - b T_gc_out(p) in [P_LOW_FACTOR p_crit, p_max].
    """
    par = tbl[0]
    plo_lim = par[P_PC] * P_LOW_FACTOR
    phi_lim = par[P_PMAX]
    nev = 0
    st = OK
    te = Te0
    tg = Tg0
    p0 = a + b * (Tki + 5.0)
    p0 = min(max(p0, plo_lim), phi_lim)
    Te, Tgo, n, s = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, p0, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, te, tg)
    nev += n
    p = NAN
    lo = hi = glo = ghi = NAN
    if s != OK:
        st = s
    else:
        te = Te
        tg = Tgo
        g0 = p0 - a - b * Tgo
        if g0 == 0.0:
            p = p0
        else:
            # step in ln p away from p0 (doubling) until g changes sign
            up = g0 < 0.0
            x0 = math.log(p0)
            step = 0.02
            xp = x0
            gp = g0
            ok = False
            for _ in range(60):
                xn = min(xp + step, math.log(phi_lim)) if up else max(xp - step, math.log(plo_lim))
                if xn == xp:
                    break
                Te, Tgo, n, s = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, math.exp(xn), sh, speed, Tsi, ms, Tki, mk,
                                           hs_k, nseg, te, tg)
                nev += n
                if s != OK:
                    break
                te = Te
                tg = Tgo
                gn = math.exp(xn) - a - b * Tgo
                if (gn > 0.0) == up or gn == 0.0:
                    ok = True
                    if up:
                        lo, glo, hi, ghi = math.exp(xp), gp, math.exp(xn), gn
                    else:
                        lo, glo, hi, ghi = math.exp(xn), gn, math.exp(xp), gp
                    break
                xp = xn
                gp = gn
                step *= 2.0
            if not ok:
                st = NOT_CONVERGED
    if st == OK and not (p == p):
        side = 0
        for _ in range(_MAX_BRACKET):
            x = (lo * ghi - hi * glo) / (ghi - glo)
            if not (x > lo and x < hi):
                x = 0.5 * (lo + hi)
            Te, Tgo, n, s = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, x, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg, te,
                                       tg)
            nev += n
            if s != OK:
                st = s
                break
            te = Te
            tg = Tgo
            g = x - a - b * Tgo
            p = x
            if g == 0.0 or hi - lo < P_RTOL * hi:
                break
            if g < 0.0:
                lo = x
                glo = g
                if side == -1:
                    ghi *= 0.5
                side = -1
            else:
                hi = x
                ghi = g
                if side == 1:
                    glo *= 0.5
                side = 1
    if st != OK:
        p = NAN
    return p, te, tg, nev, st


@njit_kernel
def solve_point_tc(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in,
                   out, k, te0, tg0, p0):
    """One element: solve, then write its outputs into ``out[k]``. Returns the status."""
    par = tbl[0]
    st = OK
    if not (math.isfinite(Tsi) and math.isfinite(ms) and math.isfinite(Tki) and math.isfinite(mk)
            and math.isfinite(sh) and math.isfinite(speed)) or (mode == MODE_GIVEN and not math.isfinite(p_in)):
        st = NONFINITE_INPUT
    elif ms <= 0.0 or mk <= 0.0 or sh < 0.0 or speed <= 0.0:
        st = OUT_OF_DOMAIN
    elif mode == MODE_GIVEN and not (p_in > par[P_PC]):
        st = OUT_OF_DOMAIN  # not a transcritical high pressure
    elif mode == MODE_GIVEN and not (p_in <= par[P_PMAX]):
        st = OUT_OF_TABLE
    hs_k = NAN
    if st == OK:
        hs_k, st = sec_h(ssnk, Tki)
    p = NAN
    Te = NAN
    Tgo = NAN
    nev = 0
    if st == OK:
        if mode == MODE_GIVEN:
            p = p_in
            Te, Tgo, nev, st = solve_at_p(tbl, cpar, ehx, ghx, ssrc, ssnk, p, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg,
                                          te0, tg0)
        elif mode == MODE_OPTIMAL:
            p, Te, Tgo, nev, st = optimal_p(tbl, cpar, ehx, ghx, ssrc, ssnk, sh, speed, Tsi, ms, Tki, mk, hs_k, nseg,
                                            te0, tg0, p0)
        else:
            p, Te, Tgo, nev, st = law_p(tbl, cpar, ehx, ghx, ssrc, ssnk, law_a, law_b, sh, speed, Tsi, ms, Tki, mk,
                                        hs_k, nseg, te0, tg0)
    if st == OK:
        st, v = cycle_at(tbl, cpar, ehx, ghx, ssrc, ssnk, p, Te, Tgo, sh, speed, Tsi, ms, Tki, mk, nseg)
    if st == OK:
        m, P, h1, h2, h3, h2s, T2, p_e, ua_e, ua_g, pin_e, pin_g, Tso, Tko = v
        qh = m * (h2 - h3)
        qc = m * (h1 - h3)
        out[k, O_T_EVAP] = Te
        out[k, O_P_EVAP] = p_e
        out[k, O_P_HIGH] = p
        out[k, O_T_GC_OUT] = Tgo
        out[k, O_M_DOT] = m
        out[k, O_SPEED] = speed
        out[k, O_Q_HEATING] = qh
        out[k, O_Q_SOURCE] = qc
        out[k, O_POWER] = P
        out[k, O_COP_HEATING] = qh / P
        out[k, O_COP_COOLING] = qc / P
        out[k, O_ETA_IS] = (h2s - h1) / (h2 - h1)
        out[k, O_T_SOURCE_OUT] = Tso
        out[k, O_T_SINK_OUT] = Tko
        out[k, O_PINCH_EVAP] = pin_e
        out[k, O_PINCH_GC] = pin_g
        out[k, O_H_SUCTION] = h1
        out[k, O_H_DISCHARGE] = h2
        out[k, O_H_GC_OUT] = h3
        out[k, O_T_DISCHARGE] = T2
        out[k, O_UA_EVAP] = ua_e
        out[k, O_UA_GC] = ua_g
        out[k, O_ITERATIONS] = nev
        if pin_e < ehx[3] or pin_g < ghx[3]:
            st = PINCH_VIOLATED
    return st


#: elements per parallel task; inside a task each element starts from its predecessor's solution
CHUNK = 64


@njit_kernel
def _tc_range(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in, out,
              status, k0, k1):
    te = NAN
    tg = NAN
    p0 = NAN
    for k in range(k0, k1):
        st = solve_point_tc(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi[k], ms[k], Tki[k], mk[k],
                            sh[k], speed[k], p_in[k], out, k, te, tg, p0)
        status[k] = st
        if st == OK:
            p0 = out[k, O_P_HIGH]
        if st != OK:
            te = tg = NAN
            for j in range(out.shape[1]):
                out[k, j] = NAN
        elif k + 1 < k1 and math.isfinite(Tsi[k + 1]) and math.isfinite(Tki[k + 1]):
            te = out[k, O_T_EVAP] + (Tsi[k + 1] - Tsi[k])
            tg = out[k, O_T_GC_OUT] + (Tki[k + 1] - Tki[k])


@njit_kernel
def tc_serial(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in, out,
              status):
    _tc_range(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in, out, status,
              0, Tsi.shape[0])


@njit_kernel(parallel=True)
def tc_parallel(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in, out,
                status):
    n = Tsi.shape[0]
    nchunks = (n + CHUNK - 1) // CHUNK
    for c in numba_prange(nchunks):
        _tc_range(tbl, cpar, ehx, ghx, ssrc, ssnk, mode, law_a, law_b, nseg, Tsi, ms, Tki, mk, sh, speed, p_in, out,
                  status, c * CHUNK, min(n, (c + 1) * CHUNK))
