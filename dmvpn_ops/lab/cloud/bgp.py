"""BGP over the cloud: dynamic neighbours via listen range, reflection and next-hop rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj
from dmvpn_ops.lab.cloud.route import Path, Route

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass(frozen=True)
class BgpPath:
    as_path: tuple[int, ...]
    nexthop: IPv4Address | None          # None: locally originated
    source: str | None                   # router it was learned from
    ibgp: bool
    since: float


def _names(world: World, host: str, peer_ip: IPv4Address) -> set[str]:
    """Neighbor keys that configure ``peer_ip`` on ``host``: its address and its listen peer-group."""
    bgp = world.conf(host).routing.bgp
    keys = {str(peer_ip)}
    keys |= {g for net, g in (bgp.listen if bgp else []) if peer_ip in net}
    return keys


def _advertise(world: World, backs: dict[tuple[str, str], Adj], adj: Adj, best: BgpPath,
               adj_back: Adj) -> BgpPath | None:
    """What ``adj.peer`` sends to ``adj.host`` for a prefix whose best path is ``best``."""
    mine, theirs = world.conf(adj.host).routing.bgp, world.conf(adj.peer).routing.bgp
    assert mine is not None and theirs is not None
    ibgp = mine.asn == theirs.asn
    if best.source == adj.host:
        return None
    if ibgp and best.ibgp:
        src = backs.get((adj.peer, best.source or ""))
        src_ip = src.peer_ip if src else None
        clients = theirs.rr_clients
        if not (_names(world, adj.peer, adj_back.peer_ip) & clients
                or (src_ip and _names(world, adj.peer, src_ip) & clients)):
            return None
    own = adj.peer_ip
    nhs = bool(_names(world, adj.peer, adj_back.peer_ip) & theirs.next_hop_self)
    if best.nexthop is None or nhs:
        nexthop = own
    elif ibgp:
        nexthop = best.nexthop
    else:   # eBGP third-party next hop: kept when it sits on the shared tunnel subnet
        net = world.conf(adj.host).interfaces[adj.iface].address
        nexthop = best.nexthop if net and best.nexthop in net.network else own
    path = best.as_path if ibgp else (theirs.asn,) + best.as_path
    if mine.asn in path and not _names(world, adj.host, adj.peer_ip) & mine.allowas_in:
        return None
    return BgpPath(path, nexthop, adj.peer, ibgp, adj.since)


def _rank(p: BgpPath) -> tuple[int, int, int, str]:
    return (p.nexthop is not None, len(p.as_path), p.ibgp, str(p.nexthop))


@dataclass
class BgpTables:
    """Per router: the B routes chosen, and what each neighbour sent (its Adj-RIB-In)."""

    routes: dict[str, list[Route]]
    received: dict[str, dict[str, set[IPv4Network]]]     # host -> peer router -> prefixes
    local: dict[str, set[IPv4Network]]                   # host -> its own `network`s in the table
    paths: dict[str, dict[IPv4Network, list[BgpPath]]] = field(default_factory=dict)  # host -> every path in
    # its BGP table, best or not (`show ip bgp` lists them all)


def bgp_routes(world: World, adjs: list[Adj], local: dict[str, set[IPv4Network]]) -> BgpTables:
    """B routes per router; ``local`` holds the prefixes each router has in its RIB already."""
    sessions = [a for a in adjs if a.proto == "bgp"]
    tables: dict[str, dict[IPv4Network, BgpPath]] = {}
    for host in world.routers():
        bgp = world.conf(host).routing.bgp
        nets = [n for n in (bgp.networks if bgp else []) if n in local.get(host, set())]
        tables[host] = {n: BgpPath((), None, None, False, 0.0) for n in nets}
    own = {h: set(t) for h, t in tables.items()}
    backs = {(b.host, b.peer): b for b in sessions}
    for _ in range(8):
        changed = False
        for adj in sessions:
            back = backs[(adj.peer, adj.host)]
            for prefix, best in list(tables[adj.peer].items()):
                cand = _advertise(world, backs, adj, best, back)
                cur = tables[adj.host].get(prefix)
                if cand and (cur is None or _rank(cand) < _rank(cur)) and cand != cur:
                    tables[adj.host][prefix], changed = cand, True
        if not changed:
            break
    received: dict[str, dict[str, set[IPv4Network]]] = {}
    paths: dict[str, dict[IPv4Network, list[BgpPath]]] = {}
    for adj in sessions:   # every path a neighbour sends counts (PfxRcd), not only the best ones
        back = backs[(adj.peer, adj.host)]
        sent = {p: _advertise(world, backs, adj, best, back) for p, best in tables[adj.peer].items()}
        received.setdefault(adj.host, {})[adj.peer] = {p for p, path in sent.items() if path}
        for prefix, path in sent.items():
            if path is not None:
                paths.setdefault(adj.host, {}).setdefault(prefix, []).append(path)
    routes = {h: [Route(p, "B", 200 if b.ibgp else 20, 0, [Path(b.nexthop, None, None)], b.since,
                        extra={"as_path": b.as_path, "source": b.source})
                  for p, b in t.items() if b.nexthop is not None] for h, t in tables.items()}
    return BgpTables(routes, received, own, paths)


def track_sessions(world: World, adjs: list[Adj]) -> None:
    """Record each configured neighbour's session state now (Up/Down counts from the last change)."""
    up = {(a.host, a.peer_ip) for a in adjs if a.proto == "bgp"}
    for host in world.routers():
        bgp = world.conf(host).routing.bgp
        for ip in bgp.neighbors if bgp else {}:
            world.track(("bgp", host, str(ip)), (host, ip) in up)
