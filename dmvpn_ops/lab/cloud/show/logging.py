"""`show logging`: the syslog buffer, filled from what the cloud model saw happen (state changes it tracks).

Messages as IOS-XE 16/17 log them (Cisco System Message Guide and a real hub/spoke capture in public lab notes:
DMVPN-5-NHRP_NHS_UP/DOWN, DMVPN-5-NHRP_NHC_UP/DOWN,
DMVPN-5-CRYPTO_SS, LINEPROTO-5-UPDOWN, DUAL-5-NBRCHANGE, BGP-5-ADJCHANGE, CRYPTO-5-IKEV2_SESSION_STATUS),
stamped with the lab clock in the `service timestamps log datetime msec` form (`*Nov 25 10:15:32.123:`).
"""
from __future__ import annotations

import time
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.underlay import nbma

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

BUFFER_LINES = 60    # `logging buffered` default 8192 bytes: about 60 messages
HEADER = """Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)

No Active Message Discriminator.



No Inactive Message Discriminator.


    Console logging: level debugging, {n} messages logged, xml disabled,
                     filtering disabled
    Monitor logging: level debugging, 0 messages logged, xml disabled,
                     filtering disabled
    Buffer logging:  level debugging, {n} messages logged, xml disabled,
                    filtering disabled
    Exception Logging: size (4096 bytes)
    Count and timestamp logging messages: disabled
    Persistent logging: disabled

No active filter modules.

    Trap logging: level informational, {n} message lines logged
        Logging Source-Interface:       VRF Name:

Log Buffer (8192 bytes):
"""


def stamp(epoch: float) -> str:
    t = time.gmtime(epoch)
    return f"*{time.strftime('%b %d %H:%M:%S', t).replace(' 0', '  ', 1)}.{int(epoch % 1 * 1000):03d}"


def _tunnel_ip(world: World, host: str, tun: str) -> str:
    addr = world.conf(host).interfaces[tun].address
    return str(addr.ip) if addr else "0.0.0.0"


def events(world: World, snap: Snapshot, host: str) -> list[tuple[float, str]]:
    """(when, message) for every state change ``host`` saw, oldest first (the model's change log)."""
    out: list[tuple[float, str]] = []
    for when, key, ok in list(world.changes):
        out += _messages(world, host, key, when, ok)
    for a in snap.adjs_of(host, "eigrp"):   # adjacencies are derived, not tracked: the current ones
        out.append((a.since, f"%DUAL-5-NBRCHANGE: EIGRP-IPv4 {a.process}: Neighbor {a.peer_ip} ({a.iface}) is up: "
                             "new adjacency"))
    return sorted(out, key=lambda e: e[0])[-BUFFER_LINES:]


def _messages(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[float, str]]:
    kind, state = key[0], "up" if ok else "down"
    if kind == "if" and key[1] == host:
        return [(when, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {key[2]}, changed state to {state}")]
    if kind == "bgp" and key[1] == host:
        return [(when, f"%BGP-5-ADJCHANGE: neighbor {key[2]} {'Up' if ok else 'Down'} ")]
    if kind == "reg":
        return _reg(world, host, key, when, ok)
    if kind == "ike" and host in (key[1], key[3]):
        return _ike(world, host, key, when, ok)
    return []


def _ike(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[float, str]]:
    mine, peer = (str(key[1]), str(key[3])) if key[1] == host else (str(key[3]), str(key[1]))
    tun, ptun = (str(key[2]), str(key[4])) if key[1] == host else (str(key[4]), str(key[2]))
    if tun not in world.conf(mine).interfaces or ptun not in world.conf(peer).interfaces:
        return []   # reconfigured since
    far, near = nbma(world, peer, ptun), nbma(world, mine, tun)
    remote, local = far.public or far.private, near.private
    word = "UP" if ok else "DOWN"
    return [(when, f"%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is {word}.  Peer {remote}:500"
                   f"       Id: {remote}"),
            (when, f"%DMVPN-5-CRYPTO_SS:  {tun}: local address : {local} remote address : {remote} socket is {word}")]


def _reg(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[float, str]]:
    """NHS_UP/DOWN on the spoke, NHC_UP/DOWN on the hub, spaced exactly as a real capture prints them
    (UP: no space before `)`, `is  UP` on the spoke, `is UP` on the hub; DOWN: a space before `)` and the
    reason `External(NHRP: no error)`)."""
    spoke, tun, nhs_ip = str(key[1]), str(key[2]), str(key[3])
    if tun not in world.conf(spoke).interfaces:
        return []
    me = f"Tunnel: {_tunnel_ip(world, spoke, tun)} NBMA: {nbma(world, spoke, tun).private}"
    if host == spoke:
        nhs = next((n for n in world.conf(spoke).interfaces[tun].nhs if str(n.tunnel_ip) == nhs_ip), None)
        far = f"Tunnel: {nhs_ip} NBMA: {nhs.nbma if nhs and nhs.nbma else IPv4Address('0.0.0.0')}"
        return [(when, _nhrp_line("NHS", "Server", tun, far, me, ok, "  "))]
    hub_tun = next((t for t in world.conf(host).tunnels() if t.address and str(t.address.ip) == nhs_ip), None)
    if hub_tun is None:
        return []
    them = f"Tunnel: {_tunnel_ip(world, spoke, tun)} NBMA: {nbma(world, spoke, tun).public or nbma(world, spoke, tun).private}"
    mine = f"Tunnel: {nhs_ip} NBMA: {nbma(world, host, hub_tun.name).private}"
    return [(when, _nhrp_line("NHC", "Client", hub_tun.name, them, mine, ok, " "))]


def _nhrp_line(role: str, word: str, tun: str, far: str, near: str, ok: bool, up_gap: str) -> str:
    if ok:
        return f"%DMVPN-5-NHRP_{role}_UP: {tun}: Next Hop {word} : ({far}) for ({near}) is{up_gap}UP"
    return (f"%DMVPN-5-NHRP_{role}_DOWN: {tun}: Next Hop {word} : ({far} ) for ({near}) is DOWN, "
            "Reason: External(NHRP: no error)")


def show_logging(world: World, snap: Snapshot, host: str) -> str:
    found = events(world, snap, host)
    lines = [f"{stamp(when)}: {msg}" for when, msg in found]
    return HEADER.format(n=len(lines)) + "\n" + "\n".join(lines) + ("\n" if lines else "")
