"""Compare a run with the one before: flaps from uptimes, spokes missing/appeared, stalled IPsec, findings diff."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from dmvpn_ops.health.record import EdgeKey, EdgeState, FindingState, HealthRecord
from dmvpn_ops.results import Finding, Severity

__all__ = ["Flap", "Stalled", "NhrpErrorGrowth", "Trend", "compare", "not_selected", "NOT_SELECTED", "SLACK_SECONDS"]

# Uptimes are read a few seconds after the run's timestamp; a device read late in the previous
# run and early in this one looks younger by up to the previous run's duration, added on top.
SLACK_SECONDS = 5


def _human(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"


@dataclass(frozen=True)
class Flap:
    """An edge whose registration, NHS, IKE SA, IPsec SA or adjacency restarted since the last run."""

    cloud: str
    hub: str
    spoke: str
    signals: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class Stalled:
    """An active IPsec SA whose counters did not move since the last run."""

    cloud: str
    hub: str
    spoke: str
    side: str
    peer: str
    now: tuple[int, int]
    before: tuple[int, int]


@dataclass(frozen=True)
class NhrpErrorGrowth:
    """A tunnel whose NHRP Error Indication counters grew since the last run (``rcvd``/``sent`` = how many)."""

    host: str
    interface: str
    sent: int
    rcvd: int
    reset: bool       # the counters went down: the router reloaded (or they were cleared); growth counts from 0


@dataclass
class Trend:
    """What changed since the previous run (all empty on the first run)."""

    previous_timestamp: float | None = None
    elapsed: float | None = None
    flaps: list[Flap] = field(default_factory=list)
    missing: list[EdgeKey] = field(default_factory=list)
    appeared: list[EdgeKey] = field(default_factory=list)
    stalled: list[Stalled] = field(default_factory=list)
    new: list[FindingState] = field(default_factory=list)
    resolved: list[FindingState] = field(default_factory=list)
    persisting: list[FindingState] = field(default_factory=list)
    nhrp_errors: list[NhrpErrorGrowth] = field(default_factory=list)
    not_selected: list[FindingState] = field(default_factory=list)  # outside --limit: carried, unchanged

    @property
    def first_run(self) -> bool:
        return self.previous_timestamp is None

    @property
    def changed(self) -> bool:
        return bool(self.flaps or self.missing or self.appeared or self.stalled or self.new or self.resolved
                    or self.nhrp_errors)

    def counts(self) -> dict[str, int]:
        return {"flaps": len(self.flaps), "missing": len(self.missing), "appeared": len(self.appeared),
                "stalled": len(self.stalled), "new": len(self.new), "resolved": len(self.resolved),
                "persisting": len(self.persisting), "nhrp_errors": len(self.nhrp_errors),
                "not_selected": len(self.not_selected)}

    def findings(self) -> list[Finding]:
        """The trend's own findings: EDGE_FLAPPED (warning), IPSEC_NO_TRAFFIC for stalled counters (error),
        NHRP_ERRORS_GROWING (warning)."""
        out = [Finding("EDGE_FLAPPED", Severity.WARNING,
                       f"{f.spoke}: edge with {f.hub} restarted since the last run ({f.detail})",
                       host=f.spoke, cloud=f.cloud, peer=f.hub, expected="no restart",
                       observed=list(f.signals), hint="look for underlay loss, NHRP hold-time expiry or "
                       "IKE renegotiation around that time in the device logs") for f in self.flaps]
        out += [Finding("IPSEC_NO_TRAFFIC", Severity.ERROR,
                        f"{s.hub if s.side == 'hub' else s.spoke}: IPsec SA to {s.peer} is ACTIVE but its "
                        "counters did not move since the last run", host=s.spoke, cloud=s.cloud, peer=s.hub,
                        expected="increasing", observed={"now": list(s.now), "before": list(s.before)},
                        hint=f"a stale SA: `clear crypto session remote {s.peer}`") for s in self.stalled]
        out += [_nhrp_finding(g) for g in self.nhrp_errors]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"previous_timestamp": self.previous_timestamp, "elapsed": self.elapsed,
                "counts": self.counts(), "flaps": [asdict(f) for f in self.flaps],
                "missing": [list(k) for k in self.missing], "appeared": [list(k) for k in self.appeared],
                "stalled": [asdict(s) for s in self.stalled],
                "new": [f.key for f in self.new], "resolved": [f.key for f in self.resolved],
                "persisting": [f.key for f in self.persisting],
                "nhrp_errors": [asdict(g) for g in self.nhrp_errors],
                "not_selected": [f.key for f in self.not_selected]}


def _nhrp_finding(g: NhrpErrorGrowth) -> Finding:
    """A hub that sends Error Indications refuses some peer's NHRP packets; a spoke that receives them is refused."""
    what = " and ".join(part for part in (f"sent {g.sent}" if g.sent else "", f"received {g.rcvd}" if g.rcvd else "")
                        if part)
    since = "since its counters restarted (reload or clear)" if g.reset else "since the last run"
    return Finding("NHRP_ERRORS_GROWING", Severity.WARNING,
                   f"{g.host}: {g.interface} {what} NHRP Error Indication(s) {since}", host=g.host,
                   expected="no new Error Indications", observed={"interface": g.interface, "sent": g.sent,
                                                                   "rcvd": g.rcvd, "reset": g.reset},
                   hint="an NHRP peer fails authentication (`ip nhrp authentication` differs), loops or sends "
                        "what the NHS cannot resolve; the router's log names the peer and the error code")


