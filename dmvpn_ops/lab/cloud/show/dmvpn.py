"""`show dmvpn` and `show dmvpn detail`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.entries import Entry, entries, is_hub

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

LEGEND = """Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete
        N - NATed, L - Local, X - No Socket
        T1 - Route Installed, T2 - Nexthop-override
        C - CTS Capable
        # Ent --> Number of NHRP entries with same NBMA peer
        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting
        UpDn Time --> Up or Down Time for a Tunnel
==========================================================================
"""
# IOS-XE 16/17 `show dmvpn detail` adds the I2 (temporary) attribute to the legend
DETAIL_LEGEND = LEGEND.replace("C - CTS Capable\n", "C - CTS Capable, I2 - Temporary\n")


def groups(found: list[Entry]) -> list[list[Entry]]:
    """Entries sharing one NBMA peer, in NBMA order (one `# Ent` row each)."""
    out: dict[str, list[Entry]] = {}
    for e in found:
        out.setdefault(str(e.nbma), []).append(e)
    return list(out.values())


def _updn(world: World, e: Entry) -> str:
    return uptime(None if e.updn is None else world.clock.now() - e.updn)


def rows(world: World, found: list[Entry], target: bool = False) -> list[str]:
    """Table rows; continuation rows of a multi-entry `# Ent` blank the count, and blank the NBMA
    address too in plain `show dmvpn` while `detail` (``target``) repeats it, as IOS-XE prints them."""
    lines = []
    for group in groups(found):
        for i, e in enumerate(group):
            ent = str(len(group)) if i == 0 else ""
            nbma = str(e.nbma) if i == 0 or target else ""
            line = (f" {ent:>5} {nbma:<15} {str(e.via):>15} {e.state:>5} {_updn(world, e):>8}"
                    f" {e.attr:>5}")
            lines.append(line + (f" {str(e.prefix):>18}" if target else ""))
    return lines


def show_dmvpn(world: World, snap: Snapshot, host: str) -> str:
    out = [LEGEND]
    for tun in world.conf(host).tunnels():
        if tun.shutdown:  # a shut tunnel has no NHRP table, only this line
            out += [f"{tun.name} is admin down", ""]
            continue
        found = entries(world, snap, host, tun.name)
        kind = "Hub" if is_hub(world, host, tun.name) else "Spoke"
        out.append(f"Interface: {tun.name}, IPv4 NHRP Details \nType:{kind}, NHRP Peers:{len(groups(found))}, \n")
        if found:
            out.append(" # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb")
            out.append(" ----- --------------- --------------- ----- -------- -----")
            out += rows(world, found)
            out.append("")
    return "\n".join(out) + "\n"


def _detail_head(world: World, snap: Snapshot, host: str, tun: str) -> list[str]:
    from dmvpn_ops.lab.cloud.underlay import nbma
    iface = world.conf(host).interfaces[tun]
    state = "up/up" if (host, tun) in snap.up else "up/down"
    end = nbma(world, host, tun)
    dest = "MGRE" if iface.mode_mgre else str(iface.destination)
    lines = [f'Interface {tun} is {state}, Addr. is {iface.address.ip if iface.address else "0.0.0.0"}, VRF "" ',
             f'   Tunnel Src./Dest. addr: {end.private or "0.0.0.0"}/{dest}, Tunnel VRF "{iface.tunnel_vrf or ""}"',
             f'   Protocol/Transport: "{"multi-GRE/IP" if iface.mode_mgre else "GRE/IP"}", '
             f'Protect "{iface.protection or ""}" ',
             "   Interface State Control: Disabled", "   nhrp event-publisher : Disabled", ""]
    if iface.nhs:
        lines.append("IPv4 NHS:")
        for reg in snap.nhs_regs(host, tun):  # IOS-XE 16/17: `172.16.123.1  RE priority = 0 cluster = 0`
            shown = f"NBMA Address: {reg.nhs.nbma} " if reg.nhs.explicit and reg.nhs.nbma else ""
            lines.append(f"{reg.nhs.tunnel_ip}  {'RE' if reg.ok else 'E':>2} {shown}priority = 0 cluster = 0")
    return lines


def show_dmvpn_detail(world: World, snap: Snapshot, host: str) -> str:
    from dmvpn_ops.lab.cloud.show.crypto import detail_sessions
    out = [DETAIL_LEGEND]
    for tun in world.conf(host).tunnels():
        if tun.shutdown:
            out.append(f"{tun.name} is admin down")
            continue
        found = entries(world, snap, host, tun.name)
        kind = "Hub" if is_hub(world, host, tun.name) else "Spoke"
        out += _detail_head(world, snap, host, tun.name)
        out.append(f"Type:{kind}, Total NBMA Peers (v4/v6): {len(groups(found))}")
        if found:
            out += ["", "# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network",
                    "----- --------------- --------------- ----- -------- ----- -----------------"]
            out += [line[1:] for line in rows(world, found, target=True)]
        out += ["", ""]
    out += detail_sessions(world, snap, host)
    return "\n".join(out) + "\n"
