"""Syslog lines the routers print as things change: interface links, crypto sockets and routing neighbours,
up and down, and the reason a spoke gives when an NHS goes down.

Each derivation of the cloud is compared with the previous one (a transition is logged once, never again
on the next show); the line is rendered when it happens, with the lab clock, and kept in ``World.syslog``
for `show logging`. A router that is powered off logs nothing; its buffer restarts at power-on and after
`reload` (the cloud powers it off for the reload), with the lines IOS prints as it boots.

Formats are copied from real captures (public lab notes and parser fixtures), cited next to each one. The
model drops a neighbour at the instant its cause happens; IOS would wait for the hold/dead timer on the far
side, so a "holding time expired" line here carries the time of the cause.
"""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.adjacency import Adj, covered
from dmvpn_ops.lab.cloud.ospf import rid
from dmvpn_ops.lab.cloud.underlay import nbma
from dmvpn_ops.lab.image import BANNER

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.nhrp import Reg
    from dmvpn_ops.lab.cloud.world import World

# order of lines stamped at the same instant (a real capture, see _socket_lines: the sockets and NHRP, per
# peer, then the routing neighbours, then the tunnel's line protocol and its LINK line going down; coming up the
# line protocol and LINK first, then the boot lines of a router powered on; a physical interface's LINK line
# comes before everything it takes down or up; SYS lines, rendered when they happen, last)
RANK_DOWN = {"link": 0, "sock": 1, "reg": 1, "adj": 3, "if": 4, "tunlink": 5, "sys": 6}
RANK_UP = {"link": 0, "if": 1, "tunlink": 2, "boot": 3, "sock": 4, "reg": 4, "adj": 5, "sys": 6}


def order(kind: str, up: bool, peer_ip: IPv4Address | None = None, nhc: bool = False) -> int:
    """Where a line goes among those stamped at its instant: its kind's rank, then for socket and NHRP lines
    the peer's tunnel address, so each peer's lines stay together, in the order of a real IOS-XE DMVPN lab
    (hub and spoke `show logging`, tunnel shut and re-opened, W4-W7 of that capture set): on the hub each
    spoke's `NHRP_NHC_DOWN` then its `CRYPTO_SS ... socket is DOWN`, spoke after spoke; coming up, and
    always on a spoke, the socket first, then the NHS/NHC line."""
    rank = (RANK_UP if up else RANK_DOWN)[kind] << 40
    if peer_ip is None:
        return rank
    first = "reg" if nhc and not up else "sock"
    return rank | int(peer_ip) << 1 | (kind != first)


@dataclass(frozen=True)
class Socket:
    """One end of an IPsec socket between a spoke tunnel and a hub tunnel, as that end prints it."""

    host: str
    tun: str
    peer: str
    peer_tun: str
    local: IPv4Address
    remote: IPv4Address
    version: int
    nat: bool                           # NAT between the ends: IKE floated to UDP 4500 (RFC 7296 2.23)
    peer_ip: IPv4Address | None         # the peer's tunnel address (groups its lines with its NHRP line)
    nhc: bool                           # this end is the NHS the peer registers with (the hub's end)


def add(world: World, when: float, host: str, kind: str, up: bool, message: str,
        peer_ip: IPv4Address | None = None, nhc: bool = False) -> None:
    """Put one line in ``host``'s buffer (nothing while it is powered off)."""
    if not world.powered_off(host):
        world.syslog.append((when, order(kind, up, peer_ip, nhc), host, message))


def record(world: World, regs: list[Reg], adjs: list[Adj], up: set[tuple[str, str]]) -> None:
    """Log what changed since the previous derivation: power, links, crypto sockets, NHS reasons, neighbours."""
    now = world.clock.now()
    for host in world.routers():
        before = world.since(("power", host))
        was_on = before is not None and before.ok       # read now: track() updates that record in place
        if world.track(("power", host), not world.powered_off(host)).ok and not was_on:
            _boot(world, host, now)
    _links(world, up, now)
    dropped = _sockets(world, regs, up, now)
    _nhs_reasons(world, regs, up, dropped, now)
    _adjacencies(world, adjs, up, now)


