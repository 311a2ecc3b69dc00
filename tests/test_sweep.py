"""The sweep machinery: specs, designs, storage, resume, faults, CLI.

Most tests here use the internal analytic model ``"_test"`` (f = x + y or
x * y, g = x - y, x < 0 flagged OUT_OF_DOMAIN), whose exact values are known,
so that chunking, storage and fault handling are checked point by point
without property tables. ``tests/test_sweep_cycle.py`` runs the real cycle
model. One real LocalCluster of worker processes serves the module.
"""
import argparse
import errno
import json
import os
import signal
import sys

import numpy as np
import pytest

import hpcore
from hpcore import status as st
from hpcore.sweeps import SweepStoreError, build_spec, load_toml, open_sweep, sampling as smp
from hpcore.sweeps import store as sto

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


AXES = {"x": {"start": -1.0, "stop": 1.0, "num": 41}, "y": [1.0, 2.0, 3.0], "mode": ["add", "mul"]}


def expected(x, y, mode):
    f = x + y if mode == "add" else x * y
    bad = (x < 0) & (y == y)  # broadcast like f
    return np.where(bad, np.nan, f), np.where(bad, np.nan, x - y), np.where(bad, st.OUT_OF_DOMAIN, 0)


def check_grid(ds):
    """Every point of the _test grid equals the formula."""
    assert ds.f.dims == ("mode", "x", "y")
    x = ds.x.values[:, None]
    y = ds.y.values[None, :]
    for i, mode in enumerate(ds.mode.values):
        f, g, s = expected(x, y, str(mode))
        np.testing.assert_array_equal(ds.f.values[i], f)
        np.testing.assert_array_equal(ds.g.values[i], g)
        np.testing.assert_array_equal(ds.status.values[i], s)


# --- spec errors, before anything is submitted ------------------------------------------------

BAD_SPECS = [
    (dict(axes={"z": [1.0]}), "axes['z']"),
    (dict(axes={"x": []}), "empty axis"),
    (dict(axes={"x": {"start": 0, "stop": 1, "num": 0}}), "empty axis"),
    (dict(axes={"x": {"start": 2, "stop": 1, "num": 3}}), "start=2 > stop=1"),
    (dict(axes={"x": [0.5, 0.1]}, sampling="lhs", n=8), "low=0.5 > high=0.1"),
    (dict(axes={"x": {"low": 0.5, "high": 0.1}}, sampling="sobol", n=8), "low=0.5 > high=0.1"),
    (dict(axes={"x": [1.0]}, sampling="grid", n=8), "n=8"),
    (dict(axes={"x": [1.0]}, sampling="random"), "sampling='random'"),
    (dict(axes={"x": [0.1, 0.2]}, sampling="sobol"), "n=None"),
    (dict(axes={"y": [1.0]}), "needs x"),
    (dict(axes={"x": [1.0]}, fixed={"x": 2.0}), "both an axis and fixed"),
    (dict(axes={"x": [1.0]}, fixed={"w": 2.0}), "fixed['w']"),
    (dict(axes={"x": ["a", "b"]}), "x takes numbers"),
    (dict(axes={"x": [1.0], "mode": [1, 2]}), "mode takes words"),
    (dict(axes={"x": [1.0]}, colour="red"), "colour='red'"),
    (dict(axes={"x": [1.0, 1.0]}), "duplicate"),
    (dict(axes={"x": [1.0]}, outputs=["h"]), "outputs: 'h'"),
    (dict(axes={"x": [1.0]}, chunk_size=0), "chunk_size=0"),
]


