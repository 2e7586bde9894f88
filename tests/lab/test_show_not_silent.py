"""Meta-test: every show command the EXEC grammar accepts answers with IOS-layout text or IOS's refusal.

It walks the whole show grammar (every expansion of every pattern), fills each argument with a value from the
running lab (a tunnel, a peer's tunnel or NBMA address, ...) and runs it on a hub and a spoke of a converged
cloud. An empty answer fails unless IOS itself prints nothing there: the few cases below, each with the
condition that makes IOS silent, checked against the router's running config.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.lab import syntax_exec
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.lab.cloud.commands import SHOW_COMMANDS
from dmvpn_ops.lab.grammar import expand
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}
# EIGRP (demo), BGP, and OSPF with IPsec: every routing protocol's show commands are walked with a process
INVENTORIES = ["inventory", "inventory/examples/phase3-bgp-dual-cloud", "inventory/examples/ikev1-phase2-ospf"]

# IOS prints nothing at all for these when the condition (a regex that must NOT match the running config) holds:
# no OSPF / EIGRP process -> `show ip ospf|eigrp ...` is silent; no IPv6 -> `show ipv6 interface`; no VRF -> `show vrf`
# no banner -> `show banner motd` (real IOS-XE 16/17 behaviour, see ntc-templates tests/cisco_ios/show_vrf and the OSPF command reference).
# `show vrf detail` too: NAPALM's get_network_instances tests for exactly that empty answer (napalm/ios/ios.py).
SILENT_WHEN_ABSENT = [(r"^show ip ospf( |$)", r"(?m)^router ospf "), (r"^show ip eigrp ", r"(?m)^router eigrp "),
                      (r"^show ipv6 interface$", r"(?m)^ ipv6 address"),
                      (r"^show vrf( detail)?$", r"(?m)^(vrf definition|ip vrf) "), (r"^show banner motd$", r"(?m)^banner motd "),
                      # no ACL -> `show [ip] access-lists [NAME]` (nor a NAME that does not exist; IOS prints nothing)
                      (r"^show (ip )?access-lists( |$)", r"(?m)^(ip )?access-list ")]
# `show ip nhrp shortcut`: nothing without shortcut entries (phase 3 only, after spoke-to-spoke traffic).
NO_ENTRIES = [r"^show ip nhrp shortcut"]


def show_commands() -> list[list[str]]:
    patterns = [p for p, _ in syntax_exec._cloud_patterns(tuple(SHOW_COMMANDS))]
    patterns += [p for p, _, _ in syntax_exec.LOCAL]
    return [seq for p in patterns if p.startswith("show ") for seq in expand(p)]


def concrete(seq: list[str], values: dict[str, str]) -> str:
    out: list[str] = []
    for tok in seq:
        if tok == ";":
            continue
        if tok == "<ip>":
            key = {"nbma": "nbma", "peer": "nbma", "tunnel": "peer_tunnel"}.get(out[-1], "peer_tunnel")
            out.append(values[key])
        else:
            out.append(values.get(tok, tok))
    return " ".join(out)


@pytest.fixture(scope="module", params=INVENTORIES)
def converged(request: pytest.FixtureRequest) -> Iterator[tuple[Lab, dict[str, dict[str, str]]]]:
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / request.param))
    with Lab(design, ports="free") as lab:
        lab.configure_many({h: render_config(design, h, reveal_secrets=True) for h in design.hosts})
        lab.advance(60)
        hub = next(h for h, spec in design.hosts.items() if spec.role == "hub")
        spoke = next(h for h, spec in design.hosts.items() if spec.role == "spoke")
        yield lab, {h: _values(lab, h) for h in (hub, spoke)}


def _values(lab: Lab, host: str) -> dict[str, str]:
    """Argument values from the host's own `show dmvpn` (first peer row) and its first tunnel."""
    dmvpn = lab.run(host, "show dmvpn")
    row = next(ln.split() for ln in dmvpn.splitlines() if re.match(r"^\s+\d+\s+\d+\.", ln))
    tunnel = re.search(r"Interface: (Tunnel\d+)", dmvpn)
    assert tunnel is not None
    return {"<intf>": tunnel.group(1), "nbma": row[1], "peer_tunnel": row[2], "<mask>": "255.255.255.255",
            "<num>": "1", "<word>": "NOSUCHVRF", "<line>": "x", "<file>": "flash:nosuchfile", "<host>": "x"}


