"""Blast radius: which changes bounce a tunnel, and which hosts feel it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from dmvpn_ops.deploy.remediation import Change, Remediation
from dmvpn_ops.intent import Design
from dmvpn_ops.secrets import mask

__all__ = ["Disruption", "classify", "RULES"]


@dataclass(frozen=True)
class Rule:
    """A change to an existing block matching ``parent`` and ``line``: disruptive (resets tunnels) or not."""

    parent: str | None  # regex on the parent block; None for a top-level line
    line: str  # regex on the changed line
    why: str
    disrupts: bool = True


# Which crypto changes disrupt. IOS applies a crypto change to the next negotiation, never to the SAs already up
# (Cisco IOS Security Command Reference, `clear crypto sa`: "If you make configuration changes that affect security
# associations, these changes will not apply to existing security associations but to negotiations for subsequent
# security associations"). So the question is whether that next negotiation (re-key, re-auth, DPD restart) still
# succeeds with peers that do not have the change yet (a rollout changes hubs first, spokes later):
# - values both ends must agree on break it: transform set (Cisco "Configuring Security for VPNs with IPsec": the
#   peers must share a transform set), IKEv2 proposal/identity/authentication, keyring and pre-shared keys, PFS,
#   and IKEv1 policy lifetime (Cisco "Configuring Internet Key Exchange for IPsec VPNs": a policy matches only when
#   "the remote peer's policy specifies a lifetime that is less than or equal to the lifetime in the policy being
#   compared"); `tunnel protection` itself re-applies IPsec to the tunnel at once. These stay disruptive.
# - local timers do not: IKEv2 `dpd` (RFC 7296 2.4: a liveness check is an empty INFORMATIONAL request any peer
#   answers; Cisco "IPsec Dead Peer Detection Periodic Message Option": the router queries its peer's liveliness),
#   IKEv2 profile `lifetime` (RFC 7296 2.8: IKEv2 lifetimes are not negotiated, each end re-keys on its own) and
#   the IPsec SA lifetime (Cisco Security CR, `crypto ipsec security-association lifetime`: "the new lifetime value
#   will not be applied to currently existing SAs"; the responder takes the smaller of the two proposals), and
#   IKEv1 keepalives (`crypto isakmp keepalive`, IKEv1's DPD). They are listed first: the first rule that matches
#   decides.
RULES: tuple[Rule, ...] = (
    Rule(r"crypto ikev2 profile ", r"(no )?(dpd|lifetime) ",
         "IKEv2 DPD/lifetime are local timers, used from the next SA on", disrupts=False),
    Rule(r"crypto ipsec profile ", r"(no )?set security-association lifetime ",
         "the IPsec SA lifetime applies to SAs negotiated from now on", disrupts=False),
    Rule(None, r"(no )?crypto isakmp keepalive ", "IKEv1 keepalive (DPD) is a local timer", disrupts=False),
    Rule(r"crypto ipsec transform-set ", r".",
         "redefining a transform set in use: re-keys with peers that keep the old transforms fail"),
    Rule(r"interface Tunnel", r"(no )?tunnel (source|mode|key|destination)\b",
         "tunnel source/mode/key change resets the mGRE interface and every NHRP entry on it"),
    Rule(r"interface Tunnel", r"(no )?tunnel protection\b",
         "tunnel protection change tears down every IPsec SA of the tunnel"),
    Rule(r"interface Tunnel", r"(no )?ip nhrp (network-id|authentication)\b",
         "NHRP network-id/authentication change drops every registration"),
    Rule(r"interface Tunnel", r"(no )?ip address\b",
         "tunnel address change invalidates the NHS mappings that point at it"),
    Rule(r"crypto (ikev2|isakmp|ipsec|keyring)", r".",
         "IKE/IPsec profile change renegotiates the SAs that use it"),
    Rule(None, r"no (interface Tunnel|crypto )", "removing a tunnel or crypto object drops its peers"),
    Rule(None, r"crypto isakmp key ", "a new IKEv1 key renegotiates every IKE SA"),
)


@dataclass(frozen=True)
class Disruption:
    """One disruptive line on one host, why, and who is affected."""

    host: str
    line: str  # masked
    why: str
    scope: str  # "cloud" (a hub: every spoke re-registers) or "host" (this spoke only)
    affected: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"host": self.host, "line": self.line, "why": self.why, "scope": self.scope,
                "affected": list(self.affected)}


def _rule_for(change: Change) -> Rule | None:
    """The first rule matching ``change`` if it is disruptive; None for a harmless or new-object change."""
    for rule in RULES:
        if rule.parent is None:
            if change.parent is None and re.match(rule.line, change.line):
                return rule if rule.disrupts else None
        elif (change.parent is not None and change.block_exists
              and re.match(rule.parent, change.parent) and re.match(rule.line, change.line)):
            return rule if rule.disrupts else None
    return None


def _affected(design: Design, host: str, change: Change) -> tuple[str, ...]:
    """A hub change reaches every member of the clouds it touches; a spoke change only itself."""
    node = design.hosts[host]
    if not node.is_hub:
        return (host,)
    clouds = [t.cloud for t in node.tunnels
              if change.parent is None or not change.parent.startswith("interface Tunnel")
              or change.parent == f"interface {t.interface}"]
    names = {h.name for cloud in clouds for h, _ in design.clouds.get(cloud, [])}
    return tuple(sorted(names))


def classify(design: Design, host: str, remediation: Remediation) -> list[Disruption]:
    """Every disruptive change in ``remediation``; creating new objects is never disruptive."""
    found: list[Disruption] = []
    scope = "cloud" if design.hosts[host].is_hub else "host"
    for change in remediation.changes:
        rule = _rule_for(change)
        if rule is None:
            continue
        line = change.line if change.parent is None else f"{change.parent} / {change.line}"
        found.append(Disruption(host, mask(line), rule.why, scope, _affected(design, host, change)))
    return found
