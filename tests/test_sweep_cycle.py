"""Sweeps of the real cycle model on a LocalCluster of worker processes.

The reference for every point is ``hpcore.cycles.evaluate`` called in this
process on the same inputs, in memory: a chunked, distributed, stored and
re-read sweep must give bit-identical outputs and status codes.
"""
import json
import os
import signal

import numpy as np
import pytest

import hpcore
from hpcore.cycles import evaluate
from hpcore.properties import load_table

distributed = pytest.importorskip("distributed")

FLUIDS = ["R290", "R32"]
FIXED = {"superheat": 5.0, "subcooling": 2.0, "eta_is": 0.7}
OUTPUTS = ["COP_heating", "T_discharge", "p_cond"]


@pytest.fixture(scope="module")
def client():
    for f in FLUIDS:
        load_table(f)  # build once, before the workers need them
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def reference(fluid, T_evap, T_cond, outputs=OUTPUTS, **fixed):
    n = T_evap.size
    inputs = {"T_evap": T_evap.ravel().copy(), "T_cond": T_cond.ravel().copy()}
    for k, v in {**FIXED, **fixed}.items():
        inputs[k] = np.full(n, v)
    return evaluate(fluid, "basic", inputs, outputs, parallel=False)


def test_grid_sweep_equals_in_memory_evaluate(tmp_path, client):
    stats = {}
    ds = hpcore.sweep(
        fluid=None,
        axes={
            "fluid": FLUIDS,
            "T_evap": {"start": -30, "stop": 20, "num": 26, "unit": "degC"},
            "T_cond": {"start": 15, "stop": 75, "num": 31, "unit": "degC"},
        },
        fixed=FIXED,
        outputs=OUTPUTS,
        client=client,
        store=tmp_path / "grid.h5",
        chunk_size=100,
        progress=False,
        _stats=stats,
    )
    assert ds.COP_heating.dims == ("fluid", "T_evap", "T_cond")
    assert list(ds.fluid.values) == FLUIDS  # labelled as given; tables under CoolProp's names
    np.testing.assert_allclose(ds.T_evap.values[[0, -1]], [243.15, 293.15], rtol=0, atol=1e-12)
    assert stats["n_chunks"] == 2 * 9 and sorted(stats["computed"]) == list(range(18))
    Te, Tc = np.meshgrid(ds.T_evap.values, ds.T_cond.values, indexing="ij")
    for i, f in enumerate(FLUIDS):
        ref = reference(f, Te, Tc)
        np.testing.assert_array_equal(ds.status.values[i].ravel(), ref["status"])
        for name in OUTPUTS:
            np.testing.assert_array_equal(ds[name].values[i].ravel(), ref[name])
    # the grid holds both feasible points and flagged ones (T_evap >= T_cond), NaN where flagged
    status = ds.status.values
    assert (status == 0).any() and (status != 0).any()
    assert np.all(np.isnan(ds.COP_heating.values[status != 0]))
    assert np.all(np.isfinite(ds.COP_heating.values[status == 0]))
    # provenance
    digests = json.loads(ds.attrs["table_digests"])
    assert digests == {load_table(f).fluid: load_table(f).digest for f in FLUIDS}
    import CoolProp

    assert ds.attrs["coolprop_version"] == CoolProp.__version__
    assert json.loads(ds.attrs["spec"])["cycle"] == "basic"
    assert ds.COP_heating.attrs["units"] == "1" and ds.T_discharge.attrs["units"] == "K"
    assert ds.T_evap.attrs["units"] == "K" and ds.superheat.attrs["units"] == "K"


def test_tables_and_kernels_loaded_once_per_worker_process(tmp_path, client):
    from hpcore.sweeps import execute

    args = dict(fluid="R290", axes={"T_evap": [260.0, 265.0, 270.0], "T_cond": [310.0, 320.0]}, fixed=FIXED,
                outputs=["COP_heating"], client=client, chunk_size=1, progress=False)
    hpcore.sweep(store=tmp_path / "a.h5", **args)
    before = client.run(execute._worker_setups)
    stats = {}
    hpcore.sweep(store=tmp_path / "b.h5", _stats=stats, **args)
    assert len(stats["computed"]) == 6  # six tasks ...
    assert client.run(execute._worker_setups) == before  # ... and no worker loaded or compiled anything again


