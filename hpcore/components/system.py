"""``solve_heat_pump``: a heat pump from its hardware and its source and sink streams, in bulk.

Basic cycle (docs/cycles.md, "basic"): compressor, condenser, expansion valve
(isenthalpic), evaporator. Given the refrigerant, a compressor model, two heat
exchangers and the source and sink inlet conditions, each element's
evaporating and condensing temperatures are solved so that both exchangers
transfer exactly what the cycle moves; capacity, power, COP and pinches follow.

Energy: the compressor is adiabatic (all electric power goes into the
refrigerant, h2 = h1 + P / m_dot), so Q_heating = Q_source + P on every
steady point, to rounding; on/off cycling adds the part-load loss
``cycling_loss`` (Q_heating + cycling_loss = Q_source + power).
"""
import numbers

import numpy as np

from .. import status as st
from ..properties.api import run_elementwise
from ..properties.tables import load_table
from . import _system_kernels as SK
from .compressors import Compressor
from .heat_exchangers import HeatExchanger
from .secondary import SecondaryFluid

__all__ = ["solve_heat_pump", "SYSTEM_OUTPUTS"]

#: output name -> (column, unit, description)
SYSTEM_OUTPUTS = {
    "T_evap": (SK.O_T_EVAP, "K", "evaporating (dew-point) temperature"),
    "T_cond": (SK.O_T_COND, "K", "condensing (dew-point) temperature"),
    "p_evap": (SK.O_P_EVAP, "Pa", "evaporating pressure"),
    "p_cond": (SK.O_P_COND, "Pa", "condensing pressure"),
    "m_dot": (SK.O_M_DOT, "kg/s", "refrigerant mass flow of one running unit"),
    "speed": (SK.O_SPEED, "1/s", "compressor speed"),
    "Q_heating": (SK.O_Q_HEATING, "W", "heat to the sink, all running units, time-averaged"),
    "Q_source": (SK.O_Q_COOLING, "W", "heat from the source, all running units, time-averaged"),
    "power": (SK.O_POWER, "W", "electric power, all running units, time-averaged (with cycling losses)"),
    "COP_heating": (SK.O_COP_HEATING, "1", "Q_heating / power"),
    "COP_cooling": (SK.O_COP_COOLING, "1", "Q_source / power"),
    "eta_is": (SK.O_ETA_IS, "1", "isentropic efficiency implied by the compressor model"),
    "T_source_out": (SK.O_T_SOURCE_OUT, "K", "source outlet temperature (while running)"),
    "T_sink_out": (SK.O_T_SINK_OUT, "K", "sink outlet temperature (while running)"),
    "pinch_evap": (SK.O_PINCH_EVAP, "K", "smallest temperature difference in the evaporator"),
    "pinch_cond": (SK.O_PINCH_COND, "K", "smallest temperature difference in the condenser"),
    "n_units": (SK.O_N_UNITS, "1", "number of running units"),
    "cycling_fraction": (SK.O_CYCLING, "1", "fraction of time on (1: continuous operation)"),
    "h_suction": (SK.O_H_SUCTION, "J/kg", "compressor suction enthalpy"),
    "h_discharge": (SK.O_H_DISCHARGE, "J/kg", "compressor discharge enthalpy"),
    "h_liquid": (SK.O_H_LIQUID, "J/kg", "condenser outlet enthalpy"),
    "T_discharge": (SK.O_T_DISCHARGE, "K", "compressor discharge temperature"),
    "unmet_demand": (SK.O_UNMET, "W", "demand the plant cannot cover at full speed with all units"),
    "cycling_loss": (SK.O_CYCLING_LOSS, "W", "extra electric power of on/off cycling"),
    "UA_evap_required": (SK.O_UA_EVAP, "W/K", "UA the evaporator needs (= UA when converged)"),
    "UA_cond_required": (SK.O_UA_COND, "W/K", "UA the condenser needs (= UA when converged)"),
}
DEFAULT_OUTPUTS = ("T_evap", "T_cond", "m_dot", "speed", "Q_heating", "Q_source", "power", "COP_heating",
                   "eta_is", "T_source_out", "T_sink_out", "pinch_evap", "pinch_cond", "n_units", "cycling_fraction")


def _check_type(name, value, cls):
    if not isinstance(value, cls):
        raise ValueError(f"{name}={value!r}: must be a {cls.__name__}")