def _boot(world: World, host: str, now: float) -> None:
    """What IOS puts in the buffer as it boots, after the interfaces' first states (real boot logs, 7200
    15.2(4)M7, C1900 15.4(3)M3, C3900e 15.2(4)M6a: `%SYS-5-CONFIG_I: Configured from memory by console`, then
    `%SYS-5-RESTART: System restarted --` with the image banner on the lines after it)."""
    add(world, now, host, "boot", True, "%SYS-5-CONFIG_I: Configured from memory by console")
    add(world, now, host, "boot", True, f"%SYS-5-RESTART: System restarted --\n{BANNER}")


def booted(world: World, host: str) -> float:
    """When ``host`` last powered on (its buffer holds nothing older)."""
    since = world.since(("power", host))
    return since.since if since is not None and since.ok else float("inf")


# --- interfaces (the LINK lines; LINEPROTO comes from the model's change log) ------------------------

def _links(world: World, up: set[tuple[str, str]], now: float) -> None:
    """Each interface's state ("admin" shut, "up", "down"); a router powered off has none, so at power-on
    every interface logs its state as IOS does at boot."""
    current: dict[tuple[str, str], str] = {}
    for host in world.routers():
        if world.powered_off(host):
            continue
        for iface in world.conf(host).interfaces.values():
            # a tunnel's link is up unless shut: when its source fails only its line protocol goes down
            current[(host, iface.name)] = "admin" if iface.shutdown else (
                "up" if (host, iface.name) in up or iface.is_tunnel else "down")
    for (host, name), state in sorted(current.items()):
        if world.links.get((host, name)) != state:
            line = _link_line(name, state)
            if line:
                add(world, now, host, "tunlink" if name.startswith("Tunnel") else "link", state == "up", line)
    world.links = current


def _link_line(name: str, state: str) -> str:
    """Real captures: `%LINK-5-CHANGED: Interface Tunnel0, changed state to administratively down` and
    `%LINK-5-UPDOWN: Interface Tunnel0, changed state to up` (IOS-XE DMVPN lab logs, tunnel shut and re-opened),
    `%LINK-3-UPDOWN: Interface GigabitEthernet2, changed state to up` / `... to down` (CSR1000v logs)."""
    if state == "admin":
        return f"%LINK-5-CHANGED: Interface {name}, changed state to administratively down"
    level = 5 if name.startswith("Tunnel") else 3
    return f"%LINK-{level}-UPDOWN: Interface {name}, changed state to {state}"


# --- crypto sockets -----------------------------------------------------------------------------------

def _ends(world: World, reg: Reg, up: set[tuple[str, str]]) -> list[Socket]:
    """The socket ends ``reg`` runs over: IPsec protects it, an SA is up (or still held during DPD) and that
    end's own tunnel is up (a tunnel shut or a router powered off drops its end at once, as in the capture
    in _socket_lines; the other end keeps its SA until DPD). Hubs mapping each other statically run one
    socket too (their IKE session is in `show crypto session`), logged once per end however many maps."""
    neg = reg.neg if reg.neg is not None and reg.neg.ok else (reg.held.neg if reg.held is not None else None)
    if neg is None or not neg.protected or reg.hub is None or reg.hub_tunnel is None:
        return []
    spoke, hub = nbma(world, reg.spoke, reg.tunnel), nbma(world, reg.hub, reg.hub_tunnel)
    if spoke.private is None or hub.private is None:
        return []
    addr = world.conf(reg.spoke).interfaces[reg.tunnel].address
    ends = [Socket(reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel, spoke.private, hub.public or hub.private,
                   neg.version, neg.nat, reg.nhs.tunnel_ip, False),
            Socket(reg.hub, reg.hub_tunnel, reg.spoke, reg.tunnel, hub.private, spoke.public or spoke.private,
                   neg.version, neg.nat, addr.ip if addr else None, not reg.static)]
    return [e for e in ends if (e.host, e.tun) in up]


