"""Verify result in the Prometheus text exposition format (node_exporter textfile or a pushgateway)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from dmvpn_ops.results import Finding, Severity
from dmvpn_ops.verify.checks import CODES
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_prometheus", "findings_family", "EDGE_STATES"]

EDGE_STATES = ("up", "degraded", "down", "unknown")  # Edge.status, set by verify.compare


class _Collector:
    def __init__(self, result: VerifyResult) -> None:
        self.result = result

    def collect(self) -> Iterator[Metric]:
        r = self.result
        reg = GaugeMetricFamily("dmvpn_spoke_registered", "1 if the hub has the spoke registered (UP), else 0 "
                                "(every edge whose hub was asked)", labels=["cloud", "hub", "spoke"])
        asked = {name for name, s in r.hosts.items() if s.collected}
        # The state is the value, never a label: a label that flips makes a new series every change.
        edge = GaugeMetricFamily("dmvpn_edge_up", "1 if the (hub, spoke) edge is up (no finding), else 0",
                                 labels=["cloud", "hub", "spoke"])
        state = GaugeMetricFamily("dmvpn_edge_state", "1 for the edge's current state, 0 for the others "
                                  "(every state every run)", labels=["cloud", "hub", "spoke", "state"])
        pkts = CounterMetricFamily("dmvpn_ipsec_pkts", "IPsec packets on the edge's SA, seen from `side`",
                                   labels=["cloud", "hub", "spoke", "side", "direction"])
        for e in r.edges:
            if e.hub in asked:  # an unreachable hub registers nobody: 0, not a series that vanishes
                reg.add_metric([e.cloud, e.hub, e.spoke], 1.0 if e.registered else 0.0)
            edge.add_metric([e.cloud, e.hub, e.spoke], 1.0 if e.status == "up" else 0.0)
            for name in EDGE_STATES:
                state.add_metric([e.cloud, e.hub, e.spoke, name], 1.0 if e.status == name else 0.0)
            for side_name, side in (("hub", e.hub_side), ("spoke", e.spoke_side)):
                if side is not None and side.ipsec is not None:
                    pkts.add_metric([e.cloud, e.hub, e.spoke, side_name, "encaps"], side.ipsec.pkts_encaps)
                    pkts.add_metric([e.cloud, e.hub, e.spoke, side_name, "decaps"], side.ipsec.pkts_decaps)
        yield from (reg, edge, state, pkts)
        yield findings_family("dmvpn_findings", "Findings of the run by code and severity (every pair, 0 if none)",
                              CODES, r.findings)
        # Every device the run asked (its mode and --limit), 0 when it did not answer; a device the mode does
        # not ask (spokes in fast mode) has no series: 0 would say it is down.
        dev = GaugeMetricFamily("dmvpn_device_reachable", "1 if the device answered, else 0 (every device "
                                "the run asked)", labels=["host", "role"])
        for name, s in sorted(r.hosts.items()):
            if name in asked:
                dev.add_metric([name, s.role], 1.0 if s.reachable else 0.0)
        yield dev
        if r.probes:
            probe = GaugeMetricFamily("dmvpn_probe_ok", "1 if the spoke-to-spoke probe passed",
                                      labels=["cloud", "source", "target"])
            for p in r.probes:
                probe.add_metric([p.cloud, p.source, p.target], 1.0 if p.ok else 0.0)
            yield probe
        yield GaugeMetricFamily("dmvpn_verify_ok", "1 if verify found nothing", value=1.0 if r.ok else 0.0)
        yield GaugeMetricFamily("dmvpn_verify_duration_seconds", "Wall time of the verify run",
                                value=r.duration)


def findings_family(name: str, documentation: str, codes: Iterable[str], findings: Iterable[Finding]) -> Metric:
    """``name{code,severity}``: every code x every severity on every run, so no series comes and goes."""
    counts = Counter((f.code, f.severity.value) for f in findings)
    family = GaugeMetricFamily(name, documentation, labels=["code", "severity"])
    for code in sorted({*codes, *(c for c, _ in counts)}):
        for severity in Severity:
            family.add_metric([code, severity.value], float(counts.get((code, severity.value), 0)))
    return family


def verify_prometheus(result: VerifyResult) -> str:
    """The exposition text (``# HELP``/``# TYPE`` + samples) for one verify run."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(result))
    return generate_latest(registry).decode()
