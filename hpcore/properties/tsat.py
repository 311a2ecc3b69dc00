"""T_sat grids: the states of a subcritical cycle on axes uniform in the dew-point temperature.

Derived from a loaded table (like the saturation cubics, they are not stored in the
file), fitted to the general tables' own interpolant and checked against it cell by
cell; see ``TS_*`` in :mod:`hpcore.properties.layout` for the layout and
:mod:`hpcore.properties._tsat_kernels` for the look-ups.

Why: a basic cycle reads four 2-D states and two saturation states. On the general
tables each locates its pressure through a map and a cell record, in 31 MB of tables
(R290). On these grids the dew-point temperatures locate every cell by a cubic in T,
and the grids of one fluid take 8.3 MB (R290).

Accuracy: the grids add their own interpolation error to the general tables'. Each
cell is checked at its centre and at the midpoints of its edges against the general
path; a cell that differs by more than ``config.TSAT_TOL_*`` holds NaN, and the cycle
kernels take the general path there. ``scripts/tsat_accuracy.py`` measures both the grids
and the general tables against CoolProp HEOS.
"""
import numpy as np
from scipy.interpolate import CubicSpline

from .. import config
from . import layout as L

_OUTPUTS = {L.TS_SUC: 3, L.TS_LIQ: 2, L.TS_PS: 1, L.TS_PH: 2, L.TS_LPH: 2}


def _ref(arrays, k, T, y, nout):
    from . import _tsat_kernels as TK

    T, y = (np.ascontiguousarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(T, y))
    out = np.empty((T.size, nout))
    TK.ref_values(arrays, k, T, y, out)
    return out


def _grid(arrays, k, T, y, nout):
    from . import _tsat_kernels as TK

    T, y = (np.ascontiguousarray(a, dtype=np.float64).ravel() for a in np.broadcast_arrays(T, y))
    out = np.empty((T.size, nout))
    TK.grid_values(arrays[5], k, T, y, out)
    return out


def _cubic_cells(f):
    """Monomial cubic coefficients per cell from values at t = 0, 1/3, 2/3, 1: f[4, ...] -> [..., 4]."""
    f0, f1, f2, f3 = f
    d1, d2, d3 = f1 - f0, f2 - 2.0 * f1 + f0, f3 - 3.0 * f2 + 3.0 * f1 - f0
    return np.stack([f0, 3.0 * (d1 - 0.5 * d2 + d3 / 3.0), 4.5 * (d2 - d3), 4.5 * d3], axis=-1)


def _deriv(values, axis):
    """Derivative per grid step of a not-a-knot cubic spline along ``axis``, over each
    run of at least 4 finite nodes of a line (NaN elsewhere)."""
    v = np.ascontiguousarray(np.moveaxis(values, axis, -1))
    out = np.full_like(v, np.nan)
    flat_v = v.reshape(-1, v.shape[-1])
    flat_o = out.reshape(-1, v.shape[-1])  # a view: out is contiguous
    full = np.isfinite(flat_v).all(axis=1)
    if full.any() and flat_v.shape[1] >= 4:  # the lines without NaN in one call (loading time)
        idx = np.arange(flat_v.shape[1], dtype=np.float64)
        flat_o[full] = CubicSpline(idx, flat_v[full], axis=1)(idx, 1)
    for r in np.flatnonzero(~full):
        line = flat_v[r]
        fin = np.concatenate([[False], np.isfinite(line), [False]])
        edges = np.flatnonzero(fin[1:] != fin[:-1]).reshape(-1, 2)  # [start, stop) of finite runs
        for a, b in edges:
            if b - a >= 4:
                idx = np.arange(b - a, dtype=np.float64)
                flat_o[r, a:b] = CubicSpline(idx, line[a:b])(idx, 1)
    return np.moveaxis(out, -1, axis)


def latent_scales(arrays, tmin):
    """Error scales (see config.TSAT_TOL_*): the latent heat [J/kg] and the entropy of
    vaporization [J/(kg K)] 1 K above the grids' lowest temperature ``tmin``."""
    q0 = _ref(arrays, -1, np.array([tmin + 1.0]), 0.0, L.TS_NQ)[0]
    return abs(q0[L.TQ_HV] - q0[L.TQ_HL]), abs(q0[L.TQ_SV] - q0[L.TQ_SL])


def _T_of(u, tmin, c1, c3):
    """T_dew at position u along x: the inverse of u = tau (c1 + c3 tau**2), by Newton
    from the linear guess (the cubic is monotonic)."""
    u = np.asarray(u, dtype=np.float64)
    tau = u / c1
    for _ in range(60):
        tau = tau - (tau * (c1 + c3 * tau * tau) - u) / (c1 + 3.0 * c3 * tau * tau)
    return tmin + tau


