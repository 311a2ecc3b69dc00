"""Models a sweep can run, and how a worker calls them.

A model is resolved once on the client into a small, picklable
:class:`ModelPlan` (input names and defaults, which inputs are words rather
than numbers, the outputs to keep, the fluids whose tables it needs); workers
call :func:`run_plan` with a chunk of contiguous float64 inputs.

``"cycle"``
    :func:`hpcore.cycles.evaluate` with the cycle kind ``cycle=`` (default
    ``"basic"``).
``"heat_pump"``
    the system solve :func:`hpcore.components.solve_heat_pump` (compressor,
    heat exchangers and secondary fluids as word inputs, docs/sweeps.md); if
    hpcore.components cannot be imported, selecting it raises a ``ValueError``.
``"_test"``
    an internal analytic model used by hpcore's own tests of the sweep
    machinery (chunking, storage, resume, faults). It needs no tables:
    ``f = x + y`` (``mode="add"``) or ``x * y`` (``mode="mul"``),
    ``g = x - y``; elements with ``x < 0`` are flagged ``OUT_OF_DOMAIN``
    with NaN outputs. The option ``sleep`` [s] delays every chunk.
"""
import dataclasses
import re
import time

import numpy as np

from .. import status as st

PUBLIC_MODELS = ("cycle", "heat_pump")

#: numeric (per-point) inputs of the heat-pump system solve -> default (None: required)
HEAT_PUMP_INPUTS = {
    "T_source_in": None,
    "source_mass_flow": None,
    "T_sink_in": None,
    "sink_mass_flow": None,
    "superheat": 5.0,
    "subcooling": 2.0,
    "speed": float("nan"),  # NaN: the compressor's maximum speed
    "demand": float("nan"),  # NaN: full load
}
#: per-call inputs of the system solve -> (kind, default; None: required)
HEAT_PUMP_WORDS = {
    "compressor": ("object:Compressor", None),
    "evaporator": ("object:HeatExchanger", None),
    "condenser": ("object:HeatExchanger", None),
    "source": ("object:SecondaryFluid:str", None),
    "sink": ("object:SecondaryFluid:str", None),
    "n_units": ("int", 1),
    "degradation_coefficient": ("fraction", 0.9),
}

_STATE_POINT = re.compile(r"^[pThs]_[LH]?\d+$")


@dataclasses.dataclass(frozen=True)
class ModelPlan:
    """What a worker needs to run a model (picklable, no tables, no xarray)."""

    model: str
    kind: str  # cycle kind for "cycle", "" otherwise
    inputs: dict  # name -> default (None = required), numeric inputs
    words: dict  # name -> default, inputs that take a word (options)
    outputs: tuple  # outputs stored, without "status"
    needs_tables: bool
    rate_hint: float  # rough points/s per thread, to size chunks
    # name -> what a word input takes: a tuple of words, () any word, None a fluid name, "int",
    # "fraction", or "object:<Class>[:str]" (a component object, a table of its arguments, or a word)
    word_allowed: dict = dataclasses.field(default_factory=dict)
    required_words: tuple = ()

    def to_json(self):
        return {"model": self.model, "cycle": self.kind or None, "outputs": list(self.outputs)}


def _cycle_api():
    try:
        from .. import cycles
    except ImportError as exc:  # pragma: no cover - the cycles layer is part of hpcore
        raise ValueError(f"model='cycle' needs hpcore.cycles, which could not be imported: {exc}") from exc
    for attr in ("evaluate", "CYCLES", "cycle_inputs", "cycle_outputs"):
        if not hasattr(cycles, attr):
            raise ValueError(f"model='cycle' needs hpcore.cycles.{attr}, which this build of hpcore does not provide")
    return cycles


# Rough per-thread speeds [points/s] used only to size chunks (about half a second
# of work each); the measured rate is reported, never this.
_CYCLE_RATES = {
    "basic": 2e6,  # measured 2.0e6 basic cycles per CPU second (R290, one thread), Nov 2026
    "ihx": 5e5,
    "economizer": 3e5,
    "two_stage": 3e5,
    "cascade": 3e5,
    "transcritical": 2e4,
}


