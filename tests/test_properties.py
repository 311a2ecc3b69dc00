"""Property tables and ``props`` against CoolProp HEOS; flags; table files."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

import hpcore
from hpcore.properties import TableError, build_table, load_table, read_table
from hpcore.properties import _kernels as K
from hpcore.properties.accuracy import measure
from hpcore.status import FlaggedElementsError, HPCoreWarning, Status

H_RTOL = S_RTOL = D_RTOL = 1e-6  # relative, p <= 0.9 p_crit (issue 2)
T_ATOL_K = 1e-3  # K (issue 2)
SAT_RTOL = 1e-7  # saturation properties (issue 2)

PRODUCTION_FLUIDS = ["R290", "R744", "R718", "R1234ze(E)", "R410A"]


@pytest.mark.parametrize("fluid", PRODUCTION_FLUIDS)
def test_accuracy_on_production_grid(fluid):
    tb = load_table(fluid)
    acc = measure(tb, n=3000, seed=2024)  # a sample independent of the stored one
    e = acc["errors"]
    sub = "subcritical"
    for q, tol in (("h(p,T)", H_RTOL), ("s(p,T)", S_RTOL), ("D(p,T)", D_RTOL), ("s(p,h)", S_RTOL),
                   ("D(p,h)", D_RTOL), ("h(p,s)", H_RTOL)):
        assert e[q][sub]["max"] <= tol, (fluid, q, e[q][sub])
    for q in ("T(p,h) [K]", "T(p,s) [K]"):
        assert e[q][sub]["max"] <= T_ATOL_K, (fluid, q, e[q][sub])
    for q in ("p_sat(T)", "T_sat(p)", "h_l(T)", "h_v(T)", "s_l(T)", "s_v(T)", "D_l(T)", "D_v(T)"):
        assert e[q][sub]["max"] <= SAT_RTOL, (fluid, q, e[q][sub])
    assert all(v == 0 for v in e["wrong_phase"].values()), e["wrong_phase"]
    # the statistics stored at build time are there and agree in kind
    stored = tb.meta["accuracy"]["errors"]
    assert stored["h(p,T)"][sub]["max"] <= H_RTOL


@pytest.mark.parametrize("fluid", ["R290", "R134a", "R744", "R718"])
def test_phase_at_one_hundredth_kelvin_from_saturation(fluid):
    import CoolProp.CoolProp as CP

    tb = load_table(fluid)
    Ts = np.linspace(tb.meta["T_min"] + 1.0, tb.meta["T_crit"] - 5.0, 25)
    p = CP.PropsSI("P", "T", Ts, "Q", 0, fluid)
    for dT in (-0.01, 0.01):
        D = hpcore.props("D", "P", p, "T", Ts + dT, fluid)
        ref = CP.PropsSI("D", "P", p, "T", Ts + dT, fluid)
        np.testing.assert_allclose(D, ref, rtol=1e-5)
        Dl = CP.PropsSI("D", "P", p, "Q", 0, fluid)
        Dv = CP.PropsSI("D", "P", p, "Q", 1, fluid)
        if dT < 0:
            assert np.all(np.abs(D - Dl) < np.abs(D - Dv))  # liquid
        else:
            assert np.all(np.abs(D - Dv) < np.abs(D - Dl))  # vapour


def test_props_pairs_outputs_and_shapes():
    import CoolProp.CoolProp as CP

    p = np.array([[5e5], [1e6]])
    T = np.array([300.0, 320.0, 340.0])
    h = hpcore.props("H", "P", p, "T", T, "R290")
    assert h.shape == (2, 3)
    pb, Tb = np.broadcast_arrays(p, T)
    ref = CP.PropsSI("H", "P", pb.ravel(), "T", Tb.ravel(), "R290").reshape(2, 3)
    np.testing.assert_allclose(h, ref, rtol=1e-7)
    # either order, CoolProp long names
    np.testing.assert_array_equal(hpcore.props("Hmass", "T", T, "P", p, "R290"), h)
    x = hpcore.props("H", "P", 1e6, "T", 320.0, "propane")
    assert isinstance(x, float)
    for out in ("T", "S", "D", "C"):
        ref = CP.PropsSI(out, "P", 1e6, "H", 7.0e5, "R290")
        assert abs(hpcore.props(out, "P", 1e6, "H", 7.0e5, "R290") / ref - 1) < 1e-6
    assert hpcore.props("Q", "P", 1e6, "T", 350.0, "R290") == -1.0  # single phase, as CoolProp
    q = hpcore.props("Q", "P", 1e6, "H", 4.0e5, "R290")
    assert abs(q - CP.PropsSI("Q", "P", 1e6, "H", 4.0e5, "R290")) < 1e-7
    assert abs(hpcore.props("P", "T", 300.0, "Q", 1.0, "R290") / CP.PropsSI("P", "T", 300.0, "Q", 1.0, "R290") - 1) < 1e-9
    assert abs(hpcore.props("T", "P", 1e6, "Q", 0.0, "R290") - CP.PropsSI("T", "P", 1e6, "Q", 0.0, "R290")) < 1e-6
    assert abs(hpcore.props("H", "P", 1e6, "S", 2400.0, "R290") / CP.PropsSI("H", "P", 1e6, "S", 2400.0, "R290") - 1) < 1e-6


def test_flags_nan_status_and_one_warning():
    p = np.array([1e6, np.nan, 1e6, 1e6, 1e9, 1e6])
    T = np.array([320.0, 320.0, np.inf, 100.0, 320.0, 320.0])
    with pytest.warns(HPCoreWarning, match=r"4 of 6.*NONFINITE_INPUT: 2.*OUT_OF_TABLE: 2") as rec:
        h, status = hpcore.props("H", "P", p, "T", T, "R290", return_status=True)
    assert len(rec) == 1
    assert list(status) == [0, Status.NONFINITE_INPUT, Status.NONFINITE_INPUT, Status.OUT_OF_TABLE, Status.OUT_OF_TABLE, 0]
    assert np.isnan(h[1:5]).all() and np.isfinite(h[[0, 5]]).all() and h[0] == h[5]
    assert not np.isinf(h).any()
    with pytest.raises(FlaggedElementsError):
        hpcore.props("H", "P", p, "T", T, "R290", errors="raise")
    # above the table's temperature: no extrapolation
    T_max = load_table("R290").meta["T_max"]
    v, s = hpcore.props("H", "P", 1e6, "T", T_max + 0.01, "R290", return_status=True, errors="ignore")
    assert np.isnan(v) and s == Status.OUT_OF_TABLE
    # cp inside the dome is undefined (CoolProp returns a number that is not a heat capacity)
    v, s = hpcore.props("C", "P", 1e6, "Q", 0.5, "R290", return_status=True, errors="ignore")
    assert np.isnan(v) and s == Status.UNDEFINED
    v, s = hpcore.props("H", "P", 1e6, "Q", 1.5, "R290", return_status=True, errors="ignore")
    assert np.isnan(v) and s == Status.OUT_OF_DOMAIN


def test_bad_configuration_raises():
    with pytest.raises(ValueError, match=r"fluid='R9999' is not a known fluid\. Available: R290"):
        hpcore.props("H", "P", 1e6, "T", 300.0, "R9999")
    with pytest.raises(ValueError, match=r"input pair \('H', 'S'\) is not supported.*\(P,T\)"):
        hpcore.props("T", "H", 4e5, "S", 2e3, "R290")
    with pytest.raises(ValueError, match=r"output='V' is not supported.*T, P, H"):
        hpcore.props("V", "P", 1e6, "T", 300.0, "R290")
    with pytest.raises(ValueError, match="mixtures are not supported"):
        hpcore.props("H", "P", 1e6, "T", 300.0, "R32[0.5]&R125[0.5]")
    with pytest.raises(ValueError, match="errors="):
        hpcore.props("H", "P", 1e6, "T", 300.0, "R290", errors="loud")


def test_known_names_agree_with_coolprop():
    """The static alias map (tables load without importing CoolProp) says what CoolProp says."""
    from hpcore.properties.fluids import DEFAULT_FLUIDS, KNOWN_NAMES, _coolprop_names

    _, lookup = _coolprop_names()
    for name, aliases in KNOWN_NAMES.items():
        for alias in (name, *aliases):
            assert lookup[alias.lower()] == name, alias
    assert {lookup[f.lower()] for f in DEFAULT_FLUIDS} == set(KNOWN_NAMES)


def test_loading_a_table_does_not_import_coolprop():
    code = (
        "import sys, hpcore; hpcore.load_table('propane'); hpcore.props('H', 'P', 1e6, 'T', 330.0, 'R-290'); "
        "assert 'CoolProp' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_compiled_equals_python():
    tbl = load_table("R290").arrays
    cases = [(K.PAIR_PT, K.OUT_H, 1e6, 330.0), (K.PAIR_PH, K.OUT_T, 1e6, 6e5), (K.PAIR_PS, K.OUT_H, 1e6, 2400.0),
             (K.PAIR_PQ, K.OUT_D, 1e6, 0.3), (K.PAIR_TQ, K.OUT_P, 300.0, 1.0), (K.PAIR_PH, K.OUT_S, 1e6, 4e5)]
    for pair, out, a, b in cases:
        vc, sc = K.props_1(tbl, pair, out, a, b)
        vp, sp = K.props_1.py_func(tbl, pair, out, a, b)
        assert sc == sp == 0
        assert abs(vc - vp) <= 1e-12 * abs(vp)


@pytest.mark.parametrize("fluid", ["R290", "R744", "Water"])
def test_pressure_location_matches_logarithm(fluid):
    """ploc finds the cell and position without a logarithm: same cell and position as
    ln p on the table's nodes, at random pressures, at every fine node and a rounding
    step either side of it, and at both ends; outside the table it says so. The dew
    point it reads from the fine-cell record is the boundary table's; the position in the
    fine cell and its derivative in ln p agree with the cell position."""
    from hpcore.properties import layout as L

    tbl = load_table(fluid).arrays
    par, xg = tbl[0], tbl[4]
    nx, r = int(par[L.P_NX]), int(par[L.P_REFINE])
    xn = xg[:nx]
    pf = xg[int(par[L.P_FINE]):].reshape(-1, L.FINE_REC)[:, 0]
    rng = np.random.default_rng(3)
    p = np.concatenate([
        np.exp(rng.uniform(np.log(par[L.P_PMIN]), np.log(par[L.P_PMAX]), 3000)),
        pf, np.nextafter(pf, 0.0), np.nextafter(pf, np.inf), [par[L.P_PMIN], par[L.P_PMAX]],
    ])
    p = p[(p >= par[L.P_PMIN]) & (p <= par[L.P_PMAX])]
    x = np.log(p)
    for pk, xk in zip(p, x):
        PL = K.ploc(tbl, pk)
        _, i, t, h, b, *_ = PL
        ok, T_dew, v, dv = PL[9:13]
        assert ok
        # the dew point from the fine-cell record is the boundary table's, but for rounding
        assert abs(T_dew - K.bq(tbl, PL, L.QX_T)) <= 1e-12 * T_dew, (pk, T_dew)
        # the position in ln p the cell and t stand for
        assert abs((xn[i] + t * h) - xk) <= 1e-13 * max(1.0, abs(xk)), (pk, i, t)
        assert 0.0 <= t <= 1.0 and 0 <= i <= nx - 2
        f = b // (2 * L.NQX)  # fine cell of the boundary table
        assert i * r <= f < (i + 1) * r
        # the position in that fine cell and its derivative in ln p (for bq_dlnp)
        assert 0.0 <= v <= 1.0 and abs(((f - i * r) + v) / r - t) <= 1e-13
        assert abs(dv * h / r - 1.0) <= 1e-12
    for bad in (np.nextafter(par[L.P_PMIN], 0.0), np.nextafter(par[L.P_PMAX], np.inf), 0.0, -1.0, np.nan, np.inf):
        assert not K.ploc(tbl, bad)[9]


@pytest.mark.parametrize("fluid", ["R290", "R744", "Water", "R410A"])
def test_saturation_cubics_match_boundary_table(fluid):
    """(p, Q) states come from the saturation cubics on cells of p's bit pattern; they
    agree with the boundary table's own interpolant (ploc + bq, which the accuracy
    figures against CoolProp measure) to 1e-11 of each quantity's scale, for every
    output, at random pressures, at cell edges and at both ends; near the critical point
    the cells hold NaN and the kernel takes the boundary table's path (exercised here)."""
    from hpcore.properties import layout as L

    tbl = load_table(fluid).arrays
    par, xg = tbl[0], tbl[4]
    ncell, shift = int(par[L.P_BNCELL]), int(par[L.P_BSHIFT])
    cubics = xg[int(par[L.P_BOFF]):int(par[L.P_BOFF]) + ncell * L.BITS_REC].reshape(ncell, L.BQ_N, 2, 4)
    held = ~np.isnan(cubics[:, 0, 0, 0])
    assert held.mean() > 0.85 and (~held).sum() >= 2  # both paths are taken
    rng = np.random.default_rng(11)
    pmin, ptop = par[L.P_PMIN], par[L.P_PTOP]
    edges = ((np.arange(ncell, dtype=np.int64) << shift) + int(par[L.P_BKEY0])).view(np.float64)
    p = np.concatenate([np.exp(rng.uniform(np.log(pmin), np.log(ptop), 20000)), edges, np.nextafter(edges, 0.0),
                        [pmin, np.nextafter(ptop, 0.0)]])
    p = p[(p >= pmin) & (p < ptop)]
    q = rng.choice([0.0, 1.0, 0.5, 0.3], p.size)
    ref = np.empty((p.size, L.NQX))
    K.boundary_values(tbl, p, ref)
    mix = lambda ql, qv: ref[:, ql] + q * (ref[:, qv] - ref[:, ql])
    expect = {
        "T": mix(L.QX_TBUB, L.QX_T), "H": mix(L.QX_HL, L.QX_HV), "S": mix(L.QX_SL, L.QX_SV),
        "D": 1.0 / ((1.0 - q) / ref[:, L.QX_DL] + q / ref[:, L.QX_DV]),
        "C": np.where(q == 0.0, ref[:, L.QX_CL], np.where(q == 1.0, ref[:, L.QX_CV], np.nan)),
        "P": p, "Q": q,
    }
    for out, e in expect.items():
        got, st = hpcore.props(out, "P", p, "Q", q, fluid, errors="ignore", return_status=True)
        assert np.array_equal(np.isnan(got), np.isnan(e)), out
        ok = ~np.isnan(e)
        assert np.all(st[ok] == 0), out
        scale = np.maximum(np.abs(e[ok]), 1e-2 * np.max(np.abs(e[ok])) if out in "HS" else 1e-300)
        err = np.abs(got[ok] - e[ok]) / scale
        assert err.max() <= 1e-11, (out, err.max(), p[ok][np.argmax(err)])


