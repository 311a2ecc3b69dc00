"""A real sweep on this machine: three refrigerants over a source/sink grid.

``run_demo()`` evaluates the basic cycle of R290, R32 and R1234yf over a grid
of evaporating and condensing temperatures and isentropic efficiencies
(about 3.3 million points) on the embedded LocalCluster, then prints the best
heating COP of each refrigerant with where it occurs, the points per second,
and where the dataset was written. Tables missing from the cache are built
first (about half a minute per fluid, once).
"""
import os
import sys
import tempfile
import time

import numpy as np

DEMO_FLUIDS = ("R290", "R32", "R1234yf")

#: Evaporating -25..+15 degC, condensing 30..70 degC (lift of 15 K at least),
#: isentropic efficiency 0.5..0.8.
DEMO_AXES = {
    "fluid": list(DEMO_FLUIDS),
    "T_evap": {"start": -25.0, "stop": 15.0, "num": 301, "unit": "degC"},
    "T_cond": {"start": 30.0, "stop": 70.0, "num": 301, "unit": "degC"},
    "eta_is": {"start": 0.5, "stop": 0.8, "num": 12},
}
DEMO_FIXED = {"superheat": 5.0, "subcooling": 2.0}
DEMO_OUTPUTS = ["COP_heating", "COP_cooling", "T_discharge", "pressure_ratio", "q_cond"]


def run_demo(out=None, *, client=None, progress=True, stream=None):
    """Run the demo sweep and print a summary; returns the dataset.

    Parameters
    ----------
    out : path, optional
        HDF5 file for the dataset (default: ``hpcore-demo.h5`` in the
        temporary directory). It is recomputed on every run.
    client : distributed.Client or str, optional
        Use an existing cluster instead of starting a local one.
    """
    from .execute import sweep

    stream = sys.stdout if stream is None else stream
    out = os.path.join(tempfile.gettempdir(), "hpcore-demo.h5") if out is None else os.fspath(out)
    t0 = time.perf_counter()
    stats = {}
    ds = sweep(
        "cycle",
        fluid=None,
        axes=DEMO_AXES,
        fixed=DEMO_FIXED,
        outputs=DEMO_OUTPUTS,
        client=client,
        store=out,
        resume=False,
        progress=progress,
        _stats=stats,
    )
    wall = time.perf_counter() - t0
    n = int(ds.attrs["n_points"])
    print(f"hpcore demo: basic cycle, {n:,} points "
          f"({' x '.join(f'{k} {v}' for k, v in ds.sizes.items())}), superheat 5 K, subcooling 2 K", file=stream)
    print(f"{'fluid':>10}  {'best COP_heating':>16}  {'at T_evap':>10}  {'T_cond':>8}  {'eta_is':>6}  "
          f"{'flagged':>8}", file=stream)
    for fluid in ds.fluid.values:
        sub = ds.sel(fluid=fluid)
        cop = sub.COP_heating.values  # one fluid at a time: bounded memory
        status = sub.status.values
        flagged = np.count_nonzero(status)
        if np.all(np.isnan(cop)):
            print(f"{fluid:>10}  {'-':>16}  (all {flagged:,} points flagged)", file=stream)
            continue
        i, j, k = np.unravel_index(np.nanargmax(cop), cop.shape)
        print(f"{fluid:>10}  {cop[i, j, k]:16.3f}  {sub.T_evap.values[i] - 273.15:8.1f} C  "
              f"{sub.T_cond.values[j] - 273.15:6.1f} C  {sub.eta_is.values[k]:6.2f}  {flagged:8,}", file=stream)
    rate = stats.get("points", n) / stats["seconds"] if stats.get("seconds") else float("nan")
    print(f"computed {stats.get('points', 0):,} points in {stats.get('seconds', 0):.1f} s "
          f"({rate:,.0f} points/s; {wall:.1f} s with cluster start-up and tables)", file=stream)
    print(f"dataset: {out}  (open with hpcore.sweeps.open_sweep({out!r}))", file=stream)
    return ds


if __name__ == "__main__":  # pragma: no cover
    run_demo(sys.argv[1] if len(sys.argv) > 1 else None)
