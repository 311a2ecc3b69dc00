"""The block loops of the ihx, economizer, two-stage and cascade cycles (grid pass, the core
function as fallback) equal the core function element by element, bit for bit, on every
kind of element."""
import numpy as np
import pytest

from hpcore.cycles import _kernels as CK
from hpcore.cycles.api import _output_rows
from hpcore.properties import load_table


def _inputs(n, seed):
    rng = np.random.default_rng(seed)
    x = [
        rng.uniform(243.15, 288.15, n), rng.uniform(303.15, 343.15, n), rng.uniform(0.0, 10.0, n),
        rng.uniform(0.0, 5.0, n), rng.uniform(0.5, 0.8, n), np.full(n, np.nan), rng.uniform(0.0, 8.0, n),
    ]
    k = n // 20
    x[2][:k] = 0.0  # saturated suction
    x[3][k:2 * k] = 0.0  # saturated liquid
    x[5][2 * k:3 * k] = rng.uniform(2e5, 2e6, k)  # p_int given, some outside (p_evap, p_cond)
    bad = rng.integers(0, n, 40)
    for j, b in enumerate(bad):  # non-finite, out of domain, infeasible, outside the tables
        col = j % 7
        x[col][b] = (np.nan, np.inf, -1.0, 1e3)[j % 4]
    x[0][3 * k:3 * k + 10] = x[1][3 * k:3 * k + 10] + 1.0
    x[6][4 * k:4 * k + 10] = 100.0  # closed: T8 above T5
    return tuple(np.ascontiguousarray(a) for a in x)


def _check_block_loop(cycle, tables, inp, opts, core, serial, parallel, grid=None, outputs=None):
    """``serial`` and ``parallel`` (the block loops) give ``core``'s status and values, bit for
    bit, element by element; most elements are OK, and (``grid``: the grid pass, called as
    grid(i) -> ok) most are held by the grid pass, else the test would not test it.
    ``outputs``: the outputs asked for (None: all)."""
    n = inp[0].shape[0]
    wanted, rows = _output_rows(cycle, outputs, share=False)[:2]  # a row each: every write checked
    res = np.zeros((len(wanted), n))
    status = np.zeros(n, dtype=np.int32)
    serial(*tables, inp, opts, rows, res, status)
    ref = np.zeros_like(res)
    ref_st = np.zeros_like(status)
    for i in range(n):
        st, v = core(i)
        ref_st[i] = st
        for k in range(len(v)):
            if rows[k] >= 0:
                ref[rows[k], i] = v[k]
    np.testing.assert_array_equal(status, ref_st)
    np.testing.assert_array_equal(res, ref)
    assert (status == 0).mean() > 0.5
    if grid is not None:
        assert sum(bool(grid(i)) for i in range(n)) > 0.5 * n
    res_p = np.zeros_like(res)
    st_p = np.zeros_like(status)
    parallel(*tables, inp, opts, rows, res_p, st_p)
    np.testing.assert_array_equal(st_p, status)
    np.testing.assert_array_equal(res_p, res)


@pytest.mark.parametrize("outputs", [None, ("COP_heating", "T_discharge"), ("T_6", "D_suction")])
@pytest.mark.parametrize("fluid", ["R290", "R410A"])
def test_ihx_block_loop_equals_core(fluid, outputs):
    """Every output, or some (the grid pass then skips the reads of state 6 or of the
    densities): the core's values either way."""
    n = 1000
    tbl = load_table(fluid).arrays
    x = list(_inputs(n, seed=13)[:6])
    rng = np.random.default_rng(4)
    x[5] = rng.uniform(0.0, 1.0, n)  # eps_ihx
    x[5][:50] = 0.0  # no exchange
    x[5][50:60] = 1.0
    x[5][60:65] = (-0.1, 1.1, np.nan, np.inf, 0.0)
    x[3][100:110] = 60.0  # the liquid leaves the condenser colder than the vapour: infeasible
    inp = tuple(np.ascontiguousarray(a) for a in x)
    H = CK.ts_header(tbl[5])
    need_d1 = outputs is None or "D_suction" in outputs
    need6 = outputs is None or "T_6" in outputs
    _check_block_loop("ihx", (tbl,), inp, np.zeros(4, dtype=np.int64), lambda i: CK.ihx_core(tbl, *(a[i] for a in inp)),
                      CK.ihx_serial, CK.ihx_parallel, outputs=outputs,
                      grid=lambda i: CK.ihx_grid(tbl[5], H, *(a[i] for a in inp), need_d1, need6)[0])


