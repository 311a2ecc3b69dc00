"""Running a sweep: chunks on Dask workers, one writer on the client, resumable.

- The design is cut into chunks (contiguous ranges of points within one
  fluid / word-option block) of about half a second of kernel time each, never
  below about 0.1 s unless the whole design is smaller.
- A task receives the chunk's description (grid: the axis values and an
  index range, filled on the worker by a compiled loop; sampled: the sampled
  inputs, scattered), runs the compiled model with numba threads pinned, and
  returns plain arrays.
- Tables are loaded and kernels compiled once per worker process: a setup
  task on every worker, submitted with the first chunks (collected, and the
  workers' table digests checked, before the first result is written), and
  again lazily in a task for a worker that joined (or was restarted) later.
- A grid sweep's first chunks are submitted before its file is created: the
  workers compute while the client writes the header.
- The client keeps a bounded number of futures in flight (``as_completed``),
  writes each finished chunk into the HDF5 file itself (the only writer) and
  flags it done; it never holds more than the in-flight results.
- The embedded default (:func:`embedded_client`) runs the Dask worker's
  threads inside the client's process, with Dask's housekeeping slowed down.
"""
import contextlib
import datetime
import math
import os
import sys
import tempfile
import threading
import time
import uuid
import weakref

import numpy as np

from .. import __version__, config
from . import sampling as smp
from . import store as sto
from .models import run_plan, warm
from .progress import Progress
from .spec import build_spec, fresh_seed

#: Target kernel time of one task [s], and the floor below which a chunk is
#: not split further to feed more workers.
TASK_SECONDS = 0.5
MIN_TASK_SECONDS = 0.1
#: Chunks per worker thread when the design is big enough: a short tail (the last
#: chunks leave threads idle) without going below ``MIN_TASK_SECONDS``.
CHUNKS_PER_THREAD = 16
#: Largest chunk [points], whatever the model's speed (bounds memory per task).
MAX_CHUNK = 1 << 22
#: Largest result of one task [bytes]: with the in-flight bound, this caps the client's memory.
MAX_CHUNK_BYTES = 64 << 20
#: Futures in flight per worker thread (bounds the client's memory).
IN_FLIGHT_PER_THREAD = 2
#: Attempts per chunk when its worker dies (on top of the scheduler's own retries).
MAX_ATTEMPTS = 3


# --- worker side ----------------------------------------------------------------------

_WORKER = {"warm": set(), "digests": {}, "setups": 0}  # per process: what is loaded and compiled
#: SHA-256 of each loaded table, per Table object: hashing R290's 33 MB of arrays takes about 50 ms,
#: once per process rather than once per sweep (a rebuilt table is loaded as a new object).
_TABLE_DIGESTS = weakref.WeakKeyDictionary()


def _table_digest(fluid, build):
    from ..properties import load_table

    table = load_table(fluid, build=build)
    digest = _TABLE_DIGESTS.get(table)
    if digest is None:
        digest = _TABLE_DIGESTS[table] = table.digest
    return digest


