"""The hpcore command: tables, cycle, unit parsing at the edge."""
import argparse
import subprocess
import sys

import pytest

from hpcore import cli


def run(*args):
    return subprocess.run([sys.executable, "-m", "hpcore", *args], capture_output=True, text=True, timeout=600)


def test_temperature_units_are_explicit():
    assert cli.temperature("35C") == pytest.approx(308.15)
    assert cli.temperature("-5degC") == pytest.approx(268.15)
    assert cli.temperature("308.15K") == 308.15
    with pytest.raises(argparse.ArgumentTypeError, match="unit"):
        cli.temperature("35")
    assert cli.pressure("9MPa") == 9e6 and cli.pressure("90bar") == 9e6
    assert cli.temperature_difference("5K") == 5.0


def test_cycle_command_prints_states_and_cops():
    r = run("cycle", "R290", "--T-evap", "-5C", "--T-cond", "35C", "--superheat", "5K", "--subcooling", "2K")
    assert r.returncode == 0, r.stderr
    assert "COP_heating" in r.stdout and "COP_cooling" in r.stdout
    lines = [l.split() for l in r.stdout.splitlines() if l.strip()[:1] in "1234"]
    assert [l[0] for l in lines[:4]] == ["1", "2", "3", "4"]
    T1 = float(lines[0][2])
    assert T1 == pytest.approx(268.15 + 5.0, abs=1e-9)


def test_cycle_command_transcritical():
    r = run("cycle", "R744", "--cycle", "transcritical", "--T-evap", "-5C", "--T-gc-out", "35C", "--superheat", "5K")
    assert r.returncode == 0, r.stderr
    assert "p_high" in r.stdout


def test_tables_info_and_list():
    r = run("tables", "info", "R290")
    assert r.returncode == 0, r.stderr
    for word in ("bounds", "sha256", "CoolProp", "subcritical", "h(p,T)"):
        assert word in r.stdout
    r = run("tables", "list")
    assert r.returncode == 0 and "n-Propane" in r.stdout


def test_unknown_fluid_is_a_clear_error():
    r = run("tables", "build", "R9999")
    assert r.returncode == 2
    assert "R9999" in r.stderr and "Available" in r.stderr


def test_warmup_jobs_must_be_a_positive_whole_number():
    p = cli.build_parser()
    assert p.parse_args(["warmup", "--jobs", "3"]).jobs == 3
    assert p.parse_args(["warmup"]).jobs is None  # every core this process may use
    for bad in ("0", "-2", "two", "1.5"):
        with pytest.raises(argparse.ArgumentTypeError, match="whole number"):
            cli._positive_int(bad)
    r = run("warmup", "--jobs", "0")
    assert r.returncode == 2 and "--jobs" in r.stderr and "whole number" in r.stderr
