"""Print the README's accuracy table from the tables' stored measurements.

Usage: ``python scripts/accuracy_table.py [FLUID ...]`` (default: every default
fluid; missing tables are built first, about 30 s each). The statistics are
those measured against CoolProp HEOS when each table was built (10^4 random
states, seed 12345; see hpcore/properties/accuracy.py for the sample and the
error definitions).
"""
import sys

from hpcore.properties import DEFAULT_FLUIDS, load_table

QUANTITIES = ("h(p,T)", "s(p,T)", "D(p,T)", "T(p,h) [K]", "h(p,s)", "p_sat(T)", "T_sat(p)")


def main(fluids):
    print("| fluid | region | " + " | ".join(f"{q} max / p99 / median" for q in QUANTITIES) + " | wrong phase |")
    print("|---|---|" + "---|" * len(QUANTITIES) + "---|")
    for f in fluids:
        acc = load_table(f).meta["accuracy"]
        e = acc["errors"]
        for region in ("subcritical", "near_critical", "supercritical"):
            cells = []
            for q in QUANTITIES:
                v = e.get(q, {}).get(region)
                cells.append("-" if v is None else f"{v['max']:.1e} / {v['p99']:.1e} / {v['median']:.0e}")
            if all(c == "-" for c in cells):
                continue
            print(f"| {f} | {region} | " + " | ".join(cells) + f" | {e['wrong_phase'].get(region, 0)} |")


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT_FLUIDS))
