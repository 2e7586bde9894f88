"""Crypto sessions of one router: one per IKE peer (NHS, registered spoke or dynamic spoke peer)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import rekey
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
    child: rekey.Child                  # the IPsec SA pair in use now (re-keyed on the lab clock)
    ike_start: float                    # when the IKE SA in use now was negotiated (its latest re-key)
    local_id: str                       # this end's IKE identity, as it sends it
    remote_id: str                      # the identity the peer sent

    @property
    def up(self) -> bool:
        return self.neg.ok

    @property
    def port(self) -> int:
        return 4500 if self.neg.nat else 500

    def ident(self, *parts: object) -> int:
        a, b = sorted([(self.host, self.tunnel), (self.peer, self.peer_tunnel)])
        return sa_number(a, b, int(self.since), *parts)

    def esp_spi(self, owner: str) -> int:
        """The ESP SPI ``owner`` chose for the current IPsec SA pair: new at every child re-key."""
        return self.ident("esp", owner) if self.child.start == self.since else \
            self.ident("esp", owner, int(self.child.start))

    def ike_spi(self, owner: str) -> int:
        """``owner``'s IKE SPI of the current IKE SA: new at every IKE SA re-key (RFC 7296 section 2.18)."""
        return self.ident("ispi", owner) if self.ike_start == self.since else \
            self.ident("ispi", owner, int(self.ike_start))

    @property
    def conn_id(self) -> int:
        return 1001 + self.ident("conn") % 1000

    @property
    def ike_conn_id(self) -> int:
        """The conn-id of the IKE SA in use: a re-keyed ISAKMP/IKE SA is a new SA with its own id (the
        first one keeps the session's)."""
        return self.conn_id if self.ike_start == self.since else 1001 + self.ident("conn", int(self.ike_start)) % 1000

    @property
    def child_conn_id(self) -> int:
        """The base of the current IPsec SA pair's conn ids (a re-keyed pair is a new flow)."""
        return self.conn_id if self.child.start == self.since else 1001 + self.esp_spi(self.host) % 1000

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
    child = rekey.child(world, (host, tun), (peer, peer_tun), since, prot.ike_version)
    # the peer's end as of now too: either end's IKE SA re-key renews the SA for both
    other = sa_protection(world, peer, peer_tun, host, tun, since) if neg.ok else None
    return Session(host, tun, peer, peer_tun, neg, since, initiator, mine.private, theirs.public, prot, child,
                   _ike_start(world, (host, tun), (peer, peer_tun), since, prot),
                   identity(prot, mine.private), identity(other, theirs.private))


def _ike_start(world: World, me: tuple[str, str], peer: tuple[str, str], since: float, prot: Protection) -> float:
    """When the IKE SA in use was negotiated. IKEv2: its latest re-key, as either end recorded it
    (dpd.Negotiated: the end whose IKE lifetime runs out first re-keys it for both, RFC 7296 section 2.8),
    else ``since``. IKEv1: the expired ISAKMP SA is replaced by the Main Mode the next IPsec re-key needs
    (RFC 2409 section 5.5; the schedule dpd.Held.reauth_after checks the key at)."""
    if prot.ike_version == 1:
        child = max(1, prot.sa_lifetime)
        step = math.ceil(max(1, prot.lifetime) / child) * child
        return since + math.floor(max(0.0, world.clock.now() - since) / step) * step
    starts = [got.at for got in (world.negotiated.get((*me, *peer)), world.negotiated.get((*peer, *me)))
              if got is not None and got.since == since]
    return max(starts, default=since)


def identity(prot: Protection | None, address: IPv4Address | None) -> str:
    """The IKE identity an end sends with the IKE SA negotiated with ``prot``: the IKEv2 profile's
    `identity local address A` (or `fqdn F` / `email E`), else the address of the interface IKE leaves from — the private one behind a NAT
    ("If the local authentication method is a preshared key, the default local identity is the IP address":
    Cisco FlexVPN and IKEv2 Configuration Guide, Configuring the IKEv2 Profile; real capture: a NATed IKEv2
    peer on port 4500 with `Phase1_id: 10.25.20.2`, ntc-templates cisco_ios show_crypto_session_detail_ikev2;
    IKEv1's default `crypto isakmp identity address` is the same interface address)."""
    if prot is not None and prot.identity is not None:
        return prot.identity
    return str(address) if address is not None else ""


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
