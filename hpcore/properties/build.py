"""Build phase-aware property tables from CoolProp HEOS.

This is the only module that calls CoolProp to compute properties for the
tables. See :mod:`hpcore.properties.layout` for the table structure.

Grids
-----
x = ln p from p_sat(T_min) to p_max, nodes clustered around the critical
pressure (see ``config.X_CLUSTER_*``). Across each region a
coordinate y in [0, 1], uniform, maps to z = z_b(p) + (z_e(p) - z_b(p)) y**k
where z is the table's input variable (T, h or s), z_b its value on the phase
boundary and z_e its value at the far edge (T_min for the liquid side, T_hi
for the vapour side). Below the top of the saturation table the boundary is
the saturation line; above it the boundary continues smoothly (tangent to
the saturation line in ln p, bending towards the middle of the temperature
range) so that near-critical and supercritical states are covered by the
same two tables, with nodes clustered along the pseudo-critical ridge.

Derivatives at nodes come from not-a-knot cubic splines through the node
values (split at the critical pressure, where the saturation line ends), and
the kernels interpolate with bicubic Hermite polynomials.
"""
import math
import os
import time

import numpy as np
from scipy.interpolate import CubicSpline

from .. import config
from . import layout as L
from .fluids import resolve_fluid


def _coolprop():
    import CoolProp
    import CoolProp.CoolProp as CP

    return CoolProp, CP


def table_bounds(fluid):
    """Coverage of the table of ``fluid``: T_min, T_hi [K], p_min, p_max [Pa]."""
    _, CP = _coolprop()
    name = resolve_fluid(fluid)
    AS = CP.AbstractState("HEOS", name)
    Tc, pc = AS.T_critical(), AS.p_critical()
    T_min = max(AS.Tmin(), config.T_LOW_FLOOR)
    T_hi = min(AS.Tmax(), config.T_HIGH_CEILING)
    if T_hi < Tc + 25.0:
        # water and other high-critical fluids: go above the critical point when the
        # equation allows, so that the vapour region keeps a finite width
        T_hi = min(AS.Tmax(), Tc + 100.0)
    p_max = min(max(config.P_HIGH_CRIT_FACTOR * pc, config.P_HIGH_FLOOR), AS.pmax())
    if AS.has_melting_line():
        # no solid inside the table: above the melting temperature at the highest pressure
        try:
            T_min = max(T_min, AS.melting_line(CP.iT, CP.iP, p_max) + 0.01)
        except ValueError:
            pass
    if T_min >= T_hi or T_min >= Tc:
        raise ValueError(f"fluid={fluid!r}: no usable temperature range (T_min={T_min} K, T_crit={Tc} K)")
    AS.update(CP.QT_INPUTS, 0.0, T_min)
    p_min = AS.p()
    return name, T_min, T_hi, p_min, p_max


