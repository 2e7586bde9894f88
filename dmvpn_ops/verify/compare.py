"""Observed vs intended: collect, build edges, run the checks, root-cause the findings.

Public entry: ``verify(design, nornir, mode="fast"|"full", probe=False, probe_pairs=None)``.
``evaluate(design, collections, ...)`` is the pure part (no devices), used by tests and tools
that already hold the outputs.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dmvpn_ops.collect.collect import DEFAULT_READ_TIMEOUT, HostCollection, collect
from dmvpn_ops.collect.commands import commands_for
from dmvpn_ops.errors import InputError
from dmvpn_ops.intent.model import Design
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify import checks
from dmvpn_ops.verify.ike_options import check_ike_options
from dmvpn_ops.verify.observed import DeviceView, Edge, build_edges, device_view
from dmvpn_ops.verify.result import HostStatus, VerifyResult

if TYPE_CHECKING:  # Nornir only in annotations: report/lint import verify types without loading Nornir
    from nornir.core import Nornir

__all__ = ["verify", "evaluate", "hosts_for_mode", "host_findings"]

Mode = Literal["fast", "full"]
Counters = dict[tuple[str, str, str], tuple[int, int]]

_CONSEQUENCES_OF_LINK_DOWN = {"IKE_NOT_ESTABLISHED", "NHS_DOWN", "VIEWS_DISAGREE", "IPSEC_NO_TRAFFIC",
                              "ROUTING_NEIGHBOR_MISSING"}
_DOWN = {"IKE_NOT_ESTABLISHED", "SPOKE_NOT_REGISTERED", "STUCK_STATE", "NHS_DOWN"}


def hosts_for_mode(design: Design, mode: str) -> list[str]:
    """``fast`` asks the hubs only (2 sessions for a 1,000-spoke dual-hub cloud); ``full`` asks all."""
    if mode not in ("fast", "full"):
        raise InputError(f"unknown verify mode {mode!r}; use fast or full", field="--mode")
    return design.hub_names if mode == "fast" else list(design.hosts)


def _edge_findings(edge: Edge, full: bool, previous: Counters | None) -> list[Finding]:
    """Run the edge checks, keeping the root cause and dropping its consequences."""
    # Without the hub's view, a spoke stuck in IKE towards it says "hub not answering", no more.
    ike = checks.check_ike(edge) if edge.hub_side is not None else []
    reg = checks.check_registration(edge)
    if ike:
        return ike + [f for f in reg if f.code == "SPOKE_NOT_REGISTERED"]
    views = checks.check_views_agree(edge) if full else []
    if reg:
        return reg + views
    nhs = checks.check_nhs(edge)
    nbma = checks.check_nbma(edge)
    if nhs:
        return nhs + nbma + views
    return nbma + checks.check_ipsec(edge, previous) + checks.check_routing(edge) + views


def _edge_status(edge: Edge, found: list[Finding]) -> str:
    sides = [side for side in (edge.hub_side, edge.spoke_side) if side is not None]
    if not any("dmvpn" in side.tables for side in sides):
        return "unknown"  # no end gave a usable `show dmvpn` (refused, garbage, cut): never "up" on faith
    if any(f.code in _DOWN for f in found):
        return "down"
    return "degraded" if found else "up"


def _collapse(design: Design, edges: list[Edge], found: dict[int, list[Finding]]) -> list[Finding]:
    """A finding every spoke of a hub shares (>= 2 spokes) is the hub's: report it once, on the hub."""
    per_hub: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, edge in enumerate(edges):
        per_hub[(edge.cloud, edge.hub)].append(i)
    out: list[Finding] = []
    for (cloud, hub), idx in per_hub.items():
        by_code: dict[str, list[Finding]] = defaultdict(list)
        for i in idx:
            for f in found[i]:
                by_code[f.code].append(f)
        for code, items in by_code.items():
            spokes = {f.host for f in items}
            if len(idx) >= 2 and len(spokes) == len(idx):
                first = items[0]
                out.append(Finding(code, first.severity, f"{hub}: all {len(idx)} spokes of {cloud} "
                                   f"affected: {first.message}", host=hub, cloud=cloud, peer=None,
                                   expected=first.expected,
                                   observed={f.host: f.observed for f in items}, hint=first.hint))
            else:
                out.extend(items)
    return out


