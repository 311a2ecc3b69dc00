"""Cycle API: validate, broadcast, run the fused kernels, label the result."""
import functools
from typing import NamedTuple

import numpy as np

from .. import __version__, status as st
from ..properties.api import run_elementwise
from ..properties.tables import load_table
from . import _kernels as K

CYCLES = ("basic", "ihx", "economizer", "two_stage", "cascade", "transcritical")

_REQ = None  # marks a required input
_NAN = float("nan")

_SPEC = {
    "basic": dict(
        inputs=K.BASIC_INPUTS, outputs=K.BASIC_OUTPUTS, states=K.BASIC_STATES,
        kernels=(K.basic_serial, K.basic_parallel),
        defaults=dict(superheat=0.0, subcooling=0.0),
    ),
    "ihx": dict(
        inputs=K.IHX_INPUTS, outputs=K.IHX_OUTPUTS, states=K.IHX_STATES,
        kernels=(K.ihx_serial, K.ihx_parallel),
        defaults=dict(superheat=0.0, subcooling=0.0, eps_ihx=0.5),
    ),
    "economizer": dict(
        inputs=K.ECO_INPUTS, outputs=K.ECO_OUTPUTS, states=K.ECO_STATES,
        kernels=(K.economizer_serial, K.economizer_parallel),
        defaults=dict(superheat=0.0, subcooling=0.0, p_int=_NAN, dT_econ=5.0),
        options=dict(economizer=("flash", "closed")),
    ),
    "two_stage": dict(
        inputs=K.TWO_INPUTS, outputs=K.TWO_OUTPUTS, states=K.TWO_STATES,
        kernels=(K.two_stage_serial, K.two_stage_parallel),
        defaults=dict(superheat=0.0, subcooling=0.0, p_int=_NAN),
    ),
    "cascade": dict(
        inputs=K.CASCADE_INPUTS, outputs=K.CASCADE_OUTPUTS, states=K.CASCADE_STATES,
        kernels=(K.cascade_serial, K.cascade_parallel),
        defaults=dict(superheat=0.0, subcooling=0.0, T_cascade=_NAN, dT_cascade=5.0),
        options=dict(fluid_low=None),
    ),
    "transcritical": dict(
        inputs=K.TC_INPUTS, outputs=K.TC_OUTPUTS, states=K.TC_STATES,
        kernels=(K.transcritical_serial, K.transcritical_parallel),
        defaults=dict(superheat=0.0, p_high=_NAN),
    ),
}

ABSOLUTE = ("m_dot", "Q_heating", "Q_cooling")

UNITS = {
    "COP_heating": "-", "COP_cooling": "-", "p_evap": "Pa", "p_cond": "Pa", "pressure_ratio": "-",
    "T_discharge": "K", "q_evap": "J/kg", "q_cond": "J/kg", "w_comp": "J/kg", "quality_evap_in": "-",
    "D_suction": "kg/m3", "injection_ratio": "-", "mass_flow_ratio": "-", "p_int": "Pa", "p_high": "Pa",
    "T_cascade": "K", "p": "Pa", "T": "K", "h": "J/kg", "s": "J/(kg K)", "m_dot": "kg/s", "P_comp": "W",
    "Q_heating": "W", "Q_cooling": "W", "status": "-",
    "T_evap": "K", "T_cond": "K", "superheat": "K", "subcooling": "K", "eta_is": "-", "eps_ihx": "-",
    "dT_econ": "K", "dT_cascade": "K", "T_gc_out": "K",
}


def _spec(cycle):
    if cycle not in _SPEC:
        raise ValueError(f"cycle={cycle!r} is not a known cycle; choose one of {', '.join(CYCLES)}")
    return _SPEC[cycle]


def cycle_inputs(cycle):
    """Input names of ``cycle`` -> default value (None: required)."""
    spec = _spec(cycle)
    return {name: spec["defaults"].get(name, _REQ) for name in spec["inputs"]}


def cycle_options(cycle):
    """Non-numeric options of ``cycle`` -> allowed values (None: any fluid name)."""
    return dict(_spec(cycle).get("options", {}))


def cycle_outputs(cycle):
    """Flat output names of ``cycle`` (state outputs as ``<var>_<state>``)."""
    return list(_spec(cycle)["outputs"])


