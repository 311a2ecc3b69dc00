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
import sys

import numba
from numba import types as _types
from numba.core import cgutils as _cgutils
from numba.extending import intrinsic as _intrinsic
from numba.np.arrayobj import populate_array as _populate_array
from llvmlite import ir as _ir

__all__ = ["njit_kernel", "prange", "stack_empty", "store_stream", "store_stream8", "stream_fence", "stream_peel",
           "vector_loop", "KERNEL_DIGEST"]


def _kernel_digest():
    """Digest of every kernel source file of hpcore.

    numba's disk cache checks only the timestamp of the file that defines a
    function, not of the kernels it calls from other modules; a kernel cached
    against an older property kernel would silently run stale code. Keying the
    cache directory by the digest of all kernel sources, and of the layout constants
    they compile in (``layout.py``), rules that out.
    """
    root = pathlib.Path(__file__).resolve().parent
    h = hashlib.sha256()
    h.update(os.environ.get("HPCORE_VECTOR_GATHERS", "0").encode())
    for path in sorted(root.rglob("*.py")):
        if "kernel" in path.name or path.name in ("_numba.py", "layout.py"):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


KERNEL_DIGEST = _kernel_digest()

if not os.environ.get("NUMBA_CACHE_DIR"):
    import platformdirs

    numba.config.CACHE_DIR = os.path.join(platformdirs.user_cache_dir("hpcore"), "numba", KERNEL_DIGEST)

prange = numba.prange


# --------------------------------------------------------------------------- a second optimization round

#: how the mangled name of every function numba compiles from hpcore's modules begins
_HPCORE_SYMBOL = "_ZN6hpcore"


def _holds_hpcore_code(module):
    """Whether an LLVM module defines a function compiled from hpcore's sources."""
    return any(f.name.startswith(_HPCORE_SYMBOL) for f in module.functions if not f.is_declaration)


def _optimize_hpcore_twice(lib=None):
    """Run numba's module optimization twice on every library that holds hpcore code.

    numba optimizes each compiled function's module once. A kernel that calls another
    (``basic_serial`` calls ``basic_range_v``) links in the callee's already optimized
    code and optimizes the whole again; only that twice-optimized copy is in the disk
    cache. A process that compiled the kernels itself, though, resolves the call to the
    callee it compiled first (its symbol is already loaded), optimized once. That is
    why a process that compiled a kernel ran it slower than one that loaded it from the
    cache (basic cycle, 2x10^6 random points, one thread: 93 against 79 ns), and why
    the basic loop inlined into its caller, optimized once, was as slow. The second
    round (the loop vectorizer's output cleaned up again) gives the cached code's
    speed in every process. Only modules that define hpcore functions get it, so other
    numba code in the same process compiles as before; a numba without this method
    leaves everything as it is (speed only, never values: optimization keeps IEEE
    semantics, fastmath stays off). ``lib``: the class to patch (numba's
    ``CPUCodeLibrary`` by default); patching twice changes nothing."""
    if lib is None:
        from numba.core import codegen

        lib = getattr(codegen, "CPUCodeLibrary", None)
    once = getattr(lib, "_optimize_final_module", None)
    if once is None or getattr(once, "_hpcore_twice", False):
        return

    def _optimize_final_module(self):
        once(self)
        if _holds_hpcore_code(self._final_module):
            once(self)

    _optimize_final_module._hpcore_twice = True
    lib._optimize_final_module = _optimize_final_module


_optimize_hpcore_twice()


# --------------------------------------------------------------------------- inlining from a cache

#: (function, the caller's flags) -> the function's IR after numba's untyped passes, as
#: inlined (:func:`_inline_from_cache`)
_INLINE_IR = {}


