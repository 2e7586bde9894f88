"""The state-dir lock: exclusive across processes, names its holder, freed by the kernel when the holder dies."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dmvpn_ops.locks import LockHeld, StateLock, lock_path
from tests.conftest import INVENTORY

_HOLD = """
import sys, time
from pathlib import Path
from dmvpn_ops.locks import StateLock
lock = StateLock(Path(sys.argv[1]), sys.argv[2])
lock.acquire()
print("held", flush=True)
time.sleep(120)
"""


def _holder(state: Path, name: str = "deploy") -> subprocess.Popen[str]:
    """A separate process holding the lock (killed by the test)."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(state), name], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_refused_with_holder_named(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    try:
        with pytest.raises(LockHeld) as info:
            StateLock(tmp_path, "deploy").acquire()
        assert info.value.exit_code == 2
        assert info.value.holder is not None and info.value.holder.pid == proc.pid
        assert f"pid {proc.pid}" in info.value.render()
        assert str(lock_path(tmp_path, "deploy")) in info.value.render()
        StateLock(tmp_path, "health").acquire()  # another lock name is independent
    finally:
        proc.kill()
        proc.wait()


def test_kernel_releases_the_lock_of_a_killed_holder(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with StateLock(tmp_path, "deploy") as lock:  # no stale-pid cleanup needed
        assert lock.held
        assert lock.holder() is not None and lock.holder().pid == os.getpid()  # type: ignore[union-attr]
    assert not lock.held


def test_same_process_second_lock_refused(tmp_path: Path) -> None:
    with StateLock(tmp_path, "deploy"), pytest.raises(LockHeld):
        StateLock(tmp_path, "deploy").acquire()
    with StateLock(tmp_path, "deploy"):  # released on exit: a later run takes it
        pass


def test_cli_deploy_refused_while_another_deploy_holds_the_lock(tmp_path: Path) -> None:
    state = tmp_path / "state"
    proc = _holder(state)
    try:
        started = time.monotonic()
        out = subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", "deploy",
                              "-i", str(INVENTORY), "--state-dir", str(state)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2, out.stderr
        assert f"pid {proc.pid}" in out.stderr and "another deploy" in out.stderr
        assert "Traceback" not in out.stderr
        assert time.monotonic() - started < 120
    finally:
        proc.kill()
        proc.wait()


def test_same_inventory_from_another_state_dir_is_refused_too(tmp_path: Path) -> None:
    """Two shells in different directories (different default state dirs) still cannot deploy one inventory."""
    from dmvpn_ops.locks import InventoryLocks

    first = InventoryLocks(INVENTORY, tmp_path / "a", "deploy", what="deploy")
    first.acquire()
    try:
        with pytest.raises(LockHeld) as info:
            InventoryLocks(INVENTORY, tmp_path / "b", "deploy", what="deploy").acquire()
        assert f"pid {os.getpid()}" in info.value.render()
        assert not StateLock(tmp_path / "b", "deploy").held  # nothing half-taken is kept
        StateLock(tmp_path / "b", "deploy").acquire()
    finally:
        first.release()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.parametrize(("args", "said"), [
    (["--revert-minutes", "99999999999999999999"], "1-120"),
    (["--revert-minutes", "121"], "1-120"),
    (["--revert-minutes", "0"], "--no-revert-timer"),
    (["--on-pending-revert", "ignore"], "report, confirm, revert"),
])
def test_revert_options_are_checked_before_anything_connects(tmp_path: Path, args: list[str], said: str) -> None:
    out = _cli("deploy", "-i", str(INVENTORY), "--state-dir", str(tmp_path), *args)
    assert out.returncode == 2 and said in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "locks").exists()
