"""Accuracy of the T_sat grids against CoolProp HEOS, beside the general tables'.

Usage: ``python scripts/tsat_accuracy.py [FLUID ...]`` (default: every default fluid).
For each grid (suction h, s, D; liquid h, s; discharge h(p, s); discharge T, s(p, h);
liquid T, s(p, h)),
400 random states over its range, clustered at the saturation line (y = y_max u**2,
u uniform; seed 1), are evaluated by the grids, by the general tables and by HEOS.
Printed: the largest error of each against HEOS (h and s relative to the latent heat and
the entropy of vaporization at the grids' lowest temperature, D relative, T in K), over
the states the grids hold, and the fraction they hold of the states the general tables
have (the rest take the general path in the kernels).
"""
import os
import sys

import CoolProp.CoolProp as CP
import numpy as np

from hpcore.properties import DEFAULT_FLUIDS, layout as L, load_table, resolve_fluid, tsat

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from reference_states import heos_state  # noqa: E402

NAMES = {L.TS_SUC: ("suction", ("h", "s", "D")), L.TS_LIQ: ("liquid", ("h", "s")),
         L.TS_PS: ("h(p,s)", ("h",)), L.TS_PH: ("T,s(p,h)", ("T [K]", "s")),
         L.TS_LPH: ("liquid T,s(p,h)", ("T [K]", "s"))}


def fluid_rows(fluid, n=400, seed=1):
    table = load_table(fluid)
    a = table.arrays
    c = a[5]
    T0 = c[L.TS_T0]
    T1 = tsat._T_of(c[L.TS_NX] - 1, T0, c[L.TS_C1], c[L.TS_C3])
    lat_h, lat_s = tsat.latent_scales(a, T0)
    AS = CP.AbstractState("HEOS", resolve_fluid(fluid))
    rng = np.random.default_rng(seed)
    rows = []
    for k, (name, outs) in NAMES.items():
        no = len(outs)
        ymax = c[L.TS_TAB + 8 * k + L.TS_T_YMAX]
        T = rng.uniform(T0 + 0.5, T1, n)
        y = ymax * rng.uniform(0.0, 1.0, n) ** 2
        if k == L.TS_LIQ:
            y = np.minimum(ymax, T - T0 - 1.0) * rng.uniform(0.0, 1.0, n) ** 2
        g, f = tsat._grid(a, k, T, y, no), tsat._ref(a, k, T, y, no)
        ref = np.full((n, no), np.nan)
        for i in range(n):
            try:
                ref[i] = heos_state(AS, k, T[i], y[i])
            except ValueError:
                pass
        scale = {"h": lat_h, "s": lat_s, "D": None, "T [K]": 1.0}
        held = np.isfinite(g).all(1) & np.isfinite(ref).all(1)
        exists = np.isfinite(f).all(1) & np.isfinite(ref).all(1)
        cells = []
        for o, q in enumerate(outs):
            sc = np.abs(ref[held, o]) if scale[q] is None else scale[q]
            eg = np.max(np.abs(g[held, o] - ref[held, o]) / sc)
            ef = np.max(np.abs(f[held, o] - ref[held, o]) / sc)
            cells.append(f"{q} {eg:.1e} / {ef:.1e}")
        rows.append(f"| {fluid} | {name} | {T0:.1f}-{T1:.1f} | {held.sum() / max(exists.sum(), 1):.3f} | " + "; ".join(cells) + " |")
    return rows


def main(fluids):
    print("| fluid | grid | T_dew range [K] | held | max error vs HEOS: grids / general tables |")
    print("|---|---|---|---|---|")
    for f in fluids:
        for r in fluid_rows(f):
            print(r)


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT_FLUIDS))
