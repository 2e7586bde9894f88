"""IKE/IPsec between two tunnel endpoints: protection, negotiation outcome, SA identifiers."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import reach
from dmvpn_ops.lab.cloud.cryptoview import Protection
from dmvpn_ops.lab.cloud.faults import wrong_psk
from dmvpn_ops.lab.cloud.underlay import Nbma, nbma, reachable

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World

HELLO = 5.0          # EIGRP/OSPF hello-ish keepalive traffic through the SA, one packet per 5 s


@dataclass(frozen=True)
class Negotiation:
    """Outcome of IKE + IPsec between an initiator and a responder tunnel."""

    protected: bool
    ok: bool
    reason: str = ""          # "", "unreachable", "unprotected-peer", "shared", "psk", "proposal", "transform"
    version: int = 0
    mode: str = ""            # "Transport" | "Tunnel" (+ " UDP-Encaps" behind NAT)
    nat: bool = False
    prot: Protection | None = None


def protection(world: World, host: str, tunnel: str) -> Protection | None:
    """The tunnel's IPsec protection, with the wrong-psk fault applied."""
    iface = world.conf(host).interfaces.get(tunnel)
    prot = world.conf(host).crypto.protection(iface.protection if iface else None)
    if prot is not None and world.faults.has(host, "wrong-psk"):
        prot = replace(prot, psk=wrong_psk(prot.psk), keys=tuple((n, wrong_psk(k)) for n, k in prot.keys))
    return prot


def negotiate(world: World, a: str, a_tun: str, b: str, b_tun: str) -> Negotiation:
    """IKE between ``a`` (initiator) and ``b``: both must protect, keys and proposals must match."""
    pa, pb = protection(world, a, a_tun), protection(world, b, b_tun)
    nat = nbma(world, a, a_tun).nat or nbma(world, b, b_tun).nat
    routed = reachable(world, a, a_tun, b, b_tun) and reach.path(world, a, a_tun, b, b_tun)
    if pa is None and pb is None:
        return Negotiation(False, routed)
    version = (pa or pb).ike_version  # type: ignore[union-attr]
    if not routed:
        return Negotiation(True, False, "unreachable", version, nat=nat, prot=pa or pb)
    if reach.unshared(world, a, a_tun) or reach.unshared(world, b, b_tun):
        return Negotiation(True, False, "shared", version, nat=nat, prot=pa or pb)
    if pa is None or pb is None or pa.ike_version != pb.ike_version:
        return Negotiation(True, False, "unprotected-peer", version, nat=nat, prot=pa or pb)
    if not pa.proposals & pb.proposals:
        return Negotiation(True, False, "proposal", version, nat=nat, prot=pa)
    ea, eb = nbma(world, a, a_tun), nbma(world, b, b_tun)
    if pa.key_for(eb.public) != pb.key_for(ea.public):  # each side's key for the other's address
        return Negotiation(True, False, "psk", version, nat=nat, prot=pa)
    if not set(pa.transforms) & set(pb.transforms):
        return Negotiation(True, False, "transform", version, nat=nat, prot=pa)
    mode = "Transport" if pa.mode == pb.mode == "transport" else "Tunnel"
    return Negotiation(True, True, "", version, mode + (" UDP-Encaps" if nat else ""), nat, pa)


def sa_number(*parts: object, bits: int = 32) -> int:
    """A stable pseudo-random identifier (SPI, cookie) for one SA incarnation."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % (1 << bits) or 1


def transform_text(prot: Protection | None) -> str:
    """IOS prints the negotiated transform as e.g. ``esp-256-aes esp-sha256-hmac``."""
    names = list(prot.transforms[0]) if prot else ["esp-aes", "esp-sha-hmac"]
    out: list[str] = []
    for i, t in enumerate(names):
        if t in ("esp-aes", "esp-gcm") and i + 1 < len(names) and names[i + 1].isdigit():
            out.append(f"esp-{names[i + 1]}-{t[4:]}")
        elif t.isdigit():
            continue
        else:
            out.append("esp-128-aes" if t == "esp-aes" else t)
    return " ".join(out)


def packets(world: World, since: float, src: str, dst: str, hold: int) -> int:
    """Packets one side encapsulated towards the other since the SA came up."""
    age = max(0.0, world.clock.now() - since)
    return int(age // HELLO) + int(age // max(1.0, hold / 3)) + 1 + world.traffic.get((src, dst), 0)


def endpoints(world: World, a: str, a_tun: str, b: str, b_tun: str) -> tuple[Nbma, Nbma]:
    return nbma(world, a, a_tun), nbma(world, b, b_tun)
