"""Slow, independent reference implementation of the hpcore cycles on CoolProp HEOS.

Follows ``docs/cycles.md`` literally, one operating point per call. It shares no code
with hpcore: only ``math``, ``numpy``, ``scipy.optimize`` and ``CoolProp`` are used.
Everything is base SI (K, Pa, J/kg, J/(kg K), W, kg/s).

API
---
``reference_cycle(fluid, cycle, **inputs) -> dict``
    cycle in {"basic", "ihx", "economizer", "two_stage", "cascade", "transcritical"}.
    Common inputs (subcritical cycles): ``T_evap``, ``T_cond``, ``superheat``,
    ``subcooling``, ``eta_is`` (all required: docs/cycles.md gives them no default).
    Transcritical: ``T_evap``, ``superheat``, ``eta_is``, ``T_gc_out``, optional
    ``p_high`` (optional ``p_min``/``p_max`` bound the optimal-pressure search).
    Cycle-specific extras as in docs/cycles.md. Optionally exactly one of ``m_dot``,
    ``Q_heating``, ``Q_cooling``.
    Raises ``ValueError`` for every case docs/cycles.md flags (INFEASIBLE,
    OUT_OF_DOMAIN, WET_COMPRESSION, NOT_CONVERGED) and for bad/unknown inputs.

``reference_optimal_p_high(fluid, T_evap, superheat, eta_is, T_gc_out, p_min, p_max)``
    -> ``(p_opt, COP_heating_at_p_opt)`` by brute force (log scan + bounded Brent).
"""
import math

import numpy as np
import CoolProp.CoolProp as CP
from scipy.optimize import minimize_scalar

CYCLES = ("basic", "ihx", "economizer", "two_stage", "cascade", "transcritical")

_STATE_CACHE = {}


def _state(fluid):
    """One reusable HEOS AbstractState per fluid (always used with phase unimposed)."""
    AS = _STATE_CACHE.get(fluid)
    if AS is None:
        AS = CP.AbstractState("HEOS", fluid)
        _STATE_CACHE[fluid] = AS
    AS.unspecify_phase()
    return AS


# --------------------------------------------------------------------------- properties

def _sat_p(fluid, T):
    """Dew-point pressure at temperature T (Q = 1)."""
    AS = _state(fluid)
    AS.update(CP.QT_INPUTS, 1.0, T)
    return AS.p()


def _sat_T(fluid, p):
    """Saturation (dew) temperature at pressure p."""
    AS = _state(fluid)
    AS.update(CP.PQ_INPUTS, p, 1.0)
    return AS.T()


def _sat_h(fluid, p, Q):
    AS = _state(fluid)
    AS.update(CP.PQ_INPUTS, p, Q)
    return AS.hmass()


def _h_pT(fluid, p, T):
    AS = _state(fluid)
    AS.update(CP.PT_INPUTS, p, T)
    return AS.hmass()


def _h_ps(fluid, p, s):
    """h(p, s); CoolProp's PSmass flash handles the two-phase dome."""
    AS = _state(fluid)
    AS.update(CP.PSmass_INPUTS, p, s)
    return AS.hmass()


def _point(fluid, p, h):
    """Full state (p, T, h, s) from pressure and enthalpy."""
    AS = _state(fluid)
    AS.update(CP.HmassP_INPUTS, h, p)
    return {"p": p, "T": AS.T(), "h": h, "s": AS.smass()}


def _vapour_out(fluid, p, T_sat, superheat):
    """Evaporator outlet: saturated vapour at superheat 0, else (p, T_sat + superheat)."""
    if superheat == 0.0:
        return _sat_h(fluid, p, 1.0)
    return _h_pT(fluid, p, T_sat + superheat)


def _bubble_T(fluid, p):
    """Bubble-point temperature at p (below the dew point for pseudo-pure blends like R410A)."""
    AS = _state(fluid)
    AS.update(CP.PQ_INPUTS, p, 0.0)
    return AS.T()


def _liquid_out(fluid, p, T_sat, subcooling):
    """Condenser outlet: saturated liquid at subcooling 0, else (p, T_bubble(p) - subcooling).

    ``T_sat`` (the dew point) is unused: DESIGN.md puts the outlet at the bubble point
    less the subcooling, which differs from the dew point for pseudo-pure blends."""
    if subcooling == 0.0:
        return _sat_h(fluid, p, 0.0)
    return _h_pT(fluid, p, _bubble_T(fluid, p) - subcooling)


