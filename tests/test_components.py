"""Tests of hpcore.components: compressor maps, effectiveness-NTU, secondary fluids, zones, system solve.

Reference values carry their source and a tolerance named with its unit.
Thermodynamic references come from CoolProp HEOS/INCOMP through
``tests/reference_components.py``, which shares no code with the kernels.
"""
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import CoolProp.CoolProp as CP

import reference_components as ref
from hpcore import Status
from hpcore.components import (
    AHRI540Compressor,
    DisplacementCompressor,
    EN12900Compressor,
    HeatExchanger,
    SecondaryFluid,
    VariableSpeedCompressor,
    counterflow_effectiveness,
    effectiveness,
    fit_ten_coefficients,
    HighPressureControl,
    gas_cooler,
    ntu_from_effectiveness,
    simulate_heat_pump,
    solve_heat_pump,
)
from hpcore.components._kernels import SP_H0, SP_IDH, SP_M
from hpcore.status import HPCoreWarning

FLUID = "R32"

# ---------------------------------------------------------------------------------------------------
# A published AHRI 540 map: the 3-ton R410A scroll-compressor map shipped with ACHP
# (I. Bell et al., ACHP - Air Conditioning and Heat Pump model, documentation and examples,
# ACHP 1.4, "A 3 ton cooling capacity compressor map"), coefficients C1..C10 for
# mass flow [lbm/h] and power [W] in the AHRI 540 form and term order.
ACHP_M = ["217.3163128", "5.094492028", "-0.593170311", "4.38E-02", "-2.14E-02",
          "1.04E-02", "7.90E-05", "-5.73E-05", "1.79E-04", "-8.08E-05"]
ACHP_P = ["-561.3615705", "-15.62601841", "46.92506685", "-0.217949552", "0.435062616",
          "-0.442400826", "2.25E-04", "2.37E-03", "-3.32E-03", "2.50E-03"]
M = [float(c) for c in ACHP_M]
P = [float(c) for c in ACHP_P]

# Reference values: the published polynomial hand-evaluated in exact rational arithmetic at the
# AHRI 540 air-conditioning rating point (45 degF suction, 130 degF discharge dew point) and at
# 20 degF / 100 degF. Computed once with fractions.Fraction from the coefficients above:
#   mass flow (45, 130)  = 459.44786363  lbm/h   power (45, 130)  = 3074.96641795 W
#   mass flow (20, 100)  = 291.94912226  lbm/h   power (20, 100)  = 2110.1618975  W
# (test_ahri540_reference_values re-derives them term by term, so a wrong constant fails too.)
AHRI_POINTS = [  # (S degF, D degF, m lbm/h, P W)
    (45, 130, "459.44786363", "3074.96641795"),
    (20, 100, "291.94912226", "2110.1618975"),
]
MAP_RTOL = 1e-12  # [-] the polynomial in float64 against exact arithmetic
LBM_KG = Fraction("0.45359237")


def F_to_K(F):
    return (F + 459.67) / 1.8


def exact_poly(c, x, y):
    c = [Fraction(v) for v in c]
    x = Fraction(x)
    y = Fraction(y)
    return (c[0] + c[1] * x + c[2] * y + c[3] * x * x + c[4] * x * y + c[5] * y * y
            + c[6] * x ** 3 + c[7] * y * x ** 2 + c[8] * x * y ** 2 + c[9] * y ** 3)


@pytest.mark.parametrize("S, D, m_ref, p_ref", AHRI_POINTS)
def test_ahri540_reference_values(S, D, m_ref, p_ref):
    m_exact = exact_poly(ACHP_M, S, D)
    p_exact = exact_poly(ACHP_P, S, D)
    assert float(m_exact) == pytest.approx(float(m_ref), rel=1e-9)
    assert float(p_exact) == pytest.approx(float(p_ref), rel=1e-9)
    comp = AHRI540Compressor(M, P)
    T_s, T_d = F_to_K(S), F_to_K(D)
    # lbm/h -> kg/s at the edge, exactly
    assert comp.mass_flow(T_s, T_d) == pytest.approx(float(m_exact * LBM_KG / 3600), rel=MAP_RTOL)
    assert comp.power(T_s, T_d) == pytest.approx(float(p_exact), rel=MAP_RTOL)


def test_ahri540_capacity_in_btu_per_hour():
    # capacity coefficients C1 = 36000 Btu/h (3 tons), others 0: 36000 Btu/h = 10550.5585262 W (IT Btu)
    comp = AHRI540Compressor(M, P, capacity_coeffs=[36000.0] + [0.0] * 9)
    assert comp.capacity(280.0, 320.0) == pytest.approx(10550.5585262, rel=1e-12)


# ---------------------------------------------------------------------------------------------------
# EN 12900. Published data: BITZER semi-hermetic screw compressor HSK (R134a, 50 Hz, 10 K superheat...
# as reproduced in the TESPy documentation, PolynomialCompressor example, citing BITZER (2025)):
# refrigerating capacity [W] and power input [kW] at tc = 30, 40, 50 degC and to = 10 ... -10 degC.
EN_TO = [10, 7.5, 5, 0, -5, -10]
EN_TC = [30, 40, 50]
EN_Q = [[465600, 424100, 385500, 316700, 257900, 208000],
        [418900, 380400, 344800, 281400, 227400, 181600],
        [365900, 331300, 299200, 242100, 193700, 152900]]
EN_P_KW = [[62.0, 61.8, 61.8, 61.8, 61.7, 61.3],
           [78.0, 78.0, 78.0, 78.0, 77.7, 76.8],
           [99.2, 99.2, 99.2, 98.9, 98.1, 96.5]]
EN_FIT_RTOL = 0.01  # [-] ten-coefficient fit against the published table (EN 12900 tolerances are wider)


def test_en12900_form_hand_evaluated():
    c = [1.5, -2.0, 0.25, 3e-3, -4e-3, 5e-3, 6e-5, -7e-5, 8e-5, -9e-5]
    to, tc = -7.5, 45.0
    exact = exact_poly([repr(v) for v in c], Fraction(-15, 2), 45)
    comp = EN12900Compressor(mass_flow_coeffs=c, power_coeffs=c, power_unit="kW", mass_flow_unit="kg/h")
    T_e, T_c = to + 273.15, tc + 273.15
    # degC at the edge: T - 273.15 carries a rounding of ~1e-14 K, hence the tolerance
    assert comp.power(T_e, T_c) == pytest.approx(float(exact) * 1000.0, rel=1e-11)
    assert comp.mass_flow(T_e, T_c) == pytest.approx(float(exact) / 3600.0, rel=1e-11)


def test_en12900_published_table_through_fit():
    to, tc = np.meshgrid(EN_TO, EN_TC)
    q = np.array(EN_Q, dtype=float)
    p = np.array(EN_P_KW, dtype=float)
    cq = fit_ten_coefficients(to, tc, q, form="EN12900")
    cp = fit_ten_coefficients(to, tc, p, form="EN12900")
    comp = EN12900Compressor(power_coeffs=cp, capacity_coeffs=cq, power_unit="kW", capacity_unit="W",
                             rated_superheat=10.0, rated_subcooling=0.0)
    T_e, T_c = to + 273.15, tc + 273.15
    np.testing.assert_allclose(comp.capacity(T_e, T_c), q, rtol=EN_FIT_RTOL)
    np.testing.assert_allclose(comp.power(T_e, T_c), p * 1000.0, rtol=EN_FIT_RTOL)


def test_map_configuration_errors_name_the_argument():
    with pytest.raises(ValueError, match="power_coeffs"):
        AHRI540Compressor(M, P[:9])
    with pytest.raises(ValueError, match="power_unit"):
        EN12900Compressor(M, P, power_unit="hp")
    with pytest.raises(ValueError, match="density_correction"):
        AHRI540Compressor(M, P, density_correction=2.0)
    with pytest.raises(ValueError, match="speed_min"):
        VariableSpeedCompressor([AHRI540Compressor(M, P), AHRI540Compressor(M, P)], [30, 60], speed_min=10)


