"""`show ip route [vrf NAME] A.B.C.D [MASK]`: one `Routing entry for` block, in the layout of real captures.

Layout: genieparser iosxe ShowIpRouteWord golden outputs (copies in tests/fixtures/lab/show_ip_route_entry/):
`Known via "PROTO [PROCESS]"` with the route type (`type internal` for EIGRP and iBGP, `type intra area`
for OSPF, `(connected, via interface)` / `(connected)` for connected and local), `Last update from` for a
learned route, descriptor lines `* NEXT-HOP, from SOURCE, AGE ago, via IFACE` (a static next hop alone, a BGP
next hop without interface: it is recursive), `, supernet` and `candidate default path` for the default,
`Routing Table: NAME` above a VRF's entry. Like IOS, an address only the default route covers is
`% Network not in table` (the default is shown for 0.0.0.0 itself).
"""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.ospf import rid as ospf_rid

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.route import Path, Route
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_NAMES = {"C": "connected", "L": "connected", "S": "static", "D": "eigrp", "O": "ospf", "B": "bgp", "H": "nhrp"}


def _find(rib: list[Route], words: list[str]) -> Route | None:
    """`A.B.C.D MASK`: that prefix; `A.B.C.D`: the longest match other than the default route."""
    if len(words) > 4:
        net = IPv4Network(f"{words[3]}/{words[4]}", strict=False)
        return next((r for r in rib if r.prefix == net), None)
    addr = IPv4Address(words[3])
    match = [r for r in rib if addr in r.prefix and (r.prefix.prefixlen > 0 or int(addr) == 0)]
    return max(match, key=lambda r: (r.prefix.prefixlen, r.code == "L"), default=None)


def _classful(net: IPv4Network) -> int:
    first = int(net.network_address) >> 24
    return 8 if first < 128 else 16 if first < 192 else 24


def _known(world: World, host: str, r: Route) -> str:
    routing = world.conf(host).routing
    proc = {"D": str(routing.eigrp[0].asn) if routing.eigrp else "",
            "O": str(routing.ospf[0].pid) if routing.ospf else "",
            "B": str(routing.bgp.asn) if routing.bgp else ""}.get(r.code, "")
    name = _NAMES.get(r.code, "connected") + (f" {proc}" if proc else "")
    tail = {"C": " (connected, via interface)", "L": " (connected)"}.get(r.code, "")
    kind = {"D": ", type internal", "O": ", type intra area", "B": ", type internal" if r.ad == 200 else
            ", type external"}.get(r.code, "")
    default = ", candidate default path" if r.prefix.prefixlen == 0 else ""
    return f'  Known via "{name}", distance {r.ad}, metric {r.metric}{tail}{default}{kind}'


def _source(world: World, snap: Snapshot, host: str, r: Route, p: Path) -> str:
    """The `from` of a learned path: OSPF names the neighbour's router ID, BGP the peer that sent it (a
    reflected route comes from the hub, not from its next hop), EIGRP the next hop."""
    if r.code == "O" and p.via:
        return str(ospf_rid(world, p.via))
    if r.code == "B":
        peer = next((a for a in snap.adjs_of(host, "bgp") if a.peer == r.extra.get("source")), None)
        return str(peer.peer_ip if peer else p.nexthop)
    return str(p.nexthop)


def _descriptor(world: World, snap: Snapshot, host: str, r: Route, p: Path, mark: str, age: str) -> str:
    if p.nexthop is None:
        return f"  {mark} directly connected, via {p.iface}"
    if r.code == "S":
        return f"  {mark} {p.nexthop}"
    via = f", via {p.iface}" if p.iface and r.code != "B" else ""
    return f"  {mark} {p.nexthop}, from {_source(world, snap, host, r, p)}, {age} ago{via}"


def route_entry(world: World, snap: Snapshot, host: str, rib: list[Route], words: list[str],
                vrf: str | None = None) -> str:
    route = _find(rib, words)
    if route is None:
        return "% Network not in table\n"
    age = uptime(world.clock.now() - route.since)
    supernet = ", supernet" if route.prefix.prefixlen < _classful(route.prefix) else ""
    out = ["", f"Routing Table: {vrf}"] if vrf else []
    out += [f"Routing entry for {route.prefix}{supernet}", _known(world, host, route)]
    first = route.paths[0]
    if route.code not in "CLS" and first.nexthop is not None:
        if route.code == "B":      # a BGP next hop is recursive: no interface, no comma (capture)
            out.append(f"  Last update from {_source(world, snap, host, route, first)} {age} ago")
        else:
            on = f" on {first.iface}" if first.iface else ""
            out.append(f"  Last update from {first.nexthop}{on}, {age} ago")
    out.append("  Routing Descriptor Blocks:")
    for i, p in enumerate(route.paths):
        out += [_descriptor(world, snap, host, route, p, "*" if i == 0 else " ", age),
                f"      Route metric is {route.metric}, traffic share count is 1"]
    return "\n".join(out) + "\n"
