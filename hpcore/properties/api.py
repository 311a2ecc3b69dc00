"""``props``: CoolProp's PropsSI on arrays, from the tables."""

import numpy as np

from .. import config, status as st
from . import _kernels as K
from .tables import load_table

_OUTPUTS = {
    "T": K.OUT_T,
    "P": K.OUT_P,
    "H": K.OUT_H,
    "HMASS": K.OUT_H,
    "S": K.OUT_S,
    "SMASS": K.OUT_S,
    "D": K.OUT_D,
    "DMASS": K.OUT_D,
    "Q": K.OUT_Q,
    "C": K.OUT_C,
    "CPMASS": K.OUT_C,
}
_INPUT_CANON = {"T": "T", "P": "P", "H": "H", "HMASS": "H", "S": "S", "SMASS": "S", "Q": "Q"}
_PAIRS = {
    ("P", "T"): K.PAIR_PT,
    ("P", "H"): K.PAIR_PH,
    ("P", "S"): K.PAIR_PS,
    ("P", "Q"): K.PAIR_PQ,
    ("T", "Q"): K.PAIR_TQ,
}
SUPPORTED_OUTPUTS = ("T", "P", "H", "S", "D", "Q", "C")
SUPPORTED_PAIRS = ("(P,T)", "(P,H)", "(P,S)", "(P,Q)", "(T,Q)")


def _canon_output(output):
    if not isinstance(output, str) or output.upper() not in _OUTPUTS:
        raise ValueError(f"output={output!r} is not supported; supported outputs: {', '.join(SUPPORTED_OUTPUTS)}")
    return _OUTPUTS[output.upper()]


def _canon_pair(name1, name2):
    n1 = _INPUT_CANON.get(name1.upper()) if isinstance(name1, str) else None
    n2 = _INPUT_CANON.get(name2.upper()) if isinstance(name2, str) else None
    key = (n1, n2)
    if key in _PAIRS:
        return _PAIRS[key], False
    if (n2, n1) in _PAIRS:
        return _PAIRS[(n2, n1)], True
    raise ValueError(
        f"input pair ({name1!r}, {name2!r}) is not supported; supported pairs (either order): {', '.join(SUPPORTED_PAIRS)}"
    )


def run_elementwise(parallel_kernel, serial_kernel, args, n):
    """Run the serial kernel below ``config.SERIAL_THRESHOLD`` elements, else the parallel one."""
    if n < config.SERIAL_THRESHOLD:
        serial_kernel(*args)
        return
    import numba

    nthreads = config.num_threads()
    if nthreads is not None:
        numba.set_num_threads(min(nthreads, numba.config.NUMBA_NUM_THREADS))
    if numba.get_num_threads() == 1:
        # one thread (a pinned Dask worker, a user's choice): the parallel loop's
        # scheduling would only add cost
        serial_kernel(*args)
    else:
        parallel_kernel(*args)


def _flat_input(x):
    """1-D contiguous writeable float64 (one compiled signature): a view when possible.

    Broadcast views are read-only (numba types them differently) and may repeat
    elements: those are copied.
    """
    if x.flags.c_contiguous and x.flags.writeable:
        return x.reshape(-1)
    return np.array(x, dtype=np.float64).reshape(-1)


def props(output, name1, value1, name2, value2, fluid, *, errors="warn", return_status=False, table=None):
    """Thermodynamic property from the tables, in CoolProp ``PropsSI`` argument order.

    Parameters
    ----------
    output : str
        ``"T"`` [K], ``"P"`` [Pa], ``"H"`` [J/kg], ``"S"`` [J/(kg K)],
        ``"D"`` [kg/m3], ``"Q"`` [-] (-1 for single-phase states, as in
        CoolProp), ``"C"`` (isobaric heat capacity) [J/(kg K)]; CoolProp's
        long names (``"Hmass"``, ``"Dmass"``, ``"Cpmass"``, ...) work too.
    name1, value1, name2, value2
        An input pair, in either order: (P, T), (P, H), (P, S), (P, Q),
        (T, Q). Values broadcast like numpy.
    fluid : str
        Fluid name or alias (``"R290"``, ``"propane"``, ``"R-290"``).
    errors : {"warn", "raise", "ignore"}
        What to do when elements are flagged (NaN output): one warning per
        call with counts per flag, an exception, or nothing.
    return_status : bool
        Also return the per-element status codes (:class:`hpcore.Status`).
    table : Table, optional
        Use this table instead of the cached one of ``fluid``.

    Returns
    -------
    float or ndarray (and the int32 status array if ``return_status``)

    Notes
    -----
    Flagged elements are NaN: non-finite inputs, states outside the table
    (never extrapolated), ``Q`` outside [0, 1], (P, Q) above the end of the
    saturation line, ``C`` inside the two-phase dome (undefined; CoolProp
    returns a number there that is not a heat capacity), and (P, T) exactly
    on the saturation line, where the pair does not fix the state.

    Examples
    --------
    >>> import hpcore
    >>> round(hpcore.props("T", "P", 101325.0, "Q", 0.0, "Water"), 3)
    373.124
    """
    out_code = _canon_output(output)
    pair, swap = _canon_pair(name1, name2)
    st.check_errors_arg(errors)
    tbl = (table if table is not None else load_table(fluid)).arrays
    a, b = (value2, value1) if swap else (value1, value2)
    scalar = np.ndim(a) == 0 and np.ndim(b) == 0
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        try:
            shape = np.broadcast_shapes(a.shape, b.shape)
        except ValueError as exc:
            raise ValueError(
                f"value1 and value2 do not broadcast: shapes {np.shape(value1)} and {np.shape(value2)}") from exc
        a = np.broadcast_to(a, shape)
        b = np.broadcast_to(b, shape)
    shape = a.shape
    a = _flat_input(a)
    b = _flat_input(b)
    n = a.shape[0]
    res = np.empty(n, dtype=np.float64)
    status = np.empty(n, dtype=np.int32)
    run_elementwise(K.props_parallel, K.props_serial, (tbl, pair, out_code, a, b, res, status), n)
    st.report(status, errors, f"props({output!r}, {name1!r}, ..., {name2!r}, ..., {fluid!r})")
    res = res.reshape(shape)
    status = status.reshape(shape)
    if scalar:
        value = float(res[()])
        return (value, int(status[()])) if return_status else value
    return (res, status) if return_status else res


