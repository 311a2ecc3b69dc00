"""Train a small surrogate of the basic cycle's COP on a Sobol sweep; report its error on held-out points.

    python scripts/train_surrogate.py [--fluid R290] [--n 32768] [--out DIR]

1. A scrambled Sobol sweep (``hpcore.sweep``, sampling="sobol") over
   T_evap, T_cond, eta_is and superheat: the training set.
2. A separate Latin-hypercube sweep over the same ranges (another design,
   another seed): the held-out set, never seen in training.
3. A scikit-learn MLP on standardized inputs, fitted to COP_heating of the
   points the cycle model did not flag (``hpcore.to_training_set``).
4. The error on the held-out points: RMSE, median / 99th percentile / max
   relative error; the training set is also written as Parquet.

Needs the extra ``hpcore[surrogate]`` (scikit-learn, pyarrow).
"""
import argparse
import os
import sys
import tempfile
import time

import numpy as np

RANGES = {
    "T_evap": {"low": -20.0, "high": 10.0, "unit": "degC"},
    "T_cond": {"low": 35.0, "high": 60.0, "unit": "degC"},
    "eta_is": (0.55, 0.8),
    "superheat": (2.0, 10.0),
}
INPUTS = list(RANGES)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fluid", default="R290")
    parser.add_argument("--n", type=int, default=1 << 15, help="Sobol training points (a power of two)")
    parser.add_argument("--n-test", type=int, default=4096, help="held-out Latin-hypercube points")
    parser.add_argument("--out", default=None, help="directory for the sweep files (default: a temporary one)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address or file (default: local cluster)")
    args = parser.parse_args(argv)

    try:
        from sklearn.neural_network import MLPRegressor
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError:
        print("this example needs scikit-learn: pip install 'hpcore[surrogate]'", file=sys.stderr)
        return 2
    import distributed

    import hpcore
    from hpcore.sweeps import to_parquet

    out = args.out or tempfile.mkdtemp(prefix="hpcore-surrogate-")
    os.makedirs(out, exist_ok=True)
    common = dict(fluid=args.fluid, axes=RANGES, fixed={"subcooling": 2.0}, outputs=["COP_heating"])

    # one cluster for both sweeps (the embedded default would start one per call)
    with contextlib_client(args.scheduler, distributed) as client:
        t0 = time.perf_counter()
        train = hpcore.sweep(sampling="sobol", n=args.n, seed=1, store=os.path.join(out, "train.h5"),
                             client=client, **common)
        test = hpcore.sweep(sampling="lhs", n=args.n_test, seed=2, store=os.path.join(out, "test.h5"),
                            client=client, **common)
        t_sweep = time.perf_counter() - t0

    X, y = hpcore.to_training_set(train, inputs=INPUTS, outputs=["COP_heating"])
    X_test, y_test = hpcore.to_training_set(test, inputs=INPUTS, outputs=["COP_heating"])
    to_parquet(train, os.path.join(out, "train.parquet"))

    model = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(64, 64), activation="tanh", solver="adam", learning_rate_init=3e-3,
                     max_iter=400, tol=1e-7, n_iter_no_change=30, random_state=0),
    )
    t0 = time.perf_counter()
    model.fit(X, y.ravel())
    t_fit = time.perf_counter() - t0
    pred = model.predict(X_test)
    err = pred - y_test.ravel()
    rel = np.abs(err) / np.abs(y_test.ravel())
    print(f"fluid {args.fluid}: {len(y):,} training points (Sobol, {args.n - len(y)} flagged and left out), "
          f"{len(y_test):,} held-out points (LHS); sweeps {t_sweep:.1f} s, fit {t_fit:.1f} s")
    print(f"held-out COP_heating: RMSE {np.sqrt(np.mean(err**2)):.2e}, relative error median "
          f"{np.median(rel):.2e}, 99th percentile {np.quantile(rel, 0.99):.2e}, max {rel.max():.2e} "
          f"(COP range {y_test.min():.2f}..{y_test.max():.2f})")
    print(f"sweeps and Parquet in {out}")
    return 0


class contextlib_client:
    """A Client on the given scheduler, or on a LocalCluster started (and closed) here."""

    def __init__(self, scheduler, distributed):
        self.scheduler, self.distributed = scheduler, distributed
        self.cluster = None

    def __enter__(self):
        if self.scheduler:
            self.client = self.distributed.Client(self.scheduler)
        else:
            self.cluster = self.distributed.LocalCluster(threads_per_worker=1, processes=True,
                                                         dashboard_address=":0", silence_logs=40)
            self.client = self.distributed.Client(self.cluster)
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


if __name__ == "__main__":
    sys.exit(main())
