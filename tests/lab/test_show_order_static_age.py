"""Issue 16 layout defects, over SSH with netmiko on the demo cloud.

1. Interface lists (`show ip interface brief`, `show interfaces`, `show interfaces description`,
   `show ip interface`) follow IOS's interface table: physical first, then Loopback, then Tunnel (real
   captures cited at ``dmvpn_ops.lab.ifnames.table_key``); `show running-config` keeps its own order.
2. A hub's static `ip nhrp map` entry for the other hub ages from when it was configured, even when the
   lab clock ran before the first `show ip nhrp` (real captures cited at ``nhrp.track_statics``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from ntc_templates.parse import parse_output

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.parse import parse
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
IOS_ORDER = ["GigabitEthernet1", "Loopback1", "Tunnel100"]    # hub1: config lists Loopback1 first


def _deploy(lab: Lab, design: Design) -> None:
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    assert lab.configure_many(configs) == {h: [] for h in design.hosts}


def _static(text: str, prefix: str) -> dict[str, Any]:
    rows = [r for r in parse("show ip nhrp", text) if r["prefix"] == prefix]
    assert len(rows) == 1, text
    assert rows[0]["type"] == "static" and rows[0]["expire"] == "never"
    return rows[0]


def test_interface_lists_are_in_ios_table_order(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    conn = connect("hub1")
    brief = conn.send_command("show ip interface brief")
    assert [r["interface"] for r in parse_output(platform="cisco_ios", command="show ip interface brief",
                                                 data=brief)] == IOS_ORDER
    assert [r["interface"] for r in parse("show ip interface brief", brief)] == IOS_ORDER
    shown = conn.send_command("show interfaces")
    assert re.findall(r"^(\S+) is (?:up|down|administratively down)", shown, re.M) == IOS_ORDER
    ip_if = conn.send_command("show ip interface")
    assert re.findall(r"^(\S+) is (?:up|down|administratively down)", ip_if, re.M) == IOS_ORDER
    desc = parse_output(platform="cisco_ios", command="show interfaces description",
                        data=conn.send_command("show interfaces description"))
    assert [r["port"] for r in desc] == ["Gi1", "Lo1", "Tu100"]
    # the running config keeps its own order (logical interfaces first: dmvpn_ops.lab.ifnames.sort_key)
    running = conn.send_command("show running-config")
    assert re.findall(r"^interface (\S+)", running, re.M) == ["Loopback1", "Tunnel100", "GigabitEthernet1"]


def test_static_entry_ages_from_its_configuration(lab: Lab, design: Design,
                                                  connect: Callable[..., Any]) -> None:
    _deploy(lab, design)
    lab.advance(60)                                  # nobody looked at the hub during the first minute
    conn = connect("hub1")
    assert _static(conn.send_command("show ip nhrp"), "172.16.100.2/32")["created"] == "00:01:00"
    lab.advance(60)
    assert _static(conn.send_command("show ip nhrp"), "172.16.100.2/32")["created"] == "00:02:00"
    # the dynamic registrations of the spokes age the same way: both counted from the deployment
    dynamic = [r for r in parse("show ip nhrp", conn.send_command("show ip nhrp")) if r["type"] == "dynamic"]
    assert len(dynamic) == 4 and {r["created"] for r in dynamic} == {"00:02:00"}
    # a mapping removed and configured again is a new entry: its age starts at the new configuration
    conn.send_config_set(["interface Tunnel100", "no ip nhrp map 172.16.100.2 198.51.100.2"])
    assert not [r for r in parse("show ip nhrp", conn.send_command("show ip nhrp"))
                if r["prefix"] == "172.16.100.2/32"]
    lab.advance(30)
    conn.send_config_set(["interface Tunnel100", "ip nhrp map 172.16.100.2 198.51.100.2"])
    lab.advance(15)
    assert _static(conn.send_command("show ip nhrp"), "172.16.100.2/32")["created"] == "00:00:15"
