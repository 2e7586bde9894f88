"""EIGRP over the cloud: distance vector with split horizon and next-hop-self as configured.

Only routers that can pass routes on (hubs, routers on two clouds, split horizon off) take part in the
distance-vector rounds; a "leaf" (every neighbour on one interface, split horizon on) only ever offers
its own networks, so its table is derived on demand from its converged neighbours. That keeps a cloud
of N spokes linear instead of quadratic.
"""
from __future__ import annotations

from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj, covered
from dmvpn_ops.lab.cloud.route import Path, Route, bandwidth, delay_usec, eigrp_metric

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World

# per router: prefix -> (bw, delay, paths, learned-on interface, since)
Entry = tuple[int, int, list[Path], str, float]
Table = dict[IPv4Network, Entry]


def _origins(world: World, host: str, asn: int, up: set[tuple[str, str]]) -> Table:
    eigrp = next((e for e in world.conf(host).routing.eigrp if e.asn == asn), None)
    table: Table = {}
    for iface in world.conf(host).connected() if eigrp else []:
        if eigrp and iface.address and (host, iface.name) in up and covered(eigrp.networks, iface.address.ip):
            table[iface.address.network] = (bandwidth(world, host, iface.name),
                                            delay_usec(world, host, iface.name), [], iface.name, 0.0)
    return table


def _no_line(world: World, host: str, iface: str, what: str, asn: int) -> bool:
    return world.conf(host).interfaces[iface].has(f"no ip {what} eigrp {asn}")


def _offer(world: World, adj: Adj, asn: int, theirs: Table) -> Table:
    """What ``adj.peer`` (whose table is ``theirs``) advertises to ``adj.host`` over the tunnel."""
    out: Table = {}
    sh_off = _no_line(world, adj.peer, adj.peer_iface, "split-horizon", asn)
    nhs_off = _no_line(world, adj.peer, adj.peer_iface, "next-hop-self", asn)
    my_bw, my_delay = bandwidth(world, adj.host, adj.iface), delay_usec(world, adj.host, adj.iface)
    direct = [Path(adj.peer_ip, adj.iface, adj.peer)]
    for prefix, (bw, delay, paths, learned, _since) in theirs.items():
        if learned == adj.peer_iface and not sh_off:
            continue
        if learned == adj.peer_iface and paths and nhs_off and paths[0].nexthop != adj.peer_ip:
            hops = [Path(p.nexthop, adj.iface, p.via) for p in paths]
        else:
            hops = direct
        out[prefix] = (min(bw, my_bw), delay + my_delay, hops, adj.iface, adj.since)
    return out


def _merge(mine: Table, offer: Table) -> None:
    """Keep the better metric; equal metrics add paths (ECMP)."""
    for prefix, cand in offer.items():
        cur = mine.get(prefix)
        if cur is None:
            mine[prefix] = cand
            continue
        new, old = eigrp_metric(cand[0], cand[1]), eigrp_metric(cur[0], cur[1])
        if new < old:
            mine[prefix] = cand
        elif cur[2] and new == old:
            seen = {(p.nexthop, p.iface) for p in cur[2]}
            extra = [p for p in cand[2] if (p.nexthop, p.iface) not in seen]
            mine[prefix] = (cur[0], cur[1], cur[2] + extra, cur[3], min(cur[4], cand[4]))


class _As:
    """One EIGRP autonomous system: converged tables of the transit routers, leaves on demand."""

    def __init__(self, world: World, asn: int, adjs: list[Adj], up: set[tuple[str, str]]) -> None:
        self.world, self.asn = world, asn
        self.into: dict[str, list[Adj]] = {}
        for a in adjs:
            self.into.setdefault(a.host, []).append(a)
        self.origins = {h: _origins(world, h, asn, up) for h in world.routers()}
        self.leaves = {h for h in self.origins if self._leaf(h)}
        self.tables = self._converge()

    def _leaf(self, host: str) -> bool:
        ifaces = {a.iface for a in self.into.get(host, [])}
        return len(ifaces) <= 1 and not any(_no_line(self.world, host, i, "split-horizon", self.asn)
                                            for i in ifaces)

    def _receive(self, host: str, tables: dict[str, Table]) -> Table:
        mine = dict(self.origins[host])
        for adj in self.into.get(host, []):
            _merge(mine, _offer(self.world, adj, self.asn, tables[adj.peer]))
        return mine

    def _converge(self) -> dict[str, Table]:
        transit = [h for h in self.origins if h not in self.leaves]
        tables = dict(self.origins)
        for _ in range(16):
            nxt = dict(tables)
            nxt.update({h: self._receive(h, tables) for h in transit})
            if nxt == tables:
                break
            tables = nxt
        return tables

    def table(self, host: str) -> Table:
        if host in self.leaves and self.into.get(host):
            return self._receive(host, self.tables)
        return self.tables.get(host, {})


class EigrpSolver:
    """D routes of any router, every EIGRP AS configured anywhere; ASes converge on first use."""

    def __init__(self, world: World, adjs: list[Adj], up: set[tuple[str, str]]) -> None:
        self.world, self.adjs, self.up = world, [a for a in adjs if a.proto == "eigrp"], up
        self._ases: dict[int, _As] | None = None

    def _all(self) -> dict[int, _As]:
        if self._ases is None:
            asns = sorted({e.asn for h in self.world.routers() for e in self.world.conf(h).routing.eigrp})
            self._ases = {asn: _As(self.world, asn, [a for a in self.adjs if a.process == asn], self.up)
                          for asn in asns}
        return self._ases

    def routes(self, host: str) -> list[Route]:
        if not self.world.conf(host).routing.eigrp:
            return []
        out: list[Route] = []
        for system in self._all().values():
            out += [Route(p, "D", 90, eigrp_metric(bw, d), paths, since)
                    for p, (bw, d, paths, _l, since) in system.table(host).items() if paths]
        return out