def _compress(fluid, p_a, h_a, p_out, eta_is, check_wet=True, label="compressor"):
    """h_out = h_a + (h(p_out, s_a) - h_a) / eta_is; raise on wet compression."""
    AS = _state(fluid)
    AS.update(CP.HmassP_INPUTS, h_a, p_a)
    s_a = AS.smass()
    h_is = _h_ps(fluid, p_out, s_a)
    h_out = h_a + (h_is - h_a) / eta_is
    if check_wet:
        h_v = _sat_h(fluid, p_out, 1.0)
        if h_out <= h_v:
            raise ValueError(
                f"WET_COMPRESSION: {label} discharge h={h_out:.6g} J/kg at p={p_out:.6g} Pa "
                f"is at or below the saturated-vapour enthalpy {h_v:.6g} J/kg"
            )
    return h_out


def _quality(fluid, p, h):
    """Vapour quality by the lever rule at pressure p (below p_crit)."""
    hl = _sat_h(fluid, p, 0.0)
    hv = _sat_h(fluid, p, 1.0)
    return (h - hl) / (hv - hl)


def _crit(fluid):
    AS = _state(fluid)
    return AS.T_critical(), AS.p_critical()


def _table_p_max(fluid):
    """Upper pressure of the hpcore table: max(1.5 p_crit, 15 MPa), capped at the EOS pmax.

    Re-stated from hpcore/config.py (P_HIGH_CRIT_FACTOR, P_HIGH_FLOOR), not imported.
    """
    AS = _state(fluid)
    return min(max(1.5 * AS.p_critical(), 15.0e6), AS.pmax())


# --------------------------------------------------------------------------- validation

def _require(inputs, names, cycle):
    missing = [n for n in names if n not in inputs or inputs[n] is None]
    if missing:
        raise ValueError(f"cycle {cycle!r}: missing required input(s) {missing}")


def _check_common(superheat, eta_is, subcooling=0.0):
    for name, v in (("superheat", superheat), ("subcooling", subcooling), ("eta_is", eta_is)):
        if not math.isfinite(v):
            raise ValueError(f"OUT_OF_DOMAIN: {name}={v} is not finite")
    if superheat < 0.0:
        raise ValueError(f"OUT_OF_DOMAIN: superheat={superheat} < 0")
    if subcooling < 0.0:
        raise ValueError(f"OUT_OF_DOMAIN: subcooling={subcooling} < 0")
    if not (0.0 < eta_is <= 1.0):
        raise ValueError(f"OUT_OF_DOMAIN: eta_is={eta_is} outside (0, 1]")


def _check_subcritical(fluid, T_evap, T_cond, what="cycle"):
    if not (math.isfinite(T_evap) and math.isfinite(T_cond)):
        raise ValueError("OUT_OF_DOMAIN: non-finite temperature")
    if T_evap >= T_cond:
        raise ValueError(f"INFEASIBLE: {what}: T_evap={T_evap} K >= T_cond={T_cond} K")
    Tc, _ = _crit(fluid)
    if T_cond >= Tc:
        raise ValueError(f"INFEASIBLE: {what}: T_cond={T_cond} K at or above T_crit={Tc} K of {fluid}")
    AS = _state(fluid)
    if T_evap < AS.Ttriple():
        raise ValueError(f"OUT_OF_TABLE: {what}: T_evap={T_evap} K below the triple point of {fluid}")


# --------------------------------------------------------------------------- cycles

def _basic_states(fluid, T_evap, T_cond, superheat, subcooling, eta_is, what="basic"):
    """States 1-4 of a basic cycle, as dicts (p, T, h, s)."""
    _check_subcritical(fluid, T_evap, T_cond, what)
    p_evap = _sat_p(fluid, T_evap)
    p_cond = _sat_p(fluid, T_cond)
    h1 = _vapour_out(fluid, p_evap, T_evap, superheat)
    h2 = _compress(fluid, p_evap, h1, p_cond, eta_is, label=f"{what} compressor")
    h3 = _liquid_out(fluid, p_cond, T_cond, subcooling)
    h4 = h3
    return p_evap, p_cond, {
        "1": _point(fluid, p_evap, h1),
        "2": _point(fluid, p_cond, h2),
        "3": _point(fluid, p_cond, h3),
        "4": _point(fluid, p_evap, h4),
    }


