"""Shared test configuration.

Tables are cached in ``.hpcore-test-tables/`` at the repository root (unless
HPCORE_TABLE_DIR is set), so that one test run builds each fluid once and
later runs reuse them; a fresh clone builds them on first use.
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
os.environ.setdefault("HPCORE_TABLE_DIR", str(ROOT / ".hpcore-test-tables"))
