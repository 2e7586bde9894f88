"""Third-party fidelity: Cisco Genie's own IOS-XE parsers read the emulator's output over SSH.

The emulator is only worth something if tools that never heard of it parse what it prints;
this drives a real netmiko session and hands the text to Genie's parsers unchanged.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from genie.conf.base import Device

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
SPOKES = ("spoke1", "spoke2", "spoke3", "spoke4")


@pytest.fixture(scope="module")
def outputs(design: Design) -> dict[tuple[str, str], str]:
    """Show outputs of the converged demo cloud after one phase-3 spoke-to-spoke ping, via netmiko."""
    from netmiko import ConnectHandler

    commands = {"hub1": ["show dmvpn", "show ip nhrp", "show crypto ikev2 sa", "show crypto ipsec sa",
                         "show ip eigrp neighbors", "show crypto session detail", "show ip interface brief",
                         "show interfaces Tunnel100", "show version"],
                "spoke1": ["show dmvpn", "show ip nhrp nhs", "show ip nhrp nhs detail", "show ip route",
                           ]}
    collected: dict[tuple[str, str], str] = {}
    with Lab(design, ports="free") as lab:
        for host in design.hosts:
            assert lab.configure(host, render_config(design, host, reveal_secrets=True)) == []
        lab.advance(60)
        for host, cmds in commands.items():
            spec = design.hosts[host]
            conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port(host),
                                  username=spec.username, password=spec.password.reveal(),  # type: ignore[union-attr]
                                  secret=spec.enable_secret.reveal())  # type: ignore[union-attr]
            conn.enable()
            if host == "spoke1":
                assert "!!!!!" in conn.send_command("ping 10.1.2.1 source 10.1.1.1")
            for cmd in cmds:
                collected[(host, cmd)] = conn.send_command(cmd)
            conn.disconnect()
    return collected


def genie(outputs: dict[tuple[str, str], str], host: str, command: str) -> Any:
    device = Device(host, os="iosxe")
    device.custom.setdefault("abstraction", {})["order"] = ["os"]
    return device.parse(command, output=outputs[(host, command)])


def test_show_dmvpn_hub_sees_every_spoke_up(outputs: Callable[..., Any]) -> None:
    tunnel = genie(outputs, "hub1", "show dmvpn")["interfaces"]["Tunnel100"]
    assert tunnel["type"] == "Hub" and tunnel["nhrp_peers"] == 5      # 4 spokes + hub2 (static map)
    peers = {addr: attrs for ent in tunnel["ent"].values() for nbma in ent["peers"].values()
             for addr, attrs in nbma["tunnel_addr"].items()}
    assert set(peers) == {"172.16.100.11", "172.16.100.12", "172.16.100.13", "172.16.100.14", "172.16.100.2"}
    assert set(peers["172.16.100.2"]["attrb"]) == {"S"}
    assert all(entry["state"] == "UP" for attrs in peers.values() for entry in attrs["attrb"].values())


def test_show_dmvpn_spoke_has_phase3_shortcut(outputs) -> None:
    tunnel = genie(outputs, "spoke1", "show dmvpn")["interfaces"]["Tunnel100"]
    attributes = {attr for ent in tunnel["ent"].values() for nbma in ent["peers"].values()
                  for addrs in nbma["tunnel_addr"].values() for attr in addrs["attrb"]}
    assert "S" in attributes and {"DT1", "DT2"} & attributes


def test_show_ip_nhrp_registrations(outputs) -> None:
    parsed = genie(outputs, "hub1", "show ip nhrp")
    dynamic = [p for p, entry in parsed.items() for v in entry["via"].values() if v["type"] == "dynamic"]
    assert sorted(dynamic) == [f"172.16.100.1{i}/32" for i in range(1, 5)]


def test_show_ip_nhrp_nhs(outputs) -> None:
    for command in ("show ip nhrp nhs", "show ip nhrp nhs detail"):
        nhs = genie(outputs, "spoke1", command)["Tunnel100"]["nhs_ip"]
        assert {ip: entry["nhs_state"] for ip, entry in nhs.items()} == {
            "172.16.100.1": "RE", "172.16.100.2": "RE"}


def test_show_crypto_ikev2_and_ipsec(outputs) -> None:
    ikev2 = genie(outputs, "hub1", "show crypto ikev2 sa")["ipv4"]
    assert len(ikev2) == 5 and {sa["status"] for sa in ikev2.values()} == {"READY"}   # spokes + hub2
    ipsec = genie(outputs, "hub1", "show crypto ipsec sa")["interface"]["Tunnel100"]
    assert len(ipsec["ident"]) == 5


def test_show_ip_eigrp_neighbors(outputs) -> None:
    parsed = genie(outputs, "hub1", "show ip eigrp neighbors")
    interfaces = parsed["eigrp_instance"]["100"]["vrf"]["default"]["address_family"]["ipv4"]["eigrp_interface"]
    assert set(interfaces["Tunnel100"]["eigrp_nbr"]) == {f"172.16.100.1{i}" for i in range(1, 5)} | {"172.16.100.2"}


def test_show_ip_route_and_interfaces(outputs) -> None:
    routes = genie(outputs, "spoke1", "show ip route")["vrf"]["default"]["address_family"]["ipv4"]["routes"]
    assert "10.1.2.0/24" in routes and "0.0.0.0/0" in routes
    brief = genie(outputs, "hub1", "show ip interface brief")["interface"]
    assert brief["Tunnel100"]["ip_address"] == "172.16.100.1" and brief["Tunnel100"]["status"] == "up"
    tunnel = genie(outputs, "hub1", "show interfaces Tunnel100")["Tunnel100"]
    assert tunnel["line_protocol"] == "up"
    assert genie(outputs, "hub1", "show version")["version"]["hostname"] == "hub1"


def test_show_crypto_session_detail(outputs) -> None:
    parsed = genie(outputs, "hub1", "show crypto session detail")
    assert parsed["interface"]["Tunnel100"]["session_status"] == "UP-ACTIVE"
