"""Checks of the slow CoolProp reference itself (tests/reference_cycles.py).

Physics identities, Carnot bounds, known qualitative results, a textbook example and
published CO2 optimal-pressure correlations. Must stay fast (a few seconds).
"""
import math
import pathlib
import sys

import pytest

CoolProp = pytest.importorskip("CoolProp.CoolProp")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from reference_cycles import reference_cycle, reference_optimal_p_high  # noqa: E402

C = 273.15
COMMON = dict(T_evap=C - 10.0, T_cond=C + 45.0, superheat=5.0, subcooling=3.0, eta_is=0.7)
STATES = {
    "basic": "1234",
    "ihx": "123456",
    "economizer": "123456789",
    "two_stage": "12345678",
    "cascade": ["L1", "L2", "L3", "L4", "H1", "H2", "H3", "H4"],
    "transcritical": "1234",
}
CASES = [
    ("R290", "basic", {}),
    ("R134a", "basic", {}),
    ("R290", "ihx", {"eps_ihx": 0.7}),
    ("R134a", "ihx", {}),
    ("R290", "economizer", {}),
    ("R134a", "economizer", {"economizer": "closed"}),
    ("R290", "economizer", {"economizer": "closed", "dT_econ": 3.0}),
    ("R134a", "economizer", {"p_int": 6.0e5}),
    ("R290", "two_stage", {}),
    ("R134a", "two_stage", {}),
    ("R290", "cascade", {"fluid_low": "R744"}),
    ("R134a", "cascade", {}),
]


def _check_identities(r, cycle):
    assert r["COP_heating"] == pytest.approx(r["COP_cooling"] + 1.0, abs=1e-12)
    assert r["q_cond"] == pytest.approx(r["q_evap"] + r["w_comp"], rel=1e-12)
    assert r["w_comp"] > 0 and r["q_evap"] > 0
    assert r["pressure_ratio"] == pytest.approx(r["p_cond"] / r["p_evap"], rel=1e-14)
    assert 0.0 <= r["quality_evap_in"] < 1.0
    for label in STATES[cycle]:
        for prop in "pThs":
            assert math.isfinite(r[f"{prop}_{label}"]), (prop, label)
    final = {"economizer": "4", "two_stage": "4", "cascade": "H2"}.get(cycle, "2")
    assert r["T_discharge"] == r[f"T_{final}"]


@pytest.mark.parametrize("fluid,cycle,extra", CASES)
def test_energy_balance_and_carnot(fluid, cycle, extra):
    r = reference_cycle(fluid, cycle, **COMMON, **extra)
    _check_identities(r, cycle)
    # second law: COP_heating below the Carnot COP between the saturation temperatures
    T_e, T_c = COMMON["T_evap"], COMMON["T_cond"]
    assert r["COP_heating"] < T_c / (T_c - T_e)
    assert r["COP_cooling"] < T_e / (T_c - T_e)


def test_state_balances():
    # economizer flash: mixing and flash-tank balances as defined in docs/cycles.md
    r = reference_cycle("R290", "economizer", **COMMON)
    y = r["injection_ratio"]
    assert 0 < y < 1
    assert r["h_3"] == pytest.approx((1 - y) * r["h_2"] + y * r["h_7"], rel=1e-12)
    assert r["h_6"] == r["h_5"] and r["h_9"] == r["h_8"]
    assert r["h_5"] == pytest.approx((1 - y) * r["h_8"] + y * r["h_7"], rel=1e-12)
    # two-stage: flash tank balance h6 + m_low h2 = h3 + m_low h7
    r = reference_cycle("R290", "two_stage", **COMMON)
    m = r["mass_flow_ratio"]
    assert r["h_6"] + m * r["h_2"] == pytest.approx(r["h_3"] + m * r["h_7"], rel=1e-12)
    assert r["p_2"] == r["p_3"] == r["p_7"] == pytest.approx(math.sqrt(r["p_evap"] * r["p_cond"]))
    # cascade: heat from the low circuit's condenser = heat to the high circuit's evaporator
    r = reference_cycle("R290", "cascade", fluid_low="R744", **COMMON)
    m = r["mass_flow_ratio"]
    assert m * (r["h_L2"] - r["h_L3"]) == pytest.approx(r["h_H1"] - r["h_H4"], rel=1e-12)
    assert r["T_H1"] - COMMON["superheat"] == pytest.approx(r["T_cascade"] - 5.0, abs=1e-6)


def test_ihx_eps_zero_equals_basic():
    b = reference_cycle("R290", "basic", **COMMON)
    i = reference_cycle("R290", "ihx", eps_ihx=0.0, **COMMON)
    for k in ("COP_heating", "COP_cooling", "q_evap", "q_cond", "w_comp", "T_discharge",
              "p_evap", "p_cond", "quality_evap_in"):
        assert i[k] == pytest.approx(b[k], rel=1e-12, abs=1e-12), k
    assert i["h_5"] == i["h_1"] and i["h_6"] == i["h_3"]