class _Evaluator:
    """CoolProp HEOS state evaluations with the phase imposed where it is known."""

    def __init__(self, name):
        _, CP = _coolprop()
        self.CP = CP
        self.AS = CP.AbstractState("HEOS", name)

    def _props(self):
        AS = self.AS
        return AS.T(), AS.hmass(), AS.smass(), AS.rhomass(), AS.cpmass()

    def sat_p(self, p, q):
        self.AS.unspecify_phase()
        self.AS.update(self.CP.PQ_INPUTS, p, q)
        return self._props()

    def sat_T(self, T, q):
        self.AS.unspecify_phase()
        self.AS.update(self.CP.QT_INPUTS, q, T)
        return self.AS.p(), *self._props()[1:]

    def pT(self, p, T, phase):
        CP = self.CP
        if phase == "liquid":
            self.AS.specify_phase(CP.iphase_liquid)
        elif phase == "gas":
            self.AS.specify_phase(CP.iphase_gas)
        else:
            self.AS.unspecify_phase()
        try:
            self.AS.update(CP.PT_INPUTS, p, T)
        except ValueError:
            if phase is None:
                raise
            return self._pT_density(p, T, phase)
        return self._props()

    def _pT_density(self, p, T, phase):
        """(p, T) state by Newton iteration on density at fixed T, from the saturated
        density of the requested phase: the fallback where CoolProp's own (p, T) flash
        fails to bracket (close below the critical point)."""
        CP = self.CP
        AS = self.AS
        AS.unspecify_phase()
        T_sat_ok = T < AS.T_critical()
        if T_sat_ok:
            AS.update(CP.QT_INPUTS, 0.0 if phase == "liquid" else 1.0, T)
            D = AS.rhomass()
        else:
            D = AS.rhomass_critical()
        for _ in range(100):
            AS.update(CP.DmassT_INPUTS, D, T)
            dp = AS.p() - p
            if abs(dp) <= 1e-12 * p:
                return self._props()
            dpdD = AS.first_partial_deriv(CP.iP, CP.iDmass, CP.iT)
            if not dpdD > 0:
                break
            step = -dp / dpdD
            D = max(D + step, 0.5 * D) if step < 0 else min(D + step, 2.0 * D)
        raise ValueError(f"{AS.name()}: no {phase} state at p={p} Pa, T={T} K")

    def ph(self, p, h, bracket=None, phase=None):
        try:
            self.AS.unspecify_phase()
            self.AS.update(self.CP.HmassP_INPUTS, h, p)
            return self._props()
        except ValueError:
            if bracket is None:
                raise
            return self._solve_T(p, h, 1, bracket, phase)

    def ps(self, p, s, bracket=None, phase=None):
        try:
            self.AS.unspecify_phase()
            self.AS.update(self.CP.PSmass_INPUTS, p, s)
            return self._props()
        except ValueError:
            if bracket is None:
                raise
            return self._solve_T(p, s, 2, bracket, phase)

    def inverse(self, p, target, which, T_guess, T_lo, T_hi, phase, z_edge, edge_is_hi):
        """Temperature (and state) where h (which=1) or s (which=2) at p equals target.

        Safeguarded Newton on (p, T) states with the phase imposed, from T_guess, kept
        inside the bracket [T_lo, T_hi] (bisection when a step leaves it); the bracket
        end on the saturation line (``edge_is_hi``) is never evaluated as a (p, T) state.
        Several times faster than CoolProp's (p, h) and (p, s) flashes, and robust close
        to the critical point. Falls back to the flashes if it does not converge.
        """
        lo, hi = T_lo, T_hi
        edge = hi if edge_is_hi else lo
        nudge = 1e-9 * edge
        T = min(max(T_guess, lo), hi)
        tol = 1e-13 * max(abs(target), 1.0)
        for _ in range(60):
            if abs(T - edge) < nudge:
                T = edge - nudge if edge_is_hi else edge + nudge
            st = self.pT(p, T, phase)
            f = st[which] - target
            if abs(f) <= tol:
                return st
            if f > 0:
                hi = T
            else:
                lo = T
            slope = st[4] if which == 1 else st[4] / T  # dh/dT = cp, ds/dT = cp / T at constant p
            T_new = T - f / slope if slope > 0 else 0.5 * (lo + hi)
            if not (lo < T_new < hi):
                T_new = 0.5 * (lo + hi)
            if abs(T_new - T) <= 1e-14 * T:
                return st
            T = T_new
        bracket = (T_lo, T_hi, edge, z_edge)
        return self.ph(p, target, bracket, phase) if which == 1 else self.ps(p, target, bracket, phase)

    def _solve_T(self, p, target, which, bracket, phase):
        """Fallback when CoolProp's own (p, h) or (p, s) flash fails (near the critical
        point): bracketed root of the (p, T) state's h or s, with the phase imposed."""
        from scipy.optimize import brentq

        T_lo, T_hi, T_edge, z_edge = bracket

        def f(T):
            if T == T_edge:  # the saturation end: its value is known exactly
                return z_edge - target
            return self.pT(p, T, phase)[which] - target

        fa, fb = f(T_lo), f(T_hi)
        if fa * fb > 0.0:  # the target sits on an end of the bracket (to rounding)
            T = T_lo if abs(fa) < abs(fb) else T_hi
        else:
            T = brentq(f, T_lo, T_hi, xtol=1e-12, rtol=4 * np.finfo(float).eps, maxiter=200)
        if T == T_edge:
            self.AS.unspecify_phase()
            self.AS.update(self.CP.PQ_INPUTS, p, 0.0 if phase == "liquid" else 1.0)
            return self._props()
        return self.pT(p, T, phase)


