"""OSPF over the cloud: neighbour roles (DR/BDR by priority) and shortest-path routes."""
from __future__ import annotations

import heapq
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj, _ospf_type, covered
from dmvpn_ops.lab.cloud.route import Path, Route, ospf_cost, router_id

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


def priority(world: "World", host: str, iface: str) -> int:
    for line in world.conf(host).interfaces[iface].lines:
        if line.startswith("ip ospf priority "):
            return int(line.split()[3])
    return 1


def rid(world: "World", host: str) -> IPv4Address:
    procs = world.conf(host).routing.ospf
    return router_id(world, host, procs[0].router_id if procs else None)


def roles(world: "World", host: str, iface: str, adjs: list[Adj]) -> dict[str, str]:
    """DR/BDR/DROTHER of each router on a broadcast segment as ``host`` sees it ("  -" on p2mp)."""
    peers = [a.peer for a in adjs if a.proto == "ospf" and a.host == host and a.iface == iface]
    if _ospf_type(world, host, iface) == "point-to-multipoint":
        return {p: "  -" for p in peers + [host]}
    pool = [(priority(world, h, iface if h == host else _peer_if(adjs, host, h)), rid(world, h), h)
            for h in peers + [host]]
    ranked = sorted((x for x in pool if x[0] > 0), reverse=True)
    out = {h: "DROTHER" for _, _, h in pool}
    for role, (_, _, h) in zip(("DR", "BDR"), ranked):
        out[h] = role
    return out


def _peer_if(adjs: list[Adj], host: str, peer: str) -> str:
    return next(a.peer_iface for a in adjs if a.host == host and a.peer == peer)


def _edges(world: "World", adjs: list[Adj]) -> dict[str, list[tuple[int, str, Path]]]:
    edges: dict[str, list[tuple[int, str, Path]]] = {}
    ospf = [a for a in adjs if a.proto == "ospf"]
    for a in ospf:
        edges.setdefault(a.host, []).append((ospf_cost(world, a.host, a.iface), a.peer,
                                             Path(a.peer_ip, a.iface, a.peer)))
    # broadcast: every router on the segment is one hop away through the DR (the transit network)
    for a in ospf:
        if _ospf_type(world, a.host, a.iface) != "broadcast":
            continue
        for b in ospf:
            if b.host == a.peer and b.peer != a.host and b.peer not in {e[1] for e in edges[a.host]}:
                edges[a.host].append((ospf_cost(world, a.host, a.iface), b.peer,
                                      Path(b.peer_ip, a.iface, b.peer)))
    return edges


def _stubs(world: "World", host: str, up: set[tuple[str, str]]) -> list[tuple[IPv4Network, int]]:
    procs = world.conf(host).routing.ospf
    out = []
    for iface in world.conf(host).connected() if procs else []:
        if iface.address is None or (host, iface.name) not in up:
            continue
        if not any(covered(p.networks, iface.address.ip) for p in procs):
            continue
        loop = iface.name.startswith("Loopback")
        p2mp = iface.is_tunnel and _ospf_type(world, host, iface.name) == "point-to-multipoint"
        net = IPv4Network(f"{iface.address.ip}/32") if loop or p2mp else iface.address.network
        out.append((net, 0 if loop or p2mp else ospf_cost(world, host, iface.name)))
    return out


def _spf(edges: dict[str, list[tuple[int, str, Path]]], root: str) -> dict[str, tuple[int, list[Path]]]:
    best: dict[str, tuple[int, list[Path]]] = {root: (0, [])}
    heap: list[tuple[int, str]] = [(0, root)]
    while heap:
        dist, node = heapq.heappop(heap)
        if dist > best[node][0]:
            continue
        for cost, peer, path in edges.get(node, []):
            hops = [path] if node == root else best[node][1]
            cur = best.get(peer)
            if cur is None or dist + cost < cur[0]:
                best[peer] = (dist + cost, list(hops))
                heapq.heappush(heap, (dist + cost, peer))
            elif dist + cost == cur[0]:
                cur[1].extend(h for h in hops if h not in cur[1])
    return best


def ospf_routes(world: "World", adjs: list[Adj], up: set[tuple[str, str]]) -> dict[str, list[Route]]:
    """O routes per router (single area)."""
    edges = _edges(world, adjs)
    stubs = {h: _stubs(world, h, up) for h in world.routers()}
    out: dict[str, list[Route]] = {}
    for host in world.routers():
        if not world.conf(host).routing.ospf:
            continue
        mine = {s[0] for s in stubs[host]}
        since = min((a.since for a in adjs if a.proto == "ospf" and a.host == host), default=0.0)
        found: dict[IPv4Network, tuple[int, list[Path]]] = {}
        for peer, (dist, hops) in _spf(edges, host).items():
            for net, cost in stubs[peer] if peer != host else []:
                if net in mine or any(net == c.address.network for c in world.conf(host).connected()
                                      if c.address):
                    continue
                cur = found.get(net)
                if cur is None or dist + cost < cur[0]:
                    found[net] = (dist + cost, list(hops))
                elif dist + cost == cur[0]:
                    cur[1].extend(h for h in hops if h not in cur[1])
        out[host] = [Route(n, "O", 110, m, p, since) for n, (m, p) in found.items()]
    return out
