"""The DMVPN gate: a hub still sees the spokes it saw, a spoke's NHS answers and its hubs list it UP."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dmvpn_ops.errors import ParseError
from dmvpn_ops.intent import Design
from dmvpn_ops.parse import parse
from dmvpn_ops.parse.facts import DmvpnPeer, NhsRecord

__all__ = ["Expect", "up_peers", "responding_nhs", "spoke_gate", "hub_gate", "expectations", "baseline",
           "gate_command", "gate_host", "hubs_gate"]


@dataclass(frozen=True)
class Expect:
    """A spoke's tunnel address the hub should list UP on one of its tunnel interfaces."""

    hub: str
    interface: str
    spoke: str
    tunnel_ip: str


def up_peers(show_dmvpn: str) -> set[tuple[str, str]]:
    """(interface, peer tunnel address) pairs in state UP; nothing if the output does not parse."""
    try:
        records = parse("show dmvpn", show_dmvpn)
    except ParseError:
        return set()
    return {(r["interface"], r["peer_tunnel"]) for r in records if DmvpnPeer(r).registered}


def responding_nhs(show_nhs: str) -> set[tuple[str, str]]:
    """(interface, NHS address) pairs whose flags include R (responding)."""
    try:
        records = parse("show ip nhrp nhs", show_nhs)
    except ParseError:
        return set()
    return {(r["interface"], r["nhs"]) for r in records if NhsRecord(r).responding}


def spoke_gate(design: Design, spoke: str, show_nhs: str) -> str | None:
    """None when every cloud of ``spoke`` has a responding NHS, else why not."""
    answered = responding_nhs(show_nhs)
    host = design.hosts[spoke]
    for tunnel in host.tunnels:
        wanted = {str(m.tunnel_ip) for m in design.nhs_for(host, tunnel)}
        if not wanted:
            continue
        if not any((tunnel.interface, nhs) in answered for nhs in wanted):
            return f"{tunnel.interface}: no NHS responding (expected one of {', '.join(sorted(wanted))})"
    return None


def hub_gate(show_dmvpn: str, expected: Iterable[Expect]) -> list[Expect]:
    """The expected spokes the hub does not list UP."""
    seen = up_peers(show_dmvpn)
    return [e for e in expected if (e.interface, e.tunnel_ip) not in seen]


def expectations(design: Design, spokes: Iterable[str], hubs: Iterable[str]) -> list[Expect]:
    """What each hub in ``hubs`` should show once ``spokes`` are deployed."""
    usable = set(hubs)
    out: list[Expect] = []
    for spoke in spokes:
        host = design.hosts[spoke]
        for tunnel in host.tunnels:
            nhs = {str(m.tunnel_ip) for m in design.nhs_for(host, tunnel)}
            for hub, hub_tunnel in design.hubs(tunnel.cloud):
                if hub.name in usable and str(hub_tunnel.tunnel_ip) in nhs:
                    out.append(Expect(hub.name, hub_tunnel.interface, spoke, str(tunnel.tunnel_ip)))
    return out


def baseline(hub: str, show_dmvpn: str) -> list[Expect]:
    """Spokes a hub lists UP before its change: it must still list them after."""
    return [Expect(hub, interface, "", peer) for interface, peer in sorted(up_peers(show_dmvpn))]


def gate_command(design: Design, name: str) -> str:
    """What the host's own gate reads: a hub's ``show dmvpn``, a spoke's ``show ip nhrp nhs``."""
    return "show dmvpn" if design.hosts[name].is_hub else "show ip nhrp nhs"


def gate_host(design: Design, name: str, output: str, before: Iterable[Expect], *,
              rotate_secrets: bool = False) -> str | None:
    """The host's own DMVPN gate on its ``gate_command`` output: None when it passes, else why not.

    A spoke passes when every cloud has a responding NHS. A hub passes when it still lists UP every peer it
    listed before its change (``before``: ``baseline``). Rotating a cloud's secrets hub by hub
    (docs/secret-rotation.md) breaks the hub-to-hub tunnel until the last hub has the new values, so the
    other hubs are then left out of a hub's baseline.
    """
    if not design.hosts[name].is_hub:
        return spoke_gate(design, name, output)
    hub_ips = {str(t.tunnel_ip) for hub in design.hosts.values() if hub.is_hub for t in hub.tunnels}
    wanted = [e for e in before if not (rotate_secrets and e.tunnel_ip in hub_ips)]
    missing = hub_gate(output, wanted)
    return _listing(missing[0]) if missing else None


def hubs_gate(design: Design, spoke: str, usable: Iterable[str], show_dmvpn: Callable[[str], str]) -> str | None:
    """The cross-hub half of a spoke's gate: every usable hub it registers with lists it UP.

    ``show_dmvpn(hub)`` gives that hub's current ``show dmvpn`` (a hub that cannot be read lists nobody).
    """
    expects = expectations(design, [spoke], usable)
    for hub in sorted({e.hub for e in expects}):
        missing = hub_gate(show_dmvpn(hub), [e for e in expects if e.hub == hub])
        if missing:
            return _listing(missing[0])
    return None


def _listing(miss: Expect) -> str:
    return f"{miss.hub} does not list {miss.tunnel_ip} UP on {miss.interface}"
