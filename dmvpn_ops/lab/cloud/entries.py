"""NHRP cache entries of one router tunnel, as `show ip nhrp` and `show dmvpn` list them."""
from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import nhrp
from dmvpn_ops.lab.cloud.traffic import live_shortcuts

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Entry:
    prefix: IPv4Network
    via: IPv4Address
    created: float
    expire: float | None                # absolute time; None: never expires
    type: str                           # static | dynamic
    flags: list[str]
    nbma: IPv4Address
    state: str = "UP"
    updn: float | None = None           # since (absolute) or None: never up
    attr: str = "S"
    claimed: IPv4Address | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _statics(world: World, snap: Snapshot, host: str, tun: str) -> list[Entry]:
    out = []
    for reg in snap.regs_of(host, tun):
        if reg.nhs.nbma is None:
            continue
        created = nhrp.static_created(world, host, tun, reg.nhs)
        since = world.since(("reg", host, tun, str(reg.nhs.tunnel_ip)))
        updn = since.since if since and since.ever else None
        ip = reg.nhs.tunnel_ip
        out.append(Entry(IPv4Network(f"{ip}/32"), ip, created, None, "static", [], reg.nhs.nbma,
                         reg.state, updn, "S", extra={"reg": reg}))
    return out


def _hub(world: World, host: str, tun: str) -> list[Entry]:
    now = world.clock.now()
    out = []
    for e in nhrp.hub_entries(world, host, tun):
        # `unique` only for a registration that carried the flag (Cisco IOS NHRP command reference,
        # ip nhrp registration no-unique); `nat` for a spoke registering from behind NAT, whose
        # `show dmvpn` attribute then reads DN (Cisco DMVPN configuration guide, "DMVPN Support for NAT":
        # `Flags: unique nat registered used nhop`, legend N - NATed)
        flags = (["unique"] if e.unique else []) + (["nat"] if e.nat else []) + ["registered", "used", "nhop"]
        out.append(Entry(IPv4Network(f"{e.tunnel_ip}/32"), e.tunnel_ip, e.created, e.expires(now),
                         "dynamic", flags, e.nbma, "UP", e.created, "DN" if e.nat else "D",
                         e.claimed if e.nat or e.claimed != e.nbma else None,
                         extra={"spoke": e.spoke, "group": _group(world, e.spoke, e.tunnel_ip)}))
    return out


def _group(world: World, spoke: str, tunnel_ip: IPv4Address) -> str | None:
    """The NHRP group the spoke registered with (`ip nhrp group X` on its tunnel), which the hub shows
    as `Group: X` under the entry (Cisco DMVPN "Per-Tunnel QoS" configuration guide, show ip nhrp)."""
    if spoke not in world.router_set():   # a rogue that left: its entry ages out, its config is gone
        return None
    for tun in world.conf(spoke).interfaces.values():
        if tun.address is not None and tun.address.ip == tunnel_ip:
            return next((line.split()[3] for line in tun.lines if line.startswith("ip nhrp group ")), None)
    return None


def _dynamic(world: World, snap: Snapshot, host: str, tun: str) -> list[Entry]:
    out = []
    rib = {r.prefix: r for r in snap.ribs.get(host, [])}
    for sc in live_shortcuts(world):
        if sc.owner != host or sc.tunnel != tun:
            continue
        addr = world.conf(sc.peer).interfaces[sc.peer_tunnel].address
        from dmvpn_ops.lab.cloud.underlay import nbma
        public = nbma(world, sc.peer, sc.peer_tunnel).public
        if addr is None or public is None:
            continue
        for prefix in sc.prefixes:
            host_route = prefix.prefixlen == 32 and prefix.network_address == addr.ip
            if not sc.shortcut:
                flags, attr = ["router", "implicit"], "D"
            elif host_route:
                flags, attr = ["router", "nhop", "rib"], "DT1"
            else:
                nho = prefix in rib and rib[prefix].nho
                flags, attr = (["router", "rib", "nho"], "DT2") if nho else (["router", "rib"], "DT1")
            out.append(Entry(prefix, addr.ip, sc.created, sc.expire_at, "dynamic", flags, public,
                             "UP", sc.created, attr, extra={"peer": sc.peer}))
    return out


def entries(world: World, snap: Snapshot, host: str, tun: str) -> list[Entry]:
    """All entries of ``host``'s ``tun``: statics (NHS), registrations (hub), dynamic spoke entries."""
    dynamic = _dynamic(world, snap, host, tun)
    # a phase 3 shortcut supersedes the phase 2 style mapping of the same prefix
    shortcut = {(e.prefix, e.nbma) for e in dynamic if e.attr.startswith("DT")}
    dynamic = [e for e in dynamic if e.attr != "D" or (e.prefix, e.nbma) not in shortcut]
    found = _statics(world, snap, host, tun) + _hub(world, host, tun) + dynamic
    return sorted(found, key=lambda e: (int(e.nbma), e.attr != "DT2", int(e.prefix.network_address)))


def is_hub(world: World, host: str, tun: str) -> bool:
    iface = world.conf(host).interfaces[tun]
    return not iface.nhs and (iface.multicast_dynamic or world.role(host) == "hub")