def test_superheat_correction_is_the_density_ratio():
    comp = AHRI540Compressor(M, P)
    Te, Tc = 275.0, 318.0
    AS = ref.heos(FLUID)
    m_ref, p_ref = ref.ahri_map_compressor(AS, M, P, Te, Tc, 3.0, comp.rated_superheat)
    res = comp.performance(FLUID, Te, Tc, 3.0)
    assert res["m_dot"] == pytest.approx(m_ref, rel=1e-6)
    assert res["power"] == pytest.approx(p_ref, rel=1e-12)
    # capacity at the actual superheat, rated subcooling: m (h_1 - h_liquid)
    p_c = ref.sat(AS, Tc)[0]
    h_liq = ref.pT(AS, p_c, Tc - comp.rated_subcooling)[0]
    h1 = ref.pT(AS, ref.sat(AS, Te)[0], Te + 3.0)[0]
    assert res["capacity"] == pytest.approx(m_ref * (h1 - h_liq), rel=1e-6)
    # at the rated superheat, the map itself
    at_rated = comp.performance(FLUID, Te, Tc, comp.rated_superheat)
    assert at_rated["m_dot"] == pytest.approx(comp.mass_flow(Te, Tc), rel=1e-12)


def test_variable_speed_interpolates_between_maps():
    a = AHRI540Compressor(M, P)
    b = AHRI540Compressor([2 * v for v in M], [2 * v for v in P])
    vs = VariableSpeedCompressor([a, b], [30.0, 90.0], speed_min=40.0, speed_max=90.0)
    Te, Tc = 275.0, 320.0
    assert vs.mass_flow(Te, Tc, 90.0) == pytest.approx(b.mass_flow(Te, Tc), rel=1e-14)
    assert vs.power(Te, Tc, 60.0) == pytest.approx(1.5 * a.power(Te, Tc), rel=1e-13)
    with pytest.warns(HPCoreWarning, match="OUT_OF_DOMAIN"):
        out = vs.mass_flow([Te, Te], [Tc, Tc], [35.0, 60.0])
    assert np.isnan(out[0]) and np.isfinite(out[1])


def test_displacement_compressor_against_coolprop():
    comp = DisplacementCompressor(30e-6, eta_vol=0.92, eta_is=0.7, speed_min=20.0, speed_max=100.0)
    Te, Tc, sh, n = 270.0, 320.0, 5.0, 50.0
    res = comp.performance(FLUID, Te, Tc, sh, speed=n)
    AS = ref.heos(FLUID)
    p_e, p_c = ref.sat(AS, Te)[0], ref.sat(AS, Tc)[0]
    h1, D1, s1 = ref.pT(AS, p_e, Te + sh)
    AS.update(CP.PSmass_INPUTS, p_c, s1)
    m = 0.92 * 30e-6 * n * D1
    assert res["m_dot"] == pytest.approx(m, rel=1e-6)
    assert res["power"] == pytest.approx(m * (AS.hmass() - h1) / 0.7, rel=1e-6)


# --------------------------------------------------------------------------------------------------- eps-NTU

ARRS = ["counterflow", "parallel", "crossflow", "crossflow_cmax_mixed", "crossflow_cmin_mixed"]


def test_effectiveness_published_value_and_limits():
    # counterflow, NTU 5, C_r 0.7 (STYLE.md example; closed form of Incropera Table 11.3)
    assert counterflow_effectiveness(5.0, 0.7) == pytest.approx(0.920670368605, abs=1e-12)
    ntu = np.array([0.1, 1.0, 3.0])
    for arr in ARRS:
        np.testing.assert_allclose(effectiveness(ntu, 0.0, arr), 1 - np.exp(-ntu), rtol=1e-14)
    np.testing.assert_allclose(effectiveness(ntu, 1.0, "counterflow"), ntu / (1 + ntu), rtol=1e-14)
    np.testing.assert_allclose(effectiveness(ntu, 1.0, "parallel"), (1 - np.exp(-2 * ntu)) / 2, rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(ntu=hs.floats(0.01, 8.0), c_r=hs.floats(0.0, 1.0), arr=hs.sampled_from(ARRS))
def test_ntu_round_trip(ntu, c_r, arr):
    eps = effectiveness(ntu, c_r, arr)
    assert 0.0 < eps < 1.0
    back = ntu_from_effectiveness(eps, c_r, arr, errors="ignore")
    if np.isfinite(back):
        assert back == pytest.approx(ntu, rel=1e-7)
    else:  # eps numerically at the arrangement's limit (very large NTU)
        assert ntu > 5


def test_ntu_beyond_limit_is_flagged_not_inf():
    with pytest.warns(HPCoreWarning, match="INFEASIBLE"):
        v = ntu_from_effectiveness([0.4, 0.6], 1.0, "parallel")  # limit 0.5
    assert np.isfinite(v[0]) and np.isnan(v[1])


# --------------------------------------------------------------------------------------------------- secondary


@pytest.mark.parametrize("name, conc, model, p", [
    ("water", None, "INCOMP::Water", 3e5),
    ("MEG", 0.3, "INCOMP::MEG[0.3]", 3e5),
    ("MPG", 0.25, "INCOMP::MPG[0.25]", 3e5),
])
def test_secondary_against_coolprop(name, conc, model, p):
    fl = SecondaryFluid(name, conc)
    T = np.linspace(max(fl.T_min, 262.0) + 0.1, 350.0, 37)
    h_cp = np.array([CP.PropsSI("H", "T", t, "P", p, model) for t in T])
    c_cp = np.array([CP.PropsSI("C", "T", t, "P", p, model) for t in T])
    np.testing.assert_allclose(fl.h(T) - fl.h(T[0]), h_cp - h_cp[0], rtol=1e-9, atol=1e-6)
    # cp = dh/dT of the table; CoolProp's INCOMP h and cp are separate fits, 2.4e-4 apart
    np.testing.assert_allclose(fl.cp(T), c_cp, rtol=5e-4)
    np.testing.assert_allclose(fl.T(fl.h(T)), T, rtol=0, atol=1e-10)


@pytest.mark.parametrize("fluid", [("water", None), ("MEG", 0.3), ("MPG", 0.4), ("air", None), ("constant_cp", 4180.0)])
def test_secondary_T_is_the_inverse_of_h_to_rounding(fluid):
    """T(h) (each forward cell's inverse polynomial) inverts h(T) to rounding over the whole
    table: random points, the forward table's nodes, the bins' edges, both ends."""
    name, arg = fluid
    fl = SecondaryFluid.constant_cp(arg) if name == "constant_cp" else SecondaryFluid(name, arg)
    spar, stab, itab = fl.arrays
    rng = np.random.default_rng(11)
    T = np.concatenate([rng.uniform(fl.T_min, fl.T_max, 20000), spar[0] + spar[1] * np.arange(int(spar[2])),
                        [fl.T_min, fl.T_max]])
    T = np.clip(T, fl.T_min, fl.T_max)
    h = fl.h(T)
    T2 = fl.T(h)
    assert np.max(np.abs(T2 - T)) <= 1e-12 * fl.T_max
    # h back from T: what a rounding of T (a few ulp) moves it, at most
    ulp_h = np.max(stab[:, 1]) * np.finfo(float).eps * fl.T_max
    assert np.max(np.abs(fl.h(T2) - h)) <= 4 * ulp_h
    # the bins' edges (where the cell lookup switches bins) and the enthalpies just below them
    edges = spar[SP_H0] + np.arange(1, int(spar[SP_M])) / spar[SP_IDH]
    he = np.sort(np.concatenate([edges, np.nextafter(edges, -np.inf)]))
    Te = fl.T(he)
    assert np.max(np.abs(fl.h(Te) - he)) <= 4 * ulp_h
    assert np.all(np.diff(Te) >= 0.0)
    assert fl.T(stab[0, 0]) == pytest.approx(fl.T_min, abs=1e-12 * fl.T_max)
    assert fl.T(stab[-1, 0]) == pytest.approx(fl.T_max, abs=1e-12 * fl.T_max)
    # beyond the table by more than rounding: flagged, not extrapolated
    span = stab[-1, 0] - stab[0, 0]
    with pytest.warns(HPCoreWarning, match="OUT_OF_TABLE: 2"):
        out = fl.T([stab[0, 0] - 1e-9 * span, stab[-1, 0] + 1e-9 * span, stab[0, 0]])
    assert np.isnan(out[:2]).all() and out[2] == pytest.approx(fl.T_min, abs=1e-12 * fl.T_max)


def test_air_and_freezing_brine():
    air = SecondaryFluid("air")
    assert air.cp(280.0) == pytest.approx(CP.PropsSI("C", "T", 280.0, "P", 101325.0, "Air"), rel=1e-6)
    brine = SecondaryFluid("MEG", 0.3)
    T_freeze = CP.PropsSI("T_freeze", "T", 293.15, "P", 3e5, "INCOMP::MEG[0.3]")
    assert brine.T_min == pytest.approx(T_freeze, abs=1e-9)
    with pytest.warns(HPCoreWarning, match="OUT_OF_TABLE"):
        out = brine.h([T_freeze - 1.0, 280.0])
    assert np.isnan(out[0]) and np.isfinite(out[1])
    with pytest.raises(ValueError, match="concentration"):
        SecondaryFluid("MEG")
    with pytest.raises(ValueError, match="secondary fluid"):
        SecondaryFluid("brine")


# --------------------------------------------------------------------------------------------------- zones


def test_condenser_zones_against_reference_and_pinch_inside():
    # cold water, modest flow: the pinch sits at the dew point, inside the exchanger
    AS = ref.heos(FLUID)
    Tc, m = 318.15, 0.05
    p_c, hv, _, _, hl = ref.sat(AS, Tc)
    h_in = ref.pT(AS, p_c, 360.0)[0]
    h_out = ref.pT(AS, p_c, Tc - 3.0)[0]
    water = SecondaryFluid("water")
    hx = HeatExchanger(UA=2000.0)
    res = hx.condenser(FLUID, m, h_in, h_out, Tc, water, 298.15, 0.3)
    src = ref.Secondary("INCOMP::Water", 3e5)
    Q_sc, Q_cd, Q_ds = m * (hl - h_out), m * (hv - hl), m * (h_in - hv)
    hk0 = src.h(298.15)
    Tk1 = src.T(hk0 + Q_sc / 0.3)
    Tk2 = src.T(hk0 + (Q_sc + Q_cd) / 0.3)
    Tk3 = src.T(hk0 + (Q_sc + Q_cd + Q_ds) / 0.3)
    diffs = [Tc - 3.0 - 298.15, Tc - Tk1, Tc - Tk2, 360.0 - Tk3]
    ua = (ref.zone_ua(Q_sc, Tc, Tc - 3.0, 298.15, Tk1, "counterflow") + ref.zone_ua(Q_cd, Tc, Tc, Tk1, Tk2, "counterflow")
          + ref.zone_ua(Q_ds, 360.0, Tc, Tk2, Tk3, "counterflow"))
    assert res["pinch"] == pytest.approx(min(diffs), abs=1e-6)
    assert int(np.argmin(diffs)) == 2  # at the dew point, not at an end
    assert res["UA_required"] == pytest.approx(ua, rel=1e-6)
    assert res["T_out"] == pytest.approx(Tk3, abs=1e-6)


def test_gas_cooler_discretized_pinch():
    # supercritical R32 (p_crit 5.78 MPa) cooled by water; more segments converge
    AS = ref.heos(FLUID)
    p = 7.0e6
    h_in = ref.pT(AS, p, 400.0)[0]
    h_out = ref.pT(AS, p, 310.0)[0]
    water = SecondaryFluid("water")
    r = [gas_cooler(FLUID, p, h_in, h_out, 0.05, water, 300.0, 0.2, n_segments=n) for n in (20, 80, 320)]
    assert all(x["status"] == 0 for x in r)
    assert r[2]["pinch"] > 0
    e1 = abs(r[1]["UA_required"] - r[2]["UA_required"])
    e0 = abs(r[0]["UA_required"] - r[2]["UA_required"])
    assert e1 < e0 / 4  # second-order convergence in the segment count
    Q = 0.05 * (h_in - h_out)
    assert water.h(r[2]["T_out"]) - water.h(300.0) == pytest.approx(Q / 0.2, rel=1e-12)


# --------------------------------------------------------------------------------------------------- system

ENERGY_RTOL = 1e-9  # [-]
REF_RTOL = 1e-6  # [-] against the CoolProp/scipy reference
UA_E, UA_C = 1500.0, 2500.0


@pytest.fixture(scope="module")
def plant():
    return dict(
        compressor=AHRI540Compressor(M, P),
        evaporator=HeatExchanger(UA=UA_E),
        condenser=HeatExchanger(UA=UA_C),
        source=SecondaryFluid("MEG", 0.3),
        sink=SecondaryFluid("water"),
    )


@pytest.fixture(scope="module")
def solved(plant):
    rng = np.random.default_rng(7)
    n = 300
    # lifts where the R410A map, used with R32, stays physical (eta_is <= 1; lower lifts are
    # flagged OUT_OF_DOMAIN by design)
    Tsi = rng.uniform(266.0, 276.0, n)
    Tki = rng.uniform(306.0, 320.0, n)
    ms = rng.uniform(0.5, 1.2, n)
    mk = rng.uniform(0.25, 0.6, n)
    ds = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, source_mass_flow=ms, T_sink_in=Tki, sink_mass_flow=mk,
                         superheat=5.0, subcooling=2.0, outputs=None, errors="ignore", as_dataset=False)
    full = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, source_mass_flow=ms, T_sink_in=Tki, sink_mass_flow=mk,
                           superheat=5.0, subcooling=2.0, errors="ignore", as_dataset=False,
                           outputs=["T_evap", "T_cond", "Q_heating", "Q_source", "power", "COP_heating", "eta_is",
                                    "pinch_evap", "pinch_cond", "UA_evap_required", "UA_cond_required",
                                    "T_source_out", "T_sink_out", "m_dot", "h_suction", "h_discharge", "h_liquid"])
    return dict(Tsi=Tsi, Tki=Tki, ms=ms, mk=mk, ds=ds, full=full)


