"""Secondary fluids: water, aqueous glycols, dry air, or a constant heat capacity.

Each fluid is tabulated once from CoolProp (incompressible ``INCOMP::`` models
for water and the glycols, HEOS for dry air) into a small 1-D table of
specific enthalpy and heat capacity along temperature at a fixed pressure,
interpolated by cubic Hermite polynomials (h and dh/dT = cp at the nodes), so
that ``T(h)`` is the exact inverse of ``h(T)`` and energy balances on the
secondary side close to rounding (``T(h)``: a guess from an inverse table, then
one Newton step on the forward cubic; see :func:`kernel_arrays`). Tables are
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


#: largest error of the inverse table's guess, in units of the forward table's step: one
#: Newton step then leaves (1e-7)**2 times a ratio of derivatives below 1e-2 (rounding)
_GUESS_TOL = 1e-7


def _forward(stab, dT, i, t):
    """h and dh/dt (per unit of the cell position t) of the forward cubics, vectorized."""
    t2 = t * t
    h0, c0, h1, c1 = stab[i, 0], stab[i, 1] * dT, stab[i + 1, 0], stab[i + 1, 1] * dT
    d = (6 * t2 - 6 * t) * h0 + (3 * t2 - 4 * t + 1) * c0 + (6 * t - 6 * t2) * h1 + (3 * t2 - 2 * t) * c1
    return _hermite(stab, i, t, dT), d


def _inverse(spar, stab, h):
    """T at enthalpies ``h`` (inside the table): the forward cubics inverted by Newton to rounding."""
    T0, dT, n = spar[0], spar[1], int(spar[2])
    i = np.clip(np.searchsorted(stab[:, 0], h, side="right") - 1, 0, n - 2)
    t = (h - stab[i, 0]) / (stab[i + 1, 0] - stab[i, 0])
    for _ in range(30):
        f, d = _forward(stab, dT, i, t)
        step = (f - h) / d
        t = np.clip(t - step, 0.0, 1.0)
        if np.all(np.abs(step) < 1e-15):
            break
    return T0 + (i + t) * dT, i, t


def kernel_arrays(spar, stab):
    """``(spar, stab, itab)`` for the kernels: ``spar`` extended (``K.SP_*``) and the inverse table.

    ``itab[m, 2]`` holds T and dT/dh at m nodes equally spaced in h over the
    table: a cubic Hermite guess of T(h) from it is within ``_GUESS_TOL`` of
    the exact inverse (checked here at 8 points a cell), and one Newton step
    on the forward cubic then gives T(h) to rounding (``K.sec_T``), 3x faster
    than iterating from a linear guess.
    """
    n = int(spar[2])
    m = 2 * n - 1
    hn = np.linspace(stab[0, 0], stab[n - 1, 0], m)
    T, i, t = _inverse(spar, stab, hn)
    dhdt = _forward(stab, spar[1], i, t)[1]
    itab = np.ascontiguousarray(np.column_stack([T, spar[1] / dhdt]))
    dh = (hn[-1] - hn[0]) / (m - 1)
    kspar = np.empty(K.SP_IDT + 1)
    kspar[:6] = spar[:6]
    kspar[K.SP_H0], kspar[K.SP_IDH], kspar[K.SP_M], kspar[K.SP_DH], kspar[K.SP_IDT] = (
        hn[0], 1.0 / dh, float(m), dh, 1.0 / spar[1])
    # check the guess between the nodes against the exact inverse
    w = (np.arange(1, 9) / 9.0)[None, :]
    hs = (hn[:-1, None] + w * dh).ravel()
    k = np.repeat(np.arange(m - 1), 8)
    ws = np.tile(w.ravel(), m - 1)
    guess = _hermite(itab, k, ws, dh)
    err = np.max(np.abs(guess - _inverse(spar, stab, hs)[0])) / spar[1]
    if not err <= _GUESS_TOL:
        raise RuntimeError(f"secondary-fluid inverse table: guess off by {err:.2e} of a step (allowed {_GUESS_TOL})")
    return kspar, stab, itab


def _hermite(tab, k, w, step):
    """Cubic Hermite interpolant of ``tab[:, 0]`` (derivatives ``tab[:, 1]`` per unit of
    the coordinate, ``step`` the node spacing) at position ``w`` in cells ``k``, vectorized."""
    w2 = w * w
    w3 = w2 * w
    return ((2 * w3 - 3 * w2 + 1) * tab[k, 0] + (w3 - 2 * w2 + w) * step * tab[k, 1]
            + (3 * w2 - 2 * w3) * tab[k + 1, 0] + (w3 - w2) * step * tab[k + 1, 1])


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

