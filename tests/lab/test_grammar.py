"""IOS grammar: abbreviations, canonical forms, and the three IOS error kinds (no SSH)."""
from __future__ import annotations

import pytest

from dmvpn_ops.lab.grammar import Match, SyntaxError_
from dmvpn_ops.lab.ifnames import normalise_interface
from dmvpn_ops.lab.syntax_config import grammar as config_grammar
from dmvpn_ops.lab.syntax_exec import grammar as exec_grammar


@pytest.mark.parametrize("typed, canonical", [
    ("sh run", "show running-config"),
    ("sh dmvpn", "show dmvpn"),
    ("sh ip nhrp nhs", "show ip nhrp nhs"),
    ("sh ip int br", "show ip interface brief"),
    ("show dmvpn int tu100 det", "show dmvpn interface Tunnel100 detail"),
    ("sh ip nhrp nhs tunnel 100", "show ip nhrp nhs Tunnel100"),
    ("ping 10.1.2.1 so 10.1.1.1 rep 5", "ping 10.1.2.1 source 10.1.1.1 repeat 5"),
    ("conf t", "configure terminal"),
    ("copy run start", "copy running-config startup-config"),
])
def test_exec_abbreviations_expand(typed: str, canonical: str) -> None:
    got = exec_grammar(True).parse(typed)
    assert isinstance(got, Match) and got.text == canonical


@pytest.mark.parametrize("typed, kind, pos", [
    ("sh i", "ambiguous", 3), ("show foo", "invalid", 5), ("conf", "incomplete", 4),
])
def test_exec_errors(typed: str, kind: str, pos: int) -> None:
    assert exec_grammar(True).parse(typed) == SyntaxError_(kind, pos)


def test_user_mode_hides_privileged_commands() -> None:
    assert exec_grammar(False).parse("show running-config") == SyntaxError_("invalid", 5)


@pytest.mark.parametrize("typed, canonical", [
    ("int tu100", "interface Tunnel100"),
    ("int Tunnel 100", "interface Tunnel100"),
    ("int gi1", "interface GigabitEthernet1"),
    ("crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",
     "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac"),
])
def test_config_abbreviations(typed: str, canonical: str) -> None:
    got = config_grammar("config").parse(typed)
    assert isinstance(got, Match) and got.text == canonical


def test_config_line_key_identifies_single_valued_lines() -> None:
    got = config_grammar("config-if").parse("ip nhrp nhs 172.16.100.1 nbma 198.51.100.1 multicast")
    assert isinstance(got, Match) and got.key == ("ip", "nhrp", "nhs", "172.16.100.1")


def test_interface_names() -> None:
    assert normalise_interface("tu100") == "Tunnel100"
    assert normalise_interface("Gi0/0/1") == "GigabitEthernet0/0/1"
    assert normalise_interface("lo 0") == "Loopback0"
    assert normalise_interface("bogus1") is None


@pytest.mark.parametrize("typed, name", [
    ("Tunnel2147483647", "Tunnel2147483647"), ("tu007", "Tunnel7"), ("Lo0", "Loopback0"), ("Vlan4094", "Vlan4094"),
    ("Gi0/0/0", "GigabitEthernet0/0/0"), ("Ethernet0/0.100", "Ethernet0/0.100"),
    ("Tunnel2147483648", None), ("Loopback1/0", None), ("Vlan0", None), ("Port-channel513", None),
    ("GigabitEthernet01", None), ("Tunnel\u0661", None),   # IOS reads ASCII digits only
])
def test_interface_numbers_are_ranged(typed: str, name: str | None) -> None:
    assert normalise_interface(typed) == name
