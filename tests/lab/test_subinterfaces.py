"""802.1Q sub-interfaces over real SSH (netmiko): a brownfield `interface GigabitEthernet2.10` block loads,
prints in IOS's order, and `ip address` before `encapsulation dot1Q` is refused with IOS's own three lines."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dmvpn_ops.deploy.push import ios_error
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lab.checks import SUBIF_NO_ENCAP

pytestmark = pytest.mark.lab


def _block(conn: Any, name: str) -> list[str]:
    lines = conn.send_command("show running-config").splitlines()
    start = lines.index(f"interface {name}")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


def test_brownfield_subinterface_loads_in_ios_order(lab: Lab, connect: Callable[..., Any]) -> None:
    # typed with the address first would be refused: a real config (IOS's own order) has the encapsulation first
    refused = lab.configure("hub1", "interface GigabitEthernet2.10\n description users vlan 10\n"
                                    " encapsulation dot1q 10\n ip address 10.77.10.1 255.255.255.0\n"
                                    "interface GigabitEthernet2.20\n encapsulation dot1Q 20 native\n")
    assert refused == []
    conn = connect("hub1")
    conn.enable()
    assert _block(conn, "GigabitEthernet2.10") == [
        "interface GigabitEthernet2.10", " description users vlan 10", " encapsulation dot1Q 10",
        " ip address 10.77.10.1 255.255.255.0"]
    # show interfaces names the VLAN as IOS does
    assert "  Encapsulation 802.1Q Virtual LAN, Vlan ID  10." in \
        conn.send_command("show interfaces GigabitEthernet2.10").splitlines()
    # a sub-interface prints no `negotiation auto` (only the physical port does)
    assert _block(conn, "GigabitEthernet2.20") == [
        "interface GigabitEthernet2.20", " encapsulation dot1Q 20 native", " no ip address"]


def test_address_before_encapsulation_is_refused_as_ios_does(lab: Lab, connect: Callable[..., Any]) -> None:
    conn = connect("hub1")
    conn.enable()
    out = conn.send_config_set(["interface GigabitEthernet2.10", "ip address 10.77.10.1 255.255.255.0"])
    assert "(config-subif)#" in out
    assert "% Configuring IP routing on a LAN subinterface is only allowed if that \n" \
           "subinterface is already configured as part of an IEEE 802.10, IEEE 802.1Q, \n" \
           "or ISL vLAN." in out.replace("\r", "")
    assert f"255.255.255.0\n\n{SUBIF_NO_ENCAP}\n\nhub1(config-subif)#" in out.replace("\r", "")  # the capture's empty lines
    assert ios_error(out) is not None          # deploy's refusal patterns see it
    assert " ip address 10.77.10.1 255.255.255.0" not in _block(conn, "GigabitEthernet2.10")
    out = conn.send_config_set(["interface GigabitEthernet2.10", "encapsulation dot1Q 10",
                                "ip address 10.77.10.1 255.255.255.0"])
    assert ios_error(out) is None, out
    assert " ip address 10.77.10.1 255.255.255.0" in _block(conn, "GigabitEthernet2.10")
    # `ip address dhcp` is not constrained (the YANG model's must is on the primary static address only)
    assert lab.configure("hub1", "interface GigabitEthernet2.50\n ip address dhcp\n") == []
    # a physical interface needs no encapsulation, as the capture's physical port took it
    assert lab.configure("hub1", "interface GigabitEthernet4\n ip address 10.77.99.1 255.255.255.0\n") == []


@pytest.mark.parametrize("line, answer", [
    ("encapsulation dot1Q 4095", "% Invalid input detected at '^' marker."),
    ("encapsulation dot1Q 0", "% Invalid input detected at '^' marker."),
    ("encapsulation dot1Q", "% Incomplete command."),
])
def test_vlan_range_is_ios_xe_s(lab: Lab, connect: Callable[..., Any], line: str, answer: str) -> None:
    conn = connect("hub1")
    conn.enable()
    out = conn.send_config_set(["interface GigabitEthernet2.30", line])
    assert answer in out
    assert not any(ln.startswith(" encapsulation") for ln in _block(conn, "GigabitEthernet2.30"))


def test_no_encapsulation_removes_it(lab: Lab, connect: Callable[..., Any]) -> None:
    assert lab.configure("hub1", "interface GigabitEthernet2.40\n encapsulation dot1Q 40\n") == []
    conn = connect("hub1")
    conn.enable()
    conn.send_config_set(["interface GigabitEthernet2.40", "no encapsulation dot1q"])
    assert _block(conn, "GigabitEthernet2.40") == ["interface GigabitEthernet2.40", " no ip address"]
