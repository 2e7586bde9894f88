"""Deploy against the lab emulator over real SSH: fresh, idempotent, dry-run, faults, secrets."""
from __future__ import annotations

import importlib
import logging
import stat

import pytest

from dmvpn_ops.deploy import Status
from dmvpn_ops.deploy import push as push_module
from dmvpn_ops.deploy.remediation import remediate
from dmvpn_ops.deploy.rollback import same_config
from dmvpn_ops.render import render_config
from tests.conftest import INVENTORY, TEST_SECRETS
from tests.deploy.conftest import free_port
from tests.deploy.helpers import INVENTORIES

pytestmark = pytest.mark.lab  # every test here starts the lab emulator


@pytest.mark.parametrize("name", list(INVENTORIES))
def test_fresh_deploy_then_nothing_to_push(lab_run, name: str) -> None:
    run = lab_run(INVENTORIES[name])
    first = run.deploy()
    assert first.exit_code == 0, {h: (r.status, r.reason) for h, r in first.hosts.items()}
    assert all(r.status == Status.DEPLOYED for r in first.hosts.values())
    for host in run.running():
        assert run.lab.run(host, "show startup-config").strip()  # written to memory
        backup = first.hosts[host].backup
        assert backup is not None and stat.S_IMODE(backup.stat().st_mode) == 0o600
    second = run.deploy()
    assert second.exit_code == 0 and second.lines_pushed == 0
    assert all(r.status == Status.UNCHANGED for r in second.hosts.values())


def test_dry_run_changes_nothing(lab_run) -> None:
    run = lab_run(INVENTORY)
    before = run.running()
    result = run.deploy(dry_run=True)
    assert result.exit_code == 0
    assert all(r.status == Status.PLANNED and r.commands and r.pushed == 0 for r in result.hosts.values())
    assert run.running() == before
    assert not (run.state_dir / "backups").exists()


def _rest_deployed(result, failing: str) -> None:
    for host, record in result.hosts.items():
        if host != failing:
            assert record.status in (Status.DEPLOYED, Status.SKIPPED), (host, record.status, record.reason)


def test_unreachable_host(lab_run) -> None:
    run = lab_run(INVENTORY)
    result = run.deploy(ports={"spoke3": free_port()}, timeout=3)
    assert result.exit_code == 3
    assert result.hosts["spoke3"].status == Status.UNREACHABLE and result.hosts["spoke3"].reason
    _rest_deployed(result, "spoke3")


def test_refused_login(lab_run) -> None:
    run = lab_run(INVENTORY)
    before = run.lab.running_config("spoke2")
    run.lab.fault("refuse-login", "spoke2")
    result = run.deploy()
    assert result.exit_code == 3
    assert "login refused" in (result.hosts["spoke2"].reason or "")
    assert same_config(run.lab.running_config("spoke2"), before)
    _rest_deployed(result, "spoke2")


def test_line_rejected_half_way_is_rolled_back(lab_run, monkeypatch) -> None:
    stage = importlib.import_module("dmvpn_ops.deploy.deploy")

    def bad_render(design, host, reveal_secrets=False):
        text = render_config(design, host, reveal_secrets=reveal_secrets)
        return text.replace(" ip tcp adjust-mss", " ip nhrp bogus-option 7\n ip tcp adjust-mss") \
            if host == "spoke2" else text

    monkeypatch.setattr(stage, "render_config", bad_render)
    run = lab_run(INVENTORY)
    result = run.deploy()
    record = result.hosts["spoke2"]
    assert result.exit_code == 1
    assert record.status == Status.ROLLED_BACK and "bogus-option" in (record.reason or "")
    assert 0 < record.pushed < len(record.commands)
    assert same_config(run.lab.running_config("spoke2"), record.backup.read_text())
    assert "equals backup" in (record.rollback or "")
    _rest_deployed(result, "spoke2")


