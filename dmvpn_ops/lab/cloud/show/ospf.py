"""`show ip ospf interface [X] [brief]` and `show ip ospf neighbor [X] detail` in the layouts of real captures.

Layouts (copies in tests/fixtures/lab/): genieparser iosxe ShowIpOspfInterface2 golden_output2 (IOS-XE 16/17
per-interface block: loopback stub host, point-to-point/broadcast state, timers, flood counters, adjacent
neighbours), ntc-templates tests/cisco_ios/show_ip_ospf_interface_brief and genieparser iosxe
ShowIpOspfInterfaceBrief (brief table: cost left-aligned under `Cost`), genieparser iosxe
ShowIpOspfNeighborDetail2 golden_output3 (neighbour detail with `interface-id`, `DR is ... BDR is ...` and the
Hello/DBD options). Values come from the cloud model: network statements, interface state, network type,
cost, the adjacencies and their DR/BDR roles; timers are IOS's defaults for the network type
(Cisco OSPF configuration guide: hello 10/dead 40 on broadcast and point-to-point, 30/120 on
point-to-multipoint).
"""
from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import hms, uptime
from dmvpn_ops.lab.cloud.adjacency import _ospf_type as ospf_type
from dmvpn_ops.lab.cloud.ospf import priority, rid, roles
from dmvpn_ops.lab.cloud.route import ospf_cost, router_id
from dmvpn_ops.lab.cloud.show.interfaces import _status as status_of
from dmvpn_ops.lab.cloud.show.routing import short

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.adjacency import Adj
    from dmvpn_ops.lab.cloud.configview import Iface
    from dmvpn_ops.lab.cloud.routingview import Ospf
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_NO_DR = IPv4Address("0.0.0.0")


def timers(world: World, host: str, iface: str) -> tuple[int, int]:
    """(hello, dead) seconds: 30/120 on point-to-multipoint, 10/40 otherwise (IOS defaults)."""
    return (30, 120) if ospf_type(world, host, iface) == "point-to-multipoint" else (10, 40)


def dead_due(world: World, adj: Adj, now: float) -> int:
    """Seconds until the dead timer fires: it restarts at every hello, so it never drops below dead - hello."""
    hello, dead = timers(world, adj.host, adj.iface)
    return dead - int(now - adj.since) % hello


def interface_id(world: World, host: str, iface: str) -> int:
    """The interface's ifIndex: its position in the router's interface table (stable across runs)."""
    return list(world.conf(host).interfaces).index(iface) + 1


def _kind(world: World, host: str, iface: Iface) -> str:
    if iface.name.startswith("Loopback"):
        return "LOOPBACK"
    return {"point-to-multipoint": "POINT_TO_MULTIPOINT", "non-broadcast": "NON_BROADCAST"}.get(
        ospf_type(world, host, iface.name), "BROADCAST")


def _members(world: World, host: str, o: Ospf) -> list[tuple[Iface, str]]:
    """Interfaces a network statement of ``o`` enables, with the statement's area."""
    out = []
    for iface in world.conf(host).interfaces.values():
        addr = iface.address
        stmt = next((n for n in o.networks if addr is not None and n.covers(addr.ip)), None)
        if stmt is not None:
            out.append((iface, str(stmt.area or "0")))
    return out


def _dr_bdr(world: World, snap: Snapshot, host: str, iface: str) -> tuple[tuple[str, IPv4Address],
                                                                          tuple[str, IPv4Address] | None]:
    """(DR, BDR) of a broadcast segment as (router, interface address); BDR None when alone."""
    adjs = [a for a in snap.adjs_of(host, "ospf") if a.iface == iface]
    seen = roles(world, host, iface, adjs)
    addr = {a.peer: a.peer_ip for a in adjs}
    own = world.conf(host).interfaces[iface].address
    addr[host] = own.ip if own else _NO_DR
    pick = {role: h for h, role in seen.items() if role in ("DR", "BDR")}
    dr = pick.get("DR", host)
    bdr = pick.get("BDR")
    return (dr, addr[dr]), ((bdr, addr[bdr]) if bdr is not None else None)


