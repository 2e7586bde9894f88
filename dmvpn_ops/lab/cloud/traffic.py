"""Packets through the cloud: forwarding along RIBs, phase 2 resolution, phase 3 redirect + shortcut."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import nhrp
from dmvpn_ops.lab.cloud.crypto import negotiate
from dmvpn_ops.lab.cloud.rib import lookup
from dmvpn_ops.lab.cloud.route import Path
from dmvpn_ops.lab.cloud.underlay import nbma, tunnel_up
from dmvpn_ops.lab.cloud.world import Shortcut

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Trip:
    """One packet's journey: routers crossed with the address each was entered on."""

    hops: list[tuple[str, IPv4Address]] = field(default_factory=list)
    delivered: bool = False
    redirects: list[tuple[str, str, IPv4Address]] = field(default_factory=list)  # (spoke, tun, dst)
    resolutions: list[tuple[str, str, str, str]] = field(default_factory=list)   # phase 2 pairs


def owner_of_address(world: World, snap: Snapshot, addr: IPv4Address) -> str | None:
    for host in world.routers():
        for iface in world.conf(host).connected():
            if iface.address and iface.address.ip == addr and (host, iface.name) in snap.up:
                return host
    return None


def live_shortcuts(world: World) -> list[Shortcut]:
    now = world.clock.now()
    return [s for s in world.shortcuts if s.expire_at > now]


def shortcut_prefixes(world: World, host: str) -> Iterator[tuple[Shortcut, IPv4Network]]:
    for sc in live_shortcuts(world):
        if sc.owner == host and sc.shortcut:
            yield from ((sc, p) for p in sc.prefixes)


def _tunnel_peer(world: World, snap: Snapshot, host: str, tun: str,
                 nexthop: IPv4Address) -> str | None:
    """Which router a tunnel next hop maps to via NHRP (static NHS, hub cache, or dynamic entry)."""
    for reg in snap.regs_of(host, tun):
        if reg.nhs.tunnel_ip == nexthop and reg.ok:
            return reg.hub
    for entry in nhrp.hub_entries(world, host, tun):
        if entry.tunnel_ip == nexthop:
            return entry.spoke
    for sc in live_shortcuts(world):
        peer_if = world.conf(sc.peer).interfaces[sc.peer_tunnel].address
        if sc.owner == host and peer_if is not None and peer_if.ip == nexthop:
            return sc.peer
    return None


def _resolve(world: World, snap: Snapshot, host: str, tun: str, nexthop: IPv4Address) -> str | None:
    """Phase 2: the spoke asks its NHS for a spoke next hop; the answer builds a dynamic tunnel."""
    for hub in {r.hub for r in snap.regs_of(host, tun) if r.ok and not r.static}:
        for entry in nhrp.hub_entries(world, hub or "", _hub_tun(snap, host, tun, hub)):
            if entry.tunnel_ip == nexthop and entry.frozen_at is None:
                return entry.spoke
    return None


def _hub_tun(snap: Snapshot, host: str, tun: str, hub: str | None) -> str:
    return next(r.hub_tunnel or "" for r in snap.regs_of(host, tun) if r.hub == hub and not r.static)


def _ingress(world: World, host: str, iface: str | None) -> IPv4Address:
    addr = world.conf(host).interfaces[iface].address if iface else None
    return addr.ip if addr else IPv4Address("0.0.0.0")


def forward(world: World, snap: Snapshot, start: str, dst: IPv4Address, count: int = 1) -> Trip:
    """Follow RIBs hop by hop (at most 30), noting redirects and resolutions on the way."""
    trip, host, came_on, came_from = Trip(), start, None, None
    for _ in range(30):
        if owner_of_address(world, snap, dst) == host:
            trip.delivered = True
            return trip
        route = lookup(snap.ribs.get(host, []), dst)
        if route is None:
            return trip
        override = route.extra.get("override")
        path = override if isinstance(override, Path) else route.paths[0]
        iface, nexthop = path.iface, path.nexthop or dst
        if iface is None or not iface.startswith("Tunnel"):
            return trip
        peer = _tunnel_peer(world, snap, host, iface, nexthop)
        if peer is None and world.conf(host).interfaces[iface].mode_mgre:
            peer = _resolve(world, snap, host, iface, nexthop)
            if peer is not None:
                trip.resolutions.append((host, iface, peer, nexthop.exploded))
                peer = _tunnel_peer(world, snap, host, iface, nexthop) or _via_nhs(snap, host, iface)
        if peer is None:
            return trip
        if came_on == iface and came_from and world.conf(host).interfaces[iface].redirect:
            trip.redirects.append((came_from[0], came_from[1], dst))
        world.traffic[(host, peer)] = world.traffic.get((host, peer), 0) + count
        peer_tun = _peer_tunnel(world, peer, nexthop, iface, host)
        trip.hops.append((peer, _ingress(world, peer, peer_tun)))
        came_from, came_on, host = (host, iface), peer_tun, peer
    return trip


def _via_nhs(snap: Snapshot, host: str, tun: str) -> str | None:
    """While resolving, IOS forwards the data packets through the NHS."""
    return next((r.hub for r in snap.regs_of(host, tun) if r.ok and not r.static), None)


def _peer_tunnel(world: World, peer: str, nexthop: IPv4Address, iface: str, host: str) -> str | None:
    """The peer's tunnel on the same subnet as ours (mGRE clouds share one subnet)."""
    mine = world.conf(host).interfaces[iface].address
    return next((t.name for t in world.conf(peer).tunnels()
                 if t.address and mine and t.address.network == mine.network), None)


def build_dynamic(world: World, owner: str, tun: str, peer: str, prefixes: tuple[IPv4Network, ...],
                  shortcut: bool) -> bool:
    """Install (or refresh) a spoke-to-spoke mapping when IKE between the two succeeds."""
    mine = world.conf(owner).interfaces[tun].address
    peer_tun = next((t.name for t in world.conf(peer).tunnels()
                     if t.address and mine and t.address.network == mine.network), None)
    if peer_tun is None or not tunnel_up(world, peer, peer_tun):
        return False
    if not negotiate(world, owner, tun, peer, peer_tun).ok or nbma(world, peer, peer_tun).public is None:
        return False
    now = world.clock.now()
    hold = world.conf(peer).interfaces[peer_tun].holdtime
    for sc in live_shortcuts(world):
        if sc.owner == owner and sc.peer == peer and sc.shortcut == shortcut:
            sc.prefixes = tuple(dict.fromkeys(sc.prefixes + prefixes))
            if sc.expire_at - now < 120:
                sc.expire_at = now + hold
            return True
    world.shortcuts.append(Shortcut(owner, tun, peer, peer_tun, now, now + hold, shortcut, prefixes))
    return True
