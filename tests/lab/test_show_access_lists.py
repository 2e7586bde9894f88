"""`show access-lists` over real SSH (netmiko): IOS's layout from real captures (ntc-templates
tests/cisco_ios/show_access-list), read back by ntc-templates' own `show access-list` template."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

pytestmark = pytest.mark.lab
ACLS = ("ip access-list extended MGMT\n permit tcp host 10.0.0.1 any eq 22\n 5 deny ip host 10.0.0.66 any\n"
        " remark not listed by show access-lists\n deny ip any any log\n"
        "ip access-list standard SNMP\n permit 10.1.1.0 0.0.0.255\n deny host 10.1.1.9\n deny any\n"
        "access-list 10 permit 10.9.9.9\naccess-list 10 deny any log\n")


def test_layout_as_ios_prints_it(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", ACLS) == []
    conn = connect("hub1")
    conn.enable()
    assert conn.send_command("show access-lists").splitlines() == [
        "Extended IP access list MGMT",
        "    5 deny ip host 10.0.0.66 any",
        "    10 permit tcp host 10.0.0.1 any eq 22",
        "    20 deny ip any any log",
        "Standard IP access list SNMP",
        "    10 permit 10.1.1.0, wildcard bits 0.0.0.255",
        "    20 deny   10.1.1.9",
        "    30 deny   any",
        "Standard IP access list 10",
        "    10 permit 10.9.9.9",
        "    20 deny   any log"]
    assert conn.send_command("show ip access-lists SNMP").splitlines()[0] == "Standard IP access list SNMP"
    assert conn.send_command("show access-lists NOSUCH").strip() == ""
    assert conn.send_command("show access-lists | include access list").splitlines() == [
        "Extended IP access list MGMT", "Standard IP access list SNMP", "Standard IP access list 10"]


def test_ntc_template_reads_it(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", ACLS) == []
    conn = connect("hub1")
    conn.enable()
    rows = conn.send_command("show access-lists", use_textfsm=True)
    assert isinstance(rows, list)
    got = {(r["name"], r["sn"], r["action"], r["source"]) for r in rows}
    assert ("SNMP", "10", "permit", "10.1.1.0, wildcard bits 0.0.0.255") in got
    assert ("MGMT", "10", "permit", "host 10.0.0.1") in got and ("10", "20", "deny", "any") in got
    assert len(rows) == 8