def _may_be_silent(command: str, running: str) -> bool:
    if any(re.search(pat, command) for pat in NO_ENTRIES):
        return True
    return any(re.search(cmd, command) and not re.search(conf, running) for cmd, conf in SILENT_WHEN_ABSENT)


def test_the_walk_covers_the_issue_list() -> None:
    walked = {" ".join(t for t in seq if not t.startswith("<")) for seq in show_commands()}
    for cmd in ("show ip interface", "show arp", "show logging", "show ip protocols", "show ip route eigrp",
                "show ip route summary", "show ip eigrp topology", "show ip eigrp interfaces",
                "show ip eigrp neighbors detail", "show ip ospf neighbor detail", "show ip ospf interface brief",
                "show dmvpn interface", "show dmvpn peer nbma", "show ip nhrp brief", "show ip nhrp summary",
                "show ip nhrp traffic", "show ip nhrp nhs", "show crypto isakmp sa detail",
                "show crypto ipsec sa peer", "show crypto ipsec sa interface", "show crypto session brief",
                "show ip bgp", "show bgp ipv4 unicast summary", "show hosts", "show ipv6 interface brief",
                "show inventory", "show memory statistics", "show processes cpu", "show bgp all summary",
                "show ip bgp neighbors", "show interfaces description", "show vrf", "show cdp neighbors"):
        assert cmd in walked, cmd


def test_no_show_command_answers_with_silence(converged: tuple[Lab, dict[str, dict[str, str]]]) -> None:
    lab, values = converged
    silent: list[str] = []
    seen: set[tuple[str, str]] = set()
    for host, vals in values.items():
        running = lab.running_config(host)
        for seq in show_commands():
            command = concrete(seq, vals)
            if (host, command) in seen:
                continue
            seen.add((host, command))
            out = lab.run(host, command)
            assert "internal error" not in out, f"{host}: {command}: {out}"
            if not out.strip() and not _may_be_silent(command, running):
                silent.append(f"{host}: {command}")
    assert not silent, "silent show commands:\n" + "\n".join(silent)


def test_arguments_narrow_the_output(converged: tuple[Lab, dict[str, dict[str, str]]]) -> None:
    lab, values = converged
    host, vals = next(iter(values.items()))
    whole = lab.run(host, "show dmvpn")
    one = lab.run(host, f"show dmvpn peer nbma {vals['nbma']}")
    assert vals["nbma"] in one and len(one.splitlines()) < len(whole.splitlines()) or whole.count("UP") == 1
    assert lab.run(host, f"show dmvpn interface {vals['<intf>']}").startswith("Legend: Attrb")
    entry = lab.run(host, f"show ip route {vals['peer_tunnel']}")
    assert entry.startswith("Routing entry for ")
    assert lab.run(host, "show ip route vrf NOSUCHVRF").strip() == "% IP routing table NOSUCHVRF does not exist"
    assert lab.run(host, "show cdp neighbors").strip() == "% CDP is not enabled"
    ip_if = lab.run(host, f"show ip interface {vals['<intf>']}")
    assert ip_if.splitlines()[0].startswith(f"{vals['<intf>']} is up, line protocol is up")
    assert "  Internet address is " in ip_if


def test_logging_buffer_holds_what_happened(converged: tuple[Lab, dict[str, dict[str, str]]]) -> None:
    lab, values = converged
    hub, spoke = list(values)
    log = lab.run(spoke, "show logging")
    assert log.startswith("Syslog logging: enabled")
    assert re.search(r"(?m)^\*\w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: %DMVPN-5-NHRP_NHS_UP: Tunnel\d+: Next Hop Server", log)
    assert "%LINEPROTO-5-UPDOWN: Line protocol on Interface Tunnel" in log
    routing = lab.running_config(spoke)
    if "crypto ikev2 profile" in routing:
        assert "%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is UP." in log
    if "router eigrp" in routing:
        assert "%DUAL-5-NBRCHANGE: EIGRP-IPv4" in log
    if "router bgp" in routing:
        assert "%BGP-5-ADJCHANGE: neighbor " in log


def test_ping_ip_is_ping(converged: tuple[Lab, dict[str, dict[str, str]]]) -> None:
    lab, values = converged
    spoke, vals = list(values.items())[1]
    out = lab.run(spoke, f"ping ip {vals['peer_tunnel']} source {vals['<intf>']}")
    assert "Success rate is 100 percent (5/5)" in out, out