def _cycle_basic(fluid, T_evap, T_cond, superheat, subcooling, eta_is):
    p_evap, p_cond, st = _basic_states(fluid, T_evap, T_cond, superheat, subcooling, eta_is)
    h1, h2, h3, h4 = (st[k]["h"] for k in "1234")
    out = {
        "q_evap": h1 - h4, "q_cond": h2 - h3, "w_comp": h2 - h1,
        "p_evap": p_evap, "p_cond": p_cond,
        "T_discharge": st["2"]["T"],
        "quality_evap_in": _quality(fluid, p_evap, h4),
    }
    return out, st


def _cycle_ihx(fluid, T_evap, T_cond, superheat, subcooling, eta_is, eps_ihx=0.5):
    if not (math.isfinite(eps_ihx) and 0.0 <= eps_ihx <= 1.0):
        raise ValueError(f"OUT_OF_DOMAIN: eps_ihx={eps_ihx} outside [0, 1]")
    _check_subcritical(fluid, T_evap, T_cond, "ihx")
    p_evap = _sat_p(fluid, T_evap)
    p_cond = _sat_p(fluid, T_cond)
    h1 = _vapour_out(fluid, p_evap, T_evap, superheat)
    h3 = _liquid_out(fluid, p_cond, T_cond, subcooling)
    T1 = T_evap + superheat
    T3 = _bubble_T(fluid, p_cond) - subcooling
    # vapour heated up to T3 at p_evap (single phase: T3 > T_evap >= saturation)
    dh_vap_max = _h_pT(fluid, p_evap, T3) - h1
    # liquid cooled down to T1 at p_cond (single phase: T1 < T_cond)
    dh_liq_max = h3 - _h_pT(fluid, p_cond, T1)
    Q = eps_ihx * min(dh_vap_max, dh_liq_max)
    h5 = h1 + Q
    h6 = h3 - Q
    h4 = h6
    h2 = _compress(fluid, p_evap, h5, p_cond, eta_is, label="ihx compressor")
    st = {
        "1": _point(fluid, p_evap, h1),
        "2": _point(fluid, p_cond, h2),
        "3": _point(fluid, p_cond, h3),
        "4": _point(fluid, p_evap, h4),
        "5": _point(fluid, p_evap, h5),
        "6": _point(fluid, p_cond, h6),
    }
    out = {
        "q_evap": h1 - h4, "q_cond": h2 - h3, "w_comp": h2 - h5,
        "p_evap": p_evap, "p_cond": p_cond,
        "T_discharge": st["2"]["T"],
        "quality_evap_in": _quality(fluid, p_evap, h4),
    }
    return out, st


def _p_int_default(p_evap, p_cond, p_int, what):
    if p_int is None:
        p_int = math.sqrt(p_evap * p_cond)
    if not (math.isfinite(p_int) and p_evap < p_int < p_cond):
        raise ValueError(f"INFEASIBLE: {what}: p_int={p_int} Pa not strictly between "
                         f"p_evap={p_evap} Pa and p_cond={p_cond} Pa")
    return p_int


def _cycle_economizer(fluid, T_evap, T_cond, superheat, subcooling, eta_is,
                      economizer="flash", p_int=None, dT_econ=5.0):
    if economizer not in ("flash", "closed"):
        raise ValueError(f"economizer={economizer!r}: expected 'flash' or 'closed'")
    _check_subcritical(fluid, T_evap, T_cond, "economizer")
    p_evap = _sat_p(fluid, T_evap)
    p_cond = _sat_p(fluid, T_cond)
    p_int = _p_int_default(p_evap, p_cond, p_int, "economizer")
    T_int = _sat_T(fluid, p_int)

    h1 = _vapour_out(fluid, p_evap, T_evap, superheat)
    h2 = _compress(fluid, p_evap, h1, p_int, eta_is, label="economizer low stage")
    h5 = _liquid_out(fluid, p_cond, T_cond, subcooling)
    h6 = h5
    h7 = _sat_h(fluid, p_int, 1.0)
    if economizer == "flash":
        h8 = _sat_h(fluid, p_int, 0.0)
        p8 = p_int
        y = _quality(fluid, p_int, h6)
    else:
        if not (math.isfinite(dT_econ) and dT_econ >= 0.0):
            raise ValueError(f"OUT_OF_DOMAIN: dT_econ={dT_econ} must be >= 0")
        T5 = T_cond - subcooling
        T8 = T_int + dT_econ
        if T8 >= T5:
            raise ValueError(f"INFEASIBLE: closed economizer T8={T8} K >= T5={T5} K")
        h8 = _h_pT(fluid, p_cond, T8)
        p8 = p_cond
        y = (h5 - h8) / (h7 - h8)
    h9 = h8
    h3 = (1.0 - y) * h2 + y * h7
    h4 = _compress(fluid, p_int, h3, p_cond, eta_is, label="economizer high stage")
    st = {
        "1": _point(fluid, p_evap, h1),
        "2": _point(fluid, p_int, h2),
        "3": _point(fluid, p_int, h3),
        "4": _point(fluid, p_cond, h4),
        "5": _point(fluid, p_cond, h5),
        "6": _point(fluid, p_int, h6),
        "7": _point(fluid, p_int, h7),
        "8": _point(fluid, p8, h8),
        "9": _point(fluid, p_evap, h9),
    }
    out = {
        "q_evap": (1.0 - y) * (h1 - h9),
        "q_cond": h4 - h5,
        "w_comp": (1.0 - y) * (h2 - h1) + (h4 - h3),
        "p_evap": p_evap, "p_cond": p_cond, "p_int": p_int,
        "T_discharge": st["4"]["T"],
        "quality_evap_in": _quality(fluid, p_evap, h9),
        "injection_ratio": y,
    }
    return out, st


