"""`dmvpn-ops lab up/status/fault/clock/down` as an operator runs them: subprocesses, real pids."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dmvpn_ops.cli.lab import parse_duration
from dmvpn_ops.errors import InputError
from dmvpn_ops.lab import runtime

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def inventory(tmp_path: Path, design: object) -> Path:
    """The demo inventory with free ports (so a developer's own `lab up` does not collide)."""
    inv = tmp_path / "inventory"
    shutil.copytree(REPO / "inventory", inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for spec in hosts.values():
        spec["port"] = _free_port()
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return inv


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args], capture_output=True, text=True,
                          timeout=60, env=os.environ.copy())


def test_up_status_fault_clock_down(inventory: Path) -> None:
    inv = str(inventory)
    up = _cli("lab", "up", "-i", inv)
    assert up.returncode == 0, up.stderr
    state = json.loads((runtime.state_dir(inventory) / "state.json").read_text())
    try:
        assert _cli("lab", "up", "-i", inv).returncode == 2  # already running: clear message, exit 2
        assert _cli("lab", "fault", "slow", "spoke1", "-i", inv).returncode == 0
        status = _cli("lab", "status", "-i", inv)
        assert status.returncode == 0 and str(state["pid"]) in status.stdout
        assert "spoke1" in status.stdout and "slow" in status.stdout
        bad = _cli("lab", "fault", "meteor", "spoke1", "-i", inv)
        assert bad.returncode == 2 and "unknown fault" in bad.stderr
        assert _cli("lab", "clear", "-i", inv).returncode == 0
        assert _cli("lab", "clock", "90s", "-i", inv).returncode == 0
    finally:
        down = _cli("lab", "down", "-i", inv)
    assert down.returncode == 0 and str(state["pid"]) in down.stdout
    assert not Path(f"/proc/{state['pid']}").exists() or not runtime._is_ours(state["pid"])
    assert _cli("lab", "status", "-i", inv).returncode == 1
    for secret in ("DMVPN_SSH_PASSWORD", "DMVPN_ENABLE_SECRET", "DMVPN_PSK"):
        assert os.environ[secret] not in Path(state["log"]).read_text()


def test_port_in_use_is_exit_2_naming_the_host(inventory: Path) -> None:
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", hosts["hub2"]["port"]))
        busy.listen()
        result = _cli("lab", "up", "-i", str(inventory))
    assert result.returncode == 2 and "hub2" in result.stderr, result.stderr
    assert runtime.read_state(inventory) is None


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("2h", 7200), ("1d", 86400), ("1h30m", 5400),
                                           ("45", 45)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_bad_duration() -> None:
    with pytest.raises(InputError):
        parse_duration("2 hours")
