"""Heat exchangers: effectiveness-NTU relations, zone-wise condenser and evaporator, gas cooler.

Models
------
``HeatExchanger(approach=...)``
    Fixed approach: the pinch (smallest hot-minus-cold temperature
    difference anywhere in the exchanger) equals ``approach`` [K].
``HeatExchanger(UA=...)``
    Conductance UA [W/K], split into zones by the refrigerant's phase
    (condenser: desuperheating, condensing, subcooling; evaporator:
    two-phase, superheating). Each zone is an effectiveness-NTU exchanger
    whose capacity rates come from its own end temperatures (so the secondary
    fluid's varying cp and the refrigerant's vapour cp enter zone by zone);
    the zones' UAs add up to the exchanger's. The pinch is the smallest
    temperature difference at a zone boundary, found wherever it lies (at
    the dew point of a condenser fed with cold water, at its outlet with a
    small flow), not assumed at an end.

Arrangements: ``"counterflow"``, ``"parallel"``, ``"crossflow"`` (both
streams unmixed), ``"crossflow_cmax_mixed"``, ``"crossflow_cmin_mixed"``. In a
zoned exchanger the secondary stream passes the zones in series: counter to
the refrigerant for all but ``"parallel"`` (for the cross-flow arrangements
this is a cross-counterflow coil, each zone cross-flow).

Formulas: Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass
Transfer, 6th ed. (2007), Tables 11.3 and 11.4 (cross-flow with both streams
unmixed: the approximation of Table 11.3). Zone-wise (moving-boundary)
modelling: e.g. Bell, Quoilin et al., ACHP documentation; Jensen and Tummescheit
(2002).
"""
import numbers

import numpy as np

from .. import status as st
from ..properties.api import run_elementwise
from . import _kernels as K

__all__ = [
    "HeatExchanger",
    "ARRANGEMENTS",
    "effectiveness",
    "ntu_from_effectiveness",
    "counterflow_effectiveness",
    "parallel_flow_effectiveness",
    "crossflow_effectiveness",
    "gas_cooler",
]

ARRANGEMENTS = {
    "counterflow": K.ARR_COUNTERFLOW,
    "parallel": K.ARR_PARALLEL,
    "crossflow": K.ARR_CROSSFLOW_UNMIXED,
    "crossflow_cmax_mixed": K.ARR_CROSSFLOW_CMAX_MIXED,
    "crossflow_cmin_mixed": K.ARR_CROSSFLOW_CMIN_MIXED,
}


def _arr_code(arrangement):
    if arrangement not in ARRANGEMENTS:
        raise ValueError(f"arrangement={arrangement!r}: must be one of {', '.join(ARRANGEMENTS)}")
    return ARRANGEMENTS[arrangement]


