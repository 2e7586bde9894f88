"""`show ip ospf`: the OSPF process summary, one block per `router ospf N`, in the IOS-XE layout.

Layout: genieparser iosxe ShowIpOspf golden_output4 (IOS-XE `show ip ospf`, two processes; copy in
tests/fixtures/lab/show_ip_ospf/). The capability lines, SPF/LSA throttle timers, pacing timers and the
reference bandwidth are IOS-XE's defaults (Cisco IP Routing: OSPF command reference, `timers throttle spf`
50/200/5000 ms, `timers throttle lsa` 50/200/5000 ms, `timers lsa arrival` 100 ms, `timers pacing lsa-group`
240 s, `auto-cost reference-bandwidth` 100 Mbit/s), which the renderer never changes. Values come from the
cloud model: process ID and router ID, the areas of the network statements with their interface counts
(loopbacks counted apart, as IOS does), when the process started (its first member interface up), and the
SPF runs: one at start and one for every adjacency of the area that came up since, the last at the newest.
"""
from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.adjacency import _ospf_type as ospf_type
from dmvpn_ops.lab.cloud.eventlog import booted
from dmvpn_ops.lab.cloud.ospf import rid
from dmvpn_ops.lab.cloud.route import router_id
from dmvpn_ops.lab.cloud.show.ospf import _members as members

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.configview import Iface
    from dmvpn_ops.lab.cloud.routingview import Ospf
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

_CAPABILITIES = [" Supports only single TOS(TOS0) routes", " Supports opaque LSA",
                 " Supports Link-local Signaling (LLS)", " Supports area transit capability",
                 " Supports NSSA (compatible with RFC 3101)",
                 " Supports Database Exchange Summary List Optimization (RFC 5243)",
                 " Event-log enabled, Maximum number of events: 1000, Mode: cyclic"]
_TIMERS = [" Router is not originating router-LSAs with maximum metric",
           " Initial SPF schedule delay 50 msecs", " Minimum hold time between two consecutive SPFs 200 msecs",
           " Maximum wait time between two consecutive SPFs 5000 msecs", " Incremental-SPF disabled",
           " Initial LSA throttle delay 50 msecs", " Minimum hold time for LSA throttle 200 msecs",
           " Maximum wait time for LSA throttle 5000 msecs", " Minimum LSA arrival 100 msecs",
           " LSA group pacing timer 240 secs", " Interface flood pacing timer 33 msecs",
           " Retransmission pacing timer 66 msecs",
           " EXCHANGE/LOADING adjacency limit: initial 300, process maximum 300",
           " Number of external LSA 0. Checksum Sum 0x000000", " Number of opaque AS LSA 0. Checksum Sum 0x000000",
           " Number of DCbitless external and opaque AS LSA 0", " Number of DoNotAge external and opaque AS LSA 0"]


def elapsed(seconds: float) -> str:
    """`00:01:36.589` under a day (the capture's Start time / Time elapsed / SPF last executed), else the
    IOS uptime form (`8w5d`, genieparser golden_output3)."""
    if seconds >= 86400:
        return uptime(seconds)
    ms = int(max(0.0, seconds) * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _started(world: World, host: str, ifaces: list[Iface]) -> float:
    """The process runs from its first member interface up (never before the router booted)."""
    ups = [s.since for i in ifaces if (s := world.since(("if", host, i.name))) is not None and s.ok]
    boot = booted(world, host)
    start = min(ups, default=world.clock.now())
    return max(start, boot) if boot != float("inf") else start


def _areas(world: World, host: str, o: Ospf) -> dict[str, list[Iface]]:
    """Member interfaces by area, in area ID order (BACKBONE first, as genieparser golden_output3: BACKBONE(0),
    then Area 2); an area is written as a number or dotted, both the same 32-bit ID."""
    out: dict[str, list[Iface]] = {}
    for iface, area in members(world, host, o):
        out.setdefault(area, []).append(iface)
    return dict(sorted(out.items(), key=lambda kv: _area_key(kv[0])))


def _area_key(area: str) -> int:
    try:
        return int(IPv4Address(int(area) if area.isdigit() else area))
    except ValueError:  # the config grammar refuses such an area; sort it last rather than fail
        return 1 << 32


def _area_block(world: World, snap: Snapshot, host: str, area: str, ifaces: list[Iface], start: float) -> list[str]:
    now = world.clock.now()
    names = {i.name for i in ifaces}
    adjs = [a for a in snap.adjs_of(host, "ospf") if a.iface in names]
    loops = sum(1 for i in ifaces if i.name.startswith("Loopback"))
    last = max([start, *(a.since for a in adjs)])
    # LSAs: a router LSA per router of the area (this one and each neighbour), a network LSA per broadcast
    # segment that has a DR (one with neighbours)
    routers = {host, *(a.peer for a in adjs)}
    networks = {a.iface for a in adjs if ospf_type(world, host, a.iface) == "broadcast"}
    lsas = len(routers) + len(networks)
    title = f"BACKBONE({area})" if area in ("0", "0.0.0.0") else area
    return [f"    Area {title}",
            f"        Number of interfaces in this area is {len(ifaces)}" + (f" ({loops} loopback)" if loops else ""),
            "        Area has no authentication", f"        SPF algorithm last executed {elapsed(now - last)} ago",
            f"        SPF algorithm executed {1 + len(adjs)} times", "        Area ranges are",
            f"        Number of LSA {lsas}. Checksum Sum 0x{_checksum(world, sorted(routers)):06X}",
            "        Number of opaque link LSA 0. Checksum Sum 0x000000", "        Number of DCbitless LSA 0",
            "        Number of indication LSA 0", "        Number of DoNotAge LSA 0", "        Flood list length 0"]


def _checksum(world: World, routers: list[str]) -> int:
    """A stable stand-in for the sum of the LSA checksums (the model keeps no LSA bytes): one 16-bit value per
    router LSA, derived from its router ID."""
    return sum((int(rid(world, r)) * 40503) & 0xFFFF for r in routers)


def _process(world: World, snap: Snapshot, host: str, o: Ospf) -> list[str]:
    areas = _areas(world, host, o)
    start = _started(world, host, [i for group in areas.values() for i in group])
    boot = booted(world, host)
    now = world.clock.now()
    out = [f' Routing Process "ospf {o.pid}" with ID {router_id(world, host, o.router_id)}',
           f" Start time: {elapsed(start - boot if boot != float('inf') else 0.0)}, "
           f"Time elapsed: {elapsed(now - start)}", *_CAPABILITIES]
    if len(areas) > 1:
        out.append(" It is an area border router")
    out += [*_TIMERS, f" Number of areas in this router is {len(areas)}. {len(areas)} normal 0 stub 0 nssa",
            " Number of areas transit capable is 0", " External flood list length 0",
            " IETF NSF helper support enabled", " Cisco NSF helper support enabled",
            " Reference bandwidth unit is 100 mbps"]
    for area, ifaces in areas.items():
        out += _area_block(world, snap, host, area, ifaces, start)
    return out


def show_ip_ospf(world: World, snap: Snapshot, host: str, pid: int | None = None) -> str:
    """Every OSPF process (or only ``pid``), separated by a blank line as in the capture; nothing at all
    without one (as `show ip ospf neighbor`)."""
    blocks = ["\n".join(_process(world, snap, host, o)) for o in world.conf(host).routing.ospf
              if pid is None or o.pid == pid]
    return "\n\n".join(blocks) + ("\n" if blocks else "")
