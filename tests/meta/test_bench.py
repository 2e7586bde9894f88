"""Every benchmark in bench/ finishes at its smallest size and prints its JSON (numbers are not judged here:
performance claims are the benchmarks' own output, compared with a baseline of the same run)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "bench"
# benchmark -> (its smallest size, starts the emulator)
SMALLEST: dict[str, tuple[list[str], bool]] = {
    "parse.py": (["--repeat", "1", "--sizes", "100"], False),
    "lab.py": (["10"], True),
    "deploy.py": (["--hosts", "4", "--workers", "2", "--batch-size", "2"], True),
    "verify.py": (["--routers", "4", "--spokes", "4", "--workers", "2"], True),
}


def _run(name: str, tmp_path: Path) -> dict[str, Any]:
    args, _lab = SMALLEST[name]
    proc = subprocess.run([sys.executable, str(BENCH / name), *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def test_every_benchmark_has_a_smallest_size() -> None:
    assert {p.name for p in BENCH.glob("*.py")} == set(SMALLEST)


def test_parse_benchmark() -> None:
    report = _run("parse.py", Path.cwd())
    (hub,) = report["hubs"]
    assert hub["peers"] == 100 and hub["records"]["dmvpn_ops"] == hub["rows_in_output"]
    assert hub["rows_lost"]["dmvpn_ops"] == 0


@pytest.mark.lab
def test_lab_benchmark(tmp_path: Path) -> None:
    (result,) = _run("lab.py", tmp_path)["results"]
    assert result["routers"] == 10
    assert {"startup_s", "rss_mib_per_router", "connect_show_dmvpn_ms", "echo_ms", "ratio"} <= set(result)


@pytest.mark.lab
def test_deploy_benchmark(tmp_path: Path) -> None:
    report = _run("deploy.py", tmp_path)
    assert report["hosts"] == 4 and report["lines"] > 0
    assert report["lines_pushed_by_deploy"] == report["lines"]  # deploy pushed what the raw loop pushed
    assert report["raw_netmiko_s"] > 0 and report["deploy_s"] > 0


@pytest.mark.lab
def test_verify_benchmark(tmp_path: Path) -> None:
    report = _run("verify.py", tmp_path)
    assert report["full"]["routers"] == 4 and report["full"]["exit_code"] == 0
    assert report["full"]["edges_up"] == report["full"]["edges"] == 4  # 2 hubs x 2 spokes
    assert report["fast"]["spokes"] == 4 and report["fast"]["exit_code"] == 0
    assert report["fast"]["edges_up"] == report["fast"]["edges"] == 8