def _numba_threads(threads_by_host):
    try:
        from distributed import get_worker
        from distributed.comm import get_address_host

        host = get_address_host(get_worker().address)
    except Exception:  # noqa: BLE001 - not inside a worker (e.g. a synchronous test run)
        host = None
    n = threads_by_host.get(host) or threads_by_host.get(None) or 1
    import numba

    n = max(1, min(int(n), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(n)  # per calling thread: set in every task
    return n


_SETUP_LOCK = threading.Lock()


def worker_setup(plan, fluids, threads_by_host):
    """Load tables and compile kernels in this process (idempotent); return table digests.

    Under a lock: the set-up task and the first chunk of another Dask thread of the same worker
    may arrive together; the second waits for the first instead of loading and compiling again."""
    _numba_threads(threads_by_host)
    key = (plan.model, plan.kind)
    with _SETUP_LOCK:
        todo = [f for f in fluids if (key, f) not in _WORKER["warm"]]
        if todo:
            warm(plan, todo)
            _WORKER["setups"] += 1
            for f in todo:
                _WORKER["warm"].add((key, f))
                if plan.needs_tables:
                    _WORKER["digests"][f] = _table_digest(f, build=False)
        return {f: _WORKER["digests"].get(f) for f in fluids}


def run_chunk(plan, fluids, fluid, words, fixed, grid_axes, lo, hi, samples, threads_by_host):
    """One task: the model on points ``lo..hi-1`` of a block; returns (results, seconds)."""
    worker_setup(plan, fluids, threads_by_host)
    _numba_threads(threads_by_host)
    t0 = time.perf_counter()
    m = hi - lo
    if samples is None:
        inputs = smp.grid_inputs(grid_axes, lo, hi)
    else:
        inputs = dict(samples)
    for name, value in fixed.items():
        if plan.model == "cycle":
            # a read-only broadcast view of the one value: evaluate() passes a C-contiguous
            # writeable input through and copies the rest (a view of more than one element is
            # not contiguous), so each fixed input is allocated and filled only there
            inputs[name] = np.broadcast_to(np.float64(value), (m,))
        else:
            inputs[name] = np.full(m, value, dtype=np.float64)
    # The parallel kernel also with one numba thread: as fast per CPU second as the serial variant
    # (measured 1.97e6 and 2.00e6 basic cycles per CPU second on a 312,500-point chunk); the serial
    # one only where thread start-up dominates.
    res = run_plan(plan, fluid, inputs, words, parallel=m >= config.SERIAL_THRESHOLD)
    out = {name: np.ascontiguousarray(res[name], dtype=np.float64) for name in plan.outputs}
    out["status"] = np.ascontiguousarray(res["status"], dtype=np.int32)
    return out, time.perf_counter() - t0


# --- client side ------------------------------------------------------------------------

def default_store(spec):
    d = os.path.join(tempfile.gettempdir(), "hpcore-sweeps")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, f"sweep-{spec.digest(with_seed=False)[:16]}.h5")


def _spec_diff(stored, current):
    diffs = []
    for key in sorted(set(stored) | set(current)):
        a, b = stored.get(key), current.get(key)
        if a != b:
            if isinstance(a, dict) and isinstance(b, dict):
                for sub in sorted(set(a) | set(b)):
                    if a.get(sub) != b.get(sub):
                        diffs.append(f"{key}.{sub}: stored {_short(a.get(sub))}, now {_short(b.get(sub))}")
            else:
                diffs.append(f"{key}: stored {_short(a)}, now {_short(b)}")
    return diffs


def _short(x):
    s = repr(x)
    return s if len(s) < 80 else s[:77] + "..."


def _provenance(spec, digests):
    from importlib import metadata

    try:  # from the installed distribution: importing CoolProp takes seconds
        cp_version = metadata.version("CoolProp")
    except metadata.PackageNotFoundError:  # pragma: no cover
        cp_version = ""
    return {
        "hpcore_version": __version__,
        "coolprop_version": cp_version,
        "table_digests": digests,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
    }


def _client_digests(spec):
    if not spec.plan.needs_tables:
        return {}
    from ..properties.tables import default_path

    out = {}
    for f in spec.fluids:
        if not os.path.exists(default_path(f)):
            print(f"hpcore sweep: building the property table of {f} (once; about half a minute)",
                  file=sys.stderr, flush=True)
        out[f] = _table_digest(f, build=True)
    return out


def _samples_iter(spec):
    d = len(spec.num_axes)
    ranges = [(lo, hi) for _, lo, hi in spec.num_axes]
    gen = smp.sobol_blocks if spec.sampling == "sobol" else smp.lhs_blocks
    for start, pts in gen(d, spec.n, spec.seed):
        yield start, smp.scale(pts, ranges)


@contextlib.contextmanager
def _connect(client, n_workers):
    """Yield a distributed Client: the given one, one connected to an address or
    scheduler file, or an embedded LocalCluster closed on exit."""
    import distributed

    if isinstance(client, distributed.Client):
        yield client
        return
    if client is not None:
        if not isinstance(client, (str, os.PathLike)):
            raise ValueError(
                f"client={client!r}: give a distributed.Client, a scheduler address ('tcp://host:8786') "
                "or the path of a scheduler file"
            )
        target = os.fspath(client)
        try:
            if os.path.isfile(target):
                c = distributed.Client(scheduler_file=target, timeout="30s")
            else:
                c = distributed.Client(target, timeout="30s")
        except OSError as exc:
            raise ValueError(f"client={target!r}: cannot connect to a Dask scheduler ({exc})") from None
        try:
            yield c
        finally:
            c.close()
        return
    with embedded_client(n_workers) as c:
        yield c


#: Dask settings of the embedded cluster, for its lifetime. On a machine whose every core runs a
#: kernel thread, the cluster's own housekeeping takes CPU time from the kernels: with Dask's
#: defaults an idle one-worker cluster used about 4 % of a core in each of its processes (ticks
#: every 20 ms, memory checks every 100 ms, system monitor every 0.5 s) and the worker's profiler
#: samples every thread's stack every 10 ms. The sweep needs none of these at that rate.
EMBEDDED_DASK_CONFIG = {
    "distributed.admin.tick.interval": "500ms",  # event-loop latency probe
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,  # statistical profiler of the task threads
    "distributed.scheduler.work-stealing": False,  # one worker by default: nothing to steal
}


@contextlib.contextmanager
def embedded_client(n_workers=None):
    """The embedded default: a LocalCluster on this machine and its Client, closed on exit.

    ``n_workers=None``: the Dask worker runs inside this process with one thread per core. The
    kernels release the GIL, so its threads run side by side; the results need no serialization
    or transfer between processes (the writer reads them where they were computed); the tables
    are loaded once, in the process that checked their digests; and no second process runs its
    own event loop on cores the kernels need. Measured on 2 cores at 1e7 points: 6 % of the CPU
    time outside the kernel threads, against 12-16 % with one worker process (its nanny, its
    event loop, the transfer of every result).

    ``n_workers=k``: k worker processes with cores / k threads each (isolation: a crashing
    kernel takes down its worker, whose chunks are recomputed elsewhere, not the sweep).
    """
    import logging

    import dask
    import distributed

    cores = _usable_cores()
    in_process = n_workers is None
    nw = 1 if in_process else int(n_workers)
    with dask.config.set(EMBEDDED_DASK_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=nw,
            threads_per_worker=max(1, cores // nw),
            processes=not in_process,
            dashboard_address=":0",  # a free port: 8787 may be taken by another cluster on this machine
            silence_logs=logging.ERROR,
        )
        try:
            c = distributed.Client(cluster)
            try:
                yield c
            finally:
                c.close()
        finally:
            cluster.close()


def _worker_setups():
    return _WORKER["setups"]


def _usable_cores():
    """Cores this process may run on (CPU affinity, e.g. a batch job's allocation)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _threads_by_host(client):
    """Numba threads per Dask worker thread on each host, so that workers x threads = cores."""
    info = client.scheduler_info(n_workers=-1) if _accepts_n_workers(client) else client.scheduler_info()
    workers = info.get("workers", {})
    from distributed.comm import get_address_host

    cores = client.run(_usable_cores)
    per_host_threads, per_host_cores = {}, {}
    for addr, w in workers.items():
        host = get_address_host(addr)
        per_host_threads[host] = per_host_threads.get(host, 0) + int(w.get("nthreads", 1))
        per_host_cores[host] = int(cores.get(addr) or 1)
    out = {h: max(1, per_host_cores[h] // max(1, t)) for h, t in per_host_threads.items()}
    total = sum(per_host_threads.values())
    return out, max(1, total)


def _accepts_n_workers(client):
    import inspect

    try:
        return "n_workers" in inspect.signature(client.scheduler_info).parameters
    except (TypeError, ValueError):  # pragma: no cover
        return False


def _choose_chunk(spec, total_threads, numba_threads):
    rate = spec.plan.rate_hint * max(1, numba_threads)
    target = int(rate * TASK_SECONDS)
    floor = max(1, int(rate * MIN_TASK_SECONDS))
    # enough chunks to keep every worker thread busy (and balance the tail)
    balanced = math.ceil(spec.n_points / (CHUNKS_PER_THREAD * total_threads))
    chunk = max(min(target, balanced), floor)
    # bytes per point moved: outputs (float64), status (int32) and sampled inputs (float64)
    per_point = 8 * len(spec.plan.outputs) + 4 + (8 * len(spec.num_axes) if spec.sampling != "grid" else 0)
    return int(max(1, min(chunk, MAX_CHUNK, MAX_CHUNK_BYTES // per_point, spec.block)))


def sweep(model="cycle", *, fluid=None, axes=None, fixed=None, sampling="grid", n=None, seed=None, client=None,
          store=None, resume=True, progress=True, chunk_size=None, n_workers=None, **model_options):
    """Evaluate a model over a design space, on Dask, into a resumable HDF5 file.

    Parameters
    ----------
    model : {"cycle", "heat_pump"}
        ``"cycle"`` runs :func:`hpcore.cycles.evaluate` with ``cycle=`` (default
        ``"basic"``); ``"heat_pump"`` the system solve
        :func:`hpcore.components.solve_heat_pump` (docs/sweeps.md).
    fluid : str
        The refrigerant, unless ``axes`` has a ``"fluid"`` axis (a list of names).
    axes : dict
        Input name -> values. Grid: a list of values, ``{"start", "stop",
        "num"}`` (``numpy.linspace``) or ``{"values": [...]}``; sampled
        designs: ``(low, high)`` or ``{"low", "high"}``. Word inputs
        (``fluid``, ``economizer``, ``fluid_low``) take lists of words. Add
        ``"unit": "degC"`` (``bar``, ``kPa``, ``MPa``, ``%``, ``kW``) to give
        values in another unit; otherwise base SI [K, Pa, W, kg/s, -].
    fixed : dict, optional
        Input name -> one value (same forms, without the list).
    sampling : {"grid", "sobol", "lhs"}
        Full factorial (one dimension per axis), scrambled Sobol' (``n`` a
        power of two, else a warning) or Latin hypercube over the ranges.
    n : int
        Number of samples (sobol, lhs); the word axes multiply it.
    seed : int, optional
        Seed of the sample; None draws one (recorded in the dataset).
    client : distributed.Client or str, optional
        An existing client, a scheduler address or a scheduler-file path.
        None starts a LocalCluster on this machine (a worker inside this
        process with one thread per core, see :func:`embedded_client`) and
        closes it at the end.
    store : path, optional
        The HDF5 file. None: a file in the temporary directory named after
        the spec, so that the same sweep run again resumes it.
    resume : bool
        Reuse the chunks already stored in ``store`` (refused when the stored
        spec differs). False replaces an existing file.
    progress : bool
        Progress bar on stderr.
    chunk_size : int, optional
        Points per task (default: about half a second of kernel time). A resumed
        sweep keeps the stored value.
    n_workers : int, optional
        Worker processes of the embedded LocalCluster, each with cores /
        n_workers threads. Default: no worker process, the worker's threads
        run in this process.
    **model_options
        ``cycle=``, ``outputs=`` (list of output names; default: the scalar
        outputs of the cycle) and word inputs such as ``economizer="flash"``.

    Returns
    -------
    xarray.Dataset
        Read lazily from ``store`` (see :func:`hpcore.sweeps.open_sweep`).

    Raises
    ------
    ValueError
        Spec errors, before anything is submitted; a stored sweep with another
        spec (or other tables).
    hpcore.sweeps.SweepStoreError
        The file cannot be created or written (what was stored stays resumable).
    """
    hooks = {k: model_options.pop(k) for k in list(model_options) if k.startswith("_")}
    spec = build_spec(model, fluid=fluid, axes=axes, fixed=fixed, sampling=sampling, n=n, seed=seed,
                      **model_options)
    if chunk_size is not None and (not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1):
        raise ValueError(f"chunk_size={chunk_size!r}: must be an integer >= 1 (points per task)")
    if n_workers is not None and (not isinstance(n_workers, (int, np.integer)) or n_workers < 1):
        raise ValueError(f"n_workers={n_workers!r}: must be an integer >= 1")
    if n_workers is not None and client is not None:
        raise ValueError("n_workers= applies to the embedded cluster only, not with client=")

    path = default_store(spec) if store is None else os.fspath(store)
    if os.path.isdir(path):
        raise ValueError(f"store={path!r} is a directory; give a file name, e.g. {os.path.join(path, 'sweep.h5')!r}")

    existing = None
    if os.path.exists(path) and resume:
        existing = sto.read_header(path)
        stored = existing["spec"]
        if spec.sampling != "grid" and spec.seed is None:
            spec.seed = stored.get("seed")  # an unseeded call resumes the stored sample
        current = spec.to_json()
        if stored != current:
            diffs = _spec_diff(stored, current)
            raise ValueError(
                f"store={path!r} holds a different sweep ({'; '.join(diffs)}); refusing to mix them. "
                "Use another store=, or resume=False to replace it."
            )
    if spec.sampling != "grid" and spec.seed is None:
        spec.seed = fresh_seed()

    digests = _client_digests(spec)
    if existing is not None:
        stored_digests = existing["provenance"].get("table_digests", {})
        changed = [f for f in digests if stored_digests.get(f) != digests[f]]
        if changed:
            raise ValueError(
                f"store={path!r} was computed with other property tables for {', '.join(changed)} "
                "(their digests differ); refusing to mix them. Use another store=, or resume=False."
            )
    else:
        _check_writable(path)

    if existing is not None and bool(np.all(existing["done"])):
        if progress:
            print(f"hpcore sweep: all {int(existing['n_points']):,} points already stored in {path}",
                  file=sys.stderr, flush=True)
        _report(hooks, computed=[], points=0, seconds=0.0, kernel_seconds=0.0)
        return sto.open_sweep(path)

    with _connect(client, n_workers) as c:
        threads_by_host, total_threads = _threads_by_host(c)
        numba_threads = min(threads_by_host.values()) if threads_by_host else 1
        if existing is None:
            cs = int(chunk_size) if chunk_size is not None else _choose_chunk(spec, total_threads, numba_threads)
            cs = min(cs, spec.block)
            done = None
        else:
            cs, done = int(existing["chunk_size"]), existing["done"].astype(bool)
        _run(c, spec, path, cs, done, threads_by_host, total_threads, digests, progress, hooks)
    return sto.open_sweep(path)


def _submit_setup(c, plan, fluids, threads_by_host):
    """Submit :func:`worker_setup` once to every worker, as tasks (in the workers' thread pools, so
    that loading tables and compiling kernels never blocks a worker's event loop)."""
    workers = list(c.scheduler_info(**({"n_workers": -1} if _accepts_n_workers(c) else {})).get("workers", {}))
    return {addr: c.submit(worker_setup, plan, fluids, threads_by_host, workers=[addr], allow_other_workers=False,
                           pure=False, key=f"hpcore-setup-{i}-{time.time_ns()}")
            for i, addr in enumerate(workers)}


def _collect_setup(c, futs):
    """Wait for the set-up tasks of :func:`_submit_setup`: {address: digests} (a worker that died
    meanwhile is left out; a restarted worker is set up by its first task)."""
    from distributed import wait

    out = {}
    pending = dict(futs)
    while pending:
        try:
            wait(list(pending.values()), timeout=2.0, return_when="FIRST_COMPLETED")
        except TimeoutError:  # nothing finished within 2 s: check who is still alive
            pass
        alive = set(c.scheduler_info(**({"n_workers": -1} if _accepts_n_workers(c) else {})).get("workers", {}))
        for addr, fut in list(pending.items()):
            if fut.done():
                del pending[addr]
                try:
                    out[addr] = fut.result()
                except Exception as exc:  # noqa: BLE001
                    if not _is_worker_loss(exc):
                        raise
                finally:
                    fut.release()
            elif addr not in alive:  # gone (a restarted worker is set up by its first task)
                del pending[addr]
                fut.cancel()
    return out


def _check_writable(path):
    """Fail before any work when the store cannot be created (probe with a real file)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise sto.SweepStoreError(f"store={path!r}: directory {directory} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=".hpcore-probe-", dir=directory)
    except OSError as exc:
        raise sto.SweepStoreError(
            f"store={path!r}: cannot write in {directory} ({exc.strerror or exc}); nothing was computed"
        ) from None
    os.close(fd)
    os.unlink(probe)
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise sto.SweepStoreError(f"store={path!r}: the file exists and is not writable")


def _report(hooks, **stats):
    target = hooks.get("_stats")
    if isinstance(target, dict):
        target.update(stats)


def _run(c, spec, path, chunk_size, done, threads_by_host, total_threads, digests, progress, hooks):
    """Compute the chunks not flagged in ``done`` (None: a new sweep, whose file is created here)
    and write each result as it completes.

    A grid chunk needs nothing from the file: its first tasks are submitted before the file is
    created and opened, so the workers compute while the client writes the header and reserves
    the space (for a sampled design the tasks read their samples from the file, so it comes
    first). Nothing is written before the file exists and the workers' table digests match.
    """
    from distributed import as_completed

    block = spec.block
    cpb, n_chunks = sto.chunk_layout(block, spec.n_blocks, chunk_size)
    fresh = done is None
    if fresh:
        done = np.zeros(n_chunks, dtype=bool)
    if len(done) != n_chunks:
        raise sto.SweepStoreError(f"{path}: its chunk table does not match its spec; the file is damaged")
    todo = [k for k in range(n_chunks) if not done[k]]
    done_points = spec.n_points - sum(_chunk_len(k, block, chunk_size, cpb) for k in todo)
    bar = Progress(spec.n_points, done_points, enabled=progress)

    # tables and kernels once per worker process, before its first chunk (a chunk sets up a worker
    # that joined later); submitted first, collected before the first result is written
    fluids_all = spec.fluids
    setup = _submit_setup(c, spec.plan, fluids_all, threads_by_host)
    grid_axes = list(spec.num_axes) if spec.sampling == "grid" else None
    sample_names = [name for name, _, _ in spec.num_axes] if spec.sampling != "grid" else []
    # the spec's digest names the sweep's tasks on the dashboard; a nonce keeps them apart from
    # those of another run of the same spec on the cluster (an interrupted run's cancellation,
    # or results still held for it, would otherwise reach this run's tasks of the same key)
    token = f"{spec.digest()[:10]}-{uuid.uuid4().hex[:8]}"
    attempts = {}
    pending = {}
    max_in_flight = max(4, IN_FLIGHT_PER_THREAD * total_threads + 2)
    on_chunk = hooks.get("_on_chunk")
    writer = None

    def submit(k):
        b, lo, hi, gstart = sto.chunk_range(k, block, chunk_size, cpb)
        fluid, words = spec.block_words(b)
        samples = None
        if sample_names:
            cols = writer.read_samples(sample_names, lo, hi)
            # a list, not a dict: scatter would use a dict's keys as the data's keys
            futs = c.scatter([cols[name] for name in sample_names], hash=False)
            samples = dict(zip(sample_names, futs))
        attempts[k] = attempts.get(k, 0) + 1
        fut = c.submit(
            run_chunk, spec.plan, fluids_all, fluid, words, dict(spec.fixed), grid_axes, lo, hi, samples,
            threads_by_host, key=f"hpcore-sweep-{token}-{k}-{attempts[k]}", pure=False, retries=1,
        )
        pending[fut.key] = (k, gstart, hi - lo, samples)
        return fut

    queue = iter(todo)
    ac = as_completed()
    peak = [0]

    def add(k):
        ac.add(submit(k))
        peak[0] = max(peak[0], ac.count())

    def fill():
        for k in queue:
            add(k)
            if ac.count() >= max_in_flight:
                break

    try:
        if not sample_names:
            fill()
        if fresh:
            samples = _samples_iter(spec) if spec.sampling != "grid" else None
            sto.create(path, spec, _provenance(spec, digests), chunk_size, samples)
        writer = sto.Writer(path)
        if len(writer.done) != n_chunks or int(writer.file.attrs["chunk_size"]) != chunk_size:
            raise sto.SweepStoreError(f"{path}: its chunk table does not match its spec; the file is damaged")
        worker_digests = _collect_setup(c, setup)
        setup = {}
        for addr, dig in worker_digests.items():
            for f, d in dig.items():
                if digests.get(f) is not None and d != digests[f]:
                    raise ValueError(
                        f"worker {addr} has another property table for {f} (digest {str(d)[:12]}..., the client "
                        f"has {digests[f][:12]}...); point HPCORE_TABLE_DIR of every worker at the same tables"
                    )
        if sample_names:
            fill()

        computed = []
        kernel_seconds = 0.0
        t0 = time.perf_counter()
        interrupted = False
        try:
            for fut in ac:
                k, gstart, m, samples = pending.pop(fut.key)
                if fut.status == "error":
                    exc = fut.exception()
                    fut.release()
                    if _is_worker_loss(exc) and attempts[k] < MAX_ATTEMPTS:
                        add(k)
                        continue
                    raise RuntimeError(f"chunk {k} (points {gstart}..{gstart + m - 1}) failed: {exc!r}") from exc
                results, secs = fut.result()
                fut.release()
                if samples is not None:
                    for sf in samples.values():
                        sf.release()
                kernel_seconds += secs
                if not writer.done[k]:  # a chunk is stored once, whatever the retries
                    try:
                        writer.write(k, gstart, results)
                    except OSError as exc:
                        stored = int(writer.done.sum())
                        raise sto.SweepStoreError(
                            f"store={path!r}: writing chunk {k} failed ({exc}); the {stored} of {n_chunks} chunks "
                            "stored so far are kept: free space (or fix the file's permissions) and run the same "
                            "sweep again to compute only the missing ones"
                        ) from exc
                    computed.append(k)
                del results
                bar.update(m)
                if on_chunk is not None:
                    on_chunk(k)
                nxt = next(queue, None)
                if nxt is not None:
                    add(nxt)
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            _cancel(c, ac)
            elapsed = time.perf_counter() - t0
            stored = int(writer.done.sum())
            if interrupted or stored < n_chunks:
                bar.close(f"hpcore sweep: stopped; {stored} of {n_chunks} chunks are stored in {path}; "
                          "run the same sweep again to compute only the missing ones")
            else:
                bar.close(f"hpcore sweep: {spec.n_points:,} points stored in {path}")
            points = sum(_chunk_len(k, block, chunk_size, cpb) for k in computed)
            _report(hooks, computed=computed, points=points, seconds=elapsed, kernel_seconds=kernel_seconds,
                    chunk_size=chunk_size, n_chunks=n_chunks, peak_in_flight=peak[0],
                    in_flight_limit=max_in_flight, attempts=dict(attempts))
    finally:
        _cancel(c, ac)  # e.g. the file could not be created: the chunks submitted so far are dropped
        if setup:
            try:
                c.cancel(list(setup.values()))
            except Exception:  # noqa: BLE001 - best effort while unwinding
                pass
        if writer is not None:
            writer.close()


def _cancel(c, ac):
    try:
        futs = list(ac.futures) if hasattr(ac, "futures") else []
        if futs:
            c.cancel(futs)
        ac.clear()
    except Exception:  # noqa: BLE001 - best effort while unwinding
        pass


def _chunk_len(k, block, chunk_size, cpb):
    _, lo, hi, _ = sto.chunk_range(k, block, chunk_size, cpb)
    return hi - lo


def _is_worker_loss(exc):
    try:
        from distributed.scheduler import KilledWorker
    except ImportError:  # pragma: no cover
        KilledWorker = ()
    from distributed.comm.core import CommClosedError

    return isinstance(exc, (KilledWorker, CommClosedError, ConnectionError, OSError))

