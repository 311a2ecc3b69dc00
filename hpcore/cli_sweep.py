"""``hpcore sweep SPEC.toml [--scheduler ADDRESS] [--out FILE]``.

The TOML file says what the keyword form of :func:`hpcore.sweep` says (see
:func:`hpcore.sweeps.load_toml` and docs/sweeps.md). Exit status: 0 done,
2 bad spec or unusable output file, 130 interrupted (the file stays
resumable: run the same command again).
"""
import os
import sys


def add_parser(subparsers):
    """Add the ``sweep`` subcommand to an argparse subparsers object."""
    p = subparsers.add_parser(
        "sweep",
        help="evaluate a design space described in a TOML file (resumable)",
        description=(
            "Evaluate a design space (grid, Sobol' or LHS) described in SPEC.toml on Dask and store it in a "
            "resumable HDF5 file. Run the same command again to finish an interrupted sweep."
        ),
    )
    p.add_argument("spec", metavar="SPEC.toml", help="sweep specification (TOML)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786) or scheduler file (JSON); default: a local cluster",
    )
    p.add_argument("--out", metavar="FILE", help="HDF5 file (default: `out` in the spec, else SPEC.h5 next to it)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes of the local cluster (default: none, a thread per core in this process)")
    p.add_argument("--chunk-size", type=int, metavar="POINTS", help="points per task (default: about 0.5 s of work)")
    p.add_argument("--restart", action="store_true", help="replace an existing FILE instead of resuming it")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)
    return p


def _out_path(args, out_in_spec):
    if args.out:
        return args.out
    base = os.path.dirname(os.path.abspath(args.spec))
    if out_in_spec:
        return out_in_spec if os.path.isabs(out_in_spec) else os.path.join(base, out_in_spec)
    stem = os.path.splitext(os.path.basename(args.spec))[0]
    return os.path.join(base, stem + ".h5")


def run(args):
    """Run the ``sweep`` subcommand; returns the exit status."""
    from .sweeps import SweepStoreError, load_toml, sweep

    try:
        kwargs, out_in_spec = load_toml(args.spec)
        out = _out_path(args, out_in_spec)
        for key, val in (("chunk_size", args.chunk_size), ("n_workers", args.workers)):
            if val is not None:
                kwargs[key] = val
        ds = sweep(
            client=args.scheduler,
            store=out,
            resume=not args.restart,
            progress=not args.no_progress,
            **kwargs,
        )
    except (ValueError, SweepStoreError) as exc:
        print(f"hpcore sweep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hpcore sweep: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    from .status import Status
    from .sweeps.store import status_counts

    counts = status_counts(out)
    total = sum(counts.values())
    ok = counts.get(0, 0)
    print(f"{total:,} points ({ok:,} OK, {total - ok:,} flagged) in {out}")
    flags = {}
    for value, n in counts.items():
        if value == -1:
            flags["NOT_COMPUTED"] = flags.get("NOT_COMPUTED", 0) + n
            continue
        for flag in Status:
            if flag.value and value & flag.value:
                flags[flag.name] = flags.get(flag.name, 0) + n
    if flags:
        print("  flagged: " + ", ".join(f"{k} {v:,}" for k, v in sorted(flags.items())))
    print(f"  open with: hpcore.sweeps.open_sweep({out!r})")
    del ds
    return 0
