"""Index constants shared by the table builder and the interpolation kernels.

A table reaches the kernels as a tuple of five float64 arrays
``(par, satx, satT, tab, xg)``:

``par``  [NPAR]            scalars (bounds, grid spacings), indices ``P_*``
``satx`` [nf, NQX, 2]      1-D boundary table along x = ln p: value and
                           derivative per grid step, quantities ``QX_*``
``satT`` [nt, NQT, 2]      1-D saturation table along a stretched
                           temperature coordinate, quantities ``QT_*``
``tab``  [6, nx, ny, 4, 4] 2-D region tables ``TAB_*``; per node 4 outputs,
                           each as (f, df/dx, df/dy, d2f/dxdy). This is the
                           file's order; the kernels get [6, 4, nx, ny, 4]
                           (see ``tables.kernel_tab``)
``xg``   [nx + nmap + nx-1] the x nodes, then an index map (entry m holds
                           the cell containing x0 + m * dxu: O(1) location on
                           the non-uniform x grid), then 1 / cell width. The
                           kernels get more appended on loading (below): they
                           locate p without a logarithm

Derivatives are stored per unit of x and y (not per grid step). The x nodes
are clustered around the critical pressure (where properties near the
saturation line change fastest); each 2-D cell in x is split into ``refine``
equal cells of the 1-D boundary table, so that every 2-D node is a 1-D node.

Region tables use x = ln p and y in [0, 1] (uniform) across the
region between the phase boundary z_b(p) and the far edge z_e(p), with
z = z_b + (z_e - z_b) * y**k. The boundary is the saturation line below the
top of the saturation table and a smooth continuation above it, so that no
cell straddles the saturation line.
"""

SCHEMA_VERSION = 3

# par
P_X0 = 0  # ln p_min
P_DXU = 1  # bin width of the x index map
P_NX = 2
P_NY = 3
P_REFINE = 4  # 1-D boundary cells per 2-D cell in x
P_NF = 5
P_NT = 6  # nodes of the saturation table in temperature
P_TMIN = 7
P_THI = 8
P_TTOP = 9  # top of the saturation table (just below T_crit)
P_XTOP = 10  # ln p_sat(T_TOP)
P_PTOP = 11
P_K = 12  # stretch exponent
P_PMIN = 13
P_PMAX = 14
P_TC = 15
P_PC = 16
P_XMAX = 17
P_NMAP = 18
P_IDXU = 19  # 1 / P_DXU
P_ITSPAN = 20  # 1 / (T_TOP - T_MIN)
NPAR = 21
# kernel-only entries, appended when a table is loaded (not in the file; see
# tables.kernel_arrays)
P_PURE = 21  # 1.0 when bubble and dew points coincide (pure fluid), else 0.0
P_KEY0 = 22  # pressure-bits key of p_min (see below)
P_NKEY = 23  # entries of the pressure-bits map
P_FMAP = 24  # offset in xg of the pressure-bits map
P_FINE = 25  # offset in xg of the fine-cell records
P_KSHIFT = 26  # right shift of p's bits that gives its key (52 - mantissa bits kept)
P_BKEY0 = 27  # saturation cubics (below): bits of p_min with the low P_BSHIFT bits cleared
P_BSHIFT = 28  # right shift of p's bits that gives its cubic's cell
P_BSCALE = 29  # 2**-P_BSHIFT
P_BOFF = 30  # offset in xg of the cubics
P_BNCELL = 31  # cells of the cubics
NPAR_KERNEL = 32
# Kernel-only part of ``xg``, appended on loading: locating a pressure without a
# logarithm. The fine grid is the 1-D boundary grid (each 2-D cell split into
# ``refine`` equal cells in x = ln p). The map is indexed by the exponent and
# the top mantissa bits of p (at least MIN_KEY_BITS, more when a table's fine
# cells are narrower: each bin must be narrower than any fine cell) and holds
# two values per bin: the fine cell of the bin's lower end and the pressure at
# which the next fine cell starts (so that the correction needs no second,
# dependent read). Each fine cell f has a record of
# FINE_REC values: its lower pressure p_f, 1 / p_f, 1 / (its width in ln p),
# its 2-D cell i, and the dew temperature across the cell as a cubic in the
# position v in [0, 1] (4 monomial coefficients, the boundary table's own
# interpolant rewritten): a (p, T) look-up then reads no line of the boundary
# table. The records start on a 64-byte boundary, one line each.
MIN_KEY_BITS = 12
FINE_REC = 8
FINE_TDEW = 4  # offset of the dew-temperature cubic in a record
# Kernel-only part of ``xg``, appended on loading: the saturation quantities as
# cubics in p on cells of the float bit pattern of p (cell = (bits(p) - P_BKEY0)
# >> P_BSHIFT, position t = the low bits / 2**P_BSHIFT, exactly linear in p
# inside a cell since no cell straddles a power of two), so that a (p, Q) state
# needs no pressure map, no logarithm and no fine-cell record. Each cell holds
# BQ_N pairs of quantities, each as two cubics of 4 monomial coefficients in t
# (8 values, one 64-byte line). Fitted on loading to the boundary table's own
# interpolant (see tables.kernel_arrays); a cell where the fit differs from it
# by more than BITS_FIT_TOL, or that reaches outside [p_min, P_PTOP], holds
# NaN, and the kernels then take the boundary table's path for that state.
BITS_CELL_BITS = 10  # mantissa bits of a cell: cells of relative width 2**-10 in p
BITS_FIT_TOL = 1e-12  # relative to the quantity's scale (see tables)
BQ_H = 0  # (h_l, h_v)
BQ_S = 1  # (s_l, s_v)
BQ_D = 2  # (D_l, D_v)
BQ_C = 3  # (cp_l, cp_v)
BQ_T = 4  # (T_bubble, T_dew)
BQ_N = 5
BITS_REC = 8 * BQ_N