#: every economizer output except those only the full grid pass computes (the lean pass)
_ECO_LEAN = tuple(k for k in CK.ECO_OUTPUTS if k not in CK._ECO_FULL_OUTPUTS)


@pytest.mark.parametrize("outputs", [None, ("COP_heating", "T_discharge"), _ECO_LEAN, _ECO_LEAN + ("s_8",)])
@pytest.mark.parametrize("variant", [CK.ECO_FLASH, CK.ECO_CLOSED])
@pytest.mark.parametrize("fluid", ["R290", "R32"])
def test_economizer_block_loop_equals_core(fluid, variant, outputs):
    """Every output, or some: the lean grid pass (no output of _ECO_FULL_OUTPUTS asked
    for) leaves out their look-ups and still gives the core's values and status."""
    n = 1000  # several blocks and a partial one
    tbl = load_table(fluid).arrays
    inp = _inputs(n, seed=11 + variant)
    opts = np.zeros(4, dtype=np.int64)
    opts[0] = variant
    H = CK.ts_header(tbl[5])
    full = outputs is None or any(k in outputs for k in CK._ECO_FULL_OUTPUTS)
    _check_block_loop("economizer", (tbl,), inp, opts, lambda i: CK.economizer_core(tbl, *(a[i] for a in inp), variant),
                      CK.economizer_serial, CK.economizer_parallel, outputs=outputs,
                      grid=lambda i: CK.eco_grid(tbl, H, *(a[i] for a in inp), variant == CK.ECO_CLOSED, full)[0])


_TWO_LEAN = tuple(k for k in CK.TWO_OUTPUTS if k not in CK._TWO_FULL_OUTPUTS)


@pytest.mark.parametrize("outputs", [None, ("COP_heating", "T_discharge"), _TWO_LEAN, _TWO_LEAN + ("s_4",)])
@pytest.mark.parametrize("fluid", ["R290", "R717"])
def test_two_stage_block_loop_equals_core(fluid, outputs):
    """Every output, or some (the lean grid pass without _TWO_FULL_OUTPUTS' look-ups)."""
    n = 1000
    tbl = load_table(fluid).arrays
    inp = _inputs(n, seed=5)[:6]  # the two-stage inputs: no dT_econ
    H = CK.ts_header(tbl[5])
    full = outputs is None or any(k in outputs for k in CK._TWO_FULL_OUTPUTS)
    _check_block_loop("two_stage", (tbl,), inp, np.zeros(4, dtype=np.int64),
                      lambda i: CK.two_stage_core(tbl, *(a[i] for a in inp)), CK.two_stage_serial,
                      CK.two_stage_parallel, outputs=outputs,
                      grid=lambda i: CK.two_grid(tbl, H, *(a[i] for a in inp), full)[0])