def solve_heat_pump(
    fluid,
    compressor,
    evaporator,
    condenser,
    *,
    source,
    sink,
    T_source_in,
    source_mass_flow,
    T_sink_in,
    sink_mass_flow,
    superheat=5.0,
    subcooling=2.0,
    speed=None,
    demand=None,
    n_units=1,
    degradation_coefficient=0.9,
    outputs=None,
    errors="warn",
    as_dataset=True,
):
    """Operating points of a heat pump from its hardware, solved element by element.

    Parameters
    ----------
    fluid : str
        Refrigerant (CoolProp name or alias).
    compressor : Compressor
        :class:`AHRI540Compressor`, :class:`EN12900Compressor`,
        :class:`VariableSpeedCompressor` or :class:`DisplacementCompressor`.
    evaporator, condenser : HeatExchanger
        Fixed approach or UA (zone-wise effectiveness-NTU).
    source, sink : SecondaryFluid
        Secondary fluids (water, MEG, MPG, air, constant cp).
    T_source_in, T_sink_in : array_like
        Inlet temperatures [K] of the source (cooled) and sink (heated).
    source_mass_flow, sink_mass_flow : array_like
        Mass flows [kg/s] through each running unit.
    superheat, subcooling : array_like
        Evaporator-outlet superheat and condenser-outlet subcooling [K] >= 0
        (held by the expansion valve and the charge).
    speed : array_like, optional
        Compressor speed [1/s] at full load; default the maximum. Ignored
        where ``demand`` is given.
    demand : array_like, optional
        Heating demand of the plant [W]. Sets the speed within the
        compressor's range; below the capacity at minimum speed the unit
        cycles on/off (``cycling_fraction`` < 1, part-load factor of EN 14825:
        COP = COP_min * CR / (Cd * CR + 1 - Cd)). With ``n_units`` > 1 every
        number of running units is tried and the one with the best COP kept.
        NaN elements run at full load.
    n_units : int
        Identical units in parallel (default 1). Without a demand all run.
    degradation_coefficient : float
        Cd in [0, 1] of EN 14825 (0.9: the standard's default when the
        cycling loss was not measured).
    outputs : sequence of str, optional
        Names from :data:`SYSTEM_OUTPUTS`; default a useful subset.
    errors : {"warn", "raise", "ignore"}
        Flagged elements (NaN outputs): non-finite inputs, OUT_OF_DOMAIN,
        INFEASIBLE (no cycle between the streams), NOT_CONVERGED (e.g. an
        exchanger too small for any state in the table), WET_COMPRESSION,
        PINCH_VIOLATED (pinch below ``min_pinch``), OUT_OF_TABLE.
    as_dataset : bool
        Return an ``xarray.Dataset`` (default) or a dict of arrays.

    Returns
    -------
    xarray.Dataset (or dict) with the requested outputs [SI units in
    ``attrs["units"]``] and ``status``.

    Notes
    -----
    Per element, Newton's method with Broyden updates solves the two
    exchanger equations for (T_evap, T_cond); where it fails, nested
    bracketed searches (Illinois) take over, so a singular Jacobian never
    reaches the user.
    """
    _check_type("compressor", compressor, Compressor)
    _check_type("evaporator", evaporator, HeatExchanger)
    _check_type("condenser", condenser, HeatExchanger)
    _check_type("source", source, SecondaryFluid)
    _check_type("sink", sink, SecondaryFluid)
    st.check_errors_arg(errors)
    if not isinstance(n_units, numbers.Integral) or n_units < 1:
        raise ValueError(f"n_units={n_units!r}: must be an integer >= 1")
    cd = degradation_coefficient
    if not isinstance(cd, numbers.Real) or not (0.0 <= cd <= 1.0):
        raise ValueError(f"degradation_coefficient={cd!r}: must be in [0, 1]")
    names = DEFAULT_OUTPUTS if outputs is None else tuple(outputs)
    bad = [o for o in names if o not in SYSTEM_OUTPUTS]
    if bad:
        raise ValueError(f"outputs={bad!r}: unknown; allowed: {', '.join(SYSTEM_OUTPUTS)}")
    tbl = load_table(fluid).arrays
    vals = [T_source_in, source_mass_flow, T_sink_in, sink_mass_flow, superheat, subcooling,
            np.nan if speed is None else speed, np.nan if demand is None else demand]
    labels = ("T_source_in", "source_mass_flow", "T_sink_in", "sink_mass_flow", "superheat", "subcooling",
              "speed", "demand")
    try:
        arrs = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in vals))
    except ValueError as exc:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in zip(labels, vals))
        raise ValueError(f"inputs do not broadcast: {shapes}") from exc
    shape = arrs[0].shape
    flat = [np.array(a, dtype=np.float64).ravel() for a in arrs]
    n = flat[0].shape[0]
    out = np.empty((n, SK.NOUT))
    status = np.empty(n, dtype=np.int32)
    args = (tbl, compressor.params, evaporator.params, condenser.params, source.arrays, sink.arrays,
            int(n_units), float(cd), *flat, out, status)
    run_elementwise(SK.solve_parallel, SK.solve_serial, args, n)
    st.report(status, errors, f"solve_heat_pump({fluid!r})")
    res = {name: out[:, SYSTEM_OUTPUTS[name][0]].reshape(shape) for name in names}
    res["status"] = status.reshape(shape)
    if not as_dataset:
        return res
    import xarray as xr

    dims = tuple(f"dim_{i}" for i in range(len(shape)))
    ds = xr.Dataset({k: (dims, v) for k, v in res.items()})
    for name in names:
        ds[name].attrs.update(units=SYSTEM_OUTPUTS[name][1], long_name=SYSTEM_OUTPUTS[name][2])
    ds["status"].attrs["description"] = "per-element status flags (hpcore.Status)"
    ds.attrs.update(fluid=str(fluid), model="hpcore.components.solve_heat_pump", cycle="basic")
    return ds
