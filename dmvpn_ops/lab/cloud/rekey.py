"""IPsec (child) SA incarnations on the lab clock: when the current SA pair of a session was negotiated,
the lifetime it runs with, and so its remaining key lifetime and its SPIs.

An IPsec SA lives for its negotiated lifetime — `set security-association lifetime seconds` of the IPsec
profile, else the global `crypto ipsec security-association lifetime seconds`, 3600 s by default (Cisco IOS
Security Command Reference, crypto ipsec security-association lifetime) — and is then replaced by a new
pair with new inbound and outbound SPIs (RFC 7296 section 2.8: rekeying a CHILD_SA creates a new SA with
new SPIs; RFC 2409 section 5.5: every Quick Mode yields new SPIs). IKEv1 proposes the initiator's lifetime
and the responder takes "the smaller of either the lifetime value proposed by the peer or the locally
configured lifetime value" (Cisco IOS Security Command Reference, crypto ipsec security-association
lifetime, "How These Lifetimes Work"; RFC 2409 section 4.5 RESPONDER-LIFETIME), so both ends run the same;
with IKEv2 "the SAs on each end have their own set up of lifetime values" (Cisco MDS/Nexus IPsec
configuration guide, Global Lifetime Values) and the end whose lifetime runs out first re-keys the pair
(RFC 7296 section 2.8), so both ends get the new pair then.

A changed lifetime "will not be applied to currently existing security associations, but will be used in
the negotiation of subsequently established security associations" (the same command reference) — a child
re-key is such a negotiation even inside a running IKE SA. So each end's configured lifetime is kept as a
history of (time, seconds) noted whenever the cloud derives its state (config changes are derived at their
own instant), and every re-key reads the value in force at that re-key. The lab re-keys at the lifetime
itself (IOS starts a little earlier, at the soft lifetime), as the DPD model does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.crypto import protection

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.world import World

DEFAULT_LIFE = 3600            # seconds: IOS's default IPsec SA lifetime (Security Command Reference)

End = tuple[str, str]          # (router, tunnel)


@dataclass(frozen=True)
class Child:
    """The IPsec SA pair a session runs on now: negotiated at ``start``; ``life`` is this end's lifetime
    of it and ``period`` when the pair is replaced (the shorter end's lifetime)."""

    start: float
    life: int
    period: int

    def remaining(self, now: float) -> int:
        """Seconds left of this end's SA, as `sa timing: remaining key lifetime` prints them."""
        return max(0, int(math.ceil(self.start + self.life - now)))


def note(world: World, host: str, tun: str) -> None:
    """Record ``host``'s configured IPsec SA lifetime on ``tun`` as of now (only when it changed)."""
    prot = protection(world, host, tun)
    life = prot.sa_lifetime if prot is not None else DEFAULT_LIFE
    hist = world.sa_lives.setdefault((host, tun), [])
    if not hist or hist[-1][1] != life:
        hist.append((world.clock.now(), life))


def _life_at(world: World, end: End, t: float) -> int:
    """The lifetime ``end`` had configured at instant ``t`` (the current one if never noted)."""
    hist: list[tuple[float, int]] = world.sa_lives.get(end, [])
    before = [life for at, life in hist if at <= t]
    if before:
        return max(1, before[-1])
    if hist:
        return max(1, hist[0][1])
    prot = protection(world, *end)
    return max(1, prot.sa_lifetime if prot is not None else DEFAULT_LIFE)


def _next_change(world: World, ends: tuple[End, End], t: float) -> float:
    times = [at for end in ends for at, _ in world.sa_lives.get(end, []) if at > t]
    return min(times, default=math.inf)


def child(world: World, me: End, peer: End, since: float, ike_version: int) -> Child:
    """The current IPsec SA pair between ``me`` and ``peer`` of the session up since ``since``."""
    now = world.clock.now()
    ends = (me, peer)
    start = since
    for _ in range(10_000):   # a bound: each round passes a re-key or a lifetime change
        mine, theirs = _life_at(world, me, start), _life_at(world, peer, start)
        period = min(mine, theirs)
        if start + period > now:
            return Child(start, period if ike_version == 1 else mine, period)
        limit = min(now, _next_change(world, ends, start))
        start += max(1, math.floor((limit - start) / period)) * period
    return Child(start, period, period)
