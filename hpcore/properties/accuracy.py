"""Accuracy of a table against CoolProp HEOS, measured at random states.

Error definitions (published with every table):

* temperatures: absolute error [K];
* h and s: |error| / max(|reference|, scale), the scale being the latent heat
  (or entropy of vaporization) at the table's lowest temperature, because h
  and s have arbitrary zeros (water's h is 0 at the triple point);
* everything else (D, cp, p_sat, T_sat as a ratio, saturated D): |error| / |reference|.

Regions by pressure: ``subcritical`` p <= 0.9 p_crit, ``near_critical``
0.9 p_crit < p < 1.1 p_crit, ``supercritical`` p >= 1.1 p_crit.

The sample: 40 % uniform in (ln p, T) over the table, 30 % exactly 0.01 K
below or above the saturation line, 30 % between 0.01 K and 20 K from it
(log-uniform), either side. ``wrong_phase`` counts states whose density is
off by more than 1 % (a liquid answered as vapour or the reverse).
"""
import math

import numpy as np

from . import _kernels as K
from . import layout as L

REGIONS = ("subcritical", "near_critical", "supercritical")


def _region(p, pc):
    return np.where(p <= 0.9 * pc, 0, np.where(p < 1.1 * pc, 1, 2))


def _stats(err, reg):
    out = {}
    for r, name in enumerate(REGIONS):
        e = err[(reg == r) & np.isfinite(err)]
        if e.size:
            out[name] = {
                "max": float(e.max()),
                "median": float(np.median(e)),
                "p99": float(np.percentile(e, 99)),
                "n": int(e.size),
            }
    return out


def _eval(tbl, pair, out, a, b):
    res = np.empty(a.shape[0])
    status = np.empty(a.shape[0], dtype=np.int32)
    K.props_serial(tbl, pair, out, np.ascontiguousarray(a, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64), res, status)
    return res, status


def sample_states(meta, n, seed):
    """Random (p, T) states over the table of ``meta`` with CoolProp HEOS references."""
    import CoolProp.CoolProp as CP

    AS = CP.AbstractState("HEOS", meta["fluid"])
    rng = np.random.default_rng(seed)
    pmin, pmax, tmin, thi, ttop = meta["p_min"], meta["p_max"], meta["T_min"], meta["T_max"], meta["T_sat_top"]
    rows = []
    attempts = 0
    while len(rows) < n and attempts < 20 * n:
        attempts += 1
        u = rng.random()
        if u < 0.4:
            p = math.exp(rng.uniform(math.log(pmin), math.log(pmax)))
            T = rng.uniform(tmin, thi)
        else:
            Ts = rng.uniform(tmin + 0.02, ttop - 0.02)
            try:
                AS.update(CP.QT_INPUTS, 0.0, Ts)
            except ValueError:  # CoolProp's own saturation solver fails now and then near T_crit
                continue
            p = AS.p()
            d = 0.01 if u < 0.7 else math.exp(rng.uniform(math.log(0.01), math.log(20.0)))
            T = Ts + d * rng.choice((-1.0, 1.0))
            if not (pmin <= p <= pmax and tmin <= T <= thi):
                continue
        try:
            AS.update(CP.PT_INPUTS, p, T)
            rows.append((p, T, AS.hmass(), AS.smass(), AS.rhomass(), AS.cpmass()))
        except ValueError:
            continue
    return np.array(rows)


