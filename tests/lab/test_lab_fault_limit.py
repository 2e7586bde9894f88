"""`lab fault KIND HOST` / `lab clear HOST` take --limit terms too: a group, a glob, `!` exclusions."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=90, env=os.environ.copy())


def _faulted(status: str) -> dict[str, str]:
    rows = [line.split() for line in status.splitlines() if line.startswith("  ")]
    return {row[0]: " ".join(row[4:]) for row in rows}


def test_fault_and_clear_take_selection_terms(tmp_path: Path) -> None:
    inv = tmp_path / "inventory"
    shutil.copytree(REPO / "inventory", inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for spec in hosts.values():
        spec["port"] = _free_port()
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    assert _cli("lab", "up", "-i", str(inv)).returncode == 0
    try:
        fault = _cli("lab", "fault", "slow", "spokes,!spoke3", "-i", str(inv))
        assert fault.returncode == 0, fault.stderr
        assert "spoke1, spoke2, spoke4" in fault.stdout
        flags = _faulted(_cli("lab", "status", "-i", str(inv)).stdout)
        assert {h for h, f in flags.items() if "slow" in f} == {"spoke1", "spoke2", "spoke4"}, flags
        cleared = _cli("lab", "clear", "spoke[12]", "-i", str(inv))
        assert cleared.returncode == 0, cleared.stderr
        flags = _faulted(_cli("lab", "status", "-i", str(inv)).stdout)
        assert {h for h, f in flags.items() if "slow" in f} == {"spoke4"}, flags
        bad = _cli("lab", "fault", "slow", "spokez", "-i", str(inv))
        assert bad.returncode == 2 and "'spokez'" in bad.stderr and "Traceback" not in bad.stderr
    finally:
        assert _cli("lab", "down", "-i", str(inv)).returncode == 0
