"""Routing adjacencies over the tunnel: which protocol neighbours exist and since when."""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.nhrp import Reg, reverse
from dmvpn_ops.lab.cloud.routingview import NetworkStmt

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World


@dataclass(frozen=True)
class Adj:
    """A routing neighbour relation seen from ``host`` towards ``peer``."""

    proto: str                 # eigrp | ospf | bgp
    process: int
    host: str
    iface: str
    peer: str
    peer_iface: str
    peer_ip: IPv4Address
    since: float


def covered(nets: list[NetworkStmt], addr: IPv4Address | None) -> NetworkStmt | None:
    return next((n for n in nets if addr is not None and n.covers(addr)), None)


def _multicast_ok(world: World, reg: Reg) -> bool:
    """Hellos are multicast: the hub needs `map multicast dynamic`, the spoke a multicast NHS map."""
    hub_if = world.conf(reg.hub or "").interfaces[reg.hub_tunnel or ""]
    return reg.nhs.multicast and hub_if.multicast_dynamic


def _ip(world: World, host: str, iface: str) -> IPv4Address | None:
    addr = world.conf(host).interfaces[iface].address
    return addr.ip if addr else None


def _pair(world: World, proto: str, pid: int, reg: Reg, since: float) -> list[Adj]:
    a, a_if, b, b_if = reg.spoke, reg.tunnel, reg.hub or "", reg.hub_tunnel or ""
    a_ip, b_ip = _ip(world, a, a_if), _ip(world, b, b_if)
    if a_ip is None or b_ip is None:
        return []
    return [Adj(proto, pid, a, a_if, b, b_if, b_ip, since),
            Adj(proto, pid, b, b_if, a, a_if, a_ip, since)]


def _igp(world: World, reg: Reg, since: float, multicast: bool | None = None) -> list[Adj]:
    """IGP neighbours over ``reg``; ``multicast`` overrides the NHS rule (hub-to-hub static maps)."""
    out: list[Adj] = []
    if not (_multicast_ok(world, reg) if multicast is None else multicast):
        return out
    ra, rb = world.conf(reg.spoke).routing, world.conf(reg.hub or "").routing
    a_ip, b_ip = _ip(world, reg.spoke, reg.tunnel), _ip(world, reg.hub or "", reg.hub_tunnel or "")
    for ea in ra.eigrp:
        eb = next((e for e in rb.eigrp if e.asn == ea.asn), None)
        if eb and covered(ea.networks, a_ip) and covered(eb.networks, b_ip):
            out += _pair(world, "eigrp", ea.asn, reg, since + 2)
    for oa in ra.ospf:
        na = covered(oa.networks, a_ip)
        nb = next((covered(o.networks, b_ip) for o in rb.ospf if covered(o.networks, b_ip)), None)
        if na and nb and na.area == nb.area and _ospf_type(world, reg.spoke, reg.tunnel) == \
                _ospf_type(world, reg.hub or "", reg.hub_tunnel or ""):
            out += _pair(world, "ospf", oa.pid, reg, since + 5)
    return out


def _ospf_type(world: World, host: str, iface: str) -> str:
    """OSPF network type of an interface; timers must match, so p2mp never pairs with broadcast."""
    for line in world.conf(host).interfaces[iface].lines:
        if line.startswith("ip ospf network "):
            kind = line.split()[3]
            return "point-to-multipoint" if kind == "point-to-multipoint" else (
                "non-broadcast" if kind == "non-broadcast" else "broadcast")
    return "broadcast"   # GRE default is point-to-point: same 10/40 timers as broadcast


def _bgp(world: World, reg: Reg, since: float) -> list[Adj]:
    ba, bb = world.conf(reg.spoke).routing.bgp, world.conf(reg.hub or "").routing.bgp
    b_ip = _ip(world, reg.hub or "", reg.hub_tunnel or "")
    a_ip = _ip(world, reg.spoke, reg.tunnel)
    if ba is None or bb is None or b_ip is None or a_ip is None:
        return []
    if ba.neighbors.get(b_ip) != bb.asn or str(b_ip) in ba.shutdown:
        return []
    group = next((g for net, g in bb.listen if a_ip in net), None)
    remote = bb.neighbors.get(a_ip) or (bb.remote_as.get(group) if group else None)
    if str(a_ip) in bb.shutdown or (str(a_ip) not in bb.remote_as and group in bb.shutdown):
        return []   # `neighbor X shutdown` (or the listen range's peer-group shut) on the other end
    return _pair(world, "bgp", ba.asn, reg, since + 8) if remote == ba.asn else []


def adjacencies(world: World, regs: list[Reg]) -> list[Adj]:
    """All routing neighbours formed over live registrations (both directions).

    Hubs mapping each other statically are neighbours once (counted on the mapping of the router
    with the lower name): unicast (BGP) needs both mappings, hellos need both to replicate multicast.
    """
    out: list[Adj] = []
    for reg in regs:
        if not reg.ok:
            continue
        since = world.track(("reg", reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip)), True).since
        if not reg.static:
            out += _igp(world, reg, since) + _bgp(world, reg, since)
            continue
        back = reverse(regs, reg)
        if back is None or not back.ok or reg.spoke > (reg.hub or ""):
            continue
        out += _igp(world, reg, since, reg.nhs.multicast and back.nhs.multicast) + _bgp(world, reg, since)
    return out
