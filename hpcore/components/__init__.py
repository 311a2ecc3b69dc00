"""Components layer: compressors, heat exchangers, secondary fluids, and the system solve.

All inputs and outputs in base SI units (K, Pa, J/kg, W, kg/s, 1/s). See
``docs/components.md``.
"""
from .compressors import (
    AHRI540Compressor,
    Compressor,
    DisplacementCompressor,
    EN12900Compressor,
    VariableSpeedCompressor,
    fit_ten_coefficients,
)
from .heat_exchangers import (
    ARRANGEMENTS,
    HeatExchanger,
    counterflow_effectiveness,
    crossflow_effectiveness,
    effectiveness,
    gas_cooler,
    ntu_from_effectiveness,
    parallel_flow_effectiveness,
)
from .secondary import SECONDARY_FLUIDS, SecondaryFluid
from .system import (
    CYCLES,
    SYSTEM_OUTPUTS,
    TRANSCRITICAL_OUTPUTS,
    HighPressureControl,
    simulate_heat_pump,
    solve_heat_pump,
)

__all__ = [
    "Compressor",
    "DisplacementCompressor",
    "AHRI540Compressor",
    "EN12900Compressor",
    "VariableSpeedCompressor",
    "fit_ten_coefficients",
    "HeatExchanger",
    "ARRANGEMENTS",
    "effectiveness",
    "ntu_from_effectiveness",
    "counterflow_effectiveness",
    "parallel_flow_effectiveness",
    "crossflow_effectiveness",
    "gas_cooler",
    "SecondaryFluid",
    "SECONDARY_FLUIDS",
    "simulate_heat_pump",
    "solve_heat_pump",
    "HighPressureControl",
    "CYCLES",
    "SYSTEM_OUTPUTS",
    "TRANSCRITICAL_OUTPUTS",
]
