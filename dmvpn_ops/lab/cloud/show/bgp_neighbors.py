"""`show ip bgp neighbors [A.B.C.D]`: one block per neighbour, in the layout of real captures.

Layout: ntc-templates tests/cisco_ios/show_ip_bgp_neighbors/cisco_ios_show_ip_bgp_neighbors.raw (an
established iBGP session: capabilities, message statistics, the address-family block, then the TCP
transport section) and genieparser iosxe ShowIpBgpNeighbors golden_output5 (an Idle neighbour: zero
counters, `No active TCP connection`; ` Administratively shut down` under the head line of a shut one, as
NAPALM's ios template expects); copies in tests/fixtures/lab/show_ip_bgp_neighbors/. Values come
from the cloud model: configured and listen-range neighbours, session age, the peer's BGP router ID, the
prefixes each side sent (Adj-RIB-In) and the message counts `show ip bgp summary` prints.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.rib import lookup
from dmvpn_ops.lab.cloud.route import router_id
from dmvpn_ops.lab.cloud.show.bgp import down_state, messages
from dmvpn_ops.lab.cloud.state import bgp_tables

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.adjacency import Adj
    from dmvpn_ops.lab.cloud.routingview import Bgp
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


@dataclass(frozen=True)
class Peer:
    ip: IPv4Address
    asn: int
    adj: Adj | None          # the established session, if any
    sent: int                # prefixes Current sent / received (Adj-RIB-In of each side)
    rcvd: int


def _peers(world: World, snap: Snapshot, host: str, bgp: Bgp) -> list[Peer]:
    """Configured neighbours plus established listen-range ones (the same set `show ip bgp summary` lists)."""
    tables = bgp_tables(snap)
    received = tables.received if tables else {}
    up = {a.peer_ip: a for a in snap.adjs_of(host, "bgp")}
    out: dict[IPv4Address, Peer] = {}
    for ip, adj in up.items():
        peer_bgp = world.conf(adj.peer).routing.bgp
        asn = peer_bgp.asn if peer_bgp else bgp.neighbors.get(ip, bgp.asn)
        out[ip] = Peer(ip, asn, adj, len(received.get(adj.peer, {}).get(host, set())),
                       len(received.get(host, {}).get(adj.peer, set())))
    for ip, asn in bgp.neighbors.items():
        out.setdefault(ip, Peer(ip, asn, None, 0, 0))
    return [out[ip] for ip in sorted(out, key=int)]


def _ports(world: World, host: str, adj: Adj) -> tuple[int, int]:
    """(local, foreign) TCP ports: the side that accepts (listen range, else the higher address) is on 179,
    the opener on an ephemeral port both ends agree on."""
    bgp = world.conf(host).routing.bgp
    peer_bgp = world.conf(adj.peer).routing.bgp
    local_ip = _local_ip(world, host, adj)
    pair = sorted([str(local_ip), str(adj.peer_ip)])
    ephemeral = 10000 + int(hashlib.sha256("/".join(pair).encode()).hexdigest()[:6], 16) % 50000
    if bgp is not None and adj.peer_ip not in bgp.neighbors:
        passive = True                      # a listen-range neighbour opened the session to us
    elif peer_bgp is not None and local_ip not in peer_bgp.neighbors:
        passive = False
    else:
        passive = int(local_ip) > int(adj.peer_ip)
    return (179, ephemeral) if passive else (ephemeral, 179)


def _local_ip(world: World, host: str, adj: Adj) -> IPv4Address:
    addr = world.conf(host).interfaces[adj.iface].address
    return addr.ip if addr is not None else IPv4Address("0.0.0.0")


def _idle_head(world: World, snap: Snapshot, host: str, peer: Peer, head: list[str]) -> list[str]:
    """A neighbour without a session: the state `show ip bgp summary` gives it, zero counters."""
    bgp = world.conf(host).routing.bgp
    assert bgp is not None
    _, state = down_state(world, snap, host, bgp, peer.ip)
    shut = [" Administratively shut down"] if state == "Idle (Admin)" else []
    return head + shut + ["  BGP version 4, remote router ID 0.0.0.0", f"  BGP state = {state.split()[0]}",
                          "  Last read 00:00:00, last write 00:00:00, hold time is 180, keepalive interval is 60 "
                          "seconds", "  Message statistics:", "    InQ depth is 0", "    OutQ depth is 0",
                          "                         Sent       Rcvd", *_messages(0, 0, 0, 0),
                          "  Default minimum time between advertisement runs is 0 seconds"]


def _listen_group(bgp: Bgp, peer: Peer) -> tuple[IPv4Network, str] | None:
    """The `bgp listen range` a session came in through (None for a configured neighbour)."""
    if peer.ip in bgp.neighbors:
        return None
    return next(((net, group) for net, group in bgp.listen if peer.ip in net), None)


def _head(world: World, snap: Snapshot, host: str, peer: Peer, kind: str, now: float) -> list[str]:
    adj = peer.adj
    bgp = world.conf(host).routing.bgp
    listen = _listen_group(bgp, peer) if bgp is not None else None
    # a listen-range neighbour is marked `*` with its peer-group and range (Cisco IP Routing: BGP configuration
    # guide, "BGP Dynamic Neighbors": `BGP neighbor is *192.168.3.2, ...` / `Belongs to the subnet range group`)
    head = [f"BGP neighbor is {'*' if listen else ''}{peer.ip},  remote AS {peer.asn}, {kind} link"]
    if listen is not None:
        head += [f" Member of peer-group {listen[1]} for session parameters",
                 f" Belongs to the subnet range group: {listen[0]}"]
    if adj is None:
        return _idle_head(world, snap, host, peer, head)
    peer_bgp = world.conf(adj.peer).routing.bgp
    rid = router_id(world, adj.peer, peer_bgp.router_id if peer_bgp else None)
    rcvd, sent = messages(now, adj.since)
    return head + [f"  BGP version 4, remote router ID {rid}",
                   f"  BGP state = Established, up for {uptime(now - adj.since)}",
                   f"  Last read 00:00:{int(now - adj.since) % 60:02d}, last write 00:00:{int(now - adj.since) % 60:02d}"
                   ", hold time is 180, keepalive interval is 60 seconds",
                   "  Neighbor sessions:", "    1 active, is not multisession capable (disabled)",
                   "  Neighbor capabilities:", "    Route refresh: advertised and received(new)",
                   "    Four-octets ASN Capability: advertised and received",
                   "    Address family IPv4 Unicast: advertised and received",
                   "    Enhanced Refresh Capability: advertised and received", "    Multisession Capability:",
                   "    Stateful switchover support enabled: NO for session 1",
                   "  Message statistics:", "    InQ depth is 0", "    OutQ depth is 0", "",
                   "                         Sent       Rcvd", *_messages(sent, rcvd, 1, 1),
                   "  Do log neighbor state changes (via global configuration)",
                   "  Default minimum time between advertisement runs is 0 seconds"]


def _messages(sent: int, rcvd: int, opens_out: int, opens_in: int) -> list[str]:
    """The message table; its totals are the summary's MsgSent/MsgRcvd (Updates: the prefixes and End-of-RIB)."""
    upd_out, upd_in = min(2, max(0, sent - 1)), min(2, max(0, rcvd - 1))
    keep_out, keep_in = max(0, sent - opens_out - upd_out), max(0, rcvd - opens_in - upd_in)
    rows = [("Opens:", opens_out, opens_in), ("Notifications:", 0, 0), ("Updates:", upd_out, upd_in),
            ("Keepalives:", keep_out, keep_in), ("Route Refresh:", 0, 0), ("Total:", sent, rcvd)]
    return [f"    {name:<15}{out:>10}{inn:>11}" for name, out, inn in rows]


