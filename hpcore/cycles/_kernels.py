"""Fused cycle kernels: property look-ups and component models in one compiled pass.

Imports only math, numpy, numba and hpcore's kernel helpers. Each cycle has a
scalar core ``<cycle>_core(...) -> (status, values)`` where ``values`` is a
tuple of floats in the order of ``<CYCLE>_OUTPUTS`` (all NaN when status is
not OK), and two loops (parallel and serial) that write the requested
outputs: ``rows[k]`` is the row of ``res`` receiving output k, or -1.
Inputs reach the loops as one 2-D array ``inp[n_inputs, n]`` in the order of
``<CYCLE>_INPUTS``; integer options (e.g. the economizer variant) in ``opts``.

Every function has a single ``return`` (see the note in
:mod:`hpcore.properties._kernels`); a failed step sets the status and the
later steps run on harmless values, their results discarded.

Definitions: docs/cycles.md.
"""
import math

import numpy as np

from .._numba import njit_kernel, prange
from ..properties._kernels import bq, liquid_T, ph_state, ploc, ps_h, sat_T_props, vapour_T
from ..properties.layout import P_PC, P_PMAX, P_PTOP, P_TTOP, QX_HV, QX_T
from ..status import INFEASIBLE, NONFINITE_INPUT, NOT_CONVERGED, OK, OUT_OF_DOMAIN, WET_COMPRESSION

NAN = math.nan


@njit_kernel
def first(st, st_new):
    """Keep the first failure."""
    return st if st != OK else st_new


# --------------------------------------------------------------------------- components


@njit_kernel
def evaporator_outlet(tbl, T_evap, superheat):
    """Evaporator outlet: p, T1, h1, s1, D1, and h_l, h_v, s_l, s_v at p_evap; status."""
    p, hl, hv, sl, sv, dl, dv, st = sat_T_props(tbl, T_evap)
    T1 = T_evap + superheat
    h1, s1, d1 = hv, sv, dv
    if superheat > 0.0 and st == OK:
        h1, s1, d1, st = vapour_T(tbl, ploc(tbl, p), T1, T_evap)
    return p, T1, h1, s1, d1, hl, hv, sl, sv, st


@njit_kernel
def condenser_outlet(tbl, PL, T_cond, h_l, s_l, subcooling):
    """Condenser outlet at (p_cond, T_cond - subcooling): T3, h3, s3, status."""
    T3 = T_cond - subcooling
    h3, s3, st = h_l, s_l, OK
    if subcooling > 0.0:
        h3, s3, d3, st = liquid_T(tbl, PL, T3, T_cond)
    return T3, h3, s3, st


@njit_kernel
def compress(tbl, PL, h_in, s_in, eta_is, h_v_out):
    """Compression to a located pressure: h_out, T_out, s_out, status.

    ``h_v_out``: saturated-vapour enthalpy at the outlet pressure (NaN above
    the critical pressure); a discharge at or below it is WET_COMPRESSION.
    """
    h2s, st = ps_h(tbl, PL, s_in)
    h2 = h_in + (h2s - h_in) / eta_is
    if st == OK and h2 <= h_v_out:
        st = WET_COMPRESSION
    T2, s2, d2, q2, st2 = ph_state(tbl, PL, h2)
    return h2, T2, s2, first(st, st2)


@njit_kernel
def check_common(T_evap, T_hot, superheat, subcooling, eta_is):
    st = OK
    if not (math.isfinite(T_evap) and math.isfinite(T_hot) and math.isfinite(superheat)
            and math.isfinite(subcooling) and math.isfinite(eta_is)):
        st = NONFINITE_INPUT
    elif superheat < 0.0 or subcooling < 0.0 or not (eta_is > 0.0 and eta_is <= 1.0):
        st = OUT_OF_DOMAIN
    elif T_evap >= T_hot:
        st = INFEASIBLE
    return st


# --------------------------------------------------------------------------- basic

SCALAR_OUTPUTS = (
    "COP_heating", "COP_cooling", "p_evap", "p_cond", "pressure_ratio", "T_discharge",
    "q_evap", "q_cond", "w_comp", "quality_evap_in", "D_suction",
)


def _state_names(states):
    return tuple(f"{v}_{s}" for v in ("p", "T", "h", "s") for s in states)


BASIC_INPUTS = ("T_evap", "T_cond", "superheat", "subcooling", "eta_is")
BASIC_STATES = ("1", "2", "3", "4")
BASIC_OUTPUTS = SCALAR_OUTPUTS + _state_names(BASIC_STATES)
N_BASIC = len(BASIC_OUTPUTS)
_NAN_BASIC = (NAN,) * N_BASIC


@njit_kernel
def basic_core(tbl, T_evap, T_cond, superheat, subcooling, eta_is):
    """Basic cycle between dew-point temperatures. Returns status, values."""
    st = check_common(T_evap, T_cond, superheat, subcooling, eta_is)
    if st == OK and T_cond > tbl[0][P_TTOP]:
        st = INFEASIBLE
    if st != OK:  # keep the look-ups below on valid arguments
        T_evap = T_cond = tbl[0][P_TTOP]
    pe, T1, h1, s1, d1, hle, hve, sle, sve, st1 = evaporator_outlet(tbl, T_evap, superheat)
    pc, hlc, hvc, slc, svc, dlc, dvc, st2 = sat_T_props(tbl, T_cond)
    PLc = ploc(tbl, pc)
    h2, T2, s2, st3 = compress(tbl, PLc, h1, s1, eta_is, hvc)
    T3, h3, s3, st4 = condenser_outlet(tbl, PLc, T_cond, hlc, slc, subcooling)
    x4 = (h3 - hle) / (hve - hle)
    s4 = sle + x4 * (sve - sle)
    st = first(first(first(first(st, st1), st2), st3), st4)
    if st == OK and not (x4 >= 0.0):
        st = INFEASIBLE
    w = h2 - h1
    qe = h1 - h3
    qc = h2 - h3
    vals = (
        qc / w, qe / w, pe, pc, pc / pe, T2, qe, qc, w, x4, d1,
        pe, pc, pc, pe,
        T1, T2, T3, T_evap,
        h1, h2, h3, h3,
        s1, s2, s3, s4,
    )
    if st != OK:
        vals = _NAN_BASIC
    return st, vals


@njit_kernel
def _basic_i(tbl, inp, opts, i):
    return basic_core(tbl, inp[0, i], inp[1, i], inp[2, i], inp[3, i], inp[4, i])


@njit_kernel(parallel=True)
def basic_parallel(tbl, inp, opts, rows, res, status):
    for i in prange(inp.shape[1]):
        st, v = _basic_i(tbl, inp, opts, i)
        status[i] = st
        for k in range(N_BASIC):
            if rows[k] >= 0:
                res[rows[k], i] = v[k]


@njit_kernel
def basic_serial(tbl, inp, opts, rows, res, status):
    for i in range(inp.shape[1]):
        st, v = _basic_i(tbl, inp, opts, i)
        status[i] = st
        for k in range(N_BASIC):
            if rows[k] >= 0:
                res[rows[k], i] = v[k]