def test_cascade_block_loop_equals_core():
    n = 1000
    hi, lo = load_table("R290").arrays, load_table("R744").arrays
    rng = np.random.default_rng(8)
    x = list(_inputs(n, seed=9))
    x[0] = rng.uniform(223.15, 258.15, n)  # the low circuit's evaporator
    x[5] = rng.uniform(255.0, 280.0, n)  # T_cascade given ...
    x[5][: n // 4] = np.nan  # ... or the default
    x[6] = rng.uniform(0.0, 8.0, n)  # dT_cascade
    x[6][n // 4:n // 4 + 5] = (-1.0, np.nan, np.inf, 1e3, 0.0)
    x[0][n // 2:n // 2 + 5] = 290.0  # T_evap above T_cascade
    inp = tuple(np.ascontiguousarray(a) for a in x)
    Hh, Hl = CK.ts_header(hi[5]), CK.ts_header(lo[5])
    _check_block_loop("cascade", (hi, lo), inp, np.zeros(4, dtype=np.int64),
                      lambda i: CK.cascade_core(hi, lo, *(a[i] for a in inp)), CK.cascade_serial, CK.cascade_parallel,
                      grid=lambda i: CK.cascade_grid(hi[5], lo[5], Hh, Hl, *(a[i] for a in inp))[0])


@pytest.mark.parametrize("cycle,fluids,n_in,variant", [
    ("basic", ("R290",), 5, 0), ("ihx", ("R290",), 6, 0), ("economizer", ("R32",), 7, CK.ECO_CLOSED),
    ("two_stage", ("R717",), 6, 0),
    ("cascade", ("R290", "R744"), 7, 0),
])
def test_streaming_stores_write_what_plain_stores_write(cycle, fluids, n_in, variant):
    """Outputs of at least _STREAM_MIN_VALUES values are written by streaming stores: the
    same values and status, bit for bit, as the same elements evaluated in small calls
    (plain stores), on one thread and on all; and the same wherever the output array
    starts (its rows then start at every offset from a 64-byte line, the blocks' partial
    lines carried to the next block), nothing written outside it."""
    tables = tuple(load_table(f).arrays for f in fluids)
    wanted, rows = _output_rows(cycle, None, share=False)[:2]
    n = -(-CK._STREAM_MIN_VALUES // len(wanted)) + 777  # just over the threshold, a partial block
    inp = _inputs(n, seed=21)[:n_in]
    if cycle == "cascade":
        inp = (np.linspace(223.15, 258.15, n),) + inp[1:5] + (np.full(n, np.nan), np.full(n, 5.0))
    if cycle == "ihx":
        inp = inp[:5] + (np.linspace(0.0, 1.0, n),)  # eps_ihx
    opts = np.zeros(4, dtype=np.int64)
    opts[0] = variant
    serial, parallel = getattr(CK, f"{cycle}_serial"), getattr(CK, f"{cycle}_parallel")
    assert n % 8 != 0  # the rows start at different offsets from a 64-byte line
    # the outputs at each of three offsets from a line, with a guard value on both sides
    buf = np.full(len(wanted) * n + 16, -7.0)
    outs = []
    for off in (0, 3, 6):
        buf[...] = -7.0
        res = buf[8 + off - (buf.ctypes.data % 64) // 8:][:len(wanted) * n].reshape(len(wanted), n)
        status = np.full(n, -7, dtype=np.int32)
        assert CK._streams(res)
        serial(*tables, inp, opts, rows, res, status)
        outs.append((res.copy(), status))
        lo = res.ctypes.data // 8 - buf.ctypes.data // 8
        assert (buf[:lo] == -7.0).all() and (buf[lo + res.size:] == -7.0).all()
    for r, s in outs[1:]:
        np.testing.assert_array_equal(r, outs[0][0])
        np.testing.assert_array_equal(s, outs[0][1])
    ref = np.empty_like(res)
    ref_st = np.empty_like(status)
    for lo in range(0, n, 1000):
        part = tuple(np.ascontiguousarray(a[lo:lo + 1000]) for a in inp)
        r = np.empty((len(wanted), part[0].shape[0]))
        assert not CK._streams(r)
        serial(*tables, part, opts, rows, r, ref_st[lo:lo + 1000])
        ref[:, lo:lo + 1000] = r
    np.testing.assert_array_equal(status, ref_st)
    np.testing.assert_array_equal(res, ref)
    assert (status == 0).mean() > 0.5
    res_p = np.full_like(res, -7.0)
    st_p = np.full_like(status, -7)
    parallel(*tables, inp, opts, rows, res_p, st_p)
    np.testing.assert_array_equal(st_p, status)
    np.testing.assert_array_equal(res_p, res)


def test_store_stream_writes_every_layout():
    """store_stream: a streaming store into C-contiguous arrays, a plain one into strided
    views (as a caller's slice of a larger result would be): the same values either way."""
    import numba

    from hpcore._numba import store_stream, stream_fence

    @numba.njit
    def fill(a):
        for r in range(a.shape[0]):
            for i in range(a.shape[1]):
                store_stream(a, r, np.uint64(i), r * 1000.0 + i)
        stream_fence()

    ref = np.arange(3)[:, None] * 1000.0 + np.arange(50)
    for a in (np.zeros((3, 50)), np.zeros((3, 100))[:, ::2], np.zeros((3, 60))[:, 5:55], np.zeros((50, 3)).T):
        fill(a)
        np.testing.assert_array_equal(a, ref)


def test_stream_row_writes_every_alignment_and_length():
    """_stream_row on a range of one block: single streaming stores up to the first
    64-byte aligned element, then 8 values a store (store_stream8), then single ones;
    rows starting at each of the 8 possible offsets from a line, of lengths around
    multiples of 8, rows not 8-byte aligned and strided views (every value stored singly
    there): each writes exactly ``res[r, b0:b0 + m]``, nothing on either side."""
    import numba

    from hpcore._numba import stack_empty, stream_fence, stream_peel

    @numba.njit
    def write(res, r, b0, m):
        S = stack_empty(2, 128)
        Cy = stack_empty(3, 8)
        for j in range(128):
            S[0, j] = -1.0
            S[1, j] = 1000.0 * r + j + 1
        CK._stream_row(S, 1, res, r, b0, m, Cy, 2, True, True)
        stream_fence()

    @numba.njit
    def peel(res, r, i):
        return stream_peel(res, r, np.uint64(i))

    for off in range(9):
        buf = np.zeros(3 * 300 + 16)
        res = buf[off:off + 900].reshape(3, 300)  # C-contiguous, off elements past the buffer's start
        lines = (res.ctypes.data % 64) // 8
        assert peel(res, 0, 0) == (8 - lines) % 8
        for b0, m in ((0, 0), (1, 1), (3, 7), (5, 8), (0, 9), (17, 23), (40, 64), (99, 128), (171, 127)):
            res[...] = 0.0
            write(res, 1, b0, m)
            want = np.zeros((3, 300))
            want[1, b0:b0 + m] = 1000.0 + np.arange(1, m + 1)
            np.testing.assert_array_equal(res, want)
    raw = np.zeros(8 * 3 * 64 + 8, dtype=np.uint8)
    odd = np.frombuffer(raw.data, dtype=np.float64, count=3 * 64, offset=4).reshape(3, 64)  # 4 bytes off
    strided = np.zeros((3, 128))[:, ::2]
    for res in (odd, strided):
        assert peel(res, 0, 0) >= 1 << 62
        write(res, 2, 3, 50)
        want = np.zeros((3, 64))
        want[2, 3:53] = 2001.0 + np.arange(50)
        np.testing.assert_array_equal(res, want)


def test_stream_row_carries_partial_lines_between_blocks():
    """_stream_row over a range in blocks: each block leaves its last partial line to the
    next (kept in the carry row), which writes it whole with its own first elements. For
    every offset of the range from a line, block sizes that are and are not multiples of 8,
    ranges ending on and off a line and a last block shorter than a line: exactly
    ``res[r, lo:hi]`` is written, nothing on either side, and the carry row of another
    output is not touched."""
    import numba

    from hpcore._numba import stack_empty, stream_fence

    @numba.njit
    def write(res, r, lo, hi, blk, carry):
        S = stack_empty(2, 128)
        Cy = stack_empty(3, 8)
        for j in range(8):
            Cy[0, j] = -5.0
        for b0 in range(lo, hi, blk):
            m = min(blk, hi - b0)
            for j in range(m):
                S[0, j] = -1.0
                S[1, j] = 1000.0 * r + b0 + j + 1
            CK._stream_row(S, 1, res, r, b0, m, Cy, 1, b0 == lo, b0 + m >= hi)
        stream_fence()
        for j in range(8):
            carry[j] = Cy[0, j]

    carry = np.zeros(8)
    for off in range(8):
        buf = np.zeros(3 * 400 + 16)
        res = buf[off:off + 1200].reshape(3, 400)
        for lo, hi in ((0, 400), (3, 397), (5, 203), (8, 72), (13, 14), (1, 77)):
            for blk in (8, 13, 64, 128):
                res[...] = 0.0
                write(res, 2, lo, hi, blk, carry)
                want = np.zeros((3, 400))
                want[2, lo:hi] = 2001.0 + np.arange(lo, hi)
                np.testing.assert_array_equal(res, want, err_msg=f"off {off} lo {lo} hi {hi} blk {blk}")
                np.testing.assert_array_equal(carry, -5.0)


def test_libraries_with_hpcore_code_are_optimized_twice():
    """numba's module optimization runs twice on a library that defines hpcore functions
    (the cached kernels' code, in the process that compiles them too), once on any other;
    numba's own class is patched once however often it is asked."""
    import numba
    from numba.core import codegen

    from hpcore import _numba as HN

    assert codegen.CPUCodeLibrary._optimize_final_module._hpcore_twice
    patched = codegen.CPUCodeLibrary._optimize_final_module
    HN._optimize_hpcore_twice()
    assert codegen.CPUCodeLibrary._optimize_final_module is patched

    class Fn:
        def __init__(self, name, is_declaration=False):
            self.name, self.is_declaration = name, is_declaration

    class Module:
        def __init__(self, *functions):
            self.functions = functions

    class Library:
        calls = 0

        def __init__(self, module):
            self._final_module = module

        def _optimize_final_module(self):
            self.calls += 1

    HN._optimize_hpcore_twice(Library)
    HN._optimize_hpcore_twice(Library)
    cases = {
        2: Module(Fn("_ZN6hpcore6cycles8_kernels5firstB2v2"), Fn("cfunc._ZN6hpcore6cycles8_kernels5firstB2v2")),
        1: Module(Fn("_ZN8__main__5plainB2v1"), Fn("_ZN6hpcore6cycles8_kernels5firstB2v2", is_declaration=True)),
    }
    for want, module in cases.items():
        lib = Library(module)
        lib._optimize_final_module()
        assert lib.calls == want

    # what numba names the functions of an hpcore module and of any other
    ns = {"__name__": "hpcore._probe_module"}
    exec("def probe(x):\n    return x + 1.0\n", ns)
    probe = numba.njit(ns["probe"])

    @numba.njit
    def other(x):
        return x + 1.0

    for fn, want in ((probe, True), (other, False)):
        fn(1.0)
        assert HN._holds_hpcore_code(fn.overloads[fn.signatures[0]].library._final_module) is want


_INLINE_PROBE = """
def leaf(x, k):
    s = 0.0
    for j in range(k):
        if x > j:
            s += x * j
        else:
            s -= j
    return s


def mid(x):
    return leaf(x, 3) + leaf(x + 1.0, 4)


def top(x):
    return mid(x) * 2.0 + mid(-x) + leaf(x, 2)
"""


def test_inlined_hpcore_functions_are_built_once_a_process(monkeypatch):
    """An ``inline="always"`` function of an hpcore module is put through numba's untyped
    passes once a process, whatever the number of call sites (here 5 sites of ``leaf``,
    2 of them inside ``mid``, which is inlined twice: 5 builds of ``leaf`` without the
    cache); the compiled function gives the Python function's values."""
    import numba
    from numba.core import inline_closurecall

    from hpcore import _numba as HN

    assert inline_closurecall.InlineWorker.inline_function._hpcore_cached
    built = []
    real = inline_closurecall.InlineWorker.run_untyped_passes

    def counting(self, func, enable_ssa=False):
        built.append(func.__name__)
        return real(self, func, enable_ssa)

    monkeypatch.setattr(inline_closurecall.InlineWorker, "run_untyped_passes", counting)
    ns = {"__name__": "hpcore._probe_inline"}
    exec(_INLINE_PROBE, ns)
    ns["leaf"] = numba.njit(inline="always")(ns["leaf"])
    ns["mid"] = numba.njit(inline="always")(ns["mid"])
    top = numba.njit(ns["top"])
    xs = (-2.5, 0.0, 0.5, 1.0, 3.25)
    got = [top(x) for x in xs]
    assert sorted(built) == ["leaf", "mid"]
    assert sum(k[0] is ns["leaf"].py_func for k in HN._INLINE_IR) == 1
    assert got == [top.py_func(x) for x in xs]  # (compiles mid by itself: other flags, leaf built again)
    # a function from another module is built at each site, as numba does
    built.clear()
    other = {"__name__": "probe_elsewhere"}
    exec(_INLINE_PROBE, other)
    other["leaf"] = numba.njit(inline="always")(other["leaf"])
    other["mid"] = numba.njit(inline="always")(other["mid"])
    top2 = numba.njit(other["top"])
    assert top2(0.5) == top(0.5)
    assert sorted(built) == ["leaf"] * 5 + ["mid"] * 2


def test_inlined_blocks_share_one_copy_of_their_scope():
    """_ScopeOnce: the blocks of one function, deep-copied one by one, share one new copy
    of their scope, equal to the original; the statements are copied, not shared; other
    objects are copied as by the copy module."""
    import copy

    from numba.core.compiler import run_frontend

    from hpcore._numba import _ScopeOnce

    ns = {"__name__": "hpcore._probe_scope"}
    exec(_INLINE_PROBE, ns)
    fir = run_frontend(ns["leaf"])
    blocks = list(fir.blocks.values())
    assert len(blocks) > 3 and len({id(b.scope) for b in blocks}) == 1
    shim = _ScopeOnce(copy)
    copies = [shim.deepcopy(b) for b in blocks]
    scopes = {id(c.scope) for c in copies}
    assert len(scopes) == 1 and id(blocks[0].scope) not in scopes
    assert copies[0].scope == blocks[0].scope
    for b, c in zip(blocks, copies):
        assert [str(i) for i in b.body] == [str(i) for i in c.body]
        assert all(x is not y for x, y in zip(b.body, c.body))
    x = {"a": [1, 2]}
    y = shim.deepcopy(x)
    assert y == x and y["a"] is not x["a"]
    assert shim.copy is copy.copy


def test_innermost_loops_finds_the_latch_of_the_loop_around_each_block():
    """_innermost_loops on a function with two nested loops, a branch inside the inner one,
    a block after them, and an unreachable block that jumps into the inner loop (not a
    loop edge: nothing from the entry reaches it)."""
    from llvmlite import ir

    from hpcore._numba import _dominator_tree, _innermost_loops

    mod = ir.Module()
    fn = ir.Function(mod, ir.FunctionType(ir.VoidType(), [ir.IntType(1)]), "f")
    c = fn.args[0]
    names = ["entry", "outer", "inner", "body", "left", "right", "latch", "outer_latch", "exit", "dead"]
    B = {n: fn.append_basic_block(n) for n in names}
    bld = ir.IRBuilder()

    def at(n):
        bld.position_at_end(B[n])
        return bld

    at("entry").branch(B["outer"])
    at("outer").branch(B["inner"])
    at("inner").branch(B["body"])
    at("body").cbranch(c, B["left"], B["right"])
    at("left").branch(B["latch"])
    at("right").branch(B["latch"])
    at("latch").cbranch(c, B["inner"], B["outer_latch"])
    at("outer_latch").cbranch(c, B["outer"], B["exit"])
    at("exit").ret_void()
    at("dead").branch(B["body"])
    got = _innermost_loops(fn, [B["left"], B["outer_latch"], B["exit"], B["outer"], B["dead"]])
    assert [[b.name for b in g] for g in got] == [["latch"], ["outer_latch"], [], ["outer_latch"], []]
    blocks = list(fn.blocks)
    succ = {b: [op for op in b.terminator.operands if isinstance(op, ir.Block)] for b in blocks}
    pred, dominates = _dominator_tree(blocks, succ)
    assert dominates(B["outer"], B["exit"]) and dominates(B["body"], B["latch"]) and dominates(B["inner"], B["inner"])
    assert dominates(B["body"], B["exit"])  # every path to the exit passes the inner body
    assert not dominates(B["left"], B["latch"]) and not dominates(B["exit"], B["body"])
    assert not dominates(B["dead"], B["body"]) and not dominates(B["entry"], B["dead"])
    assert sorted(p.name for p in pred[B["body"]]) == ["dead", "inner"]


def test_vector_loop_reads_tables_by_scalar_loads_eight_wide():
    """vector_loop: the marked loop is vectorized 8 wide with its table reads as scalar
    loads, no gather instruction (on x86-64 with AVX-512); the values are those of the
    same loop unmarked, which LLVM vectorizes with gathers, and of numpy."""
    import platform

    import numba

    from hpcore._numba import VECTOR_GATHERS, njit_kernel, stack_empty, vector_loop

    def body(tab, idx, out, marked):
        S = stack_empty(2, 64)
        for b0 in range(0, idx.shape[0], 64):
            for j in range(64):
                if marked:
                    vector_loop()
                k = idx[np.uint64(b0 + j)]
                x = tab[k] * 3.0 + tab[k + np.uint64(1)]
                S[0, j] = x * x - tab[k + np.uint64(2)]
                S[1, j] = x / (1.0 + tab[k + np.uint64(3)])
            for j in range(64):
                out[b0 + j] = S[0, j] + S[1, j]

    marked = njit_kernel(lambda tab, idx, out: body(tab, idx, out, True))
    plain = njit_kernel(lambda tab, idx, out: body(tab, idx, out, False))
    body = numba.njit(inline="always")(body)
    rng = np.random.default_rng(0)
    tab = rng.uniform(0.5, 2.0, 100_000)
    idx = rng.integers(0, tab.size - 4, 64 * 40).astype(np.uint64)
    a, b = np.empty(idx.size), np.empty(idx.size)
    marked(tab, idx, a)
    plain(tab, idx, b)
    np.testing.assert_array_equal(a, b)
    k = idx.astype(np.int64)
    x = tab[k] * 3.0 + tab[k + 1]
    np.testing.assert_array_equal(a, (x * x - tab[k + 2]) + x / (1.0 + tab[k + 3]))

    import llvmlite.binding as ll
    feats = ll.get_host_cpu_features()
    if platform.machine().lower() not in ("x86_64", "amd64") or VECTOR_GATHERS or not feats.get("avx512f"):
        return  # the instructions below are those of x86-64 with AVX-512
    asm_m = marked.inspect_asm(marked.signatures[0])
    asm_p = plain.inspect_asm(plain.signatures[0])
    assert "vgather" not in asm_m
    assert "vgather" in asm_p  # LLVM's own choice, so that the test shows the marker's effect
    assert "vmulpd\t%zmm" in asm_m  # 8 doubles a vector instruction
