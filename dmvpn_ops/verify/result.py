"""VerifyResult: findings, edges, per-host status and probes of one verify run (``.ok``, exit code)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dmvpn_ops.collect.collect import HostCollection
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify.observed import Edge

__all__ = ["VerifyResult", "HostStatus", "ProbeResult"]


@dataclass
class HostStatus:
    """One host in a verify run: asked or not, reachable or not, how many findings name it."""

    host: str
    role: str
    collected: bool
    reachable: bool | None
    error: str | None = None
    error_kind: str | None = None
    unparseable: list[str] = field(default_factory=list)
    findings: int = 0
    elapsed: float = 0.0
    selected: bool = True  # False: outside --limit / the caller's filtered Nornir (never contacted)

    @property
    def status(self) -> str:
        if not self.selected:
            return "not-selected"
        if not self.collected:
            return "not-collected"
        if not self.reachable:
            return "unreachable"
        return "findings" if self.findings else "ok"

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "status": self.status, "selected": self.selected, "collected": self.collected,
                "reachable": self.reachable, "error": self.error, "error_kind": self.error_kind,
                "unparseable": self.unparseable, "findings": self.findings,
                "elapsed": round(self.elapsed, 3)}


@dataclass
class ProbeResult:
    """One spoke-to-spoke probe: ping between LANs and what the NHRP tables showed around it."""

    cloud: str
    phase: int
    source: str
    target: str
    source_ip: str
    target_ip: str
    ping_ok: bool | None = None
    absent_before: bool | None = None
    shortcut_source: bool | None = None    # direct entry to target on the source after the ping
    shortcut_target: bool | None = None    # and on the target towards the source
    route_source: bool | None = None       # phase 3: NHRP route (rib flag) installed
    pkts_before: int | None = None
    pkts_after: int | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {"cloud": self.cloud, "phase": self.phase, "source": self.source, "target": self.target,
                "source_ip": self.source_ip, "target_ip": self.target_ip, "ok": self.ok,
                "ping_ok": self.ping_ok, "absent_before": self.absent_before,
                "shortcut_source": self.shortcut_source, "shortcut_target": self.shortcut_target,
                "route_source": self.route_source, "pkts_before": self.pkts_before,
                "pkts_after": self.pkts_after, "error": self.error,
                "findings": [f.code for f in self.findings]}


@dataclass
class VerifyResult:
    """Everything one verify run found. ``exit_code``: 0 clean, 1 findings, 3 unreachable devices."""

    mode: str
    findings: list[Finding]
    edges: list[Edge]
    hosts: dict[str, HostStatus]
    probes: list[ProbeResult] = field(default_factory=list)
    collections: dict[str, HostCollection] = field(default_factory=dict)
    duration: float = 0.0
    inventory: str | None = None

    @property
    def unreachable(self) -> list[str]:
        return sorted(h for h, s in self.hosts.items() if s.collected and not s.reachable)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is not Severity.INFO]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unreachable

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return 3
        return 1 if self.problems else 0

    def ipsec_counters(self) -> dict[tuple[str, str, str], tuple[int, int]]:
        """(device, 'hub'|'spoke', peer NBMA) -> (encaps, decaps): pass to the next run's ``previous``."""
        out = {}
        for edge in self.edges:
            for label, side, where in (("hub", edge.hub_side, edge.hub), ("spoke", edge.spoke_side, edge.spoke)):
                if side is not None and side.ipsec is not None:
                    out[(where, label, side.ipsec.peer)] = (side.ipsec.pkts_encaps, side.ipsec.pkts_decaps)
        return out

    def summary(self) -> dict[str, Any]:
        sev = Counter(f.severity.value for f in self.findings)
        edges = Counter(e.status for e in self.edges)
        return {
            "ok": self.ok, "exit_code": self.exit_code, "mode": self.mode,
            "clouds": len({e.cloud for e in self.edges}),
            "hosts": len(self.hosts),
            "hosts_selected": sum(s.selected for s in self.hosts.values()),
            "hosts_collected": sum(s.collected for s in self.hosts.values()),
            "hosts_unreachable": len(self.unreachable),
            "edges": len(self.edges),
            "edges_up": edges.get("up", 0), "edges_degraded": edges.get("degraded", 0),
            "edges_down": edges.get("down", 0), "edges_unknown": edges.get("unknown", 0),
            "findings": len(self.findings),
            "errors": sev.get("error", 0), "warnings": sev.get("warning", 0), "info": sev.get("info", 0),
            "by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
            "probes": len(self.probes), "probes_failed": sum(not p.ok for p in self.probes),
            "duration": round(self.duration, 3),
        }

    def to_dict(self, *, edges: bool = True) -> dict[str, Any]:
        """The DESIGN.md JSON shape ``{"summary", "hosts", "findings"}`` plus ``edges``/``probes``."""
        out: dict[str, Any] = {
            "summary": self.summary(),
            "hosts": {name: s.to_dict() for name, s in sorted(self.hosts.items())},
            "findings": [f.to_dict() for f in self.findings],
        }
        if edges:
            out["edges"] = [e.to_dict() for e in self.edges]
        out["probes"] = [p.to_dict() for p in self.probes]
        return out
