"""`show ip bgp summary`: configured and listen-range neighbours, their state and what they sent.

IOS lists every configured neighbour (`neighbor X remote-as N`), sorted by address: an established one
with its Up/Down time and PfxRcd (every prefix it sent, best or not), one without a session with its
state in the State/PfxRcd column (`Idle`, `Active`, `Idle (Admin)` when shut) and `never` in Up/Down
until it has been up once (then the time since it went down). Neighbours created from a
`bgp listen range` exist only while established and carry a leading `*`; the listen-range footer follows.
"""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.rib import lookup
from dmvpn_ops.lab.cloud.route import router_id
from dmvpn_ops.lab.cloud.state import bgp_tables

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.routingview import Bgp
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

HEADER = "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"


@dataclass(frozen=True)
class Row:
    ip: IPv4Address
    asn: int
    dynamic: bool
    rcvd: int
    sent: int
    tblver: int
    updown: str
    state: str            # the State/PfxRcd column

    def line(self) -> str:
        name = ("*" if self.dynamic else "") + str(self.ip)
        state = f"{self.state:>8}" if self.state.isdigit() else self.state
        return (f"{name:<15} 4 {self.asn:>12} {self.rcvd:>7} {self.sent:>7} {self.tblver:>8}    0    0 "
                f"{self.updown:<8} {state}")


def messages(now: float, since: float) -> tuple[int, int]:
    """(received, sent) BGP messages of a session up since ``since``: OPEN, the updates and End-of-RIB,
    then a keepalive a minute each way (`show ip bgp summary` MsgRcvd/MsgSent, `neighbors` Total)."""
    rcvd = 4 + int((now - since) // 60)
    return rcvd, rcvd + 1


def down_state(world: World, snap: Snapshot, host: str, bgp: Bgp, ip: IPv4Address) -> tuple[str, str]:
    """(Up/Down, State) of a configured neighbour without a session.

    Shut: `Idle (Admin)`. Otherwise BGP keeps opening TCP to it: `Active` while a route leads to the
    address (nobody answers), `Idle` when there is none (tunnel down, no underlay).
    """
    if str(ip) in bgp.shutdown:
        state = "Idle (Admin)"
    else:
        state = "Active" if lookup(snap.ribs.get(host, []), ip) is not None else "Idle"
    since = world.since(("bgp", host, str(ip)))
    updown = uptime(world.clock.now() - since.since) if since and since.ever else "never"
    return updown, state


def _rows(world: World, snap: Snapshot, host: str, bgp: Bgp, tblver: int,
          received: dict[str, set[IPv4Network]]) -> list[Row]:
    now = world.clock.now()
    rows: dict[IPv4Address, Row] = {}
    for a in snap.adjs_of(host, "bgp"):
        peer_bgp = world.conf(a.peer).routing.bgp
        assert peer_bgp is not None
        rcvd, sent = messages(now, a.since)
        pfx = len(received.get(a.peer, set()))
        rows[a.peer_ip] = Row(a.peer_ip, peer_bgp.asn, str(a.peer_ip) not in bgp.remote_as, rcvd, sent,
                              tblver, uptime(now - a.since), str(pfx))
    for ip, asn in bgp.neighbors.items():
        if ip not in rows:
            updown, state = down_state(world, snap, host, bgp, ip)
            rows[ip] = Row(ip, asn, False, 0, 0, 1, updown, state)
    return [rows[ip] for ip in sorted(rows, key=int)]


def _footer(bgp: Bgp, dynamic: int) -> list[str]:
    """The listen-range trailer: one block per peer-group listing its ranges in configuration order."""
    groups: dict[str, list[IPv4Network]] = {}
    for net, group in bgp.listen:
        groups.setdefault(group, []).append(net)
    ranges = len(bgp.listen)
    lines = ["* Dynamically created based on a listen range command",
             f"Dynamically created neighbors: {dynamic}, Subnet ranges: {ranges}", ""]
    for group, nets in groups.items():
        lines += [f"BGP peergroup {group} listen range group members: ", *(f"  {n} " for n in nets), ""]
    return lines + [f"Total dynamically created neighbors: {dynamic}/({bgp.listen_limit} max), "
                    f"Subnet ranges: {ranges}", ""]


def _memory(snap: Snapshot, host: str, nets: int, paths: int) -> list[str]:
    """The memory block of a non-empty table, IOS-XE 17 sizes (a CSR1000V capture: 248 bytes a network,
    136 a path, 288 an attribute set; tests/fixtures/lab/show_ip_bgp_summary/lab_csr_listen_range.raw).
    Attribute sets are the distinct (next hop, AS path) pairs of all paths / of the best ones."""
    tables = bgp_tables(snap)
    every = {(p.nexthop, p.as_path) for ps in (tables.paths.get(host, {}) if tables else {}).values() for p in ps}
    bests = {(r.paths[0].nexthop, r.extra.get("as_path")) for r in snap.ribs.get(host, []) if r.code == "B"}
    local = 1 if tables and tables.local.get(host) else 0          # the own networks share one set
    attrs, best = len(every) + local, len(bests) + local
    total = nets * 248 + paths * 136 + attrs * 288
    return [f"{nets} network entries using {nets * 248} bytes of memory",
            f"{paths} path entries using {paths * 136} bytes of memory",
            f"{attrs}/{best} BGP path/bestpath attribute entries using {attrs * 288} bytes of memory",
            "0 BGP route-map cache entries using 0 bytes of memory",
            "0 BGP filter-list cache entries using 0 bytes of memory",
            f"BGP using {total} total bytes of memory",
            f"BGP activity {nets}/0 prefixes, {paths}/0 paths, scan interval 60 secs"]


def show_bgp_summary(world: World, snap: Snapshot, host: str) -> str:
    bgp = world.conf(host).routing.bgp
    if bgp is None:
        return "% BGP not active\n"
    tables = bgp_tables(snap)
    received = tables.received.get(host, {}) if tables else {}
    local = tables.local.get(host, set()) if tables else set()
    nets = len(local.union(*received.values()))
    paths = len(local) + sum(len(v) for v in received.values())
    lines = [f"BGP router identifier {router_id(world, host, bgp.router_id)}, local AS number {bgp.asn}",
             f"BGP table version is {nets + 1}, main routing table version {nets + 1}"]
    if nets:
        lines += _memory(snap, host, nets, paths)
    rows = _rows(world, snap, host, bgp, nets + 1, received)
    lines += ["", HEADER, *(r.line() for r in rows)]
    if bgp.listen:
        lines += _footer(bgp, sum(r.dynamic for r in rows))
    return "\n".join(lines) + "\n"
