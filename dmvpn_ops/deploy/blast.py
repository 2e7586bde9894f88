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
    """A change to an existing block matching ``parent`` and ``line`` resets tunnels."""

    parent: str | None  # regex on the parent block; None for a top-level line
    line: str  # regex on the changed line
    why: str


RULES: tuple[Rule, ...] = (
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
    for rule in RULES:
        if rule.parent is None:
            if change.parent is None and re.match(rule.line, change.line):
                return rule
        elif (change.parent is not None and change.block_exists
              and re.match(rule.parent, change.parent) and re.match(rule.line, change.line)):
            return rule
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