def _block(world: World, snap: Snapshot, host: str, o: Ospf, iface: Iface, area: str) -> list[str]:
    status, proto = status_of(world, snap, host, iface)
    addr = iface.address
    assert addr is not None
    kind = _kind(world, host, iface)
    cost = ospf_cost(world, host, iface.name)
    out = [f"{iface.name} is {status}, line protocol is {proto} ",
           f"  Internet Address {addr.with_prefixlen}, Interface ID {interface_id(world, host, iface.name)}, "
           f"Area {area}", "  Attached via Network Statement",
           f"  Process ID {o.pid}, Router ID {router_id(world, host, o.router_id)}, Network Type {kind}, "
           f"Cost: {cost}", "  Topology-MTID    Cost    Disabled    Shutdown      Topology Name",
           f"        0           {cost:<10}no          no            Base"]
    if kind == "LOOPBACK":
        return out + ["  Loopback interface is treated as a stub Host"]
    adjs = sorted((a for a in snap.adjs_of(host, "ospf") if a.iface == iface.name), key=lambda a: int(a.peer_ip))
    return out + _state(world, snap, host, iface, kind, proto == "up") + _flood(world, host, iface, adjs) \
        + _adjacent(world, snap, host, iface, kind, adjs)


def _state(world: World, snap: Snapshot, host: str, iface: Iface, kind: str, up: bool) -> list[str]:
    pri = priority(world, host, iface.name)
    if not up:
        return [f"  Transmit Delay is 1 sec, State DOWN, Priority {pri}"]
    if kind == "POINT_TO_MULTIPOINT":
        return ["  Transmit Delay is 1 sec, State POINT_TO_MULTIPOINT"]
    (dr, dr_ip), bdr = _dr_bdr(world, snap, host, iface.name)
    mine = "DR" if dr == host else "BDR" if bdr and bdr[0] == host else "DROTHER"
    out = [f"  Transmit Delay is 1 sec, State {mine}, Priority {pri}",
           f"  Designated Router (ID) {rid(world, dr)}, Interface address {dr_ip}"]
    if bdr is not None:
        out.append(f"  Backup Designated router (ID) {rid(world, bdr[0])}, Interface address {bdr[1]}")
    return out


def _flood(world: World, host: str, iface: Iface, adjs: list[Adj]) -> list[str]:
    hello, dead = timers(world, host, iface.name)
    left = hello - int(world.clock.now()) % hello
    n = len(adjs)
    return [f"  Timer intervals configured, Hello {hello}, Dead {dead}, Wait {dead}, Retransmit 5",
            f"    oob-resync timeout {dead}", f"    Hello due in {hms(left)}",
            "  Supports Link-local Signaling (LLS)", "  Cisco NSF helper support enabled",
            "  IETF NSF helper support enabled", "  Can be protected by per-prefix Loop-Free FastReroute",
            "  Can be used for per-prefix Loop-Free FastReroute repair paths", "  Not Protected by per-prefix TI-LFA",
            f"  Index 1/{interface_id(world, host, iface.name)}/{interface_id(world, host, iface.name)}, "
            "flood queue length 0", "  Next 0x0(0)/0x0(0)/0x0(0)",
            f"  Last flood scan length is {min(n, 1)}, maximum is {n}",
            "  Last flood scan time is 0 msec, maximum is 0 msec"]


def _adjacent(world: World, snap: Snapshot, host: str, iface: Iface, kind: str, adjs: list[Adj]) -> list[str]:
    out = [f"  Neighbor Count is {len(adjs)}, Adjacent neighbor count is {len(adjs)} "]
    seen = roles(world, host, iface.name, adjs)
    for a in adjs:
        role = {"DR": "  (Designated Router)", "BDR": "  (Backup Designated Router)"}.get(seen.get(a.peer, ""), "")
        out.append(f"    Adjacent with neighbor {rid(world, a.peer)}" + (role if kind != "POINT_TO_MULTIPOINT" else ""))
    return out + ["  Suppress hello for 0 neighbor(s)"]


