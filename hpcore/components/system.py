"""``simulate_heat_pump``: a heat pump from its hardware and its source and sink streams, in bulk.

``solve_heat_pump`` is the same function under its earlier name.

Basic cycle (docs/cycles.md, "basic"): compressor, condenser, expansion valve
(isenthalpic), evaporator. Given the refrigerant, a compressor model, two heat
exchangers and the source and sink inlet conditions, each element's
evaporating and condensing temperatures are solved so that both exchangers
transfer exactly what the cycle moves; capacity, power, COP and pinches follow.

Energy: the compressor is adiabatic (all electric power goes into the
refrigerant, h2 = h1 + P / m_dot), so Q_heating = Q_source + P on every
steady point, to rounding; on/off cycling adds the part-load loss
``cycling_loss`` (Q_heating + cycling_loss = Q_source + power).

Transcritical cycle (docs/cycles.md, "transcritical"; CO2): compressor, gas
cooler (counterflow, discretized along the refrigerant enthalpy), valve,
evaporator; the high pressure is given, follows a linear control law, or is
the COP-optimal one (:class:`HighPressureControl`).
"""
import numbers

import numpy as np

from .. import status as st
from ..properties.api import run_elementwise
from ..properties.tables import load_table
from . import _system_kernels as SK
from . import _transcritical_kernels as TK
from .compressors import Compressor, DisplacementCompressor
from .heat_exchangers import HeatExchanger
from .secondary import SecondaryFluid

__all__ = ["simulate_heat_pump", "solve_heat_pump", "HighPressureControl", "SYSTEM_OUTPUTS",
           "TRANSCRITICAL_OUTPUTS", "CYCLES"]

CYCLES = ("basic", "transcritical")

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
    "iterations": (SK.O_ITERATIONS, "1", "cycle states (trial evaporating and condensing temperatures) the solve "
                                         "evaluated, finite-difference Jacobians and part-load searches included"),
}
DEFAULT_OUTPUTS = ("T_evap", "T_cond", "m_dot", "speed", "Q_heating", "Q_source", "power", "COP_heating",
                   "eta_is", "T_source_out", "T_sink_out", "pinch_evap", "pinch_cond", "n_units", "cycling_fraction")


#: transcritical cycle: output name -> (column, unit, description)
TRANSCRITICAL_OUTPUTS = {
    "T_evap": (TK.O_T_EVAP, "K", "evaporating (dew-point) temperature"),
    "p_evap": (TK.O_P_EVAP, "Pa", "evaporating pressure"),
    "p_high": (TK.O_P_HIGH, "Pa", "high (gas-cooler) pressure"),
    "T_gc_out": (TK.O_T_GC_OUT, "K", "refrigerant temperature at the gas-cooler outlet"),
    "m_dot": (TK.O_M_DOT, "kg/s", "refrigerant mass flow"),
    "speed": (TK.O_SPEED, "1/s", "compressor speed"),
    "Q_heating": (TK.O_Q_HEATING, "W", "heat to the sink"),
    "Q_source": (TK.O_Q_SOURCE, "W", "heat from the source"),
    "power": (TK.O_POWER, "W", "electric power"),
    "COP_heating": (TK.O_COP_HEATING, "1", "Q_heating / power"),
    "COP_cooling": (TK.O_COP_COOLING, "1", "Q_source / power"),
    "eta_is": (TK.O_ETA_IS, "1", "isentropic efficiency implied by the compressor model"),
    "T_source_out": (TK.O_T_SOURCE_OUT, "K", "source outlet temperature"),
    "T_sink_out": (TK.O_T_SINK_OUT, "K", "sink outlet temperature"),
    "pinch_evap": (TK.O_PINCH_EVAP, "K", "smallest temperature difference in the evaporator"),
    "pinch_gas_cooler": (TK.O_PINCH_GC, "K", "smallest temperature difference over the gas cooler's nodes"),
    "h_suction": (TK.O_H_SUCTION, "J/kg", "compressor suction enthalpy"),
    "h_discharge": (TK.O_H_DISCHARGE, "J/kg", "compressor discharge enthalpy"),
    "h_gc_out": (TK.O_H_GC_OUT, "J/kg", "gas-cooler outlet enthalpy"),
    "T_discharge": (TK.O_T_DISCHARGE, "K", "compressor discharge temperature"),
    "UA_evap_required": (TK.O_UA_EVAP, "W/K", "UA the evaporator needs (= UA when converged)"),
    "UA_gas_cooler_required": (TK.O_UA_GC, "W/K", "UA the gas cooler needs (= UA when converged)"),
    "iterations": (TK.O_ITERATIONS, "1", "gas-cooler evaluations (trial states) used by the solve"),
}
TRANSCRITICAL_DEFAULT_OUTPUTS = ("T_evap", "p_high", "T_gc_out", "m_dot", "Q_heating", "Q_source", "power",
                                 "COP_heating", "eta_is", "T_source_out", "T_sink_out", "pinch_evap",
                                 "pinch_gas_cooler", "iterations")


