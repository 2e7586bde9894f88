"""`dmvpn-ops health` in subprocesses: a concurrent run is refused (exit 2), a killed run leaves history
readable and its lock (an flock the kernel dropped) is free for the next run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dmvpn_ops.health.history import JsonDirHistory
from dmvpn_ops.health.nightly import LOCK_NAME
from dmvpn_ops.health.record import load_records

pytestmark = pytest.mark.lab


def _health(inventory: Path, history: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from dmvpn_ops.cli import main; main()", "health", "-i", str(inventory), "--history", str(history),
            "--timeout", "10", *extra]


def _wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Until ``proc`` holds the lock (the file stays between runs: its holder text says who has it now)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            held = json.loads(path.read_text() or "null")
        except (OSError, ValueError):
            held = None
        if isinstance(held, dict) and held.get("pid") == proc.pid:
            return
        assert proc.poll() is None, "the health run ended before taking the lock"
        assert time.monotonic() < deadline, f"no lock at {path}"
        time.sleep(0.05)


def test_concurrent_refused_killed_run_leaves_history_and_stale_lock_taken_over(cloud, cli, tmp_path: Path) -> None:
    inventory = cloud.inventory_copy(tmp_path / "inventory")
    history = tmp_path / "history"
    baseline = cli("health", "-i", str(inventory), "--history", str(history), "--no-probe", "--timeout", "10")
    assert baseline.code == 0, baseline.text
    assert "First run" in baseline.out

    cloud.fault("slow", "spoke3", 1.5)  # every command on spoke3 takes 1.5 s: the run is still going
    slow = subprocess.Popen(_health(inventory, history), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = history / LOCK_NAME
        _wait_for(lock, slow)
        second = cli("health", "-i", str(inventory), "--history", str(history), "--no-probe")
        assert second.code == 2, second.text
        assert f"pid {slow.pid}" in second.err and "another health run" in second.err
        time.sleep(1.0)
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(10)
    finally:
        if slow.poll() is None:
            slow.kill()
        cloud.clear("spoke3")

    assert json.loads(lock.read_text())["pid"] == slow.pid  # the dead run's lock is still there
    store = JsonDirHistory(history)
    assert len(load_records(store)) == len(store.records()) == 1
    third = subprocess.run(_health(inventory, history, "--no-probe", "--prom-file", str(tmp_path / "h.prom")),
                           capture_output=True, text=True, timeout=60)
    assert third.returncode in (0, 1), third.stdout + third.stderr
    assert "What changed" in third.stdout
    assert len(load_records(store)) == 2 and lock.read_text() == ""  # released (the kernel freed the dead one's)
    assert (tmp_path / "h.prom").read_text().startswith("# HELP")
