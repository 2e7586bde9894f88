"""OSPF over the cloud: neighbour roles (DR/BDR by priority) and shortest-path routes."""
from __future__ import annotations

import heapq
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj, _ospf_type, covered
from dmvpn_ops.lab.cloud.route import Path, Route, ospf_cost, router_id

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


def priority(world: World, host: str, iface: str) -> int:
    for line in world.conf(host).interfaces[iface].lines:
        if line.startswith("ip ospf priority "):
            return int(line.split()[3])
    return 1


def rid(world: World, host: str) -> IPv4Address:
    procs = world.conf(host).routing.ospf
    return router_id(world, host, procs[0].router_id if procs else None)


def roles(world: World, host: str, iface: str, adjs: list[Adj]) -> dict[str, str]:
    """DR/BDR/DROTHER of each router on a broadcast segment as ``host`` sees it ("  -" on p2mp)."""
    peer_if = {a.peer: a.peer_iface for a in adjs if a.proto == "ospf" and a.host == host and a.iface == iface}
    if _ospf_type(world, host, iface) == "point-to-multipoint":
        return dict.fromkeys([*peer_if, host], "  -")
    pool = [(priority(world, h, peer_if.get(h, iface)), rid(world, h), h) for h in [*peer_if, host]]
    ranked = sorted((x for x in pool if x[0] > 0), reverse=True)
    out = {h: "DROTHER" for _, _, h in pool}
    for role, (_, _, h) in zip(("DR", "BDR"), ranked):
        out[h] = role
    return out


Edges = dict[str, list[tuple[int, str, Path]]]


def _segment(world: World, a: Adj) -> str:
    """The transit network of a broadcast tunnel: one node every router on it reaches at its own cost."""
    addr = world.conf(a.host).interfaces[a.iface].address
    return f"segment:{a.process}:{addr.network if addr else a.iface}"


def _edges(world: World, adjs: list[Adj]) -> Edges:
    edges: Edges = {}
    joined: set[tuple[str, str]] = set()
    for a in (a for a in adjs if a.proto == "ospf"):
        cost = ospf_cost(world, a.host, a.iface)
        if _ospf_type(world, a.host, a.iface) != "broadcast":
            edges.setdefault(a.host, []).append((cost, a.peer, Path(a.peer_ip, a.iface, a.peer)))
            continue
        seg = _segment(world, a)
        if (a.host, seg) in joined:
            continue
        joined.add((a.host, seg))
        own = world.conf(a.host).interfaces[a.iface].address
        edges.setdefault(a.host, []).append((cost, seg, Path(None, a.iface, seg)))
        edges.setdefault(seg, []).append((0, a.host, Path(own.ip if own else None, None, a.host)))
    return edges


def _stubs(world: World, host: str, up: set[tuple[str, str]]) -> list[tuple[IPv4Network, int]]:
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
        # a loopback is a /32 stub at its own cost, 1 (reference bandwidth over its 8 Gbit/s, at least 1;
        # real captures: `O 10.1.1.1/32 [110/1001]` across a cost-1000 tunnel); a point-to-multipoint
        # interface advertises its own address as a /32 stub at cost 0 (RFC 2328 12.4.1.4)
        out.append((net, 0 if p2mp else ospf_cost(world, host, iface.name)))
    return out


def _hops(best: dict[str, tuple[int, list[Path]]], root: str, node: str, path: Path) -> list[Path]:
    """Next hops towards a node reached over ``path`` from ``node`` (a segment hands out its members)."""
    if node == root:
        return [path]
    mine = best[node][1]
    if len(mine) == 1 and mine[0].nexthop is None and mine[0].via == node:   # root's own segment
        return [Path(path.nexthop, mine[0].iface, path.via)]
    return mine


def _spf(edges: Edges, root: str) -> dict[str, tuple[int, list[Path]]]:
    best: dict[str, tuple[int, list[Path]]] = {root: (0, [])}
    heap: list[tuple[int, str]] = [(0, root)]
    while heap:
        dist, node = heapq.heappop(heap)
        if dist > best[node][0]:
            continue
        for cost, peer, path in edges.get(node, []):
            if peer == root:
                continue
            hops = _hops(best, root, node, path)
            cur = best.get(peer)
            if cur is None or dist + cost < cur[0]:
                best[peer] = (dist + cost, list(hops))
                heapq.heappush(heap, (dist + cost, peer))
            elif dist + cost == cur[0]:
                cur[1].extend(h for h in hops if h not in cur[1])
    return best


class OspfSolver:
    """O routes (single area) of any router: the graph is built once, SPF runs per router on demand."""

    def __init__(self, world: World, adjs: list[Adj], up: set[tuple[str, str]]) -> None:
        self.world, self.adjs, self.up = world, [a for a in adjs if a.proto == "ospf"], up
        self._graph: tuple[Edges, dict[str, list[tuple[IPv4Network, int]]]] | None = None

    def _built(self) -> tuple[Edges, dict[str, list[tuple[IPv4Network, int]]]]:
        if self._graph is None:
            routers = [h for h in self.world.routers() if self.world.conf(h).routing.ospf]
            self._graph = _edges(self.world, self.adjs), {h: _stubs(self.world, h, self.up) for h in routers}
        return self._graph

    def routes(self, host: str) -> list[Route]:
        if not self.world.conf(host).routing.ospf:
            return []
        edges, stubs = self._built()
        mine = {s[0] for s in stubs.get(host, [])}
        mine |= {c.address.network for c in self.world.conf(host).connected() if c.address}
        since = min((a.since for a in self.adjs if a.host == host), default=0.0)
        found: dict[IPv4Network, tuple[int, list[Path]]] = {}
        for peer, (dist, hops) in _spf(edges, host).items():
            for net, cost in stubs.get(peer, []) if peer != host else []:
                if net in mine:
                    continue
                cur = found.get(net)
                if cur is None or dist + cost < cur[0]:
                    found[net] = (dist + cost, list(hops))
                elif dist + cost == cur[0]:
                    cur[1].extend(h for h in hops if h not in cur[1])
        return [Route(n, "O", 110, m, p, since) for n, (m, p) in found.items()]