def _symmetry_note(edges: list[Edge], findings: list[Finding]) -> list[Finding]:
    """Dual hub: say where an unregistered spoke *is* registered (the asymmetry is the clue)."""
    up = defaultdict(list)
    for e in edges:
        if e.registered:
            up[(e.cloud, e.spoke)].append(e.hub)
    out = []
    for f in findings:
        others = up.get((f.cloud or "", f.host or ""))
        if f.code == "SPOKE_NOT_REGISTERED" and others and f.peer:
            f = Finding(f.code, f.severity, f"{f.message} (registered on {', '.join(others)}: "
                        "hub views are asymmetric)", f.host, f.cloud, f.peer, f.expected, f.observed, f.hint)
        out.append(f)
    return out


def evaluate(design: Design, collections: dict[str, HostCollection], *, mode: str = "fast",
             previous: Counters | None = None, selected: Collection[str] | None = None) -> VerifyResult:
    """Compare collected outputs with the intent (no device access).

    Args:
        design: the intent.
        collections: host -> HostCollection for every host that was asked.
        mode: ``fast`` (hub views only) or ``full`` (cross-checks hub and spoke views).
        previous: ``VerifyResult.ipsec_counters()`` of an earlier poll; SAs whose counters did
            not move since then are IPSEC_NO_TRAFFIC.
        selected: the hosts the run may touch (``--limit``, a filtered Nornir); the others are
            "not selected" (default: every host of the design).

    Returns:
        The VerifyResult (probes empty).
    """
    full = mode == "full"
    views: dict[str, DeviceView] = {n: device_view(c) for n, c in collections.items()}
    findings: list[Finding] = []
    for name, coll in collections.items():
        findings += host_findings(design, coll, views[name])
    edges = build_edges(design, views)
    if selected is not None:  # an edge with neither end selected is not this run's business
        chosen = set(selected)
        edges = [e for e in edges if e.hub in chosen or e.spoke in chosen]
    per_edge = {i: _edge_findings(e, full, previous) for i, e in enumerate(edges)}
    findings += check_ike_options(design, edges, collections)  # full mode collects the detail
    wrong_ip = {(f.cloud, f.host, f.peer) for f in findings if f.code == "WRONG_TUNNEL_IP"}
    if_down = {f.host for f in findings if f.code == "INTERFACE_DOWN"}
    for i, edge in enumerate(edges):
        if (edge.cloud, edge.spoke, edge.hub) in wrong_ip:  # the registration exists, misnumbered
            per_edge[i] = [f for f in per_edge[i] if f.code != "SPOKE_NOT_REGISTERED"]
        edge.status = _edge_status(edge, per_edge[i])
        if edge.spoke in if_down or edge.hub in if_down:  # a down link explains IKE/NHS failures
            per_edge[i] = [f for f in per_edge[i] if f.code not in _CONSEQUENCES_OF_LINK_DOWN]
    findings += _symmetry_note(edges, _collapse(design, edges, per_edge))
    findings = _dedupe(findings)
    return VerifyResult(mode=mode, findings=findings, edges=edges,
                        hosts=_host_status(design, collections, findings, selected),
                        collections=collections, inventory=design.inventory_dir)


def host_findings(design: Design, coll: HostCollection, view: DeviceView | None = None) -> list[Finding]:
    """What one device's own outputs show (reachability, parsing, interfaces, its NHRP/DMVPN tables).

    Edge checks need both ends and stay in ``evaluate``; this is the per-host part, also the Nornir
    ``view`` task's findings (``dmvpn_ops.nornir_tasks``).
    """
    findings = checks.check_reachable(coll) + checks.check_parsed(coll)
    view = view if view is not None else device_view(coll)
    if not view.reachable:
        return findings
    findings += checks.check_interfaces(view, design)
    for tunnel in design.hosts[coll.host].tunnels:
        findings += checks.check_unknown_peers(view, design, tunnel.cloud)  # hubs' and spokes' views
        if not design.hosts[coll.host].is_hub:
            findings += checks.check_spoke_entries(view, design, tunnel.cloud)
    return findings


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.host, f.cloud, f.peer, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(out, key=lambda f: (order[f.severity], f.cloud or "", f.host or "", f.code))