def _sockets(world: World, regs: list[Reg], up: set[tuple[str, str]], now: float) -> set[tuple[str, str, str]]:
    """Log socket ends that went down or came up; returns the (router, tunnel, peer) ends that went down."""
    current = {(e.host, e.tun, e.peer, e.peer_tun): e for reg in regs for e in _ends(world, reg, up)}
    dropped = set()
    for key in sorted(world.sockets.keys() - current.keys()):
        _socket_lines(world, now, world.sockets[key], False)
        dropped.add(key[:3])
    for key in sorted(current.keys() - world.sockets.keys()):
        _socket_lines(world, now, current[key], True)
    world.sockets = current
    return dropped


EXTERNAL = "External(NHRP: no error)"
REG_FAILURE = "NHRP Registration Failure(NHRP: no error)"


def _nhs_reasons(world: World, regs: list[Reg], up: set[tuple[str, str]], dropped: set[tuple[str, str, str]],
                 now: float) -> None:
    """The reason of each NHS that went down now, as the spoke prints it (hub and spoke logs of a real
    IOS-XE DMVPN lab): `External(NHRP: no error)` when its crypto socket or its tunnel went down with it,
    `NHRP Registration Failure(NHRP: no error)` when the registrations went unanswered (socket and tunnel up)."""
    for reg in regs:
        key = ("reg", reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip))
        since = world.since(key)
        if reg.ok or reg.static or since is None or since.ok or since.since != now:
            continue
        external = (reg.spoke, reg.tunnel) not in up or (reg.spoke, reg.tunnel, reg.hub or "") in dropped
        world.reasons[(now, key)] = EXTERNAL if external else REG_FAILURE


def nhs_reason(world: World, when: float, key: tuple[object, ...]) -> str:
    """The reason recorded for an NHS that went down at ``when`` (External when none was recorded)."""
    return str(world.reasons.get((when, key), EXTERNAL))


def _socket_lines(world: World, when: float, s: Socket, ok: bool) -> None:
    """CRYPTO_SS (hub and spoke logs of a real IOS-XE DMVPN lab: `%DMVPN-5-CRYPTO_SS:  Tunnel0: local
    address : 203.0.113.2 remote address : 198.51.100.2 socket is DOWN`, two spaces after the tag), after
    IKEV2_SESSION_STATUS for an IKEv2 SA (Cisco System Message Guide, CRYPTO-5). Its `Peer address:port` is
    the IKE peer's UDP port: 4500 once NAT was detected between the ends (RFC 7296 section 2.23, IKE moves to
    port 4500; the NATed IKEv2 peer of the real capture shared/reference/captures/show_crypto_session_detail/
    ntc-templates_ikev2_1.txt: `Peer: 21.16.95.23 port 4500`, `IKEv2 SA: local .../4500 remote .../4500`), else
    500."""
    word = "UP" if ok else "DOWN"
    if s.version == 2:
        port = 4500 if s.nat else 500
        add(world, when, s.host, "sock", ok, f"%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is {word}.  "
                                             f"Peer {s.remote}:{port}       Id: {s.remote}", s.peer_ip, s.nhc)
    add(world, when, s.host, "sock", ok,
        f"%DMVPN-5-CRYPTO_SS:  {s.tun}: local address : {s.local} remote address : {s.remote} socket is {word}",
        s.peer_ip, s.nhc)


def cleared(world: World, host: str) -> None:
    """`clear crypto session` on ``host``: its SAs are deleted and tunnel protection negotiates them again
    (Cisco Security CR, clear crypto session), so ``host`` and its peers log each socket DOWN then UP."""
    now = world.clock.now()
    for sock in sorted(world.sockets.values(), key=lambda e: (e.host, e.tun, e.peer)):
        if host in (sock.host, sock.peer):
            _socket_lines(world, now, sock, False)
            _socket_lines(world, now, sock, True)


# --- routing neighbours -------------------------------------------------------------------------------

AdjKey = tuple[str, str, str, str, int]


def _adjacencies(world: World, adjs: list[Adj], up: set[tuple[str, str]], now: float) -> None:
    current: dict[AdjKey, Adj] = {(a.proto, a.host, a.iface, str(a.peer_ip), a.process): a for a in adjs}
    for key in sorted(world.adjacent.keys() - current.keys()):
        a, pid = world.adjacent.pop(key)
        for line in _down(world, a, pid, up):
            add(world, now, a.host, "adj", False, line)
    for key in sorted(current.keys() - world.adjacent.keys()):
        a = current[key]
        pid = _pid(world, a) if a.proto == "ospf" else a.process
        world.adjacent[key] = (a, pid)
        add(world, max(a.since, now), a.host, "adj", True, _up(world, a, pid))