def _inline_from_cache(worker=None):
    """Build each hpcore function's inlinable IR once a process, not once a call site.

    numba inlines an ``inline="always"`` function by running its untyped passes (which
    inline its own ``inline="always"`` callees the same way) at every call site, then
    copying the result into the caller. The kernels nest such helpers several levels
    deep (a block loop inlined twice, its helpers inlined at every use), so the same IR
    was rebuilt hundreds of times a kernel: profiling the ihx cycle's compilation, the
    inlining took 48 of 114 s, and this repetition most of it. Here the result for a
    function and the caller's flags is kept and handed out again; numba's
    ``inline_ir`` copies it before it changes anything, as it always does, and each
    site gets a fresh function identity, so the inlined variables are named as before.
    The compiled code is the same (the same IR is inlined). Only functions from
    hpcore's modules are cached: their globals are constants (numba's disk cache
    assumes that too). ``worker``: the class to patch (numba's ``InlineWorker`` by
    default); patching twice changes nothing; a numba without these methods is left as
    it is."""
    if worker is None:
        from numba.core import inline_closurecall

        worker = getattr(inline_closurecall, "InlineWorker", None)
    direct = getattr(worker, "inline_function", None)
    untyped = getattr(worker, "run_untyped_passes", None)
    if direct is None or untyped is None or getattr(direct, "_hpcore_cached", False):
        return
    cache = _INLINE_IR

    def inline_function(self, caller_ir, block, i, function, arg_typs=None):
        if not getattr(function, "__module__", "").startswith("hpcore.") or self.flags is None:
            return direct(self, caller_ir, block, i, function, arg_typs)
        self.flags.enable_ssa = False  # what run_untyped_passes sets on the caller's flags
        key = (function, repr(sorted(self.flags.values().items())))
        callee_ir = cache.get(key)
        if callee_ir is None:
            callee_ir = cache[key] = self.run_untyped_passes(function)
        callee_ir = callee_ir.copy()  # its blocks are copied again (deeply) by inline_ir
        callee_ir.func_id = callee_ir.func_id.derive()
        module = sys.modules[worker.__module__]
        plain = module.copy
        module.copy = _ScopeOnce(plain)  # numba compiles under one lock: no other thread is here
        try:
            return self.inline_ir(caller_ir, block, i, callee_ir, function.__code__.co_freevars, arg_typs=arg_typs)
        finally:
            module.copy = plain

    inline_function._hpcore_cached = True
    worker.inline_function = inline_function


class _ScopeOnce:
    """The ``copy`` module as numba's ``inline_ir`` sees it while hpcore inlines a function.

    ``inline_ir`` deep-copies the inlined IR block by block, and each block's copy
    copied the whole variable scope again (every variable of the function), which made
    the copies grow with blocks x variables; most of the inlining time was there. Here a
    scope is copied once per ``inline_ir`` and every block copied from it shares that
    copy, as the blocks of the original share theirs. ``inline_ir`` then renames the
    variables into the caller's scope and drops the callee's: the inlined code is the
    same. Everything else is the ``copy`` module's."""

    def __init__(self, plain):
        self._plain = plain
        self._scopes = {}

    def deepcopy(self, x, memo=None):
        scope = getattr(x, "scope", None)
        if memo is not None or scope is None or type(x).__name__ != "Block":
            return self._plain.deepcopy(x, memo)
        hit = self._scopes.get(id(scope))
        if hit is None:
            hit = self._scopes[id(scope)] = (scope, self._plain.deepcopy(scope))  # keeps ``scope`` alive
        return self._plain.deepcopy(x, {id(scope): hit[1]})

    def __getattr__(self, name):
        return getattr(self._plain, name)


_inline_from_cache()


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


#: LLVM's vector of 8 doubles (one 512-bit register)
_V8 = _ir.VectorType(_ir.DoubleType(), 8)


def ir_item_ptr(context, builder, aty, ary, idx):
    """LLVM IR: the address of ``ary[idx]`` (``idx`` a list of intp values), no bounds check."""
    a = context.make_array(aty)(context, builder, ary)
    return _cgutils.get_item_pointer2(context, builder, a.data, _cgutils.unpack_tuple(builder, a.shape, aty.ndim),
                                      _cgutils.unpack_tuple(builder, a.strides, aty.ndim), aty.layout, idx)


def ir_load8(builder, ptr):
    """LLVM IR: the 8 doubles from ``ptr`` (a double pointer, 8-byte aligned) as one vector."""
    return builder.load(builder.bitcast(ptr, _V8.as_pointer()), align=8)


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
        idx = [context.cast(builder, args[1], signature.args[1], _types.intp),
               context.cast(builder, args[2], signature.args[2], _types.intp)]
        ptr = ir_item_ptr(context, builder, aty, args[0], idx)
        val = context.cast(builder, args[3], signature.args[3], _types.float64)
        store = builder.store(val, ptr)
        if _X86 and aty.layout == "C":
            store.set_metadata("nontemporal", builder.module.add_metadata([_ir.IntType(32)(1)]))
        return context.get_dummy_value()

    return _types.void(a, r, i, v), codegen


