"""Compressor models: displacement with efficiencies, AHRI 540 and EN 12900 maps, variable speed.

All inputs and outputs are base SI (K, Pa, kg/s, W, 1/s). A published map
keeps its coefficients exactly as published, in the map's own units; the
conversion happens at the edge of the polynomial (temperatures in, mass flow,
power and capacity out).

The ten-coefficient polynomial
------------------------------
AHRI 540 (ANSI/AHRI Standard 540-2015, section 5; earlier 540-2004):

.. math::
    X = C_1 + C_2 S + C_3 D + C_4 S^2 + C_5 S D + C_6 D^2 + C_7 S^3 + C_8 D S^2 + C_9 S D^2 + C_{10} D^3

with S and D the suction and discharge dew-point temperatures [degF], X the
power [W], mass flow [lbm/h] or capacity [Btu/h] (also current [A]).

EN 12900 (EN 12900:2013, annex on the presentation of data):

.. math::
    X = c_1 + c_2 t_o + c_3 t_c + c_4 t_o^2 + c_5 t_o t_c + c_6 t_c^2 + c_7 t_o^3 + c_8 t_c t_o^2 + c_9 t_o t_c^2 + c_{10} t_c^3

with t_o, t_c the evaporating and condensing dew-point temperatures [degC],
X the refrigerating capacity [W], power input [W] or mass flow [kg/h]
(manufacturers also publish kW and kg/s; give the unit).

The two standards happen to order their terms the same way; each is
implemented separately, as published, and tested separately.

Superheat correction
--------------------
A map holds at its rated suction superheat. At another superheat the mass
flow scales with the suction density (same swept volume, same volumetric
efficiency):

.. math::
    \\dot m = \\dot m_{map} \\left[1 + F \\left(\\frac{\\rho_{suction}}{\\rho_{rated}} - 1\\right)\\right]

with F = 1 the plain density ratio (AHRI 540-2015, section on superheat
correction) and F = 0.75 the value of Dabiri and Rice (1981), who also
scale the power with the isentropic work,
:math:`P = P_{map} (\\dot m / \\dot m_{map}) (\\Delta h_s / \\Delta h_{s,rated})`
(``power_correction="isentropic"``). The capacity at the actual superheat is
:math:`Q = Q_{map} (\\dot m / \\dot m_{map}) (h_{suction} - h_{liquid,rated}) / (h_{suction,rated} - h_{liquid,rated})`.

References
----------
- ANSI/AHRI Standard 540-2015, Performance Rating of Positive Displacement
  Refrigerant Compressors and Compressor Units. AHRI, Arlington VA.
- EN 12900:2013, Refrigerant compressors - Rating conditions, tolerances
  and presentation of manufacturer's performance data. CEN, Brussels.
- Dabiri, A. E., Rice, C. K. (1981). A compressor simulation model with
  corrections for the level of suction gas superheat. ASHRAE Transactions
  87(2), 771-782.
"""
import numbers

import numpy as np

from .. import status as st
from ..properties.api import run_elementwise
from . import _kernels as K

__all__ = [
    "Compressor",
    "DisplacementCompressor",
    "AHRI540Compressor",
    "EN12900Compressor",
    "VariableSpeedCompressor",
    "fit_ten_coefficients",
    "F_TO_K",
]

#: exact unit factors (NIST SP 811): pound-mass, British thermal unit (IT)
LBM_KG = 0.45359237
BTU_J = 1055.05585262
F_TO_K = 5.0 / 9.0  # a temperature difference of 1 degF in K


def _coeffs(name, c):
    if c is None:
        return None
    arr = np.asarray(c, dtype=np.float64)
    if arr.shape != (10,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}={c!r}: must be 10 finite coefficients, in the order of the published form")
    return arr


def _positive(name, v, allow_zero=False):
    if not isinstance(v, numbers.Real) or not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name}={v!r}: must be a finite number {'>= 0' if allow_zero else '> 0'}")
    return float(v)


def _as_arrays(*vals):
    arrs = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in vals))
    shape = arrs[0].shape
    return shape, [np.array(a, dtype=np.float64).ravel() for a in arrs]