@pytest.mark.parametrize("kwargs, message", BAD_SPECS)
def test_spec_errors_raise_before_submission(tmp_path, kwargs, message):
    path = tmp_path / "s.h5"
    kwargs = dict(kwargs)
    kwargs.setdefault("fluid", "A")
    # client=object() would fail at connection: the spec error must come first
    with pytest.raises(ValueError) as info:
        hpcore.sweep("_test", client=object(), store=path, progress=False, **kwargs)
    assert message in str(info.value)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_unknown_model_is_named():
    with pytest.raises(ValueError, match="model='cycles'.*allowed: cycle, heat_pump"):
        build_spec("cycles", fluid="R290", axes={"T_evap": [270.0]})


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("T_evap", [-10.0, 0.0], "must be > 0.*degC"),
        ("T_evap", [10.0, 20.0], "below 100 K.*degC"),
        ("superheat", [-1.0, 5.0], "superheat is a temperature difference.*>= 0"),
        ("eta_is", [70.0], "above 1.*percent"),
        ("eta_is", [0.0, 0.5], "must be > 0"),
        ("p_int", [3.0], "below 1 kPa.*bar"),
        ("T_evap", {"start": 0, "stop": 10, "num": 3, "unit": "F"}, "allowed units for T_evap: K, degC"),
        ("superheat", {"values": [1, 2], "unit": "degC"}, "temperature difference; allowed units: K"),
    ],
)
def test_wrong_unit_or_sign_is_named(name, value, message):
    from hpcore.sweeps.spec import _parse_values

    with pytest.raises(ValueError, match=message) as info:
        _parse_values(f"axes[{name!r}]", name, value, "grid", False)
    assert f"axes[{name!r}]" in str(info.value)


def test_units_spelled_out_convert_to_si():
    from hpcore.sweeps.spec import _fixed_value, _parse_values

    kind, vals = _parse_values("a", "T_evap", {"start": -10, "stop": 10, "num": 3, "unit": "degC"}, "grid", False)
    np.testing.assert_allclose(vals, [263.15, 273.15, 283.15], rtol=0, atol=1e-12)
    assert _fixed_value("f", "p_int", {"value": 5, "unit": "bar"}, False) == 5e5
    assert _fixed_value("f", "eta_is", {"value": 70, "unit": "%"}, False) == 0.7  # exactly, as typed in SI
    assert _parse_values("a", "T_cond", {"low": 30, "high": 50, "unit": "degC"}, "sobol", False) == (
        "range", 303.15, 323.15)


def test_sobol_n_not_power_of_two_warns():
    with pytest.warns(UserWarning, match="power of two"):
        build_spec("_test", fluid="A", axes={"x": [0.0, 1.0]}, sampling="sobol", n=1000, seed=1)


