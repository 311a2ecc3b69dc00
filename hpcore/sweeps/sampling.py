"""Design points: grid rows from a flat index range, Sobol' and Latin hypercube samples.

Every generator works on a range of point indices, so that memory stays
bounded whatever the design's size:

- grid: point ``i`` of a full factorial in C order (last axis fastest); a
  compiled loop fills a chunk's inputs from the axis values.
- Sobol': scrambled (Owen-type linear matrix scrambling plus digital shift,
  scipy's implementation), seeded; drawn in order, block by block.
- LHS: ``x_ij = (pi_j(i) + u_ij) / n`` with ``pi_j`` a keyed pseudo-random
  permutation of ``0..n-1`` (a Feistel network with cycle walking) and
  ``u_ij`` a counter-based uniform, so any block is computed on its own and
  every one of the ``n`` strata of every axis holds exactly one point.
"""
import warnings

import numpy as np

from .._numba import njit_kernel


@njit_kernel
def _fill_grid(start, values, offsets, sizes, out):
    """out[d, k] = values[offsets[d] + digit_d(start + k)] (C order, last axis fastest).

    Run by run along the last axis: the other axes' digits are constant over a
    run, so they are found (two integer divisions per axis) once per run, not
    once per point, and every row is written contiguously.
    """
    ndim = sizes.shape[0]
    m = out.shape[1]
    last = ndim - 1
    n_last = sizes[last]
    k = 0
    while k < m:
        rem = start + k
        q = rem // n_last
        j = rem - q * n_last  # position along the last axis
        run = min(n_last - j, m - k)
        base = offsets[last] + j
        for t in range(run):
            out[last, k + t] = values[base + t]
        for d in range(last - 1, -1, -1):
            q2 = q // sizes[d]
            v = values[offsets[d] + (q - q2 * sizes[d])]
            for t in range(run):
                out[d, k + t] = v
            q = q2
        k += run


def grid_inputs(axes, start, stop):
    """Inputs of grid points ``start..stop-1``: dict name -> contiguous float64 arrays.

    ``axes`` is a list of ``(name, values)`` in C order.
    """
    m = stop - start
    if not axes:
        return {}
    sizes = np.array([len(v) for _, v in axes], dtype=np.int64)
    offsets = np.zeros(len(axes), dtype=np.int64)
    offsets[1:] = np.cumsum(sizes)[:-1]
    values = np.concatenate([np.asarray(v, dtype=np.float64) for _, v in axes])
    out = np.empty((len(axes), m), dtype=np.float64)
    _fill_grid(np.int64(start), values, offsets, sizes, out)
    return {name: out[d] for d, (name, _) in enumerate(axes)}


# --- Sobol' ---------------------------------------------------------------------

SOBOL_BLOCK = 1 << 20


def sobol_blocks(d, n, seed, block=SOBOL_BLOCK):
    """Yield ``(start, unit-cube points [m, d])`` for the first ``n`` scrambled Sobol' points."""
    from scipy.stats import qmc

    engine = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(seed))
    start = 0
    while start < n:
        m = min(block, n - start)
        with warnings.catch_warnings():
            # the balance warning concerns the whole design, already given once by the spec
            warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*", category=UserWarning)
            pts = engine.random(m)
        yield start, pts
        start += m


# --- Latin hypercube ----------------------------------------------------------------

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    """splitmix64 finalizer on a uint64 array (wrapping arithmetic)."""
    z = z ^ (z >> np.uint64(30))
    z = z * _M1
    z = z ^ (z >> np.uint64(27))
    z = z * _M2
    return z ^ (z >> np.uint64(31))


def _key(seed, *parts):
    """A 64-bit key from the seed and small integers (1-element array: no scalar overflow warnings)."""
    k = np.array([int(seed) & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
    for p in parts:
        k = _mix(k ^ (np.array([p], dtype=np.uint64) * _GOLD + np.uint64(0x632BE59BD9B4E019)))
    return k


def _feistel(x, half_bits, key):
    mask = np.uint64((1 << half_bits) - 1)
    hb = np.uint64(half_bits)
    left = x >> hb
    right = x & mask
    for r in range(4):
        f = _mix(right ^ _mix(key ^ np.array([r], dtype=np.uint64))) & mask
        left, right = right, left ^ f
    return (left << hb) | right


def keyed_permutation(idx, n, key):
    """A pseudo-random bijection of ``0..n-1`` evaluated at ``idx`` (uint64 array)."""
    bits = max(2, int(np.ceil(np.log2(max(n, 2)))))
    bits += bits & 1
    half = bits // 2
    y = _feistel(idx.astype(np.uint64), half, key)
    bad = y >= np.uint64(n)
    while bad.any():  # cycle walking: at most a few rounds, the domain is < 4 n
        y[bad] = _feistel(y[bad], half, key)
        bad = y >= np.uint64(n)
    return y


def lhs_block(d, n, seed, start, stop):
    """Unit-cube Latin hypercube points ``start..stop-1`` of a design of ``n`` ([m, d])."""
    idx = np.arange(start, stop, dtype=np.uint64)
    out = np.empty((stop - start, d), dtype=np.float64)
    for j in range(d):
        perm = keyed_permutation(idx, n, _key(seed, 1, j))
        u = (_mix(idx ^ _key(seed, 2, j)) >> np.uint64(11)).astype(np.float64) * 2.0**-53
        out[:, j] = (perm.astype(np.float64) + u) / n
    return out


def lhs_blocks(d, n, seed, block=SOBOL_BLOCK):
    start = 0
    while start < n:
        stop = min(n, start + block)
        yield start, lhs_block(d, n, seed, start, stop)
        start = stop


def scale(unit_points, ranges):
    """Map unit-cube points [m, d] to ``[(low, high), ...]``; returns a list of columns."""
    cols = []
    for j, (low, high) in enumerate(ranges):
        col = low + (high - low) * unit_points[:, j]
        cols.append(np.ascontiguousarray(np.minimum(col, high)))
    return cols