def _check_outputs(outputs, allowed, default, what):
    if outputs is None:
        return tuple(default)
    if isinstance(outputs, str):
        outputs = [outputs]
    try:
        outputs = list(outputs)
    except TypeError:
        raise ValueError(f"outputs={outputs!r}: must be a list of output names of {what}") from None
    if not outputs:
        raise ValueError(f"outputs=[]: give at least one output of {what}, or None for the default set")
    seen = []
    for name in outputs:
        if name == "status":
            continue  # always stored
        if name not in allowed:
            raise ValueError(f"outputs: {name!r} is not an output of {what}; allowed: {', '.join(allowed)}")
        if name not in seen:
            seen.append(name)
    return tuple(seen)


def resolve_model(model, options):
    """Validate ``model`` and its options; return ``(plan, remaining_options)``.

    ``options`` are the keyword options of :func:`hpcore.sweep` other than the
    spec itself: ``cycle=`` and ``outputs=`` are consumed here, the rest are
    word inputs of the model (e.g. ``economizer="flash"``), returned as they
    are for the caller to merge with the axes and fixed values.
    """
    options = dict(options)
    outputs = options.pop("outputs", None)
    if model == "cycle":
        cycles = _cycle_api()
        kind = options.pop("cycle", "basic")
        if kind not in cycles.CYCLES:
            raise ValueError(f"cycle={kind!r} is not a cycle; allowed: {', '.join(cycles.CYCLES)}")
        inputs = dict(cycles.cycle_inputs(kind))
        word_allowed = dict(cycles.cycle_options(kind)) if hasattr(cycles, "cycle_options") else {}
        words = {}
        for name, allowed_values in word_allowed.items():
            words[name] = allowed_values[0] if allowed_values else None
        allowed = list(cycles.cycle_outputs(kind))
        default = [o for o in allowed if not _STATE_POINT.match(o)]
        outs = _check_outputs(outputs, allowed, default, f"cycle={kind!r}")
        plan = ModelPlan("cycle", kind, inputs, words, outs, True, _CYCLE_RATES.get(kind, 1e6), word_allowed)
        return plan, options
    if model == "heat_pump":
        if "cycle" in options:
            raise ValueError("cycle= applies to model='cycle' only, not to model='heat_pump'")
        try:
            from ..components import system
        except ImportError:
            system = None
        if system is None or not hasattr(system, "solve_heat_pump"):
            raise ValueError(
                "model='heat_pump' is not available yet: hpcore.components does not provide solve_heat_pump "
                "(the heat-pump system solve); use model='cycle'"
            )
        allowed = list(system.SYSTEM_OUTPUTS)
        default = list(getattr(system, "DEFAULT_OUTPUTS", allowed))
        outs = _check_outputs(outputs, allowed, default, "model='heat_pump'")
        words = dict(HEAT_PUMP_WORDS)
        plan = ModelPlan("heat_pump", "", dict(HEAT_PUMP_INPUTS), {k: v[1] for k, v in words.items()}, outs, True,
                         5e4, {k: v[0] for k, v in words.items()},
                         tuple(k for k, v in words.items() if v[1] is None))
        return plan, options
    if model == "_test":
        if "cycle" in options:
            raise ValueError("cycle= applies to model='cycle' only")
        outs = _check_outputs(outputs, ["f", "g"], ["f", "g"], "model='_test'")
        return ModelPlan("_test", "", {"x": None, "y": 1.0}, {"mode": "add", "sleep": "0"}, outs, False, 2e7,
                         {"mode": ("add", "mul"), "sleep": ()}), options
    raise ValueError(f"model={model!r} is not a sweep model; allowed: {', '.join(PUBLIC_MODELS)}")


def _run_test_model(inputs, outputs, mode="add", sleep="0"):
    x = inputs["x"]
    y = inputs.get("y")
    if y is None:
        y = np.ones_like(x)
    delay = float(sleep)
    if delay > 0:
        time.sleep(delay)
    bad = ~(x >= 0)
    with np.errstate(all="ignore"):
        f = x * y if mode == "mul" else x + y
        g = x - y
    f[bad] = np.nan
    g[bad] = np.nan
    status = np.where(bad, np.int32(st.OUT_OF_DOMAIN), np.int32(st.OK)).astype(np.int32)
    res = {"f": f, "g": g}
    out = {k: res[k] for k in outputs}
    out["status"] = status
    return out