def measure(table, n=10_000, seed=0):
    """Error statistics of ``table`` against CoolProp HEOS (see the module docstring)."""
    import CoolProp.CoolProp as CP

    meta = table.meta
    tbl = table.arrays
    pc = meta["p_crit"]
    AS = CP.AbstractState("HEOS", meta["fluid"])
    AS.update(CP.QT_INPUTS, 0.0, meta["T_min"])
    hl, sl = AS.hmass(), AS.smass()
    AS.update(CP.QT_INPUTS, 1.0, meta["T_min"])
    h_scale, s_scale = AS.hmass() - hl, AS.smass() - sl

    data = sample_states(meta, n, seed)
    p, T, h, s, D, cp = data.T
    reg = _region(p, pc)

    def rel(a, ref, scale=0.0):
        return np.abs(a - ref) / np.maximum(np.abs(ref), scale)

    res = {}
    res["h(p,T)"] = _stats(rel(_eval(tbl, K.PAIR_PT, K.OUT_H, p, T)[0], h, h_scale), reg)
    res["s(p,T)"] = _stats(rel(_eval(tbl, K.PAIR_PT, K.OUT_S, p, T)[0], s, s_scale), reg)
    Dt = _eval(tbl, K.PAIR_PT, K.OUT_D, p, T)[0]
    res["D(p,T)"] = _stats(rel(Dt, D), reg)
    res["cp(p,T)"] = _stats(rel(_eval(tbl, K.PAIR_PT, K.OUT_C, p, T)[0], cp), reg)
    res["T(p,h) [K]"] = _stats(np.abs(_eval(tbl, K.PAIR_PH, K.OUT_T, p, h)[0] - T), reg)
    res["s(p,h)"] = _stats(rel(_eval(tbl, K.PAIR_PH, K.OUT_S, p, h)[0], s, s_scale), reg)
    res["D(p,h)"] = _stats(rel(_eval(tbl, K.PAIR_PH, K.OUT_D, p, h)[0], D), reg)
    res["h(p,s)"] = _stats(rel(_eval(tbl, K.PAIR_PS, K.OUT_H, p, s)[0], h, h_scale), reg)
    res["T(p,s) [K]"] = _stats(np.abs(_eval(tbl, K.PAIR_PS, K.OUT_T, p, s)[0] - T), reg)
    wrong = rel(Dt, D) > 0.01
    res["wrong_phase"] = {name: int(np.sum(wrong & (reg == r))) for r, name in enumerate(REGIONS)}

    # saturation
    rng = np.random.default_rng(seed + 1)
    m = max(n // 5, 100)
    Ts = rng.uniform(meta["T_min"], meta["T_sat_top"], m)
    ref = []
    for t in Ts:
        try:
            AS.update(CP.QT_INPUTS, 1.0, t)
            row = [AS.p(), AS.hmass(), AS.smass(), AS.rhomass()]
            AS.update(CP.QT_INPUTS, 0.0, t)
            ref.append(row + [AS.hmass(), AS.smass(), AS.rhomass()])
        except ValueError:  # skipped: no reference
            ref.append([np.nan] * 7)
    ref = np.array(ref)
    regT = _region(ref[:, 0], pc)
    res["p_sat(T)"] = _stats(rel(_eval(tbl, K.PAIR_TQ, K.OUT_P, Ts, 1.0 + 0 * Ts)[0], ref[:, 0]), regT)
    for col, name, out, q, scale in (
        (4, "h_l(T)", K.OUT_H, 0.0, h_scale),
        (5, "s_l(T)", K.OUT_S, 0.0, s_scale),
        (6, "D_l(T)", K.OUT_D, 0.0, 0.0),
        (1, "h_v(T)", K.OUT_H, 1.0, h_scale),
        (2, "s_v(T)", K.OUT_S, 1.0, s_scale),
        (3, "D_v(T)", K.OUT_D, 1.0, 0.0),
    ):
        res[name] = _stats(rel(_eval(tbl, K.PAIR_TQ, out, Ts, q + 0 * Ts)[0], ref[:, col], scale), regT)
    ps = np.exp(rng.uniform(math.log(meta["p_min"]), math.log(meta["p_sat_top"]), m))
    refT = []
    for pp in ps:
        try:
            AS.update(CP.PQ_INPUTS, pp, 1.0)
            refT.append((AS.T(), AS.hmass(), AS.smass(), AS.rhomass()))
        except ValueError:
            refT.append((np.nan,) * 4)
    refT = np.array(refT)
    regp = _region(ps, pc)
    res["T_sat(p)"] = _stats(rel(_eval(tbl, K.PAIR_PQ, K.OUT_T, ps, 1.0 + 0 * ps)[0], refT[:, 0]), regp)
    res["h_v(p)"] = _stats(rel(_eval(tbl, K.PAIR_PQ, K.OUT_H, ps, 1.0 + 0 * ps)[0], refT[:, 1], h_scale), regp)
    res["D_v(p)"] = _stats(rel(_eval(tbl, K.PAIR_PQ, K.OUT_D, ps, 1.0 + 0 * ps)[0], refT[:, 3]), regp)
    return {
        "n_states": int(p.size),
        "seed": int(seed),
        "h_scale": float(h_scale),
        "s_scale": float(s_scale),
        "errors": res,
    }


def format_accuracy(acc):
    """Text table of the accuracy statistics (one line per quantity and region)."""
    lines = [f"{'quantity':<12} {'region':<14} {'max':>9} {'median':>9} {'p99':>9} {'n':>6}"]
    for q, regions in acc["errors"].items():
        if q == "wrong_phase":
            continue
        for r, v in regions.items():
            lines.append(f"{q:<12} {r:<14} {v['max']:9.2e} {v['median']:9.2e} {v['p99']:9.2e} {v['n']:6d}")
    wp = acc["errors"].get("wrong_phase", {})
    lines.append("wrong phase: " + ", ".join(f"{k} {v}" for k, v in wp.items()))
    return "\n".join(lines)


__all__ = ["measure", "format_accuracy", "sample_states", "L"]
