"""SIGINT/SIGTERM during a real `dmvpn-ops deploy` process against a `dmvpn-ops lab up` lab.

Every trial: the signal at some point of the run; exit 130/143; stderr names every host's end state; the audit
has a line per host; an immediate rerun converges; after the emulator clock passes every revert timer the cloud
verifies clean. A second signal abandons the run and says what it abandons.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import INVENTORY, TEST_SECRETS

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parents[2]
HOSTS = ("hub1", "hub2", "spoke1", "spoke2", "spoke3", "spoke4")
END_STATES = ("deployed", "rolled-back", "untouched", "pending revert at", "failed-before-change", "unchanged")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    return {**os.environ, **TEST_SECRETS}


def _cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, env=_env(), cwd=ROOT)


@pytest.fixture
def lab_inventory(tmp_path: Path) -> Iterator[Path]:
    """The demo inventory on free ports, served by `dmvpn-ops lab up` (stopped at teardown)."""
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for spec in hosts.values():
        spec["port"] = _free_port()
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    up = _cli("lab", "up", "-i", str(inv))
    assert up.returncode == 0, up.stderr
    yield inv
    _cli("lab", "down", "-i", str(inv))


def _deploy(inv: Path, state: Path, err: Path) -> subprocess.Popen[str]:
    handle = err.open("w")
    return subprocess.Popen([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", "deploy", "-i",
                             str(inv), "--state-dir", str(state)], stdout=subprocess.DEVNULL, stderr=handle,
                            text=True, env=_env(), cwd=ROOT)


def _wait_for(path: Path, text: str, proc: subprocess.Popen[str], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while text not in path.read_text() and proc.poll() is None:
        assert time.monotonic() < deadline, path.read_text()
        time.sleep(0.05)


def _end_states(stderr: str) -> dict[str, str]:
    out = {}
    for line in stderr.splitlines():
        name, _, state = line.strip().partition(": ")
        if name in HOSTS and state:
            out[name] = state
    return out


def _slow_last_spoke(inv: Path) -> None:
    """spoke4 (last batch) answers every line 2 s late: the run lasts long enough for every signal point."""
    assert _cli("lab", "fault", "slow", "spoke4", "-i", str(inv)).returncode == 0


def _converges(inv: Path, state: Path) -> None:
    assert _cli("lab", "clear", "-i", str(inv)).returncode == 0
    rerun = _cli("deploy", "-i", str(inv), "--state-dir", str(state), "--on-pending-revert", "revert")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _cli("lab", "clock", "130m", "-i", str(inv)).returncode == 0  # past every revert timer (max 120 min)
    again = _cli("deploy", "-i", str(inv), "--state-dir", str(state), "--format", "json")
    assert again.returncode == 0, again.stdout + again.stderr
    document = json.loads(again.stdout)
    assert document["summary"]["lines_pushed"] == 0
    assert {h["status"] for h in document["hosts"].values()} == {"unchanged"}
    verify = _cli("verify", "-i", str(inv))
    assert verify.returncode == 0, verify.stdout + verify.stderr


# Points after the target line (spoke4 is slow, so the run outlasts them): connecting/backups, hubs, canary.
@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.8), (signal.SIGINT, 1.6),
                                            (signal.SIGTERM, 2.4)])
def test_signal_names_every_host_then_rerun_converges(lab_inventory: Path, tmp_path: Path, sig: signal.Signals,
                                                      delay: float) -> None:
    state, err = tmp_path / "state", tmp_path / "stderr.txt"
    _slow_last_spoke(lab_inventory)
    proc = _deploy(lab_inventory, state, err)
    _wait_for(err, "target:", proc)  # handlers are installed before the target line
    time.sleep(delay)
    assert proc.poll() is None, f"the deploy ended before the signal: {err.read_text()}"
    proc.send_signal(sig)
    code = proc.wait(timeout=180)
    stderr = err.read_text()
    assert code == {signal.SIGINT: 130, signal.SIGTERM: 143}[sig], stderr
    assert f"interrupted by {sig.name}" in stderr and "Traceback" not in stderr
    states = _end_states(stderr)
    assert set(states) == set(HOSTS), stderr
    assert all(s.startswith(END_STATES) for s in states.values()), states
    audit = [json.loads(line) for line in (state / "audit.jsonl").read_text().splitlines()]
    assert sorted(a["host"] for a in audit) == sorted(HOSTS)
    assert {a["interrupted"] for a in audit} == {sig.name}
    _converges(lab_inventory, state)


def test_second_signal_abandons_and_says_what(lab_inventory: Path, tmp_path: Path) -> None:
    state, err = tmp_path / "state", tmp_path / "stderr.txt"
    _slow_last_spoke(lab_inventory)
    proc = _deploy(lab_inventory, state, err)
    _wait_for(err, "target:", proc)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    _wait_for(err, "stopping", proc)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    stderr = err.read_text()
    assert code == 130 and "abandoning" in stderr, stderr
    assert set(_end_states(stderr)) == set(HOSTS), stderr
    audit = [json.loads(line) for line in (state / "audit.jsonl").read_text().splitlines()]
    assert {a["interrupted"] for a in audit} >= {"SIGINT (abandoned)"}
    lock = _cli("deploy", "-i", str(lab_inventory), "--state-dir", str(state), "--dry-run")
    assert lock.returncode in (0, 1), lock.stderr  # the kernel released the lock of the abandoned run
    _converges(lab_inventory, state)


def test_concurrent_deploy_refused_naming_the_holder(lab_inventory: Path, tmp_path: Path) -> None:
    state, err = tmp_path / "state", tmp_path / "stderr.txt"
    first = _deploy(lab_inventory, state, err)
    _wait_for(err, "target:", first)
    assert first.poll() is None, err.read_text()
    second = _cli("deploy", "-i", str(lab_inventory), "--state-dir", str(state))
    assert second.returncode == 2, second.stdout + second.stderr
    assert "another deploy" in second.stderr and f"pid {first.pid}" in second.stderr
    assert first.wait(timeout=180) == 0, err.read_text()
    audit = [json.loads(line) for line in (state / "audit.jsonl").read_text().splitlines()]
    assert len(audit) == len(HOSTS)  # only the first run changed anything
