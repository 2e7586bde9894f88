"""`show ip route` and `show ip route nhrp`."""
from __future__ import annotations

from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.rib import lookup
from dmvpn_ops.lab.cloud.route import Route

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

CODES = """Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area 
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR
"""


def _gateway(rib: list[Route]) -> str:
    default = next((r for r in rib if r.prefix.prefixlen == 0), None)
    if default is None or default.paths[0].nexthop is None:
        return "Gateway of last resort is not set"
    return f"Gateway of last resort is {default.paths[0].nexthop} to network 0.0.0.0"


def _code(r: Route) -> str:
    code = "S*" if r.code == "S" and r.prefix.prefixlen == 0 else r.code
    return f"{code:<4}%" if r.nho else f"{code:<3}"


def _lines(world: World, r: Route, indent: str) -> list[str]:
    now = world.clock.now()
    code = _code(r)
    head = f"{code}{indent[len(code) - 3:]}{r.prefix}"
    if r.code in "CL" or (r.code == "H" and r.paths[0].nexthop is None):
        age = f", {uptime(now - r.since)}" if r.code == "H" else ""
        return [f"{head} is directly connected{age}, {r.paths[0].iface}"]
    out = []
    for i, p in enumerate(r.paths):
        via = f"via {p.nexthop}"
        tail = f", {uptime(now - r.since)}" if r.code not in "S" else ""
        # BGP routes name no interface: the next hop is recursive (Cisco IP Routing: BGP configuration
        # guide, show ip route: `B  10.1.2.0/24 [200/0] via 172.16.100.12, 00:05:12`)
        tail += f", {p.iface}" if p.iface and r.code not in ("S", "B") else ""
        pre = head if i == 0 else " " * len(head)
        out.append(f"{pre} [{r.ad}/{r.metric}] {via}{tail}")
    return out


def _major(net: IPv4Network) -> IPv4Network:
    first = int(net.network_address) >> 24
    return net.supernet(new_prefix=8 if first < 128 else 16 if first < 192 else 24) \
        if net.prefixlen > (8 if first < 128 else 16 if first < 192 else 24) else net


def _table(world: World, rib: list[Route]) -> list[str]:
    groups: dict[IPv4Network, list[Route]] = {}
    for r in rib:
        groups.setdefault(_major(r.prefix), []).append(r)
    out: list[str] = []
    for major, routes in groups.items():
        if len(routes) == 1 and routes[0].prefix == major:
            out += _lines(world, routes[0], "   ")
            continue
        masks = {r.prefix.prefixlen for r in routes}
        if len(masks) == 1:
            out.append(f"      {major} is subnetted, {len(routes)} subnets")
        else:
            out.append(f"      {major} is variably subnetted, {len(routes)} subnets, {len(masks)} masks")
        for r in routes:
            out += _lines(world, r, "      ")
    return out


def show_ip_route(world: World, snap: Snapshot, host: str) -> str:
    rib = snap.ribs.get(host, [])
    return CODES + "\n" + _gateway(rib) + "\n\n" + "\n".join(_table(world, rib)) + "\n"


def show_ip_route_nhrp(world: World, snap: Snapshot, host: str) -> str:
    rib = [r for r in snap.ribs.get(host, []) if r.code == "H"]
    body = _table(world, rib)
    return CODES + "\n" + _gateway(snap.ribs.get(host, [])) + "\n\n" + "\n".join(body) + ("\n" if body else "")


__all__ = ["show_ip_route", "show_ip_route_nhrp", "lookup"]