def test_isentropic_efficiency_above_one_is_flagged_whatever_the_outputs_asked(plant):
    """Low lifts where the R410A map, used with R32, implies an isentropic efficiency above 1
    are flagged OUT_OF_DOMAIN by the second law on the states' entropies (s_2 < s_1), the
    same elements whether or not eta_is (and its isentropic look-up) is asked for; the
    points that pass have eta_is <= 1 to the tables' interpolation."""
    rng = np.random.default_rng(21)
    n = 400
    Tsi = rng.uniform(268.0, 290.0, n)
    Tki = rng.uniform(285.0, 312.0, n)
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, superheat=5.0, subcooling=2.0, errors="ignore",
              as_dataset=False)
    lean = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=Tki, outputs=["COP_heating"], **kw)
    full = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=Tki, outputs=["COP_heating", "eta_is"], **kw)
    np.testing.assert_array_equal(lean["status"], full["status"])
    flagged = full["status"] == Status.OUT_OF_DOMAIN
    ok = full["status"] == 0
    assert flagged.sum() > 20 and ok.sum() > 20
    assert np.all(full["eta_is"][ok] <= 1.0 + 1e-9)
    np.testing.assert_array_equal(lean["COP_heating"][ok], full["COP_heating"][ok])


def test_system_converges_with_closed_energy_balance(solved, plant):
    f = solved["full"]
    ok = f["status"] == 0
    assert ok.mean() > 0.9
    Qh, Qs, Pw = f["Q_heating"][ok], f["Q_source"][ok], f["power"][ok]
    np.testing.assert_allclose(Qh, Qs + Pw, rtol=ENERGY_RTOL)
    # secondary sides close on their own enthalpies
    sink, src = plant["sink"], plant["source"]
    np.testing.assert_allclose(solved["mk"][ok] * (sink.h(f["T_sink_out"][ok]) - sink.h(solved["Tki"][ok])), Qh,
                               rtol=ENERGY_RTOL)
    np.testing.assert_allclose(solved["ms"][ok] * (src.h(solved["Tsi"][ok]) - src.h(f["T_source_out"][ok])), Qs,
                               rtol=ENERGY_RTOL)
    assert np.all(f["pinch_evap"][ok] > 0) and np.all(f["pinch_cond"][ok] > 0)
    np.testing.assert_allclose(f["UA_evap_required"][ok], UA_E, rtol=1e-8)
    np.testing.assert_allclose(f["UA_cond_required"][ok], UA_C, rtol=1e-8)
    # flagged elements are NaN, nothing is inf
    assert np.all(np.isnan(f["COP_heating"][~ok]))
    assert not np.any(np.isinf(f["COP_heating"]))