#: what :func:`stream_peel` returns for a row that never reaches 64-byte alignment
_NO_ALIGN = 1 << 62


@_intrinsic
def stream_peel(typingctx, a, r, i):
    """How many elements from ``a[r, i]`` on (0 to 7) precede the first 64-byte aligned
    one, for :func:`store_stream8`; a very large number when none is (a row not 8-byte
    aligned, or not C-contiguous): the caller then stores every element singly."""
    if not (isinstance(a, _types.Array) and a.ndim == 2 and a.dtype == _types.float64):
        return None

    def codegen(context, builder, signature, args):
        aty = signature.args[0]
        i64 = _ir.IntType(64)
        if aty.layout != "C":
            return i64(_NO_ALIGN)
        idx = [context.cast(builder, args[1], signature.args[1], _types.intp),
               context.cast(builder, args[2], signature.args[2], _types.intp)]
        addr = builder.ptrtoint(ir_item_ptr(context, builder, aty, args[0], idx), i64)
        peel = builder.lshr(builder.and_(builder.neg(addr), i64(63)), i64(3))
        odd = builder.icmp_unsigned("!=", builder.and_(addr, i64(7)), i64(0))
        return builder.select(odd, i64(_NO_ALIGN), peel)

    return _types.int64(a, r, i), codegen


@_intrinsic
def store_stream8(typingctx, a, r, i, s, k, j):
    """``a[r, i:i + 8] = s[k, j:j + 8]`` for float64 2-D arrays (``s`` C-contiguous): for a
    C-contiguous ``a``, one 64-byte streaming store on x86-64 (a plain vector store
    elsewhere); for other layouts eight plain stores.

    :func:`store_stream` stores one value at a time: LLVM does not vectorize a streaming
    store it cannot prove aligned, and leaves one ``movntsd`` a value. Eight values a
    store ran the basic cycle 1.035-1.042x faster (A/B, cached, one thread). ``a[r, i]``
    must be 64-byte aligned (the caller peels :func:`stream_peel` elements first): an
    unaligned streaming store faults.
    """
    f64 = _types.float64
    if not (isinstance(a, _types.Array) and a.ndim == 2 and a.dtype == f64
            and isinstance(s, _types.Array) and s.ndim == 2 and s.dtype == f64 and s.layout == "C"):
        return None

    def codegen(context, builder, signature, args):
        def item(n, plus=0):
            col = context.cast(builder, args[n + 2], signature.args[n + 2], _types.intp)
            idx = [context.cast(builder, args[n + 1], signature.args[n + 1], _types.intp),
                   builder.add(col, col.type(plus))]
            return ir_item_ptr(context, builder, signature.args[n], args[n], idx)

        src = ir_load8(builder, item(3))
        if signature.args[0].layout != "C":  # never reached through stream_peel; plain stores
            for n in range(8):
                builder.store(builder.extract_element(src, _ir.IntType(32)(n)), item(0, n))
            return context.get_dummy_value()
        store = builder.store(src, builder.bitcast(item(0), _V8.as_pointer()), align=64)
        if _X86:
            store.set_metadata("nontemporal", builder.module.add_metadata([_ir.IntType(32)(1)]))
        return context.get_dummy_value()

    return _types.void(a, r, i, s, k, j), codegen


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


# --------------------------------------------------------------------------- fused multiply-add


@_intrinsic
def fma(typingctx, a, b, c):
    """``a * b + c`` rounded once (``llvm.fma.f64``: one instruction where the CPU has FMA,
    else libm's ``fma``, the same value). Not a fastmath contraction: NaN and inf
    propagate as in ``a * b + c``. The table reads use it, one element at a time and 8 at
    a time (:func:`ir_fma`) in the same order, so that the two agree bit for bit."""
    if not (a == b == c == _types.float64):
        return None

    def codegen(context, builder, sig, args):
        return builder.call(_ir_fma_fn(builder, _ir.DoubleType()), args)

    return _types.float64(_types.float64, _types.float64, _types.float64), codegen


def _ir_fma_fn(builder, t):
    name = "llvm.fma.v8f64" if isinstance(t, _ir.VectorType) else "llvm.fma.f64"
    return _cgutils.get_or_insert_function(builder.module, _ir.FunctionType(t, [t, t, t]), name)


def ir_fma(builder, a, b, c):
    """LLVM IR: ``a * b + c`` rounded once, lane by lane, on vectors of 8 doubles."""
    return builder.call(_ir_fma_fn(builder, _V8), [a, b, c])