def build_tsat(arrays, par):
    """The flat ``cyc`` array for a table's kernel arrays (the sixth entry a placeholder).

    Returns a header of zeros (TS_OK false) when the fluid has no usable range.
    """
    tmin, ttop = par[L.P_TMIN], par[L.P_TTOP]
    # upper end: the dew point at TSAT_P_FRAC p_crit (the general tables' documented
    # accuracy ends at 0.9 p_crit)
    Ts = np.linspace(tmin, ttop, 4001)
    lnp = np.log(_ref(arrays, -1, Ts, 0.0, L.TS_NQ)[:, L.TQ_P])
    target = np.log(config.TSAT_P_FRAC * par[L.P_PC])
    t_end = float(np.interp(target, lnp, Ts)) if lnp[-1] > target else float(ttop)
    # x: u = tau (c1 + c3 tau**2), node density c1 + 3 c3 tau**2 rising from 1 / TSAT_DTX
    # to TSAT_TOP_DENSITY times that at the top
    span = t_end - tmin
    c1 = 1.0 / config.TSAT_DTX
    c3 = (config.TSAT_TOP_DENSITY - 1.0) * c1 / (3.0 * span ** 2)
    nx = int(span * (c1 + c3 * span ** 2)) + 1
    if nx < 8:
        return np.zeros(L.TS_HEADER)
    r = config.TSAT_REFINE
    n1 = (nx - 1) * r

    def T_of(u):
        return _T_of(u, tmin, c1, c3)

    Tx = T_of(np.arange(nx, dtype=np.float64))
    # 1-D cubics, fitted at t = 0, 1/3, 2/3, 1 of each cell, checked at 20 more points
    tfit = np.array([0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0])
    tchk = np.array([j / 24.0 for j in range(1, 24) if j % 8])
    tt = np.concatenate([tfit, tchk])
    T1 = T_of((np.arange(n1)[:, None] + tt[None, :]) / r)
    vals = _ref(arrays, -1, T1, 0.0, L.TS_NQ).reshape(n1, tt.size, L.TS_NQ)
    coef = _cubic_cells(np.moveaxis(vals[:, :4, :], 1, 0))  # [cell, q, 4]
    tc = tchk[None, :, None]
    fit = coef[:, None, :, 0] + tc * (coef[:, None, :, 1] + tc * (coef[:, None, :, 2] + tc * coef[:, None, :, 3]))
    ref = vals[:, 4:, :]
    lat_h, lat_s = latent_scales(arrays, tmin)
    if not (lat_h > 0.0 and lat_s > 0.0):  # NaN too: no scale, no check, so no grids
        return np.zeros(L.TS_HEADER)
    scale = np.abs(ref)
    for q in (L.TQ_HL, L.TQ_HV):
        scale[..., q] = np.maximum(scale[..., q], lat_h)
    for q in (L.TQ_SL, L.TQ_SV):
        scale[..., q] = np.maximum(scale[..., q], lat_s)
    good1 = np.all(np.abs(fit - ref) <= config.TSAT_TOL_1D * scale, axis=(1, 2))
    coef[~good1] = np.nan

    # 2-D tables
    ymax = {L.TS_SUC: config.TSAT_SUPERHEAT_MAX, L.TS_LIQ: config.TSAT_SUBCOOLING_MAX}
    top = _ref(arrays, L.TS_SUC, Tx, config.TSAT_DISCHARGE_SPAN, 3)  # vapour that far above the dew point
    q_nodes = _ref(arrays, -1, Tx, 0.0, L.TS_NQ)
    ymax[L.TS_PS] = float(np.nanmedian(top[:, 1] - q_nodes[:, L.TQ_SV]))
    ymax[L.TS_PH] = float(np.nanmedian(top[:, 0] - q_nodes[:, L.TQ_HV]))
    # the enthalpy of TSAT_SUBCOOLING_MAX of subcooling, over the nodes where the table
    # reaches that far below the bubble point; where it nowhere does (R744), of the
    # largest subcooling it holds
    y_liq = np.minimum(config.TSAT_SUBCOOLING_MAX, q_nodes[:, L.TQ_TBUB] - tmin - 1e-6)
    drop = q_nodes[:, L.TQ_HL] - _ref(arrays, L.TS_LIQ, Tx, y_liq, 2)[:, 0]
    full = np.isfinite(drop) & (y_liq == config.TSAT_SUBCOOLING_MAX)
    ymax[L.TS_LPH] = float(np.median(drop[full]) if full.any() else np.nanmax(drop))
    nys = {L.TS_SUC: config.TSAT_NY_SUCTION, L.TS_LIQ: config.TSAT_NY_LIQUID,
           L.TS_PS: config.TSAT_NY_DISCHARGE, L.TS_PH: config.TSAT_NY_DISCHARGE,
           L.TS_LPH: config.TSAT_NY_LIQUID_PH}
    tabs = []
    for k in range(L.TS_NTAB):
        ny, no = nys[k], _OUTPUTS[k]
        # values on a grid TSAT_DERIV_REFINE times finer along both axes: the spline
        # derivatives there, taken at the nodes, are closer to the true ones (most of all
        # in the cells at a line's ends, where the spline's end condition is felt)
        rd = config.TSAT_DERIV_REFINE
        vy = np.arange((ny - 1) * rd + 1) / rd  # node positions along y, in node steps
        yk = ymax[k] * (vy / (ny - 1)) ** 2
        Txf = T_of(np.arange((nx - 1) * rd + 1) / rd)
        f = _ref(arrays, k, np.repeat(Txf, yk.size), np.tile(yk, Txf.size), no).reshape(Txf.size, yk.size, no)
        fx = _deriv(f, 0) * rd  # per node step
        fy = _deriv(f, 1) * rd
        fxy = _deriv(fx, 1) * rd
        node = np.stack([f, fx, fy, fxy], axis=-1)[::rd, ::rd]  # [x, y, out, 4]
        node[~np.all(np.isfinite(node), axis=(2, 3))] = np.nan
        tabs.append((ny, no, ymax[k], np.ascontiguousarray(node.transpose(2, 0, 1, 3))))

    # assemble
    head = np.zeros(L.TS_HEADER)
    head[L.TS_OK] = 1.0
    head[L.TS_T0] = tmin
    head[L.TS_C1] = c1
    head[L.TS_C3] = c3
    head[L.TS_NX] = nx
    head[L.TS_REFINE] = r
    parts = [head]
    off = L.TS_HEADER
    head[L.TS_O1] = off
    parts.append(coef.ravel())
    off += coef.size
    for k, (ny, no, ym, node) in enumerate(tabs):
        h = L.TS_TAB + 8 * k
        head[h + L.TS_T_OFF] = off
        head[h + L.TS_T_NY] = ny
        head[h + L.TS_T_IY] = (ny - 1) ** 2 / ym
        head[h + L.TS_T_NO] = no
        head[h + L.TS_T_YMAX] = ym
        parts.append(node.ravel())
        off += node.size
    cyc = np.concatenate(parts)

    # check each 2-D cell against the general path at its centre and edge midpoints;
    # a cell that fails has its four nodes set to NaN (all outputs)
    test = (*arrays[:5], cyc)
    for k, (ny, no, ym, node) in enumerate(tabs):
        bad = _cell_errors(test, k, T_of, nx, ny, ym, no, lat_h, lat_s) > 1.0
        if bad.any():
            view = cyc[int(head[L.TS_TAB + 8 * k]):][:node.size].reshape(node.shape)
            i, j = np.nonzero(bad)
            for di in (0, 1):
                for dj in (0, 1):
                    view[:, i + di, j + dj, :] = np.nan
    return cyc