class HeatExchanger:
    """A condenser, evaporator or gas cooler: fixed approach or UA.

    Parameters
    ----------
    UA : float, optional
        Overall conductance [W/K] (zone-wise effectiveness-NTU).
    approach : float, optional
        Fixed pinch temperature difference [K]. Give exactly one of UA and
        approach.
    arrangement : str
        Flow arrangement (module docstring); default ``"counterflow"``.
    min_pinch : float
        Smallest acceptable pinch [K] (default 0); a solved point below it
        is flagged ``PINCH_VIOLATED``.
    """

    def __init__(self, UA=None, approach=None, arrangement="counterflow", min_pinch=0.0):
        if (UA is None) == (approach is None):
            raise ValueError(f"UA={UA!r}, approach={approach!r}: give exactly one of them")
        for name, v in (("UA", UA), ("approach", approach)):
            if v is not None and (not isinstance(v, numbers.Real) or not np.isfinite(v) or v <= 0):
                raise ValueError(f"{name}={v!r}: must be a finite number > 0")
        if not isinstance(min_pinch, numbers.Real) or not np.isfinite(min_pinch) or min_pinch < 0:
            raise ValueError(f"min_pinch={min_pinch!r}: must be a finite number >= 0 [K]")
        self.UA = None if UA is None else float(UA)
        self.approach = None if approach is None else float(approach)
        self.arrangement = arrangement
        self.min_pinch = float(min_pinch)
        model = K.HX_UA if UA is not None else K.HX_APPROACH
        value = self.UA if UA is not None else self.approach
        self.params = np.array([model, value, float(_arr_code(arrangement)), self.min_pinch], dtype=np.float64)

    def __repr__(self):
        what = f"UA={self.UA!r}" if self.UA is not None else f"approach={self.approach!r}"
        return f"HeatExchanger({what}, arrangement={self.arrangement!r})"

    def condenser(self, fluid, m_dot, h_in, h_out, T_cond, secondary, T_in, m_dot_secondary, *, errors="warn"):
        """Zone-wise condenser with the refrigerant states given (no solve).

        Parameters
        ----------
        fluid : str
            Refrigerant.
        m_dot : array_like
            Refrigerant mass flow [kg/s].
        h_in, h_out : array_like
            Refrigerant inlet (superheated) and outlet (liquid) enthalpy [J/kg].
        T_cond : array_like
            Condensing (dew-point) temperature [K].
        secondary : SecondaryFluid
        T_in, m_dot_secondary : array_like
            Secondary inlet temperature [K] and mass flow [kg/s].

        Returns
        -------
        dict: ``UA_required`` [W/K] (NaN where the duty cannot be met),
        ``pinch`` [K], ``T_out`` [K] (secondary), ``Q`` [W], ``status``.
        """
        from ..properties.tables import load_table

        st.check_errors_arg(errors)
        tbl = load_table(fluid).arrays
        shape, arrs = _bcast(m_dot, h_in, h_out, T_cond, T_in, m_dot_secondary)
        n = arrs[0].shape[0]
        out = np.empty((n, 4))
        status = np.empty(n, dtype=np.int32)
        K.condenser_serial(tbl, self.params, secondary.arrays, *arrs, out, status)
        st.report(status, errors, "HeatExchanger.condenser")
        return _result(out, status, shape)

    def evaporator(self, fluid, m_dot, h_in, h_out, T_evap, secondary, T_in, m_dot_secondary, *, errors="warn"):
        """Zone-wise evaporator with the refrigerant states given (no solve).

        ``h_in`` two-phase inlet, ``h_out`` saturated or superheated outlet
        [J/kg]; ``T_evap`` the dew-point temperature [K]. Returns as
        :meth:`condenser` (``Q`` taken from the secondary stream).
        """
        from ..properties.tables import load_table

        st.check_errors_arg(errors)
        tbl = load_table(fluid).arrays
        shape, arrs = _bcast(m_dot, h_in, h_out, T_evap, T_in, m_dot_secondary)
        n = arrs[0].shape[0]
        out = np.empty((n, 4))
        status = np.empty(n, dtype=np.int32)
        K.evaporator_serial(tbl, self.params, secondary.arrays, *arrs, out, status)
        st.report(status, errors, "HeatExchanger.evaporator")
        return _result(out, status, shape)


def _bcast(*vals):
    arrs = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in vals))
    return arrs[0].shape, [np.array(a, dtype=np.float64).ravel() for a in arrs]


def _result(out, status, shape):
    names = ("UA_required", "pinch", "T_out", "Q")
    res = {k: out[:, i].reshape(shape) for i, k in enumerate(names)}
    res["status"] = status.reshape(shape)
    if len(shape) == 0:
        res = {k: (float(v) if k != "status" else int(v)) for k, v in res.items()}
    return res


def _elementwise(kernel_par, kernel_ser, a, b, arrangement, errors, what):
    st.check_errors_arg(errors)
    code = _arr_code(arrangement)
    shape, (x, y) = _bcast(a, b)
    n = x.shape[0]
    out = np.empty(n)
    status = np.empty(n, dtype=np.int32)
    run_elementwise(kernel_par, kernel_ser, (x, y, code, out, status), n)
    st.report(status, errors, what)
    out = out.reshape(shape)
    return float(out) if out.ndim == 0 else out