# --------------------------------------------------------------------------- 8 elements' table runs, combined in registers


def _host_has_avx512f():
    import llvmlite.binding as ll
    try:
        return bool(ll.get_host_cpu_features().get("avx512f"))
    except RuntimeError:  # features unknown on this host
        return False


#: whether the basic cycle's grid pass reads its tables 8 elements at a time by
#: :func:`hpcore.properties._tsat_kernels.ts_val8` and ``ts_q8`` (one 512-bit load an
#: element, weighted and combined in registers): on x86-64 with AVX-512 (where it was
#: measured, and where LLVM turns the shuffles below into a few vector instructions), unless
#: HPCORE_VECTOR_GATHERS=1 asks for LLVM's own vectorization. Part of the machine code
#: only: the values are the same bit for bit either way.
VECTOR_READS = _X86 and os.environ.get("HPCORE_VECTOR_GATHERS", "0") != "1" and _host_has_avx512f()


def _shuffle_mask(ix):
    i32 = _ir.IntType(32)
    return _ir.Constant(_ir.VectorType(i32, 8), [i32(k) for k in ix])


def ir_bcast2(builder, ptr):
    """LLVM IR: the 2 doubles at ``ptr`` (8-byte aligned) repeated over a vector of 8 (on
    AVX-512 one broadcasting load, ``vbroadcastf64x2``: no shuffle)."""
    v2 = builder.load(builder.bitcast(ptr, _ir.VectorType(_ir.DoubleType(), 2).as_pointer()), align=8)
    return builder.shuffle_vector(v2, v2, _shuffle_mask([0, 1, 0, 1, 0, 1, 0, 1]))


def ir_lanes2(builder, a, b):
    """LLVM IR: the even lanes of vectors ``a`` and ``b`` (8 doubles each), side by side
    pair by pair (a0 b0 a2 b2 a4 b4 a6 b6), and their odd lanes likewise: 2 shuffles."""
    return (builder.shuffle_vector(a, b, _shuffle_mask([0, 8, 2, 10, 4, 12, 6, 14])),
            builder.shuffle_vector(a, b, _shuffle_mask([1, 9, 3, 11, 5, 13, 7, 15])))


def ir_rows8(builder, s):
    """LLVM IR: from 4 vectors ``s[p]`` holding the values m = 0..3 of elements 2p and
    2p + 1 side by side (lanes 2m, 2m + 1), the 4 rows ``out[m]`` whose lane e is element
    e's value m: the 128-bit pieces gathered (8 shuffles)."""
    u = []
    for a, b in ((s[0], s[1]), (s[2], s[3])):  # m = 0, 1 and m = 2, 3 of 4 elements
        u.append(builder.shuffle_vector(a, b, _shuffle_mask([0, 1, 8, 9, 2, 3, 10, 11])))
        u.append(builder.shuffle_vector(a, b, _shuffle_mask([4, 5, 12, 13, 6, 7, 14, 15])))
    lo4, hi4 = [0, 1, 2, 3, 8, 9, 10, 11], [4, 5, 6, 7, 12, 13, 14, 15]
    return [builder.shuffle_vector(u[0], u[2], _shuffle_mask(lo4)), builder.shuffle_vector(u[0], u[2], _shuffle_mask(hi4)),
            builder.shuffle_vector(u[1], u[3], _shuffle_mask(lo4)), builder.shuffle_vector(u[1], u[3], _shuffle_mask(hi4))]


def ir_pair_sums8(builder, z):
    """LLVM IR: from 8 vectors of 8 doubles (``z[e]``: element e's 8 lanes), the 4 vectors
    ``out[m]`` whose lane e is ``z[e][2m] + z[e][2m + 1]``: neighbouring lanes added across
    pairs of elements (8 shuffles, :func:`ir_lanes2`), then the 128-bit pieces gathered
    into rows (8 more, :func:`ir_rows8`)."""
    s = []
    for p in range(4):
        lo, hi = ir_lanes2(builder, z[2 * p], z[2 * p + 1])
        s.append(builder.fadd(lo, hi))  # lanes: m = 0..3 of elements 2p, 2p + 1
    return ir_rows8(builder, s)


