"""Fluid names, aliases and metadata.

Any pure (or pseudo-pure) CoolProp fluid can be tabulated. The names below
are the refrigerants hpcore builds by default and tests on production grids.
"""
import functools

DEFAULT_FLUIDS = (
    "R290",
    "R600a",
    "R1270",
    "R32",
    "R410A",
    "R134a",
    "R1234yf",
    "R1234ze(E)",
    "R1233zd(E)",
    "R245fa",
    "R717",
    "R744",
    "R718",
)


# CoolProp's names and aliases of the default fluids (CoolProp 8.0), so that resolving
# them, and so loading their tables, does not import CoolProp (seconds per process).
# tests/test_properties.py checks this map against CoolProp's own list.
KNOWN_NAMES = {
    "n-Propane": ("Propane", "R290", "C3H8", "N-PROPANE", "NC3H8", "n-C3H8"),
    "IsoButane": ("isobutane", "R600a", "ISOBUTAN"),
    "Propylene": ("PROPYLEN", "R1270"),
    "R32": (),
    "R410A": (),
    "R134a": (),
    "R1234yf": (),
    "R1234ze(E)": ("R1234ZE", "R1234ZEE", "R1234zeE"),
    "R1233zd(E)": ("R-1233zd(E)", "R1233zdE"),
    "R245fa": (),
    "Ammonia": ("NH3", "R717"),
    "CarbonDioxide": ("R744", "CO2"),
    "Water": ("H2O", "R718"),
}
_KNOWN_LOOKUP = {a.lower(): name for name, aliases in KNOWN_NAMES.items() for a in (name, *aliases)}


@functools.lru_cache(maxsize=None)
def _coolprop_names():
    import CoolProp.CoolProp as CP

    names = CP.get_global_param_string("FluidsList").split(",")
    lookup = {}
    for name in names:
        lookup[name.lower()] = name
        aliases = CP.get_fluid_param_string(name, "aliases")
        for alias in aliases.split(","):
            alias = alias.strip()
            if alias:
                lookup.setdefault(alias.lower(), name)
    return names, lookup


def _candidates(name):
    yield name
    s = name.strip()
    yield s
    for prefix in ("HEOS::", "heos::"):
        if s.startswith(prefix):
            s = s[len(prefix):]
            yield s
    if s[:2].lower() == "r-":  # "R-290" -> "R290"
        yield "R" + s[2:]
    yield s.replace(" ", "")


def resolve_fluid(name):
    """CoolProp's canonical name of ``name`` (alias, R-number, case-insensitive).

    Raises
    ------
    ValueError
        if ``name`` is not a string, is a mixture, or is unknown; the message
        lists the default fluids.
    """
    if not isinstance(name, str):
        raise ValueError(f"fluid={name!r}: must be a fluid name (str), e.g. one of {', '.join(DEFAULT_FLUIDS)}")
    if "&" in name or "[" in name:
        raise ValueError(
            f"fluid={name!r}: mixtures are not supported; use a pure or pseudo-pure CoolProp fluid such as "
            f"{', '.join(DEFAULT_FLUIDS)}"
        )
    for cand in _candidates(name):
        hit = _KNOWN_LOOKUP.get(cand.lower())
        if hit is not None:
            return hit
    _, lookup = _coolprop_names()
    for cand in _candidates(name):
        hit = lookup.get(cand.lower())
        if hit is not None:
            return hit
    raise ValueError(
        f"fluid={name!r} is not a known fluid. Available: {', '.join(DEFAULT_FLUIDS)}, "
        "or any other pure CoolProp fluid by its name or alias (see CoolProp's FluidsList)"
    )


def fluid_info(name):
    """Metadata of a fluid from CoolProp: critical point, limits, GWP, safety class."""
    import CoolProp.CoolProp as CP

    cp_name = resolve_fluid(name)
    AS = CP.AbstractState("HEOS", cp_name)
    info = {
        "name": cp_name,
        "aliases": CP.get_fluid_param_string(cp_name, "aliases"),
        "T_crit": AS.T_critical(),
        "p_crit": AS.p_critical(),
        "T_triple": AS.Ttriple(),
        "T_min_eos": AS.Tmin(),
        "T_max_eos": AS.Tmax(),
        "p_max_eos": AS.pmax(),
        "molar_mass": AS.molar_mass(),
    }
    for key, param in (("GWP100", "GWP100"), ("ODP", "ODP")):
        try:
            val = CP.PropsSI(param, cp_name)
            info[key] = float(val) if val > -1e30 else None
        except Exception:  # noqa: BLE001 - CoolProp lacks the datum for this fluid
            info[key] = None
    try:
        info["ASHRAE34"] = CP.get_fluid_param_string(cp_name, "ASHRAE34")
    except Exception:  # noqa: BLE001
        info["ASHRAE34"] = None
    return info
