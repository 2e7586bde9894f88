"""Output filters over real SSH (netmiko): the exact filtered commands the Ansible cisco.ios fact modules send
(`| section ^interface`, `| include ^ip route .+ |^ipv6 route .+`, ...) and IOS's `_` regex wildcard."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab


def _hub(lab: Lab, design: Design, connect: Callable[..., Any]) -> tuple[Any, list[str]]:
    lab.configure("hub1", render_config(design, "hub1", reveal_secrets=True))
    conn = connect("hub1")
    conn.enable()
    full = conn.send_command("show running-config").splitlines()
    return conn, full


def test_section_anchored_interface(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    conn, full = _hub(lab, design, connect)
    got = conn.send_command("show running-config | section ^interface").splitlines()
    headers = [ln for ln in got if not ln.startswith(" ")]
    assert headers == [ln for ln in full if ln.startswith("interface ")] and len(headers) >= 3
    assert all(ln.startswith("interface ") for ln in headers)
    tunnel = design.hosts["hub1"].tunnels[0]
    start = got.index(f"interface {tunnel.interface}") + 1
    block = got[start:next((i for i in range(start, len(got)) if not got[i].startswith(" ")), len(got))]
    assert f" ip address {tunnel.tunnel_ip} 255.255.255.0" in block


def test_include_with_alternation_and_spaces(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    conn, full = _hub(lab, design, connect)
    got = conn.send_command("show running-config | include ^ip route .+ |^ipv6 route .+").splitlines()
    assert got == [ln for ln in full if ln.startswith(("ip route ", "ipv6 route "))] and got
    acl = conn.send_command("show running-config | include ^interface|ip access-group|ipv6 traffic-filter")
    assert acl.splitlines() == [ln for ln in full if ln.startswith("interface ")]


def test_underscore_is_the_ios_delimiter_wildcard(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    conn, full = _hub(lab, design, connect)
    mtu = [ln for ln in full if ln == " ip mtu 1400"]
    assert mtu, "the hub tunnel sets ip mtu 1400"
    assert conn.send_command("show running-config | include _1400$").splitlines() == mtu
    assert conn.send_command("show running-config | include mtu_1400").splitlines() == mtu
    assert conn.send_command("show running-config | include _400$").strip() == ""   # 1400: no delimiter before 400
    # `^_` : the start, then the leading space as the delimiter (a literal `_` would count 0)
    assert conn.send_command("show running-config | count ^_ip mtu_").strip() == \
        f"Number of lines which match regexp = {len(mtu)}"


def test_section_include_and_exclude_are_keywords(lab: Lab, design: Design, connect: Callable[..., Any]) -> None:
    conn, full = _hub(lab, design, connect)
    plain = conn.send_command("show running-config | section nhrp").splitlines()
    assert plain and any("nhrp" in ln for ln in plain)
    # `include` is the default filter, not part of the regex (no line reads "include nhrp")
    assert conn.send_command("show running-config | section include nhrp").splitlines() == plain
    assert conn.send_command("show running-config | sec in nhrp").splitlines() == plain
    # `exclude`: the sections with no matching line, whole; the tunnel (which has NHRP lines) is gone
    tunnel = design.hosts["hub1"].tunnels[0].interface
    got = conn.send_command("show running-config | section exclude nhrp").splitlines()
    assert f"interface {tunnel}" not in got and not any("nhrp" in ln for ln in got)
    start = full.index("interface GigabitEthernet1")
    block = full[start:next(i for i in range(start + 1, len(full)) if not full[i].startswith(" "))]
    at = got.index("interface GigabitEthernet1")
    assert got[at:at + len(block)] == block
    assert conn.send_command("show running-config | section exclude .").strip() == ""