def test_system_solution_does_not_depend_on_order_or_start(plant):
    """The same points solved along a grid (warm starts from the neighbours), shuffled
    (starts from unrelated points) and one by one (cold starts) all converge, to the same
    temperatures. The grid takes in the high-lift corner by the brine's freezing point,
    where a start with the discharge beyond the table, or trials with the brine below its
    freezing point, used to end in NOT_CONVERGED for 2.5 % of shuffled points."""
    a, b = np.meshgrid(np.linspace(264.0, 270.0, 16), np.linspace(314.0, 322.0, 16), indexing="ij")
    Tsi, Tki = a.ravel(), b.ravel()
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, superheat=5.0, subcooling=2.0, errors="ignore",
              as_dataset=False, outputs=["T_evap", "T_cond", "iterations"])
    grid = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=Tki, **kw)
    assert np.all(grid["status"] == 0)
    perm = np.random.default_rng(3).permutation(len(Tsi))
    # order="given": solved in the shuffled order itself (the default would reorder it)
    shuffled = solve_heat_pump(FLUID, **plant, T_source_in=Tsi[perm], T_sink_in=Tki[perm], order="given", **kw)
    assert np.all(shuffled["status"] == 0)
    # evaluations counted per element: whole numbers, at least the one at the solution;
    # along the grid's rows (0.53 K steps) the extrapolated starts take 3-5 (measured),
    # starts from unrelated points about twice as many
    for res in (grid, shuffled):
        it = res["iterations"]
        assert np.all(it >= 1) and np.all(it == np.round(it))
    rows = grid["iterations"].reshape(16, 16)[:, 4:]
    assert np.median(rows) <= 5.0
    assert np.median(shuffled["iterations"]) > 1.5 * np.median(rows)
    for key in ("T_evap", "T_cond"):
        np.testing.assert_allclose(shuffled[key], grid[key][perm], rtol=0, atol=1e-7)
    for i in range(0, len(Tsi), 8):
        alone = solve_heat_pump(FLUID, **plant, T_source_in=Tsi[i:i + 1], T_sink_in=Tki[i:i + 1], **kw)
        assert alone["status"][0] == 0, (Tsi[i], Tki[i])
        assert alone["T_evap"][0] == pytest.approx(grid["T_evap"][i], abs=1e-7)
        assert alone["T_cond"][0] == pytest.approx(grid["T_cond"][i], abs=1e-7)


def _auto_and_given(plant, args, kw):
    """The same random samples solved with order="auto" and order="given": both results and
    the mask of solved points, after checking that the statuses agree and the temperatures
    agree to the solver's tolerance."""
    auto = solve_heat_pump(FLUID, **plant, **args, **kw)
    given = solve_heat_pump(FLUID, **plant, **args, order="given", **kw)
    ok = given["status"] == 0
    assert ok.mean() > 0.95
    np.testing.assert_array_equal(auto["status"], given["status"])
    for key in ("T_evap", "T_cond"):
        np.testing.assert_allclose(auto[key][ok], given[key][ok], rtol=0, atol=1e-7)
    return auto, given, ok


def test_random_samples_are_solved_along_a_curve(plant):
    """order="auto" solves random samples along a Morton curve through the varying inputs
    (neighbours near each other) and returns them in the given order: the same temperatures
    as the given order to the solver's tolerance, in fewer cycle states; a grid keeps its
    order (the same results bit for bit)."""
    rng = np.random.default_rng(11)
    n = 3000
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, superheat=5.0, subcooling=2.0,
              errors="ignore", as_dataset=False, outputs=["T_evap", "T_cond", "COP_heating", "iterations"])
    Tsi, Tki = rng.uniform(266.0, 276.0, n), rng.uniform(306.0, 320.0, n)
    auto, given, ok = _auto_and_given(plant, dict(T_source_in=Tsi, T_sink_in=Tki), kw)
    np.testing.assert_allclose(auto["COP_heating"][ok], given["COP_heating"][ok], rtol=1e-9)
    # measured: 2.82 against 4.64 cycle states a point (3.84 against 6.20 before the local fits)
    assert np.mean(auto["iterations"][ok]) < 0.7 * np.mean(given["iterations"][ok])
    a, b = np.meshgrid(np.linspace(266.0, 276.0, 40), np.linspace(306.0, 320.0, 40), indexing="ij")
    g1 = solve_heat_pump(FLUID, **plant, T_source_in=a.ravel(), T_sink_in=b.ravel(), **kw)
    g2 = solve_heat_pump(FLUID, **plant, T_source_in=a.ravel(), T_sink_in=b.ravel(), order="given", **kw)
    for key in g1:
        np.testing.assert_array_equal(g1[key], g2[key])
    with pytest.raises(ValueError, match="order='sorted'"):
        solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=Tki, order="sorted", **kw)


