"""Run a warm-up in a fresh process, twice, and count numba's disk-cache misses and hits
of the second (shared by the kernel-cache tests of the cycle and component layers)."""
import subprocess
import sys


def second_process_cache_counts(imports, warmup, modules):
    """``imports``: a Python import statement; ``warmup``: the call that compiles;
    ``modules``: names (from ``imports``) whose dispatchers are counted. Returns (misses, hits)
    of the second process."""
    code = (
        f"import numba; {imports}; {warmup}; "
        f"ds = [f for m in ({', '.join(modules)},) for f in vars(m).values() "
        "if isinstance(f, numba.core.registry.CPUDispatcher)]; "
        "print(sum(sum(f.stats.cache_misses.values()) for f in ds), sum(sum(f.stats.cache_hits.values()) for f in ds))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return int(out[-2]), int(out[-1])