def _nhrp_growth(previous: HealthRecord, current: HealthRecord) -> list[NhrpErrorGrowth]:
    """Tunnels whose Error Indication counters grew; a tunnel new to the record has no baseline yet."""
    out = []
    for host, tunnels in sorted(current.nhrp_errors.items()):
        for interface, now in sorted(tunnels.items()):
            before = previous.nhrp_errors.get(host, {}).get(interface)
            if before is None:
                continue
            reset = now.sent < before.sent or now.rcvd < before.rcvd
            sent, rcvd = (now.sent, now.rcvd) if reset else (now.sent - before.sent, now.rcvd - before.rcvd)
            if sent or rcvd:
                out.append(NhrpErrorGrowth(host, interface, sent, rcvd, reset))
    return out


def _restarted(now: EdgeState, before: EdgeState, elapsed: float, slack: float) -> list[str]:
    """Signals younger than they would be had they stayed up since the last run.

    Up since then means now >= before + elapsed (IOS truncates, so compare the longest the value
    may be with the shortest the earlier one was). An SA whose lifetime ran out in between was
    re-keyed, which is no flap. Device clocks never run slower than ours, which the lab's
    advanced clock respects too.
    """
    out = []
    for signal, up in sorted(now.uptimes.items()):
        prev = before.uptimes.get(signal)
        if prev is None:
            continue  # it was down last time: coming up is "appeared", not a flap
        expected = prev.seconds + elapsed
        if up.lifetime is not None and expected >= up.lifetime - slack:
            continue
        if up.upper + slack < expected:
            out.append(f"{signal} up {_human(up.seconds)}")
    for side, sa in sorted(now.counters.items()):
        prev_sa = before.counters.get(side)
        if prev_sa is not None and prev_sa.peer == sa.peer and sa.active and prev_sa.active and (
                sa.encaps < prev_sa.encaps or sa.decaps < prev_sa.decaps):  # down now: a finding, no flap
            out.append(f"ipsec counters reset on the {side}")
    return out


def _stalled(now: EdgeState, before: EdgeState) -> list[Stalled]:
    out = []
    for side, sa in sorted(now.counters.items()):
        prev = before.counters.get(side)
        if prev is None or not (sa.active and prev.active) or prev.peer != sa.peer:
            continue
        if sa.encaps <= prev.encaps and sa.decaps <= prev.decaps:
            out.append(Stalled(now.cloud, now.hub, now.spoke, side, sa.peer, (sa.encaps, sa.decaps),
                               (prev.encaps, prev.decaps)))
    return out


def _edges(trend: Trend, previous: HealthRecord, current: HealthRecord) -> dict[EdgeKey, int]:
    """Fill flaps, missing, appeared, stalled; returns the new ``flaps_total`` per edge."""
    before = previous.edge_map()
    elapsed = trend.elapsed or 0.0
    slack = SLACK_SECONDS + float(previous.summary.get("duration") or 0.0)
    totals = {}
    for edge in current.edges:
        prev = before.get(edge.key)
        totals[edge.key] = prev.flaps_total if prev else 0
        if prev is None:
            if edge.registered:
                trend.appeared.append(edge.key)
            continue
        if prev.registered and edge.registered is False:
            trend.missing.append(edge.key)
        elif prev.registered is False and edge.registered:
            trend.appeared.append(edge.key)
        signals = _restarted(edge, prev, elapsed, slack)
        if signals:
            name = tuple(s.split()[0] for s in signals)
            trend.flaps.append(Flap(edge.cloud, edge.hub, edge.spoke, name, "; ".join(signals)))
            totals[edge.key] += 1
        else:
            trend.stalled += _stalled(edge, prev)
    return totals


