"""Cycle layer: fused compiled kernels for whole cycles, labelled results."""
from .api import CYCLES, cycle_inputs, cycle_options, cycle_outputs, cycle_states, evaluate, simulate_cycle, warmup

__all__ = [
    "CYCLES",
    "simulate_cycle",
    "evaluate",
    "cycle_inputs",
    "cycle_options",
    "cycle_outputs",
    "cycle_states",
    "warmup",
]