def test_ssh_drop_mid_push_is_rolled_back(lab_run, monkeypatch) -> None:
    run = lab_run(INVENTORY)
    original = push_module.push_lines

    def half_then_drop(conn, lines, timeout, revert_minutes=0, extra=()):
        if conn.base_prompt != "spoke3":
            return original(conn, lines, timeout, revert_minutes, extra)
        half = len(lines) // 2
        original(conn, lines[:half], timeout, revert_minutes, extra)
        run.lab.fault("ssh-drop", "spoke3")
        return original(conn, lines[half:], timeout, 0, extra)

    monkeypatch.setattr(push_module, "push_lines", half_then_drop)
    result = run.deploy(timeout=3)
    record = result.hosts["spoke3"]
    assert result.exit_code == 1
    assert record.status == Status.ROLLED_BACK and "interrupted" in (record.reason or "")
    assert same_config(run.lab.running_config("spoke3"), record.backup.read_text())
    _rest_deployed(result, "spoke3")


def test_slow_device_times_out_untouched(lab_run) -> None:
    run = lab_run(INVENTORY)
    before = run.lab.running_config("spoke4")
    run.lab.fault("slow", "spoke4", 4.0)
    result = run.deploy(timeout=1.5)
    record = result.hosts["spoke4"]
    # logged in, then too slow before any change: unresponsive (verify's DEVICE_UNRESPONSIVE), exit 3
    assert record.status == Status.UNRESPONSIVE, (record.status, record.reason)
    assert result.exit_code == 3 and record.reason and record.pushed == 0
    run.lab.clear("spoke4")
    assert same_config(run.lab.running_config("spoke4"), before)
    _rest_deployed(result, "spoke4")


def test_failed_canary_stops_rollout(lab_run, monkeypatch) -> None:
    stage = importlib.import_module("dmvpn_ops.deploy.deploy")

    def bad_render(design, host, reveal_secrets=False):
        text = render_config(design, host, reveal_secrets=reveal_secrets)
        return text + "ip nhrp nonsense\n" if host == "spoke1" else text

    monkeypatch.setattr(stage, "render_config", bad_render)
    run = lab_run(INVENTORY)
    result = run.deploy()
    assert result.hosts["spoke1"].status == Status.ROLLED_BACK
    assert {result.hosts[h].status for h in ("spoke2", "spoke3", "spoke4")} == {Status.SKIPPED}
    assert result.hosts["hub1"].status == Status.DEPLOYED


def test_disruptive_change_needs_flag(lab_run, monkeypatch) -> None:
    stage = importlib.import_module("dmvpn_ops.deploy.deploy")

    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    monkeypatch.setattr(stage, "render_config", lambda d, h, reveal_secrets=False: render_config(
        d, h, reveal_secrets=reveal_secrets).replace("tunnel key 100", "tunnel key 101"))
    blocked = run.deploy(limit=("hub1",))
    assert blocked.hosts["hub1"].status == Status.BLOCKED and blocked.exit_code == 1
    assert "spoke4" in (blocked.hosts["hub1"].reason or "")
    assert "tunnel key 100" in run.lab.running_config("hub1")
    assert "dmvpn-ops-backup" not in run.lab.run("hub1", "dir flash:")  # a blocked host gets no flash copy


def test_cli_never_shows_secrets(lab_run, cli, tmp_path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    run = lab_run(INVENTORY)
    inventory = run.write_inventory(tmp_path / "inv")
    state = str(tmp_path / "cli-state")
    outputs = [cli("deploy", "-i", str(inventory), "--dry-run", "--state-dir", state),
               cli("deploy", "-i", str(inventory), "--format", "json", "--state-dir", state),
               cli("deploy", "-i", str(inventory), "--state-dir", state)]
    assert [o.code for o in outputs] == [0, 0, 0]
    assert "*****" in outputs[0].out and "Nothing to push" in outputs[2].out
    text = "".join(o.text for o in outputs) + caplog.text
    for value in TEST_SECRETS.values():
        assert value not in text
    for host in run.design.hosts:  # the CLI's deploy left every router on the intent (beside unmanaged lines)
        intended = render_config(run.design, host, reveal_secrets=True)
        assert remediate(run.lab.running_config(host), intended).empty, host