@pytest.mark.parametrize("nbits", [1, 11, 12, 24, 33, 63])
def test_radix_argsort_is_numpys_stable_argsort(nbits):
    """The solve order's sort (LSD radix, 11 bits a pass) gives numpy's stable argsort,
    duplicates included, for key widths that end on and between pass boundaries."""
    from hpcore.components import _system_kernels as SK

    rng = np.random.default_rng(nbits)
    for n in (0, 1, 2, 4097):
        keys = rng.integers(0, 2 ** min(nbits, 62), n, dtype=np.uint64)
        if nbits == 63 and n:
            keys[0] = np.uint64(2 ** 63 - 1)
        keys[: n // 3] = keys[n // 3: 2 * (n // 3)]
        perm = np.full(n, -1, dtype=np.int64)
        expected = np.argsort(keys, kind="stable")
        SK.radix_argsort(keys.copy(), nbits, perm, np.empty(n, dtype=np.int64), np.empty(n, dtype=np.uint64),
                         np.empty(SK.RADIX_COUNT, dtype=np.int64))
        np.testing.assert_array_equal(perm, expected)


@pytest.mark.parametrize("d", [1, 2, 3, 5])
def test_morton_keys_interleave_every_bit(d):
    """Each coordinate's quantized bits, most significant first, end at every d-th bit of
    the key (bit b of coordinate j at b d + j), checked bit by bit against the quantized
    coordinates; 0 and 1 (and NaN as 0) at the ends."""
    from hpcore.components import _system_kernels as SK

    rng = np.random.default_rng(d)
    bits = min(63 // d, 52)  # (the solve asks for at most log2(n) / d + 3)
    X = rng.uniform(0.0, 1.0, (d, 500))
    X[:, 0] = 0.0
    X[:, 1] = 1.0
    X[0, 2] = np.nan
    keys = np.empty(500, dtype=np.uint64)
    SK.morton_keys(X, bits, SK.spread_table(d), keys)
    top = (1 << bits) - 1
    for i in range(500):
        key = int(keys[i])
        for j in range(d):
            x = X[j, i]
            q = top if x >= 1.0 else (int(x * float(top)) if x > 0.0 else 0)
            got = sum(((key >> (b * d + j)) & 1) << b for b in range(bits))
            assert got == q
        assert key >> (bits * d) == 0


def _fit_history(pts, rng):
    """A history as the solve keeps it (rows: the two scaled inputs, T_evap, T_cond, the
    Jacobian) for the points ``pts`` (2 x 12), with the solution a known quadratic and the
    Jacobian a known linear function of the inputs; returns it and those functions."""
    from hpcore.components import _system_kernels as SK

    cq = rng.normal(size=(2, 6))
    cl = rng.normal(size=(4, 3))

    def quad(u, v):
        return cq @ np.array([np.ones_like(u), u, v, u * u, u * v, v * v]) + np.array([[270.0], [320.0]])

    def lin(u, v):
        return cl @ np.array([np.ones_like(u), u, v])

    HT = np.empty((8, SK._K2))
    HT[0:2] = pts
    HT[2:4] = quad(pts[0], pts[1])
    HT[4:8] = lin(pts[0], pts[1])
    return HT, quad, lin


def test_local_fits_are_exact_for_quadratic_solutions_and_linear_jacobians():
    """The warm start of two-input samples (:func:`_fits2`): least squares through the last 12
    solutions reproduce a solution quadratic in the inputs and a Jacobian linear in them, to
    rounding; points on a line (which leave a direction undetermined) and points not around
    the element (the farthest more than _FIT_SPAN times as far as the nearest) give no fit."""
    from hpcore.components import _system_kernels as SK

    rng = np.random.default_rng(3)
    u0, v0 = 0.4, 0.6
    pts = np.array([[u0], [v0]]) + rng.uniform(-0.01, 0.01, (2, SK._K2))
    HT, quad, lin = _fit_history(pts, rng)
    okq, te, tc, okl, j11, j12, j21, j22 = SK._fits2(HT, u0, v0)
    assert okq and okl
    want = quad(np.array([u0]), np.array([v0]))[:, 0]
    np.testing.assert_allclose([te, tc], want, rtol=0, atol=1e-9)
    np.testing.assert_allclose([j11, j12, j21, j22], lin(np.array([u0]), np.array([v0]))[:, 0], rtol=0, atol=1e-9)
    # all on one line through the element: neither fit is determined
    t = rng.uniform(-0.01, 0.01, SK._K2)
    HT_line, _, _ = _fit_history(np.array([u0 + t, v0 + 0.5 * t]), rng)
    assert SK._fits2(HT_line, u0, v0)[0] is False and SK._fits2(HT_line, u0, v0)[3] is False
    # on two lines: the linear fit is determined, the quadratic one (no v^2) is not
    two = np.where(np.arange(SK._K2) % 2 == 0, 0.005, -0.005)
    HT_two, _, lin2 = _fit_history(np.array([u0 + t, v0 + two]), rng)
    r = SK._fits2(HT_two, u0, v0)
    assert r[0] is False and r[3] is True
    np.testing.assert_allclose(r[4:], lin2(np.array([u0]), np.array([v0]))[:, 0], rtol=0, atol=1e-9)
    # the points 0.1 to 0.11 away, one of them 0.003 away: ratio above 32, no fit
    far = np.array([[u0 + 0.1], [v0]]) + rng.uniform(0.0, 0.01, (2, SK._K2))
    far[:, 0] = (u0 + 0.003, v0)
    HT_far, _, _ = _fit_history(far, rng)
    r = SK._fits2(HT_far, u0, v0)
    assert r[0] is False and r[3] is False
    # the same points with the nearest 0.0035 away: within 32 times, fitted
    far[:, 0] = (u0 + 0.0035, v0)
    HT_far, quad_f, _ = _fit_history(far, rng)
    r = SK._fits2(HT_far, u0, v0)
    assert r[0] is True
    np.testing.assert_allclose(r[1:3], quad_f(np.array([u0]), np.array([v0]))[:, 0], rtol=0, atol=1e-7)


def test_fit_window_updated_in_place_matches_fits_computed_afresh():
    """The solve keeps the fits' sums up to date as solutions enter and leave the window of
    the last 12 (:func:`_fw_push`, re-anchored after 12 pushes or a jump); its fits agree
    with fits computed afresh from the same history, to rounding, along a path that
    wanders and jumps (a Morton curve's quadrant change)."""
    from hpcore.components import _system_kernels as SK

    rng = np.random.default_rng(5)
    steps = rng.uniform(-0.004, 0.004, (2, 120))
    steps[:, 50] = (0.3, -0.2)  # a jump
    path = 0.3 + np.cumsum(steps, axis=1)

    def sol(u, v):  # smooth, not polynomial: the fits are not exact, only their rounding differs
        return np.array([265.0 + 3.0 * np.exp(u) * np.sin(2.0 * v), 315.0 + np.log1p(u * u + v) * 4.0,
                         np.cos(u + v), u * v + 1.0, np.exp(-u), 2.0 + np.sin(3.0 * v)])

    HT = np.empty((8, SK._K2))
    FW = np.empty((SK._FW_ROWS, SK._NPROD))
    compared = anchors = 0
    for n in range(1, path.shape[1]):
        i = (n - 1) % SK._K2
        HT[0:2, i] = path[:, n - 1]
        HT[2:8, i] = sol(*path[:, n - 1])
        before = FW[SK._K2 + 1, 5]
        SK._fw_push(HT, FW, i, n)
        if n < SK._K2:
            continue
        anchors += FW[SK._K2 + 1, 5] == 0.0 and before != 0.0
        u0, v0 = path[:, n]
        kept = SK._fw_fit(HT, FW, u0, v0)
        fresh = SK._fits2(HT, u0, v0)
        assert kept[0] == fresh[0] and kept[3] == fresh[3]
        if kept[0]:
            compared += 1
            np.testing.assert_allclose(kept[1:3], fresh[1:3], rtol=0, atol=1e-10)
            np.testing.assert_allclose(kept[4:], fresh[4:], rtol=1e-9, atol=1e-12)
    assert compared > 80 and anchors >= 5


def test_two_input_random_samples_converge_after_one_newton_step(plant):
    """A random sample in two inputs (source and sink inlet temperatures), solved along its
    Morton curve, starts each element from the local fits: most elements take two cycle
    states (the start and one Newton step; three or more each without the fits)."""
    rng = np.random.default_rng(12)
    n = 20_000
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, superheat=5.0, subcooling=2.0,
              errors="ignore", as_dataset=False, outputs=["iterations"])
    res = solve_heat_pump(FLUID, **plant, T_source_in=rng.uniform(266.0, 276.0, n),
                          T_sink_in=rng.uniform(306.0, 320.0, n), **kw)
    it = res["iterations"][res["status"] == 0]
    assert it.size > 0.95 * n
    # measured: 74 % in two states, 2.29 a point (before the fits 0.5 % and 3.28)
    assert np.mean(it == 2) > 0.6
    assert np.mean(it) < 2.5


@pytest.mark.parametrize("Tsi, Tki, sh", [(266.0723322039807, 318.138221241689, 6.9579371050050325),
                                           (266.2885549098779, 319.79404096844775, 6.975223021964357)])
def test_superheat_limited_point_converges_by_newton(plant, Tsi, Tki, sh):
    """Points where the large evaporator heats the suction vapour to within 1e-8 K of the
    source inlet (T_evap + superheat -> T_source_in, the required UA growing like the log of
    the gap): Newton in the log of the gap converges in a few tens of cycle states (these
    points took 900-1000 before, in the nested fallback). Converged means both exchangers
    need the UA they have: the condenser to 1e-8, the evaporator to what rounding T_evap
    allows there (its residual moves by about 1e-7 a rounding)."""
    kw = dict(source_mass_flow=0.8, sink_mass_flow=0.4, subcooling=2.0, as_dataset=False,
              outputs=["T_evap", "iterations", "pinch_evap", "Q_heating", "Q_source", "power", "UA_evap_required",
                       "UA_cond_required"])
    r = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=Tki, superheat=sh, **kw)
    assert r["status"] == 0
    assert r["iterations"] < 60
    gap = Tsi - sh - float(r["T_evap"])
    assert 0.0 < gap < 1e-7
    assert 0.0 <= float(r["pinch_evap"]) < 1e-7
    np.testing.assert_allclose(r["UA_cond_required"], UA_C, rtol=1e-8)
    np.testing.assert_allclose(r["UA_evap_required"], UA_E, rtol=1e-5)
    np.testing.assert_allclose(r["Q_heating"], r["Q_source"] + r["power"], rtol=1e-9)


def test_random_samples_with_varying_superheat_have_no_long_tail(plant):
    """A random sample in source and sink temperatures and superheat: 2 % of its elements
    end within 1e-4 K of the evaporator's barrier (T_evap + superheat at the source inlet).
    Before the logarithmic steps there, they took 301 cycle states each on average (up to
    1900; 69 % of them more than 50) and the sample 12.9 a point; now 13.0 and 5.09 (none above
    78: one had taken 854 before T_cond's step with T_evap held at its rounding, _newton)."""
    rng = np.random.default_rng(0)
    n = 20_000
    Tsi, sh = rng.uniform(266.0, 276.0, n), rng.uniform(3.0, 7.0, n)
    res = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, T_sink_in=rng.uniform(306.0, 320.0, n), superheat=sh,
                          source_mass_flow=0.8, sink_mass_flow=0.4, subcooling=2.0, errors="ignore", as_dataset=False,
                          outputs=["iterations", "T_evap"])
    ok = res["status"] == 0
    assert ok.mean() > 0.99
    it = res["iterations"][ok]
    near = (Tsi - sh - res["T_evap"])[ok] < 1e-4
    assert near.sum() > 100
    assert np.mean(it[near]) < 30.0
    assert it.max() < 150
    assert np.mean(it) < 7.0


