"""CoolProp HEOS states of the T_sat grids (hpcore.properties.tsat), one at a time.

Shared by tests/test_tsat.py and scripts/tsat_accuracy.py; shares no code with hpcore.
"""
import CoolProp.CoolProp as CP

SUCTION, LIQUID, PS, PH, LPH = 0, 1, 2, 3, 4  # hpcore.properties.layout.TS_SUC ... TS_LPH


def heos_state(AS, k, T, y):
    """The outputs of grid ``k`` at dew point T [K] and the grid's variable y, from HEOS.

    At the dew pressure of T: SUCTION (h, s, D) of vapour y K above T; LIQUID (h, s) of
    liquid y K below the bubble point; PS (h,) at s = s_v + y; PH (T, s) at h = h_v + y;
    LPH (T, s) of the liquid at h = h_l - y (h_l of the bubble point at that pressure).
    ``AS``: a CoolProp AbstractState("HEOS", fluid). Raises ValueError where HEOS fails.
    """
    AS.update(CP.QT_INPUTS, 1.0, T)
    p, hv, sv = AS.p(), AS.hmass(), AS.smass()
    if k == SUCTION:
        AS.update(CP.PT_INPUTS, p, T + y)
        return AS.hmass(), AS.smass(), AS.rhomass()
    if k == LIQUID:
        AS.update(CP.PQ_INPUTS, p, 0.0)
        AS.update(CP.PT_INPUTS, p, AS.T() - y)
        return AS.hmass(), AS.smass()
    if k == PS:
        AS.update(CP.PSmass_INPUTS, p, sv + y)
        return (AS.hmass(),)
    if k == LPH:
        AS.update(CP.PQ_INPUTS, p, 0.0)
        AS.update(CP.HmassP_INPUTS, AS.hmass() - y, p)
        return AS.T(), AS.smass()
    AS.update(CP.HmassP_INPUTS, hv + y, p)
    return AS.T(), AS.smass()
