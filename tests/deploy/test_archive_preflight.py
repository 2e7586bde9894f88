"""Deploy pre-flight: a router without the archive feature cannot run a revert timer; it fails before change."""
from __future__ import annotations

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.deploy import Status, push
from dmvpn_ops.deploy.revert import SHOW_ARCHIVE, archive_missing
from tests.conftest import INVENTORY

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