def cycle_states(cycle):
    return list(_spec(cycle)["states"])


def _resolve_options(cycle, fluid, options):
    spec = _spec(cycle)
    allowed = spec.get("options", {})
    for key in options:
        if key not in allowed:
            extra = f"; options of {cycle!r}: {', '.join(allowed)}" if allowed else f"; {cycle!r} takes no options"
            raise ValueError(f"unknown argument {key}={options[key]!r} for cycle={cycle!r}{extra}")
    opts = np.zeros(4, dtype=np.int64)
    tables = [load_table(fluid)]
    if cycle == "economizer":
        variant = options.get("economizer", "flash")
        if variant not in allowed["economizer"]:
            raise ValueError(f"economizer={variant!r}: must be one of {allowed['economizer']}")
        opts[0] = K.ECO_FLASH if variant == "flash" else K.ECO_CLOSED
    if cycle == "cascade":
        low = options.get("fluid_low") or fluid
        tables.append(load_table(low))
    return opts, tables


#: outputs equal by construction, bit for bit, in every kernel of the cycle (flagged
#: elements are NaN in all of them): the isobars' pressures, the discharge temperature
#: and the compressor outlet's, an isenthalpic valve's two ends. Where ``evaluate``
#: allocates the result it writes each group's first requested member once and returns
#: the others as views of that row (tests/test_cycles.py checks every group against the
#: kernels writing each row).
SHARED_OUTPUTS = {
    "basic": (("p_evap", "p_1", "p_4"), ("p_cond", "p_2", "p_3"), ("T_discharge", "T_2"), ("h_3", "h_4")),
    "ihx": (("p_evap", "p_1", "p_4", "p_5"), ("p_cond", "p_2", "p_3", "p_6"), ("T_discharge", "T_2"),
            ("h_4", "h_6")),
    "economizer": (("p_evap", "p_1", "p_9"), ("p_int", "p_2", "p_3", "p_6", "p_7"), ("p_cond", "p_4", "p_5"),
                   ("T_discharge", "T_4"), ("T_6", "T_7"), ("h_5", "h_6"), ("h_8", "h_9")),
    "two_stage": (("p_evap", "p_1", "p_8"), ("p_int", "p_2", "p_3", "p_6", "p_7"), ("p_cond", "p_4", "p_5"),
                  ("T_discharge", "T_4"), ("T_3", "T_6", "T_7"), ("h_5", "h_6"), ("h_7", "h_8")),
    "cascade": (("p_evap", "p_L1", "p_L4"), ("p_L2", "p_L3"), ("p_H1", "p_H4"), ("p_cond", "p_H2", "p_H3"),
                ("T_discharge", "T_H2"), ("h_L3", "h_L4"), ("h_H3", "h_H4")),
    "transcritical": (("p_evap", "p_1", "p_4"), ("p_cond", "p_2", "p_3", "p_high"), ("T_discharge", "T_2"),
                      ("h_3", "h_4")),
}


class OutputLayout(NamedTuple):
    """Where a kernel call writes: ``names`` the requested flat outputs in order,
    ``rows`` the kernel's map (output k of the cycle -> its row of the values array, or
    -1: not written), ``where`` each name's row, ``nrows`` the array's rows."""

    names: tuple
    rows: np.ndarray
    where: tuple
    nrows: int


def _output_rows(cycle, outputs, share=True):
    """The :class:`OutputLayout` of ``outputs`` (None: every output). ``share``: the
    members of a :data:`SHARED_OUTPUTS` group get one row, the first requested one's;
    False: a row each, in the order of the names. Layouts are kept (building one took
    about 10 us, half of a one-point ``evaluate``): the same object for the same request,
    not to be modified."""
    key = outputs if outputs is None or isinstance(outputs, str) else tuple(outputs)
    try:
        return _layout_kept(cycle, key, share)
    except TypeError:  # an unhashable entry: _layout names it
        return _layout(cycle, outputs, share)


@functools.lru_cache(maxsize=512)
def _layout_kept(cycle, outputs, share):
    return _layout(cycle, outputs, share)