def _dynamic(world: World, a: Adj) -> bool:
    """A BGP neighbour accepted through `bgp listen range` (IOS prints it with a leading `*`)."""
    bgp = world.conf(a.host).routing.bgp
    return bgp is not None and a.peer_ip not in bgp.neighbors and _listens(world, a)


def _pid(world: World, a: Adj) -> int:
    """``a.host``'s own OSPF process over the interface (the pair was built with the spoke's)."""
    conf = world.conf(a.host)
    addr = conf.interfaces[a.iface].address if a.iface in conf.interfaces else None
    ip = addr.ip if addr else None
    return next((o.pid for o in conf.routing.ospf if covered(o.networks, ip)), a.process)


def _up(world: World, a: Adj, pid: int) -> str:
    if a.proto == "eigrp":   # real capture: `%DUAL-5-NBRCHANGE: EIGRP-IPv4 65001: Neighbor 10.1.12.2
        # (GigabitEthernet0/0) is up: new adjacency` (ENARSI EIGRP troubleshooting lab notes)
        return f"%DUAL-5-NBRCHANGE: EIGRP-IPv4 {a.process}: Neighbor {a.peer_ip} ({a.iface}) is up: new adjacency"
    if a.proto == "ospf":    # real capture: `%OSPF-5-ADJCHG: Process 10, Nbr 3.3.3.3 on Tunnel0 from LOADING
        # to FULL, Loading Done` (GRE/IPsec lab notes); Nbr is the neighbour's router ID
        return (f"%OSPF-5-ADJCHG: Process {pid}, Nbr {rid(world, a.peer)} on {a.iface} from LOADING to FULL, "
                "Loading Done")
    star = "*" if _dynamic(world, a) else ""   # real DMVPN hub capture: `%BGP-5-ADJCHANGE: neighbor
    return f"%BGP-5-ADJCHANGE: neighbor {star}{a.peer_ip} Up "   # *172.16.200.28 Up ` (trailing space)


def _cause(world: World, a: Adj, up: set[tuple[str, str]]) -> str:
    """Why ``a`` went down, as ``a.host`` sees it: "local" (its own interface or configuration),
    "shutdown" / "peer-shutdown" / "deleted" (BGP configuration), else "timer" (the peer went silent)."""
    conf = world.conf(a.host)
    mine = conf.interfaces.get(a.iface)
    if (a.host, a.iface) not in up or mine is None:
        return "local"
    ip = mine.address.ip if mine.address else None
    if a.proto == "eigrp" and not any(e.asn == a.process and covered(e.networks, ip) for e in conf.routing.eigrp):
        return "local"
    if a.proto == "ospf" and not any(covered(o.networks, ip) for o in conf.routing.ospf):
        return "local"
    if a.proto != "bgp":
        return "timer"
    bgp, theirs = conf.routing.bgp, world.conf(a.peer).routing.bgp
    if bgp is None or (a.peer_ip not in bgp.neighbors and not _listens(world, a)):
        return "deleted"
    if str(a.peer_ip) in bgp.shutdown:
        return "shutdown"
    if theirs is not None and ip is not None and str(ip) in theirs.shutdown:
        return "peer-shutdown"
    return "timer"


def _listens(world: World, a: Adj) -> bool:
    bgp = world.conf(a.host).routing.bgp
    return bgp is not None and any(a.peer_ip in net for net, _group in bgp.listen)


