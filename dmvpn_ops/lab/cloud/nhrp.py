"""NHRP registration of every configured NHS, and the hubs' caches kept on the emulated clock."""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.configview import Nhs
from dmvpn_ops.lab.cloud.crypto import Negotiation, negotiate
from dmvpn_ops.lab.cloud.dpd import carried, next_expiry
from dmvpn_ops.lab.cloud.underlay import nbma, tunnel_up
from dmvpn_ops.lab.cloud.world import HubEntry

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.dpd import Held
    from dmvpn_ops.lab.cloud.world import World


@dataclass
class Reg:
    """One spoke tunnel's registration towards one configured NHS."""

    spoke: str
    tunnel: str
    nhs: Nhs
    hub: str | None
    hub_tunnel: str | None
    ok: bool
    state: str                      # UP | NHRP | IKE (as `show dmvpn` prints it)
    neg: Negotiation | None = None
    held: Held | None = None      # the SA kept during dead peer detection after the underlay dropped
    static: bool = False            # a static mapping of a peer that is no NHS (hub to hub): no registration


def nbma_index(world: World) -> dict[tuple[IPv4Address, IPv4Address], tuple[str, str]]:
    """(public NBMA, tunnel address) -> (router, tunnel) for every addressed NHRP tunnel."""
    index = {}
    for host in world.routers():
        for tun in world.conf(host).tunnels():
            public = nbma(world, host, tun.name).public
            if tun.address is not None and public is not None:
                index[(public, tun.address.ip)] = (host, tun.name)
    return index


def _check(world: World, spoke: str, tun: str, nhs: Nhs,
           index: dict[tuple[IPv4Address, IPv4Address], tuple[str, str]]) -> Reg:
    mine = world.conf(spoke).interfaces[tun]
    protected = mine.protection is not None
    target = index.get((nhs.nbma, nhs.tunnel_ip)) if nhs.nbma else None
    down = "IKE" if protected else "NHRP"
    if target is None or not tunnel_up(world, spoke, tun):
        return Reg(spoke, tun, nhs, None, None, False, down)
    hub, hub_tun = target
    neg = negotiate(world, spoke, tun, hub, hub_tun)
    held = carried(world, (spoke, tun, str(nhs.tunnel_ip)), hub, neg)
    if held is not None:  # a key change: the established SA carries on until IKE authenticates again
        neg = held.neg
    if not neg.ok:
        return Reg(spoke, tun, nhs, hub, hub_tun, False, "IKE" if neg.protected else "NHRP", neg)
    theirs = world.conf(hub).interfaces[hub_tun]
    ok = mine.key == theirs.key and mine.nhrp_auth == theirs.nhrp_auth and theirs.mode_mgre
    return Reg(spoke, tun, nhs, hub, hub_tun, ok, "UP" if ok else "NHRP", neg, held)


def registrations(world: World) -> list[Reg]:
    """Every (router, tunnel, NHS) registration attempt with its outcome (before the unique check),
    then the static peer mappings (``static``: reachability, IKE and keys checked, nothing registered)."""
    index = nbma_index(world)
    regs = [_check(world, host, tun.name, nhs, index)
            for host in world.routers() for tun in world.conf(host).tunnels() for nhs in tun.nhs]
    for host in world.routers():
        for tun in world.conf(host).tunnels():
            for peer in tun.peer_maps():
                reg = _check(world, host, tun.name, peer, index)
                reg.static = True
                regs.append(reg)
    return regs


def track_statics(world: World, regs: list[Reg]) -> None:
    """Note when each static mapping was configured: its `show ip nhrp` entry ages from then, not from the
    first show command (real captures: genieparser iosxe ShowIpNhrp golden_output, copy in
    /work/shared/reference/captures/show_ip_nhrp/: `100.0.0.100/32 ... created 10w2d, never expire /
    Type: static` beside dynamic entries created 00:00:32; a public DMVPN lab write-up's spoke R28:
    static hub entries `created 00:20:44, never expire`, as old as `show dmvpn`'s UP 00:20:43). Called at every derivation, which runs at the config event's instant (cloud.py),
    so the clock advanced before anyone looked still counts; a mapping removed and configured again
    starts anew. Also notes each NHRP tunnel's first registration send (`show ip nhrp nhs detail`)."""
    now = world.clock.now()
    present: dict[tuple[str, str, str, str], float] = {}
    for reg in regs:
        world.track(("static", reg.spoke, reg.tunnel), True)
        if reg.nhs.nbma is not None:
            key = (reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip), str(reg.nhs.nbma))
            present[key] = world.static_since.get(key, now)
    world.static_since = present


