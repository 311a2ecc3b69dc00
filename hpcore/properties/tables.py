"""Table files: write atomically, verify on load, cache per process.

One HDF5 file per fluid. Datasets ``par``, ``satx``, ``satT``, ``tab``, ``xg``
(see :mod:`hpcore.properties.layout`), chunked with fletcher32 checksums;
attributes: schema version, hpcore and CoolProp versions, fluid, bounds, grid
sizes, the SHA-256 digest of every dataset, and the accuracy measured against
CoolProp HEOS when the table was built.
"""
import contextlib
import functools
import hashlib
import json
import math
import mmap
import os
import sys
import tempfile
import threading

import numpy as np

from .. import __version__, config
from . import layout as L
from .fluids import resolve_fluid

DATASETS = ("par", "satx", "satT", "tab", "xg")


class TableError(RuntimeError):
    """A table file is missing, corrupt or from another version."""


@functools.lru_cache(maxsize=None)
def _coolprop_version():
    """The installed CoolProp's version, from its package metadata.

    Importing CoolProp takes seconds; a process that only reads tables (a Dask
    worker) never needs it.
    """
    from importlib import metadata

    try:
        return metadata.version("CoolProp")
    except metadata.PackageNotFoundError:  # pragma: no cover - an install without metadata
        import CoolProp

        return CoolProp.__version__


def default_path(fluid, directory=None):
    """Where the table of ``fluid`` lives [path]."""
    name = resolve_fluid(fluid)
    directory = config.table_dir() if directory is None else directory
    return os.path.join(os.fspath(directory), f"{name}.h5")


def _digest(arr):
    return hashlib.sha256(np.ascontiguousarray(arr, dtype=np.float64).tobytes()).hexdigest()


def kernel_tab(tab, out):
    """Region tables reordered for the kernels into flat ``out``: [table, output, x, y, 4].

    The file keeps [table, x, y, output, 4] (see :mod:`hpcore.properties.layout`).
    """
    t = np.asarray(tab, dtype=np.float64).transpose(0, 3, 1, 2, 4)
    out.reshape(t.shape)[...] = t
    return out


_HUGE_PAGE = 2 << 20


