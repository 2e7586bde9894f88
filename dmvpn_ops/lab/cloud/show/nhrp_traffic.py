"""`show ip nhrp traffic`: per tunnel, the NHRP packets sent and received, counted on the emulated clock.

Layout of IOS-XE 16/17 (capture: genieparser iosxe ShowIpNhrpTraffic golden_output, also the
`Max-send limit:10000Pkts/10Sec` it prints by default). What is modelled: registration requests
(one per registration interval, a third of the hold time by default: Cisco IOS NHRP command
reference, `ip nhrp registration timeout`), the replies to those that succeed, and the Error
Indications a hub returns for a request that fails its NHRP authentication (RFC 2332 5.2.7, error
code 11 "Authentication Failure: if a received packet fails an authentication test then this error
is returned"). A wrong tunnel key drops the GRE packet before NHRP sees it: no error then.
Resolution, purge, traffic indication and redirect counters are not modelled and print 0.
Counters only grow (they count every episode the cloud went through), as on the router.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.nhrp import Reg
    from dmvpn_ops.lab.cloud.state import Snapshot
    from dmvpn_ops.lab.cloud.world import World

__all__ = ["show_ip_nhrp_traffic", "track_traffic"]

_TYPES = ("Resolution Request", "Resolution Reply", "Registration Request", "Registration Reply",
          "Purge Request", "Purge Reply", "Error Indication", "Traffic Indication", "Redirect Suppress")


def _reaches_hub(world: World, reg: Reg) -> bool:
    """The request arrives at the hub's NHRP: an NHS that exists, IPsec up (if any), the same tunnel key."""
    if reg.hub is None or reg.hub_tunnel is None or (reg.neg is not None and not reg.neg.ok):
        return False
    return world.conf(reg.spoke).interfaces[reg.tunnel].key == world.conf(reg.hub).interfaces[reg.hub_tunnel].key


def _auth_refused(world: World, reg: Reg) -> bool:
    """The hub refuses the request for its NHRP authentication string (`ip nhrp authentication`)."""
    if not _reaches_hub(world, reg) or reg.hub is None or reg.hub_tunnel is None:
        return False
    theirs = world.conf(reg.hub).interfaces[reg.hub_tunnel].nhrp_auth
    return world.conf(reg.spoke).interfaces[reg.tunnel].nhrp_auth != theirs


def track_traffic(world: World, regs: list[Reg]) -> None:
    """Note, at each derivation, which registrations are sent, arrive and are refused (the counters' history)."""
    for reg in regs:
        if reg.static:
            continue
        key = (reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip))
        refused = _auth_refused(world, reg)
        world.track(("nhrp-tx", *key), True)
        # answered with a Registration Reply (a NAK too: RFC 2332 5.2.2, e.g. code 14 for a unique address)
        world.track(("nhrp-rx", *key), _reaches_hub(world, reg) and not refused)
        world.track(("nhrp-auth", *key), refused)


History = dict[tuple[object, ...], list[tuple[float, bool]]]


def _history(world: World) -> History:
    """The tracked changes of the registration keys, per key, oldest first."""
    out: History = {}
    for when, key, ok in list(world.changes):
        if key and key[0] in ("nhrp-tx", "nhrp-rx", "nhrp-auth"):
            out.setdefault(key, []).append((when, ok))
    return out


def _count(history: History, key: tuple[object, ...], period: float, now: float) -> int:
    """Packets sent while ``key`` was true: one when it became true, then one per ``period``."""
    total, start = 0, None
    for when, ok in history.get(key, []):
        if ok and start is None:
            start = when
        elif not ok and start is not None:
            total += int((when - start) // period) + 1
            start = None
    if start is not None:
        total += int((now - start) // period) + 1
    return total


def _tunnel(world: World, snap: Snapshot, history: History, host: str, tun: str) -> list[str]:
    now = world.clock.now()
    sent = dict.fromkeys(_TYPES, 0)
    rcvd = dict.fromkeys(_TYPES, 0)
    for reg in snap.regs:
        if reg.static:
            continue
        key = (reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip))
        period = max(1.0, world.conf(reg.spoke).interfaces[reg.tunnel].holdtime / 3)
        replies = _count(history, ("nhrp-rx", *key), period, now)
        errors = _count(history, ("nhrp-auth", *key), period, now)
        if reg.spoke == host and reg.tunnel == tun:
            sent["Registration Request"] += _count(history, ("nhrp-tx", *key), period, now)
            rcvd["Registration Reply"] += replies
            rcvd["Error Indication"] += errors
        if reg.hub == host and reg.hub_tunnel == tun:  # each request that arrives is answered one way
            rcvd["Registration Request"] += replies + errors
            sent["Registration Reply"] += replies
            sent["Error Indication"] += errors
    lines = [f"{tun}: Max-send limit:10000Pkts/10Sec, Usage:0%"]
    for label, counts in (("Sent", sent), ("Rcvd", rcvd)):
        lines.append(f"   {label}: Total {sum(counts.values())}")
        for i in range(0, len(_TYPES), 3):
            lines.append("         " + "  ".join(f"{counts[t]} {t}" for t in _TYPES[i:i + 3]))
    return lines


def show_ip_nhrp_traffic(world: World, snap: Snapshot, host: str, only: str | None = None) -> str:
    """Every NHRP tunnel of ``host``, or the one of `interface X` (nothing at all without one, as IOS)."""
    lines: list[str] = []
    history = _history(world)
    for tun in world.conf(host).tunnels():
        if only is None or tun.name == only:
            lines += _tunnel(world, snap, history, host, tun.name)
    return "\n".join(lines) + ("\n" if lines else "")
