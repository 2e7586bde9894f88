"""`dmvpn-ops rollback` and `dmvpn-ops audit`, and the owned-only inverse every rollback falls back to."""
from __future__ import annotations

import json

import pytest

from dmvpn_ops.deploy.backup import list_backups
from dmvpn_ops.deploy.rollback import inverse_commands, same_config
from tests.conftest import INVENTORY, TEST_SECRETS

_BACKUP = """hostname r1
username admin privilege 15 secret 9 $9$abc$def
enable secret 9 $9$ghi$jkl
interface GigabitEthernet1
 ip address 192.0.2.1 255.255.255.0
interface Tunnel0
 ip address 172.16.0.1 255.255.255.0
 ip nhrp network-id 1
ip route 0.0.0.0 0.0.0.0 192.0.2.254
line vty 0 4
 login local
end
"""


def test_inverse_never_touches_what_is_not_owned() -> None:
    current = (_BACKUP.replace(" ip nhrp network-id 1", " ip nhrp network-id 2\n ip mtu 1400")
               .replace("username admin", "username other").replace("ip route 0.0.0.0", "ip route 10.0.0.0")
               .replace("line vty 0 4\n login local\n", ""))
    commands = inverse_commands(current, _BACKUP, {"interface Tunnel0"})
    text = "\n".join(commands)
    assert commands[0] == "interface Tunnel0" and "no ip mtu 1400" in text and "ip nhrp network-id 1" in text
    for foreign in ("username", "enable", "ip route", "line vty", "GigabitEthernet1"):
        assert foreign not in text, commands


@pytest.mark.lab
def test_rollback_verb_dry_run_then_restore_then_audit(lab_run, cli, tmp_path) -> None:
    run = lab_run(INVENTORY)
    inventory = run.write_inventory(tmp_path / "inv")
    state = str(tmp_path / "state")
    assert cli("deploy", "-i", str(inventory), "--state-dir", state).code == 0
    before = run.lab.running_config("spoke1")
    backup = list_backups(tmp_path / "state", "spoke1")[-1]
    preview = cli("rollback", "--host", "spoke1", "--dry-run", "-i", str(inventory), "--state-dir", state)
    assert preview.code == 0, preview.text
    assert "planned" in preview.out and "commands (owned objects only)" in preview.out
    assert run.lab.running_config("spoke1") == before  # the dry run changed nothing
    done = cli("rollback", "--host", "spoke1", "--to", backup.name, "--format", "json", "-i", str(inventory),
               "--state-dir", state)
    assert done.code == 0, done.text
    document = json.loads(done.out)
    assert document["status"] == "rolled-back" and "equals backup" in document["detail"]
    assert same_config(run.lab.running_config("spoke1"), backup.read_text())
    trail = json.loads(cli("audit", "--host", "spoke1", "--format", "json", "--state-dir", state).out)
    assert [e["result"] for e in trail["entries"]] == ["deployed", "rolled-back"]
    table = cli("audit", "--state-dir", state)
    assert table.code == 0 and "hub1" in table.out and "spoke1" in table.out
    for value in TEST_SECRETS.values():
        assert value not in preview.text + done.text + table.text


@pytest.mark.lab
def test_unreachable_backup_state_is_manual_action_with_the_diff(lab_run, cli, tmp_path) -> None:
    """A kept backup the device cannot take back (a value IOS refuses): MANUAL ACTION NEEDED, the exact diff."""
    run = lab_run(INVENTORY)
    inventory = run.write_inventory(tmp_path / "inv")
    state = tmp_path / "state"
    assert cli("deploy", "-i", str(inventory), "--state-dir", str(state)).code == 0
    current = run.lab.running_config("spoke2")
    bad = current.replace(" ip nhrp holdtime 300", " ip nhrp holdtime 99999")
    assert bad != current
    kept = list_backups(state, "spoke2")[-1]
    kept.write_text(bad)
    done = cli("rollback", "--host", "spoke2", "-i", str(inventory), "--state-dir", str(state))
    assert done.code == 1, done.text
    assert "manual-action-needed" in done.out and "ip nhrp holdtime 99999" in done.out
    for foreign in ("no username", "no enable", "no line vty", "no ip route", "no interface GigabitEthernet"):
        assert foreign not in done.out


def test_rollback_verb_bad_input(cli, tmp_path) -> None:
    missing = cli("rollback", "--host", "spoke1", "-i", str(INVENTORY), "--state-dir", str(tmp_path))
    assert missing.code == 2 and "no kept backup" in missing.err
    unknown = cli("rollback", "--host", "nope", "-i", str(INVENTORY), "--state-dir", str(tmp_path))
    assert unknown.code == 2 and "unknown host" in unknown.err
    assert cli("audit", "--format", "xml", "--state-dir", str(tmp_path)).code == 2