def x_nodes(x0, xmax, xc, n, amplitude=None, width=None):
    """Nodes in x = ln p with density 1 + A / (1 + ((x - xc) / w)**2)."""
    A = config.X_CLUSTER_AMPLITUDE if amplitude is None else amplitude
    w = config.X_CLUSTER_WIDTH if width is None else width

    def U(x):
        return x + A * w * np.arctan((x - xc) / w)

    fine = np.linspace(x0, xmax, 200 * n + 1)
    target = np.linspace(U(x0), U(xmax), n)
    nodes = np.interp(target, U(fine), fine)
    nodes[0], nodes[-1] = x0, xmax
    return nodes


def index_map(nodes):
    """Uniform bins over the nodes' range, each holding the cell of its left end."""
    h_min = np.min(np.diff(nodes))
    nmap = int(math.ceil((nodes[-1] - nodes[0]) / h_min)) + 1
    dxu = (nodes[-1] - nodes[0]) / (nmap - 1)
    left = nodes[0] + dxu * np.arange(nmap)
    cells = np.clip(np.searchsorted(nodes, left, side="right") - 1, 0, len(nodes) - 2)
    return cells.astype(np.float64), dxu


def _spline_deriv(values, axis, split=None, coords=None):
    """Derivative of a not-a-knot cubic spline through ``values``, per unit of ``coords``.

    ``split``: index of the first node of a second, independent piece (the
    spline is not carried across the end of the saturation line).
    """
    values = np.asarray(values, dtype=np.float64)
    n = values.shape[axis]
    out = np.empty_like(values)
    pieces = [(0, n)]
    if split is not None and 4 <= split <= n - 4:
        pieces = [(0, split), (split, n)]
    for a, b in pieces:
        idx = np.arange(a, b, dtype=np.float64) if coords is None else np.asarray(coords[a:b], dtype=np.float64)
        sl = [slice(None)] * values.ndim
        sl[axis] = slice(a, b)
        sl = tuple(sl)
        out[sl] = CubicSpline(idx, values[sl], axis=axis)(idx, 1)
    return out


def _fill_failed(values, axis, coords=None):
    """Replace NaN rows (nodes where CoolProp HEOS did not converge, which happens only
    within a fraction of a kelvin of the critical point) by a cubic spline through the
    good nodes along ``axis``. Returns the number of filled nodes."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return 0
    moved = np.moveaxis(values, axis, 0)
    n = moved.shape[0]
    idx = np.arange(n, dtype=np.float64) if coords is None else np.asarray(coords, dtype=np.float64)
    flat = moved.reshape(n, -1)
    filled = 0
    for c in range(flat.shape[1]):
        col = flat[:, c]
        ok = np.isfinite(col)
        if ok.all():
            continue
        if ok.sum() < 4:
            raise RuntimeError("too many CoolProp failures to fill a table line")
        col[~ok] = CubicSpline(idx[ok], col[ok])(idx[~ok])
        filled += int((~ok).sum())
    return filled


def _try(fn, *args, n=5):
    try:
        return fn(*args)
    except ValueError:
        return (math.nan,) * n


def default_grid(fluid, p_min, p_max):
    """Grid sizes the current configuration gives ``fluid``'s table spanning [p_min, p_max]."""
    nx = max(config.TABLE_NX, int(round(config.TABLE_NX_PER_LNP * (math.log(p_max) - math.log(p_min)))))
    ny = config.TABLE_NY_BY_FLUID.get(fluid, config.TABLE_NY)
    return {"nx": nx, "ny": ny, "nt": config.SAT_T_NODES, "stretch": config.TABLE_STRETCH}


