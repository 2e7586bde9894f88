"""Phase-aware spoke-to-spoke probes: clear the pair's NHRP entries, ping LAN to LAN, read the tables.

Phase 1: traffic must stay on the hub (no spoke-to-spoke entry: UNEXPECTED_SHORTCUT).
Phase 2: NHRP resolution must build a direct `D` entry on both spokes (else SHORTCUT_MISSING).
Phase 3: the hub's redirect must make each spoke with `ip nhrp shortcut` install a `DT1`/`DT2`
shortcut and an NHRP route (`rib` flag); the spoke that lacks it is the one named.
IPsec counters towards the path's peer must increase (IPSEC_NO_TRAFFIC).
"""
from __future__ import annotations

import itertools
import random
import re
from typing import TYPE_CHECKING, Any

from dmvpn_ops.collect import clean_output, connection
from dmvpn_ops.collect.collect import HostCollection, classify_error
from dmvpn_ops.intent.model import Design, Host, Tunnel
from dmvpn_ops.parse import UnparseableOutput, attribute_codes, parse
from dmvpn_ops.parse.facts import DmvpnPeer
from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.result import ProbeResult

if TYPE_CHECKING:  # Nornir only in annotations: report/lint import verify types without loading Nornir
    from nornir.core import Nornir

__all__ = ["run_probes", "select_pairs", "ping_success"]

_SUCCESS = re.compile(r"Success rate is (\d+) percent \((\d+)/(\d+)\)")
ALL_PAIRS_UP_TO = 10       # spokes per cloud probed exhaustively
DEFAULT_SAMPLE = 20        # pairs sampled beyond that


def ping_success(text: str) -> int | None:
    """Percentage from IOS `ping` output, None if the output has no success line."""
    match = _SUCCESS.search(text)
    return int(match.group(1)) if match else None


Member = tuple[Host, Tunnel]


def select_pairs(design: Design, cloud: str, probe_pairs: int | None = None,
                 reachable: set[str] | None = None) -> list[tuple[Member, Member]]:
    """Spoke pairs of ``cloud`` to probe: all for small clouds, else a reproducible sample."""
    spokes = [(h, t) for h, t in design.spokes(cloud) if h.lan
              and (reachable is None or h.name in reachable)]
    pairs = list(itertools.combinations(spokes, 2))
    limit = probe_pairs if probe_pairs is not None else (
        len(pairs) if len(spokes) <= ALL_PAIRS_UP_TO else DEFAULT_SAMPLE)
    if limit < len(pairs):
        pairs = random.Random(f"{cloud}:{limit}").sample(pairs, limit)
    return pairs


class _Session:
    def __init__(self, nornir: Nornir, host: str, read_timeout: float) -> None:
        self.conn = connection(nornir.inventory.hosts[host], nornir.config)
        self.read_timeout = read_timeout

    def run(self, command: str) -> str:
        """The device's answer, cleaned as collect cleans it (control bytes gone, size capped) but not masked
        (parsed here, never shown: masking it first would corrupt any token equal to a secret, see
        collect.run_commands).

        Raises:
            UnparseableOutput: the answer is too large or has a line too long to be trusted.
        """
        cleaned = clean_output(str(self.conn.send_command(command, read_timeout=self.read_timeout)))
        if cleaned.too_large:
            raise UnparseableOutput(f"answer too large: {cleaned.too_large}", command=command)
        return cleaned.text

    def parsed(self, command: str) -> list[dict[str, Any]]:
        return parse(command, self.run(command))


def _row(rows: list[dict[str, Any]], interface: str, tunnel_ip: str) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("interface") == interface and r.get("peer_tunnel") == tunnel_ip]


def _direct(rows: list[dict[str, Any]], phase: int) -> bool:
    """A spoke-to-spoke entry of the kind the phase builds, UP."""
    for r in rows:
        codes = attribute_codes(r.get("attributes") or [])
        if not DmvpnPeer(r).registered or "S" in codes:
            continue
        if phase == 2 and "D" in codes:
            return True
        if phase == 3 and ("T1" in codes or "T2" in codes):
            return True
    return False


def _has_route(entries: list[dict[str, Any]], interface: str, target: Member) -> bool:
    """Phase 3: an NHRP entry towards the target carrying `rib` (the H/% route was installed)."""
    via = str(target[1].tunnel_ip)
    return any(e.get("interface") == interface and e.get("via") == via and "rib" in (e.get("flags") or [])
               for e in entries)


def _pkts(sas: list[dict[str, Any]], peers: set[str]) -> int:
    return sum((r.get("pkts_encaps") or 0) for r in sas if r.get("peer") in peers)


def _finding(p: ProbeResult, code: str, sev: Severity, message: str, host: str, peer: str,
             expected: Any, observed: Any, hint: str) -> None:
    p.findings.append(Finding(code, sev, message, host=host, cloud=p.cloud, peer=peer,
                              expected=expected, observed=observed, hint=hint))