@_intrinsic
def select_zero8(typingctx, C, rc, X, rx, D, rd, j):
    """``D[rd, j:j + 8] = X[rx, j:j + 8]`` where ``C[rc, j:j + 8] == 0.0``, else unchanged
    (float64 C-contiguous 2-D arrays): a select of two vectors. Written as a loop over
    elements, ``X[rx, j] if C[rc, j] == 0.0 else D[rd, j]`` becomes, in LLVM, a load from
    a selected address, which the loop vectorizer can only build lane by lane (8 scalar
    loads and the extracts of their addresses, for each such value)."""
    f64_2d = all(isinstance(t, _types.Array) and t.dtype == _types.float64 and t.layout == "C" and t.ndim == 2
                 for t in (C, X, D))
    if not f64_2d:
        return None

    def codegen(context, builder, sig, args):
        def iv(n):
            return context.cast(builder, args[n], sig.args[n], _types.intp)

        tC, tX, tD = sig.args[0], sig.args[2], sig.args[4]
        rc_, rx_, rd_, j_ = iv(1), iv(3), iv(5), iv(6)
        c = ir_load8(builder, ir_item_ptr(context, builder, tC, args[0], [rc_, j_]))
        x = ir_load8(builder, ir_item_ptr(context, builder, tX, args[2], [rx_, j_]))
        pd = ir_item_ptr(context, builder, tD, args[4], [rd_, j_])
        zero = _ir.Constant(_V8, [0.0] * 8)
        ir_store8(builder, builder.select(builder.fcmp_ordered("==", c, zero), x, ir_load8(builder, pd)), pd)
        return context.get_dummy_value()

    return _types.void(C, rc, X, rx, D, rd, j), codegen


def ir_store8(builder, vec, ptr):
    """LLVM IR: store a vector of 8 doubles at ``ptr`` (8-byte aligned)."""
    builder.store(vec, builder.bitcast(ptr, _V8.as_pointer()), align=8)


# --------------------------------------------------------------------------- vector loops by scalar loads

#: HPCORE_VECTOR_GATHERS=1: let LLVM vectorize the marked loops with gather instructions
#: (its own choice); default: 8-wide with the table reads as scalar loads (see vector_loop)
VECTOR_GATHERS = os.environ.get("HPCORE_VECTOR_GATHERS", "0") == "1"


def _dominator_tree(blocks, succ):
    """Predecessors, and a dominance test, of a function's blocks (the first is the entry).

    The immediate dominators by Cooper, Harvey and Kennedy's iteration over the blocks
    in reverse postorder, then each block's interval in a depth-first walk of the
    dominator tree: ``a`` dominates ``b`` when b's interval lies in a's. Only blocks
    reachable from the entry are in the tree; the test is false for any other. (The
    first version kept every block's whole dominator set and intersected them until
    nothing changed: 144 s of the basic cycle's 328 s of compilation under the profiler.)"""
    pred = {b: [] for b in blocks}
    for b in blocks:
        for x in succ[b]:
            pred[x].append(b)
    post, seen, stack = [], {blocks[0]}, [(blocks[0], iter(succ[blocks[0]]))]
    while stack:
        b, it = stack[-1]
        for x in it:
            if x not in seen:
                seen.add(x)
                stack.append((x, iter(succ[x])))
                break
        else:
            stack.pop()
            post.append(b)
    num = {b: i for i, b in enumerate(post)}
    idom = {blocks[0]: blocks[0]}
    changed = True
    while changed:
        changed = False
        for b in reversed(post[:-1]):
            new = None
            for p in pred[b]:
                if p not in idom:
                    continue
                if new is None:
                    new = p
                    continue
                a = p
                while a is not new:
                    while num[a] < num[new]:
                        a = idom[a]
                    while num[new] < num[a]:
                        new = idom[new]
                new = a
            if idom.get(b) is not new:
                idom[b] = new
                changed = True
    kids = {b: [] for b in idom}
    for b, d in idom.items():
        if b is not blocks[0]:
            kids[d].append(b)
    span, clock, stack = {}, 0, [(blocks[0], False)]
    while stack:
        b, done = stack.pop()
        if done:
            span[b] = (span[b], clock)
            continue
        span[b] = clock
        clock += 1
        stack.append((b, True))
        stack.extend((k, False) for k in kids[b])

    def dominates(a, b):
        sa, sb = span.get(a), span.get(b)
        return sa is not None and sb is not None and sa[0] <= sb[0] and sb[1] <= sa[1]

    return pred, dominates


