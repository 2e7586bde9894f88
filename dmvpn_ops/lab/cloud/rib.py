"""Per-router routing table: connected, static, EIGRP/OSPF/BGP and NHRP routes, best by distance."""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.route import Path, Route

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


def connected(world: World, host: str, up: set[tuple[str, str]], since: float,
              vrf: str | None = None) -> list[Route]:
    """C and L routes of the interfaces of ``vrf`` (None: the global table) whose line protocol is up: an
    interface under `vrf forwarding X` is in X's table only (`show ip route vrf X`), not the global one."""
    out: list[Route] = []
    for iface in world.conf(host).connected():
        if iface.address is None or (host, iface.name) not in up or iface.vrf != vrf:
            continue
        out.append(Route(iface.address.network, "C", 0, 0, [Path(None, iface.name)], since))
        out.append(Route(IPv4Network(f"{iface.address.ip}/32"), "L", 0, 0,
                         [Path(None, iface.name)], since))
    return out


def resolve_iface(routes: list[Route], nexthop: IPv4Address | None) -> str | None:
    """The connected interface a next hop sits on."""
    for r in routes:
        if r.code == "C" and nexthop is not None and nexthop in r.prefix:
            return r.paths[0].iface
    return None


def statics(world: World, host: str, conn: list[Route], since: float) -> list[Route]:
    out: list[Route] = []
    for prefix, target in world.conf(host).static_routes:
        if target[0].isdigit():
            nh = IPv4Address(target)
            iface = resolve_iface(conn, nh)
            if iface is not None:
                out.append(Route(prefix, "S", 1, 0, [Path(nh, iface)], since))
        elif any(r.paths[0].iface == target for r in conn):
            out.append(Route(prefix, "S", 1, 0, [Path(None, target)], since))
    return out


def best(candidates: list[Route]) -> list[Route]:
    """One route per prefix: lowest administrative distance wins (ties keep the first)."""
    chosen: dict[tuple[IPv4Network, bool], Route] = {}
    for r in candidates:
        key = (r.prefix, r.code == "L")
        cur = chosen.get(key)
        if cur is None or r.ad < cur.ad:
            chosen[key] = r
    return sorted(chosen.values(), key=lambda r: (int(r.prefix.network_address), r.prefix.prefixlen,
                                                 r.code != "C"))


def lookup(rib: list[Route], dst: IPv4Address) -> Route | None:
    """Longest-prefix match."""
    match = [r for r in rib if dst in r.prefix]
    return max(match, key=lambda r: r.prefix.prefixlen, default=None)