def _arena(*sizes):
    """Flat float64 arrays of these sizes, each on a 64-byte line, in one anonymous mapping.

    The mapping starts on a 2 MiB boundary and asks the kernel for transparent
    huge pages where it offers them (Linux): a look-up reads a few random lines
    of these arrays, and with 4 KiB pages most of those reads also miss the
    TLB (measured 1.04-1.06x on (p, T) and (p, h) look-ups, R290, one core).
    """
    offsets, n = [], 0
    for size in sizes:
        offsets.append(n)
        n += size + (-size % 8)
    if hasattr(mmap, "MAP_PRIVATE"):
        # private: a shared anonymous mapping (mmap's default) is shmem, which gets huge
        # pages only where /sys/kernel/mm/transparent_hugepage/shmem_enabled allows
        # (``never`` on this project's machines: before this, no table had huge pages)
        buf = mmap.mmap(-1, n * 8 + _HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    else:  # pragma: no cover - Windows
        buf = mmap.mmap(-1, n * 8 + _HUGE_PAGE)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        buf.madvise(mmap.MADV_HUGEPAGE)
    flat = np.frombuffer(buf, dtype=np.float64)
    start = (-flat.ctypes.data % _HUGE_PAGE) // 8
    return [flat[start + o:start + o + size] for o, size in zip(offsets, sizes)]


def kernel_arrays(stored):
    """The tuple the kernels take, from the arrays as stored in the file.

    ``par`` gains the kernel-only entries (``layout.P_PURE`` ... ``P_FINE``),
    ``xg`` the pressure-bits map and fine-cell records that locate a pressure
    without a logarithm, and ``tab`` is reordered (:func:`kernel_tab`).
    """
    par, satx, satT, tab, xg = (np.asarray(a, dtype=np.float64) for a in stored)
    kpar = np.zeros(L.NPAR_KERNEL)
    kpar[:L.NPAR] = par.ravel()
    # A pure fluid's bubble and dew points are one state; CoolProp's two evaluations
    # of it differ by rounding only (at most 3e-13 K seen, at one node).
    sx = satx.reshape(-1, L.NQX, 2)
    sT = satT.reshape(-1, L.NQT, 2)
    pure = (np.max(np.abs(sx[:, L.QX_TBUB, 0] - sx[:, L.QX_T, 0])) <= 1e-9
            and np.max(np.abs(sT[:, L.QT_LNPB, 0] - sT[:, L.QT_LNP, 0])) <= 1e-12)
    kpar[L.P_PURE] = 1.0 if pure else 0.0

    nx, r = int(par[L.P_NX]), int(par[L.P_REFINE])
    xn = xg.ravel()[:nx]
    cell = np.repeat(np.arange(nx - 1), r)  # 2-D cell of each fine cell
    k = np.tile(np.arange(r), nx - 1)
    width = np.diff(xn)
    xf = np.append(xn[cell] + width[cell] * (k / r), xn[-1])  # fine nodes, ln p
    pf = np.exp(xf)
    nf = len(xf)
    rec = np.zeros((nf, L.FINE_REC))
    rec[:, 0] = pf
    rec[:, 1] = 1.0 / pf
    rec[:-1, 2] = r / width[cell]
    rec[:-1, 3] = cell
    rec[-1, 2:4] = rec[-2, 2:4]
    # dew temperature over each fine cell, the boundary table's Hermite cubic in
    # monomial form: T0 + v (hf T0') + v**2 (...) + v**3 (...), hf the cell's width
    hf = np.append(width[cell] / r, 0.0)
    T0, D0 = sx[:, L.QX_T, 0], sx[:, L.QX_T, 1] * hf
    T1, D1 = np.append(T0[1:], T0[-1]), np.append(sx[1:, L.QX_T, 1] * hf[:-1], 0.0)
    td = rec[:, L.FINE_TDEW:L.FINE_TDEW + 4]
    td[:, 0] = T0
    td[:, 1] = D0
    td[:, 2] = 3.0 * (T1 - T0) - 2.0 * D0 - D1
    td[:, 3] = 2.0 * (T0 - T1) + D0 + D1
    # bins of relative width 2**-bits (in ln p at most that) narrower than the narrowest
    # fine cell, so that a bin holds at most one fine node and one comparison corrects
    bits = max(L.MIN_KEY_BITS, int(math.ceil(-math.log2(np.min(np.diff(xf))))) + 1)
    shift = 52 - bits
    key0 = int(np.float64(par[L.P_PMIN]).view(np.int64)) >> shift
    key1 = int(np.float64(par[L.P_PMAX]).view(np.int64)) >> shift
    lower = (np.arange(key0, key1 + 2, dtype=np.int64) << shift).view(np.float64)  # bin edges
    inside = np.searchsorted(pf, lower[1:], side="left") - np.searchsorted(pf, lower[:-1], side="right")
    if inside.max() > 1:  # cannot happen with the bits above; a wrong cell would be silent
        raise TableError(f"pressure map of table {par[L.P_PMIN]:.6g}..{par[L.P_PMAX]:.6g} Pa: "
                         f"{inside.max()} fine nodes in one bin")
    fmap = np.clip(np.searchsorted(pf, lower[:-1], side="right") - 1, 0, nf - 2)
    # each entry: (fine cell of the bin's lower end, pressure at which the next cell
    # starts); past the last cell a finite sentinel that no pressure in the table reaches
    switch = np.where(fmap + 1 <= nf - 2, pf[np.minimum(fmap + 1, nf - 1)], 1e300)
    fmap = np.stack([fmap.astype(np.float64), switch], axis=1).ravel()
    # saturation cubics on cells of p's bit pattern (filled in below), then the map
    # and the fine-cell records
    bshift = 52 - L.BITS_CELL_BITS
    bkey0 = int(np.float64(par[L.P_PMIN]).view(np.int64)) >> bshift
    bkey1 = int(np.float64(par[L.P_PTOP]).view(np.int64)) >> bshift
    ncell = bkey1 - bkey0 + 1
    kpar[L.P_BKEY0] = float(bkey0 << bshift)  # exact: its low 42 bits are zero
    kpar[L.P_BSHIFT] = bshift
    kpar[L.P_BSCALE] = 2.0 ** -bshift
    kpar[L.P_BNCELL] = ncell
    kpar[L.P_BOFF] = xg.size
    nb = ncell * L.BITS_REC
    pad = -(xg.size + nb + len(fmap)) % 8  # records on 64-byte lines (kxg starts on one)
    kpar[L.P_KEY0] = key0
    kpar[L.P_NKEY] = len(fmap) // 2
    kpar[L.P_FMAP] = xg.size + nb
    kpar[L.P_FINE] = xg.size + nb + len(fmap) + pad
    kpar[L.P_KSHIFT] = shift
    ktab, kxg, ksatx, ksatT = _arena(tab.size, xg.size + nb + len(fmap) + pad + rec.size, satx.size, satT.size)
    kxg[...] = np.concatenate([xg.ravel(), np.zeros(nb), fmap, np.zeros(pad), rec.ravel()])
    ksatx[...] = satx.ravel()
    ksatT[...] = satT.ravel()
    # the sixth array (T_sat grids) is derived from the other five: a placeholder of the
    # same type while they are evaluated, so that every kernel compiles once
    arrays = (kpar, ksatx, ksatT, kernel_tab(tab, ktab), kxg, np.zeros(L.TS_HEADER))
    kxg[xg.size:xg.size + nb] = _saturation_cubics(arrays, bkey0, bshift, ncell).ravel()
    from .tsat import build_tsat

    cyc = build_tsat(arrays, kpar)
    (kcyc,) = _arena(cyc.size)
    kcyc[...] = cyc
    return arrays[:5] + (kcyc,)


def _saturation_cubics(arrays, key0, shift, ncell):
    """The saturation cubics (layout: BITS_*): ``[ncell, BQ_N, 2, 4]`` monomial
    coefficients in t, fitted to the boundary table's interpolant at t = 0, 1/3, 2/3
    and 1 of each cell and checked against it at the other 20 points t = j/24 (a fine
    node of the boundary table inside a cell puts the fit's largest error anywhere);
    NaN (per pair of quantities) where the check fails or the cell leaves [p_min, P_PTOP].
    """
    from . import _kernels as K

    par = arrays[0]
    lo = ((np.arange(ncell, dtype=np.int64) + key0) << shift).view(np.float64)
    hi = ((np.arange(ncell, dtype=np.int64) + key0 + 1) << shift).view(np.float64)
    inside = (lo >= par[L.P_PMIN]) & (hi <= par[L.P_PTOP])
    tfit = np.array([0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0])
    tchk = np.array([j / 24.0 for j in range(1, 24) if j % 8])
    tt = np.concatenate([tfit, tchk])
    pc = np.where(inside, lo, par[L.P_PMIN])
    pp = pc[:, None] + tt[None, :] * np.where(inside, hi - lo, 0.0)[:, None]
    vals = np.empty((pp.size, L.NQX))
    K.boundary_values(arrays, np.ascontiguousarray(pp.ravel()), vals)
    vals = vals.reshape(ncell, len(tt), L.NQX)
    f0, f1, f2, f3 = (vals[:, i, :] for i in range(4))
    # Newton's forward differences at s = 3t, expanded in powers of t
    d1, d2, d3 = f1 - f0, f2 - 2.0 * f1 + f0, f3 - 3.0 * f2 + 3.0 * f1 - f0
    coef = np.stack([f0, 3.0 * (d1 - 0.5 * d2 + d3 / 3.0), 4.5 * (d2 - d3), 4.5 * d3], axis=-1)  # [cell, q, 4]
    tc = tchk[None, :, None]
    fit = coef[:, None, :, 0] + tc * (coef[:, None, :, 1] + tc * (coef[:, None, :, 2] + tc * coef[:, None, :, 3]))
    ref = vals[:, 4:, :]
    # relative errors; h and s, whose zero is a reference state, relative to at least
    # 1 % of the column's largest magnitude
    floor = np.zeros(L.NQX)
    hs = [L.QX_HL, L.QX_HV, L.QX_SL, L.QX_SV, L.QX_HLO, L.QX_HHI, L.QX_SLO, L.QX_SHI]
    floor[hs] = 1e-2 * np.max(np.abs(vals[inside][:, :, hs]), axis=(0, 1))
    scale = np.maximum(np.abs(ref), floor)
    fits = inside[:, None] & np.all(np.abs(fit - ref) <= L.BITS_FIT_TOL * scale, axis=1)  # [cell, q]
    out = np.full((ncell, L.BQ_N, 2, 4), np.nan)
    for j, (ql, qv) in enumerate(L.BQ_QX):  # a pair is held where both its quantities fit
        good = fits[:, ql] & fits[:, qv]
        out[good, j, 0] = coef[good, ql]
        out[good, j, 1] = coef[good, qv]
    return out


class Table:
    """A loaded property table: plain arrays for the kernels plus metadata.

    ``stored`` holds the arrays in their logical shapes (as in the file);
    ``arrays`` is the tuple ``(par, satx, satT, tab, xg, cyc)`` the kernels take,
    each flattened to 1-D (``cyc``: the T_sat grids, :mod:`hpcore.properties.tsat`).
    """

    def __init__(self, arrays, meta, path=None):
        self.stored = tuple(np.ascontiguousarray(a, dtype=np.float64) for a in arrays)
        self.arrays = kernel_arrays(self.stored)
        self.meta = dict(meta)
        self.path = path

    @property
    def fluid(self):
        return self.meta["fluid"]

    @property
    def digest(self):
        return hashlib.sha256("".join(_digest(a) for a in self.stored).encode()).hexdigest()

    def __repr__(self):
        m = self.meta
        return (
            f"Table({m['fluid']!r}, T {m['T_min']:.2f}..{m['T_max']:.2f} K, "
            f"p {m['p_min']:.4g}..{m['p_max']:.4g} Pa, grid {m['nx']}x{m['ny']}, path={self.path!r})"
        )


def write_table(table, path):
    """Write ``table`` to ``path`` atomically (temporary file, fsync, rename)."""
    import h5py

    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            digests = {}
            for name, arr in zip(DATASETS, table.stored):
                chunks = True if arr.ndim > 1 else None
                f.create_dataset(name, data=arr, chunks=chunks, fletcher32=arr.ndim > 1)
                digests[name] = _digest(arr)
            f.attrs["schema_version"] = L.SCHEMA_VERSION
            f.attrs["hpcore_version"] = __version__
            f.attrs["coolprop_version"] = _coolprop_version()
            f.attrs["fluid"] = table.meta["fluid"]
            f.attrs["meta"] = json.dumps(table.meta, sort_keys=True)
            f.attrs["digests"] = json.dumps(digests, sort_keys=True)
            f.flush()
            os.fsync(f.id.get_vfd_handle())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    table.path = path
    return path


def read_table(path, fluid=None):
    """Read and verify a table file; raise :class:`TableError` naming the file if it is bad."""
    import h5py

    path = os.fspath(path)
    how = f"rebuild it with `hpcore tables build {fluid or '<FLUID>'} --force` (or delete the file)"
    if not os.path.exists(path):
        raise TableError(f"table file {path} does not exist; build it with `hpcore tables build {fluid or '<FLUID>'}`")
    try:
        with h5py.File(path, "r") as f:
            schema = int(f.attrs.get("schema_version", -1))
            if schema != L.SCHEMA_VERSION:
                raise TableError(f"table file {path} has schema version {schema}, this hpcore reads {L.SCHEMA_VERSION}: {how}")
            cpv = str(f.attrs.get("coolprop_version", "?"))
            if cpv != _coolprop_version():
                raise TableError(
                    f"table file {path} was built with CoolProp {cpv}, this environment has {_coolprop_version()}: {how}"
                )
            meta = json.loads(f.attrs["meta"])
            digests = json.loads(f.attrs["digests"])
            arrays = []
            for name in DATASETS:
                arr = np.ascontiguousarray(f[name][()], dtype=np.float64)
                if _digest(arr) != digests.get(name):
                    raise TableError(f"table file {path}: dataset {name!r} fails its checksum: {how}")
                arrays.append(arr)
    except TableError:
        raise
    except Exception as exc:  # truncated file, flipped bytes caught by HDF5 or fletcher32, missing keys
        raise TableError(f"table file {path} cannot be read ({type(exc).__name__}: {exc}): {how}") from exc
    if arrays[0].shape != (L.NPAR,):
        raise TableError(f"table file {path}: parameter vector has shape {arrays[0].shape}, expected ({L.NPAR},): {how}")
    if fluid is not None and meta.get("fluid") != resolve_fluid(fluid):
        raise TableError(f"table file {path} holds {meta.get('fluid')!r}, not {resolve_fluid(fluid)!r}: {how}")
    return Table(arrays, meta, path)


def build_table(fluid, path=None, *, progress=None, measure_accuracy=True, **grid):
    """Build the table of ``fluid`` from CoolProp HEOS and write it to ``path``.

    Parameters
    ----------
    fluid : str
        CoolProp name or alias ("R290", "propane", "R-290", "CO2", ...).
    path : path-like, optional
        Output file; default: the cache directory (``HPCORE_TABLE_DIR`` or
        the platform's user cache).
    progress : bool, optional
        Print progress; default: when stderr is a terminal.
    measure_accuracy : bool
        Compare the new table with CoolProp HEOS at ``config.ACCURACY_POINTS``
        random points and store the statistics in the file.
    **grid
        ``nx``, ``ny``, ``nt``, ``refine``, ``stretch`` (see :mod:`hpcore.config`).

    Returns
    -------
    Table
    """
    from .build import build_arrays

    name = resolve_fluid(fluid)
    path = default_path(name) if path is None else os.fspath(path)
    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        print(f"hpcore: building property table for {name} from CoolProp HEOS -> {path}", file=sys.stderr, flush=True)
    *arrays, meta = build_arrays(name, progress=progress, **grid)
    meta["coolprop_version"] = _coolprop_version()
    meta["hpcore_version"] = __version__
    table = Table(arrays, meta)
    if measure_accuracy:
        from .accuracy import measure

        table.meta["accuracy"] = measure(table, n=config.ACCURACY_POINTS, seed=12345)
    write_table(table, path)
    _CACHE.pop(path, None)
    return table


_CACHE = {}
_LOCK = threading.Lock()


@contextlib.contextmanager
def _build_lock(path):
    """Hold an exclusive lock on ``path + ".lock"`` (created if missing) for the block:
    processes that find the same table missing at the same time (the workers of a sweep
    on one machine, parallel test runs, two scripts) build it once, the others wait and
    then read it. POSIX advisory lock (``fcntl.flock``), released when the block ends
    or the process dies; where there is no ``fcntl`` the block runs unlocked (each
    build is still written atomically)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _read_checked(path, name):
    """The table at ``path`` if it exists and passes every check: (table, None); else
    (None, the TableError), or (None, None) when there is no file."""
    if not os.path.exists(path):
        return None, None
    try:
        table = read_table(path, name)
        from .build import default_grid

        want = default_grid(table.meta["fluid"], table.meta["p_min"], table.meta["p_max"])
        have = {k: table.meta.get(k) for k in want}
        if have != want:
            raise TableError(f"table file {path} has grid {have}, this configuration builds {want}")
    except TableError as exc:
        return None, exc
    return table, None


def load_table(fluid, path=None, *, build=True):
    """The table of ``fluid``, loaded once per process.

    With ``path=None`` the table comes from the cache directory; a missing
    table is built (``build=True``) and one that fails its checks is rebuilt
    with a message on stderr; processes that need the same table at the same
    time build it once (a lock file beside it). A table at an explicit ``path``
    that fails its checks raises :class:`TableError` naming the file.
    """
    name = resolve_fluid(fluid)
    explicit = path is not None
    path = default_path(name) if path is None else os.fspath(path)
    with _LOCK:
        table = _CACHE.get(path)
        if table is not None:
            return table
        table, exc = _read_checked(path, name)
        if table is None:
            if explicit or not build:
                if exc is not None:
                    raise exc
                raise TableError(f"table file {path} does not exist; build it with `hpcore tables build {name}`")
            with _build_lock(path):
                # another process may have built it while this one waited
                table, exc = _read_checked(path, name)
                if table is None:
                    if exc is not None:
                        print(f"hpcore: {exc}; rebuilding", file=sys.stderr, flush=True)
                    table = build_table(name, path)
        _CACHE[path] = table
        return table


def list_tables(directory=None):
    """Paths of the table files in the cache directory."""
    directory = config.table_dir() if directory is None else directory
    if not os.path.isdir(directory):
        return []
    # refrigerant tables only (the components layer keeps its secondary-fluid tables here too)
    return sorted(
        os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".h5") and not f.startswith("secondary-")
    )
