"""`show ntp associations`: the configured servers, never reached (the lab sends no packet to them).

Without any `ntp` line IOS answers `%NTP is not enabled.` (NAPALM's ios get_ntp_stats tests for that line;
Tenable's Cisco audit plugins read it from `show ntp status`). With `ntp server X` the layout is a real IOS
capture's (`sh ntp associations` on an IOS router, one server unreachable): a blank line, the header, one row
per server, ` ~` (configured) before the address, `.INIT.`, stratum 16, when `-`, poll 64, reach 0, disp
15937., then the tally legend. The lab never answers NTP, so every server stays in that state.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_HEAD = "  address         ref clock       st   when   poll reach  delay  offset   disp"
_LEGEND = " * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured"


def show_ntp_associations(world: World, snap: Snapshot, host: str) -> str:
    servers = world.conf(host).ntp_servers
    if not servers:
        return "%NTP is not enabled.\n"
    rows = [f" ~{s:<16}{'.INIT.':<16}{16:>2}{'-':>7}{64:>7}{0:>6}  0.000   0.000 15937." for s in servers]
    return "\n".join(["", _HEAD, *rows, _LEGEND]) + "\n"
