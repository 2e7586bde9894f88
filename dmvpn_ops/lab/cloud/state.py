"""One consistent derivation of the cloud at a point in time: registrations, neighbours, RIBs."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import nhrp
from dmvpn_ops.lab.cloud.adjacency import Adj, adjacencies
from dmvpn_ops.lab.cloud.bgp import bgp_routes
from dmvpn_ops.lab.cloud.eigrp import eigrp_routes
from dmvpn_ops.lab.cloud.ospf import ospf_routes
from dmvpn_ops.lab.cloud.rib import best, connected, resolve_iface, statics
from dmvpn_ops.lab.cloud.route import Path, Route
from dmvpn_ops.lab.cloud.underlay import interface_up, tunnel_up

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Snapshot:
    regs: list[nhrp.Reg]
    adjs: list[Adj]
    up: set[tuple[str, str]]
    ribs: dict[str, list[Route]] = field(default_factory=dict)


def _up(world: "World") -> set[tuple[str, str]]:
    out = set()
    for host in world.routers():
        for iface in world.conf(host).interfaces.values():
            ok = tunnel_up(world, host, iface.name) if iface.is_tunnel else \
                interface_up(world, host, iface.name)
            world.track(("if", host, iface.name), ok)
            if ok:
                out.add((host, iface.name))
    return out


def _nhrp_routes(world: "World", host: str, base: list[Route]) -> list[Route]:
    """H routes (and next-hop overrides) from phase 3 shortcuts owned by ``host``."""
    from dmvpn_ops.lab.cloud.traffic import shortcut_prefixes
    out: list[Route] = []
    for sc, prefix in shortcut_prefixes(world, host):
        peer_ip = world.conf(sc.peer).interfaces[sc.peer_tunnel].address
        if peer_ip is None:
            continue
        path = Path(peer_ip.ip, sc.tunnel, sc.peer)
        same = next((r for r in base if r.prefix == prefix and r.code not in "CL"), None)
        if same is not None:
            same.nho = True
            same.extra["override"] = path
        else:
            out.append(Route(prefix, "H", 250, 255, [path], sc.created))
    return out


def compute(world: "World") -> Snapshot:
    """Derive everything from configs, faults and the clock."""
    regs = nhrp.registrations(world)
    nhrp.update_caches(world, regs)
    for reg in regs:
        world.track(("reg", reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip)), reg.ok)
        if reg.neg is not None and reg.hub:
            world.track(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel), reg.neg.ok)
    up = _up(world)
    snap = Snapshot(regs, adjacencies(world, regs), up)
    now = world.clock.now()
    base: dict[str, list[Route]] = {}
    for host in world.routers():
        since = world.track(("rib", host), True).since
        conn = connected(world, host, up, since)
        base[host] = conn + statics(world, host, conn, since)
    igp = [eigrp_routes(world, snap.adjs, up), ospf_routes(world, snap.adjs, up)]
    for table in igp:
        for host, routes in table.items():
            base[host] += routes
    local = {h: {r.prefix for r in best(rs)} for h, rs in base.items()}
    for host, routes in bgp_routes(world, snap.adjs, local).items():
        for r in routes:
            source = r.extra.get("source")
            r.paths = [Path(p.nexthop, resolve_iface(base[host], p.nexthop),
                            source if isinstance(source, str) else None) for p in r.paths]
        base[host] += [r for r in routes if r.paths[0].iface]
    for host in world.routers():
        chosen = best(base[host])
        snap.ribs[host] = best(chosen + _nhrp_routes(world, host, chosen))
    del now
    return snap


def prefixes(snap: Snapshot, host: str) -> set[IPv4Network]:
    return {r.prefix for r in snap.ribs.get(host, [])}
