"""Health plumbing: the run lock and the atomic history store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dmvpn_ops.errors import InputError
from dmvpn_ops.health.history import JsonDirHistory, atomic_write
from dmvpn_ops.health.lock import RunLock


def test_second_holder_refused_while_owner_alive(tmp_path: Path) -> None:
    lock_path = tmp_path / "health.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from dmvpn_ops.health.lock import RunLock\n"
        f"l = RunLock(Path({str(lock_path)!r})); l.acquire(); print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(InputError) as info:
            RunLock(lock_path).acquire()
        assert f"pid {holder.pid}" in str(info.value) and str(lock_path) in str(info.value)
        assert info.value.exit_code == 2
    finally:
        holder.kill()
        holder.wait()
    with RunLock(lock_path):  # the kernel dropped the killed owner's flock: free at once
        assert json.loads(lock_path.read_text())["pid"] != holder.pid
    assert lock_path.read_text() == ""  # released: the file stays (never a fresh inode), its holder text cleared


def test_a_recycled_pid_in_the_lock_file_does_not_block(tmp_path: Path) -> None:
    """The file names a live process (our parent) that holds no flock: nothing is guessed from pids."""
    lock_path = tmp_path / "health.lock"
    lock_path.write_text(json.dumps({"pid": os.getppid(), "user": "x", "command": "other", "started": "2020"}))
    with RunLock(lock_path):
        assert json.loads(lock_path.read_text())["pid"] == os.getpid()


def test_garbage_lock_is_stale(tmp_path: Path) -> None:
    lock_path = tmp_path / "health.lock"
    lock_path.write_text("{half")
    with RunLock(lock_path):
        assert lock_path.exists()


def test_history_roundtrip_order_and_prune(tmp_path: Path) -> None:
    store = JsonDirHistory(tmp_path)
    now = time.time()
    for age_days in (10, 2, 0):
        store.append({"timestamp": now - age_days * 86400, "age": age_days})
    assert [r["age"] for r in store.records()] == [10, 2, 0]
    assert store.prune(keep_days=7, now=now) == 1
    assert [r["age"] for r in store.records()] == [2, 0]


def test_truncated_and_temp_files_are_skipped(tmp_path: Path) -> None:
    store = JsonDirHistory(tmp_path)
    store.append({"timestamp": 1.0, "ok": True})
    (tmp_path / "run-000000000002000.json").write_text('{"timestamp": 2, "ok"')  # torn write
    (tmp_path / ".run-x.json.abc.tmp").write_text("partial")
    assert store.records() == [{"timestamp": 1.0, "ok": True}]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "metrics.prom"
    atomic_write(target, "a 1\n")
    atomic_write(target, "b 2\n")
    assert target.read_text() == "b 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.prom"]


def test_history_masks_secrets(tmp_path: Path) -> None:
    from dmvpn_ops.secrets import register
    from tests.conftest import TEST_SECRETS

    register(TEST_SECRETS["DMVPN_PSK"])
    path = JsonDirHistory(tmp_path).append({"timestamp": 1, "note": f"psk {TEST_SECRETS['DMVPN_PSK']}"})
    assert TEST_SECRETS["DMVPN_PSK"] not in path.read_text()