def show_ospf_interface(world: World, snap: Snapshot, host: str, words: list[str]) -> str:
    """`show ip ospf interface [X] [brief]`; nothing at all without an OSPF process (as `show ip ospf
    neighbor`)."""
    name = next((w for w in words[4:] if w != "brief"), None)
    if "brief" in words:
        return show_ospf_interface_brief(world, snap, host, name)
    out: list[str] = []
    for o in world.conf(host).routing.ospf:
        for iface, area in _members(world, host, o):
            if name is None or iface.name == name:
                out += _block(world, snap, host, o, iface, area)
    return "\n".join(out) + ("\n" if out else "")


def show_ospf_interface_brief(world: World, snap: Snapshot, host: str, name: str | None = None) -> str:
    """The brief table; the state column as IOS abbreviates it (LOOP, P2MP, DR, BDR, DROTH, DOWN)."""
    conf = world.conf(host)
    if not conf.routing.ospf:
        return ""
    out = ["Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C"]
    for o in conf.routing.ospf:
        for iface, area in _members(world, host, o):
            if name is not None and iface.name != name or iface.address is None:
                continue
            adjs = [a for a in snap.adjs_of(host, "ospf") if a.iface == iface.name]
            out.append(f"{short(iface.name):<12} {o.pid:<5} {area:<15} {iface.address.with_prefixlen:<18} "
                       f"{ospf_cost(world, host, iface.name):<5} {_brief_state(world, snap, host, iface):<5} "
                       f"{len(adjs)}/{len(adjs)}")
    return "\n".join(out) + "\n"


def _brief_state(world: World, snap: Snapshot, host: str, iface: Iface) -> str:
    kind = _kind(world, host, iface)
    if status_of(world, snap, host, iface)[1] != "up":
        return "DOWN"
    if kind in ("LOOPBACK", "POINT_TO_MULTIPOINT"):
        return "LOOP" if kind == "LOOPBACK" else "P2MP"
    (dr, _), bdr = _dr_bdr(world, snap, host, iface.name)
    return "DR" if dr == host else "BDR" if bdr and bdr[0] == host else "DROTH"


def show_ospf_neighbor_detail(world: World, snap: Snapshot, host: str, name: str | None) -> str:
    """One block per adjacency; Dead timer as `show ip ospf neighbor` counts it, DR/BDR 0.0.0.0 off broadcast
    segments."""
    now = world.clock.now()
    out: list[str] = []
    for a in sorted(snap.adjs_of(host, "ospf"), key=lambda a: int(a.peer_ip)):
        if name is not None and a.iface != name:
            continue
        if ospf_type(world, host, a.iface) == "point-to-multipoint":
            dr_ip, bdr_ip = _NO_DR, _NO_DR
        else:
            (_, dr_ip), bdr = _dr_bdr(world, snap, host, a.iface)
            bdr_ip = bdr[1] if bdr else _NO_DR
        index = interface_id(world, host, a.iface)
        area = next((ar for o in world.conf(host).routing.ospf for i, ar in _members(world, host, o)
                     if i.name == a.iface), "0")
        out += [f"Neighbor {rid(world, a.peer)}, interface address {a.peer_ip}, "
                f"interface-id {interface_id(world, a.peer, a.peer_iface)}",
                f"    In the area {area} via interface {a.iface}",
                f"    Neighbor priority is {priority(world, a.peer, a.peer_iface)}, State is FULL, 6 state changes",
                f"    DR is {dr_ip} BDR is {bdr_ip}",
                "    Options is 0x12 in Hello (E-bit, L-bit)", "    Options is 0x52 in DBD (E-bit, L-bit, O-bit)",
                "    LLS Options is 0x1 (LR)", f"    Dead timer due in {hms(dead_due(world, a, now))}",
                f"    Neighbor is up for {uptime(now - a.since)}",
                f"    Index 1/{index}/{index}, retransmission queue length 0, number of retransmission 0",
                "    First 0x0(0)/0x0(0)/0x0(0) Next 0x0(0)/0x0(0)/0x0(0)",
                "    Last retransmission scan length is 0, maximum is 0",
                "    Last retransmission scan time is 0 msec, maximum is 0 msec"]
    return "\n".join(out) + ("\n" if out else "")
