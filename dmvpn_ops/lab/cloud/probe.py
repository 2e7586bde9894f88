"""`ping` and `traceroute` as IOS prints them, with the NHRP side effects traffic has."""
from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.reach import has_route
from dmvpn_ops.lab.cloud.traffic import Trip, build_dynamic, forward, owner_of_address
from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


def _options(words: list[str]) -> dict[str, str]:
    opts: dict[str, str] = {}
    for key in ("source", "repeat", "size", "timeout", "vrf"):
        if key in words and words.index(key) + 1 < len(words):
            opts[key] = words[words.index(key) + 1]
    return opts


def _target(words: list[str]) -> IPv4Address | None:
    skip = {"vrf"}
    for i, w in enumerate(words[1:], 1):
        if words[i - 1] in skip:
            continue
        try:
            return IPv4Address(w)
        except ValueError:
            continue
    return None


def _source(world: World, host: str, opt: str | None) -> IPv4Address | None:
    if opt is None:
        return None
    iface = world.conf(host).interfaces.get(opt)
    if iface is not None:
        return iface.address.ip if iface.address else None
    return IPv4Address(opt)


def _side_effects(world: World, trip: Trip) -> None:
    for host, tun, peer, _nh in trip.resolutions:
        peer_tun = _tunnel_on(world, peer, host, tun)
        if peer_tun is None:
            continue
        build_dynamic(world, host, tun, peer, (_host_net(world, peer, peer_tun),), False)
        build_dynamic(world, peer, peer_tun, host, (_host_net(world, host, tun),), False)
    for spoke, tun, dst in trip.redirects:
        if not world.conf(spoke).interfaces[tun].shortcut:
            continue
        target = trip.hops[-1][0] if trip.delivered and trip.hops else None
        peer_tun = _tunnel_on(world, target, spoke, tun) if target else None
        if target and peer_tun:
            lan = _covering(world, target, dst)
            build_dynamic(world, spoke, tun, target, (lan, _host_net(world, target, peer_tun)), True)


def _tunnel_on(world: World, peer: str | None, host: str, tun: str) -> str | None:
    mine = world.conf(host).interfaces[tun].address
    return next((t.name for t in world.conf(peer).tunnels() if peer and t.address and mine
                 and t.address.network == mine.network), None) if peer else None


def _host_net(world: World, host: str, tun: str) -> IPv4Network:
    addr = world.conf(host).interfaces[tun].address
    return IPv4Network(f"{addr.ip}/32") if addr else IPv4Network("0.0.0.0/32")


def _covering(world: World, host: str, dst: IPv4Address) -> IPv4Network:
    for iface in world.conf(host).connected():
        if iface.address and dst in iface.address.network:
            return iface.address.network
    return IPv4Network(f"{dst}/32")


def _underlay_ok(world: World, snap: Snapshot, host: str, dst: IPv4Address, vrf: str | None) -> bool:
    """A ping to an NBMA address travels the underlay of the table it is sent in: the global one, or
    ``vrf`` for `ping vrf V` (Cisco IOS-XE DMVPN configuration guide, "DMVPN: Front Door VRF": an interface
    under `vrf forwarding` is reachable through that VRF's table only). The peer's underlay must be up and
    each end needs a route to the other (a route lookup in ``vrf`` here, in the peer's transport VRF back)."""
    for peer in world.routers():
        for tun in world.conf(peer).tunnels():
            end = nbma(world, peer, tun.name)
            if dst in (end.public, end.private) and (peer, end.interface) in snap.up:
                return has_route(world, host, vrf, dst) and _route_back(world, host, vrf, peer, tun.name)
    return False


def _route_back(world: World, host: str, vrf: str | None, peer: str, peer_tun: str) -> bool:
    """Can ``peer`` answer: a route from its tunnel's transport VRF to ``host``'s address in ``vrf`` (the
    post-NAT NBMA of a tunnel sourced there, else the first addressed interface of the VRF)."""
    ifaces = world.conf(host).interfaces
    src = next((nbma(world, host, t.name).public for t in world.conf(host).tunnels()
                if t.source in ifaces and ifaces[t.source].vrf == vrf), None)
    if src is None:
        src = next((i.address.ip for i in ifaces.values()
                    if i.vrf == vrf and i.address is not None and not i.is_tunnel), None)
    return src is not None and has_route(world, peer, world.conf(peer).interfaces[peer_tun].tunnel_vrf, src)


