"""Dead peer detection: an IKE/IPsec SA outlives its underlay until DPD declares the peer dead.

IOS keeps the SAs of a peer whose underlay went away until DPD gives up (``crypto ikev2 dpd 30 5``
/ ``crypto isakmp keepalive 30 5``: an idle interval, then retries), while the hub's NHRP entry for
the spoke ages out on its own hold time. A negotiation that fails for another reason (wrong PSK,
proposals) takes the SA down at once, as a re-key with the changed key would.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud.crypto import Negotiation

if TYPE_CHECKING:
    from dmvpn_ops.lab.cloud.nhrp import Reg
    from dmvpn_ops.lab.cloud.world import World

DPD_DEAD = 120.0     # 30 s idle + retries: about two minutes until the peer is declared dead


@dataclass
class Held:
    """The last good SA of one (spoke, tunnel, NHS) and when its underlay dropped (None: still up)."""

    hub: str
    hub_tunnel: str
    neg: Negotiation
    up_since: float
    down_at: float | None = None

    def alive(self, now: float) -> bool:
        return self.down_at is None or now < self.down_at + DPD_DEAD


def _key(reg: Reg) -> tuple[str, str, str]:
    return reg.spoke, reg.tunnel, str(reg.nhs.tunnel_ip)


def record(world: World, regs: list[Reg]) -> None:
    """Remember good SAs; mark the ones whose underlay dropped; attach the held SA to the reg."""
    now = world.clock.now()
    for reg in regs:
        held = world.held.get(_key(reg))
        if reg.neg is not None and reg.neg.ok and reg.hub:
            if held is None or held.down_at is not None or held.hub != reg.hub:
                tracked = world.since(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel))
                world.held[_key(reg)] = Held(reg.hub, reg.hub_tunnel or "", reg.neg,
                                             tracked.since if tracked else now)
            continue
        if held is None:
            continue
        if reg.neg is not None and reg.neg.reason not in ("", "unreachable"):
            del world.held[_key(reg)]
            continue
        if held.down_at is None:
            held.down_at = now
        if held.alive(now):
            reg.held, reg.hub, reg.hub_tunnel = held, reg.hub or held.hub, reg.hub_tunnel or held.hub_tunnel
        else:
            del world.held[_key(reg)]


def effective(reg: Reg, now: float) -> tuple[Negotiation | None, float | None]:
    """The negotiation to show for ``reg`` (the held one during DPD) and its up-since (None: tracker)."""
    held = reg.held
    if held is not None and held.alive(now) and (reg.neg is None or not reg.neg.ok):
        return held.neg, held.up_since
    return reg.neg, None