def _innermost_loops(fn, marked):
    """For each block of ``marked``, the latches (blocks with a back edge to the header) of
    the innermost natural loop of llvmlite function ``fn`` that holds it; [] if no loop
    holds it. The function's control flow is analysed once for all of them."""
    blocks = list(fn.blocks)
    succ = {}
    for b in blocks:
        t = b.terminator
        ops = list(t.operands) if t is not None else []
        if isinstance(t, _ir.SwitchInstr):
            ops += [t.default] + [blk for _, blk in t.cases]
        succ[b] = list(dict.fromkeys(op for op in ops if isinstance(op, _ir.Block)))
    pred, dominates = _dominator_tree(blocks, succ)
    back = [(u, h) for u in blocks for h in succ[u] if dominates(h, u)]  # u -> h closes a loop
    bodies = {}
    out = []
    for m in marked:
        best = None
        for u, h in back:
            if not dominates(h, m):  # a loop holds only blocks its header dominates
                continue
            body = bodies.get((u, h))
            if body is None:  # what reaches u without passing h
                body, stack = {h, u}, [u]
                while stack:
                    x = stack.pop()
                    for p in pred[x]:
                        if p not in body:
                            body.add(p)
                            stack.append(p)
                bodies[(u, h)] = body
            if m in body and (best is None or len(body) < len(best[1])):
                best = (h, body)
        out.append([] if best is None else [u for u in best[1] if best[0] in succ[u]])
    return out


class _VectorLoopAttrs(_ir.values.FunctionAttributes):
    """A function's attributes that, when the function is written out as text, also
    mark its vector loops (:func:`vector_loop`)."""

    def __bool__(self):
        return True

    def _to_list(self, ret_type):
        attrs = super()._to_list(ret_type)
        fn, module = self._hp_fn, self._hp_fn.module
        for latches in _innermost_loops(fn, self._hp_marked):
            for latch in latches:
                md = module.add_metadata([
                    _ir.MetaDataString(module, "hpcore.vector_loop.%d" % len(module.metadata)),
                    module.add_metadata([_ir.MetaDataString(module, "llvm.loop.vectorize.enable"), _ir.IntType(1)(1)]),
                    module.add_metadata([_ir.MetaDataString(module, "llvm.loop.vectorize.width"), _ir.IntType(32)(8)]),
                ])
                md.operands = (md,) + tuple(md.operands[1:])  # a loop ID refers to itself
                latch.terminator.set_metadata("llvm.loop", md)
        self._hp_marked = []
        if self._hp_features:
            attrs.append('"target-features"="%s"' % self._hp_features)
        return attrs


def _vector_loop_features():
    from numba.core.registry import cpu_target
    return cpu_target.target_context.codegen()._tm_features + ",+prefer-no-gather"


@_intrinsic
def vector_loop(typingctx):
    """Mark the innermost loop around the call for 8-wide vectors whose reads from
    tables are scalar loads (emits no code).

    LLVM's loop vectorizer turns each indexed read of a table (a different cell per
    element) into a gather instruction. The basic cycle's grid pass issues about 180 of
    them per 8 elements and was bound by them; on this project's AMD Zen 4 machines the
    same loop with its vectors built from scalar loads ran 1.5x faster with its grids
    in cache and 1.16x with random inputs (docs/speed-log.md, 2026-12-05).
    With gathers ruled out (the function attribute ``+prefer-no-gather``) LLVM's cost
    model leaves such a loop scalar, so the loop is also marked to be vectorized 8 wide
    (``llvm.loop.vectorize.width``), which builds each vector from scalar loads. The
    arithmetic is the same either way: the values are bit-identical.

    Mark only loops that LLVM can vectorize: for one it cannot (a call, a branch it
    cannot turn into a select) it prints a warning when compiling. x86-64 only, and off
    with ``HPCORE_VECTOR_GATHERS=1`` (LLVM's own choice then; part of the kernel cache's
    key).
    """

    def codegen(context, builder, signature, args):
        if _X86 and not VECTOR_GATHERS:
            fn = builder.function
            attrs = fn.attributes
            if not isinstance(attrs, _VectorLoopAttrs):
                attrs.__class__ = _VectorLoopAttrs
                attrs._hp_fn = fn
                attrs._hp_marked = []
                attrs._hp_features = _vector_loop_features()
            attrs._hp_marked.append(builder.block)
        return context.get_dummy_value()

    return _types.void(), codegen
