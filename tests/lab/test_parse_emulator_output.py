"""Self-consistency: our own TextFSM parsers read every show command the emulator answers.

For the demo cloud and every example design (not the broken ones) the rendered configs are
loaded, the clock runs a minute, one spoke pings another spoke's LAN (so phase 2/3 build their
spoke-to-spoke entries), then every command of ``SUPPORTED_COMMANDS`` runs on a hub and on the
pinging spoke. Each output must parse (no UnparseableOutput) and give the record counts the design
implies. The parsers are checked against real IOS captures elsewhere (tests/parse); here the
emulator has to print what those parsers, and so real IOS, accept.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dmvpn_ops.intent import load_design
from dmvpn_ops.intent.model import Design, Host, Tunnel
from dmvpn_ops.lab.api import Lab
from dmvpn_ops.parse import SUPPORTED_COMMANDS, UnparseableOutput, parse
from dmvpn_ops.render import render_config

pytestmark = pytest.mark.lab
REPO = Path(__file__).resolve().parents[2]
INVENTORIES = ["inventory"] + sorted(f"inventory/examples/{p.name}" for p in (REPO / "inventory/examples").iterdir()
                                     if p.is_dir() and p.name != "broken")
SECRETS = {"DMVPN_SSH_PASSWORD": "lab-pw-1", "DMVPN_ENABLE_SECRET": "lab-en-1",
           "DMVPN_NHRP_AUTH": "nhrpkey", "DMVPN_PSK": "lab-psk-1"}
# what IOS answers when the routing protocol the command asks about is not configured
NOT_RUNNING = {"show ip eigrp neighbors": "", "show ip ospf neighbor": "", "show ip bgp summary": "% BGP not active"}
# The commands whose record counts the design implies. The parse-only commands (`show ip nhrp traffic`,
# `show crypto ikev2 sa detail`, ...) are checked on real captures in tests/parse; the emulator gains them
# command by command (issue 16), then they join this list.
LAB_COMMANDS = [c for c in SUPPORTED_COMMANDS if c in {
    "show dmvpn", "show dmvpn detail", "show ip nhrp nhs", "show ip nhrp nhs detail", "show ip nhrp",
    "show ip nhrp detail", "show crypto isakmp sa", "show crypto ikev2 sa", "show crypto ipsec sa",
    "show crypto ipsec sa detail", "show crypto session", "show crypto session detail", "show ip eigrp neighbors",
    "show ip ospf neighbor", "show ip bgp summary", "show ip interface brief", "show crypto ikev2 sa detail"}]
ROUTING = {"show ip eigrp neighbors": "eigrp", "show ip ospf neighbor": "ospf", "show ip bgp summary": "bgp"}


@dataclass
class Captured:
    design: Design
    configs: dict[str, str]
    hub: str
    spoke: str
    target: str
    outputs: dict[tuple[str, str], str]
    running: dict[str, str]


def _lan_ip(host: Host) -> str:
    return str(host.lan[0].address.ip)


def _peer_spoke(design: Design, spoke: str) -> str:
    """Another spoke sharing a cloud with ``spoke``."""
    clouds = {t.cloud for t in design.hosts[spoke].tunnels}
    return next(name for name in design.spoke_names
                if name != spoke and clouds & {t.cloud for t in design.hosts[name].tunnels})


@pytest.fixture(scope="module", params=INVENTORIES)
def captured(request: pytest.FixtureRequest) -> Iterator[Captured]:
    for name, value in SECRETS.items():
        os.environ.setdefault(name, value)
    design = load_design(str(REPO / request.param))
    configs = {h: render_config(design, h, reveal_secrets=True) for h in design.hosts}
    hub, spoke = design.hub_names[0], design.spoke_names[0]
    target = _peer_spoke(design, spoke)
    outputs: dict[tuple[str, str], str] = {}
    with Lab(design, ports="free", ssh_hosts=[]) as lab:
        assert lab.configure_many(configs) == {h: [] for h in design.hosts}
        lab.advance(60)
        ping = lab.run(spoke, f"ping {_lan_ip(design.hosts[target])} source {_lan_ip(design.hosts[spoke])}")
        assert "!!!!!" in ping, ping
        lab.advance(5)
        for host in (hub, spoke):
            for command in LAB_COMMANDS:
                outputs[(host, command)] = lab.run(host, command)
        running = {h: lab.running_config(h) for h in (hub, spoke)}
    yield Captured(design, configs, hub, spoke, target, outputs, running)


# --- what the design implies ------------------------------------------------------------------

def _mapped_hubs(cap: Captured, host: Host, tunnel: Tunnel) -> list[Tunnel]:
    """The other hubs of the cloud that ``host`` (a hub) maps statically in its rendered config."""
    return [t for h, t in cap.design.hubs(tunnel.cloud)
            if h.name != host.name and re.search(rf"^ ip nhrp map {t.tunnel_ip} ", cap.configs[host.name], re.M)]


def _shortcut(cap: Captured, host: Host, tunnel: Tunnel) -> int:
    """NHRP entries the spoke-to-spoke ping left on the pinging spoke: D (phase 2), DT1 + DT2 (phase 3).
    Only in the cloud the traffic took: the first one the two spokes share."""
    if host.name != cap.spoke:
        return 0
    shared = [t.cloud for t in host.tunnels if t.cloud in {x.cloud for x in cap.design.hosts[cap.target].tunnels}]
    return {1: 0, 2: 1, 3: 2}[tunnel.spec.phase] if tunnel.cloud == shared[0] else 0


def _peers(cap: Captured, name: str) -> dict[str, int]:
    """Per cloud: NHRP peers (rows), crypto sessions, routing neighbours the design implies."""
    host = cap.design.hosts[name]
    out = {"nhrp": 0, "ikev1": 0, "ikev2": 0, "nhs": 0, "eigrp": 0, "ospf": 0, "bgp": 0}
    for tunnel in host.tunnels:
        hubs = [t for h, t in cap.design.hubs(tunnel.cloud) if h.name != name]
        if host.is_hub:
            adjacent = len(cap.design.spokes(tunnel.cloud)) + len(_mapped_hubs(cap, host, tunnel))
            rows, sessions = adjacent, adjacent
        else:
            short = _shortcut(cap, host, tunnel)
            adjacent, rows, sessions = len(hubs), len(hubs) + short, len(hubs) + (1 if short else 0)
            out["nhs"] += len(hubs)
        out["nhrp"] += rows
        if tunnel.spec.crypto.enabled:
            out[tunnel.spec.crypto.type] += sessions
        out[tunnel.spec.routing.protocol] += adjacent
    return out


def _count(cap: Captured, name: str, command: str) -> int:
    peers = _peers(cap, name)
    if command.startswith(("show dmvpn", "show ip nhrp")) and "nhs" not in command:
        return peers["nhrp"]
    if command.startswith("show ip nhrp nhs"):
        return peers["nhs"]
    if command == "show crypto isakmp sa":
        return peers["ikev1"]
    if command in ("show crypto ikev2 sa", "show crypto ikev2 sa detail"):
        return peers["ikev2"]
    if command.startswith(("show crypto ipsec sa", "show crypto session")):
        return peers["ikev1"] + peers["ikev2"]
    if command in ROUTING:
        return peers[ROUTING[command]]
    if command == "show ip interface brief":
        return len(re.findall(r"^interface ", cap.running[name], re.M))
    raise AssertionError(f"no expectation for {command}")


def _routing_protocols(design: Design, name: str) -> set[str]:
    return {t.spec.routing.protocol for t in design.hosts[name].tunnels}


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["hub", "spoke"])
@pytest.mark.parametrize("command", LAB_COMMANDS)
def test_every_command_parses_with_the_counts_the_cloud_implies(captured: Captured, role: str,
                                                                 command: str) -> None:
    host = captured.hub if role == "hub" else captured.spoke
    text = captured.outputs[(host, command)]
    if command in ROUTING and ROUTING[command] not in _routing_protocols(captured.design, host):
        # IOS: nothing (EIGRP, OSPF) or `% BGP not active` when the protocol is not running
        assert text.strip() == NOT_RUNNING[command], text
        return
    try:
        records = parse(command, text, host=host)
    except UnparseableOutput as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{host}: {exc}\n{text}")
    assert len(records) == _count(captured, host, command), (host, command, records, text)


def test_hub_sees_every_peer_up_and_spoke_nhs_responding(captured: Captured) -> None:
    hub_rows = parse("show dmvpn", captured.outputs[(captured.hub, "show dmvpn")])
    assert {r["state"] for r in hub_rows} == {"UP"}
    nhs = parse("show ip nhrp nhs detail", captured.outputs[(captured.spoke, "show ip nhrp nhs detail")])
    assert nhs and all("R" in r["flags"] for r in nhs), nhs


def test_detail_continuation_rows_keep_the_nbma_address(captured: Captured) -> None:
    """Multi-entry `# Ent` groups: plain and detail agree record for record (NBMA inherited or repeated)."""
    plain = parse("show dmvpn", captured.outputs[(captured.spoke, "show dmvpn")])
    detail = parse("show dmvpn detail", captured.outputs[(captured.spoke, "show dmvpn detail")])
    keys = ("interface", "peer_nbma", "peer_tunnel", "state", "attributes", "ent")
    assert [{k: r[k] for k in keys} for r in plain] == [{k: r[k] for k in keys} for r in detail]
    assert all(r["target_network"] for r in detail)


def _crypto_records(cap: Captured, host: str, command: str) -> list[dict[str, Any]]:
    return parse(command, cap.outputs[(host, command)])


def test_crypto_session_detail_agrees_with_dmvpn_detail(captured: Captured) -> None:
    """The "Crypto Session Details" block of `show dmvpn detail` lists the sessions `show crypto session` does."""
    for host in (captured.hub, captured.spoke):
        sessions = _crypto_records(captured, host, "show crypto session detail")
        text = captured.outputs[(host, "show dmvpn detail")]
        block = text.split("Crypto Session Details:", 1)[1]
        assert block.count("Socket State: Open") == len([s for s in sessions if s["session_status"] == "UP-ACTIVE"])
        for s in sessions:
            # Phase1_id is the identity the peer sent: a NATed spoke's private address, not its public peer
            assert "  IPSEC FLOW: permit 47 host " in block and f"Phase1_id: {s['phase1_id']}" in block
