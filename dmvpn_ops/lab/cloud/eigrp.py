"""EIGRP over the cloud: distance vector with split horizon and next-hop-self as configured."""
from __future__ import annotations

from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj, covered
from dmvpn_ops.lab.cloud.route import Path, Route, bandwidth, delay_usec, eigrp_metric

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World

# per router: prefix -> (bw, delay, paths, learned-on interface, since)
Table = dict[IPv4Network, tuple[int, int, list[Path], str, float]]


def _origins(world: "World", host: str, asn: int, up: set[tuple[str, str]]) -> Table:
    eigrp = next((e for e in world.conf(host).routing.eigrp if e.asn == asn), None)
    table: Table = {}
    for iface in world.conf(host).connected() if eigrp else []:
        if eigrp and iface.address and (host, iface.name) in up and covered(eigrp.networks, iface.address.ip):
            table[iface.address.network] = (bandwidth(world, host, iface.name),
                                            delay_usec(world, host, iface.name), [], iface.name, 0.0)
    return table


def _no_line(world: "World", host: str, iface: str, what: str, asn: int) -> bool:
    return world.conf(host).interfaces[iface].has(f"no ip {what} eigrp {asn}")


def _offer(world: "World", adj: Adj, asn: int, tables: dict[str, Table]) -> Table:
    """What ``adj.peer`` advertises to ``adj.host`` over the tunnel."""
    out: Table = {}
    sh_off = _no_line(world, adj.peer, adj.peer_iface, "split-horizon", asn)
    nhs_off = _no_line(world, adj.peer, adj.peer_iface, "next-hop-self", asn)
    for prefix, (bw, delay, paths, learned, _since) in tables[adj.peer].items():
        if learned == adj.peer_iface and not sh_off:
            continue
        if learned == adj.peer_iface and paths and nhs_off and paths[0].nexthop != adj.peer_ip:
            hops = [Path(p.nexthop, adj.iface, p.via) for p in paths]
        else:
            hops = [Path(adj.peer_ip, adj.iface, adj.peer)]
        bw = min(bw, bandwidth(world, adj.host, adj.iface))
        out[prefix] = (bw, delay + delay_usec(world, adj.host, adj.iface), hops, adj.iface, adj.since)
    return out


def _round(world: "World", asn: int, adjs: list[Adj], origins: dict[str, Table],
           tables: dict[str, Table]) -> dict[str, Table]:
    new = {h: dict(t) for h, t in origins.items()}
    for adj in adjs:
        mine = new[adj.host]
        for prefix, cand in _offer(world, adj, asn, tables).items():
            cur = mine.get(prefix)
            if cur is None or eigrp_metric(cand[0], cand[1]) < eigrp_metric(cur[0], cur[1]):
                mine[prefix] = cand
            elif cur[2] and eigrp_metric(cand[0], cand[1]) == eigrp_metric(cur[0], cur[1]):
                seen = {(p.nexthop, p.iface) for p in cur[2]}
                extra = [p for p in cand[2] if (p.nexthop, p.iface) not in seen]
                mine[prefix] = (cur[0], cur[1], cur[2] + extra, cur[3], min(cur[4], cand[4]))
    return new


def eigrp_routes(world: "World", adjs: list[Adj], up: set[tuple[str, str]]) -> dict[str, list[Route]]:
    """D routes per router for every EIGRP AS configured anywhere."""
    out: dict[str, list[Route]] = {}
    for asn in sorted({e.asn for h in world.routers() for e in world.conf(h).routing.eigrp}):
        mine = [a for a in adjs if a.proto == "eigrp" and a.process == asn]
        origins = {h: _origins(world, h, asn, up) for h in world.routers()}
        tables = origins
        for _ in range(16):
            nxt = _round(world, asn, mine, origins, tables)
            if nxt == tables:
                break
            tables = nxt
        for host, table in tables.items():
            out.setdefault(host, []).extend(
                Route(p, "D", 90, eigrp_metric(bw, d), paths, since)
                for p, (bw, d, paths, _l, since) in table.items() if paths)
    return out