def test_sobol_sweep_equals_evaluate_at_the_samples(tmp_path, client):
    ds = hpcore.sweep(
        fluid="R290",
        axes={"T_evap": (250.0, 285.0), "T_cond": {"low": 30, "high": 60, "unit": "degC"}, "eta_is": (0.5, 0.8)},
        fixed={"superheat": 5.0, "subcooling": 2.0},
        sampling="sobol",
        n=1024,
        seed=2,
        outputs=["COP_heating"],
        client=client,
        store=tmp_path / "sobol.h5",
        chunk_size=300,
        progress=False,
    )
    Te, Tc, eta = ds.T_evap.values, ds.T_cond.values, ds.eta_is.values
    assert Te.min() >= 250 and Te.max() <= 285 and Tc.min() >= 303.15 and Tc.max() <= 333.15
    ref = evaluate("R290", "basic", {"T_evap": Te, "T_cond": Tc, "eta_is": eta, "superheat": np.full(1024, 5.0),
                                     "subcooling": np.full(1024, 2.0)}, ["COP_heating"], parallel=False)
    np.testing.assert_array_equal(ds.COP_heating.values, ref["COP_heating"])
    X, y = hpcore.to_training_set(ds, inputs=["T_evap", "T_cond", "eta_is"], outputs=["COP_heating"])
    assert X.shape[0] == int((ref["status"] == 0).sum()) and np.all(np.isfinite(y))


def test_cycle_spec_errors_name_the_field(tmp_path):
    base = dict(axes={"T_evap": [270.0], "T_cond": [310.0]}, fixed={"eta_is": 0.7}, store=tmp_path / "x.h5",
                client=object(), progress=False)
    with pytest.raises(ValueError, match=r"axes\['fluid'\]: fluid='R999' is not a known fluid"):
        hpcore.sweep(**{**base, "axes": {"fluid": ["R290", "R999"], "T_evap": [270.0], "T_cond": [310.0]}})
    with pytest.raises(ValueError, match="cycle='basik' is not a cycle"):
        hpcore.sweep(fluid="R290", cycle="basik", **base)
    with pytest.raises(ValueError, match=r"axes\['T_gc_out'\]: 'T_gc_out' is not an input of model='cycle', cycle='basic'"):
        hpcore.sweep(fluid="R290", **{**base, "axes": {"T_evap": [270.0], "T_cond": [310.0], "T_gc_out": [300.0]}})
    with pytest.raises(ValueError, match="economizer='open'; allowed: flash, closed"):
        hpcore.sweep(fluid="R290", cycle="economizer", economizer="open", **base)
    with pytest.raises(ValueError, match=r"fixed\['eta_is'\]: eta_is=70.0 is above 1"):
        hpcore.sweep(fluid="R290", **{**base, "fixed": {"eta_is": 70.0}})
    with pytest.raises(ValueError, match="needs eta_is"):
        hpcore.sweep(fluid="R290", **{**base, "fixed": {}})
    with pytest.raises(ValueError, match="outputs: 'COP' is not an output"):
        hpcore.sweep(fluid="R290", outputs=["COP"], **base)
    assert list(tmp_path.iterdir()) == []


def test_word_option_axis(tmp_path, client):
    ds = hpcore.sweep(
        fluid="R290",
        cycle="economizer",
        axes={"economizer": ["flash", "closed"], "T_evap": [260.0, 270.0], "T_cond": [320.0]},
        fixed=FIXED,
        outputs=["COP_heating", "injection_ratio"],
        client=client,
        store=tmp_path / "eco.h5",
        progress=False,
    )
    assert ds.COP_heating.dims == ("economizer", "T_evap", "T_cond")
    for i, variant in enumerate(["flash", "closed"]):
        ref = evaluate("R290", "economizer", {"T_evap": np.array([260.0, 270.0]), "T_cond": np.array([320.0, 320.0]),
                                              **{k: np.full(2, v) for k, v in FIXED.items()}},
                       ["COP_heating"], economizer=variant)
        np.testing.assert_array_equal(ds.COP_heating.values[i, :, 0], ref["COP_heating"])
    assert not np.array_equal(ds.COP_heating.values[0], ds.COP_heating.values[1])


def test_worker_killed_mid_cycle_sweep(tmp_path, client):
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[-1]
    killed = []

    def hook(k):
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(k)

    stats = {}
    ds = hpcore.sweep(
        fluid="R32",
        axes={"T_evap": {"start": 240.0, "stop": 290.0, "num": 200}, "T_cond": {"start": 300.0, "stop": 340.0,
                                                                             "num": 100}},
        fixed=FIXED,
        outputs=["COP_heating"],
        client=client,
        store=tmp_path / "kill.h5",
        chunk_size=500,
        progress=False,
        _on_chunk=hook,
        _stats=stats,
    )
    assert killed and len(stats["computed"]) == 40 == len(set(stats["computed"]))
    assert ds.attrs["complete"] == 1
    Te, Tc = np.meshgrid(ds.T_evap.values, ds.T_cond.values, indexing="ij")
    ref = reference("R32", Te, Tc, outputs=["COP_heating"])
    np.testing.assert_array_equal(ds.COP_heating.values.ravel(), ref["COP_heating"])
    np.testing.assert_array_equal(ds.status.values.ravel(), ref["status"])
    client.wait_for_workers(2, timeout=120)