def _cycle_two_stage(fluid, T_evap, T_cond, superheat, subcooling, eta_is, p_int=None):
    _check_subcritical(fluid, T_evap, T_cond, "two_stage")
    p_evap = _sat_p(fluid, T_evap)
    p_cond = _sat_p(fluid, T_cond)
    p_int = _p_int_default(p_evap, p_cond, p_int, "two_stage")
    h1 = _vapour_out(fluid, p_evap, T_evap, superheat)
    h2 = _compress(fluid, p_evap, h1, p_int, eta_is, label="two_stage low stage")
    h3 = _sat_h(fluid, p_int, 1.0)
    h4 = _compress(fluid, p_int, h3, p_cond, eta_is, label="two_stage high stage")
    h5 = _liquid_out(fluid, p_cond, T_cond, subcooling)
    h6 = h5
    h7 = _sat_h(fluid, p_int, 0.0)
    h8 = h7
    m_low = (h3 - h6) / (h2 - h7)
    st = {
        "1": _point(fluid, p_evap, h1),
        "2": _point(fluid, p_int, h2),
        "3": _point(fluid, p_int, h3),
        "4": _point(fluid, p_cond, h4),
        "5": _point(fluid, p_cond, h5),
        "6": _point(fluid, p_int, h6),
        "7": _point(fluid, p_int, h7),
        "8": _point(fluid, p_evap, h8),
    }
    out = {
        "q_evap": m_low * (h1 - h8),
        "q_cond": h4 - h5,
        "w_comp": m_low * (h2 - h1) + (h4 - h3),
        "p_evap": p_evap, "p_cond": p_cond, "p_int": p_int,
        "T_discharge": st["4"]["T"],
        "quality_evap_in": _quality(fluid, p_evap, h8),
        "mass_flow_ratio": m_low,
    }
    return out, st


def _cycle_cascade(fluid, T_evap, T_cond, superheat, subcooling, eta_is,
                   fluid_low=None, T_cascade=None, dT_cascade=5.0):
    if fluid_low is None:
        fluid_low = fluid
    if not (math.isfinite(dT_cascade) and dT_cascade >= 0.0):
        raise ValueError(f"OUT_OF_DOMAIN: dT_cascade={dT_cascade} must be >= 0")
    if not (math.isfinite(T_evap) and math.isfinite(T_cond)):
        raise ValueError("OUT_OF_DOMAIN: non-finite temperature")
    if T_evap >= T_cond:
        raise ValueError(f"INFEASIBLE: T_evap={T_evap} K >= T_cond={T_cond} K")
    if T_cascade is None:
        T_cascade = math.sqrt(T_evap * T_cond) + dT_cascade / 2.0
    T_high_evap = T_cascade - dT_cascade
    if not (T_evap < T_cascade and T_high_evap < T_cond):
        raise ValueError(f"INFEASIBLE: cascade needs T_evap < T_cascade and "
                         f"T_cascade - dT_cascade < T_cond (T_evap={T_evap}, "
                         f"T_cascade={T_cascade}, dT_cascade={dT_cascade}, T_cond={T_cond})")
    pLe, pLc, sl = _basic_states(fluid_low, T_evap, T_cascade, superheat, subcooling, eta_is,
                                 "cascade low circuit")
    pHe, pHc, sh = _basic_states(fluid, T_high_evap, T_cond, superheat, subcooling, eta_is,
                                 "cascade high circuit")
    hL1, hL2, hL3, hL4 = (sl[k]["h"] for k in "1234")
    hH1, hH2, hH3, hH4 = (sh[k]["h"] for k in "1234")
    m_low = (hH1 - hH4) / (hL2 - hL3)
    st = {}
    for k in "1234":
        st["L" + k] = sl[k]
        st["H" + k] = sh[k]
    out = {
        "q_evap": m_low * (hL1 - hL4),
        "q_cond": hH2 - hH3,
        "w_comp": m_low * (hL2 - hL1) + (hH2 - hH1),
        "p_evap": pLe, "p_cond": pHc,
        "p_cascade_low": pLc, "p_cascade_high": pHe,
        "T_cascade": T_cascade,
        "T_discharge": sh["2"]["T"],
        "quality_evap_in": _quality(fluid_low, pLe, hL4),
        "mass_flow_ratio": m_low,
    }
    return out, st