def _layout(cycle, outputs, share):
    names = cycle_outputs(cycle)
    if outputs is None:
        wanted = names
    else:
        if isinstance(outputs, str):
            outputs = [outputs]
        wanted = []
        states = cycle_states(cycle)
        for o in outputs:
            if o in ("p", "T", "h", "s"):
                wanted.extend(f"{o}_{s}" for s in states)
            elif o in names:
                wanted.append(o)
            elif o in ABSOLUTE + ("P_comp",) or o == "status":
                continue
            else:
                raise ValueError(
                    f"outputs: {o!r} is not an output of cycle={cycle!r}; available: "
                    f"{', '.join(n for n in names if '_' not in n or not n[0] in 'pThs' or n.split('_')[0] not in ('p', 'T', 'h', 's'))}, "
                    "the state variables p, T, h, s (or e.g. T_2), and m_dot, P_comp, Q_heating, Q_cooling"
                )
        wanted = list(dict.fromkeys(wanted))
    source = {}
    if share:
        asked = set(wanted)
        for group in SHARED_OUTPUTS[cycle]:
            first = next((g for g in group if g in asked), None)
            for g in group:
                source[g] = first
    rows = np.full(len(names), -1, dtype=np.int64)
    where, row_of = [], {}
    for name in wanted:
        src = source.get(name) or name
        if src not in row_of:
            row_of[src] = len(row_of)
            rows[names.index(src)] = row_of[src]
        where.append(row_of[src])
    return OutputLayout(tuple(wanted), rows, tuple(where), len(row_of))


def evaluate(fluid, cycle, inputs, outputs=None, *, parallel=None, out=None, **options):
    """Run a cycle kernel on 1-D arrays; the layer under :func:`simulate_cycle` and sweeps.

    Parameters
    ----------
    fluid : str
        Refrigerant (for ``cascade``: the high-temperature circuit's).
    cycle : str
        One of :data:`CYCLES`.
    inputs : dict of str -> 1-D float64 array
        All of the same length; missing optional inputs take their defaults.
    outputs : list of str, optional
        Flat output names (see :func:`cycle_outputs`), or ``"p"``, ``"T"``,
        ``"h"``, ``"s"`` for every state; default all.
    parallel : bool, optional
        Force the parallel (True) or serial (False) kernel; default by size.
    out : (ndarray, ndarray), optional
        Arrays to write into instead of new ones: the values, float64, C-contiguous,
        shape (number of outputs, n) in the order of the flat output names (``p``
        expanded to ``p_1``, ``p_2``, ...), and the status, int32, shape (n,). Every
        element is written. Calls that reuse them skip allocating and first touching
        fresh memory, which for 10^7 points and 19 outputs costs more than the cycles
        (README, Speed).
    **options
        ``economizer="flash"|"closed"``, ``fluid_low=...`` (cascade).

    Returns
    -------
    dict of str -> ndarray, with ``"status"`` (int32): views of ``out`` where given.
    Without ``out``, outputs equal by construction (:data:`SHARED_OUTPUTS`: p_1, p_4
    and p_evap, T_2 and T_discharge, ...) are views of one row, written once; write
    into a copy if you change one in place. ``out`` gets every row written.
    No warning is emitted.
    """
    spec = _spec(cycle)
    opts, tables = _resolve_options(cycle, fluid, options)
    names = cycle_inputs(cycle)
    unknown = [k for k in inputs if k not in names]
    if unknown:
        raise ValueError(f"unknown input {unknown[0]!r} for cycle={cycle!r}; inputs: {', '.join(names)}")
    missing = [k for k, d in names.items() if d is _REQ and k not in inputs]
    if missing:
        raise ValueError(f"cycle={cycle!r} needs input {missing[0]!r} (inputs: {', '.join(names)})")
    n = None
    for k, v in inputs.items():
        v = np.asarray(v)
        if v.ndim != 1:
            raise ValueError(f"input {k!r}: evaluate() takes 1-D arrays, got shape {v.shape}")
        if n is None:
            n = v.shape[0]
        elif v.shape[0] != n:
            raise ValueError(f"input {k!r} has length {v.shape[0]}, others have {n}")
    n = 0 if n is None else n
    # a tuple of the caller's arrays: copying 10**7 points into one 2-D array cost more
    # than the basic cycle itself (about 100 ns a point, mostly first-touch page faults)
    inp = tuple(_kernel_input(inputs[k]) if k in inputs else np.full(n, d, dtype=np.float64) for k, d in names.items())
    lay = _output_rows(cycle, outputs, share=out is None)
    if out is None:
        res = np.empty((lay.nrows, n), dtype=np.float64)
        status = np.empty(n, dtype=np.int32)
    else:
        res, status = _out_arrays(out, lay.nrows, n)
        for k, a in zip(names, inp):
            if np.may_share_memory(a, res) or np.may_share_memory(a, status):
                raise ValueError(f"out: overlaps input {k!r} in memory; the kernels read every input after "
                                 "writing outputs")
    serial, par = spec["kernels"]
    tbls = tuple(t.arrays for t in tables)
    args = (*tbls, inp, opts, lay.rows, res, status)
    if parallel is None:
        run_elementwise(par, serial, args, n)
    elif parallel:
        par(*args)
    else:
        serial(*args)
    out = {name: res[r] for name, r in zip(lay.names, lay.where)}
    out["status"] = status
    return out