class HighPressureControl:
    """A linear control law for the high pressure of a transcritical cycle.

    .. math:: p_{high} = a + b\\,T

    with ``T`` the refrigerant temperature at the gas-cooler outlet
    (``variable="T_gc_out"``; solved together with the cycle) or the sink
    inlet temperature (``variable="T_sink_in"``, e.g. the air entering an
    air-cooled gas cooler). Such laws are what controllers of CO2 heat pumps
    implement; published fits of the COP-optimal pressure have this form, e.g.
    Liao, Zhao and Jakobsen (2000), whose correlation is linear in the
    gas-cooler outlet temperature at a given evaporating temperature, and Kauf
    (1999), linear in the ambient (sink inlet) temperature.

    Parameters
    ----------
    a : float
        Intercept [Pa].
    b : float
        Slope [Pa/K] (temperatures in kelvin).
    variable : {"T_gc_out", "T_sink_in"}

    References
    ----------
    Liao, S. M., Zhao, T. S., Jakobsen, A. (2000). A correlation of optimal heat rejection
    pressures in transcritical carbon dioxide cycles. Applied Thermal Engineering 20(9),
    831-841. doi:10.1016/S1359-4311(99)00070-8

    Kauf, F. (1999). Determination of the optimum high pressure for transcritical
    CO2-refrigeration cycles. International Journal of Thermal Sciences 38(4), 325-330.
    doi:10.1016/S1290-0729(99)80098-2
    """

    VARIABLES = ("T_gc_out", "T_sink_in")

    def __init__(self, a, b, variable="T_gc_out"):
        for name, v in (("a", a), ("b", b)):
            if not isinstance(v, numbers.Real) or not np.isfinite(v):
                raise ValueError(f"{name}={v!r}: must be a finite number")
        if variable not in self.VARIABLES:
            raise ValueError(f"variable={variable!r}: must be one of {self.VARIABLES}")
        self.a = float(a)
        self.b = float(b)
        self.variable = variable

    def __repr__(self):
        return f"HighPressureControl(a={self.a!r}, b={self.b!r}, variable={self.variable!r})"


def _check_type(name, value, cls):
    if not isinstance(value, cls):
        raise ValueError(f"{name}={value!r}: must be a {cls.__name__}")


def _broadcast(vals, labels):
    try:
        arrs = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in vals))
    except ValueError as exc:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in zip(labels, vals))
        raise ValueError(f"inputs do not broadcast: {shapes}") from exc
    return arrs[0].shape, [np.array(a, dtype=np.float64).ravel() for a in arrs]


def _check_outputs(outputs, allowed, default, cycle):
    names = default if outputs is None else tuple(outputs)
    bad = [o for o in names if o not in allowed]
    if bad:
        raise ValueError(f"outputs={bad!r}: unknown for cycle={cycle!r}; allowed: {', '.join(allowed)}")
    return names


#: fewest elements for which the solve order is considered (below, reordering gains nothing)
_REORDER_MIN = 64