def _tolerances(k, no, lat_h, lat_s):
    if k == L.TS_SUC:
        return np.array([config.TSAT_TOL_H * lat_h, config.TSAT_TOL_S * lat_s, np.nan])
    if k == L.TS_LIQ:
        return np.array([config.TSAT_TOL_H * lat_h, config.TSAT_TOL_S * lat_s])
    if k == L.TS_PS:
        return np.array([config.TSAT_TOL_H * lat_h])
    return np.array([config.TSAT_TOL_T_K, config.TSAT_TOL_S * lat_s])  # PH, LPH: (T, s)


def _cell_errors(arrays, k, T_of, nx, ny, ymax, no, lat_h, lat_s):
    """Per cell: the largest difference from the general path over the check points in
    units of the tolerance (``[nx-1, ny-1]``; NaN where the grid has no value, inf where
    the grid has a value and the general tables none)."""
    pts = ((0.5, 0.5), (0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5))
    worst = np.zeros((nx - 1, ny - 1))
    missing = np.zeros((nx - 1, ny - 1), dtype=bool)
    tol = _tolerances(k, no, lat_h, lat_s)
    ci, cj = np.meshgrid(np.arange(nx - 1), np.arange(ny - 1), indexing="ij")
    for a, b in pts:
        T = T_of(ci + a)
        y = np.minimum(ymax * ((cj + b) / (ny - 1)) ** 2, ymax)  # the last node exactly
        g = _grid(arrays, k, T, y, no).reshape(nx - 1, ny - 1, no)
        f = _ref(arrays, k, T, y, no).reshape(nx - 1, ny - 1, no)
        d = np.abs(g - f)
        if k == L.TS_SUC:  # density: relative
            d[..., 2] /= np.abs(f[..., 2]) * config.TSAT_TOL_D
            e = np.maximum(d[..., 0] / tol[0], d[..., 1] / tol[1])
            e = np.maximum(e, d[..., 2])
        else:
            e = np.max(d / tol, axis=-1)
        held = np.isfinite(g).all(axis=-1)
        e = np.where(held & np.isfinite(f).all(axis=-1), e, np.where(held, np.inf, np.nan))
        missing |= ~held
        worst = np.fmax(worst, e)
    worst[missing] = np.nan
    return worst