def _kernel_input(a):
    """``a`` as the kernels take it: C-contiguous, float64 and writeable. numba types a
    read-only array apart, and every new type compiles the kernel again (2-4 minutes):
    a sweep's chunk of one point, whose fixed inputs are broadcast views, did that."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    return a if a.flags.writeable else a.copy()


def _out_arrays(out, nout, n):
    """``evaluate``'s ``out``, checked: (values, status) as the kernels write them."""
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise ValueError(f"out={type(out).__name__}: must be a pair (values, status) of arrays")
    res, status = out
    for name, a, dtype, shape in (("out[0]", res, np.float64, (nout, n)), ("out[1]", status, np.int32, (n,))):
        if not isinstance(a, np.ndarray):
            raise ValueError(f"{name}={type(a).__name__}: must be a numpy array of {np.dtype(dtype)}, shape {shape}")
        if a.dtype != dtype or a.shape != shape or not a.flags.c_contiguous or not a.flags.writeable:
            raise ValueError(
                f"{name}: {a.dtype}, shape {a.shape}, {'' if a.flags.c_contiguous else 'not '}C-contiguous, "
                f"{'' if a.flags.writeable else 'not '}writeable; must be {np.dtype(dtype)}, shape {shape}, "
                "C-contiguous and writeable")
    if np.shares_memory(res, status):
        raise ValueError("out: the values and the status arrays overlap in memory")
    return res, status


def _as_float_input(name, value):
    try:
        import xarray as xr

        if isinstance(value, xr.DataArray):
            return value.astype(np.float64)
    except ImportError:  # pragma: no cover - xarray is a dependency
        pass
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}={value!r}: must be a number or an array of numbers") from exc
    return arr


