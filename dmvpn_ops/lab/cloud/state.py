"""One consistent derivation of the cloud at a point in time: registrations, neighbours, RIBs.

Registrations, adjacencies and interface states are derived for every router (linear in the routers);
routing tables are derived per router on first use (a spoke's RIB holds every other spoke's LAN, so
deriving all of them is quadratic and only a query for that spoke needs it).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import dpd, eventlog, nhrp
from dmvpn_ops.lab.cloud.adjacency import Adj, adjacencies
from dmvpn_ops.lab.cloud.bgp import BgpTables, bgp_routes, track_sessions
from dmvpn_ops.lab.cloud.eigrp import EigrpSolver
from dmvpn_ops.lab.cloud.ospf import OspfSolver
from dmvpn_ops.lab.cloud.rib import best, connected, resolve_iface, statics
from dmvpn_ops.lab.cloud.route import Path, Route
from dmvpn_ops.lab.cloud.show.nhrp_traffic import track_traffic
from dmvpn_ops.lab.cloud.underlay import interface_up, tunnel_up

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Snapshot:
    regs: list[nhrp.Reg]
    adjs: list[Adj]
    up: set[tuple[str, str]]
    ribs: Mapping[str, list[Route]] = field(default_factory=dict)
    _regs_by: dict[str, list[nhrp.Reg]] = field(default_factory=dict)
    _adjs_by: dict[str, list[Adj]] = field(default_factory=dict)
    _touching: dict[str, list[nhrp.Reg]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for reg in self.regs:
            self._regs_by.setdefault(reg.spoke, []).append(reg)
            self._touching.setdefault(reg.spoke, []).append(reg)
            if reg.hub is not None and reg.hub != reg.spoke:
                self._touching.setdefault(reg.hub, []).append(reg)
        for adj in self.adjs:
            self._adjs_by.setdefault(adj.host, []).append(adj)

    def regs_of(self, host: str, tunnel: str | None = None) -> list[nhrp.Reg]:
        """Registrations ``host`` sends (on ``tunnel``), in configuration order."""
        mine = self._regs_by.get(host, [])
        return mine if tunnel is None else [r for r in mine if r.tunnel == tunnel]

    def nhs_regs(self, host: str, tunnel: str) -> list[nhrp.Reg]:
        """Registrations ``host`` sends to its NHSs on ``tunnel`` (no static peer mappings)."""
        return [r for r in self.regs_of(host, tunnel) if not r.static]

    def touching(self, host: str) -> list[nhrp.Reg]:
        """Registrations ``host`` sends or receives, in the global order."""
        return self._touching.get(host, [])

    def adjs_of(self, host: str, proto: str | None = None) -> list[Adj]:
        mine = self._adjs_by.get(host, [])
        return mine if proto is None else [a for a in mine if a.proto == proto]


class Ribs(Mapping[str, list[Route]]):
    """Routing tables derived on first access, one router at a time."""

    def __init__(self, world: World, snap: Snapshot) -> None:
        self.world, self.snap = world, snap
        self.eigrp = EigrpSolver(world, snap.adjs, snap.up)
        self.ospf = OspfSolver(world, snap.adjs, snap.up)
        self._base: dict[str, list[Route]] = {}
        self._done: dict[str, list[Route]] = {}
        self._bgp: BgpTables | None = None

    def __getitem__(self, host: str) -> list[Route]:
        if host not in self._done:
            if host not in self.world.router_set():
                raise KeyError(host)
            chosen = best(self._base_of(host) + self._bgp_of(host))
            self._done[host] = best(chosen + _nhrp_routes(self.world, host, chosen))
        return self._done[host]

    def __iter__(self) -> Iterator[str]:
        return iter(self.world.routers())

    def __len__(self) -> int:
        return len(self.world.routers())

    def _base_of(self, host: str) -> list[Route]:
        """Connected, static and IGP routes (no BGP)."""
        if host not in self._base:
            since = self.world.track(("rib", host), True).since
            conn = connected(self.world, host, self.snap.up, since)
            self._base[host] = (conn + statics(self.world, host, conn, since) + self.eigrp.routes(host)
                                + self.ospf.routes(host))
        return self._base[host]

    def bgp(self) -> BgpTables:
        """The BGP tables of every speaker (derived once per snapshot)."""
        if self._bgp is None:
            speakers = [h for h in self.world.routers() if self.world.conf(h).routing.bgp is not None]
            local = {h: {r.prefix for r in best(self._base_of(h))} for h in speakers}
            self._bgp = bgp_routes(self.world, self.snap.adjs, local)
        return self._bgp

    def _bgp_of(self, host: str) -> list[Route]:
        if self.world.conf(host).routing.bgp is None:
            return []
        routes = self.bgp().routes.get(host, [])
        base = self._base_of(host)
        for r in routes:
            source = r.extra.get("source")
            r.paths = [Path(p.nexthop, resolve_iface(base, p.nexthop), source if isinstance(source, str) else None)
                       for p in r.paths]
        return [r for r in routes if r.paths[0].iface]


def _up(world: World) -> set[tuple[str, str]]:
    out = set()
    for host in world.routers():
        for iface in world.conf(host).interfaces.values():
            ok = tunnel_up(world, host, iface.name) if iface.is_tunnel else \
                interface_up(world, host, iface.name)
            world.track(("if", host, iface.name), ok)
            if ok:
                out.add((host, iface.name))
    return out


def _nhrp_routes(world: World, host: str, base: list[Route]) -> list[Route]:
    """H routes (and next-hop overrides) from phase 3 shortcuts owned by ``host``."""
    from dmvpn_ops.lab.cloud.traffic import shortcut_prefixes
    out: list[Route] = []
    by_prefix = {r.prefix: r for r in base if r.code not in "CL"}
    for sc, prefix in shortcut_prefixes(world, host):
        peer_ip = world.conf(sc.peer).interfaces[sc.peer_tunnel].address
        if peer_ip is None:
            continue
        # the peer's own tunnel address is an H host route `is directly connected` (Cisco DMVPN phase 3
        # configuration guide, show ip route on a spoke after a shortcut); its LANs go via that address
        host_route = prefix.prefixlen == 32 and prefix.network_address == peer_ip.ip
        path = Path(None if host_route else peer_ip.ip, sc.tunnel, sc.peer)
        same = by_prefix.get(prefix)
        if same is not None:
            same.nho = True
            same.extra["override"] = path
        else:
            out.append(Route(prefix, "H", 250, 255, [path], sc.created))
    return out


def compute(world: World) -> Snapshot:
    """Derive registrations, interface states and adjacencies now; routing tables on demand."""
    regs = nhrp.registrations(world)
    nhrp.track_statics(world, regs)
    nhrp.update_caches(world, regs)
    for reg in regs:
        world.track(("reg", reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip)), reg.ok)
        if reg.neg is not None and reg.hub:
            world.track(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel), reg.neg.ok)
    track_traffic(world, regs)
    dpd.record(world, regs)
    up = _up(world)
    snap = Snapshot(regs, adjacencies(world, regs), up)
    track_sessions(world, snap.adjs)
    eventlog.record(world, regs, snap.adjs, up)
    for host in world.routers():
        world.track(("rib", host), True)
    snap.ribs = Ribs(world, snap)
    return snap


def bgp_tables(snap: Snapshot) -> BgpTables | None:
    """The snapshot's BGP tables (None when its routing tables were not derived by :class:`Ribs`)."""
    return snap.ribs.bgp() if isinstance(snap.ribs, Ribs) else None


def prefixes(snap: Snapshot, host: str) -> set[IPv4Network]:
    return {r.prefix for r in snap.ribs.get(host, [])}
