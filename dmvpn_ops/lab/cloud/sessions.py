"""Crypto sessions of one router: one per IKE peer (NHS, registered spoke or dynamic spoke peer)."""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.crypto import Negotiation, negotiate, protection, sa_number
from dmvpn_ops.lab.cloud.cryptoview import Protection
from dmvpn_ops.lab.cloud.dpd import effective, sa_protection
from dmvpn_ops.lab.cloud.nhrp import reverse
from dmvpn_ops.lab.cloud.traffic import live_shortcuts
from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Session:
    """One IKE/IPsec peering seen from ``host``."""

    host: str
    tunnel: str
    peer: str
    peer_tunnel: str
    neg: Negotiation
    since: float
    initiator: bool
    local: IPv4Address                  # the address this side uses (private behind NAT)
    remote: IPv4Address                 # the address this side talks to (public of the peer)
    prot: Protection

    @property
    def up(self) -> bool:
        return self.neg.ok

    @property
    def port(self) -> int:
        return 4500 if self.neg.nat else 500

    def ident(self, *parts: object) -> int:
        a, b = sorted([(self.host, self.tunnel), (self.peer, self.peer_tunnel)])
        return sa_number(a, b, int(self.since), *parts)

    @property
    def conn_id(self) -> int:
        return 1001 + self.ident("conn") % 1000

    @property
    def fvrf(self) -> str | None:
        return None


def _make(world: World, host: str, tun: str, peer: str, peer_tun: str, neg: Negotiation,
          since: float, initiator: bool) -> Session | None:
    # an up SA shows what it was negotiated with (DPD, lifetimes), a down one the profile as configured
    prot = sa_protection(world, host, tun, peer, peer_tun, since) if neg.ok else protection(world, host, tun)
    mine, theirs = nbma(world, host, tun), nbma(world, peer, peer_tun)
    if prot is None or mine.private is None or theirs.public is None:
        return None
    return Session(host, tun, peer, peer_tun, neg, since, initiator, mine.private, theirs.public, prot)


def sessions(world: World, snap: Snapshot, host: str) -> list[Session]:
    """IKE peers of ``host``, NHS first, then registered spokes, then dynamic spoke peers."""
    out: list[Session] = []
    now = world.clock.now()
    for reg in snap.touching(host):
        neg, held_since = effective(reg, now)
        if neg is None or not neg.protected or reg.hub is None:
            continue
        tracked = world.since(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel))
        since = held_since if held_since is not None else tracked.since if tracked else now
        back = reverse(snap.regs, reg) if reg.static else None
        if back is not None and reg.hub == host:
            continue            # hubs mapping each other: one session, listed from the own mapping
        if reg.spoke == host:
            first = back is None or reg.spoke < reg.hub     # of two hubs, the lower name initiates
            s = _make(world, host, reg.tunnel, reg.hub, reg.hub_tunnel or "", neg, since, first)
        elif reg.hub == host and neg.ok:
            s = _make(world, host, reg.hub_tunnel or "", reg.spoke, reg.tunnel, neg, since, False)
        else:
            s = None
        if s is not None and (s.up or neg.reason not in ("unprotected-peer",)):
            out.append(s)
    seen = set()
    for sc in live_shortcuts(world):
        if sc.owner != host or sc.peer in seen:
            continue
        seen.add(sc.peer)
        neg = negotiate(world, host, sc.tunnel, sc.peer, sc.peer_tunnel)
        s = _make(world, host, sc.tunnel, sc.peer, sc.peer_tunnel, neg, sc.created, True)
        if s is not None and neg.protected:
            out.append(s)
    return out
