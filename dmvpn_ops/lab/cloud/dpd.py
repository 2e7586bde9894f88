"""Dead peer detection, re-keys and re-authentication: how long an established SA outlives what broke it.

IOS keeps the SAs of a peer whose underlay went away until DPD gives up — only when DPD is configured
(``dpd I R`` in the IKEv2 profile / ``crypto ikev2 dpd I R``, ``keepalive I retry R`` in the ISAKMP
profile / ``crypto isakmp keepalive I R``): the interval, then 5 unanswered retries R seconds apart
(Cisco IOS Security Configuration Guide, "IPsec Dead Peer Detection Periodic Message Option"). Without
DPD nothing notices until the next exchange the peer must answer: the IPsec (child) SA's re-key at its
lifetime (3600 s by default, `set security-association lifetime seconds`), which then fails.

A changed or wrong PSK is checked only when IKE authenticates, not at every re-key (the key authenticates
IKE, it does not protect the data): an IPsec SA re-keys inside the existing IKE SA (IKEv2 CREATE_CHILD_SA,
RFC 7296 section 1.3.3 / 2.8; IKEv1 Quick Mode under the ISAKMP SA, RFC 2409 section 5.5), neither with an
AUTH payload. IKEv2: the IKE SA ends at its own lifetime (IKEv2 profile `lifetime`, 86400 s by default:
Cisco IOS Security Command Reference, lifetime (IKEv2 profile)); RFC 7296 section 2.18 rekeys it without
AUTH too, so the lifetime is the earliest instant IOS can meet the new key — the lab takes that instant
(section 2.8.3: re-authentication is a new IKE_SA_INIT/IKE_AUTH). IKEv1: the ISAKMP SA expires at its policy
`lifetime` (86400 s by default: Security Command Reference, lifetime (IKE policy)) while its IPsec SAs run
on; the next IPsec re-key after that needs a new Main Mode, which authenticates (an IKEv1 IPsec SA may
outlive its ISAKMP SA: libreswan maintainers on IKEv1 vs IKEv2 lifetimes, libreswan/libreswan#405). Until
then the established SA keeps carrying traffic — and NHRP registrations (Cisco FlexVPN configuration guide:
configuration changes apply to new SAs). A negotiation that fails for another reason (proposals, transforms,
an unprotected peer) is a change of the peer's policy: the SA goes now.

Each SA end also keeps what it was negotiated with — its profile's DPD and lifetimes as they stood when
the SA came up (:func:`sa_protection`) — until it is negotiated again (IKE SA lifetime): a DPD or
lifetime changed in the profile afterwards shows on the next SA, not on the running one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dmvpn_ops.lab.cloud import rekey
from dmvpn_ops.lab.cloud.crypto import Negotiation, protection
from dmvpn_ops.lab.cloud.cryptoview import Protection

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

    def rekey_after(self, world: World, spoke: tuple[str, str]) -> float:
        """The next IPsec (child) SA re-key strictly after now: the first exchange a silent peer must answer
        when no DPD probes it — each re-key at the lifetime configured when the pair it replaces was
        negotiated (rekey.child: a changed lifetime applies from the next child SA)."""
        version = self.neg.prot.ike_version if self.neg.prot else 2
        child = rekey.child(world, spoke, (self.hub, self.hub_tunnel), self.up_since, version)
        return child.start + child.period

    def reauth_after(self, now: float) -> float:
        """The next IKE authentication strictly after ``now``: when a changed PSK is first checked."""
        prot = self.neg.prot
        ike = float(max(1, prot.lifetime if prot else 86400))
        child = float(max(1, prot.sa_lifetime if prot else 3600))
        # IKEv2: at the IKE SA lifetime; IKEv1: at the first IPsec re-key once the ISAKMP SA has expired
        step = ike if (prot is None or prot.ike_version == 2) else math.ceil(ike / child) * child
        return self.up_since + (math.floor(max(0.0, now - self.up_since) / step) + 1) * step

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
        held.until = held.reauth_after(now)
    return held if held.alive(now) else None


def record(world: World, regs: list[Reg]) -> None:
    """Remember good SAs; start the clock on the ones something broke; attach the held SA to the reg."""
    now = world.clock.now()
    for reg in regs:
        held = world.held.get(_key(reg))
        if reg.neg is not None and reg.neg.ok and reg.hub:
            if reg.held is not None:   # carried on across a key change, until its re-key
                continue
            tracked = world.since(("ike", reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel))
            up = tracked.since if tracked else now
            if held is None or held.until is not None or held.hub != reg.hub:
                world.held[_key(reg)] = Held(reg.hub, reg.hub_tunnel or "", reg.neg, up)
            sa_protection(world, reg.spoke, reg.tunnel, reg.hub, reg.hub_tunnel or "", up)   # both ends,
            sa_protection(world, reg.hub, reg.hub_tunnel or "", reg.spoke, reg.tunnel, up)   # as of now
            rekey.note(world, reg.spoke, reg.tunnel)             # the IPsec SA lifetime each end
            rekey.note(world, reg.hub, reg.hub_tunnel or "")     # has configured now (next re-key)
            continue
        if held is None:
            continue
        if reg.neg is not None and reg.neg.reason not in ("", "unreachable"):
            del world.held[_key(reg)]
            continue
        if held.until is None:
            held.until = min(held.dpd_dead(now), held.rekey_after(world, (reg.spoke, reg.tunnel)))
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
    for end in [k for k in world.negotiated if host in (k[0], k[2])]:
        del world.negotiated[end]


def next_expiry(world: World) -> float:
    """The earliest time a held SA dies (the cloud recomputes then)."""
    return min((h.until for h in world.held.values() if h.until is not None), default=math.inf)


def effective(reg: Reg, now: float) -> tuple[Negotiation | None, float | None]:
    """The negotiation to show for ``reg`` (the held one during DPD) and its up-since (None: tracker)."""
    held = reg.held
    if held is not None and held.alive(now) and (reg.neg is None or not reg.neg.ok):
        return held.neg, held.up_since
    return reg.neg, None


@dataclass(frozen=True)
class Negotiated:
    """One SA end's parameters as negotiated: this end's protection when the SA that came up at ``since``
    was last negotiated (``at``: then, or its latest IKE SA re-key)."""

    since: float
    at: float
    prot: Protection


def sa_protection(world: World, host: str, tun: str, peer: str, peer_tun: str, since: float) -> Protection | None:
    """The DPD and lifetimes ``host``'s end of the SA with ``peer`` that came up at ``since`` runs with:
    its profile as it stood then, until the IKE SA lifetime it was negotiated with renews it (IOS applies
    profile changes to new SAs); afterwards the profile as it is now. None: the tunnel is not protected."""
    current = protection(world, host, tun)
    key = (host, tun, peer, peer_tun)
    got: Negotiated | None = world.negotiated.get(key)
    if current is None:
        world.negotiated.pop(key, None)
        return None
    now = world.clock.now()
    if got is None or got.since != since:
        world.negotiated[key] = Negotiated(since, since, current)
        return current
    life = max(1, got.prot.lifetime)
    if now >= got.at + life:   # re-keyed (at got.at + k * life): the new IKE SA takes the profile as it is
        world.negotiated[key] = Negotiated(since, got.at + (now - got.at) // life * life, current)
        return current
    return got.prot