class Compressor:
    """Base class: a compressor is a parameter array read by the compiled kernels."""

    #: the array handed to the kernels (see :mod:`hpcore.components._kernels`)
    params = None
    speed_min = None
    speed_max = None

    def performance(self, fluid, T_evap, T_cond, superheat, speed=None, *, errors="warn"):
        """Mass flow, power and discharge enthalpy at the actual suction state.

        Parameters
        ----------
        fluid : str
            Refrigerant (its property table is loaded, or built once).
        T_evap, T_cond : array_like
            Evaporating and condensing dew-point temperatures [K].
        superheat : array_like
            Suction superheat [K] >= 0.
        speed : array_like, optional
            Shaft speed [1/s]; default the maximum of the speed range.
        errors : {"warn", "raise", "ignore"}

        Returns
        -------
        dict with ``m_dot`` [kg/s], ``power`` [W], ``h_discharge`` [J/kg]
        (adiabatic compressor: h1 + power / m_dot), for maps ``capacity`` [W]
        (refrigerating capacity at the actual superheat and the rated
        subcooling), and ``status``.
        """
        from ..properties.tables import load_table

        st.check_errors_arg(errors)
        tbl = load_table(fluid).arrays
        if speed is None:
            speed = self.speed_max
        shape, (Te, Tc, sh, sp) = _as_arrays(T_evap, T_cond, superheat, speed)
        n = Te.shape[0]
        out = np.empty((n, 3))
        status = np.empty(n, dtype=np.int32)
        run_elementwise(K.compressor_parallel, K.compressor_serial, (tbl, self.params, Te, Tc, sh, sp, out, status), n)
        st.report(status, errors, f"{type(self).__name__}.performance")
        res = {k: out[:, i].reshape(shape) for i, k in enumerate(("m_dot", "power", "h_discharge"))}
        if isinstance(self, _MapCompressor):
            res["capacity"] = self._capacity_actual(fluid, Te, Tc, sh, out[:, 0]).reshape(shape)
        res["status"] = status.reshape(shape)
        return res

    def _capacity_actual(self, fluid, Te, Tc, sh, m):
        """Refrigerating capacity at the actual suction state and the map's rated subcooling [W]:
        Q = m (h_suction - h_liquid,rated), i.e. Q_map (m / m_map) (h_1 - h_liq) / (h_1,rated - h_liq)."""
        from ..properties import props

        # equal-shape arrays only: props broadcasts otherwise, and numba's typeof on a
        # broadcast view raises numpy's FutureWarning
        one = np.ones_like(Te)
        with np.errstate(invalid="ignore"):
            p_e = props("P", "T", Te, "Q", one, fluid, errors="ignore")
            p_c = props("P", "T", Tc, "Q", one, fluid, errors="ignore")
            h1 = np.where(sh > 0, props("H", "P", p_e, "T", Te + sh, fluid, errors="ignore"),
                          props("H", "T", Te, "Q", one, fluid, errors="ignore"))
            sc = self.rated_subcooling
            # subcooled below the bubble point at the condensing (dew) pressure, as the
            # kernels take it (a blend's bubble point lies below Tc)
            h_liq = props("H", "P", p_c, "Q", 0.0 * one, fluid, errors="ignore")
            if sc > 0:
                Tb = props("T", "P", p_c, "Q", 0.0 * one, fluid, errors="ignore")
                h_liq = props("H", "P", p_c, "T", Tb - sc, fluid, errors="ignore")
            return m * (h1 - h_liq)


