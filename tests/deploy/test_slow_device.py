"""A slow device (every line answered late) is deployed or rolled back, never a false "rollback failed".

The push of ~40 lines at 0.4 s each takes far longer than the 3 s per-command timeout: only a timeout that
scales with the lines pushed lets it finish (DeployOptions.block_timeout).
"""
from __future__ import annotations

import importlib

import pytest

from dmvpn_ops.deploy import Status
from dmvpn_ops.deploy.model import Revert
from dmvpn_ops.deploy.rollback import same_config
from dmvpn_ops.render import render_config
from tests.conftest import INVENTORY

pytestmark = pytest.mark.lab


def test_slow_device_is_deployed(lab_run) -> None:
    run = lab_run(INVENTORY)
    run.lab.fault("slow", "spoke4", 0.4)
    result = run.deploy(timeout=3, line_timeout=1.0, limit=("hub1", "hub2", "spoke4"))
    record = result.hosts["spoke4"]
    assert record.status == Status.DEPLOYED, (record.status, record.reason, record.rollback)
    assert record.pushed > 20 and record.revert == Revert.CONFIRMED
    assert 0.4 * record.pushed > 3  # the block took longer than one command's timeout
    assert result.exit_code == 0


def test_slow_device_with_a_rejected_line_is_rolled_back(lab_run, monkeypatch) -> None:
    stage = importlib.import_module("dmvpn_ops.deploy.deploy")

    def bad_render(design, host, reveal_secrets=False):
        text = render_config(design, host, reveal_secrets=reveal_secrets)
        return text.replace(" ip tcp adjust-mss", " ip nhrp bogus-option 7\n ip tcp adjust-mss") \
            if host == "spoke4" else text

    monkeypatch.setattr(stage, "render_config", bad_render)
    run = lab_run(INVENTORY)
    run.lab.fault("slow", "spoke4", 0.4)
    result = run.deploy(timeout=3, line_timeout=1.0, limit=("hub1", "hub2", "spoke4"))
    record = result.hosts["spoke4"]
    assert record.status == Status.ROLLED_BACK, (record.status, record.reason, record.rollback)
    assert "equals backup" in (record.rollback or "") and record.manual_diff == []
    assert record.revert == Revert.REVERTED
    run.lab.clear("spoke4")
    assert same_config(run.lab.running_config("spoke4"), record.backup.read_text())


def test_two_seconds_per_line_device_is_deployed(lab_run, monkeypatch) -> None:
    """The issue's device: 2 s for every line, including netmiko's own prompt probes (never a false failure)."""
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    stage = importlib.import_module("dmvpn_ops.deploy.deploy")

    def changed(design, host, reveal_secrets=False):
        text = render_config(design, host, reveal_secrets=reveal_secrets)
        return text.replace(" ip tcp adjust-mss 1360", " ip tcp adjust-mss 1350") if host == "spoke4" else text

    monkeypatch.setattr(stage, "render_config", changed)
    run.lab.fault("slow", "spoke4", 2.0)
    result = run.deploy(timeout=5, line_timeout=3.0, limit=("hub1", "hub2", "spoke4"))
    record = result.hosts["spoke4"]
    assert record.status == Status.DEPLOYED, (record.status, record.reason, record.rollback)
    assert record.revert == Revert.CONFIRMED and record.pushed == 2
    run.lab.clear("spoke4")
    assert "ip tcp adjust-mss 1350" in run.lab.running_config("spoke4")