def test_reordered_solve_permutes_varying_arrays_only(plant):
    """Random samples solved along the curve: an input given as an array of one value (not
    permuted) and a varying array input (permuted with the others) give, in the caller's
    order, what the given order gives."""
    rng = np.random.default_rng(5)
    n = 600
    kw = dict(superheat=5.0, errors="ignore", as_dataset=False, outputs=["T_evap", "T_cond", "Q_heating"])
    args = dict(T_source_in=rng.uniform(266.0, 276.0, n), T_sink_in=rng.uniform(306.0, 320.0, n),
                source_mass_flow=np.full(n, 0.8), sink_mass_flow=rng.uniform(0.35, 0.45, n),
                subcooling=np.full(n, 2.0))
    auto, given, ok = _auto_and_given(plant, args, kw)
    np.testing.assert_allclose(auto["Q_heating"][ok], given["Q_heating"][ok], rtol=1e-8)


def test_system_against_reference(solved, plant):
    f = solved["full"]
    AS = ref.heos(FLUID)
    comp = plant["compressor"]
    src = ref.Secondary("INCOMP::MEG[0.3]", 3e5)
    snk = ref.Secondary("INCOMP::Water", 3e5)

    def mapc(Te, Tc, sh):
        return ref.ahri_map_compressor(AS, M, P, Te, Tc, sh, comp.rated_superheat)

    idx = [i for i in np.flatnonzero(f["status"] == 0)[:3]]
    assert len(idx) == 3
    for i in idx:
        Te, Tc = f["T_evap"][i], f["T_cond"][i]
        r = ref.solve(AS, mapc, UA_E, UA_C, 5.0, 2.0, src, snk, solved["Tsi"][i], solved["ms"][i], solved["Tki"][i],
                      solved["mk"][i], (Te - 3.0, Te + 3.0), (Tc - 3.0, Tc + 3.0))
        assert f["COP_heating"][i] == pytest.approx(r["COP_heating"], rel=REF_RTOL)
        assert f["Q_heating"][i] == pytest.approx(r["Q_heating"], rel=REF_RTOL)
        assert Te == pytest.approx(r["T_evap"], abs=1e-4)
        assert Tc == pytest.approx(r["T_cond"], abs=1e-4)


def test_blend_glide_against_reference(plant):
    """R410A (the map's own refrigerant) glides about 0.1 K: it evaporates from T4 up to
    the dew point, condenses down to the bubble point and is subcooled below it. The
    reference models the same from CoolProp's bubble and dew points; with the glide ignored
    in the kernels the first point's COP moved by 7.4e-4, 700 times the tolerance."""
    AS = ref.heos("R410A")
    comp = plant["compressor"]
    src = ref.Secondary("INCOMP::MEG[0.3]", 3e5)
    snk = ref.Secondary("INCOMP::Water", 3e5)
    Tsi, ms = np.array([268.0, 273.0, 275.0]), np.array([0.6, 0.9, 1.1])
    Tki, mk = np.array([318.0, 310.0, 307.0]), np.array([0.3, 0.5, 0.4])
    f = solve_heat_pump("R410A", **plant, T_source_in=Tsi, source_mass_flow=ms, T_sink_in=Tki, sink_mass_flow=mk,
                        superheat=5.0, subcooling=2.0, errors="ignore", as_dataset=False,
                        outputs=["T_evap", "T_cond", "COP_heating", "Q_heating", "pinch_cond"])
    assert np.all(f["status"] == 0)

    def mapc(Te, Tc, sh):
        return ref.ahri_map_compressor(AS, M, P, Te, Tc, sh, comp.rated_superheat)

    for i in range(3):
        Te, Tc = f["T_evap"][i], f["T_cond"][i]
        assert Tc - ref.dew_and_bubble(AS, Tc)[3] > 0.05  # a glide to model
        r = ref.solve(AS, mapc, UA_E, UA_C, 5.0, 2.0, src, snk, Tsi[i], ms[i], Tki[i], mk[i],
                      (Te - 3.0, Te + 3.0), (Tc - 3.0, Tc + 3.0))
        assert f["COP_heating"][i] == pytest.approx(r["COP_heating"], rel=REF_RTOL)
        assert f["Q_heating"][i] == pytest.approx(r["Q_heating"], rel=REF_RTOL)
        assert Te == pytest.approx(r["T_evap"], abs=1e-4)
        assert Tc == pytest.approx(r["T_cond"], abs=1e-4)
        assert f["pinch_cond"][i] == pytest.approx(r["pinch_c"], abs=1e-4)


def test_consistency_with_simulate_cycle(solved):
    from hpcore.cycles import simulate_cycle
    f = solved["full"]
    ok = f["status"] == 0
    sim = simulate_cycle(FLUID, "basic", T_evap=f["T_evap"][ok], T_cond=f["T_cond"][ok], superheat=5.0,
                         subcooling=2.0, eta_is=f["eta_is"][ok])
    np.testing.assert_allclose(np.asarray(sim["COP_heating"]), f["COP_heating"][ok], rtol=1e-9)


def test_flags_and_neighbours_untouched(plant):
    Tsi = np.array([278.15, np.nan, 278.15, 278.15])
    ms = np.array([0.8, 0.8, 0.8, -1.0])
    with pytest.warns(HPCoreWarning, match="NONFINITE_INPUT: 1, OUT_OF_DOMAIN: 1"):
        ds = solve_heat_pump(FLUID, **plant, T_source_in=Tsi, source_mass_flow=ms, T_sink_in=308.15,
                             sink_mass_flow=0.4)
    st = ds["status"].values
    assert st[1] == Status.NONFINITE_INPUT and st[3] == Status.OUT_OF_DOMAIN
    assert st[0] == 0 and st[2] == 0
    assert float(ds["COP_heating"][0]) == float(ds["COP_heating"][2])
    assert ds["Q_heating"].attrs["units"] == "W"


def test_undersized_exchanger_not_converged(plant):
    p = dict(plant, condenser=HeatExchanger(UA=1.0))
    with pytest.warns(HPCoreWarning, match="NOT_CONVERGED"):
        ds = solve_heat_pump(FLUID, **p, T_source_in=278.15, source_mass_flow=0.8, T_sink_in=308.15,
                             sink_mass_flow=0.4)
    assert int(ds["status"]) & Status.NOT_CONVERGED


def test_fixed_approach_sets_the_pinch(plant):
    p = dict(plant, evaporator=HeatExchanger(approach=4.0), condenser=HeatExchanger(approach=3.0))
    ds = solve_heat_pump(FLUID, **p, T_source_in=[275.15, 280.15], source_mass_flow=0.8, T_sink_in=[303.15, 313.15],
                         sink_mass_flow=0.4, as_dataset=False)
    np.testing.assert_allclose(ds["pinch_evap"], 4.0, atol=1e-9)
    np.testing.assert_allclose(ds["pinch_cond"], 3.0, atol=1e-9)


def test_system_configuration_errors(plant):
    with pytest.raises(ValueError, match="n_units"):
        solve_heat_pump(FLUID, **plant, T_source_in=278.0, source_mass_flow=1, T_sink_in=300, sink_mass_flow=1,
                        n_units=0)
    with pytest.raises(ValueError, match="outputs"):
        solve_heat_pump(FLUID, **plant, T_source_in=278.0, source_mass_flow=1, T_sink_in=300, sink_mass_flow=1,
                        outputs=["COP"])
    with pytest.raises(ValueError, match="compressor"):
        solve_heat_pump(FLUID, **dict(plant, compressor="scroll"), T_source_in=278.0, source_mass_flow=1,
                        T_sink_in=300, sink_mass_flow=1)


# --------------------------------------------------------------------------------------------------- part load


@pytest.fixture(scope="module")
def vs_plant(plant):
    lo = AHRI540Compressor([0.5 * v for v in M], [0.55 * v for v in P])
    hi = AHRI540Compressor(M, P)
    return dict(plant, compressor=VariableSpeedCompressor([lo, hi], [30.0, 60.0], speed_min=30.0, speed_max=60.0))


def test_demand_sets_speed_and_cycling(vs_plant):
    kw = dict(T_source_in=278.15, source_mass_flow=0.8, T_sink_in=308.15, sink_mass_flow=0.4, errors="raise",
              as_dataset=False, outputs=["Q_heating", "speed", "cycling_fraction", "power", "Q_source",
                                         "cycling_loss", "COP_heating", "unmet_demand"])
    full = solve_heat_pump(FLUID, **vs_plant, **kw)
    qmax = float(full["Q_heating"])
    res = solve_heat_pump(FLUID, **vs_plant, demand=[0.8 * qmax, 0.2 * qmax, 2.0 * qmax], **kw)
    # modulating: capacity meets the demand, speed inside the range
    assert res["Q_heating"][0] == pytest.approx(0.8 * qmax, rel=1e-9)
    assert 30.0 < res["speed"][0] < 60.0 and res["cycling_fraction"][0] == 1.0
    # below the minimum speed: on/off cycling at speed_min, time-averaged capacity = demand
    assert res["speed"][1] == 30.0 and 0 < res["cycling_fraction"][1] < 1
    assert res["Q_heating"][1] == pytest.approx(0.2 * qmax, rel=1e-9)
    assert res["cycling_loss"][1] > 0
    np.testing.assert_allclose(res["Q_heating"] + res["cycling_loss"], res["Q_source"] + res["power"],
                               rtol=ENERGY_RTOL)
    # above the maximum: full speed, the rest unmet
    assert res["speed"][2] == 60.0 and res["unmet_demand"][2] == pytest.approx(qmax, rel=1e-9)