class _MapCompressor(Compressor):
    _FORM = None
    _T_SCALE = None
    _T_OFFSET = None

    def _init_map(self, power_coeffs, mass_flow_coeffs, capacity_coeffs, rated_superheat, rated_subcooling,
                  density_correction, power_correction, speed, m_factor, p_factor, q_factor):
        self.power_coeffs = _coeffs("power_coeffs", power_coeffs)
        if self.power_coeffs is None:
            raise ValueError("power_coeffs=None: a map needs its 10 power coefficients")
        self.mass_flow_coeffs = _coeffs("mass_flow_coeffs", mass_flow_coeffs)
        self.capacity_coeffs = _coeffs("capacity_coeffs", capacity_coeffs)
        if self.mass_flow_coeffs is None and self.capacity_coeffs is None:
            raise ValueError("mass_flow_coeffs=None and capacity_coeffs=None: give at least one of them")
        self.rated_superheat = _positive("rated_superheat", rated_superheat, allow_zero=True)
        self.rated_subcooling = _positive("rated_subcooling", rated_subcooling, allow_zero=True)
        F = density_correction
        if not isinstance(F, numbers.Real) or not (0.0 <= F <= 1.0):
            raise ValueError(f"density_correction={F!r}: must be in [0, 1] (1: density ratio, 0.75: Dabiri and Rice)")
        self.density_correction = float(F)
        if power_correction not in ("none", "isentropic"):
            raise ValueError(f"power_correction={power_correction!r}: must be 'none' or 'isentropic'")
        self.power_correction = power_correction
        self.speed = _positive("speed", speed)
        self.speed_min = self.speed_max = self.speed
        self._factors = (float(m_factor), float(p_factor), float(q_factor))
        self.params = self._build_params([self], [self.speed], self.speed, self.speed)

    def _header(self, mode, ns, smin, smax):
        m_f, p_f, q_f = self._factors
        return [
            K.KIND_MAP, self._FORM, self._T_SCALE, self._T_OFFSET, m_f, p_f, q_f, float(mode),
            self.rated_superheat, self.rated_subcooling, self.density_correction,
            1.0 if self.power_correction == "isentropic" else 0.0, float(ns), float(smin), float(smax),
        ]

    def _build_params(self, maps, speeds, smin, smax, mode=None):
        if mode is None:
            mode = 0 if self.mass_flow_coeffs is not None else 1
        head = self._header(mode, len(maps), smin, smax)
        body = []
        for m in maps:
            body.extend(m.mass_flow_coeffs if mode == 0 else m.capacity_coeffs)
            body.extend(m.power_coeffs)
        p = np.array(head + list(speeds) + body, dtype=np.float64)
        assert len(head) == K._MAP_HEAD
        return p

    def _rated(self, params, T_evap, T_cond, column, errors, what):
        st.check_errors_arg(errors)
        shape, (Te, Tc) = _as_arrays(T_evap, T_cond)
        n = Te.shape[0]
        out = np.empty((n, 2))
        status = np.empty(n, dtype=np.int32)
        speed = np.full(n, params[13])
        K.map_rated_serial(params, Te, Tc, speed, out, status)
        st.report(status, errors, f"{type(self).__name__}.{what}")
        res = out[:, column].reshape(shape)
        return float(res) if res.ndim == 0 else res

    def mass_flow(self, T_evap, T_cond, *, errors="warn"):
        """Mass flow [kg/s] at the map's rated superheat and subcooling.

        T_evap, T_cond: suction and discharge dew-point temperatures [K].
        """
        if self.mass_flow_coeffs is None:
            raise ValueError("mass_flow: this map has no mass-flow coefficients; use performance(fluid, ...), "
                             "which derives the mass flow from the capacity map")
        return self._rated(self._build_params([self], [self.speed], self.speed, self.speed, mode=0),
                           T_evap, T_cond, 0, errors, "mass_flow")

    def power(self, T_evap, T_cond, *, errors="warn"):
        """Electric power input [W] at the map's rated superheat and subcooling."""
        return self._rated(self.params, T_evap, T_cond, 1, errors, "power")

    def capacity(self, T_evap, T_cond, *, errors="warn"):
        """Refrigerating capacity [W] at the map's rated superheat and subcooling."""
        if self.capacity_coeffs is None:
            raise ValueError("capacity: this map has no capacity coefficients (capacity_coeffs=None)")
        return self._rated(self._build_params([self], [self.speed], self.speed, self.speed, mode=1),
                           T_evap, T_cond, 0, errors, "capacity")

    def _same_kind(self, other):
        return (type(other) is type(self) and other._factors == self._factors
                and other.rated_superheat == self.rated_superheat and other.rated_subcooling == self.rated_subcooling
                and other.density_correction == self.density_correction
                and other.power_correction == self.power_correction
                and (other.mass_flow_coeffs is None) == (self.mass_flow_coeffs is None))


