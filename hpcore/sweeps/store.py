"""The sweep file: HDF5, one writer, resumable, opened as an ``xarray.Dataset``.

Layout (format ``hpcore-sweep/1``)::

    /                       attrs: spec (canonical JSON), spec_digest, provenance,
                            chunk_size, n_points, block, n_chunks, dims, shape
    /data/<output>          float64 [n_points], points in storage order
    /data/status            int32   [n_points]
    /done                   uint8   [n_chunks], 1 once a chunk's data are stored
    /samples/<input>        float64 [n] (sobol / lhs only): the sampled inputs

Storage order is C order over the dataset's dimensions: word axes (fluid,
word options) first, then the grid axes or the ``sample`` dimension, so that
one chunk (a contiguous range of points) never mixes fluids.

Why the file survives a killed writer: it is created complete in a temporary
file (every dataset allocated up front, contiguous, disk space reserved with
``posix_fallocate``) and renamed into place; afterwards the writer only
overwrites raw data inside allocated extents, so HDF5's metadata never change.
A chunk's data are written, flushed and synced to the disk (``fsync``) before its
``done`` flag is written, which is then flushed and synced in turn, so a chunk
without its flag is simply computed again and overwritten in place: no point
is lost and none is duplicated, whether the writer was killed (the data reached
the operating system at the flush) or the machine went down (the data reached the
disk before the flag could). Points of chunks not yet done read as NaN with status -1.
"""
import json
import os
import tempfile

import h5py
import numpy as np

FORMAT = "hpcore-sweep/1"
#: status of points not computed yet (an interrupted sweep)
NOT_COMPUTED = -1


class SweepStoreError(OSError):
    """The sweep file cannot be created, opened or written."""


def chunk_layout(block, n_blocks, chunk_size):
    cpb = -(-block // chunk_size)
    return cpb, n_blocks * cpb


def chunk_range(k, block, chunk_size, cpb):
    """(block index, start within block, stop within block, global start) of chunk ``k``."""
    b, j = divmod(k, cpb)
    lo = j * chunk_size
    hi = min(lo + chunk_size, block)
    return b, lo, hi, b * block + lo


def _contiguous(group, name, n, dtype):
    space = h5py.h5s.create_simple((max(int(n), 1),)) if n else h5py.h5s.create_simple((0,))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.CONTIGUOUS)
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
    h5py.h5d.create(group.id, name.encode(), h5py.h5t.py_create(np.dtype(dtype)), space, dcpl=dcpl)


