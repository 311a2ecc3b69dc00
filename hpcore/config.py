"""Named thresholds and the environment variables hpcore reads.

Environment variables are used only for caches and threads:

``HPCORE_TABLE_DIR``
    where property tables are cached (default: the platform's user cache
    directory, e.g. ``~/.cache/hpcore/tables`` on Linux).
``HPCORE_NUM_THREADS``
    numba threads used by the parallel kernels (default: all cores).
"""
import os

import platformdirs

#: Below this many elements the serial kernel runs: starting the thread pool
#: costs more than a small batch takes.
SERIAL_THRESHOLD = 20_000

#: Grid sizes of the production tables. The 2-D region tables have
#: ``TABLE_NX`` pressure nodes (uniform in ln p) and ``TABLE_NY`` nodes across
#: each region; the 1-D saturation tables are finer.
TABLE_NX = 200
#: ... and at least this many pressure nodes per unit of ln(p_max / p_min)
#: (water spans 611 Pa to 33 MPa: 10.9 units, 380 nodes)
TABLE_NX_PER_LNP = 35.0
TABLE_NY = 200
#: Finer across-region grids for fluids used around their pseudo-critical ridge:
#: transcritical CO2 gas coolers work at 8-12 MPa and 30-45 degrees Celsius, where
#: cp peaks; 400 nodes bring h there from 5e-7 to 5e-8 (measured at 8.23 MPa, 309.1 K),
#: 320 keep the build of CO2 under a minute on two cores.
TABLE_NY_BY_FLUID = {"CarbonDioxide": 320}
#: 1-D boundary/saturation tables along ln p: this many sub-intervals per
#: interval of the 2-D grid, so that every 2-D node is also a 1-D node.
SAT_X_REFINE = 8
#: 1-D saturation table in temperature.
SAT_T_NODES = 4001
#: Clustering of the pressure nodes around the critical pressure: the node
#: density in x = ln p is 1 + A / (1 + ((x - x_crit) / w)**2).
X_CLUSTER_AMPLITUDE = 6.0
X_CLUSTER_WIDTH = 0.1
#: Stretch exponent of the across-region coordinate: nodes are spaced as
#: ``y**TABLE_STRETCH``, i.e. clustered towards the saturation line.
TABLE_STRETCH = 2.0

#: Coverage. Lower temperature: the fluid's lower limit or -60 degrees
#: Celsius, whichever is warmer; upper: its upper limit or 350 degrees Celsius,
#: whichever is lower.
T_LOW_FLOOR = 213.15
T_HIGH_CEILING = 623.15
#: Upper pressure: the larger of this many times p_crit and ``P_HIGH_FLOOR``,
#: limited by the equation of state.
P_HIGH_CRIT_FACTOR = 1.5
P_HIGH_FLOOR = 15.0e6

#: T_sat grids (hpcore.properties.tsat): the states of subcritical cycles on axes
#: uniform in the dew-point temperature, derived from each table on loading.
#: Upper end: the dew point at this fraction of the critical pressure.
TSAT_P_FRAC = 0.9
#: Node spacing along T_dew at the lowest temperature [K]; the node density rises
#: (quadratically in T_dew) to TSAT_TOP_DENSITY times that at the upper end; 1-D
#: saturation cells per 2-D cell. With 4 of them, 14-29 % of the 1-D cells of R290, R32,
#: R717 and R744 missed TSAT_TOL_1D (p and D_v near the lowest temperature, where a cubic
#: in T follows the near-exponential p(T) least well, and near the upper end), so those
#: saturation temperatures took the general path (R744's low circuit in a cascade below
#: about 250 K); with 8 (errors 16x smaller) none miss it.
TSAT_DTX = 1.0
TSAT_TOP_DENSITY = 4.0
TSAT_REFINE = 8
#: Ranges across: superheat and subcooling [K] (wide enough for the suction gas and the
#: liquid of an internal heat exchanger, heated or cooled to the other side's
#: temperature); the liquid (p, h) table spans the enthalpy of TSAT_SUBCOOLING_MAX of
#: subcooling (median over T_dew) below the bubble point, and the discharge tables
#: (p, s) and (p, h) the entropy and enthalpy of TSAT_DISCHARGE_SPAN of superheat above
#: the dew point. Nodes across: the suction and liquid grids' cells near the saturation
#: line are as narrow as they were at 40 K and 41 nodes.
TSAT_SUPERHEAT_MAX = 150.0
TSAT_SUBCOOLING_MAX = 150.0
TSAT_DISCHARGE_SPAN = 150.0
TSAT_NY_SUCTION = 81
TSAT_NY_LIQUID = 81
TSAT_NY_LIQUID_PH = 81
TSAT_NY_DISCHARGE = 76
#: The 2-D grids' node derivatives (f_x, f_y, f_xy) are the not-a-knot spline's on a grid
#: this many times finer along both axes. With 1 (the nodes' own spline) the liquid
#: grid's first cells off the bubble line missed TSAT_TOL_H for R290 above 325 K (the
#: spline's end condition), so 1 % of the benchmark's random basic cycles (subcooling
#: below 0.2 K) took the general path; with 2 none do, and fewer cells of every grid
#: miss (R290: 7782 -> 6887 NaN nodes of the liquid (p, h) grid, 628 -> 76 of the
#: discharge (p, h) grid). 4 and 8 gave no fewer (more, for 8: the general tables' own
#: interpolation error shows in differences that fine).
TSAT_DERIV_REFINE = 2
#: Largest difference from the general tables that a cell may have at its check
#: points: h and s relative to the latent heat and the entropy of vaporization 1 K
#: above the lowest temperature, D relative, T absolute [K]; 1-D quantities relative to
#: their scale. A cell that fails holds NaN and the kernels take the general path.
TSAT_TOL_H = 1e-8
TSAT_TOL_S = 1e-8
TSAT_TOL_D = 1e-7
TSAT_TOL_T_K = 1e-6
TSAT_TOL_1D = 1e-12

#: Number of random points at which a freshly built table is compared with
#: CoolProp HEOS; the result is stored in the file and shown by
#: ``hpcore tables info``.
ACCURACY_POINTS = 10_000


def table_dir():
    """Directory of the table cache [path]."""
    env = os.environ.get("HPCORE_TABLE_DIR")
    if env:
        return env
    return os.path.join(platformdirs.user_cache_dir("hpcore"), "tables")


def num_threads():
    """Threads the parallel kernels may use, or None for numba's default."""
    env = os.environ.get("HPCORE_NUM_THREADS")
    if env:
        n = int(env)
        if n < 1:
            raise ValueError(f"HPCORE_NUM_THREADS={env!r}: must be an integer >= 1")
        return n
    return None
