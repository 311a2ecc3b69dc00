"""Brent's minimization in one dimension, as steps for compiled loops.

R. P. Brent, Algorithms for Minimization without Derivatives (1973), chapter 5: a
parabola through the three best points where its minimum lies well inside the bracket,
else a golden-section step into the larger part, so that the bracket shrinks at least as
a golden-section search would; far fewer evaluations on smooth functions. The caller
owns the loop and the function (numba passes no closures cheaply):

    x = w = v = a + CGOLD * (b - a); fx = fw = fv = f(x); d = e = 0.0
    while not brent_done(a, b, x, tol1):
        u, d, e = brent_step(a, b, x, w, v, fx, fw, fv, d, e, tol1)
        a, b, x, w, v, fx, fw, fv = brent_update(a, b, x, w, v, fx, fw, fv, u, f(u))

Function values must be finite (a caller maps "no value" to a huge number, 1e300):
a NaN would make the parabola's step NaN. The final bracket is at most 4 tol1 wide.
"""
import math

from ._numba import njit_kernel

#: the golden section's smaller part, (3 - sqrt(5)) / 2
CGOLD = 0.5 * (3.0 - math.sqrt(5.0))


@njit_kernel(inline="always")
def brent_done(a, b, x, tol1):
    """Whether the bracket [a, b] around the best point x is narrow enough."""
    return abs(x - 0.5 * (a + b)) <= 2.0 * tol1 - 0.5 * (b - a)


@njit_kernel(inline="always")
def brent_step(a, b, x, w, v, fx, fw, fv, d, e, tol1):
    """The next trial point u, and the updated last step d and the step before it e."""
    xm = 0.5 * (a + b)
    golden = True
    if abs(e) > tol1:
        r = (x - w) * (fx - fv)
        q = (x - v) * (fx - fw)
        pp = (x - v) * q - (x - w) * r
        q = 2.0 * (q - r)
        if q > 0.0:
            pp = -pp
        q = abs(q)
        e_old = e
        e = d
        # the parabola's step if it lies inside the bracket and is shorter than half the
        # step before last (else it may cycle)
        if not (abs(pp) >= abs(0.5 * q * e_old) or pp <= q * (a - x) or pp >= q * (b - x)):
            golden = False
            d = pp / q
            u = x + d
            if u - a < 2.0 * tol1 or b - u < 2.0 * tol1:
                d = math.copysign(tol1, xm - x)
    if golden:
        e = (a - x) if x >= xm else (b - x)
        d = CGOLD * e
    u = x + d if abs(d) >= tol1 else x + math.copysign(tol1, d)
    return u, d, e


@njit_kernel(inline="always")
def brent_update(a, b, x, w, v, fx, fw, fv, u, fu):
    """The bracket and the three best points after evaluating f(u) = fu."""
    if fu <= fx:
        if u >= x:
            a = x
        else:
            b = x
        v, fv = w, fw
        w, fw = x, fx
        x, fx = u, fu
    else:
        if u < x:
            a = u
        else:
            b = u
        if fu <= fw or w == x:
            v, fv = w, fw
            w, fw = u, fu
        elif fu <= fv or v == x or v == w:
            v, fv = u, fu
    return a, b, x, w, v, fx, fw, fv
