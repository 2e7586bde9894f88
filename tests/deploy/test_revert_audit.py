"""Revert timers accounted for (armed, confirmed, pending with its fire time) and the audit trail, on the emulator."""
from __future__ import annotations

import json
import stat

import pytest

from dmvpn_ops.deploy import DeployOptions, Status
from dmvpn_ops.deploy.audit import read_entries
from dmvpn_ops.deploy.model import Revert
from dmvpn_ops.deploy.revert import SHOW_TIMER, fires_at, parse_timer
from dmvpn_ops.errors import InputError
from dmvpn_ops.render import render_config
from tests.conftest import INVENTORY, TEST_SECRETS


@pytest.mark.lab
def test_deploy_confirms_every_timer_and_audits_each_host(lab_run) -> None:
    run = lab_run(INVENTORY)
    result = run.deploy()
    assert result.exit_code == 0
    for host, record in result.hosts.items():
        assert record.revert == Revert.CONFIRMED, (host, record.revert)
        assert "No Rollback Confirmed Change pending" in run.lab.run(host, SHOW_TIMER)
        assert not [f for f in run.lab.run(host, "dir flash:").split() if f.startswith("dmvpn-ops-backup")]
    second = run.deploy()
    assert second.lines_pushed == 0
    audit = run.state_dir / "audit.jsonl"
    assert stat.S_IMODE(audit.stat().st_mode) == 0o600
    lines = [json.loads(raw) for raw in audit.read_text().splitlines()]
    assert len(lines) == 2 * len(run.design.hosts)  # one line per host per deploy
    assert {line["host"] for line in lines} == set(run.design.hosts)
    assert len({line["run_id"] for line in lines}) == 2
    first = [line for line in lines if line["host"] == "hub1"][0]
    assert first["result"] == "deployed" and first["revert"] == "confirmed" and first["backup"]
    assert first["lines_pushed"] and first["intent_hash"].startswith("sha256:") and first["user"]
    assert any("*****" in line for line in first["lines_pushed"])
    for value in TEST_SECRETS.values():
        assert value not in audit.read_text()
    assert [e["result"] for e in read_entries(run.state_dir, "spoke1")] == ["deployed", "unchanged"]


@pytest.mark.lab
def test_pending_revert_is_reported_never_unchanged(lab_run) -> None:
    """A timer left by an interrupted run: reported with its fire time, nothing pushed, until the operator chooses."""
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    run.lab.run("spoke2", "configure terminal revert timer 7")  # an earlier run died before `configure confirm`
    shown = parse_timer(run.lab.run("spoke2", SHOW_TIMER))
    assert shown is not None and shown.minutes == 7
    result = run.deploy()
    record = result.hosts["spoke2"]
    assert record.status == Status.PENDING_REVERT and record.revert == Revert.PENDING
    assert record.revert_at == shown.fires and record.pushed == 0 and result.exit_code == 1
    assert "--on-pending-revert" in (record.reason or "")
    assert result.hosts["spoke1"].status == Status.UNCHANGED
    confirmed = run.deploy(on_pending_revert="confirm")
    assert confirmed.hosts["spoke2"].status == Status.UNCHANGED and confirmed.exit_code == 0
    assert "confirmed" in (confirmed.hosts["spoke2"].pending_before or "")
    assert "No Rollback Confirmed Change pending" in run.lab.run("spoke2", SHOW_TIMER)


@pytest.mark.lab
def test_pending_revert_reverted_on_request_then_redeployed(lab_run, monkeypatch) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    run.lab.run("spoke3", "configure terminal revert timer 3")
    result = run.deploy(on_pending_revert="revert")
    assert "reverted now" in (result.hosts["spoke3"].pending_before or "")
    assert result.hosts["spoke3"].status in (Status.UNCHANGED, Status.DEPLOYED)
    assert "No Rollback Confirmed Change pending" in run.lab.run("spoke3", SHOW_TIMER)


@pytest.mark.lab
def test_emulator_rollback_timer_layout_and_range(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert "% Invalid input" in run.lab.run("hub1", "configure terminal revert timer 121")
    assert "% Invalid input" in run.lab.run("hub1", "configure terminal revert timer 0")
    run.lab.run("hub1", "configure terminal revert timer 120")
    out = run.lab.run("hub1", SHOW_TIMER)
    assert "Timer type" in out and "Revert timer" in out and "Timer value" in out
    pending = parse_timer(out)
    assert pending is not None and pending.minutes == 120
    run.lab.advance(121 * 60)
    assert "No Rollback Confirmed Change pending" in run.lab.run("hub1", SHOW_TIMER)


def test_fires_at_adds_the_minutes_on_the_device_clock() -> None:
    assert fires_at("23:58:30 UTC Tue Dec 1 2026", 5) == "00:03:30 UTC Wed Dec 2 2026"
    with pytest.raises(ValueError):
        parse_timer("something else")


@pytest.mark.parametrize("minutes", [0, 121, 99999999999999999999, -1])
def test_revert_minutes_range(minutes: int) -> None:
    with pytest.raises(InputError) as info:
        DeployOptions(revert_minutes=minutes)
    assert info.value.exit_code == 2
    DeployOptions(revert_minutes=0, no_revert_timer=True)  # the explicit choice


@pytest.mark.lab
def test_no_revert_timer_pushes_plain(lab_run) -> None:
    run = lab_run(INVENTORY)
    result = run.deploy(limit=("hub1",), revert_minutes=0, no_revert_timer=True)
    assert result.hosts["hub1"].status == Status.DEPLOYED and result.hosts["hub1"].revert == Revert.NONE
    assert render_config(run.design, "hub1").splitlines()[0]