def simulate_cycle(fluid, cycle="basic", *, outputs=None, errors="warn", **inputs):
    """Evaluate a heat-pump cycle at every operating point of broadcast inputs.

    Parameters
    ----------
    fluid : str
        Refrigerant (CoolProp name or alias). For ``cascade``, the
        high-temperature circuit's; the low circuit's is ``fluid_low``.
    cycle : {"basic", "ihx", "economizer", "two_stage", "cascade", "transcritical"}
        See docs/cycles.md for the state numbering and definitions.
    outputs : list of str, optional
        Only these outputs (the fast path for sweeps): scalar names,
        ``"p"``, ``"T"``, ``"h"``, ``"s"`` for the state points, absolute
        quantities. Default: everything.
    errors : {"warn", "raise", "ignore"}
        Flagged elements (NaN outputs, see ``status``) are summarized in one
        warning per call, raise, or pass silently.
    **inputs
        ``T_evap``, ``T_cond`` [K] dew-point saturation temperatures;
        ``superheat``, ``subcooling`` [K] >= 0 (default 0); ``eta_is`` [-]
        in (0, 1]; cycle-specific inputs (``eps_ihx``, ``p_int`` [Pa],
        ``dT_econ`` [K], ``T_cascade`` [K], ``dT_cascade`` [K], ``T_gc_out``
        [K], ``p_high`` [Pa]; NaN in ``p_int``, ``T_cascade`` or ``p_high``
        selects the default: geometric mean, docs/cycles.md, COP optimum) and options (``economizer``, ``fluid_low``);
        optionally one of ``m_dot`` [kg/s], ``Q_heating`` [W], ``Q_cooling``
        [W] for absolute quantities. Scalars, numpy arrays and
        ``xarray.DataArray`` broadcast together; DataArray dims label the result.

    Returns
    -------
    xarray.Dataset
        Scalar outputs, state variables ``p``, ``T``, ``h``, ``s`` along a
        ``state`` dimension, and ``status`` (0 = OK, see :class:`hpcore.Status`).

    Examples
    --------
    >>> import hpcore
    >>> ds = hpcore.simulate_cycle("R290", T_evap=273.15, T_cond=308.15, superheat=5.0, subcooling=2.0, eta_is=0.7)
    >>> round(float(ds.COP_heating), 3)
    5.58
    """
    import xarray as xr

    st.check_errors_arg(errors)
    spec = _spec(cycle)
    option_names = set(spec.get("options", {}))
    options = {k: inputs.pop(k) for k in list(inputs) if k in option_names}
    absolute = {k: inputs.pop(k) for k in list(inputs) if k in ABSOLUTE and inputs[k] is not None}
    if len(absolute) > 1:
        raise ValueError(f"give at most one of m_dot, Q_heating, Q_cooling; got {', '.join(absolute)}")
    names = cycle_inputs(cycle)
    for k in inputs:
        if k not in names:
            raise ValueError(
                f"unknown input {k!r} for cycle={cycle!r}; inputs: {', '.join(names)}"
                + (f"; options: {', '.join(option_names)}" if option_names else "")
                + "; absolute: m_dot, Q_heating, Q_cooling"
            )
    for k, d in names.items():
        if d is _REQ and k not in inputs:
            raise ValueError(f"cycle={cycle!r} needs input {k!r} (inputs: {', '.join(names)})")
    values = {k: _as_float_input(k, v) for k, v in {**inputs, **absolute}.items()}
    if any(isinstance(v, xr.DataArray) for v in values.values()):
        for k, v in values.items():
            if not isinstance(v, xr.DataArray) and np.ndim(v) > 0:
                raise ValueError(
                    f"{k}: mixing DataArrays with unlabelled arrays of shape {np.shape(v)} is ambiguous; "
                    "pass a DataArray (with dims) or a scalar"
                )
        das = xr.broadcast(*[v if isinstance(v, xr.DataArray) else xr.DataArray(v) for v in values.values()])
        dims = das[0].dims
        coords = {}
        for d in das:
            for name, c in d.coords.items():
                coords.setdefault(name, c)
        arrays = {k: np.asarray(d.transpose(*dims).values, dtype=np.float64) for k, d in zip(values, das)}
        shape = das[0].shape
    else:
        try:
            b = np.broadcast_arrays(*values.values())
        except ValueError as exc:
            shapes = {k: np.shape(v) for k, v in values.items()}
            raise ValueError(f"inputs do not broadcast together: shapes {shapes}") from exc
        shape = b[0].shape if b else ()
        arrays = dict(zip(values, b))
        dims = ("point",) if len(shape) == 1 else tuple(f"dim_{i}" for i in range(len(shape)))
        coords = {}
    flat = {k: np.ascontiguousarray(v, dtype=np.float64).ravel() for k, v in arrays.items()}
    cycle_in = {k: v for k, v in flat.items() if k in names}
    res = evaluate(fluid, cycle, cycle_in, outputs, **options)
    status = res.pop("status")
    wanted_abs = outputs is None or any(o in ABSOLUTE + ("P_comp",) for o in ([outputs] if isinstance(outputs, str) else outputs))
    if absolute:
        (akey, aval), = ((k, flat[k]) for k in absolute)
        need = ["q_cond", "q_evap", "w_comp"]
        extra = evaluate(fluid, cycle, cycle_in, [o for o in need if o not in res], **options) if any(o not in res for o in need) else {}
        q = {o: res[o] if o in res else extra[o] for o in need}
        bad = ~(np.isfinite(aval) & (aval > 0))
        status = status.copy()
        status[(status == 0) & bad] = np.where(np.isfinite(aval[(status == 0) & bad]), st.OUT_OF_DOMAIN, st.NONFINITE_INPUT)
        if akey == "m_dot":
            m = aval.copy()
        elif akey == "Q_heating":
            m = aval / q["q_cond"]
        else:
            m = aval / q["q_evap"]
        m = np.where(status == 0, m, np.nan)
        if wanted_abs:
            res["m_dot"] = m
            res["P_comp"] = m * q["w_comp"]
            res["Q_heating"] = m * q["q_cond"]
            res["Q_cooling"] = m * q["q_evap"]
        for k in res:
            res[k] = np.where(status == 0, res[k], np.nan)
    st.report(status, errors, f"simulate_cycle({fluid!r}, cycle={cycle!r})")

    states = cycle_states(cycle)
    data = {}
    state_vars = {}
    for name, v in res.items():
        var, _, lab = name.partition("_")
        if var in ("p", "T", "h", "s") and lab in states:
            state_vars.setdefault(var, {})[lab] = v
        else:
            data[name] = (dims, v.reshape(shape), {"units": UNITS.get(name, "")})
    used_states = [s for s in states if any(s in sv for sv in state_vars.values())]
    for var, per in state_vars.items():
        arr = np.full(shape + (len(used_states),), np.nan)
        for k, lab in enumerate(used_states):
            if lab in per:
                arr[..., k] = per[lab].reshape(shape)
        data[var] = (dims + ("state",), arr, {"units": UNITS[var]})
    data["status"] = (dims, status.reshape(shape), {"units": "-", "flags": ", ".join(f"{f.name}={f.value}" for f in st.Status if f.value)})
    if used_states:
        coords = dict(coords)
        coords["state"] = used_states
    tables = [load_table(fluid)]
    attrs = {
        "fluid": tables[0].fluid,
        "cycle": cycle,
        "hpcore_version": __version__,
        "table_digest": tables[0].digest,
        "coolprop_version": tables[0].meta.get("coolprop_version", ""),
    }
    for k, v in options.items():
        attrs[k] = str(v)
    return xr.Dataset(data, coords=coords, attrs=attrs)