def _is_nbma(world: World, dst: IPv4Address) -> bool:
    return any(dst in (e.public, e.private) for peer in world.routers()
               for e in (nbma(world, peer, t.name) for t in world.conf(peer).tunnels()))


def _underlay_trip(world: World, snap: Snapshot, host: str, dst: IPv4Address, vrf: str | None) -> Trip:
    """Hops towards an underlay address in ``vrf``: the next hop of the static route used (the ISP gateway),
    then the destination; none when the table has no way there (the model has no routers between)."""
    if not _underlay_ok(world, snap, host, dst, vrf):
        return Trip()
    connected = any(i.vrf == vrf and i.address is not None and dst in i.address.network
                    for i in world.conf(host).interfaces.values())
    gateway = None if connected else next(
        (nh for rvrf, net, nh in world.conf(host).underlay_routes if rvrf == vrf and dst in net), None)
    hops = [(host, IPv4Address(gateway))] if gateway and gateway[0].isdigit() else []
    return Trip(hops=[*hops, (host, dst)], delivered=True)


def run_ping(world: World, snap: Snapshot, host: str, command: str) -> str:
    """``ping A.B.C.D [source X] [repeat N] [size N]`` on ``host``."""
    words = command.split()
    opts, dst = _options(words), _target(words)
    if dst is None:
        return "% Unrecognized host or address, or protocol not running.\n"
    count, size = int(opts.get("repeat", 5)), int(opts.get("size", 100))
    ok = _round_trip(world, snap, host, dst, _source(world, host, opts.get("source")), opts, count)
    lines = ["Type escape sequence to abort.",
             f"Sending {count}, {size}-byte ICMP Echos to {dst}, timeout is {opts.get('timeout', 2)} seconds:"]
    if "source" in opts:
        lines.append(f"Packet sent with a source address of {_source(world, host, opts['source'])} ")
    lines.append(("!" if ok else ".") * count)
    if ok:
        lines.append(f"Success rate is 100 percent ({count}/{count}), round-trip min/avg/max = 1/2/4 ms")
    else:
        lines.append(f"Success rate is 0 percent (0/{count})")
    return "\n".join(lines) + "\n"


def _round_trip(world: World, snap: Snapshot, host: str, dst: IPv4Address,
                src: IPv4Address | None, opts: dict[str, str], count: int) -> bool:
    vrf = opts.get("vrf")
    if vrf is not None or _is_nbma(world, dst):  # a VRF's table, or the global one towards the underlay
        return _underlay_ok(world, snap, host, dst, vrf)
    there = forward(world, snap, host, dst, count)
    _side_effects(world, there)
    if not there.delivered:
        return False
    back_from = owner_of_address(world, snap, dst) or host
    back = forward(world, snap, back_from, src or _egress(world, snap, host, dst), count)
    _side_effects(world, back)
    return back.delivered


def _egress(world: World, snap: Snapshot, host: str, dst: IPv4Address) -> IPv4Address:
    from dmvpn_ops.lab.cloud.rib import lookup
    route = lookup(snap.ribs.get(host, []), dst)
    iface = route.paths[0].iface if route else None
    addr = world.conf(host).interfaces[iface].address if iface else None
    return addr.ip if addr else dst


def run_traceroute(world: World, snap: Snapshot, host: str, command: str) -> str:
    """``traceroute A.B.C.D [source X]``: one line per hop, the last one the destination."""
    words = command.split()
    dst = _target(words)
    if dst is None:
        return "% Unrecognized host or address, or protocol not running.\n"
    vrf = _options(words).get("vrf")
    if vrf is not None or _is_nbma(world, dst):     # the same table choice as ping
        trip = _underlay_trip(world, snap, host, dst, vrf)
    else:
        trip = forward(world, snap, host, dst)
        _side_effects(world, trip)
    lines = ["Type escape sequence to abort.", f"Tracing the route to {dst}",
             "VRF info: (vrf in name/id, vrf out name/id)"]
    for n, (_router, addr) in enumerate(trip.hops, 1):
        shown = dst if trip.delivered and n == len(trip.hops) else addr
        lines.append(f"  {n} {shown} {n} msec {n + 1} msec {n} msec")
    if not trip.delivered:
        start = len(trip.hops) + 1
        lines += [f"  {n} * * * " for n in range(start, min(start + 3, 31))]
    return "\n".join(lines) + "\n"
