"""The ``hpcore`` command.

Degrees Celsius and other edge units appear only here, spelled out: a
temperature is given with its unit (``-5C``, ``-5degC``, ``268.15K``); a
temperature difference in kelvin (``5K`` or ``5``).
"""
import argparse
import json
import re
import sys
import time

_T_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*(°C|degC|C|K)?\s*$")


def temperature(text):
    """'35C', '35degC', '35°C' -> 308.15 K; '308.15K' -> 308.15 K. A unit is required."""
    m = _T_RE.match(text)
    if not m or m.group(2) is None:
        raise argparse.ArgumentTypeError(
            f"temperature {text!r}: give the unit explicitly, e.g. 35C (degrees Celsius) or 308.15K"
        )
    value = float(m.group(1))
    return value + 273.15 if m.group(2) in ("C", "degC", "°C") else value


def temperature_difference(text):
    """'5K' or '5' -> 5.0 K (a difference: degrees Celsius and kelvin are the same size)."""
    m = _T_RE.match(text)
    if not m or m.group(2) not in (None, "K", "C", "degC", "°C"):
        raise argparse.ArgumentTypeError(f"temperature difference {text!r}: a number in K, e.g. 5K")
    return float(m.group(1))


def pressure(text):
    """'9MPa', '90bar', '9e6Pa', '9e6' -> Pa."""
    m = re.match(r"^\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*(Pa|kPa|MPa|bar)?\s*$", text)
    if not m:
        raise argparse.ArgumentTypeError(f"pressure {text!r}: a number with unit Pa, kPa, MPa or bar")
    factor = {None: 1.0, "Pa": 1.0, "kPa": 1e3, "MPa": 1e6, "bar": 1e5}[m.group(2)]
    return float(m.group(1)) * factor


