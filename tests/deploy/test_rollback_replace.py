"""`dmvpn-ops rollback` on the emulator: the kept backup goes to a unique flash file over SCP and back with
`configure replace`, the file is removed; without SCP on the device, the owned-objects inverse, and it says so."""
from __future__ import annotations

import json

import pytest

from dmvpn_ops.deploy.backup import list_backups
from dmvpn_ops.deploy.model import Status
from dmvpn_ops.deploy.rollback import same_config
from tests.conftest import INVENTORY, TEST_SECRETS, inventory_with_ports
from tests.support.fixtures import hostile_ssh  # noqa: F401 - the fixture
from tests.support.hostile_ssh import Script
from tests.support.relay import Relay

pytestmark = pytest.mark.lab


def _deployed(run, cli, tmp_path):
    inventory = run.write_inventory(tmp_path / "inv")
    state = str(tmp_path / "state")
    assert cli("deploy", "-i", str(inventory), "--state-dir", state).code == 0
    return inventory, state


def test_rollback_by_configure_replace_from_a_unique_flash_file(lab_run, cli, tmp_path) -> None:
    run = lab_run(INVENTORY)
    inventory, state = _deployed(run, cli, tmp_path)
    backup = list_backups(tmp_path / "state", "spoke1")[-1]
    # SCP on; and a change dmvpn-ops does not own since the backup: a replace takes it back too
    assert run.lab.configure("spoke1", "ip scp server enable\nsnmp-server community Comm-9x1 ro\n") == []
    done = cli("rollback", "--host", "spoke1", "--format", "json", "-i", str(inventory), "--state-dir", state)
    assert done.code == 0, done.text
    document = json.loads(done.out)
    assert document["status"] == Status.ROLLED_BACK == "rolled-back", document  # success named as such
    detail = document["detail"]
    assert detail.startswith("configure replace (flash:dmvpn-ops-backup-rollback-") and "removed" in detail
    assert "refused" not in detail and "equals backup" in detail
    assert document["commands"] == [f"configure replace {detail.split('(')[1].split()[0]} force"]
    assert same_config(run.lab.running_config("spoke1"), backup.read_text())
    assert "snmp-server community" not in run.lab.running_config("spoke1")
    assert "dmvpn-ops" not in run.lab.run("spoke1", "dir flash:")  # the copy is gone
    for value in (*TEST_SECRETS.values(), "Comm-9x1"):
        assert value not in done.text


def test_rollback_without_scp_falls_back_to_owned_objects_and_says_so(lab_run, cli, tmp_path) -> None:
    run = lab_run(INVENTORY)
    inventory, state = _deployed(run, cli, tmp_path)
    backup = list_backups(tmp_path / "state", "spoke2")[-1]
    done = cli("rollback", "--host", "spoke2", "-i", str(inventory), "--state-dir", state)
    assert done.code == 0, done.text
    assert "inverse over owned lines (file transfer to flash refused" in " ".join(done.out.split())
    assert "owned objects restored instead" in " ".join(done.out.split())
    assert same_config(run.lab.running_config("spoke2"), backup.read_text())
    assert "dmvpn-ops" not in run.lab.run("spoke2", "dir flash:")


def test_rollback_refuses_an_scp_connection_whose_host_key_changed(lab_run, cli, tmp_path, hostile_ssh) -> None:  # noqa: F811
    """The device's address is taken over after the session opened: the SCP connection meets another key. It is
    refused before login (no password, no backup sent there), the account names both keys and the fix, the owned
    objects are restored over the session checked when it opened, and the exit code is 3 (HOST_KEY_CHANGED)."""
    run = lab_run(INVENTORY)
    _deployed(run, cli, tmp_path)
    backup = list_backups(tmp_path / "state", "spoke1")[-1]
    impostor = hostile_ssh(Script(hostname="spoke1"))  # a fresh key of its own
    device = run.lab.port("spoke1")
    # connection 1: the key check before login, 2: the login; every later one goes to the impostor
    with Relay(lambda n: device if n < 2 else impostor.port) as relay:
        inventory = inventory_with_ports(INVENTORY, tmp_path / "relayed", {**run.lab.ports(), "spoke1": relay.port})
        done = cli("rollback", "--host", "spoke1", "--format", "json", "-i", str(inventory),
                   "--state-dir", str(tmp_path / "state"))
    assert done.code == 3, done.text
    document = json.loads(done.out)
    detail = document["detail"]
    assert "file transfer to flash refused" in detail and "has changed" in detail, detail
    assert impostor.fingerprint in detail and "known-hosts forget spoke1" in detail
    assert "the backup was not sent" in detail and "owned objects restored instead" in detail
    assert impostor.logins == [] and impostor.commands == []  # no password, no SCP, nothing else
    assert impostor.connections == 1 and relay.connections == 3  # one key exchange; no SCP attempt after it
    assert document["status"] == Status.ROLLED_BACK, document
    assert same_config(run.lab.running_config("spoke1"), backup.read_text())
    assert "dmvpn-ops" not in run.lab.run("spoke1", "dir flash:")
