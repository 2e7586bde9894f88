"""`ping` picks its routing table as IOS does: the global one, or the VRF's for `ping vrf V` (issue 14).

The front-door VRF example keeps the underlay in VRF INET (Cisco IOS-XE DMVPN configuration guide, "DMVPN:
Front Door VRF"): a hub's NBMA address is reachable from a spoke only through `ping vrf INET`; a global
`ping` finds no route and IOS answers `.....` / `Success rate is 0 percent (0/5)`. Driven over SSH with
netmiko into the emulator after the rendered configs converged.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from ipaddress import IPv4Interface
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.intent import Design, load_design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}
FAILED = "Success rate is 0 percent (0/5)"
PASSED = "Success rate is 100 percent (5/5)"


def _converged(inventory: str) -> tuple[Design, Lab]:
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / inventory))
    lab = Lab(design, ports="free").start()
    lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
    lab.advance(60)
    return design, lab


def _ssh(design: Design, lab: Lab, host: str) -> Any:
    spec = design.hosts[host]
    return ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port(host),
                          username=spec.username, password=spec.password.reveal(),
                          secret=spec.enable_secret.reveal(), conn_timeout=10, auth_timeout=10)


def _hub_nbma(design: Design) -> str:
    hub = next(spec for spec in design.hosts.values() if spec.role == "hub")
    address = hub.underlay[0].address
    assert isinstance(address, IPv4Interface)
    return str(address.ip)


@pytest.fixture(scope="module")
def fvrf() -> Iterator[tuple[Design, Lab]]:
    design, lab = _converged("inventory/examples/fvrf-nat-spoke")
    try:
        yield design, lab
    finally:
        lab.stop()


def test_global_ping_to_an_address_only_in_the_front_door_vrf_fails(fvrf: tuple[Design, Lab]) -> None:
    design, lab = fvrf
    conn = _ssh(design, lab, "branch-nat")
    try:
        out = conn.send_command(f"ping {_hub_nbma(design)}")
        assert "....." in out and FAILED in out, out
        out = conn.send_command(f"ping vrf INET {_hub_nbma(design)}")
        assert "!!!!!" in out and PASSED in out, out
    finally:
        conn.disconnect()


def test_ping_vrf_needs_a_route_in_that_vrf(fvrf: tuple[Design, Lab]) -> None:
    design, lab = fvrf
    conn = _ssh(design, lab, "branch-nat")
    try:
        # the overlay (tunnel addresses) is in the global table: a global ping reaches the hub's tunnel ...
        assert PASSED in conn.send_command("ping 172.16.200.1")
        # ... the front-door VRF has no route into the overlay
        assert FAILED in conn.send_command("ping vrf INET 172.16.200.1")
        # an unknown address in the VRF: the default route leads there, but no router answers
        assert FAILED in conn.send_command("ping vrf INET 198.51.100.99")
    finally:
        conn.disconnect()


def test_global_underlay_still_answers_a_global_ping() -> None:
    design, lab = _converged("inventory")
    try:
        spoke = next(h for h, spec in design.hosts.items() if spec.role == "spoke")
        conn = _ssh(design, lab, spoke)
        try:
            out = conn.send_command(f"ping {_hub_nbma(design)}")
            assert "!!!!!" in out and PASSED in out, out
        finally:
            conn.disconnect()
    finally:
        lab.stop()


def test_traceroute_uses_the_same_table(fvrf: tuple[Design, Lab]) -> None:
    design, lab = fvrf
    conn = _ssh(design, lab, "branch-nat")
    hub = _hub_nbma(design)
    gateway = str(design.hosts["branch-nat"].underlay[0].gateway)
    try:
        # globally: no route, every probe times out
        out = conn.send_command(f"traceroute {hub}", read_timeout=30)
        hops = re.findall(r"(?m)^ +\d+ (.*)$", out)
        assert hops and all(h.split() == ["*", "*", "*"] for h in hops), out
        # in the front-door VRF: the static route's next hop (the ISP gateway), then the hub
        out = conn.send_command(f"traceroute vrf INET {hub}", read_timeout=30)
        assert re.search(rf"(?m)^  1 {re.escape(gateway)} ", out) and re.search(rf"(?m)^  2 {re.escape(hub)} ", out), out
    finally:
        conn.disconnect()