def _down(world: World, a: Adj, pid: int, up: set[tuple[str, str]]) -> list[str]:
    cause = _cause(world, a, up)
    if a.proto == "eigrp":
        # real captures: `... (Tunnel0) is down: interface down` (IOS-XE DMVPN hub and spoke logs, tunnel
        # shut) and `... (GigabitEthernet0/0) is down: holding time expired` (ENARSI EIGRP lab notes)
        why = "interface down" if cause == "local" else "holding time expired"
        return [f"%DUAL-5-NBRCHANGE: EIGRP-IPv4 {a.process}: Neighbor {a.peer_ip} ({a.iface}) is down: {why}"]
    if a.proto == "ospf":
        # real captures: `Nbr 203.0.113.18 on Tunnel0 from FULL to DOWN, Neighbor Down: Interface down or
        # detached` (after `no network` on a DMVPN branch) and `... Neighbor Down: Dead timer expired`
        why = "Interface down or detached" if cause == "local" else "Dead timer expired"
        return [f"%OSPF-5-ADJCHG: Process {pid}, Nbr {rid(world, a.peer)} on {a.iface} from FULL to DOWN, "
                f"Neighbor Down: {why}"]
    return _bgp_down(world, a, cause)


def _bgp_down(world: World, a: Adj, cause: str) -> list[str]:
    """The BGP lines of a session ending, in the order real captures print them (each cited below)."""
    if _dynamic(world, a):
        # DMVPN hub capture (dynamic neighbour, hold timer): NOTIFICATION sent, the session removed with
        # `Neighbor deleted` (the dynamic neighbour is deleted), then `Down BGP Notification sent`
        peer = f"*{a.peer_ip}"
        why = {"local": "Interface flap", "peer-shutdown": "BGP Notification received"}.get(cause,
                                                                                          "BGP Notification sent")
        first = {"local": [], "peer-shutdown": [f"%BGP-3-NOTIFICATION: received from neighbor {peer} 6/2 "
                                                "(Administrative Shutdown) 0 bytes"]}.get(
            cause, [f"%BGP-3-NOTIFICATION: sent to neighbor {peer} 4/0 (hold time expired) 0 bytes "])
        return first + [f"%BGP_SESSION-5-ADJCHANGE: neighbor {peer} IPv4 Unicast topology base removed from "
                        "session  Neighbor deleted", f"%BGP-5-ADJCHANGE: neighbor {peer} Down {why}"]
    peer = str(a.peer_ip)
    if cause == "shutdown":   # capture: `neighbor 172.16.22.22 Down Admin. shutdown` + BGP_SESSION, no NBR_RESET
        return _bgp_pair(peer, "Admin. shutdown")
    if cause == "deleted":    # `no neighbor X`: the session ends `Neighbor deleted` (reason of the hub capture)
        return _bgp_pair(peer, "Neighbor deleted")
    if cause == "local":      # capture (CSR1000v, interface shut): NBR_RESET (Interface flap), Down, BGP_SESSION
        return [f"%BGP-5-NBR_RESET: Neighbor {peer} reset (Interface flap)"] + _bgp_pair(peer, "Interface flap")
    if cause == "peer-shutdown":   # the peer's Cease 6/2 arrives: `%BGP-3-NOTIFICATION: received from neighbor
        # X 6/2 (Administrative Shutdown) 0 bytes`, then NBR_RESET/Down/BGP_SESSION `BGP Notification received`
        # (the received form of a real capture of a 2/2 notification, with the 6/2 text IOS prints)
        return ([f"%BGP-3-NOTIFICATION: received from neighbor {peer} 6/2 (Administrative Shutdown) 0 bytes",
                 f"%BGP-5-NBR_RESET: Neighbor {peer} reset (BGP Notification received)"]
                + _bgp_pair(peer, "BGP Notification received"))
    # capture (hold timer): NOTIFICATION sent 4/0, NBR_RESET (BGP Notification sent), Down, BGP_SESSION
    return ([f"%BGP-3-NOTIFICATION: sent to neighbor {peer} 4/0 (hold time expired) 0 bytes",
             f"%BGP-5-NBR_RESET: Neighbor {peer} reset (BGP Notification sent)"]
            + _bgp_pair(peer, "BGP Notification sent"))


def _bgp_pair(peer: str, why: str) -> list[str]:
    """`%BGP-5-ADJCHANGE ... Down <why>` then IOS-XE's `%BGP_SESSION-5-ADJCHANGE ... removed from session  <why>`
    (two spaces before the reason in every capture)."""
    return [f"%BGP-5-ADJCHANGE: neighbor {peer} Down {why}",
            f"%BGP_SESSION-5-ADJCHANGE: neighbor {peer} IPv4 Unicast topology base removed from session  {why}"]