def test_serial_equals_parallel():
    rng = np.random.default_rng(0)
    p = np.exp(rng.uniform(np.log(1e5), np.log(5e6), 50_000))
    T = rng.uniform(250.0, 450.0, 50_000)
    tbl = load_table("R290").arrays
    out = [np.empty(50_000) for _ in range(2)]
    st = [np.empty(50_000, np.int32) for _ in range(2)]
    K.props_serial(tbl, K.PAIR_PT, K.OUT_D, p, T, out[0], st[0])
    K.props_parallel(tbl, K.PAIR_PT, K.OUT_D, p, T, out[1], st[1])
    np.testing.assert_array_equal(out[0], out[1])
    np.testing.assert_array_equal(st[0], st[1])


def test_kernel_modules_import_no_heavy_layers():
    code = (
        "import sys, hpcore.properties._kernels, hpcore.cycles._kernels; "
        "bad = [m for m in ('dask', 'xarray', 'h5py', 'CoolProp', 'distributed') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------- table files


@pytest.fixture(scope="module")
def small_table(tmp_path_factory):
    d = tmp_path_factory.mktemp("tables")
    path = d / "small.h5"
    tb = build_table("R290", path, nx=24, ny=16, nt=64, measure_accuracy=False, progress=False)
    return tb, path


def test_round_trip_and_digest(small_table):
    tb, path = small_table
    back = read_table(path, "R290")
    assert back.digest == tb.digest
    for a, b in zip(back.arrays, tb.arrays):
        np.testing.assert_array_equal(a, b)
    with h5py.File(path, "r") as f:
        assert f["tab"].fletcher32
        assert f.attrs["coolprop_version"]


def _copy(src, dst):
    dst.write_bytes(src.read_bytes())
    return dst


def test_truncated_file_raises_naming_file(small_table, tmp_path):
    _, path = small_table
    bad = tmp_path / "trunc.h5"
    bad.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(TableError, match=r"trunc\.h5.*hpcore tables build R290"):
        read_table(bad, "R290")


def test_flipped_bytes_detected(small_table, tmp_path):
    _, path = small_table
    bad = _copy(path, tmp_path / "flip.h5")
    with h5py.File(bad, "r") as f:
        offset = f["xg"].id.get_offset()  # contiguous dataset: its bytes sit at one offset
    data = bytearray(bad.read_bytes())
    for k in range(8):
        data[offset + 16 + k] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(TableError, match=r"flip\.h5"):
        read_table(bad, "R290")


@pytest.mark.parametrize("attr,value,match", [("schema_version", 999, "schema version 999"),
                                              ("coolprop_version", "0.0.1", "CoolProp 0.0.1")])
def test_version_mismatch_raises(small_table, tmp_path, attr, value, match):
    _, path = small_table
    bad = _copy(path, tmp_path / "old.h5")
    with h5py.File(bad, "r+") as f:
        f.attrs[attr] = value
    with pytest.raises(TableError, match=match):
        read_table(bad, "R290")


def test_cache_rebuilds_a_corrupt_table(tmp_path, monkeypatch, capsys):
    import hpcore.properties.tables as T

    monkeypatch.setenv("HPCORE_TABLE_DIR", str(tmp_path))
    monkeypatch.setattr(T, "_CACHE", {})
    small = dict(nx=24, ny=16, nt=64)
    path = T.default_path("R290")
    build_table("R290", nx=24, ny=16, nt=64, measure_accuracy=False, progress=False)
    with open(path, "r+b") as fh:
        fh.truncate(1000)
    real_build = T.build_table
    monkeypatch.setattr(T, "build_table", lambda name, p, **kw: real_build(name, p, measure_accuracy=False, progress=False, **small))
    tb = T.load_table("R290")
    assert "rebuilding" in capsys.readouterr().err
    assert read_table(path, "R290").digest == tb.digest


_RACE = """
import os, sys, time
import hpcore.properties.tables as T
import hpcore.properties.build as B
from hpcore import config
small = dict(nx=24, ny=16, nt=64)
B.default_grid = lambda fluid, p_min, p_max: dict(small, stretch=config.TABLE_STRETCH)
real = T.build_table
def build(name, path, **kw):
    with open(os.path.join(os.path.dirname(path), "builds.log"), "a") as f:
        f.write(f"{os.getpid()}\\n")
    time.sleep(1.0)  # a build takes a while: the others arrive while it runs
    return real(name, path, measure_accuracy=False, progress=False, **small)
T.build_table = build
d = os.environ["HPCORE_TABLE_DIR"]
open(os.path.join(d, f"ready.{os.getpid()}"), "w").close()
while len([f for f in os.listdir(d) if f.startswith("ready.")]) < int(sys.argv[1]):
    time.sleep(0.01)
print(T.load_table("R290").digest)
"""


def test_processes_missing_the_same_table_build_it_once(tmp_path):
    """Three processes ask for the same missing table at the same moment (a barrier of
    marker files): one builds it, the others wait for its lock and read that file."""
    n = 3
    env = dict(os.environ, HPCORE_TABLE_DIR=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", _RACE, str(n)], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(n)]
    digests = [p.communicate(timeout=600)[0].split()[-1] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    builders = (tmp_path / "builds.log").read_text().split()
    assert len(builders) == 1
    assert len(set(digests)) == 1 and read_table(tmp_path / "n-Propane.h5", "R290").digest == digests[0]


def test_interrupted_write_leaves_no_file(small_table, tmp_path, monkeypatch):
    import hpcore.properties.tables as T

    tb, _ = small_table
    target = tmp_path / "never.h5"

    def boom(*a, **k):
        raise KeyboardInterrupt("killed half-way")

    real = h5py.Group.create_dataset
    calls = {"n": 0}

    def flaky(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            boom()
        return real(self, *a, **k)

    monkeypatch.setattr(h5py.Group, "create_dataset", flaky)
    with pytest.raises(KeyboardInterrupt):
        T.write_table(tb, target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_table_arrays_may_take_huge_pages():
    """The kernel arrays' mapping is eligible for transparent huge pages wherever Linux
    offers them on request: a private anonymous mapping (a shared one is shmem, which
    ``shmem_enabled=never`` keeps on 4 KiB pages)."""
    import pathlib

    thp = pathlib.Path("/sys/kernel/mm/transparent_hugepage/enabled")
    smaps = pathlib.Path("/proc/self/smaps")
    if not (thp.exists() and smaps.exists()) or "[never]" in thp.read_text():
        pytest.skip("no transparent huge pages on this system")
    arrays = load_table("R290").arrays
    for a in (arrays[3], arrays[5]):
        addr = a.ctypes.data
        inside = False
        eligible = None
        for line in smaps.read_text().splitlines():
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                lo, hi = (int(x, 16) for x in head.split("-"))
                inside = lo <= addr < hi
            elif inside and head == "THPeligible:":
                eligible = line.split()[1]
        assert eligible == "1", (a.nbytes, eligible)


def test_ps_h_slope_is_the_derivative_of_h_ps():
    """ps_h_dlnp (h and dh/dln p at constant s; the transcritical search's compressor
    slope) gives ps_h's h exactly and the derivative of the interpolant: against central
    differences of h_ps (steps 1e-6 and 5e-7 in ln p, Richardson-extrapolated) within 1e-6
    relative at every single-phase
    point of 2e4 random (p, s) of R290 and R744, liquid and vapour sides, away from
    R744's critical pressure (within 1 % of it the boundary's steep curvature makes the
    differences themselves inexact: nothing is asserted there). NaN inside the dome."""
    import math

    from numba import njit

    from hpcore.properties.layout import P_PC, QX_SL, QX_SV

    @njit
    def run(tbl, p, s, eps, out):
        for i in range(p.shape[0]):
            PL = K.ploc(tbl, p[i])
            h, dh, st = K.ps_h_dlnp(tbl, PL, s[i])
            out[i, 0] = h - K.h_ps(tbl, p[i], s[i])[0]
            out[i, 1] = dh
            d = (K.h_ps(tbl, p[i] * math.exp(eps), s[i])[0] - K.h_ps(tbl, p[i] * math.exp(-eps), s[i])[0]) / (2 * eps)
            e = 0.5 * eps
            d2 = (K.h_ps(tbl, p[i] * math.exp(e), s[i])[0] - K.h_ps(tbl, p[i] * math.exp(-e), s[i])[0]) / (2 * e)
            out[i, 2] = (4.0 * d2 - d) / 3.0  # Richardson: no eps**2 term (steep next to the boundary)
            out[i, 3] = 1.0 if (s[i] > K.bq(tbl, PL, QX_SV) or s[i] < K.bq(tbl, PL, QX_SL)) else 0.0

    rng = np.random.default_rng(43)
    n = 20000
    for fluid, p_range, s_range in (("R290", (2e5, 3e6), (1000.0, 2600.0)), ("R744", (1e6, 1.4e7), (900.0, 2100.0))):
        tbl = load_table(fluid).arrays
        p = np.exp(rng.uniform(*np.log(p_range), n))
        s = rng.uniform(*s_range, n)
        out = np.empty((n, 4))
        run(tbl, p, s, 1e-6, out)
        single = out[:, 3] == 1.0
        assert single.sum() > 0.2 * n and (~single).sum() > 0.1 * n
        assert np.all(np.isnan(out[~single, 1]))
        assert np.all(out[single, 0] == 0.0) and np.all(np.isfinite(out[single, 1]))
        rel = np.abs(out[single, 1] / out[single, 2] - 1.0)
        far = np.abs(p[single] / float(tbl[0][P_PC]) - 1.0) > 0.01
        assert far.sum() > 0.9 * single.sum()
        assert rel[far].max() < 1e-6, fluid