# satx quantities (boundary along ln p; above P_PTOP liquid == vapour side).
# Liquid-side quantities (HL, SL, DL, CL) are those of the bubble point at p,
# vapour-side ones of the dew point at p.
QX_T = 0
QX_HL = 1
QX_HV = 2
QX_SL = 3
QX_SV = 4
QX_DL = 5
QX_DV = 6
QX_CL = 7
QX_CV = 8
QX_HLO = 9  # h(p, T_min)
QX_HHI = 10  # h(p, T_hi)
QX_SLO = 11
QX_SHI = 12
QX_TBUB = 13  # bubble temperature (differs from QX_T, the dew point, for pseudo-pure blends)
NQX = 14
# boundary-table quantities of each pair of saturation cubics (BQ_*), liquid side first
BQ_QX = ((QX_HL, QX_HV), (QX_SL, QX_SV), (QX_DL, QX_DV), (QX_CL, QX_CV), (QX_TBUB, QX_T))

# satT quantities: LNP and the vapour side at the dew point of temperature T,
# the liquid side and LNPB at its bubble point (the same state for pure fluids)
QT_LNP = 0
QT_HL = 1
QT_HV = 2
QT_SL = 3
QT_SV = 4
QT_DL = 5
QT_DV = 6
QT_CL = 7
QT_CV = 8
QT_LNPB = 9  # ln of the bubble pressure (QT_LNP is the dew pressure)
NQT = 10

# region tables: (input variable, side)
TAB_TL = 0
TAB_TV = 1
TAB_HL = 2
TAB_HV = 3
TAB_SL = 4
TAB_SV = 5
NTAB = 6
# outputs stored per region table, by input variable
OUTPUTS_BY_INPUT = {
    "T": ("H", "S", "D", "C"),
    "H": ("T", "S", "D", "C"),
    "S": ("T", "H", "D", "C"),
}
NOUT = 4

# --------------------------------------------------------------------------- T_sat grids
# A sixth kernel array, derived on loading (tables.kernel_arrays, built by
# hpcore.properties.tsat): the states a subcritical cycle needs, on grids whose x
# axis is the dew-point temperature, so that a cycle kernel locates its saturation
# temperatures by a few multiplications (no pressure map, no logarithm, no search)
# in 8.3 MB (R290) instead of 31 MB. Layout of the flat array ``cyc``:
#   header [TS_HEADER]
#   x: the position u = g(T_dew), a cubic in T_dew - T0 whose node density rises
#       from 1 / TSAT_DTX towards the top (TSAT_TOP_DENSITY times that), where the
#       properties change faster as the critical point nears; 2-D nodes at integer u
#   1-D records: per cell (TS_REFINE cells per unit of u), TS_NQ quantities x 4
#       monomial coefficients in the position t in [0, 1) (256 bytes, 64-byte lines)
#   2-D tables TS_SUC, TS_LIQ, TS_PS, TS_PH, TS_LPH: [output, x, y, 4] with per node
#       (f, df, df_y, d2f) as derivatives per grid step; y in the table's own variable, nodes at
#       y_max (j / (ny - 1))**2 (clustered at the saturation line):
#       SUC superheat [K] -> (h, s, D); LIQ subcooling below the bubble point at
#       p_dew [K] -> (h, s); PS s - s_v [J/(kg K)] -> (h,); PH h - h_v [J/kg] -> (T, s);
#       LPH h_l - h [J/kg] -> (T, s) of the liquid below the bubble point at p_dew
# Cells that disagree with the general tables at the check points, or reach
# outside them, hold NaN: a kernel then takes the general path for that element.
TS_OK = 0  # 1.0 when the grids were built
TS_T0 = 1  # first node [K]
TS_C1 = 2  # position along x: u = tau (TS_C1 + TS_C3 tau**2), tau = T - TS_T0 [1/K, 1/K**3]
TS_C3 = 3
TS_NX = 4  # 2-D nodes in x (at u = 0, 1, ..., nx - 1)
TS_REFINE = 5  # 1-D cells per 2-D cell
TS_O1 = 6  # offset of the 1-D records
TS_TAB = 8  # per 2-D table k: 8 entries from TS_TAB + 8 k
TS_T_OFF = 0  # offset of the table
TS_T_NY = 1  # nodes in y
TS_T_IY = 2  # (ny - 1)**2 / y_max: the position across is sqrt(y TS_T_IY) (nodes at y_max (j / (ny - 1))**2)
TS_T_NO = 3  # outputs
TS_T_YMAX = 4  # y_max in the variable's unit
TS_HEADER = 48
TS_SUC = 0
TS_LIQ = 1
TS_PS = 2
TS_PH = 3
TS_LPH = 4
TS_NTAB = 5
# 1-D quantities at T_dew: p_dew (itself: a cubic over a cell of at most 0.25 K
# meets 1e-12, and the cycle kernels need no exp), then at p_dew the bubble-point liquid and the
# dew-point vapour
TQ_P = 0
TQ_HL = 1
TQ_HV = 2
TQ_SL = 3
TQ_SV = 4
TQ_TBUB = 5
TQ_DV = 6
TQ_DL = 7
TS_NQ = 8
TS_REC = 4 * TS_NQ
