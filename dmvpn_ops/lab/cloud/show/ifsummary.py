"""`show interfaces summary`: the legend, then one row of queue and rate figures per interface.

Layout from real captures: an IOS router's `show interfaces ethernet 0/1 summary` (legend with a leading
space, a blank line, the header, 113 dashes, rows `* NAME` with the first figure ending in column 33 and ten
columns per figure after it) and genieparser iosxe ShowInterfacesSummary golden_output1/2 (IOS-XE, the same
columns). NAPALM's get_interfaces_counters reads IQD / OQD from here as rx/tx discards. The lab drops no
packets and its `show interfaces` prints 0 bits/sec rates, so every figure is 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.show.interfaces import _status as status_of

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_LEGEND = """
 *: interface is up
 IHQ: pkts in input hold queue     IQD: pkts dropped from input queue
 OHQ: pkts in output hold queue    OQD: pkts dropped from output queue
 RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)
 TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)
 TRTL: throttle count
"""
_COLUMNS = ("IHQ", "IQD", "OHQ", "OQD", "RXBS", "RXPS", "TXBS", "TXPS", "TRTL")


def _row(mark: str, name: str, cells: tuple[str, ...]) -> str:
    return f"{mark} {name:<26}{cells[0]:>5}" + "".join(f"{c:>10}" for c in cells[1:])


def show_interfaces_summary(world: World, snap: Snapshot, host: str) -> str:
    out = [_LEGEND, _row(" ", "Interface", _COLUMNS), "-" * 113]
    for iface in world.conf(host).listed():
        status, _proto = status_of(world, snap, host, iface)
        out.append(_row("*" if status == "up" else " ", iface.name, ("0",) * len(_COLUMNS)))
    return "\n".join(out) + "\n"
