"""Properties layer: tables from CoolProp HEOS, interpolation kernels, ``props``."""
from .api import SUPPORTED_OUTPUTS, SUPPORTED_PAIRS, props
from .fluids import DEFAULT_FLUIDS, fluid_info, resolve_fluid
from .tables import Table, TableError, build_table, default_path, list_tables, load_table, read_table

__all__ = [
    "props",
    "build_table",
    "load_table",
    "read_table",
    "list_tables",
    "default_path",
    "Table",
    "TableError",
    "resolve_fluid",
    "fluid_info",
    "DEFAULT_FLUIDS",
    "SUPPORTED_OUTPUTS",
    "SUPPORTED_PAIRS",
]
