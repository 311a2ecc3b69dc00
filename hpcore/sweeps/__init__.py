"""Design-space sweeps: grids, Sobol' and LHS designs on Dask, into resumable HDF5.

``hpcore.sweep(...)`` evaluates a model (``"cycle"``) over a design space and
returns an ``xarray.Dataset`` read from the sweep file; ``hpcore sweep
SPEC.toml`` does the same from a TOML file. ``to_training_set`` and
``to_parquet`` feed surrogate models. See ``docs/sweeps.md``.
"""
from .execute import sweep
from .spec import build_spec, load_toml
from .store import NOT_COMPUTED, SweepStoreError, open_sweep
from .training import to_parquet, to_training_set

__all__ = ["sweep", "open_sweep", "to_training_set", "to_parquet", "build_spec", "load_toml", "SweepStoreError",
           "NOT_COMPUTED"]