def test_staging_chooses_units(vs_plant):
    kw = dict(T_source_in=278.15, source_mass_flow=0.8, T_sink_in=308.15, sink_mass_flow=0.4, errors="raise",
              as_dataset=False, outputs=["Q_heating", "n_units", "COP_heating", "speed"])
    one = solve_heat_pump(FLUID, **vs_plant, **kw)
    qmax = float(one["Q_heating"])
    demands = np.array([3.5, 2.0, 0.9]) * qmax
    res = solve_heat_pump(FLUID, **vs_plant, n_units=4, demand=demands, **kw)
    np.testing.assert_allclose(res["Q_heating"], demands, rtol=1e-9)
    assert res["n_units"][0] >= 4 - 0  # 3.5 units' worth needs all four
    # every other number of running units that can meet the demand has no better COP
    for d, n_best, cop in zip(demands, res["n_units"], res["COP_heating"]):
        for n in range(1, 5):
            if d / n > qmax or d / n < 0.0:
                continue
            alt = solve_heat_pump(FLUID, **vs_plant, n_units=1, demand=d / n, **kw)
            assert float(alt["COP_heating"]) <= cop * (1 + 1e-9)


# --------------------------------------------------------------------------------------------------- hygiene


def test_kernel_modules_import_no_heavy_packages():
    code = ("import sys, hpcore.components._kernels, hpcore.components._system_kernels, "
            "hpcore.components._transcritical_kernels; "
            "print(sorted(m for m in ('dask', 'xarray', 'h5py') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("arrangement", ["parallel", "crossflow", "crossflow_cmin_mixed"])
def test_other_arrangements_meet_their_ua(plant, arrangement):
    p = dict(plant, evaporator=HeatExchanger(UA=UA_E, arrangement=arrangement),
             condenser=HeatExchanger(UA=UA_C, arrangement=arrangement))
    r = solve_heat_pump(FLUID, **p, T_source_in=[268.15, 272.15], source_mass_flow=0.8, T_sink_in=[308.15, 313.15],
                        sink_mass_flow=0.4, errors="raise", as_dataset=False,
                        outputs=["UA_evap_required", "UA_cond_required", "Q_heating", "Q_source", "power",
                                 "pinch_evap", "pinch_cond", "COP_heating"])
    np.testing.assert_allclose(r["UA_evap_required"], UA_E, rtol=1e-8)
    np.testing.assert_allclose(r["UA_cond_required"], UA_C, rtol=1e-8)
    np.testing.assert_allclose(r["Q_heating"], r["Q_source"] + r["power"], rtol=ENERGY_RTOL)
    assert np.all(r["pinch_evap"] > 0) and np.all(r["pinch_cond"] > 0)


def test_compiled_equals_python():
    from hpcore.components import _kernels as K

    rng = np.random.default_rng(5)
    for _ in range(50):
        ntu, c_r, arr = rng.uniform(0.01, 6.0), rng.uniform(0.0, 1.0), int(rng.integers(0, 5))
        assert K.effectiveness_1(ntu, c_r, arr) == K.effectiveness_1.py_func(ntu, c_r, arr)
        eps = K.effectiveness_1(ntu, c_r, arr)[0]
        a, b = K.ntu_1(eps, c_r, arr), K.ntu_1.py_func(eps, c_r, arr)
        assert a[1] == b[1] and a[0] == pytest.approx(b[0], rel=1e-12)
        Q, Th, dTh, Tc, dTc = rng.uniform(1e3, 1e4), 320.0, rng.uniform(0, 10), 300.0, rng.uniform(0.1, 10)
        assert K.zone_ua(Q, Th, Th - dTh, Tc, Tc + dTc, arr) == pytest.approx(
            K.zone_ua.py_func(Q, Th, Th - dTh, Tc, Tc + dTc, arr), rel=1e-12)


def test_pinch_below_minimum_is_flagged(plant):
    p = dict(plant, condenser=HeatExchanger(UA=UA_C, min_pinch=50.0))
    with pytest.warns(HPCoreWarning, match="PINCH_VIOLATED: 1"):
        ds = solve_heat_pump(FLUID, **p, T_source_in=[270.15], source_mass_flow=0.8, T_sink_in=308.15,
                             sink_mass_flow=0.4)
    assert int(ds["status"][0]) == Status.PINCH_VIOLATED and np.isnan(float(ds["COP_heating"][0]))


# --------------------------------------------------------------------------------------------------- transcritical

CO2 = "R744"
UA_E_TC, UA_GC = 600.0, 400.0  # [W/K]
V_TC, N_TC, ETA_V_TC, ETA_S_TC = 5e-6, 50.0, 0.85, 0.65  # [m3/rev], [1/s], [-], [-]
P_OPT_RTOL = 1e-3  # [-] optimum against a brute-force scan, in pressure
N_SEG = 20


@pytest.fixture(scope="module")
def tc_plant():
    # a CO2 heat-pump water heater: brine source, tap water heated in one pass
    return dict(compressor=DisplacementCompressor(V_TC, eta_vol=ETA_V_TC, eta_is=ETA_S_TC, speed_min=N_TC),
                evaporator=HeatExchanger(UA=UA_E_TC), gas_cooler=HeatExchanger(UA=UA_GC),
                source=SecondaryFluid("MEG", 0.3), sink=SecondaryFluid("water"))


TC_OUT = ["T_evap", "p_high", "T_gc_out", "Q_heating", "Q_source", "power", "COP_heating", "eta_is", "pinch_evap",
          "pinch_gas_cooler", "UA_evap_required", "UA_gas_cooler_required", "T_source_out", "T_sink_out", "m_dot",
          "iterations"]


@pytest.fixture(scope="module")
def tc_solved(tc_plant):
    rng = np.random.default_rng(11)
    n = 24
    Tsi = np.sort(rng.uniform(270.0, 285.0, n))
    Tki = rng.uniform(283.0, 305.0, n)
    ms = rng.uniform(0.3, 0.5, n)
    mk = rng.uniform(0.03, 0.06, n)
    kw = dict(cycle="transcritical", T_source_in=Tsi, source_mass_flow=ms, T_sink_in=Tki, sink_mass_flow=mk,
              superheat=5.0, errors="ignore", as_dataset=False, outputs=TC_OUT, n_segments=N_SEG)
    opt = simulate_heat_pump(CO2, **tc_plant, p_high="optimal", **kw)
    given = simulate_heat_pump(CO2, **tc_plant, p_high=np.linspace(8.5e6, 11e6, n), **kw)
    return dict(Tsi=Tsi, Tki=Tki, ms=ms, mk=mk, opt=opt, given=given, kw=kw)


@pytest.mark.parametrize("which", ["opt", "given"])
def test_transcritical_energy_balance_and_pinch(tc_solved, tc_plant, which):
    f = tc_solved[which]
    ok = f["status"] == 0
    assert ok.mean() > 0.9
    Qh, Qs, Pw = f["Q_heating"][ok], f["Q_source"][ok], f["power"][ok]
    np.testing.assert_allclose(Qh, Qs + Pw, rtol=ENERGY_RTOL)
    sink, src = tc_plant["sink"], tc_plant["source"]
    np.testing.assert_allclose(tc_solved["mk"][ok] * (sink.h(f["T_sink_out"][ok]) - sink.h(tc_solved["Tki"][ok])),
                               Qh, rtol=ENERGY_RTOL)
    np.testing.assert_allclose(tc_solved["ms"][ok] * (src.h(tc_solved["Tsi"][ok]) - src.h(f["T_source_out"][ok])),
                               Qs, rtol=ENERGY_RTOL)
    assert np.all(f["pinch_evap"][ok] > 0) and np.all(f["pinch_gas_cooler"][ok] > 0)
    np.testing.assert_allclose(f["UA_evap_required"][ok], UA_E_TC, rtol=1e-8)
    np.testing.assert_allclose(f["UA_gas_cooler_required"][ok], UA_GC, rtol=1e-8)
    assert np.all(f["p_high"][ok] > 7.3773e6)
    assert np.all(f["iterations"][ok] >= 1)
    assert np.all(np.isnan(f["COP_heating"][~ok])) and not np.any(np.isinf(f["COP_heating"]))


@pytest.mark.parametrize("which", ["opt", "given"])
def test_transcritical_consistency_with_simulate_cycle(tc_solved, which):
    from hpcore.cycles import simulate_cycle

    f = tc_solved[which]
    ok = f["status"] == 0
    sim = simulate_cycle(CO2, "transcritical", T_evap=f["T_evap"][ok], T_gc_out=f["T_gc_out"][ok], superheat=5.0,
                         eta_is=f["eta_is"][ok], p_high=f["p_high"][ok])
    np.testing.assert_allclose(np.asarray(sim["COP_heating"]), f["COP_heating"][ok], rtol=1e-9)
    # the displacement model's isentropic efficiency comes back out
    np.testing.assert_allclose(f["eta_is"][ok], ETA_S_TC, rtol=1e-12)


def test_transcritical_optimum_against_scan(tc_solved, tc_plant):
    f = tc_solved["opt"]
    kw = dict(tc_solved["kw"], outputs=["COP_heating"])
    idx = np.flatnonzero(f["status"] == 0)[[0, 7, -1]]
    for i in idx:
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
        p_opt = f["p_high"][i]
        # fine scan around the optimum (steps of 0.025 %), and a coarse one over the whole range
        fine = p_opt * (1.0 + np.linspace(-0.01, 0.01, 81))
        coarse = np.geomspace(7.39e6, 14.9e6, 60)
        cf = simulate_heat_pump(CO2, **tc_plant, p_high=fine, **one)["COP_heating"]
        cc = simulate_heat_pump(CO2, **tc_plant, p_high=coarse, **one)["COP_heating"]
        p_scan = fine[np.nanargmax(cf)]
        assert 0 < np.nanargmax(cf) < 80  # an interior maximum
        assert p_scan == pytest.approx(p_opt, rel=P_OPT_RTOL)
        assert f["COP_heating"][i] >= np.nanmax(cc) * (1 - 1e-12)
        assert f["COP_heating"][i] >= np.nanmax(cf) * (1 - 1e-9)


def test_transcritical_against_reference(tc_solved, tc_plant):
    f = tc_solved["given"]
    AS = ref.heos("CO2")
    src = ref.Secondary("INCOMP::MEG[0.3]", 3e5)
    snk = ref.Secondary("INCOMP::Water", 3e5)

    def comp(Te, p, sh):
        return ref.displacement_compressor(AS, V_TC, N_TC, ETA_V_TC, ETA_S_TC, Te, p, sh)

    idx = np.flatnonzero(f["status"] == 0)[[2, -3]]
    for i in idx:
        Te = f["T_evap"][i]
        r = ref.solve_transcritical(AS, comp, UA_E_TC, UA_GC, f["p_high"][i], 5.0, src, snk, tc_solved["Tsi"][i],
                                    tc_solved["ms"][i], tc_solved["Tki"][i], tc_solved["mk"][i], N_SEG,
                                    (Te - 2.0, Te + 1.0))
        assert f["COP_heating"][i] == pytest.approx(r["COP_heating"], rel=REF_RTOL)
        assert f["Q_heating"][i] == pytest.approx(r["Q_heating"], rel=REF_RTOL)
        assert Te == pytest.approx(r["T_evap"], abs=1e-4)
        assert f["T_gc_out"][i] == pytest.approx(r["T_gc_out"], abs=1e-4)


def test_transcritical_control_laws(tc_plant):
    kw = dict(cycle="transcritical", T_source_in=[275.0, 280.0], source_mass_flow=0.4, T_sink_in=[288.0, 298.0],
              sink_mass_flow=0.04, errors="raise", as_dataset=False, outputs=["p_high", "T_gc_out", "COP_heating"])
    # a law in the sink inlet temperature (as Kauf's, in the ambient temperature): 9 MPa at 288 K, 0.1 MPa/K
    a, b = 9.0e6 - 1.0e5 * 288.0, 1.0e5
    r = simulate_heat_pump(CO2, **tc_plant, p_high=HighPressureControl(a, b, "T_sink_in"), **kw)
    np.testing.assert_allclose(r["p_high"], a + b * np.array([288.0, 298.0]), rtol=1e-15)
    # law in the gas-cooler outlet temperature: solved with the cycle
    law = HighPressureControl(-1.9e7, 0.95e5, "T_gc_out")
    r = simulate_heat_pump(CO2, **tc_plant, p_high=law, **kw)
    np.testing.assert_allclose(r["p_high"], law.a + law.b * r["T_gc_out"], rtol=1e-11)
    given = simulate_heat_pump(CO2, **tc_plant, p_high=r["p_high"], **kw)
    np.testing.assert_allclose(given["T_gc_out"], r["T_gc_out"], rtol=0, atol=1e-8)


def test_transcritical_flags_and_configuration(tc_plant):
    Tsi = np.array([278.0, np.nan, 278.0, 278.0, 278.0])
    p = np.array([9e6, 9e6, 7.0e6, 9e6, 7.45e6])
    Tki = np.array([290.0, 290.0, 290.0, 290.0, 340.0])  # last: a sink too warm for 7.45 MPa
    with pytest.warns(HPCoreWarning, match="flagged"):
        r = simulate_heat_pump(CO2, **tc_plant, cycle="transcritical", p_high=p, T_source_in=Tsi,
                               source_mass_flow=[0.4, 0.4, 0.4, -1.0, 0.4], T_sink_in=Tki, sink_mass_flow=0.04,
                               as_dataset=False)
    s = r["status"]
    assert s[0] == 0 and s[1] == Status.NONFINITE_INPUT and s[2] == Status.OUT_OF_DOMAIN
    assert s[3] == Status.OUT_OF_DOMAIN and s[4] in (Status.INFEASIBLE, Status.NOT_CONVERGED)
    assert np.isfinite(r["COP_heating"][0]) and np.all(np.isnan(r["COP_heating"][1:]))
    kw = dict(cycle="transcritical", T_source_in=278.0, source_mass_flow=0.4, T_sink_in=290.0, sink_mass_flow=0.04)
    with pytest.raises(ValueError, match="compressor"):
        simulate_heat_pump(CO2, **dict(tc_plant, compressor=AHRI540Compressor(M, P)), **kw)
    with pytest.raises(ValueError, match="p_high"):
        simulate_heat_pump(CO2, **tc_plant, p_high="best", **kw)
    with pytest.raises(ValueError, match="variable"):
        HighPressureControl(1e6, 1e5, "T_evap")
    with pytest.raises(ValueError, match="subcooling"):
        simulate_heat_pump(CO2, **tc_plant, subcooling=2.0, **kw)
    with pytest.raises(ValueError, match="cycle"):
        simulate_heat_pump(CO2, **tc_plant, **dict(kw, cycle="trans"))
    with pytest.raises(ValueError, match="arrangement"):
        simulate_heat_pump(CO2, **dict(tc_plant, gas_cooler=HeatExchanger(UA=400.0, arrangement="parallel")), **kw)


def test_simulate_heat_pump_is_exported():
    import hpcore

    assert hpcore.simulate_heat_pump is simulate_heat_pump and hpcore.solve_heat_pump is simulate_heat_pump


def test_warmup_caches_the_system_kernels_for_a_second_process():
    """`hpcore.components.system.warmup` compiles the serial and parallel solves (the test
    solves above stay below the serial threshold), in two worker processes (``jobs=2``);
    a second process then loads them from numba's disk cache and compiles nothing."""
    import os
    import sys

    sys.path.insert(0, os.path.dirname(__file__))
    from numba_cache import second_process_cache_counts

    misses, hits = second_process_cache_counts(
        "import hpcore.components.system as S, hpcore.components._system_kernels as K, "
        "hpcore.components._transcritical_kernels as T", "S.warmup(jobs=2)", ("K", "T"))
    assert misses == 0
    assert hits >= 4  # solve_serial, solve_parallel, tc_serial, tc_parallel at least
