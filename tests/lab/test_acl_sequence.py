"""Named ACL entries over real SSH (netmiko): printed with their sequence numbers in sequence order, as a real
IOS-XE 17.8 running config shows them; `no N` deletes entry N, a number in use is refused as IOS refuses it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.deploy.push import ios_error
from dmvpn_ops.lab.api import Lab

pytestmark = pytest.mark.lab


def _acl(conn: Any, header: str) -> list[str]:
    lines = conn.send_command("show running-config").splitlines()
    start = lines.index(header)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[start + 1:end]


def test_entries_are_numbered_and_ordered(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", "ip access-list extended MGMT\n permit tcp host 10.0.0.1 any eq 22\n"
                                 " deny ip host 10.0.0.66 any\n 5 permit icmp any any\n deny ip any any log\n"
                                 "ip access-list standard SNMP\n permit 10.1.1.0 0.0.0.255\n") == []
    conn = connect("hub1")
    conn.enable()
    assert _acl(conn, "ip access-list extended MGMT") == [
        " 5 permit icmp any any", " 10 permit tcp host 10.0.0.1 any eq 22", " 20 deny ip host 10.0.0.66 any",
        " 30 deny ip any any log"]
    assert _acl(conn, "ip access-list standard SNMP") == [" 10 permit 10.1.1.0 0.0.0.255"]
    # show access-lists agrees with the running config's numbers
    assert "    20 deny ip host 10.0.0.66 any" in conn.send_command("show access-lists MGMT").splitlines()


def test_no_sequence_number_deletes_that_entry(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", "ip access-list extended MGMT\n permit tcp any any eq 22\n"
                                 " deny ip any any\n") == []
    conn = connect("hub1")
    conn.enable()
    out = conn.send_config_set(["ip access-list extended MGMT", "no 10", "15 permit udp any any eq 161"])
    assert ios_error(out) is None, out
    assert _acl(conn, "ip access-list extended MGMT") == [" 15 permit udp any any eq 161", " 20 deny ip any any"]
    # the entry by its text, too; a number that is not there is ignored silently
    out = conn.send_config_set(["ip access-list extended MGMT", "no deny ip any any", "no 99"])
    assert ios_error(out) is None, out
    assert _acl(conn, "ip access-list extended MGMT") == [" 15 permit udp any any eq 161"]


def test_a_sequence_number_in_use_is_refused(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", "ip access-list extended MGMT\n permit tcp any any eq 22\n") == []
    conn = connect("hub1")
    conn.enable()
    out = conn.send_config_set(["ip access-list extended MGMT", "10 deny ip any any"])
    assert "% Duplicate sequence number" in out
    assert ios_error(out) == "% Duplicate sequence number"
    assert _acl(conn, "ip access-list extended MGMT") == [" 10 permit tcp any any eq 22"]


def test_named_acls_follow_each_other_without_bang(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", "ip access-list extended A1\n permit ip any any\n"
                                 "ip access-list extended A2\n deny ip any any\n") == []
    conn = connect("hub1")
    conn.enable()
    lines = conn.send_command("show running-config").splitlines()
    at = lines.index("ip access-list extended A1")
    assert lines[at:at + 4] == ["ip access-list extended A1", " 10 permit ip any any",
                                "ip access-list extended A2", " 10 deny ip any any"]