def create(path, spec, provenance, chunk_size, samples=None):
    """Create the sweep file at ``path`` atomically (temporary file, then rename).

    ``samples`` is an iterator of ``(start, [column, ...])`` blocks for sampled
    designs, written into the temporary file before it appears under ``path``.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise SweepStoreError(f"store={path!r}: directory {directory} does not exist")
    block, n_blocks = spec.block, spec.n_blocks
    cpb, n_chunks = chunk_layout(block, n_blocks, chunk_size)
    try:
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".partial", dir=directory)
    except OSError as exc:
        raise SweepStoreError(f"store={path!r}: cannot create a file in {directory} ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["format"] = FORMAT
            f.attrs["spec"] = spec.canonical()
            f.attrs["spec_digest"] = spec.digest()
            f.attrs["spec_digest_without_seed"] = spec.digest(with_seed=False)
            f.attrs["provenance"] = json.dumps(provenance, sort_keys=True)
            f.attrs["chunk_size"] = int(chunk_size)
            f.attrs["n_points"] = int(spec.n_points)
            f.attrs["block"] = int(block)
            f.attrs["n_chunks"] = int(n_chunks)
            f.attrs["dims"] = json.dumps(list(spec.dims))
            f.attrs["shape"] = json.dumps([int(s) for s in spec.shape])
            data = f.create_group("data")
            for name in spec.plan.outputs:
                _contiguous(data, name, spec.n_points, np.float64)
            _contiguous(data, "status", spec.n_points, np.int32)
            f.create_dataset("done", data=np.zeros(n_chunks, dtype=np.uint8))
            if spec.sampling != "grid":
                grp = f.create_group("samples")
                for name, _, _ in spec.num_axes:
                    _contiguous(grp, name, spec.n, np.float64)
                if samples is not None:
                    for start, cols in samples:
                        for (name, _, _), col in zip(spec.num_axes, cols):
                            grp[name][start : start + len(col)] = col
        size = os.path.getsize(tmp)
        fd = os.open(tmp, os.O_RDWR)
        try:
            if hasattr(os, "posix_fallocate"):
                os.posix_fallocate(fd, 0, size)  # reserve the space now: a full disk fails here, not midway
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SweepStoreError(
                f"store={path!r}: cannot create the sweep file ({exc.strerror or exc}); nothing was stored"
            ) from exc
        raise


def read_header(path):
    """Attributes of a sweep file (raises SweepStoreError when it is not one)."""
    try:
        with h5py.File(path, "r") as f:
            if f.attrs.get("format") != FORMAT:
                raise SweepStoreError(f"{path}: not an hpcore sweep file (format {f.attrs.get('format')!r})")
            head = {k: f.attrs[k] for k in f.attrs}
            head["done"] = f["done"][:]
            head["outputs"] = [k for k in f["data"] if k != "status"]
    except OSError as exc:
        if isinstance(exc, SweepStoreError):
            raise
        raise SweepStoreError(f"{path}: cannot be opened as a sweep file ({exc})") from None
    head["spec_json"] = str(head["spec"])
    for key in ("spec", "provenance", "dims", "shape"):
        head[key] = json.loads(head[key])
    return head


class Writer:
    """The one writer of a sweep file (never pickled; lives in the client process)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        try:
            self.file = h5py.File(self.path, "r+")
        except OSError as exc:
            raise SweepStoreError(
                f"store={self.path!r}: cannot be opened for writing ({exc}); is another sweep writing it, "
                "or is the file read-only?"
            ) from None
        self.data = {k: self.file["data"][k] for k in self.file["data"]}
        self.done_ds = self.file["done"]
        self.done = self.done_ds[:].astype(bool)
        # a descriptor of the same file for fsync, which writes the file's dirty pages to the
        # disk whichever descriptor wrote them (h5py's own is not exposed)
        self._fd = os.open(self.path, os.O_RDONLY)

    def _sync(self):
        self.file.flush()  # HDF5's buffers to the operating system
        os.fsync(self._fd)  # and on to the disk

    def write(self, k, start, results):
        """Store chunk ``k``'s results at ``start``: the data, synced to the disk, then the
        flag, synced in turn."""
        stop = None
        for name, ds in self.data.items():
            arr = results[name]
            stop = start + len(arr)
            ds[start:stop] = arr
        self._sync()
        self.done_ds[k] = 1
        self._sync()
        self.done[k] = True

    def read_samples(self, names, start, stop):
        return {n: np.ascontiguousarray(self.file["samples"][n][start:stop]) for n in names}

    def close(self):
        if self.file is not None:
            try:
                self.file.close()
            finally:
                self.file = None
                os.close(self._fd)