def _family(peer: Peer, index: int) -> list[str]:
    up = peer.adj is not None
    return ["", " For address family: IPv4 Unicast", f"  Session: {peer.ip}",
            f"  BGP table version {1 + peer.rcvd if up else 1}, neighbor version {1 + peer.rcvd if up else 0}/0",
            "  Output queue size : 0", f"  Index {index}, Advertise bit 0",
            f"  {1 if up else 0} update-group member",
            "  Slow-peer detection is disabled", "  Slow-peer split-update-group dynamic is disabled",
            "                                 Sent       Rcvd", "  Prefix activity:               ----       ----",
            f"    Prefixes Current:          {peer.sent:>6} {peer.rcvd:>10}"
            + (f" (Consumes {peer.rcvd * 136} bytes)" if peer.rcvd else ""),
            f"    Prefixes Total:            {peer.sent:>6} {peer.rcvd:>10}",
            "    Implicit Withdraw:              0          0", "    Explicit Withdraw:              0          0",
            f"    Used as bestpath:             n/a {peer.rcvd:>10}", "    Used as multipath:            n/a          0",
            "", "                                   Outbound    Inbound",
            "  Local Policy Denied Prefixes:    --------    -------",
            "    Total:                               0          0",
            "  Number of NLRIs in the update sent: max 1, min 0" if up else
            "  Number of NLRIs in the update sent: max 0, min 0",
            "  Last detected as dynamic slow peer: never", "  Dynamic slow peer recovered: never"]


