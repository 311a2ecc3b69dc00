"""Secondary fluids: water, aqueous glycols, dry air, or a constant heat capacity.

Each fluid is tabulated once from CoolProp (incompressible ``INCOMP::`` models
for water and the glycols, HEOS for dry air) into a small 1-D table of
specific enthalpy and heat capacity along temperature at a fixed pressure,
interpolated by cubic Hermite polynomials (h and dh/dT = cp at the nodes), so
that ``T(h)`` is the exact inverse of ``h(T)`` and energy balances on the
secondary side close to rounding (``T(h)``: each forward cell inverted by a
fitted polynomial exact to rounding; see :func:`kernel_arrays`). Tables are
cached in memory and in the table directory (``HPCORE_TABLE_DIR``) as small HDF5
files with a checksum.

Outside a fluid's range (below the freezing point of a brine, for instance)
elements are flagged ``OUT_OF_TABLE``; nothing is extrapolated.
"""
import hashlib
import os
import tempfile
import threading

import numpy as np

from .. import config, status as st
from ..properties.api import run_elementwise
from . import _kernels as K

__all__ = ["SecondaryFluid", "SECONDARY_FLUIDS"]

#: names accepted by :class:`SecondaryFluid` and their CoolProp models
SECONDARY_FLUIDS = {
    "water": "INCOMP::Water",
    "MEG": "INCOMP::MEG",  # aqueous ethylene glycol, mass fraction
    "MPG": "INCOMP::MPG",  # aqueous propylene glycol, mass fraction
    "air": "Air",  # dry air, HEOS
}
_ALIASES = {
    "water": "water", "h2o": "water",
    "meg": "MEG", "ethylene_glycol": "MEG", "ethylene glycol": "MEG",
    "mpg": "MPG", "propylene_glycol": "MPG", "propylene glycol": "MPG",
    "air": "air", "dry_air": "air", "dry air": "air",
}
#: tabulation pressure [Pa]: liquids at 3 bar (the incompressible models'
#: enthalpy differences do not depend on it), air at one standard atmosphere
P_LIQUID = 3.0e5
P_AIR = 101325.0
#: node spacing of the 1-D tables [K]
TABLE_DT = 0.25
_TABLE_VERSION = 2

_CACHE = {}
_LOCK = threading.Lock()


def _canon(name):
    key = _ALIASES.get(str(name).strip().lower()) if isinstance(name, str) else None
    if key is None:
        raise ValueError(f"secondary fluid {name!r} is not supported; supported: {', '.join(SECONDARY_FLUIDS)} "
                         "(or SecondaryFluid.constant_cp(cp))")
    return key


def _range_and_model(name, concentration):
    import CoolProp.CoolProp as CP

    if name in ("MEG", "MPG"):
        if concentration is None or not (0.0 < float(concentration) < 0.6):
            raise ValueError(f"concentration={concentration!r} for {name}: give the glycol mass fraction, 0 < x < 0.6")
        model = f"INCOMP::{name}[{float(concentration):.6g}]"
        T_freeze = CP.PropsSI("T_freeze", "T", 293.15, "P", P_LIQUID, model)
        T_min = CP.PropsSI("Tmin", "T", 293.15, "P", P_LIQUID, model)
        T_max = CP.PropsSI("Tmax", "T", 293.15, "P", P_LIQUID, model)
        lo = max(T_freeze, T_min)
        hi = min(T_max, 373.15)
        p = P_LIQUID
    elif name == "water":
        if concentration not in (None, 0, 0.0):
            raise ValueError(f"concentration={concentration!r} for water: leave it out")
        model = SECONDARY_FLUIDS["water"]
        lo = CP.PropsSI("Tmin", "T", 293.15, "P", P_LIQUID, model)
        hi = min(CP.PropsSI("Tmax", "T", 293.15, "P", P_LIQUID, model), 400.15)  # below boiling at P_LIQUID
        p = P_LIQUID
    else:
        if concentration not in (None, 0, 0.0):
            raise ValueError(f"concentration={concentration!r} for air: leave it out")
        model = "Air"
        lo, hi, p = 173.15, 473.15, P_AIR
    # whole number of nodes on a TABLE_DT grid inside [lo, hi]
    n = int(np.floor((hi - lo) / TABLE_DT)) + 1
    hi = lo + (n - 1) * TABLE_DT
    return model, lo, hi, n, p


