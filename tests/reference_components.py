"""Slow, readable reference for the components layer: CoolProp HEOS/INCOMP and scipy.

Shares no code with hpcore's kernels. Implements the same model as
``hpcore.components`` (docs/components.md): ten-coefficient maps written out
term by term, suction-density correction, zone-wise effectiveness-NTU with
NTU found by root finding on the *forward* effectiveness formulas, secondary
enthalpies straight from CoolProp, and the system solved by nested brentq.
"""
import math

import CoolProp.CoolProp as CP
from scipy.optimize import brentq

LBM_KG = 0.45359237


# --------------------------------------------------------------------------- maps


def ahri540(c, S, D):
    """AHRI 540: C1 + C2 S + C3 D + C4 S^2 + C5 S D + C6 D^2 + C7 S^3 + C8 D S^2 + C9 S D^2 + C10 D^3."""
    C1, C2, C3, C4, C5, C6, C7, C8, C9, C10 = c
    return C1 + C2 * S + C3 * D + C4 * S**2 + C5 * S * D + C6 * D**2 + C7 * S**3 + C8 * D * S**2 + C9 * S * D**2 + C10 * D**3


def en12900(c, to, tc):
    """EN 12900: c1 + c2 to + c3 tc + c4 to^2 + c5 to tc + c6 tc^2 + c7 to^3 + c8 tc to^2 + c9 to tc^2 + c10 tc^3."""
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 = c
    return c1 + c2 * to + c3 * tc + c4 * to**2 + c5 * to * tc + c6 * tc**2 + c7 * to**3 + c8 * tc * to**2 + c9 * to * tc**2 + c10 * tc**3


def K_to_F(T):
    return (T - 273.15) * 9.0 / 5.0 + 32.0


def heos(fluid):
    return CP.AbstractState("HEOS", fluid)


def sat(AS, T):
    AS.update(CP.QT_INPUTS, 1.0, T)
    p = AS.p()
    hv, Dv, sv = AS.hmass(), AS.rhomass(), AS.smass()
    AS.update(CP.QT_INPUTS, 0.0, T)
    return p, hv, Dv, sv, AS.hmass()


def dew_and_bubble(AS, T):
    """At the dew pressure of dew point T: p, h_v, and the bubble point's h_l and T (a
    blend's bubble point lies below T; a pure fluid's is T itself, taken as T exactly)."""
    AS.update(CP.QT_INPUTS, 1.0, T)
    p, hv = AS.p(), AS.hmass()
    AS.update(CP.PQ_INPUTS, p, 0.0)
    hl, Tb = AS.hmass(), AS.T()
    if abs(Tb - T) < 1e-9:
        Tb = T
    return p, hv, hl, min(Tb, T)


def pT(AS, p, T):
    AS.update(CP.PT_INPUTS, p, T)
    return AS.hmass(), AS.rhomass(), AS.smass()


def ahri_map_compressor(AS, M, P, T_evap, T_cond, superheat, rated_superheat):
    """Mass flow [kg/s] and power [W] of an AHRI 540 map, density-corrected (F = 1)."""
    S, D = K_to_F(T_evap), K_to_F(T_cond)
    m_map = ahri540(M, S, D) * LBM_KG / 3600.0
    power = ahri540(P, S, D)
    p_e = sat(AS, T_evap)[0]
    h1, D1, s1 = pT(AS, p_e, T_evap + superheat) if superheat > 0 else sat(AS, T_evap)[1:4]
    Dr = pT(AS, p_e, T_evap + rated_superheat)[1]
    return m_map * D1 / Dr, power


# --------------------------------------------------------------------------- effectiveness


def eff_counterflow(ntu, cr):
    if cr == 1.0:
        return ntu / (1 + ntu)
    e = math.exp(-ntu * (1 - cr))
    return (1 - e) / (1 - cr * e)


def eff_parallel(ntu, cr):
    return (1 - math.exp(-ntu * (1 + cr))) / (1 + cr)


def ntu_of(eps, cr, arrangement):
    """NTU by brentq on the forward formula (independent of hpcore's closed forms)."""
    if eps == 0:
        return 0.0
    if cr == 0.0:
        return -math.log(1 - eps)
    f = eff_counterflow if arrangement == "counterflow" else eff_parallel
    return brentq(lambda n: f(n, cr) - eps, 0.0, 1e3, xtol=1e-14, rtol=1e-15)


def zone_ua(Q, Th_in, Th_out, Tc_in, Tc_out, arrangement):
    if Q <= 0:
        return 0.0
    Ch = Q / (Th_in - Th_out) if Th_in > Th_out else math.inf  # a phase change: C = inf
    Cc = Q / (Tc_out - Tc_in) if Tc_out > Tc_in else math.inf
    Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
    cr = 0.0 if math.isinf(Cmax) else Cmin / Cmax
    eps = Q / (Cmin * (Th_in - Tc_in))
    return ntu_of(eps, cr, arrangement) * Cmin


# --------------------------------------------------------------------------- secondary


