"""`show ip nhrp` (+ detail, shortcut), `show ip nhrp nhs` (+ detail) and `clear ip nhrp`."""
from __future__ import annotations

from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from dmvpn_ops.lab.clock import uptime
from dmvpn_ops.lab.cloud.entries import Entry, entries

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

NHS_LEGEND = "Legend: E=Expecting replies, R=Responding, W=Waiting, D=Dynamic"


def _entry(world: World, tun: str, e: Entry, detail: bool) -> list[str]:
    now = world.clock.now()
    expire = "never expire" if e.expire is None else f"expire {uptime(e.expire - now)}"
    flags = " ".join(e.flags)
    lines = [f"{e.prefix} via {e.via}", f"   {tun} created {uptime(now - e.created)}, {expire}",
             f"   Type: {e.type}, Flags: {flags}".rstrip() if flags else f"   Type: {e.type}, Flags:",
             f"   NBMA address: {e.nbma}" + (f" \n    (Claimed NBMA address: {e.claimed})"
                                             if e.claimed else "")]
    group = e.extra.get("group")
    if group:
        lines.append(f"   Group: {group}")
    if detail:
        lines.append("   Preference: 255")
    return lines


def _nhrp(world: World, snap: Snapshot, host: str, detail: bool, only_dynamic: bool) -> str:
    lines: list[str] = []
    for tun in world.conf(host).tunnels():
        for e in entries(world, snap, host, tun.name):
            if only_dynamic and not e.attr.startswith("DT"):
                continue
            lines += _entry(world, tun.name, e, detail)
    return "\n".join(lines) + ("\n" if lines else "")


def show_ip_nhrp(world: World, snap: Snapshot, host: str) -> str:
    return _nhrp(world, snap, host, False, False)


def show_ip_nhrp_detail(world: World, snap: Snapshot, host: str) -> str:
    return _nhrp(world, snap, host, True, False)


def show_shortcut(world: World, snap: Snapshot, host: str) -> str:
    return _nhrp(world, snap, host, False, True)


def _counters(world: World, host: str, tun: str, reg: object, ip: IPv4Address) -> str:
    """req-sent/req-failed/repl-recv counted on the clock (one registration per holdtime/3)."""
    now = world.clock.now()
    hold = world.conf(host).interfaces[tun].holdtime
    period = max(1.0, hold / 3)
    first = min(now, world.track(("static", host, tun), True).since)   # counting starts at the first send
    sent = int((now - first) // period) + 1
    since = world.since(("reg", host, tun, str(ip)))
    ok = bool(since and since.ok)
    recv = sent if ok else max(0, int(((since.since if since and since.ever else first) - first)
                                      // period)) if since and since.ever else 0
    ago = (now - first) % period
    tail = f" ({uptime(ago)} ago)" if recv else ""
    return f"  req-sent {sent}  req-failed {sent - recv}  repl-recv {recv}{tail}"


def _nhs(world: World, snap: Snapshot, host: str, detail: bool) -> str:
    lines = [NHS_LEGEND]
    for tun in world.conf(host).tunnels():
        if not tun.nhs:
            continue
        lines.append(f"{tun.name}:")
        for reg in snap.nhs_regs(host, tun.name):
            flags = "RE" if reg.ok else "E"
            nbma = f"NBMA Address: {reg.nhs.nbma} " if reg.nhs.nbma else ""
            # real 15.x-17.x: no column, the address then 2 spaces and the flags right-aligned in 2
            # (`100.0.0.100  RE  NBMA ...`, `172.16.0.1   E  priority ...`)
            line = f"{reg.nhs.tunnel_ip}  {flags:>2}  {nbma}priority = 0 cluster = 0"
            if detail:
                line += _counters(world, host, tun.name, reg, reg.nhs.tunnel_ip)
            lines.append(line)
        lines.append("")
    if detail:
        lines += ["Pending Registration Requests:"]
        lines += [f"Registration Request: Reqid {n}, Ret 64  NHS {r.nhs.tunnel_ip} expired "
                  f"(Tu{r.tunnel[6:]})" for n, r in enumerate(snap.regs, 1)
                  if r.spoke == host and not r.ok and not r.static]
    return "\n".join(lines) + "\n"


def show_nhs(world: World, snap: Snapshot, host: str) -> str:
    return _nhs(world, snap, host, False)


def show_nhs_detail(world: World, snap: Snapshot, host: str) -> str:
    return _nhs(world, snap, host, True)


def clear_nhrp(world: World, host: str, target: IPv4Address | None) -> None:
    """Remove dynamic entries (all, or the one for ``target``): registrations and shortcuts. Nothing is
    logged: no capture of what IOS prints in the buffer after `clear ip nhrp` was found (public captures,
    lab notes, issues and Cisco docs searched), so no line is invented."""
    for (hub, _tun), cache in world.hub_cache.items():
        if hub == host:
            for ip in [ip for ip in cache if target is None or ip == target]:
                del cache[ip]
    keep = []
    for sc in world.shortcuts:
        addr = world.conf(sc.peer).interfaces[sc.peer_tunnel].address
        hit = sc.owner == host and (target is None or (addr is not None and addr.ip == target)
                                    or any(target in p for p in sc.prefixes))
        if not hit:
            keep.append(sc)
    world.shortcuts[:] = keep