def _build(model, lo, hi, n, p):
    import CoolProp.CoolProp as CP

    T = lo + TABLE_DT * np.arange(n)
    from scipy.interpolate import CubicSpline

    if model == "Air":
        AS = CP.AbstractState("HEOS", "Air")
        h = np.empty(n)
        for i, Ti in enumerate(T):
            AS.update(CP.PT_INPUTS, p, Ti)
            h[i] = AS.hmass()
    else:
        h = np.array([CP.PropsSI("H", "T", Ti, "P", p, model) for Ti in T])
    # node derivatives from a cubic spline through h, not CoolProp's cp: the
    # incompressible models' h and cp are separate fits that disagree by up to
    # 2.4e-4 (dh/dT vs cp), and energy balances must close on h
    c = CubicSpline(T, h)(T, 1)
    return np.column_stack([h, c])


def _digest(arr):
    return hashlib.sha256(np.ascontiguousarray(arr, dtype=np.float64).tobytes()).hexdigest()


def _load_or_build(key, model, lo, hi, n, p):
    import h5py

    import CoolProp

    directory = config.table_dir()
    path = os.path.join(directory, f"secondary-{key}.h5")
    if os.path.exists(path):
        try:
            with h5py.File(path, "r") as f:
                ok = (int(f.attrs["version"]) == _TABLE_VERSION and str(f.attrs["coolprop_version"]) == CoolProp.__version__
                      and str(f.attrs["model"]) == model)
                stab = np.ascontiguousarray(f["stab"][()], dtype=np.float64)
                spar = np.ascontiguousarray(f["spar"][()], dtype=np.float64)
                ok = ok and _digest(stab) == f.attrs["digest_stab"] and _digest(spar) == f.attrs["digest_spar"]
            if ok:
                return spar, stab
        except Exception:  # unreadable or stale: rebuild below
            pass
    stab = _build(model, lo, hi, n, p)
    spar = np.array([lo, TABLE_DT, float(n), lo, hi, p])
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"secondary-{key}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("stab", data=stab)
            f.create_dataset("spar", data=spar)
            f.attrs["version"] = _TABLE_VERSION
            f.attrs["coolprop_version"] = CoolProp.__version__
            f.attrs["model"] = model
            f.attrs["digest_stab"] = _digest(stab)
            f.attrs["digest_spar"] = _digest(spar)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return spar, stab


#: largest error of the inverse polynomials against the exact inverse, in units of the
#: forward table's step (a step of 0.25 K: 2.5e-15 K, below T's own rounding, 5.7e-14 K at 300 K)
_INVERSE_TOL = 1e-14
#: points per cell the inverse polynomials are fitted at and checked at
_FIT_POINTS = 12
_CHECK_POINTS = 8


def _cell_positions(spar, stab, s):
    """Exact position t in [0, 1] within forward cell i of the enthalpy at the fraction
    ``s[i, :]`` of the cell's enthalpy rise: the cell's cubic, scaled to rise from 0 to 1,
    inverted by Newton to rounding (scaled, so that the enthalpy's own rounding, about
    1e-13 of a cell at 4e5 J/kg, does not enter the fit)."""
    n = s.shape[0]
    width = np.diff(stab[:, 0])[:, None]
    c0 = (stab[:n, 1] * spar[1])[:, None] / width
    c1 = (stab[1:n + 1, 1] * spar[1])[:, None] / width
    t = s.copy()
    for _ in range(30):
        t2 = t * t
        f = (3.0 * t2 - 2.0 * t * t2) + (t * t2 - 2.0 * t2 + t) * c0 + (t * t2 - t2) * c1 - s
        d = (6.0 * t - 6.0 * t2) + (3.0 * t2 - 4.0 * t + 1.0) * c0 + (3.0 * t2 - 2.0 * t) * c1
        step = f / d
        t = t - step
        if np.all(np.abs(step) < 1e-17):
            break
    return t