def _positive_int(text):
    """'4' -> 4; a whole number >= 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number of processes >= 1")
    return n


def _cmd_tables_build(args):
    from .properties import DEFAULT_FLUIDS, build_table, default_path, read_table, resolve_fluid
    from .properties.tables import TableError

    fluids = DEFAULT_FLUIDS if args.fluids == ["all"] else args.fluids
    names = [resolve_fluid(f) for f in fluids]  # unknown names fail before any work
    for name in names:
        path = default_path(name, args.dir)
        if not args.force:
            try:
                read_table(path, name)
                print(f"{name}: up to date ({path})")
                continue
            except TableError:
                pass
        t0 = time.perf_counter()
        tb = build_table(name, path, progress=True)
        print(f"{name}: built in {time.perf_counter() - t0:.1f} s -> {path}")
        _print_accuracy_short(tb)
    return 0


def _print_accuracy_short(tb):
    acc = tb.meta.get("accuracy")
    if not acc:
        return
    e = acc["errors"]
    sub = "subcritical"
    parts = []
    for q in ("h(p,T)", "s(p,T)", "D(p,T)", "T(p,h) [K]", "h(p,s)"):
        if sub in e.get(q, {}):
            parts.append(f"{q} {e[q][sub]['max']:.1e}")
    print("  max error vs HEOS, p <= 0.9 p_crit: " + ", ".join(parts))


def _cmd_tables_list(args):
    from .properties import list_tables, read_table
    from .properties.tables import TableError

    paths = list_tables(args.dir)
    if not paths:
        print("no tables built yet; `hpcore tables build R290` builds one")
        return 0
    for path in paths:
        try:
            tb = read_table(path)
            m = tb.meta
            print(f"{m['fluid']:<14} T {m['T_min']:.2f}..{m['T_max']:.2f} K  p {m['p_min']:.4g}..{m['p_max']:.4g} Pa  {path}")
        except TableError as exc:
            print(f"INVALID  {exc}")
    return 0


def _cmd_tables_info(args):
    from .properties import default_path, fluid_info, load_table
    from .properties.accuracy import format_accuracy

    tb = load_table(args.fluid, default_path(args.fluid, args.dir) if args.dir else None)
    m = tb.meta
    info = fluid_info(args.fluid)
    if args.json:
        print(json.dumps({"meta": m, "fluid": info, "path": tb.path, "digest": tb.digest}, indent=2, default=str))
        return 0
    print(f"fluid            {m['fluid']} (aliases: {info['aliases']})")
    print(f"file             {tb.path}")
    print(f"sha256 (data)    {tb.digest}")
    print(f"CoolProp         {m.get('coolprop_version')}   hpcore {m.get('hpcore_version')}")
    print(f"critical point   T {m['T_crit']:.4f} K, p {m['p_crit']:.6g} Pa")
    print(f"bounds           T {m['T_min']:.3f} .. {m['T_max']:.3f} K, p {m['p_min']:.6g} .. {m['p_max']:.6g} Pa")
    print(f"saturation top   T {m['T_sat_top']:.6f} K, p {m['p_sat_top']:.6g} Pa")
    print(f"grid             {m['nx']} (ln p, clustered at p_crit) x {m['ny']} per region; "
          f"1-D: {m['nf']} in ln p, {m['nt']} in T; stretch {m['stretch']}")
    print(f"GWP100 {info.get('GWP100')}, safety class {info.get('ASHRAE34')}")
    acc = m.get("accuracy")
    if acc:
        print(f"\naccuracy against CoolProp HEOS at {acc['n_states']} random states (seed {acc['seed']}); "
              "errors relative, T absolute [K]; h and s relative to max(|value|, latent scale):")
        print(format_accuracy(acc))
    return 0


def _cmd_cycle(args):
    from .cycles import simulate_cycle

    kw = dict(eta_is=args.eta_is, superheat=args.superheat)
    if args.cycle == "transcritical":
        if args.T_gc_out is None:
            raise SystemExit("--T-gc-out is required for --cycle transcritical")
        kw.update(T_evap=args.T_evap, T_gc_out=args.T_gc_out)
        if args.p_high is not None:
            kw["p_high"] = args.p_high
    else:
        if args.T_cond is None:
            raise SystemExit("--T-cond is required")
        kw.update(T_evap=args.T_evap, T_cond=args.T_cond, subcooling=args.subcooling)
    for name in ("eps_ihx", "p_int", "dT_econ", "T_cascade", "dT_cascade"):
        v = getattr(args, name)
        if v is not None:
            kw[name] = v
    if args.economizer:
        kw["economizer"] = args.economizer
    if args.fluid_low:
        kw["fluid_low"] = args.fluid_low
    if args.Q_heating is not None:
        kw["Q_heating"] = args.Q_heating
    ds = simulate_cycle(args.fluid, args.cycle, errors="ignore", **kw)
    status = int(ds.status)
    if status:
        from .status import Status

        print(f"flagged: {Status(status)!r} (outputs are NaN)")
        return 1
    print(f"{ds.attrs['fluid']}, {args.cycle} cycle")
    print(f"{'state':>6} {'p [Pa]':>14} {'T [K]':>10} {'T [degC]':>9} {'h [J/kg]':>14} {'s [J/(kg K)]':>13}")
    for k, lab in enumerate(ds.state.values):
        p, T, h, s = (float(ds[v].values[k]) for v in ("p", "T", "h", "s"))
        print(f"{lab:>6} {p:14.6g} {T:10.3f} {T - 273.15:9.3f} {h:14.6g} {s:13.6g}")
    for name in ("COP_heating", "COP_cooling", "pressure_ratio", "T_discharge", "q_evap", "q_cond", "w_comp",
                 "quality_evap_in", "p_high", "p_int", "injection_ratio", "mass_flow_ratio", "T_cascade",
                 "m_dot", "P_comp", "Q_heating", "Q_cooling"):
        if name in ds:
            unit = ds[name].attrs.get("units", "")
            print(f"{name:<16} {float(ds[name]):.6g} {unit}")
    return 0


def _cmd_warmup(args):
    from ._warmup import warmup_all

    dt, timings = warmup_all(args.jobs)
    for part, sec in timings:
        print(f"  {' '.join(part):<32} {sec:7.1f} s in a worker process")
    print(f"kernels compiled or loaded from the cache in {dt:.1f} s (cycles, properties, system solves)")
    return 0


def _cmd_demo(args):
    from .sweeps.demo import run_demo

    run_demo(out=args.out)
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="hpcore", description="Heat-pump cycles in bulk.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tables", help="build and inspect property tables")
    tsub = t.add_subparsers(dest="tables_command", required=True)
    tb = tsub.add_parser("build", help="build tables from CoolProp HEOS (FLUID... or 'all')")
    tb.add_argument("fluids", nargs="+", metavar="FLUID")
    tb.add_argument("--force", action="store_true", help="rebuild even if a valid table exists")
    tb.add_argument("--dir", default=None, help="table directory (default: HPCORE_TABLE_DIR or the user cache)")
    tb.set_defaults(func=_cmd_tables_build)
    tl = tsub.add_parser("list", help="list built tables")
    tl.add_argument("--dir", default=None)
    tl.set_defaults(func=_cmd_tables_list)
    ti = tsub.add_parser("info", help="bounds, grid, file, checksum, versions, measured accuracy")
    ti.add_argument("fluid", metavar="FLUID")
    ti.add_argument("--dir", default=None)
    ti.add_argument("--json", action="store_true")
    ti.set_defaults(func=_cmd_tables_info)

    c = sub.add_parser("cycle", help="one cycle: state table and COPs")
    c.add_argument("fluid", metavar="FLUID")
    c.add_argument("--cycle", default="basic", choices=("basic", "ihx", "economizer", "two_stage", "cascade", "transcritical"))
    c.add_argument("--T-evap", dest="T_evap", type=temperature, required=True, help="dew point, e.g. -5C or 268.15K")
    c.add_argument("--T-cond", dest="T_cond", type=temperature, help="dew point, e.g. 35C or 308.15K")
    c.add_argument("--superheat", type=temperature_difference, default=0.0, help="[K], default 0")
    c.add_argument("--subcooling", type=temperature_difference, default=0.0, help="[K], default 0")
    c.add_argument("--eta-is", dest="eta_is", type=float, default=0.7, help="isentropic efficiency [-], default 0.7")
    c.add_argument("--eps-ihx", dest="eps_ihx", type=float)
    c.add_argument("--p-int", dest="p_int", type=pressure, help="intermediate pressure, e.g. 8bar")
    c.add_argument("--economizer", choices=("flash", "closed"))
    c.add_argument("--dT-econ", dest="dT_econ", type=temperature_difference)
    c.add_argument("--fluid-low", dest="fluid_low")
    c.add_argument("--T-cascade", dest="T_cascade", type=temperature)
    c.add_argument("--dT-cascade", dest="dT_cascade", type=temperature_difference)
    c.add_argument("--T-gc-out", dest="T_gc_out", type=temperature)
    c.add_argument("--p-high", dest="p_high", type=pressure)
    c.add_argument("--Q-heating", dest="Q_heating", type=float, help="heating capacity [W]")
    c.set_defaults(func=_cmd_cycle)

    w = sub.add_parser("warmup", help="compile every kernel ahead of a sweep")
    w.add_argument("--jobs", type=_positive_int, default=None,
                   help="processes compiling side by side (default: every core this process may use)")
    w.set_defaults(func=_cmd_warmup)

    d = sub.add_parser("demo", help="the main job: a sweep on the embedded default cluster")
    d.add_argument("--out", default=None)
    d.set_defaults(func=_cmd_demo)

    try:
        from . import cli_sweep

        cli_sweep.add_parser(sub)
    except ImportError:  # pragma: no cover - the sweep layer is part of the package
        pass
    return p


def _join_negative_values(argv):
    """``--T-evap -5C`` -> ``--T-evap=-5C``: argparse would take -5C for an option."""
    out = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--") and "=" not in a and i + 1 < len(argv) and re.match(r"^-\d", argv[i + 1]):
            out.append(f"{a}={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def main(argv=None):
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(_join_negative_values(argv))
    try:
        return args.func(args) or 0
    except ValueError as exc:
        print(f"hpcore: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