def _solve_order(flat):
    """A permutation of the elements along a Morton curve through the varying inputs, or
    None when the given order's path is not at least twice as long.

    Each element's solve starts from its predecessors' solutions (extrapolated along
    straight sweeps, or moved by learnt sensitivities), so consecutive elements should be
    near each other in input space. Path lengths are sums of the absolute steps of the
    inputs scaled to [0, 1]. A grid sweep's path is already short (and its straight lines
    are what the extrapolation uses), so grids keep their order; random samples are
    reordered: on the 10^5-point benchmark plant, 7.2 cycle states a point become 3.2.
    """
    n = flat[0].shape[0]
    if n < _REORDER_MIN:
        return None
    rows = []
    for a in flat:
        lo, hi = np.fmin.reduce(a), np.fmax.reduce(a)  # NaN ignored (unset speed, demand)
        if hi > lo:
            x = (a - lo) / (hi - lo)
            x[~np.isfinite(x)] = 0.0
            rows.append(x)
    if not rows:
        return None
    X = np.ascontiguousarray(np.stack(rows))
    d = X.shape[0]
    given = SK.path_length(X, np.empty(0, dtype=np.int64))
    # a grid's steps are about the spacing of n points in the unit cube, d n^(-1/d) (L1);
    # only a path of much longer steps can gain from the curve (and the sort is not free)
    if not (given > 4.0 * d * n ** (1.0 - 1.0 / d)):
        return None
    # enough bits to separate the points (about n^(1/d) cells a side, 8x finer), at most 63 in all
    bits = int(min(63 // d, max(1, np.ceil(np.log2(n) / d) + 3)))
    keys = np.empty(n, dtype=np.uint64)
    SK.morton_keys(X, bits, SK.spread_table(d), keys)
    perm = np.empty(n, dtype=np.int64)
    SK.radix_argsort(keys, d * bits, perm, np.empty(n, dtype=np.int64), np.empty(n, dtype=np.uint64),
                     np.empty(SK.RADIX_COUNT, dtype=np.int64))
    curve = SK.path_length(X, perm)
    return perm if curve < 0.5 * given else None


def _package(out, status, shape, names, table, fluid, cycle, errors, as_dataset):
    st.report(status, errors, f"simulate_heat_pump({fluid!r}, cycle={cycle!r})")
    res = {name: out[:, table[name][0]].reshape(shape) for name in names}
    res["status"] = status.reshape(shape)
    if not as_dataset:
        return res
    import xarray as xr

    dims = tuple(f"dim_{i}" for i in range(len(shape)))
    ds = xr.Dataset({k: (dims, v) for k, v in res.items()})
    for name in names:
        ds[name].attrs.update(units=table[name][1], long_name=table[name][2])
    ds["status"].attrs["description"] = "per-element status flags (hpcore.Status)"
    ds.attrs.update(fluid=str(fluid), model="hpcore.components.simulate_heat_pump", cycle=cycle)
    return ds


def simulate_heat_pump(
    fluid,
    compressor,
    evaporator,
    condenser=None,
    *,
    source,
    sink,
    T_source_in,
    source_mass_flow,
    T_sink_in,
    sink_mass_flow,
    superheat=5.0,
    subcooling=None,
    cycle="basic",
    gas_cooler=None,
    p_high="optimal",
    n_segments=20,
    speed=None,
    demand=None,
    n_units=1,
    degradation_coefficient=0.9,
    outputs=None,
    errors="warn",
    as_dataset=True,
    order="auto",
):
    """Operating points of a heat pump from its hardware, solved element by element.

    Parameters
    ----------
    fluid : str
        Refrigerant (CoolProp name or alias); ``"R744"`` (CO2) for the
        transcritical cycle.
    compressor : Compressor
        :class:`AHRI540Compressor`, :class:`EN12900Compressor`,
        :class:`VariableSpeedCompressor` or :class:`DisplacementCompressor`
        (the transcritical cycle: :class:`DisplacementCompressor` only, since
        the ten-coefficient maps are written in a condensing temperature).
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
        (held by the expansion valve and the charge); subcooling default 2 K,
        basic cycle only.
    cycle : {"basic", "transcritical"}
        Basic subcritical cycle, or the transcritical one (gas cooler).
    gas_cooler : HeatExchanger, optional
        Transcritical cycle: the gas cooler (counterflow; UA or approach), or
        give it as ``condenser``.
    p_high : "optimal", array_like [Pa] or HighPressureControl
        Transcritical cycle: the high pressure. ``"optimal"`` (default): the
        COP-optimal one, searched per element between 1.0001 p_crit and the
        table's p_max; an array: given per element (> p_crit); a
        :class:`HighPressureControl`: a linear control law.
    n_segments : int
        Transcritical cycle: enthalpy segments of the gas cooler (default 20).
    speed : array_like, optional
        Compressor speed [1/s] at full load; default the maximum. Ignored
        where ``demand`` is given.
    demand : array_like, optional
        Heating demand of the plant [W] (basic cycle). Sets the speed within the
        compressor's range; below the capacity at minimum speed the unit
        cycles on/off (``cycling_fraction`` < 1, part-load factor of EN 14825:
        COP = COP_min * CR / (Cd * CR + 1 - Cd)). With ``n_units`` > 1 every
        number of running units is tried and the one with the best COP kept.
        NaN elements run at full load.
    n_units : int
        Identical units in parallel (default 1; basic cycle). Without a demand all run.
    degradation_coefficient : float
        Cd in [0, 1] of EN 14825 (0.9: the standard's default when the
        cycling loss was not measured).
    outputs : sequence of str, optional
        Names from :data:`SYSTEM_OUTPUTS` (basic) or
        :data:`TRANSCRITICAL_OUTPUTS`; default a useful subset.
    errors : {"warn", "raise", "ignore"}
        Flagged elements (NaN outputs): non-finite inputs, OUT_OF_DOMAIN,
        INFEASIBLE (no cycle between the streams), NOT_CONVERGED (e.g. an
        exchanger too small for any state in the table, or an optimal high
        pressure on a bound of its range), WET_COMPRESSION, PINCH_VIOLATED
        (pinch below ``min_pinch``), OUT_OF_TABLE.
    as_dataset : bool
        Return an ``xarray.Dataset`` (default) or a dict of arrays.
    order : {"auto", "given"}
        Basic cycle: the order the elements are solved in (each starts from its
        predecessors' solutions). ``"auto"`` (default): along a space-filling (Morton)
        curve through the varying inputs when that path is less than half as long as
        the given order's, as it is for random, Sobol or Latin-hypercube samples;
        otherwise (grids, sweeps) as given. ``"given"``: always as given. Results are
        returned in the given order either way and agree to the solver's tolerance.

    Returns
    -------
    xarray.Dataset (or dict) with the requested outputs [SI units in
    ``attrs["units"]``] and ``status``.

    Notes
    -----
    Basic cycle: per element, Newton's method with Broyden updates solves the
    two exchanger equations for (T_evap, T_cond); where it fails, nested
    bracketed searches (Illinois) take over, so a singular Jacobian never
    reaches the user. Transcritical cycle: nested bracketed searches on
    T_evap (outside) and T_gc_out (inside) at each high pressure; see
    docs/components.md.
    """
    if cycle not in CYCLES:
        raise ValueError(f"cycle={cycle!r}: must be one of {CYCLES}")
    _check_type("compressor", compressor, Compressor)
    _check_type("evaporator", evaporator, HeatExchanger)
    _check_type("source", source, SecondaryFluid)
    _check_type("sink", sink, SecondaryFluid)
    st.check_errors_arg(errors)
    if not (isinstance(order, str) and order in ("auto", "given")):
        raise ValueError(f"order={order!r}: must be 'auto' or 'given'")
    if cycle == "transcritical":
        return _transcritical(fluid, compressor, evaporator, condenser, gas_cooler, source, sink, T_source_in,
                              source_mass_flow, T_sink_in, sink_mass_flow, superheat, subcooling, p_high, n_segments,
                              speed, demand, n_units, outputs, errors, as_dataset)
    if gas_cooler is not None:
        raise ValueError(f"gas_cooler={gas_cooler!r}: only for cycle='transcritical'")
    _check_type("condenser", condenser, HeatExchanger)
    if not (isinstance(p_high, str) and p_high == "optimal"):
        raise ValueError(f"p_high={p_high!r}: only for cycle='transcritical'")
    if subcooling is None:
        subcooling = 2.0
    if not isinstance(n_units, numbers.Integral) or n_units < 1:
        raise ValueError(f"n_units={n_units!r}: must be an integer >= 1")
    cd = degradation_coefficient
    if not isinstance(cd, numbers.Real) or not (0.0 <= cd <= 1.0):
        raise ValueError(f"degradation_coefficient={cd!r}: must be in [0, 1]")
    names = _check_outputs(outputs, SYSTEM_OUTPUTS, DEFAULT_OUTPUTS, cycle)
    tbl = load_table(fluid).arrays
    vals = [T_source_in, source_mass_flow, T_sink_in, sink_mass_flow, superheat, subcooling,
            np.nan if speed is None else speed, np.nan if demand is None else demand]
    labels = ("T_source_in", "source_mass_flow", "T_sink_in", "sink_mass_flow", "superheat", "subcooling",
              "speed", "demand")
    shape, flat = _broadcast(vals, labels)
    n = flat[0].shape[0]
    # only the requested outputs are stored (a column each, in the order of names)
    cols = np.array([SYSTEM_OUTPUTS[name][0] for name in names], dtype=np.int64)
    out = np.empty((n, len(names)))
    nev = np.empty(n)
    status = np.empty(n, dtype=np.int32)
    args = (tbl, compressor.params, evaporator.params, condenser.params, source.arrays, sink.arrays,
            int(n_units), float(cd), *flat, cols, out, nev, status)
    perm = _solve_order(flat) if order == "auto" else None
    if perm is not None:
        # an input with one value throughout (a scalar broadcast) is the same in any order
        flat = [a if (a[0] == a).all() or np.isnan(a).all() else a[perm] for a in flat]
        args = (*args[:8], *flat, *args[16:])
    run_elementwise(SK.solve_parallel, SK.solve_serial, args, n)
    if perm is not None:
        back = np.empty_like(out)
        st_back = np.empty_like(status)
        SK.unpermute(perm, out, status, back, st_back)
        out = back
        status = st_back
    return _package(out, status, shape, names, {name: (j,) + SYSTEM_OUTPUTS[name][1:] for j, name in enumerate(names)},
                    fluid, cycle, errors, as_dataset)


def _transcritical(fluid, compressor, evaporator, condenser, gas_cooler, source, sink, T_source_in, source_mass_flow,
                   T_sink_in, sink_mass_flow, superheat, subcooling, p_high, n_segments, speed, demand, n_units,
                   outputs, errors, as_dataset):
    if gas_cooler is not None and condenser is not None:
        raise ValueError("gas_cooler, condenser: give the gas cooler once (as gas_cooler)")
    gc = gas_cooler if gas_cooler is not None else condenser
    _check_type("gas_cooler", gc, HeatExchanger)
    if gc.arrangement != "counterflow":
        raise ValueError(f"gas_cooler arrangement={gc.arrangement!r}: the discretized gas cooler is counterflow")
    if not isinstance(compressor, DisplacementCompressor):
        raise ValueError(f"compressor={compressor!r}: cycle='transcritical' needs a DisplacementCompressor "
                         "(ten-coefficient maps are written in a condensing temperature)")
    if subcooling is not None:
        raise ValueError(f"subcooling={subcooling!r}: not defined for cycle='transcritical' (no condensation)")
    if demand is not None:
        raise ValueError("demand: part load is implemented for cycle='basic' only")
    if n_units != 1:
        raise ValueError(f"n_units={n_units!r}: staging is implemented for cycle='basic' only")
    if not isinstance(n_segments, numbers.Integral) or n_segments < 1:
        raise ValueError(f"n_segments={n_segments!r}: must be an integer >= 1")
    names = _check_outputs(outputs, TRANSCRITICAL_OUTPUTS, TRANSCRITICAL_DEFAULT_OUTPUTS, "transcritical")
    law_a = law_b = 0.0
    p_vals = np.nan
    if isinstance(p_high, str):
        if p_high != "optimal":
            raise ValueError(f"p_high={p_high!r}: must be 'optimal', an array of pressures [Pa] or a "
                             "HighPressureControl")
        mode = TK.MODE_OPTIMAL
    elif isinstance(p_high, HighPressureControl):
        if p_high.variable == "T_gc_out":
            mode = TK.MODE_LAW_T_GC_OUT
            law_a, law_b = p_high.a, p_high.b
        else:
            mode = TK.MODE_GIVEN
            p_vals = p_high.a + p_high.b * np.asarray(T_sink_in, dtype=np.float64)
    else:
        mode = TK.MODE_GIVEN
        p_vals = p_high
    tbl = load_table(fluid).arrays
    vals = [T_source_in, source_mass_flow, T_sink_in, sink_mass_flow, superheat,
            compressor.speed_max if speed is None else speed, p_vals]
    labels = ("T_source_in", "source_mass_flow", "T_sink_in", "sink_mass_flow", "superheat", "speed", "p_high")
    shape, flat = _broadcast(vals, labels)
    n = flat[0].shape[0]
    out = np.empty((n, TK.NOUT))
    status = np.empty(n, dtype=np.int32)
    args = (tbl, compressor.params, evaporator.params, gc.params, source.arrays, sink.arrays, int(mode), float(law_a),
            float(law_b), int(n_segments), *flat, out, status)
    run_elementwise(TK.tc_parallel, TK.tc_serial, args, n)
    return _package(out, status, shape, names, TRANSCRITICAL_OUTPUTS, fluid, "transcritical", errors, as_dataset)


#: the earlier name of :func:`simulate_heat_pump`
solve_heat_pump = simulate_heat_pump


def warm_system(kind, fluid="R32"):
    """Compile (or load from the disk cache) the serial and parallel system solve of
    ``kind``: "basic" (on ``fluid``) or "transcritical" (R744, at a given high pressure:
    the optimum search is the same kernel).

    The parallel kernels run only from ``config.SERIAL_THRESHOLD`` points on, so each is
    called once on that many points (about a second on two cores)."""
    from .. import config

    if kind not in ("basic", "transcritical"):
        raise ValueError(f"kind={kind!r}: allowed 'basic', 'transcritical'")
    kw = dict(source=SecondaryFluid("water"), sink=SecondaryFluid("water"), source_mass_flow=0.5,
              sink_mass_flow=0.3, superheat=5.0, errors="ignore", as_dataset=False)
    for n in (2, config.SERIAL_THRESHOLD):
        T_source = np.linspace(278.0, 288.0, n)
        if kind == "basic":
            comp = DisplacementCompressor(30e-6, eta_vol=0.9, eta_is=0.7, speed_min=50.0)
            solve_heat_pump(fluid, comp, HeatExchanger(UA=1500.0), HeatExchanger(UA=2500.0), T_source_in=T_source,
                            T_sink_in=308.0, subcooling=2.0, **kw)
        else:
            simulate_heat_pump("R744", compressor=DisplacementCompressor(5e-6, eta_vol=0.85, eta_is=0.65, speed_min=50.0),
                               evaporator=HeatExchanger(UA=600.0), gas_cooler=HeatExchanger(UA=400.0),
                               cycle="transcritical", p_high=9.5e6, T_source_in=T_source, T_sink_in=293.0,
                               outputs=["COP_heating"], **{**kw, "sink_mass_flow": 0.04})


def warmup(fluid="R32", *, jobs=1):
    """Compile (or load from the disk cache) the system-solve kernels, serial and parallel,
    for the basic cycle and transcritical CO2 (:func:`warm_system`). Returns the seconds
    taken. ``jobs`` > 1: the two compiled side by side in fresh processes first
    (:mod:`hpcore._warmup`), then loaded here."""
    import time

    from .. import _warmup

    _warmup.check_jobs(jobs)
    t0 = time.perf_counter()
    parts = [("system", k, "R744" if k == "transcritical" else fluid) for k in _warmup.SYSTEM_PARTS]
    _warmup.compile_in_processes(parts, jobs)
    for kind in _warmup.SYSTEM_PARTS:
        warm_system(kind, fluid)
    return time.perf_counter() - t0