def test_ihx_raises_suction_temperature():
    i = reference_cycle("R134a", "ihx", eps_ihx=1.0, **COMMON)
    b = reference_cycle("R134a", "basic", **COMMON)
    assert i["T_5"] > i["T_1"] and i["h_4"] < b["h_4"] and i["T_discharge"] > b["T_discharge"]


@pytest.mark.parametrize("fluid", ["R290", "R134a"])
def test_economizer_and_two_stage_beat_basic_at_large_lift(fluid):
    # Known result (e.g. ASHRAE Handbook Refrigeration; Stoecker & Jones, Refrigeration and
    # Air Conditioning, ch. 16): flash-gas removal / vapour injection and two-stage
    # compression with intercooling raise the COP at large temperature lifts.
    kw = dict(T_evap=C - 20.0, T_cond=C + 60.0, superheat=5.0, subcooling=0.0, eta_is=0.7)
    basic = reference_cycle(fluid, "basic", **kw)["COP_heating"]
    for cycle, extra in (("economizer", {}), ("economizer", {"economizer": "closed"}),
                         ("two_stage", {})):
        cop = reference_cycle(fluid, cycle, **kw, **extra)["COP_heating"]
        assert cop > basic * 1.05, (cycle, extra, cop, basic)


def test_textbook_cengel_example_11_1():
    # Cengel & Boles, Thermodynamics: An Engineering Approach (7th ed.), Example 11-1:
    # ideal vapour-compression cycle, R-134a between 0.14 and 0.8 MPa, saturated vapour
    # to the compressor, saturated liquid leaving the condenser, m = 0.05 kg/s.
    # Answers: Q_L = 7.18 kW, W_in = 1.81 kW, Q_H = 8.99 kW, COP_R = 3.97.
    # The book's tables come from the same Tillner-Roth & Baehr EOS as CoolProp's R134a,
    # so the only differences are the book's 3-significant-figure rounding (and its
    # linear interpolation for h2 in the superheated table): tolerance 0.5 %.
    T_e = CoolProp.PropsSI("T", "P", 0.14e6, "Q", 1, "R134a")
    T_c = CoolProp.PropsSI("T", "P", 0.8e6, "Q", 1, "R134a")
    r = reference_cycle("R134a", "basic", T_evap=T_e, T_cond=T_c, superheat=0.0,
                        subcooling=0.0, eta_is=1.0, m_dot=0.05)
    assert r["COP_cooling"] == pytest.approx(3.97, rel=5e-3)
    assert r["Q_cooling"] == pytest.approx(7.18e3, rel=5e-3)
    assert r["P_comp"] == pytest.approx(1.81e3, rel=5e-3)
    assert r["Q_heating"] == pytest.approx(8.99e3, rel=5e-3)
    # reference-state-independent differences: h1 - h3 = 239.16 - 95.47 kJ/kg (book)
    assert r["h_1"] - r["h_3"] == pytest.approx(143.69e3, rel=2e-3)
    assert r["h_2"] - r["h_1"] == pytest.approx(36.23e3, rel=5e-3)
    assert T_c < r["T_discharge"] < T_c + 15.0  # superheated discharge, a few K above T_cond
    # the same cycle from the other absolute inputs
    for key in ("Q_cooling", "Q_heating"):
        r2 = reference_cycle("R134a", "basic", T_evap=T_e, T_cond=T_c, superheat=0.0,
                             subcooling=0.0, eta_is=1.0, **{key: r[key]})
        assert r2["m_dot"] == pytest.approx(0.05, rel=1e-12)


def test_ideal_r134a_carnot_bound():
    # ideal R134a cycle -10 C / 40 C: below Carnot (5.26), and a real-fluid COP near 4
    T_e, T_c = C - 10.0, C + 40.0
    r = reference_cycle("R134a", "basic", T_evap=T_e, T_cond=T_c, superheat=0.0,
                        subcooling=0.0, eta_is=1.0)
    assert r["COP_heating"] < T_c / (T_c - T_e)
    assert 0.70 < r["COP_cooling"] / (T_e / (T_c - T_e)) < 0.85
    # lower eta_is -> proportionally more work
    r7 = reference_cycle("R134a", "basic", T_evap=T_e, T_cond=T_c, superheat=0.0,
                         subcooling=0.0, eta_is=0.7)
    assert r7["w_comp"] == pytest.approx(r["w_comp"] / 0.7, rel=1e-12)


