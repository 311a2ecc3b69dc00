"""Per-element status codes.

Every kernel writes one integer per element: 0 when the element is fine, else
one of the flags below (the first failure met). Flagged elements carry NaN in
every float output; their neighbours are untouched. The API layer then emits
one summarizing warning per call (or raises with ``errors="raise"``).
"""
import enum
import warnings

import numpy as np

OK = 0
NONFINITE_INPUT = 1  # NaN or inf among the inputs
OUT_OF_TABLE = 2  # state outside the tabulated range (no extrapolation)
INFEASIBLE = 4  # a design that cannot work (T_evap >= T_cond, T_cond >= T_crit, ...)
NOT_CONVERGED = 8  # an in-kernel solver did not converge
WET_COMPRESSION = 16  # compressor discharge inside the two-phase dome
PINCH_VIOLATED = 32  # a heat exchanger's temperature difference below zero or its minimum
OUT_OF_DOMAIN = 64  # an input outside its physical domain (eta_is <= 0, superheat < 0, ...)
UNDEFINED = 128  # output not defined for this state (cp inside the two-phase dome)


class Status(enum.IntFlag):
    """Named status flags (bit values, so counts can be reported per flag)."""

    OK = OK
    NONFINITE_INPUT = NONFINITE_INPUT
    OUT_OF_TABLE = OUT_OF_TABLE
    INFEASIBLE = INFEASIBLE
    NOT_CONVERGED = NOT_CONVERGED
    WET_COMPRESSION = WET_COMPRESSION
    PINCH_VIOLATED = PINCH_VIOLATED
    OUT_OF_DOMAIN = OUT_OF_DOMAIN
    UNDEFINED = UNDEFINED


class HPCoreWarning(UserWarning):
    """Some elements of a call were flagged (their outputs are NaN)."""


class FlaggedElementsError(ValueError):
    """Raised instead of the warning when ``errors="raise"``."""


ERRORS_CHOICES = ("warn", "raise", "ignore")


def check_errors_arg(errors):
    if errors not in ERRORS_CHOICES:
        raise ValueError(f"errors={errors!r}: must be one of {ERRORS_CHOICES}")


def count_flags(status):
    """Counts of flagged elements per flag name, e.g. ``{"OUT_OF_TABLE": 3}``."""
    status = np.asarray(status)
    counts = {}
    flagged = status[status != 0]
    if flagged.size == 0:
        return counts
    for flag in Status:
        if flag.value == 0:
            continue
        n = int(np.count_nonzero(flagged & flag.value))
        if n:
            counts[flag.name] = n
    return counts


def report(status, errors, what):
    """One warning (or exception) summarizing the flagged elements of a call."""
    if errors == "ignore":
        return
    counts = count_flags(status)
    if not counts:
        return
    total = int(np.count_nonzero(np.asarray(status)))
    size = int(np.asarray(status).size)
    detail = ", ".join(f"{k}: {v}" for k, v in counts.items())
    msg = f"{what}: {total} of {size} elements flagged and set to NaN ({detail})"
    if errors == "raise":
        raise FlaggedElementsError(msg)
    warnings.warn(msg, HPCoreWarning, stacklevel=3)
