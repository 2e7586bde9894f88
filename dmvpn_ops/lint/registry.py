"""Lint rule registry: each rule is a small registered object with an id, severity, hint and why."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from dmvpn_ops.intent.model import Design, Host, Tunnel
from dmvpn_ops.results import Finding, Severity

Check = Callable[[Design], Iterable["Hit"]]


@dataclass(frozen=True)
class Hit:
    """What a check found; the rule turns it into a Finding with its id, severity and hint."""

    host: str | None
    message: str
    cloud: str | None = None
    field: str | None = None
    expected: object = None
    observed: object = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    hint: str
    why: str
    check: Check

    def run(self, design: Design) -> Iterator[Finding]:
        for hit in self.check(design):
            yield Finding(code=self.id, severity=self.severity, message=hit.message,
                          host=hit.host, cloud=hit.cloud, expected=hit.expected,
                          observed=hit.observed, hint=self.hint)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str, *, hint: str, why: str) -> Callable[[Check], Check]:
    """Register a check function as a lint rule."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"duplicate lint rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, title, hint, " ".join(why.split()), check)
        return check

    return register


def members(design: Design) -> Iterator[tuple[str, Host, Tunnel]]:
    """Every (cloud, host, tunnel) in a stable order."""
    for cloud, pairs in design.clouds.items():
        for host, tunnel in pairs:
            yield cloud, host, tunnel


def hub_tunnels(design: Design) -> Iterator[tuple[str, Host, Tunnel]]:
    return ((c, h, t) for c, h, t in members(design) if h.is_hub)


def spoke_tunnels(design: Design) -> Iterator[tuple[str, Host, Tunnel]]:
    return ((c, h, t) for c, h, t in members(design) if not h.is_hub)