def _region_rows(name, rows, T_min, T_hi, frac, progress=False, t0=None):
    """Node values of the six region tables for the given pressure rows.

    ``rows``: (index, p, subcritical, boundary-table row). Returns [(index, values)]
    with values of shape (NTAB, ny, NOUT). Runs in worker processes.
    """
    ev = _Evaluator(name)
    ny = len(frac)
    out = []
    for n_row, (i, p, sub, b) in enumerate(rows):
        vals = np.empty((L.NTAB, ny, L.NOUT))
        Tb = b[L.QX_T]
        Tbub = b[L.QX_TBUB]
        # (input variable, boundary value, far edge, phase, side) of each table
        spec = (
            (L.TAB_TL, "T", Tbub, T_min, "liquid", 0),
            (L.TAB_TV, "T", Tb, T_hi, "gas", 1),
            (L.TAB_HL, "H", b[L.QX_HL], b[L.QX_HLO], "liquid", 0),
            (L.TAB_HV, "H", b[L.QX_HV], b[L.QX_HHI], "gas", 1),
            (L.TAB_SL, "S", b[L.QX_SL], b[L.QX_SLO], "liquid", 0),
            (L.TAB_SV, "S", b[L.QX_SV], b[L.QX_SHI], "gas", 1),
        )
        sat_state = (
            (Tbub, b[L.QX_HL], b[L.QX_SL], b[L.QX_DL], b[L.QX_CL]),
            (Tb, b[L.QX_HV], b[L.QX_SV], b[L.QX_DV], b[L.QX_CV]),
        )
        for it, var, zb, ze, phase, side in spec:
            T_prev = sat_state[side][0]
            for j in range(ny):
                if j == 0 or (i == 0 and side == 0):
                    # on the boundary, or the liquid region at p_min (a single state)
                    T, h, s, d, c = sat_state[side]
                else:
                    z = zb + (ze - zb) * frac[j]
                    ph_ = phase if sub else None
                    if var == "T":
                        T, h, s, d, c = _try(ev.pT, p, z, ph_)
                    else:
                        lo, hi = (T_min, Tbub) if side == 0 else (Tb, T_hi)
                        T, h, s, d, c = _try(ev.inverse, p, z, 1 if var == "H" else 2, T_prev, lo, hi, ph_, zb, side == 0)
                    if math.isfinite(T):
                        T_prev = T
                allv = {"T": T, "H": h, "S": s, "D": d, "C": c}
                vals[it, j] = [allv[o] for o in L.OUTPUTS_BY_INPUT[var]]
        out.append((i, vals))
        if progress and n_row % 10 == 0:
            _progress(f"  {name}: region tables {100 * n_row // len(rows):3d} % ({time.perf_counter() - t0:.1f} s)   ", True)
    return out


def _build_workers(workers):
    import multiprocessing as mp

    if workers is None:
        workers = os.cpu_count() or 1
        if mp.current_process().daemon or os.name != "posix":
            workers = 1  # daemonic processes (Dask workers) may not have children
    return max(1, int(workers))


def _progress(msg, enabled):
    if enabled:
        print(msg, flush=True, end="\r" if not msg.endswith("\n") else "")