def effectiveness(ntu, c_r, arrangement="counterflow", *, errors="warn"):
    """Heat-exchanger effectiveness [-] from NTU [-] >= 0 and C_r = C_min/C_max in [0, 1].

    At ``c_r = 0`` (one stream changing phase) every arrangement gives
    :math:`\\varepsilon = 1 - e^{-NTU}`.

    Examples
    --------
    >>> from hpcore.components import effectiveness
    >>> round(effectiveness(5.0, 0.7), 12)
    0.920670368605
    """
    return _elementwise(K.effectiveness_parallel, K.effectiveness_serial, ntu, c_r, arrangement, errors,
                        f"effectiveness(arrangement={arrangement!r})")


def ntu_from_effectiveness(eps, c_r, arrangement="counterflow", *, errors="warn"):
    """NTU [-] that reaches effectiveness ``eps`` at ``c_r``; NaN (flagged INFEASIBLE) at or above the limit."""
    return _elementwise(K.ntu_parallel, K.ntu_serial, eps, c_r, arrangement, errors,
                        f"ntu_from_effectiveness(arrangement={arrangement!r})")


def counterflow_effectiveness(ntu, c_r, *, errors="warn"):
    """Counterflow effectiveness: :math:`\\varepsilon = (1 - e^{-N(1-C)}) / (1 - C e^{-N(1-C)})`."""
    return effectiveness(ntu, c_r, "counterflow", errors=errors)


def parallel_flow_effectiveness(ntu, c_r, *, errors="warn"):
    """Parallel-flow effectiveness: :math:`\\varepsilon = (1 - e^{-N(1+C)}) / (1 + C)`."""
    return effectiveness(ntu, c_r, "parallel", errors=errors)


def crossflow_effectiveness(ntu, c_r, mixed=None, *, errors="warn"):
    """Cross-flow effectiveness; ``mixed`` None (both unmixed), ``"cmax"`` or ``"cmin"``."""
    arr = {None: "crossflow", "cmax": "crossflow_cmax_mixed", "cmin": "crossflow_cmin_mixed"}.get(mixed)
    if arr is None:
        raise ValueError(f"mixed={mixed!r}: must be None, 'cmax' or 'cmin'")
    return effectiveness(ntu, c_r, arr, errors=errors)


def gas_cooler(fluid, p, h_in, h_out, m_dot, secondary, T_in, m_dot_secondary, *, n_segments=40, errors="warn"):
    """Counterflow gas cooler (transcritical), discretized along the refrigerant enthalpy.

    The refrigerant at pressure ``p`` [Pa] is cooled from ``h_in`` to
    ``h_out`` [J/kg] in ``n_segments`` equal enthalpy steps; each segment is
    a counterflow exchanger with capacity rates from its end temperatures,
    because cp varies strongly near the pseudo-critical line. The pinch is
    the smallest temperature difference over the nodes.

    Returns
    -------
    dict: ``UA_required`` [W/K], ``pinch`` [K], ``T_out`` [K] (secondary),
    ``Q`` [W], ``status``.
    """
    from ..properties.tables import load_table

    st.check_errors_arg(errors)
    if not isinstance(n_segments, numbers.Integral) or n_segments < 1:
        raise ValueError(f"n_segments={n_segments!r}: must be an integer >= 1")
    tbl = load_table(fluid).arrays
    shape, arrs = _bcast(p, h_in, h_out, m_dot, T_in, m_dot_secondary)
    n = arrs[0].shape[0]
    out = np.empty((n, 4))
    status = np.empty(n, dtype=np.int32)
    K.gas_cooler_serial(tbl, secondary.arrays, *arrs, int(n_segments), out, status)
    st.report(status, errors, "gas_cooler")
    return _result(out, status, shape)
