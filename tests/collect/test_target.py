"""One explicit target: the running lab or the devices, printed first; a dead lab is exit 2, never a fallback.

The inventory's own addresses are hostile SSH servers on 127.0.0.1 that record every connection, so
"nothing connected to the devices" is observed, not assumed. The lab runs as `dmvpn-ops lab up` runs
it (a background process with its own ports from ``data.lab.port``).
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

import pytest
import yaml

from dmvpn_ops.collect.hostkeys import fetch_host_key, fingerprint
from dmvpn_ops.lab import runtime
from tests.conftest import INVENTORY
from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import Script

pytestmark = pytest.mark.lab


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from dmvpn_ops.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def _lab_key(port: int) -> str:
    return fingerprint(fetch_host_key("127.0.0.1", port, timeout=10))


def test_dead_lab_is_exit_2_nothing_connects_and_a_restarted_lab_keeps_its_key(tmp_path, hostile_ssh):  # noqa: F811
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    devices = {name: hostile_ssh(Script(hostname=name)) for name in hosts}
    for name, spec in hosts.items():
        spec["port"] = devices[name].port                     # "production": records every connection
        spec.setdefault("data", {})["lab"] = {"port": _free_port()}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    state = tmp_path / "state"
    common = ("-i", str(inv), "--state-dir", str(state))

    assert _cli("lab", "up", "-i", str(inv)).returncode == 0
    try:
        lab = json.loads((runtime.state_dir(inv) / "state.json").read_text())
        hub1_port = int(lab["ports"]["hub1"])
        before = _lab_key(hub1_port)
        verify = _cli("verify", *common, "--format", "json", "--timeout", "10")
        assert verify.returncode in (0, 1), verify.stderr             # lab answered: no unreachable hosts
        assert f"target: lab emulator inventory (pid {lab['pid']}, up " in verify.stderr
        assert json.loads(verify.stdout)["target"].startswith("lab emulator inventory")

        os.kill(int(lab["pid"]), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while runtime._is_ours(int(lab["pid"])) and time.monotonic() < deadline:
            time.sleep(0.05)
        for argv in (("verify", *common), ("deploy", "--dry-run", *common), ("health", "--history",
                                                                              str(tmp_path / "h"), *common)):
            dead = _cli(*argv)
            assert dead.returncode == 2, (argv, dead.stdout, dead.stderr)
            assert "the lab for this inventory is not running" in dead.stderr and "--target devices" in dead.stderr
            assert "Traceback" not in dead.stderr
        assert all(server.connections == 0 for server in devices.values())  # no silent fallback

        forced = _cli("verify", *common, "--target", "devices", "--mode", "fast", "--timeout", "3")
        assert "target: devices from" in forced.stderr and forced.returncode == 1, forced.stderr
        assert devices["hub1"].logins and not devices["spoke1"].logins  # fast: the hubs only

        assert _cli("lab", "down", "-i", str(inv)).returncode == 0  # clears the dead lab's state
        assert _cli("lab", "up", "-i", str(inv)).returncode == 0
        assert _lab_key(hub1_port) == before                           # same identity after a restart
        again = _cli("verify", *common, "--format", "json", "--timeout", "10")
        assert again.returncode in (0, 1), again.stderr
        assert not [f for f in json.loads(again.stdout)["findings"] if f["code"].startswith("HOST_KEY")]
    finally:
        _cli("lab", "down", "-i", str(inv))


def test_target_lab_without_a_lab_is_exit_2(tmp_path):
    inv = tmp_path / "inventory"
    shutil.copytree(INVENTORY, inv, ignore=shutil.ignore_patterns("examples"))
    result = _cli("verify", "-i", str(inv), "--state-dir", str(tmp_path), "--target", "lab")
    assert result.returncode == 2 and "no lab is running" in result.stderr and "Traceback" not in result.stderr