def build_arrays(fluid, *, nx=None, ny=None, nt=None, refine=None, stretch=None, progress=False, workers=None):
    """Compute the table arrays of ``fluid`` from CoolProp HEOS.

    ``workers``: processes computing the region tables (default: one per core).
    Returns ``(par, satx, satT, tab, xg, meta)``; see :mod:`hpcore.properties.layout`.
    """
    nx_auto = nx is None
    ny_auto = ny is None
    nx = config.TABLE_NX if nx is None else int(nx)
    ny = config.TABLE_NY if ny is None else int(ny)
    nt = config.SAT_T_NODES if nt is None else int(nt)
    refine = config.SAT_X_REFINE if refine is None else int(refine)
    k = config.TABLE_STRETCH if stretch is None else float(stretch)
    for arg, val, lo in (("nx", nx, 8), ("ny", ny, 8), ("nt", nt, 16), ("refine", refine, 1)):
        if val < lo:
            raise ValueError(f"{arg}={val}: must be an integer >= {lo}")
    if not (1.0 <= k <= 4.0):
        raise ValueError(f"stretch={k}: must be within [1, 4]")

    t0 = time.perf_counter()
    name, T_min, T_hi, p_min, p_max = table_bounds(fluid)
    ev = _Evaluator(name)
    AS = ev.AS
    Tc, pc = AS.T_critical(), AS.p_critical()

    # top of the saturation tables: as close below T_crit as CoolProp converges
    T_top = None
    for d in (1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 1e-3):
        try:
            T_try = Tc * (1.0 - d)
            ev.sat_T(T_try, 0.0)
            p_try = ev.sat_T(T_try, 1.0)[0]
            ev.sat_p(p_try, 0.0)
            ev.sat_p(p_try, 1.0)
            T_top, p_top = T_try, p_try
            break
        except ValueError:
            continue
    if T_top is None:
        raise RuntimeError(f"{name}: CoolProp saturation calls fail near the critical point")
    x0, xmax, xtop = math.log(p_min), math.log(p_max), math.log(p_top)
    if nx_auto:
        nx = default_grid(name, p_min, p_max)["nx"]
    if ny_auto:
        ny = default_grid(name, p_min, p_max)["ny"]

    # ---- 1-D saturation table in temperature, stretched towards T_top
    theta = np.linspace(0.0, 1.0, nt)
    T_nodes = T_top - (T_top - T_min) * (1.0 - theta) ** 2
    T_nodes[0], T_nodes[-1] = T_min, T_top
    satT_v = np.empty((nt, L.NQT))
    for n, T in enumerate(T_nodes):
        pb, hl, sl, dl, cl = _try(ev.sat_T, T, 0.0)
        p, hv, sv, dv, cv = _try(ev.sat_T, T, 1.0)  # dew-point pressure (AHRI 540)
        satT_v[n] = (math.log(p), hl, hv, sl, sv, dl, dv, cl, cv, math.log(pb))
    filled = _fill_failed(satT_v, 0)
    satT = np.empty((nt, L.NQT, 2))
    satT[:, :, 0] = satT_v
    satT[:, :, 1] = _spline_deriv(satT_v, 0)
    _progress(f"  {name}: saturation table done ({time.perf_counter() - t0:.1f} s)   ", progress)

    # ---- boundary continuation above the saturation line's end
    T_b2 = T_top - 0.5
    p_b2 = ev.sat_T(T_b2, 0.0)[0]
    dT_dx = (T_top - T_b2) / (xtop - math.log(p_b2))
    span = T_hi - T_min
    r_c = (T_top - T_min) / span
    r_max = r_c + 0.6 * (1.0 - r_c)
    slope = dT_dx / span

    def T_boundary(x):
        if x <= xtop:
            return None
        return T_min + span * (r_c + (r_max - r_c) * math.tanh(slope * (x - xtop) / (r_max - r_c)))

    # ---- 1-D boundary table along x
    xc = x_nodes(x0, xmax, math.log(pc), nx)
    nf = refine * (nx - 1) + 1
    xf = np.empty(nf)
    for i in range(nx - 1):
        xf[i * refine:(i + 1) * refine] = xc[i] + (xc[i + 1] - xc[i]) * np.arange(refine) / refine
    xf[-1] = xmax
    satx_v = np.empty((nf, L.NQX))
    for n, x in enumerate(xf):
        p = math.exp(x)
        if n == 0:
            p = p_min
        if x <= xtop:
            Tbub, hl, sl, dl, cl = _try(ev.sat_p, p, 0.0)
            Tb, hv, sv, dv, cv = _try(ev.sat_p, p, 1.0)  # dew-point temperature
            if n == 0:
                # p_min is the bubble pressure at T_min; the dew point there is T_min for
                # a pure fluid and a little above it across a blend's glide (R410A)
                Tbub = T_min
        else:
            Tb = T_boundary(x)
            Tbub = Tb
            _, hl, sl, dl, cl = ev.pT(p, Tb, None)
            hv, sv, dv, cv = hl, sl, dl, cl
        _, hlo, slo, _, _ = ev.pT(p, T_min, "liquid" if x <= xtop else None)
        _, hhi, shi, _, _ = ev.pT(p, T_hi, "gas" if x <= xtop else None)
        satx_v[n] = (Tb, hl, hv, sl, sv, dl, dv, cl, cv, hlo, hhi, slo, shi, Tbub)
    filled += _fill_failed(satx_v, 0, xf)
    split_f = int(np.searchsorted(xf, xtop, side="right"))
    satx = np.empty((nf, L.NQX, 2))
    satx[:, :, 0] = satx_v
    satx[:, :, 1] = _spline_deriv(satx_v, 0, split_f, xf)
    _progress(f"  {name}: boundary table done ({time.perf_counter() - t0:.1f} s)   ", progress)

    # ---- 2-D region tables
    ycoord = np.linspace(0.0, 1.0, ny)
    frac = ycoord**k
    vals = np.empty((L.NTAB, nx, ny, L.NOUT))
    rows = [(i, (p_min if i == 0 else math.exp(xc[i])), bool(xc[i] <= xtop), satx_v[i * refine]) for i in range(nx)]
    workers = _build_workers(workers)
    done = False
    if workers > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        try:
            # fork: the children only call CoolProp; "spawn" would re-import the user's
            # __main__ (a script without a main guard would recurse)
            with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                chunks = [rows[k::workers] for k in range(workers)]
                futs = [pool.submit(_region_rows, name, chunk, T_min, T_hi, frac) for chunk in chunks]
                for fut in cf.as_completed(futs):
                    for i, row in fut.result():
                        vals[:, i] = row
            done = True
        except (OSError, cf.process.BrokenProcessPool):
            done = False  # e.g. no processes allowed here: compute serially below
    if not done:
        for i, row in _region_rows(name, rows, T_min, T_hi, frac, progress=progress, t0=t0):
            vals[:, i] = row
    filled += _fill_failed(vals, 2, ycoord)
    split_c = int(np.searchsorted(xc, xtop, side="right"))
    tab = np.empty((L.NTAB, nx, ny, L.NOUT, 4))
    tab[..., 0] = vals
    fx = _spline_deriv(vals, 1, split_c, xc)
    tab[..., 1] = fx
    tab[..., 2] = _spline_deriv(vals, 2, None, ycoord)
    tab[..., 3] = _spline_deriv(fx, 2, None, ycoord)
    cells, dxu = index_map(xc)
    xg = np.concatenate([xc, cells, 1.0 / np.diff(xc)])

    par = np.zeros(L.NPAR)
    par[L.P_X0] = x0
    par[L.P_DXU] = dxu
    par[L.P_NMAP] = len(cells)
    par[L.P_IDXU] = 1.0 / dxu
    par[L.P_ITSPAN] = 1.0 / (T_top - T_min)
    par[L.P_NX] = nx
    par[L.P_NY] = ny
    par[L.P_REFINE] = refine
    par[L.P_NF] = nf
    par[L.P_NT] = nt
    par[L.P_TMIN] = T_min
    par[L.P_THI] = T_hi
    par[L.P_TTOP] = T_top
    par[L.P_XTOP] = xtop
    par[L.P_PTOP] = p_top
    par[L.P_K] = k
    par[L.P_PMIN] = p_min
    par[L.P_PMAX] = p_max
    par[L.P_TC] = Tc
    par[L.P_PC] = pc
    par[L.P_XMAX] = xmax
    meta = {
        "fluid": name,
        "T_min": T_min,
        "T_max": T_hi,
        "p_min": p_min,
        "p_max": p_max,
        "T_crit": Tc,
        "p_crit": pc,
        "T_sat_top": T_top,
        "p_sat_top": p_top,
        "nx": nx,
        "ny": ny,
        "nt": nt,
        "nf": nf,
        "stretch": k,
        "build_seconds": time.perf_counter() - t0,
        "filled_nodes": filled,
    }
    _progress(f"  {name}: built in {meta['build_seconds']:.1f} s" + " " * 20 + "\n", progress)
    return (
        np.ascontiguousarray(par),
        np.ascontiguousarray(satx),
        np.ascontiguousarray(satT),
        np.ascontiguousarray(tab),
        np.ascontiguousarray(xg),
        meta,
    )
