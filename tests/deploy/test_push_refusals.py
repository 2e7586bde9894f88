"""Lines that parse but that IOS refuses (missing or in-use objects, bad addresses) fail the push.

The strict emulator answers them with IOS's own texts (dmvpn_ops/lab/checks.py); deploy must see each as a
rejected line, over real SSH with netmiko, or a refused line would pass unnoticed and never be rolled back.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from dmvpn_ops.deploy.push import PushFailed, push_lines
from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Design]]:
    """hub1 of the demo cloud, deployed, with an enabled netmiko session."""
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / "inventory"))
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        spec = design.hosts["hub1"]
        assert spec.password is not None and spec.enable_secret is not None
        conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=lab.port("hub1"),
                              username=spec.username, password=spec.password.reveal(),
                              secret=spec.enable_secret.reveal(), conn_timeout=10, auth_timeout=10)
        conn.enable()
        yield conn, design
        conn.disconnect()


def _profile(conn: Any) -> str:
    """The IPsec profile hub1's tunnel uses (in use, so IOS refuses to delete it)."""
    line = next(line for line in conn.send_command("show running-config").splitlines()
                if line.strip().startswith("tunnel protection ipsec profile"))
    return line.split()[4]


CASES = {
    "missing VRF": ["interface Loopback71", " vrf forwarding NOSUCHVRF"],
    "missing IPsec profile": ["interface Tunnel71", " tunnel protection ipsec profile NOSUCHPROFILE"],
    # IOS-XE's IKEv2 answers (% No Proposal exists ..., % fvrf X not configured, % Invalid keyring X)
    "missing IKEv2 proposal": ["crypto ikev2 policy POL71", " proposal NOSUCHPROP"],
    "missing IKEv2 front-door VRF": ["crypto ikev2 policy POL71", " match fvrf NOSUCHVRF"],
    "missing IKEv2 keyring": ["crypto ikev2 profile IKE71", " keyring local NOSUCHKR"],
    # a new IKEv2 profile prints IOS's reminder first (accepted); the missing inside VRF is the refusal
    "missing IKEv2 inside VRF": ["crypto ikev2 profile IKE75", " ivrf NOSUCHVRF"],
    # `X is linked to a VRF. Enable IPv4 on that VRF first` (ansible/ansible#26725)
    "address in a VRF without IPv4": ["vrf definition NOAF76", "interface Loopback76", " vrf forwarding NOAF76",
                                      " ip address 10.76.0.1 255.255.255.255"],
    "bad mask": ["interface Loopback72", " ip address 10.71.0.1 255.0.255.0"],
    "BGP neighbour without remote-as": ["router bgp 65071", " neighbor 10.71.1.1 description x"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_line_fails_the_push_naming_it(hub: tuple[Any, Design], case: str) -> None:
    conn, _ = hub
    lines = CASES[case]
    with pytest.raises(PushFailed) as failed:
        push_lines(conn, lines, timeout=20)
    assert failed.value.line == lines[-1].strip(), failed.value
    assert failed.value.accepted == len(lines) - 1


def test_deleting_an_in_use_profile_fails_the_push(hub: tuple[Any, Design]) -> None:
    conn, _ = hub
    profile = _profile(conn)
    with pytest.raises(PushFailed) as failed:
        push_lines(conn, [f"no crypto ipsec profile {profile}"], timeout=20)
    assert "in use" in failed.value.message
    assert f"crypto ipsec profile {profile}" in conn.send_command("show running-config")


def test_deleting_an_in_use_ikev2_proposal_fails_the_push(hub: tuple[Any, Design]) -> None:
    """`% Cannot remove as proposal is in use.` (IOS-XE's text names no user) is a refusal too."""
    conn, _ = hub
    proposal = next(line.split()[1] for line in conn.send_command("show running-config").splitlines()
                    if line.startswith(" proposal "))
    with pytest.raises(PushFailed) as failed:
        push_lines(conn, [f"no crypto ikev2 proposal {proposal}"], timeout=20)
    assert failed.value.message == "% Cannot remove as proposal is in use."
    assert f"crypto ikev2 proposal {proposal}" in conn.send_command("show running-config")


def test_a_proposal_the_policy_lists_already_is_not_a_refusal(hub: tuple[Any, Design]) -> None:
    """IOS accepts a proposal the IKEv2 policy lists already and says so; the push goes on."""
    conn, _ = hub
    running = conn.send_command("show running-config").splitlines()
    at = next(i for i, line in enumerate(running) if line.startswith(" proposal "))
    policy = next(line for line in reversed(running[:at]) if line.startswith("crypto ikev2 policy "))
    lines = [policy, running[at], "interface Loopback74", " description after-the-notice"]
    output, _ = push_lines(conn, lines, timeout=20)
    assert "% Policy already has same proposal set" in output
    assert " description after-the-notice" in conn.send_command("show running-config")


def test_a_vrf_notice_is_not_a_refusal(hub: tuple[Any, Design]) -> None:
    """`vrf forwarding` prints that it removed the address: IOS accepted the line, the push goes on."""
    conn, _ = hub
    lines = ["vrf definition NOTICE71", " address-family ipv4", " exit-address-family",
             "interface Loopback73", " ip address 10.73.0.1 255.255.255.255", " vrf forwarding NOTICE71"]
    output, _ = push_lines(conn, lines, timeout=20)
    assert "removed due to enabling VRF" in output


def test_notices_of_accepted_lines_are_not_refusals(hub: tuple[Any, Design]) -> None:
    """A new IKEv2 profile's reminder and a protected tunnel's mode warning: IOS applied both lines, the push goes
    on to the end and every line is in the running config."""
    conn, _ = hub
    profile = _profile(conn)
    lines = ["crypto ikev2 profile IKE77", " match identity remote any",
             "interface Loopback77", " ip address 10.77.0.1 255.255.255.255",
             "interface Tunnel77", " tunnel source Loopback77", f" tunnel protection ipsec profile {profile}",
             " tunnel mode gre multipoint", " description after-the-warning"]
    output, _ = push_lines(conn, lines, timeout=20)
    assert "IKEv2 profile MUST have:" in output
    assert "%WARNING: The tunnel mode has been modified while the tunnel protection is already active." in output
    running = conn.send_command("show running-config")
    assert "crypto ikev2 profile IKE77\n match identity remote any\n" in running
    assert re.search(r"^interface Tunnel77\n(?: .*\n)* tunnel mode gre multipoint\n", running, re.M)
    assert " description after-the-warning" in running
