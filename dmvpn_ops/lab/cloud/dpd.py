"""Dead peer detection and re-keys: how long an established IKE/IPsec SA outlives what broke it.

IOS keeps the SAs of a peer whose underlay went away until DPD gives up — only when DPD is configured
(``dpd I R`` in the IKEv2 profile / ``crypto ikev2 dpd I R``, ``keepalive I retry R`` in the ISAKMP
profile / ``crypto isakmp keepalive I R``): the interval, then 5 unanswered retries R seconds apart
(Cisco IOS Security Configuration Guide, "IPsec Dead Peer Detection Periodic Message Option"). Without
DPD nothing notices: the SA lives on until its next re-key (IPsec SA lifetime, 3600 s by default,
`set security-association lifetime seconds`), when the negotiation fails. A changed or wrong PSK is
only checked when a negotiation runs (the key authenticates IKE, it does not protect the data): the
established SA keeps carrying traffic — and NHRP registrations — until that re-key (Cisco FlexVPN
configuration guide: configuration changes apply to new SAs). A negotiation that fails for another
reason (proposals, transforms, an unprotected peer) is a change of the peer's policy: the SA goes now.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.crypto import Negotiation

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.nhrp import Reg
    from dmvpn_ops.lab.cloud.world import World

DPD_RETRIES = 5      # unanswered DPD retries before the peer is declared dead


@dataclass
class Held:
    """The last good SA of one (spoke, tunnel, NHS) and when it dies (None: nothing broke it)."""

    hub: str
    hub_tunnel: str
    neg: Negotiation
    up_since: float
    until: float | None = None

    def alive(self, now: float) -> bool:
        return self.until is None or now < self.until

    def rekey_after(self, now: float) -> float:
        """The next re-key of the SA strictly after ``now`` (every IPsec SA lifetime since it came up)."""
        life = float(self.neg.prot.sa_lifetime if self.neg.prot else 3600)
        return self.up_since + (math.floor(max(0.0, now - self.up_since) / life) + 1) * life

    def dpd_dead(self, now: float) -> float:
        """When DPD declares a silent peer dead (never without DPD configured)."""
        dpd = self.neg.prot.dpd if self.neg.prot else None
        return now + dpd[0] + DPD_RETRIES * dpd[1] if dpd else math.inf


def _key(reg: Reg) -> tuple[str, str, str]:
    return reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip)


def carried(world: World, reg_key: tuple[str, str, str], hub: str, neg: Negotiation) -> Held | None:
    """The established SA that still carries a tunnel whose negotiation now fails on the key alone."""
    held = world.held.get(reg_key)
    if neg.reason != "psk" or held is None or held.hub != hub:
        return None
    now = world.clock.now()
    if held.until is None:
        held.until = held.rekey_after(now)
    return held if held.alive(now) else None


def record(world: World, regs: list[Reg]) -> None:
    """Remember good SAs; start the clock on the ones something broke; attach the held SA to the reg."""
    now = world.clock.now()
    for reg in regs:
        held = world.held.get(_key(reg))
        if reg.neg is not None and reg.neg.ok and reg.hub:
            if reg.held is not None:   # carried on across a key change, until its re-key
                continue
            if held is None or held.until is not None or held.hub != reg.hub:
                tracked = world.since(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel))
                world.held[_key(reg)] = Held(reg.hub, reg.hub_tunnel or "", reg.neg,
                                             tracked.since if tracked else now)
            continue
        if held is None:
            continue
        if reg.neg is not None and reg.neg.reason not in ("", "unreachable"):
            del world.held[_key(reg)]
            continue
        if held.until is None:
            held.until = min(held.dpd_dead(now), held.rekey_after(now))
        if held.alive(now):
            reg.held, reg.hub, reg.hub_tunnel = held, reg.hub or held.hub, reg.hub_tunnel or held.hub_tunnel
            if reg.state == "IKE":   # the SA is still up, only NHRP goes unanswered (IOS: state NHRP)
                reg.state = "NHRP"
        else:
            del world.held[_key(reg)]


def forget(world: World, host: str) -> None:
    """`clear crypto session` on ``host``: its SAs are gone; what comes back must negotiate afresh."""
    for key in [k for k, h in world.held.items() if host in (k[0], h.hub)]:
        del world.held[key]


def next_expiry(world: World) -> float:
    """The earliest time a held SA dies (the cloud recomputes then)."""
    return min((h.until for h in world.held.values() if h.until is not None), default=math.inf)


def effective(reg: Reg, now: float) -> tuple[Negotiation | None, float | None]:
    """The negotiation to show for ``reg`` (the held one during DPD) and its up-since (None: tracker)."""
    held = reg.held
    if held is not None and held.alive(now) and (reg.neg is None or not reg.neg.ok):
        return held.neg, held.up_since
    return reg.neg, None