def _transcritical_core(fluid, T_evap, superheat, eta_is, T_gc_out, p_high):
    """Specific quantities and states of the transcritical cycle at a given p_high."""
    p_evap = _sat_p(fluid, T_evap)
    h1 = _vapour_out(fluid, p_evap, T_evap, superheat)
    # p_high > p_crit: no saturated vapour at discharge, so no wet-compression check
    h2 = _compress(fluid, p_evap, h1, p_high, eta_is, check_wet=False)
    h3 = _h_pT(fluid, p_high, T_gc_out)
    h4 = h3
    return p_evap, h1, h2, h3, h4


def _transcritical_cop(fluid, T_evap, superheat, eta_is, T_gc_out, p_high):
    _, h1, h2, h3, _ = _transcritical_core(fluid, T_evap, superheat, eta_is, T_gc_out, p_high)
    return (h2 - h3) / (h2 - h1)


def reference_optimal_p_high(fluid, T_evap, superheat, eta_is, T_gc_out, p_min, p_max,
                             n_scan=2000):
    """High pressure maximizing COP of the transcritical cycle on [p_min, p_max].

    Brute force: COP_heating at ``n_scan`` log-spaced pressures, then a bounded Brent
    minimization of -COP between the scan neighbours of the best point (xatol 1e-3 Pa).
    Returns ``(p_opt, COP_heating(p_opt))``. Raises ValueError (NOT_CONVERGED) when the
    optimum lies on the upper bound.
    """
    if not (0.0 < p_min < p_max):
        raise ValueError(f"need 0 < p_min < p_max (got {p_min}, {p_max})")
    ps = np.exp(np.linspace(math.log(p_min), math.log(p_max), int(n_scan)))
    cops = np.array([_transcritical_cop(fluid, T_evap, superheat, eta_is, T_gc_out, float(p))
                     for p in ps])
    i = int(np.argmax(cops))
    lo = float(ps[max(i - 1, 0)])
    hi = float(ps[min(i + 1, len(ps) - 1)])
    res = minimize_scalar(
        lambda p: -_transcritical_cop(fluid, T_evap, superheat, eta_is, T_gc_out, p),
        bounds=(lo, hi), method="bounded", options={"xatol": 1e-3, "maxiter": 500},
    )
    p_opt, cop_opt = float(res.x), -float(res.fun)
    # Brent never evaluates the bounds themselves: keep the scan point if it is better
    if cops[i] > cop_opt:
        p_opt, cop_opt = float(ps[i]), float(cops[i])
    if i == len(ps) - 1 or p_opt >= p_max * (1.0 - 1e-9):
        raise ValueError(f"NOT_CONVERGED: optimal p_high on the upper bound p_max={p_max} Pa")
    return p_opt, cop_opt


