"""The hostile SSH server itself: netmiko logs in, scripted replies arrive verbatim, misbehaviour happens."""
from __future__ import annotations

import paramiko
import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import ReadTimeout

from tests.support.fixtures import hostile_ssh  # noqa: F401 - fixture
from tests.support.hostile_ssh import AUTHZ_FAILED, INVALID, HostileSSH, Script, new_host_key


def _connect(server: HostileSSH, **extra: object) -> ConnectHandler:
    return ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=server.port, username="admin",
                          password="pw", secret="en", conn_timeout=5, **extra)


def test_scripted_replies_enable_and_records(hostile_ssh) -> None:  # noqa: F811
    server = hostile_ssh(Script(hostname="hub1", replies={"show running-config": AUTHZ_FAILED, "show clock": ""}))
    conn = _connect(server)
    assert conn.find_prompt() == "hub1>"
    conn.enable()
    assert conn.find_prompt() == "hub1#"
    assert conn.send_command("show running-config") == AUTHZ_FAILED.strip()
    assert conn.send_command("show clock") == ""
    assert conn.send_command("show nonsense") == INVALID.rstrip("\n")
    conn.disconnect()
    assert server.logins == [("admin", "pw")]
    assert [c for c in server.commands if not c.startswith("terminal") and c != "exit"] == \
        ["enable", "show running-config", "show clock", "show nonsense"]


def test_pager_forever_times_out(hostile_ssh) -> None:  # noqa: F811
    server = hostile_ssh(Script(pager_forever=frozenset({"show dmvpn"})))
    conn = _connect(server)
    with pytest.raises(ReadTimeout):
        conn.send_command("show dmvpn", read_timeout=2)
    conn.paramiko_cleanup()   # no polite `exit`: it would queue behind a pager that never ends


def test_stall_after_login_never_prompts(hostile_ssh) -> None:  # noqa: F811
    server = hostile_ssh(Script(stall_after_login=True))
    with pytest.raises(Exception) as info:
        _connect(server, read_timeout_override=2)
    assert server.logins == [("admin", "pw")]
    assert "pattern" in str(info.value).lower() or "timeout" in type(info.value).__name__.lower()


def test_impersonator_has_another_key_unless_given_the_same(hostile_ssh) -> None:  # noqa: F811
    original = hostile_ssh(Script())
    impostor = hostile_ssh(Script())
    twin = hostile_ssh(Script(host_key=original.host_key))
    assert impostor.fingerprint != original.fingerprint
    assert twin.fingerprint == original.fingerprint
    transport = paramiko.Transport(("127.0.0.1", impostor.port))
    transport.start_client(timeout=5)
    seen = transport.get_remote_server_key()
    transport.close()
    assert seen.get_base64() == impostor.known_hosts_line.split()[2]
    assert new_host_key().export_public_key() != original.host_key.export_public_key()