def static_created(world: World, host: str, tun: str, nhs: Nhs) -> float:
    """When ``host``'s static mapping of ``nhs`` on ``tun`` was configured (now if not yet derived)."""
    return world.static_since.get((host, tun, str(nhs.tunnel_ip), str(nhs.nbma)), world.clock.now())


def reverse(regs: list[Reg], reg: Reg) -> Reg | None:
    """The static mapping the peer of a static ``reg`` has back to its router (None: one-sided)."""
    return next((r for r in regs if r.static and r.spoke == reg.hub and r.tunnel == reg.hub_tunnel
                 and r.hub == reg.spoke and r.hub_tunnel == reg.tunnel), None)


def _entry_for(world: World, reg: Reg, now: float) -> HubEntry:
    tun = world.conf(reg.spoke).interfaces[reg.tunnel]
    end = nbma(world, reg.spoke, reg.tunnel)
    assert tun.address is not None and end.public is not None and end.private is not None
    unique = not tun.has("ip nhrp registration no-unique")
    return HubEntry(reg.spoke, tun.address.ip, end.public, end.private, end.nat, now, tun.holdtime, unique=unique)


def update_caches(world: World, regs: list[Reg]) -> None:
    """Apply registrations to the hubs' caches: refresh, freeze stopped ones, purge expired, add new.

    A registration whose tunnel address is still held by a different NBMA is refused, as IOS does
    for entries registered with the (default) unique flag, until the old entry expires; an entry
    registered with `ip nhrp registration no-unique` is replaced at once.
    """
    now = world.clock.now()
    for host in world.routers():
        if world.powered_off(host):
            for key in [k for k in world.hub_cache if k[0] == host]:
                world.hub_cache[key].clear()
    live = {(r.hub, r.hub_tunnel, r.spoke, _entry_for(world, r, now).nbma) for r in regs if r.ok and not r.static}
    for (hub, hub_tun), cache in world.hub_cache.items():
        for ip, entry in list(cache.items()):
            if (hub, hub_tun, entry.spoke, entry.nbma) in live:
                continue
            if entry.frozen_at is None:
                entry.frozen_at = now
            if entry.expires(now) <= now:
                del cache[ip]
    for reg in regs:
        if reg.ok and not reg.static:
            _register(world, reg, now)


def _register(world: World, reg: Reg, now: float) -> None:
    cache = world.hub_cache.setdefault((reg.hub or "", reg.hub_tunnel or ""), {})
    new = _entry_for(world, reg, now)
    old = cache.get(new.tunnel_ip)
    if old is not None and old.frozen_at is None and old.nbma == new.nbma and old.spoke == reg.spoke:
        return
    if old is not None and old.unique and (old.nbma != new.nbma or old.spoke != reg.spoke):
        # the hub refuses a new NBMA for an address registered unique until that entry expires
        # (Cisco IOS NHRP command reference, ip nhrp registration no-unique: a DHCP spoke needs it)
        reg.ok, reg.state = False, "NHRP"
        return
    cache[new.tunnel_ip] = new


def hub_entries(world: World, hub: str, tunnel: str) -> list[HubEntry]:
    """Live (not yet expired) registrations on a hub tunnel, in address order."""
    now = world.clock.now()
    cache = world.hub_cache.get((hub, tunnel), {})
    return [cache[ip] for ip in sorted(cache) if cache[ip].expires(now) > now]


def next_deadline(world: World) -> float:
    """The earliest time a frozen entry or a shortcut expires (a refresh is due then)."""
    now = world.clock.now()
    times = [e.expires(now) for c in world.hub_cache.values() for e in c.values()
             if e.frozen_at is not None]
    times += [s.expire_at for s in world.shortcuts if s.expire_at > now]   # expired ones linger until shown
    return min(times + [next_expiry(world)], default=float("inf"))
