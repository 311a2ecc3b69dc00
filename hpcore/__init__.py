"""hpcore: vapour-compression heat-pump cycles in bulk.

Phase-aware property tables from CoolProp HEOS, Numba-compiled cycle
kernels, and Dask sweeps over whole design spaces.
"""
__version__ = "0.1.0"

from .status import Status  # noqa: E402

__all__ = [
    "__version__",
    "Status",
    "props",
    "build_table",
    "load_table",
    "simulate_cycle",
    "simulate_heat_pump",
    "solve_heat_pump",
    "sweep",
    "to_training_set",
]


def __getattr__(name):
    # imported lazily: numba compilation and CoolProp are not needed to import hpcore
    if name in ("props", "build_table", "load_table"):
        from . import properties

        return getattr(properties, name)
    if name == "simulate_cycle":
        from .cycles import simulate_cycle

        return simulate_cycle
    if name in ("simulate_heat_pump", "solve_heat_pump"):
        from . import components

        return getattr(components, name)
    if name in ("sweep", "to_training_set"):
        from . import sweeps as _sweep

        return getattr(_sweep, name)
    raise AttributeError(f"module 'hpcore' has no attribute {name!r}")
