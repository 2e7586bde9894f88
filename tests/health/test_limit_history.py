"""`health --limit` on the emulator: hosts outside the selection are "not selected" in the history.

Their findings of the last run are carried forward unchanged (neither resolved nor new), and so are the
edges only they report, so the next full run compares with their last real reading (persisting findings,
no edge "appeared").
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.health.history import JsonDirHistory
from dmvpn_ops.health.nightly import HealthOptions, HealthRun, run_health
from dmvpn_ops.health.record import load_records

pytestmark = pytest.mark.lab

REKEY = 86400  # IKE SA lifetime (IOS default): a changed key bites when the IKE SA authenticates again


def _full(cloud: Any, history: Path) -> HealthRun:
    options = HealthOptions(history=history, probe=False, read_timeout=10)
    return run_health(cloud.design, cloud.nornir(), options)


def test_limit_carries_the_unselected_hosts_findings(cloud: Any, tmp_path: Path, cli: Any) -> None:
    history = tmp_path / "history"
    cloud.fault("wrong-psk", "spoke2")   # spoke2's SAs fail at the re-key: findings about spoke2
    cloud.lab.advance(REKEY)
    try:
        first = _full(cloud, history)
        about_spoke2 = {f.key for f in first.record.findings if f.host == "spoke2"}
        assert about_spoke2, [f.key for f in first.record.findings]

        time.sleep(0.01)  # records are named by their start time in ms
        inventory = cloud.inventory_copy(tmp_path / "inv")
        limited = cli("health", "-i", str(inventory), "--history", str(history), "--limit", "spoke1",
                      "--no-probe", "--target", "devices", "--state-dir", str(tmp_path / "state"),
                      "--timeout", "10")
        assert limited.code in (0, 1), limited.text
        second = load_records(JsonDirHistory(history))[-1]
        changes = second.changes
        assert second.hosts["spoke2"] == "not-selected" and second.hosts["spoke1"] != "not-selected"
        carried = {tuple(k) for k in changes["not_selected"]}
        assert about_spoke2 <= carried, changes
        assert not [k for k in changes["resolved"] + changes["new"] if k[1] in ("spoke2", "spoke3", "hub1", "hub2")]
        stored = {f.key for f in second.findings}
        assert about_spoke2 <= stored  # unchanged in the record, for the next run
        assert {e.spoke for e in second.edges} == {e.spoke for e in first.record.edges}  # edges carried too
        assert json.loads((history / sorted(p.name for p in history.glob("run-*.json"))[-1]).read_text())[
            "changes"]["counts"]["not_selected"] == len(carried)

        time.sleep(0.01)
        third = _full(cloud, history)
        persisting = {f.key for f in third.trend.persisting}
        assert about_spoke2 <= persisting, third.trend.to_dict()
        assert not about_spoke2 & {f.key for f in third.trend.new}
        assert not third.trend.appeared and not third.trend.not_selected
    finally:
        cloud.clear()
        cloud.lab.advance(600)