class AHRI540Compressor(_MapCompressor):
    """Ten-coefficient compressor map in the AHRI 540 form (degF; lbm/h, W, Btu/h).

    Parameters
    ----------
    mass_flow_coeffs : sequence of 10 floats
        C1..C10 of the mass flow [lbm/h], as published.
    power_coeffs : sequence of 10 floats
        C1..C10 of the power input [W], as published.
    capacity_coeffs : sequence of 10 floats, optional
        C1..C10 of the capacity [Btu/h]. Used for the mass flow (with the
        rated subcooling) when no mass-flow coefficients are given.
    rated_superheat : float
        Suction superheat of the map [K]; default 20 degF = 11.11 K (AHRI 540
        air-conditioning rating). Read it from the data sheet.
    rated_subcooling : float
        Liquid subcooling of the map [K]; default 15 degF = 8.33 K.
    density_correction : float
        F in [0, 1] of the suction-density correction (module docstring).
    power_correction : {"none", "isentropic"}
    speed : float
        Shaft speed of the map [1/s] (a fixed-speed compressor runs at it).

    Examples
    --------
    >>> from hpcore.components import AHRI540Compressor
    >>> M = [217.3163128, 5.094492028, -0.593170311, 4.38e-2, -2.14e-2,
    ...      1.04e-2, 7.90e-5, -5.73e-5, 1.79e-4, -8.08e-5]
    >>> P = [-561.3615705, -15.62601841, 46.92506685, -0.217949552, 0.435062616,
    ...      -0.442400826, 2.25e-4, 2.37e-3, -3.32e-3, 2.50e-3]
    >>> comp = AHRI540Compressor(M, P)
    >>> S, D = (45 + 459.67) / 1.8, (130 + 459.67) / 1.8  # 45 degF, 130 degF in K
    >>> round(comp.mass_flow(S, D), 6), round(comp.power(S, D), 2)
    (0.057889, 3074.97)
    """

    _FORM = K.FORM_AHRI540
    _T_SCALE = 1.8
    _T_OFFSET = 459.67

    def __init__(self, mass_flow_coeffs, power_coeffs, capacity_coeffs=None, *, rated_superheat=20.0 * F_TO_K,
                 rated_subcooling=15.0 * F_TO_K, density_correction=1.0, power_correction="none", speed=60.0):
        self._init_map(power_coeffs, mass_flow_coeffs, capacity_coeffs, rated_superheat, rated_subcooling,
                       density_correction, power_correction, speed, LBM_KG / 3600.0, 1.0, BTU_J / 3600.0)


class EN12900Compressor(_MapCompressor):
    """Ten-coefficient compressor map in the EN 12900 form (degC; kg/h or kg/s, W or kW).

    Parameters
    ----------
    mass_flow_coeffs : sequence of 10 floats, optional
        c1..c10 of the mass flow, in ``mass_flow_unit``.
    power_coeffs : sequence of 10 floats
        c1..c10 of the power input, in ``power_unit``.
    capacity_coeffs : sequence of 10 floats, optional
        c1..c10 of the refrigerating capacity, in ``capacity_unit``; gives
        the mass flow (with the rated superheat and subcooling) when
        ``mass_flow_coeffs`` is not given, as data sheets often publish only
        capacity and power.
    rated_superheat : float
        Suction superheat of the map [K]; default 10 K (EN 12900 rating).
    rated_subcooling : float
        Liquid subcooling of the map [K]; default 0 K.
    mass_flow_unit : {"kg/h", "kg/s"}
    power_unit, capacity_unit : {"W", "kW"}
    density_correction, power_correction, speed
        As for :class:`AHRI540Compressor`; ``speed`` defaults to 50 1/s.
    """

    _FORM = K.FORM_EN12900
    _T_SCALE = 1.0
    _T_OFFSET = 273.15
    _MASS_UNITS = {"kg/h": 1.0 / 3600.0, "kg/s": 1.0}
    _POWER_UNITS = {"W": 1.0, "kW": 1000.0}

    def __init__(self, mass_flow_coeffs=None, power_coeffs=None, capacity_coeffs=None, *, rated_superheat=10.0,
                 rated_subcooling=0.0, mass_flow_unit="kg/h", power_unit="W", capacity_unit="W",
                 density_correction=1.0, power_correction="none", speed=50.0):
        if mass_flow_unit not in self._MASS_UNITS:
            raise ValueError(f"mass_flow_unit={mass_flow_unit!r}: must be one of {tuple(self._MASS_UNITS)}")
        if power_unit not in self._POWER_UNITS:
            raise ValueError(f"power_unit={power_unit!r}: must be one of {tuple(self._POWER_UNITS)}")
        if capacity_unit not in self._POWER_UNITS:
            raise ValueError(f"capacity_unit={capacity_unit!r}: must be one of {tuple(self._POWER_UNITS)}")
        self.units = (mass_flow_unit, power_unit, capacity_unit)
        self._init_map(power_coeffs, mass_flow_coeffs, capacity_coeffs, rated_superheat, rated_subcooling,
                       density_correction, power_correction, speed, self._MASS_UNITS[mass_flow_unit],
                       self._POWER_UNITS[power_unit], self._POWER_UNITS[capacity_unit])


