"""The one decorator every hpcore kernel uses.

``nogil=True`` lets Dask threads run kernels side by side, ``cache=True``
stores the machine code on disk so a second process does not recompile, and
``error_model="numpy"`` makes a division by zero give inf/NaN (which the
kernels then flag) instead of raising inside a parallel loop. ``fastmath`` is
off unless a caller asks by name: it lets LLVM assume that no NaN occurs,
which silently removes the NaN checks the status codes rely on.
"""
import hashlib
import os
import pathlib
import platform

import numba
from numba import types as _types
from numba.core import cgutils as _cgutils
from numba.extending import intrinsic as _intrinsic
from numba.np.arrayobj import populate_array as _populate_array
from llvmlite import ir as _ir

__all__ = ["njit_kernel", "prange", "stack_empty", "store_stream", "stream_fence", "KERNEL_DIGEST"]


def _kernel_digest():
    """Digest of every kernel source file of hpcore.

    numba's disk cache checks only the timestamp of the file that defines a
    function, not of the kernels it calls from other modules; a kernel cached
    against an older property kernel would silently run stale code. Keying the
    cache directory by the digest of all kernel sources rules that out.
    """
    root = pathlib.Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "kernel" in path.name or path.name == "_numba.py":
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


KERNEL_DIGEST = _kernel_digest()

if not os.environ.get("NUMBA_CACHE_DIR"):
    import platformdirs

    numba.config.CACHE_DIR = os.path.join(platformdirs.user_cache_dir("hpcore"), "numba", KERNEL_DIGEST)

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


@_intrinsic
def stack_empty(typingctx, nrow, ncol):
    """An uninitialised C-contiguous float64 array (nrow, ncol) on the stack of the
    calling function; ``nrow`` and ``ncol`` compile-time integer constants.

    A scratch array for one block of elements that costs no allocation and no
    reference counting, and that LLVM knows is distinct from every argument: a loop
    that gathers from a table argument and stores into it needs no run-time alias
    checks, which the loop vectorizer cannot build for gathers. The array lives until
    the calling function returns: it must not be returned or stored, and the calling
    function must be a real call (not ``inline="always"`` into a loop, where each
    inlined copy would take more stack).
    """
    if not (isinstance(nrow, _types.IntegerLiteral) and isinstance(ncol, _types.IntegerLiteral)):
        return None
    nr, nc = nrow.literal_value, ncol.literal_value
    arrty = _types.Array(_types.float64, 2, "C")

    def codegen(context, builder, signature, args):
        ary = context.make_array(arrty)(context, builder)
        llty = context.get_data_type(_types.float64)
        data = _cgutils.alloca_once(builder, llty, size=nr * nc, name="stack_empty")
        intp = context.get_value_type(_types.intp)
        _populate_array(
            ary, data=data,
            shape=[intp(nr), intp(nc)], strides=[intp(8 * nc), intp(8)],
            itemsize=context.get_constant(_types.intp, 8), meminfo=None,
        )
        return ary._getvalue()

    return arrty(nrow, ncol), codegen


#: x86-64: streaming stores are ordered by an ``sfence``; elsewhere they are plain stores
_X86 = platform.machine().lower() in ("x86_64", "amd64")


@_intrinsic
def store_stream(typingctx, a, r, i, v):
    """``a[r, i] = v`` for a float64 2-D array, as a streaming (non-temporal) store on
    x86-64 when ``a`` is C-contiguous: the value goes to memory through the
    write-combining buffers without first reading its cache line (a plain store to
    memory not in cache reads the line, then writes it back: twice the traffic).
    Measured on this project's 2-core EPYC machines: 19 rows of 10**7 values written at
    6 GB/s with plain stores, 33 GB/s streamed. For outputs much larger than the cache
    only (a value read soon after it is written would come from memory); a kernel that
    streams calls :func:`stream_fence` before it returns. Other layouts, and other
    machines: a plain store. No bounds check, as everywhere in hpcore's kernels; ``r``
    and ``i`` are non-negative integers.
    """
    if not (isinstance(a, _types.Array) and a.ndim == 2 and a.dtype == _types.float64):
        return None

    def codegen(context, builder, signature, args):
        aty = signature.args[0]
        ary = context.make_array(aty)(context, builder, args[0])
        idx = [context.cast(builder, args[1], signature.args[1], _types.intp),
               context.cast(builder, args[2], signature.args[2], _types.intp)]
        ptr = _cgutils.get_item_pointer2(context, builder, ary.data, _cgutils.unpack_tuple(builder, ary.shape, 2),
                                         _cgutils.unpack_tuple(builder, ary.strides, 2), aty.layout, idx)
        val = context.cast(builder, args[3], signature.args[3], _types.float64)
        store = builder.store(val, ptr)
        if _X86 and aty.layout == "C":
            store.set_metadata("nontemporal", builder.module.add_metadata([_ir.IntType(32)(1)]))
        return context.get_dummy_value()

    return _types.void(a, r, i, v), codegen


@_intrinsic
def stream_fence(typingctx):
    """Order the streaming stores before every later store (``sfence`` on x86-64), so
    that another thread that sees the kernel finished sees its values too."""

    def codegen(context, builder, signature, args):
        if _X86:
            fty = _ir.FunctionType(_ir.VoidType(), [])
            builder.call(_cgutils.get_or_insert_function(builder.module, fty, "llvm.x86.sse.sfence"), [])
        return context.get_dummy_value()

    return _types.void(), codegen
