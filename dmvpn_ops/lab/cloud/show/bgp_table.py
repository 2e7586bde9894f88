"""`show ip bgp` and `show ip bgp A.B.C.D`: the BGP table with every path a router holds, best or not.

Layouts: ntc-templates tests/cisco_ios/show_ip_bgp/cisco_ios_show_ip_bgp3.raw (IOS-XE 16/17 table: status,
Network at 5, Next Hop at 22, a prefix's other paths on lines with a blank Network column after the best)
and genieparser iosxe ShowIpBgpAllDetail golden_output1 / ShowIpBgpDetail golden_output9 (one entry: the
path count and best index, where it is advertised, then per path the AS path, `NEXT-HOP from PEER (ROUTER-ID)`,
the origin line and, for a reflected path, `Originator:`/`Cluster list:`); copies in tests/fixtures/lab/.
Values come from the cloud's BGP tables: the local networks, the paths each neighbour sent and the best ones
in the RIB.
"""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.route import router_id
from dmvpn_ops.lab.cloud.state import bgp_tables

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.bgp import BgpPath, BgpTables
    from dmvpn_ops.lab.cloud.routingview import Bgp
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_HEADER = ["Status codes: s suppressed, d damped, h history, * valid, > best, i - internal, ",
           "              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter, ",
           "              x best-external, a additional-path, c RIB-compressed, ",
           "              t secondary path, L long-lived-stale,",
           "Origin codes: i - IGP, e - EGP, ? - incomplete", "RPKI validation codes: V valid, I invalid, N Not found",
           "", "     Network          Next Hop            Metric LocPrf Weight Path"]


def _table(snap: Snapshot, host: str) -> tuple[set[IPv4Network], dict[IPv4Network, list[BgpPath]], BgpTables | None]:
    tables = bgp_tables(snap)
    local = tables.local.get(host, set()) if tables else set()
    paths = tables.paths.get(host, {}) if tables else {}
    return local, paths, tables


def _ranked(snap: Snapshot, host: str, net: IPv4Network, local: set[IPv4Network],
            paths: dict[IPv4Network, list[BgpPath]]) -> list[tuple[BgpPath | None, bool]]:
    """(path, best) of a prefix, best first; None is the router's own `network` (always best)."""
    best = {r.prefix: (r.paths[0].nexthop, r.extra.get("source")) for r in snap.ribs.get(host, []) if r.code == "B"}
    out: list[tuple[BgpPath | None, bool]] = [(None, True)] if net in local else []
    for path in paths.get(net, []):
        out.append((path, net not in local and best.get(net) == (path.nexthop, path.source)))
    return sorted(out, key=lambda x: not x[1])


def _as_path(path: BgpPath | None) -> str:
    return " ".join([*map(str, path.as_path), "i"]) if path is not None else "i"


def _row(net: IPv4Network, first: bool, path: BgpPath | None, chosen: bool) -> str:
    status = (" *>" if chosen else " * ") + ("i" if path is not None and path.ibgp else " ")
    nh = str(path.nexthop) if path is not None else "0.0.0.0"
    locprf = "100" if path is not None and path.ibgp else ""
    weight = "0" if path is not None else "32768"
    return f"{status} {str(net) if first else '':<16} {nh:<19} {'0':>6} {locprf:>6} {weight:>6} {_as_path(path)}"


def _nets(local: set[IPv4Network], paths: dict[IPv4Network, list[BgpPath]]) -> list[IPv4Network]:
    return sorted(local | set(paths), key=lambda n: (int(n.network_address), n.prefixlen))


def _head(world: World, host: str, b: Bgp, version: int) -> list[str]:
    return [f"BGP table version is {version}, local router ID is {router_id(world, host, b.router_id)}", *_HEADER]


def show_ip_bgp(world: World, snap: Snapshot, host: str) -> str:
    """The table, table version as `show ip bgp summary` counts it."""
    b = world.conf(host).routing.bgp
    if b is None:
        return "% BGP not active\n"
    local, paths, _ = _table(snap, host)
    nets = _nets(local, paths)
    out = _head(world, host, b, len(nets) + 1)
    for net in nets:
        out += [_row(net, i == 0, path, chosen) for i, (path, chosen) in enumerate(_ranked(snap, host, net, local,
                                                                                             paths))]
    return "\n".join(out) + "\n"