class VariableSpeedCompressor(_MapCompressor):
    """A compressor given by maps at several speeds, interpolated linearly in speed.

    Parameters
    ----------
    maps : sequence of AHRI540Compressor or EN12900Compressor
        One map per speed, all of the same form, units and rating settings.
    speeds : sequence of float
        Speed of each map [1/s], strictly increasing (e.g. 30, 50, 70 Hz
        electrical frequency of an inverter compressor, as data sheets give).
    speed_min, speed_max : float, optional
        Operating range [1/s] inside the maps' speeds; default the first and
        last map speed. Outside the maps nothing is extrapolated.
    """

    def __init__(self, maps, speeds, speed_min=None, speed_max=None):
        maps = list(maps)
        speeds = [float(s) for s in speeds]
        if len(maps) < 1 or len(maps) != len(speeds):
            raise ValueError(f"maps and speeds: need one speed per map, got {len(maps)} maps and {len(speeds)} speeds")
        if not all(isinstance(m, _MapCompressor) and not isinstance(m, VariableSpeedCompressor) for m in maps):
            raise ValueError("maps: must be AHRI540Compressor or EN12900Compressor instances")
        if not all(maps[0]._same_kind(m) for m in maps):
            raise ValueError("maps: all maps must share form, units, rated superheat/subcooling and corrections")
        if not all(np.isfinite(speeds)) or any(b <= a for a, b in zip(speeds, speeds[1:])) or speeds[0] <= 0:
            raise ValueError(f"speeds={speeds!r}: must be positive and strictly increasing [1/s]")
        smin = speeds[0] if speed_min is None else float(speed_min)
        smax = speeds[-1] if speed_max is None else float(speed_max)
        if not (speeds[0] <= smin <= smax <= speeds[-1]):
            raise ValueError(f"speed_min={speed_min!r}, speed_max={speed_max!r}: must satisfy "
                             f"{speeds[0]} <= speed_min <= speed_max <= {speeds[-1]} (no extrapolation beyond the maps)")
        ref = maps[0]
        self.maps = maps
        self.speeds = speeds
        self.speed_min = smin
        self.speed_max = smax
        self.speed = smax
        for attr in ("rated_superheat", "rated_subcooling", "density_correction", "power_correction", "_factors",
                     "_FORM", "_T_SCALE", "_T_OFFSET", "mass_flow_coeffs", "capacity_coeffs", "power_coeffs"):
            setattr(self, attr, getattr(ref, attr))
        self.params = self._build_params(maps, speeds, smin, smax)

    def _at(self, speed, mode):
        p = self._build_params(self.maps, self.speeds, self.speed_min, self.speed_max, mode=mode)
        return p, speed

    def _rated_speed(self, mode, T_evap, T_cond, speed, column, errors, what):
        st.check_errors_arg(errors)
        p = self._build_params(self.maps, self.speeds, self.speed_min, self.speed_max, mode=mode)
        shape, (Te, Tc, sp) = _as_arrays(T_evap, T_cond, self.speed_max if speed is None else speed)
        n = Te.shape[0]
        out = np.empty((n, 2))
        status = np.empty(n, dtype=np.int32)
        K.map_rated_serial(p, Te, Tc, sp, out, status)
        st.report(status, errors, f"VariableSpeedCompressor.{what}")
        res = out[:, column].reshape(shape)
        return float(res) if res.ndim == 0 else res

    def mass_flow(self, T_evap, T_cond, speed=None, *, errors="warn"):
        """Mass flow [kg/s] at rated superheat and ``speed`` [1/s] (default the maximum)."""
        if self.mass_flow_coeffs is None:
            raise ValueError("mass_flow: these maps have no mass-flow coefficients")
        return self._rated_speed(0, T_evap, T_cond, speed, 0, errors, "mass_flow")

    def power(self, T_evap, T_cond, speed=None, *, errors="warn"):
        """Power input [W] at rated superheat and ``speed`` [1/s] (default the maximum)."""
        mode = 0 if self.mass_flow_coeffs is not None else 1
        return self._rated_speed(mode, T_evap, T_cond, speed, 1, errors, "power")

    def capacity(self, T_evap, T_cond, speed=None, *, errors="warn"):
        """Refrigerating capacity [W] at rated conditions and ``speed`` [1/s]."""
        if self.capacity_coeffs is None:
            raise ValueError("capacity: these maps have no capacity coefficients")
        return self._rated_speed(1, T_evap, T_cond, speed, 0, errors, "capacity")