def kernel_arrays(spar, stab):
    """``(spar, stab, itab)`` for the kernels: ``spar`` extended (``K.SP_*``) and the inverse table.

    T(h) inverts each forward cell i (between enthalpy nodes h_i and h_i+1) by a
    polynomial in s = (h - h_i) / (h_i+1 - h_i): its position in the cell is
    t = s + s (1 - s) (b0 + b1 s + b2 s^2 + b3 s^3), exact at both ends, fitted by
    least squares to the exact inverse (the forward cubic inverted by Newton to
    rounding) at Chebyshev points, and checked here at other points of every cell
    to lie within ``_INVERSE_TOL`` of a step (``RuntimeError`` otherwise). A cell's
    h-width varies with cp by a few percent, so the cell an enthalpy falls in is
    found from bins equally spaced in h, each no wider than the narrowest cell: a
    bin's first cell, or the next one.

    ``itab`` rows 0 .. n-2: h_i, 1 / (h_i+1 - h_i), b0, b1, b2, b3, h_i+1, 0; then
    the bins' first cells, eight a row (as floats).
    Replaced an inverse table of guesses (T and dT/dh at nodes equally spaced in h,
    1e-7 of a step off where a forward node lies between two of them) followed by a
    Newton step on the forward cubic: the same T to rounding, the system solve 1.08-1.11x
    faster (docs/components.md).
    """
    n = int(spar[2])
    hn = stab[:, 0]
    width = np.diff(hn)
    if not np.all(width > 0.0):
        raise RuntimeError("secondary-fluid table: enthalpy not increasing along T")
    q = _FIT_POINTS
    s = 0.5 - 0.5 * np.cos((2.0 * np.arange(q) + 1.0) * np.pi / (2.0 * q))
    t = _cell_positions(spar, stab, np.broadcast_to(s, (n - 1, q)))
    A = (s * (1.0 - s))[:, None] * np.vander(s, 4, increasing=True)
    coef = np.linalg.lstsq(A, (t - s[None, :]).T, rcond=None)[0].T
    itab_cells = np.zeros((n - 1, 8))
    itab_cells[:, 0] = hn[:-1]
    itab_cells[:, 1] = 1.0 / width
    itab_cells[:, 2:6] = coef
    itab_cells[:, 6] = hn[1:]
    # bins no wider than the narrowest cell: at most one node inside each
    span = hn[-1] - hn[0]
    nb = int(np.ceil(span / width.min() * (1.0 + 1e-9)))
    if nb > 64 * n:
        raise RuntimeError(f"secondary-fluid table: cells too uneven in h ({nb} bins for {n} nodes)")
    idh = nb / span
    starts = hn[0] + np.arange(nb) / idh
    first = np.clip(np.searchsorted(hn, starts, side="right") - 1, 0, n - 2)
    ends = hn[0] + (np.arange(nb) + 1.0) / idh
    inner = first + 2 <= n - 1
    if not np.all(hn[first[inner] + 2] >= ends[inner]):
        raise RuntimeError("secondary-fluid inverse table: a bin spans more than two cells")
    rows = (nb + 7) // 8
    bins = np.zeros(rows * 8)
    bins[:nb] = first
    itab = np.ascontiguousarray(np.vstack([itab_cells, bins.reshape(rows, 8)]))
    kspar = np.empty(K.SP_M + 1)
    kspar[:6] = spar[:6]
    kspar[K.SP_H0], kspar[K.SP_IDH], kspar[K.SP_M] = hn[0], idh, float(nb)
    # check the polynomials between the fit points against the exact inverse
    sc = (np.arange(1, _CHECK_POINTS + 1) / (_CHECK_POINTS + 1.0))
    exact = _cell_positions(spar, stab, np.broadcast_to(sc, (n - 1, sc.shape[0])))
    b = coef
    fit = sc + sc * (1.0 - sc) * (b[:, :1] + sc * (b[:, 1:2] + sc * (b[:, 2:3] + sc * b[:, 3:4])))
    err = float(np.max(np.abs(fit - exact)))
    if not err <= _INVERSE_TOL:
        raise RuntimeError(f"secondary-fluid inverse table: off by {err:.2e} of a step (allowed {_INVERSE_TOL})")
    return kspar, stab, itab