_COMPONENTS_CACHE = {}


def materialize(name, value):
    """A component from its description: an object as is, a word (secondary fluid name) or a table
    of constructor arguments (``type`` names the class; nested tables with ``type`` are built too)."""
    from .. import components

    if isinstance(value, str):
        return components.SecondaryFluid(value)
    if not isinstance(value, dict):
        return value
    key = (name, repr(sorted(value.items(), key=lambda kv: kv[0])))
    hit = _COMPONENTS_CACHE.get(key)
    if hit is not None:
        return hit
    args = dict(value)
    default = {"evaporator": "HeatExchanger", "condenser": "HeatExchanger", "source": "SecondaryFluid",
               "sink": "SecondaryFluid"}.get(name)
    cls_name = args.pop("type", default)
    if cls_name is None or not hasattr(components, cls_name):
        raise ValueError(f"{name}: type={cls_name!r} is not a class of hpcore.components")

    def build(v):
        if isinstance(v, dict) and "type" in v:
            return materialize(name, v)
        if isinstance(v, list):
            return [build(x) for x in v]
        return v

    obj = getattr(components, cls_name)(**{k: build(v) for k, v in args.items()})
    _COMPONENTS_CACHE[key] = obj
    return obj


def _run_heat_pump(plan, fluid, inputs, words):
    from ..components import solve_heat_pump

    w = {k: v[1] for k, v in HEAT_PUMP_WORDS.items()}
    w.update(words)
    objs = {k: materialize(k, w[k]) for k in ("compressor", "evaporator", "condenser", "source", "sink")}
    return solve_heat_pump(
        fluid, objs["compressor"], objs["evaporator"], objs["condenser"], source=objs["source"], sink=objs["sink"],
        n_units=int(w["n_units"]), degradation_coefficient=float(w["degradation_coefficient"]),
        outputs=list(plan.outputs), errors="ignore", as_dataset=False, **inputs,
    )


def run_plan(plan, fluid, inputs, words, parallel):
    """Run ``plan`` on one chunk: dict of 1-D arrays (outputs and ``status``)."""
    if plan.model == "cycle":
        from ..cycles import evaluate

        return evaluate(fluid, plan.kind, inputs, list(plan.outputs), parallel=parallel, **words)
    if plan.model == "heat_pump":
        return _run_heat_pump(plan, fluid, inputs, words)
    if plan.model == "_test":
        return _run_test_model(inputs, plan.outputs, **words)
    raise ValueError(f"model={plan.model!r} is not a sweep model")  # pragma: no cover


_WARM_VALUES = {"T_evap": 270.0, "T_cond": 310.0, "T_gc_out": 308.0, "eta_is": 0.7}


def warm(plan, fluids, words=None):
    """Load tables and compile the model's kernels in this process (once per worker)."""
    if not plan.needs_tables:
        return
    from ..properties import load_table
    from ..properties.tables import TableError

    for f in fluids:
        # never built here: a Dask worker is a daemonic process (the build uses processes) and
        # the client builds every table the sweep needs before submitting anything
        try:
            load_table(f, build=False)
        except TableError as exc:
            import os
            import socket

            from .. import config

            raise TableError(
                f"worker on {socket.gethostname()} (pid {os.getpid()}) has no usable property table for {f}: {exc}. "
                f"Its HPCORE_TABLE_DIR is {config.table_dir()}; point every worker at the client's tables "
                "(a shared directory) or build them there with `hpcore tables build`"
            ) from None
    if plan.model == "cycle":
        from ..cycles import evaluate

        inputs = {k: np.full(2, _WARM_VALUES.get(k, 1.0 if d is None else d), dtype=np.float64)
                  for k, d in plan.inputs.items()}
        opts = {k: v for k, v in (words or {}).items() if v is not None}
        for parallel in (False, True):  # the serial and the parallel kernel
            evaluate(fluids[0], plan.kind, inputs, list(plan.outputs), parallel=parallel, **opts)