def _host_status(design: Design, collections: dict[str, HostCollection],
                 findings: list[Finding], selected: Collection[str] | None = None) -> dict[str, HostStatus]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.host:
            counts[f.host] += 1
    out = {}
    for name, host in design.hosts.items():
        coll = collections.get(name)
        out[name] = HostStatus(name, host.role, coll is not None,
                               None if coll is None else coll.reachable,
                               error=coll.error if coll else None,
                               error_kind=coll.error_kind if coll else None,
                               unparseable=sorted(coll.parse_errors) if coll else [],
                               findings=counts.get(name, 0), elapsed=coll.elapsed if coll else 0.0,
                               selected=selected is None or name in selected)
    return out


def verify(design: Design, nornir: Nornir, mode: str = "fast", probe: bool = False,
           probe_pairs: int | None = None, *, previous: Counters | None = None,
           read_timeout: float = DEFAULT_READ_TIMEOUT, save_raw: str | Path | None = None,
           close: bool = True) -> VerifyResult:
    """Collect from the devices, compare with the intent, optionally probe spoke-to-spoke paths.

    Args:
        design: the intent (``intent.load_design``).
        nornir: ``intent.nornir.load_nornir(...)`` over the same inventory.
        mode: ``fast`` asks only the hubs; ``full`` asks every device and cross-checks views.
        probe: run phase-aware spoke-to-spoke probes (needs the spokes: full collection of them).
        probe_pairs: sample at most this many spoke pairs per cloud (default: all pairs up to 10
            spokes, else 20 sampled pairs).
        previous: IPsec counters of an earlier run (``VerifyResult.ipsec_counters()``).
        read_timeout: seconds a single command may take.
        save_raw: write every raw output under this directory.
        close: close the SSH sessions at the end.

    Returns:
        VerifyResult; ``.exit_code`` is 0 clean, 1 findings, 3 some device unreachable.

    Raises:
        InputError: unknown mode, or the (filtered) Nornir holds no host this mode asks.
    """
    started = time.monotonic()
    # A Nornir filtered by the caller (nr.filter, --limit) is the selection: the hosts outside it are
    # "not selected", never contacted and never reported unreachable.
    selected = [h for h in design.hosts if h in nornir.inventory.hosts]
    hosts = [h for h in hosts_for_mode(design, mode) if h in nornir.inventory.hosts]
    if probe and mode == "fast":
        hosts = selected  # probes read the spokes' tables: they must be reachable
    if not hosts:  # "all good" about nothing would be a lie
        raise InputError(f"the selection ({', '.join(selected) or 'no DMVPN host'}) has no host that --mode "
                         f"{mode} asks (fast asks the hubs only; use --mode full for spokes).", field="--limit")
    try:
        plan = {h: commands_for(design.hosts[h], full=mode == "full") for h in hosts}
        collections = collect(nornir, design, hosts, commands=plan, read_timeout=read_timeout,
                              save_raw_dir=save_raw)
        result = evaluate(design, collections, mode=mode, previous=previous, selected=selected)
        if probe:
            from dmvpn_ops.verify.probe import run_probes
            result.probes = run_probes(design, nornir, collections, probe_pairs=probe_pairs,
                                       read_timeout=read_timeout)
            extra = [f for p in result.probes for f in p.findings]
            result.findings = _dedupe(result.findings + extra)
            result.hosts = _host_status(design, collections, result.findings, selected)
    finally:
        if close:
            nornir.close_connections(on_good=True, on_failed=True)
    result.duration = time.monotonic() - started
    return result