class Secondary:
    """h(T) and T(h) of a secondary fluid straight from CoolProp."""

    def __init__(self, model, p):
        self.model, self.p = model, p
        lo = CP.PropsSI("Tmin", "T", 293.15, "P", p, model)
        if "[" in model:  # a mixture: not below its freezing point
            lo = max(lo, CP.PropsSI("T_freeze", "T", 293.15, "P", p, model))
        self.lo = lo + 1e-6
        self.hi = 370.0

    def h(self, T):
        return CP.PropsSI("H", "T", T, "P", self.p, self.model)

    def T(self, h):
        return brentq(lambda T: self.h(T) - h, self.lo, self.hi, xtol=1e-12, rtol=1e-15)


# --------------------------------------------------------------------------- system


def cycle(AS, comp, Te, Tc, superheat, subcooling, src, snk, Tsi, ms, Tki, mk, arrangement="counterflow"):
    """All quantities of the basic cycle at (Te, Tc) (dew points), counterflow zones. A
    blend glides: it evaporates from T4 (linear in h between the bubble and dew points at
    p_evap) up to Te, condenses from Tc down to its bubble point Tb_c, and is subcooled
    below Tb_c."""
    p_e, hv_e, hl_e, Tb_e = dew_and_bubble(AS, Te)
    p_c, hv_c, hl_c, Tb_c = dew_and_bubble(AS, Tc)
    m, P = comp(Te, Tc, superheat)
    h1 = pT(AS, p_e, Te + superheat)[0] if superheat > 0 else hv_e
    h2 = h1 + P / m
    AS.update(CP.HmassP_INPUTS, h2, p_c)
    T2 = AS.T()
    T3 = Tb_c - subcooling
    h3 = pT(AS, p_c, T3)[0] if subcooling > 0 else hl_c
    T4 = Tb_e + (h3 - hl_e) / (hv_e - hl_e) * (Te - Tb_e)
    # evaporator: source enters at the superheating end
    Q_sh, Q_tp = m * (h1 - hv_e), m * (hv_e - h3)
    hs0 = src.h(Tsi)
    Ts1 = src.T(hs0 - Q_sh / ms)
    Ts2 = src.T(hs0 - (Q_sh + Q_tp) / ms)
    pinch_e = min(Tsi - (Te + superheat), Ts1 - Te, Ts2 - T4)
    ua_e = (zone_ua(Q_sh, Tsi, Ts1, Te, Te + superheat, arrangement) + zone_ua(Q_tp, Ts1, Ts2, T4, Te, arrangement)
            if pinch_e > 0 else math.inf)
    # condenser: sink enters at the subcooling end
    Q_sc, Q_cd, Q_ds = m * (hl_c - h3), m * (hv_c - hl_c), m * (h2 - hv_c)
    hk0 = snk.h(Tki)
    Tk1 = snk.T(hk0 + Q_sc / mk)
    Tk2 = snk.T(hk0 + (Q_sc + Q_cd) / mk)
    Tk3 = snk.T(hk0 + (Q_sc + Q_cd + Q_ds) / mk)
    pinch_c = min(T3 - Tki, Tb_c - Tk1, Tc - Tk2, T2 - Tk3)
    ua_c = (zone_ua(Q_sc, Tb_c, T3, Tki, Tk1, arrangement) + zone_ua(Q_cd, Tc, Tb_c, Tk1, Tk2, arrangement)
            + zone_ua(Q_ds, T2, Tc, Tk2, Tk3, arrangement) if pinch_c > 0 else math.inf)
    return dict(m=m, P=P, h1=h1, h2=h2, h3=h3, ua_e=ua_e, ua_c=ua_c, pinch_e=pinch_e, pinch_c=pinch_c,
                T_source_out=Ts2, T_sink_out=Tk3, Q_heating=m * (h2 - h3), Q_source=m * (h1 - h3))


def solve(AS, comp, UA_e, UA_c, superheat, subcooling, src, snk, Tsi, ms, Tki, mk, bracket_e, bracket_c):
    """Nested brentq: T_cond outside, T_evap inside; UA residuals as log ratios."""

    def r_e(Te, Tc):
        c = cycle(AS, comp, Te, Tc, superheat, subcooling, src, snk, Tsi, ms, Tki, mk)
        return math.log(c["ua_e"] / UA_e) if math.isfinite(c["ua_e"]) else 50.0

    def te_of(Tc):
        return brentq(lambda Te: r_e(Te, Tc), bracket_e[0], min(bracket_e[1], Tsi - 1e-6), xtol=1e-11, rtol=1e-15)

    def r_c(Tc):
        c = cycle(AS, comp, te_of(Tc), Tc, superheat, subcooling, src, snk, Tsi, ms, Tki, mk)
        return math.log(c["ua_c"] / UA_c) if math.isfinite(c["ua_c"]) else 50.0

    Tc = brentq(r_c, bracket_c[0], bracket_c[1], xtol=1e-11, rtol=1e-15)
    Te = te_of(Tc)
    out = cycle(AS, comp, Te, Tc, superheat, subcooling, src, snk, Tsi, ms, Tki, mk)
    out.update(T_evap=Te, T_cond=Tc, COP_heating=out["Q_heating"] / out["P"])
    return out