def status_counts(path, block=1 << 22):
    """Counts of points by status value, read block by block: {status: count}."""
    counts = {}
    with h5py.File(path, "r") as f:
        ds = f["data"]["status"]
        done = f["done"][:].astype(bool)
        chunk_size, blk = int(f.attrs["chunk_size"]), int(f.attrs["block"])
        cpb = -(-blk // chunk_size)
        n = ds.shape[0]
        for start in range(0, n, block):
            s = ds[start : start + block]
            idx = np.arange(start, start + len(s), dtype=np.int64)
            b, r = np.divmod(idx, blk)
            s = np.where(done[b * cpb + r // chunk_size], s, NOT_COMPUTED)
            vals, cnt = np.unique(s, return_counts=True)
            for v, c in zip(vals.tolist(), cnt.tolist()):
                counts[v] = counts.get(v, 0) + c
    return counts


# --- opening as an xarray.Dataset ---------------------------------------------------------

def _backend_array_class():
    from xarray.backends import BackendArray
    from xarray.core import indexing

    class FlatArray(BackendArray):
        """Lazy N-D view of a flat dataset of a sweep file; not-done chunks read as missing."""

        def __init__(self, path, name, shape, dtype, block, chunk_size, cpb, done, fill):
            self.path, self.name = path, name
            self.shape, self.dtype = tuple(shape), np.dtype(dtype)
            self.block, self.chunk_size, self.cpb = block, chunk_size, cpb
            self.done, self.fill = done, fill

        def __getitem__(self, key):
            return indexing.explicit_indexing_adapter(key, self.shape, indexing.IndexingSupport.OUTER, self._raw)

        def _raw(self, key):
            per_dim = []
            squeeze = []
            for size, k in zip(self.shape, key):
                ar = np.arange(size, dtype=np.int64)[k]
                if np.ndim(ar) == 0:
                    squeeze.append(True)
                    ar = np.atleast_1d(ar)
                else:
                    squeeze.append(False)
                per_dim.append(ar)
            out_shape = tuple(len(a) for a in per_dim)
            if 0 in out_shape:
                res = np.empty(out_shape, dtype=self.dtype)
            else:
                flat = np.ravel_multi_index(np.ix_(*per_dim), self.shape) if per_dim else np.zeros((), np.int64)
                lo, hi = int(flat.min()), int(flat.max()) + 1
                with h5py.File(self.path, "r") as f:
                    raw = f["data"][self.name][lo:hi]
                res = raw[flat - lo]
                b, r = np.divmod(flat, self.block)
                chunk = b * self.cpb + r // self.chunk_size
                missing = ~self.done[chunk]
                if missing.any():
                    res = res.copy()
                    res[missing] = self.fill
            sq = tuple(i for i, s in enumerate(squeeze) if s)
            return res.reshape(out_shape).squeeze(axis=sq) if sq else res.reshape(out_shape)

    return FlatArray, indexing


_UNITS = {"p": "Pa", "T": "K", "h": "J/kg", "s": "J/(kg K)"}


def output_unit(name):
    if name.startswith("COP") or name.startswith("quality") or name in ("pressure_ratio", "injection_ratio",
                                                                          "mass_flow_ratio", "status"):
        return "1"
    if name.startswith(("q_", "w_")):
        return "J/kg"
    if name.startswith(("Q_", "P_")):
        return "W"
    if name == "m_dot":
        return "kg/s"
    head = name.split("_", 1)[0]
    return _UNITS.get(head, "")


def open_sweep(path):
    """Open a sweep file as a lazily read ``xarray.Dataset``.

    Grid designs: the inputs are coordinates, one dimension per axis (word
    axes such as ``fluid`` first). Sampled designs: the inputs are variables
    along ``sample``. Fixed inputs are scalar coordinates. Outputs and
    ``status`` are variables; points of chunks not computed yet read as NaN
    with ``status == -1``. The attributes carry the provenance: hpcore and
    CoolProp versions, table digests, the spec (JSON) and the seed.
    """
    import xarray as xr

    from .spec import si_unit

    path = os.fspath(path)
    head = read_header(path)
    spec = head["spec"]
    dims, shape = head["dims"], head["shape"]
    block, chunk_size = int(head["block"]), int(head["chunk_size"])
    cpb = -(-block // chunk_size)
    done = head["done"].astype(bool)
    FlatArray, indexing = _backend_array_class()

    data_vars, coords = {}, {}
    for name in head["outputs"] + ["status"]:
        dtype = np.int32 if name == "status" else np.float64
        fill = NOT_COMPUTED if name == "status" else np.nan
        arr = FlatArray(path, name, shape, dtype, block, chunk_size, cpb, done, fill)
        attrs = {"units": output_unit(name)}
        if name == "status":
            attrs = {"flag_meanings": "bit flags of hpcore.Status; 0 = OK, -1 = not computed yet"}
        data_vars[name] = xr.Variable(dims, indexing.LazilyIndexedArray(arr), attrs=attrs)

    axes = spec["axes"]
    for name in spec["axis_order"]:
        ax = axes[name]
        if "values" in ax:
            vals = ax["values"]
            arr = np.array(vals, dtype=object if vals and isinstance(vals[0], str) else np.float64)
            if arr.dtype == object:
                arr = arr.astype(str)
            coords[name] = xr.Variable((name,), arr, attrs={"units": si_unit(name)} if arr.dtype.kind == "f" else {})
    if spec["sampling"] != "grid":
        with h5py.File(path, "r") as f:
            for name in spec["axis_order"]:
                if "low" in axes[name]:
                    data_vars[name] = xr.Variable(
                        ("sample",), f["samples"][name][:],
                        attrs={"units": si_unit(name), "low": axes[name]["low"], "high": axes[name]["high"]},
                    )
        coords["sample"] = np.arange(int(spec["n"]), dtype=np.int64)
    for name, value in spec["fixed"].items():
        coords[name] = xr.Variable((), value, attrs={"units": si_unit(name)})
    for name, value in spec["options"].items():
        if not isinstance(value, (str, int, float)):
            value = json.dumps(value, sort_keys=True)  # a component's description, as text
        coords[name] = xr.Variable((), value)
    if spec.get("fluid") is not None:
        coords["fluid"] = xr.Variable((), spec.get("fluid_label") or spec["fluid"])

    prov = head["provenance"]
    attrs = {
        "title": "hpcore sweep",
        "model": spec["model"],
        "cycle": spec.get("cycle") or "",
        "sampling": spec["sampling"],
        "seed": -1 if spec.get("seed") is None else int(spec["seed"]),
        "hpcore_version": prov.get("hpcore_version", ""),
        "coolprop_version": prov.get("coolprop_version", ""),
        "table_digests": json.dumps(prov.get("table_digests", {}), sort_keys=True),
        "spec": head["spec_json"],
        "spec_digest": str(head["spec_digest"]),
        "created": prov.get("created", ""),
        "n_points": int(head["n_points"]),
        "chunks_done": int(done.sum()),
        "n_chunks": int(head["n_chunks"]),
        "complete": int(done.all()),
        "source": path,
    }
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    ds.encoding["source"] = path
    return ds
