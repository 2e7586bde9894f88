"""`show dmvpn` and `show dmvpn detail`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.clock import uptime
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


def groups(found: list[Entry]) -> list[list[Entry]]:
    """Entries sharing one NBMA peer, in NBMA order (one `# Ent` row each)."""
    out: dict[str, list[Entry]] = {}
    for e in found:
        out.setdefault(str(e.nbma), []).append(e)
    return list(out.values())


def _updn(world: "World", e: Entry) -> str:
    return uptime(None if e.updn is None else world.clock.now() - e.updn)


def rows(world: "World", found: list[Entry], target: bool = False) -> list[str]:
    lines = []
    for group in groups(found):
        for i, e in enumerate(group):
            ent, nbma = (str(len(group)), str(e.nbma)) if i == 0 else ("", "")
            line = (f" {ent:>5} {nbma:<15} {str(e.via):>15} {e.state:>5} {_updn(world, e):>8}"
                    f" {e.attr:>5}")
            lines.append(line + (f" {str(e.prefix):>17}" if target else ""))
    return lines


def show_dmvpn(world: "World", snap: "Snapshot", host: str) -> str:
    out = [LEGEND]
    for tun in world.conf(host).tunnels():
        found = entries(world, snap, host, tun.name)
        kind = "Hub" if is_hub(world, host, tun.name) else "Spoke"
        out.append(f"Interface: {tun.name}, IPv4 NHRP Details \nType:{kind}, NHRP Peers:{len(groups(found))}, \n")
        if found:
            out.append(" # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb")
            out.append(" ----- --------------- --------------- ----- -------- -----")
            out += rows(world, found)
            out.append("")
    return "\n".join(out) + "\n"