# --- the heat-pump system solve (hpcore.components.solve_heat_pump) -------------------------------

# AHRI 540 map of a small R410A scroll (ACHP's coefficients, also used by tests/test_components.py)
MAP_M = [217.3163128, 5.094492028, -0.593170311, 4.38e-02, -2.14e-02, 1.04e-02, 7.90e-05, -5.73e-05, 1.79e-04,
         -8.08e-05]
MAP_P = [-561.3615705, -15.62601841, 46.92506685, -0.217949552, 0.435062616, -0.442400826, 2.25e-04, 2.37e-03,
         -3.32e-03, 2.50e-03]


def test_heat_pump_sweep_with_component_axes(tmp_path, client):
    from hpcore.components import AHRI540Compressor, HeatExchanger, SecondaryFluid, solve_heat_pump

    comp = AHRI540Compressor(MAP_M, MAP_P)
    ds = hpcore.sweep(
        "heat_pump",
        fluid="R32",
        axes={
            "evaporator": [{"UA": 1500.0}, {"UA": 3000.0}],  # heat-exchanger sizes as an axis
            "compressor": {"ACHP": comp},  # labelled component objects
            "T_source_in": {"start": 0, "stop": 10, "num": 5, "unit": "degC"},
            "T_sink_in": {"start": 30, "stop": 45, "num": 4, "unit": "degC"},
        },
        fixed={"source_mass_flow": 0.8, "sink_mass_flow": 0.4, "condenser": {"UA": 2500.0},
               "source": {"name": "MEG", "concentration": 0.3}, "sink": "water"},
        outputs=["COP_heating", "Q_heating"],
        client=client,
        store=tmp_path / "hp.h5",
        progress=False,
    )
    assert ds.COP_heating.dims == ("evaporator", "compressor", "T_source_in", "T_sink_in")
    assert list(ds.compressor.values) == ["ACHP"]
    assert json.loads(str(ds.evaporator.values[1])) == {"UA": 3000.0}
    Ts, Tk = np.meshgrid(ds.T_source_in.values, ds.T_sink_in.values, indexing="ij")
    for i, ua in enumerate([1500.0, 3000.0]):
        ref = solve_heat_pump("R32", comp, HeatExchanger(UA=ua), HeatExchanger(UA=2500.0),
                              source=SecondaryFluid("MEG", 0.3), sink=SecondaryFluid("water"),
                              T_source_in=Ts.ravel(), source_mass_flow=0.8, T_sink_in=Tk.ravel(), sink_mass_flow=0.4,
                              outputs=["COP_heating", "Q_heating"], errors="ignore", as_dataset=False)
        np.testing.assert_array_equal(ds.COP_heating.values[i, 0].ravel(), ref["COP_heating"])
        np.testing.assert_array_equal(ds.status.values[i, 0].ravel(), ref["status"])
    assert (ds.status.values == 0).sum() > 20
    # a bigger evaporator raises the COP where both converge
    both = np.isfinite(ds.COP_heating.values[0, 0]) & np.isfinite(ds.COP_heating.values[1, 0])
    assert np.all(ds.COP_heating.values[1, 0][both] > ds.COP_heating.values[0, 0][both])


def test_heat_pump_spec_errors_name_the_field(tmp_path):
    base = dict(fluid="R32", axes={"T_source_in": [278.15], "T_sink_in": [308.15]},
                store=tmp_path / "x.h5", client=object(), progress=False)
    fixed = {"source_mass_flow": 0.8, "sink_mass_flow": 0.4, "evaporator": {"UA": 1500.0},
             "condenser": {"UA": 2500.0}, "source": "water", "sink": "water"}
    with pytest.raises(ValueError, match="needs compressor"):
        hpcore.sweep("heat_pump", fixed=fixed, **base)
    with pytest.raises(ValueError, match=r"fixed\['compressor'\]: compressor='big'.*Compressor object"):
        hpcore.sweep("heat_pump", fixed={**fixed, "compressor": "big"}, **base)
    with pytest.raises(ValueError, match=r"fixed\['compressor'\].*type='Turbine' is not a class"):
        hpcore.sweep("heat_pump", fixed={**fixed, "compressor": {"type": "Turbine"}}, **base)
    with pytest.raises(ValueError, match=r"fixed\['n_units'\]: n_units=0: must be an integer >= 1"):
        hpcore.sweep("heat_pump", fixed={**fixed, "n_units": 0, "compressor": {"type": "DisplacementCompressor",
                                                                               "displacement": 1e-4, "eta_vol": 0.9,
                                                                               "eta_is": 0.7}}, **base)
    with pytest.raises(ValueError, match="cycle= applies to model='cycle' only"):
        hpcore.sweep("heat_pump", cycle="basic", fixed=fixed, **base)
    assert list(tmp_path.iterdir()) == []