# HostStatus.status of a host outside --limit (or the caller's filtered Nornir): never contacted this run.
NOT_SELECTED = "not-selected"
# Which end of an edge reports each uptime (health.record._uptimes): the hub's `show dmvpn` row and routing
# neighbour, the spoke's NHS row; the IKE age is read from whichever end was asked.
_REPORTED_BY = {"registration": "hub", "routing": "hub", "nhs": "spoke"}


def not_selected(record: HealthRecord) -> set[str]:
    """The hosts this run did not contact (``--limit``): what the run says nothing about."""
    return {host for host, status in record.hosts.items() if status == NOT_SELECTED}


def _carried_edge(edge: EdgeState, before: EdgeState | None, skipped: set[str]) -> EdgeState:
    """``edge`` with what its unselected end would have reported taken unchanged from the run before.

    Without it a run with ``--limit hub1`` would store spoke-reported uptimes and counters as absent, and
    the next full run would read them as "came up" (no flap detection) instead of comparing with the last
    real reading.
    """
    if before is None or not ({edge.hub, edge.spoke} & skipped):
        return edge
    ends = {"hub": edge.hub, "spoke": edge.spoke}
    uptimes = {**{s: u for s, u in before.uptimes.items() if ends.get(_REPORTED_BY.get(s, "")) in skipped},
               **edge.uptimes}
    counters = {**{side: c for side, c in before.counters.items() if ends[side] in skipped}, **edge.counters}
    update: dict[str, Any] = {"uptimes": uptimes, "counters": counters}
    if edge.hub in skipped:  # registration and NBMA are the hub's view
        update |= {"registered": before.registered, "nbma": before.nbma}
    return edge.model_copy(update=update)


def _carry_forward(previous: HealthRecord, current: HealthRecord, edges: list[EdgeState],
                   skipped: set[str]) -> tuple[list[EdgeState], dict[str, Any]]:
    """The stored record's edges and NHRP counters: this run's, plus the unselected hosts' from before."""
    before = previous.edge_map()
    seen = {e.key for e in edges}
    merged = [_carried_edge(e, before.get(e.key), skipped) for e in edges]
    merged += [e for e in previous.edges if e.key not in seen and {e.hub, e.spoke} <= skipped]
    nhrp = {**{h: v for h, v in previous.nhrp_errors.items() if h in skipped}, **current.nhrp_errors}
    return merged, nhrp


def compare(previous: HealthRecord | None, current: HealthRecord) -> tuple[Trend, HealthRecord]:
    """The trend from ``previous`` to ``current``, and ``current`` completed for storage.

    Args:
        previous: the last valid record (None on the first run).
        current: this run's record from ``build_record`` (verify's findings only).

    Returns:
        (Trend, the record to store: trend findings appended, ``flaps_total`` and ``changes`` set).

    Hosts outside ``--limit`` ("not selected") were not looked at: their previous findings are neither
    resolved nor new but carried into the stored record unchanged (``Trend.not_selected``), and so are the
    edges, uptimes and counters only they report, so the next full run compares with their last reading.
    """
    if previous is None:
        trend = Trend()
        return trend, current.model_copy(update={"changes": trend.to_dict()})
    trend = Trend(previous_timestamp=previous.timestamp, elapsed=current.timestamp - previous.timestamp)
    totals = _edges(trend, previous, current)
    trend.nhrp_errors = _nhrp_growth(previous, current)
    findings = [*current.findings, *(FindingState.of(f) for f in trend.findings())]
    skipped = not_selected(current)
    old = {f.key: f for f in previous.findings}
    new = {f.key: f for f in findings}
    trend.new = [f for k, f in new.items() if k not in old]
    trend.persisting = [f for k, f in new.items() if k in old]
    trend.resolved = [f for k, f in old.items() if k not in new and f.host not in skipped]
    trend.not_selected = [f for k, f in old.items() if k not in new and f.host in skipped]
    edges = [e.model_copy(update={"flaps_total": totals[e.key]}) for e in current.edges]
    edges, nhrp = _carry_forward(previous, current, edges, skipped)
    return trend, current.model_copy(update={"edges": edges, "findings": [*findings, *trend.not_selected],
                                             "nhrp_errors": nhrp, "changes": trend.to_dict()})