def _cycle_transcritical(fluid, T_evap, superheat, eta_is, T_gc_out, p_high=None,
                         p_min=None, p_max=None):
    if not (math.isfinite(T_evap) and math.isfinite(T_gc_out)):
        raise ValueError("OUT_OF_DOMAIN: non-finite temperature")
    Tc, pc = _crit(fluid)
    if T_evap >= Tc:
        raise ValueError(f"INFEASIBLE: T_evap={T_evap} K at or above T_crit={Tc} K")
    if p_high is None:
        if p_min is None:
            p_min = pc * 1.0001
        if p_max is None:
            p_max = _table_p_max(fluid)
        p_high, _ = reference_optimal_p_high(fluid, T_evap, superheat, eta_is, T_gc_out,
                                             p_min, p_max)
    elif not (math.isfinite(p_high) and p_high > pc):
        raise ValueError(f"OUT_OF_DOMAIN: p_high={p_high} Pa <= p_crit={pc} Pa")
    p_evap, h1, h2, h3, h4 = _transcritical_core(fluid, T_evap, superheat, eta_is, T_gc_out, p_high)
    st = {
        "1": _point(fluid, p_evap, h1),
        "2": _point(fluid, p_high, h2),
        "3": _point(fluid, p_high, h3),
        "4": _point(fluid, p_evap, h4),
    }
    out = {
        "q_evap": h1 - h4, "q_cond": h2 - h3, "w_comp": h2 - h1,
        "p_evap": p_evap, "p_cond": p_high, "p_high": p_high,
        "T_discharge": st["2"]["T"],
        "quality_evap_in": _quality(fluid, p_evap, h4),
    }
    return out, st


# --------------------------------------------------------------------------- public API

_COMMON = ("T_evap", "T_cond", "superheat", "subcooling", "eta_is")
_SPEC = {
    "basic": (_cycle_basic, _COMMON, ()),
    "ihx": (_cycle_ihx, _COMMON, ("eps_ihx",)),
    "economizer": (_cycle_economizer, _COMMON, ("economizer", "p_int", "dT_econ")),
    "two_stage": (_cycle_two_stage, _COMMON, ("p_int",)),
    "cascade": (_cycle_cascade, _COMMON, ("fluid_low", "T_cascade", "dT_cascade")),
    "transcritical": (_cycle_transcritical, ("T_evap", "superheat", "eta_is", "T_gc_out"),
                      ("p_high", "p_min", "p_max")),
}
_ABSOLUTE = ("m_dot", "Q_heating", "Q_cooling")


def reference_cycle(fluid, cycle, **inputs):
    """Evaluate one operating point of ``cycle`` with ``fluid`` on CoolProp HEOS.

    Returns a dict of floats: COP_heating, COP_cooling, p_evap, p_cond, pressure_ratio,
    T_discharge, q_evap, q_cond, w_comp, quality_evap_in, p_/T_/h_/s_<label> for every
    state, the cycle's extra output (injection_ratio, mass_flow_ratio, p_high) and, when
    one of m_dot / Q_heating / Q_cooling is given, m_dot, P_comp, Q_heating, Q_cooling.
    """
    if cycle not in _SPEC:
        raise ValueError(f"unknown cycle {cycle!r}; expected one of {CYCLES}")
    func, required, optional = _SPEC[cycle]
    unknown = set(inputs) - set(required) - set(optional) - set(_ABSOLUTE)
    if unknown:
        raise ValueError(f"cycle {cycle!r}: unknown input(s) {sorted(unknown)}")
    _require(inputs, required, cycle)
    absolute = {k: inputs[k] for k in _ABSOLUTE if inputs.get(k) is not None}
    if len(absolute) > 1:
        raise ValueError(f"give at most one of {_ABSOLUTE} (got {sorted(absolute)})")
    kwargs = {k: inputs[k] for k in required}
    kwargs.update({k: inputs[k] for k in optional if inputs.get(k) is not None})
    for k in ("T_evap", "T_cond", "superheat", "subcooling", "eta_is", "T_gc_out"):
        if k in kwargs:
            kwargs[k] = float(kwargs[k])
    _check_common(kwargs["superheat"], kwargs["eta_is"], kwargs.get("subcooling", 0.0))

    out, states = func(fluid, **kwargs)

    out["COP_heating"] = out["q_cond"] / out["w_comp"]
    out["COP_cooling"] = out["q_evap"] / out["w_comp"]
    out["pressure_ratio"] = out["p_cond"] / out["p_evap"]
    for label, st in states.items():
        for prop in ("p", "T", "h", "s"):
            out[f"{prop}_{label}"] = float(st[prop])

    if absolute:
        (name, value), = absolute.items()
        value = float(value)
        if name == "m_dot":
            m_dot = value
        elif name == "Q_heating":
            m_dot = value / out["q_cond"]
        else:
            m_dot = value / out["q_evap"]
        out["m_dot"] = m_dot
        out["P_comp"] = m_dot * out["w_comp"]
        out["Q_heating"] = m_dot * out["q_cond"]
        out["Q_cooling"] = m_dot * out["q_evap"]
    return {k: float(v) for k, v in out.items()}