def test_demo_prints_best_cop_per_refrigerant(tmp_path, client, monkeypatch):
    import io

    from hpcore.sweeps import demo

    small = dict(demo.DEMO_AXES, fluid=FLUIDS, T_evap={"start": -10, "stop": 10, "num": 5, "unit": "degC"},
                 T_cond={"start": 35, "stop": 55, "num": 5, "unit": "degC"}, eta_is=[0.6, 0.7])
    monkeypatch.setattr(demo, "DEMO_AXES", small)
    out = io.StringIO()
    ds = demo.run_demo(tmp_path / "demo.h5", client=client, progress=False, stream=out)
    text = out.getvalue()
    for i, fluid in enumerate(FLUIDS):
        best = float(ds.COP_heating.isel(fluid=i).max())
        line = next(line for line in text.splitlines() if line.strip().startswith(fluid))
        assert f"{best:.3f}" in line and "10.0 C" in line and "35.0 C" in line and "0.70" in line
    assert "points/s" in text and str(tmp_path / "demo.h5") in text


def test_resume_with_other_tables_is_refused(tmp_path, client, monkeypatch):
    from hpcore.sweeps import execute

    args = dict(fluid="R290", axes={"T_evap": [260.0, 270.0], "T_cond": [310.0]}, fixed=FIXED,
                outputs=["COP_heating"], client=client, store=tmp_path / "t.h5", progress=False)
    with pytest.raises(KeyboardInterrupt):
        hpcore.sweep(**args, chunk_size=1, _on_chunk=lambda k: (_ for _ in ()).throw(KeyboardInterrupt()))
    real = execute._client_digests
    monkeypatch.setattr(execute, "_client_digests", lambda spec: {f: "0" * 64 for f in real(spec)})
    with pytest.raises(ValueError, match="computed with other property tables for n-Propane.*refusing to mix"):
        hpcore.sweep(**args, chunk_size=1)
    monkeypatch.setattr(execute, "_client_digests", real)
    stats = {}
    ds = hpcore.sweep(**args, chunk_size=1, _stats=stats)
    assert len(stats["computed"]) == 1 and ds.attrs["complete"] == 1


def test_heat_pump_toml_with_component_tables(tmp_path, client):
    from hpcore.components import DisplacementCompressor, HeatExchanger, SecondaryFluid, solve_heat_pump
    from hpcore.sweeps import load_toml

    spec = tmp_path / "hp.toml"
    spec.write_text(
        """
model = "heat_pump"
fluid = "R290"
outputs = ["COP_heating", "power"]
[axes]
T_source_in = { start = 0, stop = 10, num = 3, unit = "degC" }
T_sink_in = [308.15, 318.15]
evaporator = [{ UA = 1500.0 }, { UA = 3000.0 }]
[fixed]
source_mass_flow = 0.8
sink_mass_flow = 0.4
condenser = { UA = 2500.0 }
source = "water"
sink = "water"
compressor = { type = "DisplacementCompressor", displacement = 3.0e-5, eta_vol = 0.9, eta_is = 0.65, speed_max = 100.0 }
"""
    )
    kwargs, _ = load_toml(spec)
    ds = hpcore.sweep(client=client, store=tmp_path / "hp.h5", progress=False, **kwargs)
    comp = DisplacementCompressor(3.0e-5, 0.9, 0.65, speed_max=100.0)
    Ts, Tk = np.meshgrid(ds.T_source_in.values, ds.T_sink_in.values, indexing="ij")
    ref = solve_heat_pump("R290", comp, HeatExchanger(UA=3000.0), HeatExchanger(UA=2500.0),
                          source=SecondaryFluid("water"), sink=SecondaryFluid("water"), T_source_in=Ts.ravel(),
                          source_mass_flow=0.8, T_sink_in=Tk.ravel(), sink_mass_flow=0.4,
                          outputs=["COP_heating", "power"], errors="ignore", as_dataset=False)
    np.testing.assert_array_equal(ds.power.sel(evaporator='{"UA":3000.0}').values.ravel(), ref["power"])
    assert (ds.status.values == 0).any()
    assert json.loads(str(ds.compressor.values))["type"] == "DisplacementCompressor"