def _probe(nornir: Nornir, design: Design, a: Member, b: Member, read_timeout: float) -> ProbeResult:
    (ha, ta), (hb, tb) = a, b
    phase = ta.spec.phase
    p = ProbeResult(ta.cloud, phase, ha.name, hb.name, str(ha.lan[0].address.ip), str(hb.lan[0].address.ip))
    crypto = ta.spec.crypto.enabled
    try:
        sa, sb = _Session(nornir, ha.name, read_timeout), _Session(nornir, hb.name, read_timeout)
        if phase in (2, 3):
            sa.run(f"clear ip nhrp {tb.tunnel_ip}")
            sb.run(f"clear ip nhrp {ta.tunnel_ip}")
        p.absent_before = not _direct(_row(sa.parsed("show dmvpn"), ta.interface, str(tb.tunnel_ip)), phase)
        hubs = {str(t.public_nbma) for _, t in design.hubs(ta.cloud)}
        peers = hubs if phase == 1 else {str(tb.public_nbma), *hubs}
        if crypto:
            p.pkts_before = _pkts(sa.parsed("show crypto ipsec sa"), peers)
        ping = sa.run(f"ping {p.target_ip} source {p.source_ip} repeat 5")
        rate = ping_success(ping)
        p.ping_ok = bool(rate)
        rows_a = _row(sa.parsed("show dmvpn"), ta.interface, str(tb.tunnel_ip))
        rows_b = _row(sb.parsed("show dmvpn"), tb.interface, str(ta.tunnel_ip))
        p.shortcut_source, p.shortcut_target = _direct(rows_a, phase), _direct(rows_b, phase)
        if phase == 3:
            p.route_source = _has_route(sa.parsed("show ip nhrp"), ta.interface, b)
        if crypto:
            p.pkts_after = _pkts(sa.parsed("show crypto ipsec sa"), peers)
    except UnparseableOutput as exc:
        p.error = mask(f"unparseable output during probe: {exc.reason}")  # the reason quotes a device line
    except Exception as exc:
        p.error = mask(f"{classify_error(exc)}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    _judge(p, a, b, rows_a if p.error is None else [])
    return p


def _judge(p: ProbeResult, a: Member, b: Member, rows_a: list[dict[str, Any]]) -> None:
    src, dst = p.source, p.target
    if p.error is not None:
        _finding(p, "PROBE_FAILED", Severity.WARNING, f"probe {src} -> {dst} could not run: {p.error}",
                 src, dst, "probe completes", p.error, "check the device sessions and rerun with --probe")
        return
    if not p.ping_ok:
        _finding(p, "PROBE_FAILED", Severity.ERROR, f"ping {p.source_ip} -> {p.target_ip} ({src} -> {dst}) "
                 "failed", src, dst, "100 percent", "0 percent", "check the routing towards the other "
                 "spoke's LAN (`show ip route`) and the hub registrations")
        return
    if p.phase == 1:
        if rows_a:
            _finding(p, "UNEXPECTED_SHORTCUT", Severity.ERROR, f"phase 1: {src} built a direct tunnel to "
                     f"{dst}", src, dst, "traffic via the hub", rows_a,
                     "phase 1 spokes should not resolve each other: check the cloud's phase settings")
    else:
        kind = "D entry (NHRP resolution)" if p.phase == 2 else "DT shortcut and NHRP route"
        hint = ("check `ip nhrp shortcut` on the spoke and `ip nhrp redirect` on the hub"
                if p.phase == 3 else "check the routing next hop is the other spoke (EIGRP "
                "`no ip next-hop-self`, OSPF broadcast) and that IKE between spokes succeeds")
        missing = []
        if not p.shortcut_source or (p.phase == 3 and not p.route_source):
            missing.append((src, dst))
        if not p.shortcut_target:
            missing.append((dst, src))
        for host, peer in missing:
            _finding(p, "SHORTCUT_MISSING", Severity.ERROR, f"phase {p.phase}: no direct {kind} on {host} "
                     f"towards {peer} after traffic", host, peer, kind,
                     {"absent_before": p.absent_before, "shortcut_source": p.shortcut_source,
                      "shortcut_target": p.shortcut_target, "route_source": p.route_source}, hint)
    if p.pkts_before is not None and p.pkts_after is not None and p.pkts_after <= p.pkts_before:
        _finding(p, "IPSEC_NO_TRAFFIC", Severity.ERROR, f"{src}: IPsec counters did not increase during "
                 f"the probe to {dst}", src, dst, "increasing", {"before": p.pkts_before,
                 "after": p.pkts_after}, "traffic is not encrypted on the path: check `tunnel protection`")


def run_probes(design: Design, nornir: Nornir, collections: dict[str, HostCollection], *,
               probe_pairs: int | None = None, read_timeout: float = 20.0) -> list[ProbeResult]:
    """Probe spoke pairs of every cloud (sequentially: pairs share spokes and NHRP state).

    Args:
        design: the intent.
        nornir: the Nornir object the collection used (its open sessions are reused).
        collections: from ``collect``; unreachable spokes are not probed.
        probe_pairs: pairs per cloud (see ``select_pairs``).
        read_timeout: seconds per command.

    Returns:
        One ProbeResult per pair, findings attached.
    """
    reachable = {n for n, c in collections.items() if c.reachable}
    results = []
    for cloud in design.clouds:
        for a, b in select_pairs(design, cloud, probe_pairs, reachable):
            results.append(_probe(nornir, design, a, b, read_timeout))
    return results