class DisplacementCompressor(Compressor):
    """Positive-displacement compressor from its swept volume and two efficiencies.

    .. math::
        \\dot m = \\eta_{vol} V n \\rho_{suction}, \\qquad
        P = \\dot m (h(p_{cond}, s_{suction}) - h_{suction}) / \\eta_{is}

    and an adiabatic discharge, :math:`h_2 = h_1 + P / \\dot m`.

    Parameters
    ----------
    displacement : float
        Swept volume per revolution [m3].
    eta_vol, eta_is : float or 2-D array_like
        Volumetric and (overall) isentropic efficiency [-]: a constant, or
        coefficients ``c[i][j]`` of ``sum c[i][j] * pr**i * speed**j`` with
        ``pr = p_cond / p_evap`` [-] and ``speed`` [1/s].
    speed_min, speed_max : float
        Speed range [1/s].
    """

    def __init__(self, displacement, eta_vol, eta_is, speed_min=50.0, speed_max=None):
        self.displacement = _positive("displacement", displacement)
        self.speed_min = _positive("speed_min", speed_min)
        self.speed_max = self.speed_min if speed_max is None else _positive("speed_max", speed_max)
        if self.speed_max < self.speed_min:
            raise ValueError(f"speed_max={speed_max!r}: must be >= speed_min={speed_min!r}")
        cv = self._eff("eta_vol", eta_vol)
        cs = self._eff("eta_is", eta_is)
        self.eta_vol = cv
        self.eta_is = cs
        self.params = np.array(
            [K.KIND_DISPLACEMENT, self.displacement, self.speed_min, self.speed_max,
             cv.shape[0], cv.shape[1], cs.shape[0], cs.shape[1], *cv.ravel(), *cs.ravel()],
            dtype=np.float64,
        )

    @staticmethod
    def _eff(name, v):
        arr = np.atleast_2d(np.asarray(v, dtype=np.float64))
        if arr.ndim != 2 or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}={v!r}: must be a number or a 2-D array of finite coefficients c[i][j]")
        if arr.size == 1 and not (0.0 < arr[0, 0] <= (1.0 if name == "eta_is" else 2.0)):
            raise ValueError(f"{name}={v!r}: must be in (0, 1]")
        return np.ascontiguousarray(arr)


def fit_ten_coefficients(T_evap, T_cond, values, form="EN12900"):
    """Least-squares coefficients of the ten-coefficient polynomial from rating data.

    Parameters
    ----------
    T_evap, T_cond : array_like
        Rating points in the form's own temperature unit (degC for EN 12900,
        degF for AHRI 540), as data sheets give them.
    values : array_like
        Capacity, power or mass flow at those points, in the unit the
        coefficients shall have.
    form : {"EN12900", "AHRI540"}
        Both use the same term order.

    Returns
    -------
    ndarray of 10 coefficients.
    """
    if form not in ("EN12900", "AHRI540"):
        raise ValueError(f"form={form!r}: must be 'EN12900' or 'AHRI540'")
    to, tc, y = (np.asarray(v, dtype=np.float64).ravel() for v in (T_evap, T_cond, values))
    if not (to.shape == tc.shape == y.shape) or to.size < 10:
        raise ValueError("T_evap, T_cond, values: need at least 10 points of equal length")
    A = np.column_stack([np.ones_like(to), to, tc, to * to, to * tc, tc * tc, to ** 3, tc * to * to, to * tc * tc, tc ** 3])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return coef
