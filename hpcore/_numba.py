"""The one decorator every hpcore kernel uses.

``nogil=True`` lets Dask threads run kernels side by side, ``cache=True``
stores the machine code on disk so a second process does not recompile, and
``error_model="numpy"`` makes a division by zero give inf/NaN (which the
kernels then flag) instead of raising inside a parallel loop. ``fastmath`` is
off unless a caller asks by name: it lets LLVM assume that no NaN occurs,
which silently removes the NaN checks the status codes rely on.
"""
import numba

__all__ = ["njit_kernel", "prange"]

prange = numba.prange


def njit_kernel(fn=None, *, parallel=False, inline="never", fastmath=False):
    """Compile ``fn`` with hpcore's kernel options."""

    def wrap(f):
        return numba.njit(
            nogil=True,
            cache=True,
            error_model="numpy",
            parallel=parallel,
            inline=inline,
            fastmath=fastmath,
            # Kernels allocate nothing, so they need no reference counting; without
            # this every array taken from the table tuple costs an incref/decref call
            # pair (measured: ~140 runtime calls in one bicubic evaluation).
            _nrt=False if not parallel else True,
        )(f)

    if fn is None:
        return wrap
    return wrap(fn)