def show_neighbor_routes(world: World, snap: Snapshot, host: str, peer_ip: str, which: str) -> str:
    """`show ip bgp neighbors A.B.C.D advertised-routes | routes | received-routes` (ntc-templates
    tests/cisco_ios/show_ip_bgp_neighbors_advertised-routes, tests/fixtures/lab/): what ``host`` sends that
    neighbour (its own best entries) or the paths it accepted from it, in the table layout, then `Total number
    of prefixes N`. received-routes needs `soft-reconfiguration inbound`, which the lab's configs never set."""
    b = world.conf(host).routing.bgp
    if b is None:
        return "% BGP not active\n"
    adj = next((a for a in snap.adjs_of(host, "bgp") if str(a.peer_ip) == peer_ip), None)
    if adj is None and IPv4Address(peer_ip) not in b.neighbors:
        return "% No such neighbor or address family\n"
    if which == "received-routes":
        return f"% Inbound soft reconfiguration not enabled on {peer_ip}\n"
    local, paths, tables = _table(snap, host)
    rows: list[str] = []
    for net in _nets(local, paths):
        ranked = _ranked(snap, host, net, local, paths)
        if which == "advertised-routes":
            sent = tables.received.get(adj.peer, {}).get(host, set()) if tables and adj else set()
            pick = ranked[:1] if net in sent else []
        else:
            pick = [(p, best) for p, best in ranked if adj is not None and p is not None and p.source == adj.peer]
        rows += [_row(net, i == 0, path, chosen) for i, (path, chosen) in enumerate(pick)]
    if not rows:
        return ""
    count = len({ln[5:21] for ln in rows} - {" " * 16})
    return "\n".join(_head(world, host, b, len(_nets(local, paths)) + 1) + rows
                     + ["", f"Total number of prefixes {count} "]) + "\n"


def _originator(tables: BgpTables, net: IPv4Network, source: str) -> str:
    """The router whose `network` put ``net`` in BGP, following each router's best path back."""
    seen = {source}
    while net not in tables.local.get(source, set()):
        route = next((r for r in tables.routes.get(source, []) if r.prefix == net), None)
        nxt = route.extra.get("source") if route else None
        if not isinstance(nxt, str) or nxt in seen:
            break
        seen.add(nxt)
        source = nxt
    return source


def _rid(world: World, host: str) -> IPv4Address:
    bgp = world.conf(host).routing.bgp
    return router_id(world, host, bgp.router_id if bgp else None)


def _path_block(world: World, snap: Snapshot, host: str, net: IPv4Network, path: BgpPath | None, best: bool,
                tables: BgpTables | None) -> list[str]:
    tag = ", best" if best else ""
    if path is None:
        return ["  Refresh Epoch 1", "  Local", f"    0.0.0.0 from 0.0.0.0 ({_rid(world, host)})",
                f"      Origin IGP, metric 0, localpref 100, weight 32768, valid, sourced, local{tag}",
                "      rx pathid: 0, tx pathid: 0x0"]
    peer = next((a for a in snap.adjs_of(host, "bgp") if a.peer == path.source), None)
    peer_ip = peer.peer_ip if peer else path.nexthop
    out = ["  Refresh Epoch 1", "  " + (" ".join(map(str, path.as_path)) or "Local"),
           f"    {path.nexthop} from {peer_ip} ({_rid(world, path.source or host)})",
           f"      Origin IGP, metric 0, localpref 100, valid, {'internal' if path.ibgp else 'external'}{tag}"]
    origin = _originator(tables, net, path.source) if tables and path.source else None
    if path.ibgp and origin is not None and origin != path.source:
        out.append(f"      Originator: {_rid(world, origin)}, Cluster list: {_rid(world, path.source or host)}")
    return out + ["      rx pathid: 0, tx pathid: " + ("0x0" if best else "0")]


def _advertised(b: Bgp, net: IPv4Network, local: set[IPv4Network], ranked: list[tuple[BgpPath | None, bool]]) \
        -> list[str]:
    """A reflector, an originator or an eBGP-learned best path advertises; an iBGP-learned one on a client
    does not (iBGP split horizon)."""
    best = ranked[0][0] if ranked else None
    if net in local or b.rr_clients or (best is not None and not best.ibgp):
        return ["  Advertised to update-groups:", "     1"]
    return ["  Not advertised to any peer"]


def show_bgp_prefix(world: World, snap: Snapshot, host: str, addr: IPv4Address) -> str:
    """The longest prefix of the BGP table holding ``addr``, else `% Network not in table`."""
    b = world.conf(host).routing.bgp
    if b is None:
        return "% BGP not active\n"
    local, paths, tables = _table(snap, host)
    found = sorted((n for n in local | set(paths) if addr in n), key=lambda n: n.prefixlen)
    if not found:
        return "% Network not in table\n"
    net = found[-1]
    ranked = _ranked(snap, host, net, local, paths)
    best_no = next((i for i, (_, chosen) in enumerate(ranked, start=1) if chosen), 0)
    version = 1 + sorted(local | set(paths), key=lambda n: (int(n.network_address), n.prefixlen)).index(net)
    head = f"Paths: ({len(ranked)} available, best #{best_no}, table default)" if best_no else \
        f"Paths: ({len(ranked)} available, no best path)"
    out = [f"BGP routing table entry for {net}, version {version + 1}", head, *_advertised(b, net, local, ranked)]
    for path, chosen in ranked:
        out += _path_block(world, snap, host, net, path, chosen, tables)
    return "\n".join(out) + "\n"
