"""`show ip eigrp neighbors`, `show ip ospf neighbor` (`show ip bgp summary` is in show.bgp)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import hms, uptime
from dmvpn_ops.lab.cloud.ospf import priority, rid, roles

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.adjacency import Adj
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


def short(name: str) -> str:
    """IOS short interface names: Tunnel100 -> Tu100, GigabitEthernet1 -> Gi1."""
    for long, abbr in (("Tunnel", "Tu"), ("GigabitEthernet", "Gi"), ("Loopback", "Lo")):
        if name.startswith(long):
            return abbr + name[len(long):]
    return name


def _learned_from(snap: Snapshot, host: str) -> dict[str, int]:
    """Routes ``host`` holds through each neighbour (the update sequence number grows with them)."""
    out: dict[str, int] = {}
    for route in snap.ribs.get(host, []):
        for path in route.paths:
            if path.via:
                out[path.via] = out.get(path.via, 0) + 1
    return out


def srtt(adj: Adj) -> int:
    """Smooth round-trip time (ms) of an EIGRP neighbour: steady per neighbour, 40..99 ms over the cloud."""
    return 40 + int(adj.peer_ip) % 60


def show_eigrp_neighbors(world: World, snap: Snapshot, host: str) -> str:
    now = world.clock.now()
    out = []
    for eigrp in world.conf(host).routing.eigrp:
        adjs = sorted((a for a in snap.adjs_of(host, "eigrp") if a.process == eigrp.asn),
                      key=lambda a: (a.since, int(a.peer_ip)))
        learned = _learned_from(snap, host)
        out += [f"EIGRP-IPv4 Neighbors for AS({eigrp.asn})",
                "H   Address                 Interface              Hold Uptime   SRTT   RTO  Q  Seq",
                "                                                   (sec)         (ms)       Cnt Num"]
        for n, a in reversed(list(enumerate(adjs))):
            age = now - a.since
            hold = 14 - int(age) % 5
            rtt = srtt(a)
            seq = 3 + int(age // 3600) + learned.get(a.peer, 0)
            out.append(f"{n:<3} {str(a.peer_ip):<23} {short(a.iface):<22} {hold:>4} "
                       f"{uptime(age):<8} {rtt:>4}  {min(5000, rtt * 6):>4}  0  {seq}")
    return "\n".join(out) + ("\n" if out else "")


def show_ospf_neighbor(world: World, snap: Snapshot, host: str) -> str:
    if not world.conf(host).routing.ospf:  # IOS prints nothing at all without an OSPF process
        return ""
    now = world.clock.now()
    lines = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
    mine = snap.adjs_of(host, "ospf")
    seen = {iface: roles(world, host, iface, mine) for iface in {a.iface for a in mine}}
    for a in sorted(mine, key=lambda a: int(a.peer_ip)):
        role = seen[a.iface].get(a.peer, "DROTHER")
        dead = (120 if role == "  -" else 40) - int(now - a.since) % (30 if role == "  -" else 10)
        state = f"FULL/{role}"
        lines.append(f"{str(rid(world, a.peer)):<15} {priority(world, a.peer, a.peer_iface):>3}   "
                     f"{state:<15} {hms(dead):<11} {str(a.peer_ip):<15} {a.iface}")
    return "\n".join(lines) + "\n"

