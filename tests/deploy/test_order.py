"""Brownfield order on small configs: what IOS needs, what it removes, what the intent replaced, what is not ours."""
from __future__ import annotations

from dmvpn_ops.deploy.order import foreign_lines, order_lines, replaced_by_intent
from dmvpn_ops.deploy.remediation import remediate

RUNNING = """hostname spoke
interface GigabitEthernet1
 ip address 192.168.1.10 255.255.255.0
 ip nat outside
interface Tunnel200
 ip address 172.16.200.11 255.255.255.0
 tunnel source GigabitEthernet1
 tunnel protection ipsec profile OLD-IPSEC
router ospf 1
 default-information originate
ip route 0.0.0.0 0.0.0.0 192.168.1.1
"""
INTENDED = """hostname spoke
vrf definition INET
 address-family ipv4
 exit-address-family
crypto ipsec profile NEW-IPSEC
 set transform-set TS
interface GigabitEthernet1
 vrf forwarding INET
 ip address 192.168.1.10 255.255.255.0
interface Tunnel200
 ip address 172.16.200.11 255.255.255.0
 tunnel source GigabitEthernet1
 tunnel vrf INET
 tunnel protection ipsec profile NEW-IPSEC
router ospf 1
 network 172.16.200.0 0.0.0.255 area 0
ip route vrf INET 0.0.0.0 0.0.0.0 192.168.1.1
"""


def _stripped(lines: tuple[str, ...]) -> list[str]:
    return [ln.strip() for ln in lines]


def test_fvrf_move_in_the_order_ios_needs() -> None:
    commands = _stripped(remediate(RUNNING, INTENDED).commands)
    assert commands.index("vrf definition INET") < commands.index("vrf forwarding INET")
    # IOS drops the address on `vrf forwarding`: it is sent again right after it
    assert commands[commands.index("vrf forwarding INET") + 1] == "ip address 192.168.1.10 255.255.255.0"
    assert commands.index("crypto ipsec profile NEW-IPSEC") < commands.index(
        "tunnel protection ipsec profile NEW-IPSEC")
    assert commands.index("network 172.16.200.0 0.0.0.255 area 0") < commands.index("interface Tunnel200")
    assert commands[-1] == "no ip route 0.0.0.0 0.0.0.0 192.168.1.1"  # after the VRF route exists


def test_lines_dmvpn_ops_does_not_own_stay() -> None:
    commands = _stripped(remediate(RUNNING, INTENDED).commands)
    assert "no ip nat outside" not in commands and "no default-information originate" not in commands
    assert "no tunnel protection ipsec profile OLD-IPSEC" not in commands  # replaced in place, no gap


def test_rollback_re_applies_the_address_and_never_shuts_the_underlay() -> None:
    rollback = _stripped(remediate(RUNNING, INTENDED.replace(
        " ip address 192.168.1.10 255.255.255.0\ninterface Tunnel200",
        " ip address 192.168.1.10 255.255.255.0\n no shutdown\ninterface Tunnel200")).rollback)
    assert rollback[rollback.index("no vrf forwarding INET") + 1] == "ip address 192.168.1.10 255.255.255.0"
    assert "shutdown" not in rollback
    assert rollback.index("no ip route vrf INET 0.0.0.0 0.0.0.0 192.168.1.1") < rollback.index(
        "no vrf definition INET")


def test_helpers() -> None:
    assert replaced_by_intent("ip route 0.0.0.0 0.0.0.0 10.0.0.1", ["ip route vrf X 0.0.0.0 0.0.0.0 10.0.0.1"])
    assert not replaced_by_intent("ip route 0.0.0.0 0.0.0.0 10.0.0.1", ["ip route vrf X 0.0.0.0 0.0.0.0 10.0.0.2"])
    assert foreign_lines("interface Tunnel1", ["ip ospf 1 area 0"], []) == []  # tunnels are owned whole
    assert foreign_lines("interface Gi1", ["ip address 1.1.1.1 255.0.0.0", "ip nat outside"],
                         ["ip address 2.2.2.2 255.0.0.0"]) == ["ip nat outside"]
    assert order_lines(["interface Tunnel1", " tunnel protection ipsec profile P", "crypto ipsec profile P",
                        " set transform-set T"], "") == (
        "crypto ipsec profile P", " set transform-set T", "interface Tunnel1", " tunnel protection ipsec profile P")
