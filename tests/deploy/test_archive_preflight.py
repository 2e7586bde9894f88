"""Deploy pre-flight: a router without the archive feature cannot run a revert timer; it fails before change."""
from __future__ import annotations

import json

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.deploy import Status, push
from dmvpn_ops.deploy.revert import SHOW_ARCHIVE, SHOW_TIMER, archive_missing
from tests.conftest import INVENTORY
from tests.schemas.test_schemas import validate

REFUSAL = "%Turn config archive on before using Rollback Confirmed Change"


def test_archive_missing_reads_show_archive() -> None:
    assert archive_missing(" Archive feature not enabled\n")
    assert archive_missing("The maximum archive configurations allowed is 10.\n"
                           "The next archive file will be named Archive path not specified\n Archive #  Name\n")
    assert not archive_missing("The maximum archive configurations allowed is 10.\n"
                               "The next archive file will be named flash:archive-1\n Archive #  Name\n")
    assert not archive_missing("")


@pytest.mark.lab
def test_router_without_archive_fails_before_change_and_the_others_deploy(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.lab.configure("spoke2", "no archive") == []
    assert "Archive feature not enabled" in run.lab.run("spoke2", SHOW_ARCHIVE)
    before = run.lab.running_config("spoke2")
    result = run.deploy()
    spoke2 = result.hosts["spoke2"]
    assert spoke2.status == Status.FAILED_BEFORE_CHANGE, (spoke2.status, spoke2.reason)
    assert spoke2.pushed == 0
    assert "`show archive`" in spoke2.reason  # the pre-flight, not the refused timer after a backup copy
    assert "path flash:archive" in spoke2.reason and "--no-revert-timer" in spoke2.reason
    assert run.lab.running_config("spoke2") == before
    assert not [f for f in run.lab.run("spoke2", "dir flash:").split() if f.startswith("dmvpn-ops-backup")]
    others = {h: r.status for h, r in result.hosts.items() if h != "spoke2"}
    assert set(others.values()) == {Status.DEPLOYED}, others
    assert result.exit_code != 0


@pytest.mark.lab
def test_no_revert_timer_deploys_a_router_without_archive(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.lab.configure("spoke2", "no archive") == []
    result = run.deploy(no_revert_timer=True, revert_minutes=0)
    assert result.hosts["spoke2"].status == Status.DEPLOYED, result.hosts["spoke2"].reason
    assert "Archive feature not enabled" in run.lab.run("spoke2", SHOW_ARCHIVE)  # the operator's config kept


@pytest.mark.lab
def test_bootstrap_archive_is_never_removed_by_a_deploy(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    for host in run.design.hosts:
        assert "archive\n path flash:archive" in run.lab.running_config(host), host


@pytest.mark.lab
def test_a_refused_revert_timer_is_an_error_push_names(lab_run) -> None:
    """Over real SSH: the refusal text itself is recognised (the safety net when `show archive` was not asked)."""
    run = lab_run(INVENTORY)
    assert run.lab.configure("spoke3", "no archive") == []
    spec = run.design.hosts["spoke3"]
    assert spec.password is not None and spec.enable_secret is not None
    conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=run.lab.port("spoke3"),
                          username=spec.username, password=spec.password.reveal(),
                          secret=spec.enable_secret.reveal(), conn_timeout=10, auth_timeout=10)
    try:
        conn.enable()
        assert push.ios_error(conn.send_command_timing("configure terminal revert timer 5")) == REFUSAL
        with pytest.raises(push.RevertRefused, match="config archive on|configuration mode"):
            push.push_lines(conn, ["hostname trial"], 10.0, 5)
        assert "(config" not in conn.find_prompt()
    finally:
        conn.disconnect()
    assert "hostname spoke3" in run.lab.running_config("spoke3")


@pytest.mark.lab
def test_dry_run_says_the_real_deploy_would_fail_a_router_without_archive(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.lab.configure("spoke2", "no archive") == []
    before = run.running()
    result = run.deploy(dry_run=True)
    spoke2 = result.hosts["spoke2"]
    assert spoke2.status == Status.FAILED_BEFORE_CHANGE, (spoke2.status, spoke2.reason)
    assert (spoke2.reason or "").startswith("dry run: a real deploy would fail this host before any change")
    assert "`show archive`" in spoke2.reason and "path flash:archive" in spoke2.reason
    assert spoke2.commands and spoke2.diff  # the plan is still shown
    others = {h: r.status for h, r in result.hosts.items() if h != "spoke2"}
    assert set(others.values()) == {Status.PLANNED}, others
    assert result.exit_code == 1  # DESIGN.md: 1 = failures; the run it rehearses would fail this host
    assert run.running() == before  # a dry run changes nothing
    fine = run.deploy(dry_run=True, no_revert_timer=True, revert_minutes=0)
    assert fine.hosts["spoke2"].status == Status.PLANNED and fine.exit_code == 0


@pytest.mark.lab
def test_dry_run_json_of_a_router_without_archive(lab_run, cli, tmp_path) -> None:
    """Through the CLI: the finding is in the dry-run JSON (schema-valid), exit 1."""
    run = lab_run(INVENTORY)
    assert run.lab.configure("hub2", "no archive") == []
    inventory = run.write_inventory(tmp_path / "inv")
    done = cli("deploy", "--dry-run", "--format", "json", "-i", str(inventory), "--state-dir", str(tmp_path / "s"))
    assert done.code == 1, done.text
    document = json.loads(done.out)
    validate("deploy", document)
    hub2 = document["hosts"]["hub2"]
    assert hub2["status"] == "failed-before-change" and hub2["reason"].startswith("dry run: a real deploy would")
    assert document["summary"]["failed-before-change"] == 1 and document["summary"]["exit_code"] == 1
    assert document["summary"]["dry_run"] is True and document["summary"]["lines_pushed"] == 0


@pytest.mark.lab
def test_dry_run_never_confirms_or_reverts_a_pending_timer(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert run.deploy().exit_code == 0
    run.lab.run("spoke1", "configure terminal revert timer 9")  # an earlier run died before `configure confirm`
    for choice in ("confirm", "revert"):
        result = run.deploy(dry_run=True, on_pending_revert=choice)
        record = result.hosts["spoke1"]
        assert record.status == Status.PENDING_REVERT, (choice, record.status, record.pending_before)
        done = "confirmed" if choice == "confirm" else "reverted"
        assert f"dry run: not {done}" in (record.pending_before or ""), record.pending_before
        assert "Timer value: 9 min" in run.lab.run("spoke1", SHOW_TIMER), choice  # still pending
