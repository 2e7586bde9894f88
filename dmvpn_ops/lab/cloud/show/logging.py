"""`show logging`: the syslog buffer, filled from what the cloud model saw happen (state changes it tracks).

Messages as IOS-XE 16/17 log them (Cisco System Message Guide and a real hub/spoke capture in public lab notes:
DMVPN-5-NHRP_NHS_UP/DOWN, DMVPN-5-NHRP_NHC_UP/DOWN, LINEPROTO-5-UPDOWN here; routing neighbours and crypto
sockets, up and down, the boot lines and %SYS-5-CONFIG_I, in :mod:`dmvpn_ops.lab.cloud.eventlog`; a reload
empties the buffer as a power cycle does), stamped with the lab clock in the
`service timestamps log datetime msec` form (`*Nov 25 10:15:32.123:`). No `%NHRP-5-NHOP_UP` line: no real
capture of its text was found (searched public captures, lab notes, issues and docs), so none is invented.
"""
from __future__ import annotations

import time
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.eventlog import EXTERNAL, booted, nhs_reason, order
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
    """(when, message) for every state change ``host`` saw since it powered on, oldest first: interface and
    registration changes from the model's change log, the lines :mod:`eventlog` rendered as they happened
    (routing neighbours, crypto sockets). Lines stamped at one instant keep the order IOS prints them in."""
    start, now = booted(world, host), world.clock.now()
    out: list[tuple[float, int, int, str]] = []
    for n, (when, key, ok) in enumerate(list(world.changes)):
        out += [(when, rank, n, msg) for rank, msg in _messages(world, host, key, when, ok)]
    out += [(when, rank, n, msg) for n, (when, rank, h, msg) in enumerate(list(world.syslog)) if h == host]
    found = sorted(e for e in out if start <= e[0] <= now)
    return [(when, msg) for when, _rank, _n, msg in found][-BUFFER_LINES:]


def _messages(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[int, str]]:
    """(rank at its instant, message) of the lines ``host`` logs for one change of the model."""
    kind, state = key[0], "up" if ok else "down"
    if kind == "if" and key[1] == host:
        return [(order("if", ok), f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {key[2]}, changed state to {state}")]
    if kind == "reg":
        return _reg(world, host, key, when, ok)
    return []


def _reg(world: World, host: str, key: tuple[object, ...], when: float, ok: bool) -> list[tuple[int, str]]:
    """NHS_UP/DOWN on the spoke, NHC_UP/DOWN on the hub, spaced exactly as a real capture prints them
    (UP: no space before `)`, `is  UP` on the spoke, `is UP` on the hub; DOWN: a space before `)` and the
    reason: `External(NHRP: no error)` on the hub, on the spoke the one :func:`eventlog.nhs_reason` recorded).
    Only a configured NHS registers: a static `ip nhrp map` of a peer that is no NHS (hubs mapping each
    other) logs no NHS/NHC line (the lines are the registration's: Cisco System Message Guide, DMVPN-5)."""
    spoke, tun, nhs_ip = str(key[1]), str(key[2]), str(key[3])
    if tun not in world.conf(spoke).interfaces:
        return []
    nhs = next((n for n in world.conf(spoke).interfaces[tun].nhs if str(n.tunnel_ip) == nhs_ip), None)
    if nhs is None or nhs.nbma is None:
        return []
    spoke_ip = _tunnel_ip(world, spoke, tun)
    me = f"Tunnel: {spoke_ip} NBMA: {nbma(world, spoke, tun).private}"
    if host == spoke:
        far = f"Tunnel: {nhs_ip} NBMA: {nhs.nbma}"
        return [(order("reg", ok, IPv4Address(nhs_ip)),
                 _nhrp_line("NHS", "Server", tun, far, me, ok, "  ", nhs_reason(world, when, key)))]
    hub_tun = next((t for t in world.conf(host).tunnels() if t.address and str(t.address.ip) == nhs_ip), None)
    if hub_tun is None:
        return []
    end = nbma(world, spoke, tun)
    them = f"Tunnel: {spoke_ip} NBMA: {end.public or end.private}"
    mine = f"Tunnel: {nhs_ip} NBMA: {nbma(world, host, hub_tun.name).private}"
    return [(order("reg", ok, IPv4Address(spoke_ip), nhc=True),
             _nhrp_line("NHC", "Client", hub_tun.name, them, mine, ok, " ", EXTERNAL))]


def _nhrp_line(role: str, word: str, tun: str, far: str, near: str, ok: bool, up_gap: str, reason: str) -> str:
    if ok:
        return f"%DMVPN-5-NHRP_{role}_UP: {tun}: Next Hop {word} : ({far}) for ({near}) is{up_gap}UP"
    return (f"%DMVPN-5-NHRP_{role}_DOWN: {tun}: Next Hop {word} : ({far} ) for ({near}) is DOWN, "
            f"Reason: {reason}")


def show_logging(world: World, snap: Snapshot, host: str) -> str:
    found = events(world, snap, host)
    lines = [f"{stamp(when)}: {msg}" for when, msg in found]
    return HEADER.format(n=len(lines)) + "\n" + "\n".join(lines) + ("\n" if lines else "")