def warm_cycle(cycle, fluid="R290"):
    """Compile (or load from the disk cache) one cycle's kernels, serial and parallel
    (the transcritical cycle on R744, the others on ``fluid``)."""
    inputs = dict(T_evap=np.array([270.0, 271.0]), superheat=np.array([5.0, 5.0]), eta_is=np.array([0.7, 0.7]))
    if cycle == "transcritical":
        inputs["T_gc_out"] = np.array([308.0, 309.0])
        fluid = "R744"
    else:
        inputs["T_cond"] = np.array([310.0, 311.0])
    for parallel in (False, True):
        evaluate(fluid, cycle, inputs, parallel=parallel)


def warm_properties(fluid="R290"):
    """Compile (or load) the property look-up kernels, serial and parallel."""
    from ..properties import _kernels as PK

    a = np.array([1e6, 2e6])
    b = np.array([300.0, 310.0])
    out = np.empty(2)
    stat = np.empty(2, dtype=np.int32)
    tbl = load_table(fluid).arrays
    PK.props_serial(tbl, PK.PAIR_PT, PK.OUT_H, a, b, out, stat)
    PK.props_parallel(tbl, PK.PAIR_PT, PK.OUT_H, a, b, out, stat)


def warmup(cycles=CYCLES, fluid="R290", *, jobs=1):
    """Compile (or load from the disk cache) every cycle kernel, serial and parallel, and
    the property kernels. Returns the seconds taken.

    ``jobs`` > 1 compiles the cycles side by side in that many fresh processes first
    (:mod:`hpcore._warmup`), then loads them here: on two cores about half the time
    of ``jobs=1`` from an empty cache. Either way this process then runs the kernels
    as fast as a process that loads them from the cache (until 2026-12-05 a compiling
    process ran the basic cycle 1.15x slower; see :mod:`hpcore._numba`)."""
    import time

    from .. import _warmup

    _warmup.check_jobs(jobs)
    unknown = [c for c in cycles if c not in CYCLES]
    if unknown:
        raise ValueError(f"cycles={list(cycles)!r}: {unknown} unknown; allowed: {list(CYCLES)}")
    t0 = time.perf_counter()
    parts = [("cycle", c, "R744" if c == "transcritical" else fluid) for c in cycles]
    _warmup.compile_in_processes(parts + [("properties", fluid)], jobs)
    for cycle in cycles:
        warm_cycle(cycle, fluid)
    warm_properties(fluid)
    return time.perf_counter() - t0