def test_co2_optimal_pressure_against_correlations():
    # Liao, Zhao & Jakobsen (2000), Appl. Therm. Eng. 20, 831-841, basic transcritical
    # CO2 cycle: p_opt [bar] = (2.778 - 0.0157 t_e) t_c + (0.381 t_e - 9.34), t in C,
    # stated accuracy a few percent; at t_e = 0, t_c = 35: 87.9 bar.
    # Sarkar, Bhattacharyya & Gopal (2004), Int. J. Refrig. 27, 830-838:
    # p_opt = 4.9 + 2.256 t_c - 0.17 t_e + 0.002 t_c^2 bar -> 86.3 bar.
    t_e, t_c = 0.0, 35.0
    liao = ((2.778 - 0.0157 * t_e) * t_c + (0.381 * t_e - 9.34)) * 1e5
    sarkar = (4.9 + 2.256 * t_c - 0.17 * t_e + 0.002 * t_c ** 2) * 1e5
    pc = CoolProp.PropsSI("Pcrit", "R744")
    p_opt, cop = reference_optimal_p_high("R744", C + t_e, 0.0, 0.7, C + t_c,
                                          pc * 1.0001, 15e6, n_scan=400)
    assert 8.5e6 < p_opt < 9.5e6
    assert p_opt == pytest.approx(liao, rel=0.03)
    assert p_opt == pytest.approx(sarkar, rel=0.04)
    # it is a maximum: nearby pressures give a lower COP
    r = reference_cycle("R744", "transcritical", T_evap=C, superheat=0.0, eta_is=0.7,
                        T_gc_out=C + t_c, p_high=p_opt)
    assert r["COP_heating"] == pytest.approx(cop, rel=1e-12)
    _check_identities(r, "transcritical")
    for f in (0.97, 1.03):
        r2 = reference_cycle("R744", "transcritical", T_evap=C, superheat=0.0, eta_is=0.7,
                             T_gc_out=C + t_c, p_high=p_opt * f)
        assert r2["COP_heating"] < r["COP_heating"]
        _check_identities(r2, "transcritical")


def test_transcritical_default_search():
    r = reference_cycle("R744", "transcritical", T_evap=C - 5.0, superheat=5.0, eta_is=0.75,
                        T_gc_out=C + 40.0, m_dot=0.1)
    _check_identities(r, "transcritical")
    assert r["p_high"] == r["p_cond"] == r["p_2"] == r["p_3"]
    assert 9.0e6 < r["p_high"] < 11.5e6
    assert r["P_comp"] == pytest.approx(0.1 * r["w_comp"], rel=1e-14)


@pytest.mark.parametrize("fluid,cycle,kw,match", [
    ("R290", "basic", dict(COMMON, T_evap=C + 50.0), "INFEASIBLE"),
    ("R290", "basic", dict(COMMON, T_cond=C + 100.0), "INFEASIBLE"),  # above T_crit
    ("R290", "basic", dict(COMMON, superheat=-1.0), "OUT_OF_DOMAIN"),
    ("R290", "basic", dict(COMMON, subcooling=-1.0), "OUT_OF_DOMAIN"),
    ("R290", "basic", dict(COMMON, eta_is=1.2), "OUT_OF_DOMAIN"),
    ("R290", "basic", dict(COMMON, eta_is=0.0), "OUT_OF_DOMAIN"),
    ("R290", "ihx", dict(COMMON, eps_ihx=1.5), "OUT_OF_DOMAIN"),
    ("R290", "economizer", dict(COMMON, p_int=1e4), "INFEASIBLE"),
    ("R290", "economizer", dict(COMMON, economizer="closed", dT_econ=40.0), "INFEASIBLE"),
    ("R290", "two_stage", dict(COMMON, p_int=1e8), "INFEASIBLE"),
    ("R290", "cascade", dict(COMMON, T_cascade=C - 20.0), "INFEASIBLE"),
    ("R744", "transcritical", dict(T_evap=C, superheat=0.0, eta_is=0.7, T_gc_out=C + 35.0,
                                   p_high=7.0e6), "OUT_OF_DOMAIN"),
    # saturated-vapour suction of a dry fluid (isobutane): isentropic discharge in the dome
    ("R600a", "basic", dict(T_evap=C - 10.0, T_cond=C + 60.0, superheat=0.0, subcooling=0.0,
                            eta_is=1.0), "WET_COMPRESSION"),
    ("R290", "basic", dict(COMMON, m_dot=1.0, Q_heating=1e3), "at most one"),
    ("R290", "nope", COMMON, "unknown cycle"),
])
def test_flagged_cases_raise(fluid, cycle, kw, match):
    with pytest.raises(ValueError, match=match):
        reference_cycle(fluid, cycle, **kw)


def test_optimum_on_upper_bound_not_converged():
    pc = CoolProp.PropsSI("Pcrit", "R744")
    with pytest.raises(ValueError, match="NOT_CONVERGED"):
        reference_optimal_p_high("R744", C, 0.0, 0.7, C + 35.0, pc * 1.0001, 8.0e6, n_scan=50)