def test_toml_and_keyword_forms_say_the_same(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text(
        """
model = "_test"
fluid = "A"
sampling = "lhs"
n = 64
seed = 7
outputs = ["f"]
out = "result.h5"

[axes]
x = { low = 0.0, high = 2.0 }
mode = ["add", "mul"]

[fixed]
y = 3.0

[options]
sleep = "0"
"""
    )
    kwargs, out = load_toml(toml)
    assert out == "result.h5"
    a = build_spec(**kwargs)
    b = build_spec("_test", fluid="A", axes={"x": (0.0, 2.0), "mode": ["add", "mul"]}, fixed={"y": 3.0},
                   sampling="lhs", n=64, seed=7, outputs=["f"], sleep="0")
    assert a.canonical() == b.canonical()
    assert a.digest() == b.digest()


def test_toml_unknown_key_is_named(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text('model = "_test"\nfluids = ["A"]\n')
    with pytest.raises(ValueError, match="unknown key.*'fluids'"):
        load_toml(toml)


# --- designs ----------------------------------------------------------------------------------

def test_grid_fill_kernel_matches_unravel_and_python():
    axes = [("a", np.array([1.0, 2.0, 3.0])), ("b", np.array([10.0, 20.0])), ("c", np.array([5.0, 6.0, 7.0, 8.0]))]
    got = smp.grid_inputs(axes, 5, 21)
    idx = np.unravel_index(np.arange(5, 21), (3, 2, 4))
    for (name, vals), i in zip(axes, idx):
        np.testing.assert_array_equal(got[name], vals[i])
    # compiled equals pure Python
    sizes = np.array([3, 2, 4], dtype=np.int64)
    offsets = np.array([0, 3, 5], dtype=np.int64)
    values = np.concatenate([v for _, v in axes])
    out_py = np.empty((3, 16))
    smp._fill_grid.py_func(5, values, offsets, sizes, out_py)
    np.testing.assert_array_equal(out_py, np.vstack([got["a"], got["b"], got["c"]]))


@pytest.mark.parametrize("n", [1, 2, 3, 17, 1000, 4099])
def test_lhs_every_stratum_holds_one_point(n):
    pts = np.concatenate([b for _, b in smp.lhs_blocks(3, n, seed=123, block=256)])
    assert pts.shape == (n, 3)
    assert np.all((pts >= 0) & (pts < 1))
    for j in range(3):
        assert np.array_equal(np.sort(np.floor(pts[:, j] * n).astype(int)), np.arange(n))
    # any block on its own equals the same rows of the whole design
    np.testing.assert_array_equal(smp.lhs_block(3, n, 123, n // 3, n), pts[n // 3:])


def test_lhs_seed_changes_design():
    a = smp.lhs_block(2, 100, 1, 0, 100)
    b = smp.lhs_block(2, 100, 2, 0, 100)
    assert not np.array_equal(a, b)


def test_sobol_blocks_equal_one_draw():
    from scipy.stats import qmc

    whole = qmc.Sobol(2, scramble=True, seed=np.random.default_rng(5)).random(4096)
    blocks = np.concatenate([b for _, b in smp.sobol_blocks(2, 4096, 5, block=1024)])
    np.testing.assert_array_equal(blocks, whole)


# --- running ----------------------------------------------------------------------------------

def run(tmp_path, client, name="s.h5", **kw):
    args = dict(fluid="A", axes=AXES, chunk_size=37, progress=False)
    args.update(kw)
    return hpcore.sweep("_test", client=client, store=tmp_path / name, **args)


def test_grid_sweep_values_dims_and_provenance(tmp_path, client):
    stats = {}
    ds = run(tmp_path, client, _stats=stats, fixed={})
    check_grid(ds)
    assert ds.sizes == {"mode": 2, "x": 41, "y": 3}
    assert ds.x.attrs["units"] == ""  # the test model's x has no unit
    assert ds.attrs["hpcore_version"] == hpcore.__version__
    spec = json.loads(ds.attrs["spec"])
    assert spec["model"] == "_test" and spec["axes"]["y"] == {"values": [1.0, 2.0, 3.0]}
    assert ds.attrs["complete"] == 1
    assert sorted(stats["computed"]) == list(range(stats["n_chunks"]))
    assert stats["n_chunks"] == 2 * -(-123 // 37)
    assert stats["peak_in_flight"] <= stats["in_flight_limit"]
    # lazily read selections equal the loaded arrays
    full = ds.f.values
    np.testing.assert_array_equal(ds.f.isel(x=slice(3, 30, 4), y=2).values, full[:, 3:30:4, 2])
    np.testing.assert_array_equal(ds.f.sel(mode="mul").values, full[1])


def test_embedded_local_cluster_and_scheduler_file(tmp_path, client):
    # no client: a LocalCluster of its own, closed at the end
    ds = hpcore.sweep("_test", fluid="A", axes={"x": [1.0, 2.0]}, store=tmp_path / "a.h5", n_workers=1,
                      progress=False)
    np.testing.assert_array_equal(ds.f.values, [2.0, 3.0])
    # a scheduler file of an existing cluster, written by its scheduler at start as `dask scheduler
    # --scheduler-file` does (Client.write_scheduler_file of distributed 2026.8 fails once a worker's
    # heartbeat has reported metrics: their keys are tuples, which json refuses)
    sched = tmp_path / "scheduler.json"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0",
                                  scheduler_kwargs={"scheduler_file": str(sched)}) as other:
        assert json.loads(sched.read_text())["address"] == other.scheduler_address
        ds = hpcore.sweep("_test", fluid="A", axes={"x": [3.0]}, store=tmp_path / "b.h5", client=str(sched),
                          progress=False)
        np.testing.assert_array_equal(ds.f.values, [4.0])
    with pytest.raises(ValueError, match="n_workers= applies to the embedded cluster only"):
        hpcore.sweep("_test", fluid="A", axes={"x": [3.0]}, client=client, n_workers=2)


def test_embedded_default_runs_its_worker_threads_in_this_process(tmp_path):
    import dask

    from hpcore.sweeps import execute

    profile_before = dask.config.get("distributed.worker.profile.enabled")
    with execute.embedded_client() as c:
        assert set(c.run(os.getpid).values()) == {os.getpid()}  # no worker process: no transfer of results
        (nthreads,) = c.nthreads().values()
        assert nthreads == execute._usable_cores()
        assert dask.config.get("distributed.worker.profile.enabled") is False  # housekeeping slowed down ...
    assert dask.config.get("distributed.worker.profile.enabled") == profile_before  # ... only while it lives
    ds = hpcore.sweep("_test", fluid="A", axes={"x": [1.0, -2.0, 3.0], "y": [2.0, 5.0]}, mode="mul",
                      store=tmp_path / "d.h5", progress=False, chunk_size=2)
    f, g, s = expected(ds.x.values[:, None], ds.y.values[None, :], "mul")
    np.testing.assert_array_equal(ds.f.values, f)
    np.testing.assert_array_equal(ds.status.values, s)


def test_numba_threads_times_workers_is_cores(client):
    from hpcore.sweeps import execute

    by_host, total = execute._threads_by_host(client)
    cores = execute._usable_cores()
    assert total == 2 and by_host == {"127.0.0.1": max(1, cores // 2)}
    # what a task pins in its thread
    assert client.submit(execute._numba_threads, by_host, pure=False).result() == max(1, cores // 2)


def test_chunk_size_bounds_task_time_and_memory():
    from hpcore.sweeps import execute

    spec = build_spec("_test", fluid="A", axes={"x": {"start": 0, "stop": 1, "num": 10**7}})
    cs = execute._choose_chunk(spec, total_threads=2, numba_threads=1)
    rate = spec.plan.rate_hint
    assert rate * execute.MIN_TASK_SECONDS <= cs <= rate * execute.TASK_SECONDS  # 0.1 s .. 0.5 s of work
    assert cs * (8 * 2 + 4) <= execute.MAX_CHUNK_BYTES
    small = build_spec("_test", fluid="A", axes={"x": [1.0, 2.0, 3.0]})
    assert execute._choose_chunk(small, 2, 1) == 3  # a design smaller than a task is one chunk


def test_fixed_inputs_are_scalar_coordinates(tmp_path, client):
    ds = run(tmp_path, client, axes={"x": [0.5, 1.5]}, fixed={"y": 4.0}, mode="mul")
    assert float(ds.y) == 4.0 and ds.y.ndim == 0
    assert str(ds.mode.values) == "mul"
    np.testing.assert_array_equal(ds.f.values, [2.0, 6.0])


def test_fluid_axis(tmp_path, client):
    ds = run(tmp_path, client, fluid=None, axes={"fluid": ["A", "B"], "x": [1.0, 2.0]}, fixed={"y": 1.0})
    assert ds.f.dims == ("fluid", "x")
    assert list(ds.fluid.values) == ["A", "B"]
    np.testing.assert_array_equal(ds.f.values, [[2.0, 3.0], [2.0, 3.0]])


@pytest.mark.parametrize("sampling", ["sobol", "lhs"])
def test_sampled_sweep(tmp_path, client, sampling):
    ds = run(tmp_path, client, axes={"x": (-0.5, 1.0), "y": {"low": 1.0, "high": 2.0}}, sampling=sampling,
             n=256, seed=11, chunk_size=50)
    assert ds.f.dims == ("sample",)
    assert ds.x.dims == ("sample",) and ds.attrs["seed"] == 11
    x, y = ds.x.values, ds.y.values
    assert x.min() >= -0.5 and x.max() <= 1.0 and y.min() >= 1.0 and y.max() <= 2.0
    f, g, s = expected(x, y, "add")
    np.testing.assert_array_equal(ds.f.values, f)
    np.testing.assert_array_equal(ds.status.values, s)
    # same seed, same design
    again = run(tmp_path, client, name="b.h5", axes={"x": (-0.5, 1.0), "y": {"low": 1.0, "high": 2.0}},
                sampling=sampling, n=256, seed=11, chunk_size=50)
    np.testing.assert_array_equal(again.x.values, x)


def test_unseeded_sample_records_its_seed_and_resumes_it(tmp_path, client):
    axes = {"x": (0.0, 1.0)}
    ds = run(tmp_path, client, axes=axes, sampling="lhs", n=100, chunk_size=10)
    seed = ds.attrs["seed"]
    assert seed >= 0
    stats = {}
    again = run(tmp_path, client, axes=axes, sampling="lhs", n=100, chunk_size=10, _stats=stats)
    assert again.attrs["seed"] == seed and stats["computed"] == []
    redo = smp.scale(smp.lhs_block(1, 100, seed, 0, 100), [(0.0, 1.0)])[0]
    np.testing.assert_array_equal(ds.x.values, redo)


class Interrupt(KeyboardInterrupt):
    pass


def interrupt_after(n):
    seen = []

    def hook(k):
        seen.append(k)
        if len(seen) == n:
            raise Interrupt()

    return hook


def test_interrupted_sweep_resumes_only_missing_chunks(tmp_path, client):
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, client, _on_chunk=interrupt_after(3))
    partial = open_sweep(tmp_path / "s.h5")
    done = int(partial.attrs["chunks_done"])
    assert 3 <= done < partial.attrs["n_chunks"] and partial.attrs["complete"] == 0
    status = partial.status.values
    assert np.count_nonzero(status == sto.NOT_COMPUTED) > 0
    assert np.all(np.isnan(partial.f.values[status == sto.NOT_COMPUTED]))
    head = sto.read_header(tmp_path / "s.h5")
    stored = set(np.flatnonzero(head["done"]).tolist())

    stats = {}
    ds = run(tmp_path, client, _stats=stats)
    assert set(stats["computed"]).isdisjoint(stored)
    assert set(stats["computed"]) | stored == set(range(stats["n_chunks"]))
    assert len(stats["computed"]) == len(set(stats["computed"]))
    check_grid(ds)

    third = {}
    run(tmp_path, client, _stats=third)
    assert third["computed"] == [] and third["points"] == 0


def test_writer_killed_with_sigkill_resumes(tmp_path, client):
    """The client process itself (the writer) is killed mid-sweep; the file stays valid and resumable."""
    import subprocess

    code = f"""
import sys
import hpcore
def hook(k):
    print("stored", k, flush=True)
hpcore.sweep("_test", fluid="A", axes={AXES!r}, chunk_size=37, sleep="0.3", progress=False,
             client=sys.argv[1], store=sys.argv[2], _on_chunk=hook)
print("finished", flush=True)
"""
    path = tmp_path / "s.h5"
    proc = subprocess.Popen([sys.executable, "-c", code, client.scheduler.address, str(path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        stored = []
        for line in proc.stdout:
            if line.startswith("stored"):
                stored.append(int(line.split()[1]))
            if len(stored) == 3:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    head = sto.read_header(path)
    done = set(np.flatnonzero(head["done"]).tolist())
    assert set(stored) <= done and len(done) < 8
    stats = {}
    ds = run(tmp_path, client, sleep="0.3", _stats=stats)
    assert set(stats["computed"]) == set(range(8)) - done
    check_grid(ds)


def test_a_different_spec_is_refused(tmp_path, client):
    run(tmp_path, client)
    changed = dict(AXES, y=[1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match=r"different sweep \(axes.y: stored .*refusing to mix"):
        run(tmp_path, client, axes=changed)
    with pytest.raises(ValueError, match="outputs"):
        run(tmp_path, client, outputs=["f"])
    # resume=False replaces it
    ds = run(tmp_path, client, axes=changed, resume=False)
    assert list(ds.y.values) == [1.0, 2.0, 4.0]


def test_default_store_is_named_by_the_spec_and_resumes(client):
    axes = {"x": [0.25, 0.75], "y": [0.5]}
    ds = hpcore.sweep("_test", fluid="A", axes=axes, client=client, progress=False)
    path = ds.attrs["source"]
    try:
        assert os.path.dirname(path).endswith("hpcore-sweeps")
        stats = {}
        again = hpcore.sweep("_test", fluid="A", axes=axes, client=client, progress=False, _stats=stats)
        assert again.attrs["source"] == path and stats["computed"] == []
        np.testing.assert_array_equal(again.f.values, [[0.75], [1.25]])
    finally:
        os.unlink(path)


def test_worker_killed_mid_sweep_every_point_exactly_once(tmp_path, client):
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed = []

    def hook(k):
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    stats = {}
    ds = run(tmp_path, client, chunk_size=10, sleep="0.05", _on_chunk=hook, _stats=stats)
    assert killed
    assert sorted(stats["computed"]) == list(range(stats["n_chunks"]))  # each chunk stored once
    check_grid(ds)
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()


def test_unwritable_store_is_a_clear_error(tmp_path, client):
    with pytest.raises(SweepStoreError, match="does not exist"):
        run(tmp_path, client, name="missing/dir/s.h5")
    with pytest.raises(SweepStoreError, match="cannot write in /proc"):
        hpcore.sweep("_test", fluid="A", axes=AXES, client=client, store="/proc/s.h5", progress=False)
    assert not os.path.exists("/proc/s.h5")


def test_full_disk_at_creation_leaves_nothing(tmp_path, client, monkeypatch):
    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(SweepStoreError, match="No space left on device.*nothing was stored"):
        run(tmp_path, client)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_midway_keeps_what_was_written_resumable(tmp_path, client, monkeypatch):
    real = sto.Writer.write
    calls = []

    def write(self, k, start, results):
        calls.append(k)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, k, start, results)

    monkeypatch.setattr(sto.Writer, "write", write)
    with pytest.raises(SweepStoreError, match="No space left on device.*3 of 8 chunks stored so far are kept"):
        run(tmp_path, client)
    monkeypatch.setattr(sto.Writer, "write", real)
    stats = {}
    ds = run(tmp_path, client, _stats=stats)
    assert len(stats["computed"]) == 5
    check_grid(ds)


def test_worker_with_other_tables_writes_nothing(tmp_path, client, monkeypatch):
    """Grid chunks start before the file is created; the workers' table digests are checked before
    the first result is written. (The _test model loads no table: its workers report none.)"""
    from hpcore.sweeps import execute

    monkeypatch.setattr(execute, "_client_digests", lambda spec: {"A": "f" * 64})
    with pytest.raises(ValueError, match="has another property table for A"):
        run(tmp_path, client)
    assert not sto.read_header(tmp_path / "s.h5")["done"].any()


def test_two_writers_are_refused(tmp_path, client):
    import subprocess

    run(tmp_path, client)
    w = sto.Writer(tmp_path / "s.h5")
    try:
        code = (
            "import sys\nfrom hpcore.sweeps import store\n"
            "try:\n    store.Writer(sys.argv[1])\nexcept store.SweepStoreError as e:\n    print(e)\n    sys.exit(3)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.h5")], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 3, proc.stderr
        assert "another sweep writing it" in proc.stdout
    finally:
        w.close()


def test_runs_of_one_spec_name_their_tasks_apart(tmp_path, client, monkeypatch):
    """Two runs of the same spec on one cluster submit tasks under different keys: with
    keys from the spec alone, the second run's tasks were cancelled by the first's
    cancellation, or answered with results the cluster still held for the first."""
    keys = []
    real_submit = client.submit

    def submit(*args, **kwargs):
        if str(kwargs.get("key", "")).startswith("hpcore-sweep-"):
            keys.append(kwargs["key"])
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(client, "submit", submit)
    run(tmp_path, client, name="a.h5")
    first = set(keys)
    keys.clear()
    check_grid(run(tmp_path, client, name="b.h5"))
    assert first and keys and first.isdisjoint(keys)


def test_chunk_data_reach_the_disk_before_its_flag(tmp_path, client, monkeypatch):
    """Writer.write syncs twice: once with the chunk's data stored and its flag not yet set,
    once with the flag set. A machine that goes down between the two finds the chunk not
    done and computes it again."""
    run(tmp_path, client)
    w = sto.Writer(tmp_path / "s.h5")
    seen = []
    real_fsync = os.fsync

    def fsync(fd):
        assert fd == w._fd
        seen.append((int(w.done_ds[0]), {name: ds[0:5].copy() for name, ds in w.data.items()}))
        real_fsync(fd)

    try:
        w.done_ds[0] = 0
        monkeypatch.setattr(sto.os, "fsync", fsync)
        results = {name: np.full(5, 7, dtype=ds.dtype) for name, ds in w.data.items()}
        w.write(0, 0, results)
    finally:
        monkeypatch.undo()
        w.close()
    assert [flag for flag, _ in seen] == [0, 1]
    for name, arr in seen[0][1].items():
        np.testing.assert_array_equal(arr, results[name])
    assert sto.read_header(tmp_path / "s.h5")["done"][0] == 1


def test_progress_bar_on_stderr(tmp_path, client, capfd):
    run(tmp_path, client, progress=True)
    err = capfd.readouterr().err
    assert "points/s" in err and "left" in err and "246/246 points" in err
    assert "s.h5" in err


# --- surrogate feeding ------------------------------------------------------------------------

def test_to_training_set_drops_flagged_points(tmp_path, client):
    ds = run(tmp_path, client, axes={"x": [-1.0, 0.0, 1.0], "y": [1.0, 2.0]}, mode="add")
    X, y = hpcore.to_training_set(ds, inputs=["x", "y"], outputs=["f", "g"])
    assert X.shape == (4, 2) and y.shape == (4, 2)
    np.testing.assert_array_equal(X, [[0.0, 1.0], [0.0, 2.0], [1.0, 1.0], [1.0, 2.0]])
    np.testing.assert_array_equal(y[:, 0], X[:, 0] + X[:, 1])
    X2, y2 = hpcore.to_training_set(tmp_path / "s.h5", inputs=["x"], outputs=["f"], flagged="keep")
    assert X2.shape == (6, 1) and y2.shape == (6, 2)
    np.testing.assert_array_equal(y2[:, 1], [64, 64, 0, 0, 0, 0])
    with pytest.raises(ValueError, match="inputs: 'z' is not one of"):
        hpcore.to_training_set(ds, inputs=["z"])
    with pytest.raises(ValueError, match="'mode' holds words"):
        run(tmp_path, client, name="w.h5", axes={"x": [1.0], "mode": ["add", "mul"]})
        hpcore.to_training_set(tmp_path / "w.h5", inputs=["mode"])


def test_parquet_export(tmp_path, client):
    pq = pytest.importorskip("pyarrow.parquet")
    ds = run(tmp_path, client)
    out = hpcore.sweeps.to_parquet(ds, tmp_path / "s.parquet", max_points=50)
    table = pq.read_table(out)
    assert table.num_rows == 246
    assert table.column_names == ["mode", "x", "y", "f", "g", "status"]
    f = np.asarray(table.column("f"))
    np.testing.assert_array_equal(f, ds.f.values.ravel())
    dropped = hpcore.sweeps.to_parquet(ds, tmp_path / "d.parquet", flagged="drop")
    t2 = pq.read_table(dropped)
    assert t2.num_rows == int(np.count_nonzero(ds.status.values == 0))
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# --- command line -----------------------------------------------------------------------------

def parse(argv):
    from hpcore import cli_sweep

    parser = argparse.ArgumentParser(prog="hpcore")
    sub = parser.add_subparsers(dest="command")
    cli_sweep.add_parser(sub)
    return parser.parse_args(argv)


def test_cli_runs_a_toml_spec(tmp_path, client, capsys):
    from hpcore import cli_sweep

    spec = tmp_path / "spec.toml"
    spec.write_text(
        'model = "_test"\nfluid = "A"\nchunk_size = 40\n[axes]\nx = { start = -1.0, stop = 1.0, num = 41 }\n'
        'y = [1.0, 2.0, 3.0]\nmode = ["add", "mul"]\n'
    )
    args = parse(["sweep", str(spec), "--scheduler", client.scheduler.address, "--no-progress"])
    assert args.func is cli_sweep.run
    assert cli_sweep.run(args) == 0
    out = capsys.readouterr().out
    assert "246 points (126 OK, 120 flagged)" in out and "OUT_OF_DOMAIN 120" in out
    check_grid(open_sweep(tmp_path / "spec.h5"))


def test_cli_reports_spec_errors_naming_the_field(tmp_path, capsys):
    from hpcore import cli_sweep

    spec = tmp_path / "bad.toml"
    spec.write_text('model = "_test"\nfluid = "A"\n[axes]\nx = { low = 2.0, high = 1.0 }\n')
    args = parse(["sweep", str(spec), "--out", str(tmp_path / "o.h5")])
    assert cli_sweep.run(args) == 2
    err = capsys.readouterr().err
    assert "axes['x']" in err and "needs sampling='sobol' or 'lhs'" in err
    assert not (tmp_path / "o.h5").exists()
