"""The backup is proof or nothing is pushed: empty / error / authorization-failed running configs, refused timers.

Hostile devices are small SSH servers on 127.0.0.1 (tests/support/hostile_ssh.py) that stand in for one host of
a lab cloud; the other hosts are the emulator. 0 config lines may reach the hostile host; the others deploy.
"""
from __future__ import annotations

import pytest

from dmvpn_ops.deploy import Status
from dmvpn_ops.deploy.backup import check_running
from dmvpn_ops.deploy.push import ios_error
from tests.conftest import INVENTORY
from tests.support.hostile_ssh import AUTHZ_FAILED, INVALID, Script

_CONFIG_COMMANDS = ("configure", "copy", "write", "delete", "crypto", "interface", "ip ", "no ")


def _config_lines(commands: list[str]) -> list[str]:
    return [c for c in commands if c.startswith(_CONFIG_COMMANDS)]


@pytest.mark.lab
@pytest.mark.parametrize(("answer", "why"), [
    ("", "answered nothing"),
    (INVALID, "Invalid input"),
    (AUTHZ_FAILED, "Command authorization failed"),
    ("% Authorization failed.\n", "Authorization failed"),
    ("Building configuration...\n\nhostname spoke3\n!\ninterface GigabitEthernet1\n", "end"),
])
def test_unprovable_backup_means_nothing_pushed(lab_run, hostile_ssh, answer: str, why: str) -> None:
    run = lab_run(INVENTORY)
    server = hostile_ssh(Script(hostname="spoke3", privileged=True, replies={"show running-config": answer}))
    result = run.deploy(ports={"spoke3": server.port}, timeout=5)
    record = result.hosts["spoke3"]
    assert record.status == Status.FAILED_BEFORE_CHANGE, (record.status, record.reason)
    assert why in (record.reason or "") and "nothing pushed" in (record.reason or "")
    assert record.pushed == 0 and record.backup is None
    assert _config_lines(server.commands) == []  # not one config line reached it
    for host in ("hub1", "hub2", "spoke1", "spoke2", "spoke4"):
        assert result.hosts[host].status == Status.DEPLOYED, (host, result.hosts[host].reason)
    assert result.exit_code == 1


@pytest.mark.lab
def test_refused_revert_timer_is_not_replaced_by_plain_configure(lab_run, hostile_ssh) -> None:
    """A device refusing `configure terminal revert timer N` gets nothing (no silent plain `configure terminal`)."""
    run = lab_run(INVENTORY)
    assert run.deploy(limit=("hub1", "hub2")).exit_code == 0
    real = run.lab.running_config("spoke3")
    server = hostile_ssh(Script(hostname="spoke3", privileged=True, replies={
        "show running-config": real, "show archive config rollback timer": "% No Rollback Confirmed Change pending"}))
    result = run.deploy(ports={"spoke3": server.port}, limit=("hub1", "hub2", "spoke3"), timeout=5)
    record = result.hosts["spoke3"]
    assert record.status == Status.FAILED_BEFORE_CHANGE, (record.status, record.reason)
    assert "revert timer" in (record.reason or "") and "--no-revert-timer" in (record.reason or "")
    assert "configure terminal revert timer 5" in server.commands
    assert "configure terminal" not in server.commands
    assert not [c for c in server.commands if c.startswith(("crypto", "interface", "ip ", "router"))]


@pytest.mark.lab
def test_check_running_accepts_a_real_config(lab_run) -> None:
    run = lab_run(INVENTORY)
    assert check_running(run.lab.run("spoke1", "show running-config")) is None


@pytest.mark.parametrize(("text", "why"), [
    ("", "answered nothing"),
    ("   \n\n", "answered nothing"),
    (INVALID, "Invalid input"),
    (AUTHZ_FAILED, "Command authorization failed"),
    ("hostname r1\ninterface Gi1\nend\n", "only"),
    ("hostname r1\n" + "!\n" * 300 + "end\n", "interface"),
])
def test_check_running_rejects(text: str, why: str) -> None:
    problem = check_running(text)
    assert problem is not None and why in problem


def test_inventory_error_patterns_are_errors() -> None:
    config = "hostname r1\n" + "interface GigabitEthernet1\n ip address 10.0.0.1 255.255.255.0\n" * 10 + "end\n"
    assert check_running(config) is None
    assert check_running("ACCESS DENIED by policy\n" + config, [r"^ACCESS DENIED.*$"]) is not None
    assert ios_error("Command authorization failed.") == "Command authorization failed."


def _with_patterns(inventory_copy, patterns: object):
    import yaml

    inv = inventory_copy()
    defaults = yaml.safe_load((inv / "defaults.yaml").read_text())
    defaults.setdefault("data", {})["deploy"] = {"error_patterns": patterns}
    (inv / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    return inv


@pytest.mark.lab
def test_inventory_error_patterns_stop_the_host(lab_run, hostile_ssh, inventory_copy) -> None:
    """Site-specific refusal text (here a jump-host banner in the output) is an error once the inventory says so."""
    run = lab_run(_with_patterns(inventory_copy, [r"^ACCESS DENIED\b.*$"]))
    real = run.lab.run("spoke3", "show running-config")
    server = hostile_ssh(Script(hostname="spoke3", privileged=True, replies={
        "show running-config": "ACCESS DENIED by site policy\n" + real}))
    result = run.deploy(ports={"spoke3": server.port}, timeout=5)
    record = result.hosts["spoke3"]
    assert record.status == Status.FAILED_BEFORE_CHANGE and "ACCESS DENIED" in (record.reason or "")
    assert _config_lines(server.commands) == []
    assert result.hosts["spoke1"].status == Status.DEPLOYED


@pytest.mark.lab
@pytest.mark.parametrize("patterns", [["(unclosed"], "not-a-list"])
def test_bad_error_patterns_are_bad_input(lab_run, inventory_copy, patterns: object) -> None:
    from dmvpn_ops.errors import InputError

    run = lab_run(_with_patterns(inventory_copy, patterns))
    with pytest.raises(InputError) as info:
        run.deploy(dry_run=True)
    assert info.value.exit_code == 2 and info.value.field == "data.deploy.error_patterns"
