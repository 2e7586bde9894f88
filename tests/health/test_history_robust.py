"""Health history: records from the future, NaN and corrupt records (on a real lab), a write the disk refuses."""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from dmvpn_ops.health.history import JsonDirHistory
from tests.conftest import INVENTORY


def _run(cli, cloud, tmp_path: Path, history: Path):
    inventory = cloud.inventory_copy(tmp_path / "inventory")
    return cli("health", "-i", str(inventory), "--history", str(history), "--no-probe", "--timeout", "10",
               "--target", "devices")


@pytest.mark.lab
def test_future_nan_and_corrupt_records_are_named_and_ignored(cloud, cli, tmp_path: Path) -> None:
    history = tmp_path / "history"
    baseline = _run(cli, cloud, tmp_path, history)
    assert baseline.code == 0, baseline.text
    (first,) = sorted(history.glob("run-*.json"))
    record = json.loads(first.read_text())
    future = dict(record, timestamp=time.time() + 86400)          # the clock was stepped back since
    (history / f"run-{int(future['timestamp'] * 1000):015d}.json").write_text(json.dumps(future))
    (history / "run-000000000000001.json").write_text(json.dumps(dict(record, timestamp=float("nan"))))
    (history / "run-000000000000002.json").write_text('{"timestamp": 2, "torn')

    second = _run(cli, cloud, tmp_path, history)
    assert second.code == 1, second.text                          # healthy, but the clock warning counts
    assert "newer than now" in second.out and f"run-{int(future['timestamp'] * 1000):015d}.json" in second.out
    assert "run-000000000000001.json" in second.out and "run-000000000000002.json" in second.out
    assert "since " in second.out and "First run" not in second.out  # compared with the real baseline
    assert "Traceback" not in second.text


@pytest.mark.lab
def test_full_disk_on_the_history_write_is_exit_2_naming_the_path(cloud, cli, tmp_path: Path, monkeypatch) -> None:
    def no_space(path: Path, text: str, mode: int = 0o644) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("dmvpn_ops.health.history.atomic_write", no_space)
    history = tmp_path / "history"
    result = _run(cli, cloud, tmp_path, history)
    assert result.code == 2 and "No space left on device" in result.err, result.text
    assert str(history) in result.err and "--history" in result.err and "Traceback" not in result.text
    assert JsonDirHistory(history).records() == []


def test_history_write_failure_through_the_console_script_is_exit_2(tmp_path: Path) -> None:
    """A write the kernel refuses (RLIMIT_FSIZE: EFBIG, as ENOSPC would) after the run: exit 2 naming the file.

    The devices are closed ports on 127.0.0.1 (unreachable, so the run is quick and still writes a record).
    """
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for spec in hosts.values():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            spec["port"] = sock.getsockname()[1]
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (400, 400))  # the lock's holder line fits, a record does not

    history = tmp_path / "history"
    result = subprocess.run(["dmvpn-ops", "health", "-i", str(inv), "--history", str(history), "--state-dir",
                             str(tmp_path / "state"), "--timeout", "2", "--no-probe", "--target", "devices"],
                            capture_output=True, text=True, timeout=120, env=os.environ.copy(),
                            preexec_fn=small_files)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "cannot write the health record" in result.stderr
    assert f"file {history}/run-" in result.stderr and "--history" in result.stderr