class SecondaryFluid:
    """A secondary (source or sink) fluid, tabulated for the kernels.

    Parameters
    ----------
    name : {"water", "MEG", "MPG", "air"}
        Water, aqueous ethylene glycol (MEG), aqueous propylene glycol (MPG)
        -- CoolProp's incompressible models -- or dry air (HEOS, at one
        standard atmosphere).
    concentration : float, optional
        Glycol mass fraction [-], 0 < x < 0.6 (MEG and MPG only). The table
        starts at the mixture's freezing point.

    Examples
    --------
    >>> from hpcore.components import SecondaryFluid
    >>> brine = SecondaryFluid("MEG", 0.3)
    >>> round(float(brine.T_min) - 273.15, 1)  # freezing point [degC]
    -14.6
    """

    def __init__(self, name, concentration=None):
        key = _canon(name)
        model, lo, hi, n, p = _range_and_model(key, concentration)
        tag = key if concentration is None else f"{key}-{float(concentration):.6g}"
        with _LOCK:
            arrays = _CACHE.get(tag)
            if arrays is None:
                arrays = kernel_arrays(*_load_or_build(tag, model, lo, hi, n, p))
                _CACHE[tag] = arrays
        self.name = key
        self.concentration = None if concentration is None else float(concentration)
        self.model = model
        self.arrays = arrays

    @classmethod
    def constant_cp(cls, cp=1.0, T_min=150.0, T_max=700.0):
        """A fluid with constant heat capacity ``cp`` [J/(kg K)] over [T_min, T_max] [K].

        With ``cp=1`` a "mass flow" is a capacity rate [W/K]: use it to give
        the secondary stream as a capacity rate.
        """
        if not (np.isfinite(cp) and cp > 0):
            raise ValueError(f"cp={cp!r}: must be a positive heat capacity [J/(kg K)]")
        self = cls.__new__(cls)
        self.name = f"constant_cp({cp:g})"
        self.concentration = None
        self.model = None
        stab = np.array([[cp * T_min, cp], [cp * T_max, cp]], dtype=np.float64)
        spar = np.array([T_min, T_max - T_min, 2.0, T_min, T_max, np.nan])
        self.arrays = kernel_arrays(spar, stab)
        return self

    @property
    def T_min(self):
        """Lowest tabulated temperature [K] (freezing point for the glycols)."""
        return self.arrays[0][3]

    @property
    def T_max(self):
        """Highest tabulated temperature [K]."""
        return self.arrays[0][4]

    def __repr__(self):
        c = "" if self.concentration is None else f", {self.concentration:g}"
        return f"SecondaryFluid({self.name!r}{c})"

    def _call(self, kernel, x, errors, what):
        st.check_errors_arg(errors)
        x = np.asarray(x, dtype=np.float64)
        scalar = x.ndim == 0
        flat = np.ascontiguousarray(x.ravel())
        out = np.empty_like(flat)
        status = np.empty(flat.shape[0], dtype=np.int32)
        run_elementwise(kernel, kernel, (self.arrays, flat, out, status), flat.shape[0])
        st.report(status, errors, f"{self!r}.{what}")
        out = out.reshape(x.shape)
        return float(out) if scalar else out

    def h(self, T, *, errors="warn"):
        """Specific enthalpy [J/kg] at temperature T [K] (reference: CoolProp's)."""
        return self._call(K.sec_h_serial, T, errors, "h")

    def T(self, h, *, errors="warn"):
        """Temperature [K] at specific enthalpy h [J/kg]; exact inverse of :meth:`h`."""
        return self._call(K.sec_T_serial, h, errors, "T")

    def cp(self, T, *, errors="warn"):
        """Isobaric heat capacity [J/(kg K)] at temperature T [K]: dh/dT of the table.

        For the incompressible models this differs from CoolProp's own cp fit
        by up to 2.4e-4 (relative): CoolProp's h and cp are separate fits.
        """
        return self._call(K.sec_cp_serial, T, errors, "cp")

    def outlet_temperature(self, T_in, m_dot, Q, *, errors="warn"):
        """Outlet temperature [K] of a stream at ``T_in`` [K], ``m_dot`` [kg/s] that gains ``Q`` [W].

        Energy balance on enthalpy: h(T_out) = h(T_in) + Q / m_dot.
        """
        T_in, m_dot, Q = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (T_in, m_dot, Q)))
        with np.errstate(divide="ignore", invalid="ignore"):
            h = self.h(T_in, errors="ignore") + Q / m_dot
        h = np.where(np.isfinite(h), h, np.nan)
        return self.T(h, errors=errors)