# --------------------------------------------------------------------------- transcritical


def displacement_compressor(AS, V, n, eta_v, eta_s, Te, p_high, superheat):
    """Displacement compressor between (T_evap + superheat) and p_high: m, P, h1, h2, h2s."""
    p_e = sat(AS, Te)[0]
    h1, D1, s1 = pT(AS, p_e, Te + superheat) if superheat > 0 else sat(AS, Te)[1:4]
    AS.update(CP.PSmass_INPUTS, p_high, s1)
    h2s = AS.hmass()
    m = eta_v * V * n * D1
    P = m * (h2s - h1) / eta_s
    return m, P, h1, h1 + P / m, h2s


def T_ph(AS, p, h):
    AS.update(CP.HmassP_INPUTS, h, p)
    return AS.T()


def gas_cooler(AS, p, h_in, T_in, h_out, T_out, m, snk, Tki, mk, nseg):
    """Counterflow gas cooler in nseg equal enthalpy steps: UA required, pinch, sink outlet T."""
    dh = (h_in - h_out) / nseg
    hk0 = snk.h(Tki)
    nodes = [(h_out, T_out, Tki)]
    for k in range(1, nseg + 1):
        h = h_in if k == nseg else h_out + k * dh
        T = T_in if k == nseg else T_ph(AS, p, h)
        nodes.append((h, T, snk.T(hk0 + m * (h - h_out) / mk)))
    pinch = min(T - Ts for _, T, Ts in nodes)
    if pinch <= 0:
        return math.inf, pinch, nodes[-1][2]
    ua = sum(zone_ua(m * (b[0] - a[0]), b[1], a[1], a[2], b[2], "counterflow") for a, b in zip(nodes, nodes[1:]))
    return ua, pinch, nodes[-1][2]


def transcritical_cycle(AS, comp, p, Te, Tgo, superheat, src, snk, Tsi, ms, Tki, mk, nseg):
    """All quantities of the transcritical cycle at (p_high, T_evap, T_gc_out); evaporator counterflow zones."""
    m, P, h1, h2, h2s = comp(Te, p, superheat)
    T2 = T_ph(AS, p, h2)
    h3 = pT(AS, p, Tgo)[0]
    ua_g, pinch_g, Tko = gas_cooler(AS, p, h2, T2, h3, Tgo, m, snk, Tki, mk, nseg)
    p_e, hv_e, _, _, hl_e = sat(AS, Te)
    Q_sh, Q_tp = m * (h1 - hv_e), m * (hv_e - h3)
    hs0 = src.h(Tsi)
    Ts1 = src.T(hs0 - Q_sh / ms)
    Ts2 = src.T(hs0 - (Q_sh + Q_tp) / ms)
    pinch_e = min(Tsi - (Te + superheat), Ts1 - Te, Ts2 - Te)
    ua_e = (zone_ua(Q_sh, Tsi, Ts1, Te, Te + superheat, "counterflow")
            + zone_ua(Q_tp, Ts1, Ts2, Te, Te, "counterflow") if pinch_e > 0 else math.inf)
    return dict(m=m, P=P, h1=h1, h2=h2, h3=h3, ua_e=ua_e, ua_g=ua_g, pinch_e=pinch_e, pinch_g=pinch_g,
                T_source_out=Ts2, T_sink_out=Tko, Q_heating=m * (h2 - h3), Q_source=m * (h1 - h3), T2=T2)


def solve_transcritical(AS, comp, UA_e, UA_g, p, superheat, src, snk, Tsi, ms, Tki, mk, nseg, bracket_e):
    """Nested brentq at a given high pressure: T_evap outside, T_gc_out inside; log-ratio UA residuals."""

    def tgo_of(Te):
        m, P, h1, h2, h2s = comp(Te, p, superheat)
        T2 = T_ph(AS, p, h2)

        def r_g(Tgo):
            h3 = pT(AS, p, Tgo)[0]
            ua = gas_cooler(AS, p, h2, T2, h3, Tgo, m, snk, Tki, mk, nseg)[0]
            return math.log(ua / UA_g) if math.isfinite(ua) else 50.0

        return brentq(r_g, Tki + 1e-6, T2 - 1e-6, xtol=1e-11, rtol=1e-15)

    def r_e(Te):
        c = transcritical_cycle(AS, comp, p, Te, tgo_of(Te), superheat, src, snk, Tsi, ms, Tki, mk, nseg)
        return math.log(c["ua_e"] / UA_e) if math.isfinite(c["ua_e"]) else 50.0

    Te = brentq(r_e, bracket_e[0], bracket_e[1], xtol=1e-11, rtol=1e-15)
    Tgo = tgo_of(Te)
    out = transcritical_cycle(AS, comp, p, Te, Tgo, superheat, src, snk, Tsi, ms, Tki, mk, nseg)
    out.update(T_evap=Te, T_gc_out=Tgo, COP_heating=out["Q_heating"] / out["P"])
    return out
