"""`show logging`: the syslog buffer, filled from what the cloud model saw happen (state changes it tracks).

Messages as IOS-XE 16/17 log them (Cisco System Message Guide: DMVPN-5-NHRP_NHS_UP/DOWN, DMVPN-5-NHRP_NHC_UP,
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
    """(when, message) for every tracked change on ``host``, oldest first."""
    out: list[tuple[float, str]] = []
    for key, since in list(world.trackers.items()):
        kind = key[0]
        state = "up" if since.ok else "down"
        if kind == "if" and key[1] == host and (since.ok or since.ever):
            out.append((since.since, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {key[2]}, changed state "
                                     f"to {state}"))
        elif kind == "bgp" and key[1] == host and (since.ok or since.ever):
            out.append((since.since, f"%BGP-5-ADJCHANGE: neighbor {key[2]} {'Up' if since.ok else 'Down'} "))
        elif kind == "reg" and (since.ok or since.ever):
            out += _reg(world, host, key, since.since, since.ok)
        elif kind == "ike" and host in (key[1], key[3]) and since.ok:
            mine, peer = (key[1], key[3]) if key[1] == host else (key[3], key[1])
            tun, ptun = (str(key[2]), str(key[4])) if key[1] == host else (str(key[4]), str(key[2]))
            remote = nbma(world, str(peer), ptun).public or nbma(world, str(peer), ptun).private
            local = nbma(world, str(mine), tun).private
            out += [(since.since, f"%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is UP.  Peer {remote}:500"
                                  f"       Id: {remote}"),
                    (since.since, f"%DMVPN-5-CRYPTO_SS:  {tun}: local address : {local} remote address : "
                                  f"{remote} socket is UP")]
    for a in snap.adjs_of(host, "eigrp"):
        out.append((a.since, f"%DUAL-5-NBRCHANGE: EIGRP-IPv4 {a.process}: Neighbor {a.peer_ip} ({a.iface}) is up: "
                             "new adjacency"))
    return sorted(out, key=lambda e: e[0])


def _reg(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[float, str]]:
    spoke, tun, nhs_ip = str(key[1]), str(key[2]), str(key[3])
    if host == spoke:
        nhs = next((n for n in world.conf(spoke).interfaces[tun].nhs if str(n.tunnel_ip) == nhs_ip), None)
        hub_nbma = nhs.nbma if nhs and nhs.nbma else IPv4Address("0.0.0.0")
        me = nbma(world, spoke, tun).private
        return [(when, f"%DMVPN-5-NHRP_NHS_{'UP' if ok else 'DOWN'}: {tun}: Next Hop Server : (Tunnel: {nhs_ip} "
                       f"NBMA: {hub_nbma} ) for (Tunnel: {_tunnel_ip(world, spoke, tun)} NBMA: {me}) is "
                       f"{'UP' if ok else 'DOWN'}")]
    return []


def show_logging(world: World, snap: Snapshot, host: str) -> str:
    found = events(world, snap, host)
    lines = [f"{stamp(when)}: {msg}" for when, msg in found]
    return HEADER.format(n=len(lines)) + "\n" + "\n".join(lines) + ("\n" if lines else "")
