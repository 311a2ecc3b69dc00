"""Feeding surrogate models: (X, y) arrays and Parquet tables from a sweep."""
import itertools
import os
import tempfile

import numpy as np

from .store import open_sweep

FLAGGED_CHOICES = ("drop", "keep")


def _open(data):
    import xarray as xr

    if isinstance(data, xr.Dataset):
        return data
    if isinstance(data, (str, os.PathLike)):
        return open_sweep(data)
    raise ValueError(f"dataset_or_path={data!r}: give an xarray.Dataset from hpcore.sweep or the path of a sweep file")


def _output_names(ds):
    return [k for k in ds.data_vars if "status" != k and ds[k].dims == ds["status"].dims]


def _input_names(ds):
    dims = ds["status"].dims
    names = [d for d in dims if d in ds.coords and ds[d].dtype.kind == "f"]
    names += [k for k in ds.data_vars if ds[k].dims == ("sample",)]
    return names


def _check_names(ds, names, kind, allowed):
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise ValueError(f"{kind}=[]: give at least one name; allowed: {', '.join(allowed)}")
    for name in names:
        if name not in allowed:
            if name in ds.variables and ds[name].dtype.kind in "OUS":
                raise ValueError(
                    f"{kind}: {name!r} holds words, not numbers; select one value first "
                    f"(e.g. ds.sel({name}=...)) or leave it out"
                )
            raise ValueError(f"{kind}: {name!r} is not one of {', '.join(allowed)}")
    return names


def to_training_set(dataset_or_path, inputs=None, outputs=None, *, flagged="drop"):
    """Design matrix and targets from a sweep, for fitting a surrogate.

    Parameters
    ----------
    dataset_or_path : xarray.Dataset or path
        The result of :func:`hpcore.sweep` (or a ``ds.sel(...)`` of it), or a sweep file.
    inputs : list of str, optional
        Numeric inputs, i.e. grid coordinates, sampled input variables or
        fixed (scalar) inputs [SI units]. Default: every axis of the design.
    outputs : list of str, optional
        Output variables. Default: all of them.
    flagged : {"drop", "keep"}
        ``"drop"``: leave out every point whose status is not 0 (flagged by
        the model, or not computed yet) or whose outputs are not finite.
        ``"keep"``: keep every point and append ``status`` as the last column
        of ``y`` (flagged points have NaN outputs).

    Returns
    -------
    X : numpy.ndarray, float64 [n, len(inputs)]
    y : numpy.ndarray, float64 [n, len(outputs)] (+1 column with ``flagged="keep"``)
    """
    import xarray as xr

    if flagged not in FLAGGED_CHOICES:
        raise ValueError(f"flagged={flagged!r}: allowed: {', '.join(FLAGGED_CHOICES)}")
    ds = _open(dataset_or_path)
    if "status" not in ds:
        raise ValueError("dataset_or_path: no 'status' variable; is it a sweep result?")
    all_outputs = _output_names(ds)
    scalars = [k for k, v in ds.coords.items() if v.ndim == 0 and v.dtype.kind == "f"]
    all_inputs = _input_names(ds) + scalars
    inputs = _check_names(ds, all_inputs if inputs is None else inputs, "inputs", all_inputs)
    outputs = _check_names(ds, all_outputs if outputs is None else outputs, "outputs", all_outputs)
    template = ds["status"]
    status = np.asarray(template.values).ravel()
    cols_x = [np.asarray(xr.broadcast(ds[name], template)[0].transpose(*template.dims).values, dtype=np.float64).ravel()
              for name in inputs]
    cols_y = [np.asarray(ds[name].transpose(*template.dims).values, dtype=np.float64).ravel() for name in outputs]
    X = np.column_stack(cols_x) if cols_x else np.empty((status.size, 0))
    y = np.column_stack(cols_y)
    if flagged == "drop":
        keep = (status == 0) & np.all(np.isfinite(y), axis=1)
        return X[keep], y[keep]
    return X, np.column_stack([y, status.astype(np.float64)])


def _blocks(shape, max_points):
    """Index tuples (ints and slices) covering ``shape`` in C order, each <= max_points points."""
    shape = tuple(int(s) for s in shape)
    depth = len(shape)
    inner = 1
    while depth > 0 and inner * shape[depth - 1] <= max_points:
        depth -= 1
        inner *= shape[depth]
    if depth == 0:
        yield tuple(slice(None) for _ in shape)
        return
    d = depth - 1
    step = max(1, max_points // inner)
    for outer in itertools.product(*(range(s) for s in shape[:d])):
        for start in range(0, shape[d], step):
            yield tuple(outer) + (slice(start, min(start + step, shape[d])),) + tuple(
                slice(None) for _ in shape[d + 1:])


def to_parquet(dataset_or_path, path, inputs=None, outputs=None, *, flagged="keep", max_points=1 << 20):
    """Write a sweep as a Parquet table: one row per point, bounded memory.

    Columns: the design's axes (word axes such as ``fluid`` as strings), the
    chosen inputs and outputs, and ``status``; with ``flagged="drop"`` only
    points with status 0 are written. The file is written to a temporary name
    and renamed into place. Needs ``pyarrow`` (extra ``hpcore[surrogate]``).
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError("to_parquet needs pyarrow: pip install 'hpcore[surrogate]'") from exc
    import xarray as xr

    if flagged not in FLAGGED_CHOICES:
        raise ValueError(f"flagged={flagged!r}: allowed: {', '.join(FLAGGED_CHOICES)}")
    ds = _open(dataset_or_path)
    template = ds["status"]
    dims = template.dims
    all_outputs = _output_names(ds)
    all_inputs = _input_names(ds)
    inputs = _check_names(ds, all_inputs if inputs is None else inputs, "inputs", all_inputs)
    outputs = _check_names(ds, all_outputs if outputs is None else outputs, "outputs", all_outputs)
    word_dims = [d for d in dims if d in ds.coords and ds[d].dtype.kind in "OUS"]
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".partial", dir=directory)
    os.close(fd)
    writer = None
    try:
        for key in _blocks(template.shape, max_points):
            sub = ds.isel(dict(zip(dims, key)))
            t = sub["status"]
            status = np.asarray(t.values).ravel()
            cols = {}
            for name in word_dims:
                cols[name] = np.asarray(xr.broadcast(sub[name], t)[0].transpose(*t.dims).values).astype(str).ravel()
            for name in inputs:
                cols[name] = np.asarray(xr.broadcast(sub[name], t)[0].transpose(*t.dims).values,
                                        dtype=np.float64).ravel()
            for name in outputs:
                cols[name] = np.asarray(sub[name].transpose(*t.dims).values, dtype=np.float64).ravel()
            cols["status"] = status.astype(np.int32)
            if flagged == "drop":
                keep = status == 0
                cols = {k: v[keep] for k, v in cols.items()}
            table = pa.table(cols)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
        if writer is None:  # pragma: no cover - a sweep has at least one point
            raise ValueError("dataset_or_path: no points")
        writer.close()
        writer = None
        os.replace(tmp, path)
    except BaseException:
        if writer is not None:
            writer.close()
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