def _resets(world: World, host: str, peer: Peer) -> list[str]:
    """Connections established/dropped and the last reset: a neighbour that went down after being up
    dropped one (`Last reset 00:00:05, due to Admin. shutdown` when shut, else the hold timer)."""
    if peer.adj is not None:
        return ["  Connections established 1; dropped 0", "  Last reset never"]
    since = world.since(("bgp", host, str(peer.ip)))
    if since is None or not since.ever:
        return ["  Connections established 0; dropped 0", "  Last reset never"]
    bgp = world.conf(host).routing.bgp
    why = "Admin. shutdown" if bgp is not None and str(peer.ip) in bgp.shutdown else \
        "BGP Notification sent, hold time expired"
    return ["  Connections established 1; dropped 1",
            f"  Last reset {uptime(world.clock.now() - since.since)}, due to {why}"]


def _transport(world: World, snap: Snapshot, host: str, peer: Peer) -> list[str]:
    adj = peer.adj
    routed = "does have" if lookup(snap.ribs.get(host, []), peer.ip) is not None else "does not have"
    out = ["", f"  Address tracking is enabled, the RIB {routed} a route to {peer.ip}", *_resets(world, host, peer),
           "  Transport(tcp) path-mtu-discovery is enabled", "  Graceful-Restart is disabled", "  SSO is disabled"]
    if adj is None:
        return out + ["  No active TCP connection"]
    local, foreign = _ports(world, host, adj)
    return out + ["Connection state is ESTAB, I/O status: 1, unread input bytes: 0",
                  "Connection is ECN Disabled, Mininum incoming TTL 0, Outgoing TTL 255",
                  f"Local host: {_local_ip(world, host, adj)}, Local port: {local}",
                  f"Foreign host: {peer.ip}, Foreign port: {foreign}",
                  "Connection tableid (VRF): 0", "Maximum output segment queue size: 50", "",
                  "Enqueued packets for retransmit: 0, input: 0  mis-ordered: 0 (0 bytes)", "",
                  "Status Flags: " + ("passive open, gen tcbs" if local == 179 else "active open"),
                  "Option Flags: nagle, path mtu capable", "IP Precedence value : 6", ""]


def show_bgp_neighbors(world: World, snap: Snapshot, host: str, only: str | None) -> str:
    """Every neighbour, or the one asked for (`% No such neighbor or address family` otherwise)."""
    bgp = world.conf(host).routing.bgp
    if bgp is None:
        return "% BGP not active\n"
    now = world.clock.now()
    out: list[str] = []
    for index, peer in enumerate(_peers(world, snap, host, bgp), start=1):
        if only is not None and str(peer.ip) != only:
            continue
        kind = "internal" if peer.asn == bgp.asn else "external"
        out += _head(world, snap, host, peer, kind, now) + _family(peer, index) + _transport(world, snap, host, peer) + [""]
    if only is not None and not out:
        return "% No such neighbor or address family\n"
    return "\n".join(out)
